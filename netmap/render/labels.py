"""Where the map's labels go: names wrapped onto short lines, and nodes spread so that no two labels collide.

vis-network draws an actor's name under its shape and a space's name inside
its box, at a fixed size in map units. On a map that names every actor,
netmap estimates each node's box (shape and label) from the text, with the
character widths of DejaVu Sans (the widest of the common sans-serif fonts,
and the one Linux browsers draw ``system-ui`` with), and pushes the nodes
apart until no two boxes overlap (:func:`spread_labels`). The page then fits
the whole drawing, labels included, inside the window with a margin.

>>> wrap_label("Greater Manchester Health & Social Care Partnership")
'Greater Manchester\\nHealth & Social Care\\nPartnership'
>>> wrap_label("A very long name " * 6).endswith("…")
True
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any

import numpy as np

__all__ = [
    "ALL_LABELS_MAX", "LABEL_LINES", "LABEL_LINE_CHARS", "label_box", "place_labels", "spread_labels", "text_width",
    "wrap_label",
]

#: Maps of at most this many actors name every actor, and are laid out with their labels.
ALL_LABELS_MAX = 60

#: Characters per line of a label, and lines at most (the rest is cut with "…"; the tooltip has it all).
LABEL_LINE_CHARS = 24
LABEL_LINES = 3

#: Advance widths (in ems) of DejaVu Sans, rounded up: narrow letters, wide ones, capitals, the rest.
_NARROW = {c: 0.32 for c in "iljtfrI.,:;'!|() "}
_WIDE = {c: 0.95 for c in "MWmw@"}
_LINE_HEIGHT = 1.2  # vis-network's line height is the font size plus a little for the outline
_SHAPE_SCALE = 1.3  # a star or triangle reaches past its nominal size
_LABEL_GAP = 3.0  # vis-network hangs a label 3 units below its shape
_PADDING = 8.0  # space kept between two boxes


def wrap_label(text: str, width: int = LABEL_LINE_CHARS, lines: int = LABEL_LINES) -> str:
    """``text`` on lines of at most ``width`` characters (broken at spaces), ``lines`` at most, "…" if cut."""
    words = " ".join(str(text).split())
    wrapped = textwrap.wrap(words, width=width, break_long_words=True, break_on_hyphens=True) or [""]
    if len(wrapped) > lines:
        last = wrapped[lines - 1]
        wrapped = [*wrapped[: lines - 1], (last[: width - 1].rstrip() if len(last) >= width else last) + "…"]
    return "\n".join(wrapped)


def text_width(line: str, font_size: float) -> float:
    """The width of one line of text in map units (an estimate that errs on the wide side)."""
    ems = 0.0
    for c in line:
        if c in _NARROW:
            ems += _NARROW[c]
        elif c in _WIDE:
            ems += _WIDE[c]
        elif c.isupper() or c.isdigit() or c in "&%#" or ord(c) > 0x2000:
            ems += 0.76
        else:
            ems += 0.62
    return ems * font_size


def label_box(label: str, font_size: float, size: float, *, box: bool = False,
              margin: float = 7.0) -> tuple[float, float, float, float]:
    """A node's box (left, top, right, bottom) around its centre: its shape and its label.

    A shape node (``box`` false) of radius ``size`` has its label hung below
    it; a box node has its label inside, ``margin`` from the border.

    >>> [round(x, 1) for x in label_box("Ab", 10, 5)]  # a 13.8-wide, 12-high label hung 3 below the shape
    [-6.9, -6.5, 6.9, 20.0]
    """
    lines = label.split("\n") if label else []
    width = max((text_width(line, font_size) for line in lines), default=0.0)
    height = len(lines) * font_size * _LINE_HEIGHT
    if box:
        half_w, half_h = width / 2 + margin + 1, height / 2 + margin + 1
        return -half_w, -half_h, half_w, half_h
    reach = size * _SHAPE_SCALE
    half = max(reach, width / 2)
    return -half, -reach, half, size + _LABEL_GAP + height


def _overlaps(pos: np.ndarray, boxes: np.ndarray, gap: float) -> tuple[np.ndarray, np.ndarray]:
    """How far each pair of boxes overlaps along x and along y (positive: they overlap)."""
    left, top = pos[:, 0] + boxes[:, 0] - gap / 2, pos[:, 1] + boxes[:, 1] - gap / 2
    right, bottom = pos[:, 0] + boxes[:, 2] + gap / 2, pos[:, 1] + boxes[:, 3] + gap / 2
    ox = np.minimum(right[:, None], right[None, :]) - np.maximum(left[:, None], left[None, :])
    oy = np.minimum(bottom[:, None], bottom[None, :]) - np.maximum(top[:, None], top[None, :])
    np.fill_diagonal(ox, 0.0)
    np.fill_diagonal(oy, 0.0)
    return ox, oy


def _spread(pos: np.ndarray, boxes: np.ndarray, gap: float, rounds: int) -> np.ndarray:
    """Push overlapping boxes apart along the axis where they overlap least; the positions after ``rounds``."""
    n = len(pos)
    centre = (boxes[:, :2] + boxes[:, 2:]) / 2
    order = np.arange(n)
    for _ in range(rounds):
        ox, oy = _overlaps(pos, boxes, gap)
        hit = (ox > 0) & (oy > 0)
        if not hit.any():
            break
        middle = pos + centre
        # which way each pair moves: away from each other, the earlier node first when they coincide
        dx = np.sign(middle[:, None, 0] - middle[None, :, 0])
        dy = np.sign(middle[:, None, 1] - middle[None, :, 1])
        tie = np.sign(order[:, None] - order[None, :]).astype(float)
        dx = np.where(dx == 0, tie, dx)
        dy = np.where(dy == 0, tie, dy)
        along_x = hit & (ox <= oy)
        along_y = hit & (ox > oy)
        move = np.zeros_like(pos)
        move[:, 0] = (np.where(along_x, ox, 0.0) * dx).sum(axis=1) / 2 + 0.5 * (along_x * dx).sum(axis=1)
        move[:, 1] = (np.where(along_y, oy, 0.0) * dy).sum(axis=1) / 2 + 0.5 * (along_y * dy).sum(axis=1)
        pos = pos + move / np.maximum(hit.sum(axis=1), 1)[:, None] ** 0.5
    return pos


def spread_labels(positions: Mapping[Any, tuple[float, float]], boxes: Mapping[Any, tuple[float, float, float, float]],
                  *, gap: float = _PADDING, rounds: int = 300) -> dict[Any, tuple[float, float]]:
    """Positions moved as little as it takes for no two ``boxes`` (from :func:`label_box`) to overlap.

    Overlapping pairs are pushed apart along the axis where they overlap
    least; should that not settle in ``rounds`` rounds, the whole drawing is
    stretched a little and pushed again, which always ends. Deterministic.

    >>> moved = spread_labels({"a": (0, 0), "b": (5, 0)}, {"a": (-10, -5, 10, 5), "b": (-10, -5, 10, 5)})
    >>> moved["a"][1] - moved["b"][1] <= -14  # 10 high and 4 apart: moved up and down, their smaller overlap
    True
    """
    keys = list(positions)
    if len(keys) < 2:
        return {k: (float(x), float(y)) for k, (x, y) in positions.items()}
    pos = np.array([positions[k] for k in keys], dtype=float)
    box = np.array([boxes[k] for k in keys], dtype=float)
    while True:
        pos = _spread(pos, box, gap, rounds)
        ox, oy = _overlaps(pos, box, gap)
        if not ((ox > 1e-6) & (oy > 1e-6)).any():
            break
        middle = pos.mean(axis=0)
        pos = middle + (pos - middle) * 1.15
    return {k: (round(float(x), 1), round(float(y), 1)) for k, (x, y) in zip(keys, pos, strict=True)}


def place_labels(nodes: Iterable[MutableMapping[str, Any]], font_size: float) -> None:
    """Move ``nodes`` (vis-network node dicts with ``x``, ``y``, ``size``, ``label``) so no labels collide."""
    nodes = list(nodes)
    boxes, positions = {}, {}
    for k, node in enumerate(nodes):
        font = float(node.get("font", {}).get("size", font_size))
        boxes[k] = label_box(str(node.get("label", "")), font, float(node.get("size", 10)),
                             box=node.get("shape") == "box", margin=float(node.get("margin", 7)))
        positions[k] = (float(node["x"]), float(node["y"]))
    for k, (x, y) in spread_labels(positions, boxes).items():
        nodes[k]["x"], nodes[k]["y"] = x, y
