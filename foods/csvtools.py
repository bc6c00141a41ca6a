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
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable, Iterator

from foods.errors import DataError

CsvSource = str | os.PathLike | IO[str] | IO[bytes]
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
                source=name,
                fix="Save the file as 'CSV UTF-8' from your spreadsheet program.",
            ) from exc
    return raw.lstrip("\ufeff")


def read_csv_rows(source: CsvSource, error: type[DataError], *, required: Iterable[str] = ()) -> CsvTable:
    """Read ``source`` as a comma-separated file with a header row, strictly.

    Header names and cells are stripped of surrounding spaces; fully blank lines are skipped but
    still counted, so row numbers match a spreadsheet. Raises ``error`` when the file is missing,
    not UTF-8, empty, has a blank or repeated header name, a row with more cells than the header,
    or lacks a ``required`` column.
    """
    name = source_name(source)
    text = _read_text(source, name, error)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = list(reader)
    except csv.Error as exc:
        raise error(f"not a readable CSV file ({exc}).", source=name, row=reader.line_num,
                    fix="Check the quoting on that line.") from exc
    if not records or not any(cell.strip() for cell in records[0]):
        raise error("the file is empty or its first row (the header) is blank.", source=name, row=1,
                    fix="Put the column names in the first row.")
    header = [cell.strip() for cell in records[0]]
    while header and header[-1] == "":
        header.pop()  # trailing commas that spreadsheets add
    for position, column in enumerate(header, start=1):
        if not column:
            raise error(f"header cell {position} is blank.", source=name, row=1,
                        fix="Give every column a name or delete the empty column.")
    seen: set[str] = set()
    for column in header:
        if column in seen:
            raise error("this column name appears twice in the header.", source=name, row=1, column=column,
                        fix="Keep one column of that name.")
        seen.add(column)
    missing = [column for column in required if column not in seen]
    if missing:
        raise error(
            f"required column(s) missing: {', '.join(missing)}.",
            source=name, row=1, column=missing[0],
            fix=f"Add the column(s) to the header; the file has: {', '.join(header)}.",
        )
    rows: list[CsvRow] = []
    for number, record in enumerate(records[1:], start=2):
        cells = [cell.strip() for cell in record]
        if not any(cells):
            continue
        if len(cells) > len(header) and any(cells[len(header):]):
            raise error(
                f"the row has {len(cells)} cells but the header has {len(header)} columns.",
                source=name, row=number,
                fix="Remove the extra cells or quote text that contains commas.",
            )
        cells += [""] * (len(header) - len(cells))
        rows.append(CsvRow(number, dict(zip(header, cells))))
    return CsvTable(name, tuple(header), tuple(rows))


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
    what: str = "a number",
) -> float:
    """Convert one cell to ``float``, strictly.

    ``blank`` is returned for an empty cell (``None`` makes blank an error). ``minimum`` (default 0)
    rejects negative amounts; ``positive`` also rejects 0. Thousands separators, units or text in a
    number cell are errors, never guessed.
    """
    if text == "":
        if blank is None:
            raise error(f"{what} is required here but the cell is blank.", source=source, row=row, column=column,
                        fix=f"Enter {what}.")
        return blank
    try:
        value = float(text)
    except ValueError:
        raise error(
            f"'{text}' is not a number.", source=source, row=row, column=column,
            fix="Write a plain number with a dot for decimals (e.g. 12.5), without units, commas or text.",
        ) from None
    if not math.isfinite(value):
        raise error(f"'{text}' is not a finite number.", source=source, row=row, column=column,
                    fix="Write a plain finite number.")
    if positive and value <= 0:
        raise error(f"{value:g} must be greater than 0.", source=source, row=row, column=column,
                    fix="Enter a positive amount.")
    if minimum is not None and value < minimum:
        raise error(f"{value:g} is negative; amounts cannot be negative.", source=source, row=row, column=column,
                    fix="Enter 0 or a positive amount (leave the cell blank if unknown).")
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


def check_unique_ids(table: CsvTable, column: str, error: type[DataError], *, what: str = "id") -> None:
    """Raise ``error`` at the first blank or repeated value in ``column`` (naming both rows)."""
    first_row: dict[str, int] = {}
    for record in table:
        value = record.get(column)
        if value == "":
            raise error(f"the {what} is blank.", source=table.source, row=record.row, column=column,
                        fix=f"Give every row a {what}.")
        if value in first_row:
            raise error(
                f"duplicate {what} '{value}' (already used in row {first_row[value]}).",
                source=table.source, row=record.row, column=column,
                fix=f"Give each row its own {what}, or delete one of the two rows.",
            )
        first_row[value] = record.row
