"""One organisation as a public register lists it, whichever register it comes from.

The NHS Organisation Data Service (ODS) and the Charity Commission register
are read into :class:`RegisterEntry` records, so matching a workspace
against a register (``netmap match``) and listing who is missing
(``netmap candidates``) work the same way for both.

>>> e = RegisterEntry("charities", "1012345", "Mind in Salford", postcode="M6 5FX",
...                   constituencies=("vcse_mental_health",), line=12)
>>> e.postcode_district, e.key
('M6', 'charities:1012345')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["REGISTERS", "RegisterEntry", "RowProblem", "postcode_district"]

#: The registers netmap reads, by the name ``--register`` takes.
REGISTERS: tuple[str, ...] = ("ods", "charities")


def postcode_district(postcode: str) -> str:
    """The outward code of a UK postcode ("LS7 3PD" -> "LS7"), upper case; "" when there is none.

    >>> postcode_district(" ls7 3pd "), postcode_district("LS73PD"), postcode_district("")
    ('LS7', 'LS7', '')
    """
    text = "".join(str(postcode).split()).upper()
    if len(text) < 5:  # an outward code alone (or nothing): keep what is there
        return text
    return text[:-3]  # the inward code is always one digit and two letters


@dataclass(frozen=True)
class RowProblem:
    """A line of a register file that was skipped, and why (both registers report them the same way).

    >>> str(RowProblem("etr.csv", 7, "column 1 (Organisation Code) is empty"))
    'etr.csv, line 7: column 1 (Organisation Code) is empty'
    """

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}: {self.reason}"


@dataclass(frozen=True)
class RegisterEntry:
    """An organisation listed in a public register.

    ``register`` is one of :data:`REGISTERS`; ``code`` the register's own
    identifier (ODS code, charity number as text); ``constituencies`` and
    ``communities`` are framework and Census 2021 keys derived through the
    register's mapping file under ``data/registers/``; ``parents`` are the
    codes of the bodies it belongs to or is commissioned by (ODS), as
    ``(relationship, code)`` pairs; ``attributes`` keeps what a user asks
    about (income, registration date, role, open and close dates), as text;
    ``line`` is the line of the register file it was read from (1-based).
    """

    register: str
    code: str
    name: str
    aliases: tuple[str, ...] = ()
    postcode: str = ""
    locality: str = ""
    constituencies: tuple[str, ...] = ()
    communities: tuple[str, ...] = ()
    parents: tuple[tuple[str, str], ...] = ()
    attributes: Mapping[str, str] = field(default_factory=dict)
    line: int = 0
    #: the places the register says the organisation works in, in the register's own words
    #: (the Charity Commission's local authority areas of operation); empty when it gives none
    areas: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """``register:code``, unique across registers."""
        return f"{self.register}:{self.code}"

    @property
    def postcode_district(self) -> str:
        """The outward code of the entry's postcode (see :func:`postcode_district`)."""
        return postcode_district(self.postcode)
