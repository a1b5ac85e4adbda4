"""Pictograms of the motif classes: the nodes and arrows of each dyad or triad class."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.patches import FancyArrowPatch

from connectome_motifs.motifs.catalogue import DYADS, TRIADS
from connectome_motifs.motifs.quad_catalogue import NAMED_QUADS, QUAD_LAYOUT, QUADS

__all__ = ["MotifClass", "draw_pictogram", "motif_classes"]


@dataclass(frozen=True)
class MotifClass:
    """A class as drawn: its key, its axis label, its edges and its number of nodes."""

    key: str
    label: str
    edges: tuple[tuple[int, int], ...]
    n_nodes: int


def motif_classes(kind: str) -> list[MotifClass]:
    """Return the classes of ``"triad"`` (in the paper's order), ``"dyad"`` or ``"quad"``.

    Quads come in isoclass order, keyed by the isoclass as a string and labelled with it
    and their name in the literature, if any; a named class is drawn as its member in
    :data:`~connectome_motifs.motifs.quad_catalogue.NAMED_QUADS`.
    """
    if kind == "quad":
        return [MotifClass(str(q.isoclass), f"{q.isoclass}" + (f"\n{q.name}" if q.name else ""),
                           NAMED_QUADS.get(q.name, q.edges), 4) for q in QUADS]
    if kind == "triad":
        return [
            MotifClass(t.name, f"{t.paper_number}\n{t.name}", t.edges, 3)
            for t in sorted(TRIADS, key=lambda t: t.paper_number)
        ]
    if kind == "dyad":
        return [MotifClass(d.name, f"{d.paper_term}\n({d.name})", d.edges, 2) for d in DYADS]
    raise ValueError(f"kind must be 'triad', 'dyad' or 'quad', not {kind!r}")



def draw_pictogram(ax, motif: MotifClass) -> None:
    """Draw the nodes and edges of a motif class on an empty axes."""
    if motif.n_nodes == 4:
        nodes = np.array(QUAD_LAYOUT)
        ax.set_xlim(-0.25, 1.25)
        ax.set_ylim(-0.25, 1.25)
    elif motif.n_nodes == 3:
        nodes = np.array([[0.0, 0.0], [0.5, np.sqrt(3) / 2], [1.0, 0.0]])
        ax.set_xlim(-0.22, 1.22)
        ax.set_ylim(-0.18, 1.04)
    else:
        nodes = np.array([[0.0, 0.0], [1.0, 0.0]])
        ax.set_xlim(-0.25, 1.25)
        ax.set_ylim(-0.35, 0.35)
    ax.set_aspect("equal")
    ax.set_axis_off()
    edges = set(motif.edges)
    for u, v in motif.edges:
        # A reciprocal pair is two arcs bowing to opposite sides, so both arrows show.
        bend = 0.35 if (v, u) in edges else 0.0
        ax.add_patch(
            FancyArrowPatch(
                nodes[u], nodes[v], arrowstyle="-|>", mutation_scale=6.0, linewidth=0.8,
                color="#333333", shrinkA=2.8, shrinkB=2.8, connectionstyle=f"arc3,rad={bend}",
            )
        )
    ax.plot(nodes[:, 0], nodes[:, 1], "o", color="black", markersize=3.2, zorder=3)

