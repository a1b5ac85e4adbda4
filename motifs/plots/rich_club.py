"""The rich-club figure: the coefficient by degree threshold, observed and each model."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator

from connectome_motifs.motifs.plots.style import (
    FONT,
    SMALL_FONT,
    TITLE_FONT,
    clean_axes,
    model_colours,
    new_figure,
)

__all__ = ["plot_rich_club"]

_SIGNIFICANCE = 0.05


def plot_rich_club(rich_club: pd.DataFrame, title: str | None = None) -> Figure:
    """Return a figure of the rich-club coefficient against the degree threshold.

    Left: φ(k), the connection density among the cells of total degree above ``k``,
    observed (black) and each model's mean with a band of ±2 sample SDs (or its exact
    expectation; the band's lower edge at least a tenth of the mean, for the log axis).
    Right: the normalised coefficient ρ(k) = observed / model on a log axis, a line at
    1; dots where the Holm-adjusted p is below 0.05. Both share a
    log axis of ``k + 1``; the top axis gives the cells above each threshold.

    Parameters
    ----------
    rich_club : pandas.DataFrame
        The rich-club table of an analysis
        (:attr:`~connectome_motifs.motifs.MotifAnalysis.rich_club`): ``model``, ``k``,
        ``n_nodes``, ``observed``, ``expected``, ``null_mean``, ``null_sd``,
        ``p_adjusted``.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        Axes labelled ``"phi"`` and ``"rho"``; the observed line has ``gid``
        ``"observed"``, each model's ``"model:<model>"``.

    Raises
    ------
    ValueError
        If the table lacks a column or has no rows.

    Notes
    -----
    O(rows). Thresholds with fewer than two cells above them have no coefficient and no
    point.
    """
    needed = {"model", "k", "n_nodes", "observed", "expected", "null_mean", "null_sd",
              "p_adjusted"}
    missing = needed - set(rich_club.columns)
    if missing:
        raise ValueError(f"the rich-club table lacks the column(s) {sorted(missing)}")
    if rich_club.empty:
        raise ValueError("the rich-club table has no rows")
    models = list(dict.fromkeys(rich_club["model"]))
    colours = model_colours(models)
    fig = new_figure(7.2, 3.0)
    phi, rho = fig.subplots(1, 2)
    phi.set_label("phi")
    rho.set_label("rho")
    first = rich_club[rich_club["model"] == models[0]].sort_values("k")
    x = first["k"].to_numpy(dtype=float) + 1.0
    phi.plot(x, first["observed"].to_numpy(dtype=float), color="black", linewidth=1.6,
             label="observed", gid="observed", zorder=3)
    rho.axhline(1.0, color="#888888", linewidth=0.7, zorder=0)
    for model in models:
        rows = rich_club[rich_club["model"] == model].sort_values("k")
        k = rows["k"].to_numpy(dtype=float) + 1.0
        null = rows["expected"].fillna(rows["null_mean"]).to_numpy(dtype=float)
        spread = 2.0 * rows["null_sd"].to_numpy(dtype=float)
        colour = colours[model]
        # No line where the model's samples have no coefficient (fewer than two cells).
        has = np.isfinite(null) & (null > 0)
        phi.plot(k[has], null[has], color=colour, linewidth=1.1, label=model,
                 gid=f"model:{model}")
        phi.fill_between(k[has], np.maximum(null - spread, null / 10)[has],
                         (null + spread)[has], color=colour, alpha=0.2, linewidth=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = rows["observed"].to_numpy(dtype=float) / null
        shown = np.isfinite(ratio) & (ratio > 0)
        significant = rows["p_adjusted"].to_numpy(dtype=float) < _SIGNIFICANCE
        rho.plot(k[shown], ratio[shown], color=colour, linewidth=0.9, gid=f"model:{model}")
        marked = shown & significant
        rho.scatter(k[marked], ratio[marked], s=9, color=colour, linewidths=0, zorder=3)
    for ax in (phi, rho):
        ax.set_xscale("log")
        ax.set_xlabel("Total degree threshold k + 1", fontsize=FONT)
        clean_axes(ax)
    phi.set_yscale("log")
    rho.set_yscale("log")
    phi.set_ylabel("Rich-club coefficient φ(k)", fontsize=FONT)
    rho.set_ylabel("Observed / model, ρ(k)", fontsize=FONT)
    rho.set_title("dots: Holm-adjusted p < 0.05", fontsize=SMALL_FONT)
    rho.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    rho.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    rho.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: ""))
    cells = first["n_nodes"].to_numpy(dtype=float)
    top = phi.secondary_xaxis("top")
    # At the thresholds nearest each decade, so that every count shown is exact.
    at = sorted({int(np.argmin(np.abs(np.log(x) - np.log(t))))
                 for t in (1, 10, 100, 1000, 10000) if x.min() <= t <= x.max()})
    top.set_xticks(x[at], [f"{int(cells[i]):,}" for i in at], fontsize=SMALL_FONT)
    top.set_xlabel("Cells above k", fontsize=SMALL_FONT)
    phi.legend(fontsize=SMALL_FONT, frameon=False, loc="upper left")
    fig.suptitle(title or "Rich club by total degree: observed and each model (band: ±2 SD)",
                 fontsize=TITLE_FONT)
    return fig
