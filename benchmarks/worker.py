"""One benchmark measurement in its own process: ``python -m benchmarks.worker SPEC.json``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from benchmarks.generators import GRAPHS
from benchmarks.measure import dumps, use_fixed_mmap_threshold
from benchmarks.registry import Context, load_suites
from connectome_motifs.graphs import SynapseGraph, load_graph, read_graph, save_graph

__all__ = ["graph_files", "main", "run_spec"]


def graph_files(name: str, folder: Path, source: str | None = None) -> dict[str, Path]:
    """Return the npz and Parquet files of a benchmark graph, writing them if missing.

    Parameters
    ----------
    name : str
        A name in :data:`~benchmarks.generators.GRAPHS`, or the name given to ``source``.
    folder : Path
        Where the files are kept (reused across runs: the graphs are seeded).
    source : str, optional
        A user's graph file: ``.npz`` (:func:`connectome_motifs.graphs.save_graph`) or a synapse
        table :func:`connectome_motifs.graphs.read_graph` reads.

    Returns
    -------
    dict
        ``npz`` and ``parquet`` paths. The Parquet table has ``pre``, ``post`` (cell
        ids) and ``weight`` (synapse count) columns, one row per edge.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    files = {"npz": folder / f"{name}.npz", "parquet": folder / f"{name}.parquet"}
    if files["npz"].exists() and files["parquet"].exists():
        return files
    if source is None:
        g = GRAPHS[name].build()
    elif source.endswith(".npz"):
        g = load_graph(source)
    else:
        g = read_graph(source)
    save_graph(g, files["npz"])
    pre, post = g.edges()
    ids = g.ids
    table = pa.table({"pre": ids[pre], "post": ids[post], "weight": g.out_weights})
    pq.write_table(table, files["parquet"])
    return files


def run_spec(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the records of one suite on one graph, as described by ``spec``.

    ``spec`` keys: ``suite``, ``graph``, ``scale``, ``folder`` (graph files), ``source``
    (a user's file or None), ``repeats``, ``threads``, ``peer_budget``, ``max_seconds``,
    ``samples``.
    """
    import numba

    numba.set_num_threads(spec["threads"])
    try:
        import networkit

        networkit.setNumberOfThreads(spec["threads"])
    except ImportError:
        pass
    use_fixed_mmap_threshold()
    suites, _ = load_suites()
    files = graph_files(spec["graph"], Path(spec["folder"]), spec.get("source"))
    g: SynapseGraph = load_graph(files["npz"])
    ctx = Context(graph=g, name=spec["graph"], scale=spec["scale"], repeats=spec["repeats"],
                  threads=spec["threads"], peer_budget=spec["peer_budget"],
                  max_seconds=spec["max_seconds"], files=files, samples=spec["samples"])
    return suites[spec["suite"]].run(ctx)


def main(argv: list[str] | None = None) -> int:
    """Run the spec in ``argv[0]`` and write its records to ``argv[1]`` (JSON)."""
    argv = sys.argv[1:] if argv is None else argv
    spec = json.loads(Path(argv[0]).read_text())
    Path(argv[1]).write_text(dumps(run_spec(spec)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
