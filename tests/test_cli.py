"""Tests of the command line: summaries, input options and one-line errors."""

import subprocess
import sys

import pandas as pd
import pytest

from connectome_motifs.motifs.cli import main


def test_info_on_bundled_data(capsys):
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert "pinky100 th100" in out
    assert "nodes" in out and " 111" in out and " 659" in out
    assert "autapse synapses removed" in out


def test_info_on_user_files_with_overrides(tmp_path, capsys):
    syn = tmp_path / "conn.tsv"
    pd.DataFrame({"src": ["AVAL", "AVAR", "AVAL"], "dst": ["AVAR", "AVAL", "AVAL"],
                  "n": [3, 1, 2]}).to_csv(syn, sep="\t", index=False)
    assert main(["info", "--synapses", str(syn), "--pre", "src", "--post", "dst",
                 "--weight", "n"]) == 0
    out = capsys.readouterr().out
    # By hand: AVAL<->AVAR reciprocal, 4 synapses kept, the AVAL autapse (2 synapses) removed.
    assert "reciprocal pairs" in out and "autapse synapses removed       2" in out
    assert "synapses                       4" in out


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["info", "--synapses", "no/such/file.csv"], "no/such/file.csv"),
        (["info", "--subgraph", "th50"], "th50"),
        (["info", "--cells", "x.csv"], "--cells needs --synapses"),
    ],
)
def test_errors_are_one_line_without_traceback(argv, needle, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err and err.count("\n") == 1


def test_missing_column_error_names_file_and_column(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("pre,target\n1,2\n")
    proc = subprocess.run([sys.executable, "-m", "connectome_motifs.motifs.cli", "info",
                           "--synapses", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "bad.csv" in proc.stderr and "'post'" in proc.stderr
    assert "Traceback" not in proc.stderr
