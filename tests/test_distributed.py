"""Ensembles on a Dask LocalCluster equal the local run bit for bit, survive a dying worker and
fail clearly without a scheduler or without Dask."""

from __future__ import annotations

import dataclasses
import os
import socket
import subprocess
import sys
import time
import zlib
from pathlib import Path

import dask
import numpy as np
import pandas as pd
import psutil
import pytest
from distributed import Client, LocalCluster

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.graphs.datasets import pinky100
from connectome_motifs.motifs.cli import main
from connectome_motifs.motifs.profile import MotifStatistics
from connectome_motifs.nullmodels import ConfigurationModel, ProximityModel, SampleTask, ensemble
from connectome_motifs.nullmodels.distributed import (
    DaskExecutor,
    MissingDaskError,
    SchedulerUnreachableError,
    chunk_bounds,
    connect,
)

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def one_worker_client():
    # One process with two threads: a different worker count and tasks sharing a model copy.
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def th100() -> SynapseGraph:
    return pinky100("th100")


def fingerprint(g: SynapseGraph) -> dict[str, int]:
    """Statistics that tell samples apart, so a lost, repeated or misplaced one shows."""
    return {"edges_crc": zlib.crc32(g.out_indices.tobytes()),
            "reciprocal_pairs": g.n_reciprocal_pairs}


def crc_parity_labels(g: SynapseGraph) -> dict[str, int]:
    """A statistic whose label depends on the sample: valid only if all samples agree."""
    crc = zlib.crc32(g.out_indices.tobytes())
    return {f"parity{crc % 2}": crc}


_calls_in_this_process = 0


class DiesOnce:
    """``fingerprint``, except that the process that first reaches its ``after``-th call
    claims ``marker`` (atomically, so only one process ever does), writes its pid there and
    exits at once, as a crashed worker would, in the middle of a task."""

    def __init__(self, marker: Path, after: int, pause: float) -> None:
        self.marker = str(marker)
        self.after = after
        self.pause = pause
        self.__name__ = "fingerprint"

    def __call__(self, g: SynapseGraph) -> dict[str, int]:
        global _calls_in_this_process
        _calls_in_this_process += 1
        time.sleep(self.pause)
        if _calls_in_this_process == self.after:
            try:
                fd = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                pass
            else:
                os.write(fd, str(os.getpid()).encode())
                os.close(fd)
                os._exit(1)
        return fingerprint(g)


def independent_cfg() -> ConfigurationModel:
    return ConfigurationModel(chains=None)


@pytest.mark.parametrize("factory", [ConfigurationModel, independent_cfg, ProximityModel])
def test_samples_and_diagnostics_equal_the_local_run(factory, th100, client, one_worker_client):
    model = factory().fit(th100)
    statistic = MotifStatistics(max_common=3)
    local = ensemble(model, statistic, 24, seed=11, executor=1, progress=False)
    threaded = ensemble(model, statistic, 24, seed=11, executor=2, progress=False)
    two = ensemble(model, statistic, 24, seed=11, executor=client, progress=False)
    one = ensemble(model, statistic, 24, seed=11, executor=one_worker_client, progress=False)
    for run in (threaded, two, one):
        pd.testing.assert_frame_equal(run.samples, local.samples, check_exact=True)
        assert run.samples.to_numpy().tobytes() == local.samples.to_numpy().tobytes()
        if factory is not ProximityModel:
            np.testing.assert_equal(dataclasses.asdict(run.diagnostics),
                                    dataclasses.asdict(local.diagnostics))
        else:
            assert run.diagnostics is local.diagnostics is None
    assert (two.params.executor, two.params.n_threads) == ("dask", 2)
    assert (local.params.executor, local.params.n_threads) == ("threads", 1)
    same = {"executor": "threads", "n_threads": 1}
    assert dataclasses.replace(two.params, **same) == local.params


def test_chunk_size_does_not_change_the_rows(th100, client):
    model = ConfigurationModel(chains=None).fit(th100)
    seeds = [SampleTask(s) for s in np.random.SeedSequence(5).spawn(10)]
    local = ensemble(model, fingerprint, 10, seed=5, progress=False, diagnostics=False)
    seen = []
    for chunk_size in (1, 3, 10):
        result = DaskExecutor(client, chunk_size=chunk_size).run(
            model, fingerprint, seeds, progress=seen.append)
        assert result.labels == ["edges_crc", "reciprocal_pairs"]
        assert np.array_equal(result.rows, local.samples.to_numpy())
        assert result.diagnostics is None and result.n_threads == 2
    # Progress is told each chunk's size: 10 chunks of 1, then 3+3+3+1, then one of 10.
    assert sorted(seen[:10]) == [1] * 10 and sorted(seen[10:14]) == [1, 3, 3, 3]
    assert seen[14:] == [10]
    # Every sample is distinct (a duplicated or lost sample would break the equality above).
    assert local.samples["edges_crc"].nunique() == 10


def test_chunk_bounds_cover_every_sample_once():
    # By hand: 10 samples, 2 threads -> ceil(10 / 8) = 2 per chunk.
    assert chunk_bounds(10, 2) == [(0, 2), (2, 4), (4, 6), (6, 8), (8, 10)]
    assert chunk_bounds(3, 100) == [(0, 1), (1, 2), (2, 3)]
    assert chunk_bounds(7, 0, chunk_size=7) == [(0, 7)]
    for n, threads in [(1, 1), (999, 7), (1000, 64)]:
        covered = [k for start, stop in chunk_bounds(n, threads) for k in range(start, stop)]
        assert covered == list(range(n))
    with pytest.raises(ValueError, match="chunk_size"):
        chunk_bounds(5, 1, chunk_size=0)


def test_a_worker_dying_mid_run_loses_and_repeats_nothing(th100, client, tmp_path):
    model = ConfigurationModel(chains=None).fit(th100)
    local = ensemble(model, fingerprint, 40, seed=8, progress=False, diagnostics=False)
    marker = tmp_path / "killed"
    # 40 samples on 2 threads: 8 chunks of 5, so a worker's 3rd call is inside a chunk.
    statistic = DiesOnce(marker, after=3, pause=0.01)
    counted = []
    tasks = [SampleTask(s) for s in np.random.SeedSequence(8).spawn(40)]
    result = DaskExecutor(client).run(model, statistic, tasks, progress=counted.append)
    assert marker.exists()
    dead = int(marker.read_text())
    assert dead not in client.run(os.getpid).values()
    assert not psutil.pid_exists(dead) or psutil.Process(dead).status() == psutil.STATUS_ZOMBIE
    # Each chunk arrived once, and the rows are the local run's, in order.
    assert counted == [5] * 8
    assert result.labels == list(local.samples.columns)
    assert np.array_equal(result.rows, local.samples.to_numpy())
    client.wait_for_workers(2, timeout=60)
    after = ensemble(model, statistic, 40, seed=8, executor=client, progress=False,
                     diagnostics=False)
    pd.testing.assert_frame_equal(after.samples, local.samples, check_exact=True)


def test_labels_that_change_fail_as_in_the_local_run(th100, client):
    model = ConfigurationModel(chains=None).fit(th100)
    with pytest.raises(ValueError, match="labels") as local:
        ensemble(model, crc_parity_labels, 12, seed=3, executor=1, progress=False)
    for chunk_size in (1, 4):
        seeds = [SampleTask(s) for s in np.random.SeedSequence(3).spawn(12)]
        with pytest.raises(ValueError, match="labels") as remote:
            DaskExecutor(client, chunk_size=chunk_size).run(model, crc_parity_labels, seeds)
        assert str(remote.value) == str(local.value)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_fails_clearly(th100):
    address = f"tcp://127.0.0.1:{_free_port()}"
    with pytest.raises(SchedulerUnreachableError, match=address) as err:
        connect(address, timeout=1)
    assert isinstance(err.value, OSError)
    model = ConfigurationModel().fit(th100)
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}), \
            pytest.raises(OSError, match="no Dask scheduler answered"):
        ensemble(model, fingerprint, 3, seed=0, executor=address, progress=False)
    with pytest.raises(ValueError, match="invalid Dask scheduler address"):
        connect("nonsense::address", timeout=1)
    for bad in ("local:0", "local:two"):
        with pytest.raises(ValueError, match="local:N"):
            connect(bad)
    with pytest.raises(TypeError, match="executor must be"):
        ensemble(model, fingerprint, 3, seed=0, executor=object(), progress=False)


def test_missing_extra_names_the_install_command(th100, monkeypatch):
    model = ConfigurationModel().fit(th100)
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(MissingDaskError, match=r'pip install "connectome-motifs\[dask\]"') as err:
        ensemble(model, fingerprint, 3, seed=0, executor="tcp://127.0.0.1:8786", progress=False)
    assert isinstance(err.value, ImportError)


def test_core_works_without_dask_installed():
    # Import every layer with dask made unimportable, then run a local ensemble.
    code = (
        "import sys; sys.modules['dask'] = None; sys.modules['distributed'] = None\n"
        "import connectome_motifs.motifs.cli, connectome_motifs.nullmodels.distributed\n"
        "from connectome_motifs.graphs.datasets import pinky100\n"
        "from connectome_motifs.nullmodels import ErdosRenyi, ensemble\n"
        "m = ErdosRenyi().fit(pinky100('th100'))\n"
        "print(ensemble(m, lambda g: g.n, 2, seed=0, progress=False).samples.shape)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "(2, 1)"


def test_cli_dask_errors_are_one_line(capsys, monkeypatch):
    address = f"tcp://127.0.0.1:{_free_port()}"
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        assert main(["run", "--models", "ER", "--samples", "2", "--dask", address,
                     "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("connectome-motifs: error: no Dask scheduler answered at")
    assert address in err and err.count("\n") == 1
    assert main(["run", "--models", "ER", "--samples", "2", "--dask", "local:x"]) == 2
    assert "local:N" in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, "distributed", None)
    assert main(["run", "--models", "ER", "--samples", "2", "--dask", address, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert 'pip install "connectome-motifs[dask]"' in err and err.count("\n") == 1


def test_cli_run_on_a_local_cluster_writes_the_local_tables(tmp_path):
    common = ["run", "--models", "CFG,PM", "--samples", "6", "--seed", "4", "--quiet"]
    assert main([*common, "--out", str(tmp_path / "local"), "--jobs", "1"]) == 0
    assert main([*common, "--out", str(tmp_path / "dask"), "--dask", "local:2"]) == 0
    for table in ("motifs.csv", "pairs.csv", "stats.csv"):
        here = (tmp_path / "local" / table).read_bytes()
        assert here == (tmp_path / "dask" / table).read_bytes(), table
