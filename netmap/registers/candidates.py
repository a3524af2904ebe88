"""Register entries as actors: those working in a map's localities, as a new workspace or as invitation candidates.

``netmap import charities`` writes the register's charities as the actors of a
new workspace (:func:`import_charities`); ``netmap candidates`` lists the
registered organisations working in a map's localities that are not on the map
yet (:func:`register_candidates`), in the candidates format ``netmap invite
--candidates`` reads (:func:`write_candidates`, docs/deciding.md).

A register names the places an organisation works in its own words ("Leeds
City", "Kingston Upon Hull City"); a locality of a map is matched when its key,
its name or its population profile's name is the same place once case,
punctuation and words such as City, Borough, Council and County are set aside
(:func:`area_key`). Only local authority areas count: a charity that works
"Throughout England" works everywhere and is not a local candidate.

>>> area_key("Kingston Upon Hull City") == area_key("City of Kingston upon Hull")
True
>>> area_key("Royal Borough of Windsor and Maidenhead"), area_key("City of London")
('windsor and maidenhead', 'city of london')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from netmap.errors import ReferenceDataError, WorkspaceError
from netmap.fileio import atomic_files, csv_text, write_csv, write_text_atomically
from netmap.model import SCALES, Actor, Locality, NetworkMap
from netmap.progress import Progress
from netmap.reference import find_population, population_profiles
from netmap.registers.charities import CharitySummary, read_charities
from netmap.registers.charity_mapping import CharityMapping, load_charity_mapping
from netmap.registers.entries import RegisterEntry
from netmap.workspace.config import config_text
from netmap.workspace.names import NameIndex, normalise_name, slugify
from netmap.workspace.tables import COLUMNS, CONFIG_FILE

#: Words a register or a user may put around a place's name that do not change the place.
PLACE_WORDS = frozenset({"city", "of", "council", "borough", "metropolitan", "district", "county", "royal", "the"})
#: The register's own columns kept on every actor, after the workspace's.
REGISTER_COLUMNS = ("charity_number", "latest_income", "date_of_registration", "classification")
#: Actor columns (normalised headers) that may hold a charity number in a user's map.
CHARITY_NUMBER_COLUMNS = ("charity_number", "registered_charity_number", "charity_no", "charity_registration_number")
#: The optional column of a candidates file (netmap.decisions.invite_candidates.WORKS_WITH).
WORKS_WITH = "works_with"


def area_key(name: str) -> str:
    """A place's name with case, punctuation and words such as City or Borough set aside (see module doc)."""
    words = normalise_name(name).split()
    if words == ["city", "of", "london"] or words == ["london"]:
        return " ".join(words)  # the City is not the capital
    if words[:2] == ["london", "borough"]:
        words = words[2:]
    kept = [w for w in words if w not in PLACE_WORDS]
    return " ".join(kept or words)


class LocalityMatcher:
    """Which of a map's localities a register entry works in, by its local authority areas."""

    def __init__(self, localities: Sequence[Locality]) -> None:
        self.localities = list(localities)
        self.by_place: dict[str, str] = {}
        profiles = population_profiles()
        for loc in self.localities:
            names = [loc.key, loc.name]
            if loc.population and loc.population in profiles:
                names.append(profiles[loc.population].name)
            for name in names:
                if name.strip():
                    self.by_place.setdefault(area_key(name), loc.key)

    def match(self, entry: RegisterEntry) -> tuple[str, ...]:
        """The keys of the localities the entry works in, in the map's order."""
        found = {self.by_place.get(area_key(area)) for area in entry.areas}
        return tuple(loc.key for loc in self.localities if loc.key in found)

    def locality(self, matched: tuple[str, ...]) -> str:
        """The one locality an actor gets: "" when it works in all of several, else the first it works in."""
        if len(self.localities) > 1 and len(matched) == len(self.localities):
            return ""
        return matched[0] if matched else ""


def source_text(mapping: CharityMapping, summary: CharitySummary) -> str:
    """The source cell of every actor: the register's key and the extract's date."""
    date = summary.extract_date
    return f"{mapping.source}: extract {date}" if date else f"{mapping.source}: register extract"


def entry_actor(entry: RegisterEntry, locality: str, source: str, known: Iterable[str] | None = None) -> Actor:
    """The actor of a register entry (constituencies limited to ``known`` when given)."""
    keys = set(known) if known is not None else None
    constituencies = tuple(c for c in entry.constituencies if keys is None or c in keys)
    attributes = {column: entry.attributes.get(column, "") for column in REGISTER_COLUMNS}
    codes = entry.attributes.get("classification", "")
    notes = f"Registered charity {entry.code}; register classification: {codes or 'none'}"
    if entry.areas:
        shown = ", ".join(entry.areas[:5]) + (f" and {len(entry.areas) - 5} more" if len(entry.areas) > 5 else "")
        notes += f"; works in {shown}"
    reasons = entry.attributes.get("reasons", "")
    if reasons and constituencies:
        notes += f". {reasons.rstrip('.')}"
    scale = entry.attributes.get("scale", "")
    return Actor(id=f"charity-{entry.code}", name=entry.name, constituencies=constituencies,
                 aliases=entry.aliases, communities=entry.communities, locality=locality,
                 scale=scale if scale in SCALES else "local", source=source, notes=notes + ".",
                 attributes=attributes)


def _row(actor: Actor, extra: Sequence[str] = ()) -> list[str]:
    return [actor.id, actor.name, "; ".join(actor.constituencies), "; ".join(actor.aliases), actor.kind,
            "; ".join(actor.communities), "no", "no", actor.locality, actor.scale, actor.source, actor.notes,
            *(actor.attributes.get(c, "") for c in REGISTER_COLUMNS), *extra]


@dataclass(frozen=True)
class RegisterImport:
    """What :func:`import_charities` wrote: the folder, the actors and what reading the register did."""

    folder: Path
    actors: int
    summary: CharitySummary


def _new_localities(names: Sequence[str]) -> list[Locality]:
    localities: list[Locality] = []
    for name in names:
        try:
            population = find_population(name).key
        except ReferenceDataError:
            population = ""
        key = slugify(name)
        if key not in {loc.key for loc in localities}:
            localities.append(Locality(key, name.strip(), population))
    return localities


def import_charities(paths: Iterable[str | Path], out: str | Path, localities: Sequence[str] = (),
                     mapping: CharityMapping | str | Path | None = None,
                     progress: Progress | None = None) -> RegisterImport:
    """Write the register's charities (those working in ``localities``, if given) as a new workspace at ``out``.

    Nothing is written unless the whole register was read; a folder that
    already holds a workspace is left alone (:class:`WorkspaceError`).
    """
    folder = Path(out)
    if (folder / CONFIG_FILE).exists() or (folder / "actors.csv").exists():
        raise WorkspaceError(f"{folder}: already holds a workspace: give a new folder (netmap candidates lists the "
                             "charities missing from an existing map)")
    mapping = mapping if isinstance(mapping, CharityMapping) else load_charity_mapping(mapping)
    reader = read_charities(paths, mapping, progress)
    matcher = LocalityMatcher(_new_localities(localities))
    nmap = NetworkMap(key=slugify(folder.resolve().name), name="Registered charities" + (
        f" of {', '.join(localities)}" if localities else ""), localities=matcher.localities,
        framework=mapping.framework, description="Charities of the Charity Commission register of charities "
        "(England and Wales), imported by netmap import charities.")

    def rows() -> Iterable[list[str]]:
        for entry in reader:
            matched = matcher.match(entry)
            if localities and not matched:
                continue
            yield _row(entry_actor(entry, matcher.locality(matched), source_text(mapping, reader.summary)))

    counts: dict[str, int] = {}
    with atomic_files(folder) as staged:
        with staged.open("actors.csv") as handle:
            counts["actors"] = write_csv(handle, [*COLUMNS["actors"], *REGISTER_COLUMNS], rows())
        for table in ("ties", "spaces", "memberships"):
            with staged.open(f"{table}.csv") as handle:
                write_csv(handle, COLUMNS[table], [])
        with staged.open(CONFIG_FILE) as handle:
            handle.write(config_text(nmap))
    return RegisterImport(folder, counts["actors"], reader.summary)


@dataclass(frozen=True)
class CandidateSelection:
    """The register's organisations working in a map's localities and not on it, and how many were set aside."""

    candidates: list[Actor]
    #: entries working in the localities asked for
    in_localities: int
    #: of those, already on the map (same charity number, id or name)
    on_map: int
    #: of those, with no constituency of the map's framework and no community: nothing to add to a plan
    unclassified: int
    summary: CharitySummary | None = None


def _numbers_on_map(nmap: NetworkMap) -> set[str]:
    numbers = set()
    for actor in nmap.actors:
        for column in CHARITY_NUMBER_COLUMNS:
            value = "".join(str(actor.attributes.get(column, "")).split())
            if value:
                numbers.add(value.lstrip("0") or "0")
    return numbers


def select_candidates(nmap: NetworkMap, entries: Iterable[RegisterEntry], source: str | Callable[[], str] = "", *,
                      localities: Sequence[str] = (), known: Sequence[str] | None = None) -> CandidateSelection:
    """The entries working in the map's localities (or those of ``localities``, by key or name) not on the map.

    ``source`` is every candidate's source cell (or a function giving it, asked
    for each candidate); ``known`` the constituencies of the map's framework
    (others are left out). Candidates come ordered by constituency (in
    ``known``'s order), those serving a named community first, then by name.
    """
    wanted = list(nmap.localities)
    if localities:
        asked = {area_key(name) for name in localities}
        wanted = [loc for loc in nmap.localities if area_key(loc.key) in asked or area_key(loc.name) in asked]
        if not wanted:
            raise WorkspaceError(f"no locality of the map is called {', '.join(localities)} (netmap.toml lists: "
                                 f"{', '.join(loc.key for loc in nmap.localities) or 'none'})")
    if not wanted:
        raise WorkspaceError(f"the map {nmap.key} lists no localities in its netmap.toml: add [[localities]] with "
                             "the local authority each covers, so the register's areas of operation can be matched")
    matcher = LocalityMatcher(wanted)
    index, numbers = NameIndex(nmap.actors), _numbers_on_map(nmap)
    order = {key: i for i, key in enumerate(known or ())}
    found: list[Actor] = []
    in_localities = on_map = unclassified = 0
    for entry in entries:
        matched = matcher.match(entry)
        if not matched:
            continue
        in_localities += 1
        if (entry.attributes.get("charity_number", entry.code).lstrip("0") in numbers
                or index.resolve(f"charity-{entry.code}") or index.resolve(entry.name)
                or any(index.resolve(alias) for alias in entry.aliases)):
            on_map += 1
            continue
        cell = source() if callable(source) else source
        actor = entry_actor(entry, matcher.locality(matched) if len(nmap.localities) > 1 else matched[0],
                            cell or entry.register, known)
        if not actor.constituencies and not actor.communities:
            unclassified += 1
            continue
        found.append(actor)
    found.sort(key=lambda a: (order.get(a.constituencies[0], len(order)) if a.constituencies else len(order) + 1,
                              not a.communities, normalise_name(a.name), a.id))
    return CandidateSelection(found, in_localities, on_map, unclassified)


def register_candidates(nmap: NetworkMap, paths: Iterable[str | Path], *, localities: Sequence[str] = (),
                        known: Sequence[str] | None = None, mapping: CharityMapping | str | Path | None = None,
                        progress: Progress | None = None) -> CandidateSelection:
    """The charities of an extract working in the map's localities and not on it (see :func:`select_candidates`)."""
    mapping = mapping if isinstance(mapping, CharityMapping) else load_charity_mapping(mapping)
    reader = read_charities(paths, mapping, progress)
    chosen = select_candidates(nmap, reader, lambda: source_text(mapping, reader.summary), localities=localities,
                               known=known)
    return CandidateSelection(chosen.candidates, chosen.in_localities, chosen.on_map, chosen.unclassified,
                              reader.summary)


def candidates_csv_rows(actors: Iterable[Actor]) -> Iterable[list[str]]:
    """The rows of a candidates file (``works_with`` left empty: only the convenor knows those ties)."""
    return (_row(actor, [""]) for actor in actors)


def write_candidates(path: str | Path, actors: Sequence[Actor]) -> Path:
    """Write candidates in the format ``netmap invite --candidates`` reads (an actors table plus ``works_with``)."""
    header = [*COLUMNS["actors"], *REGISTER_COLUMNS, WORKS_WITH]
    return write_text_atomically(path, csv_text(header, candidates_csv_rows(actors)))
