"""Exact LPs: every continuous plan is optimal over every candidate, whichever strategy solved it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import foods
import optimizer
from optimizer.compile.compiler import compile_request
from optimizer.model.builder import build_model
from optimizer.solve.adapter import SolveOptions, solve
from optimizer.solve.deadline import Deadline
from optimizer.solve.status import Termination
from optimizer.strategies.lp_two_stage import solve_lp_in_two_stages

MEALS = ("breakfast", "lunch", "dinner", "snack")


def random_table(n: int, seed: int) -> foods.FoodTable:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "food_id": [f"food{i:04d}" for i in range(n)], "name": [f"food {i}" for i in range(n)],
        "energy_kcal": rng.uniform(20, 600, n).round(1), "protein_g": rng.uniform(0, 30, n).round(2),
        "fiber_g": rng.uniform(0, 12, n).round(2), "magnesium_mg": rng.uniform(0, 200, n).round(1),
        "calcium_mg": rng.uniform(0, 300, n).round(1), "sodium_mg": rng.uniform(0, 900, n).round(1),
        "price_per_100g": rng.uniform(0.05, 2.0, n).round(3),
    })
    return foods.FoodTable.from_frame(frame)


def lp_request(meal_shares: bool = True, **extra: object) -> optimizer.PlanRequest:
    shares = {"breakfast": (0.15, 0.35), "lunch": (0.25, 0.4), "dinner": (0.25, 0.4), "snack": (0.0, 0.2)}
    return optimizer.PlanRequest(
        targets={"energy_kcal": {"min": 1800, "max": 2200}, "protein_g": {"min": 60}, "fiber_g": {"min": 25},
                 "magnesium_mg": {"min": 320}, "calcium_mg": {"min": 1000}, "sodium_mg": {"max": 2300}},
        objective="cost", days=1, portions="continuous", supplements=[], meals=MEALS, max_item_grams=400.0,
        meal_energy_shares=shares if meal_shares else None, **extra)


def full_lp_optimum(compiled) -> float:  # type: ignore[no-untyped-def]
    built = build_model(compiled.spec)
    result = solve(built.problem, SolveOptions(time_limit_s=120.0))
    assert result.termination == Termination.OPTIMAL
    return float(result.objective)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(15, 60), shares=st.booleans(),
       bounded=st.integers(0, 5))
def test_the_two_stage_lp_is_never_worse_than_the_full_lp(seed: int, n: int, shares: bool, bounded: int) -> None:
    """When the two stages claim optimality, their plan costs what the full meal LP costs (never more)."""
    table = random_table(n, seed)
    bounds = {f"food{i:04d}": {"max": 2500.0} for i in range(bounded)}  # own bounds above 4 meals x 400 g
    compiled = compile_request(lp_request(shares, food_bounds=bounds), table, None)
    staged = solve_lp_in_two_stages(compiled.spec, SolveOptions(time_limit_s=120.0), Deadline(600.0))
    optimum = full_lp_optimum(compiled)
    if staged is not None:
        assert staged.result.termination == Termination.OPTIMAL
        assert staged.result.objective == pytest.approx(optimum, rel=1e-6, abs=1e-9)
        assert staged.result.bound <= optimum + 1e-6


def test_a_large_lp_through_plan_is_the_full_lp_optimum() -> None:
    table = random_table(450, seed=7)
    request = lp_request()
    plan = optimizer.plan(request, foods=table)
    assert plan.status == "optimal" and plan.has_solution
    assert plan.method in ("lp", "lp_two_stage")
    assert plan.objective_value == pytest.approx(full_lp_optimum(compile_request(request, table, None)), rel=1e-6)
    assert plan.gap is not None and plan.gap <= 1e-6
