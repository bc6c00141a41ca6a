"""Pool heuristics for integer weeks that column generation does not cover (no PuLP here; models come from
``optimizer.model``). Continuous plans are never solved by a heuristic: every LP is solved exactly over every
candidate.

* :func:`compose_week` — integer multi-day plans from day menus: one small one-day integer model per menu,
  rotated over interchangeable days (or one per day when days differ: locks, day-specific must-includes),
  with the variety rule kept by counting the days each food is used.
* :func:`improve_week` — the full week model, warm-started from the composed week, for the time left.
Figures: docs/optimizer.md "Speed".
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from optimizer.compile.compiler import forced_foods
from optimizer.compile.spec import BuiltModel, ModelSpec
from optimizer.domain.request import PlanRequest
from optimizer.model.builder import build_model, relax_integrality
from optimizer.solve.adapter import SolveOptions, SolveResult, solve
from optimizer.solve.deadline import Deadline
from optimizer.solve.status import Termination, judged

POOL_TRIGGER = 45  # integer plans with more candidates than this are solved on an LP-chosen pool
POOL_ROUNDS = 8  # daily LPs, each without the foods earlier rounds used
POOL_TARGET = 60  # stop the LP rounds once the pool has this many foods
Slot = tuple[list[int], ModelSpec, int, int]  # (days, one-day spec, group, days in the group)
Menu = tuple[list[int], BuiltModel, SolveResult]  # (days, the menu's model, its solve)
IMPROVE_NODE_LIMIT = 500  # branch-and-bound nodes the week model may spend improving a composed week
MENU_NODE_LIMIT = 500  # nodes per day menu (the best menu found is used; its bound stays valid)


def day_spec(spec: ModelSpec, day: int | None) -> ModelSpec:
    """A one-day model of ``spec``: of day ``day`` (its locks, must-includes, usual items) or, with None, of
    any day of an interchangeable plan."""
    base = replace(spec, days=1, max_days_per_food=None, symmetric_days=False)
    if day is None:
        return base
    return replace(
        base,
        locked=[(1, m, f, g) for d, m, f, g in spec.locked if d == day],
        must_include=[(f, (), m, g) for f, days, m, g in spec.must_include if not days or day in days],
        locked_supplements=[(1, sid, u) for d, sid, u in spec.locked_supplements if d == day],
        usual=[(f, g, m, None) for f, g, m, d in spec.usual if d is None or d == day],
    )


def compose_week(spec: ModelSpec, options: SolveOptions, deadline: Deadline, per_day: bool = False
                 ) -> tuple[dict[str, float], float, float | None, list[str]] | None:
    """A week of day menus (daily targets only).

    Interchangeable days (unless ``per_day``): with a food on at most ``k`` days, ``P = ceil(days / k)`` menus (at least 2) suffice:
    menu ``j`` is eaten on days ``j+1, j+1+P, ...`` and may only use foods that stay within ``k`` days. Days that
    differ get one menu each, in order. A shared supplement regimen (no locked supplements) is the first menu's,
    kept for every day. Returns values keyed by the week model's variable names, the week objective, a lower
    bound (interchangeable days: days × the first menu's bound, as no day beats the best unrestricted day) and
    notes; None when a menu cannot be made.
    """
    k = spec.max_days_per_food or spec.days
    n_menus = min(spec.days, max(2, math.ceil(spec.days / k)))
    groups = [list(range(j + 1, spec.days + 1, n_menus)) for j in range(n_menus)]
    rotate = spec.symmetric_days and not per_day
    if rotate:
        slots = [(days, day_spec(spec, None), j, len(days)) for j, days in enumerate(groups)]
    elif not per_day:  # one plan per day, days grouped as the menus would be: a group reserves a food for all its days
        slots = [([d], day_spec(spec, d), j, len(days)) for j, days in enumerate(groups) for d in days]
    else:  # one plan per day in order, each food paced: by day d at most ceil(k·d/days) days
        slots = [([d], day_spec(spec, d), -d, 1) for d in spec.day_list()]
    shared = not spec.locked_supplements
    regimen: dict[str, int] | None = None
    free_bound: list[float] = []
    menus: list[Menu] | dict[str, int] | None = None
    for _attempt in range(2):
        menus = _menus(spec, slots, options, deadline, k, regimen, free_bound, shared)
        if not isinstance(menus, dict):
            break
        regimen = menus  # a later menu needed another supplement regimen: use it for every menu
    if not isinstance(menus, list):
        return None
    week = build_model(spec, name="week_names")  # for variable names only
    by_key = {(it.day, it.meal, it.food_id): n for n, it in week.items.items()}
    dose_names = {(dv.day, dv.supplement_id, dv.weekly): n for n, dv in week.doses.items()}
    values: dict[str, float] = {}
    objective = 0.0
    for days_j, built, result in menus:
        objective += len(days_j) * float(result.objective or 0.0)
        for n, v in result.values.items():
            if n in built.items and v > 1e-6:
                it = built.items[n]
                for d in days_j:
                    values[by_key[(d, it.meal, it.food_id)]] = float(round(v)) if spec.household and not it.locked else v
        for n, dv in built.doses.items():
            units = float(round(result.values.get(n, 0.0)))
            if dv.weekly:  # prescribed weekly: the menu's dose once per week of the plan
                if (1, dv.supplement_id, True) in dose_names:
                    values[dose_names[(1, dv.supplement_id, True)]] = units * len(spec.weeks())
            elif (0, dv.supplement_id, False) in dose_names:
                values[dose_names[(0, dv.supplement_id, False)]] = units
            else:
                for d in days_j:
                    if (d, dv.supplement_id, False) in dose_names:
                        values[dose_names[(d, dv.supplement_id, False)]] = units
    bound = spec.days * free_bound[0] if (free_bound and spec.symmetric_days) else None
    how = (f"{len(slots)} day menus rotated over {spec.days} days" if rotate
           else f"{spec.days} day plans solved in turn, days grouped in {n_menus} food sets")
    note = f"Week made of {how} (each food on at most {k} days)" + (
        f"; lower bound: {spec.days} × the best single day." if bound is not None else ".")
    return values, objective, bound, [note]


def _regimen(built: Any, result: SolveResult) -> dict[str, int]:
    return {built.doses[n].supplement_id: round(result.values.get(n, 0.0)) for n in built.doses if not built.doses[n].weekly}


def _menus(spec: ModelSpec, slots: list[Slot], options: SolveOptions, deadline: Deadline, k: int,
           regimen: dict[str, int] | None, free_bound: list[float], shared: bool) -> list[Menu] | dict[str, int] | None:
    """Solve the menus in turn. Returns the menus; or, when a menu needs another supplement regimen than the
    first one, that regimen (to retry with); or None when a menu cannot be made at all.

    Variety is exact: a food is offered to a slot only if the days it is already used, plus the later days it
    is locked or must be included, plus the slot's days stay within ``k``. Food sets are also reserved per
    group of days (a group reuses its own foods first), so early days do not use up every good food."""
    uses: dict[str, int] = {f: 0 for f in spec.foods}
    reserved: dict[int, set[str]] = {}
    days_used: dict[str, int] = {f: 0 for f in spec.foods}
    named_days: dict[str, set[int]] = {}
    for days_j, base, _, _ in slots:
        for f in {f for _, _, f, _ in base.locked} | {f for f, _, _, _ in base.must_include}:
            named_days.setdefault(f, set()).update(days_j)
    done: set[int] = set()
    pace = all(group < 0 for _, _, group, _ in slots)
    menus: list[Menu] = []

    def fits(f: str, days_j: list[int]) -> bool:
        pending = {d for d in named_days.get(f, ()) if d not in done} | set(days_j)
        if days_used[f] + len(pending) > k:
            return False
        if pace:  # paced per-day plans: no food used up early
            return days_used[f] + len(days_j) <= math.ceil(k * max(days_j) / spec.days)
        return True

    for j, (days_j, base, group, group_days) in enumerate(slots):
        named = {f for _, _, f, _ in base.locked} | {f for f, _, _, _ in base.must_include}
        mine = reserved.setdefault(group, set())
        fixed = None
        if shared:
            fixed = regimen if regimen is not None else (_regimen(menus[0][1], menus[0][2]) if menus else None)
        offers = []
        if mine:  # a later day of a group: first its own foods (no new reservations)
            offers.append(("own", [f for f in spec.foods if (f in mine or f in named) and fits(f, days_j)]))
        offers.append(("", [f for f in spec.foods if (f in mine or uses[f] + group_days <= k or f in named) and fits(f, days_j)]))
        if len(days_j) == 1:
            offers.append(("any", [f for f in spec.foods if fits(f, days_j)]))
        result: SolveResult | None = None
        built: BuiltModel | None = None
        for tag, foods in offers:
            sub = base.with_foods(foods)
            sub.fixed_doses = fixed or {}
            built = build_model(sub, name=f"menu{j + 1}" + (f"_{tag}" if tag else ""))
            result = solve(built.problem, deadline.options(options, want_duals=False, warm_start=False,
                                                           time_limit_s=None, node_limit=MENU_NODE_LIMIT))
            if result.has_solution:
                break
        assert result is not None and built is not None  # offers is never empty
        if not result.has_solution:
            if fixed is None or regimen is not None:
                return None
            sub.fixed_doses = {}
            built = build_model(sub, name=f"menu{j + 1}_free")
            result = solve(built.problem, deadline.options(options, want_duals=False, warm_start=False,
                                                           time_limit_s=None, node_limit=MENU_NODE_LIMIT))
            return _regimen(built, result) if result.has_solution else None
        if j == 0 and fixed is None and not free_bound:
            free_bound.append(float(result.bound if result.bound is not None else (result.objective or 0.0)))
        used_now = {built.items[n].food_id for n, v in result.values.items() if n in built.items and v > 1e-6}
        for f in used_now:
            days_used[f] += len(days_j)
        for f in used_now - mine:
            uses[f] += group_days
            mine.add(f)
        done.update(days_j)
        menus.append((days_j, built, result))
    return menus


def improve_week(built: Any, values: dict[str, float], composed: SolveResult, options: SolveOptions,
                 deadline: Deadline, notes: list[str], model_bound_valid: bool = True) -> SolveResult:
    """Try to improve a composed week with the week model, warm-started from it, within the time left.
    ``model_bound_valid``: the week model covers every candidate food, so its own bound is a bound of the plan
    (not so for a model over a pool of foods)."""
    if deadline.expired():
        return composed
    initial = dict(values)
    for name, v in values.items():
        if name in built.items and v > 0:
            it = built.items[name]
            if (it.day, it.food_id) in built.used:
                initial[built.used[(it.day, it.food_id)]] = 1.0
    for name in built.items:
        initial.setdefault(name, 0.0)
    built.set_initial_values({n: v for n, v in initial.items() if n in built.variables})
    result = solve(built.problem, deadline.options(options, time_limit_s=None, node_limit=IMPROVE_NODE_LIMIT,
                                                   warm_start=True, want_duals=False))
    bound = composed.bound
    if result.bound is not None and model_bound_valid:
        bound = result.bound if bound is None else max(bound, result.bound)
    stopped_by = Termination.TIME_LIMIT if deadline.expired() else Termination.WORK_LIMIT
    if result.has_solution and result.objective is not None and result.objective < (composed.objective or 0.0) - 1e-9:
        gap, termination = judged(result.objective, bound, options.relative_gap, stopped_by=stopped_by)
        notes.append("The week model improved the composed week.")
        return replace(result, bound=bound, gap=gap, termination=termination, runtime_s=deadline.elapsed())
    gap, termination = judged(composed.objective or 0.0, bound, options.relative_gap, stopped_by=stopped_by)
    return replace(composed, bound=bound, gap=gap, termination=termination, runtime_s=deadline.elapsed())


def choose_pool(spec: ModelSpec, request: PlanRequest, options: SolveOptions, deadline: Deadline
                ) -> tuple[list[str], dict[tuple[str, str], float], dict[str, tuple[str, ...]]]:
    """Foods for the integer model: those used by continuous LPs over all candidates, round after round
    (each round without the foods earlier rounds used; when that leaves too few foods, without only the last
    round's), plus every food the request names.
    Returns the pool, the first LP's grams per (meal, food_id) (for the warm start) and the meals each food may
    be eaten at in the pool model (with ``one_meal_per_food``: the meal the LPs used it at most)."""
    # one day, no locks (the named foods join the pool anyway): the rounds only choose foods
    lp_spec = replace(spec, household=False, max_days_per_food=None, min_foods_per_day=None, group_max_foods_per_day=None,
                      days=1, locked=[], locked_supplements=[], must_include=[], usual=[u for u in spec.usual if u[3] is None],
                      symmetric_days=False)
    pool: list[str] = [f for f in spec.foods if f in forced_foods(request)]
    first: dict[tuple[str, str], float] = {}
    best_meal: dict[str, tuple[str, float]] = {}
    excluded: set[str] = set()
    last: set[str] = set()
    need = POOL_TARGET
    for rnd in range(POOL_ROUNDS):
        if deadline.expired():
            break
        built = build_model(lp_spec.with_foods([f for f in spec.foods if f not in excluded]), name=f"pool_round{rnd + 1}")
        relax_integrality(built)
        result = solve(built.problem, deadline.options(options, warm_start=False, want_duals=False))
        if not result.has_solution:
            if excluded == last:  # even without only the last round's foods: no more days to find
                break
            excluded = set(last)  # too few foods left: next round avoids only the last round's foods
            continue
        used = {built.items[n].food_id for n, v in result.values.items() if n in built.items and v > 1.0}
        for n, v in result.values.items():
            if n in built.items and v > 1.0:
                it = built.items[n]
                if v > best_meal.get(it.food_id, ("", 0.0))[1]:
                    best_meal[it.food_id] = (it.meal, v)
        if rnd == 0:
            first = {(built.items[n].meal, built.items[n].food_id): v for n, v in result.values.items() if n in built.items and v > 1e-6}
        pool += [f for f in spec.foods if f in used and f not in pool]
        last = used
        excluded |= used
        if len(pool) >= need or len(excluded) >= len(spec.foods):
            break
    if spec.one_meal_per_food:  # each pool food at the meal the LPs used it most (named foods keep theirs)
        forced = forced_foods(request)
        meals_for = {f: ((best_meal[f][0],) if f in best_meal and f not in forced else m) for f, m in spec.meals_for.items()}
    else:
        meals_for = dict(spec.meals_for)
    return pool, first, meals_for


def warm_start_values(built: Any, lp_grams: dict[tuple[str, str], float]) -> None:
    """Round the first pool LP (grams per meal and food) into initial amounts for every day (a hint only:
    the solver repairs or discards it)."""
    initial = {}
    for name, item in built.items.items():
        grams = lp_grams.get((item.meal, item.food_id), 0.0)
        var = built.variables[name]
        value = float(round(grams / item.grams_per_unit)) if built.spec.household else grams
        initial[name] = min(max(value, var.lowBound or 0.0), var.upBound if var.upBound is not None else value)
    built.set_initial_values(initial)
