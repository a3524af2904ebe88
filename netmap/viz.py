"""Deprecated: ``netmap.viz`` moved to ``netmap.render`` (map, layout, page, style) in 0.2; this alias goes in 0.3."""

import warnings

from netmap.render.layout import (
    SPACE_PREFIX,
    SPACE_TIE,
    drawn_graph,
    drawn_graph_of,
    layout_drawn_graph,
    layout_positions,
    map_layout,
)
from netmap.render.map import PHYSICS_MAX_NODES, map_data, render_map, write_map
from netmap.render.page import load_template, script_json, vis_network_js
from netmap.render.style import (
    PALETTE,
    SECTOR_SHAPES,
    SIZE_METRICS,
    TIE_STYLES,
    UNCLASSIFIED_COLOUR,
    constituency_colours,
    tie_style,
)
from netmap.resources import template_dir

# the old public names of netmap.viz, unchanged
__all__ = [
    "PALETTE",
    "PHYSICS_MAX_NODES",
    "SECTOR_SHAPES",
    "SIZE_METRICS",
    "SPACE_PREFIX",
    "SPACE_TIE",
    "TIE_STYLES",
    "UNCLASSIFIED_COLOUR",
    "constituency_colours",
    "drawn_graph",
    "drawn_graph_of",
    "layout_drawn_graph",
    "layout_positions",
    "load_template",
    "map_data",
    "map_layout",
    "render_map",
    "script_json",
    "template_dir",
    "tie_style",
    "vis_network_js",
    "write_map",
]

warnings.warn("netmap.viz moved to netmap.render.map; import it from there (this alias goes in netmap 0.3)",
              DeprecationWarning, stacklevel=2)
