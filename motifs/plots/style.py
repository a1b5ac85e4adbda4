"""The shared look of the figures: model colours, font sizes, a bare constrained figure."""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from matplotlib.figure import Figure

__all__ = [
    "FONT",
    "LINESTYLES",
    "MODEL_COLOURS",
    "SMALL_FONT",
    "TITLE_FONT",
    "clean_axes",
    "model_colours",
    "new_figure",
]

MODEL_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "ER": "#999999",
        "gER": "#CC79A7",
        "CFG": "#0072B2",
        "gCFG": "#E69F00",
        "PM": "#009E73",
    }
)
"""Colour of each of the paper's null models (Okabe & Ito's colour-blind-safe palette).

Black is kept for the observed graph. Other model names get colours from
:func:`model_colours`.
"""

# Further colour-blind-safe colours (the rest of Okabe & Ito's, then Tol's "muted") for
# model names outside MODEL_COLOURS.
_EXTRA_COLOURS: tuple[str, ...] = (
    "#56B4E9", "#D55E00", "#F0E442", "#882255", "#44AA99", "#117733", "#332288", "#AA4499",
)

#: Font sizes in points, chosen to stay legible when a 7.2-inch figure is printed across two
#: columns or a 3.5-inch one across a single column.
FONT = 8.0
SMALL_FONT = 7.0
TITLE_FONT = 9.0
#: Dash patterns that tell apart models whose curves coincide.
LINESTYLES = ("-", (0, (4, 1.5)), (0, (1, 1.2)), (0, (6, 1.5, 1, 1.5)), (0, (2.5, 2.5)))


def model_colours(names: Sequence[str]) -> dict[str, str]:
    """Return a colour for each model name: :data:`MODEL_COLOURS`, then further colours.

    Parameters
    ----------
    names : sequence of str
        Model names, e.g. ``["CFG", "PM", "my model"]``.

    Returns
    -------
    dict of str to str
        Hex colour of every name. A name outside :data:`MODEL_COLOURS` starts at a
        colour chosen by a checksum of the name (so it is the same in every figure and
        every run) and moves on to the next free one if another name of ``names`` holds
        it; colours repeat only when more than eight unknown names are given.

    Examples
    --------
    >>> model_colours(["PM", "PM (lateral)"])["PM"]
    '#009E73'
    """
    colours: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        if name in MODEL_COLOURS:
            colours[name] = MODEL_COLOURS[name]
            taken.add(colours[name])
    for name in names:
        if name in colours:
            continue
        start = zlib.crc32(str(name).encode("utf-8")) % len(_EXTRA_COLOURS)
        ring = _EXTRA_COLOURS[start:] + _EXTRA_COLOURS[:start]
        free = [c for c in ring if c not in taken]
        colours[name] = free[0] if free else ring[0]
        taken.add(colours[name])
    return colours


def new_figure(width: float, height: float) -> Figure:
    """Return an empty figure of the size in inches, with constrained layout."""
    # A bare Figure (no pyplot) is independent of any GUI and of pyplot's global state.
    return Figure(figsize=(width, height), layout="constrained")


def clean_axes(ax) -> None:
    """Hide the top and right spines and set the tick label size."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=FONT)

