"""Errors raised by the optimizer. All derive from :class:`foods.errors.CofactorError`."""

from __future__ import annotations

from foods.errors import CofactorError


class RequestError(CofactorError, ValueError):
    """A plan request is inconsistent (unknown nutrient, unknown supplement, impossible option)."""


class RuleError(RequestError):
    """The magnesium–vitamin D rule is malformed (e.g. a decreasing schedule)."""


class SolverError(CofactorError, RuntimeError):
    """The solver could not be run at all (missing binary, crashed process)."""
