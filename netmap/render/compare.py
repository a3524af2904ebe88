"""A comparison of two snapshots in words: the headline paragraph and the terminal text of ``netmap compare``.

:func:`headline` says what moved in one plain-English paragraph with the
numbers a funder can quote (partners, ties, seats in shared spaces, gaps
closed and opened, the largest changes in a constituency's voice, and which
changes a permutation test finds larger than chance). :func:`comparison_text`
is what ``netmap compare A B`` prints: the headline, then each kind of change
in a section, readable in 100 columns. The progress report
(:mod:`netmap.render.progress_report`) uses the same words.

Names are shown as the results carry them: a result that hides individuals
behind pseudonyms is shown with the pseudonyms.

>>> from netmap.decisions.compare import Comparison
>>> from types import SimpleNamespace
>>> r = SimpleNamespace(nmap=SimpleNamespace(actors=[1, 2], localities=[], name="x"),
...                     analysis=SimpleNamespace(summary={"direct_ties": 1}), findings=[])
>>> headline(Comparison(before=r, after=r, before_label="2020", after_label="2021"))
'Between 2020 and 2021 nothing changed: the same 2 partners, the same ties and the same gaps.'
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from netmap.decisions.compare_gaps import LEFT_THE_MAP, LOST_ONLY_CONTACT, LOST_ONLY_FUNDER, MOVED_TIE_CLOSED
from netmap.render.report_figures import join_words
from netmap.render.words import NOT_AVAILABLE, is_missing, plural
from netmap.snapshots import canonical_id

if TYPE_CHECKING:
    from netmap.decisions.compare import ActorChange, Comparison, FindingChange, MeasureChange, TieChange
    from netmap.result import Result

__all__ = ["WIDTH", "comparison_text", "comparison_title", "count_words", "finding_name", "headline", "measure_value",
           "signed_change"]

#: Whole-network measures that count something (shown whole); every other measure has 3 decimal places.
COUNT_MEASURES = frozenset({"components", "largest_component", "isolates", "actors", "diameter", "direct_ties",
                            "tied_pairs", "shared_space_ties"})

#: Columns the terminal text is written for.
WIDTH = 100

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")

#: A voice change smaller than this (a share of the network's centrality) is not news.
VOICE_NEWS = 0.01

#: Gaps named in the headline per status before "among them".
HEADLINE_GAPS = 3

#: Items listed per group in the terminal before "and N more".
TEXT_LIST_MAX = 15


def count_words(n: int, word: str, many: str | None = None, *, capital: bool = False) -> str:
    """``n`` ``word`` with small counts in words (``"two gaps"``, ``"no tie"``), larger ones in figures.

    >>> count_words(2, "gap"), count_words(1, "gap"), count_words(0, "tie"), count_words(12, "gap")
    ('two gaps', 'one gap', 'no ties', '12 gaps')
    >>> count_words(3, "constituency", "constituencies", capital=True)
    'Three constituencies'
    """
    if 0 <= n < len(_NUMBER_WORDS):
        text = f"{_NUMBER_WORDS[n]} {word if n == 1 else (many or word + 's')}"
    else:
        text = plural(n, word, many)
    return text[:1].upper() + text[1:] if capital else text


def _mid(label: str) -> str:
    """A label inside a sentence: ``"Density"`` becomes ``"density"``, ``"E-I index"`` stays."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _pct(value: float | None) -> str:
    """A share as a percentage: one decimal below 10% (a partner of 300 is 0.3%, not 0%)."""
    if is_missing(value):
        return NOT_AVAILABLE
    number = 100 * float(value)  # type: ignore[arg-type]
    return f"{number:.1f}%" if 0 < abs(number) < 9.95 else f"{number:.0f}%"


# --------------------------------------------------------------------------- findings in few words


def _place(result: Result, locality: str) -> str:
    if len(result.nmap.localities) <= 1 or not locality:
        return ""
    names = {loc.key: loc.name for loc in result.nmap.localities}
    return f" in {names.get(locality, locality)}"


def _finding_data(c: Comparison, f: FindingChange) -> dict[str, Any]:
    """The numbers behind a matched finding, from the snapshot it was last seen in."""
    for result in ((c.before, c.after) if f.status == "closed" else (c.after, c.before)):
        for g in getattr(result, "findings", []):
            if (g.rule, g.locality, g.subject) == (f.rule, f.locality, f.subject):
                return dict(g.data or {})
    return {}


def finding_name(c: Comparison, f: FindingChange) -> str:
    """A few words naming a gap, for the headline: ``"Carer-led group absent"``, ``"no tie between A and B"``."""
    result = c.before if f.status == "closed" else c.after
    fw = getattr(result, "framework", None)

    def label(key: str) -> str:
        return fw.label(key) if fw is not None and key else key

    d = _finding_data(c, f)
    name = str(d.get("name") or "")
    reason = d.get("reason")
    words = {
        "absent_constituency": f"{label(f.subject)} absent",
        "under_represented": f"{label(f.subject)} below the minimum",
        "peripheral_constituency": f"{label(f.subject)} on the edge",
        "missing_link": (f"no tie between {label(str(d['a']))} and {label(str(d['b']))}"
                         if d.get("a") and d.get("b") else ""),
        "community_coverage": f"too little voice for {name} communities" if name else "",
        "isolate": f"{name} with no ties" if name else "",
        "ego_gap": f"gaps around {name}" if name else "",
    }.get(f.kind, "")
    if f.kind == "fragility" and name:
        words = {"cut_vertex": f"{name} holding part of the system together alone",
                 "single_funder": f"{name} depending on a single funder",
                 "single_statutory_contact": f"{name} with only one statutory contact"}.get(str(reason), "")
    names = d.get("names")
    if f.kind == "fragility" and reason == "bridge" and isinstance(names, list) and len(names) == 2:
        words = f"the single tie between {names[0]} and {names[1]} holding part of the system together"
    if not words:  # the message's first clause
        first = f.message.split(". ")[0].split("; ")[0].split(": ")[0].rstrip(".")
        words = first if len(first) <= 90 else first[:89].rstrip() + "…"
        return words
    return words + _place(result, f.locality)


# --------------------------------------------------------------------------- the headline


def _partners(c: Comparison) -> str:
    before, after = len(c.before.nmap.actors), len(c.after.nmap.actors)
    joined, left = len(c.joined), len(c.left)
    moves = ("none joined or left" if not joined and not left else
             f"{joined:,} joined, {'none' if not left else f'{left:,}'} left")
    if before == after:
        return f"the network stayed at {plural(after, 'partner')} ({moves})"
    verb = "grew" if after > before else "shrank"
    return f"the network {verb} from {before:,} to {plural(after, 'partner')} ({moves})"


def _with_leavers(c: Comparison) -> str:
    """``", 24 of them with the 3 partners who left"``: how many ended ties went with the partners who left."""
    gone = {canonical_id(a.id) for a in c.left}
    n = sum(1 for t in c.ended if canonical_id(t.from_id) in gone or canonical_id(t.to_id) in gone)
    if not n:
        return ""
    who = "the partner who left" if len(c.left) == 1 else f"the {len(c.left):,} partners who left"
    if len(c.ended) == 1:
        return f", with {who}"
    return f", {'all' if n == len(c.ended) else f'{n:,}'} of them with {who}"


def _ties(c: Comparison) -> str:
    formed, ended = len(c.formed), len(c.ended)
    if not formed and not ended:
        return "no direct tie formed or ended"
    if formed and ended:
        return f"{plural(formed, 'direct tie')} formed and {ended:,} ended{_with_leavers(c)}"
    return f"{plural(formed or ended, 'direct tie')} {'formed' if formed else 'ended'}{_with_leavers(c)}"


def _seats(c: Comparison) -> str:
    started, ended = c.memberships_started, c.memberships_ended
    if not started and not ended:
        return ""
    bits = []
    if started:
        bits.append("one partner took a new seat in a forum, board or pledge" if len(started) == 1 else
                    f"{count_words(len(started), 'new seat')} in forums, boards or pledges were taken up")
    if ended:
        bits.append(f"{count_words(len(ended), 'seat')} {'was' if len(ended) == 1 else 'were'} given up")
    text = " and ".join(bits)
    named = [f"{m.actor_name} joined {m.space_name}" for m in started] + \
            [f"{m.actor_name} left {m.space_name}" for m in ended]
    if len(named) <= 3:
        text += ": " + "; ".join(named)
    return text[:1].upper() + text[1:] + "."


#: Why closed gaps are not progress, in the headline's words, by the sentence a finding carries.
_NOT_PROGRESS_WORDS = {
    LEFT_THE_MAP: "the organisation concerned left the map",
    LOST_ONLY_FUNDER: "the organisation lost its only funder or statutory contact",
    LOST_ONLY_CONTACT: "the organisation lost its only funder or statutory contact",
    MOVED_TIE_CLOSED: "a single tie moved to another partner, so the same actors still hang by one tie",
}


def _closed_word(items: Sequence[FindingChange]) -> str:
    """``"closed"`` with how many of the gaps closed are not progress, and why."""
    gone = [f for f in items if f.not_progress]
    if not gone:
        return "closed"
    order = list(_NOT_PROGRESS_WORDS)
    reasons = sorted({f.not_progress for f in gone}, key=lambda r: (order.index(r) if r in order else len(order), r))
    causes = list(dict.fromkeys(_NOT_PROGRESS_WORDS.get(r, r) for r in reasons))
    cause = ", or ".join(causes)
    if len(gone) == len(items) == 1:
        return f"closed but not by progress ({cause})"
    if len(gone) == len(items):
        return f"closed, none by progress (in each, {cause})"
    other = "the other" if len(gone) == 1 else f"the other {len(gone):,}"
    return f"closed ({len(items) - len(gone):,} by progress; in {other}, {cause})"


def _opened_word(items: Sequence[FindingChange]) -> str:
    """``"opened"`` with how many of the gaps opened are progress or the same gap as before, and why."""
    first = sum(1 for f in items if f.progress_opened)
    moved = sum(1 for f in items if f.not_new and not f.progress_opened)
    if not first and not moved:
        return "opened"
    if len(items) == 1:
        return ("opened, but it is progress (an organisation gained its first funder or statutory contact where "
                "there was none)" if first else
                "opened, but it is no new gap (a single tie moved to another partner: the same actors hung by one "
                "tie before)")
    bits = []
    if first:
        bits.append(f"{first:,} of them progress: a first funder or statutory contact where there was none")
    if moved:
        bits.append(f"{moved:,} no new gap: a single tie moved to another partner")
    return f"opened ({'; '.join(bits)})"


def _gaps(c: Comparison) -> list[str]:
    out = []
    for status in ("closed", "opened"):
        items = [f for f in c.findings if f.status == status]
        if not items:
            continue
        real = [f for f in items if not (f.not_progress or f.not_new)]  # named first: the changes that count
        names = [finding_name(c, f) for f in [*_spread(real), *_spread([f for f in items if f not in real])]]
        noun = count_words(len(items), "gap", capital=True)
        if status == "opened" and out:  # "Two gaps closed: ... One opened: ..."
            noun = count_words(len(items), "gap", capital=True).rsplit(" ", 1)[0]
        word = _closed_word(items) if status == "closed" else _opened_word(items)
        if len(names) <= HEADLINE_GAPS:
            out.append(f"{noun} {word}: {join_words(names)}.")
        else:
            out.append(f"{noun} {word}, among them {join_words(names[:HEADLINE_GAPS])}.")
    if not out and c.findings:
        return [f"No gap closed or opened; {count_words(len(c.unchanged), 'gap')} "
                f"{'remains' if len(c.unchanged) == 1 else 'remain'}."]
    if out and c.unchanged:
        out.append(f"{count_words(len(c.unchanged), 'other gap', capital=True)} "
                   f"{'remains' if len(c.unchanged) == 1 else 'remain'}.")
    return out


def _voice(c: Comparison) -> str:
    """The largest rise and fall in a constituency's voice, each beside its share of partners as main members."""
    moved = [k for k in c.constituencies if abs(k.voice_after - k.voice_before) >= VOICE_NEWS]
    rise = max(moved, key=lambda k: k.voice_after - k.voice_before, default=None)
    fall = min(moved, key=lambda k: k.voice_after - k.voice_before, default=None)
    bits = []
    for k, verb in ((rise, "rose"), (fall, "fell")):
        if k is None or (verb == "rose") != (k.voice_after > k.voice_before):
            continue
        same = _pct(k.primary_share_before) == _pct(k.primary_share_after)
        if not bits:
            share = (f"stayed at {_pct(k.primary_share_after)}" if same else
                     f"went from {_pct(k.primary_share_before)} to {_pct(k.primary_share_after)}")
            bits.append(f"The voice of the {k.label} constituency (the share of the network's centrality held by "
                        f"partners whose main constituency it is) {verb} from {_pct(k.voice_before)} to "
                        f"{_pct(k.voice_after)}, while its share of partners as their main constituency {share}")
        else:
            share = (f"staying at {_pct(k.primary_share_after)}" if same else
                     f"from {_pct(k.primary_share_before)} to {_pct(k.primary_share_after)}")
            bits.append(f"that of {k.label} {verb} from {_pct(k.voice_before)} to {_pct(k.voice_after)}, its "
                        f"share of partners {share}")
    return "; ".join(bits) + "." if bits else ""


def _spread(items: Sequence[FindingChange]) -> list[FindingChange]:
    """The gaps to name first: the most serious of each kind, then the rest, most serious first."""
    order = sorted(items, key=lambda f: {"high": 0, "medium": 1, "low": 2}.get(f.severity, 3))
    first: dict[str, FindingChange] = {}
    for f in order:
        first.setdefault(f.kind, f)
    return [*first.values(), *(f for f in order if f not in first.values())]


def _chance(c: Comparison) -> str:
    # a test of a measure that did not change says nothing a funder needs
    tested = [t for t in c.significance if t.p_value is not None and t.before is not None and t.after is not None
              and abs(t.after - t.before) > 1e-12]
    if not tested:
        return ""
    strong = [t for t in tested if t.p_value < 0.05]
    if not strong:
        names = join_words([_mid(t.label) for t in tested])
        return (f"None of the changes tested ({names}) is larger than chance alone would give"
                f" ({tested[0].permutations:,} random permutations).")
    bits = [f"{_mid(t.label)} (p = {t.p_value:.3f})" for t in strong]
    return (f"The change{'s' if len(bits) > 1 else ''} in {join_words(bits)} {'are' if len(bits) > 1 else 'is'} "
            "larger than chance alone would give "
            f"({strong[0].permutations:,} random permutations).")


def headline(c: Comparison) -> str:
    """What moved between the two snapshots, in one paragraph of plain English with its numbers."""
    lead = f"Between {c.before_label} and {c.after_label}"
    if c.is_empty:
        gaps = (f" and the same {count_words(len(c.unchanged), 'gap')}" if c.findings else " and the same gaps")
        return (f"{lead} nothing changed: the same {plural(len(c.after.nmap.actors), 'partner')}, the same ties"
                f"{gaps}.")
    sentences = [f"{lead} {_partners(c)} and {_ties(c)}."]
    if seats := _seats(c):
        sentences.append(seats)
    sentences += _gaps(c)
    if voice := _voice(c):
        sentences.append(voice)
    if chance := _chance(c):
        sentences.append(chance)
    return " ".join(sentences)


# --------------------------------------------------------------------------- measures


def measure_value(value: float | None, key: str = "") -> str:
    """A whole-network measure for text and tables: counts whole, shares and indices to 3 places.

    >>> measure_value(3.0, "components"), measure_value(1.0, "density"), measure_value(None)
    ('3', '1.000', 'n/a')
    """
    if is_missing(value):
        return NOT_AVAILABLE
    number = float(value)  # type: ignore[arg-type]
    if key in COUNT_MEASURES or (not key and number.is_integer()):
        return f"{int(number):,}"
    return f"{number:.3f}"


def signed_change(value: float | None, key: str = "") -> str:
    """A change with its sign: ``+0.120``, ``-2``, ``0``; ``n/a`` when either end is missing."""
    if is_missing(value):
        return NOT_AVAILABLE
    number = float(value)  # type: ignore[arg-type]
    if abs(number) < 1e-12:
        return "0"
    text = measure_value(abs(number), key)
    return ("+" if number > 0 else "-") + text


_ARROWS = {"up": "up", "down": "down", "same": "same"}


def _measure_line(m: MeasureChange, width: int) -> str:
    return (f"  {m.label:<{width}}  {measure_value(m.before, m.key):>9} -> {measure_value(m.after, m.key):<9}"
            f" {_ARROWS.get(m.direction, m.direction):<5} {signed_change(m.change, m.key)}")


# --------------------------------------------------------------------------- the terminal text


def _wrap(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ",
                         break_on_hyphens=False) or [indent.rstrip()]


def _section(title: str) -> list[str]:
    return ["", title, "-" * len(title)]


def _more(shown: int, total: int) -> list[str]:
    return [f"  ... and {total - shown:,} more (netmap compare --json lists every one)"] if total > shown else []


def _actors_by_constituency(actors: Sequence[ActorChange]) -> list[str]:
    groups: dict[str, list[str]] = defaultdict(list)
    for a in actors:
        groups[a.constituency_labels[0] if a.constituency_labels else "Unclassified"].append(a.name)
    out = []
    for label, names in groups.items():
        shown = names[:TEXT_LIST_MAX]
        extra = f" and {len(names) - len(shown):,} more" if len(names) > len(shown) else ""
        out += _wrap(f"{label} ({len(names):,}): {'; '.join(shown)}{extra}")
    return out


def _ties_by_type(ties: Sequence[TieChange]) -> list[str]:
    groups: dict[str, list[TieChange]] = defaultdict(list)
    for t in ties:
        groups[t.type].append(t)
    out = []
    for kind, items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        pairs: dict[tuple[str, str], int] = defaultdict(int)
        for t in items:
            pairs[t.pair] += 1
        ranked = sorted(pairs.items(), key=lambda kv: -kv[1])
        more = f"; {len(ranked) - 4:,} more pairs" if len(ranked) > 4 else ""
        out += _wrap(f"{kind.replace('_', ' ').capitalize()} ({len(items):,}): "
                     + "; ".join(f"{a} - {b} ({n:,})" for (a, b), n in ranked[:4]) + more)
        for t in items[:TEXT_LIST_MAX]:
            dates = " ".join(x for x in (f"since {t.since}" if t.since else "", f"until {t.until}" if t.until else "")
                             if x)
            out += _wrap(f"{t.from_name} - {t.to_name}" + (f" ({dates})" if dates else ""), "    ")
        out += ["  " + line for line in _more(min(len(items), TEXT_LIST_MAX), len(items))]
    return out


def _changes_text(c: Comparison) -> list[str]:
    out = _section(f"Partners who joined ({len(c.joined):,})") + (_actors_by_constituency(c.joined) or ["  none"])
    out += _section(f"Partners who left ({len(c.left):,})") + (_actors_by_constituency(c.left) or ["  none"])
    out += _section(f"Direct ties formed ({len(c.formed):,})") + (_ties_by_type(c.formed) or ["  none"])
    out += _section(f"Direct ties ended ({len(c.ended):,})") + (_ties_by_type(c.ended) or ["  none"])
    if c.memberships_started or c.memberships_ended:
        out += _section("Seats in forums, boards and pledges")
        for word, items in (("joined", c.memberships_started), ("left", c.memberships_ended)):
            for m in items[:TEXT_LIST_MAX]:
                out += _wrap(f"{m.actor_name} {word} {m.space_name}" + (f" ({m.role})" if m.role else ""))
            out += _more(min(len(items), TEXT_LIST_MAX), len(items))
    return out


def _table(rows: Iterable[Sequence[str]], header: Sequence[str], right: Sequence[bool]) -> list[str]:
    """Rows as aligned columns; long text (the left-aligned columns) is cut with "..." to fit 100 columns."""
    limits = [36 if k == 0 else 30 for k in range(len(header))]
    rows = [list(header), *(list(r) for r in rows)]
    rows = [[c if right[k] else textwrap.shorten(c, limits[k], placeholder="...") for k, c in enumerate(r)]
            for r in rows]
    widths = [max(len(r[k]) for r in rows) for k in range(len(header))]
    return ["  " + "  ".join(c.rjust(w) if right[k] else c.ljust(w)
                             for k, (c, w) in enumerate(zip(r, widths, strict=True))).rstrip() for r in rows]


def _measures_text(c: Comparison) -> list[str]:
    out = _section("Whole-network measures")
    width = max((len(m.label) for m in c.measures), default=10)
    out += [_measure_line(m, width) for m in c.measures] or ["  none"]
    shown = [k for k in c.constituencies if k.count_before or k.count_after]
    out += _section("Constituencies: share and voice")
    out += _wrap("Share: actors holding it anywhere in their list. Main: share of actors whose main constituency it "
                 "is. Voice: share of the network's PageRank held by actors whose main constituency it is, to "
                 "compare with Main.", "  ")
    rows = [(k.label, f"{k.count_before:,} -> {k.count_after:,}", f"{_pct(k.share_before)} -> {_pct(k.share_after)}",
             f"{_pct(k.primary_share_before)} -> {_pct(k.primary_share_after)}",
             f"{_pct(k.voice_before)} -> {_pct(k.voice_after)}") for k in shown]
    out += _table(rows, ("Constituency", "Actors", "Share", "Main", "Voice"),
                  (False, True, True, True, True)) if rows else ["  none"]
    for title, shifts in (("Rose most", c.risers), ("Fell most", c.fallers)):
        if not shifts:
            continue
        out += _section(f"{title} ({shifts[0].measure})")
        out += _table([(s.name, s.constituency_label, measure_value(s.before, "x"), measure_value(s.after, "x"),
                        signed_change(s.change, "x")) for s in shifts],
                      ("Actor", "Constituency", "Before", "After", "Change"), (False, False, True, True, True))
    return out


def _findings_text(c: Comparison) -> list[str]:
    out = _section(f"Gaps: {len(c.closed):,} closed, {len(c.opened):,} opened, {len(c.unchanged):,} unchanged")
    for title, items in (("Closed", c.closed), ("Opened", c.opened), ("Remaining", c.unchanged)):
        if not items:
            continue
        out.append(f"{title}:")
        for f in items[:TEXT_LIST_MAX]:
            was = f"{f.severity_before} -> " if f.severity_before and f.severity_before != f.severity else ""
            gone = (f" ({f.not_progress}: not progress)" if f.not_progress else
                    f" ({f.not_new})" if f.not_new else "")
            out += _wrap(f"[{was}{f.severity}] {f.message}{gone}")
        out += _more(min(len(items), TEXT_LIST_MAX), len(items))
    if not c.findings:
        out.append("  No gaps in either snapshot.")
    return out


def _significance_text(c: Comparison) -> list[str]:
    if not c.significance:
        return []
    out = _section("Is the change larger than chance? (permutation tests)")
    width = max(len(t.label) for t in c.significance)
    for t in c.significance:
        p = f"p = {t.p_value:.3f}" if t.p_value is not None else "p = n/a"
        out.append(f"  {t.label:<{width}}  {measure_value(t.before, t.measure):>7} -> "
                   f"{measure_value(t.after, t.measure):<7}  {p}  ({t.permutations:,} permutations, seed {t.seed})")
        if t.note:
            out += _wrap(t.note, "    ")
    methods = list(dict.fromkeys(t.method for t in c.significance if t.method))
    for m in methods:
        out += _wrap(m)
    return out


def comparison_title(c: Comparison, arrow: str = "->") -> str:
    """``"Riverside: 2024-03 -> 2024-09"`` for two snapshots of one map; both maps named when their keys differ.

    >>> from types import SimpleNamespace as N
    >>> leeds = N(title="Creative Spaces Leeds", nmap=N(key="leeds"))
    >>> manchester = N(title="Creative Spaces Manchester", nmap=N(key="manchester"))
    >>> comparison_title(N(before=leeds, after=manchester, before_label="leeds", after_label="manchester"))
    'Creative Spaces Leeds (leeds) -> Creative Spaces Manchester (manchester)'
    """
    if canonical_id(c.before.nmap.key) == canonical_id(c.after.nmap.key):
        return f"{c.after.title}: {c.before_label} {arrow} {c.after_label}"
    sides = [r.title if r.title == label else f"{r.title} ({label})"
             for r, label in ((c.before, c.before_label), (c.after, c.after_label))]
    return f" {arrow} ".join(sides)


def comparison_text(c: Comparison) -> str:
    """What ``netmap compare A B`` prints: the headline, then each kind of change, in 100 columns."""
    title = comparison_title(c)
    out = [title, "=" * min(len(title), WIDTH)]
    for warning in c.warnings:
        out += _wrap(f"Warning: {warning}", "")
    if c.forced:
        out += _wrap("Compared with --force: the two snapshots have different places or frameworks.", "")
    out += textwrap.wrap(headline(c), WIDTH, break_on_hyphens=False)
    if c.is_empty:
        out += _measures_text(c)
        return "\n".join(out) + "\n"
    out += _changes_text(c)
    out += _measures_text(c)
    out += _findings_text(c)
    out += _significance_text(c)
    return "\n".join(out) + "\n"
