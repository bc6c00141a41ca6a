"""Independent verification of a plan: recompute everything from the catalogues, never from solver values.

Conventions (shared with the planner through :func:`compute_totals` and :func:`supplemental_intake`):

* A food item supplies ``grams / 100 × value per 100 g``; an unknown value (NaN) counts as 0 and is flagged.
* A supplement supplies its label amounts × units. Magnesium counts toward the *total* requirement as
  ``label mg × absorption_factor``; the supplemental-magnesium UL counts the *label* mg.
* A weekly-schedule product (e.g. 50,000 IU once a week) is spread evenly: the plan's total from weekly products
  divided by ``max(days, 7)`` counts on every day (so one weekly dose is dose/7 per day).
* The magnesium–vitamin D rule: total magnesium on each day >= requested magnesium minimum +
  ``rule.extra_magnesium_mg(d)``, with ``d`` the supplemental vitamin D of that day (µg, weekly products /7).
* A bound ``b`` is met when the value is within ``tolerance × max(1, |b|)`` of it (relative, with an absolute
  floor of ``tolerance`` for small bounds).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from optimizer.compile.safety import safety_violations
from optimizer.compile.unknowns import unknown_violations
from optimizer.domain.targets import Targets
from optimizer.results.checker import Checker, food_names, item_label
from optimizer.results.plan import Plan, Verification
from optimizer.results.totals import (
    DIET_COLUMNS,
    KCAL_PER_UNIT,
    compute_totals,
    in_index,
    requested_targets,
    supplemental_intake,
)
from optimizer.results.verify_nutrients import (
    check_applied_vs_requested,
    check_meal_shares,
    check_plan_totals,
    check_prescribed_dose,
    check_rule,
    check_targets,
)

if TYPE_CHECKING:  # foods never imports optimizer; we only need the types here
    from foods.supplements import SupplementCatalogue
    from foods.table import FoodTable



def _exempt_foods(request: Any) -> set[str]:
    """Foods the user asked for by name (locked, must-include, usual diet, liked): exempt from candidate rules."""
    ids = {x.food_id for x in request.locked} | {x.food_id for x in request.must_include}
    ids |= {x.food_id for x in request.usual_diet} | set(request.liked_foods)
    return ids


def verify_plan(
    plan: Plan, foods: FoodTable, supplements: SupplementCatalogue | None, *, tolerance: float = 1e-6
) -> Verification:
    """Re-check every rule of ``plan.request`` from the catalogues (never from solver values).

    Returns ``Verification(passed, violations, checked)``; each violation names the day/meal/food/nutrient and
    by how much. ``tolerance`` is relative with an absolute floor (see module docstring).
    """
    chk = Checker(tolerance)
    req = plan.request
    items = plan.items
    supp_df = plan.supplements
    frame = foods.frame
    names = food_names(frame)

    _check_items(chk, plan, foods, names)
    _check_food_rules(chk, plan, foods, names)
    _check_supplements(chk, plan, supplements)

    known = items[in_index(items["food_id"], frame.index)] if len(items) else items
    try:
        supp_ok = supp_df.iloc[0:0]
        if len(supp_df) and supplements is not None:
            supp_ok = supp_df[supp_df["supplement_id"].isin(supplements.frame.index)]
        totals = compute_totals(known, supp_ok, foods, supplements, days=req.days)
        supp_day = supplemental_intake(supp_ok, supplements, req.days)
    except KeyError as exc:  # pragma: no cover - unknown ids are filtered above
        chk.require(False, f"cannot recompute totals: {exc}")
        return _result(chk)

    try:
        requested: Targets | None = requested_targets(req)
    except Exception as exc:  # noqa: BLE001 - e.g. DRI tables unavailable: report, do not crash
        requested = None
        chk.warnings.append(f"requested targets could not be resolved ({exc}); rule and target-strictness checks skipped")
    target_nutrients = {t.nutrient for t in plan.target_rows}
    chk.warnings += _unknown_lines(known, frame, target_nutrients, names)
    check_targets(chk, plan, totals, supp_day, requested)
    check_rule(chk, plan, totals, supp_day, requested)
    check_meal_shares(chk, plan, known, frame, totals)
    check_prescribed_dose(chk, plan, supp_day)
    if requested is not None:
        check_applied_vs_requested(chk, plan, requested)
    check_plan_totals(chk, plan, totals, target_nutrients)
    _check_safety(chk, plan, frame)
    return _result(chk)


def _check_safety(chk: Checker, plan: Plan, frame: pd.DataFrame) -> None:
    """Life-stage food safety and unknown values under a maximum, re-checked on the planned foods."""
    used = [r.food_id for r in plan.item_rows if r.grams > 0]
    try:
        chk.violations += safety_violations(plan.request, frame, used) + unknown_violations(plan.request, frame, used)
    except ValueError as exc:  # e.g. an override naming an unknown rule: report, do not crash
        chk.violations.append(f"food safety could not be checked: {exc}")


def _result(chk: Checker) -> Verification:
    extra = {"warnings": chk.warnings} if "warnings" in Verification.model_fields else {}
    return Verification(passed=not chk.violations, violations=chk.violations, checked=chk.checked,
                        tolerance=chk.tol, **extra)


# -- items, portions, amounts --------------------------------------------------------------------
def _check_items(chk: Checker, plan: Plan, foods: FoodTable, names: dict[str, str]) -> None:
    req = plan.request
    frame = foods.frame
    prices = frame["price_per_100g"] if "price_per_100g" in frame.columns else None
    locked_keys = {(x.day, x.meal, x.food_id) for x in req.locked}
    for row in plan.item_rows:
        where = item_label(row, names)
        chk.require(row.food_id in frame.index, f"{where}: food id '{row.food_id}' is not in the food catalogue")
        if row.food_id in frame.index and "name" in frame.columns:
            chk.require(row.food == str(frame.at[row.food_id, "name"]),
                        f"{where}: the plan names it '{row.food}', the catalogue '{frame.at[row.food_id, 'name']}'")
        chk.require(1 <= row.day <= req.days, f"{where}: day {row.day} is outside the plan's days 1..{req.days}")
        chk.require(row.meal in req.meals, f"{where}: meal '{row.meal}' is not one of {list(req.meals)}")
        chk.require(math.isfinite(row.grams) and row.grams >= -chk.slack(0), f"{where}: grams {row.grams} is negative or not a number")
        if row.food_id not in frame.index:
            continue
        locked = (row.day, row.meal, row.food_id) in locked_keys
        if req.portions == "household" and not locked:
            chk.require(row.portions is not None, f"{where}: household plan item has no portion count")
            if row.portions is not None:
                chk.require(abs(row.portions - round(row.portions)) <= 1e-6,
                            f"{where}: {row.portions:g} portions is not a whole number of household portions")
                portion_name, portion_grams = foods.portion_for(row.food_id)
                chk.equal(row.grams, row.portions * portion_grams,
                          f"{where}: grams for {row.portions:g} × {portion_name} ({portion_grams:g} g)", "g")
        if prices is not None:
            price = prices.get(row.food_id, np.nan)
            if pd.isna(price):
                chk.require(row.cost is None or (isinstance(row.cost, float) and math.isnan(row.cost)),
                            f"{where}: has a cost {row.cost} but the food has no price")
            else:
                expected = row.grams / 100.0 * float(price)
                chk.require(row.cost is not None, f"{where}: priced food ({float(price):g} per 100 g) has no cost")
                if row.cost is not None:
                    chk.equal(row.cost, expected, f"{where}: cost", "")

    items = plan.items
    if not len(items):
        _check_locks(chk, plan, items, foods, names)
        return
    items = items[items["grams"] > chk.tol]
    per_item = items.groupby(["day", "meal", "food_id"], as_index=False)["grams"].sum()
    for row in per_item.itertuples(index=False):
        if (row.day, row.meal, row.food_id) in locked_keys:
            continue
        item_cap = req.item_caps(row.food_id)[0]
        if math.isfinite(item_cap):
            chk.at_most(row.grams, item_cap, f"{item_label(row, names)}: single item (max_item_grams)", "g")
    per_food_day = items.groupby(["day", "food_id"], as_index=False)["grams"].sum()
    locked_food_days = {(d, f) for d, _, f in locked_keys}
    for row in per_food_day.itertuples(index=False):
        label = f"day {row.day}, {row.food_id}" + (f" ({names[row.food_id]})" if row.food_id in names else "")
        day_cap = req.item_caps(row.food_id)[1]
        if (row.day, row.food_id) not in locked_food_days and math.isfinite(day_cap):
            chk.at_most(row.grams, day_cap, f"{label}: grams per day (max_food_grams_per_day)", "g")
        bound = req.food_bounds.get(row.food_id)
        if bound is not None and bound.max is not None:
            chk.at_most(row.grams, bound.max, f"{label}: food_bounds max", "g")
    for food_id, bound in req.food_bounds.items():
        if bound.min is None or bound.min <= 0:
            continue
        for day in range(1, req.days + 1):
            got = float(per_food_day[(per_food_day["day"] == day) & (per_food_day["food_id"] == food_id)]["grams"].sum())
            chk.at_least(got, bound.min, f"day {day}, {food_id}: food_bounds min", "g")
    # variety
    max_days, min_foods = _variety_rules(req)
    if max_days is not None:
        days_per_food = items.groupby("food_id")["day"].nunique()
        for food_id, n in days_per_food.items():
            chk.require(n <= max_days,
                        f"{food_id} ({names.get(food_id, '')}) appears on {n} days, more than max_days_per_food={max_days}")
    if min_foods:
        foods_per_day = items.groupby("day")["food_id"].nunique()
        for day in range(1, req.days + 1):
            n = int(foods_per_day.get(day, 0))
            chk.require(n >= min_foods,
                        f"day {day}: {n} distinct foods, fewer than min_foods_per_day={min_foods}")
    _check_locks(chk, plan, plan.items, foods, names)


def _variety_rules(request: Any) -> tuple[int | None, int | None]:
    """(max_days_per_food, min_foods_per_day) in effect: the planner's reading of the request (continuous plans use
    them only when set explicitly; max days scaled to plans shorter than a week)."""
    try:
        from optimizer.compile.candidates import effective_variety
    except ImportError:  # pragma: no cover - planner modules absent
        return request.max_days_per_food, request.min_foods_per_day
    return effective_variety(request)


def _check_locks(chk: Checker, plan: Plan, items: pd.DataFrame, foods: FoodTable, names: dict[str, str]) -> None:
    req = plan.request
    for lock in req.locked:
        here = items
        if len(items):
            here = items[(items["day"] == lock.day) & (items["meal"] == lock.meal) & (items["food_id"] == lock.food_id)]
        what = f"day {lock.day}, {lock.meal}, {lock.food_id} ({names.get(lock.food_id, '')}): locked item"
        chk.require(len(here) > 0, f"{what} is missing from the plan")
        if not len(here):
            continue
        if lock.grams is not None:
            chk.equal(float(here["grams"].sum()), lock.grams, f"{what} grams", "g")
        if lock.portions is not None:
            portions = here["portions"].astype(float)
            if portions.isna().any() and lock.food_id in foods:
                portions = here["grams"].astype(float) / foods.portion_for(lock.food_id)[1]
            chk.equal(float(portions.sum()), lock.portions, f"{what} portions", "portions")
    for mi in req.must_include:
        days = mi.days or tuple(range(1, req.days + 1))
        for day in days:
            sel = (items["day"] == day) & (items["food_id"] == mi.food_id) if len(items) else None
            if sel is not None and mi.meal is not None:
                sel &= items["meal"] == mi.meal
            grams = float(items.loc[sel, "grams"].sum()) if sel is not None else 0.0
            what = f"day {day}{', ' + mi.meal if mi.meal else ''}, {mi.food_id} ({names.get(mi.food_id, '')}): must-include"
            if mi.min_grams is not None:
                chk.at_least(grams, mi.min_grams, f"{what} grams", "g")
            if mi.min_portions is not None and mi.food_id in foods:
                chk.at_least(grams / foods.portion_for(mi.food_id)[1], mi.min_portions, f"{what} portions", "portions")
            if mi.min_grams is None and mi.min_portions is None:
                chk.require(grams > chk.tol, f"{what} is missing")


def _check_food_rules(chk: Checker, plan: Plan, foods: FoodTable, names: dict[str, str]) -> None:
    """Exclusions, diet pattern, allergens, candidate set and meal fit."""
    req = plan.request
    frame = foods.frame
    exempt = _exempt_foods(req)
    excluded_foods = set(req.exclude_foods)
    excluded_groups = {g.lower() for g in req.exclude_groups}
    excluded_allergens = set(req.exclude_allergens)
    allowed_ids = set(req.food_ids) if req.food_ids is not None else None
    diet_col = DIET_COLUMNS.get(req.diet_pattern)
    # a table without any everyday food (custom foods) offers every food for candidates="everyday"
    has_everyday = "everyday" in frame.columns and bool(frame["everyday"].fillna(False).astype(bool).any())
    for row in plan.item_rows:
        if row.food_id not in frame.index or row.grams <= chk.tol:
            continue
        food = frame.loc[row.food_id]
        where = item_label(row, names)
        chk.require(row.food_id not in excluded_foods, f"{where}: food is excluded (exclude_foods)")
        if excluded_groups and "group" in frame.columns:
            chk.require(str(food["group"]).lower() not in excluded_groups, f"{where}: food group '{food['group']}' is excluded")
        if excluded_allergens:
            if "allergens" in frame.columns:
                present = {a for a in str(food["allergens"] if not pd.isna(food["allergens"]) else "").split(";") if a}
                hit = sorted(present & excluded_allergens)
                chk.require(not hit, f"{where}: contains excluded allergen(s) {', '.join(hit)}")
            else:
                chk.warnings.append("the food table has no 'allergens' column: allergen exclusions not checked")
        if diet_col is not None:
            ok = bool(food[diet_col]) if diet_col in frame.columns and not pd.isna(food[diet_col]) else False
            chk.require(ok, f"{where}: not {req.diet_pattern} (diet_pattern='{req.diet_pattern}')")
        if row.food_id in exempt:
            continue
        if allowed_ids is not None:
            chk.require(row.food_id in allowed_ids, f"{where}: not among the request's food_ids")
            continue  # explicitly listed foods may be eaten at any meal
        if req.candidates == "everyday" and has_everyday:
            chk.require(bool(food["everyday"]) if not pd.isna(food["everyday"]) else False,
                        f"{where}: not an everyday food (candidates='everyday')")
        listed = {m for m in (food["meals"] if "meals" in frame.columns and isinstance(food["meals"], str) else "").split(";") if m}
        if listed & set(req.meals):  # foods without a usable meal list may be eaten at any meal
            chk.require(row.meal in listed, f"{where}: this food is not eaten at {row.meal} (its meals: {', '.join(sorted(listed))})")


def _check_supplements(chk: Checker, plan: Plan, supplements: SupplementCatalogue | None) -> None:
    req = plan.request
    rows = plan.supplement_rows
    if not rows:
        return
    if supplements is None:
        chk.require(False, "the plan has supplements but no supplement catalogue was given to check them")
        return
    cat = supplements.frame
    locked_ids = {x.supplement_id for x in req.locked_supplements}
    allowed = None if req.supplements is None else set(req.supplements) | locked_ids
    for r in rows:
        where = f"day {r.day}, supplement {r.supplement_id}"
        chk.require(r.supplement_id in cat.index, f"{where}: not in the supplement catalogue")
        chk.require(1 <= r.day <= req.days, f"{where}: day {r.day} is outside the plan's days 1..{req.days}")
        chk.require(r.units >= 0, f"{where}: {r.units} units is negative")
        if allowed is not None:
            chk.require(r.supplement_id in allowed, f"{where}: not among the allowed supplements {sorted(allowed)}")
        if r.supplement_id in cat.index and r.units:
            label_d = float(np.nan_to_num(cat.at[r.supplement_id, "vitamin_d_ug_per_unit"]))
            chk.equal(r.vitamin_d_ug, r.units * label_d, f"{where}: vitamin D shown", "µg")
    df = plan.supplements
    per_day = df.groupby(["day", "supplement_id"], as_index=False)["units"].sum()
    weeks = math.ceil(req.days / 7)
    for r in per_day.itertuples(index=False):
        limit = cat.at[r.supplement_id, "max_units_per_day"] if r.supplement_id in cat.index else np.nan
        if pd.isna(limit) or str(cat.at[r.supplement_id, "schedule"]) == "weekly":
            continue
        chk.at_most(float(r.units), float(limit),
                    f"day {r.day}, supplement {r.supplement_id}: units per day (label maximum)", "units")
    for sid, units in df.groupby("supplement_id")["units"].sum().items():  # weekly products: label maximum per week
        if sid in cat.index and str(cat.at[sid, "schedule"]) == "weekly" and not pd.isna(cat.at[sid, "max_units_per_day"]):
            chk.at_most(float(units), float(cat.at[sid, "max_units_per_day"]) * weeks,
                        f"supplement {sid} (weekly): units over the plan's {weeks} week(s)", "units")
    for lock in req.locked_supplements:
        got = float(per_day[(per_day["day"] == lock.day) & (per_day["supplement_id"] == lock.supplement_id)]["units"].sum())
        chk.equal(got, lock.units, f"day {lock.day}, supplement {lock.supplement_id}: locked units", "units")


# -- nutrients ------------------------------------------------------------------------------------
def unknown_values(plan: Plan, foods: FoodTable, nutrients: Iterable[str] | None = None) -> list[str]:
    """Items whose catalogue value is unknown (NaN, counted as 0) for a nutrient the plan targets
    (or for ``nutrients``): one line per item naming day, meal, food and the nutrients."""
    frame = foods.frame
    wanted = set(nutrients) if nutrients is not None else {t.nutrient for t in plan.target_rows}
    items = plan.items
    items = items[in_index(items["food_id"], frame.index) & (items["grams"] > 0).to_numpy()] if len(items) else items
    return _unknown_lines(items, frame, wanted, food_names(frame))


def _unknown_lines(items: pd.DataFrame, frame: pd.DataFrame, nutrients: set[str], names: dict[str, str]) -> list[str]:
    cols = [c for c in frame.columns if c in nutrients]
    if not len(items) or not cols:
        return []
    values = frame.loc[items["food_id"].astype(str).to_numpy(), cols].isna().to_numpy()
    lines = []
    for row, missing in zip(items.itertuples(index=False), values):
        if missing.any() and row.grams > 0:
            lines.append(f"{item_label(row, names)}: unknown {', '.join(c for c, m in zip(cols, missing) if m)} counted as 0")
    return lines


__all__ = ["KCAL_PER_UNIT", "compute_totals", "requested_targets", "supplemental_intake", "unknown_values", "verify_plan"]
