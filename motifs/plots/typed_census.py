"""The typed-census figures: connections between cell groups, and the furthest typed triads."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

from connectome_motifs.motifs.group_statistics import OTHER
from connectome_motifs.motifs.plots.style import (
    FONT,
    SMALL_FONT,
    TITLE_FONT,
    clean_axes,
    model_colours,
    new_figure,
)

__all__ = ["RATIO_CLIP", "TRIAD_RATIO_CLIP", "plot_typed_connections", "plot_typed_triads"]

#: Ratios are drawn on a log2 scale clipped to ±this many doublings: connections between
#: groups, and typed triads (which models miss by far more).
RATIO_CLIP = 4.0
TRIAD_RATIO_CLIP = 10.0
# Rows of the typed dyad table each heatmap shows, with its title.
_DYADS = (("asymmetric", "One-way connections"), ("mutual", "Reciprocal pairs"))
_SIGNIFICANCE = 0.05


def _log2_ratio(observed: np.ndarray, null: np.ndarray, clip: float) -> np.ndarray:
    """Return log2(observed / null) clipped to ±clip; NaN where both are 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.log2(observed / null)
    ratio[(observed == 0) & (null == 0)] = np.nan
    return np.clip(ratio, -clip, clip)


def plot_typed_connections(typed_dyads: pd.DataFrame, title: str | None = None) -> Figure:
    """Return heatmaps of one-way and reciprocal pairs between groups over each model's null.

    One column of panels per model, one row per dyad kind: one-way connections
    (presynaptic group in rows, postsynaptic in columns) and reciprocal pairs (a symmetric
    matrix). Each cell's colour is log2 of the observed count over the model's exact
    expectation or else sample mean, clipped to ±:data:`RATIO_CLIP` (red: more than the
    model makes); a dot marks a Holm-adjusted p below 0.05; grey cells have neither
    observed nor expected pairs.

    Parameters
    ----------
    typed_dyads : pandas.DataFrame
        The typed dyad table of an analysis
        (:attr:`~connectome_motifs.motifs.MotifAnalysis.typed_dyads`): ``model``,
        ``dyad``, ``group_1``, ``group_2``, ``observed``, ``expected``, ``null_mean``,
        ``p_adjusted``.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        Axes labelled ``"<dyad>:<model>"``.

    Raises
    ------
    ValueError
        If the table lacks a column or has no rows.

    Notes
    -----
    O(rows + models K²) for K groups.
    """
    needed = {"model", "dyad", "group_1", "group_2", "observed", "expected", "null_mean",
              "p_adjusted"}
    missing = needed - set(typed_dyads.columns)
    if missing:
        raise ValueError(f"the typed dyad table lacks the column(s) {sorted(missing)}")
    if typed_dyads.empty:
        raise ValueError("the typed dyad table has no rows")
    groups = list(dict.fromkeys([*typed_dyads["group_1"], *typed_dyads["group_2"]]))
    where = {g: k for k, g in enumerate(groups)}
    models = list(dict.fromkeys(typed_dyads["model"]))
    size = len(groups)
    side = min(3.2, max(2.2, 0.15 * size + 0.9))
    fig = new_figure(side * len(models) + 0.9, 2 * side + 0.6)
    axes = fig.subplots(len(_DYADS), len(models), squeeze=False, sharex=True, sharey=True)
    norm = TwoSlopeNorm(vcenter=0.0, vmin=-RATIO_CLIP, vmax=RATIO_CLIP)
    image = None
    for row, (dyad, words) in enumerate(_DYADS):
        for col, model in enumerate(models):
            ax = axes[row, col]
            ax.set_label(f"{dyad}:{model}")
            rows = typed_dyads[(typed_dyads["model"] == model) & (typed_dyads["dyad"] == dyad)]
            i = rows["group_1"].map(where).to_numpy()
            j = rows["group_2"].map(where).to_numpy()
            observed = rows["observed"].to_numpy(dtype=float)
            null = rows["expected"].fillna(rows["null_mean"]).to_numpy(dtype=float)
            values = np.full((size, size), np.nan)
            marked = np.zeros((size, size), dtype=bool)
            values[i, j] = _log2_ratio(observed, null, RATIO_CLIP)
            marked[i, j] = rows["p_adjusted"].to_numpy(dtype=float) < _SIGNIFICANCE
            if dyad == "mutual":  # one row per unordered pair: both halves of the matrix
                values[j, i] = values[i, j]
                marked[j, i] = marked[i, j]
            image = ax.imshow(values, cmap="RdBu_r", norm=norm, interpolation="nearest")
            ax.set_facecolor("#DDDDDD")
            ys, xs = np.nonzero(marked)
            ax.scatter(xs, ys, s=2.5, color="black", linewidths=0, gid="significant")
            ax.set_xticks(range(size), groups, rotation=90, fontsize=SMALL_FONT - 1.5)
            ax.set_yticks(range(size), groups, fontsize=SMALL_FONT - 1.5)
            ax.tick_params(length=0)
            if row == 0:
                ax.set_title(model, fontsize=FONT)
            if col == 0:
                ax.set_ylabel(f"{words}\n{'presynaptic group' if row == 0 else 'group'}",
                              fontsize=SMALL_FONT)
    bar = fig.colorbar(image, ax=axes, shrink=0.6, pad=0.02)
    bar.set_label("log2 observed / model", fontsize=SMALL_FONT)
    bar.ax.tick_params(labelsize=SMALL_FONT)
    fig.suptitle(title or "Connections between cell groups, observed over each model "
                          "(dot: Holm-adjusted p < 0.05)", fontsize=TITLE_FONT)
    return fig


def plot_typed_triads(typed_triads: pd.DataFrame, top: int = 25,
                      title: str | None = None) -> Figure:
    """Return a dot plot of the typed triads that the models explain least.

    The ``top`` typed triads (pooled rests left out) whose smallest ``|z|`` over the
    models is largest (those even the closest model misses), one row each
    (``"030T[KC, KC, MBON]"``: the class and the groups of its canonical cells), furthest
    first; each model's log2 observed over its expectation or sample mean as a marker of
    its colour (dodged vertically by model), filled where the Holm-adjusted p is below
    0.05; a ratio beyond ±:data:`TRIAD_RATIO_CLIP` (or infinite) is drawn at the clip as a
    triangle pointing out.

    Parameters
    ----------
    typed_triads : pandas.DataFrame
        The typed triad table of an analysis: ``model``, ``statistic``, ``group_1``,
        ``observed``, ``expected``, ``null_mean``, ``z``, ``p_adjusted``.
    top : int
        Rows shown, at most.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        Axes labelled ``"typed_triads"``; each model's markers have ``gid``
        ``"model:<model>"``.

    Raises
    ------
    ValueError
        If the table lacks a column, ``top`` is below 1 or no typed triad has a finite z.

    Notes
    -----
    O(rows log rows).
    """
    needed = {"model", "statistic", "group_1", "observed", "expected", "null_mean", "z",
              "p_adjusted"}
    missing = needed - set(typed_triads.columns)
    if missing:
        raise ValueError(f"the typed triad table lacks the column(s) {sorted(missing)}")
    if top < 1:
        raise ValueError(f"top must be at least 1, not {top}")
    rows = typed_triads[typed_triads["group_1"] != OTHER]
    furthest = rows["z"].abs().groupby(rows["statistic"], sort=False).min().dropna()
    if furthest.empty:
        raise ValueError("no typed triad has a finite z")
    shown = list(furthest.sort_values(ascending=False, kind="stable").index[:top])
    models = list(dict.fromkeys(rows["model"]))
    colours = model_colours(models)
    fig = new_figure(6.4, 1.0 + 0.17 * len(shown))
    ax = fig.add_subplot(label="typed_triads")
    y = {name: k for k, name in enumerate(shown)}
    ax.axvline(0.0, color="#888888", linewidth=0.7, zorder=0)
    clip = TRIAD_RATIO_CLIP
    for k, model in enumerate(models):
        part = rows[(rows["model"] == model) & rows["statistic"].isin(y)]
        ratio = _log2_ratio(part["observed"].to_numpy(dtype=float),
                            part["expected"].fillna(part["null_mean"]).to_numpy(dtype=float),
                            clip)
        significant = part["p_adjusted"].to_numpy(dtype=float) < _SIGNIFICANCE
        rank = part["statistic"].map(y).to_numpy() + 0.5 * (k - (len(models) - 1) / 2) / len(
            models)
        for marker, where in (("o", np.abs(ratio) < clip), (">", ratio >= clip),
                              ("<", ratio <= -clip)):
            ax.scatter(ratio[where], rank[where], s=16, marker=marker,
                       facecolors=np.where(significant[where], colours[model], "white"),
                       edgecolors=colours[model], linewidths=0.9,
                       label=model if marker == "o" else None, gid=f"model:{model}",
                       zorder=2)
    ax.set_yticks(range(len(shown)), shown, fontsize=SMALL_FONT)
    ax.set_ylim(len(shown) - 0.5, -0.5)
    ax.set_xlim(-clip - 0.5, clip + 0.5)
    ax.set_xlabel(f"log2 observed / model\nfilled: Holm-adjusted p < 0.05; triangles: "
                  f"beyond ±{clip:g} or infinite", fontsize=FONT)
    ax.grid(axis="y", color="#EEEEEE", linewidth=0.6, zorder=0)
    clean_axes(ax)
    fig.legend(*ax.get_legend_handles_labels(), fontsize=SMALL_FONT, frameon=False,
               loc="outside lower center", ncols=min(len(models), 5))
    fig.suptitle(textwrap.fill(title or f"The {len(shown)} typed triads the models explain "
                                        "least (largest |z| under the closest model)", 80),
                 fontsize=TITLE_FONT)
    return fig
