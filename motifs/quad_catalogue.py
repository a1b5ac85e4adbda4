"""The catalogue of the 218 classes of directed graphs on four nodes, in igraph's isoclass order.

A labelled graph on nodes 0..3 is a 12-bit *quad code*: two bits per unordered pair, the pairs
in the order (0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3); for the pair (i, j), i < j, bit 0
is the edge i -> j and bit 1 the edge j -> i, so each pair holds 0 (unconnected), 1 (one-way
from the lower node), 2 (one-way to it) or 3 (reciprocal), as in
:func:`connectome_motifs.motifs.catalogue.tricode`. A class is named by its igraph isoclass
number (``Graph.isoclass()``, ``motifs_randesu(size=4)``) and its canonical code, the smallest
code of its members.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import permutations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

__all__ = [
    "NAMED_QUADS",
    "QUADS",
    "QUAD_LAYOUT",
    "QUAD_NAMES",
    "QUAD_PAIRS",
    "SKELETONS",
    "QuadClass",
    "quad_class",
    "quad_code",
    "quad_code_classes",
    "quad_edges",
    "quad_table",
]

#: The six unordered pairs of nodes 0..3 in the bit order of a quad code.
QUAD_PAIRS: tuple[tuple[int, int], ...] = ((0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3))

# The canonical (smallest) quad code of each igraph isoclass of directed graphs on four
# nodes, position i = isoclass i. Computed once from igraph 0.11 (Graph.Isoclass(4, i,
# directed=True)); tests/test_quad_catalogue.py checks all 4,096 labelled graphs against
# igraph's Graph.isoclass().
_ISOCLASS_CODES: tuple[int, ...] = (
    0, 1, 10, 42, 3, 6, 11, 26, 43, 5, 69, 80, 100, 84, 106, 78, 108, 102, 110, 340, 681, 683,
    7, 15, 22, 27, 47, 73, 75, 88, 105, 92, 107, 71, 79, 101, 109, 103, 111, 112, 120, 81, 90,
    114, 122, 116, 124, 86, 94, 118, 126, 230, 344, 425, 348, 686, 234, 235, 426, 427, 685, 687,
    207, 229, 231, 239, 360, 409, 364, 442, 411, 441, 443, 380, 749, 751, 21, 85, 362, 213, 346,
    366, 341, 1365, 1402, 350, 382, 1382, 1390, 1374, 1406, 1979, 23, 31, 63, 89, 83, 91, 113,
    121, 115, 123, 93, 87, 95, 117, 125, 119, 127, 361, 412, 489, 476, 702, 363, 490, 491, 701,
    703, 218, 240, 241, 250, 214, 219, 243, 246, 251, 420, 421, 428, 430, 423, 429, 431, 500,
    761, 763, 215, 223, 245, 247, 255, 345, 438, 414, 444, 446, 347, 437, 439, 413, 415, 445,
    447, 365, 493, 504, 505, 508, 766, 367, 494, 495, 506, 507, 765, 767, 1381, 349, 1387, 1369,
    1401, 1371, 1403, 381, 343, 351, 383, 1389, 1383, 477, 1391, 1405, 1367, 1399, 1375, 1407,
    1509, 501, 1525, 1647, 510, 1526, 1787, 1775, 1530, 1531, 1983, 479, 503, 509, 511, 1020,
    1021, 1023, 1511, 1663, 1782, 1783, 1519, 1527, 1791, 1503, 1535, 2045, 2047, 4095,
)

#: The 11 undirected graphs on four nodes (the skeleton of a class: its connected pairs),
#: by their usual names, from the empty graph to the complete one.
SKELETONS: tuple[str, ...] = (
    "empty", "edge", "two edges", "path of 3", "triangle", "star", "path", "paw", "4-cycle",
    "diamond", "4-clique",
)

#: Classes the literature names, by one labelled member (drawn this way in figures).
NAMED_QUADS: dict[str, tuple[tuple[int, int], ...]] = {
    "chain": ((0, 1), (1, 2), (2, 3)),          # Song et al. 2005's chain quadruplet
    "fan-out": ((0, 1), (0, 2), (0, 3)),
    "fan-in": ((1, 0), (2, 0), (3, 0)),
    "bi-fan": ((0, 2), (0, 3), (1, 2), (1, 3)),  # Milo et al. 2002
    "bi-parallel": ((0, 1), (0, 2), (1, 3), (2, 3)),
    "four-cycle": ((0, 1), (1, 2), (2, 3), (3, 0)),
    "3-simplex": ((0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)),  # transitive tournament
}

#: Where figures draw nodes 0..3 of :attr:`QuadClass.edges`: the corners of a unit square.
QUAD_LAYOUT: tuple[tuple[float, float], ...] = ((0.0, 1.0), (1.0, 1.0), (1.0, 0.0), (0.0, 0.0))


@dataclass(frozen=True)
class QuadClass:
    """One of the 218 isomorphism classes of simple directed graphs on four nodes.

    Attributes
    ----------
    isoclass : int
        igraph's number of the class (0 .. 217), its position in every 4-cell census.
    code : int
        The canonical quad code: the smallest code of a labelled member.
    edges : tuple of (int, int)
        The edges of the canonical member on nodes 0..3.
    skeleton : str
        The undirected graph of its connected pairs (:data:`SKELETONS`).
    connected : bool
        Whether the skeleton is connected (199 classes are).
    n_mutual, n_asymmetric, n_null : int
        Its pairs of each dyad type (they sum to 6).
    n_labelled : int
        How many of the 4,096 labelled graphs belong to the class, ``4! / |Aut|``.
    name : str
        Its name in the literature (:data:`QUAD_NAMES`), or ``""``.
    """

    isoclass: int
    code: int
    edges: tuple[tuple[int, int], ...]
    skeleton: str
    connected: bool
    n_mutual: int
    n_asymmetric: int
    n_null: int
    n_labelled: int
    name: str


def quad_code(edges: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> int:
    """Return the quad code of a labelled graph with the given edges on nodes 0..3.

    Examples
    --------
    >>> quad_code([(0, 1), (3, 2)])
    2049
    """
    code = 0
    for u, v in edges:
        pair = QUAD_PAIRS.index((min(u, v), max(u, v)))
        code |= 1 << (2 * pair + (u > v))
    return code


def quad_edges(code: int) -> tuple[tuple[int, int], ...]:
    """Return the edges of the labelled graph with quad ``code``.

    Examples
    --------
    >>> quad_edges(2049)
    ((0, 1), (3, 2))
    """
    edges = []
    for pair, (i, j) in enumerate(QUAD_PAIRS):
        if code >> (2 * pair) & 1:
            edges.append((i, j))
        if code >> (2 * pair + 1) & 1:
            edges.append((j, i))
    return tuple(edges)


def _relabel_table() -> NDArray[np.int64]:
    """Return the code of every labelled graph under every permutation, shape (24, 4096)."""
    codes = np.arange(4096)
    table = np.zeros((24, 4096), dtype=np.int64)
    for k, p in enumerate(permutations(range(4))):
        for pair, (i, j) in enumerate(QUAD_PAIRS):
            forward, backward = codes >> (2 * pair) & 1, codes >> (2 * pair + 1) & 1
            for present, (u, v) in ((forward, (p[i], p[j])), (backward, (p[j], p[i]))):
                table[k] |= present << (2 * QUAD_PAIRS.index((min(u, v), max(u, v))) + (u > v))
    return table


def _skeleton(code: int) -> str:
    pairs = [QUAD_PAIRS[k] for k in range(6) if code >> (2 * k) & 3]
    degrees = sorted(sum(node in pair for pair in pairs) for node in range(4))
    by_degrees = {
        (0, 0, 0, 0): "empty", (0, 0, 1, 1): "edge", (1, 1, 1, 1): "two edges",
        (0, 1, 1, 2): "path of 3", (0, 2, 2, 2): "triangle", (1, 1, 1, 3): "star",
        (1, 1, 2, 2): "path", (1, 2, 2, 3): "paw", (2, 2, 2, 2): "4-cycle",
        (2, 2, 3, 3): "diamond", (3, 3, 3, 3): "4-clique",
    }
    return by_degrees[tuple(degrees)]


@cache
def quad_code_classes() -> NDArray[np.int64]:
    """Return the isoclass of every quad code, shape (4096,), read-only int64.

    Examples
    --------
    >>> int(quad_code_classes()[quad_code([(0, 1), (1, 2), (2, 3)])])
    29
    """
    canonical = _relabel_table().min(axis=0)
    isoclass_of = {code: k for k, code in enumerate(_ISOCLASS_CODES)}
    table = np.array([isoclass_of[int(c)] for c in canonical], dtype=np.int64)
    table.flags.writeable = False
    return table


def _make_quads() -> tuple[QuadClass, ...]:
    classes = quad_code_classes()
    sizes = np.bincount(classes, minlength=len(_ISOCLASS_CODES))
    names = {int(classes[quad_code(edges)]): name for name, edges in NAMED_QUADS.items()}
    quads = []
    for k, code in enumerate(_ISOCLASS_CODES):
        pair_states = [code >> (2 * pair) & 3 for pair in range(6)]
        skeleton = _skeleton(code)
        quads.append(QuadClass(
            isoclass=k,
            code=code,
            edges=quad_edges(code),
            skeleton=skeleton,
            connected=skeleton not in SKELETONS[:5],
            n_mutual=pair_states.count(3),
            n_asymmetric=pair_states.count(1) + pair_states.count(2),
            n_null=pair_states.count(0),
            n_labelled=int(sizes[k]),
            name=names.get(k, ""),
        ))
    return tuple(quads)


QUADS: tuple[QuadClass, ...] = _make_quads()
"""The 218 classes in igraph's isoclass order (that of :func:`~.quad_census.quad_census`)."""

QUAD_NAMES: dict[str, int] = {q.name: q.isoclass for q in QUADS if q.name}
"""Map from a class's name in the literature to its isoclass: chain, fan-out, fan-in, bi-fan,
bi-parallel, four-cycle and 3-simplex."""


def quad_class(isoclass: int | str) -> QuadClass:
    """Return the class with igraph isoclass number ``isoclass``, or with that literature name.

    Raises
    ------
    KeyError
        If ``isoclass`` is neither a number 0 .. 217 nor a key of :data:`QUAD_NAMES`.

    Examples
    --------
    >>> quad_class("3-simplex").isoclass, quad_class(217).skeleton
    (83, '4-clique')
    """
    if isinstance(isoclass, str):
        if isoclass not in QUAD_NAMES:
            raise KeyError(f"{isoclass!r} is not a named 4-cell class; expected one of "
                           f"{', '.join(QUAD_NAMES)}")
        isoclass = QUAD_NAMES[isoclass]
    if not 0 <= int(isoclass) < len(QUADS) or int(isoclass) != isoclass:
        raise KeyError(f"4-cell classes are numbered 0 .. {len(QUADS) - 1}, got {isoclass!r}")
    return QUADS[int(isoclass)]


def quad_table() -> pd.DataFrame:
    """Return the 4-cell catalogue as a DataFrame indexed by isoclass (index named ``"quad"``).

    Columns: ``code``, ``skeleton``, ``connected``, ``n_mutual``, ``n_asymmetric``,
    ``n_null``, ``n_labelled``, ``name`` and ``edges``.

    Examples
    --------
    >>> t = quad_table()
    >>> len(t), int(t["connected"].sum()), int(t["n_labelled"].sum())
    (218, 199, 4096)
    """
    columns = ["code", "skeleton", "connected", "n_mutual", "n_asymmetric", "n_null",
               "n_labelled", "name", "edges"]
    return pd.DataFrame([[getattr(q, c) for c in columns] for q in QUADS],
                        index=pd.Index(range(len(QUADS)), name="quad"), columns=columns)
