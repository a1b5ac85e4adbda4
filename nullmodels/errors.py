"""Exceptions raised by the null models."""

from __future__ import annotations

__all__ = ["MissingPositionsError", "NotFittedError"]


class NotFittedError(ValueError, AttributeError):
    """A model was asked to sample or report fitted values before :meth:`fit` was called."""


class MissingPositionsError(ValueError):
    """A distance-dependent model was fitted to a graph whose node table has no positions."""
