"""Progress lines for logs: how often they come and what their ETA counts from."""

from __future__ import annotations

import io

from connectome_motifs.nullmodels.progress import ProgressLog


def test_the_eta_leaves_out_a_slow_first_unit():
    # By hand: the first sample ends at 15 s (the kernels compiled), then one a second. The
    # next line is due 5 s after the first, at 20 s: 5 samples in the 5 s since the first
    # leave 994 at 1/s. From the start it would say (1000 - 6) / (6 / 20) = 3313 s.
    ticks = iter([0.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0])
    out = io.StringIO()
    log = ProgressLog(1000, "CFG samples", stream=out, interval=5.0, clock=lambda: next(ticks))
    for _ in range(7):
        log.update()
    assert out.getvalue().splitlines() == ["CFG samples: 1/1000 (0%), 0.1/s, ETA ?",
                                           "CFG samples: 6/1000 (1%), 0.3/s, ETA 994 s"]
