"""The distance figure: connection probability against soma distance, observed and PM."""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.figure import Figure
from scipy.stats import binomtest

from connectome_motifs.graphs.synapse_graph import SynapseGraph
from connectome_motifs.motifs.plots.style import (
    FONT,
    MODEL_COLOURS,
    SMALL_FONT,
    TITLE_FONT,
    clean_axes,
    new_figure,
)
from connectome_motifs.nullmodels.proximity import ProximityModel

__all__ = ["plot_distance_dependence"]

# Bins with fewer ordered pairs do not set the y range.
_WELL_SAMPLED_PAIRS = 50
# The probability panel ends a little past the distance holding this share of the connections.
_CONNECTED_SHARE = 0.999


def _estimator_label(model: ProximityModel) -> str:
    if model.estimator == "window":
        return f"PM fit p(d): moving window ±{model.window:g} µm"
    if model.estimator == "logistic":
        return "PM fit p(d): logistic in distance"
    return "PM fit p(d): non-increasing (isotonic)"


def plot_distance_dependence(
    graph: SynapseGraph,
    model: ProximityModel,
    bin_width: float = 10.0,
    title: str | None = None,
) -> Figure:
    """Return a figure of connection probability against soma distance, observed and PM.

    Top panel: the fraction of connected ordered pairs ``i -> j`` among all ordered pairs
    whose soma distance falls in each bin (black points at bin centres) with 95% Wilson
    binomial confidence intervals, and the proximity model's fitted p(d) as a line. Bottom
    panel: the number of ordered pairs per bin, over every distance; the top panel spans the
    bins of at least 50 ordered pairs, up to two bins past the distance within which 99.9%
    of the connected pairs lie, and the histogram shades the distances beyond. The intervals
    treat the ordered pairs as independent trials, which is the assumption of the PM model
    itself. The y range is set by the fractions, the fit and the intervals of bins with at
    least 50 ordered pairs; intervals of sparser bins may run off the top of the panel.

    Parameters
    ----------
    graph : SynapseGraph
        The observed graph.
    model : ProximityModel
        The proximity model fitted to ``graph``; its distances (3-D or lateral) are used
        for the bins too.
    bin_width : float
        Width of the distance bins in µm, starting at 0. The pairs are those the model
        counted in its bins of ``model.resolution`` µm, each of those pooled into the
        bin that holds its centre.
    title : str, optional
        Figure title; a description of the plot by default.

    Returns
    -------
    matplotlib.figure.Figure
        Axes labelled ``"probability"``, ``"pairs"`` and ``"legend"``. In
        ``"probability"`` the
        observed fractions are the line with ``gid`` ``"observed"`` (bins without pairs
        left out), the intervals of the bins of at least 50 ordered pairs the collection
        ``"interval"`` and the fit the line
        ``"fit"``; in ``"pairs"`` one bar per bin (``gid`` ``"pairs"``).

    Raises
    ------
    NotFittedError
        If ``model`` is not fitted.
    ValueError
        If ``model`` was fitted to a graph with another number of nodes, if
        ``bin_width`` is not positive, or if the graph has fewer than two nodes.

    Notes
    -----
    O(B + b) for B bins and the model's b distance bins.

    Examples
    --------
    >>> import pandas as pd
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> nodes = pd.DataFrame({"id": [0, 1, 2], "x": [0.0, 5.0, 50.0], "y": 0.0, "z": 0.0})
    >>> g = SynapseGraph.from_edges([0], [1], nodes=nodes)
    >>> fig = plot_distance_dependence(g, ProximityModel().fit(g))
    >>> [ax.get_label() for ax in fig.axes]
    ['probability', 'pairs', 'legend']
    """
    model.check_fitted()
    if model.graph_.n != graph.n:
        raise ValueError(f"the model was fitted to a graph of {model.graph_.n} nodes, "
                         f"this graph has {graph.n}")
    if not bin_width > 0:
        raise ValueError(f"bin_width must be positive, not {bin_width!r}")
    if graph.n < 2:
        raise ValueError("a distance dependence needs at least two nodes")
    # The model's fine distance bins, each pooled into the bin holding its centre.
    fine = np.flatnonzero(model.pair_counts_)
    coarse = np.floor((fine + 0.5) * model.resolution / bin_width).astype(np.int64)
    n_bins = int(coarse.max()) + 1
    edges = np.arange(n_bins + 1) * float(bin_width)
    pairs = np.bincount(coarse, weights=2 * model.pair_counts_[fine],
                        minlength=n_bins).astype(np.int64)
    connected = np.bincount(coarse, weights=model.connected_counts_[fine],
                            minlength=n_bins).astype(np.int64)
    centres = (edges[:-1] + edges[1:]) / 2
    has_pairs = pairs > 0
    fraction = connected[has_pairs] / pairs[has_pairs]
    intervals = np.array([binomtest(int(c), int(n)).proportion_ci(method="wilson")
                          for c, n in zip(connected[has_pairs], pairs[has_pairs], strict=True)])

    fig = new_figure(3.6, 4.2)
    grid = fig.add_gridspec(3, 1, height_ratios=[0.01, 3.0, 1.0])
    ax = fig.add_subplot(grid[1], label="probability")
    bars = fig.add_subplot(grid[2], label="pairs")
    grid_d = np.linspace(0.0, edges[-1], 400)
    fit_values = model.connection_probability(grid_d)
    ax.plot(grid_d, fit_values, color=MODEL_COLOURS["PM"],
            linewidth=1.5, gid="fit", label=_estimator_label(model), zorder=2)
    # Intervals only where a bin has enough pairs: those of the sparse far bins reach up to
    # 1 and say nothing but "few pairs", which the histogram below shows.
    well_sampled = pairs[has_pairs] >= _WELL_SAMPLED_PAIRS
    ax.plot(centres[has_pairs], fraction, "o", color="black", markersize=3.2, zorder=3,
            gid="observed", label=f"observed ({bin_width:g} µm bins)")
    container = ax.errorbar(
        centres[has_pairs][well_sampled], fraction[well_sampled],
        yerr=np.abs(intervals[well_sampled].T - fraction[well_sampled]), fmt="none",
        color="black", elinewidth=0.8, capsize=1.5, zorder=3,
        label=f"95% Wilson CI (bins of ≥ {_WELL_SAMPLED_PAIRS} ordered pairs)",
    )
    container.lines[2][0].set_gid("interval")
    reference = np.concatenate([fraction, intervals[well_sampled, 1],
                                fit_values[np.isfinite(fit_values)], [0.01]])
    ax.set_ylim(0.0, min(1.0, 1.25 * reference.max()))
    ax.set_ylabel("Connection probability", fontsize=FONT)
    # The probability panel spans the bins that hold enough pairs to estimate it, and no
    # farther than two bins past the distance within which 99.9% of the connected pairs lie;
    # the histogram below shows every distance, the far end included.
    populated = np.flatnonzero(pairs >= _WELL_SAMPLED_PAIRS)
    last = populated[-1] + 1 if populated.size else n_bins
    if connected.sum() > 0:
        reach = int(np.searchsorted(np.cumsum(connected), _CONNECTED_SHARE * connected.sum()))
        last = min(last, reach + 3)
    shown_to = edges[last]
    ax.set_xlim(0.0, shown_to)
    ax.set_xlabel("")
    key = fig.add_subplot(grid[0], label="legend")
    key.set_axis_off()
    key.legend(*ax.get_legend_handles_labels(), fontsize=SMALL_FONT, frameon=False,
               loc="center")
    clean_axes(ax)
    bars.bar(centres, pairs, width=bin_width * 0.9, color="#AAAAAA", gid="pairs")
    bars.set_ylabel("Ordered\npairs", fontsize=FONT)
    kind = "Lateral soma distance" if model.lateral else "Soma distance"
    bars.set_xlabel(f"{kind} d (µm)", fontsize=FONT)
    bars.set_xlim(0.0, edges[-1])
    if shown_to < edges[-1]:
        # Shaded: the distances the panel above leaves out.
        bars.axvspan(shown_to, edges[-1], color="#EAEAEA", zorder=0, linewidth=0,
                     gid="not-shown")
    clean_axes(bars)
    # Wrapped to the figure's width, so that no title is clipped.
    fig.suptitle(textwrap.fill(title or f"Connection probability and soma distance "
                               f"({graph.n} cells)", 46), fontsize=TITLE_FONT)
    return fig
