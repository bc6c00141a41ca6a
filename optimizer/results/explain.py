"""Why a plan is impossible, what it would take, and what each target costs.

1. :func:`precheck` — per target, the most and least the allowed foods, portions and doses can supply per
   day (simple bounds: every candidate food at its daily cap, supplements at their label maximum), so a
   target no combination can reach is named at once.
2. :func:`priority_relaxation` — when the model is still infeasible: every normal/low-priority row gets a
   nonnegative slack (upper limits, exclusions, the diet and prescribed doses stay mandatory; nutrient
   targets are normal; meal shares and variety are low) and the weighted slack is minimised (normal
   slacks weigh 1000× low ones). Each slack used is a :class:`Shortfall`; the relaxed solution is the
   nearest plan.
3. :func:`shadow_prices` — LP plans: the dual of each binding target row, in objective units per
   nutrient unit per day, in words ("each extra 10 mg magnesium costs $0.03/day").
Relaxed models are built by ``model.py``; this module never touches PuLP directly.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any, Literal

from pydantic import BaseModel

from optimizer.compile.spec import ModelSpec, map_items, slack_values
from optimizer.domain.request import PlanRequest
from optimizer.domain.targets import Targets
from optimizer.model.builder import build_model, relax_integrality
from optimizer.results.plan import (
    BindingConstraint,
    Explanation,
    Fix,
    PlanItem,
    PrecheckRow,
    ShadowPrice,
    Shortfall,
    Verification,
)
from optimizer.results.wording import CLINICIAN_FIX, MAY_NOT_BE_ENOUGH, NOT_ENOUGH, amount, plain, target_label, unit_of
from optimizer.solve.adapter import SolveOptions, SolveResult, solve


# -- 1. precheck -----------------------------------------------------------------------------------
def _food_day_cap(spec: ModelSpec, food_id: str) -> float:
    """Most grams of one food per day the caps allow."""
    food = spec.foods[food_id]
    _lo, hi = spec.food_bounds.get(food_id, (None, None))
    if hi is not None:  # a food's own bound overrides the default caps (as the model builder does)
        return hi
    if spec.household:
        per_item = (min(spec.portion_cap(food_id), math.floor(spec.max_item_grams / food.portion_grams + 1e-9))
                    if math.isfinite(spec.max_item_grams) else spec.portion_cap(food_id)) * food.portion_grams
    else:
        per_item = spec.max_item_grams
    meals = 1 if spec.household else len(spec.meals_for[food_id])  # household: the portion cap is per day
    cap = min(spec.max_food_grams_per_day, per_item * meals)
    return min(cap, hi) if hi is not None else cap


def _supplement_range(spec: ModelSpec, nutrient: str, targets: Targets) -> tuple[float, float]:
    """Least and most supplemental amount per day (µg vitamin D or absorbed mg magnesium)."""
    if nutrient == "vitamin_d_ug" and spec.vitamin_d_mode != "choose":
        d = spec.dose_daily_ug if spec.vitamin_d_mode == "daily" else (spec.dose_weekly_ug or 0.0) / 7.0
        return float(d or 0.0), float(d or 0.0)
    most = 0.0
    for sup in spec.supplements.values():
        per_unit = (sup.vitamin_d_ug if nutrient == "vitamin_d_ug"
                    else (sup.magnesium_mg * sup.absorption_factor if nutrient == "magnesium_mg" else 0.0))
        if sup.schedule == "weekly":
            if spec.weekly_products_allowed():
                most += per_unit * sup.max_units * len(spec.weeks()) / max(spec.days, 7)
        else:
            most += per_unit * sup.max_units
    if nutrient == "magnesium_mg":
        ul = [t.max for t in targets if t.applies_to == "supplements" and t.nutrient == "magnesium_mg" and t.max is not None]
        if ul:
            most = min(most, min(ul) * max((s.absorption_factor for s in spec.supplements.values()), default=1.0))
    return 0.0, most


def precheck(spec: ModelSpec, targets: Targets, rule_extra_mg: float = 0.0) -> list[PrecheckRow]:
    """Per amount target: can the allowed foods, portions and doses supply it on a day? (simple bounds)."""
    rows = []
    locked_by_day: dict[int, dict[str, float]] = {}
    for d, _, f, grams in spec.locked:
        locked_by_day.setdefault(d, {})
        locked_by_day[d][f] = locked_by_day[d].get(f, 0.0) + grams
    for t in targets:
        if t.kind != "amount":
            continue
        if t.applies_to == "supplements":
            lo, hi = _supplement_range(spec, t.nutrient, Targets())
            food_lo = food_hi = 0.0
        else:
            food_hi = sum(f.nutrients.get(t.nutrient, 0.0) * _food_day_cap(spec, fid) / 100.0 for fid, f in spec.foods.items())
            food_lo = min((sum(spec.foods[f].nutrients.get(t.nutrient, 0.0) * g / 100.0 for f, g in locked.items() if f in spec.foods)
                           for locked in locked_by_day.values()), default=0.0) if len(locked_by_day) == spec.days else 0.0
            lo, hi = _supplement_range(spec, t.nutrient, targets) if t.nutrient in ("vitamin_d_ug", "magnesium_mg") else (0.0, 0.0)
        need_min = t.min + (rule_extra_mg if t.key == spec.magnesium_key and t.min is not None else 0.0) if t.min is not None else None
        possible_max, possible_min = food_hi + hi, food_lo + lo
        ok = (need_min is None or possible_max >= need_min - 1e-9) and (t.max is None or possible_min <= t.max + 1e-9)
        unit, label = unit_of(t.nutrient), target_label(t.key, t.nutrient)
        if need_min is not None and possible_max < need_min - 1e-9:
            source = "supplements" if t.applies_to == "supplements" else ("foods and supplements" if hi else "foods")
            msg = (f"{label}: needs at least {amount(need_min, unit)}/day, but the allowed {source} can supply at most "
                   f"{amount(possible_max, unit)}/day even with every candidate food at its daily cap "
                   f"(short by {amount(need_min - possible_max, unit)}).")
        elif t.max is not None and possible_min > t.max + 1e-9:
            msg = (f"{label}: at most {amount(t.max, unit)}/day allowed, but the fixed items and doses already give "
                   f"{amount(possible_min, unit)}.")
        else:
            msg = f"{label}: reachable (between {plain(possible_min)} and {amount(possible_max, unit)}/day possible)."
        rows.append(PrecheckRow(target=t.key, nutrient=t.nutrient, required_min=need_min, required_max=t.max,
                                possible_min=possible_min, possible_max=possible_max, ok=ok, message=msg))
    rows += _dose_precheck(spec)
    return rows


def _dose_precheck(spec: ModelSpec) -> list[PrecheckRow]:
    """A prescribed dose must be an exact sum of whole units of the allowed products."""
    if spec.vitamin_d_mode == "choose":
        return []
    weekly = spec.vitamin_d_mode == "weekly"
    dose = (spec.dose_weekly_ug or 0.0) * max(spec.days, 7) / 7.0 if weekly else (spec.dose_daily_ug or 0.0)
    products = [s for s in spec.supplements.values() if s.vitamin_d_ug > 0 and (s.schedule == "weekly") == weekly]
    reachable = {0.0}
    for sup in products:
        units = sup.max_units * (len(spec.weeks()) if weekly else 1)
        reachable = {round(r + k * sup.vitamin_d_ug, 6) for r in reachable for k in range(units + 1)}
    ok = any(abs(r - dose) <= 1e-6 for r in reachable)
    most = max(reachable)
    what = "per plan (weekly products)" if weekly else "per day"
    msg = (f"Prescribed vitamin D: {plain(dose)} µg {what} can be made from the allowed products." if ok else
           f"Prescribed vitamin D: no combination of whole units of the allowed {'weekly' if weekly else 'daily'} products gives exactly "
           f"{plain(dose)} µg {what} (products: {', '.join(s.name for s in products) or 'none'}).")
    return [PrecheckRow(target="vitamin_d_supplement_ug", nutrient="vitamin_d_ug", required_min=dose, required_max=dose,
                        possible_min=0.0, possible_max=most, ok=ok, message=msg)]


# -- 2. priority relaxation ------------------------------------------------------------------------
def priority_relaxation(spec: ModelSpec, options: SolveOptions) -> tuple[list[Shortfall], list[PlanItem], SolveResult]:
    """Minimise weighted slack on normal/low rows; return the shortfalls, the nearest plan's items, the result.

    First as an LP (continuous amounts, no variety rules; one day when days are interchangeable): nutrient
    shortfalls found there are real (at least that large). Only when the LP needs no slack is the infeasibility
    caused by whole portions or variety, and the integer model is relaxed instead (time-limited)."""
    built, result, one_day = relaxed_lp(spec, options)
    if result.has_solution and not slack_values(built, result.values):
        one_day = False
        built = build_model(spec, purpose="relax", name="cofactor_relaxed")
        result = solve(built.problem, replace(options, want_duals=False, warm_start=False))
    if not result.has_solution:
        return [], [], result
    values = result.values
    shortfalls = []
    for row_name, slack in slack_values(built, values).items():
        info = built.rows[row_name]
        per = max(info.days_in_row, 1)
        unit = (info.nutrient or "").rsplit("_", 1)[-1] if info.nutrient else ""
        if info.kind in ("target", "rule") or info.kind in STRUCTURAL:
            required = info.rhs / per
            achieved = required - slack / per if info.bound == "min" else required + slack / per
            unit = {"food_min": "g", "must_include": "g", "max_days": "days", "min_foods": "foods", "group_max": "foods",
                    "group_meal": "foods", "one_meal": "meals", "group_min": "portions",
                    "meal_foods": "foods"}.get(info.kind, unit)
        elif info.kind == "energy_percent":
            required, unit = info.rhs, "% energy"
            achieved = _energy_pct(built, values, info)
        elif info.kind == "meal_share":
            required, unit = info.rhs, "share of energy"
            achieved = _meal_share(built, values, info)
        elif info.kind == "ratio":
            required, unit = info.rhs, "Ca:Mg"
            ca, mg = values.get(f"n_d{info.day}_calcium_mg", 0.0), values.get(f"n_d{info.day}_magnesium_mg", 0.0)
            achieved = ca / mg if mg > 0 else math.inf
        else:
            continue
        nutrient = str(info.kind if info.kind in STRUCTURAL else (info.nutrient or info.kind))
        shortfalls.append(Shortfall(target=str(info.target or info.kind), nutrient=nutrient,
                                    bound="min" if info.bound == "min" else "max",
                                    required=float(required), achieved=float(achieved), gap=float(abs(required - achieved)),
                                    unit=unit, priority=info.priority, day=None if one_day else info.day))
    shortfalls.sort(key=lambda s: (s.priority != "normal", s.target, s.day or 0))
    return shortfalls, map_items(built, values), result


def relaxed_lp(spec: ModelSpec, options: SolveOptions) -> tuple[Any, SolveResult, bool]:
    """The LP relaxation of ``spec`` with a weighted slack on every normal/low row (continuous amounts, no variety
    rules; one day when days are interchangeable): ``(built, result, one_day)``. Cheap: a few hundred ms."""
    lp_spec = replace(spec, household=False, max_days_per_food=None, min_foods_per_day=None, group_max_foods_per_day=None,
                      one_meal_per_food=False, group_max_per_meal=None, min_foods_per_meal={})
    one_day = spec.symmetric_days and spec.days > 1 and not spec.locked
    if one_day:
        lp_spec = replace(lp_spec, days=1)
    built = build_model(lp_spec, purpose="relax", name="cofactor_relaxed_lp")
    relax_integrality(built)
    return built, solve(built.problem, replace(options, want_duals=False, warm_start=False)), one_day


def lp_reaches(spec: ModelSpec, options: SolveOptions, bounds: dict[str, tuple[str, float]]) -> bool:
    """Cheap check of relaxed targets: with each ``key -> (bound, value)`` of ``bounds`` applied to the targets, does
    the LP relaxation meet every target without slack? (A necessary condition; whole portions may need more.)"""
    targets = [t.model_copy(update={bounds[t.key][0]: bounds[t.key][1]}) if t.key in bounds else t for t in spec.targets]
    built, result, _ = relaxed_lp(replace(spec, targets=targets), options)
    return bool(result.has_solution) and not slack_values(built, result.values)


def integer_parts(spec: ModelSpec) -> bool:
    """Whether the real model has whole numbers the LP check ignores (portions, variety rules, supplement units)."""
    return bool(spec.household or spec.max_days_per_food or spec.min_foods_per_day or spec.supplements
                or spec.min_foods_per_meal or spec.one_meal_per_food or spec.group_max_foods_per_day)


def _energy_pct(built: Any, values: dict[str, float], info: Any) -> float:
    days = [info.day] if info.day else list(built.spec.day_list())
    kcal = sum(values.get(f"n_d{d}_{info.nutrient}", 0.0) for d in days) * info.unit_scale
    energy = sum(values.get(f"n_d{d}_energy_kcal", 0.0) for d in days)
    return 100.0 * kcal / energy if energy > 0 else 0.0


def _meal_share(built: Any, values: dict[str, float], info: Any) -> float:
    spec = built.spec
    meal_kcal = sum(values.get(n, 0.0) * it.grams_per_unit * spec.foods[it.food_id].nutrients.get("energy_kcal", 0.0) / 100.0
                    for n, it in built.items.items() if it.day == info.day and it.meal == info.target)
    energy = values.get(f"n_d{info.day}_energy_kcal", 0.0)
    return meal_kcal / energy if energy > 0 else 0.0


# -- 3. fixes and the whole explanation ------------------------------------------------------------
STRUCTURAL = {"food_min", "must_include", "max_days", "min_foods", "group_max", "group_min", "group_meal", "one_meal",
              "meal_foods"}

def _override_update(request: PlanRequest, key: str, bound: str, value: float) -> dict[str, Any]:
    current = request.targets
    if not isinstance(current, dict):
        return {}
    # overrides may be models (validated requests) or plain dicts (``model_copy(update=...)`` does not validate)
    merged = {k: (v.model_dump(exclude_defaults=True) if isinstance(v, BaseModel) else v) for k, v in current.items()}
    entry = dict(merged.get(key) or {})
    entry[bound] = float(value)
    merged[key] = entry
    return {"targets": merged}


def _relaxed_bounds(shortfalls: list[Shortfall], margin: float) -> dict[str, tuple[str, float, Shortfall]]:
    """Per relaxable target: (bound, new value, its worst shortfall); ``margin`` widens the value (0.05 = 5 %)."""
    out: dict[str, tuple[str, float, Shortfall]] = {}
    for s in shortfalls:
        if s.target in out or s.priority == "low" or s.nutrient in STRUCTURAL or s.target == "calcium_magnesium_ratio":
            continue
        same = [x.achieved for x in shortfalls if x.target == s.target]
        if s.bound == "min":
            new = math.floor(min(same, default=s.achieved) * (1 - margin) * 100) / 100
        else:
            new = math.ceil(max(same, default=s.achieved) * (1 + margin) * 100) / 100
        out[s.target] = (s.bound, max(new, 0.0), s)
    return out


def shortfall_name(spec: ModelSpec, s: Shortfall) -> str:
    """What a shortfall is about, in words: a food's name for a food's own row, else the target's label."""
    return spec.foods[s.target].name if s.target in spec.foods else target_label(
        s.target, s.nutrient if s.nutrient not in STRUCTURAL else None)


def _relax_text(target: str, bound: str, new: float, s: Shortfall) -> str:
    label = target_label(target, s.nutrient if s.nutrient not in STRUCTURAL else None)
    side = "minimum" if bound == "min" else "maximum"
    direction = "Lower" if bound == "min" else "Raise"
    return f"{direction} the {label} {side} to {amount(new, s.unit)}/day (from {plain(s.required)})."


def suggest_fixes(request: PlanRequest, checks: list[PrecheckRow], shortfalls: list[Shortfall],
                  reaches: Any = None, integer: bool = False) -> list[Fix]:
    """Changes the UI can apply with ``request.model_copy(update=fix.request_update)``.

    ``reaches(bounds)`` (``{target key: (bound, value)}`` -> bool, e.g. :func:`lp_reaches`) checks relaxed targets
    before they are offered: one that is not enough alone says so, and a combined fix relaxes them together.
    ``integer``: the model has whole numbers the check ignores, so relaxed values get a 10 % margin and say that
    they may still not be enough."""
    fixes: list[Fix] = []
    relaxed = _relaxed_bounds(shortfalls, 0.1 if integer else 0.0)
    caveat = MAY_NOT_BE_ENOUGH if integer else ""
    for target, (bound, new, s) in relaxed.items():
        enough = reaches({target: (bound, new)}) if reaches is not None else True
        fixes.append(Fix(kind="relax_target", description=_relax_text(target, bound, new, s)
                         + (caveat if enough else NOT_ENOUGH),
                         request_update=_override_update(request, target, bound, new)))
    if len(relaxed) > 1:
        together = {t: (b, v) for t, (b, v, _) in relaxed.items()}
        enough = reaches(together) if reaches is not None else True
        update: dict[str, Any] = {}
        for t, (b, v) in together.items():  # each override merged into the request with the ones before
            update = _override_update(request.model_copy(update=update) if update else request, t, b, v)
        fixes.append(Fix(kind="relax_target", description="Relax these together: " + " ".join(
            _relax_text(t, b, v, s) for t, (b, v, s) in relaxed.items())
            + (caveat if enough else " Even together this may not be enough."), request_update=update))
    if any(s.nutrient == "min_foods" for s in shortfalls):
        low = min(int(s.achieved) for s in shortfalls if s.nutrient == "min_foods")
        fixes.append(Fix(kind="other", description=f"Allow fewer different foods per day (at least {low}).",
                         request_update={"min_foods_per_day": low}))
    if any(s.target == "calcium_magnesium_ratio" for s in shortfalls):
        fixes.append(Fix(kind="other", description="Allow a higher calcium : magnesium ratio (up to 2.8).",
                         request_update={"rule": request.rule.model_copy(update={"calcium_magnesium_ratio_max": 2.8})}))
    if any(s.unit == "share of energy" for s in shortfalls):
        shares = request.energy_shares()
        mid = sum((lo + hi) / 2 for lo, hi in shares.values()) or 1.0
        scaled = {m: (round(min(lo / mid, 1.0), 3), round(min(hi / mid, 1.0), 3)) for m, (lo, hi) in shares.items()}
        shown = "; ".join(f"{m} {lo * 100:.0f}–{hi * 100:.0f} %" for m, (lo, hi) in scaled.items())
        fixes.append(Fix(kind="other", description=f"Use meal energy shares that can add up to 100 % for these meals: {shown}.",
                         request_update={"meal_energy_shares": scaled}))
    if any(s.nutrient == "max_days" for s in shortfalls):
        fixes.append(Fix(kind="other", description="Allow a food on any number of days of the week.",
                         request_update={"max_days_per_food": None}))
    short_nutrients = {c.nutrient for c in checks if not c.ok} | {s.nutrient for s in shortfalls}
    if request.supplements is not None and short_nutrients & {"vitamin_d_ug", "magnesium_mg"}:
        fixes.append(Fix(kind="allow_supplement", description="Allow every supplement product in the catalogue.",
                         request_update={"supplements": None}))
    if request.diet_pattern != "omnivore":
        fixes.append(Fix(kind="drop_exclusion", description=f"Drop the {request.diet_pattern} diet pattern (allow every food).",
                         request_update={"diet_pattern": "omnivore"}))
    for field in ("exclude_foods", "exclude_groups", "exclude_allergens"):
        if getattr(request, field):
            what = {"exclude_foods": "excluded foods", "exclude_groups": "excluded food groups",
                    "exclude_allergens": "excluded allergens"}[field]
            fixes.append(Fix(kind="drop_exclusion", description=f"Allow the {what} again.", request_update={field: ()}))
    if request.candidates == "everyday" and request.food_ids is None:
        fixes.append(Fix(kind="allow_foods", description="Allow all foods in the catalogue, not only everyday foods.",
                         request_update={"candidates": "all"}))
    return fixes


def _fixed_excess(check: PrecheckRow) -> bool:
    """The least the fixed items and doses supply already exceeds the target's maximum."""
    return check.required_max is not None and check.possible_min > check.required_max + 1e-9


def dose_fixes(request: PlanRequest, spec: ModelSpec, failing: list[PrecheckRow]) -> list[Fix]:
    """A prescribed vitamin D dose that alone exceeds the vitamin D upper limit: the highest dose within it."""
    row = next((c for c in failing if c.nutrient == "vitamin_d_ug" and c.target != "vitamin_d_supplement_ug"
                and _fixed_excess(c)), None)
    if row is None or row.required_max is None:
        return []
    excess = row.possible_min - row.required_max  # µg/day above the limit
    if spec.vitamin_d_mode == "daily" and spec.dose_daily_ug:
        new = max(math.floor(spec.dose_daily_ug - excess + 1e-9), 0)
        return [Fix(kind="other", description=f"Lower the prescribed vitamin D dose to {plain(new)} µg/day ({plain(new * 40)} IU), "
                                              f"the most within the {plain(row.required_max)} µg/day upper limit.",
                    request_update={"vitamin_d_supplement_ug": float(new)})]
    if spec.vitamin_d_mode == "weekly" and spec.dose_weekly_ug:
        new = max(math.floor(spec.dose_weekly_ug - 7 * excess + 1e-9), 0)
        return [Fix(kind="other", description=f"Lower the prescribed weekly vitamin D dose to {plain(new)} µg/week ({plain(new * 40)} IU), "
                                              f"the most within the {plain(row.required_max)} µg/day upper limit on average.",
                    request_update={"vitamin_d_weekly_supplement_ug": float(new)})]
    return []


def explain_infeasible(request: PlanRequest, spec: ModelSpec, targets: Targets, options: SolveOptions,
                       result: SolveResult | None = None, notes: list[str] | None = None) -> Explanation:
    """The full explanation for a request with no plan: precheck, priority relaxation, fixes. ``notes``: the
    plan's notes; those about foods left out (no price in cost mode) are repeated in the summary."""
    weekly_d = (spec.dose_weekly_ug or 0.0) / 7.0 if spec.vitamin_d_mode == "weekly" else 0.0
    fixed_d = spec.dose_daily_ug if spec.vitamin_d_mode == "daily" else weekly_d
    checks = precheck(spec, targets, request.rule.extra_magnesium_mg(float(fixed_d or 0.0)))
    shortfalls, nearest, relaxed = priority_relaxation(spec, options)
    failing = [c for c in checks if not c.ok]
    stopped = {"time_limit": "reached the time limit", "work_limit": "reached its work limit", "error": "failed", "not_solved": "stopped"}
    if result is not None and result.termination in stopped and not failing:
        summary = (f"The solver {stopped[result.termination]} before finding any plan. "
                   + ("The nearest plan found by relaxing targets is shown. " if nearest else "")
                   + "Try a longer time limit, fewer candidate foods, or any grams instead of household portions.")
    elif failing:
        summary = "No plan can meet every target: " + "; ".join(c.message for c in failing[:3])
    elif shortfalls:
        parts = [f"{shortfall_name(spec, s)}{f' (day {s.day})' if s.day else ''} "
                 f"{'short' if s.bound == 'min' else 'over'} by {amount(s.gap, s.unit)}" for s in shortfalls[:4]]
        summary = "No plan meets every target together. The nearest plan misses: " + "; ".join(parts) + "."
    elif relaxed.termination in stopped:
        summary = ("Even the search for the nearest plan " + stopped[relaxed.termination] + " before it found one, so "
                   "it is not known which target is out of reach (whole portions and variety rules make the search "
                   "slow). Try any grams instead of household portions (Advanced), fewer targets changed, or a "
                   "longer time limit.")
    elif not relaxed.has_solution:
        summary = ("No plan exists even after relaxing every target: the mandatory limits (upper limits, exclusions, "
                   "diet pattern, locked items, prescribed doses) contradict each other.")
    else:
        summary = "The plan could not be solved as stated, but a plan meeting every target exists with relaxed settings; try again."
    fixes = dose_fixes(request, spec, failing) + suggest_fixes(
        request, checks, shortfalls, reaches=lambda bounds: lp_reaches(spec, options, bounds), integer=integer_parts(spec))
    if failing and not shortfalls and all(_fixed_excess(c) for c in failing):
        # fixed items and doses alone break an upper limit: more foods, supplements or fewer exclusions cannot help
        fixes = [f for f in fixes if f.kind not in ("allow_foods", "allow_supplement", "drop_exclusion")]
    unpriced = [n for n in notes or [] if "no price" in n]
    if unpriced:
        summary += " Note: " + " ".join(unpriced)
        fixes.insert(0, Fix(kind="other", description="Plan food first instead of lowest cost (or add prices: the example "
                                                      "price list or your own).",
                            request_update={"objective": "food_first"}))
    if any(c.required_max is not None and c.possible_min > c.required_max + 1e-9 and c.target != "vitamin_d_supplement_ug"
           for c in checks):
        fixes.append(Fix(kind="other", description=CLINICIAN_FIX, request_update={}))
    return Explanation(summary=summary, precheck=checks, shortfalls=shortfalls, fixes=fixes, nearest_plan_items=nearest)


def is_clinician_fix(fix: Fix) -> bool:
    """The fix only a clinician can apply (a form asks for their name, the reason and the new limit)."""
    return fix.description == CLINICIAN_FIX


def over_limit_checks(explanation: Explanation) -> list[PrecheckRow]:
    """Precheck rows whose upper limit the fixed items and doses already break (what a clinician could lift)."""
    return [c for c in explanation.precheck if _fixed_excess(c) and c.target != "vitamin_d_supplement_ug"]


def failed_verification(verification: Verification) -> Explanation:
    """Explanation for a solver plan that failed the independent re-check."""
    return Explanation(summary="The solver's plan failed independent verification from the catalogue, so it is not "
                               "returned: " + "; ".join(verification.violations[:5]),
                       fixes=[Fix(kind="other", description="Try the other solver (solver='cbc' or 'highs').",
                                  request_update={})])


# -- shadow prices ---------------------------------------------------------------------------------
def _step(value: float) -> float:
    step = 1.0
    while abs(value) * step < 0.01 and step < 1e6:
        step *= 10
    return step


def shadow_prices(built: Any, result: SolveResult, request: PlanRequest) -> list[ShadowPrice]:
    """LP plans: per target and bound, d(objective)/d(target) per day (objective units per nutrient unit)."""
    if not result.duals:
        return []
    cost_only = request.objective == "cost" and not request.objective_weights
    obj_unit = "$" if cost_only else "objective points"
    days = built.spec.days
    grouped: dict[tuple[str, str], list[Any]] = {}
    for name, info in built.rows.items():
        if info.kind not in ("target", "rule", "energy_percent") or name not in result.duals:
            continue
        dual = result.duals[name]
        if info.kind == "energy_percent":  # row: k·N − (pct/100)·E >= 0; one percentage point moves it by E/100
            energy = sum(result.values.get(f"n_d{d}_energy_kcal", 0.0) for d in ([info.day] if info.day else range(1, days + 1)))
            dual = dual * energy / 100.0
        else:
            dual = dual * info.days_in_row
        grouped.setdefault((info.target or "", info.bound), [info, 0.0])
        grouped[(info.target or "", info.bound)][1] += dual
    out = []
    for (key, bound), (info, total) in grouped.items():
        value = total / days
        if abs(value) < 1e-9:
            continue
        unit = "% energy" if info.kind == "energy_percent" else (info.nutrient or "").rsplit("_", 1)[-1]
        label = (info.nutrient or key).rsplit("_", 1)[0].replace("_", " ")
        step = _step(value)
        money = abs(value) * step
        amount = (f"${money:.2f}" if money >= 0.1 else f"${money:.3f}") if cost_only else f"{money:.3g} {obj_unit}"
        if bound == "min":
            text = f"each extra {step:g} {unit} {label} {'costs' if value > 0 else 'saves'} {amount}/day"
        else:
            text = f"allowing {step:g} {unit} more {label} would {'save' if value < 0 else 'cost'} {amount}/day"
        out.append(ShadowPrice(nutrient=info.nutrient or key, target=key, bound="min" if bound == "min" else "max",
                               value=float(value), unit=unit, objective_unit=obj_unit + "/day", text=text))
    out.sort(key=lambda s: -abs(s.value))
    return out


def binding_constraints(built: Any, result: SolveResult) -> list[BindingConstraint]:
    """LP plans: rows whose dual is nonzero (complementary slackness: they hold with equality and limit the
    objective), per day, and foods sitting at their own ``food_bounds`` limit."""
    if not result.duals:
        return []
    out: list[BindingConstraint] = []
    for name, info in built.rows.items():
        dual = result.duals.get(name, 0.0)
        if abs(dual) <= 1e-9 or info.kind not in ("target", "rule", "ratio", "energy_percent", "meal_share"):
            continue
        per = max(info.days_in_row, 1)
        unit = "% energy" if info.kind == "energy_percent" else ("share of energy" if info.kind == "meal_share"
                                                                 else (info.nutrient or "").rsplit("_", 1)[-1])
        rhs = info.rhs / per if info.kind in ("target", "rule") else info.rhs
        sign = {"min": ">=", "max": "<=", "eq": "="}[info.bound]
        where = f" on day {info.day}" if info.day else ""
        key = str(info.target or info.nutrient or info.kind)
        out.append(BindingConstraint(kind=info.kind, name=key, bound=info.bound, rhs=float(rhs), unit=unit,
                                     day=info.day, dual=float(dual), text=f"{key} {sign} {rhs:g} {unit}{where} is binding"))
    spec = built.spec
    grams: dict[tuple[int, str], float] = {}
    for n, it in built.items.items():
        grams[(it.day, it.food_id)] = grams.get((it.day, it.food_id), 0.0) + result.values.get(n, 0.0) * it.grams_per_unit
    for (d, f), g in sorted(grams.items()):
        lo, hi = spec.food_bounds.get(f, (None, None))
        limits: tuple[tuple[Literal["max", "min"], float | None], ...] = (("max", hi), ("min", lo))
        for bound, limit in limits:
            if limit is not None and limit > 0 and abs(g - limit) <= 1e-6 * max(1.0, limit):
                out.append(BindingConstraint(kind="food_bound", name=f, bound=bound, rhs=float(limit), unit="g", day=d,
                                             text=f"{spec.foods[f].name} at its {bound}imum {limit:g} g on day {d}"))
    return out
