"""The errors the Cofactor store raises, and the one translation of SQLite failures into them.

Every ``sqlite3`` failure that reaches a caller is one of these :class:`StorageError` subclasses (never a bare
``sqlite3.Error``), each naming the database file and saying how to fix the problem. The CLI shows the message and
exits with code 2. Nothing already saved is changed by a failed operation (each write is one transaction).

=========================  =====================================================================================
error                      when
=========================  =====================================================================================
``StoreCorruptError``      the file is not an SQLite database (text, truncated header) or a page is damaged
``StoreSchemaError``       the file is SQLite but not a Cofactor store (schema version set, tables missing)
``StoreReadOnlyError``     the file or its folder cannot be written (permissions, read-only medium)
``StoreFullError``         the disk (or the store's configured page cap) is full
``StoreLockedError``       another program held the write lock longer than the busy timeout
``StoreUnavailableError``  the file cannot be opened at all (a folder, a missing mount, an I/O error)
=========================  =====================================================================================
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from foods.errors import CofactorError


class StorageError(CofactorError, RuntimeError):
    """The store cannot do what was asked (unsupported backend, plan without a solution, bad value)."""


class NotFoundError(StorageError, LookupError):
    """A client, plan or price list that is not in the store was asked for."""


class DuplicateError(StorageError, ValueError):
    """A client or price list with that name already exists."""


class StoreError(StorageError):
    """SQLite failed on the store file; ``path`` is the file, ``sqlite_message`` SQLite's own words."""

    def __init__(self, message: str, *, path: Path | str, sqlite_message: str = "") -> None:
        super().__init__(message)
        self.path, self.sqlite_message = Path(path), sqlite_message


class StoreCorruptError(StoreError):
    """The file is not a (sound) SQLite database."""


class StoreSchemaError(StoreError):
    """The file is SQLite but does not hold the Cofactor tables its schema version promises."""


class StoreReadOnlyError(StoreError):
    """The store file or its folder cannot be written."""


class StoreFullError(StoreError):
    """The disk or the store's page cap is full."""


class StoreLockedError(StoreError):
    """Another connection kept the store locked for longer than the busy timeout."""


class StoreUnavailableError(StoreError):
    """The store file cannot be opened or read (folder, I/O error, missing mount)."""


_KEEP = "Nothing saved before was changed."


def store_error(exc: sqlite3.Error, path: Path | str, *, timeout_s: float | None = None, doing: str = "use") -> StoreError:
    """The named :class:`StoreError` for an ``sqlite3`` failure while ``doing`` something with the store at ``path``."""
    text = str(exc)
    low = text.lower()
    where = f"the database {path}"
    if "file is not a database" in low or "malformed" in low or "file is encrypted" in low or "corrupt" in low \
            or "decode" in low:
        return StoreCorruptError(
            f"Cannot {doing} {where}: it is not a sound SQLite database ({text}). It may be damaged, truncated or "
            "another kind of file. Fix: restore it from a backup (or `sqlite3 FILE .recover`), or point --db / "
            "COFACTOR_DB at your Cofactor store; a new file name starts an empty store.", path=path, sqlite_message=text)
    if "readonly" in low or "read-only" in low or "permission" in low:
        return StoreReadOnlyError(
            f"Cannot {doing} {where}: it is read-only ({text}). SQLite needs to write the file and create "
            "-wal/-shm files next to it. Fix: make the file and its folder writable (chmod u+w), or copy the store to "
            f"a writable folder and use --db there. {_KEEP}", path=path, sqlite_message=text)
    if "full" in low:
        return StoreFullError(
            f"Cannot {doing} {where}: the disk or the store's size cap is full ({text}). Fix: free disk space (or "
            f"raise the store's max_pages) and try again. {_KEEP}", path=path, sqlite_message=text)
    if "locked" in low or "busy" in low:
        waited = f" for {timeout_s:g} s" if timeout_s is not None else ""
        return StoreLockedError(
            f"Cannot {doing} {where}: another program kept it locked{waited} ({text}). Fix: close the other Cofactor "
            f"window or command using it and try again, or raise the busy timeout. {_KEEP}", path=path,
            sqlite_message=text)
    if "no such table" in low or "no such column" in low or "already exists" in low:
        return StoreSchemaError(
            f"Cannot {doing} {where}: it is an SQLite file but not a complete Cofactor store ({text}). Fix: point "
            "--db / COFACTOR_DB at your Cofactor store, or move this file away to start a new one.", path=path,
            sqlite_message=text)
    return StoreUnavailableError(
        f"Cannot {doing} {where} ({text}). Fix: check that the path is a file on a mounted, working disk, or choose "
        f"another file with --db / COFACTOR_DB. {_KEEP}", path=path, sqlite_message=text)


__all__ = ["DuplicateError", "NotFoundError", "StorageError", "StoreCorruptError", "StoreError", "StoreFullError",
           "StoreLockedError", "StoreReadOnlyError", "StoreSchemaError", "StoreUnavailableError", "store_error"]
