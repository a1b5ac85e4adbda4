"""Write the API reference pages from the packages' ``__all__`` (a local Sphinx extension).

Every public namespace gets one page, ``api/<module>.rst``: the top-level package, the three
layers (``graphs``, ``nullmodels``, ``motifs``) and every module below them. A page holds
the module's docstring and an autosummary table of the names in its ``__all__``.

A name is documented once, on a stub page autosummary generates in ``api/generated/``,
under its canonical name: the layer that exports it (``connectome_motifs.graphs.
SynapseGraph``) or else the shallowest module that lists it; data (constants, type aliases)
under the module that assigns it, where its ``#:`` comment is. Every other table that lists
the same object links to that page, and a ``missing-reference`` handler sends a docstring's
cross-reference by any other public path (``connectome_motifs.motifs.expected.
expected_triad_census``) to it.

The pages are written when the configuration is read, before Sphinx looks for sources; a
file is rewritten only when its text changes, so incremental builds stay incremental, and
files of names no longer in any ``__all__`` are removed.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

PACKAGE = "connectome_motifs"
LAYERS = ("graphs", "nullmodels", "motifs")
API_DIR = "api"
STUB_DIR = "generated"


@dataclass(frozen=True)
class Entry:
    """One name of a namespace's ``__all__``."""

    name: str
    canonical: str
    is_module: bool


def _is_shadowed(modname: str) -> bool:
    # A submodule hidden by a same-named object of its package (``datasets.pinky100`` is
    # the function): its names are its package's, and a page would clash with the object.
    module = importlib.import_module(modname)
    parent, _, last = modname.rpartition(".")
    return getattr(importlib.import_module(parent), last, None) is not module


def namespaces() -> list[tuple[str, ModuleType]]:
    """Return the public namespaces in the order that decides canonical names.

    The three layers, then every module below them, shallower first, then the top level.
    """
    top = importlib.import_module(PACKAGE)
    layers = [importlib.import_module(f"{PACKAGE}.{layer}") for layer in LAYERS]
    below: list[ModuleType] = []
    for layer in layers:
        for info in pkgutil.walk_packages(layer.__path__, layer.__name__ + "."):
            if info.name.rpartition(".")[2].startswith("_") or _is_shadowed(info.name):
                continue
            below.append(importlib.import_module(info.name))
    below.sort(key=lambda m: m.__name__.count("."))
    return [(m.__name__, m) for m in (*layers, *below, top)]


def _assigned_names(module: ModuleType) -> set[str]:
    # Names bound by a top-level assignment in the module's source.
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError):
        return set()
    names: set[str] = set()
    for node in tree.body:
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign)
                   else [])
        names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def _is_data(obj: Any) -> bool:
    if inspect.isclass(obj) or inspect.ismodule(obj):
        return False
    return not (inspect.isroutine(obj) or inspect.isfunction(inspect.unwrap(obj))
                or hasattr(obj, "py_func"))


def canonical_names(spaces: list[tuple[str, ModuleType]]) -> dict[tuple[str, int], str]:
    """Return the canonical full name of every public object, keyed by (name, id)."""
    assigned = {modname: _assigned_names(module) for modname, module in spaces}
    canonical: dict[tuple[str, int], str] = {}
    data_homes: dict[tuple[str, int], str] = {}
    for modname, module in spaces:
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if inspect.ismodule(obj):
                continue
            key = (name, id(obj))
            canonical.setdefault(key, f"{modname}.{name}")
            if _is_data(obj) and name in assigned[modname]:
                data_homes.setdefault(key, f"{modname}.{name}")
    canonical.update(data_homes)
    return canonical


def entries(module: ModuleType, canonical: dict[tuple[str, int], str]) -> list[Entry]:
    """Return the entries of a namespace's ``__all__``, in its order."""
    out = []
    for name in getattr(module, "__all__", ()):
        obj = getattr(module, name)
        if inspect.ismodule(obj):
            out.append(Entry(name, obj.__name__, is_module=True))
        else:
            out.append(Entry(name, canonical[(name, id(obj))], is_module=False))
    return out


def _children(modname: str, spaces: list[tuple[str, ModuleType]]) -> list[str]:
    return [m for m, _ in spaces if m.startswith(modname + ".")]


def _heading(text: str, char: str) -> str:
    return f"{text}\n{char * len(text)}\n"


def _autosummary(names: list[str], toctree: bool, current: str) -> str:
    # Names below the current module are written relative to it, as autosummary asks.
    lines = [".. autosummary::"]
    if toctree:
        lines.append(f"   :toctree: {STUB_DIR}")
    lines.append("")
    lines += [f"   ~{n.removeprefix(current + '.')}" for n in names]
    return "\n".join(lines) + "\n"


def page(modname: str, module: ModuleType, spaces: list[tuple[str, ModuleType]],
         canonical: dict[tuple[str, int], str]) -> str:
    """Return the reST of one namespace's page."""
    title = modname
    parts = [
        f".. Generated by docs/_ext/apipages.py from {modname}.__all__; do not edit.\n",
        _heading(title, "="),
        f".. automodule:: {modname}\n",
        f".. currentmodule:: {modname}\n",
    ]
    listed = entries(module, canonical)
    here = [e.canonical for e in listed if not e.is_module and e.canonical == f"{modname}.{e.name}"]
    elsewhere = [e.canonical for e in listed
                 if e.is_module or e.canonical != f"{modname}.{e.name}"]
    if listed:
        parts.append(_heading("Public names", "-"))
        parts.append(f"The names in ``{modname}.__all__``.\n")
    if here:
        parts.append(_autosummary(here, toctree=True, current=modname))
    if elsewhere:
        parts.append("Also exported here, and documented under the name linked:\n")
        parts.append(_autosummary(elsewhere, toctree=False, current=modname))
    if modname == PACKAGE:
        children = [f"{PACKAGE}.{layer}" for layer in LAYERS]
        caption = "Layers"
    elif modname.count(".") == 1:
        children = sorted(_children(modname, spaces))
        caption = "Modules"
    else:
        children = []
        caption = ""
    if children:
        parts.append(_heading(caption, "-"))
        parts.append(_autosummary(children, toctree=False, current=modname))
    if children and modname != PACKAGE:  # the layers' pages are in docs/api.rst's toctree
        parts.append(".. toctree::\n   :hidden:\n\n" + "".join(f"   {c}\n" for c in children))
    return "\n".join(parts)


def _write(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def write_pages(srcdir: Path) -> tuple[dict[tuple[str, int], str], list[str]]:
    """Write every namespace's page; return the canonical names and the documented modules."""
    spaces = namespaces()
    canonical = canonical_names(spaces)
    api = srcdir / API_DIR
    stubs = api / STUB_DIR
    stubs.mkdir(parents=True, exist_ok=True)
    pages = {f"{modname}.rst": page(modname, module, spaces, canonical)
             for modname, module in spaces}
    for old in api.glob("*.rst"):
        if old.name not in pages:
            old.unlink()
    for name, text in pages.items():
        _write(api / name, text)
    # Stubs of names no longer public would be orphan pages; autosummary writes the rest.
    wanted = {f"{name}.rst" for name in canonical.values()}
    for old in stubs.glob("*.rst"):
        if old.name not in wanted:
            old.unlink()
    return canonical, [modname for modname, _ in spaces]


def _resolve_object(path: str) -> tuple[Any, str] | None:
    # Import the longest module prefix of ``path`` and walk the rest as attributes.
    parts = path.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:i]))
        except Exception:  # not a module (ImportError), or not a module name at all
            continue
        for part in parts[i:]:
            try:
                obj = getattr(obj, part)
            except AttributeError:
                return None
        return obj, parts[-1]
    return None


def _canonical_target(target: str, canonical: dict[tuple[str, int], str],
                      modules: list[str]) -> str | None:
    # The documented name of ``target`` or of its longest public prefix plus the rest
    # (a method or attribute of a class documented under another path).
    parts = target.split(".")
    for i in range(len(parts), 1, -1):
        found = _resolve_object(".".join(parts[:i]))
        if found is None:
            continue
        obj, name = found
        rest = parts[i:]
        if inspect.ismodule(obj):
            home = obj.__name__ if obj.__name__ in modules else None
        else:
            home = canonical.get((name, id(obj)))
        if home is not None:
            return ".".join([home, *rest])
    return None


def setup(app):
    """Register the page writer and the cross-reference fallback."""
    state: dict[str, Any] = {}

    def on_config_inited(app, config):
        state["canonical"], state["modules"] = write_pages(Path(app.srcdir))
        if config.autosummary_generate is True:
            # Name the pages, new ones included: a saved environment's list of sources,
            # which autosummary would scan instead, predates them.
            config.autosummary_generate = sorted(
                str(path.relative_to(app.srcdir))
                for path in Path(app.srcdir, API_DIR).glob("*.rst"))

    def on_missing_reference(app, env, node, contnode):
        if node.get("refdomain") != "py":
            return None
        target = node.get("reftarget", "").lstrip(".~")
        module = node.get("py:module") or ""
        if target.startswith(PACKAGE + "."):
            candidates = [target]
        else:
            candidates = [".".join(p for p in (module, node.get("py:class"), target) if p)]
            # The module itself and its packages, for names relative to one of them.
            parts = module.split(".")
            candidates += [".".join([*parts[:i], target]) for i in range(len(parts), 0, -1)]
            # A docstring names things of the module it is written in, which may lie below
            # the namespace it is documented in: accept a name that one such module binds.
            head = target.split(".")[0]
            found = {}
            for modname in state["modules"]:
                if modname.startswith(module + ".") and module:
                    obj = getattr(importlib.import_module(modname), head, None)
                    if obj is not None and not inspect.ismodule(obj):
                        found.setdefault(id(obj), f"{modname}.{target}")
            if len(found) == 1:
                candidates += found.values()
        domain = env.get_domain("py")
        for candidate in candidates:
            if not candidate.startswith(PACKAGE + "."):
                continue
            new = _canonical_target(candidate, state["canonical"], state["modules"])
            if new is None or new == target:
                continue
            resolved = domain.resolve_xref(env, node["refdoc"], app.builder, node["reftype"],
                                           new, node, contnode)
            if resolved is not None:
                return resolved
        return None

    def on_process_docstring(app, what, name, obj, options, lines):
        # A constant without a ``#:`` comment has only its type's docstring (str, dict,
        # a union), which says nothing about the name: show no text rather than that.
        if what in ("data", "attribute") and _is_data(obj) and not inspect.isclass(obj):
            own = type(obj).__doc__
            if isinstance(own, str) and own.strip() and (
                    "\n".join(lines).strip() == inspect.cleandoc(own).strip()):
                lines.clear()

    app.connect("config-inited", on_config_inited)
    app.connect("missing-reference", on_missing_reference)
    # Before numpydoc (priority 500) rewrites the lines.
    app.connect("autodoc-process-docstring", on_process_docstring, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
