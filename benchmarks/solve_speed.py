"""Solve-speed benchmark: CBC vs HiGHS, Cofactor vs direct highspy vs naive PuLP — one table, one run.

    python benchmarks/solve_speed.py [--repeat 3] [--weekly-time-limit 60] [--skip-weekly] [--skip-cbc]

(a) The daily LP over every food in the shipped catalogue (7,907 USDA SR foods): grams of each food
    (0-500 g), every daily "amount" target of a 45-year-old woman as rows, the AMDR energy-percent targets as
    linear rows, a per-gram objective (minimise total grams). The *same* LP is
      - built as numpy arrays and solved in-process with highspy (``passModel`` + ``run``): the floor;
      - built the naive PuLP way (``lpSum`` of per-term products) and solved with PuLP's stock ``HiGHS``;
      - built as a PuLP model from coefficient pairs and solved by Cofactor's adapter
        (``optimizer.solver.solve``: HiGHS fast path in a worker process, or CBC);
    and Cofactor end-to-end (``optimizer.plan``, candidates="all", portions="continuous", days=1, every food
    priced at 1 per 100 g so the cost objective is per gram) on both solvers.
(b) The default weekly integer plan (``PlanRequest(profile=Profile(sex="female", age=45), days=7)``):
    time to a first plan = ``optimizer.plan`` with ``relative_gap=1.0`` (stop at the first plan within 100 %
    of the bound); time to a proof = ``relative_gap=0.01``; each on both solvers.

Times are wall-clock seconds, best of ``--repeat`` for (a). Rows that cannot run print
"unavailable: <reason>". This script measures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROWS: list[tuple[str, str, str, str, str, str]] = []
MAX_GRAMS = 500.0


def record(case: str, method: str, seconds: float | None, status: str = "", objective: float | None = None,
           gap: float | None = None) -> None:
    ROWS.append((case, method, "" if seconds is None else f"{seconds:8.3f}", status,
                 "" if objective is None else f"{objective:.6g}", "" if gap is None or not math.isfinite(gap) else f"{gap:.3%}"))
    print(f"  {case} | {method}: {ROWS[-1][2].strip() or '-'} s {status}", file=sys.stderr, flush=True)


def guarded(case: str, method: str, run: Callable[[], None]) -> None:
    try:
        run()
    except Exception as exc:  # noqa: BLE001 - a benchmark row never crashes the table
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:110]
        ROWS.append((case, method, "", f"unavailable: {reason}", "", ""))
        traceback.print_exc(limit=2, file=sys.stderr)


@contextlib.contextmanager
def stdout_to_stderr() -> Any:
    """Send C-level prints (HiGHS's start-up banner from in-process highspy) to stderr, not the table."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def best_of(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    best, result = math.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


# ---------------------------------------------------------------------------------------------- (a) data
def daily_lp_data() -> dict[str, Any]:
    """The daily LP as arrays: A (rows x foods, per 100 g), row bounds, names. NaN nutrients count as 0."""
    import foods
    import optimizer

    table = foods.load_foods()
    targets = optimizer.targets_for(optimizer.Profile(sex="female", age=45))
    frame = table.frame
    rows, lower, upper, names = [], [], [], []
    energy = frame["energy_kcal"].fillna(0.0).to_numpy(float)
    for target in targets:
        if target.applies_to != "total" or target.period != "daily" or target.nutrient not in frame:
            continue
        amount = frame[target.nutrient].fillna(0.0).to_numpy(float)
        if target.kind == "energy_percent":  # kcal_per_unit * nutrient - pct/100 * energy within [0, inf) / (-inf, 0]
            for bound, pct in (("min", target.min), ("max", target.max)):
                if pct is not None:
                    rows.append(target.kcal_per_unit * amount - pct / 100.0 * energy)
                    lower.append(0.0 if bound == "min" else -math.inf)
                    upper.append(math.inf if bound == "min" else 0.0)
                    names.append(f"{target.key}_{bound}")
            continue
        rows.append(amount)
        lower.append(-math.inf if target.min is None else target.min)
        upper.append(math.inf if target.max is None else target.max)
        names.append(target.key)
    return {"A": np.vstack(rows), "lower": np.array(lower), "upper": np.array(upper), "names": names,
            "ids": list(frame.index), "table": table}


def direct_highspy(data: dict[str, Any]) -> tuple[str, float]:
    """Arrays -> highspy.passModel -> run, in-process."""
    import highspy

    A = data["A"]
    m, n = A.shape
    nz_rows, nz_cols = np.nonzero(A.T)  # column-wise: for each food, its nonzero nutrient rows
    starts = np.searchsorted(nz_rows, np.arange(n + 1)).astype(np.int32)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, m
    lp.col_cost_ = np.ones(n)
    lp.col_lower_, lp.col_upper_ = np.zeros(n), np.full(n, MAX_GRAMS / 100.0)
    lp.row_lower_, lp.row_upper_ = data["lower"], data["upper"]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_ = starts, nz_cols.astype(np.int32)
    lp.a_matrix_.value_ = A.T[nz_rows, nz_cols]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    h.run()
    return h.modelStatusToString(h.getModelStatus()), h.getInfo().objective_function_value


def naive_pulp(data: dict[str, Any]) -> tuple[str, float]:
    """Per-term lpSum building + PuLP's stock HiGHS interface."""
    import pulp

    A, ids = data["A"], data["ids"]
    problem = pulp.LpProblem("naive_daily", pulp.LpMinimize)
    x = [problem.add_variable(f"x_{food_id}", 0, MAX_GRAMS / 100.0) for food_id in ids]
    problem += pulp.lpSum(x)
    for r, name in enumerate(data["names"]):
        row = A[r]
        expression = pulp.lpSum(row[j] * x[j] for j in range(len(ids)) if row[j] != 0)
        if math.isfinite(data["lower"][r]):
            problem += expression >= data["lower"][r], f"{name}_lo"
        if math.isfinite(data["upper"][r]):
            problem += expression <= data["upper"][r], f"{name}_hi"
    problem.solve(pulp.HiGHS(msg=False))
    return pulp.LpStatus[problem.status], pulp.value(problem.objective)


def adapter(data: dict[str, Any], solver: str) -> tuple[float, Any]:
    """The same LP as a PuLP model built from coefficient pairs, solved by optimizer.solver.solve;
    returns (build + solve seconds, SolveResult)."""
    import pulp

    from optimizer.solve.adapter import SolveOptions, solve

    start = time.perf_counter()
    A, ids = data["A"], data["ids"]
    problem = pulp.LpProblem("daily", pulp.LpMinimize)
    x = [problem.add_variable(f"x_{food_id}", 0, MAX_GRAMS / 100.0) for food_id in ids]
    problem += pulp.LpAffineExpression([(v, 1.0) for v in x])
    for r, name in enumerate(data["names"]):
        nonzero = np.flatnonzero(A[r])
        pairs = [(x[j], float(A[r, j])) for j in nonzero]
        if math.isfinite(data["lower"][r]):
            problem += pulp.LpConstraint(pulp.LpAffineExpression(pairs), pulp.LpConstraintGE, f"{name}_lo", data["lower"][r])
        if math.isfinite(data["upper"][r]):
            problem += pulp.LpConstraint(pulp.LpAffineExpression(pairs), pulp.LpConstraintLE, f"{name}_hi", data["upper"][r])
    result = solve(problem, SolveOptions(solver=solver, time_limit_s=120, want_duals=True))
    return time.perf_counter() - start, result


def end_to_end_daily(data: dict[str, Any], solver: str) -> Any:
    import optimizer

    table = data["table"]
    frame = table.frame.copy()
    frame["price_per_100g"], frame["price_source"] = 1.0, "benchmark: 1 per 100 g"
    priced = type(table)(frame, table.portions, source=table.source)
    request = optimizer.PlanRequest(profile=optimizer.Profile(sex="female", age=45), days=1, candidates="all",
                                    portions="continuous", objective="cost", solver=solver, time_limit_s=120)
    return optimizer.plan(request, foods=priced)


# ---------------------------------------------------------------------------------------------- main
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per daily-LP row (best is reported)")
    parser.add_argument("--weekly-time-limit", type=float, default=60.0, help="seconds per weekly solve")
    parser.add_argument("--skip-weekly", action="store_true")
    parser.add_argument("--skip-cbc", action="store_true")
    args = parser.parse_args()
    solvers = ["highs"] if args.skip_cbc else ["highs", "cbc"]

    overhead_and_warm_up()
    data: dict[str, Any] = {}
    case = "daily LP, all foods"

    def load() -> None:
        start = time.perf_counter()
        data.update(daily_lp_data())
        data["rows_s"] = time.perf_counter() - start
        record(case, f"catalogue + rows ({data['A'].shape[1]} foods x {data['A'].shape[0]} rows)",
               data["rows_s"], "built")

    guarded(case, "catalogue", load)
    if data:
        def run_direct() -> None:
            with stdout_to_stderr():
                seconds, (status, objective) = best_of(args.repeat, lambda: direct_highspy(data))
            data["direct_s"] = seconds
            record(case, "direct highspy (arrays, in-process)", seconds, status, objective)

        def run_naive() -> None:
            with stdout_to_stderr():
                seconds, (status, objective) = best_of(1, lambda: naive_pulp(data))
            record(case, "naive PuLP (lpSum per term) + stock HiGHS", seconds, status, objective)

        guarded(case, "direct highspy", run_direct)
        guarded(case, "naive PuLP", run_naive)
        for solver in solvers:
            def run_adapter(solver: str = solver) -> None:
                results = [adapter(data, solver) for _ in range(args.repeat)]
                best = min(results, key=lambda r: r[0])
                record(case, f"PuLP model + Cofactor adapter [{solver}] (build+solve)", best[0],
                       best[1].termination, best[1].objective, best[1].gap)
                record(case, f"  of which solve() [{solver}]", min(r[1].runtime_s for r in results),
                       best[1].termination)

            guarded(case, f"adapter [{solver}]", run_adapter)
    for solver in solvers:
        def run_end_to_end(solver: str = solver) -> None:
            if not data:
                raise RuntimeError("the food catalogue did not load")
            seconds, plan = best_of(max(1, args.repeat - 1), lambda: end_to_end_daily(data, solver))
            record(case, f"Cofactor end-to-end optimizer.plan [{solver}]", seconds,
                   f"{plan.status}, has_solution={plan.has_solution}", plan.objective_value, plan.gap)
            if "direct_s" in data:  # the direct route also has to read the catalogue into arrays
                floor = data["rows_s"] + data["direct_s"]
                record(case, f"  ratio end-to-end / (catalogue rows + direct highspy) [{solver}]", None,
                       f"{seconds / floor:.2f}x (goal <= 2x)")

        guarded(case, f"end-to-end [{solver}]", run_end_to_end)

    if not args.skip_weekly:
        weekly(solvers, args.weekly_time_limit)
    print_table()


def overhead_and_warm_up() -> None:
    """Adapter overhead on a 2-variable LP after the HiGHS worker is up (and the worker's start-up cost)."""
    case = "adapter overhead"

    def run() -> None:
        import pulp

        from optimizer.solve.adapter import SolveOptions, solve, warm_up

        start = time.perf_counter()
        warm_up()
        record(case, "HiGHS worker start-up (once per process)", time.perf_counter() - start, "ready")
        for solver in ("highs", "cbc"):
            problem = pulp.LpProblem("tiny", pulp.LpMinimize)
            x, y = problem.add_variable("x", 0), problem.add_variable("y", 0)
            problem += 2 * x + 3 * y
            problem += x + y >= 4, "need"
            seconds, result = best_of(20, lambda p=problem, s=solver: solve(p, SolveOptions(solver=s)))
            record(case, f"tiny LP solve() wall [{solver}] (best of 20)", seconds, result.termination, result.objective)

    guarded(case, "tiny LP", run)


def weekly(solvers: list[str], time_limit_s: float) -> None:
    import optimizer

    case = "weekly integer plan (default request)"
    for solver in solvers:
        for label, gap in (("first plan (relative_gap=1.0)", 1.0), ("proof within 1 % (relative_gap=0.01)", 0.01)):
            def run(solver: str = solver, gap: float = gap, label: str = label) -> None:
                request = optimizer.PlanRequest(profile=optimizer.Profile(sex="female", age=45), days=7,
                                                solver=solver, relative_gap=gap, time_limit_s=time_limit_s)
                start = time.perf_counter()
                plan = optimizer.plan(request)
                record(case, f"{label} [{solver}]", time.perf_counter() - start,
                       f"{plan.status}, has_solution={plan.has_solution}", plan.objective_value, plan.gap)

            guarded(case, f"{label} [{solver}]", run)


def print_table() -> None:
    header = ("case", "method", "seconds", "status", "objective", "gap")
    widths = [max(len(str(row[i])) for row in [header, *ROWS]) for i in range(len(header))]
    line = " | ".join(h.ljust(w) for h, w in zip(header, widths))
    print(line)
    print("-" * len(line))
    for row in ROWS:
        print(" | ".join(str(c).ljust(w) for c, w in zip(row, widths)))


if __name__ == "__main__":
    main()
