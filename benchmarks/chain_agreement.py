"""Shared chains against independent long chains: class means and SDs, and the time of each.

``python -m benchmarks.chain_agreement [--graph spatial_6500] [--samples 300]`` draws the
triad census of one ensemble of shared chains (the default plan) and one of independent
chains of ``--burn-in-sweeps`` · m steps each, and prints, per triad class, the z of the
difference of the means, the ratio of the SDs and the correlation of consecutive samples of
a shared chain, with both ensembles' seconds.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from benchmarks.generators import GRAPHS
from connectome_motifs.motifs import triad_census
from connectome_motifs.nullmodels import MODELS, ensemble
from connectome_motifs.nullmodels.chains import chain_lengths

__all__ = ["agreement", "consecutive_correlation", "main"]


def consecutive_correlation(samples: pd.DataFrame, lengths: list[int]) -> pd.Series:
    """Return each column's correlation between consecutive samples of the same chain.

    ``samples`` holds the chains' samples in order, ``lengths[c]`` of chain ``c``; values
    are centred on each column's mean over all samples, so a chain that stays away from
    the others raises the correlation. NaN for a constant column. O(size of samples).
    """
    values = samples.to_numpy(dtype=np.float64)
    centred = values - values.mean(axis=0)
    ends = np.cumsum(lengths)
    lagged = np.zeros(values.shape[1])
    pairs = 0
    for start, end in zip(ends - np.asarray(lengths), ends, strict=True):
        lagged += (centred[start:end - 1] * centred[start + 1:end]).sum(axis=0)
        pairs += end - start - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = (lagged / pairs) / (centred ** 2).mean(axis=0)
    return pd.Series(rho, index=samples.columns)


def agreement(graph, model: str, n_samples: int, burn_in_sweeps: int) -> tuple[pd.DataFrame,
                                                                              dict]:
    """Return per-class z and SD ratio of shared against independent chains, and the times."""
    factory = MODELS[model]
    start = time.perf_counter()
    shared = ensemble(factory().fit(graph), triad_census, n_samples, seed=1, progress=False,
                      diagnostics=False)
    shared_seconds = time.perf_counter() - start
    start = time.perf_counter()
    independent = ensemble(
        factory(chains=None, burn_in=burn_in_sweeps * graph.n_edges).fit(graph), triad_census,
        n_samples, seed=2, progress=False, diagnostics=False)
    independent_seconds = time.perf_counter() - start
    a, b = shared.samples, independent.samples
    table = pd.DataFrame({
        "shared_mean": a.mean(), "independent_mean": b.mean(),
        "z": (a.mean() - b.mean()) / np.sqrt(a.var() / n_samples + b.var() / n_samples),
        "sd_ratio": a.std() / b.std(),
        "consecutive_rho": consecutive_correlation(a, chain_lengths(n_samples,
                                                                    shared.params.n_chains)),
    })
    return table, {"shared_seconds": shared_seconds, "independent_seconds": independent_seconds,
                   "burn_in": shared.params.burn_in, "spacing": shared.params.spacing,
                   "rule": shared.chains.rule}


def main(argv: list[str] | None = None) -> int:
    """Print the agreement table of one graph and model."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.chain_agreement")
    parser.add_argument("--graph", default="spatial_6500", choices=sorted(GRAPHS))
    parser.add_argument("--model", default="CFG")
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--burn-in-sweeps", type=int, default=20)
    args = parser.parse_args(argv)
    graph = GRAPHS[args.graph].build()
    table, info = agreement(graph, args.model, args.samples, args.burn_in_sweeps)
    print(f"{args.graph}, {args.model}, {args.samples} samples each: shared chains "
          f"{info['shared_seconds']:.1f} s (burn-in {info['burn_in']:,}, spacing "
          f"{info['spacing']:,}), independent chains of {args.burn_in_sweeps} m steps "
          f"{info['independent_seconds']:.1f} s")
    print(info["rule"])
    print(table.round(3).to_string())
    print(f"largest |z| {table['z'].abs().max():.2f}; SD ratios "
          f"{table['sd_ratio'].min():.3f}-{table['sd_ratio'].max():.3f}; consecutive samples' "
          f"correlation {table['consecutive_rho'].min():.3f} to "
          f"{table['consecutive_rho'].max():.3f}, mean {table['consecutive_rho'].mean():.3f} "
          f"(standard error about {1 / np.sqrt(args.samples):.3f} each)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
