"""A request names the shipped catalogue it is planned from: SR24 ingredients or FNDDS foods as eaten."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

import foods
import optimizer


def test_the_default_catalogue_is_sr24_and_fndds_can_be_chosen() -> None:
    person = optimizer.Profile(sex="female", age=45)
    assert optimizer.PlanRequest(profile=person).catalogue == "sr24"
    request = optimizer.PlanRequest(catalogue="fndds", targets={"protein_g": {"min": 60}}, days=1, portions="continuous",
                                    supplements=[], objective="cost", food_ids=("11111000", "43101150", "56205000"))
    with pytest.raises(ValidationError, match="catalogue"):
        optimizer.PlanRequest(profile=person, catalogue="usda")
    fndds = foods.load_foods("fndds")
    # the plan reads FNDDS itself (no table given): 8-digit food codes, FNDDS names
    priced = fndds.frame.loc[list(request.food_ids)]
    assert len(priced) == 3
    plan = optimizer.plan(request.model_copy(update={"objective": "food_first"}))
    assert plan.has_solution, plan.explanation
    assert set(plan.items.food_id) <= set(request.food_ids)
    assert all(len(f) == 8 for f in plan.items.food_id)
    assert plan.verification is not None and plan.verification.passed
