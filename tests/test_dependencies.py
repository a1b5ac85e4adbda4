"""Dependency versions: the minimum pins agree with pyproject.toml, and are what is installed.

``.ci/constraints-minimum.txt`` pins every dependency and test extra at the lower bound that
pyproject.toml declares. CI installs one environment with it (``make test
CONSTRAINTS=.ci/constraints-minimum.txt``), and the Makefile then names the file in
CONNECTOME_MOTIFS_CONSTRAINTS, so that the suite checks that each pinned version is the one
installed: a raised bound whose pin was not raised, or a pin pip did not apply, fails there.
"""

from __future__ import annotations

import os
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
MINIMUM = ROOT / ".ci" / "constraints-minimum.txt"
CONSTRAINTS_VARIABLE = "CONNECTOME_MOTIFS_CONSTRAINTS"


def _pins(path: Path) -> dict[str, Version]:
    """Return ``{normalised name: version}`` of a constraints file of ``name==version`` lines."""
    pins = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        specifiers = list(requirement.specifier)
        assert len(specifiers) == 1 and specifiers[0].operator == "==", (
            f"{path.name}:{number}: {line!r} is not one name==version pin")
        name = canonicalize_name(requirement.name)
        assert name not in pins, f"{path.name}:{number}: {name} pinned twice"
        pins[name] = Version(specifiers[0].version)
    return pins


# Extras the minimum job installs (the docs are built in the default environment only).
TESTED_EXTRAS = {"test", "dask"}


def _requirements() -> list[Requirement]:
    """Return the installed package's requirements: the core ones and the tested extras'."""
    found = []
    for text in metadata.requires("connectome-motifs") or []:
        requirement = Requirement(text)
        marker = str(requirement.marker or "")
        if "extra ==" in marker and not any(f'extra == "{e}"' in marker for e in TESTED_EXTRAS):
            continue
        found.append(requirement)
    return found


def _lower_bounds() -> dict[str, set[Version]]:
    """Return the lower bounds (>= or ==) of the requirements, the tested extras' too."""
    bounds: dict[str, set[Version]] = {}
    for requirement in _requirements():
        text = str(requirement)
        found = {Version(s.version) for s in requirement.specifier if s.operator in (">=", "==")}
        assert found, f"requirement {text!r} has no lower bound"
        bounds.setdefault(canonicalize_name(requirement.name), set()).update(found)
    return bounds


def test_minimum_pins_are_the_declared_lower_bounds():
    pins = _pins(MINIMUM)
    bounds = _lower_bounds()
    assert bounds, "connectome-motifs declares no requirements: is it installed?"
    wrong = {name: (sorted(map(str, lower)), str(pins.get(name)))
             for name, lower in bounds.items() if lower != {pins.get(name)}}
    assert not wrong, f"pyproject.toml lower bounds vs {MINIMUM.name} pins: {wrong}"


def test_installed_versions_are_the_pins_or_meet_the_requirements():
    # Installed with CONSTRAINTS= (CI's minimum job): exactly the pinned versions. Otherwise:
    # what is installed satisfies what pyproject.toml asks for.
    value = os.environ.get(CONSTRAINTS_VARIABLE, "")
    if not value:
        unmet = {}
        for requirement in _requirements():
            if requirement.marker is not None and not requirement.marker.evaluate(
                    {"extra": "test"}):
                continue
            try:
                version = metadata.version(requirement.name)
            except metadata.PackageNotFoundError:
                unmet[requirement.name] = "not installed"
                continue
            if not requirement.specifier.contains(version, prereleases=True):
                unmet[requirement.name] = f"{version} does not meet {requirement.specifier}"
        assert not unmet, unmet
        return
    path = Path(value)
    assert path.is_file(), f"{CONSTRAINTS_VARIABLE}={value!r} is not a file"
    pins = _pins(path)
    assert pins, f"{path} pins nothing"
    installed = {}
    for name in pins:
        try:
            installed[name] = Version(metadata.version(name))
        except metadata.PackageNotFoundError:
            installed[name] = None
    wrong = {name: f"pinned {pins[name]}, installed {installed[name]}"
             for name in pins if installed[name] != pins[name]}
    assert not wrong, f"installed versions differ from {path.name}: {wrong}"
