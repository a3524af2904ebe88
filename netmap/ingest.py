"""Deprecated: ``netmap.ingest`` moved to ``netmap.workspace.read`` in 0.2; this alias goes in 0.3."""

import warnings

from netmap.workspace.read import *  # noqa: F403 - the old public names, unchanged

warnings.warn("netmap.ingest moved to netmap.workspace.read; import it from there (this alias goes in netmap 0.3)",
              DeprecationWarning, stacklevel=2)
