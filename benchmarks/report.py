"""Benchmark outputs: a Markdown report, a CSV of every record, a log-log plot, machine info."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from benchmarks.measure import dumps
from benchmarks.registry import OURS

__all__ = ["goals", "markdown", "write_outputs"]

_NOTES = [
    "Ratios are peer time / our time for the same work in the same run (> 1: ours is "
    "faster); `est.` marks a peer timed on part of the work (an induced subgraph, or fewer "
    "swaps / samples) and extrapolated, as its note says; its check ran on that part.",
    "Every measurement ran in a fresh process; the first (warm-up) call is excluded and "
    "numba compile time is reported apart (suite `jit`, empty NUMBA_CACHE_DIR). Peak MiB "
    "is the resident-memory peak of the first timed run above the memory before it.",
    "Our kernels use the stated threads; igraph and networkx use one; NetworKit the "
    "stated threads.",
]


def _seconds(value: float | None, extrapolated: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{value:.3g}" if value >= 1e-3 else f"{value:.2e}"
    return text + (" est." if extrapolated else "")


def _check(value: Any) -> str:
    return {True: "pass", False: "FAIL"}.get(value, "")


def _family(graph: str) -> str:
    return graph.split("_")[0]


def goals(records: list[dict[str, Any]]) -> list[str]:
    """Return one line per goal of the census and null-model issues that the records cover."""
    def find(suite: str, task: str, graph: str, tool: str) -> dict[str, Any] | None:
        for r in records:
            if (r["suite"], r["task"], r["graph"], r["tool"]) == (suite, task, graph, tool):
                return r
        return None

    lines = []
    for graph in ("er_10k_200k", "lognormal_100k_3M"):
        r = find("triad", "triad census", graph, "igraph")
        if r is not None and r.get("ratio"):
            est = " (igraph time extrapolated)" if r["extrapolated"] else ""
            lines.append(f"Triad census >= 50x igraph on {graph}: {r['ratio']:.1f}x{est} -> "
                         f"{'met' if r['ratio'] >= 50 else 'missed'}")
    worst = None
    for r in records:
        if r["task"] == "participation" and r["seconds"]:
            census = find("triad", "triad census", r["graph"], OURS)
            if census is not None and census["seconds"]:
                ratio = r["seconds"] / census["seconds"]
                if worst is None or ratio > worst[0]:
                    worst = (ratio, r["graph"])
    if worst is not None:
        lines.append(f"Participation within 3x of the census: worst {worst[0]:.2f}x on "
                     f"{worst[1]} -> {'met' if worst[0] <= 3 else 'missed'}")
    for r in records:
        if r["suite"] == "swaps" and r["tool"] == "igraph" and r["m"] >= 1_000_000 and r["ratio"]:
            lines.append(f"Swaps >= 10x igraph rewire per attempt on {r['graph']} "
                         f"({r['m']:,} edges): {r['ratio']:.1f}x -> "
                         f"{'met' if r['ratio'] >= 10 else 'missed'}")
    for graph, limit in (("pinky_th100", 1.0), ("pinky_full", 3.0)):
        r = find("ensemble", "CFG x triad census", graph, OURS)
        if r is not None and r["work"] == 1000 and r["seconds"]:
            lines.append(f"1,000 CFG samples + triad census on {graph} < {limit:g} s: "
                         f"{r['seconds']:.2f} s -> {'met' if r['seconds'] < limit else 'missed'}")
    for graph in ("er_10k_200k", "lognormal_10k_200k"):
        r = find("quad", "4-cell census", graph, "igraph motifs_randesu")
        if r is not None and r.get("ratio"):
            est = " (igraph time extrapolated)" if r["extrapolated"] else ""
            lines.append(f"4-cell census >= 20x igraph motifs_randesu(4) on {graph}: "
                         f"{r['ratio']:.1f}x{est} -> {'met' if r['ratio'] >= 20 else 'missed'}")
    r = find("quad", "4-cell census", "lognormal_128k_2600k", OURS)
    if r is not None and r["seconds"]:
        lines.append(f"4-cell census at FlyWire size (lognormal_128k_2600k) < 10 min: "
                     f"{r['seconds']:.1f} s -> {'met' if r['seconds'] < 600 else 'missed'}")
    for r in records:
        if r["suite"] == "simplex" and r["tool"] == "pyflagser" and r.get("ratio"):
            lines.append(f"Simplex counts at least as fast as pyflagser on {r['graph']}: "
                         f"{r['ratio']:.1f}x -> {'met' if r['ratio'] >= 1 else 'missed'}")
    for r in records:
        if r["suite"] == "load" and r["tool"] == OURS and r.get("bytes_per_edge") is not None \
                and r["m"] >= 1_000_000 and r["task"] == "Parquet -> graph":
            peak = "" if r["peak_mib"] is None else f"; peak {r['peak_mib']:.0f} MiB loading"
            lines.append(f"Graph memory <= ~20 B/edge + node table on {r['graph']}: "
                         f"{r['bytes_per_edge']:.1f} B/edge with the node table{peak} "
                         f"-> {'met' if r['bytes_per_edge'] <= 20 else 'missed'}")
    return lines


def _ratio_table(frame: pd.DataFrame) -> list[str]:
    frame = frame[frame["suite"] != "jit"]
    peers = [t for t in dict.fromkeys(frame["tool"]) if t != OURS]
    header = ["suite", "task", "graph", "n", "m", "ours (s)", *peers]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for (suite, task, graph), group in frame.groupby(["suite", "task", "graph"], sort=False):
        ours = group[group["tool"] == OURS]
        if ours.empty or len(group) < 2:
            continue
        cells = [suite, task, graph, f"{int(ours['n'].iloc[0]):,}", f"{int(ours['m'].iloc[0]):,}",
                 _seconds(ours["seconds"].iloc[0])]
        for peer in peers:
            row = group[group["tool"] == peer]
            if row.empty:
                cells.append("")
                continue
            r = row.iloc[0]
            est = " est." if r["extrapolated"] else ""
            cells.append(f"{r['ratio']:.1f}x{est}" if pd.notna(r["ratio"]) else
                         f"({_seconds(r['seconds'], r['extrapolated'])} s)")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _full_table(frame: pd.DataFrame) -> list[str]:
    header = ["suite", "task", "graph", "tool", "median s", "range s", "runs", "peak MiB",
              "check", "peer/ours", "note"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in frame.to_dict("records"):
        spread = ("" if pd.isna(r["seconds_min"]) else
                  f"{_seconds(r['seconds_min'])}–{_seconds(r['seconds_max'])}")
        cells = [r["suite"], r["task"], r["graph"], r["tool"],
                 _seconds(r["seconds"], r["extrapolated"]), spread, str(r["runs"]),
                 "" if pd.isna(r["peak_mib"]) else f"{r['peak_mib']:.1f}", _check(r["check"]),
                 "" if pd.isna(r["ratio"]) else f"{r['ratio']:.1f}x",
                 " ".join(str(x) for x in (r["note"], r["check_detail"]) if x)]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return lines


def markdown(records: list[dict[str, Any]], machine: dict[str, Any]) -> str:
    """Return the Markdown report: machine, ratio table, goals, every measurement, notes."""
    frame = pd.DataFrame(records)
    versions = ", ".join(f"{k} {v}" for k, v in machine.get("versions", {}).items() if v)
    load = machine.get("load_average")
    after = machine.get("load_average_after")
    parts = [
        "# connectome-motifs benchmarks", "",
        f"- Machine: {machine.get('cpu')}, {machine.get('cores')} cores, "
        f"{machine.get('memory_gib')} GiB; {machine.get('os')}; Python {machine.get('python')}",
        f"- Versions: {versions}",
        f"- Threads: {machine.get('threads')}; load average before {load}, after {after}; "
        f"wall time {machine.get('wall_seconds')} s; commit {machine.get('commit')}; "
        f"{machine.get('date')}",
        f"- Command: `{machine.get('command')}`", "",
        "## Peer time / our time", "", *_ratio_table(frame), "",
        "## Goals", "", *[f"- {line}" for line in goals(records)], "",
        "## Every measurement", "", *_full_table(frame), "",
        "## Notes", "", *[f"- {line}" for line in _NOTES],
    ]
    for module, error in machine.get("unavailable_suite_modules", {}).items():
        parts.append(f"- Suite module `{module}` could not be imported: {error}")
    return "\n".join(parts) + "\n"


def _plot(frame: pd.DataFrame, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    frame = frame[(frame["suite"] != "jit") & frame["seconds"].notna() & frame["m"].notna()]
    panels = list(dict.fromkeys(zip(frame["suite"], frame["task"], strict=True)))
    columns = min(3, max(len(panels), 1))
    rows = max(math.ceil(len(panels) / columns), 1)
    fig, axes = plt.subplots(rows, columns, figsize=(5 * columns, 4 * rows), squeeze=False)
    tools = list(dict.fromkeys(frame["tool"]))
    colours = {t: f"C{k % 10}" for k, t in enumerate(tools)}
    markers = {"pinky": "o", "er": "s", "lognormal": "^", "spatial": "D"}
    for ax, (suite, task) in zip(axes.flat, panels, strict=False):
        panel = frame[(frame["suite"] == suite) & (frame["task"] == task)]
        for (tool, family), group in panel.groupby(
                ["tool", panel["graph"].map(_family)], sort=False):
            group = group.sort_values("m")
            marker = markers.get(family, "x")
            ax.plot(group["m"], group["seconds"], color=colours[tool], linewidth=1,
                    label=tool if family == _family(panel["graph"].iloc[0]) else None)
            for _, r in group.iterrows():
                ax.plot(r["m"], r["seconds"], marker=marker, color=colours[tool],
                        markerfacecolor="none" if r["extrapolated"] else colours[tool])
        ax.set(xscale="log", yscale="log", title=f"{suite}: {task}", xlabel="edges m",
               ylabel="seconds")
        handles, labels = ax.get_legend_handles_labels()
        unique = dict(zip(labels, handles, strict=True))
        ax.legend(unique.values(), unique.keys(), fontsize=7)
    for ax in list(axes.flat)[len(panels):]:
        ax.axis("off")
    fig.suptitle("time vs graph size (markers: o pinky, s ER, ^ lognormal, D spatial; "
                 "hollow = extrapolated)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_outputs(records: list[dict[str, Any]], machine: dict[str, Any],
                  folder: Path) -> dict[str, Path]:
    """Write ``results.md``, ``results.csv``, ``results.png`` and ``machine.json``; return paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"markdown": folder / "results.md", "csv": folder / "results.csv",
             "plot": folder / "results.png", "machine": folder / "machine.json"}
    frame = pd.DataFrame(records)
    frame.to_csv(paths["csv"], index=False)
    paths["markdown"].write_text(markdown(records, machine))
    _plot(frame, paths["plot"])
    paths["machine"].write_text(dumps(machine))
    return paths
