"""The package's structure: layers import only downwards, no cycles, no private names across."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("graphs", "nullmodels", "motifs")  # each may import only those before it


def _modules() -> dict[str, Path]:
    """Return the module name of every file of the layers, as installed under the one name."""
    found = {"connectome_motifs": ROOT / "src" / "connectome_motifs" / "__init__.py"}
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(("connectome_motifs", *(parts[:-1] if parts[-1] == "__init__"
                                                    else parts)))
            found[name] = path
    return found


def _layer(module: str) -> str | None:
    """Return the layer of ``connectome_motifs.<layer>...``, or None for other modules."""
    parts = module.split(".")
    return parts[1] if parts[0] == "connectome_motifs" and len(parts) > 1 else None


MODULES = _modules()


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """Return (module, imported names) of every import in the file, nested ones too."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, [alias.name for alias in node.names]))
    return out


def _targets(module: str, names: list[str]) -> list[str]:
    """Return the package modules an import statement loads (a submodule for each name)."""
    hits = [module] if module in MODULES else []
    return hits + [f"{module}.{n}" for n in names if f"{module}.{n}" in MODULES]


def test_the_layers_are_found():
    assert {"connectome_motifs.graphs.synapse_graph", "connectome_motifs.nullmodels.ensemble",
            "connectome_motifs.motifs.analysis"} <= set(MODULES)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_layers_import_only_themselves_those_below_and_never_by_bare_name(name):
    for module, names in _imports(MODULES[name]):
        assert module.split(".")[0] not in LAYERS, f"{name} imports {module} by its bare name"
        layer, imported = _layer(name), _layer(module)
        if layer is None or (imported is None and module == "connectome_motifs"):
            # The top-level package may import every layer; no layer may import it.
            assert layer is None, f"{name} imports the top-level package"
            continue
        if imported is None and names:
            imported = names[0] if module == "connectome_motifs" else None
        if imported is not None:
            assert LAYERS.index(imported) <= LAYERS.index(layer), f"{name} imports {module}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_private_name_is_imported_across_modules(name):
    for module, names in _imports(MODULES[name]):
        if module.split(".")[0] == "connectome_motifs":
            private = [n for n in names if n.startswith("_")]
            hidden = [p for p in module.split(".") if p.startswith("_")]
            assert not private and not hidden, f"{name} imports {module}: {private or hidden}"


def test_no_import_cycles():
    graph = {name: {t for m, ns in _imports(path) for t in _targets(m, ns) if t != name}
             for name, path in MODULES.items()}
    # A package's __init__ importing its own submodules is how packages work; a submodule
    # importing its package back (``from connectome_motifs.motifs import x`` inside motifs)
    # is a cycle.
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = [*path[path.index(nxt):], nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_says_what_it_holds(name):
    docstring = ast.get_docstring(ast.parse(MODULES[name].read_text()))
    assert docstring and len(docstring.split()) >= 4, f"{name} has no module docstring"
