"""Where the Cofactor store lives: ``$COFACTOR_DB``, a path, an SQLAlchemy-style ``sqlite:///`` URL, or the user
data directory."""

from __future__ import annotations

import os
from pathlib import Path

from optimizer.dietitian.store_errors import StorageError

ENV_VAR = "COFACTOR_DB"
DB_FILENAME = "cofactor.sqlite3"


# -- location --------------------------------------------------------------------------------
def default_db_path() -> Path:
    """``$COFACTOR_DB`` if set, else ``user_data_dir("cofactor")/cofactor.sqlite3``."""
    env = os.environ.get(ENV_VAR)
    if env:
        return resolve_db_path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("cofactor")) / DB_FILENAME


def resolve_db_path(url_or_path: str | os.PathLike[str]) -> Path:
    """A filesystem path from a path or an SQLAlchemy-style URL (``sqlite:///rel.db``, ``sqlite:////abs.db``)."""
    text = os.fspath(url_or_path)
    if "://" not in text:
        return Path(text).expanduser()
    scheme, _, rest = text.partition("://")
    if scheme.lower() not in {"sqlite", "sqlite+pysqlite"}:
        raise StorageError(
            f"Database URL scheme '{scheme}' is not supported: the clinic backend (PostgreSQL and other servers) is "
            "not installed in this build. Fix: use a SQLite file (a path or sqlite:///path/to/cofactor.sqlite3)."
        )
    path = rest[1:] if rest.startswith("/") else rest  # sqlite:///rel -> "rel"; sqlite:////abs -> "/abs"
    path = path.split("?", 1)[0]
    if path in {"", ":memory:"}:
        raise StorageError(
            "An in-memory database would lose every saved plan when the program exits. "
            "Fix: give a file, e.g. sqlite:///cofactor.sqlite3."
        )
    return Path(path).expanduser()


__all__ = ["DB_FILENAME", "ENV_VAR", "default_db_path", "resolve_db_path"]
