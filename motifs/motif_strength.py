"""Motif strength: the synapse counts, Onnela intensity and coherence of each triad class."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.motifs.catalogue import TRIAD_NAMES, TRIADS, code_tables
from connectome_motifs.motifs.census import neighbour_lists, triad_counts, work_units
from connectome_motifs.motifs.inputs import graph_input
from connectome_motifs.motifs.kernels.motif_strength import (
    centre_strength_sums,
    forward_pair_values,
    pair_weight_sums,
    triangle_strength_sums,
)

__all__ = ["STRENGTH_COLUMNS", "motif_strength"]

#: The columns of :func:`motif_strength`, in order.
STRENGTH_COLUMNS: tuple[str, ...] = (
    "triad", "n_triads", "n_edges", "weight_mean", "weight_sd",
    "intensity_sum", "intensity_mean", "coherence_mean",
)

_INT64_MAX = int(np.iinfo(np.int64).max)
# Every integer accumulator, and every partial sum of one, lies within 2 n sum(w²) of zero
# (see motif_strength's Notes); the float estimate of that bound is compared with half of
# the int64 range, so that its rounding cannot hide an overflow.
_BOUND_LIMIT = 2.0**62


def _check_int64_range(graph: SynapseGraph) -> None:
    """Raise OverflowError if the exact integer sums could leave int64."""
    weights = graph.out_weights.astype(np.float64)
    bound = 2 * graph.n * float(weights @ weights)
    if bound >= _BOUND_LIMIT:
        raise OverflowError(
            f"the synapse counts are too large for exact int64 sums: 2 n sum(w²) = "
            f"{bound:.3g} exceeds 2**62 (n = {graph.n}, largest weight "
            f"{int(graph.out_weights.max())})")


@graph_input
def motif_strength(graph: Any) -> pd.DataFrame:
    """Return the synapse-count statistics of the triads of each class, exactly.

    Parameters
    ----------
    graph : SynapseGraph or convertible
        See :func:`connectome_motifs.graphs.as_synapse_graph`; the weights are the
        synapse counts of the connections (``out_weights``).

    Returns
    -------
    pandas.DataFrame
        One row per triad class with at least one edge (every class but ``003``), in
        canonical MAN order (:data:`~connectome_motifs.motifs.catalogue.TRIAD_NAMES`), with
        the columns of :data:`STRENGTH_COLUMNS`:

        ``triad``
            The MAN code.
        ``n_triads``
            The node triples inducing the class, int64: the triad census.
        ``n_edges``
            Edge incidences, int64: ``n_triads`` × the class's number of edges (an edge
            counts once in every triad that holds it; a reciprocal pair is two edges).
        ``weight_mean``, ``weight_sd``
            Mean and standard deviation (population, ``ddof=0``) of the synapse counts
            over those incidences, from exact integer sums of the counts and of their
            squares.
        ``intensity_sum``
            Onnela's motif intensity ``I``: the sum over the class's triads of the geometric
            mean of their edges' weights, each divided by the largest weight of the graph
            (so every triad's intensity lies in (0, 1]).
        ``intensity_mean``
            ``intensity_sum / n_triads``.
        ``coherence_mean``
            The mean over the triads of the geometric over the arithmetic mean of their
            edges' weights, in (0, 1], 1 where the weights are equal (every ``012``).

        The means are NaN for a class without triads, whose ``intensity_sum`` is 0.

    Raises
    ------
    TypeError
        If ``graph`` is not a graph type this package accepts.
    OverflowError
        If the synapse counts are so large that the exact sums could leave int64, that is
        ``2 n sum(w²) >= 2**62`` (for a graph of 10⁵ cells and 10⁶ connections, a root
        mean square count above about 4,800).

    Notes
    -----
    As the triad census (:func:`~connectome_motifs.motifs.census.triad_census`), without
    visiting open triads. Each triangle (three pairs joined) is enumerated once from
    degree-ordered neighbour lists and adds its edges to its class. The triads with two
    joined pairs are those of a centre ``v`` and two neighbours; summed over every
    neighbour pair of ``v`` by category (out-only, in-only, reciprocal), the weight sums
    are products of per-category sums, and the intensities products of per-category sums
    of ``exp(log w / k)``, ``k`` the triad's number of edges; the coherence, whose
    arithmetic mean does not factor, is summed over groups of neighbours with equal pair
    weight sums. One-pair triads are counted ``n - deg u - deg v`` times per pair. The
    closed wedges and the common neighbours, counted in these forms, are corrected for
    from the triangles, by inclusion–exclusion as in the census. Integer sums are exact
    int64: a pair's squares ``q`` are counted at most ``n`` times in its one-pair triads
    (less once per triangle), at most ``n - 2`` times in triangles and their
    corrections, and at most ``2 Δ`` times in the centre sums, so every partial sum lies
    within ``2 n sum(w²)`` of zero. The intensity and coherence sums are float64, the same
    for any thread count; those of the one-pair classes are compensated (exact to a few
    units in the last place), those of the other classes carry an error of about 10⁻¹⁶ times
    the sums that the closed forms cancel, which matters only where nearly every node pair
    of a class's candidates is joined and far stronger than the rest (dense graphs).

    Time O(n log n + m log Δ + the triangle enumeration, at most O(m sqrt(m)), + the sum
    over nodes of ``D²``), ``D`` the node's distinct (pair code, pair weight sum) groups (at
    most its degree; tens for synapse counts); parallel over nodes. Memory O(n + m): about
    100 bytes per connected pair besides the census's neighbour lists.

    References
    ----------
    Onnela, J.-P., Saramäki, J., Kertész, J. & Kaski, K. (2005). Intensity and coherence
    of motifs in weighted complex networks. Physical Review E 71, 065103.

    Lin, A. et al. (2024). Network statistics of the whole-brain connectome of Drosophila.
    Nature 634, 153–165.

    Examples
    --------
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> g = SynapseGraph.from_edges([0, 1, 2], [1, 2, 0], [1, 4, 2])
    >>> row = motif_strength(g).set_index("triad").loc["030C"]
    >>> int(row.n_triads), round(float(row.intensity_mean), 9), round(float(row.coherence_mean), 9)
    (1, 0.5, 0.857142857)
    """
    _check_int64_range(graph)
    n = graph.n
    w_max = float(graph.out_weights.max()) if graph.n_edges else 1.0
    lists = neighbour_lists(graph)
    code_class, _ = code_tables()
    pair_s, pair_q, pair_l = pair_weight_sums(
        lists.indptr, lists.indices, graph.out_indptr, graph.out_indices, graph.out_weights,
        graph.in_indptr, graph.in_indices, graph.in_weights, w_max)
    units = work_units(n)
    n_classes = len(TRIAD_NAMES)
    histogram, tri_ints, tri_floats, pair_floats = triangle_strength_sums(
        lists.fwd_indptr, lists.fwd_indices, lists.fwd_codes, np.diff(lists.indptr),
        *forward_pair_values(lists.indptr, lists.indices, lists.rank, lists.fwd_indptr,
                             lists.fwd_codes, pair_s, pair_q, pair_l, w_max),
        w_max, code_class, n_classes, units)
    centre_ints, centre_floats = centre_strength_sums(
        lists.indptr, lists.indices, lists.codes, pair_s, pair_q, pair_l,
        w_max, code_class, n_classes, units)
    counts = triad_counts(lists, n, histogram)
    sums = [[int(a) + int(b) for a, b in zip(x, y, strict=True)]
            for x, y in zip(tri_ints, centre_ints, strict=True)]
    floats = tri_floats + centre_floats
    for cls in np.unique(code_class[1:4]):
        # The one-pair classes' compensated sums: value and rounding-error columns.
        for j in (0, 1):
            floats[cls, j] = math.fsum(pair_floats[:, cls, [j, j + 2]].ravel().tolist())
    records = []
    for k, triad in enumerate(TRIADS):
        if not triad.n_asymmetric and not triad.n_mutual:
            continue
        n_triads = counts[k]
        n_edges = n_triads * (triad.n_asymmetric + 2 * triad.n_mutual)
        weight_sum, square_sum = sums[k]
        if n_triads:
            mean = weight_sum / n_edges
            sd = math.sqrt((n_edges * square_sum - weight_sum**2) / n_edges**2)
            intensity = float(floats[k, 0])
            records.append((triad.name, n_triads, n_edges, mean, sd, intensity,
                            intensity / n_triads, float(floats[k, 1]) / n_triads))
        else:
            records.append((triad.name, 0, 0, math.nan, math.nan, 0.0, math.nan, math.nan))
    columns = dict(zip(STRENGTH_COLUMNS, zip(*records, strict=True), strict=True))
    for name in ("n_triads", "n_edges"):
        # Beyond int64 (n_edges of 012 for graphs of millions of cells) stay exact.
        dtype = np.int64 if max(columns[name], default=0) <= _INT64_MAX else object
        columns[name] = np.array(columns[name], dtype=dtype)
    return pd.DataFrame(columns)
