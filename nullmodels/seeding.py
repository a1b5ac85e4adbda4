"""Resolve the one ``seed`` argument into numpy seed sequences and generators."""

from __future__ import annotations

import numpy as np

__all__ = ["Seed", "as_generator", "as_seed_sequence"]

Seed = int | np.random.Generator | np.random.SeedSequence | None


def as_seed_sequence(seed: Seed) -> np.random.SeedSequence:
    """Return a ``SeedSequence`` for ``seed``.

    Parameters
    ----------
    seed : int, numpy.random.Generator, numpy.random.SeedSequence or None
        An int or None seeds a new sequence (None from fresh OS entropy); a sequence is
        returned as is; a generator is advanced to draw the entropy of a new sequence.

    Returns
    -------
    numpy.random.SeedSequence

    Raises
    ------
    TypeError
        If ``seed`` is of another type.

    Examples
    --------
    >>> as_seed_sequence(7).entropy
    7
    """
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(seed.integers(0, 2**63, size=4, dtype=np.uint64))
    if seed is None or (isinstance(seed, int | np.integer) and not isinstance(seed, bool)):
        return np.random.SeedSequence(None if seed is None else int(seed))
    raise TypeError(
        f"seed must be an int, numpy.random.Generator, SeedSequence or None, not {type(seed)}"
    )


def as_generator(seed: Seed) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` for ``seed`` (a generator is returned as is).

    Examples
    --------
    >>> float(as_generator(0).random()) == float(as_generator(0).random())
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(as_seed_sequence(seed))
