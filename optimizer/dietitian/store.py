"""Persistent clients, saved weekly plans and price lists (SQLite by default).

``Store()`` opens ``platformdirs.user_data_dir("cofactor")/cofactor.sqlite3`` unless a path or an SQLAlchemy-style
URL (``sqlite:///path``) is given or ``COFACTOR_DB`` is set. Every write is one ``BEGIN IMMEDIATE`` transaction on a
fresh connection (WAL journal, busy timeout), so several processes or UI sessions can write at once without
corrupting the file, and an exception inside a write leaves the earlier data exactly as it was. Plans are only
saved when they hold a usable solution, so a failed solve never replaces or loses a saved plan.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Collection, Iterator
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel

from optimizer.dietitian.location import DB_FILENAME, ENV_VAR, default_db_path, resolve_db_path
from optimizer.dietitian.migrations import (
    LATEST_VERSION,
    MigrationError,
    migrate,
    plan_summary_from_json,
    schema_version,
)
from optimizer.dietitian.records import (
    ClientRecord,
    Exclusions,
    PlanRecord,
    PlanStatus,
    PriceListRecord,
    check_price_list_foods,
    parse_usual_diet_csv,
    read_price_list_text,
    read_usual_diet_csv,
)
from optimizer.dietitian.store_errors import (
    DuplicateError,
    NotFoundError,
    StorageError,
    StoreCorruptError,
    StoreError,
    StoreFullError,
    StoreLockedError,
    StoreReadOnlyError,
    StoreSchemaError,
    StoreUnavailableError,
    store_error,
)
from optimizer.domain.limits import check_upper_limits
from optimizer.domain.profile import Profile
from optimizer.domain.request import PlanRequest
from optimizer.results.load import reverify
from optimizer.results.plan import Plan

BUSY_TIMEOUT_MS = 30_000
TABLES = ("clients", "plans", "price_lists")
SavedModel = TypeVar("SavedModel", bound=BaseModel)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _inserted_id(cur: sqlite3.Cursor) -> int:
    """The id SQLite gave the row the INSERT on ``cur`` just added (every INSERT here adds exactly one row)."""
    if cur.lastrowid is None:
        raise StorageError("SQLite reported no id for the row just saved; nothing was saved. Fix: try again.")
    return cur.lastrowid


def _week(value: date | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise StorageError(f"Week start '{value}' is not a date. Fix: write it as YYYY-MM-DD, e.g. 2026-11-30.") from None


# -- the store -------------------------------------------------------------------------------
class Store:
    """Clients, saved plans and price lists in one SQLite file (see module docstring).

    ``timeout_s``: how long to wait for another program's write lock before :class:`StoreLockedError` (seconds,
    default 30). ``max_pages``: an optional cap on the file size in SQLite pages (``PRAGMA max_page_count``; a page is
    4 kB by default); writes beyond it raise :class:`StoreFullError`, as a full disk does. Every SQLite failure
    is raised as a named :class:`StoreError` (see ``optimizer.dietitian.store_errors``)."""

    def __init__(self, url_or_path: str | os.PathLike[str] | None = None, *, timeout_s: float = BUSY_TIMEOUT_MS / 1000,
                 max_pages: int | None = None) -> None:
        self.path = resolve_db_path(url_or_path) if url_or_path is not None else default_db_path()
        if isinstance(timeout_s, bool) or not isinstance(timeout_s, (int, float)) or not 0 <= timeout_s <= 3600:
            raise StorageError(f"timeout_s must be seconds in [0, 3600] (got {timeout_s!r}).")
        if max_pages is not None and (isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1):
            raise StorageError(f"max_pages must be a whole number >= 1 (got {max_pages!r}).")
        self.timeout_s, self.max_pages = float(timeout_s), max_pages
        if self.path.is_dir():
            raise StoreUnavailableError(f"The database path {self.path} is a folder. Fix: give a file name, e.g. "
                                        f"{self.path / DB_FILENAME}.", path=self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailableError(f"Cannot create the folder for the database {self.path}: {exc}",
                                        path=self.path) from exc
        conn = self._open()
        try:
            self._use_wal(conn)
            migrate(conn)
            self._check_tables(conn)
        except sqlite3.Error as exc:
            raise store_error(exc, self.path, timeout_s=self.timeout_s, doing="open") from exc
        finally:
            conn.close()

    def _check_tables(self, conn: sqlite3.Connection) -> None:
        """Refuse a file whose schema version promises tables it does not have."""
        found = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
        missing = [t for t in TABLES if t not in found]
        if missing:
            raise StoreSchemaError(
                f"The database {self.path} says it is a Cofactor store (schema version {schema_version(conn)}) but "
                f"has no {', '.join(missing)} table(s). It is another program's file or was damaged. Fix: point --db / "
                "COFACTOR_DB at your Cofactor store (or restore it from a backup); a new file name starts an empty "
                "store. This file was not changed.", path=self.path)

    def _use_wal(self, conn: sqlite3.Connection) -> None:
        """Switch a new file to WAL. SQLite may answer "database is locked" at once (without its busy handler)
        while another process creates the same file: retry for up to the busy timeout."""
        deadline = time.monotonic() + self.timeout_s
        while True:
            try:
                if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if not any(w in str(exc).lower() for w in ("locked", "busy")) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    @property
    def url(self) -> str:
        """The store as an SQLAlchemy-style URL."""
        return f"sqlite:///{self.path}"

    # -- connections and transactions --------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=self.timeout_s, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout_s * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            if self.max_pages is not None:
                conn.execute(f"PRAGMA max_page_count = {int(self.max_pages)}")
        except sqlite3.Error as exc:
            raise store_error(exc, self.path, timeout_s=self.timeout_s, doing="open") from exc
        return conn

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        conn = self._open()
        try:
            yield conn
        except sqlite3.Error as exc:
            raise store_error(exc, self.path, timeout_s=self.timeout_s, doing="read") from exc
        finally:
            conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE`` … ``COMMIT``); any exception rolls everything back.
        SQLite failures are raised as named :class:`StoreError` s (an ``IntegrityError`` is passed on as it is)."""
        conn = self._open()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                with contextlib.suppress(sqlite3.Error):  # SQLite may already have rolled back (disk full)
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.IntegrityError:
            raise
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            raise store_error(exc, self.path, timeout_s=self.timeout_s, doing="write to") from exc
        finally:
            conn.close()

    @property
    def schema_version(self) -> int:
        """The schema version recorded in the file (``PRAGMA user_version``)."""
        with self._read() as conn:
            return schema_version(conn)

    def integrity_check(self) -> str:
        """SQLite's ``PRAGMA integrity_check`` answer ("ok" when the file is sound)."""
        with self._read() as conn:
            return "; ".join(str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall())

    # -- clients -----------------------------------------------------------------------------
    _CLIENT_COLS = (
        "id, name, profile, notes, usual_diet, exclusions, preferred_supplements, plan_defaults, created_at, updated_at"
    )

    def _client_from_row(self, row: tuple[Any, ...]) -> ClientRecord:
        cid, name = row[0], row[1]
        try:
            return self._parse_client(row)
        except (ValueError, TypeError) as exc:  # JSON or validation (pydantic's ValidationError is a ValueError)
            raise StoreCorruptError(
                f"Client '{name}' (id {cid}) in {self.path} cannot be read back: {str(exc)[:300]}. The row was damaged "
                "or saved by a build that accepted values this one refuses. Fix: remove the client "
                f"(`cofactor client remove '{name}' --with-plans` after exporting its plans) and add it again.",
                path=self.path) from None

    @staticmethod
    def _parse_client(row: tuple[Any, ...]) -> ClientRecord:
        cid, name, profile, notes, usual, excl, prefs, defaults, created, updated = row
        return ClientRecord(
            id=cid,
            name=name,
            profile=Profile.model_validate_json(profile),
            notes=notes,
            usual_diet=json.loads(usual),
            exclusions=Exclusions.model_validate_json(excl),
            preferred_supplements=json.loads(prefs),
            plan_defaults=json.loads(defaults),
            created_at=created,
            updated_at=updated,
        )

    @staticmethod
    def _client_values(client: ClientRecord) -> tuple[str, ...]:
        return (
            client.name,
            client.profile.model_dump_json(),
            client.notes,
            json.dumps([u.model_dump(mode="json") for u in client.usual_diet]),
            client.exclusions.model_dump_json(),
            json.dumps(list(client.preferred_supplements)),
            json.dumps(client.plan_defaults),
        )

    def _client_row(self, conn: sqlite3.Connection, client: str | int | ClientRecord) -> tuple[Any, ...]:
        row: tuple[Any, ...] | None
        if isinstance(client, ClientRecord):
            client = client.id if client.id is not None else client.name
        if isinstance(client, int):
            row = conn.execute(f"SELECT {self._CLIENT_COLS} FROM clients WHERE id = ?", (client,)).fetchone()
        else:
            row = conn.execute(f"SELECT {self._CLIENT_COLS} FROM clients WHERE name = ?", (" ".join(str(client).split()),)).fetchone()
        if row is None:
            names = [r[0] for r in conn.execute("SELECT name FROM clients ORDER BY name").fetchall()]
            known = f" Known clients: {', '.join(names)}." if names else " The store has no clients yet."
            raise NotFoundError(f"No client '{client}' in {self.path}.{known} Fix: `cofactor client add NAME ...`.")
        return row

    def add_client(self, client: ClientRecord | None = None, /, **fields: Any) -> ClientRecord:
        """Add a client (a ``ClientRecord`` or its fields as keywords); returns the stored record with its id."""
        record = client if client is not None else ClientRecord.model_validate(fields)
        check_upper_limits(record.to_request(), where=f"client '{record.name}''s saved plan defaults")
        now = _now()
        try:
            with self.transaction() as conn:
                cur = conn.execute(
                    "INSERT INTO clients (name, profile, notes, usual_diet, exclusions, preferred_supplements, "
                    "plan_defaults, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*self._client_values(record), now, now),
                )
                new_id = _inserted_id(cur)
        except sqlite3.IntegrityError:
            raise DuplicateError(
                f"A client named '{record.name}' already exists. Fix: choose another name or `cofactor client show`."
            ) from None
        return self.get_client(new_id)

    def get_client(self, client: str | int | ClientRecord) -> ClientRecord:
        """A client by name or id; raises ``NotFoundError`` listing the known names."""
        with self._read() as conn:
            return self._client_from_row(self._client_row(conn, client))

    def list_clients(self) -> list[ClientRecord]:
        """Every client, by name."""
        with self._read() as conn:
            rows = conn.execute(f"SELECT {self._CLIENT_COLS} FROM clients ORDER BY name").fetchall()
        return [self._client_from_row(r) for r in rows]

    def update_client(self, client: str | int | ClientRecord, **changes: Any) -> ClientRecord:
        """Change fields of a client (validated as a whole); returns the updated record."""
        forbidden = {"id", "created_at", "updated_at"} & set(changes)
        if forbidden:
            raise StorageError(f"{sorted(forbidden)} are set by the store and cannot be changed.")
        try:
            with self.transaction() as conn:
                current = self._client_from_row(self._client_row(conn, client))
                data = current.model_dump() | changes
                updated = ClientRecord.model_validate(data)
                check_upper_limits(updated.to_request(), where=f"client '{updated.name}''s saved plan defaults")
                conn.execute(
                    "UPDATE clients SET name = ?, profile = ?, notes = ?, usual_diet = ?, exclusions = ?, "
                    "preferred_supplements = ?, plan_defaults = ?, updated_at = ? WHERE id = ?",
                    (*self._client_values(updated), _now(), current.id),
                )
        except sqlite3.IntegrityError:
            raise DuplicateError(f"A client named '{changes.get('name')}' already exists. Fix: choose another name.") from None
        return self.get_client(current.id)  # type: ignore[arg-type]

    def delete_client(self, client: str | int | ClientRecord, *, delete_plans: bool = False) -> None:
        """Remove a client. Refuses when saved plans exist unless ``delete_plans=True`` (then they go too)."""
        with self.transaction() as conn:
            cid = self._client_row(conn, client)[0]
            n = conn.execute("SELECT COUNT(*) FROM plans WHERE client_id = ?", (cid,)).fetchone()[0]
            if n and not delete_plans:
                raise StorageError(
                    f"Client '{client}' has {n} saved plan(s); deleting would lose them. "
                    "Fix: export them first, then delete with delete_plans=True (CLI: --with-plans)."
                )
            conn.execute("DELETE FROM plans WHERE client_id = ?", (cid,))
            conn.execute("DELETE FROM clients WHERE id = ?", (cid,))

    # -- plans -------------------------------------------------------------------------------
    _PLAN_COLS = (
        "p.id, p.client_id, c.name, p.week_start, p.version, p.status, p.author_note, p.created_at, "
        "p.solver_status, p.has_solution, p.cost"
    )

    @staticmethod
    def _plan_record(row: tuple[Any, ...]) -> PlanRecord:
        pid, cid, name, week, version, status, note, created, sstatus, has, cost = row
        return PlanRecord(
            id=pid, client_id=cid, client_name=name, week_start=week, version=version, status=status,
            author_note=note, created_at=created, solver_status=sstatus, has_solution=bool(has), cost=cost,
        )

    def save_plan(
        self,
        client: str | int | ClientRecord,
        plan: Plan,
        week_start: date | str,
        status: PlanStatus = "draft",
        author_note: str = "",
    ) -> int:
        """Save a solved plan as the next version for (client, week); returns the plan id.

        Refuses plans without a usable solution, so a failed solve can never stand in for a saved plan."""
        if status not in ("draft", "final"):
            raise StorageError(f"Plan status '{status}' is not 'draft' or 'final'.")
        if not plan.has_solution:
            raise StorageError(
                f"The plan has no usable solution (solver status '{plan.status}'); only solved plans are saved. "
                "Fix: change the request (see the plan's explanation) and plan again."
            )
        week = _week(week_start).isoformat()
        result_json = plan.model_dump_json()
        request_json = plan.request.model_dump_json()
        solver_status, has_solution, cost = plan_summary_from_json(result_json)
        with self.transaction() as conn:
            cid = self._client_row(conn, client)[0]
            version = conn.execute(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM plans WHERE client_id = ? AND week_start = ?", (cid, week)
            ).fetchone()[0]
            cur = conn.execute(
                "INSERT INTO plans (client_id, week_start, version, status, author_note, request, result, created_at, "
                "solver_status, has_solution, cost) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (cid, week, version, status, author_note, request_json, result_json, _now(), solver_status,
                 int(has_solution), cost),
            )
            return _inserted_id(cur)

    def _plan_field(self, plan_id: int, column: str) -> str:
        with self._read() as conn:
            row = conn.execute(f"SELECT {column} FROM plans WHERE id = ?", (int(plan_id),)).fetchone()
        if row is None:
            raise NotFoundError(f"No saved plan with id {plan_id} in {self.path}. Fix: `cofactor plans --client NAME` lists ids.")
        return str(row[0])

    def get_plan(self, plan_id: int, *, verify: bool = True) -> Plan:
        """The saved plan (request, items, supplements, totals, targets), verified again from the catalogue
        (``optimizer.results.load.reverify``: the stored verdict is never trusted; a plan that fails comes back
        with ``has_solution=False`` and the reasons). ``verify=False`` returns the stored record exactly as saved
        (for storage checks and migrations only: never show or export such a plan)."""
        saved = self._parse_saved(plan_id, "result", Plan)
        return reverify(saved) if verify else saved

    def get_plan_request(self, plan_id: int) -> PlanRequest:
        """The request the saved plan was made from."""
        return self._parse_saved(plan_id, "request", PlanRequest)

    def _parse_saved(self, plan_id: int, column: str, model: type[SavedModel]) -> SavedModel:
        text = self._plan_field(plan_id, column)
        try:
            return model.model_validate_json(text)
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            raise StoreCorruptError(
                f"Saved plan {plan_id} in {self.path} cannot be read back ({column}): {str(exc)[:300]}. Fix: restore "
                "the store from a backup; other plans are unaffected.", path=self.path) from None

    def get_plan_record(self, plan_id: int) -> PlanRecord:
        """Who, which week, version, status and note of a saved plan."""
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {self._PLAN_COLS} FROM plans p JOIN clients c ON c.id = p.client_id WHERE p.id = ?",
                (int(plan_id),),
            ).fetchone()
        if row is None:
            raise NotFoundError(f"No saved plan with id {plan_id} in {self.path}. Fix: `cofactor plans --client NAME` lists ids.")
        return self._plan_record(row)

    def list_plans(self, client: str | int | ClientRecord | None = None, week_start: date | str | None = None) -> list[PlanRecord]:
        """Saved plans, newest week first then newest version; optionally of one client and/or one week."""
        where, args = [], []
        with self._read() as conn:
            if client is not None:
                where.append("p.client_id = ?")
                args.append(self._client_row(conn, client)[0])
            if week_start is not None:
                where.append("p.week_start = ?")
                args.append(_week(week_start).isoformat())
            sql = f"SELECT {self._PLAN_COLS} FROM plans p JOIN clients c ON c.id = p.client_id"
            if where:
                sql += " WHERE " + " AND ".join(where)
            rows = conn.execute(sql + " ORDER BY c.name, p.week_start DESC, p.version DESC", args).fetchall()
        return [self._plan_record(r) for r in rows]

    def latest_plan(self, client: str | int | ClientRecord, week_start: date | str | None = None) -> PlanRecord | None:
        """The newest saved version for the client (in one week when given), or None."""
        plans = self.list_plans(client, week_start)
        return plans[0] if plans else None

    def set_status(self, plan_id: int, status: PlanStatus) -> PlanRecord:
        """Mark a saved plan draft or final."""
        if status not in ("draft", "final"):
            raise StorageError(f"Plan status '{status}' is not 'draft' or 'final'.")
        with self.transaction() as conn:
            cur = conn.execute("UPDATE plans SET status = ? WHERE id = ?", (status, int(plan_id)))
            if cur.rowcount == 0:
                raise NotFoundError(f"No saved plan with id {plan_id} in {self.path}.")
        return self.get_plan_record(plan_id)

    # -- price lists -------------------------------------------------------------------------
    def save_price_list(self, name: str, csv_text: str, *, replace: bool = False,
                        known_food_ids: Collection[str] | None = None) -> int:
        """Save a price list's CSV text (``foods.load_price_list`` format) under a name; ``replace=True`` overwrites.
        Returns its id. Raises ``foods.errors.PriceListError`` (row, column, fix) for a malformed list, and for food
        ids not in ``known_food_ids`` when given (e.g. the catalogue's index; every unknown row is listed)."""
        name = " ".join(str(name).split())
        if not name:
            raise StorageError("A price list needs a name.")
        prices = read_price_list_text(csv_text, name)  # all-or-nothing: raises PriceListError naming row and column
        if known_food_ids is not None:
            check_price_list_foods(prices, known_food_ids, name)
        with self.transaction() as conn:
            existing = conn.execute("SELECT id FROM price_lists WHERE name = ?", (name,)).fetchone()
            if existing and not replace:
                raise DuplicateError(f"A price list named '{name}' already exists. Fix: pass replace=True or another name.")
            if existing:
                conn.execute("UPDATE price_lists SET csv_text = ?, created_at = ? WHERE id = ?", (csv_text, _now(), existing[0]))
                return int(existing[0])
            cur = conn.execute("INSERT INTO price_lists (name, csv_text, created_at) VALUES (?, ?, ?)", (name, csv_text, _now()))
            return _inserted_id(cur)

    def list_price_lists(self) -> list[PriceListRecord]:
        """Every saved price list, by name."""
        with self._read() as conn:
            rows = conn.execute("SELECT id, name, csv_text, created_at FROM price_lists ORDER BY name").fetchall()
        return [PriceListRecord(id=r[0], name=r[1], csv_text=r[2], created_at=r[3]) for r in rows]

    def get_price_list(self, name_or_id: str | int) -> PriceListRecord:
        """A saved price list by name or id."""
        column = "id" if isinstance(name_or_id, int) else "name"
        with self._read() as conn:
            row = conn.execute(f"SELECT id, name, csv_text, created_at FROM price_lists WHERE {column} = ?", (name_or_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"No price list '{name_or_id}' in {self.path}.")
        return PriceListRecord(id=row[0], name=row[1], csv_text=row[2], created_at=row[3])


__all__ = [
    "DB_FILENAME", "ENV_VAR", "LATEST_VERSION", "ClientRecord", "DuplicateError", "Exclusions", "MigrationError",
    "NotFoundError", "PlanRecord", "PlanStatus", "PriceListRecord", "StorageError", "Store", "StoreCorruptError",
    "StoreError", "StoreFullError", "StoreLockedError", "StoreReadOnlyError", "StoreSchemaError",
    "StoreUnavailableError", "default_db_path", "parse_usual_diet_csv", "read_usual_diet_csv", "resolve_db_path",
]
