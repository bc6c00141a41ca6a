"""When Cofactor chooses the vitamin D dose it takes the lowest dose that meets the targets with the fewest tablets,
and a combined D3 + magnesium product only when its magnesium is needed (objective tie-breaks in model/builder.py)."""

from __future__ import annotations

import pandas as pd

import foods
import optimizer
from optimizer import PlanRequest, Profile, Target, Targets
from optimizer.compile.candidates import select_candidates
from optimizer.model.builder import DOSE_TIEBREAK_PER_UG, MAGNESIUM_TIEBREAK_PER_MG

SUPPLEMENTS = ("d3_400iu", "d3_1000iu", "d3_2000iu", "d3_5000iu", "mg_citrate_100mg",
               "combo_d3_1000iu_mg_citrate_100mg", "combo_d3_2000iu_mg_oxide_50mg")
RICE = foods.FoodTable.from_frame(pd.DataFrame(
    [("rice", "Rice", "Cereal Grains", 130, 2.7, 12, 10, 0.0, "cup", 158)],
    columns=["food_id", "name", "group", "energy_kcal", "protein_g", "magnesium_mg", "calcium_mg", "vitamin_d_ug",
             "portion_name", "portion_grams"]), source="test: a food without vitamin D")


def _targets(magnesium_min: float) -> Targets:
    return Targets(rows=(
        Target(key="energy_kcal", nutrient="energy_kcal", min=500, max=700),  # 385–538 g rice: 46–65 mg magnesium
        Target(key="magnesium_mg", nutrient="magnesium_mg", min=magnesium_min),
        Target(key="supplemental_magnesium_mg", nutrient="magnesium_mg", applies_to="supplements", max=350,
               is_upper_limit=True),
        Target(key="vitamin_d_ug", nutrient="vitamin_d_ug", min=15, max=100, is_upper_limit=True)))


def _chosen(request: PlanRequest, table=None) -> list[tuple[str, int]]:
    plan = optimizer.plan(request, table)
    assert plan.has_solution and plan.verification.passed and plan.status == "optimal"
    return [(s.supplement_id, s.units) for s in plan.supplement_rows]


def test_tie_breaks_are_tiny_next_to_a_tablet_and_a_portion():
    assert 50 * DOSE_TIEBREAK_PER_UG < 0.02 and 100 * MAGNESIUM_TIEBREAK_PER_MG < 0.02


def test_the_lowest_adequate_dose_in_one_tablet_and_no_magnesium_it_does_not_need():
    request = PlanRequest(targets=_targets(0), days=1, portions="continuous", candidates="all",
                          supplements=SUPPLEMENTS, relative_gap=0.0)
    assert _chosen(request, RICE) == [("d3_1000iu", 1)]  # 25 µg ≥ 15; 400 IU (10 µg) is not enough alone


def test_the_combined_product_when_its_magnesium_is_needed():
    request = PlanRequest(targets=_targets(130), days=1, portions="continuous", candidates="all",
                          supplements=SUPPLEMENTS, relative_gap=0.0)
    assert _chosen(request, RICE) == [("combo_d3_1000iu_mg_citrate_100mg", 1)]  # one tablet instead of two


def test_a_real_day_without_vitamin_d_in_food_takes_1000_iu_not_2000():
    sr = foods.load_foods()
    base = PlanRequest(profile=Profile(sex="female", age=40), days=1, portions="continuous", relative_gap=0.0)
    no_d = [f for f in select_candidates(base, sr.frame).food_ids if sr.frame.at[f, "vitamin_d_ug"] == 0]
    request = base.model_copy(update={"food_ids": tuple(no_d), "candidates": "all"})
    assert _chosen(request) == [("d3_1000iu", 1)]
