"""The motif-strength figure: each triad class's synapse-count measures over each null's."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from connectome_motifs.motifs.plots.style import (
    FONT,
    SMALL_FONT,
    TITLE_FONT,
    clean_axes,
    model_colours,
    new_figure,
)

__all__ = ["plot_motif_strength"]

_SIGNIFICANCE = 0.05
# The measures drawn, one panel each, with their axis words.
_MEASURES = {"weight_mean": "Mean synapse count", "intensity_mean": "Intensity (Onnela)",
             "coherence_mean": "Coherence (Onnela)"}


def plot_motif_strength(strength: pd.DataFrame, title: str | None = None) -> Figure:
    """Return a figure of each triad class's motif strength over each weight-shuffle null.

    One panel per measure (the mean synapse count of a class's connections, Onnela's
    intensity and coherence, averaged over its triads); x the triad classes in the
    table's order, y the observed value over the null's sample mean (they differ by tens of
    per cent, so the axis is linear), a line
    at 1; one marker colour per null, dodged sideways, filled where the Holm-adjusted p is
    below 0.05.

    Parameters
    ----------
    strength : pandas.DataFrame
        The motif-strength table of an analysis
        (:attr:`~connectome_motifs.motifs.MotifAnalysis.strength`): ``model``, ``triad``,
        ``measure``, ``observed``, ``null_mean``, ``p_adjusted``.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        Axes labelled by measure; each null's markers have ``gid`` ``"model:<model>"``.

    Raises
    ------
    ValueError
        If the table lacks a column or holds none of the measures.

    Notes
    -----
    O(rows). A class the graph lacks has no ratio and no marker.
    """
    needed = {"model", "triad", "measure", "observed", "null_mean", "p_adjusted"}
    missing = needed - set(strength.columns)
    if missing:
        raise ValueError(f"the motif-strength table lacks the column(s) {sorted(missing)}")
    measures = [m for m in _MEASURES if m in set(strength["measure"])]
    if not measures:
        raise ValueError(f"the motif-strength table holds none of the measures "
                         f"{', '.join(_MEASURES)}")
    classes = list(dict.fromkeys(strength["triad"]))
    where = {c: k for k, c in enumerate(classes)}
    models = list(dict.fromkeys(strength["model"]))
    colours = model_colours(models)
    fig = new_figure(7.2, 1.2 + 1.7 * len(measures))
    axes = fig.subplots(len(measures), 1, sharex=True, squeeze=False)[:, 0]
    for ax, measure in zip(axes, measures, strict=True):
        ax.set_label(measure)
        ax.axhline(1.0, color="#888888", linewidth=0.7, zorder=0)
        for k, model in enumerate(models):
            rows = strength[(strength["model"] == model) & (strength["measure"] == measure)]
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = (rows["observed"].to_numpy(dtype=float)
                         / rows["null_mean"].to_numpy(dtype=float))
            shown = np.isfinite(ratio) & (ratio > 0)
            x = rows["triad"].map(where).to_numpy(dtype=float)
            x += 0.6 * (k - (len(models) - 1) / 2) / max(len(models), 1)
            significant = rows["p_adjusted"].to_numpy(dtype=float) < _SIGNIFICANCE
            ax.scatter(x[shown], ratio[shown], s=14, edgecolors=colours[model],
                       facecolors=np.where(significant[shown], colours[model], "white"),
                       linewidths=0.9, label=model, gid=f"model:{model}", zorder=2)
        ax.set_ylabel(f"{_MEASURES[measure]}\nobserved / null", fontsize=SMALL_FONT)
        clean_axes(ax)
    axes[-1].set_xticks(range(len(classes)), classes, rotation=90, fontsize=SMALL_FONT)
    axes[-1].set_xlim(-0.6, len(classes) - 0.4)
    axes[-1].set_xlabel("Triad class", fontsize=FONT)
    fig.legend(*axes[0].get_legend_handles_labels(), fontsize=SMALL_FONT, frameon=False,
               loc="outside lower center", ncols=min(len(models), 5))
    fig.suptitle(title or "Motif strength over each weight-shuffle null (filled: "
                          "Holm-adjusted p < 0.05)", fontsize=TITLE_FONT)
    return fig
