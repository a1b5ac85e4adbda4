"""The terminal table keeps its columns apart and its counts exact at any magnitude."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from connectome_motifs.graphs.datasets import pinky100
from connectome_motifs.motifs.analysis import MotifTables, analyse
from connectome_motifs.motifs.report import format_mean, format_summary


@pytest.fixture(scope="module")
def analysis():
    return analyse(pinky100("th100"), label="th100", models=["ER", "CFG"], n_samples=5,
                   seed=1, executor=1)


def test_counts_from_0_to_1e20_parse_back_exactly(analysis):
    motifs = analysis.motifs.copy()
    # Class k of the paper's order gets the count 10^(k+4) (k = 0: 1e4 ... 10^19), the 003
    # class (number 1) 10^20, beyond int64 as the 003 count is at 10^6 cells; 300 gets 0.
    exponent = {n: 20 if n == 1 else 0 if n == 16 else n + 2 for n in range(1, 17)}
    observed = [0 if exponent[n] == 0 else 10 ** exponent[n] for n in motifs["paper_number"]]
    motifs["observed"] = pd.array(observed, dtype=object)
    motifs["expected"] = [1.01 * v for v in observed]
    motifs["null_mean"] = motifs["expected"]
    big = dataclasses.replace(analysis, tables=MotifTables(motifs, analysis.pairs,
                                                           analysis.stats))
    lines = format_summary(big).splitlines()
    rows = {line.split()[1]: line.split() for line in lines[2:18]}
    for (number, code), table in motifs.groupby(["paper_number", "motif"]):
        cells = rows[code]
        assert cells[0] == str(number)
        assert int(cells[2].replace(",", "")) == table["observed"].iloc[0]
        for cell, (_, r) in zip(cells[3:], table.iterrows(), strict=True):
            shown = float(cell.rstrip("+-").replace(",", ""))
            assert shown == pytest.approx(r["expected"], rel=5e-5, abs=0.05)
    # Every row has the same number of cells as the header, and the header's columns end
    # where each row's do (right-aligned numbers).
    header = lines[1]
    for line in lines[2:21]:
        assert len(line.split()) == len(header.split()) or line.startswith(" ")
        assert len(line) == len(header.rstrip()) or len(line) == len(header)


def test_means_switch_to_scientific_notation_above_ten_million():
    assert format_mean(9_999_999.94) == "9,999,999.9"
    assert format_mean(46_020_696_474.0) == "4.6021e+10"
    assert format_mean(0.0) == "0.0"
