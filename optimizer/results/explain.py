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
from typing import Any

from optimizer.model.builder import (
    ModelSpec,
    build_model,
    map_items,
    relax_integrality,
    slack_values,
)
from optimizer.results.plan import (
    BindingConstraint,
    Explanation,
    Fix,
    PrecheckRow,
    ShadowPrice,
    Shortfall,
    Verification,
)
from optimizer.domain.request import PlanRequest
from optimizer.solve.adapter import SolveOptions, SolveResult, solve
from optimizer.domain.targets import Targets


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
        per_unit = sup.vitamin_d_ug if nutrient == "vitamin_d_ug" else (sup.magnesium_mg * sup.absorption_factor if nutrient == "magnesium_mg" else 0.0)
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
        unit = t.nutrient.rsplit("_", 1)[-1]
        if need_min is not None and possible_max < need_min - 1e-9:
            source = "supplements" if t.applies_to == "supplements" else ("foods and supplements" if hi else "foods")
            msg = (f"{t.key}: needs at least {need_min:.4g} {unit}/day, but the allowed {source} can supply at most "
                   f"{possible_max:.4g} {unit}/day even with every candidate food at its daily cap (short by {need_min - possible_max:.4g}).")
        elif t.max is not None and possible_min > t.max + 1e-9:
            msg = f"{t.key}: at most {t.max:.4g} {unit}/day allowed, but the fixed items and doses already give {possible_min:.4g}."
        else:
            msg = f"{t.key}: reachable (between {possible_min:.4g} and {possible_max:.4g} {unit}/day possible)."
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
    msg = (f"prescribed vitamin D: {dose:g} µg {what} can be made from the allowed products." if ok else
           f"prescribed vitamin D: no combination of whole units of the allowed {'weekly' if weekly else 'daily'} products gives exactly "
           f"{dose:g} µg {what} (products: {', '.join(s.supplement_id for s in products) or 'none'}).")
    return [PrecheckRow(target="vitamin_d_supplement_ug", nutrient="vitamin_d_ug", required_min=dose, required_max=dose,
                        possible_min=0.0, possible_max=most, ok=ok, message=msg)]


# -- 2. priority relaxation ------------------------------------------------------------------------
def priority_relaxation(spec: ModelSpec, options: SolveOptions) -> tuple[list[Shortfall], list, SolveResult]:
    """Minimise weighted slack on normal/low rows; return the shortfalls, the nearest plan's items, the result.

    First as an LP (continuous amounts, no variety rules; one day when days are interchangeable): nutrient
    shortfalls found there are real (at least that large). Only when the LP needs no slack is the infeasibility
    caused by whole portions or variety, and the integer model is relaxed instead (time-limited)."""
    lp_spec = replace(spec, household=False, max_days_per_food=None, min_foods_per_day=None, group_max_foods_per_day=None,
                      one_meal_per_food=False, group_max_per_meal=None, min_foods_per_meal={})
    one_day = spec.symmetric_days and spec.days > 1 and not spec.locked
    if one_day:
        lp_spec = replace(lp_spec, days=1)
    built = build_model(lp_spec, purpose="relax", name="cofactor_relaxed_lp")
    relax_integrality(built)
    result = solve(built.problem, replace(options, want_duals=False, warm_start=False))
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
        shortfalls.append(Shortfall(target=str(info.target or info.kind), nutrient=str(info.kind if info.kind in STRUCTURAL else (info.nutrient or info.kind)), bound="min" if info.bound == "min" else "max",
                                    required=float(required), achieved=float(achieved), gap=float(abs(required - achieved)),
                                    unit=unit, priority=info.priority, day=None if one_day else info.day))
    shortfalls.sort(key=lambda s: (s.priority != "normal", s.target, s.day or 0))
    return shortfalls, map_items(built, values), result


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

def _override_update(request: PlanRequest, key: str, bound: str, value: float) -> dict:
    current = request.targets
    if not isinstance(current, dict):
        return {}
    merged = {k: (v.model_dump(exclude_defaults=True) if hasattr(v, "model_dump") else v) for k, v in current.items()}
    entry = dict(merged.get(key) or {})
    entry[bound] = float(value)
    merged[key] = entry
    return {"targets": merged}


def suggest_fixes(request: PlanRequest, checks: list[PrecheckRow], shortfalls: list[Shortfall]) -> list[Fix]:
    """Changes the UI can apply with ``request.model_copy(update=fix.request_update)``."""
    fixes: list[Fix] = []
    seen: set[str] = set()
    for s in shortfalls:
        if s.target in seen:
            continue
        seen.add(s.target)
        if s.priority == "low" or s.nutrient in STRUCTURAL or s.target == "calcium_magnesium_ratio":
            continue
        worst = min((x.achieved for x in shortfalls if x.target == s.target), default=s.achieved) if s.bound == "min" else \
            max((x.achieved for x in shortfalls if x.target == s.target), default=s.achieved)
        new = math.floor(worst * 100) / 100 if s.bound == "min" else math.ceil(worst * 100) / 100
        fixes.append(Fix(kind="relax_target", description=f"Relax {s.target}: {s.bound} {new:g} {s.unit} instead of {s.required:g}.",
                         request_update=_override_update(request, s.target, s.bound, max(new, 0.0))))
    if any(s.nutrient == "min_foods" for s in shortfalls):
        low = min(int(s.achieved) for s in shortfalls if s.nutrient == "min_foods")
        fixes.append(Fix(kind="other", description=f"Allow fewer distinct foods per day (min_foods_per_day={low}).",
                         request_update={"min_foods_per_day": low}))
    if any(s.target == "calcium_magnesium_ratio" for s in shortfalls):
        fixes.append(Fix(kind="other", description="Allow a higher calcium:magnesium ratio (up to 2.8) or turn the ratio off.",
                         request_update={"rule": request.rule.model_copy(update={"calcium_magnesium_ratio_max": 2.8})}))
    if any(s.unit == "share of energy" for s in shortfalls):
        shares = request.energy_shares()
        mid = sum((lo + hi) / 2 for lo, hi in shares.values()) or 1.0
        scaled = {m: (round(min(lo / mid, 1.0), 3), round(min(hi / mid, 1.0), 3)) for m, (lo, hi) in shares.items()}
        fixes.append(Fix(kind="other", description=f"Use meal energy shares that can add up to 100 % for these meals: {scaled}.",
                         request_update={"meal_energy_shares": scaled}))
    if any(s.nutrient == "max_days" for s in shortfalls):
        fixes.append(Fix(kind="other", description="Allow foods on more days (max_days_per_food=None).", request_update={"max_days_per_food": None}))
    short_nutrients = {c.nutrient for c in checks if not c.ok} | {s.nutrient for s in shortfalls}
    if request.supplements is not None and short_nutrients & {"vitamin_d_ug", "magnesium_mg"}:
        fixes.append(Fix(kind="allow_supplement", description="Allow every supplement product in the catalogue.",
                         request_update={"supplements": None}))
    if request.diet_pattern != "omnivore":
        fixes.append(Fix(kind="drop_exclusion", description=f"Drop the {request.diet_pattern} diet pattern.",
                         request_update={"diet_pattern": "omnivore"}))
    for field in ("exclude_foods", "exclude_groups", "exclude_allergens"):
        if getattr(request, field):
            fixes.append(Fix(kind="drop_exclusion", description=f"Drop the exclusions in {field}.", request_update={field: ()}))
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
        return [Fix(kind="other", description=f"Lower the prescribed vitamin D dose to {new:g} µg/day ({new * 40:g} IU), "
                                              f"the most within the {row.required_max:g} µg/day upper limit.",
                    request_update={"vitamin_d_supplement_ug": float(new)})]
    if spec.vitamin_d_mode == "weekly" and spec.dose_weekly_ug:
        new = max(math.floor(spec.dose_weekly_ug - 7 * excess + 1e-9), 0)
        return [Fix(kind="other", description=f"Lower the prescribed weekly vitamin D dose to {new:g} µg/week ({new * 40:g} IU), "
                                              f"the most within the {row.required_max:g} µg/day upper limit on average.",
                    request_update={"vitamin_d_weekly_supplement_ug": float(new)})]
    return []


def explain_infeasible(request: PlanRequest, spec: ModelSpec, targets: Targets, options: SolveOptions,
                       result: SolveResult | None = None, notes: list[str] | None = None) -> Explanation:
    """The full explanation for a request with no plan: precheck, priority relaxation, fixes. ``notes``: the
    plan's notes; those about foods left out (no price in cost mode) are repeated in the summary."""
    fixed_d = spec.dose_daily_ug if spec.vitamin_d_mode == "daily" else ((spec.dose_weekly_ug or 0.0) / 7.0 if spec.vitamin_d_mode == "weekly" else 0.0)
    checks = precheck(spec, targets, request.rule.extra_magnesium_mg(float(fixed_d or 0.0)))
    shortfalls, nearest, relaxed = priority_relaxation(spec, options)
    failing = [c for c in checks if not c.ok]
    if result is not None and result.termination in ("time_limit", "error", "not_solved") and not failing:
        summary = (f"The solver stopped ({result.termination}) before finding a plan. "
                   + ("The nearest plan found by relaxing targets is shown." if nearest else "")
                   + " Try a longer time limit, fewer candidate foods, or continuous portions.")
    elif failing:
        summary = "No plan can meet every target: " + "; ".join(c.message for c in failing[:3])
    elif shortfalls:
        parts = [f"{s.target}{f' (day {s.day})' if s.day else ''} {'short' if s.bound == 'min' else 'over'} by {s.gap:.3g} {s.unit}"
                 for s in shortfalls[:4]]
        summary = "No plan meets every target together. The nearest plan misses: " + "; ".join(parts) + "."
    elif not relaxed.has_solution:
        summary = ("No plan exists even after relaxing every target: the mandatory limits (upper limits, exclusions, "
                   "diet pattern, locked items, prescribed doses) contradict each other.")
    else:
        summary = "The plan could not be solved as stated, but a plan meeting every target exists with relaxed settings; try again."
    fixes = dose_fixes(request, spec, failing) + suggest_fixes(request, checks, shortfalls)
    if failing and not shortfalls and all(_fixed_excess(c) for c in failing):
        # fixed items and doses alone break an upper limit: more foods, supplements or fewer exclusions cannot help
        fixes = [f for f in fixes if f.kind not in ("allow_foods", "allow_supplement", "drop_exclusion")]
    unpriced = [n for n in notes or [] if "no price" in n]
    if unpriced:
        summary += " Note: " + " ".join(unpriced)
        fixes.insert(0, Fix(kind="other", description="Add prices (FoodTable.with_prices(foods.example_prices()) or your own "
                                                      "price list) or use objective='food_first'.",
                            request_update={"objective": "food_first"}))
    if any(c.required_max is not None and c.possible_min > c.required_max + 1e-9 and c.target != "vitamin_d_supplement_ug"
           for c in checks):
        fixes.append(Fix(kind="other", description="Only a clinician may raise a safety upper limit: "
                                                   "clinician_override=ClinicianOverride(clinician=..., reason=..., upper_limits={...}).",
                         request_update={}))
    return Explanation(summary=summary, precheck=checks, shortfalls=shortfalls, fixes=fixes, nearest_plan_items=nearest)


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
    grouped: dict[tuple[str, str], list] = {}
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
        for bound, limit in (("max", hi), ("min", lo)):
            if limit is not None and limit > 0 and abs(g - limit) <= 1e-6 * max(1.0, limit):
                out.append(BindingConstraint(kind="food_bound", name=f, bound=bound, rhs=float(limit), unit="g", day=d,
                                             text=f"{spec.foods[f].name} at its {bound}imum {limit:g} g on day {d}"))
    return out
