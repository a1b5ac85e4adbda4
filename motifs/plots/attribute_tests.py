"""The attribute-test figures: a test's null distribution, and power curves with calibration."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from scipy.stats import norm

from connectome_motifs.motifs.plots.style import (
    FONT,
    LINESTYLES,
    SMALL_FONT,
    TITLE_FONT,
    clean_axes,
    model_colours,
    new_figure,
)
from connectome_motifs.nullmodels.attribute_tests import AttributeTestResult

__all__ = ["CALIBRATION_BAND", "plot_attribute_test", "plot_power_curves"]

#: The detection rate under no effect that counts as calibrated at alpha = 0.05.
CALIBRATION_BAND = (0.03, 0.07)
_MARKERS = ("o", "s", "^", "D", "v")
_BAND_COLOUR = "#F2D7B6"
_ALPHA_COLOUR = "#B07A3B"
_POWER_COLUMNS = {"size", "kind", "method", "epsilon", "rate", "ci_low", "ci_high"}


def plot_attribute_test(result: AttributeTestResult, ax: Axes | None = None) -> Figure:
    """Return a figure of an attribute test's null distribution and its observed statistic.

    A histogram of the permutations' statistics (shuffle method) or the normal density of
    the exact conditional mean and standard deviation (distance method), and the observed
    statistic as a black vertical line; the title names the attribute, the method, the
    strata and the p-values.

    Parameters
    ----------
    result : AttributeTestResult
        From :func:`~connectome_motifs.nullmodels.attribute_tests.attribute_test` or
        :func:`~connectome_motifs.nullmodels.attribute_tests.structure_function_test`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into; a new 3.5 × 2.6 inch figure by default.

    Returns
    -------
    matplotlib.figure.Figure
        The observed line has ``gid`` ``"observed"``; the histogram's bars ``"null"``
        (or the density line, ``"null"``).

    Notes
    -----
    O(N) for N permutations.

    Examples
    --------
    >>> import pandas as pd
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> from connectome_motifs.nullmodels.attribute_tests import attribute_test
    >>> nodes = pd.DataFrame({"id": range(4), "type": ["E", "E", "I", "I"]})
    >>> g = SynapseGraph.from_edges([0, 1, 2, 3], [1, 0, 3, 2], nodes=nodes)
    >>> fig = plot_attribute_test(attribute_test(g, "type", n_permutations=99, seed=1))
    >>> [line.get_gid() for line in fig.axes[0].lines]
    ['observed']
    """
    if ax is None:
        fig = new_figure(3.5, 2.6)
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    null = result.null_statistics
    if null is not None and null.size:
        low, high = float(null.min()), float(null.max())
        if high > low:
            bins = np.linspace(low, high, min(50, max(10, null.size // 20)) + 1)
        else:
            bins = np.array([low - 0.5, low + 0.5]) if low == 0 else \
                np.array([low * 0.99, low * 1.01])
        _, _, patches = ax.hist(null, bins=bins, color="#AAAAAA",
                                label=f"null ({result.n_permutations} permutations)")
        for patch in patches:
            patch.set_gid("null")
        ax.set_ylabel("Permutations", fontsize=FONT)
    else:
        sd = result.null_sd if result.null_sd > 0 else 1e-12
        spread = max(4.0 * sd, 1.2 * abs(result.statistic - result.null_mean))
        grid = np.linspace(result.null_mean - spread, result.null_mean + spread, 400)
        ax.fill_between(grid, norm.pdf(grid, result.null_mean, sd), color="#DDDDDD")
        ax.plot(grid, norm.pdf(grid, result.null_mean, sd), color="#777777", gid="null",
                label="null (normal, exact mean and SD)")
        ax.set_ylabel("Density", fontsize=FONT)
        ax.set_ylim(bottom=0)
    ax.axvline(result.statistic, color="black", linewidth=1.5, gid="observed",
               label="observed")
    # The observed line inside the axes, clear of the spines, however far out it lies.
    low, high = ax.get_xlim()
    low, high = min(low, result.statistic), max(high, result.statistic)
    margin = 0.05 * (high - low) if high > low else 0.5
    ax.set_xlim(low - margin, high + margin)
    ax.set_xlabel(result.statistic_name.capitalize(), fontsize=FONT)
    # Below the axes: inside, the null or the observed line could hide it.
    ax.legend(fontsize=SMALL_FONT, loc="upper center", bbox_to_anchor=(0.5, -0.22),
              ncols=2, frameon=False)
    clean_axes(ax)
    where = f", r = {result.radius:g} µm" if result.radius is not None else ""
    title = (f"{result.attribute} ({result.kind}), {result.test}, {result.method} "
             f"({result.bins}{where}): z = {result.z:.2f}, {_p_text(result.p_two_sided)} "
             f"(two-sided)")
    ax.set_title(textwrap.fill(title, 58), fontsize=SMALL_FONT)
    return fig


def _p_text(p: float) -> str:
    """Return ``"p = 0.004"``; a normal tail that underflowed to 0 as ``"p < 1e-300"``."""
    return "p < 1e-300" if p == 0 else f"p = {p:.3g}"


def _curves(ax: Axes, table: pd.DataFrame, epsilons: list[float],
            colours: dict[str, str]) -> None:
    """Draw one power curve per size and method of ``table`` into ``ax``."""
    sizes = sorted(table["size"].unique())
    position = {e: k for k, e in enumerate(epsilons)}
    ax.axhspan(*CALIBRATION_BAND, color=_BAND_COLOUR, zorder=0, linewidth=0,
               gid="calibration-band", label="calibration band [0.03, 0.07]")
    ax.axhline(0.05, color=_ALPHA_COLOUR, linewidth=0.6, linestyle=":", zorder=0)
    for s, size in enumerate(sizes):
        for method in sorted(table["method"].unique()):
            rows = table[(table["size"] == size) & (table["method"] == method)]
            rows = rows.sort_values("epsilon")
            if rows.empty:
                continue
            x = np.array([position[e] for e in rows["epsilon"]], dtype=float)
            x += (s - (len(sizes) - 1) / 2) * 0.08
            rate = rows["rate"].to_numpy()
            errors = [np.maximum(rate - rows["ci_low"].to_numpy(), 0.0),
                      np.maximum(rows["ci_high"].to_numpy() - rate, 0.0)]
            ax.errorbar(x, rate, yerr=errors, color=colours[method],
                        linestyle=LINESTYLES[s % len(LINESTYLES)],
                        marker=_MARKERS[s % len(_MARKERS)], markersize=3, linewidth=1.1,
                        elinewidth=0.7, capsize=1.5,
                        label=f"{method}, {size:,} cells", gid=f"power:{method}:{size}")
    ax.set_xticks(range(len(epsilons)), [f"{e:g}" for e in epsilons])
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("Planted effect ε", fontsize=FONT)
    clean_axes(ax)


def _calibration(ax: Axes, null: pd.DataFrame, colours: dict[str, str]) -> None:
    """Draw every setting's detection rate at epsilon 0 with its interval, one row each."""
    null = null.sort_values(["scenario", "kind", "size", "method"],
                            ascending=[False, True, True, True]).reset_index(drop=True)
    y = np.arange(len(null))[::-1].astype(float)
    ax.axvspan(*CALIBRATION_BAND, color=_BAND_COLOUR, zorder=0, linewidth=0)
    ax.axvline(0.05, color=_ALPHA_COLOUR, linewidth=0.6, linestyle=":", zorder=0)
    for k, row in null.iterrows():
        error = [[max(row["rate"] - row["ci_low"], 0.0)],
                 [max(row["ci_high"] - row["rate"], 0.0)]]
        ax.errorbar([row["rate"]], [y[k]], xerr=error, color=colours[row["method"]],
                    marker="o", markersize=3, elinewidth=0.8, capsize=1.5,
                    gid="calibration")
    labels = [f"{r['scenario']} · {r['kind']} · {r['size']:,} cells · {r['method']}"
              for _, r in null.iterrows()]
    ax.set_yticks(y, labels)
    ax.set_ylim(-0.7, len(null) - 0.3)
    top = max(0.1, float(null["ci_high"].max()) * 1.05)
    ax.set_xlim(0.0, min(1.0, top))
    ax.set_xlabel("Share of p ≤ 0.05 with no planted effect (ε = 0), 95% interval",
                  fontsize=FONT)
    clean_axes(ax)
    ax.tick_params(axis="y", labelsize=SMALL_FONT - 0.5)


def plot_power_curves(table: pd.DataFrame, ax: Axes | None = None,
                      alternative: str = "two-sided") -> Figure:
    """Return a figure of detection rate against planted effect, with the calibration band.

    Parameters
    ----------
    table : pandas.DataFrame
        Detection rates, one row per setting: columns ``size``, ``kind``, ``method``,
        ``epsilon``, ``rate``, ``ci_low``, ``ci_high`` and optionally ``scenario``
        (``"independent"`` rows are the power curves; others, such as a spatially
        structured null, appear in the calibration panel only) and ``alternative``
        (rows of ``alternative`` are drawn). The table of
        ``benchmarks.attribute_power.power_table`` has this form.
    ax : matplotlib.axes.Axes, optional
        Draw every curve of the table into these axes (and no calibration panel). By
        default a new figure with one panel of curves per attribute kind and a panel of
        every setting's rate at epsilon 0 against the band [0.03, 0.07], below them
        (a legend between).
    alternative : str
        Which p-values' rates to draw.

    Returns
    -------
    matplotlib.figure.Figure
        Each curve has ``gid`` ``"power:<method>:<size>"``; the band's patch
        ``"calibration-band"``.

    Raises
    ------
    ValueError
        If a column is missing or no row is left.

    Notes
    -----
    O(rows). Curves are dodged sideways by size; the vertical bars are the 95% intervals
    of the rates.
    """
    missing = _POWER_COLUMNS - set(table.columns)
    if missing:
        raise ValueError(f"the power table lacks columns {sorted(missing)}")
    rows = table
    if "alternative" in rows.columns:
        rows = rows[rows["alternative"] == alternative]
    if "scenario" not in rows.columns:
        rows = rows.assign(scenario="independent")
    if rows.empty:
        raise ValueError(f"no row of the power table is for alternative {alternative!r}")
    curves = rows[rows["scenario"] == "independent"]
    epsilons = sorted(curves["epsilon"].unique())
    colours = model_colours(sorted(rows["method"].unique()))
    if ax is not None:
        _curves(ax, curves, epsilons, colours)
        ax.set_ylabel("Detection rate at 0.05", fontsize=FONT)
        ax.legend(fontsize=SMALL_FONT, frameon=False)
        return ax.figure
    kinds = sorted(curves["kind"].unique())
    null = rows[rows["epsilon"] == 0]
    fig = new_figure(7.2, 3.0 + 0.14 * len(null) + 0.5)
    top, bottom = fig.subfigures(2, 1, height_ratios=[3.0, 0.14 * len(null) + 0.5])
    grid = top.add_gridspec(1, len(kinds) + 1, width_ratios=[1.0] * len(kinds) + [0.8])
    first = None
    for k, kind in enumerate(kinds):
        panel = top.add_subplot(grid[0, k], label=f"power:{kind}", sharey=first)
        first = first or panel
        _curves(panel, curves[curves["kind"] == kind], epsilons, colours)
        panel.set_title(f"{kind.capitalize()} attribute", fontsize=FONT)
        if k == 0:
            panel.set_ylabel(f"Detection rate at 0.05\n({alternative})", fontsize=FONT)
    key = top.add_subplot(grid[0, len(kinds)], label="legend")
    key.set_axis_off()
    key.legend(*first.get_legend_handles_labels(), fontsize=SMALL_FONT, frameon=False,
               loc="center left")
    _calibration(bottom.add_subplot(label="calibration"), null, colours)
    replicates = ""
    if "replicates" in rows.columns:
        counts = rows.groupby(rows["epsilon"] == 0)["replicates"].min()
        replicates = (f"≥ {int(counts.get(False, 0))} replicates per ε > 0, "
                      f"≥ {int(counts.get(True, 0))} at ε = 0")
    fig.suptitle("Attribute tests on spatial graphs with connection probability "
                 "p(d) (1 + ε s)" + (f"\n{replicates}" if replicates else ""),
                 fontsize=TITLE_FONT)
    return fig
