"""The ``connectome-motifs`` command line: ``run`` (the motif analysis), ``census``,
``attribute-test`` (like-to-like and structure–function) and ``info``."""

from __future__ import annotations

import argparse
import inspect
import json
import math
import shlex
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from connectome_motifs.graphs import GraphInputError, SynapseGraph
from connectome_motifs.graphs.datasets import (
    LARVA_COMPARTMENTS,
    PINKY100_SUBGRAPHS,
    larva,
    pinky100,
)
from connectome_motifs.graphs.files import atomic_write
from connectome_motifs.motifs.analysis import (
    DEFAULT_MODELS,
    DEFAULT_N_SAMPLES,
    DEFAULT_SEED,
    analyse,
    resolve_models,
)

__all__ = ["build_parser", "graph_from_args", "main"]

PROG = "connectome-motifs"
#: The bundled graph a command uses without input options.
DEFAULT_SUBGRAPH = inspect.signature(pinky100).parameters["subgraph"].default
#: The bundled datasets, ``--dataset``; the first is the default.
DATASETS = ("pinky100", "larva")


def _add_input_options(parser: argparse.ArgumentParser, *,
                       subgraph_help: str | None = None) -> None:
    group = parser.add_argument_group(
        "input", "the graph to analyse (default: the bundled MICrONS pinky100 data)"
    )
    group.add_argument("--synapses", metavar="FILE",
                       help="synapse or connection table (.csv, .tsv, .txt, .parquet, .feather)")
    group.add_argument("--cells", metavar="FILE",
                       help="cell table: every cell becomes a node; ids, positions, attributes")
    group.add_argument("--format", "--preset", dest="table_format", default="default",
                       metavar="PRESET",
                       help="column preset of the input tables: default, microns-cave, neuprint, "
                            "flywire, edgelist, pinky100 (default: %(default)s)")
    group.add_argument("--sep", metavar="SEP",
                       help="column separator of text tables, e.g. ';' or '\\t' for a tab "
                            "(default: from the preset and the file's suffix)")
    group.add_argument("--pre", help="column of presynaptic cell ids (overrides the preset)")
    group.add_argument("--post", help="column of postsynaptic cell ids")
    group.add_argument("--weight", help="column of synapse counts (a connection table); "
                                        "'none' for one row per synapse")
    group.add_argument("--cell-id", help="column of cell ids in the cell table")
    group.add_argument("--position", metavar="COLS",
                       help="soma position: three columns 'x,y,z' or one array/string column")
    group.add_argument("--position-scale", metavar="SX,SY,SZ",
                       help="micrometres per position unit, per axis (e.g. 0.001 for nm)")
    group.add_argument("--unknown-cells", choices=("error", "drop"), default="error",
                       help="synapses whose cell is not in --cells: fail (default) or drop them")
    group.add_argument("--dataset", choices=DATASETS, default=DATASETS[0],
                       help="bundled data when no --synapses: MICrONS pinky100 (Turner et "
                            "al. 2022) or the Drosophila larva brain (Winding et al. 2023, "
                            "cell types) (default: %(default)s)")
    names = ", ".join(PINKY100_SUBGRAPHS)
    group.add_argument("--subgraph", default=DEFAULT_SUBGRAPH, metavar="NAME",
                       help=subgraph_help or f"pinky100 only: one of {names} "
                                             "(default: %(default)s)")
    group.add_argument("--compartment", default="all", metavar="NAME",
                       help="larva only: the synapses of "
                            + ", ".join(f"{k} ({v})" for k, v in LARVA_COMPARTMENTS.items())
                            + (", or a comma-separated list" if subgraph_help else "")
                            + " (default: %(default)s)")


def _format_overrides(args: argparse.Namespace) -> dict:
    overrides: dict = {}
    for name in ("pre", "post", "cell_id"):
        if getattr(args, name):
            overrides[name] = getattr(args, name)
    if args.sep:
        overrides["sep"] = {"\\t": "\t", "tab": "\t"}.get(args.sep, args.sep)
    if args.weight:
        overrides["weight"] = None if args.weight.lower() == "none" else args.weight
    if args.position:
        columns = [c.strip() for c in args.position.split(",")]
        overrides["position"] = columns[0] if len(columns) == 1 else tuple(columns)
    if args.position_scale:
        try:
            scale = [float(s) for s in args.position_scale.split(",")]
        except ValueError:
            raise GraphInputError(
                f"--position-scale must be numbers, got {args.position_scale!r}"
            ) from None
        overrides["position_scale"] = tuple(scale * 3 if len(scale) == 1 else scale)
    return overrides


def graph_from_args(args: argparse.Namespace, subgraph: str | None = None
                    ) -> tuple[SynapseGraph, str]:
    """Return the graph the input options describe, and a label for it."""
    from connectome_motifs.graphs.readers import read_graph

    if args.synapses is None:
        if args.cells is not None:
            raise GraphInputError("--cells needs --synapses")
        if args.dataset == "larva":
            compartment = subgraph or args.compartment
            return larva(compartment), "larva" if compartment == "all" else f"larva_{compartment}"
        name = subgraph or args.subgraph
        return pinky100(name), name
    graph = read_graph(args.synapses, args.cells, fmt=args.table_format,
                       unknown_cells=args.unknown_cells, **_format_overrides(args))
    return graph, Path(args.synapses).name.split(".")[0]


def _info(args: argparse.Namespace) -> int:
    graph, label = graph_from_args(args)
    if args.synapses is None:
        label = f"pinky100 {label}"
    summary = graph.summary()
    width = max(len(k) for k in summary)
    print(f"{label}: {graph!r}")
    for key, value in summary.items():
        print(f"  {key.replace('_', ' '):<{width}}  {_shown(value)}")
    return 0


def _first_compilation() -> bool:
    """Return whether numba has no cached compiled kernel of the census yet (a first run)."""
    import numba

    from connectome_motifs.motifs import kernels

    folders = [Path(numba.config.CACHE_DIR)] if numba.config.CACHE_DIR else [
        Path(p) / "__pycache__" for p in kernels.__path__]
    return not any(any(folder.rglob("triads.*.nbi")) for folder in folders if folder.exists())


def removals(graph: SynapseGraph) -> str | None:
    """Return one line saying what loading removed from ``graph``, or None if nothing."""
    removed = {key: value for key, value in graph.report.as_dict().items()
               if value and ("removed" in key or "dropped" in key)}
    if not removed:
        return None
    return "loading removed: " + ", ".join(f"{key.replace('_', ' ')} {value:,}"
                                           for key, value in removed.items())


def _tell_removals(graph: SynapseGraph, label: str, quiet: bool = False) -> None:
    line = removals(graph)
    if line is not None and not quiet:
        print(f"{label}: {line}", file=sys.stderr, flush=True)


def _shown(value: object) -> str:
    """Return a summary value as ``info`` prints it."""
    if isinstance(value, bool) or value is None:
        return {True: "yes", False: "no", None: "none"}[value]
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value)) or "none"
    return str(value)


def _flag(err: GraphInputError) -> str | None:
    """Return the command-line spelling of the option an error suggests, if it has one."""
    if err.option_name is None:
        return None
    value = err.option_value
    # As typed in a shell; --sep takes a tab as '\t'.
    shown = ("none" if value is None else "'\\t'" if value == "\t"
             else shlex.quote(str(value)))
    return f"--{err.option_name.replace('_', '-')} {shown}"


def _census(args: argparse.Namespace) -> int:
    import numpy as np
    import pandas as pd

    from connectome_motifs.motifs.catalogue import DYAD_CODES, DYAD_PAPER_TERMS, triad_class
    from connectome_motifs.motifs.census import dyad_census, triad_census, triad_participation
    from connectome_motifs.motifs.edge_participation import edge_triad_participation
    from connectome_motifs.motifs.quad_catalogue import QUADS
    from connectome_motifs.motifs.quad_census import quad_census
    from connectome_motifs.motifs.quad_participation import quad_participation
    from connectome_motifs.motifs.simplices import simplex_counts

    graph, label = graph_from_args(args)
    _tell_removals(graph, label)
    fmt = args.output_format
    if fmt is None:
        suffix = Path(args.output).suffix.lower() if args.output else ""
        fmt = {".csv": "csv", ".json": "json", ".parquet": "parquet"}.get(
            suffix, "csv" if args.per_node or args.per_edge else "table")
    if fmt == "parquet" and not args.output:
        raise ValueError("--output-format parquet needs --output FILE")
    if args.per_node or args.per_edge:
        # With the exact ids as the first columns (uint64 and string ids kept).
        if args.per_node:
            per = triad_participation(graph)
            if args.size == 4:
                quads = quad_participation(graph)
                quads.columns = [f"quad:{q}" for q in quads.columns]
                per = per.join(quads)
            per = per.reset_index()
        else:
            per = edge_triad_participation(graph, roles=True)
            per.columns = [f"{triad}:{role}" for triad, role in per.columns]
            per = per.reset_index()
        if fmt == "parquet":
            atomic_write(args.output, lambda p: per.to_parquet(p, index=False))
            return 0
        if fmt != "csv":
            flag = "--per-node" if args.per_node else "--per-edge"
            raise ValueError(f"{flag} writes csv or parquet, not {fmt}")
        text = per.to_csv(index=False)
        if args.output:
            atomic_write(args.output, lambda p: p.write_text(text))
        else:
            sys.stdout.write(text)
        return 0
    dyads = dyad_census(graph)
    # The paper's order of the triad classes, as in every table; the MAN code beside.
    triads = triad_census(graph)
    triads = triads.iloc[np.argsort([triad_class(t).paper_number for t in triads.index])]
    parts = [pd.DataFrame({
        "kind": ["dyad"] * len(dyads) + ["triad"] * len(triads),
        "motif": [DYAD_CODES[d] for d in dyads.index] + list(triads.index),
        "paper_number": pd.array([None] * len(dyads)
                                 + [triad_class(t).paper_number for t in triads.index],
                                 dtype="Int64"),
        "paper_term": [DYAD_PAPER_TERMS[d] for d in dyads.index] + [""] * len(triads),
        "count": [int(v) for v in dyads] + [int(v) for v in triads],
    })]
    if args.size == 4:
        # By isoclass; the term column holds the class's skeleton and literature name.
        quads = quad_census(graph)
        parts.append(pd.DataFrame({
            "kind": "quad", "motif": [str(q) for q in quads.index],
            "paper_number": pd.array([None] * len(quads), dtype="Int64"),
            "paper_term": [f"{QUADS[q].skeleton}{', ' + QUADS[q].name if QUADS[q].name else ''}"
                           for q in quads.index],
            "count": [int(v) for v in quads]}))
    if args.simplices:
        simplices = simplex_counts(graph)
        parts.append(pd.DataFrame({
            "kind": "simplex", "motif": [f"dimension {d}" for d in simplices.index],
            "paper_number": pd.array([None] * len(simplices), dtype="Int64"),
            "paper_term": "", "count": [int(v) for v in simplices]}))
    table = pd.concat(parts, ignore_index=True)
    if fmt == "parquet":
        atomic_write(args.output, lambda p: table.to_parquet(p, index=False))
        return 0
    if fmt == "csv":
        text = table.to_csv(index=False)
    elif fmt == "json":
        records = [{k: (None if pd.isna(v) else v) for k, v in r.items()}
                   for r in table.astype(object).to_dict(orient="records")]
        text = json.dumps({"graph": label, "nodes": graph.n, "edges": graph.n_edges,
                           "census": records}, indent=2) + "\n"
    else:
        shown = table.astype(object).where(table.notna(), "")
        text = f"{label}: {graph!r}\n" + shown.to_string(index=False) + "\n"
    if args.output:
        atomic_write(args.output, lambda p: p.write_text(text))
    else:
        sys.stdout.write(text)
    return 0


def _run(args: argparse.Namespace) -> int:
    from connectome_motifs.nullmodels import MODELS, smallest_adjusted_p

    explicit = args.models is not None
    models = resolve_models([m.strip() for m in args.models.split(",") if m.strip()]
                            if explicit else DEFAULT_MODELS)
    if args.samples < 2:
        raise ValueError(f"--samples must be at least 2, got {args.samples}")
    if args.jobs is not None and args.jobs < 1:
        raise ValueError(f"--jobs must be at least 1, got {args.jobs}")
    if args.synapses is None and args.dataset == "larva":
        graphs = [graph_from_args(args, name) for name in args.compartment.split(",")]
    elif args.synapses is None:
        names = (tuple(PINKY100_SUBGRAPHS) if args.subgraph == "all"
                 else tuple(args.subgraph.split(",")))
        graphs = [graph_from_args(args, name) for name in names]
    else:
        graphs = [graph_from_args(args)]

    from connectome_motifs.motifs.analysis import SIGNIFICANCE_LEVEL
    from connectome_motifs.motifs.report import format_summary, write_results
    from connectome_motifs.nullmodels import as_executor
    from connectome_motifs.nullmodels.distributed import MissingDaskError

    def say(line: str) -> None:
        if not args.quiet:
            print(line, file=sys.stderr, flush=True)

    # A model named on the command line must run; of the default ones, those a graph cannot
    # have (PM without positions) are left out, said and recorded.
    skipped: dict[str, dict[str, str]] = {}
    position_scale = None
    if args.cells is not None:
        from connectome_motifs.graphs.formats import resolve_format

        position_scale = resolve_format(args.table_format,
                                        **_format_overrides(args)).position_scale
        if position_scale != (1.0, 1.0, 1.0):
            say(f"soma positions multiplied by {', '.join(f'{s:g}' for s in position_scale)} "
                f"(x, y, z) into µm, as the {args.table_format} preset says; "
                "--position-scale 1 if they are in µm already")
    for graph, label in graphs:
        _tell_removals(graph, label, quiet=args.quiet)
        reasons = {m: MODELS[m].unmet_requirement(graph) for m in models}
        if args.groups is None:
            reasons.update({m: "needs cell groups: --groups COLUMN" for m in models
                            if MODELS[m].uses_groups})
        reasons = {m: r for m, r in reasons.items() if r is not None}
        if reasons and explicit:
            raise ValueError(f"{label}: " + "; ".join(f"{m} {r}" for m, r in reasons.items()))
        if reasons:
            skipped[label] = reasons
            say(f"{label}: skipped " + "; ".join(f"{m} ({r})" for m, r in reasons.items()))
    attainable = smallest_adjusted_p(args.samples, 16)
    if attainable >= SIGNIFICANCE_LEVEL:
        say(f"warning: with {args.samples} samples the smallest Holm-adjusted p of the 16 "
            f"triad classes is {attainable:.3g}, not below {SIGNIFICANCE_LEVEL}: no class can "
            f"be marked significant; use --samples {math.ceil(32 / SIGNIFICANCE_LEVEL)} or more")
    if args.motif_size == 4 and smallest_adjusted_p(args.samples, 218) >= SIGNIFICANCE_LEVEL:
        say(f"note: with {args.samples} samples no 4-cell class can be significant after "
            f"Holm's adjustment over the 218 classes (the smallest adjusted p is "
            f"{smallest_adjusted_p(args.samples, 218):.3g}); the z-scores still rank them. "
            f"--samples {math.ceil(2 * 218 / SIGNIFICANCE_LEVEL)} or more can reach "
            f"{SIGNIFICANCE_LEVEL}")
    if not args.quiet and _first_compilation():
        say("compiling the numba kernels for their first use (about a minute, once)")
    progress = False if args.quiet else "bar" if sys.stderr.isatty() else "log"
    start = time.perf_counter()
    try:
        executor = as_executor(args.dask if args.dask else args.jobs)
        with executor:
            analyses = [analyse(graph, label=label,
                                models=[m for m in models if m not in skipped.get(label, {})],
                                n_samples=args.samples, seed=args.seed, executor=executor,
                                progress=progress, motif_size=args.motif_size,
                                simplices=args.simplices, groups=args.groups,
                                strength=args.strength)
                        for graph, label in graphs]
    except MissingDaskError as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 2
    analysis_seconds = time.perf_counter() - start
    bundled = {"pinky100": "MICrONS pinky100 (bundled)",
               "larva": "Drosophila larva, Winding et al. 2023 (bundled)"}
    inputs = ({"dataset": bundled[args.dataset]} if args.synapses is None else
              {"synapses": str(args.synapses), "cells": args.cells, "format": args.table_format,
               "position_scale": position_scale})
    significance = {"level": SIGNIFICANCE_LEVEL, "adjustment": "holm",
                    "smallest_attainable_p_adjusted_triads": attainable}
    written = write_results(analyses, args.out, extra={
        "input": inputs, "analysis_seconds": analysis_seconds, "skipped_models": skipped,
        "significance": significance})
    if not args.quiet:
        for a in analyses:
            print(format_summary(a))
            print()
        print(f"wrote {len(written)} files to {args.out}/ in "
              f"{time.perf_counter() - start:.1f} s")
    return 0


def _strata(text: str | None) -> float | str | None:
    """Return ``--bins`` as the tests take it: None, a cube side in µm or a column name."""
    if text is None or text.strip().lower() in ("none", "global"):
        return None
    try:
        return float(text)
    except ValueError:
        return text.strip()


#: Columns of the attribute tests' printed summary.
_ATTRIBUTE_SUMMARY = ("attribute", "test", "method", "bins", "n_cells_tested", "n_left_out",
                      "statistic", "null_mean", "z", "p_two_sided", "p_greater")


def _attribute_results(args: argparse.Namespace, graph: SynapseGraph, attributes: list[str],
                       methods: list[str], bins: float | str | None, progress) -> list:
    """Return the results of every test ``attribute-test`` was asked for, in order."""
    from connectome_motifs.nullmodels.attribute_tests import (
        attribute_test,
        structure_function_test,
    )

    results = []
    for attribute in attributes:
        for method in methods:
            # Cubes are strata of the shuffle; the distance method has distance bins instead.
            strata = None if method == "distance" and not isinstance(bins, str) else bins
            results.append(attribute_test(
                graph, attribute, kind=args.kind, period=args.period, method=method,
                bins=strata, resolution=args.resolution, n_permutations=args.permutations,
                seed=args.seed, progress=progress))
        if args.radius is not None:
            results.append(structure_function_test(
                graph, attribute, radius=args.radius, bins=bins,
                n_permutations=args.permutations, seed=args.seed))
    return results


def _attribute_test(args: argparse.Namespace) -> int:
    import pandas as pd

    from connectome_motifs.motifs.html_report import render_attribute_report
    from connectome_motifs.motifs.plots.attribute_tests import plot_attribute_test
    from connectome_motifs.motifs.plots.saving import save_figure

    def say(line: str) -> None:
        if not args.quiet:
            print(line, file=sys.stderr, flush=True)

    attributes = [a.strip() for a in args.attribute.split(",") if a.strip()]
    methods = [m.strip() for m in args.method.split(",") if m.strip()]
    if not attributes:
        raise ValueError("--attribute names no column")
    if args.permutations < 1:
        raise ValueError(f"--permutations must be at least 1, got {args.permutations}")
    graph, label = graph_from_args(args)
    _tell_removals(graph, label, quiet=args.quiet)
    if args.radius is not None and graph.positions is None:
        raise ValueError(f"--radius: the structure-function test needs soma positions, "
                         f"and {label} has none")
    bins = _strata(args.bins)
    if bins is None and "shuffle" in methods and graph.positions is not None:
        say("note: the shuffle is global and ignores space, so nearby cells that are alike "
            "and connect more often look like-to-like; --bins 50 shuffles within 50 µm "
            "cubes, --method distance conditions on distance")
    progress = False if args.quiet else "bar" if sys.stderr.isatty() else "log"
    try:
        results = _attribute_results(args, graph, attributes, methods, bins, progress)
    except GraphInputError as err:
        if args.cells is None or err.file is not None or err.column not in attributes:
            raise
        # The attributes are columns of the cell table, whose data rows are the node table's.
        raise GraphInputError(err.message, file=args.cells, column=err.column, rows=err.rows,
                              n_bad=err.n_bad, values=err.values) from err
    table = pd.concat([r.to_frame() for r in results], ignore_index=True)
    table.insert(0, "graph", label)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "attribute_tests.csv", out / "attribute_tests.parquet"]
    atomic_write(written[0], lambda p: table.to_csv(p, index=False))
    atomic_write(written[1], lambda p: table.to_parquet(p, index=False))
    svgs = []
    for result in results:
        stem = "structure_function" if result.test == "structure-function" else result.method
        paths = save_figure(plot_attribute_test(result),
                            out / f"attribute_test_{result.attribute}_{stem}")
        written += paths
        svgs.append(next(p for p in paths if p.suffix == ".svg"))
    page = render_attribute_report(table, svgs, graph.summary(), label)
    written.append(atomic_write(out / "attribute_tests.html", lambda p: p.write_text(page)))
    if not args.quiet:
        shown = table[list(_ATTRIBUTE_SUMMARY)].copy()
        for column in ("statistic", "null_mean", "z"):
            shown[column] = shown[column].map(lambda v: f"{v:.4g}")
        for column in ("p_two_sided", "p_greater"):
            shown[column] = shown[column].map(lambda v: f"{v:.3g}")
        print(f"{label}: {graph!r}")
        print(shown.to_string(index=False))
        for result in results:
            if result.n_left_out:
                print(f"{result.attribute} ({result.test}, {result.method}): "
                      f"{result.n_left_out} of {result.n_cells} cells left out, "
                      f"{result.n_missing} of them with no value")
        print(f"wrote {len(written)} files to {out}/")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the command line."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Motif statistics and null models for synapse-resolution connectomes. "
                    "With no input options every command uses the bundled MICrONS pinky100 "
                    "data (Turner et al., Cell 2022).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run", help="the motif analysis: observed 2- and 3-cell motifs against null models",
        description="Count 2- and 3-cell motifs, the clustering coefficient and the "
                    "common-neighbour rule, and compare them with null models: exact "
                    "expectations where a model allows (ER, gER, PM) and sampled ensembles "
                    "(z-scores, empirical p-values). Writes tables, summary.json and figures.",
    )
    _add_input_options(run, subgraph_help="bundled data only: full, th0, th100, th300, a "
                                          "comma-separated list, or all (default: %(default)s)")
    analysis = run.add_argument_group("analysis")
    analysis.add_argument("--models", default=None,
                          help="comma-separated null models: ER (Erdős–Rényi), gER "
                               "(reciprocity-preserving ER), CFG (configuration model: exact "
                               "in/out degrees), gCFG (CFG also keeping the reciprocal pairs), "
                               "PM (distance-dependent; needs soma positions), PM-exp (PM with "
                               "p(d) = a exp(-b d)), PM-group (a p(d) per ordered pair of cell "
                               "groups; needs --groups), SBM (typed "
                               "ER: a connection probability per ordered pair of cell groups; "
                               "needs --groups), gSBM (SBM also keeping the reciprocal pairs "
                               "per group pair), bCFG (block configuration model: CFG also "
                               "keeping the connections between every two groups; needs "
                               "--groups), DBCM and RBCM (maximum-entropy: degrees, or "
                               "one-way and reciprocal degrees, in expectation), sCFG (CFG "
                               "weighted by PM's p(d): degrees exact, connections as short as "
                               "PM makes them); any case "
                               f"(default: {','.join(DEFAULT_MODELS)}, leaving out those the "
                               "graph cannot have, such as PM without positions)")
    analysis.add_argument("--samples", type=int, default=DEFAULT_N_SAMPLES,
                          help="samples per model (default: %(default)s)")
    analysis.add_argument("--seed", type=int, default=DEFAULT_SEED,
                          help="seed; the same seed gives identical tables (default: "
                               "%(default)s)")
    analysis.add_argument("--jobs", type=int, default=None,
                          help="worker threads (default: every core); results do not depend "
                               "on it")
    analysis.add_argument("--dask", metavar="ADDRESS",
                          help="draw the samples on a Dask cluster: a scheduler address "
                               "(tcp://host:8786) or local:N to start N local worker "
                               "processes; results are identical to a local run (needs "
                               "connectome-motifs[dask])")
    analysis.add_argument("--groups", metavar="COLUMN",
                          help="node-table column of cell groups (cell type, hemisphere...) "
                               "for the models of groups; also adds the typed dyad and triad "
                               "census (by the groups of the cells) and the rich-club "
                               "coefficient to every sample, table and the report; cells with "
                               "no label form one more group, '(unlabelled)', which the output "
                               "counts")
    analysis.add_argument("--strength", action="store_true",
                          help="add motif strength (mean synapse count, Onnela intensity and "
                               "coherence per triad class) against the synapse counts shuffled "
                               "over the observed wiring (W-shuffle; within group pairs too, "
                               "W-shuffle-groups, with --groups) and over the samples of every "
                               "model that keeps the number of connections (CFG+W, bCFG+W...)")
    analysis.add_argument("--motif-size", type=int, choices=(3, 4), default=3,
                          help="4 adds the census of the 218 classes of 4 cells to every "
                               "sample, table and the report (default: %(default)s)")
    analysis.add_argument("--simplices", action="store_true",
                          help="add the directed simplex counts (directed flag complex) by "
                               "dimension")
    output = run.add_argument_group("output")
    output.add_argument("--out", default="results", metavar="DIR",
                        help="output folder (default: %(default)s)")
    output.add_argument("--quiet", action="store_true",
                        help="print nothing and show no progress bars")
    run.set_defaults(handler=_run)

    census = commands.add_parser(
        "census", help="dyad, triad and 4-cell census of a graph",
        description="Print the dyad census (2-cell motifs) and the triad census (16 classes, "
                    "labelled by MAN code and by the paper's number); with --size 4 also the "
                    "218 classes of 4 cells (by igraph isoclass), with --simplices the "
                    "directed simplices by dimension.",
    )
    _add_input_options(census)
    census.add_argument("--size", type=int, choices=(3, 4), default=3,
                        help="largest motif size (default: %(default)s)")
    census.add_argument("--simplices", action="store_true",
                        help="also count the directed simplices by dimension")
    census.add_argument("--output-format", choices=("table", "csv", "json", "parquet"),
                        default=None, help="what to write (default: from --output's suffix, "
                                           "else table; csv with --per-node or --per-edge)")
    per = census.add_mutually_exclusive_group()
    per.add_argument("--per-node", action="store_true",
                     help="per cell: how many triads (with --size 4 also 4-cell sets) of "
                          "each class it belongs to, with the exact cell ids (csv or parquet)")
    per.add_argument("--per-edge", action="store_true",
                     help="per connection: how many triads of each class hold it, by the "
                          "edge's role, with the exact cell ids (csv or parquet)")
    census.add_argument("--output", "-o", metavar="FILE", help="write to FILE, not stdout")
    census.set_defaults(handler=_census)

    attribute = commands.add_parser(
        "attribute-test",
        help="do connected cells have alike attributes beyond distance (like-to-like); does "
             "in-connection density follow an attribute (structure-function)",
        description="Like-to-like: the mean similarity of the attribute over connections "
                    "against its null, either the attribute shuffled among cells within "
                    "strata (--method shuffle, the paper's method; --bins) or the "
                    "connections placed at random among the pairs of their distance bin "
                    "(--method distance: exact conditional mean and SD, normal p-values). "
                    "With --radius also the structure-function test: the Spearman "
                    "correlation of each cell's in-connection density from cells within "
                    "the radius with the attribute. Cells with no value are left out and "
                    "counted. Writes attribute_tests.csv and .parquet, a figure of each "
                    "test's null distribution and attribute_tests.html, a page of them all.",
    )
    _add_input_options(attribute)
    tests = attribute.add_argument_group("test")
    tests.add_argument("--attribute", required=True, metavar="COLUMNS",
                       help="node-table column(s) to test, comma-separated")
    tests.add_argument("--kind", choices=("categorical", "continuous", "circular"),
                       default=None, help="how values compare: equal labels, 1 - abs(a - b) / "
                                          "range, or cos(2 pi (a - b) / period) (default: "
                                          "continuous for numbers, else categorical)")
    tests.add_argument("--period", type=float, default=None,
                       help="period of a circular attribute, e.g. 180 for orientation in "
                            "degrees")
    tests.add_argument("--method", default="shuffle", metavar="METHODS",
                       help="shuffle, distance, or both comma-separated (default: "
                            "%(default)s)")
    tests.add_argument("--bins", default=None, metavar="BINS",
                       help="strata of the shuffle: a cube side in µm (e.g. 50), a "
                            "node-table column (which also stratifies the distance method), "
                            "or none (default: none, a global shuffle)")
    tests.add_argument("--resolution", type=float, default=1.0, metavar="UM",
                       help="width of the distance method's distance bins in µm (default: "
                            "%(default)s)")
    tests.add_argument("--radius", type=float, default=None, metavar="UM",
                       help="also run the structure-function test with this radius in µm "
                            "(needs soma positions)")
    tests.add_argument("--permutations", type=int, default=999,
                       help="permutations of the shuffles (default: %(default)s)")
    tests.add_argument("--seed", type=int, default=DEFAULT_SEED,
                       help="seed; the same seed gives identical tables (default: "
                            "%(default)s)")
    attribute.add_argument("--out", default="results", metavar="DIR",
                           help="output folder (default: %(default)s)")
    attribute.add_argument("--quiet", action="store_true",
                           help="print nothing and show no progress")
    attribute.set_defaults(handler=_attribute_test)

    info = commands.add_parser("info", help="load a graph and print its summary",
                               description="Load a graph and print its summary.")
    _add_input_options(info)
    info.set_defaults(handler=_info)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 on success, 2 on bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except GraphInputError as err:
        print(f"{PROG}: error: {err.format_message(_flag(err))}", file=sys.stderr)
        return 2
    except (ValueError, OSError) as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
