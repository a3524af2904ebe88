"""The look of netmap's drawings: constituency colours, sector shapes, tie styles and the size metrics.

The map, the report's still picture and the GraphML/GEXF exports all colour an
actor by its primary constituency with :func:`constituency_colours`, so one
framework gives the same colours everywhere.
"""

from __future__ import annotations

import colorsys
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from netmap.model import CO_MEMBERSHIP

__all__ = [
    "PALETTE",
    "SECTOR_LABELS",
    "SECTOR_SHAPES",
    "SIZE_METRICS",
    "TIE_STYLES",
    "UNCLASSIFIED_COLOUR",
    "constituency_colours",
    "main_tie_type",
    "rgba",
    "shade",
    "tie_style",
]

#: Centralities a map can size its nodes by, with what they mean in plain words.
SIZE_METRICS: dict[str, str] = {
    "betweenness": "how often it lies on the shortest paths between others (betweenness)",
    "degree": "its number of ties (degree)",
    "strength": "the total strength of its ties",
    "pagerank": "its overall influence (PageRank)",
    "eigenvector": "how well connected its partners are (eigenvector centrality)",
    "closeness": "how close it is to everyone else (closeness)",
    "reach_2": "how many actors it reaches in two steps",
    "brokerage": "how many pairs of partners from different constituencies it links",
    "cut_vertex_impact": "how many actors would be cut off if it left",
    "k_core": "how deep it sits in the core of the network (k-core)",
    "effective_size": "its number of non-redundant contacts (effective size)",
}

#: Colours of constituencies, assigned in framework order (20 colours, no grey, no pure red).
PALETTE: tuple[str, ...] = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
    "#59a8a3", "#393b79", "#edc948", "#b07aa1", "#843c39", "#637939", "#f7b6d2", "#aec7e8",
    "#ffbb78", "#98df8a", "#c5b0d5", "#c49c94",
)  # fmt: skip
UNCLASSIFIED_COLOUR = "#9e9e9e"

#: Node shape of each sector (vis-network shape names).
SECTOR_SHAPES: dict[str, str] = {
    "statutory": "square", "vcse": "dot", "community": "triangle", "academic": "diamond",
    "private": "star", "individual": "triangleDown", "unknown": "hexagon",
}  # fmt: skip
#: Readable name of each sector (legend and tooltips).
SECTOR_LABELS = {
    "statutory": "Statutory", "vcse": "Voluntary sector (VCSE)", "community": "Community-led",
    "academic": "Academic", "private": "Private", "individual": "Individual", "unknown": "Not classified",
}  # fmt: skip

#: How each tie type is drawn: colour, dashed, label. Direction comes from the ties themselves.
TIE_STYLES: dict[str, dict[str, Any]] = {
    "commissions": {"colour": "#7b3fa0", "dashed": False, "label": "Commissions"},
    "funds": {"colour": "#1b8a4b", "dashed": False, "label": "Funds"},
    "refers_to": {"colour": "#d35400", "dashed": False, "label": "Refers to"},
    "co_produces": {"colour": "#0f8b8d", "dashed": False, "label": "Co-produces"},
    "partnership": {"colour": "#3d5a98", "dashed": False, "label": "Partnership"},
    "shares_information": {"colour": "#2e86c1", "dashed": False, "label": "Shares information"},
    "member_of": {"colour": "#6d7680", "dashed": False, "label": "Member of"},
    CO_MEMBERSHIP: {"colour": "#9aa3ae", "dashed": True, "label": "Sit together in a space"},
}
_OTHER_TIE = {"colour": "#34495e", "dashed": False}


def constituency_colours(framework_keys: Iterable[str], present: Iterable[str] = ()) -> dict[str, str]:
    """A colour for every framework constituency (in order), then for other keys present.

    ``unclassified`` (and the empty key) are grey. The same framework always
    gives the same colours, so maps of different sites can be compared.

    >>> colours = constituency_colours(["a", "b"], ["zz", ""])
    >>> colours["a"], colours["zz"] == PALETTE[2], colours["unclassified"]
    ('#1f77b4', True, '#9e9e9e')
    """
    colours: dict[str, str] = {}
    for key in [*framework_keys, *sorted(set(present))]:
        if key in ("", "unclassified") or key in colours:
            continue
        colours[key] = PALETTE[len(colours) % len(PALETTE)]
    colours["unclassified"] = UNCLASSIFIED_COLOUR
    colours[""] = UNCLASSIFIED_COLOUR
    return colours


@lru_cache(maxsize=1024)
def shade(colour: str, factor: float) -> str:
    """A darker (factor < 1) or lighter (factor > 1) version of a hex colour."""
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    h, lum, s = colorsys.rgb_to_hls(r, g, b)
    lum = max(0.0, min(1.0, lum * factor if factor < 1 else lum + (1 - lum) * (factor - 1)))
    r, g, b = colorsys.hls_to_rgb(h, lum, s)
    return "#{:02x}{:02x}{:02x}".format(*(round(c * 255) for c in (r, g, b)))


@lru_cache(maxsize=256)
def rgba(colour: str, alpha: float) -> str:
    """A hex colour with transparency, as CSS (vis-network ignores the opacity option for string colours)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha:g})"


def tie_style(tie_type: str) -> dict[str, Any]:
    """Colour, dashes and label of a tie type (known types, co-membership, or any other)."""
    style = TIE_STYLES.get(tie_type)
    if style is not None:
        return dict(style)
    return {**_OTHER_TIE, "label": tie_type.replace("_", " ").capitalize()}


def main_tie_type(types: Iterable[str]) -> str:
    """The type an edge is drawn as: the most specific of its tie types (co-membership last)."""
    order = list(TIE_STYLES)
    listed = sorted(types, key=lambda t: (order.index(t) if t in order else len(order) - 1.5, t))
    return listed[0] if listed else "partnership"
