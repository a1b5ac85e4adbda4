"""Loading suite: a graph from a Parquet edge table (and our binary file) vs igraph and networkx."""

from __future__ import annotations

from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from benchmarks.measure import measure
from benchmarks.registry import OURS, Context, suite
from connectome_motifs.graphs import load_graph, read_graph

__all__ = ["run_loading"]


def _sorted_keys(pre: np.ndarray, post: np.ndarray) -> np.ndarray:
    return np.sort(np.asarray(pre, dtype=np.int64) * (2**31) + np.asarray(post, dtype=np.int64))


@suite("load", "graph from a Parquet table of (pre, post, weight) ids: read_graph vs "
               "igraph Graph.DataFrame and networkx from_pandas_edgelist; graph memory")
def run_loading(ctx: Context) -> list[dict[str, Any]]:
    """Return the records of loading the context's graph from its Parquet and npz files."""
    g = ctx.graph
    path = ctx.files["parquet"]
    ids = g.ids
    pre, post = g.edges()
    # Compare through ranks of ids so any sortable id type works.
    sorted_ids = np.sort(ids)

    def ranks(values) -> np.ndarray:
        values = np.asarray(values)
        at = np.minimum(np.searchsorted(sorted_ids, values), max(sorted_ids.size - 1, 0))
        return np.where(sorted_ids[at] == values, at, -1).astype(np.int64)

    expected = _sorted_keys(ranks(ids[pre]), ranks(ids[post]))

    def same_edges(edge_ids_pre, edge_ids_post) -> tuple[bool, str]:
        a, b = ranks(edge_ids_pre), ranks(edge_ids_post)
        ok = a.size == expected.size and np.array_equal(_sorted_keys(a, b), expected)
        return ok, "same edges as the source graph" if ok else "edges differ"

    ours = measure(lambda: read_graph(path), ctx.repeats, max_seconds=ctx.max_seconds)
    loaded = ours.result
    lp, lq = loaded.edges()
    lids = loaded.ids
    ok, detail = same_edges(lids[lp], lids[lq])
    ok = ok and np.array_equal(np.sort(loaded.out_weights), np.sort(g.out_weights))
    node_table = int(loaded.nodes.memory_usage(deep=True).sum())
    m = max(loaded.n_edges, 1)
    note = (f"graph {loaded.nbytes / m:.1f} B/edge (nbytes {loaded.nbytes / 2**20:.1f} MiB) + "
            f"node table {node_table / 2**20:.2f} MiB = {(loaded.nbytes + node_table) / m:.1f} "
            f"B/edge; Parquet file {path.stat().st_size / 2**20:.1f} MiB")
    records = [ctx.record("load", "Parquet -> graph", OURS, ours, check=ok,
                          detail=detail + "; weights kept", note=note)]
    records[0]["bytes_per_edge"] = (loaded.nbytes + node_table) / m
    binary = measure(lambda: load_graph(ctx.files["npz"]), ctx.repeats,
                     max_seconds=ctx.max_seconds)
    b = binary.result
    ok = (np.array_equal(b.out_indptr, g.out_indptr) and np.array_equal(b.out_indices,
                                                                        g.out_indices))
    records.append(ctx.record("load", "npz -> graph", OURS, binary, check=ok,
                              detail="identical CSR arrays" if ok else "CSR arrays differ",
                              note="connectome_motifs.graphs.load_graph (our binary format)"))

    def igraph_load() -> ig.Graph:
        return ig.Graph.DataFrame(pd.read_parquet(path), directed=True, use_vids=False)

    peer = measure(igraph_load, ctx.repeats, warmup=False, max_seconds=ctx.max_seconds)
    h = peer.result
    names = np.array(h.vs["name"])
    edges = np.array(h.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    ok, detail = same_edges(names[edges[:, 0]], names[edges[:, 1]])
    records.append(ctx.record("load", "Parquet -> graph", "igraph", peer, check=ok,
                              detail=detail, note="pandas.read_parquet + Graph.DataFrame"))
    del h, peer

    def networkx_load() -> nx.DiGraph:
        return nx.from_pandas_edgelist(pd.read_parquet(path), "pre", "post", edge_attr="weight",
                                       create_using=nx.DiGraph)

    peer = measure(networkx_load, ctx.repeats, warmup=False, max_seconds=ctx.max_seconds)
    h = peer.result
    edges = np.array(list(h.edges()), dtype=ids.dtype).reshape(-1, 2)
    ok, detail = same_edges(edges[:, 0], edges[:, 1])
    records.append(ctx.record("load", "Parquet -> graph", "networkx", peer, check=ok,
                              detail=detail, note="pandas.read_parquet + from_pandas_edgelist"))
    return records
