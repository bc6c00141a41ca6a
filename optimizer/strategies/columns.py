"""Integer weeks by column generation over day menus, with a proven lower bound (no PuLP here).

The week model couples its days only through variety (a food on at most ``k`` days) and the shared supplement
regimen. Days fall into *day types*: interchangeable days form one type, and a day with its own locks,
must-includes or usual items is a type of its own. Relaxing the coupling with multipliers ``lambda_f >= 0``
splits the week into one-day problems (Lagrangian relaxation), so for every ``lambda``

    week optimum  >=  sum_t n_t * min_day_t(cost + sum_f lambda_f * used_f)  -  sum_f k * lambda_f

(``n_t`` days of type ``t``), and each one-day minimum may be replaced by the day solver's proven bound.
``lambda = 0`` gives the sum of the best days of each type. The multipliers come from the master model
(``optimizer/master_model.py``): an LP over the day menus found so far; each pricing solve (the one-day integer
model of a type over **every** candidate food, with ``lambda_f`` added per food used, searched below the type's
dual ``mu_t``) yields a new menu, or proves that none improves the master. The week itself is the master model
solved in whole days over the menus found. Both the menus and the bound come from the full candidate set, so the
reported gap is a real one. Figures: docs/optimizer.md "Speed".
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from typing import Any

from optimizer.compile.spec import ModelSpec
from optimizer.model.builder import build_model, cap_objective
from optimizer.model.master import MenuColumn, build_master, build_master_dual
from optimizer.solve.adapter import SolveOptions, SolveResult, solve
from optimizer.solve.deadline import Deadline
from optimizer.solve.status import Termination
from optimizer.strategies.pools import day_spec

MENU_NODE_LIMIT = 200  # branch-and-bound nodes for one day menu (its proven bound still counts when it stops)
CBC_MENU_NODE_LIMIT = 200  # CBC's nodes are slower and its root weaker (measured): a shallower search per menu
MAX_COLUMNS = 12  # day menus in all (work limit: the same on a quiet or a busy machine)
MAX_ROUNDS = 8  # pricing rounds
MAX_DAY_TYPES = 2  # more types than this (e.g. a lock on every day): each round would solve too many day models


@dataclass
class _Menu:
    column: MenuColumn
    built: Any
    result: SolveResult
    none_in_range: bool = False  # proven: no day has an objective within the range asked for


@dataclass
class ColumnWeek:
    """A composed week: values keyed as :meth:`BuiltModel.keyed_values` (by day, meal and food, never by solver
    name), its objective, a proven lower bound (objective units, for the whole plan over every candidate food), notes
    for the plan and what stopped the search when it did not prove the week (a work limit or the deadline)."""

    values: dict[tuple[Any, ...], float]
    objective: float
    bound: float
    notes: list[str]
    food_ids: frozenset[str] = frozenset()  # the foods the chosen menus use
    found: bool = True  # False: no week from the menus found in time (``bound`` is still a valid lower bound)
    stopped_by: Termination = Termination.WORK_LIMIT


def applicable(spec: ModelSpec) -> bool:
    """All days interchangeable: several days, no locks or day-specific items, no weekly targets."""
    types = day_types(spec)
    return types is not None and len(types) == 1 and spec.symmetric_days


def day_types(spec: ModelSpec) -> list[list[int]] | None:
    """Days grouped into types (days with the same locks, day-specific must-includes and usual items), in order of
    their first day; None when column generation does not apply (one day, locked supplements, weekly targets)."""
    if spec.days <= 1 or spec.locked_supplements or any(t.period == "weekly" for t in spec.targets):
        return None

    def signature(d: int) -> tuple[Any, ...]:
        return (tuple(sorted((m, f, round(g, 6)) for dd, m, f, g in spec.locked if dd == d)),
                tuple(sorted((f, str(m), round(g, 6)) for f, days, m, g in spec.must_include if days and d in days)),
                tuple(sorted((f, str(m), round(g, 6)) for f, g, m, dd in spec.usual if dd == d)))

    groups: dict[tuple[Any, ...], list[int]] = {}
    for d in spec.day_list():
        groups.setdefault(signature(d), []).append(d)
    return sorted(groups.values(), key=lambda days: days[0])


def _menu(base: ModelSpec, penalty: dict[str, float], options: SolveOptions, deadline: Deadline, name: str,
          day_type: int = 0, foods: list[str] | None = None, cutoff: float | None = None) -> _Menu | None:
    """Solve one day menu of ``day_type`` (with ``penalty`` per food used). ``foods``: only these candidates;
    ``cutoff``: look only for days with objective at most this (much faster than an open search when such a day
    exists; infeasible = proven that none does). None when it found nothing and proved nothing."""
    spec = replace(base, use_penalty={f: p for f, p in penalty.items() if p > 1e-12})
    if foods is not None:
        spec = spec.with_foods(foods)
    built = build_model(spec, name=name)
    if cutoff is not None:
        cap_objective(built, cutoff)
    nodes = MENU_NODE_LIMIT if options.solver == "highs" else CBC_MENU_NODE_LIMIT
    result = solve(built.problem, deadline.options(options, time_limit_s=None, node_limit=nodes, want_duals=False,
                                                   warm_start=False))
    empty = MenuColumn(math.inf, frozenset(), (), day_type)
    if not result.has_solution or result.objective is None:
        if result.termination == "infeasible" and cutoff is not None:
            return _Menu(empty, built, result, none_in_range=True)
        return None if result.bound is None else _Menu(empty, built, result)
    used = frozenset(built.items[n].food_id for n, v in result.values.items() if n in built.items and v > 0.5)
    regimen = tuple(sorted(((dv.supplement_id, dv.weekly), round(result.values.get(n, 0.0)))
                           for n, dv in built.doses.items() if round(result.values.get(n, 0.0)) > 0))
    cost = float(result.objective) - sum(spec.use_penalty.get(f, 0.0) for f in used)
    return _Menu(MenuColumn(cost, used, regimen, day_type), built, result)


def compose_by_columns(spec: ModelSpec, options: SolveOptions, deadline: Deadline) -> ColumnWeek | None:
    """A week of day menus chosen by column generation over every candidate food (see the module docstring).
    The work is limited by nodes per menu, :data:`MAX_COLUMNS` and :data:`MAX_ROUNDS` (the same on any machine);
    ``deadline`` only stops it early. None when it does not apply (see :func:`day_types`), when no menu can be
    made or when the menus cannot fill the week."""
    types = day_types(spec)
    if types is None or len(types) > MAX_DAY_TYPES:
        return None
    start = time.perf_counter()
    days = spec.days
    n_days = {t: len(group) for t, group in enumerate(types)}
    k = spec.max_days_per_food if spec.max_days_per_food and spec.max_days_per_food < days else days
    bases = {t: replace(day_spec(spec, None if len(types) == 1 else group[0]), day_of_plan=days)
             for t, group in enumerate(types)}
    price_options = replace(options, relative_gap=min(options.relative_gap, 0.005) if options.relative_gap < 1 else 1.0)

    menus: list[_Menu] = []
    type_bound: dict[int, float] = {}
    for t, base in bases.items():  # the best day of each type: together, the first lower bound
        first = _menu(base, {}, price_options, deadline, f"menu1_t{t}", t)
        if first is None or first.result.bound is None or not first.column.foods:
            return None
        type_bound[t] = float(first.result.bound)
        menus.append(first)
    bound = sum(n_days[t] * b for t, b in type_bound.items())
    for t, base in bases.items():
        if n_days[t] <= k or deadline.expired():
            continue
        # this type's days need a second menu without the first one's foods: first look for one as good as the
        # first (within the gap), much faster than an open search and, when found, often closing the gap at once
        first = next(m for m in menus if m.column.day_type == t)
        locked_foods = {f for _, _, f, _ in base.locked}
        others = [f for f in base.foods if f not in first.column.foods or f in locked_foods]
        target = first.column.cost + max(options.relative_gap * abs(first.column.cost), 1e-6)
        second = None
        if options.solver == "highs":  # measured on HiGHS; CBC finds no such day faster with the cutoff row
            second = _menu(base, {}, price_options, deadline, f"menu2_t{t}", t, foods=others, cutoff=target)
        if (second is None or not second.column.foods) and not deadline.expired():
            second = _menu(base, {}, price_options, deadline, f"menu2_open_t{t}", t, foods=others)
        if second is not None and second.column.foods:
            menus.append(second)
    max_days = {f: k for f in spec.foods} if k < days else {}
    big_m = 10.0 * max(1.0, max(abs(m.column.cost) for m in menus))
    best: tuple[float, list[int]] | None = None
    rounds = 0
    repaired = False
    while True:
        columns = [m.column for m in menus]
        ip = _solve_master(columns, n_days, max_days, big_m, options, deadline, integer=True)
        if ip is None and not repaired and len({c.regimen for c in columns}) > 1:
            repaired = True  # the first menus cannot share one supplement regimen: remake them with each one
            more = _same_regimen_menus(bases, menus, price_options, deadline)
            if more:
                menus += more
                continue
        if ip is not None and (best is None or ip[0] < best[0] - 1e-12):
            best = ip
        if best is not None and (best[0] - bound) <= options.relative_gap * max(abs(best[0]), 1e-9):
            break
        if not max_days or len(menus) >= MAX_COLUMNS or rounds >= MAX_ROUNDS or deadline.expired():
            break
        lp = _solve_master(columns, n_days, max_days, big_m, options, deadline, integer=False, duals=True)
        if lp is None:
            break
        lp_objective, lam, mu = lp
        if lp_objective - bound <= 1e-7 * max(1.0, abs(lp_objective)):
            break  # the bound already equals the master LP: more menus cannot raise it
        rounds += 1
        new: list[_Menu] = []
        lower: dict[int, float] = {}
        for t, base in bases.items():
            if deadline.expired():
                break
            # only a menu that improves the master (penalised cost < mu_t). A known floor (no day beats the type's
            # first menu) is not passed: an objective-parallel row slows HiGHS 3-5x (measured)
            cutoff = mu[t] - 1e-7 * max(1.0, abs(mu[t]))
            priced = _menu(base, lam, price_options, deadline, f"price{rounds}_t{t}", t, cutoff=cutoff)
            if priced is None:
                continue
            if priced.none_in_range:  # proven: nothing of this type below mu_t
                lower[t] = cutoff
                continue
            if priced.result.bound is not None:
                lower[t] = float(priced.result.bound)
            column = priced.column
            reduced = column.cost + sum(lam.get(f, 0.0) for f in column.foods) - mu[t]
            if column.foods and column not in columns and reduced < -1e-9:
                new.append(priced)
        if len(lower) == len(bases):  # every type priced at these multipliers: a Lagrangian bound
            bound = max(bound, sum(n_days[t] * lower[t] for t in bases) - sum(k * v for v in lam.values()))
        if not new:
            break
        menus += new
    stopped_by = Termination.TIME_LIMIT if deadline.expired() else Termination.WORK_LIMIT
    if best is None:  # no week from these menus; the bound still holds (the caller may use it)
        return ColumnWeek({}, math.inf, bound, [], found=False, stopped_by=stopped_by)
    objective, counts = best
    values = _week_values(spec, types, menus, counts)
    used = sum(1 for c in counts if c)
    kinds = "" if len(types) == 1 else f", {len(types)} kinds of day"
    notes = [f"Week made of {used} day menu(s) chosen among {len(menus)} by column generation over all "
             f"{len(spec.foods)} candidate foods (each food on at most {k} days{kinds}); lower bound "
             f"{bound:.4g} from a Lagrangian relaxation of the variety rule ({time.perf_counter() - start:.1f} s)."]
    food_ids = frozenset().union(*(menus[i].column.foods for i, c in enumerate(counts) if c))
    return ColumnWeek(values, objective, min(bound, objective), notes, food_ids, stopped_by=stopped_by)


def _same_regimen_menus(bases: dict[int, ModelSpec], menus: list[_Menu], options: SolveOptions,
                        deadline: Deadline) -> list[_Menu]:
    """Menus cannot share a week when they need different supplement regimens (one regimen all week): make each
    kind of day's best menu again with every other regimen found, fixed (daily products only)."""
    out: list[_Menu] = []
    regimens = {m.column.regimen for m in menus}
    for t, base in bases.items():
        daily = [sid for sid, sup in base.supplements.items() if sup.schedule == "daily"]
        first = next(m for m in menus if m.column.day_type == t)
        for regimen in sorted(regimens - {first.column.regimen}, key=repr):
            doses: tuple[tuple[tuple[str, bool], int], ...] = regimen  # type: ignore[assignment]  # built in _menu
            if deadline.expired() or any(weekly or sid not in daily for (sid, weekly), _ in doses):
                continue  # weekly products cannot be fixed per day
            units = {sid: n for (sid, _), n in doses}
            fixed = {sid: int(units.get(sid, 0)) for sid in daily}
            menu = _menu(replace(base, fixed_doses=fixed), {}, options, deadline, f"menu_regimen_t{t}", t)
            if menu is not None and menu.column.foods:
                out.append(menu)
    return out


def _solve_master(columns: list[MenuColumn], n_days: dict[int, int], max_days: dict[str, int], big_m: float,
                  options: SolveOptions, deadline: Deadline, integer: bool, duals: bool = False) -> Any:
    """Integer master: (objective, days per menu), or None when the menus cannot fill the week. LP (``duals``):
    (LP objective, lambda per food, mu per day type) from the master's dual with the smallest multipliers."""
    opts = deadline.options(options, time_limit_s=None, relative_gap=1e-6, want_duals=False, warm_start=False)
    if duals:
        dual = build_master_dual(columns, n_days, max_days, big_m)
        result = solve(dual.problem, opts)
        if not result.has_solution:
            return None
        mu = {t: result.values.get(v.name, 0.0) for t, v in dual.mus.items()}
        lam = {f: max(0.0, result.values.get(v.name, 0.0)) for f, v in dual.lam.items()}
        objective = sum(n_days[t] * m for t, m in mu.items()) - sum(max_days[f] * v for f, v in lam.items())
        return objective, {f: v for f, v in lam.items() if v > 1e-12}, mu
    master = build_master(columns, n_days, max_days, big_m, integer)
    result = solve(master.problem, opts)
    if not result.has_solution or result.objective is None:
        return None
    if any(result.values.get(a.name, 0.0) > 1e-6 for a in master.artificials.values()):
        return None  # the menus cannot fill every day within the variety rule
    counts = [int(round(result.values.get(v.name, 0.0))) for v in master.x]
    return float(result.objective), counts


def _week_values(spec: ModelSpec, types: list[list[int]], menus: list[_Menu], counts: list[int]
                 ) -> dict[tuple[Any, ...], float]:
    """Values for the week, keyed as :meth:`BuiltModel.keyed_values`: each type's menus interleaved over its days
    (most-used first), items moved from day 1 to their day, the shared regimen (and weekly products) as the menus
    have them."""
    values: dict[tuple[Any, ...], float] = {}
    for t, type_days in enumerate(types):
        order = sorted((i for i, c in enumerate(counts) if c and menus[i].column.day_type == t), key=lambda i: -counts[i])
        left = {i: counts[i] for i in order}
        schedule: list[int] = []
        while len(schedule) < len(type_days) and any(left.values()):
            for i in order:
                if left[i] and len(schedule) < len(type_days):
                    schedule.append(i)
                    left[i] -= 1
        for day, i in zip(type_days, schedule):
            menu = menus[i]
            for n, v in menu.result.values.items():
                if n in menu.built.items and v > 1e-6:
                    it = menu.built.items[n]
                    values[("item", day, it.meal, it.food_id)] = float(round(v)) if spec.household and not it.locked else v
            for n, dv in menu.built.doses.items():
                values[("dose", dv.day, dv.supplement_id, dv.weekly)] = float(round(menu.result.values.get(n, 0.0)))
    return values
