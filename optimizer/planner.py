"""``plan()``: catalogue → targets → candidates → model → solve → verify → explain → :class:`Plan`.

No PuLP here: the model lives in ``model.py``, the solver adapter in ``solver.py``. Integer (household
portion) plans over many candidates are solved in two stages: continuous daily LPs pick a pool of foods
that can make a good day (the foods each LP uses, then the LP again without them, for variety), and the
integer model runs on that pool, warm-started from a rounded LP week (see docs/optimizer.md).
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import replace
from itertools import compress
from typing import Any

import numpy as np

import foods as food_catalogue
from optimizer.results import explain
from optimizer.compile.candidates import (
    Candidates,
    effective_variety,
    forbidden_named_foods,
    select_candidates,
)
from optimizer.domain.errors import RequestError
from optimizer.results.explain import shadow_prices
from optimizer.model.builder import (
    FoodData,
    ModelSpec,
    SupplementData,
    build_model,
    map_items,
    map_supplements,
    paused_gc,
    relax_integrality,
)
from optimizer.results.plan import AppliedTarget, Plan
from optimizer.domain.request import PlanRequest
from optimizer.solve.adapter import SolveOptions, SolveResult, solve
from optimizer.solve.status import judged
from optimizer.strategies.pools import compose_week, day_spec, improve_week, solve_in_two_stages
from optimizer.strategies.columns import COLUMN_BUDGET_S, EXTRA_TYPE_BUDGET_S, MAX_DAY_TYPES, compose_by_columns, day_types
from optimizer.strategies.columns import applicable as columns_apply
from optimizer.domain.targets import Target, Targets, targets_for
from optimizer.domain.units import check_time_limit
from optimizer.results.caps import default_cap_notes
from optimizer.results.verify import compute_totals, verify_plan

LP_POOL_TRIGGER = 400  # continuous plans with more candidates are solved in two stages
POOL_TRIGGER = 45  # integer plans with more candidates than this are solved on an LP-chosen pool
POOL_ROUNDS = 8  # daily LPs, each without the foods earlier rounds used
POOL_TARGET = 60  # stop the LP rounds once the pool has this many foods
COLUMN_FOODS_MAX = 600  # integer weeks over at most this many candidates: day menus over all of them (no pool)
DAY_LIMIT_S = 8.0  # default seconds for a one-day integer plan over every candidate (unless a limit is asked for)
GROUP_MAX_FOODS_PER_DAY = 2
MIN_FOODS_PER_MEAL: dict[str, int] = {"breakfast": 2, "lunch": 2, "dinner": 2}
GROUP_MIN_PORTIONS: dict[str, float] = {"Vegetables and Vegetable Products": 2.0, "Fruits and Fruit Juices": 1.0}
DEFAULT_WEIGHTS: dict[str, dict[str, float]] = {
    # supplements 1 per unit and day: one tablet "costs" as much as 50 household portions, so food comes first
    "food_first": {"supplements": 1.0, "portions": 0.02, "preferences": 0.05, "cost": 0.005},
    "cost": {"cost": 1.0, "supplements": 0.001},
    "minimal_change": {"change": 1.0, "supplements": 0.2, "portions": 0.001},
    "preferences": {"preferences": 1.0, "supplements": 1.0, "portions": 0.02},
}


def resolve_targets(request: PlanRequest) -> tuple[Targets, list[str]]:
    """Targets in effect (DRI for the profile + overrides, or the request's own set) and notes."""
    notes: list[str] = []
    if isinstance(request.targets, Targets):
        targets = request.targets
    elif request.profile is not None:
        targets = targets_for(request.profile).with_overrides(request.targets)
    else:
        targets = Targets().with_overrides(request.targets)
    ov = request.clinician_override
    if ov is not None:
        rows = {t.key: t for t in targets}
        for key, new_max in ov.upper_limits.items():
            if key not in rows:
                raise RequestError(f"clinician_override names target '{key}', which this plan does not have. "
                                   f"Fix: use one of {', '.join(rows)}.")
            rows[key] = rows[key].model_copy(update={"max": float(new_max), "note": (rows[key].note + "; " if rows[key].note else "")
                                                     + f"upper limit raised to {new_max:g} by {ov.clinician} ({ov.reason})"})
            notes.append(f"Clinician override by {ov.clinician}: {key} upper limit raised to {new_max:g} ({ov.reason}).")
        targets = targets.model_copy(update={"rows": tuple(rows.values())})
    return targets, notes


def food_data(table: Any, ids: list[str], nutrients: list[str], household: bool,
              need_portions: set[str] = frozenset()) -> dict[str, FoodData]:
    """Model data for candidate foods: nutrients per 100 g (unknown = 0), portion, price per 100 g."""
    frame = table.frame
    cols = [n for n in nutrients if n in frame.columns]
    extra = [c for c in ("name", "price_per_100g", "group") if c in frame.columns]
    sub = frame.loc[ids, cols + extra]  # one lookup (raises KeyError for an unknown id, as before)
    values = sub[cols].astype(float).to_numpy()
    values = np.where(np.isnan(values), 0.0, values)
    nonzero = (values != 0.0).tolist()
    names = sub["name"].astype(str).tolist() if "name" in sub.columns else list(ids)
    prices = sub["price_per_100g"].tolist() if "price_per_100g" in sub.columns else [None] * len(ids)
    groups = sub["group"].tolist() if "group" in sub.columns else [""] * len(ids)
    out = {}
    with paused_gc():  # thousands of small objects that all stay alive
        for f, row, keep, name, price, group in zip(ids, values.tolist(), nonzero, names, prices, groups):
            portion, grams = table.portion_for(f) if (household or f in need_portions) else ("g", 1.0)
            out[f] = FoodData(f, name, str(portion), float(grams), dict(compress(zip(cols, row), keep)),
                              None if _isnan(price) else float(price), str(group or ""))
    return out


def supplement_data(catalogue: Any | None, ids: list[str]) -> dict[str, SupplementData]:
    """Model data for the allowed supplement products (label amounts per unit)."""
    if catalogue is None or not ids:
        return {}
    frame = catalogue.frame
    out = {}
    for sid in ids:
        row = frame.loc[sid]
        out[sid] = SupplementData(
            supplement_id=str(sid), name=str(row.get("name", sid)), vitamin_d_ug=_num(row, "vitamin_d_ug_per_unit"),
            magnesium_mg=_num(row, "magnesium_mg_per_unit"), schedule="weekly" if row.get("schedule") == "weekly" else "daily",
            max_units=int(_num(row, "max_units_per_day", 1.0)),
            price_per_unit=None if _isnan(row.get("price_per_unit")) else float(row["price_per_unit"]),
            absorption_factor=_num(row, "absorption_factor", 1.0))
    return out


def _num(row: Any, column: str, default: float = 0.0) -> float:
    return default if column not in row or _isnan(row[column]) else float(row[column])


def applied_targets(targets: Targets, spec: ModelSpec, request: PlanRequest, d_per_day: dict[int, float]) -> list[AppliedTarget]:
    """The targets as applied: the magnesium minimum shown as RDA + extra(d) at this plan's vitamin D dose."""
    rows = []
    for t in targets:
        label, unit = _label_unit(t)
        data = {"key": t.key, "nutrient": t.nutrient, "label": label, "unit": unit, "min": t.min, "max": t.max, "period": t.period,
                    "kind": t.kind, "applies_to": t.applies_to, "is_upper_limit": t.is_upper_limit, "source": t.source, "note": t.note}
        if t.key == spec.magnesium_key and t.min is not None:
            doses = list(d_per_day.values()) or [_fixed_dose(request)]
            d = min(doses)
            extra = request.rule.extra_magnesium_mg(d)
            data["min"] = t.min + extra
            varies = max(doses) - min(doses) > 1e-9
            data["note"] = (f"{t.min:g} mg RDA/AI + {extra:g} mg extra at {d:g} µg/day supplemental vitamin D "
                            f"(magnesium–vitamin D rule: {request.rule.describe()})"
                            + (f"; days with more vitamin D need up to {t.min + request.rule.extra_magnesium_mg(max(doses)):g} mg" if varies else ""))
        rows.append(AppliedTarget(**data))
    return rows


def _fixed_dose(request: PlanRequest) -> float:
    if request.vitamin_d_supplement_ug is not None:
        return float(request.vitamin_d_supplement_ug)
    if request.vitamin_d_weekly_supplement_ug is not None:
        return float(request.vitamin_d_weekly_supplement_ug) / 7.0
    return 0.0


def _label_unit(t: Target) -> tuple[str, str]:
    if t.kind == "energy_percent":
        try:
            return f"{food_catalogue.nutrient_label(t.nutrient)} (% of energy)", "% energy"
        except Exception:  # noqa: BLE001 - the registry is optional for custom nutrients
            return t.key, "% energy"
    try:
        label, unit = food_catalogue.nutrient_label(t.nutrient), food_catalogue.nutrient_unit(t.nutrient)
    except Exception:  # noqa: BLE001
        label, unit = t.nutrient, t.nutrient.rsplit("_", 1)[-1]
    if t.applies_to == "supplements":
        label += " from supplements"
    return label, unit


def _check_nutrients(targets: Targets, columns: set[str]) -> None:
    for t in targets:
        if t.applies_to == "supplements":
            continue
        if t.nutrient not in columns:
            raise RequestError(f"Target '{t.key}' needs nutrient column '{t.nutrient}', which the food table lacks. "
                               f"Fix: add a '{t.nutrient}' column to your foods or remove the target (set it to None).")
        if t.kind == "energy_percent" and "energy_kcal" not in columns:
            raise RequestError(f"Target '{t.key}' is a percent of energy but the food table has no 'energy_kcal' column.")


def _check_supplements(request: PlanRequest, catalogue: Any | None) -> list[str]:
    ids = list(catalogue.frame.index) if catalogue is not None else []
    allowed = ids if request.supplements is None else list(request.supplements)
    for sid in list(request.supplements or ()) + [s.supplement_id for s in request.locked_supplements]:
        if sid not in ids:
            raise RequestError(f"Unknown supplement id '{sid}'. Fix: use one of {', '.join(map(str, ids)) or '(no catalogue)'}.")
    locked = [s.supplement_id for s in request.locked_supplements]
    return list(dict.fromkeys(allowed + locked))


def _magnesium_key(targets: Targets) -> str | None:
    keys = [t.key for t in targets if t.nutrient == "magnesium_mg" and t.applies_to == "total" and t.kind == "amount"]
    return "magnesium_mg" if "magnesium_mg" in keys else (keys[0] if keys else None)


def _weights(request: PlanRequest) -> dict[str, float]:
    weights = dict(DEFAULT_WEIGHTS[request.objective])
    weights.update(request.objective_weights or {})
    return weights


def build_spec(request: PlanRequest, table: Any, catalogue: Any | None, targets: Targets,
               cands: Candidates, supplement_ids: list[str]) -> ModelSpec:
    """Resolve a request into plain model data (the planner's half of the model contract)."""
    nutrients = sorted({t.nutrient for t in targets if t.applies_to == "total"} | {"energy_kcal", "calcium_mg", "magnesium_mg"})
    named = {i.food_id for i in request.locked} | {i.food_id for i in request.must_include}
    food = food_data(table, list(cands.food_ids), nutrients, household=request.portions == "household", need_portions=named)
    sup = supplement_data(catalogue, supplement_ids)
    symmetric = not (request.locked or request.locked_supplements or any(m.days for m in request.must_include)
                     or any(u.day for u in request.usual_diet))
    locked = []
    for item in request.locked:
        grams = item.grams if item.grams is not None else (item.portions or 0.0) * food[item.food_id].portion_grams
        locked.append((item.day, item.meal, item.food_id, float(grams)))
    must = []
    for mi in request.must_include:
        grams = mi.min_grams if mi.min_grams is not None else (mi.min_portions or 1.0) * food[mi.food_id].portion_grams
        must.append((mi.food_id, tuple(mi.days or ()), mi.meal, float(grams)))
    return ModelSpec(
        days=request.days, meals=request.meals, household=request.portions == "household",
        foods=food, meals_for=dict(cands.meals_for), supplements=sup, targets=list(targets),
        rule=request.rule, magnesium_key=_magnesium_key(targets), vitamin_d_mode=request.vitamin_d_mode,
        dose_daily_ug=request.vitamin_d_supplement_ug, dose_weekly_ug=request.vitamin_d_weekly_supplement_ug,
        energy_shares=request.energy_shares() if "energy_kcal" in table.frame.columns else {},
        max_item_grams=request.item_caps("")[0], max_food_grams_per_day=request.item_caps("")[1],
        food_bounds={f: (b.min, b.max) for f, b in request.food_bounds.items()},
        max_days_per_food=effective_variety(request)[0], min_foods_per_day=effective_variety(request)[1],
        must_include=must, locked=locked,
        locked_supplements=[(s.day, s.supplement_id, s.units) for s in request.locked_supplements],
        usual=[(u.food_id, u.grams, u.meal, u.day) for u in request.usual_diet],
        weights=_weights(request), liked=frozenset(request.liked_foods), disliked=frozenset(request.disliked_foods),
        symmetric_days=symmetric, **_meal_structure(request, food),
    )


def _meal_structure(request: PlanRequest, food: dict[str, FoodData]) -> dict[str, Any]:
    """For a person's household-portion plan (all low priority): at most 2 distinct foods of one food group a day
    and 1 per meal (vegetables and fruit exempt), each food at one meal a day, and at least 2 portions of
    vegetables and 1 of fruit a day when those groups are among the candidates; breakfast, lunch and dinner of at
    least 2 foods each (a meal is more than one dish)."""
    if request.profile is None or request.portions != "household":
        return {}
    present = {f.group for f in food.values()}
    return {"group_max_foods_per_day": GROUP_MAX_FOODS_PER_DAY,
            "group_min_portions": {g: n for g, n in GROUP_MIN_PORTIONS.items() if g in present},
            "one_meal_per_food": True, "group_max_per_meal": 1, "group_max_exempt": frozenset(GROUP_MIN_PORTIONS),
            "min_foods_per_meal": {m: n for m, n in MIN_FOODS_PER_MEAL.items() if m in request.meals}}


def _forced_foods(request: PlanRequest) -> set[str]:
    return ({i.food_id for i in request.locked} | {i.food_id for i in request.must_include}
            | {i.food_id for i in request.usual_diet} | set(request.liked_foods) | set(request.food_bounds))


def choose_pool(spec: ModelSpec, request: PlanRequest, options: SolveOptions
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
    pool: list[str] = [f for f in spec.foods if f in _forced_foods(request)]
    first: dict[tuple[str, str], float] = {}
    best_meal: dict[str, tuple[str, float]] = {}
    excluded: set[str] = set()
    last: set[str] = set()
    need = POOL_TARGET
    for rnd in range(POOL_ROUNDS):
        built = build_model(lp_spec.with_foods([f for f in spec.foods if f not in excluded]), name=f"pool_round{rnd + 1}")
        relax_integrality(built)
        result = solve(built.problem, replace(options, warm_start=False, want_duals=False))
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
        forced = _forced_foods(request)
        meals_for = {f: ((best_meal[f][0],) if f in best_meal and f not in forced else m) for f, m in spec.meals_for.items()}
    else:
        meals_for = dict(spec.meals_for)
    return pool, first, meals_for


def _solve_options(request: PlanRequest, solver: str | None, time_limit_s: float | None) -> SolveOptions:
    time_limit_s = check_time_limit(time_limit_s)  # RequestError for inf, NaN, <= 0 or > 3600 s
    return SolveOptions(solver=solver or request.solver, time_limit_s=time_limit_s or request.time_limit_s,
                        relative_gap=request.relative_gap)


def plan(request: PlanRequest, foods: Any | None = None, supplements: Any | None = None, *,
         solver: str | None = None, time_limit_s: float | None = None) -> Plan:
    """Plan meals and supplements for ``request``.

    ``foods``: a ``foods.FoodTable`` (default: the shipped USDA catalogue); ``supplements``: a
    ``SupplementCatalogue`` (default: the shipped products, unless the request allows none). ``solver``
    ("highs" | "cbc") and ``time_limit_s`` (seconds) override the request's. Never raises for infeasibility:
    returns a Plan with ``has_solution=False`` and an explanation. Raises :class:`RequestError` for bad input.
    """
    start = time.perf_counter()
    table = foods if foods is not None else food_catalogue.load_foods()
    needs_catalogue = request.supplements != () or bool(request.locked_supplements)
    catalogue = supplements if supplements is not None else (food_catalogue.load_supplements() if needs_catalogue else None)
    options = _solve_options(request, solver, time_limit_s)
    targets, notes = resolve_targets(request)
    frame = table.frame
    _check_nutrients(targets, set(frame.columns))
    supplement_ids = _check_supplements(request, catalogue)
    cands = select_candidates(request, frame)
    bad = forbidden_named_foods(request, cands)
    if bad:
        raise RequestError(f"Food '{bad[0]}' is locked or must be included, but the diet pattern, allergens or exclusions "
                           "rule it out. Fix: remove it from locked/must_include or relax the exclusion.")
    notes += [f"{n} foods left out by {why}." for why, n in cands.removed.items()]
    ids = list(cands.food_ids)
    if request.objective == "cost" or (request.objective_weights or {}).get("cost"):
        if "price_per_100g" in frame.columns and ids:
            has_price = frame["price_per_100g"].reindex(ids).notna().to_numpy()
            priced = {f for f, ok in zip(ids, has_price) if ok}
        else:
            priced = set()
        if len(priced) < len(ids):
            notes.append(f"{len(ids) - len(priced)} candidate foods have no price and are left out of cost mode.")
        forced = _forced_foods(request)
        ids = [f for f in ids if f in priced or f in forced]
        cands = Candidates(tuple(ids), {f: cands.meals_for[f] for f in ids}, cands.removed)
    constrained = sorted({t.nutrient for t in targets if t.applies_to == "total" and t.nutrient in frame.columns})
    missing_counts = frame.loc[ids, constrained].isna().sum().to_dict() if ids and constrained else {}
    for n in constrained:
        missing = int(missing_counts.get(n, 0))
        if missing:
            notes.append(f"{missing} candidate foods lack a {n} value (counted as 0).")
    spec = full_spec = build_spec(request, table, catalogue, targets, cands, supplement_ids)

    warm: dict[str, float] = {}
    pool_note = ""
    integer = spec.household or bool(spec.min_foods_per_day) or bool(spec.max_days_per_food and spec.max_days_per_food < spec.days)
    column_bound: float | None = None  # a bound proven by column generation even when it found no week

    @functools.cache
    def bound_over_all() -> float | None:  # a lower bound over every candidate, solved at most once
        return _best_bound(valid_bound(full_spec, options), column_bound)

    kinds_of_day = day_types(spec) if integer and spec.household and len(spec.foods) <= COLUMN_FOODS_MAX else None
    if kinds_of_day is not None and len(kinds_of_day) <= MAX_DAY_TYPES:
        budget = min(COLUMN_BUDGET_S + EXTRA_TYPE_BUDGET_S * (len(kinds_of_day) - 1),
                     0.6 * (options.time_limit_s or 20.0) - (time.perf_counter() - start))
        week = compose_by_columns(spec, options, budget) if budget > 1.0 else None
        if week is not None and not week.found:  # no week from the menus in time: keep their proven bound
            column_bound = week.bound
            week = None
        if week is not None:
            notes += week.notes
            # the week model only maps values back here: build it over the foods the menus use (menus alternate:
            # no energy ordering of the days)
            built = build_model(replace(spec.with_foods(list(week.food_ids)), symmetric_days=False))
            gap, termination = judged(week.objective, week.bound, request.relative_gap)
            result = SolveResult(termination=termination, has_solution=True, solver=options.solver, values=week.values,
                                 objective=week.objective, bound=week.bound, gap=gap,
                                 runtime_s=time.perf_counter() - start, is_mip=True,
                                 message="week composed from day menus (column generation)")
            # no improve_week here: the master is optimal over its menus, and the full week model (every candidate
            # x 7 days) rarely improves on it within seconds (measured: 2.8 s spent, no gain on the default week)
            return finish_plan(request, table, catalogue, targets, full_spec, built, result, notes, start)
    one_full_day = integer and spec.household and spec.days == 1 and len(spec.foods) <= COLUMN_FOODS_MAX
    if one_full_day and len(spec.foods) > POOL_TRIGGER:  # one day over every candidate: a real proof, a better day
        if time_limit_s is None and "time_limit_s" not in request.model_fields_set:
            options = replace(options, time_limit_s=min(options.time_limit_s or DAY_LIMIT_S, DAY_LIMIT_S))
    elif integer and len(spec.foods) > POOL_TRIGGER:
        pool, first, pool_meals = choose_pool(spec, request, options)
        if pool:
            spec = replace(spec, meals_for=pool_meals)
            pool_note = f"Integer model solved over {len(pool)} of {len(spec.foods)} candidate foods chosen by LP rounds."
            spec = spec.with_foods(pool)
            warm = first
    result = None
    if not integer and len(spec.foods) > LP_POOL_TRIGGER and len(spec.meals) > 1 and not request.locked \
            and not any(m.meal for m in request.must_include) and not any(u.meal for u in request.usual_diet):
        staged = solve_in_two_stages(spec, options, request.relative_gap)
        if staged is not None:
            built, result, stage_note = staged
            notes.append(stage_note)
            return finish_plan(request, table, catalogue, targets, full_spec, built, result, notes, start)
    built = build_model(spec)
    weekly_targets = any(t.period == "weekly" for t in spec.targets)
    if built.is_mip and spec.days > 1 and not weekly_targets:
        composed = compose_week(spec, options)
        if composed is None and spec.symmetric_days:  # disjoint menus too strict (small pool): one plan per day
            composed = compose_week(spec, options, per_day=True)
        if composed is not None:
            values, upper, lower, menu_notes = composed
            if lower is not None and (pool_note or spec.weekly_products_allowed()):  # menus over a pool (or without
                lower = bound_over_all()  # weekly products) bound nothing: use a bound over every candidate
            gap, termination = judged(upper, lower, request.relative_gap)
            notes += menu_notes
            proven = termination == "optimal"
            result = SolveResult(termination=termination, has_solution=True,
                                 solver=options.solver, values=values, objective=upper, bound=lower, gap=gap,
                                 runtime_s=time.perf_counter() - start, is_mip=True, message="week composed from day menus")
            # menus alternate over the days, which the energy ordering of interchangeable days would forbid
            built = build_model(replace(spec, symmetric_days=False))
            if not proven:
                result = improve_week(built, values, result, options, start, notes, model_bound_valid=not pool_note)
    if result is None:
        if warm and built.is_mip:
            warm_start_values(built, warm)
        result = solve(built.problem, replace(options, want_duals=not built.is_mip, warm_start=bool(warm) and built.is_mip))
    if not result.has_solution and pool_note and result.termination in ("infeasible", "unbounded"):
        # the pool (and its one-meal assignment) was too narrow: solve over every candidate in the time left
        left = max((options.time_limit_s or 20.0) - (time.perf_counter() - start), 2.0)
        built = build_model(full_spec)
        result = solve(built.problem, replace(options, time_limit_s=left, want_duals=not built.is_mip))
        pool_note = "The food pool chosen by LP rounds admitted no integer plan; solved over every candidate food."
    if pool_note:
        notes.append(pool_note)
        if result.has_solution and result.objective is not None:
            # a pool model's own bound bounds the pool only: the gap is measured against every candidate
            lower = bound_over_all()
            gap, termination = judged(result.objective, lower, request.relative_gap)
            result = replace(result, bound=lower, gap=gap, termination=termination)
    return finish_plan(request, table, catalogue, targets, full_spec, built, result, notes, start)


def valid_bound(spec: ModelSpec, options: SolveOptions) -> float | None:
    """A lower bound on the plan's objective over every candidate food (objective units): for interchangeable days
    (no locks or day-specific items, no weekly targets) days × the LP relaxation of one day (weekly products shared
    as in the plan); otherwise the LP relaxation of the whole plan model. None when that LP does not solve."""
    if spec.days > 1 and columns_apply(spec):
        built = build_model(replace(day_spec(spec, None), day_of_plan=spec.days), name="day_bound_lp")
        days = spec.days
    else:
        built = build_model(spec, name="plan_bound_lp")
        days = 1
    relax_integrality(built)
    result = solve(built.problem, replace(options, want_duals=False, warm_start=False))
    if result.termination != "optimal" or result.objective is None:
        return None
    return days * float(result.objective)


def _best_bound(*bounds: float | None) -> float | None:
    """The highest of several valid lower bounds (None when there is none)."""
    known = [b for b in bounds if b is not None and math.isfinite(b)]
    return max(known) if known else None


def _isnan(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


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


def finish_plan(request: PlanRequest, table: Any, catalogue: Any | None, targets: Targets, full_spec: ModelSpec,
                built: Any, result: SolveResult, notes: list[str], start: float) -> Plan:
    """Map solver values back to a Plan, verify it from the catalogue, explain when there is no plan.
    ``full_spec`` is the model over every candidate (explanations use it; ``built`` may use a pool)."""
    spec = full_spec
    rule_text = request.rule.describe()
    base = {"request": request, "status": result.termination, "solver": result.solver, "objective_value": result.objective,
                "best_bound": result.bound, "gap": result.gap, "rule_text": rule_text, "notes": list(notes)}
    if result.termination == "optimal" and result.gap is not None and result.gap > request.relative_gap + 1e-9:
        base["status"] = "gap_limit"
    if not result.has_solution:
        explanation = explain.explain_infeasible(request, full_spec, targets, options_for(request, result), result, notes)
        return Plan(**base, has_solution=False, target_rows=applied_targets(targets, spec, request, {}),
                    explanation=explanation, runtime_s=time.perf_counter() - start)
    items = map_items(built, result.values)
    doses = map_supplements(built, result.values)
    totals_frame = compute_totals(_frame(items), _frame(doses), table, catalogue, days=request.days)
    total_rows = [{"day": int(d), **{k: float(v) for k, v in row.items()}} for d, row in totals_frame.iterrows()]
    d_per_day = {int(d): float(v) for d, v in _supplemental_d(doses, catalogue, request.days).items()}
    target_rows = applied_targets(targets, spec, request, d_per_day)
    prices = shadow_prices(built, result, request) if not built.is_mip else []
    binding = explain.binding_constraints(built, result) if not built.is_mip else []
    plan = Plan(**base, has_solution=True, item_rows=items, supplement_rows=doses, total_rows=total_rows,
                target_rows=target_rows, shadow_price_rows=prices, binding_rows=binding,
                runtime_s=time.perf_counter() - start)
    verification = verify_plan(plan, table, catalogue)
    update: dict[str, Any] = {"verification": verification}
    cap_notes = default_cap_notes(items, request)
    if cap_notes:
        plan = plan.model_copy(update={"notes": plan.notes + cap_notes})
    if not verification.passed:
        update["has_solution"] = False
        update["notes"] = plan.notes + ["The solver's plan failed independent verification and is not returned as a solution: "
                                        + "; ".join(verification.violations[:5])]
        update["explanation"] = explain.failed_verification(verification)
    elif result.termination == "time_limit":
        gap = "unknown" if result.gap is None else f"{result.gap:.1%}"
        update["notes"] = plan.notes + [(f"Stopped before a proof: this plan is usable and verified, within {gap} of the best "
                                        "possible objective (not proven optimal).")]
    return plan.model_copy(update=update)


def options_for(request: PlanRequest, result: SolveResult) -> SolveOptions:
    return SolveOptions(solver=result.solver or request.solver, time_limit_s=min(request.time_limit_s, 10.0),
                        relative_gap=max(request.relative_gap, 0.02))


def _frame(rows: list) -> Any:
    import pandas as pd

    return pd.DataFrame([r.model_dump() for r in rows])


def _supplemental_d(doses: list, catalogue: Any | None, days: int) -> dict[int, float]:
    from optimizer.results.verify import supplemental_intake

    frame = _frame(doses)
    return supplemental_intake(frame if len(frame) else None, catalogue, days)["vitamin_d_ug"].to_dict()
