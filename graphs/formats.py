"""Table formats: which columns of a synapse or cell table hold what, and named presets."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

__all__ = [
    "PRESETS",
    "SYNAPSE_COUNT_NAMES",
    "TableFormat",
    "is_synapse_count_name",
    "resolve_format",
]

WHITESPACE = r"\s+"

# Column names taken for a synapse count when the format's weight column is absent, compared
# after case folding and removing every character that is not a letter or digit (so
# "syn_count", "SynCount" and "Syn Count" are all "syncount").
SYNAPSE_COUNT_NAMES: tuple[str, ...] = (
    "weight", "weights", "edgeweight", "synweight", "synapseweight",
    "count", "counts", "syncount", "synapsecount", "synapsescount",
    "nsyn", "nsyns", "nsynapse", "nsynapses", "numsyn", "numsyns", "numsynapses",
    "numberofsynapses", "synapses",
)


def is_synapse_count_name(name: object) -> bool:
    """Return whether a column name is one of :data:`SYNAPSE_COUNT_NAMES`, spelled any way.

    >>> [is_synapse_count_name(c) for c in ("count", "Syn_Count", "n_syn", "size", "pre")]
    [True, True, True, False, False]
    """
    key = "".join(ch for ch in str(name).casefold() if ch.isalnum())
    return key in SYNAPSE_COUNT_NAMES


@dataclass(frozen=True)
class TableFormat:
    """The column names and file options of a synapse table and a cell table.

    Parameters
    ----------
    pre, post : str
        Columns of the presynaptic and postsynaptic cell ids.
    weight : str or None
        Column of the synapse count of each row (a connection table). None makes every
        row one synapse (a synapse table). A named column that is absent from the file is
        an error if ``require_weight``; otherwise the reader looks for one column named like
        a synapse count (:func:`is_synapse_count_name`: ``count``, ``syn_count``, ``n_syn``,
        ``synapses``, ``Weight``, ...; not the id columns): exactly one is used, and the
        graph's report says so (``weight_column``, ``weight_column_detected``); several are
        an error naming them; none makes every row one synapse.
    require_weight : bool
        Whether an absent ``weight`` column is an error: True for exports that always list
        connections (neuPrint, FlyWire), and set by :func:`resolve_format` (so by every
        reader and the command line's ``--weight``) when ``weight`` is given as an
        override: a column named explicitly must be in the file.
    cell_id : str
        Column of the cell ids in the cell table.
    position : tuple of three str, str, or None
        Soma position in the cell table: three numeric columns (x, y, z); one column
        holding three-element arrays or strings such as ``"[314028 159940  77280]"``; or
        None for no positions. Positions are optional: if the named columns are all
        absent the graph has none.
    position_scale : tuple of three float
        Micrometres per unit of each axis: ``1`` for µm, ``0.001`` for nm, voxel size in
        µm for voxel coordinates (``(0.004, 0.004, 0.04)`` for 4 × 4 × 40 nm voxels).
    sep : str or None
        Field separator of text files; None picks it from the file name (``,`` for
        ``.csv``, tab for ``.tsv``, sniffed from the first line for ``.txt``).
        ``r"\\s+"`` means any run of whitespace. Pass it as an override (``sep=";"``,
        ``sep="\\t"``) for a file whose name says another separator; a missing column
        whose header holds another separator is reported with the ``sep`` to pass.
    header : bool
        Whether text files start with a header line of column names.
    synapse_names, cell_names : tuple of str
        Names given, in order, to the columns of headerless text files; a file may have
        fewer columns than names (an edge list without weights).
    comment : str or None
        Character that starts a comment line in text files.

    Examples
    --------
    >>> fmt = PRESETS["microns-cave"]
    >>> fmt.pre, fmt.position, fmt.position_scale
    ('pre_pt_root_id', 'pt_position', (0.004, 0.004, 0.04))
    >>> resolve_format("default", weight="syn_count").weight
    'syn_count'
    >>> resolve_format("default", weight="syn_count").require_weight  # named: must exist
    True
    """

    pre: str = "pre"
    post: str = "post"
    weight: str | None = "weight"
    require_weight: bool = False
    cell_id: str = "id"
    position: tuple[str, str, str] | str | None = ("x", "y", "z")
    position_scale: tuple[float, float, float] = (1.0, 1.0, 1.0)
    sep: str | None = None
    header: bool = True
    synapse_names: tuple[str, ...] = ("pre", "post", "weight")
    cell_names: tuple[str, ...] = ("id", "x", "y", "z")
    comment: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.position, list):
            object.__setattr__(self, "position", tuple(self.position))
        if isinstance(self.position, tuple) and len(self.position) != 3:
            raise ValueError(f"position must name 3 columns (x, y, z), got {self.position!r}")
        scale = tuple(float(s) for s in self.position_scale)
        if len(scale) != 3 or not all(math.isfinite(s) and s > 0 for s in scale):
            raise ValueError(
                f"position_scale must be 3 finite positive numbers, got {self.position_scale!r}"
            )
        object.__setattr__(self, "position_scale", scale)
        if self.require_weight and self.weight is None:
            raise ValueError("require_weight needs a weight column name")
        for name in ("synapse_names", "cell_names"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    @property
    def position_columns(self) -> tuple[str, ...]:
        """The cell-table columns that hold the position (empty if none)."""
        if self.position is None:
            return ()
        return self.position if isinstance(self.position, tuple) else (self.position,)


PRESETS: dict[str, TableFormat] = {
    # pre/post/weight synapse or connection tables, id/x/y/z (µm) cell tables.
    "default": TableFormat(),
    # CAVE materialization tables (MICrONS): synapse rows, positions in 4 x 4 x 40 nm voxels;
    # use position="ctr_pt_position" for the nucleus centre point.
    "microns-cave": TableFormat(
        pre="pre_pt_root_id",
        post="post_pt_root_id",
        weight=None,
        cell_id="pt_root_id",
        position="pt_position",
        position_scale=(0.004, 0.004, 0.04),
    ),
    # neuPrint connection exports; somaLocation in 8 nm voxels (hemibrain).
    "neuprint": TableFormat(
        pre="bodyId_pre",
        post="bodyId_post",
        weight="weight",
        require_weight=True,
        cell_id="bodyId",
        position="somaLocation",
        position_scale=(0.008, 0.008, 0.008),
    ),
    # FlyWire (Codex) connections, one row per pair and neuropil; positions assumed in
    # 4 x 4 x 40 nm voxels: set position_scale=(0.001,) * 3 for nanometres.
    "flywire": TableFormat(
        pre="pre_root_id",
        post="post_root_id",
        weight="syn_count",
        require_weight=True,
        cell_id="root_id",
        position="position",
        position_scale=(0.004, 0.004, 0.04),
    ),
    # Headerless whitespace-separated edge list: pre post [weight]; "#" starts a comment.
    "edgelist": TableFormat(sep=WHITESPACE, header=False, comment="#"),
    # The bundled MICrONS pinky100 tables: synapse rows; soma "loc" as "[x y z]" in nm.
    "pinky100": TableFormat(
        weight=None,
        cell_id="segment_id",
        position="loc",
        position_scale=(0.001, 0.001, 0.001),
    ),
}


def resolve_format(fmt: str | TableFormat = "default", **overrides: Any) -> TableFormat:
    """Return the table format named by a preset (or given), with fields overridden.

    Parameters
    ----------
    fmt : str or TableFormat
        A key of :data:`PRESETS` or a format.
    **overrides
        Fields of :class:`TableFormat` to replace, e.g. ``weight="syn_count"``. A
        ``weight`` override also sets ``require_weight`` (unless that is overridden too):
        True for a column name, which must then be in the file, False for None (one
        synapse per row, also for presets that require a count column).

    Returns
    -------
    TableFormat

    Raises
    ------
    ValueError
        If the preset or a field name is unknown, or the overridden format is invalid.

    Examples
    --------
    >>> resolve_format("pinky100").cell_id
    'segment_id'
    >>> resolve_format("neuprint", weight=None).require_weight
    False
    """
    if isinstance(fmt, str):
        if fmt not in PRESETS:
            raise ValueError(f"unknown table format {fmt!r}; presets: {', '.join(PRESETS)}")
        fmt = PRESETS[fmt]
    elif not isinstance(fmt, TableFormat):
        raise TypeError(f"fmt must be a preset name or a TableFormat, got {type(fmt).__name__}")
    fields = {f.name for f in dataclasses.fields(TableFormat)}
    unknown = sorted(set(overrides) - fields)
    if unknown:
        raise ValueError(f"unknown format field(s) {unknown}; fields: {sorted(fields)}")
    if "weight" in overrides and "require_weight" not in overrides:
        overrides = {**overrides, "require_weight": overrides["weight"] is not None}
    return dataclasses.replace(fmt, **overrides) if overrides else fmt
