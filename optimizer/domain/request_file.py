"""Reading a plan request from a JSON file or text, strictly, with errors that say where the problem is.

:func:`load_request` is the one way user-supplied request files become a ``PlanRequest`` (the CLI uses it).
On top of the model's own validation it refuses what ``json``/pydantic would otherwise let through silently:

* bytes that are not UTF-8 (a UTF-8 byte-order mark is accepted and dropped);
* a key given twice in one JSON object (the last would silently win);
* ``NaN``, ``Infinity`` or numbers too large for a float (``1e400``) anywhere in the document;
* a top level that is not a JSON object, a file larger than :data:`MAX_REQUEST_BYTES`, nesting deeper than
  :data:`MAX_JSON_DEPTH`.

Every refusal is a :class:`RequestFileError` (a ``RequestError``, so exit code 2 in the CLI) carrying ``source``
(the file) and ``location`` (the dotted field path, e.g. ``targets.magnesium_mg.max``, or ``line 3, column 9``).
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from optimizer.domain.errors import RequestError
from optimizer.domain.request import FieldValueError, PlanRequest

MAX_REQUEST_BYTES = 2_000_000
"""Largest request file read, bytes (a week with every option set is a few kB)."""
MAX_JSON_DEPTH = 32
"""Deepest nesting of JSON objects/arrays accepted (a request needs 4)."""
FIX = "Fix the file (examples/ holds valid requests; docs/errors.md lists the limits)."


class RequestFileError(RequestError):
    """A request file or text is not a valid plan request. ``source`` names the file, ``location`` the field."""

    def __init__(self, reason: str, *, source: str, location: str | None = None, fix: str = FIX,
                 located: bool = False) -> None:
        self.reason, self.source, self.location, self.fix = reason, source, location, fix
        where = f"{source}" + (f", {location}" if location and not located else "")
        super().__init__(f"{where}: not a valid plan request: {reason} {fix}".strip())


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _Duplicate(key)
        seen[key] = value
    return seen


def _bad_numbers(value: Any, path: str = "", depth: int = 0) -> tuple[str, str] | None:
    """(path, problem) of the first non-finite number or too-deep nesting in parsed JSON, else None."""
    if depth > MAX_JSON_DEPTH:
        return path or "(top level)", f"is nested more than {MAX_JSON_DEPTH} levels deep"
    if isinstance(value, float) and not math.isfinite(value):
        return path or "(top level)", f"is {value!r}, not a finite number (NaN, Infinity and 1e400 are refused)"
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = _bad_numbers(item, f"{path}.{key}" if path else str(key), depth + 1)
        if found:
            return found
    return None


def _location(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if not str(p).startswith(("function-", "json-or-python", "union["))]
    cleaned = [p for p in parts if p not in ("dict[str,nullable[TargetOverride]]", "Targets", "int", "float")]
    return ".".join(cleaned) or "(request)"


def validation_problems(exc: ValidationError) -> list[tuple[str, str]]:
    """(field path, message) for each problem pydantic found, e.g. ``("days", "Input should be a valid integer")``."""
    found = []
    for err in exc.errors():
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, FieldValueError):  # a model-level check that knows its field
            found.append((cause.field, cause.detail))
            continue
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        found.append((_location(tuple(err.get("loc", ()))), msg))
    return list(dict.fromkeys(found))


def parse_request(text: str | bytes, source: str = "request") -> PlanRequest:
    """A ``PlanRequest`` from JSON text or bytes; raises :class:`RequestFileError` naming ``source`` and the field."""
    if isinstance(text, bytes):
        if len(text) > MAX_REQUEST_BYTES:
            raise RequestFileError(f"the file has {len(text):,} bytes, more than the {MAX_REQUEST_BYTES:,} a request may have.",
                                   source=source, fix="Give a plan request, not a data file.")
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RequestFileError(f"the file is not UTF-8 text (byte {exc.start} is 0x{text[exc.start]:02x}).", source=source,
                                   location=f"byte {exc.start}",
                                   fix="Save the file as UTF-8 (any text editor's 'Save as… UTF-8').") from None
    text = text.removeprefix("\ufeff")
    if len(text) > MAX_REQUEST_BYTES:
        raise RequestFileError(f"the text is longer than the {MAX_REQUEST_BYTES:,} characters a request may have.",
                               source=source, fix="Give a plan request, not a data file.")
    try:
        data = json.loads(text, object_pairs_hook=_refuse_duplicates)
    except _Duplicate as exc:
        raise RequestFileError(f"the key '{exc.key}' appears twice in one object (which value is meant?).",
                               source=source, location=exc.key, fix="Keep one of the two and delete the other.") from None
    except json.JSONDecodeError as exc:
        raise RequestFileError(f"the text is not valid JSON ({exc.msg}).", source=source,
                               location=f"line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise RequestFileError(f"the JSON is nested more than {MAX_JSON_DEPTH} levels deep.", source=source) from None
    if not isinstance(data, dict):
        raise RequestFileError(f"the file holds a JSON {type(data).__name__}, not an object {{...}} of request fields.",
                               source=source, location="(top level)")
    bad = _bad_numbers(data)
    if bad:
        raise RequestFileError(f"the value {bad[1]}.", source=source, location=bad[0])
    try:
        return PlanRequest.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(exc)
        reason = "; ".join(f"{loc}: {msg}" for loc, msg in problems[:20])
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        raise RequestFileError(f"{reason}{more}.", source=source,
                               location=problems[0][0] if problems else None, located=True) from None
    except (ValueError, TypeError) as exc:  # validators raising outside pydantic's wrapping
        raise RequestFileError(f"{exc}.", source=source) from None


def load_request(path: str | os.PathLike[str]) -> PlanRequest:
    """Read a plan request JSON file (UTF-8, a BOM is fine); raises :class:`RequestFileError` naming the file."""
    where = Path(path)
    try:
        size = where.stat().st_size
        if size > MAX_REQUEST_BYTES:
            raise RequestFileError(f"the file has {size:,} bytes, more than the {MAX_REQUEST_BYTES:,} a request may have.",
                                   source=str(where), fix="Give a plan request, not a data file.")
        data = where.read_bytes()
    except OSError as exc:
        raise RequestFileError(f"the file cannot be read ({exc.strerror or exc}).", source=str(where),
                               fix="Check the path and that the file is readable.") from None
    return parse_request(data, source=str(where))


__all__ = ["MAX_JSON_DEPTH", "MAX_REQUEST_BYTES", "RequestFileError", "load_request", "parse_request",
           "validation_problems"]
