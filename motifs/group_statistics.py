"""The typed census and the rich club as parts of an ensemble's row of statistics.

:class:`GroupStatistics` fixes, from the observed graph, which typed dyads, typed triads
and rich-club thresholds every sample records, so that every row has the same labels; it
labels them, reads their values from a :class:`~connectome_motifs.motifs.profile.MotifProfile`
and describes them as the columns of the analysis's tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from connectome_motifs.graphs import NodeGroups
from connectome_motifs.motifs.catalogue import DYAD_NAMES, TRIAD_NAMES, TRIADS

__all__ = [
    "MAX_RICH_CLUB_POINTS",
    "MAX_TYPED_TRIADS",
    "OTHER",
    "GroupStatistics",
    "rich_club_grid",
    "rich_club_values",
]

#: Most typed triads an ensemble records one by one: the most frequent observed ones of the
#: connected classes; the rest of each class is pooled under :data:`OTHER`.
MAX_TYPED_TRIADS = 2000

#: Most degree thresholds at which an ensemble records the rich-club coefficient.
MAX_RICH_CLUB_POINTS = 256

#: The group label of the pooled typed triads of a class that are not recorded one by one.
OTHER = "(other)"

_CONNECTED = tuple(t for t, triad in enumerate(TRIADS) if triad.connected)


def rich_club_grid(max_degree: int) -> NDArray[np.int64]:
    """Return the thresholds k at which an ensemble records the rich-club coefficient.

    Every k from 0 to ``max_degree - 1`` (the clubs of the observed graph), thinned to
    :data:`MAX_RICH_CLUB_POINTS` evenly spaced ones when there are more.

    Examples
    --------
    >>> rich_club_grid(3).tolist()
    [0, 1, 2]
    """
    top = int(max_degree)
    if top <= MAX_RICH_CLUB_POINTS:
        return np.arange(top, dtype=np.int64)
    return np.unique(np.round(np.linspace(0, top - 1, MAX_RICH_CLUB_POINTS)).astype(np.int64))


def rich_club_values(n_nodes: NDArray[np.int64], n_edges: NDArray[np.int64],
                     grid: NDArray[np.int64]) -> NDArray[np.float64]:
    """Return φ(k) = E / (N (N - 1)) at the thresholds of ``grid``, NaN where N < 2.

    ``n_nodes`` and ``n_edges`` are :func:`~connectome_motifs.motifs.rich_club.rich_club_counts`;
    past their end no node has a larger degree. O(len(grid)).
    """
    inside = grid < n_nodes.size
    nodes = np.zeros(grid.size)
    edges = np.zeros(grid.size)
    nodes[inside] = n_nodes[grid[inside]]
    edges[inside] = n_edges[grid[inside]]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(nodes >= 2, edges / (nodes * (nodes - 1.0)), np.nan)


@dataclass(frozen=True)
class GroupStatistics:
    """The typed census and rich-club thresholds that every sample of an ensemble records.

    Attributes
    ----------
    groups : NodeGroups or None
        The cell groups of the typed census; None for none.
    typed_triads : ndarray of int64
        The typed triads recorded one by one, as flat indices into the ``(16, K, K, K)``
        table of :func:`~connectome_motifs.motifs.typed_census.typed_triad_counts`, in canonical
        class order, then by groups. Every connected class also records the
        sum of its other typed triads (:data:`OTHER`).
    rich_club : ndarray of int64
        Degree (in + out) thresholds k of the rich-club coefficient; empty for none.

    Notes
    -----
    The row holds the typed dyads (every dyad class and group pair: ``3 K²`` values at
    most), the typed triads and the pooled rest of each connected class (at most
    :data:`MAX_TYPED_TRIADS` + 13), and φ(k) at each threshold.
    """

    groups: NodeGroups | None
    typed_triads: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    rich_club: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))

    @classmethod
    def for_counts(cls, groups: NodeGroups | None, typed_triads: NDArray | None,
                   max_degree: int | None,
                   max_typed_triads: int = MAX_TYPED_TRIADS) -> GroupStatistics:
        """Return the statistics to record, chosen from an observed graph's counts.

        Parameters
        ----------
        groups : NodeGroups or None
            The cell groups; None for no typed census.
        typed_triads : ndarray or None
            The observed ``(16, K, K, K)`` typed triad counts (with ``groups``).
        max_degree : int or None
            The observed largest degree (in + out), for the rich-club thresholds
            (:func:`rich_club_grid`); None for no rich club.
        max_typed_triads : int
            Typed triads recorded one by one: the most frequent observed ones of the
            connected classes (ties in canonical order).

        Notes
        -----
        O(16 K³ log(16 K³)).
        """
        chosen = np.zeros(0, np.int64)
        if groups is not None:
            counts = np.asarray(typed_triads).reshape(len(TRIADS), -1)
            connected = np.zeros(counts.shape, dtype=bool)
            connected[list(_CONNECTED)] = True
            flat = np.flatnonzero(connected.ravel() & (counts.ravel() != 0))
            frequency = counts.ravel()[flat].astype(np.float64)
            order = np.lexsort((flat, -frequency))[:max_typed_triads]
            chosen = np.sort(flat[order]).astype(np.int64)
        grid = np.zeros(0, np.int64) if max_degree is None else rich_club_grid(max_degree)
        return cls(groups=groups, typed_triads=chosen, rich_club=grid)

    @property
    def typed(self) -> bool:
        """Whether the typed census is recorded."""
        return self.groups is not None

    @cached_property
    def _dyad_keys(self) -> list[tuple[int, int, int]]:
        k = self.groups.n_groups if self.groups is not None else 0
        return [(d, a, b) for d in range(len(DYAD_NAMES)) for a in range(k) for b in range(k)
                if DYAD_NAMES[d] == "asymmetric" or a <= b]

    @cached_property
    def _triad_keys(self) -> list[tuple[int, tuple[int, int, int] | None]]:
        """Return (class, groups or None for the pooled rest) of the typed triads, in order."""
        if self.groups is None:
            return []
        k = self.groups.n_groups
        t, g1, g2, g3 = np.unravel_index(self.typed_triads, (len(TRIADS), k, k, k))
        keys: list[tuple[int, tuple[int, int, int] | None]] = []
        chosen = list(zip(t.tolist(), zip(g1.tolist(), g2.tolist(), g3.tolist(), strict=True),
                          strict=True))
        for cls in _CONNECTED:
            keys += [(c, triple) for c, triple in chosen if c == cls]
            keys.append((cls, None))
        return keys

    def labels(self) -> pd.MultiIndex:
        """Return the (kind, class) labels: ``typed_dyad``, ``typed_triad``, ``rich_club``.

        A typed class is named by its census class and groups, e.g.
        ``"asymmetric[KC, MBON]"`` or ``"021C[E, I, E]"``, the pooled rest of a class
        ``"021C[(other)]"``; a rich-club class is its threshold k.
        """
        names = self.groups.labels if self.groups is not None else ()
        tuples = [("typed_dyad", f"{DYAD_NAMES[d]}[{names[a]}, {names[b]}]")
                  for d, a, b in self._dyad_keys]
        tuples += [("typed_triad", f"{TRIAD_NAMES[t]}[{_joined(names, triple)}]")
                   for t, triple in self._triad_keys]
        if len(set(tuples)) < len(tuples):
            raise ValueError(f"the group labels of {self.groups.column!r} are ambiguous in "
                             "the typed-census names (a label holds ', ' or brackets)")
        tuples += [("rich_club", int(k)) for k in self.rich_club]
        return pd.MultiIndex.from_tuples(tuples, names=["kind", "class"])

    def counts(self, typed_dyads: NDArray, typed_triads: NDArray,
               triad_census: tuple[int, ...]) -> list[int]:
        """Return the exact typed counts of one graph, in the order of :meth:`labels`.

        ``typed_dyads`` and ``typed_triads`` are the graph's (3, K, K) and (16, K, K, K)
        tables; ``triad_census`` its 16 class counts, for the pooled rests. O(K² + rows).
        """
        values = [int(typed_dyads[key]) for key in self._dyad_keys]
        recorded = np.zeros(len(TRIADS), dtype=object)
        triads = []
        for t, triple in self._triad_keys:
            if triple is None:
                triads.append(int(triad_census[t]) - int(recorded[t]))
            else:
                count = int(typed_triads[(t, *triple)])
                recorded[t] += count
                triads.append(count)
        return values + triads

    def describe(self, kind: str) -> pd.DataFrame:
        """Return the columns naming the statistics of one kind, one row per label.

        ``typed_dyad``: ``dyad``, ``group_1``, ``group_2`` (asymmetric pairs ordered
        presynaptic first); ``typed_triad``: ``triad``, ``group_1`` .. ``group_3`` (the
        groups of the class's canonical nodes, :data:`OTHER` for the pooled rest) and
        ``role_1`` .. ``role_3``; ``rich_club``: ``k``.
        """
        names = self.groups.labels if self.groups is not None else ()
        if kind == "typed_dyad":
            keys = self._dyad_keys
            return pd.DataFrame({"dyad": [DYAD_NAMES[d] for d, _, _ in keys],
                                 "group_1": [names[a] for _, a, _ in keys],
                                 "group_2": [names[b] for _, _, b in keys]})
        if kind == "typed_triad":
            rows = []
            for t, triple in self._triad_keys:
                groups = [OTHER] * 3 if triple is None else [names[g] for g in triple]
                rows.append([TRIAD_NAMES[t], *groups, *TRIADS[t].roles])
            return pd.DataFrame(rows, columns=["triad", "group_1", "group_2", "group_3",
                                               "role_1", "role_2", "role_3"])
        if kind == "rich_club":
            return pd.DataFrame({"k": self.rich_club})
        raise ValueError(f"unknown kind {kind!r}")


def _joined(names: tuple[str, ...], triple: tuple[int, int, int] | None) -> str:
    return OTHER if triple is None else ", ".join(names[g] for g in triple)
