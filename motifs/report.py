"""Write a motif analysis to disk (tables, summary, figures) and format it for a terminal."""

from __future__ import annotations

import dataclasses
import json
import math
import os
import platform
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from connectome_motifs.graphs.files import atomic_write
from connectome_motifs.motifs.analysis import ADJUSTMENTS, SIGNIFICANCE_LEVEL, MotifAnalysis
from connectome_motifs.motifs.catalogue import DYAD_CODES
from connectome_motifs.nullmodels import smallest_adjusted_p

__all__ = [
    "RATIO_SPAN",
    "SIGNIFICANCE_LEVEL",
    "format_count",
    "format_mean",
    "format_summary",
    "ratio_reference",
    "versions",
    "write_results",
]

_DEPENDENCIES = ("numpy", "scipy", "numba", "pandas", "pyarrow", "igraph", "matplotlib", "tqdm")


def versions() -> dict[str, str]:
    """Return the versions of Python, this package and its dependencies."""
    found = {"python": platform.python_version()}
    for name in ("connectome-motifs", *_DEPENDENCIES):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _jsonable(dataclasses.asdict(value))
    if isinstance(value, dict | pd.Series):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_results(
    analyses: Sequence[MotifAnalysis],
    out_dir: str | os.PathLike,
    *,
    extra: dict[str, Any] | None = None,
    figures: bool = True,
) -> list[Path]:
    """Write the tables, ``summary.json`` and figures of one or more analyses.

    Files: ``motifs.csv`` and ``motifs.parquet`` (3-cell motifs), ``pairs.csv`` (2-cell
    motifs), ``stats.csv`` (clustering coefficient and common-neighbour rule),
    ``quads.csv`` and ``simplices.csv`` (if an analysis counted them, with figures
    ``<label>_quads`` and ``<label>_simplices``), ``typed_dyads``, ``typed_triads``,
    ``rich_club`` and ``strength`` as ``.csv`` and ``.parquet`` (if an analysis compared
    them, with figures ``<label>_typed_connections``, ``<label>_typed_triads``,
    ``<label>_rich_club`` and ``<label>_strength``),
    ``summary.json`` (graphs, what loading removed, parameters, versions, mixing
    diagnostics, shared chains, notes, timings) and, per graph, figures ``<label>_triads``,
    ``<label>_pairs``, ``<label>_degrees`` and ``<label>_distance`` (PNG and SVG; the last
    only with PM; the motif figures relative to the ER expectation, or to another model
    where ER expects almost nothing, :func:`ratio_reference`), and ``report.html``, all of
    it on one self-contained page
    (:func:`~connectome_motifs.motifs.html_report.render_report`). Every file is written
    under a temporary name and renamed when complete. ``summary.json`` lists the files
    (``files``); a file that an earlier run listed there and this run does not write is
    removed, so one folder never mixes two runs' outputs (nothing else in the folder is
    touched).

    Parameters
    ----------
    analyses : sequence of MotifAnalysis
    out_dir : path
        Created if missing.
    extra : dict, optional
        More entries for ``summary.json`` (e.g. the input files).
    figures : bool
        Also draw the figures.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    earlier = _files_of_earlier_run(out)
    written: list[Path] = []
    motifs = pd.concat([a.motifs for a in analyses], ignore_index=True)
    pairs = pd.concat([a.pairs for a in analyses], ignore_index=True)
    stats = pd.concat([a.stats for a in analyses], ignore_index=True)
    tables = [("motifs", motifs), ("pairs", pairs), ("stats", stats)]
    in_parquet = {"motifs"}
    for name in ("quads", "simplices", *_GROUP_TABLES):
        parts = [getattr(a, name) for a in analyses if getattr(a, name) is not None]
        if parts:
            tables.append((name, pd.concat(parts, ignore_index=True)))
            in_parquet |= {name} & set(_GROUP_TABLES)
    for name, table in tables:
        written.append(atomic_write(out / f"{name}.csv",
                                     lambda p, t=table: t.to_csv(p, index=False)))
        if name in in_parquet:
            written.append(atomic_write(out / f"{name}.parquet",
                                         lambda p, t=table: t.to_parquet(p, index=False)))
    if figures:
        written.extend(_write_figures(analyses, out))
    summary = {
        "files": sorted([p.name for p in written]
                        + ["summary.json"] + (["report.html"] if figures else [])),
        "versions": versions(),
        "parameters": analyses[0].params if analyses else {},
        "graphs": {a.label: a.graph.summary() for a in analyses},
        "diagnostics": {a.label: a.diagnostics for a in analyses},
        "chains": {a.label: a.chains for a in analyses},
        "timings_seconds": {a.label: a.timings for a in analyses},
        "notes": {a.label: list(a.notes) for a in analyses},
        **(extra or {}),
    }
    plain = _jsonable(summary)
    text = json.dumps(plain, indent=2, allow_nan=False) + "\n"
    written.append(atomic_write(out / "summary.json", lambda p: p.write_text(text)))
    if figures:
        from connectome_motifs.motifs.html_report import render_report

        svgs = {a.label: {kind: out / f"{a.label}_{kind}.svg"
                          for kind in ("triads", "pairs", "quads", "simplices", "degrees",
                                       "distance", "typed_connections", "typed_triads",
                                       "rich_club", "strength")
                          if (out / f"{a.label}_{kind}.svg") in written}
                for a in analyses}
        page = render_report(analyses, plain, svgs)
        written.append(atomic_write(out / "report.html", lambda p: p.write_text(page)))
    for name in earlier - {p.name for p in written}:
        (out / name).unlink(missing_ok=True)
    return written


#: The tables of the typed census, rich club and motif strength, written as CSV and Parquet
#: when an analysis has them.
_GROUP_TABLES = ("typed_dyads", "typed_triads", "rich_club", "strength")


def _files_of_earlier_run(out: Path) -> set[str]:
    """Return the plain file names an earlier run listed in ``out/summary.json``."""
    try:
        listed = json.loads((out / "summary.json").read_text()).get("files", [])
    except (OSError, ValueError, AttributeError):
        return set()
    return {name for name in listed if isinstance(name, str) and Path(name).name == name}


def _write_figures(analyses: Sequence[MotifAnalysis], out: Path) -> list[Path]:
    from connectome_motifs.motifs.plots import (
        plot_degree_distributions,
        plot_distance_dependence,
        plot_motif_ratios,
        plot_motif_strength,
        plot_quad_motifs,
        plot_rich_club,
        plot_simplex_counts,
        plot_typed_connections,
        plot_typed_triads,
        save_figure,
    )

    names = {code: name for name, code in DYAD_CODES.items()}
    written = []
    for a in analyses:
        for kind, name, table in (("triad", "triads", a.motifs), ("dyad", "pairs", a.pairs)):
            observed = a.observed[kind]
            reference, label = ratio_reference(a, kind)
            exact = {m: e[kind] for m, e in a.expected.items()
                     if not (m == "ER" and label == "ER expectation")
                     and kind in e.index.get_level_values("kind")}
            marked = table[table["p_adjusted"] < SIGNIFICANCE_LEVEL]
            significant = {m: [names.get(c, c) for c in rows["motif"]]
                           for m, rows in marked.groupby("model")}
            fig = plot_motif_ratios(observed, reference, a.samples(kind), exact, kind=kind,
                                    title=_title(a, kind, label), significant=significant,
                                    reference_label=label)
            written += save_figure(fig, out / f"{a.label}_{name}")
        if a.quads is not None:
            written += save_figure(plot_quad_motifs(a.quads, title=_title(a, "quad")),
                                   out / f"{a.label}_quads")
        if a.simplices is not None:
            written += save_figure(plot_simplex_counts(a.simplices, title=_title(a, "simplex")),
                                   out / f"{a.label}_simplices")
        samples = {m: e.samples for m, e in a.ensembles.items()}
        written += save_figure(plot_degree_distributions(a.graph, samples,
                                                         title=_title(a, "degree")),
                               out / f"{a.label}_degrees")
        if "PM" in a.models:
            written += save_figure(plot_distance_dependence(a.graph, a.models["PM"],
                                                            title=_title(a, "distance")),
                                   out / f"{a.label}_distance")
        figures = (("typed_connections", a.typed_dyads, plot_typed_connections),
                   ("typed_triads", a.typed_triads, plot_typed_triads),
                   ("rich_club", a.rich_club, plot_rich_club),
                   ("strength", a.strength, plot_motif_strength))
        for name, table, plot in figures:
            if table is not None and not table.empty:
                written += save_figure(plot(table, title=_title(a, name)),
                                       out / f"{a.label}_{name}")
    return written


#: The ratio figures divide by the ER expectation unless an observed count exceeds it
#: more than this many times (ER expects almost nothing of a class that the graph has).
RATIO_SPAN = 1e3
# The models whose expectation or sample mean may serve as the reference instead, in turn.
_REFERENCES = ("CFG", "gCFG", "PM", "gER")


def ratio_reference(a: MotifAnalysis, kind: str) -> tuple[pd.Series, str]:
    """Return the counts a ratio figure divides by, and what they are.

    The exact ER expectation, as in Turner et al. (2022), unless some observed count is
    more than :data:`RATIO_SPAN` times it: then the first of CFG, gCFG, PM and gER in the
    analysis whose exact expectation (or else sample mean) is positive for every class,
    so that the figure's decades show where the models differ. O(classes · samples).
    """
    er = a.reference[kind]
    observed = a.observed[kind].astype(float)
    if not (observed > RATIO_SPAN * er).any():
        return er, "ER expectation"
    for model in _REFERENCES:
        exact = a.expected.get(model)
        if exact is not None and kind in exact.index.get_level_values("kind"):
            values, label = exact[kind], f"{model} expectation"
        elif model in a.ensembles:
            values, label = a.samples(kind)[model].mean(), f"{model} sample mean"
        else:
            continue
        if (values > 0).all():
            return values, label
    return er, "ER expectation"


def _title(a: MotifAnalysis, what: str, reference: str = "") -> str:
    g = a.graph
    head = {"triad": "3-cell motifs", "dyad": "2-cell motifs", "quad": "4-cell motifs",
            "simplex": "Directed simplices", "degree": "Degree distributions",
            "distance": "Connection probability vs soma distance",
            "typed_connections": "Connections between cell groups, observed / model",
            "typed_triads": "Typed triads the models explain least",
            "rich_club": "Rich club by total degree",
            "strength": "Motif strength, observed / weight-shuffle null"}[what]
    relative = f" relative to the {reference}" if reference else ""
    return f"{head}{relative} — {a.label} ({g.n:,} cells, {g.n_edges:,} connections)"


def format_count(value: Any) -> str:
    """Return an exact count with thousands separators (``161,442``), any magnitude."""
    return f"{int(value):,}"


def format_mean(value: float) -> str:
    """Return an expectation or mean: one decimal below 10⁷, else 5 significant digits.

    Examples
    --------
    >>> format_mean(1552.64), format_mean(4.602069647e10)
    ('1,552.6', '4.6021e+10')
    """
    return f"{value:,.1f}" if abs(value) < 1e7 else f"{value:.4e}"


def _aligned(rows: list[list[str]], left: set[int]) -> list[str]:
    """Return the rows as lines of columns two spaces apart, left-aligned where asked."""
    widths = [max(len(row[k]) for row in rows) for k in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) if k in left else cell.rjust(w)
                      for k, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip()
            for row in rows]


def format_summary(analysis: MotifAnalysis, level: float = SIGNIFICANCE_LEVEL) -> str:
    """Return the analysis as a terminal table, its columns aligned for counts of any size.

    One row per triad class in the paper's order and one per dyad class: the observed
    count (exact, with thousands separators) and, per model, its exact expectation or
    sample mean (:func:`format_mean`), marked ``+`` / ``-`` where the observed count is
    significantly above / below it (Holm-adjusted two-sided empirical p < ``level``).
    Columns are separated by at least two spaces and hold no space, so the table splits
    back into its cells; on pinky100 it is at most 100 characters wide.
    """
    a = analysis
    models = list(a.models)
    g = a.graph

    def row(number: str, name: str, table: pd.DataFrame, mean=format_mean,
            count=format_count) -> list[str]:
        observed = table["observed"].iloc[0]
        cells = [number, name, count(observed)]
        for m in models:
            r = table[table["model"] == m].iloc[0]
            value = r["expected"] if not pd.isna(r["expected"]) else r["null_mean"]
            mark = " "
            if r["p_adjusted"] < level:
                mark = "+" if observed > value else "-"
            cells.append(mean(value) + mark)
        return cells

    rows = [["#", "motif", "observed", *(f"{m} " for m in models)]]
    for number, table in a.motifs.groupby("paper_number", sort=True):
        rows.append(row(str(number), table["motif"].iloc[0], table))
    for _, table in a.pairs.groupby("motif", sort=False):
        rows.append(row("", table["paper_term"].iloc[0], table))
    clustering = a.stats[a.stats["statistic"] == "clustering_coefficient"]
    if len(clustering):
        three = "{:.3f}".format
        rows.append(row("", "clustering", clustering, mean=three, count=three))
    if a.simplices is not None:
        for (dimension, pooled), table in a.simplices.groupby(["dimension", "pooled"]):
            rows.append(row("", f"{dimension}{'+' if pooled else ''}-simplices", table))
    lines = [f"{a.label}: {g.n:,} cells, {g.n_edges:,} connections, "
             f"{g.n_reciprocal_pairs:,} reciprocal pairs; {a.params.n_samples} samples per "
             f"model, seed {a.params.seed}", *_aligned(rows, left={1})]
    exact = [m for m in models if ("triad", "003") in a.expected.get(m, ())]
    sampled = [m for m in models if m not in exact]
    shown = " or ".join(part for part in (
        f"exact expectation ({', '.join(exact)})" if exact else "",
        f"sample mean ({', '.join(sampled)})" if sampled else "") if part)
    lines.append(f"values: {shown}")
    exact_sd = [m for m in models if m in a.variances]
    sample_sd = [m for m in models if m not in exact_sd]
    sds = " or ".join(part for part in (
        f"exact SD ({', '.join(exact_sd)})" if exact_sd else "",
        f"SD of the samples ({', '.join(sample_sd)})" if sample_sd else "") if part)
    lines.append(f"z: {sds}; p: from {a.params.n_samples} samples of every model")
    lines.append(f"+/-: observed significantly above/below (Holm-adjusted two-sided p < {level})")
    ensembles = a.all_ensembles
    for m, plan in a.chains.items():
        lines.append(f"{m}: {ensembles[m].params.n_chains} chains, burn-in {plan.burn_in:,} "
                     f"and spacing {plan.spacing:,} steps"
                     + (f" (slowest: {plan.limiting[0]})" if plan.limiting else ""))
    if a.quads is not None:
        lines.extend(_furthest_quads(a.quads, models))
    for name, family, table in (("typed pairs", "typed_dyad", a.typed_dyads),
                                ("typed triads", "typed_triad", a.typed_triads),
                                ("rich-club thresholds", "rich_club", a.rich_club),
                                ("strength measures", "strength", a.strength)):
        if table is not None:
            lines.extend(_significant_counts(name, table, level, ADJUSTMENTS[family]))
    lines.extend(f"note: {note}" for note in a.notes)
    return "\n".join(lines)


#: Where no statistic of a family can be significant, the summary counts those beyond this |z|.
LEAD_Z = 3.0


def _significant_counts(name: str, table: pd.DataFrame, level: float,
                        adjustment: str) -> list[str]:
    """Return lines saying, per model, how many of a table's statistics lie significantly
    above and below it; where the samples are too few for any to be (the smallest
    adjusted p is not below ``level``), they say so and count those with
    ``|z| > LEAD_Z`` instead."""
    words = {"holm": "Holm", "bh": "Benjamini-Hochberg"}[adjustment]
    counts = [f"{name} significantly off ({words} within each table):"]
    for m, rows in table.groupby("model", sort=False):
        tested = int(rows["p_adjusted"].notna().sum())
        samples = int(rows["n_samples"].max())
        # Holm multiplies the smallest p by the family's size; BH's can stay 2 / (N + 1).
        reachable = smallest_adjusted_p(samples, tested if adjustment == "holm" else 1) < level
        marked = rows[rows["p_adjusted"] < level] if reachable else rows[
            rows["z"].abs() > LEAD_Z]
        null = (marked["expected"].fillna(marked["null_mean"]) if "expected" in marked
                else marked["null_mean"])
        above = int((marked["observed"] > null).sum())
        shown = f"{above:,} above, {len(marked) - above:,} below of {tested:,}"
        counts.append(f"  {m}: {shown}" if reachable else
                      f"  {m}: none can be with {samples:,} samples; |z| > {LEAD_Z:g}: {shown}")
    return counts


def _furthest_quads(quads: pd.DataFrame, models: list[str], shown: int = 3) -> list[str]:
    """Return a line per model naming the connected 4-cell classes with the largest ``|z|``."""
    lines = []
    for m in models:
        rows = quads[(quads["model"] == m) & quads["connected"] & quads["z"].notna()]
        rows = rows.reindex(rows["z"].abs().sort_values(ascending=False, kind="stable").index)
        if rows.empty:
            continue
        named = ", ".join(
            f"{r.quad} ({r.skeleton}{', ' + r.name if r.name else ''}) z {r.z:+.1f}"
            for r in rows.head(shown).itertuples())
        lines.append(f"{m}: 4-cell classes furthest from it: {named}")
    return lines
