"""Tests of the larva notebook: it runs in a fresh kernel and shows what its text claims.

``python -m tests.test_notebook_larva`` re-executes the notebook and saves it with its outputs.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from tests.test_notebook import (
    cells_by_id,
    check_committed,
    errors_of,
    execute_fresh,
    figure_counts,
    rewrite,
    same_text,
    text_output,
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "larva_cell_types.ipynb"
# Cells whose outputs the committed Markdown quotes or interprets: a re-run must print the same.
INTERPRETED_CELLS = ("load", "typed-dyads", "analyse", "typed-triads", "rich-club", "strength",
                     "attributes")
FIGURE_CELLS = ("typed-connections", "typed-triad-figure", "rich-club-figure", "strength-figure")


@pytest.fixture(scope="module")
def committed() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> nbformat.NotebookNode:
    return execute_fresh(NOTEBOOK, tmp_path_factory.mktemp("notebook"))


def test_committed_notebook_is_valid_small_and_has_outputs(committed):
    check_committed(committed, NOTEBOOK, 1_000_000, INTERPRETED_CELLS + FIGURE_CELLS)


def test_notebook_runs_without_errors(executed):
    assert errors_of(executed) == []


def test_notebook_loads_the_whole_larva(executed):
    # Winding et al. (2023): 2,952 neurons; 110,140 connections once autapses are dropped.
    text = text_output(cells_by_id(executed)["load"])
    assert "SynapseGraph(n=2952, edges=110140" in text
    assert "346 cells with no label grouped as '(unlabelled)'" in text
    # The typed connections add up to every connection.
    assert "110,140 connections" in text_output(cells_by_id(executed)["typed-dyads"])


def test_notebook_draws_its_figures(executed):
    assert figure_counts(executed, FIGURE_CELLS) == dict.fromkeys(FIGURE_CELLS, 1)


@pytest.mark.parametrize("cell_id", INTERPRETED_CELLS)
def test_rerun_prints_what_the_committed_text_interprets(committed, executed, cell_id):
    # The Markdown was written from the committed outputs; the seeded analysis must repeat them.
    assert same_text(committed, executed, cell_id)


if __name__ == "__main__":
    rewrite(NOTEBOOK)
