"""Schema migrations of the Cofactor store (clients, saved plans, price lists).

The schema version lives in SQLite's ``PRAGMA user_version``. Migrations are ordered functions; migration ``k``
takes a database at version ``k - 1`` to version ``k``. Each runs in its own ``BEGIN IMMEDIATE`` transaction
together with the version bump, so a crash mid-migration leaves the previous version intact, and two processes
opening a new database at once cannot both apply the same migration (the second re-reads the version under the
write lock and finds nothing to do).

The SQL is kept portable (no SQLite-only column types, timestamps as ISO-8601 text, JSON as text) so that a clinic
backend (PostgreSQL) can reuse the statements later.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from foods.errors import CofactorError


class MigrationError(CofactorError, RuntimeError):
    """The database cannot be brought to the schema this build understands."""


def _v1_initial_schema(conn: sqlite3.Connection) -> None:
    """Clients, plans (request + result JSON, week, version, status) and price lists."""
    conn.execute(
        """
        CREATE TABLE clients (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            profile TEXT NOT NULL,
            notes TEXT NOT NULL DEFAULT '',
            usual_diet TEXT NOT NULL DEFAULT '[]',
            exclusions TEXT NOT NULL DEFAULT '{}',
            preferred_supplements TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    conn.execute(
        """
        CREATE TABLE plans (
            id INTEGER PRIMARY KEY,
            client_id INTEGER NOT NULL REFERENCES clients(id),
            week_start TEXT NOT NULL,
            version INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('draft', 'final')),
            author_note TEXT NOT NULL DEFAULT '',
            request TEXT NOT NULL,
            result TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (client_id, week_start, version)
        )"""
    )
    conn.execute(
        """
        CREATE TABLE price_lists (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            csv_text TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )


def _v2_plan_defaults_and_plan_summary(conn: sqlite3.Connection) -> None:
    """Per-client request defaults; plan summary columns (backfilled from the stored result) for fast listing."""
    conn.execute("ALTER TABLE clients ADD COLUMN plan_defaults TEXT NOT NULL DEFAULT '{}'")
    conn.execute("ALTER TABLE plans ADD COLUMN solver_status TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE plans ADD COLUMN has_solution INTEGER NOT NULL DEFAULT 0")
    conn.execute("ALTER TABLE plans ADD COLUMN cost REAL")
    conn.execute("CREATE INDEX plans_by_client_week ON plans (client_id, week_start)")
    rows = conn.execute("SELECT id, result FROM plans").fetchall()
    for plan_id, result in rows:
        solver_status, has_solution, cost = plan_summary_from_json(result)
        conn.execute(
            "UPDATE plans SET solver_status = ?, has_solution = ?, cost = ? WHERE id = ?",
            (solver_status, int(has_solution), cost, plan_id),
        )


def plan_summary_from_json(result_json: str) -> tuple[str, bool, float | None]:
    """(solver status, has_solution, total cost or None) read from a stored ``Plan`` JSON document."""
    data = json.loads(result_json)
    costs = [row.get("cost") for row in data.get("item_rows", []) if row.get("cost") is not None]
    return str(data.get("status", "")), bool(data.get("has_solution", False)), (float(sum(costs)) if costs else None)


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _v1_initial_schema,
    _v2_plan_defaults_and_plan_summary,
)
LATEST_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    """The schema version recorded in the database (0 for a new, empty file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = LATEST_VERSION) -> int:
    """Apply pending migrations up to ``target``, each in its own transaction; return the final version.

    ``conn`` must be in autocommit mode (``isolation_level=None``) so the explicit transactions here are the only ones.
    """
    if not 0 <= target <= LATEST_VERSION:
        raise MigrationError(f"Unknown schema version {target}; this build knows versions 0..{LATEST_VERSION}.")
    current = schema_version(conn)
    if current > LATEST_VERSION:
        raise MigrationError(
            f"The database is at schema version {current}, newer than this build understands ({LATEST_VERSION}). "
            "Fix: upgrade Cofactor, or point COFACTOR_DB at another file."
        )
    while current < target:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = schema_version(conn)  # another process may have migrated while we waited for the lock
            if current >= target:
                conn.execute("COMMIT")
                break
            MIGRATIONS[current](conn)
            conn.execute(f"PRAGMA user_version = {current + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        current = schema_version(conn)
    return current
