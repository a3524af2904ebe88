"""Provenance: data/sources.toml, citations that resolve, and the report's list of sources."""

from __future__ import annotations

import csv
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from netmap import synthetic
from netmap.cli import main
from netmap.errors import ReferenceDataError
from netmap.resources import data_dir, sites_dir
from netmap.sources import describe, load_sources, parse_citations, read_sources, unresolved

ROOT = Path(__file__).resolve().parents[1]
DATA = data_dir()
SHEETS = ("actors.csv", "ties.csv", "spaces.csv", "memberships.csv")
#: Internal working files of the project that no user has: nothing shipped may cite them.
PRIVATE = re.compile(r"seeds/|shared/|domain\.md")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _every_citation() -> list[tuple[str, str]]:
    """(where, source text) for every sample row, population profile, census group and framework."""
    found = []
    for site in sorted(p for p in (DATA / "sites").iterdir() if p.is_dir()):
        for sheet in SHEETS:
            path = site / sheet
            if path.exists():
                found += [(f"{site.name}/{sheet}, row {i}", row["source"])
                          for i, row in enumerate(_rows(path), start=2)]
    for path in sorted((DATA / "candidates").glob("*.csv")):  # the sample candidates of netmap invite
        found += [(f"candidates/{path.name}, row {i}", row["source"]) for i, row in enumerate(_rows(path), start=2)]
    for name in ("population-profiles.csv", "ethnic-groups-2021.csv"):
        found += [(f"census/{name}, row {i}", row["source"]) for i, row in enumerate(_rows(DATA / "census" / name),
                                                                                   start=2)]
    for path in sorted((DATA / "frameworks").glob("*.toml")):
        found.append((f"frameworks/{path.name}", tomllib.loads(path.read_text(encoding="utf-8"))["source"]))
    for path in sorted((DATA / "registers").glob("*.toml")):  # the register mappings: what imported actors cite
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        if "source" in raw:
            found.append((f"registers/{path.name}", raw["source"]))
    return found


# --------------------------------------------------------------------------- the shipped data


def test_every_citation_in_data_resolves():
    citations = _every_citation()
    assert len(citations) > 1650  # the synthetic borough alone has 1,589 rows, the profiles 31
    bad = [f"{where}: {text!r}" for where, text in citations if not text.strip() or unresolved(text)]
    assert not bad, bad[:10]


def test_every_source_is_cited_and_complete():
    cited = {c.key for _, text in _every_citation() for c in parse_citations(text)}
    sources = load_sources()
    assert set(sources) == cited
    for source in sources.values():
        assert source.publisher and source.title and source.supports, source.key
        assert source.synthetic == (source.key == "netmap-synthetic")
        assert source.url.startswith("https://") or source.synthetic, source.key
    urls = [s.url for s in sources.values() if s.url]
    assert len(urls) == len(set(urls))


def test_the_public_documents_are_cited_as_published():
    sources = load_sources()
    assert sources["pledge-launch-2020"].date_text == "5 August 2020"
    assert sources["inspire-north-pledge"].publisher == "Inspire North"
    assert sources["pledge-alliance-2021"].date_text == "25 November 2021"
    census = sources["ons-census-2021-ts021"]
    assert (census.publisher, census.date_text) == ("Office for National Statistics", "29 November 2022")
    assert "TS021" in census.title and "not the table itself" in census.note  # the url is the publisher's page
    assert sources["synergi-creative-spaces"].url == "https://synergicollaborativecentre.co.uk/connect/creative-spaces/"


def test_sample_sites_cite_the_documents_that_name_their_partners():
    def keys(site: str, sheet: str) -> set[str]:
        return {c.key for row in _rows(sites_dir() / site / sheet) for c in parse_citations(row["source"])}

    for site in ("birmingham", "leeds", "manchester"):
        assert keys(site, "actors.csv") == {"synergi-creative-spaces"}
    assert keys("ariadne", "actors.csv") == {"ariadne-2024"}
    assert keys("pledge", "actors.csv") == {"pledge-launch-2020", "pledge-progress-2021", "inspire-north-pledge"}
    assert keys("pledge", "spaces.csv") == {"pledge-launch-2020", "pledge-progress-2021", "pledge-alliance-2021"}


def test_synthetic_rows_cite_the_synthetic_key_and_seed():
    assert synthetic.source_label(7) == "netmap-synthetic: seed 7"
    [citation] = parse_citations(synthetic.source_label(7))
    assert citation.source is not None and citation.source.synthetic and citation.detail == "seed 7"


def _shipped_files() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "CHANGELOG.md", ROOT / "pyproject.toml"]
    for folder in ("data", "netmap", "docs", "cypher", "visualisations/templates"):
        files += [p for p in (ROOT / folder).rglob("*") if p.is_file() and p.suffix in
                  {".py", ".md", ".toml", ".csv", ".html", ".cypher", ".txt", ".json"}]
    return files


def test_no_shipped_file_names_internal_working_files():
    files = _shipped_files()
    assert len(files) > 50
    named = [str(p.relative_to(ROOT)) for p in files if PRIVATE.search(p.read_text(encoding="utf-8"))]
    assert not named, named


@pytest.mark.parametrize("site", ["leeds", "pledge", "ariadne", "wandsworth"])
def test_no_output_names_internal_working_files(site, tmp_path):
    runner = CliRunner()
    folder = str(sites_dir() / site)
    outputs = [runner.invoke(main, [command, folder, *extra]).output
               for command, extra in (("analyse", []), ("gaps", ["--json"]), ("gaps", []))]
    assert runner.invoke(main, ["report", folder, "--out", str(tmp_path / "r.html")]).exit_code == 0
    assert runner.invoke(main, ["map", folder, "--out", str(tmp_path / "m.html")]).exit_code == 0
    outputs += [(tmp_path / name).read_text(encoding="utf-8") for name in ("r.html", "m.html")]
    for text in outputs:
        assert not PRIVATE.search(text), PRIVATE.search(text)


# --------------------------------------------------------------------------- parsing citations


def test_parse_citations_keys_details_and_free_text():
    found = parse_citations(" Synergi-Creative-Spaces ;; ons-census-2021-ts021: Leeds ; our minutes, May 2024.")
    assert [(c.key, c.detail, c.text) for c in found] == [
        ("synergi-creative-spaces", "", "Synergi-Creative-Spaces"),
        ("ons-census-2021-ts021", "Leeds", "ons-census-2021-ts021: Leeds"),
        ("", "", "our minutes, May 2024"),
    ]
    assert unresolved("synergi-creative-space; hsca-2012.") == ["synergi-creative-space"]  # a typo is free text
    assert parse_citations("") == parse_citations(" ; ") == []
    assert describe("hsca-2012; our notes") == "UK Parliament, Health and Social Care Act 2012 (c. 7); our notes"


@given(st.text(max_size=80))
def test_parse_citations_never_fails_and_keeps_every_part(text):
    found = parse_citations(text)
    parts = [p.strip().rstrip(".").strip() for p in text.split(";")]
    assert [c.text for c in found] == [p for p in parts if p]
    for c in found:
        assert (c.source is None) == (c.key == "") and (c.detail == "" or c.source is not None)


@given(st.lists(st.sampled_from(sorted(load_sources())), min_size=1, max_size=5),
       st.lists(st.text(alphabet="abc 0123456789", max_size=12), min_size=5, max_size=5))
def test_known_keys_always_resolve_with_any_detail(keys, details):
    text = "; ".join(f"{k}: {d}" if d.strip() else k for k, d in zip(keys, details, strict=False))
    assert unresolved(text) == []
    assert [c.key for c in parse_citations(text)] == keys


# --------------------------------------------------------------------------- a bad sources file


@pytest.mark.parametrize(("body", "message"), [
    ('[a-b]\ntitle = "T"\n', "source 'a-b': missing field 'publisher'"),
    ('[a-b]\npublisher = "P"\ntitle = "T"\ndate = "5 Aug 2020"\n',
     "source 'a-b', field 'date': '5 Aug 2020' is not YYYY, YYYY-MM or YYYY-MM-DD"),
    ('[a-b]\npublisher = "P"\ntitle = "T"\nurl = "http://x.org"\n',
     "source 'a-b', field 'url': 'http://x.org' must start with https://"),
    ('[a-b]\npublisher = "P"\ntitle = "T"\nlink = "x"\n', "source 'a-b': unknown field 'link'"),
    ('[A_B]\npublisher = "P"\ntitle = "T"\n', "source 'A_B': a key is lower-case letters, digits and '-'"),
    ('[a-b\n', "cannot read sources"),
])
def test_a_bad_sources_file_names_file_key_and_field(tmp_path, body, message):
    path = tmp_path / "sources.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ReferenceDataError) as err:
        read_sources(path)
    assert str(err.value).startswith(f"{path}: ") and message in str(err.value)


# --------------------------------------------------------------------------- the report


def _method(page: str) -> str:
    return page[page.index('id="method"'):]


def test_report_lists_the_sources_the_map_cites(tmp_path):
    out = tmp_path / "leeds.html"
    result = CliRunner().invoke(main, ["report", str(sites_dir() / "leeds"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    method = _method(out.read_text(encoding="utf-8"))
    # 7 actors, 1 forum and 7 memberships cite the Creative Spaces page; it is the framework's first source
    assert '<a class="ref" href="#source-synergi-creative-spaces">[1]</a> 15 rows.' in method
    assert ("<li id=\"source-synergi-creative-spaces\" value=\"1\">Synergi Collaborative Centre, “Creative Spaces: "
            "a systems approach") in method
    assert ('<a href="https://synergicollaborativecentre.co.uk/connect/creative-spaces/">'
            "https://synergicollaborativecentre.co.uk/connect/creative-spaces/</a>") in method
    census = re.search(r'<li id="source-ons-census-2021-ts021" value="(\d+)">(.*?)</li>', method)
    assert census and "Office for National Statistics, “Census 2021 table TS021: Ethnic group”, 29 November 2022." \
        in census.group(2)
    assert f'Leeds: Leeds, <a class="ref" href="#source-ons-census-2021-ts021">[{census.group(1)}]</a>' in method
    numbers = [int(n) for n in re.findall(r'<li id="source-[^"]+" value="(\d+)">', method)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) == 8


def test_report_shows_a_workspaces_own_sources_as_written(tmp_path):
    folder = tmp_path / "forum"
    shutil.copytree(sites_dir() / "leeds", folder)
    actors = (folder / "actors.csv").read_text(encoding="utf-8").splitlines()
    actors[1] = actors[1].replace(",synergi-creative-spaces,", ",our minutes; May 2024,", 1)
    actors[2] = actors[2].replace(",synergi-creative-spaces,", ",synergi-creative-space,", 1)  # a typo
    (folder / "actors.csv").write_text("\n".join(actors) + "\n", encoding="utf-8")
    out = tmp_path / "r.html"
    assert CliRunner().invoke(main, ["report", str(folder), "--out", str(out)]).exit_code == 0
    method = _method(out.read_text(encoding="utf-8"))
    assert ('<a class="ref" href="#source-synergi-creative-spaces">[1]</a> 13 rows; our minutes (1 row); '
            "May 2024 (1 row); synergi-creative-space (1 row).") in method


def test_synthetic_report_labels_its_source_synthetic(tmp_path):
    out = tmp_path / "s.html"
    assert CliRunner().invoke(main, ["report", str(sites_dir() / "synthetic-borough"), "--out", str(out)]
                              ).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert not PRIVATE.search(page)
    method = _method(page)
    assert re.search(r'<a class="ref" href="#source-netmap-synthetic">\[\d+\]</a> 1,589 rows', method)
    assert re.search(r'<li id="source-netmap-synthetic" value="\d+"><b>SYNTHETIC DATA.</b> netmap, ', method)
