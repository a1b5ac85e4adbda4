"""The degree figure: in- and out-degree distributions of the observed graph and the nulls."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from numpy.typing import NDArray

from connectome_motifs.graphs.synapse_graph import SynapseGraph
from connectome_motifs.motifs.plots.style import (
    FONT,
    LINESTYLES,
    SMALL_FONT,
    TITLE_FONT,
    clean_axes,
    model_colours,
    new_figure,
)

__all__ = ["plot_degree_distributions"]

_PANELS = (
    ("in-degree", "In-degree k (presynaptic partners)", "in_degree"),
    ("out-degree", "Out-degree k (postsynaptic partners)", "out_degree"),
)


def _ccdf(degrees: NDArray[np.int64], k_max: int) -> NDArray[np.float64]:
    """Return the fraction of nodes with degree >= k for k = 0 .. k_max."""
    counts = np.bincount(degrees, minlength=k_max + 2)
    at_least = np.cumsum(counts[::-1])[::-1]
    return at_least[: k_max + 1] / max(degrees.size, 1)


def _sampled_curves(samples: pd.DataFrame, kind: str, model: str) -> pd.DataFrame:
    if kind not in samples.columns.get_level_values(0):
        raise ValueError(f"the samples of {model!r} have no {kind!r} columns")
    curves = samples[kind]
    if len(curves) == 0:
        raise ValueError(f"model {model!r} has no samples")
    return curves


def plot_degree_distributions(
    graph: SynapseGraph,
    samples: Mapping[str, pd.DataFrame],
    title: str | None = None,
) -> Figure:
    """Return a figure of the in- and out-degree distributions, observed and null.

    Two panels, in-degree and out-degree, each the complementary cumulative distribution
    P(K ≥ k), the fraction of cells with degree at least ``k``, on a log y axis and a
    linear degree axis. The observed graph is a thin black step line with a dot at every
    ``k``, drawn so that a model reproducing it exactly (CFG, gCFG) stays visible; each
    model is the median over its samples (step line in its colour of
    :data:`~connectome_motifs.motifs.plots.style.MODEL_COLOURS`) with a band from the 2.5th to the
    97.5th percentile at every recorded ``k``.

    The CCDF is used rather than a histogram because it needs no choice of bins, shows
    every cell (with ~100 cells most degrees occur a handful of times, so histograms
    are noisy), and overlaid bands of several models stay readable where histogram bars
    would hide each other; the log y axis resolves the tail of the few highly connected
    cells. The degree axis is linear because it includes 0, which a log axis would drop.

    Parameters
    ----------
    graph : SynapseGraph
        The observed graph.
    samples : mapping of str to pandas.DataFrame
        Model name -> one row per sample with columns ``("in_degree", k)`` and
        ``("out_degree", k)``: the fraction of cells with that degree at least ``k``, as
        :class:`~connectome_motifs.motifs.profile.MotifStatistics` records them (the ``samples`` of
        an ensemble of it, :attr:`~connectome_motifs.nullmodels.EnsembleResult.samples`).
    title : str, optional
        Figure title; a description of the plot by default.

    Returns
    -------
    matplotlib.figure.Figure
        Axes labelled ``"in-degree"``, ``"out-degree"`` and ``"legend"``. The observed
        line has ``gid`` ``"observed"`` (drawn at k = 0 .. the largest observed degree),
        each model's median line ``"median:<model>"`` and band ``"band:<model>"`` (drawn
        at its recorded degrees up to the last one some sample reaches).

    Raises
    ------
    ValueError
        If a model has no samples or no degree columns.

    Notes
    -----
    O(n + S·K) for n nodes, S samples in all and K recorded degrees.

    Examples
    --------
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> from connectome_motifs.motifs.profile import MotifStatistics
    >>> g = SynapseGraph.from_edges([0, 1, 2], [1, 2, 0], n=4)
    >>> statistic = MotifStatistics(max_common=1, degrees=[0, 1, 2])
    >>> cfg = pd.DataFrame([statistic(g), statistic(g)])
    >>> fig = plot_degree_distributions(g, {"CFG": cfg})
    >>> [ax.get_label() for ax in fig.axes]
    ['in-degree', 'out-degree', 'legend']
    """
    curves = {kind: {m: _sampled_curves(s, kind, m) for m, s in samples.items()}
              for _, _, kind in _PANELS}
    colours = model_colours(list(samples))
    fig = new_figure(7.2, 3.5)
    grid = fig.add_gridspec(2, 2, height_ratios=[0.01, 1.0])
    for column, (label, xlabel, kind) in enumerate(_PANELS):
        ax = fig.add_subplot(grid[1, column], label=label)
        observed = getattr(graph, kind)
        k_observed = int(observed.max(initial=0))
        k_max = k_observed
        for index, (model, table) in enumerate(curves[kind].items()):
            k = table.columns.to_numpy(dtype=np.int64)
            values = table.to_numpy(dtype=np.float64)
            reached = np.flatnonzero((values > 0).any(axis=0))
            # The last recorded degree some sample reaches, and the next (where all are 0).
            shown = slice(0, min(int(reached[-1]) + 2, k.size) if reached.size else 1)
            k, values = k[shown], values[:, shown]
            k_max = max(k_max, int(k[-1]))
            low, median, high = np.percentile(values, [2.5, 50, 97.5], axis=0)
            ax.fill_between(k, low, high, step="post", color=colours[model], alpha=0.15,
                            linewidth=0, gid=f"band:{model}")
            # Dash patterns tell apart models whose curves coincide (CFG keeps the degrees).
            ax.plot(k, median, drawstyle="steps-post", color=colours[model], linewidth=1.3,
                    linestyle=LINESTYLES[index % len(LINESTYLES)], gid=f"median:{model}",
                    label=f"{model}: median and 95% band of {len(values)} samples", zorder=3)
        k = np.arange(k_observed + 1)
        observed_ccdf = _ccdf(observed, k_observed)
        ax.plot(k, observed_ccdf, drawstyle="steps-post", color="black", linewidth=1.0,
                gid="observed", zorder=2)
        ax.plot(k, observed_ccdf, linestyle="none", marker="o", markersize=2.6, color="black",
                zorder=5, label="observed")
        ax.set_yscale("log", nonpositive="clip")
        ax.set_ylim(0.5 / max(graph.n, 1), 1.6)
        ax.set_xlim(-0.3, k_max + 1)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(xlabel, fontsize=FONT)
        ax.set_ylabel("Fraction of cells with degree ≥ k", fontsize=FONT)
        ax.set_title(f"{label.capitalize()} distribution", fontsize=FONT)
        clean_axes(ax)
    handles, labels = fig.axes[0].get_legend_handles_labels()
    key = fig.add_subplot(grid[0, :], label="legend")
    key.set_axis_off()
    # The observed graph first, then the models in the order given.
    key.legend([handles[-1], *handles[:-1]], [labels[-1], *labels[:-1]], loc="center",
               ncols=2, fontsize=SMALL_FONT, frameon=False, handlelength=2.6)
    fig.suptitle(title or f"Degree distributions: observed graph ({graph.n} cells) and null "
                 "models", fontsize=TITLE_FONT)
    return fig
