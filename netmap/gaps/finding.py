"""The finding: one gap, its kind, rule, severity and numbers; the words and thresholds findings share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = ("absent_constituency", "under_represented", "peripheral_constituency", "missing_link",
         "community_coverage", "isolate", "fragility", "ego_gap")
SEVERITIES = ("high", "medium", "low")

#: A constituency whose voice is below this fraction of its share of actors is peripheral.
PERIPHERAL_VOICE_RATIO = 0.5
#: A community whose organisations' voice is below this fraction of its population share is under-voiced.
UNDER_VOICED_RATIO = 0.5
#: High-level groups assumed to be served by mainstream organisations (those listing no community).
MAINSTREAM_GROUPS = ("white",)
#: Weight at or above which a framework constituency counts as a priority.
PRIORITY_WEIGHT = 1.5
#: Sectors whose funding is fragile: one funder or commissioner is a dependency (the NHS's is not).
FRAGILE_FUNDING_SECTORS = ("vcse", "community")


@dataclass(frozen=True)
class Finding:
    """One gap, with the numbers behind it and a sentence a convenor can read.

    ``rule`` is the stable id of the rule that found it (``missing_link.no_tie``,
    ``fragility.single_funder`` ...: see :data:`netmap.gaps.rules.RULES`).
    """

    kind: str
    severity: str
    locality: str
    subject: str
    message: str
    data: dict[str, Any] = field(default_factory=dict)
    rule: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "rule": self.rule, "severity": self.severity, "locality": self.locality,
                "subject": self.subject, "message": self.message, "data": dict(self.data)}


def lower_label(label: str) -> str:
    """A label for the middle of a sentence: 'Carer-led group' -> 'carer-led group', 'NHS ...' kept."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def article(label: str) -> str:
    """A label with its article, for the middle of a sentence: 'a faith group', 'an NHS mental health provider'."""
    text = lower_label(label)
    return f"{'an' if text[:1].lower() in 'aeiou' or text.startswith('NHS') else 'a'} {text}"


def possessive(name: str) -> str:
    """"Mind's", "Carers'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def join_words(words: list[str], last: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def where(name: str) -> str:
    """' in Leeds' for a named locality, '' for the whole map."""
    return f" in {name}" if name else ""
