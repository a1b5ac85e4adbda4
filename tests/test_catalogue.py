"""Tests of the triad catalogue against networkx, igraph and hand-counted facts."""

from __future__ import annotations

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from connectome_motifs.motifs import catalogue
from connectome_motifs.motifs.catalogue import (
    ROLES,
    TRIAD_NAMES,
    TRIADS,
    by_paper_number,
    code_tables,
    paper_number,
    triad_by_paper_number,
    triad_class,
    tricode,
)

# Typed from the issue (Turner et al. 2022 numbering), not derived from the package.
PAPER_NUMBERS = {
    "003": 1, "012": 2, "102": 3, "021D": 4, "021U": 5, "021C": 6, "111D": 7, "111U": 8,
    "201": 9, "030T": 10, "030C": 11, "120D": 12, "120C": 13, "120U": 14, "210": 15, "300": 16,
}
# 3! / |automorphisms|, counted by hand for each class.
N_LABELLED = {
    "003": 1, "012": 6, "102": 3, "021D": 3, "021U": 3, "021C": 6, "111D": 6, "111U": 6,
    "030T": 6, "030C": 2, "201": 3, "120D": 3, "120U": 3, "120C": 6, "210": 6, "300": 1,
}
CODE_PAIRS = [(0, 1), (1, 0), (0, 2), (2, 0), (1, 2), (2, 1)]


def _labelled_graph(code: int) -> list[tuple[int, int]]:
    return [pair for bit, pair in enumerate(CODE_PAIRS) if code >> bit & 1]


def test_canonical_order_matches_networkx() -> None:
    assert TRIAD_NAMES == tuple(nx.triadic_census(nx.DiGraph()).keys())


def test_paper_numbers() -> None:
    assert {t.name: t.paper_number for t in TRIADS} == PAPER_NUMBERS
    for name, number in PAPER_NUMBERS.items():
        assert paper_number(name) == number
        assert triad_by_paper_number(number).name == name


def test_unknown_names_and_numbers_raise() -> None:
    with pytest.raises(KeyError, match="MAN code"):
        paper_number("031")
    with pytest.raises(KeyError, match="1 to 16"):
        triad_by_paper_number(17)


def test_labelled_versions() -> None:
    assert {t.name: t.n_labelled for t in TRIADS} == N_LABELLED
    assert sum(t.n_labelled for t in TRIADS) == 64


def test_connected_classes() -> None:
    assert sum(t.connected for t in TRIADS) == 13
    assert [t.name for t in TRIADS if not t.connected] == ["003", "012", "102"]


def test_man_digits_match_pair_counts() -> None:
    for t in TRIADS:
        assert f"{t.n_mutual}{t.n_asymmetric}{t.n_null}" == t.name[:3]
        assert len(t.edges) == 2 * t.n_mutual + t.n_asymmetric


@pytest.mark.parametrize("triad", TRIADS, ids=lambda t: t.name)
def test_edge_lists_agree_with_networkx_and_igraph(triad: catalogue.TriadClass) -> None:
    g = nx.DiGraph()
    g.add_nodes_from(range(3))
    g.add_edges_from(triad.edges)
    assert nx.triad_type(g) == triad.name
    census = ig.Graph(n=3, edges=list(triad.edges), directed=True).triad_census()
    assert census[triad.name] == 1
    assert sum(census) == 1


def test_code_table_agrees_with_networkx_and_igraph_on_all_64_graphs() -> None:
    code_class, _ = code_tables()
    for code in range(64):
        edges = _labelled_graph(code)
        assert tricode(edges) == code
        g = nx.DiGraph()
        g.add_nodes_from(range(3))
        g.add_edges_from(edges)
        name = TRIAD_NAMES[code_class[code]]
        assert nx.triad_type(g) == name
        assert ig.Graph(n=3, edges=edges, directed=True).triad_census()[name] == 1


def test_code_role_is_node_zero_degree_pair() -> None:
    code_class, code_role = code_tables()
    for code in range(64):
        edges = _labelled_graph(code)
        role = ROLES[code_role[code]]
        assert role.triad == TRIAD_NAMES[code_class[code]]
        assert role.out_degree == sum(u == 0 for u, _ in edges)
        assert role.in_degree == sum(v == 0 for _, v in edges)


def test_roles() -> None:
    assert len(ROLES) == 36
    for t in TRIADS:
        roles = [r for r in ROLES if r.triad == t.name]
        assert sum(r.multiplicity for r in roles) == 3
        # Roles of one class differ in their in-triad degrees.
        assert len({(r.out_degree, r.in_degree) for r in roles}) == len(roles)
    table = catalogue.role_table()
    # Hand-read from the pictures: the 030T source sends two edges, the sink receives two.
    assert table.loc[("030T", "source"), ["out_degree", "in_degree"]].tolist() == [2, 0]
    assert table.loc[("030T", "middle"), ["out_degree", "in_degree"]].tolist() == [1, 1]
    assert table.loc[("030T", "sink"), ["out_degree", "in_degree"]].tolist() == [0, 2]
    assert table.loc[("021C", "middle"), ["out_degree", "in_degree"]].tolist() == [1, 1]
    assert table.loc[("021D", "sink"), "multiplicity"] == 2


def test_triad_table() -> None:
    table = catalogue.triad_table()
    assert table.index.tolist() == list(TRIAD_NAMES)
    assert table.loc["030C", "n_labelled"] == 2
    assert table.loc["300", "edges"] == triad_class("300").edges


def test_by_paper_number_series_and_frames() -> None:
    s = pd.Series(np.arange(16), index=pd.Index(TRIAD_NAMES))
    relabelled = by_paper_number(s)
    assert relabelled.index.tolist() == list(range(1, 17))
    assert relabelled.to_dict() == {PAPER_NUMBERS[k]: v for k, v in s.items()}
    columns = pd.MultiIndex.from_tuples([(r.triad, r.role) for r in ROLES])
    frame = pd.DataFrame([np.arange(36)], columns=columns)
    out = by_paper_number(frame, axis=1)
    assert out.columns.get_level_values(0).tolist() == sorted(
        PAPER_NUMBERS[r.triad] for r in ROLES
    )
    assert out[(10, "source")].item() == frame[("030T", "source")].item()


def test_tricode_bits() -> None:
    # Bits by hand: 0->1 is bit 0, 2->1 is bit 5.
    assert tricode([(0, 1), (2, 1)]) == 1 + 32
    assert [tricode([p]) for p in CODE_PAIRS] == [1 << k for k in range(6)]
    assert len({tricode(_labelled_graph(c)) for c in range(64)}) == 64
