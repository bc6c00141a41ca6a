"""Plan many clients at once, on a local process pool or any ``concurrent.futures``-style executor.

Work is sent as a top-level function with plain-data arguments (the request as JSON), so any executor that pickles
work runs it unchanged: the default local ``ProcessPoolExecutor``, a ``ThreadPoolExecutor``, or a Dask cluster via
``distributed.Client(address).get_executor()``. Each worker loads the shipped catalogues itself (once per process).
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import BrokenExecutor, Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

import pandas as pd
from pydantic import ValidationError

from foods.errors import DataError, ProblemLog
from optimizer.dietitian.store import ClientRecord, Store
from optimizer.domain.limits import check_upper_limits
from optimizer.domain.request import PlanRequest
from optimizer.results.load import load_plan
from optimizer.results.plan import Plan

if TYPE_CHECKING:
    from foods.table import FoodTable

DEFAULT_WORKERS = 2
PROFILE_COLUMNS = ("sex", "age", "pregnant", "lactating", "weight_kg", "height_cm", "activity", "energy_kcal")
LIST_COLUMNS = {"exclude_foods": "foods", "exclude_groups": "groups", "exclude_allergens": "allergens"}
DEFAULT_COLUMNS = ("days", "vitamin_d_supplement_ug", "vitamin_d_supplement_iu", "vitamin_d_weekly_supplement_ug")
CSV_COLUMNS = ("name", *PROFILE_COLUMNS, "diet_pattern", *LIST_COLUMNS, "supplements", *DEFAULT_COLUMNS, "notes")
_TRUE, _FALSE = {"1", "true", "yes", "y", "x"}, {"", "0", "false", "no", "n"}
BatchState = Literal["planned", "infeasible", "error"]
Progress = Callable[[int, int, "BatchOutcome"], None]
Worker = Callable[[str, str, "str | None", "float | None"], dict[str, Any]]


@dataclass(frozen=True)
class BatchJob:
    """One client to plan: a name (unique in the batch) and the request."""

    name: str
    request: PlanRequest


@dataclass
class BatchOutcome:
    """What happened to one job: planned, infeasible (``reason`` = explanation summary) or error (``reason`` = error)."""

    name: str
    state: BatchState
    plan: Plan | None
    reason: str = ""
    seconds: float = 0.0

    @property
    def status(self) -> str:
        """The solver's status, or "error"."""
        return self.plan.status if self.plan is not None else "error"


@dataclass
class BatchResult:
    """All outcomes (in job order), the wall-clock time of the whole batch (seconds) and the clients that were run
    again on a fresh pool because a worker process died."""

    outcomes: list[BatchOutcome] = field(default_factory=list)
    total_seconds: float = 0.0
    retried: list[str] = field(default_factory=list)

    def _with(self, state: BatchState) -> list[BatchOutcome]:
        return [o for o in self.outcomes if o.state == state]

    @property
    def planned(self) -> list[BatchOutcome]:
        return self._with("planned")

    @property
    def infeasible(self) -> list[BatchOutcome]:
        return self._with("infeasible")

    @property
    def errors(self) -> list[BatchOutcome]:
        return self._with("error")

    def summary_frame(self) -> pd.DataFrame:
        """One row per client: name, state, solver status, seconds, cost, reason."""
        return pd.DataFrame(
            [{"name": o.name, "state": o.state, "status": o.status, "seconds": round(o.seconds, 3),
              "cost": None if o.plan is None or o.plan.cost is None else round(o.plan.cost, 2), "reason": o.reason}
             for o in self.outcomes],
            columns=["name", "state", "status", "seconds", "cost", "reason"],
        )

    def summary_text(self) -> str:
        """A few lines for people: counts, reasons for infeasible clients and errors, times."""
        n = len(self.outcomes)
        lines = [f"{n} client(s): {len(self.planned)} planned, {len(self.infeasible)} infeasible, "
                 f"{len(self.errors)} error(s); {self.total_seconds:.1f} s in total"
                 + (f", {sum(o.seconds for o in self.outcomes) / n:.1f} s per client" if n else "")]
        if self.retried:
            lines.append(f"  retried on a fresh worker pool after a worker process died: {', '.join(self.retried)}")
        lines += [f"  infeasible: {o.name}: {o.reason}" for o in self.infeasible]
        lines += [f"  error: {o.name}: {o.reason}" for o in self.errors]
        return "\n".join(lines)


# -- reading jobs --------------------------------------------------------------------------
def _bool(text: str, *, source: str, row: int, column: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise DataError(f"'{text}' is not yes/no.", source=source, row=row, column=column, fix="write true or false (or leave empty).")


def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in re.split(r"[;|]", text) if p.strip())


def _column_of(loc: tuple[int | str, ...]) -> str:
    if len(loc) >= 2 and loc[0] == "profile":
        return str(loc[1])
    if len(loc) >= 2 and loc[0] == "exclusions":
        return {"diet_pattern": "diet_pattern", "foods": "exclude_foods", "groups": "exclude_groups",
                "allergens": "exclude_allergens"}.get(str(loc[1]), str(loc[1]))
    if loc and loc[0] == "preferred_supplements":
        return "supplements"
    if len(loc) >= 2 and loc[0] == "plan_defaults":
        return str(loc[1])
    return str(loc[0]) if loc else ""


def _row_error(exc: ValidationError, profile: dict[str, Any], defaults: dict[str, Any], *, source: str, row: int) -> DataError:
    """The first problem of a CSV row as a DataError naming its column (request-level problems are re-validated
    on their own so the column can be named)."""
    err = exc.errors()[0]
    loc = tuple(err.get("loc", ()))
    if not loc:  # the client's settings as a whole do not make a request: find the field
        try:
            PlanRequest.model_validate({"profile": profile, **defaults})
        except ValidationError as inner:
            err = inner.errors()[0]
            loc = tuple(err.get("loc", ()))
    value = err.get("input")
    shown = f" (value {value!r})" if isinstance(value, (str, int, float)) else ""
    message = str(err.get("msg", exc)).removeprefix("Value error, ")
    column = _column_of(loc)
    return DataError(f"{message}{shown}.", source=source, row=row, column=column if column in CSV_COLUMNS else None,
                     fix="correct the value; see docs/dietitians.md for the columns.")


def load_batch_clients(source: str | Path | IO[str]) -> list[ClientRecord]:
    """Clients from a batch CSV (columns ``CSV_COLUMNS``; ``name``, ``sex``, ``age`` required; lists ";"-separated).

    All-or-nothing: raises one ``DataError`` naming the file, spreadsheet row and column of every bad row (the first
    ``foods.errors.MAX_REPORTED_PROBLEMS`` are listed, the rest counted)."""
    name = str(source) if isinstance(source, (str, Path)) else str(getattr(source, "name", "clients CSV"))
    try:
        text = source.read() if hasattr(source, "read") else Path(source).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DataError(f"cannot read the clients CSV: {exc.strerror or exc}", source=name) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise DataError("the file is empty.", source=name, fix=f"start with a header row: {','.join(CSV_COLUMNS[:6])},...")
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown:
        raise DataError(f"unknown column(s) {unknown}.", source=name, row=1, column=unknown[0],
                        fix=f"use only: {', '.join(CSV_COLUMNS)}.")
    missing = [c for c in ("name", "sex", "age") if c not in header]
    if missing:
        raise DataError(f"missing required column(s) {missing}.", source=name, row=1, fix="add name, sex and age columns.")
    clients: list[ClientRecord] = []
    seen: dict[str, int] = {}
    log = ProblemLog(DataError, source=name)
    for row_no, raw in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(row.values()):
            continue
        if row["name"] in seen:
            log.add(f"client '{row['name']}' appears twice (first on row {seen[row['name']]}).", row=row_no,
                    column="name", fix="give every client a unique name.")
            continue
        seen[row["name"]] = row_no
        with log.collecting():
            clients.append(_client_from_row(row, source=name, row_no=row_no))
    log.raise_if_any()
    if not clients:
        raise DataError("the file has a header but no clients.", source=name, fix="add one row per client.")
    return clients


def _client_from_row(row: dict[str, str], *, source: str, row_no: int) -> ClientRecord:
    """One client from a CSV row; raises ``DataError`` naming the row and column of its first problem."""
    profile: dict[str, Any] = {}
    for col in PROFILE_COLUMNS:
        if not row.get(col):
            continue
        if col in ("pregnant", "lactating"):
            profile[col] = _bool(row[col], source=source, row=row_no, column=col)
        elif col in ("age", "weight_kg", "height_cm", "energy_kcal"):
            try:
                profile[col] = float(row[col])
            except ValueError:
                raise DataError(f"'{row[col]}' is not a number.", source=source, row=row_no, column=col,
                                fix="write a plain number (years, kg, cm or kcal/day).") from None
        else:
            profile[col] = row[col]
    exclusions: dict[str, Any] = {key: _split(row[col]) for col, key in LIST_COLUMNS.items() if row.get(col)}
    if row.get("diet_pattern"):
        exclusions["diet_pattern"] = row["diet_pattern"].lower()
    defaults: dict[str, Any] = {}
    for col in DEFAULT_COLUMNS:
        if row.get(col):
            try:
                defaults[col] = int(row[col]) if col == "days" else float(row[col])
            except ValueError:
                raise DataError(f"'{row[col]}' is not a number.", source=source, row=row_no, column=col,
                                fix="write a plain number (µg for vitamin D, whole days for days).") from None
    try:
        return ClientRecord.model_validate({
            "name": row["name"], "profile": profile, "exclusions": exclusions, "notes": row.get("notes", ""),
            "preferred_supplements": _split(row.get("supplements", "")), "plan_defaults": defaults})
    except ValidationError as exc:
        raise _row_error(exc, profile, defaults, source=source, row=row_no) from None
    except ValueError as exc:
        raise DataError(str(exc), source=source, row=row_no) from None


def load_batch_csv(source: str | Path | IO[str], **request_updates: Any) -> list[BatchJob]:
    """Jobs from a clients CSV (see :func:`load_batch_clients`); ``request_updates`` (e.g. ``days=1``,
    ``time_limit_s=10``) apply to every client unless the row sets the same field."""
    jobs = []
    for client in load_batch_clients(source):
        updates = {k: v for k, v in request_updates.items() if k not in client.plan_defaults}
        jobs.append(BatchJob(client.name, client.to_request(**updates)))
        check_upper_limits(jobs[-1].request, where=f"batch client '{client.name}'")
    return jobs


def jobs_from_clients(store: Store, names: Iterable[str] | None = None, **request_updates: Any) -> list[BatchJob]:
    """Jobs for saved clients (all, or those named) with ``request_updates`` on top of each client's defaults."""
    clients = store.list_clients() if names is None else [store.get_client(n) for n in names]
    return [BatchJob(c.name, c.to_request(**request_updates)) for c in clients]


# -- running -------------------------------------------------------------------------------
def plan_one(name: str, request_json: str, solver: str | None = None, time_limit_s: float | None = None) -> dict[str, Any]:
    """Plan one client (runs in a worker). Plain data in and out: returns name, ok, plan_json or error, seconds."""
    start = time.perf_counter()
    try:
        from optimizer.planner import plan

        result = plan(PlanRequest.model_validate_json(request_json), solver=solver, time_limit_s=time_limit_s)
        return {"name": name, "ok": True, "plan_json": result.model_dump_json(), "seconds": time.perf_counter() - start}
    except Exception as exc:  # noqa: BLE001 - reported per client, the batch goes on
        return {"name": name, "ok": False, "error": f"{type(exc).__name__}: {exc}", "seconds": time.perf_counter() - start}


def _outcome(name: str, payload: dict[str, Any]) -> BatchOutcome:
    if not payload.get("ok"):
        return BatchOutcome(name, "error", None, payload.get("error", "unknown error"), payload.get("seconds", 0.0))
    result = load_plan(payload["plan_json"])  # verified again here: a worker's verdict is not trusted
    if result.has_solution:
        return BatchOutcome(name, "planned", result, "", payload["seconds"])
    reason = result.explanation.summary if result.explanation is not None else f"solver status {result.status}"
    return BatchOutcome(name, "infeasible", result, reason, payload["seconds"])


def _local_pool(max_workers: int) -> Executor:
    return ProcessPoolExecutor(max_workers=max_workers, mp_context=multiprocessing.get_context("spawn"))


def plan_batch(
    jobs: Sequence[BatchJob],
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    max_workers: int = DEFAULT_WORKERS,
    solver: str | None = None,
    time_limit_s: float | None = None,
    retries: int = 1,
    worker: Worker = plan_one,
) -> BatchResult:
    """Plan every job; never raises for one client's failure (it becomes an "error" outcome).

    ``executor``: any ``concurrent.futures``-style executor (default: a local spawn-based ``ProcessPoolExecutor`` with
    ``max_workers``, shut down afterwards). ``progress(done, total, outcome)`` is called as each client finishes.

    A worker process that dies (``kill -9``, out of memory) breaks a process pool and every client still queued on
    it. Those clients — and only those — are run again on a fresh local pool, up to ``retries`` times; clients still
    lost after that are run one at a time, so a client that kills every worker it runs on is found and reported as an
    error while the others are planned. The result's ``retried`` lists every client run again. ``worker`` is the
    function run per client (default :func:`plan_one`; a top-level function with the same arguments and result).
    """
    names = [j.name for j in jobs]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"batch job names must be unique; repeated: {dupes}")
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ValueError(f"retries must be a whole number >= 0 (got {retries!r})")
    start = time.perf_counter()
    run = _Rounds(len(jobs), progress, worker, solver, time_limit_s, max_workers)
    lost = run.round(list(jobs), executor)
    for _ in range(retries):
        if not lost:
            break
        run.note_retried(lost)
        lost = run.round(lost, None)
    if lost and retries:  # one at a time on one worker: a death now can only be the running client's
        pool: Executor | None = None
        try:
            for job in lost:
                pool = pool or _local_pool(1)
                if run.round([job], pool):
                    run.finish(job, BatchOutcome(job.name, "error", None, "its worker process died every time it ran "
                                                 f"({retries + 2} attempts, the last alone); the client was not planned"))
                    pool.shutdown(wait=True, cancel_futures=True)
                    pool = None
        finally:
            if pool is not None:
                pool.shutdown(wait=True)
    else:
        for job in lost:
            run.finish(job, BatchOutcome(job.name, "error", None, "the worker process died (BrokenProcessPool) before "
                                         "the client finished; the client was not planned"))
    return BatchResult([run.outcomes[n] for n in names], time.perf_counter() - start, run.retried)


class _Rounds:
    """The state of one :func:`plan_batch` call: outcomes so far and the clients run again."""

    def __init__(self, total: int, progress: Progress | None, worker: Worker, solver: str | None,
                 time_limit_s: float | None, max_workers: int) -> None:
        self.total, self.progress, self.worker = total, progress, worker
        self.solver, self.time_limit_s, self.max_workers = solver, time_limit_s, max_workers
        self.outcomes: dict[str, BatchOutcome] = {}
        self.retried: list[str] = []

    def note_retried(self, jobs: list[BatchJob]) -> None:
        self.retried += [j.name for j in jobs if j.name not in self.retried]

    def finish(self, job: BatchJob, outcome: BatchOutcome) -> None:
        self.outcomes[job.name] = outcome
        if self.progress is not None:
            self.progress(len(self.outcomes), self.total, outcome)

    def round(self, jobs: list[BatchJob], executor: Executor | None) -> list[BatchJob]:
        """Run ``jobs`` on ``executor`` (None: a fresh local pool, shut down after); return those lost with a
        dead worker (``BrokenExecutor``), in job order. Every other job gets its outcome."""
        pool = executor if executor is not None else _local_pool(self.max_workers)
        lost: list[BatchJob] = []
        try:
            futures: dict[Future[dict[str, Any]], BatchJob] = {
                pool.submit(self.worker, job.name, job.request.model_dump_json(), self.solver, self.time_limit_s): job
                for job in jobs
            }
            for future in as_completed(futures):
                job = futures[future]
                try:
                    outcome = _outcome(job.name, future.result())
                except BrokenExecutor:  # the pool lost a worker: this client never finished
                    lost.append(job)
                    continue
                except Exception as exc:  # noqa: BLE001 - one client's failure, not the batch's
                    outcome = BatchOutcome(job.name, "error", None, f"{type(exc).__name__}: {exc}")
                self.finish(job, outcome)
        finally:
            if executor is None:
                pool.shutdown(wait=True, cancel_futures=True)
        order = {j.name: i for i, j in enumerate(jobs)}
        return sorted(lost, key=lambda j: order[j.name])


def text_progress(stream: IO[str] | None = None, width: int = 30) -> Progress:
    """A progress callback drawing ``[#####-----] 3/10 name: planned (1.2 s)`` on one line of ``stream`` (stderr)."""
    out = stream if stream is not None else sys.stderr

    def show(done: int, total: int, outcome: BatchOutcome) -> None:
        filled = int(width * done / total) if total else width
        out.write(f"\r[{'#' * filled}{'-' * (width - filled)}] {done}/{total} {outcome.name}: {outcome.state} "
                  f"({outcome.seconds:.1f} s)\x1b[K")
        if done == total:
            out.write("\n")
        out.flush()

    return show


# -- writing results -----------------------------------------------------------------------
def slug(name: str) -> str:
    """A file-name-safe form of a client name ("Ann O'Neil" -> "ann-o-neil")."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "client"


def write_batch_outputs(
    result: BatchResult,
    out_dir: str | Path,
    *,
    week_start: date | None = None,
    foods: FoodTable | None = None,
    pdf: bool = True,
) -> Path:
    """Write ``<client>.csv`` (items) and ``<client>.json`` (whole plan) per planned client, ``.pdf`` when ``pdf``,
    the explanation as ``<client>.json`` for infeasible clients, and ``summary.csv``. Returns the summary path."""
    from optimizer.io.cells import safe_frame
    from optimizer.io.export import plan_to_csv, plan_to_json, plan_to_pdf_bytes

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    summary = result.summary_frame()
    files = []
    for outcome in result.outcomes:
        base = slug(outcome.name)
        k = 2
        while base in used:
            base, k = f"{slug(outcome.name)}-{k}", k + 1
        used.add(base)
        written = []
        if outcome.plan is not None:
            (out / f"{base}.json").write_text(plan_to_json(outcome.plan), encoding="utf-8")
            written.append(f"{base}.json")
        if outcome.state == "planned" and outcome.plan is not None:
            (out / f"{base}.csv").write_text(plan_to_csv(outcome.plan), encoding="utf-8")
            written.append(f"{base}.csv")
            if pdf:
                data = plan_to_pdf_bytes(outcome.plan, foods, client_name=outcome.name, week_start=week_start)
                (out / f"{base}.pdf").write_bytes(data)
                written.append(f"{base}.pdf")
        files.append(";".join(written))
    summary["files"] = files
    if week_start is not None:
        summary.insert(1, "week_start", week_start.isoformat())
    path = out / "summary.csv"
    safe_frame(summary).to_csv(path, index=False)  # client names and reasons are user text: no formulas
    return path
