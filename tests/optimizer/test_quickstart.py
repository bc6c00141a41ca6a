"""README's library quick-start, run as written (the default week once; the rest on one day)."""

from __future__ import annotations

import pandas as pd
import pytest

import foods
import optimizer


@pytest.fixture(scope="module")
def person() -> optimizer.Profile:
    return optimizer.Profile(sex="female", age=45)


@pytest.fixture(scope="module")
def week(person: optimizer.Profile) -> optimizer.Plan:
    req = optimizer.PlanRequest(profile=person, days=7)  # defaults: everyday foods, 4 meals, household portions, food first
    return optimizer.plan(req)


def test_default_week_looks_like_a_week(week: optimizer.Plan) -> None:
    assert week.status in ("optimal", "time_limit", "work_limit") and week.has_solution
    assert week.verification is not None and week.verification.passed
    items = week.items
    assert set(items["day"]) == set(range(1, 8))
    assert set(items["meal"]) == {"breakfast", "lunch", "dinner", "snack"}
    assert (items["portions"] == items["portions"].round()).all() and (items["portions"] <= 3).all()
    assert (items["grams"] <= 500 + 1e-9).all()
    assert items.groupby("food_id")["day"].nunique().max() <= 4
    assert items.groupby("day")["food_id"].nunique().min() >= 7
    assert items.groupby(["day", "food_id"])["meal"].nunique().max() == 1  # a food at one meal a day
    frame = foods.load_foods().frame
    assert frame.loc[items["food_id"], "everyday"].all()
    totals, targets = week.totals, week.targets.set_index("key")
    assert (totals["magnesium_mg"] >= targets.loc["magnesium_mg", "min"] - 1e-6).all()
    assert (totals["vitamin_d_ug"] <= 100 + 1e-6).all()
    assert week.explanation is None
    assert week.shadow_prices.empty  # integer plan: no duals
    assert "precautionary" in week.rule_text


def test_plan_round_trips_as_json(week: optimizer.Plan) -> None:
    again = optimizer.Plan.model_validate_json(week.model_dump_json())
    assert again == week
    pd.testing.assert_frame_equal(again.items, week.items)


def test_prescribed_dose_raises_the_magnesium_requirement(person: optimizer.Profile) -> None:
    targets = optimizer.targets_for(person)
    assert targets["magnesium_mg"].min == 320
    req = optimizer.PlanRequest(profile=person, days=7)
    fixed = optimizer.plan(req.model_copy(update={"days": 1, "vitamin_d_supplement_ug": 50}))
    assert fixed.has_solution, fixed.explanation
    assert fixed.supplements["vitamin_d_ug"].sum() == pytest.approx(50)
    need = 320 + req.rule.extra_magnesium_mg(50)
    assert fixed.targets.set_index("key").loc["magnesium_mg", "min"] == pytest.approx(need)
    assert fixed.totals.loc[1, "magnesium_mg"] >= need - 1e-6


def test_generic_diet_lp_on_a_custom_table() -> None:
    df = pd.DataFrame({"food_id": ["x1", "x2", "x3"], "name": ["Beans", "Milk", "Bread"],
                       "protein_g": [21.0, 3.4, 9.0], "sodium_mg": [5.0, 40.0, 450.0], "price_per_100g": [0.5, 0.1, 0.2]})
    table = foods.FoodTable.from_frame(df)
    generic = optimizer.PlanRequest(targets={"protein_g": {"min": 70}, "sodium_mg": {"max": 2300}}, objective="cost",
                                    days=1, portions="continuous", supplements=[], food_bounds={"x1": {"max": 300}})
    plan = optimizer.plan(generic, foods=table)
    assert plan.has_solution, plan.notes
    assert plan.totals.loc[1, "protein_g"] >= 70 - 1e-6 and plan.totals.loc[1, "sodium_mg"] <= 2300 + 1e-6
    assert plan.items.groupby("food_id")["grams"].sum().get("x1", 0) <= 300 + 1e-6
    assert not plan.shadow_prices.empty  # an LP: shadow prices per binding target
