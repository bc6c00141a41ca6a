"""Explanations for impossible requests: precheck, priority relaxation, fixes; shadow-price wording."""

from __future__ import annotations

import pandas as pd
import pytest

import foods
import optimizer
from optimizer.results.explain import _step


def table(rows: list[dict]) -> foods.FoodTable:
    return foods.FoodTable.from_frame(pd.DataFrame(rows), source="test foods")


def foods_without_vitamin_d() -> foods.FoodTable:
    return table([
        {"food_id": "rice", "name": "Rice", "vitamin_d_ug": 0.0, "protein_g": 3.0, "magnesium_mg": 20.0, "price_per_100g": 0.2},
        {"food_id": "egg", "name": "Egg", "vitamin_d_ug": 2.0, "protein_g": 13.0, "magnesium_mg": 10.0, "price_per_100g": 0.8},
    ])


def request(**kw) -> optimizer.PlanRequest:
    base = {"objective": "cost", "days": 1, "meals": ("day",), "portions": "continuous", "candidates": "all", "supplements": [],
                "max_days_per_food": None, "min_foods_per_day": None, "max_item_grams": 300, "max_food_grams_per_day": 300,
                "targets": {"vitamin_d_ug": {"min": 15, "max": 100}, "protein_g": {"min": 30}}}
    base.update(kw)
    return optimizer.PlanRequest(**base)


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_impossible_vitamin_d_is_named_with_its_gap(solver: str) -> None:
    # at most 300 g egg a day: 6 µg vitamin D; 15 µg needed, no supplements allowed
    plan = optimizer.plan(request(), foods=foods_without_vitamin_d(), solver=solver)
    assert plan.status == "infeasible" and not plan.has_solution
    ex = plan.explanation
    assert ex is not None and "Vitamin D" in ex.summary and "vitamin_d_ug" not in ex.summary
    row = next(p for p in ex.precheck if p.target == "vitamin_d_ug")
    assert not row.ok and row.possible_max == pytest.approx(6.0) and row.required_min == 15
    assert "short by 9" in row.message
    short = next(s for s in ex.shortfalls if s.target == "vitamin_d_ug")
    assert short.bound == "min" and short.gap == pytest.approx(9.0, abs=1e-6) and short.achieved == pytest.approx(6.0, abs=1e-6)
    assert ex.nearest_plan_items, "the nearest plan is shown"
    kinds = {f.kind for f in ex.fixes}
    assert {"relax_target", "allow_supplement"} <= kinds
    relax = next(f for f in ex.fixes if f.kind == "relax_target" and "Vitamin D" in f.description)
    fixed = optimizer.plan(request().model_copy(update=relax.request_update), foods=foods_without_vitamin_d(), solver=solver)
    assert fixed.has_solution
    allow = next(f for f in ex.fixes if f.kind == "allow_supplement")
    assert optimizer.plan(request().model_copy(update=allow.request_update), foods=foods_without_vitamin_d(), solver=solver).has_solution
    assert "vitamin_d_ug" in str(ex)


def test_conflicting_targets_report_the_nearest_plan_and_each_miss() -> None:
    # protein >= 100 g but energy <= 300 kcal: every food gives too much energy per gram of protein
    tab = table([{"food_id": "bread", "name": "Bread", "protein_g": 9.0, "energy_kcal": 270.0, "price_per_100g": 0.3}])
    req = request(targets={"protein_g": {"min": 100}, "energy_kcal": {"max": 300}}, max_item_grams=5000, max_food_grams_per_day=5000)
    plan = optimizer.plan(req, foods=tab)
    ex = plan.explanation
    assert not plan.has_solution and ex is not None
    assert all(p.ok for p in ex.precheck)  # each target alone is reachable
    assert ex.shortfalls and {s.target for s in ex.shortfalls} <= {"protein_g", "energy_kcal"}
    assert "nearest plan misses" in ex.summary


def test_prescribed_dose_without_matching_products_is_explained() -> None:
    tab = foods_without_vitamin_d()
    req = request(supplements=["d3_1000iu"], vitamin_d_supplement_ug=60, targets={"protein_g": {"min": 10}})
    plan = optimizer.plan(req, foods=tab)
    assert not plan.has_solution
    row = next(p for p in plan.explanation.precheck if p.target == "vitamin_d_supplement_ug")
    assert not row.ok and "no combination" in row.message


def test_exclusions_and_diet_get_drop_fixes() -> None:
    tab = foods_without_vitamin_d()
    req = request(exclude_foods=("egg",))
    plan = optimizer.plan(req, foods=tab)
    fixes = plan.explanation.fixes
    drop = next(f for f in fixes if f.kind == "drop_exclusion")
    assert drop.request_update == {"exclude_foods": ()}


def test_upper_limits_are_never_relaxed() -> None:
    # vitamin D above its UL is mandatory: a locked item that breaks it leaves nothing to relax
    tab = table([{"food_id": "oil", "name": "Cod liver oil", "vitamin_d_ug": 250.0, "price_per_100g": 5.0}])
    req = request(targets={"vitamin_d_ug": {"max": 100}}, locked=[optimizer.LockedItem(day=1, meal="day", food_id="oil", grams=100)])
    plan = optimizer.plan(req, foods=tab)
    assert not plan.has_solution
    assert "mandatory" in plan.explanation.summary or any(not p.ok for p in plan.explanation.precheck)


def test_shadow_price_steps_make_readable_amounts() -> None:
    assert _step(0.003) == 10.0
    assert _step(0.5) == 1.0
    assert _step(0.00004) == 1000.0


def test_a_prescribed_dose_above_the_limit_gets_a_working_lower_dose_fix() -> None:
    # 5,000 IU (125 µg) a day against the 100 µg UL: only a lower dose (or a clinician) helps, not more foods
    req = optimizer.PlanRequest(profile=optimizer.Profile(sex="female", age=45), days=1, vitamin_d_supplement_iu=5000)
    plan = optimizer.plan(req)
    assert not plan.has_solution
    fixes = plan.explanation.fixes
    assert not any(f.kind in ("allow_foods", "allow_supplement", "drop_exclusion") for f in fixes)
    lower = fixes[0]
    assert lower.request_update == {"vitamin_d_supplement_ug": 100.0} and "4,000 IU" in lower.description
    fixed = optimizer.plan(req.model_copy(update=lower.request_update))
    assert fixed.has_solution and fixed.supplements["vitamin_d_ug"].sum() == pytest.approx(100.0)


def test_binding_constraints_of_an_lp_plan() -> None:
    import pandas as pd

    import foods
    import optimizer

    df = pd.DataFrame({"food_id": ["x1", "x2", "x3"], "name": ["Beans", "Milk", "Bread"], "protein_g": [21.0, 3.4, 9.0],
                       "sodium_mg": [5.0, 40.0, 450.0], "price_per_100g": [0.5, 0.1, 0.2]})
    table = foods.FoodTable.from_frame(df)
    request = optimizer.PlanRequest(targets={"protein_g": {"min": 70}, "sodium_mg": {"max": 2300}, "fat_g": None},
                                    objective="cost", days=1, portions="continuous", supplements=[],
                                    meals=("day",), food_bounds={"x1": {"max": 100}})
    lp = optimizer.plan(request, foods=table)
    assert lp.status == "optimal"
    binding = lp.binding.set_index(["kind", "name"])
    # beans are the cheapest protein but capped at 100 g; protein and sodium both limit the cost
    assert binding.loc[("food_bound", "x1"), "rhs"] == pytest.approx(100.0)
    assert binding.loc[("target", "protein_g"), "bound"] == "min"
    assert binding.loc[("target", "sodium_mg"), "bound"] == "max"
    assert binding.loc[("target", "protein_g"), "dual"] > 0 > binding.loc[("target", "sodium_mg"), "dual"]
    assert "at its maximum 100 g" in binding.loc[("food_bound", "x1"), "text"]
    relaxed = optimizer.plan(optimizer.PlanRequest(**{**request.model_dump(), "food_bounds": {}}), foods=table)
    assert "food_bound" not in set(relaxed.binding["kind"])  # no food bound asked for: none binding
    assert optimizer.Plan.model_validate_json(lp.model_dump_json()) == lp
