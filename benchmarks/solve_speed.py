"""Solve-speed benchmark: Cofactor against direct highspy and a naive full-week MILP, both solvers, quiet and loaded.

    python benchmarks/solve_speed.py [--repeat 3] [--skip-cbc] [--skip-load] [--skip-naive] [--time-limit 20]

(a) **Daily LP over all SR24 foods** (7,907): grams of each food (0-500 g), every daily target of a 45-year-old woman,
    minimise total grams. *direct highspy*: numpy arrays from the cached catalogue -> ``Highs.passModel`` -> ``run``
    in-process (the floor); *Cofactor end to end*: ``optimizer.plan`` on the same request (one meal, every food priced
    1 per 100 g, ``objective="cost"``) from the same cached catalogue, on each solver; the ratio of the two is the
    goal (at most 2x). Also the four-meal LP (the person's continuous default).
(b) **Default week** ``PlanRequest(profile=Profile(sex="female", age=45), days=7)``: time to a first plan
    (``relative_gap=1.0``) and to a proof within 1 %, on each solver, quiet and beside two CPU-bound processes; and
    whether the loaded run gave the same plan as the quiet one.
(c) **Naive full-week MILP**: the whole week model over every candidate built once and handed to HiGHS directly.

Times are wall-clock seconds (best of ``--repeat`` for (a)). The table is printed and appended, with the date and
the machine, to ``benchmarks/results.md``. This script measures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import multiprocessing
import os
import platform
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

RESULTS = Path(__file__).resolve().parent / "results.md"
MAX_GRAMS = 500.0
ROWS: list[tuple[str, ...]] = []


def record(case: str, method: str, seconds: float | None, status: str = "", objective: float | None = None,
           gap: float | None = None, note: str = "") -> None:
    ROWS.append((case, method, "" if seconds is None else f"{seconds:.3f}", status,
                 "" if objective is None else f"{objective:.6g}",
                 "" if gap is None or not math.isfinite(gap) else f"{gap:.2%}", note))
    print(f"  {case} | {method}: {ROWS[-1][2] or '-'} s {status} {note}", file=sys.stderr, flush=True)


def best_of(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    best, result = math.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def _burn() -> None:  # a CPU-bound process
    while True:
        pass


@contextmanager
def cpu_load(processes: int) -> Iterator[None]:
    """Run ``processes`` CPU-bound processes for the duration of the block."""
    burners = [multiprocessing.Process(target=_burn, daemon=True) for _ in range(processes)]
    for p in burners:
        p.start()
    try:
        yield
    finally:
        for p in burners:
            p.terminate()
            p.join()


# ------------------------------------------------------------------------------------------ (a) daily LP
def daily_rows(table: Any) -> dict[str, Any]:
    """The daily LP's rows as arrays from the cached catalogue (unknown nutrients count as 0, as in the direct
    baseline Cofactor is compared against)."""
    import optimizer

    targets = optimizer.targets_for(optimizer.Profile(sex="female", age=45))
    frame = table.frame
    rows, lower, upper = [], [], []
    energy = frame["energy_kcal"].fillna(0.0).to_numpy(float)
    for target in targets:
        if target.applies_to != "total" or target.period != "daily" or target.nutrient not in frame:
            continue
        amount = frame[target.nutrient].fillna(0.0).to_numpy(float)
        if target.kind == "energy_percent":
            for bound, pct in (("min", target.min), ("max", target.max)):
                if pct is not None:
                    rows.append(target.kcal_per_unit * amount - pct / 100.0 * energy)
                    lower.append(0.0 if bound == "min" else -math.inf)
                    upper.append(math.inf if bound == "min" else 0.0)
            continue
        rows.append(amount)
        lower.append(-math.inf if target.min is None else target.min)
        upper.append(math.inf if target.max is None else target.max)
    return {"A": np.vstack(rows), "lower": np.array(lower), "upper": np.array(upper)}


def direct_highspy(table: Any) -> tuple[str, float]:
    """Build the arrays from the cached catalogue and solve in-process with highspy: the floor."""
    import highspy

    data = daily_rows(table)
    A = data["A"]
    m, n = A.shape
    nz_rows, nz_cols = np.nonzero(A.T)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, m
    lp.col_cost_ = np.ones(n)
    lp.col_lower_, lp.col_upper_ = np.zeros(n), np.full(n, MAX_GRAMS / 100.0)
    lp.row_lower_, lp.row_upper_ = data["lower"], data["upper"]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.searchsorted(nz_rows, np.arange(n + 1)).astype(np.int32)
    lp.a_matrix_.index_ = nz_cols.astype(np.int32)
    lp.a_matrix_.value_ = A.T[nz_rows, nz_cols]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    h.run()
    return h.modelStatusToString(h.getModelStatus()), h.getInfo().objective_function_value


def daily_request(solver: str, meals: tuple[str, ...]) -> Any:
    import optimizer

    return optimizer.PlanRequest(profile=optimizer.Profile(sex="female", age=45), days=1, candidates="all",
                                 portions="continuous", objective="cost", solver=solver, time_limit_s=120, meals=meals,
                                 supplements=[])  # no tablets: a pure LP, as the direct baseline


def daily_lp(repeat: int, solvers: list[str]) -> None:
    import foods
    import optimizer

    case = "daily LP, 7,907 SR24 foods"
    table = foods.load_foods()
    frame = table.frame.copy()
    frame["price_per_100g"], frame["price_source"] = 1.0, "benchmark: 1 per 100 g"
    priced = type(table)(frame, table.portions, source=table.source)
    optimizer.plan(daily_request("highs", ("day",)), foods=priced)  # warm: the HiGHS worker and caches
    direct_s, (status, objective) = best_of(repeat, lambda: direct_highspy(table))
    record(case, "direct highspy (arrays from the cached catalogue + solve)", direct_s, status, objective)
    for solver in solvers:
        seconds, plan = best_of(repeat, lambda s=solver: optimizer.plan(daily_request(s, ("day",)), foods=priced))
        record(case, f"Cofactor end to end, one meal [{solver}]", seconds, f"{plan.status} ({plan.method})",
               plan.objective_value, plan.gap, note=f"{seconds / direct_s:.2f}x direct (goal <= 2x)")
    seconds, plan = best_of(1, lambda: optimizer.plan(daily_request("highs", ("breakfast", "lunch", "dinner", "snack")),
                                                      foods=priced))
    record(case, "Cofactor end to end, four meals [highs]", seconds, f"{plan.status} ({plan.method})",
           plan.objective_value, plan.gap)


# ------------------------------------------------------------------------------------------ (b) default week
def week_fingerprint(plan: Any) -> tuple[Any, ...]:
    return tuple(sorted((int(r.day), str(r.meal), str(r.food_id), round(float(r.grams), 3)) for r in plan.items.itertuples()))


def default_week(solvers: list[str], time_limit_s: float, load: bool) -> None:
    import optimizer

    case = "default week (woman, 45)"
    conditions = [("quiet", 0)] + ([("beside 2 CPU-bound processes", 2)] if load else [])
    for solver in solvers:
        quiet_plans: dict[float, Any] = {}
        for condition, burners in conditions:
            for label, gap in (("first plan", 1.0), ("proof within 1 %", 0.01)):
                request = optimizer.PlanRequest(profile=optimizer.Profile(sex="female", age=45), days=7, solver=solver,
                                                relative_gap=gap, time_limit_s=time_limit_s)
                with cpu_load(burners):
                    start = time.perf_counter()
                    plan = optimizer.plan(request)
                    seconds = time.perf_counter() - start
                note = ""
                if burners and gap in quiet_plans:
                    same = week_fingerprint(plan) == week_fingerprint(quiet_plans[gap])
                    note = "same plan as quiet" if same else "DIFFERENT plan from quiet"
                elif not burners:
                    quiet_plans[gap] = plan
                record(case, f"{label} [{solver}], {condition}", seconds, f"{plan.status} ({plan.method})",
                       plan.objective_value, plan.gap, note)


# ------------------------------------------------------------------------------------------ (c) naive MILP
def naive_week(time_limit_s: float) -> None:
    import foods
    import optimizer
    from optimizer.compile.compiler import compile_request
    from optimizer.model.builder import build_model
    from optimizer.solve.adapter import SolveOptions, solve

    case = "default week (woman, 45)"
    request = optimizer.PlanRequest(profile=optimizer.Profile(sex="female", age=45), days=7)
    start = time.perf_counter()
    compiled = compile_request(request, foods.load_foods(), foods.load_supplements())
    built = build_model(compiled.spec)
    result = solve(built.problem, SolveOptions(time_limit_s=time_limit_s, relative_gap=0.01))
    record(case, "naive full-week MILP [highs] (every candidate x 7 days, one solve)", time.perf_counter() - start,
           str(result.termination), result.objective, result.gap,
           note=f"{len(built.variables):,} variables, {len(built.constraint_names):,} rows")


# ------------------------------------------------------------------------------------------ output
def table_text() -> str:
    header = ("case", "method", "seconds", "status (method)", "objective", "gap", "note")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in ROWS]
    return "\n".join(lines)


def machine() -> str:
    from importlib.metadata import version

    import highspy  # noqa: F401

    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"highspy {version('highspy')}, PuLP {version('pulp')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per daily-LP row (the best is reported)")
    parser.add_argument("--time-limit", type=float, default=20.0, help="seconds per weekly plan (the plan's deadline)")
    parser.add_argument("--skip-cbc", action="store_true")
    parser.add_argument("--skip-load", action="store_true", help="no runs beside CPU-bound processes")
    parser.add_argument("--skip-naive", action="store_true", help="no naive full-week MILP")
    parser.add_argument("--skip-weekly", action="store_true")
    args = parser.parse_args()
    solvers = ["highs"] if args.skip_cbc else ["highs", "cbc"]
    daily_lp(args.repeat, solvers)
    if not args.skip_weekly:
        default_week(solvers, args.time_limit, load=not args.skip_load)
        if not args.skip_naive:
            naive_week(max(args.time_limit, 60.0))
    text = table_text()
    print(text)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(f"\n## {stamp} — {machine()}\n\n`python benchmarks/solve_speed.py {' '.join(sys.argv[1:])}`\n\n{text}\n")
    print(f"\nAppended to {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")


if __name__ == "__main__":
    main()
