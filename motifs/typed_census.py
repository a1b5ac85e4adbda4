"""Typed dyad and triad census: the census split by the cell groups of the pairs and triads."""

from __future__ import annotations

from functools import cache
from itertools import permutations
from math import comb
from typing import Any

import numba
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from connectome_motifs.graphs import NodeGroups, SynapseGraph, node_groups
from connectome_motifs.motifs.catalogue import (
    DYAD_NAMES,
    TRIAD_NAMES,
    TRIADS,
    code_tables,
    tricode,
)
from connectome_motifs.motifs.census import NeighbourLists, neighbour_lists, work_units
from connectome_motifs.motifs.inputs import graph_input
from connectome_motifs.motifs.kernels.typed_triads import (
    typed_neighbour_pairs,
    typed_triangle_histogram,
)

__all__ = [
    "MAX_GROUPS",
    "class_automorphisms",
    "typed_dyad_census",
    "typed_dyad_counts",
    "typed_triad_census",
    "typed_triad_counts",
    "typed_triad_frame",
]

#: Most groups the typed triad census takes: its tables hold 64 K³ counts (134 MB at K = 64;
#: measured peak ~0.6 GB there).
MAX_GROUPS = 64

# Accumulator memory the parallel kernels may spend on per-unit tables, beyond one per thread,
# and the units per thread they may have.
_ACCUMULATOR_BYTES = 64 * 2**20
_UNITS_PER_THREAD = 4
_INT64_MAX = int(np.iinfo(np.int64).max)
# The pairs {0, 1}, {0, 2}, {1, 2} of a tricode (bits 0-1, 2-3, 4-5), and the codes that
# keep two of the three pairs.
_PAIR_MASKS = (0b000011, 0b001100, 0b110000)
_TWO_PAIR_MASKS = (0b001111, 0b110011, 0b111100)
# Tricode of the triangles with pair codes a, b, c, at 9 (a - 1) + 3 (b - 1) + (c - 1).
_TRIANGLE_CODES = tuple(a | b << 2 | c << 4 for a in (1, 2, 3) for b in (1, 2, 3)
                        for c in (1, 2, 3))


def _readonly(a: NDArray) -> NDArray:
    a.flags.writeable = False
    return a


@cache
def class_automorphisms() -> tuple[tuple[tuple[int, int, int], ...], ...]:
    """Return, per triad class in canonical order, the permutations of its canonical nodes
    that map its edges onto themselves (its automorphism group, identity first).

    Examples
    --------
    >>> [len(a) for a in class_automorphisms()][:3]
    [6, 1, 2]
    """
    return tuple(
        tuple(p for p in permutations(range(3))
              if {(p[u], p[v]) for u, v in t.edges} == set(t.edges))
        for t in TRIADS
    )


@cache
def _code_permutations() -> tuple[tuple[int, int, int], ...]:
    """Return, per tricode, a ``p``: canonical node ``i`` of its class is labelled node ``p[i]``."""
    perms: list[tuple[int, int, int] | None] = [None] * 64
    for t in TRIADS:
        for p in permutations(range(3)):
            code = tricode([(p[u], p[v]) for u, v in t.edges])
            if perms[code] is None:
                perms[code] = p
    return tuple(perms)  # type: ignore[arg-type]


@cache
def _representatives(n_groups: int) -> NDArray[np.int64]:
    """Return (16, K³): the representative of each canonical group triple of each class.

    Triples are flat indices ``(g1 K + g2) K + g3``; the representative of a triple is
    the smallest flat index (the lexicographically smallest triple) over the class's
    automorphisms. Read-only.
    """
    k = n_groups
    triple = np.indices((k, k, k)).reshape(3, -1)
    reps = np.empty((len(TRIADS), k**3), dtype=np.int64)
    for t, automorphisms in enumerate(class_automorphisms()):
        images = [(triple[p[0]] * k + triple[p[1]]) * k + triple[p[2]] for p in automorphisms]
        reps[t] = np.minimum.reduce(images)
    return _readonly(reps)


def _n_chunks(n: int, table_bytes: int) -> int:
    """Return the work units of a kernel whose every unit holds a table of ``table_bytes``.

    A few per thread balance the load (nodes are dealt to units in turn); more would
    spend their time clearing and adding tables. Integer sums: any number gives the
    same result.
    """
    threads = numba.get_num_threads()
    affordable = max(threads, min(_UNITS_PER_THREAD * threads,
                                  _ACCUMULATOR_BYTES // max(table_bytes, 1)))
    return max(1, min(work_units(n), affordable))


def _pair_table(row: NDArray, col: NDArray, codes: NDArray, groups: NDArray[np.int32],
                k: int) -> NDArray[np.int64]:
    """Return (3, K, K): adjacency entries by pair code, group of the row and of the column."""
    keys = ((codes.astype(np.int64) - 1) * k + groups[row]) * k + groups[col]
    return np.bincount(keys, minlength=3 * k * k).reshape(3, k, k)


def _labelled_counts(lists: NeighbourLists, groups: NDArray[np.int32],
                     sizes: NDArray[np.int64]) -> NDArray[np.int64]:
    """Return (64, K, K, K): triads by labelled code and the groups of labelled nodes 0, 1, 2.

    Each triad with a connected pair is counted once, under one of its labellings; code 0
    (no pair connected) is left at zero.
    """
    n, k = groups.size, sizes.size
    labelled = np.zeros((64, k, k, k), dtype=np.int64)
    # Triangles, and what each removes from the open and one-pair counts below: the
    # paths of length two it closes and the common neighbour it gives each of its pairs.
    triangles = typed_triangle_histogram(lists.fwd_indptr, lists.fwd_indices, lists.fwd_codes,
                                         groups, k, _n_chunks(n, 27 * 8 * k**3))
    by_code = triangles.transpose(0, 3, 4, 1, 2, 5).reshape(27, k, k, k)
    for code, counts in zip(_TRIANGLE_CODES, by_code, strict=True):
        labelled[code] += counts
        for mask in _TWO_PAIR_MASKS:
            labelled[code & mask] -= counts
        for mask in _PAIR_MASKS:
            labelled[code & mask] += counts
    # Paths of length two, by centre x (node 0) and its neighbours' categories (nodes 1, 2).
    pairs = typed_neighbour_pairs(lists.indptr, lists.indices, lists.codes, groups, k,
                                  _n_chunks(n, 9 * 8 * k**3))
    by_category = pairs.reshape(k, 3, k, 3, k)
    for a in (1, 2, 3):
        for b in (1, 2, 3):
            labelled[a | b << 2] += by_category[:, a - 1, :, b - 1, :]
    # One connected pair {x, y} and a cell z of group h joined to neither: per pair,
    # |h| - deg_h(x) - deg_h(y) + common_h(x, y). The common neighbours came with the
    # triangles. Summed over the neighbours y of x in one category, deg_h(x) is a row sum
    # of x's category products n_s n_t: the pair counts above, twice off the diagonal
    # and n_s (n_s - 1) + n_s on it.
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(lists.fwd_indptr))
    unordered = _pair_table(rows, lists.fwd_indices, lists.fwd_codes, groups, k)
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(lists.indptr))
    ordered = _pair_table(rows, lists.indices, lists.codes, groups, k)
    products = pairs + pairs.transpose(0, 2, 1)
    diagonal = np.arange(3 * k)
    products[:, diagonal, diagonal] += ordered.transpose(1, 0, 2).reshape(k, 3 * k)
    degree_terms = products.reshape(k, 3, k, 3, k).sum(axis=3).transpose(1, 0, 2, 3)
    for a in (1, 2, 3):
        labelled[a] += unordered[a - 1][:, :, None] * sizes - degree_terms[a - 1]
    return labelled


def typed_triad_counts(lists: NeighbourLists, groups: NodeGroups) -> NDArray:
    """Return (16, K, K, K): triads by class and the groups of the class's canonical nodes.

    Parameters
    ----------
    lists : NeighbourLists
        From :func:`connectome_motifs.motifs.census.neighbour_lists` of the graph.
    groups : NodeGroups
        The graph's node groups, at most :data:`MAX_GROUPS`.

    Returns
    -------
    ndarray
        ``counts[t, g1, g2, g3]``: triads of class ``TRIADS[t]`` whose canonical nodes
        0, 1, 2 (those of :attr:`~connectome_motifs.motifs.catalogue.TriadClass.edges`)
        have groups ``g1, g2, g3``, counted at the representative of the triple's orbit
        under the class's automorphisms (the lexicographically smallest triple; zero
        elsewhere). int64; object (exact Python ints) when ``C(n, 3)`` exceeds int64.

    Notes
    -----
    O(n log n + m sqrt(m) + sum over nodes of min(deg, 3K)² + K³): see
    :func:`typed_triad_census`.
    """
    k, n = groups.n_groups, groups.codes.size
    classes, _ = code_tables()
    labelled = _labelled_counts(lists, groups.codes, groups.sizes)
    canonical = np.zeros((len(TRIADS), k, k, k), dtype=np.int64)
    for code, p in enumerate(_code_permutations()):
        if code:
            canonical[classes[code]] += labelled[code].transpose(p)
    reps = _representatives(k)
    folded = np.zeros((len(TRIADS), k**3), dtype=np.int64)
    for t in range(1, len(TRIADS)):
        np.add.at(folded[t], reps[t], canonical[t].ravel())
    # The empty triads of each group multiset {a <= b <= c}: all its triples but the rest.
    dtype = np.int64 if comb(n, 3) <= _INT64_MAX else object
    a, b, c = (axis.ravel() for axis in np.indices((k, k, k)))
    ascending = (a <= b) & (b <= c)
    a, b, c = a[ascending], b[ascending], c[ascending]
    flat = (a * k + b) * k + c
    connected = np.zeros(k**3, dtype=np.int64)
    np.add.at(connected, reps[0], canonical[1:].sum(axis=0).ravel())
    sa, sb, sc = (groups.sizes.astype(dtype)[g] for g in (a, b, c))
    ab, bc = a == b, b == c
    triples = np.where(ab & bc, sa * (sa - 1) * (sa - 2) // 6,
                       np.where(ab, sa * (sa - 1) // 2 * sc,
                                np.where(bc, sa * (sb * (sb - 1) // 2), sa * sb * sc)))
    out = folded.astype(dtype)
    out[0, flat] = triples - connected[flat].astype(dtype)
    return out.reshape(len(TRIADS), k, k, k)


def typed_triad_frame(counts: NDArray, labels: tuple[str, ...]) -> pd.DataFrame:
    """Return :func:`typed_triad_counts` as the tidy table of :func:`typed_triad_census`.

    ``triad``, the group and the role columns are categorical: classes in canonical
    order, groups in the order of ``labels``, roles in the catalogue's order.
    """
    nonzero = np.flatnonzero(counts.ravel())
    t, g1, g2, g3 = np.unravel_index(nonzero, counts.shape)
    values = counts.ravel()[nonzero]
    if values.dtype == object and (values.size == 0 or values.max() <= _INT64_MAX):
        values = values.astype(np.int64)
    role_names = list(dict.fromkeys(role for triad in TRIADS for role in triad.roles))
    role_codes = np.array([[role_names.index(r) for r in triad.roles] for triad in TRIADS])
    columns: dict[str, Any] = {"triad": pd.Categorical.from_codes(t, categories=TRIAD_NAMES)}
    for i, g in enumerate((g1, g2, g3), start=1):
        columns[f"group_{i}"] = pd.Categorical.from_codes(g, categories=labels)
    for i in range(3):
        columns[f"role_{i + 1}"] = pd.Categorical.from_codes(role_codes[t, i],
                                                             categories=role_names)
    columns["count"] = values
    return pd.DataFrame(columns)


def _groups_of(graph: SynapseGraph, groups: str) -> NodeGroups:
    if not isinstance(groups, str):
        raise TypeError(f"groups must be the name of a node-table column, got {groups!r}")
    return node_groups(graph, groups)


def typed_dyad_counts(graph: SynapseGraph, groups: NodeGroups) -> NDArray[np.int64]:
    """Return (3, K, K): null, asymmetric and mutual pairs by the groups of their cells.

    Parameters
    ----------
    graph : SynapseGraph
    groups : NodeGroups
        The graph's node groups.

    Returns
    -------
    ndarray of int64
        ``counts[d, a, b]`` for dyad class ``DYAD_NAMES[d]``: asymmetric pairs from a cell
        of group ``a`` to one of ``b``; null and mutual pairs unordered, at ``a <= b``
        (zero below the diagonal).

    Notes
    -----
    O(n + m + K²): see :func:`typed_dyad_census`.
    """
    k, codes = groups.n_groups, groups.codes.astype(np.int64)
    pre, post = graph.edges()
    mutual_edge = graph.reciprocal_mask
    one_way = ~mutual_edge
    asymmetric = np.bincount(codes[pre[one_way]] * k + codes[post[one_way]],
                             minlength=k * k).reshape(k, k)
    forward = mutual_edge & (pre < post)
    low = np.minimum(codes[pre[forward]], codes[post[forward]])
    high = np.maximum(codes[pre[forward]], codes[post[forward]])
    mutual = np.bincount(low * k + high, minlength=k * k).reshape(k, k)
    sizes = groups.sizes
    null = np.triu(np.outer(sizes, sizes), 1) + np.diag(sizes * (sizes - 1) // 2)
    null -= np.triu(asymmetric + asymmetric.T, 1) + np.diag(np.diag(asymmetric)) + mutual
    return np.stack([null, asymmetric, mutual]).astype(np.int64)


@graph_input
def typed_dyad_census(graph: Any, groups: str) -> pd.DataFrame:
    """Return the null, asymmetric and mutual node pairs counted by the groups of their cells.

    Parameters
    ----------
    graph : SynapseGraph or convertible
        See :func:`connectome_motifs.graphs.as_synapse_graph`.
    groups : str
        A node-table column of cell groups (:func:`connectome_motifs.graphs.node_groups`;
        cells without a label form the group ``'(unlabelled)'``).

    Returns
    -------
    pandas.DataFrame
        One row per dyad class and group pair with a non-zero count: ``dyad`` (``null``,
        ``asymmetric``, ``mutual``), ``group_1``, ``group_2`` and ``count`` (int64).
        Asymmetric pairs are ordered: ``group_1`` is the group of the presynaptic cell,
        ``group_2`` of the postsynaptic one. Null and mutual pairs are unordered, their
        groups in the order of the labels (sorted, ``'(unlabelled)'`` last). Rows in
        class order, then by group; ``dyad`` and the group columns are categorical (groups
        in label order). Summed over groups, the counts are
        :func:`connectome_motifs.motifs.dyad_census`.

    Raises
    ------
    TypeError
        If ``graph`` is not a graph this package accepts, or ``groups`` is not a string.
    graphs.MissingColumnError
        If the node table has no column ``groups``.

    Notes
    -----
    O(n log n + m): each edge is looked up in its reverse's row once (the graph's
    reciprocal mask); null pairs are the pairs of each group pair minus the connected ones.

    Examples
    --------
    >>> import pandas as pd
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> nodes = pd.DataFrame({"id": [0, 1, 2], "type": ["E", "I", "E"]})
    >>> g = SynapseGraph.from_edges([0, 1, 1], [1, 0, 2], nodes=nodes)
    >>> print(typed_dyad_census(g, "type").to_string(index=False))
          dyad group_1 group_2  count
          null       E       E      1
    asymmetric       I       E      1
        mutual       E       I      1
    """
    info = _groups_of(graph, groups)
    counts = typed_dyad_counts(graph, info)
    d, g1, g2 = np.nonzero(counts)
    return pd.DataFrame({
        "dyad": pd.Categorical.from_codes(d, categories=DYAD_NAMES),
        "group_1": pd.Categorical.from_codes(g1, categories=info.labels),
        "group_2": pd.Categorical.from_codes(g2, categories=info.labels),
        "count": counts[d, g1, g2].astype(np.int64),
    })


@graph_input
def typed_triad_census(graph: Any, groups: str) -> pd.DataFrame:
    """Return how many triads of each class have each assignment of groups to its nodes, exactly.

    Parameters
    ----------
    graph : SynapseGraph or convertible
        See :func:`connectome_motifs.graphs.as_synapse_graph`.
    groups : str
        A node-table column of cell groups (:func:`connectome_motifs.graphs.node_groups`;
        cells without a label form the group ``'(unlabelled)'``); at most
        :data:`MAX_GROUPS` groups.

    Returns
    -------
    pandas.DataFrame
        One row per typed triad class with a non-zero count, classes in canonical MAN
        order (:data:`connectome_motifs.motifs.catalogue.TRIAD_NAMES`), then by groups:
        ``triad`` (MAN code); ``group_1``, ``group_2``, ``group_3``, the groups of the
        class's canonical nodes 0, 1, 2 (those of
        :attr:`~connectome_motifs.motifs.catalogue.TriadClass.edges`); ``role_1`` ..
        ``role_3``, their roles (:attr:`~connectome_motifs.motifs.catalogue.TriadClass.roles`);
        and ``count`` (int64, or exact Python ints, object dtype, if a count of ``003``
        exceeds int64). ``triad`` and the group and role columns are categorical (MAN
        codes in canonical order, groups in label order). Group assignments that the
        class's automorphisms map onto each
        other are one typed triad, written once, with the lexicographically smallest
        group triple in the order of the labels (sorted, ``'(unlabelled)'`` last): for
        ``030C`` (``1 -> 0 -> 2 -> 1``) the three rotations of a group cycle are one row,
        the two directions two rows; for ``021C`` (``0 -> 1 -> 2``) every triple is its
        own row (source, middle, sink); for ``201`` (``0 <-> 1 <-> 2``) the two ends may
        swap, so ``group_1 <= group_3``. Summed over groups, the counts are
        :func:`connectome_motifs.motifs.triad_census`; summed over classes, those of the
        triples of each group multiset.

    Raises
    ------
    TypeError
        If ``graph`` is not a graph this package accepts, or ``groups`` is not a string.
    graphs.MissingColumnError
        If the node table has no column ``groups``.
    ValueError
        If there are more than :data:`MAX_GROUPS` groups (coarsen them), or the graph is
        so large (``n m >= 2**62``) that intermediate sums could leave int64.

    Notes
    -----
    The decomposition of :func:`connectome_motifs.motifs.triad_census`, carried out in
    a labelled space of 64 codes × K³ groups of the labelled nodes 0, 1, 2:

    - triangles are enumerated once over the degree-ordered forward lists and counted
      by code and the groups of their nodes (parallel over nodes, integer sums);
    - triads with two connected pairs are the paths of length two: per centre, its
      neighbours are tallied by (pair code, group) and the ``c <= min(deg, 3K)``
      occupied categories multiplied pairwise; the paths that triangles close are
      subtracted;
    - a connected pair ``{x, y}`` and a third cell of group ``h`` joined to neither
      number ``|h| - deg_h(x) - deg_h(y) + common_h(x, y)``, summed by group pair from
      the same category products and the triangles;
    - the empty triads of each group multiset are its triples minus all the rest
      (exact integer arithmetic).

    Each code's counts are then permuted to its class's canonical nodes and summed over
    the automorphism orbits. Time O(n log n + m sqrt(m) + sum over nodes of
    min(deg, 3K)² + K³), at most O(m Δ) for the triangles; memory 64 K³ × 8 bytes for the
    labelled table, and per parallel work unit 27 K³ × 8 bytes (at most
    ~64 MB of units beyond one per thread).

    References
    ----------
    Batagelj, V. & Mrvar, A. (2001). A subquadratic triad census algorithm for large
    sparse networks with small maximum degree. Social Networks 23(3), 237–243.

    Examples
    --------
    A chain E -> I -> E and one more I cell, isolated:

    >>> import pandas as pd
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> nodes = pd.DataFrame({"id": [0, 1, 2, 3], "type": ["E", "I", "E", "I"]})
    >>> g = SynapseGraph.from_edges([0, 1], [1, 2], n=4, nodes=nodes)
    >>> t = typed_triad_census(g, "type")
    >>> print(t[["triad", "group_1", "group_2", "group_3", "count"]].to_string(index=False))
    triad group_1 group_2 group_3  count
      003       E       E       I      1
      012       E       I       I      1
      012       I       E       I      1
     021C       E       I       E      1

    The 012 triad {0, 1, 3} has the edge E -> I and the lone cell I; {1, 2, 3} the edge
    I -> E and again the lone I; {0, 1, 2} is the chain with source E, middle I and sink
    E; {0, 2, 3} is empty.
    """
    info = _groups_of(graph, groups)
    if info.n_groups > MAX_GROUPS:
        raise ValueError(f"column {groups!r} has {info.n_groups} groups; the typed triad "
                         f"census takes at most {MAX_GROUPS} (its tables grow as 64 K³): "
                         "coarsen the groups")
    if graph.n * graph.n_edges >= 2**62:
        raise ValueError(f"a graph of {graph.n:,} nodes and {graph.n_edges:,} edges is too "
                         "large for the int64 sums of the typed triad census")
    counts = typed_triad_counts(neighbour_lists(graph), info)
    return typed_triad_frame(counts, info.labels)

