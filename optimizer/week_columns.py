"""Integer weeks of interchangeable days by column generation, with a proven lower bound (no PuLP here).

The week model couples its days only through variety (a food on at most ``k`` days) and the shared supplement
regimen. Relaxing those with multipliers ``lambda_f >= 0`` splits the week into identical one-day problems
(Lagrangian relaxation), so for every ``lambda``

    week optimum  >=  days * min_day(cost + sum_f lambda_f * used_f)  -  sum_f k * lambda_f

and the one-day minimum may be replaced by the day solver's proven bound. ``lambda = 0`` gives
``days x the best single day``. The multipliers come from the master model (``optimizer/master_model.py``):
an LP over the day menus found so far; each pricing solve (the one-day integer model over **every** candidate
food, with ``lambda_f`` added per food used) yields a new menu and a new bound. The week itself is the master
model solved in whole days over the menus found. Both the menus and the bound come from the full candidate set,
so the reported gap is a real one. Figures: docs/optimizer.md "Speed".
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from typing import Any

from optimizer.master_model import MenuColumn, build_master, build_master_dual
from optimizer.model import ModelSpec, build_model, limit_objective
from optimizer.solver import SolveOptions, SolveResult, solve
from optimizer.strategies import day_spec

PRICE_LIMIT_S = 3.0  # seconds for one day menu (its proven bound still counts when it stops early)
FIRST_MENU_LIMIT_S = 5.0  # the best single day: its bound is the week's first lower bound (days x it)
COLUMN_BUDGET_S = 8.0  # seconds the whole column generation may take (less when the request's limit is lower)
MAX_COLUMNS = 12


@dataclass
class _Menu:
    column: MenuColumn
    built: Any
    result: SolveResult
    none_in_range: bool = False  # proven: no day has an objective within the range asked for


@dataclass
class ColumnWeek:
    """A composed week: values keyed by the week model's variable names, its objective, a proven lower bound
    (objective units, for the whole plan over every candidate food) and notes for the plan."""

    values: dict[str, float]
    objective: float
    bound: float
    notes: list[str]
    proven_lp: bool  # the master LP reached the bound: more menus cannot raise it
    food_ids: frozenset[str] = frozenset()  # the foods the chosen menus use


def applicable(spec: ModelSpec) -> bool:
    """Column generation applies to integer plans of several interchangeable days without weekly targets."""
    return (spec.days > 1 and spec.symmetric_days and not spec.locked and not spec.locked_supplements
            and not any(days for _, days, _, _ in spec.must_include)
            and not any(d is not None for _, _, _, d in spec.usual)
            and not any(t.period == "weekly" for t in spec.targets))


def _menu(base: ModelSpec, penalty: dict[str, float], options: SolveOptions, limit: float, name: str,
          foods: list[str] | None = None, start: dict[str, float] | None = None,
          floor: float | None = None, cutoff: float | None = None) -> _Menu | None:
    """Solve one day menu (with ``penalty`` per food used). ``start``: a known feasible day's values (warm start);
    ``floor``: rows ``objective >= floor`` (slows HiGHS on these models: unused here); ``cutoff``: look only for
    days with objective at most this (much faster than an open search when such a day exists). None when it found nothing and proved nothing."""
    spec = replace(base, use_penalty={f: p for f, p in penalty.items() if p > 1e-12})
    if foods is not None:
        spec = spec.with_foods(foods)
    built = build_model(spec, name=name)
    limit_objective(built, floor, cutoff)
    if start:
        built.set_initial_values(start)
    result = solve(built.problem, replace(options, time_limit_s=max(limit, 0.2), want_duals=False,
                                          warm_start=bool(start)))
    if not result.has_solution or result.objective is None:
        if result.termination == "infeasible" and cutoff is not None:
            return _Menu(MenuColumn(math.inf, frozenset()), built, result, none_in_range=True)
        return None if result.bound is None else _Menu(MenuColumn(math.inf, frozenset()), built, result)
    used = frozenset(built.items[n].food_id for n, v in result.values.items() if n in built.items and v > 0.5)
    regimen = tuple(sorted((n, round(result.values.get(n, 0.0))) for n in built.doses
                           if round(result.values.get(n, 0.0)) > 0))
    cost = float(result.objective) - sum(spec.use_penalty.get(f, 0.0) for f in used)
    return _Menu(MenuColumn(cost, used, regimen), built, result)


def compose_by_columns(spec: ModelSpec, options: SolveOptions, budget_s: float) -> ColumnWeek | None:
    """A week of day menus chosen by column generation over every candidate food (see the module docstring).
    ``budget_s``: seconds it may take. None when no menu can be made or the menus cannot fill the week."""
    start = time.perf_counter()
    deadline = start + max(budget_s, 1.0)
    days = spec.days
    k = spec.max_days_per_food if spec.max_days_per_food and spec.max_days_per_food < days else days
    base = replace(day_spec(spec, None), day_of_plan=days)
    price_options = replace(options, relative_gap=min(options.relative_gap, 0.005) if options.relative_gap < 1 else 1.0)

    def left() -> float:
        return deadline - time.perf_counter()

    first = _menu(base, {}, price_options, min(FIRST_MENU_LIMIT_S, left()), "menu1")
    if first is None or first.result.bound is None or not first.column.foods:
        return None
    bound = days * float(first.result.bound)  # no day, whatever its foods or penalties, costs less than menu 1's bound
    menus = [first]
    if k < days and left() > 0.2:
        # the best day without menu 1's foods: first look for one as good as menu 1 (within the gap), which is
        # much faster than an open search and, when found, closes the gap at once
        others = [f for f in base.foods if f not in first.column.foods]
        target = first.column.cost + max(options.relative_gap * abs(first.column.cost), 1e-6)
        second = _menu(base, {}, price_options, min(PRICE_LIMIT_S, left() / 2), "menu2", foods=others, cutoff=target)
        if (second is None or not second.column.foods) and left() > 0.2:
            second = _menu(base, {}, price_options, min(PRICE_LIMIT_S, left()), "menu2_open", foods=others)
        if second is not None and second.column.foods:
            menus.append(second)
    max_days = {f: k for f in base.foods} if k < days else {}
    big_m = 10.0 * max(1.0, max(abs(m.column.cost) for m in menus))
    best: tuple[float, list[int]] | None = None
    proven_lp = False
    rounds = 0
    while True:
        columns = [m.column for m in menus]
        ip = _solve_master(columns, days, max_days, big_m, options, integer=True)
        if ip is not None and (best is None or ip[0] < best[0] - 1e-12):
            best = ip
        if best is not None and (best[0] - bound) <= options.relative_gap * max(abs(best[0]), 1e-9):
            break
        if not max_days or len(menus) >= MAX_COLUMNS or left() < 0.3:
            break
        lp = _solve_master(columns, days, max_days, big_m, options, integer=False, duals=True)
        if lp is None:
            break
        lp_objective, lam, mu = lp
        if lp_objective - bound <= 1e-7 * max(1.0, abs(lp_objective)):
            proven_lp = True
            break
        rounds += 1
        # look only for a menu that improves the master (reduced cost < 0, i.e. penalised cost < mu). A known
        # floor (no day beats menu 1) is not passed: an objective-parallel row slows HiGHS 3-5x (measured)
        priced = _menu(base, lam, price_options, min(PRICE_LIMIT_S, left()), f"price{rounds}",
                       cutoff=mu - 1e-7 * max(1.0, abs(mu)))
        if priced is None:
            break
        if priced.none_in_range:  # proven: no menu prices out, so the master LP value bounds the week
            bound = max(bound, lp_objective)
            proven_lp = True
            break
        if priced.result.bound is None:
            break
        penalty_bound = float(priced.result.bound)
        bound = max(bound, days * penalty_bound - sum(k * v for v in lam.values()))
        column = priced.column
        if not column.foods or column in columns:
            break
        reduced = column.cost + sum(lam.get(f, 0.0) for f in column.foods) - mu
        if reduced > -1e-9:
            break
        menus.append(priced)
    if best is None:
        return None
    objective, counts = best
    values = _week_values(spec, menus, counts)
    used = sum(1 for c in counts if c)
    notes = [f"Week made of {used} day menu(s) chosen among {len(menus)} by column generation over all "
             f"{len(base.foods)} candidate foods (each food on at most {k} days); lower bound "
             f"{bound:.4g} from a Lagrangian relaxation of the variety rule ({time.perf_counter() - start:.1f} s)."]
    food_ids = frozenset().union(*(menus[i].column.foods for i, c in enumerate(counts) if c))
    return ColumnWeek(values, objective, min(bound, objective), notes, proven_lp, food_ids)


def _solve_master(columns: list[MenuColumn], days: int, max_days: dict[str, int], big_m: float,
                  options: SolveOptions, integer: bool, duals: bool = False) -> Any:
    """Integer master: (objective, days per menu), or None when the menus cannot fill the week. LP (``duals``):
    (LP objective, lambda per food, mu) from the master's dual with the smallest multipliers."""
    opts = replace(options, time_limit_s=5.0, relative_gap=1e-6, want_duals=False, warm_start=False)
    if duals:
        dual = build_master_dual(columns, days, max_days, big_m)
        result = solve(dual.problem, opts)
        if not result.has_solution:
            return None
        mu = result.values.get(dual.mu.name, 0.0)
        lam = {f: max(0.0, result.values.get(v.name, 0.0)) for f, v in dual.lam.items()}
        objective = days * mu - sum(max_days[f] * v for f, v in lam.items())
        return objective, {f: v for f, v in lam.items() if v > 1e-12}, mu
    master = build_master(columns, days, max_days, big_m, integer)
    result = solve(master.problem, opts)
    if not result.has_solution or result.objective is None:
        return None
    if result.values.get(master.artificial.name, 0.0) > 1e-6:
        return None  # the menus cannot fill every day within the variety rule
    counts = [int(round(result.values.get(v.name, 0.0))) for v in master.x]
    return float(result.objective), counts


def _week_values(spec: ModelSpec, menus: list[_Menu], counts: list[int]) -> dict[str, float]:
    """Values for the week model: menus interleaved over the days (most-used first: A B A B A B A), items
    renamed from day 1 to their day, the shared regimen (and weekly products) as the menus have them."""
    order = sorted((i for i, c in enumerate(counts) if c), key=lambda i: -counts[i])
    left = {i: counts[i] for i in order}
    schedule: list[int] = []
    while len(schedule) < spec.days:
        for i in order:
            if left[i] and len(schedule) < spec.days:
                schedule.append(i)
                left[i] -= 1
    values: dict[str, float] = {}
    for day, i in enumerate(schedule, start=1):
        menu = menus[i]
        for n, v in menu.result.values.items():
            if n in menu.built.items and v > 1e-6:
                values[f"x_d{day}_" + n[len("x_d1_"):]] = float(round(v)) if spec.household else v
        for n in menu.built.doses:
            values[n] = float(round(menu.result.values.get(n, 0.0)))
    return values
