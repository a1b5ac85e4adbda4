"""Figures of the motif analysis: motif ratios to ER, degree distributions, distance dependence."""

from __future__ import annotations

import os
import uuid
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Literal

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullFormatter
from numpy.typing import NDArray
from scipy.stats import binomtest

from graphs.synapse_graph import SynapseGraph
from motifs.catalogue import DYADS, TRIADS
from nullmodels.proximity import ProximityModel

__all__ = [
    "MODEL_COLOURS",
    "model_colours",
    "plot_degree_distributions",
    "plot_distance_dependence",
    "plot_motif_ratios",
    "save_figure",
]

MODEL_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "ER": "#999999",
        "gER": "#CC79A7",
        "CFG": "#56B4E9",
        "gCFG": "#0072B2",
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
    "#E69F00", "#D55E00", "#F0E442", "#882255", "#44AA99", "#117733", "#332288", "#AA4499",
)

# Sizes in points, chosen to stay legible when a 7.2-inch figure is printed across two
# columns or a 3.5-inch one across a single column.
_FONT = 8.0
_SMALL_FONT = 7.0
_TITLE_FONT = 9.0
_PNG_DPI = 200
# Bins of the distance plot with fewer ordered pairs do not set its y range.
_WELL_SAMPLED_PAIRS = 50
_LINESTYLES = ("-", (0, (4, 1.5)), (0, (1, 1.2)), (0, (6, 1.5, 1, 1.5)), (0, (2.5, 2.5)))
# A fixed salt makes the ids of clip paths and glyphs in SVG files the same on every save.
_SVG_SALT = "connectome-motifs"


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


def _new_figure(width: float, height: float) -> Figure:
    # A bare Figure (no pyplot) is independent of any GUI and of pyplot's global state.
    return Figure(figsize=(width, height), layout="constrained")


def _clean_axes(ax) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=_FONT)


# ---------------------------------------------------------------------------------------
# Motif counts relative to the ER expectation


@dataclass(frozen=True)
class _MotifClass:
    key: str
    label: str
    edges: tuple[tuple[int, int], ...]
    n_nodes: int


def _motif_classes(kind: str) -> list[_MotifClass]:
    if kind == "triad":
        return [
            _MotifClass(t.name, f"{t.paper_number}\n{t.name}", t.edges, 3)
            for t in sorted(TRIADS, key=lambda t: t.paper_number)
        ]
    if kind == "dyad":
        return [_MotifClass(d.name, f"{d.paper_term}\n({d.name})", d.edges, 2) for d in DYADS]
    raise ValueError(f"kind must be 'triad' or 'dyad', not {kind!r}")


def _checked_values(values, keys: list[str], what: str) -> NDArray[np.float64]:
    """Return ``values`` (Series or DataFrame labelled by ``keys``) as floats in ``keys`` order."""
    labels = values.index if isinstance(values, pd.Series) else values.columns
    missing = [k for k in keys if k not in labels]
    if missing:
        raise ValueError(f"{what} has no values for the classes {missing}")
    array = values[keys].to_numpy(dtype=np.float64)
    if array.size == 0:
        raise ValueError(f"{what} is empty")
    if not np.isfinite(array).all() or (array < 0).any():
        raise ValueError(f"{what} must hold finite, non-negative counts")
    return array


def _draw_pictogram(ax, motif: _MotifClass) -> None:
    """Draw the nodes and edges of a motif class on an empty axes."""
    if motif.n_nodes == 3:
        nodes = np.array([[0.0, 0.0], [0.5, np.sqrt(3) / 2], [1.0, 0.0]])
        ax.set_xlim(-0.22, 1.22)
        ax.set_ylim(-0.18, 1.04)
    else:
        nodes = np.array([[0.0, 0.0], [1.0, 0.0]])
        ax.set_xlim(-0.25, 1.25)
        ax.set_ylim(-0.35, 0.35)
    ax.set_aspect("equal")
    ax.set_axis_off()
    edges = set(motif.edges)
    for u, v in motif.edges:
        # A reciprocal pair is two arcs bowing to opposite sides, so both arrows show.
        bend = 0.35 if (v, u) in edges else 0.0
        ax.add_patch(
            FancyArrowPatch(
                nodes[u], nodes[v], arrowstyle="-|>", mutation_scale=6.0, linewidth=0.8,
                color="#333333", shrinkA=2.8, shrinkB=2.8, connectionstyle=f"arc3,rad={bend}",
            )
        )
    ax.plot(nodes[:, 0], nodes[:, 1], "o", color="black", markersize=3.2, zorder=3)


def _ratio_axis(ax, lowest: float, highest: float, floor: float | None) -> None:
    """Make the y axis a log axis of ratios, with a band labelled ``0`` at ``floor``.

    The axis reaches at least up to 10, and down to 0.1 when there is no band, so that
    figures show the same decades around the ER reference; ``lowest`` and ``highest``
    are the extreme positive ratios.
    """
    ax.set_yscale("log")
    bottom = min(lowest / 10.0**0.35, 10.0**-1.1) if floor is None else floor / 10.0**0.35
    top = max(highest * 10.0**0.35, 10.0**1.1)
    ax.set_ylim(bottom, top)
    first = np.ceil(np.log10(bottom)) if floor is None else np.log10(floor) + 1
    decades = 10.0 ** np.arange(first, np.floor(np.log10(top)) + 1)
    ax.yaxis.set_major_locator(FixedLocator(([] if floor is None else [floor]) + list(decades)))
    scale_starts = bottom if floor is None else floor * 10.0
    minor = [m * 10.0**e for e in range(int(np.floor(np.log10(bottom))), int(np.log10(top)) + 1)
             for m in range(2, 10)]
    ax.yaxis.set_minor_locator(FixedLocator([v for v in minor if scale_starts < v < top]))
    ax.yaxis.set_minor_formatter(NullFormatter())

    def label(value, _position) -> str:
        if floor is not None and np.isclose(value, floor):
            return "0"
        exponent = round(np.log10(value))
        return f"{value:g}" if -2 <= exponent <= 3 else f"$10^{{{exponent}}}$"

    ax.yaxis.set_major_formatter(FuncFormatter(label))
    if floor is None:
        return
    band = 10.0**0.22
    ax.axhspan(floor / band, floor * band, color="#E8E8E8", zorder=0, linewidth=0)
    # Short slanted strokes across the spine mark the break between the band and the scale.
    gap = floor * 10.0**0.5
    ax.plot([-0.012, 0.012], [gap / 10.0**0.06, gap * 10.0**0.06], color="black",
            linewidth=0.8, transform=ax.get_yaxis_transform(), clip_on=False, zorder=5)


def _at_floor(ratios: NDArray[np.float64], floor: float | None) -> NDArray[np.float64]:
    return ratios if floor is None else np.where(ratios > 0, ratios, floor)


def plot_motif_ratios(
    observed: pd.Series,
    er_expected: pd.Series,
    samples: Mapping[str, pd.DataFrame],
    expected: Mapping[str, pd.Series] | None = None,
    kind: Literal["triad", "dyad"] = "triad",
    title: str | None = None,
) -> Figure:
    """Return a figure of motif counts relative to the ER expectation, observed and null.

    The style of Turner et al. (2022), Fig. 5E/F: for every motif class (x axis, in the
    paper's order) the observed count and each null model's counts are divided by the
    count the Erdős–Rényi model (ER) expects, on a log y axis with a dashed reference
    line at 1 (ER). Each sampled model gets a box (median and quartiles; whiskers from
    the smallest to the largest sample, so no sample is hidden) in its colour of
    :data:`MODEL_COLOURS`; each exact expectation is a short horizontal mark; the observed
    count is a black diamond, with a thin black line across the class to compare the
    models against. A count of zero, which a log axis cannot show, is drawn in a grey
    band labelled ``0`` one decade below the smallest positive ratio, separated from the
    scale by a break mark. Under each class is a pictogram of it (arrows; reciprocal pairs
    as two arcs) with its paper number and MAN code (triads) or its 2-cell motif term
    and MAN name (dyads).

    Parameters
    ----------
    observed : pandas.Series
        Observed counts indexed by MAN code (:func:`motifs.triad_census`) or dyad name
        (:func:`motifs.dyad_census`).
    er_expected : pandas.Series
        The ER model's expected counts, labelled like ``observed``
        (:func:`motifs.expected.expected_triad_census` of a fitted ER model); all positive.
    samples : mapping of str to pandas.DataFrame
        Model name -> one row per sample, one column per class (the ``samples`` of
        :func:`nullmodels.ensemble`), e.g. ``{"CFG": ..., "gCFG": ..., "PM": ...}``.
    expected : mapping of str to pandas.Series, optional
        Model name -> exact expected counts, e.g. ``{"gER": ...}``.
    kind : {"triad", "dyad"}
        Which census is plotted: the 16 triad classes ordered by their number in Turner
        et al. (2022), or the three dyad classes (unconnected, one-way, reciprocal).
    title : str, optional
        Figure title; a description of the plot by default.

    Returns
    -------
    matplotlib.figure.Figure
        Axes labelled ``"ratios"`` (the data), ``"pictograms"`` (class labels as x tick
        labels, one inset pictogram per class) and ``"legend"``. Artists carry ids (``gid``) for
        reading the figure back: ``"observed"`` (one line, one point per class),
        ``"box:<model>"``, ``"median:<model>"`` (one per class, in class order),
        ``"whisker:<model>"`` (lower and upper per class) and ``"expected:<model>"``
        (a collection of one segment per class).

    Raises
    ------
    ValueError
        If ``kind`` is unknown, if a class is missing from an input, if a count is
        negative or not finite, if an ER expectation is not positive, or if neither
        ``samples`` nor ``expected`` holds a model.

    Notes
    -----
    O(C·S) for C classes and S samples in all (the box statistics).

    References
    ----------
    Turner et al., Cell 185:1082 (2022), Fig. 5E and 5F.

    Examples
    --------
    >>> import pandas as pd
    >>> names = ["null", "asymmetric", "mutual"]
    >>> obs = pd.Series([90, 8, 2], index=names)
    >>> er = pd.Series([90.0, 9.0, 1.0], index=names)
    >>> cfg = pd.DataFrame([[91, 8, 1], [92, 7, 1], [90, 10, 0]], columns=names)
    >>> fig = plot_motif_ratios(obs, er, {"CFG": cfg}, kind="dyad")
    >>> [ax.get_label() for ax in fig.axes]
    ['ratios', 'pictograms', 'legend']
    """
    classes = _motif_classes(kind)
    keys = [c.key for c in classes]
    expected = dict(expected or {})
    models = list(dict.fromkeys([*samples, *expected]))
    if not models:
        raise ValueError("give at least one model in samples or expected")
    er = _checked_values(er_expected, keys, "er_expected")
    if not (er > 0).all():
        zero = [k for k, e in zip(keys, er, strict=True) if not e > 0]
        raise ValueError(f"the ER expectation must be positive to divide by; it is 0 for {zero}")
    observed_ratio = _checked_values(observed, keys, "observed") / er
    sample_ratios = {
        m: _checked_values(df, keys, f"samples[{m!r}]").reshape(-1, len(keys)) / er
        for m, df in samples.items()
    }
    expected_ratios = {m: _checked_values(s, keys, f"expected[{m!r}]") / er
                       for m, s in expected.items()}
    every_ratio = np.concatenate(
        [observed_ratio, *(r.ravel() for r in sample_ratios.values()), *expected_ratios.values()]
    )
    positive = every_ratio[every_ratio > 0]
    lowest = positive.min() if positive.size else 1.0
    highest = positive.max() if positive.size else 1.0
    # Zeros are drawn in a band one decade below the decade of the smallest positive ratio.
    floor = float(10.0 ** (np.floor(np.log10(lowest)) - 1)) if (every_ratio == 0).any() else None
    colours = model_colours(models)

    width = 7.2 if kind == "triad" else 3.6
    fig = _new_figure(width, 4.3 if kind == "triad" else 3.9)
    # A legend row of its own keeps the legend clear of the title under constrained layout.
    grid = fig.add_gridspec(3, 1, height_ratios=[0.01, 5.0, 1.1 if kind == "triad" else 1.0])
    ax = fig.add_subplot(grid[1], label="ratios")
    strip = fig.add_subplot(grid[2], sharex=ax, label="pictograms")
    key = fig.add_subplot(grid[0], label="legend")
    key.set_axis_off()
    x = np.arange(len(classes), dtype=np.float64)
    # Each class has a slot for the observed count, then one per model, side by side.
    group = 0.86
    slot = group / (len(models) + 1)
    offsets = -group / 2 + slot * (np.arange(len(models) + 1) + 0.5)

    ax.axhline(1.0, color="#555555", linestyle="--", linewidth=0.8, zorder=1)
    for k, model in enumerate(models):
        position = x + offsets[k + 1]
        if model in sample_ratios:
            data = _at_floor(sample_ratios[model], floor)
            parts = ax.boxplot(
                list(data.T), positions=position, widths=slot * 0.78, whis=(0, 100),
                showfliers=False, patch_artist=True, manage_ticks=False,
                boxprops={"facecolor": mpl.colors.to_rgba(colours[model], 0.45),
                          "edgecolor": colours[model], "linewidth": 0.8},
                whiskerprops={"color": colours[model], "linewidth": 0.8},
                capprops={"color": colours[model], "linewidth": 0.8},
                medianprops={"color": "#222222", "linewidth": 1.0},
            )
            for box in parts["boxes"]:
                box.set_gid(f"box:{model}")
            for median in parts["medians"]:
                median.set_gid(f"median:{model}")
            for whisker in parts["whiskers"]:
                whisker.set_gid(f"whisker:{model}")
        if model in expected_ratios:
            values = _at_floor(expected_ratios[model], floor)
            ax.hlines(values, position - slot * 0.5, position + slot * 0.5, color=colours[model],
                      linewidth=2.0, gid=f"expected:{model}", zorder=4)
    shown = _at_floor(observed_ratio, floor)
    ax.hlines(shown, x - group / 2, x + group / 2, color="black", linewidth=0.6, zorder=2)
    ax.plot(x + offsets[0], shown, linestyle="none", marker="D", markersize=4.5,
            color="black", gid="observed", zorder=6)

    _ratio_axis(ax, lowest, highest, floor)
    ax.set_xlim(-0.55, len(classes) - 0.45)
    ax.set_xticks(x)
    ax.tick_params(axis="x", labelbottom=False, length=0)
    for boundary in x[1:] - 0.5:
        ax.axvline(boundary, color="#EEEEEE", linewidth=0.6, zorder=0)
    _clean_axes(ax)
    ax.set_ylabel("Count / ER expected count", fontsize=_FONT)

    strip.spines[:].set_visible(False)
    strip.set_yticks([])
    strip.set_xticks(x, labels=[c.label for c in classes])
    strip.tick_params(axis="x", length=0, labelsize=_SMALL_FONT if kind == "triad" else _FONT,
                      pad=1.0)
    strip.set_ylim(0.0, 1.0)
    strip.set_xlabel(
        "Triad class (number in Turner et al. 2022, MAN code)" if kind == "triad"
        else "Dyad class (2-cell motif, MAN name)", fontsize=_FONT,
    )
    for k, motif in enumerate(classes):
        inset = strip.inset_axes([x[k] - 0.45, 0.0, 0.9, 1.0],
                                 transform=strip.get_xaxis_transform())
        inset.set_label(f"pictogram:{motif.key}")
        _draw_pictogram(inset, motif)

    handles = [Line2D([], [], linestyle="-", marker="D", markersize=4.5, color="black",
                      linewidth=0.6, label="observed")]
    for model in models:
        if model in sample_ratios:
            n = sample_ratios[model].shape[0]
            handles.append(Patch(facecolor=mpl.colors.to_rgba(colours[model], 0.45),
                                 edgecolor=colours[model], label=f"{model} ({n} samples)"))
        if model in expected_ratios:
            handles.append(Line2D([], [], linestyle="none", marker="_", markersize=9,
                                  markeredgewidth=2.0, color=colours[model],
                                  label=f"{model} (exact expectation)"))
    handles.append(Line2D([], [], color="#555555", linestyle="--", linewidth=0.8,
                          label="ER expectation (ratio 1)"))
    if floor is not None:
        handles.append(Patch(facecolor="#E8E8E8", label="count 0"))
    if sample_ratios:
        handles.append(Patch(fill=False, edgecolor="none",
                             label="boxes: median, quartiles;\nwhiskers: full range"))
    key.legend(handles=handles, loc="center",
               ncols=min(len(handles), 4 if kind == "triad" else 2), fontsize=_SMALL_FONT,
               frameon=False, columnspacing=1.2, handlelength=1.6)
    if title is None:
        title = ("Triad motif counts relative to the Erdős–Rényi (ER) expectation"
                 if kind == "triad" else "Dyad motif counts relative to\nthe Erdős–Rényi (ER) "
                 "expectation")
    fig.suptitle(title, fontsize=_TITLE_FONT)
    return fig


# ---------------------------------------------------------------------------------------
# Degree distributions


def _ccdf(degrees: NDArray[np.int64], k_max: int) -> NDArray[np.float64]:
    """Return the fraction of nodes with degree >= k for k = 0 .. k_max."""
    counts = np.bincount(degrees, minlength=k_max + 2)
    at_least = np.cumsum(counts[::-1])[::-1]
    return at_least[: k_max + 1] / max(degrees.size, 1)


def plot_degree_distributions(
    graph: SynapseGraph,
    samples: Mapping[str, Sequence[SynapseGraph]],
    title: str | None = None,
) -> Figure:
    """Return a figure of the in- and out-degree distributions, observed and null.

    Two panels, in-degree and out-degree, each the complementary cumulative distribution
    P(K ≥ k), the fraction of cells with degree at least ``k``, on a log y axis and a
    linear degree axis. The observed graph is a thin black step line with a dot at every
    ``k``, drawn so that a model reproducing it exactly (CFG, gCFG) stays visible; each
    model of
    ``samples`` is the median over its sampled graphs (step line in its colour of
    :data:`MODEL_COLOURS`) with a band from the 2.5th to the 97.5th percentile at every
    ``k``.

    The CCDF is used rather than a histogram because it needs no choice of bins, shows
    every cell (with ~100 cells most degrees occur a handful of times, so histograms
    are noisy), and overlaid bands of several models stay readable where histogram bars
    would hide each other; the log y axis resolves the tail of the few highly connected
    cells. The degree axis is linear because degrees of graphs of this size span little
    more than one decade and include 0, which a log axis would drop.

    Parameters
    ----------
    graph : SynapseGraph
        The observed graph.
    samples : mapping of str to sequence of SynapseGraph
        Model name -> graphs sampled from the model fitted to ``graph``.
    title : str, optional
        Figure title; a description of the plot by default.

    Returns
    -------
    matplotlib.figure.Figure
        Axes labelled ``"in-degree"``, ``"out-degree"`` and ``"legend"``. The observed
        line has ``gid`` ``"observed"``, each model's median line ``"median:<model>"`` and band
        ``"band:<model>"``; lines are drawn at k = 0 .. the largest degree.

    Raises
    ------
    ValueError
        If a model has no samples or a sample has a different number of nodes.

    Notes
    -----
    O(S·(n + k_max)) for S sampled graphs of n nodes and largest degree k_max.

    Examples
    --------
    >>> from graphs import SynapseGraph
    >>> g = SynapseGraph.from_edges([0, 1, 2], [1, 2, 0], n=4)
    >>> fig = plot_degree_distributions(g, {"CFG": [g, g]})
    >>> [ax.get_label() for ax in fig.axes]
    ['in-degree', 'out-degree', 'legend']
    """
    for model, graphs in samples.items():
        if len(graphs) == 0:
            raise ValueError(f"model {model!r} has no sampled graphs")
        sizes = {s.n for s in graphs}
        if sizes != {graph.n}:
            raise ValueError(f"the graphs sampled from {model!r} have {sorted(sizes)} nodes, "
                             f"the observed graph {graph.n}")
    colours = model_colours(list(samples))
    fig = _new_figure(7.2, 3.5)
    grid = fig.add_gridspec(2, 2, height_ratios=[0.01, 1.0])
    panels = (
        ("in-degree", "In-degree k (presynaptic partners)", "in_degree"),
        ("out-degree", "Out-degree k (postsynaptic partners)", "out_degree"),
    )
    for column, (label, xlabel, attribute) in enumerate(panels):
        ax = fig.add_subplot(grid[1, column], label=label)
        observed = getattr(graph, attribute)
        sampled = {m: [getattr(s, attribute) for s in gs] for m, gs in samples.items()}
        k_max = int(max([observed.max(initial=0)]
                        + [d.max(initial=0) for ds in sampled.values() for d in ds]))
        k = np.arange(k_max + 1)
        observed_ccdf = _ccdf(observed, k_max)
        ax.plot(k, observed_ccdf, drawstyle="steps-post", color="black", linewidth=1.0,
                gid="observed", zorder=2)
        for index, (model, degree_lists) in enumerate(sampled.items()):
            curves = np.array([_ccdf(d, k_max) for d in degree_lists])
            low, median, high = np.percentile(curves, [2.5, 50, 97.5], axis=0)
            ax.fill_between(k, low, high, step="post", color=colours[model], alpha=0.15,
                            linewidth=0, gid=f"band:{model}")
            # Dash patterns tell apart models whose curves coincide (CFG keeps the degrees).
            ax.plot(k, median, drawstyle="steps-post", color=colours[model], linewidth=1.3,
                    linestyle=_LINESTYLES[index % len(_LINESTYLES)], gid=f"median:{model}",
                    label=f"{model}: median and 95% band of {len(degree_lists)} samples",
                    zorder=3)
        ax.plot(k, observed_ccdf, linestyle="none", marker="o", markersize=2.6, color="black",
                zorder=5, label="observed")
        ax.set_yscale("log", nonpositive="clip")
        ax.set_ylim(0.5 / max(graph.n, 1), 1.6)
        ax.set_xlim(-0.3, k_max + 1)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(xlabel, fontsize=_FONT)
        ax.set_ylabel("Fraction of cells with degree ≥ k", fontsize=_FONT)
        ax.set_title(f"{label.capitalize()} distribution", fontsize=_FONT)
        _clean_axes(ax)
    handles, labels = fig.axes[0].get_legend_handles_labels()
    key = fig.add_subplot(grid[0, :], label="legend")
    key.set_axis_off()
    # The observed graph first, then the models in the order given.
    key.legend([handles[-1], *handles[:-1]], [labels[-1], *labels[:-1]], loc="center",
               ncols=2, fontsize=_SMALL_FONT, frameon=False, handlelength=2.6)
    fig.suptitle(title or f"Degree distributions: observed graph ({graph.n} cells) and null "
                 "models", fontsize=_TITLE_FONT)
    return fig


# ---------------------------------------------------------------------------------------
# Connection probability against distance


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
    binomial confidence intervals, and the proximity model's fitted p(d) as a line.
    Bottom panel: the number of ordered pairs per bin. The intervals treat the ordered
    pairs as independent trials, which is the assumption of the PM model itself. The y
    range is set by the fractions, the fit and the intervals of bins with at least 50
    ordered pairs; intervals of sparser bins may run off the top of the panel.

    Parameters
    ----------
    graph : SynapseGraph
        The observed graph.
    model : ProximityModel
        The proximity model fitted to ``graph``; its distances (3-D or lateral) are used
        for the bins too.
    bin_width : float
        Width of the distance bins in µm; bins start at 0, a pair on a boundary counts
        in the upper bin and the last bin is closed.
    title : str, optional
        Figure title; a description of the plot by default.

    Returns
    -------
    matplotlib.figure.Figure
        Axes labelled ``"probability"``, ``"pairs"`` and ``"legend"``. In
        ``"probability"`` the
        observed fractions are the line with ``gid`` ``"observed"`` (bins without pairs
        left out), their intervals the collection ``"interval"`` and the fit the line
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
    O(n² + B) for n nodes and B bins.

    Examples
    --------
    >>> import pandas as pd
    >>> from graphs import SynapseGraph
    >>> nodes = pd.DataFrame({"id": [0, 1, 2], "x": [0.0, 5.0, 50.0], "y": 0.0, "z": 0.0})
    >>> g = SynapseGraph.from_edges([0], [1], nodes=nodes)
    >>> fig = plot_distance_dependence(g, ProximityModel().fit(g))
    >>> [ax.get_label() for ax in fig.axes]
    ['probability', 'pairs', 'legend']
    """
    distances = model.distances_
    if distances.shape != (graph.n, graph.n):
        raise ValueError(f"the model was fitted to a graph of {distances.shape[0]} nodes, "
                         f"this graph has {graph.n}")
    if not bin_width > 0:
        raise ValueError(f"bin_width must be positive, not {bin_width!r}")
    if graph.n < 2:
        raise ValueError("a distance dependence needs at least two nodes")
    off_diagonal = ~np.eye(graph.n, dtype=bool)
    adjacency = np.zeros((graph.n, graph.n), dtype=bool)
    pre, post = graph.edges()
    adjacency[pre, post] = True
    pair_distances = distances[off_diagonal]
    n_bins = max(int(np.ceil(pair_distances.max() / bin_width)), 1)
    edges = np.arange(n_bins + 1) * float(bin_width)
    pairs, _ = np.histogram(pair_distances, bins=edges)
    connected, _ = np.histogram(pair_distances[adjacency[off_diagonal]], bins=edges)
    centres = (edges[:-1] + edges[1:]) / 2
    has_pairs = pairs > 0
    fraction = connected[has_pairs] / pairs[has_pairs]
    intervals = np.array([binomtest(int(c), int(n)).proportion_ci(method="wilson")
                          for c, n in zip(connected[has_pairs], pairs[has_pairs], strict=True)])

    fig = _new_figure(3.6, 4.2)
    grid = fig.add_gridspec(3, 1, height_ratios=[0.01, 3.0, 1.0])
    ax = fig.add_subplot(grid[1], label="probability")
    bars = fig.add_subplot(grid[2], sharex=ax, label="pairs")
    grid_d = np.linspace(0.0, edges[-1], 400)
    fit_values = model.connection_probability(grid_d)
    ax.plot(grid_d, fit_values, color=MODEL_COLOURS["PM"],
            linewidth=1.5, gid="fit", label=_estimator_label(model), zorder=2)
    container = ax.errorbar(
        centres[has_pairs], fraction, yerr=np.abs(intervals.T - fraction), fmt="o",
        color="black", markersize=3.2, elinewidth=0.8, capsize=1.5, zorder=3,
        label=f"observed ({bin_width:g} µm bins, 95% Wilson CI)",
    )
    container.lines[0].set_gid("observed")
    container.lines[2][0].set_gid("interval")
    # Bins with few pairs have intervals reaching far up; they may run off the top rather
    # than squash the well-sampled bins.
    well_sampled = pairs[has_pairs] >= _WELL_SAMPLED_PAIRS
    reference = np.concatenate([fraction, intervals[well_sampled, 1],
                                fit_values[np.isfinite(fit_values)], [0.01]])
    ax.set_ylim(0.0, min(1.0, 1.25 * reference.max()))
    ax.set_ylabel("Connection probability", fontsize=_FONT)
    ax.tick_params(axis="x", labelbottom=False)
    key = fig.add_subplot(grid[0], label="legend")
    key.set_axis_off()
    key.legend(*ax.get_legend_handles_labels(), fontsize=_SMALL_FONT, frameon=False,
               loc="center")
    _clean_axes(ax)
    bars.bar(centres, pairs, width=bin_width * 0.9, color="#AAAAAA", gid="pairs")
    bars.set_ylabel("Ordered\npairs", fontsize=_FONT)
    kind = "Lateral soma distance" if model.lateral else "Soma distance"
    bars.set_xlabel(f"{kind} d (µm)", fontsize=_FONT)
    bars.set_xlim(0.0, edges[-1])
    _clean_axes(bars)
    fig.suptitle(title or f"Connection probability and soma distance ({graph.n} cells)",
                 fontsize=_TITLE_FONT)
    return fig


# ---------------------------------------------------------------------------------------
# Saving


def _write_atomically(fig: Figure, path: Path, fmt: str, **kwargs) -> None:
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
    try:
        with open(temporary, "xb") as handle:
            fig.savefig(handle, format=fmt, **kwargs)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def save_figure(fig: Figure, stem: str | Path) -> list[Path]:
    """Return the paths of ``stem.png`` and ``stem.svg`` after writing ``fig`` to both.

    Each file is written to a temporary name in the same folder and then moved into
    place with :func:`os.replace`, so a reader never sees a half-written file and a
    failed save leaves nothing behind. The folder is created if needed.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    stem : str or pathlib.Path
        Path without the extension; ``".png"`` and ``".svg"`` are appended (so dots in
        the name are kept).

    Returns
    -------
    list of pathlib.Path
        ``[stem.png, stem.svg]``.

    Notes
    -----
    The PNG is rendered at 200 dpi without the ``Software`` entry; the SVG without a date
    and with a fixed hash salt for its element ids, so saving the same figure twice gives
    identical files. The salt is set through matplotlib's ``rcParams`` for the duration
    of the SVG save (matplotlib reads it from there only). A figure with a layout engine
    (such as the constrained layout of this module's figures) is laid out once and its
    layout then frozen (engine set to ``"none"``): every later save, and both formats,
    use the same geometry.

    Examples
    --------
    >>> import tempfile
    >>> fig = Figure()
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [p.name for p in save_figure(fig, Path(folder) / "empty")]
    ['empty.png', 'empty.svg']
    """
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    engine = fig.get_layout_engine()
    if engine is not None and not isinstance(engine, PlaceHolderLayoutEngine):
        # Each layout pass starts from the positions of the last one and moves them by
        # rounding noise, which changes the SVG's clip-path ids: lay out once, then freeze.
        fig.draw_without_rendering()
        fig.set_layout_engine("none")
    png = stem.with_name(stem.name + ".png")
    svg = stem.with_name(stem.name + ".svg")
    _write_atomically(fig, png, "png", dpi=_PNG_DPI, metadata={"Software": None})
    with mpl.rc_context({"svg.hashsalt": _SVG_SALT}):
        _write_atomically(fig, svg, "svg", metadata={"Date": None})
    return [png, svg]
