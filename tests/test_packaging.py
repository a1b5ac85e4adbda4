"""The wheel installs one import name, connectome_motifs, beside any other package.

These tests build the wheel (the build backend comes from the package registry, as for any
``pip install .``) and install it into fresh virtual environments whose dependencies come
from this environment's site-packages.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("graphs", "nullmodels", "motifs")
# An unrelated package on the registry that installs a top-level ``motifs`` (pure Python).
OTHER = "motifs==0.1.0"


def _pip(*args: str, python: Path | None = None) -> None:
    target = ("--python", str(python)) if python is not None else ()
    subprocess.run([sys.executable, "-m", "pip", *target, "--disable-pip-version-check",
                    "--quiet", *args], check=True, capture_output=True, text=True)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _pip("wheel", "--no-deps", "--wheel-dir", str(out), str(ROOT))
    [built] = out.glob("connectome_motifs-*.whl")
    return built


def test_every_package_folder_is_in_the_build():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    folders = {"connectome_motifs"} | {
        ".".join(("connectome_motifs", *init.parent.relative_to(ROOT).parts))
        for layer in LAYERS for init in (ROOT / layer).rglob("__init__.py")
    } | {  # the folders of bundled data files
        ".".join(("connectome_motifs", *folder.relative_to(ROOT).parts))
        for folder in (ROOT / "graphs" / "datasets" / "data").iterdir() if folder.is_dir()
    }
    assert set(config["packages"]) == folders
    assert config["package-dir"] == {"connectome_motifs": "src/connectome_motifs",
                                     **{f"connectome_motifs.{layer}": layer for layer in LAYERS}}


def test_the_wheel_holds_one_import_name_and_the_datasets(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names}
    info = next(t for t in tops if t.endswith(".dist-info"))
    assert tops == {"connectome_motifs", info}
    for layer in LAYERS:
        assert f"connectome_motifs/{layer}/__init__.py" in names
    data = "connectome_motifs/graphs/datasets/data/microns_pinky100/"
    assert {data + f for f in ("synapses.csv", "soma.csv", "README.md")} <= set(names)
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read(f"{info}/top_level.txt").decode().split() == ["connectome_motifs"]
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
    assert "connectome-motifs = connectome_motifs.motifs.cli:main" in entry_points


def _fresh_environment(folder: Path) -> Path:
    """Return the python of a new venv that sees this environment's packages behind its own."""
    venv.create(folder, with_pip=False)
    python = folder / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path("
                           "'purelib'))"], check=True, capture_output=True, text=True)
    Path(site.stdout.strip(), "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return python


@pytest.mark.parametrize("ours_first", [True, False], ids=["ours-first", "theirs-first"])
def test_installs_beside_an_unrelated_top_level_motifs(wheel, tmp_path, ours_first):
    python = _fresh_environment(tmp_path / "env")
    installs = [[str(wheel)], [OTHER]]
    for args in installs if ours_first else installs[::-1]:
        _pip("install", "--no-deps", *args, python=python)
    check = ("import motifs, connectome_motifs as cm\n"
             "assert motifs.Motif.__module__ == 'motifs' and not hasattr(motifs, 'analyse')\n"
             "assert cm.motifs.triad_census is cm.triad_census\n"
             "print(cm.motifs.__file__)\n")
    where = tmp_path / "elsewhere"
    where.mkdir()
    shown = subprocess.run([str(python), "-c", check], cwd=where, check=True,
                           capture_output=True, text=True).stdout
    assert str(tmp_path / "env") in shown  # the installed copy, not this checkout
    run = subprocess.run([str(tmp_path / "env" / "bin" / "connectome-motifs"), "run",
                          "--models", "ER,gER", "--samples", "5", "--out", "results", "--quiet"],
                         cwd=where, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    assert (where / "results" / "motifs.csv").read_text().count("\n") == 1 + 2 * 16
