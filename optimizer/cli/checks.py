"""Checks the ``cofactor`` command line makes before doing any work: option values and output paths.

Option types (for ``argparse``'s ``type=``) refuse ``inf``, ``nan``, zero and negative numbers with a message
argparse prints (exit code 2). Output paths are checked before a solve, so a typo in ``--out`` costs nothing:
:func:`check_output_file` and :func:`check_output_dir` raise :class:`OutputPathError` (exit code 2).
"""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Iterable
from pathlib import Path

from foods.errors import CofactorError
from optimizer.domain.units import MAX_TIME_LIMIT_S


class OutputPathError(CofactorError, ValueError):
    """An output file or folder given on the command line cannot be written (exit code 2)."""


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number (got {text})")
    return value


def positive_number(text: str) -> float:
    """An argparse type: a finite number > 0 (``inf``, ``nan``, ``0``, ``-1`` are refused)."""
    value = _number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be > 0 (got {text})")
    return value


def non_negative_number(text: str) -> float:
    """An argparse type: a finite number >= 0."""
    value = _number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0 (got {text})")
    return value


def time_limit(text: str) -> float:
    """An argparse type: a solver time limit, finite seconds in (0, 3600]."""
    value = positive_number(text)
    if value > MAX_TIME_LIMIT_S:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_TIME_LIMIT_S:g} s (got {text})")
    return value


def positive_int(text: str) -> int:
    """An argparse type: a whole number >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {text})")
    return value


def _existing_ancestor(path: Path) -> Path:
    here = path.absolute()
    while not here.exists() and here != here.parent:
        here = here.parent
    return here


def check_output_file(path: str | os.PathLike[str], option: str, suffixes: Iterable[str] | None = None) -> Path:
    """``path`` if a file can be written there: its folder exists and is writable, it is not a folder, and its
    suffix is one of ``suffixes`` (when given). Raises :class:`OutputPathError` naming ``option``."""
    out = Path(path)
    allowed = tuple(s.lower() for s in suffixes) if suffixes else ()
    if allowed and out.suffix.lower() not in allowed:
        raise OutputPathError(f"{option} {out}: use a file name ending in {' or '.join(allowed)}.")
    if out.is_dir():
        example = out / ("plan" + (allowed[0] if allowed else ""))
        raise OutputPathError(f"{option} {out} is a folder. Fix: give a file name inside it, e.g. {example}.")
    folder = out.absolute().parent
    if not folder.is_dir():
        raise OutputPathError(f"{option} {out}: the folder {folder} does not exist. Fix: create it first or write elsewhere.")
    if not os.access(folder, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise OutputPathError(f"{option} {out}: no permission to write there. Fix: choose a folder you can write to.")
    return out


def check_output_dir(path: str | os.PathLike[str], option: str) -> Path:
    """``path`` if it is (or can be created as) a writable folder. Raises :class:`OutputPathError` naming ``option``."""
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise OutputPathError(f"{option} {out} is a file, not a folder. Fix: give a folder name (it is created if missing).")
    base = _existing_ancestor(out)
    if not base.is_dir():
        raise OutputPathError(f"{option} {out}: {base} is a file, so the folder cannot be created. Fix: choose another folder.")
    if not os.access(base, os.W_OK):
        raise OutputPathError(f"{option} {out}: no permission to write in {base}. Fix: choose a folder you can write to.")
    return out


__all__ = ["OutputPathError", "check_output_dir", "check_output_file", "non_negative_number", "positive_int",
           "positive_number", "time_limit"]
