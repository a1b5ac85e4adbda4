"""The motif profile of a graph: every statistic of the analysis from one neighbour-list pass.

:class:`MotifProfile` is the record of one graph (dyad and triad census, triangles and the
clustering coefficient, common-neighbour counts, degrees; optionally the 4-cell census and
the directed simplex counts), and :class:`MotifStatistics`
reduces a sampled graph to its profile as one labelled row for a null ensemble, labelled
by (kind, class) pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from connectome_motifs.graphs import NodeGroups, SynapseGraph
from connectome_motifs.motifs.catalogue import DYAD_NAMES, TRIAD_NAMES
from connectome_motifs.motifs.census import (
    census_series,
    neighbour_lists,
    triad_counts,
    triangle_histogram,
)
from connectome_motifs.motifs.group_statistics import GroupStatistics, rich_club_values
from connectome_motifs.motifs.inputs import graph_input
from connectome_motifs.motifs.metrics import (
    common_neighbour_counts,
    connected_triples,
    transitivity,
)
from connectome_motifs.motifs.quad_catalogue import QUADS
from connectome_motifs.motifs.quad_census import quad_counts, quad_patterns, quad_series
from connectome_motifs.motifs.rich_club import rich_club_counts
from connectome_motifs.motifs.simplices import simplex_counts
from connectome_motifs.motifs.typed_census import typed_dyad_counts, typed_triad_counts

__all__ = [
    "MAX_COMMON_NEIGHBOURS",
    "MAX_DEGREE_POINTS",
    "MotifProfile",
    "MotifStatistics",
    "degree_grid",
    "motif_profile",
    "statistic_labels",
]

#: Last common-neighbour bin of the ensembles: pairs with more share it, so that null
#: samples fill every bin.
MAX_COMMON_NEIGHBOURS = 5

#: Most degrees at which an ensemble records the degree distributions.
MAX_DEGREE_POINTS = 256


def _readonly(a: NDArray) -> NDArray:
    a.flags.writeable = False
    return a


@dataclass(frozen=True)
class MotifProfile:
    """The motif statistics of one graph, counted exactly.

    Attributes
    ----------
    n : int
        Nodes.
    dyads : tuple of int
        Null, asymmetric and mutual pairs (:func:`connectome_motifs.motifs.dyad_census`).
    triads : tuple of int
        The 16 triad classes in canonical MAN order (:func:`connectome_motifs.motifs.triad_census`).
    triangles : int
        Triangles of the undirected graph (edge directions ignored).
    connected_triples : int
        Paths of length two of the undirected graph, ``sum_v C(deg(v), 2)``.
    common_neighbours : ndarray of int64, shape (max_common + 1, 3), read-only
        Row ``c``: unordered pairs with ``c`` common neighbours (column 0), of which
        joined one way (column 1) or both ways (column 2).
    in_degree, out_degree : ndarray of int64, read-only
        Every node's degrees.
    quads : tuple of int
        The 218 classes of 4 nodes in isoclass order
        (:func:`connectome_motifs.motifs.quad_census`), or empty if not counted.
    simplices : tuple of int
        Directed simplices by dimension 0 .. D
        (:func:`connectome_motifs.motifs.simplices.simplex_counts`), or empty if not counted.
    groups : NodeGroups or None
        The cell groups of the typed census, if counted.
    typed_dyads, typed_triads : ndarray or None
        The typed census by these groups, if counted: (3, K, K) and (16, K, K, K)
        (:func:`~connectome_motifs.motifs.typed_census.typed_dyad_counts`,
        :func:`~connectome_motifs.motifs.typed_census.typed_triad_counts`).
    rich_club : tuple of two int64 arrays, or None
        Nodes of degree above k and edges among them, k = 0 .. max degree - 1
        (:func:`~connectome_motifs.motifs.rich_club.rich_club_counts`), if counted.
    """

    n: int
    dyads: tuple[int, int, int]
    triads: tuple[int, ...]
    triangles: int
    connected_triples: int
    common_neighbours: NDArray[np.int64]
    in_degree: NDArray[np.int64]
    out_degree: NDArray[np.int64]
    quads: tuple[int, ...] = ()
    simplices: tuple[int, ...] = ()
    groups: NodeGroups | None = None
    typed_dyads: NDArray | None = None
    typed_triads: NDArray | None = None
    rich_club: tuple[NDArray[np.int64], NDArray[np.int64]] | None = None

    @property
    def clustering_coefficient(self) -> float:
        """Return 3 × triangles / connected triples, or NaN (as ``clustering_coefficient``)."""
        return transitivity(self.triangles, self.connected_triples)

    @property
    def max_common_neighbours(self) -> int:
        """Return the largest number of common neighbours of a pair (0 without pairs)."""
        occurring = np.flatnonzero(self.common_neighbours[:, 0])
        return int(occurring[-1]) if occurring.size else 0

    def dyad_census(self) -> pd.Series:
        """Return the dyad census, as :func:`connectome_motifs.motifs.dyad_census` does."""
        return census_series(list(self.dyads), "dyad")

    def triad_census(self) -> pd.Series:
        """Return the triad census, as :func:`connectome_motifs.motifs.triad_census` does."""
        return census_series(list(self.triads), "triad")

    def values(self, max_common: int, degrees: NDArray[np.int64], quads: bool = False,
               simplex_dimension: int = 0) -> NDArray[np.float64]:
        """Return the profile as one row of floats, labelled by :func:`statistic_labels`.

        Parameters
        ----------
        max_common : int
            Last common-neighbour bin; pairs with more common neighbours are pooled in it.
        degrees : array of int
            The degrees ``k`` at which the fraction of nodes with in- (out-) degree at
            least ``k`` is recorded.
        quads : bool
            Append the 4-cell census (the profile must hold it).
        simplex_dimension : int
            Append the simplex counts of dimensions 1 .. ``simplex_dimension``, the last
            pooling every higher dimension (the profile must hold them); 0 for none.

        Returns
        -------
        ndarray of float64
            Dyad counts, triad counts, the clustering coefficient, the fraction of
            connected unordered pairs per common-neighbour bin and of ordered pairs
            (NaN for a bin without pairs), the in- and out-degree fractions, then the
            4-cell counts and the simplex counts if asked for. Counts above 2⁵³ are
            rounded to the nearest float.

        Raises
        ------
        ValueError
            If the profile lacks the 4-cell census or the simplex counts asked for.

        Notes
        -----
        O(max_common + len(degrees) + the largest degree + 218 + D).
        """
        counts = self.common_neighbours
        pooled = np.zeros((max_common + 1, 3), dtype=np.int64)
        head = min(max_common, counts.shape[0])
        pooled[:head] = counts[:head]
        pooled[max_common] += counts[max_common:].sum(axis=0)
        pairs, connected = pooled[:, 0], pooled[:, 1] + pooled[:, 2]
        ordered_connected = pooled[:, 1] + 2 * pooled[:, 2]
        with np.errstate(invalid="ignore", divide="ignore"):
            undirected = connected / pairs
            directed = ordered_connected / (2 * pairs)
        parts = [
            np.array([*self.dyads, *self.triads, self.clustering_coefficient],
                     dtype=np.float64),
            undirected, directed,
            _at_least(self.in_degree, degrees), _at_least(self.out_degree, degrees),
        ]
        if quads:
            if not self.quads:
                raise ValueError("this profile has no 4-cell census: motif_profile(quads=True)")
            parts.append(np.array(self.quads, dtype=np.float64))
        if simplex_dimension:
            if not self.simplices:
                raise ValueError("this profile has no simplex counts: "
                                 "motif_profile(simplices=True)")
            parts.append(np.array(self.pooled_simplices(simplex_dimension), dtype=np.float64))
        return np.concatenate(parts)

    def quad_census(self) -> pd.Series:
        """Return the 4-cell census, as :func:`connectome_motifs.motifs.quad_census` does.

        Raises
        ------
        ValueError
            If the profile was made without it.
        """
        if not self.quads:
            raise ValueError("this profile has no 4-cell census: motif_profile(quads=True)")
        return quad_series(list(self.quads))

    def pooled_simplices(self, dimension: int) -> list[int]:
        """Return the simplex counts of dimensions 1 .. ``dimension``, the last pooling
        every higher one (exact ints; zero for dimensions the graph lacks)."""
        counts = [*self.simplices, *[0] * dimension]
        return [*counts[1:dimension], sum(counts[dimension:])]

    @property
    def max_simplex_dimension(self) -> int:
        """Return the largest dimension of a simplex (0 without edges, -1 if not counted)."""
        return len(self.simplices) - 1

    def series(self, max_common: int, degrees: NDArray[np.int64], quads: bool = False,
               simplex_dimension: int = 0) -> pd.Series:
        """Return :meth:`values` as a Series indexed by :func:`statistic_labels`."""
        return pd.Series(self.values(max_common, degrees, quads, simplex_dimension),
                         index=statistic_labels(max_common, degrees, quads, simplex_dimension))


def _at_least(degree: NDArray[np.int64], grid: NDArray[np.int64]) -> NDArray[np.float64]:
    if degree.size == 0 or grid.size == 0:
        return np.zeros(grid.size)
    # at_least[k] = nodes of degree >= k, for every k up to the grid's end.
    top = int(grid.max())
    counts = np.bincount(np.minimum(degree, top + 1), minlength=top + 2)
    at_least = np.cumsum(counts[::-1])[::-1]
    return at_least[grid] / degree.size


def statistic_labels(max_common: int, degrees: NDArray[np.int64], quads: bool = False,
                     simplex_dimension: int = 0) -> pd.MultiIndex:
    """Return the (kind, class) labels of :meth:`MotifProfile.values`.

    Kinds: ``"dyad"`` (null, asymmetric, mutual), ``"triad"`` (MAN codes),
    ``"clustering_coefficient"`` (one value, class ``""``), ``"common_neighbours"`` and
    ``"common_neighbours_directed"`` (bins ``0 .. max_common``), ``"in_degree"`` and
    ``"out_degree"`` (the degrees of ``degrees``); with ``quads``, ``"quad"`` (isoclasses
    0 .. 217), and with ``simplex_dimension`` D > 0, ``"simplex"`` (dimensions 1 .. D, the
    last pooling every higher one).

    Examples
    --------
    >>> labels = statistic_labels(1, np.array([0, 1]))
    >>> list(labels[:2]), len(labels)
    ([('dyad', 'null'), ('dyad', 'asymmetric')], 28)
    """
    bins = range(max_common + 1)
    return pd.MultiIndex.from_tuples(
        [("dyad", d) for d in DYAD_NAMES] + [("triad", t) for t in TRIAD_NAMES]
        + [("clustering_coefficient", "")]
        + [("common_neighbours", k) for k in bins]
        + [("common_neighbours_directed", k) for k in bins]
        + [("in_degree", int(k)) for k in degrees] + [("out_degree", int(k)) for k in degrees]
        + ([("quad", q.isoclass) for q in QUADS] if quads else [])
        + [("simplex", d) for d in range(1, simplex_dimension + 1)],
        names=["kind", "class"],
    )


def degree_grid(max_degree: int) -> NDArray[np.int64]:
    """Return the degrees at which an ensemble records degree distributions.

    Every degree from 0 to ``2 * max_degree + 2`` (room for null models whose degrees
    vary), thinned to :data:`MAX_DEGREE_POINTS` evenly spaced degrees when there are more.

    Examples
    --------
    >>> degree_grid(2).tolist()
    [0, 1, 2, 3, 4, 5, 6]
    """
    top = 2 * int(max_degree) + 2
    if top + 1 <= MAX_DEGREE_POINTS:
        return np.arange(top + 1, dtype=np.int64)
    return np.unique(np.round(np.linspace(0, top, MAX_DEGREE_POINTS)).astype(np.int64))


@graph_input
def motif_profile(graph: Any, *, quads: bool = False, simplices: bool = False,
                  groups: NodeGroups | None = None, rich_club: bool = False) -> MotifProfile:
    """Return the motif profile of a graph: census, triangles, common neighbours, degrees.

    Parameters
    ----------
    graph : SynapseGraph or convertible
        See :func:`connectome_motifs.graphs.as_synapse_graph`.
    quads : bool
        Also count the 4-cell census (from the same neighbour lists).
    simplices : bool
        Also count the directed simplices by dimension.
    groups : NodeGroups, optional
        Also count the typed dyad and triad census by these groups (from the same
        neighbour lists).
    rich_club : bool
        Also count the rich clubs by total degree.

    Returns
    -------
    MotifProfile

    Raises
    ------
    TypeError
        If ``graph`` is not a graph type this package accepts.

    Notes
    -----
    One pass: the merged neighbour lists are built once and the triangles enumerated once
    (they serve the triad census and the clustering coefficient alike); the common
    neighbours are counted through paths of length two. O(n log n + m sqrt(m) + sum of
    squared undirected degrees), plus the 4-cell census (O(m sqrt(m)) at worst), the
    simplices (their number times an intersection), the typed census (O(sum over nodes of
    min(deg, 3K)² + K³) more) and the rich clubs (O(n + m)) when asked for.

    Examples
    --------
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> p = motif_profile(SynapseGraph.from_edges([0, 1, 2, 2], [1, 2, 0, 3]))
    >>> p.dyads, p.triangles, p.clustering_coefficient
    ((2, 4, 0), 1, 0.6)
    """
    n = graph.n
    lists = neighbour_lists(graph)
    codes = lists.code_counts
    asymmetric = int(codes[:, 1:3].sum()) // 2
    mutual = int(codes[:, 3].sum()) // 2
    triangles = triangle_histogram(lists, n)
    return MotifProfile(
        n=n,
        dyads=(comb(n, 2) - asymmetric - mutual, asymmetric, mutual),
        triads=tuple(triad_counts(lists, n, triangles)),
        triangles=int(triangles.sum()),
        connected_triples=connected_triples(lists),
        common_neighbours=_readonly(common_neighbour_counts(lists, n)),
        in_degree=graph.in_degree,
        out_degree=graph.out_degree,
        quads=tuple(quad_counts(quad_patterns(lists, n))) if quads else (),
        simplices=tuple(int(c) for c in simplex_counts(graph)) if simplices else (),
        groups=groups,
        typed_dyads=None if groups is None else _readonly(typed_dyad_counts(graph, groups)),
        typed_triads=None if groups is None else _readonly(typed_triad_counts(lists, groups)),
        rich_club=rich_club_counts(graph) if rich_club else None,
    )


class MotifStatistics:
    """Callable reducing a graph to its motif profile as one labelled Series, for ensembles.

    Parameters
    ----------
    max_common : int
        Last common-neighbour bin; fixed so that every sample has the same labels.
    degrees : array of int, optional
        Degrees at which the degree distributions are recorded (default none).
    quads : bool
        Also record the 4-cell census.
    simplex_dimension : int
        Also record the simplex counts of dimensions 1 .. ``simplex_dimension`` (the last
        pooling every higher dimension); 0 for none.
    group_statistics : GroupStatistics, optional
        Also record these typed dyads, typed triads and rich-club coefficients.

    Notes
    -----
    One call is :func:`motif_profile` and :meth:`MotifProfile.values` (then
    :class:`~connectome_motifs.motifs.group_statistics.GroupStatistics`' values); the labels
    (:func:`statistic_labels`, then the group statistics') are built once. Instances are
    picklable, for process or cluster workers.

    Examples
    --------
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> row = MotifStatistics(max_common=1)(SynapseGraph.from_edges([0, 1], [1, 2]))
    >>> int(row[("triad", "021C")]), float(row[("common_neighbours", 1)])
    (1, 0.0)
    """

    def __init__(self, max_common: int, degrees: Any = (), quads: bool = False,
                 simplex_dimension: int = 0,
                 group_statistics: GroupStatistics | None = None) -> None:
        if max_common < 0:
            raise ValueError(f"max_common must be >= 0, got {max_common}")
        if simplex_dimension < 0:
            raise ValueError(f"simplex_dimension must be >= 0, got {simplex_dimension}")
        self.max_common = int(max_common)
        self.degrees = np.asarray(degrees, dtype=np.int64)
        self.quads = bool(quads)
        self.simplex_dimension = int(simplex_dimension)
        self.group_statistics = group_statistics
        self.__name__ = "motif_statistics"
        self.labels = statistic_labels(self.max_common, self.degrees, self.quads,
                                       self.simplex_dimension)
        if group_statistics is not None:
            self.labels = self.labels.append(group_statistics.labels())

    @classmethod
    def for_profile(cls, observed: MotifProfile) -> MotifStatistics:
        """Return the statistic whose bins fit an observed graph's profile.

        The common-neighbour bins reach the observed largest number of common neighbours
        or :data:`MAX_COMMON_NEIGHBOURS`, whichever is smaller; the degrees are
        :func:`degree_grid` of the observed largest degree. The 4-cell census is recorded
        if the profile holds it, and the simplex counts up to the observed largest
        dimension (at least 1) if it holds those; the typed census and the rich clubs if it
        holds them (:meth:`GroupStatistics.for_counts`).
        """
        largest = max(int(observed.in_degree.max(initial=0)),
                      int(observed.out_degree.max(initial=0)))
        group_statistics = None
        if observed.groups is not None or observed.rich_club is not None:
            group_statistics = GroupStatistics.for_counts(
                observed.groups, observed.typed_triads,
                None if observed.rich_club is None else observed.rich_club[0].size)
        return cls(max_common=min(observed.max_common_neighbours, MAX_COMMON_NEIGHBOURS),
                   degrees=degree_grid(largest), quads=bool(observed.quads),
                   simplex_dimension=(max(observed.max_simplex_dimension, 1)
                                      if observed.simplices else 0),
                   group_statistics=group_statistics)

    def core(self) -> MotifStatistics:
        """Return this statistic without the 4-cell census, simplices and group statistics.

        The dyad and triad census, clustering, common neighbours and degrees, O(m sqrt(m))
        (on the larva 0.09 s, the whole statistic with the typed census and rich club about
        0.2 s): what pilot chains measure to choose a spacing
        (:func:`~connectome_motifs.nullmodels.plan_chains`), so that the extras are not
        evaluated at each of the pilot's hundreds of checkpoints.
        """
        return type(self)(max_common=self.max_common, degrees=self.degrees)

    def __call__(self, graph: SynapseGraph) -> pd.Series:
        """Return the statistics of ``graph`` (see the class docstring)."""
        extra = self.group_statistics
        return self.labelled(motif_profile(
            graph, quads=self.quads, simplices=self.simplex_dimension > 0,
            groups=None if extra is None else extra.groups,
            rich_club=extra is not None and extra.rich_club.size > 0))

    def labelled(self, profile: MotifProfile) -> pd.Series:
        """Return a profile's row with this statistic's labels."""
        values = profile.values(self.max_common, self.degrees, self.quads,
                                self.simplex_dimension)
        extra = self.group_statistics
        if extra is not None:
            parts = [values]
            if extra.typed:
                parts.append(np.array(extra.counts(profile.typed_dyads, profile.typed_triads,
                                                   profile.triads), dtype=np.float64))
            if extra.rich_club.size:
                parts.append(rich_club_values(*profile.rich_club, extra.rich_club))
            values = np.concatenate(parts)
        return pd.Series(values, index=self.labels)
