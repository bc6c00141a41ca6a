"""verify_plan: hand-made plans, one broken rule at a time; every violation must be named.

The catalogue is six foods with round numbers, so every total below is checked by hand in the comments.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import foods
from foods.supplements import SupplementCatalogue
from optimizer.domain.request import FoodBound, LockedItem, PlanRequest
from optimizer.domain.rule import MagnesiumVitaminDRule
from optimizer.results.verify import compute_totals, supplemental_intake, verify_plan
from tests.optimizer.conftest import (
    GOOD_ITEMS,
    NAN,
    hand_plan,
    small_request,
    small_table,
    small_targets,
)

# food_id, name, group, energy_kcal, protein_g, magnesium_mg, calcium_mg, vitamin_d_ug, price, portion, grams,
# vegan, vegetarian, pescatarian, allergens
# day, meal, food, portions — the good plan (totals worked out below)












@pytest.fixture(scope="module")
def table() -> foods.FoodTable:
    return small_table()


@pytest.fixture(scope="module")
def catalogue() -> SupplementCatalogue:
    return foods.load_supplements()


def violations(plan, table, catalogue) -> list[str]:
    result = verify_plan(plan, table, catalogue)
    assert not result.passed
    return result.violations


def named(messages: list[str], *words: str) -> bool:
    return any(all(w in m for w in words) for m in messages)


# -- recomputation -------------------------------------------------------------------------------
def test_totals_by_hand(table, catalogue) -> None:
    plan = hand_plan(table, catalogue)
    totals = plan.totals
    # day 1: oats 80 g, milk 244 g, beans 340 g, spinach 30 g; vitamin D 25 µg and magnesium 100 mg supplements
    assert totals.at[1, "energy_kcal"] == pytest.approx(304 + 146.4 + 442 + 6.9)
    assert totals.at[1, "magnesium_mg"] == pytest.approx(112 + 24.4 + 170 + 23.7 + 100)
    # spinach has no vitamin D: milk 2.44 µg + 25 µg from the softgel
    assert totals.at[1, "vitamin_d_ug"] == pytest.approx(2.44 + 25)
    # day 2: almonds 28 g, milk, salmon 150 g, beans 170 g, spinach; magnesium 100 mg
    assert totals.at[2, "protein_g"] == pytest.approx(5.88 + 8.052 + 33 + 15.3 + 0.87)
    assert totals.at[2, "calcium_mg"] == pytest.approx(75.6 + 292.8 + 15 + 68 + 29.7)


def test_absorption_factor_counts_toward_total_but_not_the_supplemental_limit(table, catalogue) -> None:
    frame = catalogue.frame
    frame.loc["mg_citrate_100mg", "absorption_factor"] = 0.5
    halved = SupplementCatalogue(frame)
    doses = pd.DataFrame({"day": [1], "supplement_id": ["mg_citrate_100mg"], "units": [2]})
    intake = supplemental_intake(doses, halved, 1)
    assert intake.at[1, "magnesium_mg"] == pytest.approx(200)
    assert intake.at[1, "magnesium_absorbed_mg"] == pytest.approx(100)
    totals = compute_totals(pd.DataFrame(columns=["day", "food_id", "grams"]), doses, table, halved, days=1)
    assert totals.at[1, "magnesium_mg"] == pytest.approx(100)


def test_weekly_product_is_spread_over_the_week(table, catalogue) -> None:
    doses = pd.DataFrame({"day": [1], "supplement_id": ["d3_50000iu_weekly"], "units": [1]})
    intake = supplemental_intake(doses, catalogue, 7)
    assert np.allclose(intake["vitamin_d_ug"], 1250 / 7)
    assert np.allclose(supplemental_intake(doses, catalogue, 14)["vitamin_d_ug"], 1250 / 14)


# -- a good plan passes --------------------------------------------------------------------------
def test_good_plan_passes(table, catalogue) -> None:
    result = verify_plan(hand_plan(table, catalogue), table, catalogue)
    assert result.violations == []
    assert result.passed
    assert result.checked > 50


# -- each broken rule is caught and named ----------------------------------------------------------
def test_nutrient_minimum(table, catalogue) -> None:
    items = [i for i in GOOD_ITEMS if not (i[0] == 1 and i[2] == "beans")]
    msgs = violations(hand_plan(table, catalogue, items=items), table, catalogue)
    assert named(msgs, "day 1", "protein_g", "below the minimum 45")


def test_weekly_average_target(table, catalogue) -> None:
    targets = small_targets().with_overrides({"protein_g": {"min": 57, "period": "weekly"}})
    plan = hand_plan(table, catalogue, request=small_request(targets=targets))
    msgs = violations(plan, table, catalogue)  # average (49.92 + 63.10) / 2 = 56.5 g
    assert named(msgs, "weekly average", "protein_g")
    assert not named(msgs, "day 2, protein_g")


def test_supplemental_magnesium_upper_limit_counts_label_mg(table, catalogue) -> None:
    doses = [(1, "d3_1000iu", 1), (1, "mg_citrate_100mg", 4), (2, "mg_citrate_100mg", 1)]
    msgs = violations(hand_plan(table, catalogue, doses=doses), table, catalogue)
    assert named(msgs, "day 1", "supplemental_magnesium_mg", "supplements only", "above the maximum 350")


def test_magnesium_vitamin_d_rule(table, catalogue) -> None:
    # day 2: 50 µg vitamin D needs 320 + 100 × 35/85 = 361.2 mg magnesium; the day has 353.7 mg
    doses = [(1, "d3_1000iu", 1), (1, "mg_citrate_100mg", 1), (2, "mg_citrate_100mg", 1), (2, "d3_2000iu", 1)]
    msgs = violations(hand_plan(table, catalogue, doses=doses), table, catalogue)
    assert named(msgs, "day 2", "magnesium–vitamin D rule", "below the minimum 361.17")
    assert not named(msgs, "day 1", "rule")


def test_rule_passes_with_a_flat_schedule(table, catalogue) -> None:
    doses = [(1, "d3_1000iu", 1), (1, "mg_citrate_100mg", 1), (2, "mg_citrate_100mg", 1), (2, "d3_2000iu", 1)]
    flat = MagnesiumVitaminDRule(breakpoints=[(0, 0)])
    plan = hand_plan(table, catalogue, request=small_request(rule=flat), doses=doses)
    assert verify_plan(plan, table, catalogue).passed


def test_calcium_magnesium_ratio(table, catalogue) -> None:
    low = small_request(rule=MagnesiumVitaminDRule(calcium_magnesium_ratio_min=1.5))
    msgs = violations(hand_plan(table, catalogue, request=low), table, catalogue)
    assert named(msgs, "day 1", "calcium:magnesium ratio", "below the minimum 1.5")
    items = GOOD_ITEMS + [(2, "morning", "milk", 2)]  # +585.6 mg calcium: 1066.7 / 402.5 mg = 2.65
    msgs = violations(hand_plan(table, catalogue, items=items), table, catalogue)
    assert named(msgs, "day 2", "calcium:magnesium ratio", "above the maximum 2.6")


def test_energy_percent_target(table, catalogue) -> None:
    targets = small_targets().with_overrides({"protein_energy_pct": {"max": 25}})
    msgs = violations(hand_plan(table, catalogue, request=small_request(targets=targets)), table, catalogue)
    assert named(msgs, "day 2", "protein_energy_pct", "% of energy is above the maximum 25")
    assert not named(msgs, "day 1", "protein_energy_pct")


def test_meal_energy_share(table, catalogue) -> None:
    request = small_request(meal_energy_shares={"morning": (0.45, 0.6), "evening": (0.4, 0.7)})
    msgs = violations(hand_plan(table, catalogue, request=request), table, catalogue)
    assert named(msgs, "day 2, morning", "below the meal share minimum 45")


def test_portions_must_be_whole_and_match_grams(table, catalogue) -> None:
    plan = hand_plan(table, catalogue, items=[*GOOD_ITEMS[:-1], (2, "evening", "spinach", 1.5)])
    assert named(violations(plan, table, catalogue), "day 2, evening, spinach", "not a whole number")
    plan = hand_plan(table, catalogue)
    rows = [r.model_copy(update={"grams": 100.0}) if r.food_id == "oat" else r for r in plan.item_rows]
    msgs = violations(plan.model_copy(update={"item_rows": rows}), table, catalogue)
    assert named(msgs, "day 1, morning, oat", "grams for 1 × cup (80 g)")


def test_item_and_daily_gram_caps(table, catalogue) -> None:
    msgs = violations(hand_plan(table, catalogue, request=small_request(max_item_grams=300)), table, catalogue)
    assert named(msgs, "day 1, evening, beans", "max_item_grams", "above the maximum 300")
    msgs = violations(hand_plan(table, catalogue, request=small_request(max_food_grams_per_day=300)), table, catalogue)
    assert named(msgs, "day 1, beans", "max_food_grams_per_day")


def test_food_bounds(table, catalogue) -> None:
    request = small_request(food_bounds={"beans": FoodBound(max=200), "almond": FoodBound(min=10)})
    msgs = violations(hand_plan(table, catalogue, request=request), table, catalogue)
    assert named(msgs, "day 1, beans", "food_bounds max")
    assert named(msgs, "day 1, almond", "food_bounds min")
    assert not named(msgs, "day 2, almond")


def test_variety(table, catalogue) -> None:
    msgs = violations(hand_plan(table, catalogue, request=small_request(max_days_per_food=1)), table, catalogue)
    assert named(msgs, "milk", "appears on 2 days", "max_days_per_food=1")
    msgs = violations(hand_plan(table, catalogue, request=small_request(min_foods_per_day=5)), table, catalogue)
    assert named(msgs, "day 1: 4 distinct foods", "min_foods_per_day=5")
    assert not named(msgs, "day 2:")


@pytest.mark.parametrize("update, words", [
    ({"exclude_foods": ("salmon",)}, ("day 2, evening, salmon", "exclude_foods")),
    ({"exclude_groups": ("fish",)}, ("salmon", "food group 'Fish' is excluded")),
    ({"exclude_allergens": ("milk",)}, ("day 1, morning, milk", "allergen(s) milk")),
    ({"diet_pattern": "vegetarian"}, ("day 2, evening, salmon", "not vegetarian")),
    ({"diet_pattern": "vegan"}, ("day 1, morning, milk", "not vegan")),
    ({"food_ids": ("oat", "milk", "beans", "spinach", "almond")}, ("salmon", "food_ids")),
])
def test_exclusions_and_diet(table, catalogue, update, words) -> None:
    msgs = violations(hand_plan(table, catalogue, request=small_request(**update)), table, catalogue)
    assert named(msgs, *words)


def test_locked_items(table, catalogue) -> None:
    request = small_request(locked=(LockedItem(day=1, meal="morning", food_id="oat", portions=2),
                                    LockedItem(day=1, meal="evening", food_id="almond", grams=28)))
    msgs = violations(hand_plan(table, catalogue, request=request), table, catalogue)
    assert named(msgs, "day 1, morning, oat", "locked item portions", "should be 2")
    assert named(msgs, "day 1, evening, almond", "locked item is missing")


def test_supplements_allowed_and_label_maximum(table, catalogue) -> None:
    msgs = violations(hand_plan(table, catalogue, request=small_request(supplements=("d3_1000iu",))), table, catalogue)
    assert named(msgs, "supplement mg_citrate_100mg", "not among the allowed supplements")
    doses = [(1, "d3_1000iu", 2), (1, "mg_citrate_100mg", 1), (2, "mg_citrate_100mg", 1)]
    msgs = violations(hand_plan(table, catalogue, doses=doses), table, catalogue)
    assert named(msgs, "day 1, supplement d3_1000iu", "label maximum", "above the maximum 1")


def test_prescribed_vitamin_d_dose_met_exactly(table, catalogue) -> None:
    msgs = violations(hand_plan(table, catalogue, request=small_request(vitamin_d_supplement_ug=25)), table, catalogue)
    assert named(msgs, "day 2, prescribed vitamin D supplement dose", "should be 25")
    assert not named(msgs, "day 1, prescribed")


def test_reported_totals_must_match_the_catalogue(table, catalogue) -> None:
    plan = hand_plan(table, catalogue)
    rows = [dict(r) for r in plan.total_rows]
    rows[0]["magnesium_mg"] += 10
    msgs = violations(plan.model_copy(update={"total_rows": rows}), table, catalogue)
    assert named(msgs, "day 1, magnesium_mg", "the plan reports", "off by 10")


def test_applied_targets_may_not_be_looser_than_requested(table, catalogue) -> None:
    plan = hand_plan(table, catalogue)
    rows = [t.model_copy(update={"min": 300.0}) if t.key == "magnesium_mg" else t for t in plan.target_rows]
    msgs = violations(plan.model_copy(update={"target_rows": rows}), table, catalogue)
    assert named(msgs, "target magnesium_mg", "looser than the requested 320")
    rows = [t for t in plan.target_rows if t.key != "vitamin_d_ug"]
    msgs = violations(plan.model_copy(update={"target_rows": rows}), table, catalogue)
    assert named(msgs, "target vitamin_d_ug was requested but is missing")


def test_unknown_food_and_day_outside_the_plan(table, catalogue) -> None:
    plan = hand_plan(table, catalogue, items=[*GOOD_ITEMS, (3, "evening", "beans", 1), (1, "lunch", "ghost", 1)])
    msgs = violations(plan, table, catalogue)
    assert named(msgs, "ghost", "not in the food catalogue")
    assert named(msgs, "day 3", "outside the plan's days 1..2")
    assert named(msgs, "meal 'lunch' is not one of")


def test_item_cost_must_match_price(table, catalogue) -> None:
    plan = hand_plan(table, catalogue)
    rows = [r.model_copy(update={"cost": 5.0}) if r.food_id == "salmon" else r for r in plan.item_rows]
    msgs = violations(plan.model_copy(update={"item_rows": rows}), table, catalogue)
    assert named(msgs, "day 2, evening, salmon", "cost")


def test_tolerance_is_relative(table, catalogue) -> None:
    plan = hand_plan(table, catalogue)
    rows = [dict(r) for r in plan.total_rows]
    rows[0]["magnesium_mg"] *= 1 + 1e-5
    tampered = plan.model_copy(update={"total_rows": rows})
    assert not verify_plan(tampered, table, catalogue).passed
    assert verify_plan(tampered, table, catalogue, tolerance=1e-4).passed


def test_unknown_values_are_flagged(table, catalogue) -> None:
    from optimizer.results.verify import unknown_values

    frame = table.frame.copy()
    frame.loc["spinach", "vitamin_d_ug"] = NAN  # spinach with no vitamin D value
    unknown = foods.FoodTable(frame, table.portions, source="test foods")
    plan = hand_plan(unknown, catalogue)
    lines = unknown_values(plan, unknown)
    # once on each day; nothing else is unknown
    assert lines == ["day 1, evening, spinach (Spinach): unknown vitamin_d_ug counted as 0",
                     "day 2, evening, spinach (Spinach): unknown vitamin_d_ug counted as 0"]
    assert unknown_values(plan, unknown, nutrients=["protein_g"]) == []
    # vitamin D has a maximum: an unknown amount under it fails the plan (never counted as 0)
    assert "food spinach has no vitamin_d_ug value under a maximum" in " ".join(
        verify_plan(plan, unknown, catalogue).violations)


def test_must_include_and_locked_supplements(table, catalogue) -> None:
    from optimizer.domain.request import LockedSupplement, MustInclude

    request = small_request(must_include=(MustInclude(food_id="almond", min_portions=1),),
                            locked_supplements=(LockedSupplement(day=2, supplement_id="d3_1000iu", units=1),))
    msgs = violations(hand_plan(table, catalogue, request=request), table, catalogue)
    assert named(msgs, "day 1", "almond", "must-include portions", "below the minimum 1")
    assert not named(msgs, "day 2", "must-include")
    assert named(msgs, "day 2, supplement d3_1000iu: locked units", "should be 1")


def test_everyday_candidates_and_meal_fit(table, catalogue) -> None:
    frame = table.frame.reset_index()
    frame["everyday"] = frame["food_id"] != "salmon"
    frame["meals"] = ["breakfast", "breakfast", "lunch;dinner", "lunch;dinner", "lunch;dinner", "breakfast;snack"]
    tagged = foods.FoodTable.from_frame(frame)
    meals = ("breakfast", "dinner")
    items = [(d, "breakfast" if m == "morning" else "dinner", f, p) for d, m, f, p in GOOD_ITEMS]
    request = small_request(candidates="everyday", meals=meals, meal_energy_shares=None)
    msgs = violations(hand_plan(tagged, catalogue, request=request, items=items), tagged, catalogue)
    assert named(msgs, "day 2, dinner, salmon", "not an everyday food")
    assert not named(msgs, "milk", "everyday")
    # almonds are a breakfast/snack food: fine at breakfast; beans at breakfast would not be
    moved = [*items, (1, "breakfast", "beans", 1)]
    msgs = violations(hand_plan(tagged, catalogue, request=request, items=moved), tagged, catalogue)
    assert named(msgs, "day 1, breakfast, beans", "not eaten at breakfast")
    # a food the user names (liked) may be used although it is not an everyday food
    liked = small_request(candidates="everyday", meals=meals, meal_energy_shares=None, liked_foods=("salmon",))
    msgs = verify_plan(hand_plan(tagged, catalogue, request=liked, items=items), tagged, catalogue).violations
    assert not named(msgs, "salmon")


def test_weekly_product_label_maximum_is_per_week(table, catalogue) -> None:
    from optimizer.domain.request import ClinicianOverride

    override = ClinicianOverride(clinician="Dr A", reason="deficiency", upper_limits={"vitamin_d_ug": 250})
    request = small_request(days=2, supplements=("d3_50000iu_weekly", "mg_citrate_100mg"),
                            clinician_override=override, rule=MagnesiumVitaminDRule(breakpoints=[(0, 0)]))
    targets = small_targets().with_overrides({"vitamin_d_ug": {"max": 250}})
    plan = hand_plan(table, catalogue, request=request.model_copy(update={"targets": targets}),
                     doses=[(1, "d3_50000iu_weekly", 1), (1, "mg_citrate_100mg", 1), (2, "mg_citrate_100mg", 1)])
    # one 50,000 IU capsule counts 1250/7 = 178.6 µg on each day; one a week is within the label
    assert verify_plan(plan, table, catalogue).violations == []
    twice = hand_plan(table, catalogue, request=request.model_copy(update={"targets": targets}),
                      doses=[(1, "d3_50000iu_weekly", 2), (1, "mg_citrate_100mg", 1), (2, "mg_citrate_100mg", 1)])
    msgs = violations(twice, table, catalogue)
    assert named(msgs, "supplement d3_50000iu_weekly (weekly)", "above the maximum 1")


def test_rules_the_planner_relaxes_for_custom_tables(table, catalogue) -> None:
    # no food of this table is "everyday", so candidates="everyday" means every food (as the planner reads it)
    assert verify_plan(hand_plan(table, catalogue, request=small_request(candidates="everyday")), table, catalogue).passed
    # default variety rules (7 foods a day) bind household plans, not a generic continuous LP unless set explicitly
    household = small_request()
    defaults = household.model_dump(exclude={"min_foods_per_day", "max_days_per_food"})
    assert named(violations(hand_plan(table, catalogue, request=PlanRequest(**defaults)), table, catalogue),
                 "distinct foods, fewer than min_foods_per_day=7")
    continuous = PlanRequest(**{**defaults, "portions": "continuous"})
    assert verify_plan(hand_plan(table, catalogue, request=continuous), table, catalogue).passed
