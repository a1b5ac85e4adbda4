"""The HTML report of a run: one self-contained page with figures, tables and verdicts."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from connectome_motifs.motifs.analysis import SIGNIFICANCE_LEVEL, MotifAnalysis
from connectome_motifs.motifs.catalogue import DYAD_CODES, DYAD_PAPER_TERMS
from connectome_motifs.nullmodels import smallest_adjusted_p

__all__ = ["render_attribute_report", "render_report", "verdict"]

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222;
       line-height: 1.4; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.3em; margin-top: 2em; } h3 { font-size: 1.1em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.85em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.2em 0.6em; text-align: right; }
th { background: #f4f4f4; } td:first-child, th:first-child { text-align: left; }
figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; }
.verdict li { margin: 0.3em 0; } .note { color: #555; font-size: 0.9em; }
"""

_FIGURES = (("triads", "3-cell motifs, observed and each model, relative to the reference on the "
                        "y axis"),
            ("pairs", "2-cell motifs, observed and each model, relative to the reference on the "
                      "y axis"),
            ("quads", "4-cell motifs: each connected class's observed count over each model's "
                      "expectation or sample mean, and its z"),
            ("simplices", "Directed simplices by dimension, observed and each model (±1 sample "
                          "SD)"),
            ("degrees", "Degree distributions"),
            ("distance", "Connection probability against soma distance"),
            ("typed_connections", "Connections between cell groups: observed over each model's "
                                  "null, presynaptic group in rows"),
            ("typed_triads", "The typed triads the models explain least (largest |z| under "
                             "the closest model): observed over each model's null"),
            ("rich_club", "Rich-club coefficient by total degree, observed and each model, and "
                          "their ratio (the normalised coefficient)"),
            ("strength", "Motif strength: each triad class's mean synapse count, intensity and "
                         "coherence over each weight-shuffle null's"))

#: Kinds of statistics a verdict counts rather than names.
_COUNTED = {"typed_dyad": "typed pairs", "typed_triad": "typed triads",
            "rich_club": "rich-club thresholds"}


def verdict(analysis: MotifAnalysis, model: str, level: float = SIGNIFICANCE_LEVEL) -> str:
    """Return one sentence saying how well ``model`` predicts the observed motifs.

    Computed from the tables: the classes and statistics whose adjusted two-sided
    empirical p-value is below ``level``, with the side the observation lies on, and the
    largest ``|z|`` over the triad classes.

    Examples
    --------
    >>> from connectome_motifs.graphs.datasets import pinky100
    >>> from connectome_motifs.motifs.analysis import analyse
    >>> a = analyse(pinky100("th100"), models=["CFG"], n_samples=20, seed=1, executor=1)
    >>> verdict(a, "CFG").startswith("CFG: no 3-cell class")
    True
    """
    rows = analysis.significant(level)
    rows = rows[rows["model"] == model]
    z = analysis.motifs.loc[analysis.motifs["model"] == model, "z"].abs().max()
    largest = f"largest |z| over the triad classes {z:.1f}" if pd.notna(z) else "no finite z"
    triads = rows[rows["kind"] == "triad"]
    counted = rows[rows["kind"].isin(list(_COUNTED))]
    others = rows[(rows["kind"] != "triad") & ~rows["kind"].isin(list(_COUNTED))]
    names = {code: name for name, code in DYAD_CODES.items()}

    def named(r) -> str:
        if r["kind"] == "dyad":
            return f"{DYAD_PAPER_TERMS[names[r['statistic']]]} pairs {r['direction']}"
        if r["kind"] == "triad":
            return f"{r['statistic']} ({int(r['paper_number'])}) {r['direction']}"
        if r["kind"] == "quad":
            return f"4-cell class {r['statistic']} {r['direction']}"
        if r["kind"] == "simplex":
            return f"{r['statistic']}-simplices {r['direction']}"
        return f"{r['statistic'].replace('_', ' ')} {r['direction']}"

    if rows.empty:
        floor = smallest_adjusted_p(analysis.params.n_samples, 16)
        caveat = (f"; with {analysis.params.n_samples} samples no triad class can reach "
                  f"p < {level}" if floor >= level else "")
        return (f"{model}: no 3-cell class, 2-cell class or other statistic differs "
                f"significantly ({largest}{caveat}).")
    parts = []
    if len(triads):
        parts.append(f"{len(triads)} of 16 triad classes differ significantly: "
                     + ", ".join(named(r) for _, r in triads.iterrows()))
    if len(others):
        parts.append("also " + ", ".join(named(r) for _, r in others.iterrows()))
    if len(counted):
        sizes = counted.groupby("kind", sort=False).size()
        parts.append("also " + ", ".join(f"{n:,} {_COUNTED[kind]}" for kind, n in sizes.items()))
    return f"{model}: " + "; ".join(parts) + f" ({largest})."


def _table(frame: pd.DataFrame, caption: str) -> str:
    return (f"<table><caption>{html.escape(caption)}</caption>"
            + frame.to_html(index=False, border=0, na_rep="", float_format=lambda v: f"{v:.4g}")
            .split(">", 1)[1].rsplit("</table>", 1)[0] + "</table>")


#: Rows of the report's 4-cell table.
_QUAD_ROWS = 20


def _furthest_quads(a: MotifAnalysis) -> pd.DataFrame:
    """Return :func:`_overview` of the connected 4-cell classes with the largest ``|z|``, largest
    first."""
    quads = a.quads[a.quads["connected"]]
    largest = quads.assign(size=quads["z"].abs()).groupby("quad")["size"].max()
    chosen = largest.sort_values(ascending=False, kind="stable").index[:_QUAD_ROWS]
    overview = _overview(a, ((quads[quads["quad"].isin(chosen)], "quad"),))
    overview = overview.set_index("class").loc[list(chosen)].reset_index()
    names = quads.drop_duplicates("quad").set_index("quad")
    overview.insert(1, "skeleton", names.loc[overview["class"], "skeleton"].to_numpy())
    overview.insert(2, "name", names.loc[overview["class"], "name"].to_numpy())
    return overview


def _overview(a: MotifAnalysis, tables) -> pd.DataFrame:
    """Return one row per class: observed, each model's null value and z (table order)."""
    frames = []
    for table, key in tables:
        null = table["expected"].fillna(table["null_mean"])
        first = table.drop_duplicates(key).set_index(key)["observed"]
        wide = table.assign(null=null).pivot(index=key, columns="model", values=["null", "z"])
        wide.columns = [f"{model} {what}" for what, model in wide.columns]
        order = [f"{m} {w}" for m in a.models for w in ("null", "z")]
        frames.append(pd.concat([first.rename("observed"), wide.loc[first.index, order]],
                                axis=1))
    overview = pd.concat(frames)
    overview.index.name = "class"
    return overview.reset_index()


#: Rows of the report's typed-census tables.
_TYPED_ROWS = 20


def _furthest(a: MotifAnalysis, table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Return :func:`_overview` of the ``_TYPED_ROWS`` statistics of a typed table with the
    largest ``|z|`` over the models, largest first, named by ``columns``."""
    largest = table.assign(size=table["z"].abs()).groupby("statistic", sort=False)["size"].max()
    chosen = largest.sort_values(ascending=False, kind="stable").index[:_TYPED_ROWS]
    overview = _overview(a, ((table[table["statistic"].isin(chosen)], "statistic"),))
    overview = overview.set_index("class").loc[list(chosen)]
    names = table.drop_duplicates("statistic").set_index("statistic").loc[list(chosen), columns]
    return pd.concat([names, overview], axis=1).reset_index(drop=True)


def _strength_overview(strength: pd.DataFrame) -> pd.DataFrame:
    """Return one row per triad class and measure: observed, each null's mean and z."""
    wide = strength.pivot_table(index=["triad", "measure"], columns="model",
                                values=["null_mean", "z"], sort=False)
    wide.columns = [f"{model} {'null' if what == 'null_mean' else what}"
                    for what, model in wide.columns]
    nulls = list(dict.fromkeys(strength["model"]))
    wide = wide[[f"{m} {w}" for m in nulls for w in ("null", "z")]]
    observed = strength.drop_duplicates(["triad", "measure"]).set_index(
        ["triad", "measure"])["observed"]
    return pd.concat([observed, wide.loc[observed.index]], axis=1).reset_index()


def _page(title: str, body: Sequence[str]) -> str:
    """Return one self-contained HTML page of the body's parts, in the report's style."""
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title>"
            f"<style>{_STYLE}</style></head><body>" + "\n".join(body) + "</body></html>\n")


def _svg(path: Path) -> str:
    text = path.read_text()
    return text[text.index("<svg"):]


def render_report(
    analyses: Sequence[MotifAnalysis],
    summary: Mapping[str, Any],
    figures: Mapping[str, Mapping[str, Path]],
    level: float = SIGNIFICANCE_LEVEL,
) -> str:
    """Return the HTML of the report: one page, no outside resources.

    Parameters
    ----------
    analyses : sequence of MotifAnalysis
    summary : mapping
        What ``summary.json`` holds (parameters, versions, diagnostics, what loading
        removed, ...), shown as tables.
    figures : mapping of str to mapping of str to pathlib.Path
        Per graph label, the SVG file of each figure (``"triads"``, ``"pairs"``,
        ``"degrees"``, ``"distance"``); they are inlined.
    level : float
        Significance level of the verdicts.

    Returns
    -------
    str

    Notes
    -----
    O(size of the tables and figures).
    """
    body = ["<h1>connectome-motifs report</h1>",
            f"<p class='note'>Observed 2- and 3-cell motifs against null models; "
            f"significance: two-sided empirical p &lt; {level}, Holm-adjusted within each "
            "family of the census, Benjamini–Hochberg-adjusted within the typed census, the "
            "rich club and motif strength.</p>"]
    for a in analyses:
        g = a.graph.summary()
        body.append(f"<h2 id='{html.escape(a.label)}'>{html.escape(a.label)}: {g['nodes']:,} "
                    f"cells, {g['edges']:,} connections</h2>")
        body.append("<h3>Verdicts</h3><ul class='verdict'>"
                    + "".join(f"<li>{html.escape(verdict(a, m, level))}</li>" for m in a.models)
                    + "</ul>")
        body.extend(f"<p class='note'>{html.escape(note)}</p>" for note in a.notes)
        for name, caption in _FIGURES:
            path = figures.get(a.label, {}).get(name)
            if path is not None:
                body.append(f"<figure data-figure='{name}'>{_svg(path)}"
                            f"<figcaption>{html.escape(caption)}</figcaption></figure>")
        body.append(_table(_overview(a, ((a.motifs, "motif"), (a.pairs, "paper_term"))),
                           "Observed counts, each model's exact expectation or sample mean, "
                           "and z (all columns in motifs.csv, pairs.csv)"))
        body.append(_table(_overview(a, ((a.stats, "statistic"),)),
                           "Clustering coefficient and connected fraction of pairs by number "
                           "of common neighbours: observed, sample mean and z (stats.csv)"))
        if a.simplices is not None:
            simplices = a.simplices.assign(dimension=[
                f"{d}+" if pooled else str(d)
                for d, pooled in zip(a.simplices["dimension"], a.simplices["pooled"],
                                     strict=True)])
            body.append(_table(_overview(a, ((simplices, "dimension"),)),
                               "Directed simplices by dimension (the last pools every higher "
                               "one): observed, each model's expectation or sample mean, and z "
                               "(simplices.csv)"))
        if a.quads is not None:
            body.append(_table(_furthest_quads(a),
                               f"The {_QUAD_ROWS} connected 4-cell classes furthest from a "
                               "model (largest |z| over the models): observed, each model's "
                               "expectation or sample mean, and z (all 218 in quads.csv)"))
        if a.typed_dyads is not None:
            connected = a.typed_dyads[a.typed_dyads["dyad"] != "null"]
            furthest = _furthest(a, connected, ["dyad", "group_1", "group_2"])
            body.append(_table(furthest,
                               f"The {len(furthest)} connected typed pairs furthest from a "
                               f"model (groups of {a.params.groups!r}; asymmetric pairs "
                               "presynaptic first): observed, each model's null and z (all in "
                               "typed_dyads.csv)"))
        if a.typed_triads is not None:
            typed = a.typed_triads[a.typed_triads["group_1"] != "(other)"]
            furthest = _furthest(a, typed, ["triad", "group_1", "group_2", "group_3"])
            body.append(_table(furthest,
                               f"The {len(furthest)} typed triads furthest from a model (the "
                               "groups of the class's canonical nodes): observed, each model's "
                               "null and z (all recorded ones in typed_triads.csv)"))
        if a.strength is not None:
            body.append(_table(_strength_overview(a.strength),
                               "Motif strength per triad class: observed, each weight-shuffle "
                               "null's sample mean and z (strength.csv)"))
        body.append(_table(pd.DataFrame({"quantity": list(g), "value": list(g.values())}),
                           "The graph and what loading removed"))
        diagnostics = summary.get("diagnostics", {}).get(a.label, {})
        if diagnostics:
            keys = ("burn_in", "acceptance_rate", "edge_overlap_after_burn_in",
                    "edge_overlap_stationary", "integrated_autocorrelation_time")
            body.append(_table(pd.DataFrame([{"model": m, **{k: d[k] for k in keys}}
                                             for m, d in diagnostics.items()]),
                               "Mixing diagnostics of the Markov-chain samplers"))
        if a.chains:
            ensembles = a.all_ensembles
            body.append(_table(pd.DataFrame([
                {"model": m, "chains": ensembles[m].params.n_chains, "burn_in": p.burn_in,
                 "spacing": p.spacing, "rule": p.rule} for m, p in a.chains.items()]),
                "Shared chains: each model's samples split among independent chains, burn-in "
                "and spacing from a pilot chain's integrated autocorrelation times"))
    params = {k: v for k, v in summary.items()
              if k not in ("diagnostics", "chains", "graphs", "files")}
    body.append("<h2>Parameters, versions, timings</h2>")
    body.append(f"<pre>{html.escape(json.dumps(params, indent=2))}</pre>")
    return _page("connectome-motifs report", body)


#: Columns of the attribute-test report's table, in order.
_ATTRIBUTE_COLUMNS = ("attribute", "test", "method", "bins", "n_cells_tested", "n_left_out",
                      "n_edges_tested", "statistic", "null_mean", "z", "p_two_sided",
                      "p_greater")


def render_attribute_report(table: pd.DataFrame, figures: Sequence[Path],
                            graph: Mapping[str, Any], label: str) -> str:
    """Return the HTML page of the ``attribute-test`` command: its tests, figures and graph.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per test, the columns of
        :data:`~connectome_motifs.nullmodels.attribute_tests.ATTRIBUTE_TEST_COLUMNS`.
    figures : sequence of pathlib.Path
        The SVG of each test's null distribution, in the order of the rows; inlined.
    graph : mapping
        The graph's summary (:meth:`~connectome_motifs.graphs.SynapseGraph.summary`).
    label : str
        The graph's name.

    Returns
    -------
    str

    Notes
    -----
    O(size of the table and figures).
    """
    body = ["<h1>connectome-motifs attribute tests</h1>",
            f"<h2>{html.escape(label)}: {graph['nodes']:,} cells, {graph['edges']:,} "
            "connections</h2>",
            "<p class='note'>Like-to-like: the mean similarity of the attribute over "
            "connections against the attribute shuffled within strata, or the connections "
            "placed at random within distance bins (exact conditional mean and SD, normal "
            "p-values). Structure–function: Spearman's rho of each cell's in-connection "
            "density within the radius with the attribute. Cells without a value are left "
            "out and counted.</p>",
            _table(table[list(_ATTRIBUTE_COLUMNS)],
                   "Every test (all columns in attribute_tests.csv)")]
    for (_, row), path in zip(table.iterrows(), figures, strict=True):
        where = f", radius {row['radius']:g} µm" if pd.notna(row["radius"]) else ""
        caption = (f"{row['attribute']}: {row['test']}, {row['method']} ({row['bins']}{where})"
                   ": the null distribution and the observed statistic")
        body.append(f"<figure data-figure='{html.escape(path.stem)}'>{_svg(path)}"
                    f"<figcaption>{html.escape(caption)}</figcaption></figure>")
    body.append(_table(pd.DataFrame({"quantity": list(graph), "value": list(graph.values())}),
                       "The graph and what loading removed"))
    return _page("connectome-motifs attribute tests", body)
