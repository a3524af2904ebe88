"""Importers of public registers and census tables into netmap's reference data and workspaces.

:mod:`netmap.registers.census` reads the ONS Census 2021 ethnic group table (TS021)
into population profiles, one per local authority; :mod:`netmap.registers.charities`
reads the Charity Commission register of charities, and :mod:`netmap.registers.candidates`
writes its charities as a workspace or as invitation candidates for a map.
"""

from netmap.registers.candidates import CandidateSelection, import_charities, register_candidates, write_candidates
from netmap.registers.census import CensusImport, import_census, read_ts021
from netmap.registers.charities import CharityReader, CharitySummary, read_charities
from netmap.registers.match import MatchResult, Proposal, apply_proposals, propose
from netmap.registers.ods import OdsImport, import_ods, read_ods

__all__ = ["CensusImport", "import_census", "read_ts021"]
__all__ += ["MatchResult", "OdsImport", "Proposal", "apply_proposals", "import_ods", "propose", "read_ods"]
__all__ += ["CandidateSelection", "CharityReader", "CharitySummary", "import_charities", "read_charities",
            "register_candidates", "write_candidates"]
