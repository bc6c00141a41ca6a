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

import itertools
import math
import operator
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pulp

from optimizer.domain.errors import RequestError
from optimizer.solve.highs_worker import kill_process, return_worker, take_worker, warm_up
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
        return list(problem.variables())
    try:
        exprs = [c.expr for c in constraints.values()]
        rows_registered = all(map(ids.__contains__, map(operator.attrgetter("hash"),
                                                         itertools.chain.from_iterable(map(dict.keys, exprs)))))
        objective = [] if problem.objective is None else list(problem.objective.keys())
        new = [v for v in objective if v.hash not in ids]  # e.g. a food with none of the modelled nutrients
    except (AttributeError, TypeError):
        return list(problem.variables())
    if not rows_registered:
        return list(problem.variables())
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
    worker = take_worker(options.threads)
    raw = worker.ask((data, settings), hard)
    if raw is None or "error" in raw:
        worker.kill()
    else:
        return_worker(worker)
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


__all__ = ["SolveOptions", "SolveResult", "SolverOutcome", "extract_arrays", "kill_process", "killed_outcome",
           "non_finite_entry", "relative_gap", "solve", "warm_up"]


def killed_outcome(hard_limit_s: float, solver: str) -> SolverOutcome:
    return SolverOutcome(Termination.TIME_LIMIT, False, message=(
        f"{solver} did not stop by itself and was killed at the hard wall-clock limit of {hard_limit_s:g} s; "
        "no solution is available. Raise time_limit_s/hard_limit_s or simplify the request."))
