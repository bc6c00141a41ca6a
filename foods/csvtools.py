"""Strict reading of small user CSV files (custom foods, supplements, price lists).

Every problem is reported as one :class:`foods.errors.DataError` subclass naming the file, the
spreadsheet row (1-based, header = row 1), the column, the reason and a fix. Cells are read as
text and converted here, so nothing is guessed: a blank cell is ``""`` and it is up to the caller
whether blank means "unknown" (NaN) or "not allowed".
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from foods.errors import DataError, ProblemLog
from foods.limits import MAX_ID_CHARS, text_problem

CsvSource = str | os.PathLike[str] | IO[str] | IO[bytes]
"""A path to a CSV file, or an open text/binary file object (e.g. an upload in the UI)."""


@dataclass(frozen=True)
class CsvRow:
    """One data row: its spreadsheet row number (header = 1) and its cells by column name."""

    row: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        """The stripped cell text, ``""`` if the column is absent or the cell is blank."""
        return self.cells.get(column, "")


@dataclass(frozen=True)
class CsvTable:
    """The header and the non-blank data rows of a CSV file."""

    source: str
    columns: tuple[str, ...]
    rows: tuple[CsvRow, ...]

    def __iter__(self) -> Iterator[CsvRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def source_name(source: CsvSource) -> str:
    """A human-readable name for ``source`` (the path, or the file object's name)."""
    if isinstance(source, (str, os.PathLike)):
        return str(source)
    return str(getattr(source, "name", "<uploaded CSV>"))


def _read_text(source: CsvSource, name: str, error: type[DataError]) -> str:
    try:
        if isinstance(source, (str, os.PathLike)):
            path = Path(source)
            if not path.is_file():
                raise error(
                    "file not found.",
                    source=name,
                    fix="Check the path; give a CSV file (comma-separated, header in the first row).",
                )
            raw: str | bytes = path.read_bytes()
        else:
            raw = source.read()
    except OSError as exc:
        raise error(f"cannot read the file ({exc.strerror or exc}).", source=name,
                    fix="Check that the file exists and is readable.") from exc
    if isinstance(raw, bytes):
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise error(
                f"the file is not UTF-8 text (byte {exc.start}).",
                source=name, row=raw[:exc.start].count(b"\n") + 1,
                fix="Save the file as 'CSV UTF-8' from your spreadsheet program.",
            ) from exc
    return raw.lstrip("\ufeff")


def _csv_records(text: str, name: str, error: type[DataError]) -> tuple[list[list[str]], list[int]]:
    """Every record of ``text`` and the file line it starts on; a quoting error raises ``error``."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for record in reader:
            records.append(record)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        row = len(records) + 1
        at_line = f" (line {start} of the file)" if start != row else ""
        if "end of data" in str(exc):
            reason = (f"a double quote (\") opened in this row{at_line} is never closed, so the rest of the file "
                      "would be swallowed into one cell.")
        else:
            reason = f"the quoting is broken in this row{at_line} ({exc})."
        raise error(reason, source=name, row=row,
                    fix='Put a cell that contains commas in a pair of double quotes ("Rye bread, homemade") and '
                        'write a quote inside such a cell as two quotes ("").') from exc
    return records, lines


def read_csv_rows(source: CsvSource, error: type[DataError], *, required: Iterable[str] = (),
                  what: str = "data rows") -> CsvTable:
    """Read ``source`` as a comma-separated file with a header row, strictly.

    Header names and cells are stripped of surrounding spaces; fully blank lines are skipped but
    still counted, so row numbers match a spreadsheet. Raises ``error`` when the file is missing,
    not UTF-8, empty or header-only (no ``what``), has broken quoting, a blank or repeated header
    name, a row with more or fewer cells than the header, a cell with a line break (a quote left
    open), a control character such as NUL or more than :data:`foods.limits.MAX_CELL_CHARS`
    characters, or lacks a ``required`` column. Every bad row is reported, in one error.
    """
    name = source_name(source)
    text = _read_text(source, name, error)
    records, lines = _csv_records(text, name, error)
    if not records or not any(cell.strip() for cell in records[0]):
        raise error("the file is empty or its first row (the header) is blank.", source=name, row=1,
                    fix="Put the column names in the first row.")
    log = ProblemLog(error, source=name)
    header = [cell.strip() for cell in records[0]]
    while header and header[-1] == "":
        header.pop()  # trailing commas that spreadsheets add
    seen: set[str] = set()
    for position, column in enumerate(header, start=1):
        problem = text_problem(column, limit=200)
        if not column:
            log.add(f"header cell {position} is blank.", row=1,
                    fix="Give every column a name or delete the empty column.")
        elif problem:
            log.add(f"header cell {position}: {problem}", row=1,
                    fix="Write each column name on one line, in plain text.")
        elif column in seen:
            log.add("this column name appears twice in the header.", row=1, column=column,
                    fix="Keep one column of that name.")
        seen.add(column)
    missing = [column for column in required if column not in seen]
    if missing:
        log.add(f"required column(s) missing: {', '.join(missing)}.", row=1, column=missing[0],
                fix=f"Add the column(s) to the header; the file has: {', '.join(header)}.")
    log.raise_if_any()
    rows: list[CsvRow] = []
    for number, (record, line) in enumerate(zip(records[1:], lines[1:]), start=2):
        cells = [cell.strip() for cell in record]
        if not any(cells):
            continue
        _check_row_shape(log, cells, header, number, line)
        cells += [""] * (len(header) - len(cells))
        rows.append(CsvRow(number, dict(zip(header, cells))))
    log.raise_if_any()
    if not rows:
        raise error(f"the file has a header but no {what}.", source=name, row=2,
                    fix=f"Add {what} below the header, or do not load this file.")
    return CsvTable(name, tuple(header), tuple(rows))


def _check_row_shape(log: ProblemLog, cells: list[str], header: list[str], row: int, line: int) -> None:
    """Record a row with extra or missing cells, or with a cell that holds a line break or control character."""
    at_line = f" (it starts on line {line} of the file)" if line != row else ""
    if len(cells) > len(header) and any(cells[len(header):]):
        log.add(f"the row has {len(cells)} cells but the header has {len(header)} columns{at_line}.", row=row,
                fix="Remove the extra cells or quote text that contains commas.")
    elif len(cells) < len(header):
        absent = header[len(cells):]
        log.add(f"the row has {len(cells)} cells but the header has {len(header)} columns{at_line}: "
                f"no cell for {', '.join(absent)}.", row=row, column=absent[0],
                fix="Give every row one cell per column (leave a cell empty with nothing between two commas).")
    for column, cell in zip(header, cells):
        problem = text_problem(cell)
        if problem and ("\n" in cell or "\r" in cell):
            log.add(f"{problem[:-1]}{at_line}: a double quote (\") left open swallowed the following line(s) "
                    "into this cell.", row=row, column=column,
                    fix='Close the quote (text with commas goes in a pair of double quotes) or remove it.')
        elif problem:
            log.add(problem, row=row, column=column,
                    fix="Delete the character (re-type the cell), or shorten the text.")


_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def parse_number(
    text: str,
    *,
    error: type[DataError],
    source: str,
    row: int,
    column: str,
    blank: float | None = math.nan,
    minimum: float | None = 0.0,
    positive: bool = False,
    maximum: float | None = None,
    limit: str = "",
    what: str = "a number",
) -> float:
    """Convert one cell to ``float``, strictly.

    ``blank`` is returned for an empty cell (``None`` makes blank an error). ``minimum`` (default 0)
    rejects smaller amounts (negative ones by default); ``positive`` also rejects 0; ``maximum`` rejects
    larger ones, and ``limit`` says why in the message (e.g. "1,000 mg per unit"). Thousands
    separators, units, text or infinities in a number cell are errors, never guessed.
    """
    if text == "":
        if blank is None:
            raise error(f"{what} is required here but the cell is blank.", source=source, row=row, column=column,
                        fix=f"Enter {what}.")
        return blank
    if not _NUMBER.match(text):
        raise error(
            f"'{text}' is not a number.", source=source, row=row, column=column,
            fix="Write a plain number with a dot for decimals (e.g. 12.5), without units, commas or text.",
        )
    value = float(text)
    if not math.isfinite(value):
        raise error(f"'{text}' is not a finite number.", source=source, row=row, column=column,
                    fix="Write a plain finite number.")
    if positive and value <= 0:
        raise error(f"{value:g} must be greater than 0.", source=source, row=row, column=column,
                    fix="Enter a positive amount.")
    if minimum is not None and value < minimum:
        if minimum == 0:
            raise error(f"{value:g} is negative; amounts cannot be negative.", source=source, row=row,
                        column=column, fix="Enter 0 or a positive amount (leave the cell blank if unknown).")
        raise error(f"{value:g} is below the minimum of {limit or f'{minimum:g}'}.", source=source, row=row,
                    column=column, fix=f"Check the number and its unit; {what} is at least {minimum:g}.")
    if maximum is not None and value > maximum:
        raise error(f"{value:g} is above the limit of {limit or f'{maximum:g}'}.", source=source, row=row,
                    column=column, fix=f"Check the number and its unit; {what} is at most {maximum:g}.")
    return value


def parse_bool(text: str, *, error: type[DataError], source: str, row: int, column: str,
               blank: bool | None = None) -> bool:
    """Convert a yes/no cell (true/false, yes/no, 1/0; any case) to ``bool``."""
    lowered = text.lower()
    if lowered in {"true", "yes", "y", "1"}:
        return True
    if lowered in {"false", "no", "n", "0"}:
        return False
    if lowered == "" and blank is not None:
        return blank
    raise error(f"'{text}' is not yes/no.", source=source, row=row, column=column,
                fix="Write true or false (also accepted: yes/no, 1/0).")


def id_key(value: str) -> str:
    """The form ids are compared in: case, spaces, ``-`` and ``_`` ignored (``"A-b c"`` -> ``"a_b_c"``)."""
    return re.sub(r"[\s_-]+", "_", value.strip().lower())


def check_unique_ids(table: CsvTable, column: str, error: type[DataError], *, what: str = "id") -> None:
    """Raise ``error`` for every blank, over-long or repeated value in ``column`` (naming both rows).

    Two ids that differ only in case, spaces, ``-`` or ``_`` (``a-b`` / ``A_b``) count as repeated.
    """
    log = ProblemLog(error, source=table.source)
    first: dict[str, tuple[int, str]] = {}
    for record in table:
        value = record.get(column)
        if value == "":
            log.add(f"the {what} is blank.", row=record.row, column=column, fix=f"Give every row a {what}.")
            continue
        if len(value) > MAX_ID_CHARS:
            log.add(f"the {what} has {len(value)} characters; the limit is {MAX_ID_CHARS}.", row=record.row,
                    column=column, fix=f"Use a shorter {what}.")
        key = id_key(value)
        if key in first:
            row, earlier = first[key]
            same = earlier == value
            log.add(
                f"duplicate {what} '{value}' (already used in row {row})." if same else
                f"{what} '{value}' collides with '{earlier}' in row {row}: ids are compared ignoring case, "
                "spaces, '-' and '_'.",
                row=record.row, column=column,
                fix=f"Give each row its own {what}, or delete one of the two rows.",
            )
            continue
        first[key] = (record.row, value)
    log.raise_if_any()
