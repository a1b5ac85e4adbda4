"""Tests of the larva notebook: it runs in a fresh kernel and shows what its text claims.

``python -m tests.test_notebook_larva`` re-executes the notebook and saves it with its outputs.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import nbformat
import pytest

from tests.test_notebook import cells_by_id, execute, text_output

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
    work = tmp_path_factory.mktemp("notebook")
    shutil.copy(NOTEBOOK, work / NOTEBOOK.name)
    nb = nbformat.read(work / NOTEBOOK.name, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    return execute(nb, work)


def test_committed_notebook_is_valid_small_and_has_outputs(committed):
    nbformat.validate(committed)
    assert NOTEBOOK.stat().st_size < 1_000_000
    code = [cell for cell in committed.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
    assert not any("execution" in cell.metadata for cell in code)
    cells = cells_by_id(committed)
    for cell_id in INTERPRETED_CELLS + FIGURE_CELLS:
        assert cells[cell_id].outputs, f"cell {cell_id} was saved without outputs"


def test_notebook_runs_without_errors(executed):
    errors = [out for cell in executed.cells if cell.cell_type == "code"
              for out in cell.outputs if out.output_type == "error"]
    assert errors == []


def test_notebook_loads_the_whole_larva(executed):
    # Winding et al. (2023): 2,952 neurons; 110,140 connections once autapses are dropped.
    text = text_output(cells_by_id(executed)["load"])
    assert "SynapseGraph(n=2952, edges=110140" in text
    assert "346 cells with no label grouped as '(unlabelled)'" in text
    # The typed connections add up to every connection.
    assert "110,140 connections" in text_output(cells_by_id(executed)["typed-dyads"])


def test_notebook_draws_its_figures(executed):
    cells = cells_by_id(executed)
    for cell_id in FIGURE_CELLS:
        images = [out for out in cells[cell_id].outputs if "image/png" in out.get("data", {})]
        assert len(images) == 1, f"cell {cell_id} shows {len(images)} figures, not 1"


@pytest.mark.parametrize("cell_id", INTERPRETED_CELLS)
def test_rerun_prints_what_the_committed_text_interprets(committed, executed, cell_id):
    # The Markdown was written from the committed outputs; the seeded analysis must repeat them.
    rerun = text_output(cells_by_id(executed)[cell_id]).split()
    assert rerun == text_output(cells_by_id(committed)[cell_id]).split()


def main() -> None:
    """Re-execute the notebook and save it with its outputs."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    with tempfile.TemporaryDirectory() as work:
        execute(nb, Path(work))
    nbformat.validate(nb)
    nbformat.write(nb, NOTEBOOK)
    print(f"wrote {NOTEBOOK} ({NOTEBOOK.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
