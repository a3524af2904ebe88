"""Deprecated: ``netmap.report`` moved to ``netmap.render.report`` in 0.2; this alias goes in 0.3."""

import warnings

from netmap.render.report import *  # noqa: F403 - the old public names, unchanged

warnings.warn("netmap.report moved to netmap.render.report; import it from there (this alias goes in netmap 0.3)",
              DeprecationWarning, stacklevel=2)
