"""The plan model on canonical small instances with hand-computed optima, on both solvers."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import foods
import optimizer
from optimizer.domain.rule import MagnesiumVitaminDRule
from optimizer.model.builder import build_model

SOLVERS = ["highs", "cbc"]
D3_DAILY = ["d3_400iu", "d3_1000iu", "d3_2000iu", "d3_5000iu"]


def table(rows: list[dict]) -> foods.FoodTable:
    return foods.FoodTable.from_frame(pd.DataFrame(rows), source="test foods")


def two_foods() -> foods.FoodTable:
    # protein per $: A 10 g/$, B 6.67 g/$
    return table([
        {"food_id": "a", "name": "Food A", "protein_g": 10.0, "price_per_100g": 1.0, "portion_name": "cup", "portion_grams": 50.0},
        {"food_id": "b", "name": "Food B", "protein_g": 20.0, "price_per_100g": 3.0, "portion_name": "slice", "portion_grams": 25.0},
    ])


def generic(**kw) -> optimizer.PlanRequest:
    base = {"objective": "cost", "days": 1, "meals": ("day",), "portions": "continuous", "candidates": "all", "supplements": [],
                "max_days_per_food": None, "min_foods_per_day": None}
    base.update(kw)
    return optimizer.PlanRequest(**base)


@pytest.mark.parametrize("solver", SOLVERS)
def test_cheapest_protein_with_a_bound_hand_computed(solver: str) -> None:
    # 50 g protein: A is cheaper per gram but capped at 300 g (30 g protein, $3); the other 20 g from B: 100 g, $3.
    req = generic(targets={"protein_g": {"min": 50}}, food_bounds={"a": {"max": 300}})
    plan = optimizer.plan(req, foods=two_foods(), solver=solver)
    assert plan.status == "optimal" and plan.has_solution
    grams = plan.items.groupby("food_id")["grams"].sum()
    assert grams["a"] == pytest.approx(300, abs=1e-4)
    assert grams["b"] == pytest.approx(100, abs=1e-4)
    assert plan.objective_value == pytest.approx(6.0, abs=1e-6)
    assert plan.cost == pytest.approx(6.0, abs=1e-6)
    assert plan.totals.loc[1, "protein_g"] == pytest.approx(50.0, abs=1e-6)
    # shadow price: one more gram of protein comes from B at $3 / 20 g = $0.15
    sp = plan.shadow_prices.set_index("target")
    assert sp.loc["protein_g", "value"] == pytest.approx(0.15, abs=1e-6)
    assert sp.loc["protein_g", "bound"] == "min"
    assert "each extra 1 g protein costs $0.15/day" in sp.loc["protein_g", "text"]


@pytest.mark.parametrize("solver", SOLVERS)
def test_household_portions_are_whole_numbers(solver: str) -> None:
    # 25 g protein in whole portions: a cup of A = 5 g protein for $0.50, a slice of B = 5 g for $0.75.
    # At most 3 portions of a food a day (portions up to 60 g): 3 cups of A (15 g, $1.50) + 2 slices of B (10 g, $1.50).
    req = generic(targets={"protein_g": {"min": 25}}, portions="household", meals=("breakfast", "lunch"))
    plan = optimizer.plan(req, foods=two_foods(), solver=solver)
    assert plan.has_solution
    items = plan.items
    assert (items["portions"] == items["portions"].round()).all()
    assert (items["grams"] == items["portions"] * items["food_id"].map({"a": 50.0, "b": 25.0})).all()
    by_food = items.groupby("food_id")["portions"].sum()
    assert by_food["a"] == 3 and by_food["b"] == 2  # 15 g + 10 g protein, $1.50 + $1.50
    assert plan.objective_value == pytest.approx(3.0, abs=1e-6)


def magnesium_foods() -> foods.FoodTable:
    return table([
        {"food_id": "mg", "name": "Magnesium food", "magnesium_mg": 100.0, "vitamin_d_ug": 0.0, "calcium_mg": 0.0, "price_per_100g": 1.0},
        {"food_id": "filler", "name": "Filler", "magnesium_mg": 0.0, "vitamin_d_ug": 0.0, "calcium_mg": 0.0, "price_per_100g": 0.1},
    ])


def rule_request(dose_ug: float | None, rule: MagnesiumVitaminDRule | None = None, **kw) -> optimizer.PlanRequest:
    return generic(targets={"magnesium_mg": {"min": 300}, "vitamin_d_ug": {"max": 200}}, supplements=D3_DAILY,
                   vitamin_d_supplement_ug=dose_ug, rule=rule or MagnesiumVitaminDRule(), max_food_grams_per_day=2000,
                   max_item_grams=2000, **kw)


@pytest.mark.parametrize("solver", SOLVERS)
def test_higher_prescribed_vitamin_d_raises_required_magnesium(solver: str) -> None:
    # default policy: extra 0 up to 15 µg, +100 mg at 100 µg; doses made of whole softgels
    required = {}
    for dose in (10.0, 25.0, 50.0, 75.0):
        plan = optimizer.plan(rule_request(dose), foods=magnesium_foods(), solver=solver)
        assert plan.has_solution, plan.explanation
        assert plan.supplements.groupby("day")["vitamin_d_ug"].sum()[1] == pytest.approx(dose)
        expected = 300 + MagnesiumVitaminDRule().extra_magnesium_mg(dose)
        mg = plan.totals.loc[1, "magnesium_mg"]
        assert mg == pytest.approx(expected, abs=1e-4)  # cost-minimal: exactly the requirement
        applied = plan.targets.set_index("key").loc["magnesium_mg"]
        assert applied["min"] == pytest.approx(expected)
        assert "rule" in applied["note"]
        required[dose] = mg
    assert required[10.0] == pytest.approx(300) and required[25.0] == pytest.approx(300 + 100 * 10 / 85)
    assert required[10.0] <= required[25.0] <= required[50.0] <= required[75.0]


NONCONVEX = MagnesiumVitaminDRule(breakpoints=[(0, 0), (20, 50), (40, 60), (60, 120)])


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("dose", [10.0, 35.0, 50.0, 70.0])
def test_nonconvex_schedule_is_exact_when_the_optimizer_chooses_the_dose(solver: str, dose: float) -> None:
    assert not NONCONVEX.is_convex
    # the optimizer chooses the supplement; total vitamin D pinned to `dose` so d = dose (foods carry none)
    cat = foods.load_supplements()
    ids = ["d3_400iu", "d3_1000iu", "d3_2000iu"]  # 10, 25 and 50 µg, at most one of each a day
    req = generic(targets={"magnesium_mg": {"min": 300}, "vitamin_d_ug": {"min": dose, "max": dose}}, supplements=ids,
                  rule=NONCONVEX, max_food_grams_per_day=2000, max_item_grams=2000)
    plan = optimizer.plan(req, foods=magnesium_foods(), supplements=cat, solver=solver)
    if dose == 70.0:  # no whole-unit combination (10, 25, 50, each once) gives 70 -> explained, not crashed
        assert not plan.has_solution and plan.explanation is not None
        return
    assert plan.has_solution, plan.explanation
    mg = plan.totals.loc[1, "magnesium_mg"]
    assert mg == pytest.approx(300 + NONCONVEX.extra_magnesium_mg(dose), abs=1e-4)


def test_convex_schedule_compiles_to_lp_rows_and_nonconvex_to_binaries() -> None:
    from optimizer.compile import compiler
    from optimizer.compile.candidates import select_candidates

    cat = foods.load_supplements()
    for rule, expect_binaries in ((MagnesiumVitaminDRule(), False), (NONCONVEX, True)):
        req = generic(targets={"magnesium_mg": {"min": 300}}, supplements=D3_DAILY, rule=rule)
        tab = magnesium_foods()
        targets, _ = compiler.resolve_targets(req)
        spec = compiler.build_spec(req, tab, cat, targets, select_candidates(req, tab.frame), D3_DAILY)
        built = build_model(spec)
        names = [v.name for v in built.problem.variables()]
        assert any(n.startswith("seg_") for n in names) == expect_binaries
        assert any(c.startswith("rule_piece") for c in built.constraint_names) != expect_binaries


@pytest.mark.parametrize("solver", SOLVERS)
def test_weekly_average_target_uses_the_surplus_of_other_days(solver: str) -> None:
    tab = table([
        {"food_id": "p", "name": "Rich", "protein_g": 20.0, "price_per_100g": 2.0},
        {"food_id": "a", "name": "Cheap", "protein_g": 10.0, "price_per_100g": 1.0},
    ])
    locked = [optimizer.LockedItem(day=1, meal="day", food_id="p", grams=200)]  # 40 g protein on day 1, $4
    daily = optimizer.plan(generic(days=2, targets={"protein_g": {"min": 30}}, locked=locked), foods=tab, solver=solver)
    weekly = optimizer.plan(generic(days=2, targets={"protein_g": {"min": 30, "period": "weekly"}}, locked=locked),
                            foods=tab, solver=solver)
    assert daily.has_solution and weekly.has_solution
    assert daily.objective_value == pytest.approx(4 + 3, abs=1e-6)  # day 2: 300 g cheap food
    assert weekly.objective_value == pytest.approx(4 + 2, abs=1e-6)  # day 2 needs only 20 g: 200 g
    assert weekly.totals["protein_g"].mean() == pytest.approx(30, abs=1e-6)


@pytest.mark.parametrize("solver", SOLVERS)
def test_locks_exclusions_and_must_include(solver: str) -> None:
    tab = table([
        {"food_id": "a", "name": "A", "protein_g": 10.0, "price_per_100g": 1.0},
        {"food_id": "b", "name": "B", "protein_g": 20.0, "price_per_100g": 3.0},
        {"food_id": "c", "name": "C", "protein_g": 30.0, "price_per_100g": 0.5},
    ])
    req = generic(days=2, targets={"protein_g": {"min": 40}}, exclude_foods=("c",),
                  locked=[optimizer.LockedItem(day=2, meal="day", food_id="b", grams=50)],
                  must_include=[optimizer.MustInclude(food_id="b", days=(1,), min_grams=20)])
    plan = optimizer.plan(req, foods=tab, solver=solver)
    assert plan.has_solution
    items = plan.items
    assert "c" not in set(items["food_id"])
    day2_b = items[(items["day"] == 2) & (items["food_id"] == "b")]
    assert day2_b["grams"].sum() == pytest.approx(50) and day2_b["locked"].all()
    assert items[(items["day"] == 1) & (items["food_id"] == "b")]["grams"].sum() == pytest.approx(20, abs=1e-6)
    # day 1: 20 g B (4 g protein, $0.60) + 360 g A; day 2: 50 g B (10 g, $1.50) + 300 g A
    assert plan.objective_value == pytest.approx(0.6 + 3.6 + 1.5 + 3.0, abs=1e-6)


@pytest.mark.parametrize("solver", SOLVERS)
def test_variety_limits_days_per_food_and_sets_foods_per_day(solver: str) -> None:
    rows = [{"food_id": f"f{i}", "name": f"Food {i}", "protein_g": 10.0 + i, "price_per_100g": 1.0 + 0.1 * i,
             "portion_name": "portion", "portion_grams": 100.0} for i in range(6)]
    req = generic(days=3, targets={"protein_g": {"min": 30}}, portions="household", max_days_per_food=4, min_foods_per_day=2)
    plan = optimizer.plan(req, foods=table(rows), solver=solver)
    assert plan.has_solution
    items = plan.items
    k = math.ceil(4 * 3 / 7)  # scaled to a 3-day plan: 2
    assert items.groupby("food_id")["day"].nunique().max() <= k
    assert items.groupby("day")["food_id"].nunique().min() >= 2
    assert plan.verification is not None and plan.verification.passed


def test_variable_names_are_private_ascii_and_map_back_by_key() -> None:
    from optimizer.compile import compiler
    from optimizer.compile.candidates import select_candidates

    req = generic(targets={"protein_g": {"min": 10}}, portions="household", meals=("breakfast", "lunch"))
    tab = two_foods()
    targets, _ = compiler.resolve_targets(req)
    spec = compiler.build_spec(req, tab, None, targets, select_candidates(req, tab.frame), [])
    built = build_model(spec)
    assert all(n.isascii() for n in built.variables)
    # names are the builder's own (index-based); everything else reads values by what they stand for
    keys = {("item", it.day, it.meal, it.food_id) for it in built.items.values()}
    assert {("item", 1, "breakfast", "a"), ("item", 1, "lunch", "b")} <= keys
    values = {name: float(i) for i, name in enumerate(built.items)}
    assert built.named_values(built.keyed_values(values)) == values
