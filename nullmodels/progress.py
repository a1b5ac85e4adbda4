"""How long work shows its progress: a bar on a terminal, a line every few seconds in a log."""

from __future__ import annotations

import sys
import time
from typing import IO, Literal

from tqdm import tqdm

__all__ = ["LOG_INTERVAL", "ProgressLog", "ProgressMode", "progress_reporter"]

#: Seconds between the lines of a :class:`ProgressLog`.
LOG_INTERVAL = 5.0

#: ``True`` or ``"bar"``: a tqdm bar; ``"log"``: :class:`ProgressLog` lines; ``False``: none.
ProgressMode = bool | Literal["bar", "log"]


class ProgressLog:
    """Writes a line of progress every :data:`LOG_INTERVAL` seconds, and one at the end.

    For output that is not a terminal (a cluster job's log), where a bar's carriage returns
    would pile up: ``CFG samples: 400/1000 (40%), 81.2/s, ETA 7 s``.

    Parameters
    ----------
    total : int
        Units of work.
    desc : str
        What the units are.
    stream : file, optional
        Default ``sys.stderr``.
    interval : float
        Seconds between lines.
    clock : callable
        Returns seconds; replaceable in tests.

    Examples
    --------
    >>> import io
    >>> ticks = iter([0.0, 2.0, 6.0, 7.0, 7.0])
    >>> out = io.StringIO()
    >>> with ProgressLog(10, "samples", stream=out, clock=lambda: next(ticks)) as log:
    ...     log.update(3)
    ...     log.update(3)
    ...     log.update(4)
    >>> print(out.getvalue(), end="")
    samples: 6/10 (60%), 1.0/s, ETA 5 s
    samples: 10/10 (100%), 1.4/s, done in 7 s
    """

    def __init__(self, total: int, desc: str, stream: IO[str] | None = None,
                 interval: float = LOG_INTERVAL, clock=time.monotonic) -> None:
        self.total = int(total)
        self.desc = desc
        self.stream = sys.stderr if stream is None else stream
        self.interval = interval
        self.clock = clock
        self.done = 0
        self.start = self.clock()
        self.last = self.start
        # The ETA counts from the first finished unit: the first one may include one-off work
        # (compiling the kernels) that the others do not repeat.
        self.first: tuple[float, int] | None = None

    def __enter__(self) -> ProgressLog:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self._write(self.clock(), final=True)

    def update(self, count: int = 1) -> None:
        """Count ``count`` more units; write a line if the interval has passed."""
        self.done += count
        now = self.clock()
        if self.first is None:
            self.first = (now, self.done)
        if now - self.last >= self.interval and self.done < self.total:
            self._write(now, final=False)

    def _write(self, now: float, final: bool) -> None:
        self.last = now
        elapsed = now - self.start
        rate = self.done / elapsed if elapsed > 0 else float("inf")
        share = 100 * self.done / self.total if self.total else 100
        head = f"{self.desc}: {self.done}/{self.total} ({share:.0f}%), {rate:.1f}/s"
        if final:
            tail = f"done in {elapsed:.0f} s"
        else:
            since, done = self.first if self.first is not None else (self.start, 0)
            pace = (self.done - done) / (now - since) if now > since else 0.0
            tail = f"ETA {(self.total - self.done) / pace:.0f} s" if pace > 0 else "ETA ?"
        print(f"{head}, {tail}", file=self.stream, flush=True)


def progress_reporter(total: int, desc: str, mode: ProgressMode):
    """Return a context manager with ``update(k)`` that shows progress as ``mode`` asks.

    Raises
    ------
    ValueError
        For an unknown mode.
    """
    if mode in (True, "bar"):
        return tqdm(total=total, desc=desc)
    if mode == "log":
        return ProgressLog(total, desc)
    if mode is False:
        return tqdm(total=total, desc=desc, disable=True)
    raise ValueError(f"progress must be True, False, 'bar' or 'log', not {mode!r}")
