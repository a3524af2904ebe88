"""A stored framework written back as a file: read back equal, named inside the pulled workspace."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netmap.model import Constituency, ExpectedLink, Framework, NetworkMap
from netmap.reference import available_frameworks, load_framework
from netmap.store.files import framework_file_name, framework_toml, is_builtin, keep_framework, keep_profiles


@pytest.mark.parametrize("name", available_frameworks())
def test_every_builtin_framework_round_trips(name: str, tmp_path: Path) -> None:
    fw = load_framework(name)
    path = tmp_path / "fw.toml"
    path.write_text(framework_toml(fw), encoding="utf-8")
    assert load_framework(path) == fw


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
keys = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)


@settings(max_examples=150, deadline=None)
@given(key=st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True), name=text, description=text, source=text,
       labels=st.lists(st.tuples(keys, text, st.integers(0, 9), st.floats(0.1, 10, allow_nan=False)),
                       min_size=1, max_size=5, unique_by=lambda t: t[0]),
       direct=st.booleans(), reason=text)
def test_any_framework_round_trips(tmp_path_factory, key, name, description, source, labels, direct, reason) -> None:
    constituencies = tuple(Constituency(k, label or k, "vcse", description=label, min_presence=n, weight=w,
                                        reaches=tuple(x[0] for x in labels if x[0] != k))
                           for k, label, n, w in labels)
    links = (ExpectedLink(labels[0][0], labels[-1][0], reason, direct),)
    fw = Framework(key, name, constituencies, links, description=description, source=source)
    path = tmp_path_factory.mktemp("fw") / "fw.toml"
    path.write_text(framework_toml(fw), encoding="utf-8")
    assert load_framework(path) == fw


def test_a_pulled_map_gets_a_file_only_when_needed(tmp_path: Path) -> None:
    builtin = load_framework("pledge")
    nmap = NetworkMap("m", "M", framework="pledge")
    assert is_builtin(nmap, builtin)
    assert keep_framework(nmap, builtin, tmp_path) is None and nmap.framework_file is None
    changed = Framework(builtin.key, builtin.name, builtin.constituencies[:-1], (), builtin.description)
    written = keep_framework(nmap, changed, tmp_path)
    assert written == tmp_path / "pledge.toml" and nmap.framework == "pledge.toml"
    assert load_framework(nmap.framework, base=tmp_path) == changed
    # with no folder: a temporary file, the map keeps the name it was pushed with
    other = NetworkMap("m", "M", framework="../elsewhere/mine.toml")
    temporary = keep_framework(other, changed)
    assert temporary is not None and other.framework_file == temporary.resolve()
    assert other.framework == "../elsewhere/mine.toml" and load_framework(temporary) == changed
    assert framework_file_name(other, changed) == "mine.toml"
    assert framework_file_name(NetworkMap("m", "M", framework="netmap.toml"), changed) == "pledge.toml"


def test_profiles_this_machine_lacks_become_the_maps_own() -> None:
    from netmap.model import Locality, PopulationProfile

    theirs = PopulationProfile("E09000099", "Imported elsewhere", {"white": 50.0, "asian": 50.0}, "E09000099")
    leeds = PopulationProfile("leeds", "Leeds as stored", {"white": 100.0})
    nmap = NetworkMap("m", "M", localities=[Locality("a", "A", "E09000099"), Locality("b", "B", "leeds")])
    assert keep_profiles(nmap, {"E09000099": theirs, "leeds": leeds, "unnamed": theirs}) == ["E09000099"]
    assert nmap.populations == {"E09000099": theirs}  # leeds is built in here; unnamed is no locality's
