"""The small family of errors Cofactor raises for bad data.

Every error names *what* is wrong (file, row, column, value) and *how to fix it*, so the
UI and the CLI can show ``str(error)`` as it is. Loading is all-or-nothing: a loader that
raises has changed nothing the caller already had.

A loader checks the whole input and reports **every** bad row in one error: ``DataError.problems``
holds the first :data:`MAX_REPORTED_PROBLEMS` problems (``problem_count`` counts them all) and
the error's own ``reason``/``source``/``row``/``column``/``fix`` are those of the first problem.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

MAX_REPORTED_PROBLEMS = 20
"""How many problems one error lists; the rest are counted ("and N more")."""


class CofactorError(Exception):
    """Base class of every error Cofactor raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (source, 1-based row with header = 1, column), why, and a fix."""

    reason: str
    source: str | None = None
    row: int | None = None
    column: str | None = None
    fix: str | None = None

    def render(self, *, with_source: bool = True) -> str:
        """``"file, row 3, column 'x': reason Fix: fix"`` (the source left out when ``with_source`` is False)."""
        where = []
        if self.source and with_source:
            where.append(str(self.source))
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        text = (", ".join(where) + ": " if where else "") + self.reason
        if self.fix:
            text += f" Fix: {self.fix}"
        return text


class DataError(CofactorError, ValueError):
    """A data file or frame is malformed.

    Attributes are ``None`` when they do not apply. ``row`` is 1-based and counts the
    header as row 1, so it matches what a spreadsheet shows. ``problems`` lists the first
    :data:`MAX_REPORTED_PROBLEMS` problems found (the first is the one the attributes describe);
    ``problem_count`` is how many were found in all.
    """

    def __init__(
        self,
        reason: str,
        *,
        source: str | None = None,
        row: int | None = None,
        column: str | None = None,
        fix: str | None = None,
        problems: Sequence[Problem] = (),
        problem_count: int | None = None,
    ) -> None:
        first = Problem(reason, source, row, column, fix)
        listed = [first, *(p for p in problems if p != first)][:MAX_REPORTED_PROBLEMS]
        self.reason = reason
        self.source = source
        self.row = row
        self.column = column
        self.fix = fix
        self.problems: tuple[Problem, ...] = tuple(listed)
        self.problem_count = max(problem_count or 0, len(self.problems))
        super().__init__(self.render())

    @classmethod
    def from_problems(cls, problems: Sequence[Problem], problem_count: int | None = None) -> DataError:
        """One error of this class carrying ``problems`` (at least one); its attributes are the first's."""
        if not problems:
            raise ValueError("from_problems needs at least one problem")
        first = problems[0]
        return cls(first.reason, source=first.source, row=first.row, column=first.column, fix=first.fix,
                   problems=problems, problem_count=problem_count)

    def render(self) -> str:
        """The message: the first problem in full, then the others (same file: source left out), capped."""
        text = self.problems[0].render()
        if self.problem_count == 1:
            return text
        lines = [f"{text}", f"{self.problem_count} problems in all:"]
        for problem in self.problems[1:]:
            lines.append(" - " + problem.render(with_source=problem.source != self.source))
        hidden = self.problem_count - len(self.problems)
        if hidden > 0:
            lines.append(f" - and {hidden} more (fix these and load again to see them).")
        return "\n".join(lines)


class FoodDataError(DataError):
    """A food catalogue (custom foods CSV/frame, FoodData Central folder) is malformed."""


class PriceListError(DataError):
    """A price list is malformed or names foods that do not exist."""


class SupplementDataError(DataError):
    """A supplement catalogue is malformed."""


class ProblemLog:
    """Collects the problems of one load so a loader can report every bad row at once.

    ``add`` records a problem; ``collecting()`` is a ``with`` block that records a :class:`DataError`
    raised inside it (and stops that block only); ``raise_if_any()`` raises one ``error`` carrying
    them all. Only the first :data:`MAX_REPORTED_PROBLEMS` are kept; the rest are counted.
    """

    def __init__(self, error: type[DataError], *, source: str | None = None) -> None:
        self.error = error
        self.source = source
        self.problems: list[Problem] = []
        self.count = 0

    def __len__(self) -> int:
        return self.count

    def add(self, reason: str, *, source: str | None = None, row: int | None = None, column: str | None = None,
            fix: str | None = None) -> None:
        """Record one problem (``source`` defaults to the log's)."""
        self.count += 1
        if len(self.problems) < MAX_REPORTED_PROBLEMS:
            self.problems.append(Problem(reason, source or self.source, row, column, fix))

    def count_more(self, how_many: int) -> None:
        """Count ``how_many`` further problems without listing them (when a loader lists only the first ones)."""
        self.count += max(how_many, 0)

    def absorb(self, error: DataError) -> None:
        """Record every problem an already raised error carries (and its uncounted rest)."""
        room = MAX_REPORTED_PROBLEMS - len(self.problems)
        self.problems.extend(error.problems[:max(room, 0)])
        self.count += error.problem_count

    @contextlib.contextmanager
    def collecting(self) -> Iterator[None]:
        """Run a block; a :class:`DataError` raised in it is recorded instead of propagated."""
        try:
            yield
        except DataError as caught:
            self.absorb(caught)

    def raise_if_any(self) -> None:
        """Raise one ``error`` listing every recorded problem; do nothing when there is none."""
        if self.count:
            raise self.error.from_problems(self.problems, self.count)


class UnknownFoodError(CofactorError, KeyError):
    """A food id that is not in the catalogue was asked for."""

    def __init__(self, food_id: str, hint: str | None = None) -> None:
        self.food_id = food_id
        msg = f"Unknown food id '{food_id}'."
        msg += " " + (hint or "Use FoodTable.search(...) or `cofactor foods search WORDS` to find ids.")
        super().__init__(msg)

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])
