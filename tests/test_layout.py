"""The package's structure: layers import only downwards, no cycles, no private names across."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("graphs", "nullmodels", "motifs")  # each may import only those before it


def _modules() -> dict[str, Path]:
    found = {}
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


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
    assert {"graphs.synapse_graph", "nullmodels.ensemble", "motifs.analysis"} <= set(MODULES)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_a_module_imports_only_its_own_layer_and_those_below(name):
    layer = LAYERS.index(name.split(".")[0])
    for module, _ in _imports(MODULES[name]):
        top = module.split(".")[0]
        if top in LAYERS:
            assert LAYERS.index(top) <= layer, f"{name} imports {module}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_private_name_is_imported_across_modules(name):
    for module, names in _imports(MODULES[name]):
        if module.split(".")[0] in LAYERS:
            private = [n for n in names if n.startswith("_")]
            hidden = [p for p in module.split(".") if p.startswith("_")]
            assert not private and not hidden, f"{name} imports {module}: {private or hidden}"


def test_no_import_cycles():
    graph = {name: {t for m, ns in _imports(path) for t in _targets(m, ns) if t != name}
             for name, path in MODULES.items()}
    # A package's __init__ importing its own submodules is how packages work; a submodule
    # importing its package back (``from motifs import x`` inside motifs) is a cycle.
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
