"""The motif-ratio figure: observed and null counts of each class relative to a reference."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Literal

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter
from numpy.typing import NDArray

from connectome_motifs.motifs.plots.pictograms import MotifClass, draw_pictogram, motif_classes
from connectome_motifs.motifs.plots.style import (
    FONT,
    SMALL_FONT,
    TITLE_FONT,
    clean_axes,
    model_colours,
    new_figure,
)

__all__ = ["plot_motif_ratios"]


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


def _ratio_axis(ax, lowest: float, highest: float, floor: float | None) -> None:
    """Make the y axis a log axis of ratios, with a band labelled ``0`` at ``floor``.

    The axis reaches at least up to 10, and down to 0.1 when there is no band, so that
    figures show the same decades around the reference; ``lowest`` and ``highest``
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
    reference: pd.Series,
    samples: Mapping[str, pd.DataFrame],
    expected: Mapping[str, pd.Series] | None = None,
    kind: Literal["triad", "dyad"] = "triad",
    title: str | None = None,
    significant: Mapping[str, Sequence[str]] | None = None,
    reference_label: str = "ER expectation",
) -> Figure:
    """Return a figure of motif counts relative to a reference, observed and null.

    The style of Turner et al. (2022), Fig. 5E/F: for every motif class (x axis, in the
    paper's order) the observed count and each null model's counts are divided by a
    reference count, by default what the Erdős–Rényi model (ER) expects, on a log y axis
    with a dashed reference line at 1. Each sampled model gets a box (median and quartiles;
    whiskers from the smallest to the largest sample, so no sample is hidden) in its colour
    of :data:`MODEL_COLOURS`; each exact expectation is a short horizontal mark; the
    observed count is a black diamond, with a thin black line across the class to compare
    the models against. A count of zero, which a log axis cannot show, is drawn in a grey
    band labelled ``0`` one decade below the smallest positive ratio, separated from the
    scale by a break mark. Under each class is a pictogram of it (arrows; reciprocal pairs
    as two arcs) with its paper number and MAN code (triads) or its 2-cell motif term and
    MAN name (dyads).

    Parameters
    ----------
    observed : pandas.Series
        Observed counts indexed by MAN code (:func:`connectome_motifs.motifs.triad_census`) or dyad
        name (:func:`connectome_motifs.motifs.dyad_census`).
    reference : pandas.Series
        The counts every value is divided by, labelled like ``observed``, all positive:
        the ER model's expected counts
        (:func:`connectome_motifs.motifs.expected.expected_triad_census` of a fitted ER
        model), or another model's expectation or sample mean where ER expects almost
        nothing of some class (the ratios would span many decades).
    samples : mapping of str to pandas.DataFrame
        Model name -> one row per sample, one column per class (the ``samples`` of
        :func:`connectome_motifs.nullmodels.ensemble`), e.g. ``{"CFG": ..., "gCFG": ..., "PM":
        ...}``.
    expected : mapping of str to pandas.Series, optional
        Model name -> exact expected counts, e.g. ``{"gER": ...}``.
    kind : {"triad", "dyad"}
        Which census is plotted: the 16 triad classes ordered by their number in Turner
        et al. (2022), or the three dyad classes (unconnected, one-way, reciprocal).
    title : str, optional
        Figure title; a description of the plot by default.
    significant : mapping of str to sequence of str, optional
        Model name -> the classes in which the observed count differs significantly from
        the model; each is marked by an asterisk in the model's colour above its slot.
    reference_label : str
        What ``reference`` is, for the axis label, the legend and the default title
        (e.g. ``"CFG sample mean"``).

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
        negative or not finite, if a reference count is not positive, or if neither
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
    classes = motif_classes(kind)
    keys = [c.key for c in classes]
    expected = dict(expected or {})
    models = list(dict.fromkeys([*samples, *expected]))
    if not models:
        raise ValueError("give at least one model in samples or expected")
    er = _checked_values(reference, keys, "reference")
    if not (er > 0).all():
        zero = [k for k, e in zip(keys, er, strict=True) if not e > 0]
        raise ValueError(f"the reference must be positive to divide by; it is 0 for {zero}")
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
    # The y range holds the observed counts, the exact expectations and the samples'
    # quartiles; whiskers of the classes ER expects almost never (300) may run off the top
    # rather than squash the range where the models differ.
    shown_ratios = np.concatenate(
        [observed_ratio, *expected_ratios.values(),
         *(np.percentile(r, [25, 75], axis=0).ravel() for r in sample_ratios.values())])
    positive = shown_ratios[shown_ratios > 0]
    lowest = positive.min() if positive.size else 1.0
    highest = positive.max() if positive.size else 1.0
    # Zeros are drawn in a band one decade below the decade of the smallest positive ratio.
    floor = float(10.0 ** (np.floor(np.log10(lowest)) - 1)) if (every_ratio == 0).any() else None
    colours = model_colours(models)

    width = 7.2 if kind == "triad" else 5.4
    fig = new_figure(width, 4.3 if kind == "triad" else 3.6)
    # A legend row of its own keeps the legend clear of the title under constrained layout.
    grid = fig.add_gridspec(3, 1, height_ratios=[0.01, 5.0, 1.1 if kind == "triad" else 1.0])
    ax = fig.add_subplot(grid[1], label="ratios")
    strip = fig.add_subplot(grid[2], sharex=ax, label="pictograms")
    key = fig.add_subplot(grid[0], label="legend")
    key.set_axis_off()
    x = np.arange(len(classes), dtype=np.float64)
    _ratio_axis(ax, lowest, highest, floor)
    _draw_ratios(ax, x, models, colours, observed_ratio, sample_ratios, expected_ratios, floor)
    _mark_significant(ax, x, models, colours, keys, dict(significant or {}))
    ax.set_xlim(-0.55, len(classes) - 0.45)
    ax.set_xticks(x)
    ax.tick_params(axis="x", labelbottom=False, length=0)
    for boundary in x[1:] - 0.5:
        ax.axvline(boundary, color="#EEEEEE", linewidth=0.6, zorder=0)
    clean_axes(ax)
    ax.set_ylabel(f"Count / {reference_label}", fontsize=FONT)
    _draw_class_strip(strip, x, classes, kind)
    _draw_legend(key, models, colours, sample_ratios, expected_ratios, floor, kind,
                 marks=bool(significant), reference_label=reference_label)
    if title is None:
        what = ("the Erdős–Rényi (ER) expectation" if reference_label == "ER expectation"
                else f"the {reference_label}")
        title = (f"Triad motif counts relative to {what}" if kind == "triad"
                 else f"Dyad motif counts relative to\n{what}")
    # Wrapped to the figure's width, so that no title is clipped.
    fig.suptitle(textwrap.fill(title, 95 if kind == "triad" else 66), fontsize=TITLE_FONT)
    return fig


def _draw_ratios(ax, x, models, colours, observed_ratio, sample_ratios, expected_ratios,
                 floor) -> None:
    """Draw each model's boxes or exact marks and the observed diamonds, class by class."""
    group = 0.86
    # Each class has a slot for the observed count, then one per model, side by side.
    slot = group / (len(models) + 1)
    offsets = -group / 2 + slot * (np.arange(len(models) + 1) + 0.5)

    ax.axhline(1.0, color="#555555", linestyle="--", linewidth=0.8, zorder=1)
    for k, model in enumerate(models):
        position = x + offsets[k + 1]
        if model in sample_ratios:
            data = _at_floor(sample_ratios[model], floor)
            stats = _box_stats(data, floor)
            parts = ax.bxp(
                stats, positions=position, widths=slot * 0.78,
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


def _box_stats(data: NDArray[np.float64], floor: float | None) -> list[dict]:
    """Return the box statistics per class, boxes kept off the axis break.

    A class whose median sample is 0 gets no box (only its whiskers and a median line in
    the zero band); a box whose lower quartile is 0 starts at the scale, above the break.
    """
    stats = []
    for column in data.T:
        q1, median, q3 = np.percentile(column, [25, 50, 75])
        low, high = column.min(), column.max()
        if floor is not None and median <= floor:
            q1 = q3 = median
        elif floor is not None and q1 <= floor:
            q1 = floor * 10.0**0.6
        stats.append({"med": median, "q1": q1, "q3": q3, "whislo": low, "whishi": high})
    return stats


def _mark_significant(ax, x, models, colours, keys, significant) -> None:
    """Put an asterisk above each (model, class) slot that differs significantly."""
    group = 0.86
    slot = group / (len(models) + 1)
    offsets = -group / 2 + slot * (np.arange(len(models) + 1) + 0.5)
    top = ax.get_ylim()[1]
    for k, model in enumerate(models):
        for key in significant.get(model, ()):
            if key in keys:
                ax.text(x[keys.index(key)] + offsets[k + 1], top, "*", color=colours[model],
                        ha="center", va="top", fontsize=FONT + 2, fontweight="bold",
                        gid=f"significant:{model}:{key}", clip_on=False)


def _draw_class_strip(strip, x, classes: list[MotifClass], kind: str) -> None:
    """Label the classes under the axes: name, number and a pictogram of each."""
    strip.spines[:].set_visible(False)
    strip.set_yticks([])
    strip.set_xticks(x, labels=[c.label for c in classes])
    strip.tick_params(axis="x", length=0, labelsize=SMALL_FONT if kind == "triad" else FONT,
                      pad=1.0)
    strip.set_ylim(0.0, 1.0)
    strip.set_xlabel(
        "Triad class (number in Turner et al. 2022, MAN code)" if kind == "triad"
        else "Dyad class (2-cell motif, MAN name)", fontsize=FONT,
    )
    for k, motif in enumerate(classes):
        inset = strip.inset_axes([x[k] - 0.45, 0.0, 0.9, 1.0],
                                 transform=strip.get_xaxis_transform())
        inset.set_label(f"pictogram:{motif.key}")
        draw_pictogram(inset, motif)


def _draw_legend(key, models, colours, sample_ratios, expected_ratios, floor, kind,
                 marks: bool, reference_label: str) -> None:
    """Draw the legend of the figure on its own axes row."""
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
                          label=f"{reference_label} (ratio 1)"))
    if floor is not None:
        handles.append(Patch(facecolor="#E8E8E8", label="count 0"))
    if sample_ratios:
        handles.append(Patch(fill=False, edgecolor="none",
                             label="boxes: median, quartiles;\nwhiskers: full range"))
    if marks:
        handles.append(Line2D([], [], linestyle="none", marker="$*$", markersize=6,
                              color="black", label="observed differs significantly"))
    key.legend(handles=handles, loc="center",
               ncols=min(len(handles), 4 if kind == "triad" else 3), fontsize=SMALL_FONT,
               frameon=False, columnspacing=1.2, handlelength=1.6)
