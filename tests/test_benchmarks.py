"""The benchmark harness end to end at the smallest scale: checks pass, outputs exist and parse."""

import subprocess
import sys
from pathlib import Path

import matplotlib.image
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_harness_runs_every_suite_on_pinky(tmp_path):
    # The jit suite compiles every kernel from an empty cache (about a minute), so this
    # test leaves it out; all other registered suites run in their own processes.
    from benchmarks.registry import load_suites

    suites, _ = load_suites()
    names = [name for name, s in suites.items() if not s.fresh_numba_cache]
    assert {"load", "dyad", "triad", "swaps", "sampling", "ensemble", "quad"} <= set(names)
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--graphs", "pinky_th100", "--repeats", "1",
         "--suites", ",".join(names), "--samples", "20", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]

    frame = pd.read_csv(tmp_path / "results.csv")
    assert set(frame["suite"]) == set(names)
    assert (frame["check"] == True).all(), frame.loc[frame["check"] != True].to_string()  # noqa: E712
    # Every peer of every suite is present and compared with us.
    peers = frame[frame["tool"] != "ours"]
    assert {"igraph", "networkx", "NetworKit EdgeSwitching", "igraph motifs_randesu"} <= set(
        peers["tool"])
    assert peers.loc[peers["comparable"], "ratio"].notna().all()

    text = (tmp_path / "results.md").read_text()
    assert "## Peer time / our time" in text
    assert "| triad | triad census | pinky_th100 |" in text
    assert "| quad | 4-cell census | pinky_th100 |" in text
    image = matplotlib.image.imread(tmp_path / "results.png")
    assert image.ndim == 3 and image.shape[0] > 100
    assert (tmp_path / "machine.json").read_text().startswith("{")


def test_harness_rejects_unknown_suite(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--suites", "nope", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2 and "unknown suites" in done.stderr


def test_extrapolation_by_units_separates_a_peers_fixed_cost(monkeypatch):
    # A fake clock: a call of k units takes 2 s of setup plus 1 ms per unit. 10,000 units
    # (12 s) exceed the 8 s budget, so the peer does (8 / 4 - 2) / 0.001 -> at least 10 x
    # the 10-unit probe = 100 units, and the other 9,900 are added at the marginal cost.
    from benchmarks import registry
    from benchmarks.measure import Timing
    from connectome_motifs.graphs import SynapseGraph

    def fake_measure(fn, repeats=3, *, warmup=True, max_seconds=30.0, setup=None):
        k = fn()
        return Timing(2.0 + 0.001 * k, 0.0, 0.0, 1, None, None, k)

    monkeypatch.setattr(registry, "measure", fake_measure)
    ctx = registry.Context(SynapseGraph.from_edges([0], [1]), "tiny", "pinky", peer_budget=8.0)
    done = []
    record = ctx.budgeted_by_units("s", "t", "peer", 10_000, lambda k: done.append(k) or k,
                                   lambda r: (True, ""), "units", probe=10)
    assert done == [10, 100, 100]
    assert record["extrapolated"] and record["seconds"] == pytest.approx(2.0 + 0.001 * 10_000)
    # Within the budget, the whole work is timed: the fixed cost no longer inflates it.
    ctx.peer_budget = 20.0
    done.clear()
    record = ctx.budgeted_by_units("s", "t", "peer", 10_000, lambda k: done.append(k) or k,
                                   lambda r: (True, ""), "units", probe=10)
    assert done == [10, 100, 10_000] and not record["extrapolated"]
