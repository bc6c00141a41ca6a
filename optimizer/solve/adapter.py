"""One solver adapter over CBC and HiGHS for PuLP models: two-part status, time limit, relative gap, a hard
wall-clock limit, warm starts and LP duals. Details and figures: docs/solver.md.

``termination`` says why the solver stopped, ``has_solution`` whether a usable primal solution exists; both
are read from the solver itself, never from PuLP's ``LpStatus`` (PuLP 3.3 calls a time-limited HiGHS MIP
"Optimal"). ``optimal``: proven optimal (a MIP: proven within ``relative_gap``; ``gap`` says how close).
``time_limit``: stopped by ``time_limit_s`` (``has_solution`` iff an incumbent exists) or killed at
``hard_limit_s`` (never a solution). ``infeasible`` / ``unbounded``: proven. ``error``: the solver failed
(see ``message``). ``not_solved``: stopped for another reason (iteration limit, interrupt). ``gap_limit`` is
never produced: a stop within the requested gap is the proof that was asked for, so it is ``optimal``.

HiGHS: the PuLP model is extracted to CSR arrays and solved by ``Highs.passModel`` in a persistent worker
process (a fresh interpreter, not a fork), killed and replaced at the hard limit. CBC: PuLP's MPS writer,
PuLP's CBC binary and command-line options, PuLP's solution reader; the adapter owns the CBC process so it
can kill it at the hard limit. Values are written back to ``var.varValue`` and duals to ``constraint.pi``.
Duals: d(objective)/d(right-hand side) in the problem's own sense (PuLP's convention).
"""

from __future__ import annotations

import atexit
import itertools
import math
import operator
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pulp

from optimizer.domain.errors import RequestError, SolverError
from optimizer.solve.status import WITH_INCUMBENT, Termination, highs_termination, relative_gap


SOLVERS: tuple[str, ...] = ("highs", "cbc")
NO_TIME_LIMIT_HARD_LIMIT_S = 600.0  # hard limit when neither time_limit_s nor hard_limit_s is given
_INF = float("inf")


@dataclass(frozen=True)
class SolveOptions:
    """How to solve: ``solver`` ("highs" | "cbc"), ``time_limit_s`` (solver's own limit, None = none),
    ``relative_gap`` (MIP stop tolerance, fraction: 0.01 = 1 %), ``hard_limit_s`` (wall clock; default
    ``time_limit_s * 1.5 + 2``), ``warm_start`` (use variables' initial values), ``want_duals`` (LP duals),
    ``threads`` (None = solver default), and the work limits ``node_limit`` (branch-and-bound nodes of a MIP) and
    ``iteration_limit`` (simplex iterations): a stop at a work limit is ``work_limit`` and repeats on any machine,
    busy or quiet, where a time limit does not."""

    solver: str = "highs"
    time_limit_s: float | None = 20.0
    relative_gap: float = 0.01
    hard_limit_s: float | None = None
    warm_start: bool = False
    want_duals: bool = False
    threads: int | None = None
    node_limit: int | None = None
    iteration_limit: int | None = None

    def __post_init__(self) -> None:
        name = str(self.solver).strip().lower()
        if name not in SOLVERS:
            raise RequestError(f"Unknown solver {self.solver!r}. Choose one of: {', '.join(SOLVERS)}.")
        object.__setattr__(self, "solver", name)
        for label in ("time_limit_s", "hard_limit_s"):
            value = getattr(self, label)
            if value is not None and (not isinstance(value, (int, float)) or math.isnan(value) or value <= 0):
                raise RequestError(f"{label} must be a positive number of seconds or None, got {value!r}.")
        gap = self.relative_gap
        if not isinstance(gap, (int, float)) or math.isnan(gap) or gap < 0:
            raise RequestError(f"relative_gap must be a fraction >= 0 (0.01 = 1 %), got {gap!r}.")
        if self.threads is not None and (not isinstance(self.threads, int) or self.threads < 1):
            raise RequestError(f"threads must be a positive integer or None, got {self.threads!r}.")
        for label in ("node_limit", "iteration_limit"):
            value = getattr(self, label)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                raise RequestError(f"{label} must be a positive whole number or None, got {value!r}.")

    @property
    def effective_hard_limit_s(self) -> float:
        """The wall-clock limit (s) at which the solve is killed."""
        if self.hard_limit_s is not None:
            return float(self.hard_limit_s)
        if self.time_limit_s is not None:
            return float(self.time_limit_s) * 1.5 + 2.0
        return NO_TIME_LIMIT_HARD_LIMIT_S


@dataclass(frozen=True)
class SolveResult:
    """Outcome of one solve. ``values``: variable name -> value (empty without a solution); ``duals``:
    constraint name -> dual (LPs, when asked); ``objective``/``bound`` in objective units; ``gap``: proven
    relative gap (fraction); ``runtime_s``: wall time of the whole call; ``solver_runtime_s``: the solver's
    own time; ``first_solution_s``: solver time to the first incumbent (MIPs, when reported)."""

    termination: Termination
    has_solution: bool
    solver: str
    values: dict[str, float] = field(default_factory=dict)
    duals: dict[str, float] = field(default_factory=dict)
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    runtime_s: float = 0.0
    solver_runtime_s: float | None = None
    first_solution_s: float | None = None
    is_mip: bool = False
    message: str = ""
    nodes: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "termination", Termination(self.termination))
        if self.termination == Termination.OPTIMAL and not self.has_solution:  # never "optimal" without a solution
            object.__setattr__(self, "termination", Termination.ERROR)
            object.__setattr__(self, "message", (self.message + "; " if self.message else "")
                               + "reported optimal without a solution")

    def __str__(self) -> str:
        def num(x: float | None) -> str:
            return "n/a" if x is None else f"{x:.6g}"

        gap = "n/a" if self.gap is None else f"{self.gap:.4%}"
        lines = [
            f"Solver: {self.solver} ({'MIP' if self.is_mip else 'LP'})",
            f"Termination: {self.termination}",
            f"Has solution: {self.has_solution}",
            f"Runtime: {self.runtime_s:.3f} s (solver {num(self.solver_runtime_s)} s)",
            f"Objective: {num(self.objective)}",
            f"Bound: {num(self.bound)}",
            f"Gap: {gap}",
        ]
        if self.message:
            lines.append(f"Message: {self.message}")
        return "\n".join(lines)


def solve(problem: pulp.LpProblem, options: SolveOptions | None = None) -> SolveResult:
    """Solve ``problem`` with ``options`` (default HiGHS, 20 s). Never raises for solver-side failures
    (they come back as ``termination="error"``); raises :class:`SolverError` only if the solver cannot be
    started at all, :class:`RequestError` for a problem that is not a PuLP model."""
    options = options or SolveOptions()
    if not isinstance(problem, pulp.LpProblem):
        raise RequestError(f"solve() needs a pulp.LpProblem, got {type(problem).__name__}.")
    started = time.perf_counter()
    variables = _variables_of(problem)
    is_mip = any(v.cat == pulp.LpInteger for v in variables)
    if not variables:
        constant = float(problem.objective.constant) if problem.objective is not None else 0.0
        outcome = SolverOutcome(Termination.OPTIMAL, True, objective=constant, bound=constant, gap=0.0, message="empty model")
        if any(c.getLb() is not None and c.getLb() > 1e-9 or c.getUb() is not None and c.getUb() < -1e-9
               for c in _constraints_of(problem)):
            outcome = SolverOutcome(Termination.INFEASIBLE, False, message="a constraint without variables is violated")
    elif options.solver == "highs":
        outcome = _solve_highs(problem, variables, is_mip, options)
    else:
        from optimizer.solve.cbc import solve_cbc  # the CBC half of the adapter

        outcome = solve_cbc(problem, variables, is_mip, options)
    if outcome.has_solution:
        for var in variables:
            var.varValue = outcome.values.get(var.name, 0.0)
        if outcome.objective is None:
            outcome.objective = float(pulp.value(problem.objective) or 0.0)
        if (not is_mip and outcome.termination == "optimal") or (outcome.gap == 0.0 and outcome.bound is None):
            outcome.bound, outcome.gap = outcome.objective, 0.0
        elif outcome.gap is None:
            outcome.gap = relative_gap(outcome.objective, outcome.bound)
    else:
        outcome.values = {}
    if outcome.duals:
        for con in _constraints_of(problem):
            if con.name in outcome.duals:
                con.pi = outcome.duals[con.name]
    return SolveResult(
        termination=outcome.termination, has_solution=outcome.has_solution, solver=options.solver,
        values=outcome.values, duals=outcome.duals if options.want_duals else {},
        objective=outcome.objective if outcome.has_solution else None, bound=outcome.bound, gap=outcome.gap,
        runtime_s=time.perf_counter() - started, solver_runtime_s=outcome.solver_runtime_s,
        first_solution_s=outcome.first_solution_s, is_mip=is_mip, message=outcome.message, nodes=outcome.nodes,
    )


@dataclass
class SolverOutcome:
    termination: Termination
    has_solution: bool
    values: dict[str, float] = field(default_factory=dict)
    duals: dict[str, float] = field(default_factory=dict)
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    solver_runtime_s: float | None = None
    first_solution_s: float | None = None
    message: str = ""
    nodes: int | None = None


def _variables_of(problem: pulp.LpProblem) -> list[Any]:
    """``problem.variables()`` (sorted by name). PuLP 3.x re-registers every row's variables one Python call at a
    time on each call; when ``addConstraint`` has registered them all already (the usual case) this checks that
    with C-level set operations, registers only objective-only variables, and sorts. Any doubt (other PuLP
    versions, rows edited after adding): PuLP's own ``variables()``."""
    registered, ids, constraints = (getattr(problem, a, None) for a in ("_variables", "_variable_ids", "_constraints"))
    if not (isinstance(registered, list) and isinstance(ids, dict) and isinstance(constraints, dict)
            and hasattr(problem, "_add_variables")):
        return problem.variables()
    try:
        exprs = [c.expr for c in constraints.values()]
        rows_registered = all(map(ids.__contains__, map(operator.attrgetter("hash"),
                                                         itertools.chain.from_iterable(map(dict.keys, exprs)))))
        objective = [] if problem.objective is None else list(problem.objective.keys())
        new = [v for v in objective if v.hash not in ids]  # e.g. a food with none of the modelled nutrients
    except (AttributeError, TypeError):
        return problem.variables()
    if not rows_registered:
        return problem.variables()
    problem._add_variables(new)  # as variables() would: objective variables first, in the objective's order
    registered.sort(key=lambda v: v.name)
    return registered


def _constraints_of(problem: pulp.LpProblem) -> list[Any]:
    """Constraints in insertion order (PuLP 3.3: mapping view that is also callable; 4.x: a method)."""
    constraints = problem.constraints
    if callable(constraints):
        return list(constraints())
    return list(constraints.values())


# ---------------------------------------------------------------------------------------------------
# HiGHS: arrays -> child process -> Highs.passModel
# ---------------------------------------------------------------------------------------------------


def extract_arrays(problem: pulp.LpProblem, variables: list[Any] | None = None) -> dict[str, Any]:
    """The model as numpy arrays in row-wise (CSR) form: what ``Highs.passModel`` takes. Column order is
    ``problem.variables()``; row order is the constraints' insertion order."""
    variables = problem.variables() if variables is None else variables
    constraints = _constraints_of(problem)
    # PuLP 3.x: constraints hold an ``expr`` dict keyed by variables with an identity ``hash`` (fast);
    # PuLP 4.x: constraints yield fresh variable wrappers from ``items()``, so match them by name.
    legacy = all(hasattr(con, "expr") for con in constraints) and all(hasattr(v, "hash") for v in variables)
    key = operator.attrgetter("hash" if legacy else "name")
    index = {key(var): i for i, var in enumerate(variables)}
    n, m = len(variables), len(constraints)
    cost = np.zeros(n)
    objective = problem.objective if problem.objective is not None else pulp.LpAffineExpression()
    if legacy and objective:
        at = np.fromiter(map(index.__getitem__, map(key, objective.keys())), dtype=np.int64, count=len(objective))
        cost[at] = np.fromiter(objective.values(), dtype=float, count=len(objective))
    else:
        for var, coef in objective.items():
            cost[index[key(var)]] = coef
    lower = np.array([-_INF if v.lowBound is None else v.lowBound for v in variables], dtype=float)
    upper = np.array([_INF if v.upBound is None else v.upBound for v in variables], dtype=float)
    integer = np.array([v.cat == pulp.LpInteger for v in variables], dtype=bool)
    starts = np.zeros(m + 1, dtype=np.int32)
    cols: list[int] = []
    coefs: list[float] = []
    row_lower = np.empty(m)
    row_upper = np.empty(m)
    if legacy:  # all rows at once, C-level iteration straight into arrays
        exprs = [con.expr for con in constraints]
        starts[1:] = np.cumsum(np.fromiter(map(len, exprs), dtype=np.int64, count=m))
        nnz = int(starts[-1]) if m else 0
        index_array = np.fromiter(map(index.__getitem__, map(key, itertools.chain.from_iterable(map(dict.keys, exprs)))),
                                  dtype=np.int32, count=nnz)
        value_array = np.fromiter(itertools.chain.from_iterable(map(dict.values, exprs)), dtype=float, count=nnz)
    for r, con in enumerate(constraints):
        if not legacy:
            for var, coef in con.items():
                cols.append(index[key(var)])
                coefs.append(coef)
            starts[r + 1] = len(cols)
        lb, ub = con.getLb(), con.getUb()
        row_lower[r] = -_INF if lb is None else lb
        row_upper[r] = _INF if ub is None else ub
    initial = np.array([np.nan if v.varValue is None else v.varValue for v in variables], dtype=float)
    return {
        "maximize": problem.sense == pulp.LpMaximize, "offset": float(objective.constant or 0.0),
        "cost": cost, "lower": lower, "upper": upper, "integer": integer,
        "row_lower": row_lower, "row_upper": row_upper, "starts": starts,
        "index": index_array if legacy else np.array(cols, dtype=np.int32),
        "value": value_array if legacy else np.array(coefs, dtype=float), "initial": initial,
    }


def non_finite_entry(data: dict[str, Any], variables: list[Any], problem: pulp.LpProblem) -> str:
    """A message naming the first NaN/infinite coefficient, cost or NaN bound of the model; "" if none."""
    def first(bad: np.ndarray) -> int | None:
        hits = np.flatnonzero(bad)
        return int(hits[0]) if hits.size else None

    if (j := first(~np.isfinite(data["cost"]))) is not None:
        return f"The objective coefficient of variable {variables[j].name} is {data['cost'][j]}; fix the model data."
    if (k := first(~np.isfinite(data["value"]))) is not None:
        row = int(np.searchsorted(data["starts"], k, side="right")) - 1
        name = _constraints_of(problem)[row].name
        return (f"Constraint {name} has coefficient {data['value'][k]} for variable "
                f"{variables[data['index'][k]].name}; fix the model data (NaN nutrient values must be filled or skipped).")
    for label, values, names in (("bound", np.concatenate([data["lower"], data["upper"]]), None),
                                 ("right-hand side", np.concatenate([data["row_lower"], data["row_upper"]]), "rows")):
        if (i := first(np.isnan(values))) is not None:
            i %= len(values) // 2
            what = _constraints_of(problem)[i].name if names else variables[i].name
            return f"The {label} of {what} is NaN; fix the model data."
    return ""


def _highs_lp(data: dict[str, Any], zero_objective: bool = False) -> Any:
    import highspy

    lp = highspy.HighsLp()
    n, m = len(data["cost"]), len(data["row_lower"])
    lp.num_col_, lp.num_row_ = n, m
    lp.sense_ = highspy.ObjSense.kMaximize if data["maximize"] else highspy.ObjSense.kMinimize
    lp.offset_ = 0.0 if zero_objective else data["offset"]
    lp.col_cost_ = np.zeros(n) if zero_objective else data["cost"]
    lp.col_lower_, lp.col_upper_ = data["lower"], data["upper"]
    lp.row_lower_, lp.row_upper_ = data["row_lower"], data["row_upper"]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n, m
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = data["starts"], data["index"], data["value"]
    if data["integer"].any():
        kinds = np.where(data["integer"], 1, 0)
        lp.integrality_ = [highspy.HighsVarType(int(k)) for k in kinds]
    return lp


def _highs_run(data: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    """Solve in this process (called in the child). Returns plain picklable data."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for key, value in settings.items():
        h.setOptionValue(key, value)
    clock = {"first": None}
    start = time.perf_counter()
    if data["integer"].any():

        def first_incumbent(*_: Any) -> None:
            if clock["first"] is None:
                clock["first"] = time.perf_counter() - start

        h.cbMipImprovingSolution.subscribe(first_incumbent)
    h.passModel(_highs_lp(data))
    given = ~np.isnan(data["initial"])
    if data.get("warm_start") and given.any():
        idx = np.flatnonzero(given).astype(np.int32)
        h.setSolution(len(idx), idx, data["initial"][idx])
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    out: dict[str, Any] = {
        "status": status.name if hasattr(status, "name") else str(status),
        "status_text": h.modelStatusToString(status), "runtime": h.getRunTime(),
        "primal_feasible": int(info.primal_solution_status) == 2, "objective": info.objective_function_value,
        "mip_gap": info.mip_gap, "mip_dual_bound": info.mip_dual_bound, "first": clock["first"],
        "nodes": int(info.mip_node_count) if data["integer"].any() else None,
    }
    if out["primal_feasible"]:
        solution = h.getSolution()
        out["col_value"] = np.asarray(solution.col_value, dtype=float)
        if data.get("want_duals") and not data["integer"].any() and solution.dual_valid:
            out["row_dual"] = np.asarray(solution.row_dual, dtype=float)
    if status == highspy.HighsModelStatus.kUnboundedOrInfeasible:
        probe = highspy.Highs()
        probe.setOptionValue("output_flag", False)
        probe.passModel(_highs_lp(data, zero_objective=True))
        probe.run()
        out["feasible_probe"] = probe.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return out


class _Worker:
    """A persistent HiGHS worker: a fresh Python interpreter (never a fork of the caller, so it is safe
    under multi-threaded servers and never re-imports the caller's ``__main__``) that solves one model at
    a time. Frames are length-prefixed pickles over its stdin/stdout; HiGHS's own printing goes to
    /dev/null. A worker that overruns the hard limit is killed (with its process group) and replaced."""

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads  # HiGHS fixes its thread pool per process, so workers are kept per count
        self.owner = os.getpid()  # a forked copy of the caller must not talk to (or kill) its parent's worker
        package_root = str(Path(__file__).resolve().parents[2])  # the folder that holds the optimizer package
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", "from optimizer.solve.adapter import _worker_main; _worker_main()"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, start_new_session=(os.name == "posix"))
        except OSError as exc:
            raise SolverError(f"Could not start the HiGHS worker process ({sys.executable}): {exc}") from exc
        self.replies: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True, name="cofactor-highs-reader").start()
        try:
            ready = self.replies.get(timeout=120)
        except queue.Empty:
            ready = "no answer within 120 s"
        if ready != "ready":
            self.kill()
            raise SolverError(f"The HiGHS worker failed to start: {ready}")

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            header = stream.read(8)
            if len(header) < 8:
                self.replies.put({"error": f"the HiGHS worker exited (code {self.process.poll()})"})
                return
            self.replies.put(pickle.loads(stream.read(struct.unpack("<Q", header)[0])))

    def ask(self, request: Any, timeout_s: float) -> Any:
        """Send one request; return the reply, or None when ``timeout_s`` passes first."""
        frame = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.process.stdin.write(struct.pack("<Q", len(frame)) + frame)
            self.process.stdin.flush()
        except OSError as exc:
            return {"error": f"the HiGHS worker is gone: {exc}"}
        try:
            return self.replies.get(timeout=max(timeout_s, 0.0))
        except queue.Empty:
            return None

    def alive(self) -> bool:
        return self.owner == os.getpid() and self.process.poll() is None

    def kill(self) -> None:
        kill_process(self.process)


def _worker_main() -> None:
    """Entry point of a worker process: serve solve requests until stdin closes."""
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # HiGHS banners must not corrupt the protocol
    inbox = sys.stdin.buffer

    def send(message: Any) -> None:
        frame = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        channel.write(struct.pack("<Q", len(frame)) + frame)
        channel.flush()

    try:
        import highspy  # noqa: F401  (imported before "ready" so solves do not pay for it)
    except ImportError as exc:
        send(f"highspy is not installed ({exc}); pip install highspy or use solver='cbc'")
        return
    send("ready")
    while True:
        header = inbox.read(8)
        if len(header) < 8:
            return
        data, settings = pickle.loads(inbox.read(struct.unpack("<Q", header)[0]))
        try:
            send(_highs_run(data, settings))
        except Exception:  # noqa: BLE001 - reported to the parent, which maps it to termination "error"
            send({"error": traceback.format_exc(limit=4)})


_IDLE: list[_Worker] = []
_IDLE_LOCK = threading.Lock()
MAX_IDLE_WORKERS = 2


def _take_worker(threads: int | None = None) -> _Worker:
    with _IDLE_LOCK:
        for worker in [w for w in _IDLE if w.threads == threads]:
            _IDLE.remove(worker)
            if worker.alive():
                return worker
    return _Worker(threads)


def _return_worker(worker: _Worker) -> None:
    evicted: _Worker | None = worker
    with _IDLE_LOCK:
        if worker.alive():
            _IDLE.append(worker)
            evicted = _IDLE.pop(0) if len(_IDLE) > MAX_IDLE_WORKERS else None
    if evicted is not None:
        evicted.kill()


def warm_up(threads: int | None = None) -> None:
    """Start a HiGHS worker now (a few hundred ms, once per process) so the first solve does not pay for it."""
    _return_worker(_take_worker(threads))


def _forget_workers_after_fork() -> None:
    global _IDLE_LOCK
    _IDLE_LOCK = threading.Lock()  # the parent's lock may have been held by another thread at fork time
    _IDLE.clear()  # the parent's workers are the parent's


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_workers_after_fork)


@atexit.register
def _shutdown_workers() -> None:
    with _IDLE_LOCK:
        while _IDLE:
            worker = _IDLE.pop()
            if worker.owner == os.getpid():
                worker.kill()




def _solve_highs(problem: pulp.LpProblem, variables: list[Any], is_mip: bool, options: SolveOptions) -> SolverOutcome:
    data = extract_arrays(problem, variables)
    broken = non_finite_entry(data, variables, problem)
    if broken:  # HiGHS silently drops NaN coefficients and would call the wrong model optimal
        return SolverOutcome(Termination.ERROR, False, message=broken)
    data["warm_start"] = options.warm_start
    data["want_duals"] = options.want_duals
    settings: dict[str, Any] = {"mip_rel_gap": float(options.relative_gap)}
    if options.time_limit_s is not None:
        settings["time_limit"] = float(options.time_limit_s)
    if options.threads is not None:
        settings["threads"] = int(options.threads)
    if options.node_limit is not None:
        settings["mip_max_nodes"] = int(options.node_limit)
    if options.iteration_limit is not None:
        settings["simplex_iteration_limit"] = int(options.iteration_limit)
    hard = options.effective_hard_limit_s
    worker = _take_worker(options.threads)
    raw = worker.ask((data, settings), hard)
    if raw is None or "error" in raw:
        worker.kill()
    else:
        _return_worker(worker)
    if raw is None:
        return killed_outcome(hard, "HiGHS")
    if "error" in raw:
        return SolverOutcome(Termination.ERROR, False, message=f"HiGHS failed: {raw['error'].strip()}")
    return _highs_outcome(raw, variables, problem, is_mip, options)


def _highs_outcome(raw: dict[str, Any], variables: list[Any], problem: pulp.LpProblem, is_mip: bool,
                   options: SolveOptions) -> SolverOutcome:
    status = raw["status"]
    termination = highs_termination(status)
    message = f"HiGHS: {raw['status_text']}"
    if status == "kUnboundedOrInfeasible":
        termination = Termination.UNBOUNDED if raw.get("feasible_probe") else Termination.INFEASIBLE
        message += f" (feasibility probe: {'feasible, so unbounded' if raw.get('feasible_probe') else 'infeasible'})"
    if status == "kModelEmpty":
        message += (f" although the model has {len(variables)} variables: HiGHS dropped coefficients it cannot represent"
                    " (|value| >= 1e20?). Fix: check the food and target values for absurd magnitudes.")
    has_solution = bool(raw["primal_feasible"]) and termination in WITH_INCUMBENT
    outcome = SolverOutcome(termination, has_solution, solver_runtime_s=raw["runtime"], first_solution_s=raw["first"],
                            message=message, nodes=raw.get("nodes"))
    if has_solution:
        outcome.values = dict(zip([v.name for v in variables], (raw["col_value"] + 0.0).tolist()))
        outcome.objective = float(raw["objective"])
        if is_mip:
            bound = float(raw["mip_dual_bound"])
            outcome.bound = bound if math.isfinite(bound) else None
            outcome.gap = relative_gap(outcome.objective, outcome.bound)
        elif termination == "optimal":
            outcome.bound, outcome.gap = outcome.objective, 0.0
    elif is_mip and math.isfinite(float(raw["mip_dual_bound"])):
        outcome.bound = float(raw["mip_dual_bound"])
    if "row_dual" in raw and termination == "optimal":
        names = [c.name for c in _constraints_of(problem)]
        outcome.duals = dict(zip(names, (raw["row_dual"] + 0.0).tolist()))
    if termination == "time_limit":
        outcome.message += f" after the {options.time_limit_s} s time limit" + (
            "; best plan found so far returned" if has_solution else "; no solution found")
    return outcome


def killed_outcome(hard_limit_s: float, solver: str) -> SolverOutcome:
    return SolverOutcome(Termination.TIME_LIMIT, False, message=(
        f"{solver} did not stop by itself and was killed at the hard wall-clock limit of {hard_limit_s:g} s; "
        "no solution is available. Raise time_limit_s/hard_limit_s or simplify the request."))

def kill_process(process: subprocess.Popen) -> None:
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()
