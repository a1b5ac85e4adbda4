"""Tests of the reproduction notebook: it runs in a fresh kernel and shows what its text claims.

``python tests/test_notebook.py`` re-executes the notebook and saves it with its outputs.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "pinky100_motifs.ipynb"
CELL_TIMEOUT = 300
# Cells whose outputs the committed Markdown quotes or interprets: a re-run must print the same.
INTERPRETED_CELLS = ("truncation", "load-th100", "census", "analyse", "exact", "table", "findings",
                     "paper-gcfg", "quads")
FIGURE_CELLS = ("distance", "degrees", "triad-figure", "quad-figure")


def kernel_manager() -> KernelManager:
    """Return a manager of a ``python3`` kernel running this interpreter.

    With no kernel directories, jupyter_client resolves ``python3`` to ipykernel's own
    spec for ``sys.executable``, whatever kernelspecs the user or system has installed.
    """
    specs = KernelSpecManager(kernel_dirs=[])
    return KernelManager(kernel_name="python3", kernel_spec_manager=specs)


def execute(nb: nbformat.NotebookNode, cwd: Path) -> nbformat.NotebookNode:
    """Run every cell of ``nb`` in place, in a fresh kernel started in ``cwd``."""
    # The kernel runs this interpreter, so it imports the installed connectome_motifs.
    client = NotebookClient(nb, km=kernel_manager(), timeout=CELL_TIMEOUT, record_timing=False,
                            coalesce_streams=True,
                            resources={"metadata": {"path": str(cwd)}})
    client.execute()
    return nb


def text_output(cell: nbformat.NotebookNode) -> str:
    """Return the printed text and plain-text results of a code cell."""
    parts = []
    for out in cell.outputs:
        if out.output_type == "stream" and out.name == "stdout":
            parts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            parts.append(out.data.get("text/plain", ""))
    return "".join(parts)


def cells_by_id(nb: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    return {cell.id: cell for cell in nb.cells}


def execute_fresh(notebook: Path, work: Path) -> nbformat.NotebookNode:
    """Return a copy of ``notebook`` run in ``work`` from cleared outputs, in a fresh kernel."""
    shutil.copy(notebook, work / notebook.name)
    nb = nbformat.read(work / notebook.name, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    return execute(nb, work)


def check_committed(nb: nbformat.NotebookNode, notebook: Path, max_bytes: int,
                    cell_ids: tuple[str, ...]) -> None:
    """Assert that a committed notebook is valid, small, saved from one run, with outputs."""
    nbformat.validate(nb)
    assert notebook.stat().st_size < max_bytes
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    # Saved from one run, top to bottom, without the timestamps that change on every run.
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
    assert not any("execution" in cell.metadata for cell in code)
    cells = cells_by_id(nb)
    for cell_id in cell_ids:
        assert cells[cell_id].outputs, f"cell {cell_id} was saved without outputs"


def errors_of(nb: nbformat.NotebookNode) -> list:
    """Return the error outputs of an executed notebook."""
    return [out for cell in nb.cells if cell.cell_type == "code"
            for out in cell.outputs if out.output_type == "error"]


def figure_counts(nb: nbformat.NotebookNode, cell_ids: tuple[str, ...]) -> dict[str, int]:
    """Return how many PNG figures each of the cells shows."""
    cells = cells_by_id(nb)
    return {cell_id: sum("image/png" in out.get("data", {}) for out in cells[cell_id].outputs)
            for cell_id in cell_ids}


def same_text(committed: nbformat.NotebookNode, executed: nbformat.NotebookNode,
              cell_id: str) -> bool:
    """Return whether a cell printed the same in both runs, whitespace aside.

    Column widths of printed tables may change with pandas versions.
    """
    return (text_output(cells_by_id(executed)[cell_id]).split()
            == text_output(cells_by_id(committed)[cell_id]).split())


def rewrite(notebook: Path) -> None:
    """Re-execute ``notebook`` and save it with its outputs."""
    nb = nbformat.read(notebook, as_version=4)
    with tempfile.TemporaryDirectory() as work:
        execute(nb, Path(work))
    nbformat.validate(nb)
    nbformat.write(nb, notebook)
    print(f"wrote {notebook} ({notebook.stat().st_size / 1e6:.2f} MB)")


@pytest.fixture(scope="module")
def committed() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> nbformat.NotebookNode:
    return execute_fresh(NOTEBOOK, tmp_path_factory.mktemp("notebook"))


def test_kernel_runs_this_interpreter():
    km = kernel_manager()
    assert km.kernel_spec.argv[0] == sys.executable


def test_committed_notebook_is_valid_small_and_has_outputs(committed):
    check_committed(committed, NOTEBOOK, 1_500_000, INTERPRETED_CELLS + FIGURE_CELLS)


def test_notebook_runs_without_errors(executed):
    assert errors_of(executed) == []


def test_notebook_loads_the_papers_th100_graph(executed):
    # Turner et al. (2022): th100 has 111 cells and 659 connections.
    text = text_output(cells_by_id(executed)["load-th100"])
    assert "th100: 111 cells, 659 connections" in text


def test_notebook_draws_its_figures(executed):
    assert figure_counts(executed, FIGURE_CELLS) == dict.fromkeys(FIGURE_CELLS, 1)


@pytest.mark.parametrize("cell_id", INTERPRETED_CELLS)
def test_rerun_prints_what_the_committed_text_interprets(committed, executed, cell_id):
    # The Markdown was written from the committed outputs; the seeded analysis must repeat them.
    assert same_text(committed, executed, cell_id)


if __name__ == "__main__":
    rewrite(NOTEBOOK)
