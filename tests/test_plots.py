"""Tests of the figures: structure, plotted values read back from the artists, saving."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from connectome_motifs import motifs
from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.graphs.datasets import pinky100
from connectome_motifs.motifs import plots
from connectome_motifs.motifs.expected import expected_dyad_census, expected_triad_census
from connectome_motifs.motifs.profile import MotifStatistics
from connectome_motifs.nullmodels import MODELS, ProximityModel, ensemble

# Turner et al. 2022 number the triad classes in this order (Fig. 5E), written out by hand.
PAPER_ORDER = ["003", "012", "102", "021D", "021U", "021C", "111D", "111U", "201", "030T",
               "030C", "120D", "120C", "120U", "210", "300"]
N_SAMPLES = 60


@pytest.fixture(scope="module")
def pinky():
    return pinky100("th100")


@pytest.fixture(scope="module")
def triad_inputs(pinky):
    er = MODELS["ER"]().fit(pinky)
    samples = {
        name: ensemble(MODELS[name]().fit(pinky), motifs.triad_census, N_SAMPLES, seed=5,
                       progress=False, executor=1).samples
        for name in ("CFG", "PM")
    }
    return {
        "observed": motifs.triad_census(pinky),
        "reference": expected_triad_census(er),
        "samples": samples,
        "expected": {"gER": expected_triad_census(MODELS["gER"]().fit(pinky))},
    }


@pytest.fixture(scope="module")
def triad_figure(triad_inputs):
    return plots.plot_motif_ratios(**triad_inputs)


def _axes(fig: Figure, label: str):
    matches = [ax for ax in fig.axes if ax.get_label() == label]
    assert len(matches) == 1, [ax.get_label() for ax in fig.axes]
    return matches[0]


def _line(ax, gid: str):
    matches = [line for line in ax.get_lines() if line.get_gid() == gid]
    assert len(matches) == 1, [line.get_gid() for line in ax.get_lines()]
    return matches[0]


def _tick_labels(ax) -> dict[float, str]:
    locations = ax.yaxis.get_majorticklocs()
    return dict(zip(locations, ax.yaxis.get_major_formatter().format_ticks(locations),
                    strict=True))


def _floor_tick(ax) -> float:
    """Return the y of the major tick labelled "0" (the band standing for zero counts)."""
    zero = [y for y, text in _tick_labels(ax).items() if text == "0"]
    assert len(zero) == 1
    return zero[0]


# ---------------------------------------------------------------------------------------
# Colours


def test_known_models_keep_their_colours_and_unknown_ones_get_distinct_others():
    names = ["PM", "model A", "CFG", "model B", "model C"]
    colours = plots.model_colours(names)
    assert colours["PM"] == plots.MODEL_COLOURS["PM"]
    assert colours["CFG"] == plots.MODEL_COLOURS["CFG"]
    assert len(set(colours.values())) == len(names)
    assert not {colours["model A"], colours["model B"]} & set(plots.MODEL_COLOURS.values())
    assert plots.model_colours(names) == colours
    assert set(plots.MODEL_COLOURS) == {"ER", "gER", "CFG", "gCFG", "PM"}
    assert len(set(plots.MODEL_COLOURS.values())) == 5


# ---------------------------------------------------------------------------------------
# Motif ratios


def test_triad_classes_are_labelled_and_drawn_in_the_paper_order(triad_figure):
    strip = _axes(triad_figure, "pictograms")
    labels = [t.get_text() for t in strip.get_xticklabels()]
    assert [int(label.split("\n")[0]) for label in labels] == list(range(1, 17))
    assert [label.split("\n")[1] for label in labels] == PAPER_ORDER
    for number, label in zip(range(1, 17), labels, strict=True):
        assert motifs.catalogue.triad_by_paper_number(number).name == label.split("\n")[1]
    insets = strip.child_axes
    assert [ax.get_label() for ax in insets] == [f"pictogram:{code}" for code in PAPER_ORDER]
    for ax, code in zip(insets, PAPER_ORDER, strict=True):
        # The MAN digits give the edges: two per mutual pair, one per asymmetric pair.
        assert len(ax.patches) == 2 * int(code[0]) + int(code[1])
        assert len(ax.get_lines()[0].get_xdata()) == 3
    ax = _axes(triad_figure, "ratios")
    np.testing.assert_array_equal(ax.get_xticks(), np.arange(16))
    assert ax.get_yscale() == "log"
    assert "ER" in ax.get_ylabel()
    assert "MAN" in strip.get_xlabel()
    assert triad_figure.get_suptitle()


def test_observed_markers_sit_at_observed_over_er(triad_figure, triad_inputs):
    ax = _axes(triad_figure, "ratios")
    observed = _line(ax, "observed")
    x, y = np.asarray(observed.get_xdata()), np.asarray(observed.get_ydata())
    assert np.all(np.diff(x) > 0) and np.array_equal(np.round(x), np.arange(16))
    census, er = triad_inputs["observed"], triad_inputs["reference"]
    ratios = np.array([census[c] / er[c] for c in PAPER_ORDER])
    positive = ratios > 0
    np.testing.assert_allclose(y[positive], ratios[positive], rtol=1e-12)
    # pinky100 th100 has no 300 triad (counted in the census test): it is drawn at the floor.
    assert census["300"] == 0
    assert y[PAPER_ORDER.index("300")] == pytest.approx(_floor_tick(ax))
    assert _floor_tick(ax) < ratios[positive].min() / 5


def test_boxes_and_exact_marks_hold_every_class_with_zeros_at_the_floor(triad_figure,
                                                                           triad_inputs):
    ax = _axes(triad_figure, "ratios")
    floor = _floor_tick(ax)
    er = triad_inputs["reference"]
    for model, samples in triad_inputs["samples"].items():
        boxes = [p for p in ax.patches if p.get_gid() == f"box:{model}"]
        medians = [line for line in ax.get_lines() if line.get_gid() == f"median:{model}"]
        assert len(boxes) == len(medians) == 16
        assert to_hex(boxes[0].get_edgecolor()) == plots.MODEL_COLOURS[model].lower()
        for line, code in zip(medians, PAPER_ORDER, strict=True):
            median = np.median(samples[code].to_numpy() / er[code])
            assert line.get_ydata()[0] == pytest.approx(median if median > 0 else floor)
    marks = [c for c in ax.collections if c.get_gid() == "expected:gER"]
    assert len(marks) == 1
    heights = [segment[0, 1] for segment in marks[0].get_segments()]
    gER = triad_inputs["expected"]["gER"]
    np.testing.assert_allclose(heights, [gER[c] / er[c] for c in PAPER_ORDER], rtol=1e-12)


def test_legend_names_every_model_and_the_observed_graph(triad_figure):
    legend = _axes(triad_figure, "legend").get_legend()
    texts = [t.get_text() for t in legend.get_texts()]
    for name in ("observed", f"CFG ({N_SAMPLES} samples)", f"PM ({N_SAMPLES} samples)",
                 "gER (exact expectation)", "count 0"):
        assert name in texts


def test_zero_samples_are_drawn_at_the_floor_not_dropped():
    # Hand-made counts: model "Z" never shows a reciprocal pair, one sample of "Y" does not.
    names = ["null", "asymmetric", "mutual"]
    observed = pd.Series([80, 16, 4], index=names)
    er = pd.Series([81.0, 18.0, 1.0], index=names)
    z = pd.DataFrame([[82, 18, 0]] * 5, columns=names)
    y = pd.DataFrame([[80, 16, 4], [80, 20, 0], [81, 17, 2]], columns=names)
    fig = plots.plot_motif_ratios(observed, er, {"Z": z, "Y": y}, kind="dyad")
    ax = _axes(fig, "ratios")
    floor = _floor_tick(ax)
    # The smallest positive ratio is 16/18, in the decade [0.1, 1): the floor is 0.01.
    assert floor == pytest.approx(0.01)
    z_medians = [line.get_ydata()[0] for line in ax.get_lines() if line.get_gid() == "median:Z"]
    np.testing.assert_allclose(z_medians, [82 / 81, 1.0, floor])
    # Whiskers span all samples: the lower one of "Y" reaches the floor for reciprocal pairs.
    y_whiskers = [line.get_ydata() for line in ax.get_lines() if line.get_gid() == "whisker:Y"]
    assert len(y_whiskers) == 6
    assert min(y_whiskers[4]) == pytest.approx(floor)
    assert max(y_whiskers[5]) == pytest.approx(4.0)
    strip = _axes(fig, "pictograms")
    assert [t.get_text().split("\n")[0] for t in strip.get_xticklabels()] == [
        "unconnected", "one-way", "reciprocal"]


def test_without_zeros_there_is_no_zero_band(pinky):
    observed = motifs.dyad_census(pinky)
    er = expected_dyad_census(MODELS["ER"]().fit(pinky))
    fig = plots.plot_motif_ratios(observed, er, {}, {"gER": expected_dyad_census(
        MODELS["gER"]().fit(pinky))}, kind="dyad")
    ax = _axes(fig, "ratios")
    assert "1" in _tick_labels(ax).values()
    assert "0" not in _tick_labels(ax).values()
    y = _line(ax, "observed").get_ydata()
    np.testing.assert_allclose(y, (observed / er).to_numpy(), rtol=1e-12)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: {**a, "reference": a["reference"].drop("300")}, "300"),
        (lambda a: {**a, "reference": a["reference"].where(a["reference"].index != "012",
                                                                0.0)}, "positive"),
        (lambda a: {**a, "observed": a["observed"] * -1}, "non-negative"),
        (lambda a: {**a, "samples": {}, "expected": {}}, "at least one model"),
        (lambda a: {**a, "kind": "tetrad"}, "kind"),
    ],
)
def test_bad_inputs_are_refused(triad_inputs, change, message):
    with pytest.raises(ValueError, match=message):
        plots.plot_motif_ratios(**change(triad_inputs))


# ---------------------------------------------------------------------------------------
# Degree distributions


def test_degree_distributions_show_the_observed_and_sampled_ccdf(pinky):
    er = MODELS["ER"]().fit(pinky)
    statistic = MotifStatistics(max_common=2, degrees=np.arange(40))
    samples = {"ER": ensemble(er, statistic, N_SAMPLES, seed=3, progress=False).samples,
               "copy": pd.DataFrame([statistic(pinky), statistic(pinky)])}
    er_graphs = er.sample_many(N_SAMPLES, seed=3)  # the graphs of the ensemble
    fig = plots.plot_degree_distributions(pinky, samples)
    for label, degrees in (("in-degree", pinky.in_degree), ("out-degree", pinky.out_degree)):
        ax = _axes(fig, label)
        assert ax.get_yscale() == "log"
        assert label.split("-")[0].capitalize() in ax.get_xlabel()
        observed = _line(ax, "observed")
        k = np.asarray(observed.get_xdata())
        assert k.tolist() == list(range(degrees.max() + 1))
        expected = [np.mean(degrees >= j) for j in k]
        np.testing.assert_allclose(observed.get_ydata(), expected)
        # Samples that are the observed graph itself have its distribution as median, up
        # to the first degree no node reaches.
        copy = _line(ax, "median:copy")
        assert np.asarray(copy.get_xdata()).tolist() == [*k.tolist(), k[-1] + 1]
        np.testing.assert_allclose(copy.get_ydata(), [*expected, 0.0])
        er_median = _line(ax, "median:ER")
        assert er_median.get_color() == plots.MODEL_COLOURS["ER"]
        shown = np.asarray(er_median.get_xdata())
        per_sample = np.array([[np.mean(getattr(s, label.replace("-", "_")) >= j)
                                for j in shown] for s in er_graphs])
        np.testing.assert_allclose(er_median.get_ydata(), np.median(per_sample, axis=0))
        assert per_sample[:, -1].max() == 0 < per_sample[:, -2].max()
        assert [c.get_gid() for c in ax.collections] == ["band:ER", "band:copy"]
    texts = [t.get_text() for t in _axes(fig, "legend").get_legend().get_texts()]
    assert texts[0] == "observed" and any(t.startswith("ER") for t in texts)


def test_degree_samples_without_degrees_are_refused(pinky):
    no_degrees = pd.DataFrame([MotifStatistics(max_common=1)(pinky)])
    with pytest.raises(ValueError, match="in_degree"):
        plots.plot_degree_distributions(pinky, {"ER": no_degrees})
    none = pd.DataFrame([MotifStatistics(max_common=1, degrees=[0, 1])(pinky)]).iloc[:0]
    with pytest.raises(ValueError, match="no samples"):
        plots.plot_degree_distributions(pinky, {"ER": none})


# ---------------------------------------------------------------------------------------
# Distance dependence


def test_distance_bins_match_a_direct_count(pinky):
    model = ProximityModel().fit(pinky)
    fig = plots.plot_distance_dependence(pinky, model, bin_width=20.0)
    ax, bars = _axes(fig, "probability"), _axes(fig, "pairs")
    assert "µm" in bars.get_xlabel() and "probability" in ax.get_ylabel().lower()
    # Direct count over the ordered pairs from the positions and the edge list.
    positions = pinky.positions
    distance = np.sqrt(((positions[:, None, :] - positions[None, :, :]) ** 2).sum(axis=2))
    adjacency = np.zeros((pinky.n, pinky.n), dtype=bool)
    pre, post = pinky.edges()
    adjacency[pre, post] = True
    off_diagonal = ~np.eye(pinky.n, dtype=bool)
    n_bins = int(np.ceil(distance.max() / 20.0))
    pairs, connected = [], []
    for b in range(n_bins):
        inside = (distance >= 20.0 * b) & off_diagonal
        inside &= (distance <= 20.0 * (b + 1)) if b == n_bins - 1 else (distance < 20.0 * (b + 1))
        pairs.append(inside.sum())
        connected.append(adjacency[inside].sum())
    pairs, connected = np.array(pairs), np.array(connected)
    assert pairs.sum() == pinky.n * (pinky.n - 1)
    assert connected.sum() == pinky.n_edges
    heights = [p.get_height() for p in bars.patches if p.get_gid() == "pairs"]
    np.testing.assert_array_equal(heights, pairs)
    observed = _line(ax, "observed")
    has = pairs > 0
    np.testing.assert_allclose(observed.get_xdata(), (20.0 * np.arange(n_bins) + 10.0)[has])
    fraction = connected[has] / pairs[has]
    np.testing.assert_allclose(observed.get_ydata(), fraction, rtol=1e-12)
    # Wilson score interval by its formula, z = 1.96 (two-sided 95%).
    z = 1.959963984540054
    n = pairs[has]
    centre = (fraction + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * np.sqrt(fraction * (1 - fraction) / n + z**2 / (4 * n**2))
    # Intervals are drawn for the bins of at least 50 ordered pairs only.
    drawn = n >= 50
    assert 0 < drawn.sum() < drawn.size
    centre, half = centre[drawn], half[drawn]
    intervals = next(c for c in ax.collections if c.get_gid() == "interval")
    ends = np.array([sorted(s[:, 1]) for s in intervals.get_segments()])
    np.testing.assert_allclose(ends, np.column_stack([centre - half, centre + half]), atol=1e-9)
    fit = _line(ax, "fit")
    np.testing.assert_allclose(fit.get_ydata(),
                               model.connection_probability(fit.get_xdata()), equal_nan=True)
    assert "±10 µm" in fit.get_label()


def test_distance_plot_refuses_a_model_of_another_graph(pinky):
    nodes = pd.DataFrame({"id": [0, 1, 2], "x": [0.0, 5.0, 50.0], "y": 0.0, "z": 0.0})
    small = SynapseGraph.from_edges([0], [1], nodes=nodes)
    with pytest.raises(ValueError, match="fitted to a graph of 3 nodes"):
        plots.plot_distance_dependence(pinky, ProximityModel().fit(small))
    with pytest.raises(ValueError, match="bin_width"):
        plots.plot_distance_dependence(small, ProximityModel().fit(small), bin_width=0.0)


# ---------------------------------------------------------------------------------------
# Saving


def test_save_figure_writes_png_and_identical_svg_without_leftovers(tmp_path, triad_figure):
    first = plots.save_figure(triad_figure, tmp_path / "out" / "fig.5e")
    assert first == [tmp_path / "out" / "fig.5e.png", tmp_path / "out" / "fig.5e.svg"]
    assert first[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = first[1].read_bytes()
    assert svg.lstrip().startswith(b"<?xml") and b"</svg>" in svg
    assert b"Software" not in first[0].read_bytes()
    second = plots.save_figure(triad_figure, tmp_path / "out" / "fig.5e")
    assert second[1].read_bytes() == svg
    assert second[0].read_bytes() == first[0].read_bytes()
    assert sorted(os.listdir(tmp_path / "out")) == ["fig.5e.png", "fig.5e.svg"]


def test_failed_save_leaves_no_file(tmp_path, monkeypatch):
    fig = Figure()
    fig.add_subplot().plot([0, 1], [1, 0])

    def broken(target, **kwargs):
        with open(target, "wb") as handle:
            handle.write(b"half a file")
        raise RuntimeError("disk full")

    monkeypatch.setattr(fig, "savefig", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        plots.save_figure(fig, tmp_path / "fig")
    assert os.listdir(tmp_path) == []



# ---------------------------------------------------------------------------------------
# What a reader of the figures sees


def test_cfg_and_gcfg_colours_are_far_apart():
    from matplotlib.colors import to_rgb

    cfg, gcfg = (np.array(to_rgb(plots.MODEL_COLOURS[m])) for m in ("CFG", "gCFG"))
    # Blue against orange in Okabe & Ito's palette: far apart in every channel but green.
    assert np.abs(cfg - gcfg).max() > 0.8
    assert len(set(plots.MODEL_COLOURS.values())) == len(plots.MODEL_COLOURS)


def test_rare_classes_do_not_stretch_the_ratio_axis(triad_inputs):
    # ER expects 0.005 triads of class 300 on th100, so a sample with one of them has a ratio
    # of about 200; the axis is set by the quartiles and the observed counts instead.
    er = triad_inputs["reference"]
    cfg = triad_inputs["samples"]["CFG"].copy()
    cfg.loc[cfg.index[0], "300"] = 1
    assert (cfg / er).max().max() > 100
    fig = plots.plot_motif_ratios(**{**triad_inputs,
                                     "samples": {**triad_inputs["samples"], "CFG": cfg}})
    assert _axes(fig, "ratios").get_ylim()[1] < 50


def test_boxes_whose_median_is_zero_stay_in_the_zero_band(triad_figure, triad_inputs):
    ax = _axes(triad_figure, "ratios")
    floor = _floor_tick(ax)
    for model, samples in triad_inputs["samples"].items():
        boxes = [p for p in ax.patches if p.get_gid() == f"box:{model}"]
        for box, code in zip(boxes, PAPER_ORDER, strict=True):
            heights = box.get_path().vertices[:, 1]
            if np.median(samples[code]) == 0:
                np.testing.assert_allclose(heights, floor)  # flat, at the zero band
            else:
                assert heights.min() > floor * 3  # above the break, never across it


def test_significant_classes_are_marked(triad_inputs):
    fig = plots.plot_motif_ratios(**triad_inputs, significant={"PM": ["030T", "021D"]})
    ax = _axes(fig, "ratios")
    marks = sorted(t.get_gid() for t in ax.texts if str(t.get_gid()).startswith("significant"))
    assert marks == ["significant:PM:021D", "significant:PM:030T"]
    legend = [t.get_text() for t in _axes(fig, "legend").get_legend().get_texts()]
    assert "observed differs significantly" in legend


def test_titles_and_legends_fit_their_figures(pinky, triad_inputs):
    # The title a run gives it (the report's), once clipped on both sides.
    title = "Connection probability vs soma distance — th100 (111 cells, 659 connections)"
    fig = plots.plot_distance_dependence(pinky, ProximityModel().fit(pinky), title=title)
    fig.draw_without_rendering()
    box = fig._suptitle.get_window_extent()
    assert 0 <= box.x0 and box.x1 <= fig.bbox.width  # not clipped on either side
    names = ["null", "asymmetric", "mutual"]
    dyads = plots.plot_motif_ratios(
        pd.Series([90, 8, 2], index=names), pd.Series([90.0, 9.0, 1.0], index=names),
        {m: pd.DataFrame([[91, 8, 1], [92, 7, 1]], columns=names)
         for m in ("ER", "gER", "CFG", "gCFG", "PM")}, kind="dyad")
    dyads.draw_without_rendering()
    legend = _axes(dyads, "legend").get_legend().get_window_extent()
    assert legend.height < 0.3 * dyads.bbox.height
