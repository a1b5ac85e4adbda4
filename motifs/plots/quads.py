"""The 4-cell figure: every connected class of 4 cells relative to each null model, and its z."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from connectome_motifs.motifs.plots.pictograms import draw_pictogram, motif_classes
from connectome_motifs.motifs.plots.style import (
    FONT,
    SMALL_FONT,
    TITLE_FONT,
    clean_axes,
    model_colours,
    new_figure,
)
from connectome_motifs.motifs.quad_catalogue import QUAD_NAMES, QUADS, SKELETONS

__all__ = ["plot_quad_motifs"]

# z beyond this is drawn at it (as a triangle), so that one huge z does not flatten the rest.
_Z_CLIP = 50.0


def plot_quad_motifs(quads: pd.DataFrame, title: str | None = None) -> Figure:
    """Return a figure of the 199 connected classes of 4 cells against each null model.

    The top panel shows, for every connected class (x, grouped by skeleton: paths, stars,
    paws, 4-cycles, diamonds, 4-cliques; isoclass order within), the observed count divided
    by each model's exact expectation or else sample mean, on a log axis; a class the graph
    lacks, or a model never produces, has no ratio and no point. The bottom panel shows
    each model's z (observed minus expectation or mean, over the sample SD) on a symmetric
    log axis, with lines at ±2; ``|z|`` above 50 is drawn at 50 as a triangle. Classes named in
    the literature are marked by dotted lines with their isoclass and drawn in a key
    beneath.

    Parameters
    ----------
    quads : pandas.DataFrame
        The 4-cell table of an analysis (:attr:`~connectome_motifs.motifs.MotifAnalysis.quads`):
        ``model``, ``quad``, ``observed``, ``expected``, ``null_mean``, ``z``.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        Axes labelled ``"ratios"``, ``"z"`` and ``"key"``.

    Raises
    ------
    ValueError
        If the table lacks a column.
    """
    missing = {"model", "quad", "observed", "expected", "null_mean", "z"} - set(quads.columns)
    if missing:
        raise ValueError(f"the 4-cell table lacks the column(s) {sorted(missing)}")
    order = sorted((q for q in QUADS if q.connected),
                   key=lambda q: (SKELETONS.index(q.skeleton), q.isoclass))
    x_of = {q.isoclass: k for k, q in enumerate(order)}
    models = list(dict.fromkeys(quads["model"]))
    colours = model_colours(models)
    fig = new_figure(7.2, 5.4)
    grid = fig.add_gridspec(3, 1, height_ratios=[1.0, 1.0, 0.42])
    ratios = fig.add_subplot(grid[0], label="ratios")
    zs = fig.add_subplot(grid[1], sharex=ratios, label="z")
    offsets = np.linspace(-0.25, 0.25, len(models)) if len(models) > 1 else [0.0]
    for model, offset in zip(models, offsets, strict=True):
        rows = quads[(quads["model"] == model) & quads["quad"].isin(list(x_of))]
        x = rows["quad"].map(x_of).to_numpy(dtype=float) + offset
        null = rows["expected"].fillna(rows["null_mean"]).to_numpy(dtype=float)
        observed = rows["observed"].to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = observed / null
        shown = np.isfinite(ratio) & (ratio > 0)
        ratios.plot(x[shown], ratio[shown], "o", markersize=2.2, color=colours[model],
                    label=model, gid=f"ratio:{model}")
        z = rows["z"].to_numpy(dtype=float)
        inside = np.isfinite(z) & (np.abs(z) <= _Z_CLIP)
        zs.plot(x[inside], z[inside], "o", markersize=2.2, color=colours[model],
                gid=f"z:{model}")
        for sign, marker in ((1, "^"), (-1, "v")):
            outside = np.isfinite(z) & (sign * z > _Z_CLIP)
            zs.plot(x[outside], np.full(outside.sum(), sign * _Z_CLIP), marker,
                    markersize=3.2, color=colours[model])
    ratios.set_yscale("log")
    ratios.yaxis.set_major_formatter(FuncFormatter(lambda value, _position: f"{value:g}"))
    # Minor ticks labelled at 2, 3 and 5 times a power of ten only.
    ratios.yaxis.set_minor_formatter(FuncFormatter(
        lambda value, _position: f"{value:g}" if f"{value:.0e}"[0] in "235" else ""))
    ratios.tick_params(axis="y", which="minor", labelsize=SMALL_FONT - 1)
    ratios.axhline(1.0, color="black", linewidth=0.6, linestyle="--")
    ratios.set_ylabel("observed / null", fontsize=FONT)
    zs.set_yscale("symlog", linthresh=2.0)
    ticks = [-50, -10, -2, 0, 2, 10, 50]
    zs.set_yticks(ticks, [str(t) for t in ticks])
    for level in (-2.0, 2.0):
        zs.axhline(level, color="black", linewidth=0.5, linestyle=":")
    zs.axhline(0.0, color="black", linewidth=0.6)
    zs.set_ylabel("z", fontsize=FONT)
    zs.set_xlabel("connected 4-cell classes, by skeleton (igraph isoclass order within)",
                  fontsize=FONT)
    _skeleton_bands(ratios, zs, order)
    # Labels of classes a few positions apart are stacked, so that they do not overlap.
    level, last = 0, -np.inf
    for isoclass in sorted(QUAD_NAMES.values(), key=x_of.get):
        x = x_of[isoclass]
        level = level + 1 if x - last < 6 else 0
        last = x
        for ax in (ratios, zs):
            ax.axvline(x, color="#777777", linewidth=0.5, linestyle=(0, (1, 2)), zorder=0)
        zs.annotate(str(isoclass), (x, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(0, 1 + 6 * level), textcoords="offset points",
                    fontsize=SMALL_FONT - 1, ha="center", va="bottom", color="#555555")
    for ax in (ratios, zs):
        clean_axes(ax)
        ax.set_xlim(-1, len(order))
    ratios.tick_params(labelbottom=False)
    zs.set_xticks([])
    ratios.legend(fontsize=SMALL_FONT, frameon=False, ncol=len(models), loc="upper left",
                  markerscale=1.6)
    _draw_key(fig, grid[2])
    fig.suptitle(title or "4-cell motifs relative to the null models", fontsize=TITLE_FONT,
                 wrap=True)
    return fig


def _skeleton_bands(ratios, zs, order) -> None:
    """Shade every other skeleton's classes and name each skeleton above the top panel."""
    skeletons = [q.skeleton for q in order]
    start = 0
    for k, name in enumerate(dict.fromkeys(skeletons)):
        stop = start + skeletons.count(name)
        if k % 2:
            for ax in (ratios, zs):
                ax.axvspan(start - 0.5, stop - 0.5, color="#f2f2f2", zorder=-1)
        ratios.annotate(name, ((start + stop - 1) / 2, 1.0), xycoords=("data", "axes fraction"),
                        ha="center", va="bottom", fontsize=SMALL_FONT)
        start = stop


def _draw_key(fig: Figure, cell) -> None:
    """Draw the named classes, each with its name and isoclass, in a row."""
    named = {c.key: c for c in motif_classes("quad")}
    key = fig.add_subfigure(cell)
    axes = key.subplots(1, len(QUAD_NAMES))
    for ax, (name, isoclass) in zip(np.atleast_1d(axes), QUAD_NAMES.items(), strict=True):
        ax.set_label(f"key:{name}")
        draw_pictogram(ax, named[str(isoclass)])
        ax.set_title(f"{name} ({isoclass})", fontsize=SMALL_FONT, pad=2)
