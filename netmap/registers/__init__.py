"""Importers of public registers and census tables into netmap's reference data and workspaces.

:mod:`netmap.registers.census` reads the ONS Census 2021 ethnic group table (TS021)
into population profiles, one per local authority.
"""

from netmap.registers.census import CensusImport, import_census, read_ts021

__all__ = ["CensusImport", "import_census", "read_ts021"]
