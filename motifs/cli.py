"""The ``connectome-motifs`` command line: ``info`` (and the analysis subcommands)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from graphs import GraphInputError, SynapseGraph

__all__ = ["main"]

PROG = "connectome-motifs"


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "input", "the graph to analyse (default: the bundled MICrONS pinky100 data)"
    )
    group.add_argument("--synapses", metavar="FILE",
                       help="synapse or connection table (.csv, .tsv, .txt, .parquet, .feather)")
    group.add_argument("--cells", metavar="FILE",
                       help="cell table: every cell becomes a node; ids, positions, attributes")
    group.add_argument("--format", dest="table_format", default="default", metavar="PRESET",
                       help="column preset: default, microns-cave, neuprint, flywire, edgelist, "
                            "pinky100 (default: %(default)s)")
    group.add_argument("--pre", help="column of presynaptic cell ids (overrides the preset)")
    group.add_argument("--post", help="column of postsynaptic cell ids")
    group.add_argument("--weight", help="column of synapse counts (a connection table); "
                                        "'none' for one row per synapse")
    group.add_argument("--cell-id", help="column of cell ids in the cell table")
    group.add_argument("--position", metavar="COLS",
                       help="soma position: three columns 'x,y,z' or one array/string column")
    group.add_argument("--position-scale", metavar="SX,SY,SZ",
                       help="micrometres per position unit, per axis (e.g. 0.001 for nm)")
    group.add_argument("--unknown-cells", choices=("error", "drop"), default="error",
                       help="synapses whose cell is not in --cells: fail (default) or drop them")
    group.add_argument("--subgraph", default="th100", metavar="NAME",
                       help="bundled data only: full, th0, th100 or th300 (default: %(default)s)")


def _format_overrides(args: argparse.Namespace) -> dict:
    overrides: dict = {}
    for name in ("pre", "post", "cell_id"):
        if getattr(args, name):
            overrides[name] = getattr(args, name)
    if args.weight:
        overrides["weight"] = None if args.weight.lower() == "none" else args.weight
    if args.position:
        columns = [c.strip() for c in args.position.split(",")]
        overrides["position"] = columns[0] if len(columns) == 1 else tuple(columns)
    if args.position_scale:
        try:
            scale = [float(s) for s in args.position_scale.split(",")]
        except ValueError:
            raise GraphInputError(
                f"--position-scale must be numbers, got {args.position_scale!r}"
            ) from None
        overrides["position_scale"] = tuple(scale * 3 if len(scale) == 1 else scale)
    return overrides


def load_graph(args: argparse.Namespace) -> tuple[SynapseGraph, str]:
    """Return the graph the input options describe, and a label for it."""
    from graphs.datasets import pinky100
    from graphs.readers import read_graph

    if args.synapses is None:
        if args.cells is not None:
            raise GraphInputError("--cells needs --synapses")
        return pinky100(args.subgraph), f"pinky100 {args.subgraph}"
    graph = read_graph(args.synapses, args.cells, fmt=args.table_format,
                       unknown_cells=args.unknown_cells, **_format_overrides(args))
    return graph, str(args.synapses)


def _info(args: argparse.Namespace) -> int:
    graph, label = load_graph(args)
    summary = graph.summary()
    width = max(len(k) for k in summary)
    print(f"{label}: {graph!r}")
    for key, value in summary.items():
        shown = f"{value:.6g}" if isinstance(value, float) else f"{value:,}"
        print(f"  {key.replace('_', ' '):<{width}}  {shown}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the command line."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Motif statistics and null models for synapse-resolution connectomes.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    info = commands.add_parser("info", help="load a graph and print its summary",
                               description="Load a graph and print its summary.")
    _add_input_options(info)
    info.set_defaults(handler=_info)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 on success, 2 on bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except (GraphInputError, ValueError, OSError) as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
