"""Deprecated: ``netmap.viz`` moved to ``netmap.render.map`` in 0.2; this alias goes in 0.3."""

import warnings

from netmap.render.map import *  # noqa: F403 - the old public names, unchanged

warnings.warn("netmap.viz moved to netmap.render.map; import it from there (this alias goes in netmap 0.3)",
              DeprecationWarning, stacklevel=2)
