"""Deprecated: ``netmap.export`` moved to ``netmap.render.export`` in 0.2; this alias goes in 0.3."""

import warnings

from netmap.render.export import *  # noqa: F403 - the old public names, unchanged

warnings.warn("netmap.export moved to netmap.render.export; import it from there (this alias goes in netmap 0.3)",
              DeprecationWarning, stacklevel=2)
