"""The simplex figure: directed simplices by dimension, observed and under each null model."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from connectome_motifs.motifs.plots.style import (
    FONT,
    SMALL_FONT,
    TITLE_FONT,
    clean_axes,
    model_colours,
    new_figure,
)

__all__ = ["plot_simplex_counts"]


def plot_simplex_counts(simplices: pd.DataFrame, title: str | None = None) -> Figure:
    """Return a figure of the directed simplex counts by dimension, observed and null.

    The observed counts are a black line with diamonds, on a log axis; each model's exact
    expectation (or else sample mean) is a point in its colour, with a bar of ±1 sample
    SD where it was sampled. The last dimension pools every higher one (``D+`` on the
    axis). A count of zero has no point.

    Parameters
    ----------
    simplices : pandas.DataFrame
        The simplex table of an analysis
        (:attr:`~connectome_motifs.motifs.MotifAnalysis.simplices`): ``model``,
        ``dimension``, ``pooled``, ``observed``, ``expected``, ``null_mean``, ``null_sd``.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        One axes, labelled ``"simplices"``.

    Raises
    ------
    ValueError
        If the table lacks a column.
    """
    needed = {"model", "dimension", "pooled", "observed", "expected", "null_mean", "null_sd"}
    missing = needed - set(simplices.columns)
    if missing:
        raise ValueError(f"the simplex table lacks the column(s) {sorted(missing)}")
    models = list(dict.fromkeys(simplices["model"]))
    colours = model_colours(models)
    fig = new_figure(4.2, 3.2)
    ax = fig.add_subplot(label="simplices")
    first = simplices[simplices["model"] == models[0]]
    dims = first["dimension"].to_numpy(dtype=int)
    observed = first["observed"].to_numpy(dtype=float)
    positive = observed > 0
    ax.plot(dims[positive], observed[positive], "-D", color="black", markersize=3.5,
            linewidth=1.0, label="observed", zorder=3, gid="observed")
    offsets = np.linspace(-0.15, 0.15, len(models)) if len(models) > 1 else [0.0]
    for model, offset in zip(models, offsets, strict=True):
        rows = simplices[simplices["model"] == model]
        sampled = rows["expected"].isna().to_numpy()
        value = rows["expected"].fillna(rows["null_mean"]).to_numpy(dtype=float)
        sd = np.where(sampled, rows["null_sd"].to_numpy(dtype=float), 0.0)
        shown = value > 0
        x = rows["dimension"].to_numpy(dtype=float) + offset
        lower = np.minimum(sd, value * 0.999)  # a log axis cannot reach zero
        ax.errorbar(x[shown], value[shown], yerr=[lower[shown], sd[shown]], fmt="o",
                    markersize=3.0, color=colours[model], elinewidth=0.8, capsize=1.5,
                    label=model, gid=f"model:{model}")
    ax.set_yscale("log")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    labels = [f"{d}+" if pooled else str(d) for d, pooled in zip(dims, first["pooled"],
                                                                    strict=True)]
    ax.set_xticks(dims, labels)
    ax.set_xlabel("simplex dimension (cells - 1)", fontsize=FONT)
    ax.set_ylabel("directed simplices", fontsize=FONT)
    clean_axes(ax)
    ax.legend(fontsize=SMALL_FONT, frameon=False)
    fig.suptitle(title or "Directed simplices by dimension", fontsize=TITLE_FONT, wrap=True)
    return fig
