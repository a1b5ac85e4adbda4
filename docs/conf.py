"""Sphinx configuration of the connectome-motifs documentation: ``make docs`` builds it.

The API reference is generated from the packages' ``__all__`` (``_ext/apipages.py``), the
CLI reference from the argument parser, and the example notebook is rendered with the
outputs stored in it: nothing is executed and nothing is fetched from the network.
"""

import shutil
import sys
from importlib import metadata
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))

# -- project ---------------------------------------------------------------------------

project = "connectome-motifs"
author = "connectome-motifs developers"
project_copyright = author
release = metadata.version("connectome-motifs")
version = release

# -- general ---------------------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinxarg.ext",
    "myst_nb",
    "apipages",
]
templates_path = ["_templates"]
exclude_patterns = ["_build", "_ext", "_templates", "**/.ipynb_checkpoints"]
# Quotes and ellipses only: "--cells" in the CLI help must stay two hyphens, not a dash.
smartquotes_action = "qe"

# -- API reference (autodoc, autosummary, numpydoc) -------------------------------------

autosummary_generate = True
autodoc_member_order = "bysource"
autodoc_preserve_defaults = True
autodoc_typehints = "signature"
# numpydoc renders the Attributes/Methods sections itself; the class template documents
# the members, so numpydoc adds no member tables of its own.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

# -- notebooks (myst-nb): render the stored outputs, never execute ----------------------

nb_execution_mode = "off"
myst_enable_extensions = ["colon_fence", "deflist"]
# The notebooks live in notebooks/ (the test suite executes them there); the build copies them.
NOTEBOOKS = {ROOT / "notebooks" / name: DOCS / "examples"
             for name in ("pinky100_motifs.ipynb", "larva_cell_types.ipynb")}

# -- HTML ------------------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"connectome-motifs {release}"
html_theme_options = {
    "show_toc_level": 2,
    "navigation_depth": 3,
}
# Pages without children need no section navigation; the API pages keep it.
html_sidebars = {page: [] for page in ("index", "install", "cli", "user_guide/*", "examples/*")}


def _copy_notebooks(app, config):
    for source, folder in NOTEBOOKS.items():
        folder.mkdir(exist_ok=True)
        target = folder / source.name
        if not target.exists() or target.read_bytes() != source.read_bytes():
            shutil.copyfile(source, target)


def setup(app):
    app.connect("config-inited", _copy_notebooks)
