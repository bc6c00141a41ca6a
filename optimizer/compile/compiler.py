"""Compiling a request: targets in effect, candidate foods and the solver-independent model specification.

``compile_request`` is the first step of ``plan()``: it checks the request against the catalogues (unknown
nutrients, supplements, named foods ruled out) and resolves it into plain model data (:class:`ModelSpec`) with the
notes a plan carries about it. No solver and no PuLP here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import compress
from typing import Any

import numpy as np

from optimizer.compile.candidates import Candidates, effective_variety, forbidden_named_foods, select_candidates
from optimizer.compile.memory import paused_gc
from optimizer.compile.spec import FoodData, ModelSpec, SupplementData
from optimizer.domain.errors import RequestError
from optimizer.domain.limits import effective_targets
from optimizer.domain.request import PlanRequest
from optimizer.domain.targets import Targets

GROUP_MAX_FOODS_PER_DAY = 2  # distinct foods of one food group a day
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
    targets = effective_targets(request)
    ov = request.clinician_override
    if ov is None:
        return targets, []
    return targets, [f"Clinician override by {ov.clinician}: {key} upper limit raised to {new_max:g} ({ov.reason})."
                     for key, new_max in ov.upper_limits.items()]


def food_data(table: Any, ids: list[str], nutrients: list[str], household: bool,
              need_portions: frozenset[str] | set[str] = frozenset()) -> dict[str, FoodData]:
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
    weights.update({str(k): float(v) for k, v in (request.objective_weights or {}).items()})
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


def forced_foods(request: PlanRequest) -> set[str]:
    return ({i.food_id for i in request.locked} | {i.food_id for i in request.must_include}
            | {i.food_id for i in request.usual_diet} | set(request.liked_foods) | set(request.food_bounds))


def _isnan(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


@dataclass
class Compiled:
    """A request resolved against the catalogues: the targets in effect, the candidates, the model
    specification over every candidate (``spec``) and the notes the plan will carry."""

    request: PlanRequest
    table: Any  # foods.FoodTable
    catalogue: Any | None  # foods.SupplementCatalogue
    targets: Targets
    candidates: Candidates
    spec: ModelSpec
    notes: list[str] = field(default_factory=list)


def food_table_for(request: PlanRequest) -> Any:
    """The shipped food catalogue the request names (``request.catalogue``: "sr24" or "fndds"; cached)."""
    import foods

    return foods.load_foods(request.catalogue)


def compile_request(request: PlanRequest, table: Any, catalogue: Any | None) -> Compiled:
    """Check ``request`` against the food ``table`` and supplement ``catalogue`` and resolve it into a model
    specification over every candidate food. Raises :class:`RequestError` for bad input (unknown nutrient or
    supplement, a locked or must-include food that the exclusions rule out)."""
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
    cands, cost_notes = _priced_candidates(request, frame, cands)
    notes += cost_notes
    notes += _missing_value_notes(targets, frame, list(cands.food_ids))
    spec = build_spec(request, table, catalogue, targets, cands, supplement_ids)
    return Compiled(request, table, catalogue, targets, cands, spec, notes)


def _priced_candidates(request: PlanRequest, frame: Any, cands: Candidates) -> tuple[Candidates, list[str]]:
    """In cost mode, only foods with a known price (and foods the request names) are candidates."""
    if not (request.objective == "cost" or (request.objective_weights or {}).get("cost")):
        return cands, []
    ids = list(cands.food_ids)
    if "price_per_100g" in frame.columns and ids:
        has_price = frame["price_per_100g"].reindex(ids).notna().to_numpy()
        priced = {f for f, ok in zip(ids, has_price) if ok}
    else:
        priced = set()
    notes = []
    if len(priced) < len(ids):
        notes.append(f"{len(ids) - len(priced)} candidate foods have no price and are left out of cost mode.")
    forced = forced_foods(request)
    ids = [f for f in ids if f in priced or f in forced]
    return Candidates(tuple(ids), {f: cands.meals_for[f] for f in ids}, cands.removed), notes


def _missing_value_notes(targets: Targets, frame: Any, ids: list[str]) -> list[str]:
    """One note per constrained nutrient that some candidates lack (counted as 0 under minimums)."""
    constrained = sorted({t.nutrient for t in targets if t.applies_to == "total" and t.nutrient in frame.columns})
    missing_counts = frame.loc[ids, constrained].isna().sum().to_dict() if ids and constrained else {}
    notes = []
    for n in constrained:
        missing = int(missing_counts.get(n, 0))
        if missing:
            notes.append(f"{missing} candidate foods lack a {n} value (counted as 0).")
    return notes
