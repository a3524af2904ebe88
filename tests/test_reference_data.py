"""The reference data and sample maps shipped under ``data/``, and the synthetic generator."""

from __future__ import annotations

import csv
import re
import tomllib
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from netmap import synthetic
from netmap.model import ACTOR_KINDS, MEMBERSHIP_ROLES, SCALES, SECTORS, SPACE_KINDS
from netmap.reference import available_frameworks, census_groups, load_framework, population_profiles
from netmap.resources import data_dir
from netmap.sources import parse_citations, unresolved

DATA = data_dir()
SITES = DATA / "sites"
SEED_SITES = ("ariadne", "birmingham", "leeds", "manchester", "pledge", "wandsworth")
WHOLE_SYSTEM_KEYS = (
    "nhs_mental_health", "commissioner", "primary_care", "local_authority", "housing", "police_justice",
    "education", "employment_welfare", "vcse_provider", "vcse_infrastructure", "community_group",
    "faith_group", "service_user_led", "carer_led", "advocacy_activism", "patient_voice", "arts_culture",
    "academic_research", "national_body_funder",
)
REQUIRED_LINKS = (
    ("commissioner", "vcse_provider"), ("commissioner", "community_group"),
    ("nhs_mental_health", "service_user_led"), ("nhs_mental_health", "community_group"),
    ("nhs_mental_health", "carer_led"), ("nhs_mental_health", "police_justice"),
    ("nhs_mental_health", "primary_care"), ("local_authority", "vcse_infrastructure"),
    ("commissioner", "patient_voice"), ("nhs_mental_health", "academic_research"),
    ("community_group", "faith_group"), ("local_authority", "housing"),
)
HIGH_NAMES = {
    "asian": "Asian, Asian British or Asian Welsh",
    "black": "Black, Black British, Black Welsh, Caribbean or African",
    "mixed": "Mixed or Multiple ethnic groups",
    "white": "White",
    "other": "Other ethnic group",
}
DETAILED = {
    "bangladeshi": ("asian", "Bangladeshi"), "chinese": ("asian", "Chinese"), "indian": ("asian", "Indian"),
    "pakistani": ("asian", "Pakistani"), "other_asian": ("asian", "Other Asian"),
    "african": ("black", "African"), "caribbean": ("black", "Caribbean"),
    "other_black": ("black", "Other Black"),
    "white_and_asian": ("mixed", "White and Asian"),
    "white_and_black_african": ("mixed", "White and Black African"),
    "white_and_black_caribbean": ("mixed", "White and Black Caribbean"),
    "other_mixed": ("mixed", "Other Mixed or Multiple"),
    "white_british": ("white", "English, Welsh, Scottish, Northern Irish or British"),
    "irish": ("white", "Irish"), "gypsy_or_irish_traveller": ("white", "Gypsy or Irish Traveller"),
    "roma": ("white", "Roma"), "other_white": ("white", "Other White"),
    "arab": ("other", "Arab"), "any_other": ("other", "Any other ethnic group"),
}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def split(cell: str | None) -> list[str]:
    return [p.strip() for p in (cell or "").split(";") if p.strip()]


def site_dirs() -> list[Path]:
    return sorted(p for p in SITES.iterdir() if (p / "netmap.toml").is_file())


def site_config(site: Path) -> dict:
    return tomllib.loads((site / "netmap.toml").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- frameworks


def test_frameworks_are_shipped():
    assert {"whole-system", "creative-spaces", "pledge"} <= set(available_frameworks())


def test_whole_system_keys_and_fields():
    fw = load_framework("whole-system")
    assert fw.keys == WHOLE_SYSTEM_KEYS
    assert fw.source and not unresolved(fw.source)
    assert {c.key for c in parse_citations(fw.source)} >= {"synergi-creative-spaces", "pledge-launch-2020",
                                                           "nhse-pcref-2023", "ariadne-2024"}
    for c in fw.constituencies:
        assert c.label and c.description and c.sector in SECTORS
        assert c.min_presence >= 1 and c.weight > 0
    sectors = {c.key: c.sector for c in fw.constituencies}
    for key in ("community_group", "faith_group", "service_user_led", "carer_led", "advocacy_activism"):
        assert sectors[key] == "community"
    assert sectors["patient_voice"] == "statutory"
    assert sectors["vcse_provider"] == sectors["vcse_infrastructure"] == "vcse"
    assert sectors["academic_research"] == "academic"
    assert sectors["national_body_funder"] == "statutory"
    assert fw.get("vcse_provider").min_presence == fw.get("community_group").min_presence == 2
    for key in ("service_user_led", "carer_led", "community_group", "nhs_mental_health", "commissioner"):
        assert fw.get(key).weight > 1.0


def test_whole_system_expected_links():
    fw = load_framework("whole-system")
    links = {link.key for link in fw.expected_links}
    for a, b in REQUIRED_LINKS:
        assert tuple(sorted((a, b))) in links
    for link in fw.expected_links:
        assert link.a in fw.keys and link.b in fw.keys and link.a != link.b
        assert link.reason


@pytest.mark.parametrize("key", ["creative-spaces", "pledge"])
def test_other_frameworks_use_whole_system_keys(key):
    fw = load_framework(key)
    whole = load_framework("whole-system")
    assert set(fw.keys) <= set(whole.keys)
    assert fw.expected_links and fw.source and not unresolved(fw.source)
    for c in fw.constituencies:
        assert c.sector == whole.get(c.key).sector
    for link in fw.expected_links:
        assert link.a in fw.keys and link.b in fw.keys and link.reason


def test_creative_spaces_and_pledge_hold_the_named_constituencies():
    cs = set(load_framework("creative-spaces").keys)
    assert {"service_user_led", "carer_led", "vcse_provider", "commissioner", "academic_research",
            "advocacy_activism", "community_group", "local_authority", "arts_culture"} <= cs
    pledge = set(load_framework("pledge").keys)
    assert {"nhs_mental_health", "commissioner", "local_authority", "national_body_funder", "community_group",
            "service_user_led", "vcse_provider", "academic_research"} <= pledge


# --------------------------------------------------------------------------- census


def test_census_groups_exact_names():
    groups = census_groups()
    high = {k: g for k, g in groups.items() if g.level == "high"}
    detailed = {k: g for k, g in groups.items() if g.level == "detailed"}
    assert len(high) == 5 and len(detailed) == 19 and len(groups) == 24
    for key, name in HIGH_NAMES.items():
        assert high[key].name == name and high[key].ons_name == name and high[key].parent == ""
    for key, (parent, name) in DETAILED.items():
        g = detailed[key]
        assert (g.parent, g.name) == (parent, name)
        assert g.ons_name.startswith(HIGH_NAMES[parent] + ": ")
    # TS021 spells the detailed groups out in full
    assert detailed["other_mixed"].ons_name == (
        "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups")
    assert detailed["white_british"].ons_name == "White: English, Welsh, Scottish, Northern Irish or British"
    assert detailed["any_other"].ons_name == "Other ethnic group: Any other ethnic group"


def test_population_profiles():
    profiles = population_profiles()
    codes = {"england-and-wales": "K04000001", "birmingham": "E08000025", "manchester": "E08000003",
             "leeds": "E08000035", "coventry": "E08000026", "tower-hamlets": "E09000030",
             "newham": "E09000025"}
    assert set(profiles) == set(codes)
    high = {k for k, g in census_groups().items() if g.level == "high"}
    for key, profile in profiles.items():
        assert profile.geography_code == codes[key]
        assert profile.source == "ons-census-2021-ts021"
        assert abs(sum(profile.shares.values()) - 100.0) <= 0.2, key
        for group in profile.shares:
            assert set(group.split("+")) <= high, group
    assert profiles["birmingham"].shares == {"white": 48.6, "asian": 31.0, "black": 11.0, "mixed": 4.8,
                                             "other": 4.5}
    assert profiles["leeds"].shares == {"white": 79.0, "asian": 9.7, "black": 5.6, "mixed+other": 5.7}
    assert profiles["newham"].shares["mixed+other"] == 9.6


# --------------------------------------------------------------------------- sample sites


def test_all_sites_present():
    names = {p.name for p in site_dirs()}
    assert set(SEED_SITES) | {"synthetic-borough"} <= names


@pytest.fixture(params=[p.name for p in site_dirs()])
def site(request) -> Path:
    return SITES / request.param


def test_site_files_and_sources(site):
    config = site_config(site)
    assert config["map"] == site.name and config["name"]
    assert config["framework"] in available_frameworks()
    seed_site = site.name in SEED_SITES
    for name in ("actors.csv", "spaces.csv", "memberships.csv", "ties.csv"):
        path = site / name
        if name == "ties.csv" and not path.exists():
            continue
        rows = read_csv(path)
        with path.open(encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        assert "source" in header, path
        for number, row in enumerate(rows, start=2):
            citations = parse_citations(row["source"])
            assert citations and all(c.source for c in citations), f"{path}:{number}: {row['source']!r}"
            synthetic_rows = [c.source.synthetic for c in citations]
            if seed_site:
                assert not any(synthetic_rows), f"{path}:{number}"
            else:
                assert [(c.key, c.detail) for c in citations] == [("netmap-synthetic", "seed 7")], f"{path}:{number}"


def test_site_rows_are_consistent(site):
    config = site_config(site)
    framework = load_framework(config["framework"])
    whole = set(WHOLE_SYSTEM_KEYS)
    groups = census_groups()
    profiles = population_profiles()
    localities = {loc["key"] for loc in config["localities"]}
    for loc in config["localities"]:
        if loc.get("population"):
            assert loc["population"] in profiles
    actors = read_csv(site / "actors.csv")
    ids = [a["id"] for a in actors]
    assert len(ids) == len(set(ids))
    for a in actors:
        assert re.fullmatch(r"[A-Za-z0-9._-]+", a["id"]) and a["name"]
        for key in split(a["constituencies"]):
            assert key in whole, (a["id"], key)
            assert key in framework.keys, (a["id"], key, framework.key)
        for community in split(a["communities"]):
            assert community in groups, (a["id"], community)
        assert a["kind"] in ACTOR_KINDS
        assert a["scale"] in SCALES
        assert a["locality"] == "" or a["locality"] in localities
        for flag in ("led_by_community", "lived_experience_led"):
            assert a[flag] in ("", "yes", "no")
    spaces = read_csv(site / "spaces.csv")
    space_ids = {s["id"] for s in spaces}
    for s in spaces:
        assert s["kind"] in SPACE_KINDS and (s["locality"] == "" or s["locality"] in localities)
    for m in read_csv(site / "memberships.csv"):
        assert m["actor"] in ids and m["space"] in space_ids and m["role"] in MEMBERSHIP_ROLES
    ties = site / "ties.csv"
    if ties.exists():
        for t in read_csv(ties):
            assert t["from"] in ids and t["to"] in ids
    for ego in config.get("ego", []):
        assert ego in ids


def test_sites_validate(site):
    ingest = pytest.importorskip("netmap.workspace")
    report = ingest.validate_workspace(site)
    errors = [p for p in report.problems if p.severity == "error"]
    assert not errors, errors
    # the seed maps also validate against the whole-system framework
    report = ingest.validate_workspace(site, "whole-system")
    assert not [p for p in report.problems if p.severity == "error"]


def test_seed_sites_have_no_ties_the_seeds_do_not_state():
    for name in SEED_SITES:
        path = SITES / name / "ties.csv"
        assert not path.exists() or read_csv(path) == []


def test_leeds():
    actors = {a["id"]: a for a in read_csv(SITES / "leeds" / "actors.csv")}
    held = Counter(k for a in actors.values() for k in split(a["constituencies"]))
    assert held["service_user_led"] == 0 and held["academic_research"] == 0
    assert held["commissioner"] >= 1 and held["nhs_mental_health"] >= 1
    assert split(actors["lypft"]["constituencies"]) == ["nhs_mental_health"]
    assert split(actors["leeds-ccg"]["constituencies"]) == ["commissioner"]
    assert split(actors["forum-central"]["constituencies"]) == ["vcse_infrastructure"]
    gate = actors["leeds-gate"]
    assert split(gate["constituencies"]) == ["community_group", "advocacy_activism"]
    assert split(gate["communities"]) == ["gypsy_or_irish_traveller"] and gate["led_by_community"] == "yes"
    assert split(actors["touchstone"]["constituencies"]) == ["vcse_provider", "housing"]
    members = read_csv(SITES / "leeds" / "memberships.csv")
    assert {m["actor"] for m in members} == set(actors)


def test_manchester_and_pledge_judgements():
    manchester = {a["id"]: a for a in read_csv(SITES / "manchester" / "actors.csv")}
    assert manchester["lmcp"]["constituencies"] == "" and manchester["lmcp"]["notes"]
    assert split(manchester["cahn"]["communities"]) == ["african", "caribbean"]
    pledge = {a["id"]: a for a in read_csv(SITES / "pledge" / "actors.csv")}
    assert pledge["sashidharan"]["kind"] == "individual"
    config = site_config(SITES / "pledge")
    assert config["framework"] == "pledge" and set(config["ego"]) == {"swlstg", "inspire-north"}
    roles = {(m["actor"], m["space"]): m["role"] for m in read_csv(SITES / "pledge" / "memberships.csv")}
    assert roles[("swlstg", "national-pledge")] == roles[("inspire-north", "national-pledge")] == "signatory"
    assert roles[("synergi", "national-pledge")] == roles[("synergi", "pledge-alliance")] == "convenor"
    wandsworth = site_config(SITES / "wandsworth")
    assert not wandsworth["localities"][0].get("population")


# --------------------------------------------------------------------------- synthetic borough


@pytest.fixture(scope="module")
def borough():
    return synthetic.generate()


def _graph(nmap) -> nx.Graph:
    G = nx.Graph()
    G.add_nodes_from(a.id for a in nmap.actors)
    G.add_edges_from((t.from_id, t.to_id) for t in nmap.ties)
    return G


def test_synthetic_is_deterministic(borough):
    assert synthetic.generate() == borough
    assert synthetic.generate(200, seed=3) == synthetic.generate(200, seed=3)
    assert synthetic.generate(200, seed=3) != synthetic.generate(200, seed=4)


def test_synthetic_rejects_tiny_maps():
    with pytest.raises(ValueError):
        synthetic.generate(10)


def test_synthetic_shape(borough):
    n = len(borough.actors)
    assert n == synthetic.DEFAULT_ACTORS
    assert len({a.id for a in borough.actors}) == n
    assert len({a.name.lower() for a in borough.actors}) == n
    primary = Counter(a.constituencies[0] for a in borough.actors)
    fw = load_framework("whole-system")
    statutory = sum(v for k, v in primary.items() if fw.get(k).sector == "statutory")
    assert primary["vcse_provider"] + primary["community_group"] > n / 2
    assert statutory < 0.2 * n
    assert 1 <= primary["nhs_mental_health"] <= 5 and 1 <= primary["commissioner"] <= 3
    assert [loc.population for loc in borough.localities] == ["birmingham"] * 3
    assert "SYNTHETIC" in borough.name and "SYNTHETIC" in borough.description
    src = synthetic.source_label(synthetic.DEFAULT_SEED)
    for rows in (borough.actors, borough.ties, borough.spaces, borough.memberships):
        assert rows and all(r.source == src for r in rows)
    ids = {a.id for a in borough.actors}
    for t in borough.ties:
        assert t.from_id in ids and t.to_id in ids and t.from_id != t.to_id
    assert len({t.key for t in borough.ties}) == len(borough.ties)
    space_ids = {s.id for s in borough.spaces}
    assert {"vcse-alliance", "hwb", "mh-board"} == space_ids
    for m in borough.memberships:
        assert m.actor_id in ids and m.space_id in space_ids
    for a in borough.actors:
        assert set(a.constituencies) <= set(fw.keys)
        assert set(a.communities) <= set(census_groups())


def test_synthetic_structure(borough):
    G = _graph(borough)
    assert 0.02 <= nx.density(G) <= 0.05
    in_spaces = {m.actor_id for m in borough.memberships}
    isolates = [a for a in nx.isolates(G) if a not in in_spaces]
    assert len(isolates) >= 2
    assert len(list(nx.articulation_points(G))) >= 3
    types = Counter(t.type for t in borough.ties)
    for kind in ("partnership", "commissions", "funds", "refers_to", "co_produces", "shares_information"):
        assert types[kind] > 0
    assert all(t.directed for t in borough.ties if t.type in ("commissions", "funds", "refers_to"))
    by_id = borough.actor_index()
    funders = Counter(t.to_id for t in borough.ties if t.type in ("commissions", "funds"))
    single = [a for a, k in funders.items() if k == 1 and by_id[a].constituencies[0] == "vcse_provider"]
    assert len(single) >= 10
    # partnership web mostly within a neighbourhood
    local = [t for t in borough.ties if t.type == "partnership"
             and by_id[t.from_id].locality and by_id[t.to_id].locality]
    same = sum(by_id[t.from_id].locality == by_id[t.to_id].locality for t in local)
    assert same > 0.7 * len(local)


def test_synthetic_gaps(borough):
    fw = load_framework("whole-system")
    held = Counter(k for a in borough.actors for k in a.constituencies)
    assert held["police_justice"] == 0
    assert held["carer_led"] == 1
    assert 0 < held["service_user_led"] < fw.get("service_user_led").min_presence
    communities = Counter(c for a in borough.actors for c in a.communities)
    assert communities["roma"] == communities["arab"] == 0
    assert communities[synthetic.UNFUNDED_COMMUNITY] > 0
    by_id = borough.actor_index()
    funded = {t.to_id for t in borough.ties if t.type in ("commissions", "funds")}
    assert not [a for a in funded if synthetic.UNFUNDED_COMMUNITY in by_id[a].communities]
    kinds = {a.id: a.constituencies[0] for a in borough.actors}
    pairs = {frozenset((kinds[t.from_id], kinds[t.to_id])) for t in borough.ties}
    assert frozenset(("nhs_mental_health", "carer_led")) not in pairs
    for a, b in REQUIRED_LINKS:
        if "police_justice" not in (a, b) and "carer_led" not in (a, b):
            assert frozenset((a, b)) in pairs, (a, b)


def test_synthetic_workspace_matches_committed_sample(tmp_path):
    counts = synthetic.write_workspace(tmp_path)
    assert counts["actors"] == synthetic.DEFAULT_ACTORS
    committed = SITES / "synthetic-borough"
    for name in ("netmap.toml", "actors.csv", "ties.csv", "spaces.csv", "memberships.csv"):
        assert (tmp_path / name).read_bytes() == (committed / name).read_bytes(), name
    assert not list(tmp_path.glob(".*.tmp"))


def test_synthetic_main_streams_the_requested_ties(tmp_path, capsys):
    out = tmp_path / "big"
    assert synthetic.main(["--out", str(out), "--actors", "2000", "--ties", "20000", "--seed", "11"]) == 0
    assert "20000 ties" in capsys.readouterr().out
    ties = read_csv(out / "ties.csv")
    assert len(ties) == 20000
    assert {t["directed"] for t in ties} <= {"yes", "no"}
    actors = read_csv(out / "actors.csv")
    assert len(actors) == 2000
    assert {a["led_by_community"] for a in actors} <= {"yes", "no"}
    assert any("; " in a["constituencies"] for a in actors)
    assert synthetic.main(["--out", str(out), "--actors", "5"]) == 2


def test_synthetic_write_workspace_checks_its_arguments_before_writing(tmp_path):
    for actors, ties in ((synthetic.MIN_ACTORS - 1, None), (synthetic.MIN_ACTORS, -1)):
        with pytest.raises(ValueError):
            synthetic.write_workspace(tmp_path / "out", actors, ties, 1)
    assert not (tmp_path / "out").exists()


def test_synthetic_runs_as_a_module(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "netmap.synthetic", "--out", str(tmp_path / "b"), "--actors",
                           "60", "--seed", "2"], capture_output=True, text=True, check=True)
    assert done.stdout == f"wrote {tmp_path / 'b'}: 60 actors, 53 ties, 3 spaces, 30 memberships\n"
    assert done.stderr == ""
