"""Unknown is never counted as 0 under a maximum (optimizer/compile/unknowns.py): a candidate food with no value
for a nutrient the plan bounds from above is left out of that plan, and the notes say so."""

from __future__ import annotations

import math

import pytest

import foods
import optimizer
from optimizer import MustInclude, PlanRequest, Profile, RequestError
from optimizer.compile.candidates import select_candidates
from optimizer.compile.unknowns import bounded_nutrients

SR = foods.load_foods()
PREGNANT = Profile(sex="female", age=30, pregnant=True)


def _id(name: str) -> str:
    return str(SR.frame.index[SR.frame["name"] == name][0])


COFFEE = _id("Coffee, brewed from grounds, prepared with tap water")


def test_no_candidate_lacks_a_value_for_a_nutrient_with_a_maximum():
    request = PlanRequest(profile=PREGNANT, days=1)
    cands = select_candidates(request, SR.frame)
    bounded = [n for n in bounded_nutrients(request) if n in SR.frame.columns]
    assert {"retinol_ug", "caffeine_mg", "choline_mg", "vitamin_d_ug", "selenium_ug"} <= set(bounded)
    assert not SR.frame.loc[list(cands.food_ids), bounded].isna().any().any()
    kale = _id("Kale, raw")  # no caffeine value in SR24
    assert math.isnan(SR.frame.loc[kale, "caffeine_mg"]) and kale not in cands.food_ids
    assert any("caffeine_mg" in why and n >= 1 for why, n in cands.removed.items())


def test_unknown_under_a_minimum_only_stays_a_candidate():
    frame = _table_with_unknown_caffeine().frame.copy()
    frame.loc[COFFEE, "caffeine_mg"] = 95.0
    frame.loc[COFFEE, "vitamin_b12_ug"] = float("nan")  # vitamin B12 has a minimum only
    request = PlanRequest(profile=Profile(sex="male", age=40), days=1)
    assert "vitamin_b12_ug" not in bounded_nutrients(request)
    assert COFFEE in select_candidates(request, frame).food_ids


def _table_with_unknown_caffeine() -> foods.FoodTable:
    ids = [str(i) for i in SR.frame.index[SR.frame["everyday"].fillna(False).astype(bool)]]
    table = SR.subset(ids)
    frame = table.frame.copy()
    frame.loc[COFFEE, "caffeine_mg"] = float("nan")  # a coffee whose caffeine nobody measured
    return foods.FoodTable(frame, table.portions, source="test")


def test_a_plan_leaves_out_the_food_with_unknown_caffeine_and_says_so():
    table = _table_with_unknown_caffeine()
    request = PlanRequest(profile=Profile(sex="male", age=40), days=1, portions="continuous", liked_foods=(COFFEE,))
    plan = optimizer.plan(request, table)
    assert plan.has_solution and COFFEE not in set(plan.items["food_id"])
    assert any("unknown caffeine_mg value under its maximum" in n for n in plan.notes)
    assert not any("caffeine_mg value (counted as 0)" in n for n in plan.notes)


def test_a_must_include_food_with_an_unknown_value_under_a_maximum_is_refused():
    table = _table_with_unknown_caffeine()
    with pytest.raises(RequestError, match="no caffeine_mg value"):
        optimizer.plan(PlanRequest(profile=Profile(sex="male", age=40), days=1, portions="continuous",
                                   must_include=[MustInclude(food_id=COFFEE)]), table)


def test_a_lowered_maximum_still_needs_the_value():
    frame = _table_with_unknown_caffeine().frame
    lower = PlanRequest(profile=Profile(sex="male", age=40), days=1, targets={"caffeine_mg": {"max": 100}})
    assert "caffeine_mg" in bounded_nutrients(lower)
    assert COFFEE not in select_candidates(lower, frame).food_ids
