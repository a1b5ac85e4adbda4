"""Saving figures: PNG and SVG side by side, atomically, byte-identical on every save."""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure
from matplotlib.layout_engine import PlaceHolderLayoutEngine

from connectome_motifs.graphs.files import atomic_write

__all__ = ["save_figure"]

PNG_DPI = 200
# A fixed salt makes the ids of clip paths and glyphs in SVG files the same on every save.
SVG_SALT = "connectome-motifs"


def save_figure(fig: Figure, stem: str | Path) -> list[Path]:
    """Return the paths of ``stem.png`` and ``stem.svg`` after writing ``fig`` to both.

    Each file is written to a temporary name in the same folder and then moved into
    place with :func:`os.replace`, so a reader never sees a half-written file and a
    failed save leaves nothing behind. The folder is created if needed.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    stem : str or pathlib.Path
        Path without the extension; ``".png"`` and ``".svg"`` are appended (so dots in
        the name are kept).

    Returns
    -------
    list of pathlib.Path
        ``[stem.png, stem.svg]``.

    Notes
    -----
    The PNG is rendered at 200 dpi without the ``Software`` entry; the SVG without a date
    and with a fixed hash salt for its element ids, so saving the same figure twice gives
    identical files. The salt is set through matplotlib's ``rcParams`` for the duration
    of the SVG save (matplotlib reads it from there only). A figure with a layout engine
    (such as the constrained layout of this module's figures) is laid out once and its
    layout then frozen (engine set to ``"none"``): every later save, and both formats,
    use the same geometry.

    Examples
    --------
    >>> import tempfile
    >>> fig = Figure()
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [p.name for p in save_figure(fig, Path(folder) / "empty")]
    ['empty.png', 'empty.svg']
    """
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    engine = fig.get_layout_engine()
    if engine is not None and not isinstance(engine, PlaceHolderLayoutEngine):
        # Each layout pass starts from the positions of the last one and moves them by
        # rounding noise, which changes the SVG's clip-path ids: lay out once, then freeze.
        fig.draw_without_rendering()
        fig.set_layout_engine("none")
    png = stem.with_name(stem.name + ".png")
    svg = stem.with_name(stem.name + ".svg")
    atomic_write(png, lambda p: fig.savefig(p, format="png", dpi=PNG_DPI,
                                            metadata={"Software": None}))
    with mpl.rc_context({"svg.hashsalt": SVG_SALT}):
        atomic_write(svg, lambda p: fig.savefig(p, format="svg", metadata={"Date": None}))
    return [png, svg]
