"""What the command line tells and writes around an analysis: model names, folders, p-value
floors, progress, per-cell counts and what loading removed."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from connectome_motifs.motifs import cli
from connectome_motifs.motifs.cli import main


def test_model_names_are_case_insensitive(tmp_path):
    assert main(["run", "--models", "cfg,er", "--samples", "3", "--out", str(tmp_path),
                 "--quiet"]) == 0
    assert list(dict.fromkeys(pd.read_csv(tmp_path / "motifs.csv")["model"])) == ["CFG", "ER"]


def test_one_folder_never_mixes_two_runs(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    common = ["run", "--models", "ER", "--samples", "3", "--out", str(tmp_path), "--quiet"]
    assert main(common) == 0
    assert (tmp_path / "th100_triads.png").exists()
    assert main([*common, "--subgraph", "full"]) == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert not any(name.startswith("th100_") for name in names)
    assert {"full_triads.png", "notes.txt"} <= names  # a file the run did not write stays
    listed = json.loads((tmp_path / "summary.json").read_text())["files"]
    assert set(listed) == names - {"notes.txt"}


def test_too_few_samples_for_significance_are_said(tmp_path, capsys):
    assert main(["run", "--models", "ER", "--samples", "100", "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    # By hand: Holm over 16 classes of add-one p >= 2 / 101 gives at least 32 / 101.
    assert "smallest Holm-adjusted p of the 16 triad classes is 0.317" in err
    assert "--samples 640" in err
    floor = json.loads((tmp_path / "summary.json").read_text())["significance"]
    assert floor["smallest_attainable_p_adjusted_triads"] == pytest.approx(32 / 101)
    assert main(["run", "--models", "ER", "--samples", "700", "--out", str(tmp_path)]) == 0
    assert "smallest Holm-adjusted" not in capsys.readouterr().err


def test_progress_goes_to_stderr_as_lines_when_it_is_not_a_terminal(tmp_path, capsys):
    assert main(["run", "--models", "ER,CFG", "--samples", "12", "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "ER samples: 12/12 (100%)" in err and "CFG samples: 12/12 (100%)" in err
    assert "\r" not in err
    assert main(["run", "--models", "ER", "--samples", "12", "--out", str(tmp_path),
                 "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def test_first_compilation_is_told_from_the_numba_cache(tmp_path, monkeypatch):
    import numba

    monkeypatch.setattr(numba.config, "CACHE_DIR", str(tmp_path))
    assert cli._first_compilation()
    (tmp_path / "kernels").mkdir()
    (tmp_path / "kernels" / "triads.triangle_code_histogram-11.py311.nbi").write_bytes(b"")
    assert not cli._first_compilation()


def test_census_per_node_keeps_exact_uint64_ids(tmp_path):
    big = np.uint64(2**64 - 5)
    ids = [big, big - np.uint64(1), big - np.uint64(2)]
    syn = tmp_path / "syn.parquet"
    pd.DataFrame({"pre": pd.array(ids[:2], dtype="uint64"),
                  "post": pd.array(ids[1:], dtype="uint64")}).to_parquet(syn)
    out = tmp_path / "per_node.parquet"
    assert main(["census", "--synapses", str(syn), "--per-node", "--output", str(out)]) == 0
    table = pd.read_parquet(out)
    assert table["id"].dtype == np.uint64 and table["id"].tolist() == sorted(int(i) for i in ids)
    # A chain a -> b -> c: each of its three cells is in the one 021C triad.
    assert table["021C"].tolist() == [1, 1, 1] and table.drop(columns="id").sum(axis=1).eq(1).all()
    csv = tmp_path / "per_node.csv"
    assert main(["census", "--synapses", str(syn), "--per-node", "--output", str(csv)]) == 0
    assert pd.read_csv(csv, dtype={"id": "uint64"})["id"].tolist() == table["id"].tolist()


def test_census_takes_the_input_preset_as_format_and_says_what_loading_removed(tmp_path, capsys):
    syn = tmp_path / "syn.csv"
    pd.DataFrame({"pre": [1, 2, 2, 3], "post": [2, 3, 2, 1]}).to_csv(syn, index=False)
    # --format is the input preset in every command: "csv" is none.
    assert main(["census", "--synapses", str(syn), "--format", "csv"]) == 2
    assert "preset" in capsys.readouterr().err
    assert main(["census", "--synapses", str(syn), "--format", "default",
                 "--output-format", "csv"]) == 0
    captured = capsys.readouterr()
    assert "autapse synapses removed 1" in captured.err  # the row 2 -> 2, by hand
    table = pd.read_csv(pd.io.common.StringIO(captured.out), keep_default_na=False)
    assert table.set_index("motif").loc["030C", "count"] == 1


def test_input_errors_name_the_command_line_flag_that_fixes_them(tmp_path, capsys):
    semi = tmp_path / "semi.csv"
    semi.write_text("pre;post;weight\n1;2;3\n2;3;1\n")
    assert main(["info", "--synapses", str(semi)]) == 2
    assert "pass --sep ';'" in capsys.readouterr().err
    assert main(["info", "--synapses", str(semi), "--sep", ";"]) == 0
    assert "synapses                       4" in capsys.readouterr().out  # 3 + 1, by hand
    syn, cells = tmp_path / "syn.csv", tmp_path / "cells.csv"
    syn.write_text("pre,post\n1,2\n2,9\n")
    cells.write_text("id,x,y,z\n1,0,0,0\n2,1,1,1\n")
    assert main(["census", "--synapses", str(syn), "--cells", str(cells)]) == 2
    err = capsys.readouterr().err
    assert "column 'post': data row 1 (id 9)" in err and "pass --unknown-cells drop" in err
    assert main(["census", "--synapses", str(syn), "--cells", str(cells), "--unknown-cells",
                 "drop", "--output-format", "csv"]) == 0
    assert "unknown cell synapses dropped 1" in capsys.readouterr().err


def test_info_says_which_column_held_the_synapse_counts(tmp_path, capsys):
    syn = tmp_path / "counts.csv"
    syn.write_text("pre,post,count,note\n1,2,5,a\n2,1,2,b\n")
    assert main(["info", "--synapses", str(syn)]) == 0
    out = capsys.readouterr().out
    assert "synapses                       7" in out  # 5 + 2: the count column was used
    assert "weight column detected         yes" in out
    assert "unused columns                 note" in out


def test_census_lists_the_classes_in_the_papers_order(capsys):
    assert main(["census", "--output-format", "csv"]) == 0
    table = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out), keep_default_na=False,
                        dtype={"motif": str})
    assert table["motif"].tolist()[:3] == ["N", "A", "M"]  # the MAN letters of the dyads
    # Turner et al. 2022, Fig. 5E, written out by hand.
    assert table["motif"].tolist()[3:] == [
        "003", "012", "102", "021D", "021U", "021C", "111D", "111U", "201", "030T", "030C",
        "120D", "120C", "120U", "210", "300"]


def test_run_says_how_it_scaled_the_soma_positions(tmp_path, capsys):
    syn, cells = tmp_path / "syn.csv", tmp_path / "cells.csv"
    syn.write_text("pre_pt_root_id,post_pt_root_id\n1,2\n2,3\n3,1\n")
    cells.write_text("pt_root_id,x,y,z\n1,0,0,0\n2,100,0,0\n3,0,100,10\n")
    common = ["run", "--synapses", str(syn), "--cells", str(cells), "--format", "microns-cave",
              "--position", "x,y,z", "--models", "ER", "--samples", "3"]
    assert main([*common, "--out", str(tmp_path / "a")]) == 0
    assert ("soma positions multiplied by 0.004, 0.004, 0.04 (x, y, z) into µm, as the "
            "microns-cave preset says") in capsys.readouterr().err
    summary = json.loads((tmp_path / "a" / "summary.json").read_text())
    assert summary["input"]["position_scale"] == [0.004, 0.004, 0.04]
    assert main([*common, "--position-scale", "1", "--out", str(tmp_path / "b")]) == 0
    assert "multiplied" not in capsys.readouterr().err


def test_larva_against_models_of_cell_types_names_the_unlabelled_cells(tmp_path, capsys):
    assert main(["run", "--dataset", "larva", "--compartment", "ad", "--models", "ER,SBM",
                 "--groups", "celltype", "--samples", "3", "--out", str(tmp_path),
                 "--quiet"]) == 0
    summary = json.loads((tmp_path / "summary.json").read_text())
    # The larva README: 346 neurons have no cell type; with them 18 groups.
    assert summary["notes"]["larva_ad"][0] == (
        "SBM: groups from column 'celltype': 18 groups, 346 cells with no label grouped as "
        "'(unlabelled)'")
    motifs = pd.read_csv(tmp_path / "motifs.csv")
    assert set(motifs["model"]) == {"ER", "SBM"}
    assert set(motifs["subgraph"]) == {"larva_ad"}


def test_a_model_of_groups_named_without_groups_is_an_error(tmp_path, capsys):
    assert main(["run", "--dataset", "larva", "--models", "SBM", "--samples", "3",
                 "--out", str(tmp_path), "--quiet"]) == 2
    assert "SBM needs cell groups: --groups COLUMN" in capsys.readouterr().err
