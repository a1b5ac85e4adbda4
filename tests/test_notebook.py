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


def test_kernel_runs_this_interpreter():
    km = kernel_manager()
    assert km.kernel_spec.argv[0] == sys.executable


def test_committed_notebook_is_valid_small_and_has_outputs(committed):
    nbformat.validate(committed)
    assert NOTEBOOK.stat().st_size < 1_500_000
    code = [cell for cell in committed.cells if cell.cell_type == "code"]
    # Saved from one run, top to bottom, without the timestamps that change on every run.
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
    assert not any("execution" in cell.metadata for cell in code)
    cells = cells_by_id(committed)
    for cell_id in INTERPRETED_CELLS + FIGURE_CELLS:
        assert cells[cell_id].outputs, f"cell {cell_id} was saved without outputs"


def test_notebook_runs_without_errors(executed):
    errors = [out for cell in executed.cells if cell.cell_type == "code"
              for out in cell.outputs if out.output_type == "error"]
    assert errors == []


def test_notebook_loads_the_papers_th100_graph(executed):
    # Turner et al. (2022): th100 has 111 cells and 659 connections.
    text = text_output(cells_by_id(executed)["load-th100"])
    assert "th100: 111 cells, 659 connections" in text


def test_notebook_draws_its_figures(executed):
    cells = cells_by_id(executed)
    for cell_id in FIGURE_CELLS:
        images = [out for out in cells[cell_id].outputs if "image/png" in out.get("data", {})]
        assert len(images) == 1, f"cell {cell_id} shows {len(images)} figures, not 1"


@pytest.mark.parametrize("cell_id", INTERPRETED_CELLS)
def test_rerun_prints_what_the_committed_text_interprets(committed, executed, cell_id):
    # The Markdown was written from the committed outputs; the seeded analysis must repeat them.
    # Whitespace is ignored: column widths of printed tables may change with pandas versions.
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
