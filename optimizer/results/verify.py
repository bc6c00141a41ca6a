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
from optimizer.results.plan import Plan, Verification
from optimizer.domain.targets import Targets

if TYPE_CHECKING:  # foods never imports optimizer; we only need the types here
    from foods.supplements import SupplementCatalogue
    from foods.table import FoodTable

#: kcal per unit for energy-percent targets when the applied target does not say (Atwater factors).
KCAL_PER_UNIT: dict[str, float] = {
    "protein_g": 4.0,
    "carbohydrate_g": 4.0,
    "fat_g": 9.0,
    "saturated_fat_g": 9.0,
    "monounsaturated_fat_g": 9.0,
    "polyunsaturated_fat_g": 9.0,
    "sugars_g": 4.0,
    "alcohol_g": 7.0,
}
DIET_COLUMNS = {"vegan": "vegan", "vegetarian": "vegetarian", "pescatarian": "pescatarian"}


# -- recomputation -------------------------------------------------------------------------------
def supplemental_intake(
    supplements_df: pd.DataFrame | None, supplements: SupplementCatalogue | None, days: int
) -> pd.DataFrame:
    """Supplemental vitamin D (µg/day) and magnesium (label mg/day and absorbed mg/day) per day 1..days.

    Recomputed from the catalogue's label values × units; weekly-schedule products are spread as
    total / max(days, 7) on every day. Columns: ``vitamin_d_ug, magnesium_mg, magnesium_absorbed_mg``.
    Raises ``KeyError`` naming an unknown supplement id.
    """
    index = pd.Index(range(1, days + 1), name="day")
    out = pd.DataFrame(0.0, index=index, columns=["vitamin_d_ug", "magnesium_mg", "magnesium_absorbed_mg"])
    if supplements_df is None or len(supplements_df) == 0:
        return out
    if supplements is None:
        raise KeyError("the plan has supplements but no supplement catalogue was given")
    cat = supplements.frame
    unknown = sorted(set(supplements_df["supplement_id"]) - set(cat.index))
    if unknown:
        raise KeyError(f"unknown supplement id(s) {unknown}; see foods.load_supplements().frame.index")
    rows = cat.loc[supplements_df["supplement_id"].to_numpy()]
    units = supplements_df["units"].to_numpy(dtype=float)
    vit_d = units * _col(rows, "vitamin_d_ug_per_unit")
    mg = units * _col(rows, "magnesium_mg_per_unit")
    absorbed = mg * _col(rows, "absorption_factor", default=1.0)
    weekly = (rows["schedule"].astype(str).to_numpy() == "weekly") if "schedule" in rows else np.zeros(len(rows), bool)
    days_arr = supplements_df["day"].to_numpy(dtype=int)
    per_day = pd.DataFrame(
        {"day": days_arr, "vitamin_d_ug": vit_d, "magnesium_mg": mg, "magnesium_absorbed_mg": absorbed}
    )
    daily_part = per_day[~weekly].groupby("day").sum()
    out = out.add(daily_part.reindex(index, fill_value=0.0), fill_value=0.0)
    if weekly.any():
        spread = per_day[weekly][["vitamin_d_ug", "magnesium_mg", "magnesium_absorbed_mg"]].sum() / max(days, 7)
        out = out + spread
    return out


def compute_totals(
    items_df: pd.DataFrame,
    supplements_df: pd.DataFrame | None,
    foods: FoodTable,
    supplements: SupplementCatalogue | None,
    *,
    days: int | None = None,
    nutrients: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Daily totals from the catalogues: one row per day (index ``day``), one column per nutrient key.

    ``items_df`` needs ``day, food_id, grams``; ``supplements_df`` needs ``day, supplement_id, units``.
    Foods contribute grams/100 × value per 100 g (NaN as 0); supplements add vitamin D (label µg) and
    magnesium (label mg × absorption_factor), weekly products spread over the week. ``days`` defaults to the
    largest day present; ``nutrients`` to every nutrient column of ``foods``.
    """
    cols = list(nutrients) if nutrients is not None else list(foods.nutrient_columns)
    frame = foods.frame
    present = [c for c in cols if c in frame.columns]
    n_days = days or int(max([0, *items_df.get("day", []), *([] if supplements_df is None else supplements_df.get("day", []))]))
    index = pd.Index(range(1, n_days + 1), name="day")
    totals = pd.DataFrame(0.0, index=index, columns=cols)
    if len(items_df):
        ids = items_df["food_id"].astype(str).to_numpy()
        unknown = sorted(f for f in set(ids) if f not in frame.index)  # hash lookups, not a set of the catalogue
        if unknown:
            from foods.errors import UnknownFoodError

            raise UnknownFoodError(unknown[0], "The plan names a food that is not in this catalogue.")
        values = frame.loc[ids, present].to_numpy(dtype=float)
        values = np.nan_to_num(values, nan=0.0) * (items_df["grams"].to_numpy(dtype=float)[:, None] / 100.0)
        by_day = pd.DataFrame(values, columns=present).assign(day=items_df["day"].to_numpy(dtype=int)).groupby("day").sum()
        totals.loc[:, present] = by_day.reindex(index, fill_value=0.0).to_numpy()
    supp = supplemental_intake(supplements_df, supplements, n_days)
    if "vitamin_d_ug" in totals.columns:
        totals["vitamin_d_ug"] += supp["vitamin_d_ug"]
    if "magnesium_mg" in totals.columns:
        totals["magnesium_mg"] += supp["magnesium_absorbed_mg"]
    return totals


def requested_targets(request: Any) -> Targets:
    """The targets a request asks for (before the rule raises magnesium): DRI targets for the profile with the
    request's overrides, or the request's own target set."""
    if isinstance(request.targets, Targets):
        return request.targets
    if request.profile is not None:
        from optimizer.domain.targets import targets_for

        return targets_for(request.profile).with_overrides(request.targets)
    return Targets().with_overrides(request.targets)


def _names(frame: pd.DataFrame) -> dict[str, str]:
    """Food id -> name (as text) for the whole catalogue (plain lists: fast on Arrow-backed columns)."""
    if "name" not in frame.columns:
        return {}
    return dict(zip(frame.index.tolist(), frame["name"].astype(str).tolist()))


def _in_index(values: pd.Series, index: pd.Index) -> np.ndarray:
    """Which ``values`` (as text) are ids in ``index``: hash lookups per value, not ``isin`` (which converts
    the whole catalogue index)."""
    return np.fromiter((v in index for v in values.astype(str)), dtype=bool, count=len(values))


def _col(rows: pd.DataFrame, name: str, default: float = 0.0) -> np.ndarray:
    if name not in rows.columns:
        return np.full(len(rows), default)
    return np.nan_to_num(rows[name].to_numpy(dtype=float), nan=default)


# -- the checker ---------------------------------------------------------------------------------
class _Checker:
    def __init__(self, tolerance: float) -> None:
        self.tol = tolerance
        self.violations: list[str] = []
        self.warnings: list[str] = []
        self.checked = 0

    def slack(self, bound: float) -> float:
        return self.tol * max(1.0, abs(bound))

    def at_least(self, value: float, bound: float, what: str, unit: str = "") -> None:
        self.checked += 1
        if not value >= bound - self.slack(bound):
            self.violations.append(f"{what}: {value:.6g} {unit} is below the minimum {bound:.6g} {unit} (short by {bound - value:.4g})".replace("  ", " "))

    def at_most(self, value: float, bound: float, what: str, unit: str = "") -> None:
        self.checked += 1
        if not value <= bound + self.slack(bound):
            self.violations.append(f"{what}: {value:.6g} {unit} is above the maximum {bound:.6g} {unit} (over by {value - bound:.4g})".replace("  ", " "))

    def equal(self, value: float, expected: float, what: str, unit: str = "") -> None:
        self.checked += 1
        if not abs(value - expected) <= self.slack(expected):
            self.violations.append(f"{what}: {value:.6g} {unit} but should be {expected:.6g} {unit} (off by {value - expected:.4g})".replace("  ", " "))

    def require(self, ok: bool, message: str) -> None:
        self.checked += 1
        if not ok:
            self.violations.append(message)


def _where(row: Any, names: dict[str, str]) -> str:
    name = names.get(row.food_id, "")
    return f"day {row.day}, {row.meal}, {row.food_id}" + (f" ({name})" if name else "")


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
    chk = _Checker(tolerance)
    req = plan.request
    items = plan.items
    supp_df = plan.supplements
    frame = foods.frame
    names = _names(frame)

    _check_items(chk, plan, foods, names)
    _check_food_rules(chk, plan, foods, names)
    _check_supplements(chk, plan, supplements)

    known = items[_in_index(items["food_id"], frame.index)] if len(items) else items
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
    _check_targets(chk, plan, totals, supp_day, requested)
    _check_rule(chk, plan, totals, supp_day, requested)
    _check_meal_shares(chk, plan, known, frame, totals)
    _check_prescribed_dose(chk, plan, supp_day)
    if requested is not None:
        _check_applied_vs_requested(chk, plan, requested)
    _check_plan_totals(chk, plan, totals, target_nutrients)
    _check_safety(chk, plan, frame)
    return _result(chk)


def _check_safety(chk: _Checker, plan: Plan, frame: pd.DataFrame) -> None:
    """Life-stage food safety and unknown values under a maximum, re-checked on the planned foods."""
    used = [r.food_id for r in plan.item_rows if r.grams > 0]
    try:
        chk.violations += safety_violations(plan.request, frame, used) + unknown_violations(plan.request, frame, used)
    except ValueError as exc:  # e.g. an override naming an unknown rule: report, do not crash
        chk.violations.append(f"food safety could not be checked: {exc}")


def _result(chk: _Checker) -> Verification:
    extra = {"warnings": chk.warnings} if "warnings" in Verification.model_fields else {}
    return Verification(passed=not chk.violations, violations=chk.violations, checked=chk.checked,
                        tolerance=chk.tol, **extra)


# -- items, portions, amounts --------------------------------------------------------------------
def _check_items(chk: _Checker, plan: Plan, foods: FoodTable, names: dict[str, str]) -> None:
    req = plan.request
    frame = foods.frame
    prices = frame["price_per_100g"] if "price_per_100g" in frame.columns else None
    locked_keys = {(x.day, x.meal, x.food_id) for x in req.locked}
    for row in plan.item_rows:
        where = _where(row, names)
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
            chk.at_most(row.grams, item_cap, f"{_where(row, names)}: single item (max_item_grams)", "g")
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


def _check_locks(chk: _Checker, plan: Plan, items: pd.DataFrame, foods: FoodTable, names: dict[str, str]) -> None:
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


def _check_food_rules(chk: _Checker, plan: Plan, foods: FoodTable, names: dict[str, str]) -> None:
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
        where = _where(row, names)
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


def _check_supplements(chk: _Checker, plan: Plan, supplements: SupplementCatalogue | None) -> None:
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
    items = items[_in_index(items["food_id"], frame.index) & (items["grams"] > 0).to_numpy()] if len(items) else items
    return _unknown_lines(items, frame, wanted, _names(frame))


def _unknown_lines(items: pd.DataFrame, frame: pd.DataFrame, nutrients: set[str], names: dict[str, str]) -> list[str]:
    cols = [c for c in frame.columns if c in nutrients]
    if not len(items) or not cols:
        return []
    values = frame.loc[items["food_id"].astype(str).to_numpy(), cols].isna().to_numpy()
    lines = []
    for row, missing in zip(items.itertuples(index=False), values):
        if missing.any() and row.grams > 0:
            lines.append(f"{_where(row, names)}: unknown {', '.join(c for c, m in zip(cols, missing) if m)} counted as 0")
    return lines


def _nutrient_series(target: Any, totals: pd.DataFrame, supp_day: pd.DataFrame) -> pd.Series | None:
    if target.applies_to == "supplements":
        if target.nutrient == "vitamin_d_ug":
            return supp_day["vitamin_d_ug"]
        if target.nutrient == "magnesium_mg":
            return supp_day["magnesium_mg"]
        return pd.Series(0.0, index=supp_day.index)
    if target.nutrient not in totals.columns:
        return None
    return totals[target.nutrient]


def _kcal_per_unit(requested: Targets | None, target: Any) -> float | None:
    if requested is not None and target.key in requested and requested[target.key].kcal_per_unit:
        return float(requested[target.key].kcal_per_unit)
    return KCAL_PER_UNIT.get(target.nutrient)


def _check_targets(chk: _Checker, plan: Plan, totals: pd.DataFrame, supp_day: pd.DataFrame, requested: Targets | None) -> None:
    for t in plan.target_rows:
        series = _nutrient_series(t, totals, supp_day)
        if series is None:
            chk.require(False, f"target {t.key}: nutrient '{t.nutrient}' is not in the food catalogue")
            continue
        unit = t.unit or ("% energy" if t.kind == "energy_percent" else "")
        scope = " (supplements only)" if t.applies_to == "supplements" else ""
        if t.kind == "energy_percent":
            k = _kcal_per_unit(requested, t)
            if k is None or "energy_kcal" not in totals.columns:
                chk.require(False, f"target {t.key}: cannot compute percent of energy (no kcal per unit or no energy_kcal)")
                continue
            nutrient_kcal = series * k
            energy = totals["energy_kcal"]
            periods = [("weekly average", nutrient_kcal.mean(), energy.mean())] if t.period == "weekly" else [
                (f"day {d}", nutrient_kcal[d], energy[d]) for d in totals.index]
            for label, kcal, e in periods:
                pct = 100.0 * kcal / e if e > 0 else 0.0
                if t.min is not None:
                    chk.checked += 1
                    if not 100.0 * kcal >= t.min * e - chk.slack(t.min * e):
                        chk.violations.append(f"{label}, {t.key}: {pct:.4g} % of energy is below the minimum {t.min:g} % (short by {t.min - pct:.3g} points)")
                if t.max is not None:
                    chk.checked += 1
                    if not 100.0 * kcal <= t.max * e + chk.slack(t.max * e):
                        chk.violations.append(f"{label}, {t.key}: {pct:.4g} % of energy is above the maximum {t.max:g} % (over by {pct - t.max:.3g} points)")
            continue
        if t.period == "weekly":
            periods = [("weekly average", float(series.mean()))]
        else:
            periods = [(f"day {d}", float(series[d])) for d in series.index]
        for label, value in periods:
            if t.min is not None:
                chk.at_least(value, t.min, f"{label}, {t.key}{scope}", unit)
            if t.max is not None:
                chk.at_most(value, t.max, f"{label}, {t.key}{scope}", unit)


def _check_rule(chk: _Checker, plan: Plan, totals: pd.DataFrame, supp_day: pd.DataFrame, requested: Targets | None) -> None:
    """Magnesium–vitamin D rule and the Ca:Mg ratio, recomputed from the request (not the applied targets)."""
    rule = plan.request.rule
    mg_target = None
    if requested is not None:
        mg_target = next((t for t in requested if t.nutrient == "magnesium_mg" and t.applies_to == "total" and t.kind == "amount"), None)
    if mg_target is not None and "magnesium_mg" in totals.columns:
        base = mg_target.min or 0.0
        need = pd.Series([base + rule.extra_magnesium_mg(float(d)) for d in supp_day["vitamin_d_ug"]], index=supp_day.index)
        mg = totals["magnesium_mg"]
        if mg_target.period == "weekly":
            chk.at_least(float(mg.mean()), float(need.mean()),
                         f"weekly average, magnesium–vitamin D rule (RDA {base:g} mg + extra at {supp_day['vitamin_d_ug'].mean():.4g} µg/day vitamin D)", "mg")
        else:
            for d in mg.index:
                chk.at_least(float(mg[d]), float(need[d]),
                             f"day {d}, magnesium–vitamin D rule (requirement {base:g} mg + {need[d] - base:.4g} mg extra at {supp_day.at[d, 'vitamin_d_ug']:.4g} µg supplemental vitamin D)", "mg")
    if "calcium_mg" in totals.columns and "magnesium_mg" in totals.columns and (
        rule.calcium_magnesium_ratio_max is not None or rule.calcium_magnesium_ratio_min is not None
    ):
        for d in totals.index:
            ca, mg = float(totals.at[d, "calcium_mg"]), float(totals.at[d, "magnesium_mg"])
            ratio = ca / mg if mg > 0 else math.inf if ca > 0 else 0.0
            if rule.calcium_magnesium_ratio_max is not None:
                r = rule.calcium_magnesium_ratio_max
                chk.checked += 1
                if not ca <= r * mg + chk.slack(r * mg):
                    chk.violations.append(f"day {d}, calcium:magnesium ratio {ratio:.4g} is above the maximum {r:g} (calcium {ca:.5g} mg, magnesium {mg:.5g} mg; {ca - r * mg:.4g} mg calcium too many)")
            if rule.calcium_magnesium_ratio_min is not None:
                r = rule.calcium_magnesium_ratio_min
                chk.checked += 1
                if not ca >= r * mg - chk.slack(r * mg):
                    chk.violations.append(f"day {d}, calcium:magnesium ratio {ratio:.4g} is below the minimum {r:g} (calcium {ca:.5g} mg, magnesium {mg:.5g} mg)")


def _check_meal_shares(chk: _Checker, plan: Plan, items: pd.DataFrame, frame: pd.DataFrame, totals: pd.DataFrame) -> None:
    """Each meal's energy within its share band of the day's energy (request.energy_shares())."""
    shares = plan.request.energy_shares()
    if not shares or "energy_kcal" not in frame.columns or "energy_kcal" not in totals.columns:
        return
    if len(items):
        per_100g = frame.loc[items["food_id"].astype(str).to_numpy(), "energy_kcal"].to_numpy(dtype=float)
        kcal = np.nan_to_num(per_100g) * items["grams"].to_numpy(dtype=float) / 100.0
        by_meal = pd.Series(kcal).groupby([items["day"].to_numpy(), items["meal"].to_numpy()]).sum()
    else:
        by_meal = pd.Series(dtype=float)
    for d in totals.index:
        energy = float(totals.at[d, "energy_kcal"])
        for meal, (lo, hi) in shares.items():
            got = float(by_meal.get((d, meal), 0.0))
            pct = 100.0 * got / energy if energy > 0 else 0.0
            if lo > 0:
                chk.checked += 1
                if not got >= lo * energy - chk.slack(lo * energy):
                    chk.violations.append(f"day {d}, {meal}: {got:.5g} kcal is {pct:.3g} % of the day's energy, below the meal share minimum {lo * 100:g} %")
            if hi < 1:
                chk.checked += 1
                if not got <= hi * energy + chk.slack(hi * energy):
                    chk.violations.append(f"day {d}, {meal}: {got:.5g} kcal is {pct:.3g} % of the day's energy, above the meal share maximum {hi * 100:g} %")


def _check_prescribed_dose(chk: _Checker, plan: Plan, supp_day: pd.DataFrame) -> None:
    req = plan.request
    if req.vitamin_d_supplement_ug is not None:
        for d in supp_day.index:
            chk.equal(float(supp_day.at[d, "vitamin_d_ug"]), float(req.vitamin_d_supplement_ug),
                      f"day {d}, prescribed vitamin D supplement dose", "µg")
    elif req.vitamin_d_weekly_supplement_ug is not None:
        per_week = float(supp_day["vitamin_d_ug"].mean()) * 7.0
        chk.equal(per_week, float(req.vitamin_d_weekly_supplement_ug), "prescribed weekly vitamin D supplement dose (per week)", "µg")


def _check_applied_vs_requested(chk: _Checker, plan: Plan, requested: Targets) -> None:
    """The applied targets may be stricter than requested (the rule raises magnesium) but never looser."""
    req = plan.request
    applied = {t.key: t for t in plan.target_rows}
    raised = dict(req.clinician_override.upper_limits) if req.clinician_override else {}
    for t in requested:
        a = applied.get(t.key)
        chk.require(a is not None, f"target {t.key} was requested but is missing from the plan's applied targets")
        if a is None:
            continue
        if t.min is not None:
            chk.require(a.min is not None and a.min >= t.min - chk.slack(t.min),
                        f"target {t.key}: applied minimum {a.min} is looser than the requested {t.min:g}")
        max_allowed = raised.get(t.key, t.max)
        if max_allowed is not None:
            chk.require(a.max is not None and a.max <= max_allowed + chk.slack(max_allowed),
                        f"target {t.key}: applied maximum {a.max} is looser than the requested {max_allowed:g}")
        if t.period == "daily":
            chk.require(a.period == "daily", f"target {t.key}: requested daily but applied as a weekly average")


def _check_plan_totals(chk: _Checker, plan: Plan, totals: pd.DataFrame, target_nutrients: set[str]) -> None:
    if not plan.total_rows:
        chk.require(not plan.has_solution, "the plan has a solution but no daily totals")
        return
    reported = plan.totals
    for d in totals.index:
        chk.require(d in reported.index, f"day {d}: missing from the plan's daily totals")
        if d not in reported.index:
            continue
        for col in totals.columns:
            if col not in reported.columns:
                chk.require(col not in target_nutrients, f"day {d}: targeted nutrient {col} missing from the plan's totals")
                continue
            got = float(reported.at[d, col])
            want = float(totals.at[d, col])
            chk.checked += 1
            if not (abs(got - want) <= chk.slack(want)):
                chk.violations.append(f"day {d}, {col}: the plan reports {got:.6g} but the catalogue gives {want:.6g} (off by {got - want:.4g})")
