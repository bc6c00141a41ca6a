"""Persistent clients, saved weekly plans and price lists (SQLite by default).

``Store()`` opens ``platformdirs.user_data_dir("cofactor")/cofactor.sqlite3`` unless a path or an SQLAlchemy-style
URL (``sqlite:///path``) is given or ``COFACTOR_DB`` is set. Every write is one ``BEGIN IMMEDIATE`` transaction on a
fresh connection (WAL journal, busy timeout), so several processes or UI sessions can write at once without
corrupting the file, and an exception inside a write leaves the earlier data exactly as it was. Plans are only
saved when they hold a usable solution, so a failed solve never replaces or loses a saved plan.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from foods.errors import CofactorError, DataError
from optimizer.dietitian.migrations import LATEST_VERSION, migrate, plan_summary_from_json, schema_version
from optimizer.results.plan import Plan
from optimizer.domain.profile import Profile
from optimizer.domain.request import Allergen, DietPattern, PlanRequest, UsualItem

ENV_VAR = "COFACTOR_DB"
DB_FILENAME = "cofactor.sqlite3"
BUSY_TIMEOUT_MS = 30_000
PlanStatus = Literal["draft", "final"]


class StorageError(CofactorError, RuntimeError):
    """The store cannot do what was asked (unsupported backend, plan without a solution, bad value)."""


class NotFoundError(StorageError, LookupError):
    """A client, plan or price list that is not in the store was asked for."""


class DuplicateError(StorageError, ValueError):
    """A client or price list with that name already exists."""


# -- records -----------------------------------------------------------------------------------
class Exclusions(BaseModel):
    """What a client does not eat: diet pattern, food ids, SR food group names, allergens."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    diet_pattern: DietPattern = "omnivore"
    foods: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    allergens: tuple[Allergen, ...] = ()


class ClientRecord(BaseModel):
    """A client as the dietitian keeps them. ``plan_defaults`` are extra ``PlanRequest`` fields used for every plan
    (e.g. ``{"vitamin_d_supplement_ug": 50, "days": 7}``)."""

    model_config = ConfigDict(extra="forbid")

    id: int | None = None
    name: str = Field(min_length=1, max_length=200)
    profile: Profile
    notes: str = ""
    usual_diet: tuple[UsualItem, ...] = ()
    exclusions: Exclusions = Field(default_factory=Exclusions)
    preferred_supplements: tuple[str, ...] = ()
    plan_defaults: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @field_validator("name")
    @classmethod
    def _clean_name(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("client name must not be blank")
        return value

    @field_validator("plan_defaults")
    @classmethod
    def _known_request_fields(cls, value: dict[str, Any]) -> dict[str, Any]:
        owned = {"profile", "diet_pattern", "exclude_foods", "exclude_groups", "exclude_allergens", "usual_diet"}
        allowed = set(PlanRequest.model_fields) - owned | {"vitamin_d_supplement_iu", "vitamin_d_weekly_supplement_iu"}
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise ValueError(
                f"plan_defaults names {unknown}, not PlanRequest fields (profile, diet and exclusions are set on the "
                f"client itself). Allowed: {', '.join(sorted(allowed))}"
            )
        return value

    @model_validator(mode="after")
    def _makes_a_request(self) -> "ClientRecord":
        try:
            self.to_request()
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'request'}: {e['msg']}" for e in exc.errors())
            raise ValueError(f"the client's settings do not make a valid plan request ({problems})") from None
        return self

    def to_request(self, **updates: Any) -> PlanRequest:
        """The client's plan request: profile, diet, exclusions, usual diet, preferred supplements, plan defaults,
        then ``updates`` (any ``PlanRequest`` field) on top. Raises pydantic ``ValidationError`` for bad fields."""
        data: dict[str, Any] = {
            "profile": self.profile,
            "diet_pattern": self.exclusions.diet_pattern,
            "exclude_foods": self.exclusions.foods,
            "exclude_groups": self.exclusions.groups,
            "exclude_allergens": self.exclusions.allergens,
            "usual_diet": self.usual_diet,
        }
        if self.preferred_supplements:
            data["supplements"] = self.preferred_supplements
        if self.usual_diet:
            data["objective"] = "minimal_change"
        data.update(self.plan_defaults)
        data.update(updates)
        return PlanRequest.model_validate(data)


class PlanRecord(BaseModel):
    """One saved plan version (without the plan itself; ``Store.get_plan(id)`` loads that)."""

    model_config = ConfigDict(extra="forbid")

    id: int
    client_id: int
    client_name: str
    week_start: date
    version: int
    status: PlanStatus
    author_note: str = ""
    created_at: datetime
    solver_status: str = ""
    has_solution: bool = True
    cost: float | None = None


class PriceListRecord(BaseModel):
    """A saved price list: the CSV text exactly as given (``foods.load_price_list`` format)."""

    model_config = ConfigDict(extra="forbid")

    id: int
    name: str
    csv_text: str
    created_at: datetime

    def to_frame(self) -> pd.DataFrame:
        """The price list rows as a DataFrame (columns as in the CSV)."""
        return pd.read_csv(io.StringIO(self.csv_text), dtype={"food_id": str})

    def to_price_list(self) -> Any:
        """The list as a ``foods.PriceList`` (for ``FoodTable.with_prices``)."""
        return _read_price_list(self.csv_text, self.name)


def _read_price_list(csv_text: str, name: str) -> Any:
    from foods.prices import read_price_list

    buffer = io.StringIO(csv_text)
    buffer.name = f"price list '{name}'"  # type: ignore[attr-defined]
    return read_price_list(buffer)


# -- usual diet from CSV ----------------------------------------------------------------------
def read_usual_diet_csv(path: str | Path) -> tuple[UsualItem, ...]:
    """A usual diet from CSV: columns ``food_id, grams`` and optional ``meal, day`` (grams per day; one row per item).
    Raises ``DataError`` naming the row and column of the first problem."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DataError(f"cannot read the usual diet: {exc.strerror or exc}", source=str(path)) from None
    return parse_usual_diet_csv(text, source=str(path))


def parse_usual_diet_csv(text: str, source: str = "usual diet CSV") -> tuple[UsualItem, ...]:
    """:func:`read_usual_diet_csv` for CSV text (e.g. an upload)."""
    reader = csv.DictReader(text.lstrip("\ufeff").splitlines())
    header = [h.strip() for h in reader.fieldnames or []]
    if "food_id" not in header or "grams" not in header:
        raise DataError("needs columns food_id and grams (optional: meal, day).", source=source, row=1)
    items = []
    for row_no, row in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
        data = {k: row[k] for k in ("food_id", "grams", "meal", "day") if row.get(k)}
        try:
            items.append(UsualItem.model_validate(data))
        except ValidationError as exc:
            err = exc.errors()[0]
            raise DataError(f"{err['msg']} (value {err.get('input')!r}).", source=source, row=row_no,
                            column=str(err["loc"][0]) if err.get("loc") else None) from None
    return tuple(items)


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


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


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
    """Clients, saved plans and price lists in one SQLite file (see module docstring)."""

    def __init__(self, url_or_path: str | os.PathLike[str] | None = None) -> None:
        self.path = resolve_db_path(url_or_path) if url_or_path is not None else default_db_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"Cannot create the folder for the database {self.path}: {exc}") from exc
        conn = self._open()
        try:
            self._use_wal(conn)
            migrate(conn)
        finally:
            conn.close()

    def _use_wal(self, conn: sqlite3.Connection) -> None:
        """Switch a new file to WAL. SQLite may answer "database is locked" at once (without its busy handler)
        while another process creates the same file: retry for up to the busy timeout."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if not any(w in str(exc).lower() for w in ("locked", "busy")) or time.monotonic() > deadline:
                    raise StorageError(f"Cannot set up the database {self.path}: {exc}. Fix: close other programs "
                                       "using it, or choose another file with --db / COFACTOR_DB.") from exc
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
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise StorageError(f"Cannot open the database {self.path}: {exc}") from exc
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        conn = self._open()
        try:
            yield conn
        finally:
            conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE`` … ``COMMIT``); any exception rolls everything back."""
        conn = self._open()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()

    @property
    def schema_version(self) -> int:
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

    @staticmethod
    def _client_from_row(row: tuple) -> ClientRecord:
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
    def _client_values(client: ClientRecord) -> tuple:
        return (
            client.name,
            client.profile.model_dump_json(),
            client.notes,
            json.dumps([u.model_dump(mode="json") for u in client.usual_diet]),
            client.exclusions.model_dump_json(),
            json.dumps(list(client.preferred_supplements)),
            json.dumps(client.plan_defaults),
        )

    def _client_row(self, conn: sqlite3.Connection, client: str | int | ClientRecord) -> tuple:
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
        now = _now()
        try:
            with self.transaction() as conn:
                cur = conn.execute(
                    "INSERT INTO clients (name, profile, notes, usual_diet, exclusions, preferred_supplements, "
                    "plan_defaults, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*self._client_values(record), now, now),
                )
                new_id = int(cur.lastrowid)
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
    def _plan_record(row: tuple) -> PlanRecord:
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
            return int(cur.lastrowid)

    def _plan_field(self, plan_id: int, column: str) -> str:
        with self._read() as conn:
            row = conn.execute(f"SELECT {column} FROM plans WHERE id = ?", (int(plan_id),)).fetchone()
        if row is None:
            raise NotFoundError(f"No saved plan with id {plan_id} in {self.path}. Fix: `cofactor plans --client NAME` lists ids.")
        return row[0]

    def get_plan(self, plan_id: int) -> Plan:
        """The saved plan (request, items, supplements, totals, targets) exactly as it was saved."""
        return Plan.model_validate_json(self._plan_field(plan_id, "result"))

    def get_plan_request(self, plan_id: int) -> PlanRequest:
        """The request the saved plan was made from."""
        return PlanRequest.model_validate_json(self._plan_field(plan_id, "request"))

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
    def save_price_list(self, name: str, csv_text: str, *, replace: bool = False) -> int:
        """Save a price list's CSV text (``foods.load_price_list`` format) under a name; ``replace=True`` overwrites.
        Returns its id. Raises ``foods.errors.PriceListError`` (row, column, fix) for a malformed list."""
        name = " ".join(str(name).split())
        if not name:
            raise StorageError("A price list needs a name.")
        _read_price_list(csv_text, name)  # all-or-nothing validation: raises PriceListError naming row and column
        with self.transaction() as conn:
            existing = conn.execute("SELECT id FROM price_lists WHERE name = ?", (name,)).fetchone()
            if existing and not replace:
                raise DuplicateError(f"A price list named '{name}' already exists. Fix: pass replace=True or another name.")
            if existing:
                conn.execute("UPDATE price_lists SET csv_text = ?, created_at = ? WHERE id = ?", (csv_text, _now(), existing[0]))
                return int(existing[0])
            cur = conn.execute("INSERT INTO price_lists (name, csv_text, created_at) VALUES (?, ?, ?)", (name, csv_text, _now()))
            return int(cur.lastrowid)

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
    "ClientRecord", "DuplicateError", "Exclusions", "LATEST_VERSION", "NotFoundError", "PlanRecord", "PriceListRecord",
    "Store", "StorageError", "default_db_path", "parse_usual_diet_csv", "read_usual_diet_csv", "resolve_db_path",
]
