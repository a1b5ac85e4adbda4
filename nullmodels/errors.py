"""Exceptions raised by the null models."""

from __future__ import annotations

__all__ = ["MaximumEntropySolverError", "MissingPositionsError", "NotFittedError"]


class NotFittedError(ValueError, AttributeError):
    """A model was asked to sample or report fitted values before :meth:`fit` was called."""


class MissingPositionsError(ValueError):
    """A distance-dependent model was fitted to a graph whose node table has no positions."""


class MaximumEntropySolverError(RuntimeError):
    """The multipliers of a maximum-entropy model (DBCM, RBCM) could not meet the constraints.

    Raised when the Newton steps do not converge: with more classes than
    :data:`~connectome_motifs.nullmodels.maximum_entropy.MAX_SUPPORT_CLASSES`, observed
    constraints that force some pairs present or absent in every graph with them (beyond
    zero degrees and nodes linked to all others) are not searched for, and need infinite
    multipliers. The message gives the residual reached.
    """
