"""The examples in the docstrings of every module of connectome_motifs run as written.

Run here rather than by pytest's ``--doctest-modules``, which would import the source
folders under their bare names (``graphs.x``) beside the installed ``connectome_motifs.graphs.x``.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import connectome_motifs

# Walked layer by layer: in an editable install each layer's folder is mapped on its own.
LAYERS = [importlib.import_module(f"connectome_motifs.{layer}")
          for layer in ("graphs", "nullmodels", "motifs")]
MODULES = sorted(
    [connectome_motifs.__name__, *(layer.__name__ for layer in LAYERS)]
    + [m.name for layer in LAYERS
       for m in pkgutil.walk_packages(layer.__path__, layer.__name__ + ".")]
)


def test_every_layer_is_walked():
    assert {"connectome_motifs.graphs.convert", "connectome_motifs.nullmodels.ensemble",
            "connectome_motifs.motifs.plots.saving"} <= set(MODULES)
    # The finder sees examples through the mapped folders (atomic_write has four lines).
    files = importlib.import_module("connectome_motifs.graphs.files")
    [test] = doctest.DocTestFinder(exclude_empty=True).find(files.atomic_write)
    assert len(test.examples) == 4


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
