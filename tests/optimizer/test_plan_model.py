"""The Plan result model: DataFrame views, JSON round trip, status printout."""

import pandas as pd

from optimizer.domain.profile import Profile
from optimizer.domain.request import PlanRequest
from optimizer.domain.targets import Target, Targets
from optimizer.results.plan import DISCLAIMER, AppliedTarget, Explanation, Fix, Plan, PlanItem, Shortfall, SupplementDose


def _plan(**kw) -> Plan:
    base = dict(
        request=PlanRequest(profile=Profile(sex="female", age=45), days=1),
        status="optimal",
        has_solution=True,
        solver="highs",
        item_rows=[PlanItem(day=1, meal="lunch", food_id="16015", food="Black beans", portions=1,
                            portion_name="cup", grams=172, cost=0.5)],
        supplement_rows=[SupplementDose(day=1, supplement_id="mg_citrate", supplement="Mg citrate",
                                        units=1, magnesium_mg=100)],
        total_rows=[{"day": 1, "magnesium_mg": 220.0}],
        target_rows=[AppliedTarget(key="magnesium_mg", nutrient="magnesium_mg", min=320)],
    )
    base.update(kw)
    return Plan(**base)


def test_views_are_dataframes_with_documented_columns():
    plan = _plan()
    assert list(plan.items.columns[:8]) == ["day", "meal", "food_id", "food", "portions", "portion_name", "grams", "cost"]
    assert plan.supplements.loc[0, "magnesium_mg"] == 100
    assert plan.totals.loc[1, "magnesium_mg"] == 220.0
    assert plan.targets.loc[0, "min"] == 320
    assert isinstance(plan.shadow_prices, pd.DataFrame) and plan.shadow_prices.empty
    assert plan.cost == 0.5


def test_json_round_trip_keeps_everything():
    plan = _plan(explanation=Explanation(summary="x", shortfalls=[Shortfall(target="magnesium_mg", nutrient="magnesium_mg",
                 bound="min", required=320, achieved=300, gap=20)], fixes=[Fix(kind="relax_target", description="d",
                 request_update={"targets": {"magnesium_mg": {"min": 300}}})]))
    again = Plan.model_validate_json(plan.model_dump_json())
    assert again == plan
    assert again.items.equals(plan.items)


def test_summary_states_status_solution_and_disclaimer():
    text = _plan(status="time_limit", gap=0.034, objective_value=12.5, best_bound=12.1).summary()
    assert "status: time_limit" in text and "usable plan: yes" in text
    assert "3.40 %" in text
    assert DISCLAIMER in text


def test_targets_overrides():
    t = Targets(rows=(Target(key="magnesium_mg", nutrient="magnesium_mg", min=320),
                      Target(key="vitamin_d_ug", nutrient="vitamin_d_ug", min=15, max=100, is_upper_limit=True)))
    changed = t.with_overrides({"magnesium_mg": {"min": 400, "period": "weekly"}, "vitamin_d_ug": None,
                                "protein_g": {"min": 70}})
    assert changed["magnesium_mg"].min == 400 and changed["magnesium_mg"].period == "weekly"
    assert "vitamin_d_ug" not in changed and "protein_g" in changed
    assert t["magnesium_mg"].min == 320  # original untouched
    assert list(changed.to_frame()["key"]) == ["magnesium_mg", "protein_g"]
