"""The small family of errors Cofactor raises for bad data.

Every error names *what* is wrong (file, row, column, value) and *how to fix it*, so the
UI and the CLI can show ``str(error)`` as it is. Loading is all-or-nothing: a loader that
raises has changed nothing the caller already had.
"""

from __future__ import annotations


class CofactorError(Exception):
    """Base class of every error Cofactor raises on purpose."""


class DataError(CofactorError, ValueError):
    """A data file or frame is malformed.

    Attributes are ``None`` when they do not apply. ``row`` is 1-based and counts the
    header as row 1, so it matches what a spreadsheet shows.
    """

    def __init__(
        self,
        reason: str,
        *,
        source: str | None = None,
        row: int | None = None,
        column: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.reason = reason
        self.source = source
        self.row = row
        self.column = column
        self.fix = fix
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.source:
            where.append(str(self.source))
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        text = (", ".join(where) + ": " if where else "") + self.reason
        if self.fix:
            text += f" Fix: {self.fix}"
        return text


class FoodDataError(DataError):
    """A food catalogue (custom foods CSV/frame, FoodData Central folder) is malformed."""


class PriceListError(DataError):
    """A price list is malformed or names foods that do not exist."""


class SupplementDataError(DataError):
    """A supplement catalogue is malformed."""


class UnknownFoodError(CofactorError, KeyError):
    """A food id that is not in the catalogue was asked for."""

    def __init__(self, food_id: str, hint: str | None = None) -> None:
        self.food_id = food_id
        msg = f"Unknown food id '{food_id}'."
        msg += " " + (hint or "Use FoodTable.search(...) or `cofactor foods search WORDS` to find ids.")
        super().__init__(msg)

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]
