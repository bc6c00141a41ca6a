"""A faithful generic core: the public API solves a user's own LP exactly, with no hidden person defaults."""

from __future__ import annotations

import highspy
import numpy as np
import pandas as pd
import pytest

import foods
import optimizer

# The diet model of Fourer, Gay and Kernighan, "AMPL" (2nd ed.), chapter 2 (diet.mod / diet.dat): eight foods in
# packages, four vitamins in % of the daily requirement, 2 to 100 packages... here 0 to 100 packages of 100 g each.
FOODS = ["BEEF", "CHK", "FISH", "HAM", "MCH", "MTL", "SPG", "TUR"]
COST = [3.19, 2.59, 2.29, 2.89, 1.89, 1.99, 1.99, 2.49]
AMOUNT = {"a": [60, 8, 8, 40, 15, 70, 25, 60], "c": [20, 0, 10, 40, 35, 30, 50, 20],
          "b1": [10, 20, 15, 35, 15, 15, 25, 15], "b2": [15, 20, 10, 10, 15, 15, 15, 10]}
AMPL_OPTIMUM = 88.2  # the book's optimum: 46.67 packages of macaroni and cheese


def ampl_table() -> foods.FoodTable:
    frame = pd.DataFrame({"food_id": FOODS, "name": FOODS, "price_per_100g": COST,
                          **{f"vit_{k}_pct": v for k, v in AMOUNT.items()}})
    return foods.FoodTable.from_frame(frame)


def ampl_request(bounded: bool = True, **extra: object) -> optimizer.PlanRequest:
    return optimizer.PlanRequest(targets={f"vit_{k}_pct": {"min": 700, "max": 10000} for k in AMOUNT}, objective="cost",
                                 days=1, portions="continuous", supplements=[],
                                 food_bounds={f: {"max": 10_000} for f in FOODS} if bounded else {}, **extra)


def direct_highs_optimum() -> float:
    """The same LP built and solved with highspy directly (packages of 100 g, 0..100 each)."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    n = len(FOODS)
    h.addVars(n, np.zeros(n), np.full(n, 100.0))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.array(COST))
    for values in AMOUNT.values():
        h.addRow(700.0, 10000.0, n, np.arange(n, dtype=np.int32), np.array(values, dtype=float))
    h.run()
    return float(h.getInfo().objective_function_value)


@pytest.mark.parametrize("meals", [("all",), ("breakfast", "lunch", "dinner", "snack")])
def test_the_ampl_diet_model_gives_the_books_optimum(meals: tuple[str, ...]) -> None:
    """The default max_item_grams (500 g) once capped a food the user bounded at 10 kg: 106.94 instead of 88.20."""
    plan = optimizer.plan(ampl_request(meals=meals), foods=ampl_table())
    assert plan.status == "optimal"
    assert plan.objective_value == pytest.approx(AMPL_OPTIMUM, abs=1e-6)
    assert plan.objective_value == pytest.approx(direct_highs_optimum(), abs=1e-6)
    assert plan.verification is not None and plan.verification.passed


def test_a_generic_request_without_food_bounds_has_no_hidden_caps() -> None:
    request = ampl_request(bounded=False)
    plan = optimizer.plan(request, foods=ampl_table())
    assert plan.objective_value == pytest.approx(AMPL_OPTIMUM, abs=1e-6)
    assert not any("default cap" in n for n in plan.notes)


def test_a_binding_default_cap_is_named_in_the_notes() -> None:
    request = ampl_request(bounded=False, max_item_grams=1000.0)
    plan = optimizer.plan(request, foods=ampl_table())
    assert plan.has_solution
    assert plan.objective_value > AMPL_OPTIMUM + 0.1  # the cap binds: 1 kg of macaroni and cheese per item is not enough
    assert any("max_item_grams" in n and "MCH" in n for n in plan.notes), plan.notes


def test_ids_that_differ_only_in_punctuation_are_different_foods() -> None:
    """``a-b``, ``a.b``, ``a/b`` and ``a+b`` once became one solver variable: an empty "optimal" plan. (Ids equal
    after ignoring case, spaces, '-' and '_' are refused when foods are loaded; these four are not.)"""
    ids = ["a-b", "a.b", "a/b", "a+b"]
    frame = pd.DataFrame({"food_id": ids, "name": [f"food {i}" for i in range(4)],
                          "protein_g": [10.0, 20.0, 30.0, 40.0], "price_per_100g": [1.0, 1.5, 2.5, 4.5]})
    table = foods.FoodTable.from_frame(frame)
    request = optimizer.PlanRequest(targets={"protein_g": {"min": 100}}, objective="cost", days=1, portions="continuous",
                                    supplements=[], food_bounds={i: {"max": 100.0} for i in ids})
    plan = optimizer.plan(request, foods=table)
    assert plan.status == "optimal" and plan.has_solution
    grams = plan.items.groupby("food_id")["grams"].sum().to_dict()
    # 100 g protein from four foods of at most 100 g each (10, 20, 30, 40 g protein): all four, in full
    assert grams == pytest.approx({i: 100.0 for i in ids})
    assert plan.objective_value == pytest.approx(1.0 + 1.5 + 2.5 + 4.5, abs=1e-6)
