"""Property tests (hypothesis) on small random catalogues and targets.

(a) every plan with a solution passes independent verification (and a request built around a known feasible
    diet always gets a plan in continuous mode);
(b) tightening a minimum never lowers the LP optimum (cost objective, continuous amounts);
(c) raising the prescribed vitamin D dose never lowers the required magnesium in the plan's applied targets.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import foods
from optimizer.domain.request import PlanRequest
from optimizer.domain.rule import MagnesiumVitaminDRule
from optimizer.domain.targets import Target, Targets
from optimizer.planner import plan as make_plan
from optimizer.results.verify import verify_plan

NUTRIENTS = ["energy_kcal", "protein_g", "magnesium_mg", "calcium_mg", "vitamin_d_ug"]
SETTINGS = settings(max_examples=15, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SUPPLEMENTS = ("d3_400iu", "d3_1000iu", "d3_2000iu", "mg_citrate_100mg")


@st.composite
def catalogues(draw) -> tuple[foods.FoodTable, np.ndarray]:
    """3–8 foods with random nutrients per 100 g, prices and portions, and a random reference diet (grams/day)."""
    n = draw(st.integers(3, 8))
    per100 = {
        "energy_kcal": st.floats(20, 600), "protein_g": st.floats(0, 30), "magnesium_mg": st.floats(0, 300),
        "calcium_mg": st.floats(0, 300), "vitamin_d_ug": st.floats(0, 12),
    }
    rows = []
    for i in range(n):
        row = {"food_id": f"f{i}", "name": f"food {i}", "group": draw(st.sampled_from(["A", "B"]))}
        row.update({k: draw(s) for k, s in per100.items()})
        row["price_per_100g"] = draw(st.floats(0.05, 3.0))
        row["portion_name"] = "portion"
        row["portion_grams"] = draw(st.sampled_from([25.0, 50.0, 100.0]))
        rows.append(row)
    table = foods.FoodTable.from_frame(pd.DataFrame(rows), source="random foods")
    diet = np.array([draw(st.floats(0, 300)) for _ in range(n)])
    return table, diet


def diet_totals(table: foods.FoodTable, diet: np.ndarray) -> pd.Series:
    return (table.frame[NUTRIENTS].fillna(0.0).mul(diet / 100.0, axis=0)).sum()


def targets_around(totals: pd.Series, lows: list[float], highs: list[float]) -> Targets:
    """Targets the reference diet meets: each min a fraction of its total, each max a multiple."""
    rows = [
        Target(key="energy_kcal", nutrient="energy_kcal", min=lows[0] * totals["energy_kcal"], max=highs[0] * totals["energy_kcal"] + 1),
        Target(key="protein_g", nutrient="protein_g", min=lows[1] * totals["protein_g"]),
        Target(key="magnesium_mg", nutrient="magnesium_mg", min=lows[2] * totals["magnesium_mg"]),
        Target(key="calcium_mg", nutrient="calcium_mg", max=highs[1] * totals["calcium_mg"] + 1),
        Target(key="vitamin_d_ug", nutrient="vitamin_d_ug", min=lows[3] * totals["vitamin_d_ug"], max=100, is_upper_limit=True),
    ]
    return Targets(rows=tuple(rows))


def generic_request(targets: Targets, **update) -> PlanRequest:
    base = {"targets": targets, "days": 1, "meals": ("day",), "candidates": "all", "portions": "continuous",
            "objective": "cost", "supplements": (), "max_days_per_food": None, "min_foods_per_day": None,
            "time_limit_s": 10.0,
            "rule": MagnesiumVitaminDRule(calcium_magnesium_ratio_max=None)}
    base.update(update)
    return PlanRequest(**base)


fractions = st.lists(st.floats(0.2, 1.0), min_size=4, max_size=4)
multiples = st.lists(st.floats(1.0, 2.0), min_size=2, max_size=2)


@SETTINGS
@given(cat=catalogues(), lows=fractions, highs=multiples, household=st.booleans(), days=st.integers(1, 2),
       with_supplements=st.booleans(), solver=st.sampled_from(["highs", "cbc"]))
def test_every_plan_with_a_solution_passes_verification(cat, lows, highs, household, days, with_supplements, solver):
    table, diet = cat
    targets = targets_around(diet_totals(table, diet), lows, highs)
    request = generic_request(targets, days=days, portions="household" if household else "continuous",
                              supplements=SUPPLEMENTS if with_supplements else (),
                              objective="food_first" if with_supplements else "cost",
                              rule=MagnesiumVitaminDRule())  # default rule and Ca:Mg ratio ≤ 2.6
    catalogue = foods.load_supplements() if with_supplements else None
    result = make_plan(request, table, catalogue, solver=solver)
    event(f"has_solution={result.has_solution}")
    if result.has_solution:
        check = verify_plan(result, table, catalogue)
        assert check.passed, check.violations
        assert result.verification is not None and result.verification.passed
        # a third, plain-numpy oracle for every total target (label supplement amounts, absorption factor 1)
        for day, totals in plain_totals(result, table, catalogue, days).items():
            for t in targets:
                if t.min is not None:
                    assert totals[t.nutrient] >= t.min * (1 - 1e-6) - 1e-6, (day, t.key)
                if t.max is not None:
                    assert totals[t.nutrient] <= t.max * (1 + 1e-6) + 1e-6, (day, t.key)


def plain_totals(result, table, catalogue, days: int) -> dict[int, pd.Series]:
    items = result.items
    per100 = table.frame.loc[items["food_id"], NUTRIENTS].fillna(0.0).to_numpy()
    food = pd.DataFrame(per100 * items["grams"].to_numpy()[:, None] / 100.0, columns=NUTRIENTS)
    food = food.groupby(items["day"].to_numpy()).sum().reindex(range(1, days + 1), fill_value=0.0)
    supp = result.supplements
    out = {}
    for day in range(1, days + 1):
        totals = food.loc[day].copy()
        taken = supp[supp["day"] == day]
        if len(taken):
            labels = catalogue.frame.loc[taken["supplement_id"]]
            units = taken["units"].to_numpy()
            totals["vitamin_d_ug"] += float((units * labels["vitamin_d_ug_per_unit"].to_numpy()).sum())
            totals["magnesium_mg"] += float((units * labels["magnesium_mg_per_unit"].to_numpy()).sum())
        out[day] = totals
    return out


@SETTINGS
@given(cat=catalogues(), lows=fractions, highs=multiples)
def test_a_known_feasible_diet_always_gets_a_verified_plan(cat, lows, highs):
    table, diet = cat
    targets = targets_around(diet_totals(table, diet), lows, highs)
    result = make_plan(generic_request(targets, max_item_grams=300.0), table)
    assert result.has_solution, result.explanation
    assert verify_plan(result, table, None).passed
    # the reference diet is feasible, so the optimum costs no more than it
    prices = table.frame["price_per_100g"].to_numpy()
    assert result.objective_value <= float((diet / 100.0 * prices).sum()) + 1e-6


@SETTINGS
@given(cat=catalogues(), lows=fractions, highs=multiples,
       which=st.sampled_from(["energy_kcal", "protein_g", "magnesium_mg", "vitamin_d_ug"]), factor=st.floats(1.0, 1.6))
def test_tightening_a_minimum_never_lowers_the_lp_optimum(cat, lows, highs, which, factor):
    table, diet = cat
    targets = targets_around(diet_totals(table, diet), lows, highs)
    base = make_plan(generic_request(targets), table)
    assert base.has_solution and base.status == "optimal"  # the reference diet is feasible
    old = targets[which]
    tighter_min = (old.min or 0.0) * factor + 1.0
    if old.max is not None:
        tighter_min = min(tighter_min, old.max)
    rows = tuple(t.model_copy(update={"min": tighter_min}) if t.key == which else t for t in targets)
    tight = make_plan(generic_request(Targets(rows=rows)), table)
    event(f"tightened has_solution={tight.has_solution}")
    if tight.has_solution:
        assert tight.status == "optimal"
        assert tight.objective_value >= base.objective_value - 1e-7 * max(1.0, abs(base.objective_value))
    else:
        assert tight.status == "infeasible"  # the optimum is +inf, never lower


DOSES_UG = [0, 10, 25, 35, 50, 60, 75, 85]  # sums of 400, 1,000 and 2,000 IU softgels (one of each a day)


@SETTINGS
@given(cat=catalogues(), pair=st.lists(st.sampled_from(DOSES_UG), min_size=2, max_size=2, unique=True),
       steps=st.lists(st.tuples(st.floats(1, 60), st.floats(0, 80)), min_size=0, max_size=3),
       rda=st.floats(100, 420))
def test_more_prescribed_vitamin_d_never_needs_less_magnesium(cat, pair, steps, rda):
    table, _ = cat
    low, high = sorted(pair)
    # a random nondecreasing schedule (convex or not)
    points, x, y = [(0.0, 0.0)], 0.0, 0.0
    for dx, dy in steps:
        x, y = x + dx, y + dy
        points.append((x, y))
    rule = MagnesiumVitaminDRule(breakpoints=points, calcium_magnesium_ratio_max=None)
    targets = Targets(rows=(Target(key="magnesium_mg", nutrient="magnesium_mg", min=rda),
                            Target(key="energy_kcal", nutrient="energy_kcal", max=5000)))
    required = []
    for dose in (low, high):
        request = generic_request(targets, supplements=SUPPLEMENTS[:3], vitamin_d_supplement_ug=dose, rule=rule,
                                  time_limit_s=10)
        result = make_plan(request, table, foods.load_supplements())
        row = next(t for t in result.target_rows if t.key == "magnesium_mg")
        assert row.min == pytest.approx(rda + rule.extra_magnesium_mg(dose))
        required.append(row.min)
    assert required[1] >= required[0] - 1e-9
