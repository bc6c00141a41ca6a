"""Choosing and running the planning strategy for a compiled request.

The choice depends only on the request (integer or continuous, days, kinds of day, number of candidates), never on
elapsed time; each strategy's work is bounded by work limits (nodes, columns, rounds) and the one deadline of the
``plan()`` call stops what the machine cannot finish in time. Every strategy returns a :class:`StrategyResult`
whose bound is valid over every candidate food, so its gap is real.
"""

from __future__ import annotations

import functools
import math
from dataclasses import replace

from optimizer.compile.compiler import Compiled
from optimizer.compile.spec import ModelSpec
from optimizer.model.builder import build_model, relax_integrality
from optimizer.solve.adapter import SolveOptions, SolveResult, solve
from optimizer.solve.deadline import Deadline
from optimizer.solve.status import Termination, judged
from optimizer.strategies.columns import MAX_DAY_TYPES, compose_by_columns, day_types
from optimizer.strategies.columns import applicable as columns_apply
from optimizer.strategies.lp_two_stage import LP_TWO_STAGE_MIN_FOODS, solve_lp_in_two_stages
from optimizer.strategies.pools import POOL_TRIGGER, choose_pool, compose_week, day_spec, improve_week, warm_start_values
from optimizer.strategies.result import StrategyResult

COLUMN_FOODS_MAX = 600  # integer weeks over at most this many candidates: day menus over all of them (no pool)
FULL_DAY_NODE_LIMIT = 50  # nodes for one day's integer model over every candidate (a work limit: ~7 s here, the same on any machine)


def is_integer(spec: ModelSpec) -> bool:
    """Whether the plan model has integer variables (household portions or variety rules)."""
    return spec.household or bool(spec.min_foods_per_day) or bool(spec.max_days_per_food and spec.max_days_per_food < spec.days)


def run_strategy(compiled: Compiled, options: SolveOptions, deadline: Deadline) -> StrategyResult:
    """Solve ``compiled`` with the strategy its shape calls for (see the module docstring)."""
    spec = compiled.spec
    request = compiled.request
    if not is_integer(spec):
        if len(spec.foods) >= LP_TWO_STAGE_MIN_FOODS and len(spec.meals) > 1:
            staged = solve_lp_in_two_stages(spec, options, deadline)
            if staged is not None:
                return staged
        return _full_model(spec, options, deadline, method="lp")
    column_bound: float | None = None
    kinds_of_day = day_types(spec) if spec.household and len(spec.foods) <= COLUMN_FOODS_MAX else None
    if kinds_of_day is not None and len(kinds_of_day) <= MAX_DAY_TYPES:
        week = compose_by_columns(spec, options, deadline)
        if week is not None and week.found:
            # the week model only maps values back: built over the foods the menus use (menus alternate: no energy
            # ordering of the days)
            built = build_model(replace(spec.with_foods(list(week.food_ids)), symmetric_days=False))
            gap, termination = judged(week.objective, week.bound, request.relative_gap, stopped_by=week.stopped_by)
            result = SolveResult(termination=termination, has_solution=True, solver=options.solver,
                                 values=built.named_values(week.values), objective=week.objective, bound=week.bound,
                                 gap=gap, runtime_s=deadline.elapsed(), is_mip=True,
                                 message="week composed from day menus (column generation)")
            return StrategyResult(built, result, "column_generation", list(week.notes))
        if week is not None:  # no week from the menus: keep the bound they proved
            column_bound = week.bound
    if spec.household and spec.days == 1 and len(spec.foods) <= COLUMN_FOODS_MAX:
        return _full_model(spec, options, deadline, method="full_day", node_limit=FULL_DAY_NODE_LIMIT)
    return _integer_week(compiled, options, deadline, column_bound)


def _full_model(spec: ModelSpec, options: SolveOptions, deadline: Deadline, method: str,
                node_limit: int | None = None) -> StrategyResult:
    deadline.check()
    built = build_model(spec)
    deadline.check()
    result = solve(built.problem, deadline.options(options, want_duals=not built.is_mip, node_limit=node_limit))
    return StrategyResult(built, result, method)


def _integer_week(compiled: Compiled, options: SolveOptions, deadline: Deadline, column_bound: float | None
                  ) -> StrategyResult:
    """Integer plans that column generation does not cover: a pool of foods chosen by LP rounds (many candidates),
    day menus solved in turn, improved by the week model; the pool's gap is measured against every candidate."""
    full_spec = spec = compiled.spec
    request = compiled.request
    notes: list[str] = []

    @functools.cache
    def bound_over_all() -> float | None:  # a lower bound over every candidate, solved at most once
        return _best_bound(valid_bound(full_spec, options, deadline), column_bound)

    warm: dict[tuple[str, str], float] = {}
    pool_note = ""
    if len(spec.foods) > POOL_TRIGGER:
        pool, first, pool_meals = choose_pool(spec, request, options, deadline)
        if pool:
            spec = replace(spec, meals_for=pool_meals)
            pool_note = f"Integer model solved over {len(pool)} of {len(spec.foods)} candidate foods chosen by LP rounds."
            spec = spec.with_foods(pool)
            warm = first
    deadline.check()
    built = build_model(spec)
    result: SolveResult | None = None
    method = "pool" if pool_note else "full_model"
    weekly_targets = any(t.period == "weekly" for t in spec.targets)
    if built.is_mip and spec.days > 1 and not weekly_targets:
        composed = compose_week(spec, options, deadline)
        if composed is None and spec.symmetric_days:  # disjoint menus too strict (small pool): one plan per day
            composed = compose_week(spec, options, deadline, per_day=True)
        if composed is not None:
            values, upper, lower, menu_notes = composed
            if lower is not None and (pool_note or spec.weekly_products_allowed()):  # menus over a pool (or without
                lower = bound_over_all()  # weekly products) bound nothing: use a bound over every candidate
            gap, termination = judged(upper, lower, request.relative_gap)
            notes += menu_notes
            result = SolveResult(termination=termination, has_solution=True, solver=options.solver, values=values,
                                 objective=upper, bound=lower, gap=gap, runtime_s=deadline.elapsed(), is_mip=True,
                                 message="week composed from day menus")
            method = "day_menus"
            # menus alternate over the days, which the energy ordering of interchangeable days would forbid
            built = build_model(replace(spec, symmetric_days=False))
            if termination != Termination.OPTIMAL:
                result = improve_week(built, values, result, options, deadline, notes, model_bound_valid=not pool_note)
    if result is None:
        if warm and built.is_mip:
            warm_start_values(built, warm)
        result = solve(built.problem, deadline.options(options, want_duals=not built.is_mip,
                                                       warm_start=bool(warm) and built.is_mip))
    if not result.has_solution and pool_note and result.termination in (Termination.INFEASIBLE, Termination.UNBOUNDED):
        # the pool (and its one-meal assignment) was too narrow: solve over every candidate in the time left
        deadline.check()
        built = build_model(full_spec)
        result = solve(built.problem, deadline.options(options, want_duals=not built.is_mip))
        pool_note = "The food pool chosen by LP rounds admitted no integer plan; solved over every candidate food."
        method = "full_model"
    if pool_note:
        notes.append(pool_note)
        if result.has_solution and result.objective is not None:
            # a pool model's own bound bounds the pool only: the gap is measured against every candidate
            lower = bound_over_all()
            gap, termination = judged(result.objective, lower, request.relative_gap,
                                      stopped_by=_limit_reached(result, deadline))
            result = replace(result, bound=lower, gap=gap, termination=termination)
    return StrategyResult(built, result, method, notes)


def _limit_reached(result: SolveResult, deadline: Deadline) -> Termination:
    if result.termination in (Termination.TIME_LIMIT, Termination.WORK_LIMIT):
        return result.termination
    return Termination.TIME_LIMIT if deadline.expired() else Termination.WORK_LIMIT


def valid_bound(spec: ModelSpec, options: SolveOptions, deadline: Deadline) -> float | None:
    """A lower bound on the plan's objective over every candidate food (objective units): for interchangeable days
    (no locks or day-specific items, no weekly targets) days × the LP relaxation of one day (weekly products shared
    as in the plan); otherwise the LP relaxation of the whole plan model. None when that LP does not solve."""
    if deadline.expired():
        return None
    if spec.days > 1 and columns_apply(spec):
        built = build_model(replace(day_spec(spec, None), day_of_plan=spec.days), name="day_bound_lp")
        days = spec.days
    else:
        built = build_model(spec, name="plan_bound_lp")
        days = 1
    relax_integrality(built)
    result = solve(built.problem, deadline.options(options, want_duals=False, warm_start=False))
    if result.termination != Termination.OPTIMAL or result.objective is None:
        return None
    return days * float(result.objective)


def _best_bound(*bounds: float | None) -> float | None:
    """The highest of several valid lower bounds (None when there is none)."""
    known = [b for b in bounds if b is not None and math.isfinite(b)]
    return max(known) if known else None
