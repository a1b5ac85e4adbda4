"""The catalogue of dyad and triad classes: MAN codes, paper numbers, edge lists and node roles."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import permutations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

__all__ = [
    "DYADS",
    "DYAD_CODES",
    "DYAD_NAMES",
    "DYAD_PAPER_TERMS",
    "EDGE_ROLES",
    "ROLES",
    "TRIADS",
    "TRIAD_NAMES",
    "DyadClass",
    "TriadClass",
    "TriadRole",
    "by_paper_number",
    "code_tables",
    "edge_role_codes",
    "paper_number",
    "role_table",
    "triad_by_paper_number",
    "triad_class",
    "triad_table",
    "tricode",
]


@dataclass(frozen=True)
class DyadClass:
    """One of the three classes of an unordered pair of nodes.

    Attributes
    ----------
    name : str
        The MAN name: ``"null"``, ``"asymmetric"`` or ``"mutual"``.
    code : str
        The MAN letter, ``"N"``, ``"A"`` or ``"M"``: the class's label in the written
        tables, where ``"null"`` would read back as a missing value.
    paper_term : str
        The 2-cell motif name of Turner et al. 2022: ``"unconnected"``, ``"one-way"``
        or ``"reciprocal"``.
    edges : tuple of (int, int)
        Edges on the labelled nodes 0 and 1.
    """

    name: str
    code: str
    paper_term: str
    edges: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class TriadClass:
    """One of the 16 isomorphism classes of simple directed graphs on three nodes.

    Attributes
    ----------
    name : str
        The MAN code (Holland & Leinhardt 1970): the numbers of Mutual, Asymmetric and
        Null pairs, and a letter (Down, Up, Cyclic, Transitive) where the digits are
        not enough.
    paper_number : int
        The number Turner et al. 2022 give the class (1 = 003 .. 16 = 300).
    edges : tuple of (int, int)
        One labelled member of the class: its edges on nodes 0, 1, 2.
    roles : tuple of str
        The role of nodes 0, 1 and 2 of :attr:`edges` (see :data:`ROLES`).
    connected : bool
        Whether the underlying undirected graph is connected (13 classes are).
    n_labelled : int
        How many of the 64 labelled graphs on nodes 0, 1, 2 belong to the class,
        ``3! / |Aut|``; the classes' numbers sum to 64.
    n_mutual, n_asymmetric, n_null : int
        The class's pairs of each dyad type (the digits of the MAN code).
    """

    name: str
    paper_number: int
    edges: tuple[tuple[int, int], ...]
    roles: tuple[str, str, str]
    connected: bool
    n_labelled: int
    n_mutual: int
    n_asymmetric: int
    n_null: int


@dataclass(frozen=True)
class TriadRole:
    """A node's position in a triad class, up to the class's symmetries (an orbit).

    Attributes
    ----------
    triad : str
        The MAN code of the class.
    role : str
        Its name, unique within the class.
    out_degree, in_degree : int
        The node's out- and in-degree inside the triad; this pair tells the roles of a
        class apart.
    multiplicity : int
        How many of the class's three nodes play the role.
    """

    triad: str
    role: str
    out_degree: int
    in_degree: int
    multiplicity: int


DYADS: tuple[DyadClass, ...] = (
    DyadClass("null", "N", "unconnected", ()),
    DyadClass("asymmetric", "A", "one-way", ((0, 1),)),
    DyadClass("mutual", "M", "reciprocal", ((0, 1), (1, 0))),
)
"""The dyad classes in the order of :func:`connectome_motifs.motifs.dyad_census`."""

DYAD_NAMES: tuple[str, ...] = tuple(d.name for d in DYADS)
DYAD_CODES: dict[str, str] = {d.name: d.code for d in DYADS}
"""Map from dyad class name to its MAN letter."""
DYAD_PAPER_TERMS: dict[str, str] = {d.name: d.paper_term for d in DYADS}
"""Map from dyad class name to the 2-cell motif term of Turner et al. 2022."""

# Node roles are named after the one-way edges: a "source" only sends one-way edges
# inside the triad, a "sink" only receives them, a "middle" does both; "mutual" and
# "center" nodes are held by reciprocal pairs; "any" marks classes whose nodes are all
# equivalent. Each entry: (MAN code, Turner et al. number, edges, roles of nodes 0, 1, 2).
_TRIAD_SPECS: tuple[tuple[str, int, tuple[tuple[int, int], ...], tuple[str, str, str]], ...] = (
    ("003", 1, (), ("any", "any", "any")),
    ("012", 2, ((0, 1),), ("source", "sink", "isolated")),
    ("102", 3, ((0, 1), (1, 0)), ("mutual", "mutual", "isolated")),
    ("021D", 4, ((1, 0), (1, 2)), ("sink", "source", "sink")),
    ("021U", 5, ((0, 1), (2, 1)), ("source", "sink", "source")),
    ("021C", 6, ((0, 1), (1, 2)), ("source", "middle", "sink")),
    ("111D", 7, ((0, 1), (1, 0), (2, 1)), ("mutual", "center", "source")),
    ("111U", 8, ((0, 1), (1, 0), (1, 2)), ("mutual", "center", "sink")),
    ("030T", 10, ((0, 1), (2, 1), (0, 2)), ("source", "sink", "middle")),
    ("030C", 11, ((1, 0), (2, 1), (0, 2)), ("any", "any", "any")),
    ("201", 9, ((0, 1), (1, 0), (1, 2), (2, 1)), ("end", "center", "end")),
    ("120D", 12, ((1, 0), (1, 2), (0, 2), (2, 0)), ("mutual", "source", "mutual")),
    ("120U", 14, ((0, 1), (2, 1), (0, 2), (2, 0)), ("mutual", "sink", "mutual")),
    ("120C", 13, ((0, 1), (1, 2), (0, 2), (2, 0)), ("source", "middle", "sink")),
    ("210", 15, ((0, 1), (1, 2), (2, 1), (0, 2), (2, 0)), ("source", "sink", "center")),
    ("300", 16, ((0, 1), (1, 0), (0, 2), (2, 0), (1, 2), (2, 1)), ("any", "any", "any")),
)

# The six ordered pairs of nodes 0, 1, 2 in the bit order of :func:`tricode`.
_CODE_PAIRS: tuple[tuple[int, int], ...] = ((0, 1), (1, 0), (0, 2), (2, 0), (1, 2), (2, 1))


def tricode(edges: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> int:
    """Return the 6-bit code of a labelled graph on nodes 0, 1, 2.

    Bit ``k`` is set when the ``k``-th ordered pair of ``(0→1, 1→0, 0→2, 2→0, 1→2,
    2→1)`` is an edge. Bits 0–1 thus hold the pair {0, 1}, bits 2–3 the pair {0, 2} and
    bits 4–5 the pair {1, 2}, each as ``1`` (one-way from the lower position), ``2``
    (one-way to it) or ``3`` (reciprocal); the counting kernels build codes this way.

    Parameters
    ----------
    edges : sequence of (int, int)
        Edges between nodes 0, 1 and 2.

    Returns
    -------
    int
        The code, 0 .. 63.

    Examples
    --------
    >>> tricode([(0, 1), (2, 1)])
    33
    """
    code = 0
    for edge in edges:
        code |= 1 << _CODE_PAIRS.index(tuple(edge))
    return code


def _n_labelled(edges: tuple[tuple[int, int], ...]) -> int:
    return len({tricode([(p[u], p[v]) for u, v in edges]) for p in permutations(range(3))})


def _make_triads() -> tuple[TriadClass, ...]:
    triads = []
    for name, number, edges, roles in _TRIAD_SPECS:
        pairs = {frozenset(e) for e in edges}
        n_mutual = sum((v, u) in edges for u, v in edges) // 2
        triads.append(
            TriadClass(
                name=name,
                paper_number=number,
                edges=edges,
                roles=roles,
                connected=len(pairs) >= 2,
                n_labelled=_n_labelled(edges),
                n_mutual=n_mutual,
                n_asymmetric=len(pairs) - n_mutual,
                n_null=3 - len(pairs),
            )
        )
    return tuple(triads)


TRIADS: tuple[TriadClass, ...] = _make_triads()
"""The 16 triad classes in canonical MAN order (that of :func:`~.census.triad_census`)."""

TRIAD_NAMES: tuple[str, ...] = tuple(t.name for t in TRIADS)


def _make_roles() -> tuple[TriadRole, ...]:
    roles = []
    for t in TRIADS:
        for role in dict.fromkeys(t.roles):
            node = t.roles.index(role)
            roles.append(
                TriadRole(
                    triad=t.name,
                    role=role,
                    out_degree=sum(u == node for u, _ in t.edges),
                    in_degree=sum(v == node for _, v in t.edges),
                    multiplicity=t.roles.count(role),
                )
            )
    return tuple(roles)


ROLES: tuple[TriadRole, ...] = _make_roles()
"""The 36 node roles (orbits), grouped by class in canonical order."""

_BY_NAME = {t.name: t for t in TRIADS}
_BY_NUMBER = {t.paper_number: t for t in TRIADS}


def triad_class(name: str) -> TriadClass:
    """Return the triad class with MAN code ``name``.

    Raises
    ------
    KeyError
        If ``name`` is not one of the 16 MAN codes.

    Examples
    --------
    >>> triad_class("030T").n_labelled
    6
    """
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"{name!r} is not a MAN code; expected one of {TRIAD_NAMES}") from None


def paper_number(name: str) -> int:
    """Return the number Turner et al. 2022 give the triad class with MAN code ``name``.

    Raises
    ------
    KeyError
        If ``name`` is not one of the 16 MAN codes.

    Examples
    --------
    >>> paper_number("030T")
    10
    """
    return triad_class(name).paper_number


def triad_by_paper_number(number: int) -> TriadClass:
    """Return the triad class that Turner et al. 2022 number ``number`` (1 .. 16).

    Raises
    ------
    KeyError
        If ``number`` is not in 1 .. 16.

    Examples
    --------
    >>> triad_by_paper_number(9).name
    '201'
    """
    try:
        return _BY_NUMBER[number]
    except KeyError:
        raise KeyError(f"paper numbers run from 1 to 16, got {number!r}") from None


def by_paper_number(
    data: pd.Series | pd.DataFrame, axis: int | str = 0
) -> pd.Series | pd.DataFrame:
    """Return ``data`` with MAN-code labels replaced by paper numbers and sorted by them.

    Parameters
    ----------
    data : pandas.Series or pandas.DataFrame
        Labelled by MAN code along ``axis`` (on the first level of a MultiIndex, as in
        role-split participation tables).
    axis : {0, 1, "index", "columns"}, default 0
        Which axis holds the MAN codes; 1 for :func:`connectome_motifs.motifs.triad_participation`.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        A relabelled copy, ordered 1 .. 16 (Turner et al. 2022), roles kept in order.

    Raises
    ------
    KeyError
        If a label is not a MAN code.

    Examples
    --------
    >>> s = pd.Series(range(16), index=TRIAD_NAMES)
    >>> by_paper_number(s).loc[[9, 10]].tolist()
    [10, 8]
    """
    axis = {0: 0, 1: 1, "index": 0, "columns": 1}[axis]
    labels = data.axes[axis]
    if isinstance(labels, pd.MultiIndex):
        numbers = [paper_number(name) for name in labels.get_level_values(0)]
        relabelled = labels.set_levels(
            [paper_number(name) for name in labels.levels[0]], level=0
        ).set_names("paper_number", level=0)
    else:
        numbers = [paper_number(name) for name in labels]
        relabelled = pd.Index(numbers, name="paper_number")
    out = data.set_axis(relabelled, axis=axis)
    order = np.argsort(np.asarray(numbers), kind="stable")
    return out.take(order, axis=axis)


def triad_table() -> pd.DataFrame:
    """Return the triad catalogue as a DataFrame indexed by MAN code, in canonical order.

    Columns: ``paper_number``, ``connected``, ``n_labelled``, ``n_mutual``,
    ``n_asymmetric``, ``n_null``, ``edges`` (tuples of node pairs) and ``roles``.

    Examples
    --------
    >>> triad_table().sort_values("paper_number").index[:4].tolist()
    ['003', '012', '102', '021D']
    """
    columns = ["paper_number", "connected", "n_labelled", "n_mutual", "n_asymmetric", "n_null",
               "edges", "roles"]
    table = pd.DataFrame(
        [[getattr(t, c) for c in columns] for t in TRIADS],
        index=pd.Index(TRIAD_NAMES, name="triad"),
        columns=columns,
    )
    return table


def role_table() -> pd.DataFrame:
    """Return the 36 node roles as a DataFrame indexed by (triad, role), in canonical order.

    Columns: ``out_degree``, ``in_degree`` (inside the triad) and ``multiplicity``.

    Examples
    --------
    >>> role_table().loc["030T"].index.tolist()
    ['source', 'sink', 'middle']
    """
    index = pd.MultiIndex.from_tuples([(r.triad, r.role) for r in ROLES], names=["triad", "role"])
    return pd.DataFrame(
        {
            "out_degree": [r.out_degree for r in ROLES],
            "in_degree": [r.in_degree for r in ROLES],
            "multiplicity": [r.multiplicity for r in ROLES],
        },
        index=index,
    )


def _make_edge_roles() -> tuple[tuple[str, str], ...]:
    roles = []
    for t in TRIADS:
        for u, v in t.edges:
            role = (t.name, f"{t.roles[u]}->{t.roles[v]}")
            if role not in roles:
                roles.append(role)
    return tuple(roles)


EDGE_ROLES: tuple[tuple[str, str], ...] = _make_edge_roles()
"""The edge roles of the triad classes as (MAN code, role), grouped by class in canonical
order; a role is named by its endpoints' node roles, e.g. ``("021C", "source->middle")``.
The classes' symmetries map an edge only to edges of its role
(tests/test_edge_participation.py checks the names against the edge orbits)."""


@cache
def edge_role_codes() -> NDArray[np.int64]:
    """Return, for every tricode holding the edge 0 -> 1, the role of that edge, else -1.

    Read-only int64, shape (64,), indexing :data:`EDGE_ROLES`.
    """
    role_index = {role: k for k, role in enumerate(EDGE_ROLES)}
    table = np.full(64, -1, dtype=np.int64)
    for t in TRIADS:
        for p in permutations(range(3)):
            code = tricode([(p[u], p[v]) for u, v in t.edges])
            # The edge 0 -> 1 of the relabelled graph is the edge q[0] -> q[1] of t.
            q = (p.index(0), p.index(1))
            if q in t.edges:
                table[code] = role_index[(t.name, f"{t.roles[q[0]]}->{t.roles[q[1]]}")]
    table.flags.writeable = False
    return table


@cache
def code_tables() -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Return the class of every tricode and the role of node 0 in it (read-only int64)."""
    role_index = {(r.triad, r.role): k for k, r in enumerate(ROLES)}
    code_class = np.full(64, -1, dtype=np.int64)
    code_role = np.full(64, -1, dtype=np.int64)
    for k, t in enumerate(TRIADS):
        for p in permutations(range(3)):
            code = tricode([(p[u], p[v]) for u, v in t.edges])
            code_class[code] = k
            # Node p[i] of the relabelled graph plays the role of node i of the original.
            code_role[code] = role_index[(t.name, t.roles[p.index(0)])]
    code_class.flags.writeable = False
    code_role.flags.writeable = False
    return code_class, code_role
