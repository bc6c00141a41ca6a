"""plan(): request checks, candidates, notes, map back, verification, weekly products, objectives."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import foods
import optimizer
from optimizer.compile.candidates import effective_variety, select_candidates
from optimizer.domain.errors import RequestError
from optimizer.domain.rule import MagnesiumVitaminDRule


def table(rows: list[dict]) -> foods.FoodTable:
    return foods.FoodTable.from_frame(pd.DataFrame(rows), source="test foods")


def small() -> foods.FoodTable:
    return table([
        {"food_id": "a", "name": "A", "protein_g": 10.0, "magnesium_mg": 50.0, "price_per_100g": 1.0},
        {"food_id": "b", "name": "B", "protein_g": 20.0, "magnesium_mg": float("nan"), "price_per_100g": 3.0},
        {"food_id": "c", "name": "C", "protein_g": 5.0, "magnesium_mg": 10.0},
    ])


def generic(**kw) -> optimizer.PlanRequest:
    base = {"objective": "cost", "days": 1, "meals": ("day",), "portions": "continuous", "candidates": "all", "supplements": [],
                "max_days_per_food": None, "min_foods_per_day": None, "targets": {"protein_g": {"min": 20}}}
    base.update(kw)
    return optimizer.PlanRequest(**base)


@pytest.mark.parametrize("field,value", [
    ("exclude_foods", ("zz",)), ("food_ids", ("a", "zz")), ("liked_foods", ("zz",)), ("disliked_foods", ("zz",)),
    ("food_bounds", {"zz": {"max": 10}}), ("must_include", [optimizer.MustInclude(food_id="zz")]),
    ("locked", [optimizer.LockedItem(day=1, meal="day", food_id="zz", grams=10)]),
    ("usual_diet", [optimizer.UsualItem(food_id="zz", grams=10)]),
])
def test_unknown_food_ids_are_named(field: str, value) -> None:
    with pytest.raises(RequestError, match="zz"):
        optimizer.plan(generic(**{field: value}), foods=small())


def test_unknown_supplement_and_unknown_nutrient_are_named() -> None:
    with pytest.raises(RequestError, match="no_such_pill"):
        optimizer.plan(generic(supplements=["no_such_pill"]), foods=small())
    with pytest.raises(RequestError, match="zinc_mg"):
        optimizer.plan(generic(targets={"zinc_mg": {"min": 8}}), foods=small())


def test_unknown_values_and_unpriced_foods_are_noted() -> None:
    plan = optimizer.plan(generic(targets={"magnesium_mg": {"min": 20}}), foods=small())
    assert plan.has_solution
    assert any("1 candidate foods lack a magnesium_mg value" in n for n in plan.notes)
    assert any("1 candidate foods have no price" in n for n in plan.notes)
    assert "c" not in set(plan.items["food_id"])  # unpriced: left out of cost mode


def test_plan_maps_back_rows_totals_targets_and_rule_text() -> None:
    plan = optimizer.plan(generic(), foods=small())
    assert plan.has_solution and plan.verification is not None and plan.verification.passed
    assert list(plan.items.columns[:8]) == ["day", "meal", "food_id", "food", "portions", "portion_name", "grams", "cost"]
    assert plan.items.loc[0, "cost"] == pytest.approx(plan.items.loc[0, "grams"] / 100 * 1.0)
    assert plan.totals.loc[1, "protein_g"] == pytest.approx(20.0, abs=1e-6)
    assert plan.targets.set_index("key").loc["protein_g", "min"] == 20
    assert plan.rule_text == plan.request.rule.describe()
    assert optimizer.Plan.model_validate_json(plan.model_dump_json()) == plan


def test_solver_and_time_limit_arguments_override_the_request() -> None:
    plan = optimizer.plan(generic(solver="highs"), foods=small(), solver="cbc", time_limit_s=5)
    assert plan.solver == "cbc"


def test_diet_pattern_and_allergens_filter_candidates() -> None:
    frame = table([
        {"food_id": "milk", "name": "Milk", "protein_g": 3.4},
        {"food_id": "tofu", "name": "Tofu", "protein_g": 8.0},
        {"food_id": "egg", "name": "Egg", "protein_g": 13.0},
    ]).frame.copy()
    frame["vegan"] = [False, True, False]
    frame["allergens"] = ["milk", "soy", "egg"]
    req = generic(diet_pattern="vegan")
    assert select_candidates(req, frame).food_ids == ("tofu",)
    req = generic(exclude_allergens=("milk", "egg"))
    assert select_candidates(req, frame).food_ids == ("tofu",)


def test_variety_rules_scale_to_short_plans_and_apply_to_gram_plans_only_when_set() -> None:
    assert effective_variety(optimizer.PlanRequest(targets={"protein_g": {"min": 1}}, days=7)) == (4, 7)
    assert effective_variety(optimizer.PlanRequest(targets={"protein_g": {"min": 1}}, days=3)) == (math.ceil(12 / 7), 7)
    assert effective_variety(optimizer.PlanRequest(targets={"protein_g": {"min": 1}}, days=1)) == (1, 7)
    assert effective_variety(optimizer.PlanRequest(targets={"protein_g": {"min": 1}}, portions="continuous")) == (None, None)
    assert effective_variety(optimizer.PlanRequest(targets={"protein_g": {"min": 1}}, portions="continuous",
                                                   min_foods_per_day=3)) == (None, 3)


def test_clinician_override_raises_a_named_upper_limit_and_is_noted() -> None:
    cat = foods.load_supplements()
    tab = table([{"food_id": "a", "name": "A", "vitamin_d_ug": 0.0, "price_per_100g": 1.0, "protein_g": 10.0}])
    req = generic(targets={"vitamin_d_ug": {"max": 100}, "protein_g": {"min": 1}}, supplements=["d3_5000iu"],
                  vitamin_d_supplement_ug=125,
                  clinician_override=optimizer.ClinicianOverride(clinician="Dr. X", reason="deficiency",
                                                                 upper_limits={"vitamin_d_ug": 150}))
    plan = optimizer.plan(req, foods=tab, supplements=cat)
    assert plan.has_solution, plan.explanation
    assert plan.targets.set_index("key").loc["vitamin_d_ug", "max"] == 150
    assert any("Dr. X" in n for n in plan.notes)
    without = optimizer.plan(req.model_copy(update={"clinician_override": None}), foods=tab, supplements=cat)
    assert not without.has_solution


def test_weekly_product_counts_as_a_seventh_per_day() -> None:
    cat = foods.load_supplements()
    tab = table([{"food_id": "mg", "name": "Mg food", "magnesium_mg": 100.0, "vitamin_d_ug": 0.0, "price_per_100g": 1.0}])
    req = generic(days=7, targets={"magnesium_mg": {"min": 300}, "vitamin_d_ug": {"max": 200}},
                  supplements=["d3_50000iu_weekly"], vitamin_d_weekly_supplement_ug=1250, max_food_grams_per_day=2000,
                  max_item_grams=2000, rule=MagnesiumVitaminDRule(calcium_magnesium_ratio_max=None))
    plan = optimizer.plan(req, foods=tab, supplements=cat)
    assert plan.has_solution, plan.explanation
    doses = plan.supplements
    assert doses["units"].sum() == 1 and doses["day"].tolist() == [1]
    d = 1250 / 7
    assert plan.totals["vitamin_d_ug"].tolist() == pytest.approx([d] * 7)
    assert plan.totals["magnesium_mg"].min() == pytest.approx(300 + MagnesiumVitaminDRule().extra_magnesium_mg(d), abs=1e-4)


def test_minimal_change_keeps_the_usual_diet_when_it_already_fits() -> None:
    tab = small()
    usual = [optimizer.UsualItem(food_id="b", grams=150)]  # 30 g protein: already meets 20 g
    plan = optimizer.plan(generic(objective="minimal_change", usual_diet=usual), foods=tab)
    assert plan.has_solution
    grams = plan.items.groupby("food_id")["grams"].sum()
    assert grams.to_dict() == pytest.approx({"b": 150.0})


def test_food_first_uses_food_before_supplements() -> None:
    cat = foods.load_supplements()
    tab = table([{"food_id": "fish", "name": "Fish", "vitamin_d_ug": 10.0, "portion_name": "fillet", "portion_grams": 100.0},
                 {"food_id": "rice", "name": "Rice", "vitamin_d_ug": 0.0, "portion_name": "cup", "portion_grams": 100.0}])
    req = optimizer.PlanRequest(targets={"vitamin_d_ug": {"min": 15, "max": 100}}, days=1, meals=("dinner",),
                                candidates="all", min_foods_per_day=None, supplements=["d3_400iu", "d3_1000iu"])
    plan = optimizer.plan(req, foods=tab, supplements=cat)
    assert plan.has_solution
    assert plan.supplements.empty and plan.totals.loc[1, "vitamin_d_ug"] >= 15
    capped = optimizer.plan(req.model_copy(update={"food_bounds": {"fish": optimizer.FoodBound(max=100)}}), foods=tab, supplements=cat)
    assert capped.has_solution and capped.supplements["vitamin_d_ug"].sum() >= 5


def test_week_with_a_lock_is_planned_day_by_day_within_variety() -> None:
    rows = [{"food_id": f"f{i}", "name": f"Food {i}", "protein_g": 5.0 + (i % 5) * 3, "energy_kcal": 100.0 + 10 * i,
             "portion_name": "portion", "portion_grams": 50.0, "price_per_100g": 0.5 + 0.1 * i} for i in range(14)]
    req = optimizer.PlanRequest(targets={"protein_g": {"min": 30}, "energy_kcal": {"min": 400, "max": 1200}}, days=7,
                                meals=("lunch", "dinner"), candidates="all", supplements=[], objective="cost",
                                max_days_per_food=4, min_foods_per_day=3,
                                locked=[optimizer.LockedItem(day=3, meal="dinner", food_id="f13", portions=2)])
    # the default lunch (25-35 %) and dinner (30-40 %) shares cannot make 100 % on their own: explained, with a fix
    impossible = optimizer.plan(req, foods=table(rows))
    assert not impossible.has_solution
    fix = next(f for f in impossible.explanation.fixes if "meal energy shares" in f.description)
    plan = optimizer.plan(req.model_copy(update=fix.request_update), foods=table(rows))
    assert plan.has_solution and plan.verification.passed
    items = plan.items
    lock = items[(items["day"] == 3) & (items["food_id"] == "f13")]
    assert lock["portions"].sum() == 2 and lock["locked"].all()
    assert items.groupby("food_id")["day"].nunique().max() <= 4
    assert items.groupby("day")["food_id"].nunique().min() >= 3
    assert any("day plans" in n or "day menu" in n for n in plan.notes)
    assert any("2 kinds of day" in n for n in plan.notes)  # the locked day and the six free days: column generation


def test_two_stage_lp_reaches_the_full_models_optimum() -> None:
    from optimizer.compile import compiler
    from optimizer.model.builder import build_model
    from optimizer.solve.adapter import SolveOptions, solve

    n = 450  # above the two-stage threshold
    rows = [{"food_id": f"f{i}", "name": f"Food {i}", "protein_g": 2.0 + (i * 7) % 23, "fiber_g": (i * 5) % 11,
             "energy_kcal": 50.0 + (i * 13) % 300, "price_per_100g": 0.2 + ((i * 31) % 97) / 50} for i in range(n)]
    tab = table(rows)
    req = generic(meals=("lunch", "dinner"), targets={"protein_g": {"min": 60}, "fiber_g": {"min": 25},
                                                      "energy_kcal": {"min": 1500, "max": 2000}},
                  meal_energy_shares={"lunch": (0.3, 0.6), "dinner": (0.4, 0.7)})
    plan = optimizer.plan(req, foods=tab)
    assert plan.status == "optimal" and plan.has_solution
    assert any("two stages" in note for note in plan.notes)
    targets, _ = compiler.resolve_targets(req)
    spec = compiler.build_spec(req, tab, None, targets, select_candidates(req, tab.frame), [])
    full = solve(build_model(spec).problem, SolveOptions())
    assert plan.objective_value == pytest.approx(full.objective, rel=1e-7)
    assert not plan.shadow_prices.empty


def test_liked_foods_win_ties_and_disliked_foods_stay_allowed() -> None:
    twins = table([{"food_id": f, "name": f, "protein_g": 10.0, "portion_name": "cup", "portion_grams": 100.0} for f in ("p", "q")])
    base = optimizer.PlanRequest(targets={"protein_g": {"min": 20}}, days=1, meals=("lunch",), candidates="all",
                                 supplements=[], min_foods_per_day=None, objective="preferences")
    for liked in ("p", "q"):
        plan = optimizer.plan(base.model_copy(update={"liked_foods": (liked,)}), foods=twins)
        assert set(plan.items["food_id"]) == {liked}
    only = optimizer.plan(base.model_copy(update={"disliked_foods": ("p", "q"), "targets": {"protein_g": {"min": 40}}}),
                          foods=twins)
    assert only.has_solution and only.items["portions"].sum() == 4  # 100 g portions: at most 2 of each a day
