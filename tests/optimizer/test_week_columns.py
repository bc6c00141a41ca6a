"""Integer weeks by column generation: hand-computed optimum, a valid lower bound, agreement with the full model."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import foods
import optimizer
from optimizer.compile import compiler
from optimizer.compile.candidates import select_candidates
from optimizer.model.builder import build_model
from optimizer.model.master import MenuColumn, build_master, build_master_dual
from optimizer.solve.adapter import SolveOptions, solve
from optimizer.solve.deadline import Deadline
from optimizer.strategies.columns import applicable, compose_by_columns


def table(rows: list[dict]) -> foods.FoodTable:
    for r in rows:
        r.setdefault("portion_name", "serving")
        r.setdefault("portion_grams", 100.0)
    return foods.FoodTable.from_frame(pd.DataFrame(rows), source="test foods")


def week_request(**kw) -> optimizer.PlanRequest:
    base = {"objective": "cost", "days": 4, "meals": ("day",), "portions": "household", "candidates": "all",
            "supplements": [], "max_days_per_food": 2, "min_foods_per_day": None, "targets": {"protein_g": {"min": 50}}}
    base.update(kw)
    return optimizer.PlanRequest(**base)


CHEAP_AND_DEAR = [
    {"food_id": "a", "name": "A", "protein_g": 50.0, "price_per_100g": 1.0},
    {"food_id": "b", "name": "B", "protein_g": 50.0, "price_per_100g": 2.0},
    {"food_id": "c", "name": "C", "protein_g": 50.0, "price_per_100g": 3.0},
]


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_hand_computed_week_is_proven_optimal(solver: str) -> None:
    # 4 days, a food on at most 2 days, one portion a day meets protein: A on 2 days ($1), B on 2 days ($2) = $6.
    # The bound: 4 x the best day = $4; with lambda_A = 1 the best day costs $2, so 4 x 2 - 2 x 1 = $6: proven.
    plan = optimizer.plan(week_request(solver=solver), foods=table([dict(r) for r in CHEAP_AND_DEAR]))
    assert plan.has_solution and plan.verification.passed
    assert plan.status == "optimal"
    assert plan.objective_value == pytest.approx(6.0)
    assert plan.best_bound == pytest.approx(6.0)
    assert plan.items.groupby("food_id")["day"].nunique().to_dict() == {"a": 2, "b": 2}
    assert any("column generation" in n for n in plan.notes)


def test_menus_alternate_over_the_days() -> None:
    plan = optimizer.plan(week_request(), foods=table([dict(r) for r in CHEAP_AND_DEAR]))
    by_day = plan.items.set_index("day")["food_id"].to_dict()
    assert [by_day[d] for d in (1, 2, 3, 4)] in (["a", "b", "a", "b"], ["b", "a", "b", "a"])


def _spec(request: optimizer.PlanRequest, tab: foods.FoodTable):
    targets, _ = compiler.resolve_targets(request)
    cands = select_candidates(request, tab.frame)
    return compiler.build_spec(request, tab, None, targets, cands, [])


MIXED = [
    {"food_id": f"f{i}", "name": f"F{i}", "protein_g": p, "fiber_g": fi, "price_per_100g": c}
    for i, (p, fi, c) in enumerate([(30, 2, 1.0), (12, 9, 1.2), (25, 5, 1.9), (8, 12, 1.1), (40, 0, 2.5),
                                     (18, 7, 1.4), (5, 15, 1.6), (22, 3, 0.9)])
]


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_column_week_agrees_with_the_full_week_model_and_its_bound_is_valid(solver: str) -> None:
    request = week_request(days=3, max_days_per_food=1, targets={"protein_g": {"min": 60}, "fiber_g": {"min": 15}},
                           solver=solver, relative_gap=1e-6)
    tab = table([dict(r) for r in MIXED])
    spec = _spec(request, tab)
    assert applicable(spec)
    options = SolveOptions(solver=solver, time_limit_s=30.0, relative_gap=1e-6)
    week = compose_by_columns(spec, options, Deadline(30.0))
    full = solve(build_model(replace(spec, symmetric_days=False)).problem, options)
    assert full.termination == "optimal"
    assert week is not None
    assert week.bound <= full.objective + 1e-6          # a lower bound of the true week optimum
    assert week.objective >= full.objective - 1e-6      # a real week, never better than the optimum
    assert week.objective == pytest.approx(full.objective, abs=1e-6)
    plan = optimizer.plan(request, foods=tab)
    assert plan.has_solution and plan.verification.passed
    assert plan.objective_value == pytest.approx(full.objective, abs=1e-6)
    assert plan.items.groupby("food_id")["day"].nunique().max() == 1


def test_master_dual_takes_the_smallest_multipliers() -> None:
    columns = [MenuColumn(1.0, frozenset({"a"})), MenuColumn(2.0, frozenset({"b"}))]
    master = build_master(columns, days=4, max_days={"a": 2, "b": 2}, big_m=20.0, integer=False)
    assert solve(master.problem, SolveOptions()).objective == pytest.approx(6.0)
    # the primal is degenerate: mu may be anything in [2, 20]; the written-out dual takes mu = 2, lambda_a = 1
    dual = build_master_dual(columns, days=4, max_days={"a": 2, "b": 2}, big_m=20.0)
    result = solve(dual.problem, SolveOptions())
    assert result.values[dual.mu.name] == pytest.approx(2.0)
    assert result.values[dual.lam["a"].name] == pytest.approx(1.0)
    assert result.values[dual.lam["b"].name] == pytest.approx(0.0)
    ip = build_master(columns + [MenuColumn(0.5, frozenset({"c"}), regimen=("s_pill", 1))], days=4,
                      max_days={"a": 2, "b": 2, "c": 2}, big_m=20.0, integer=True)
    # C is cheapest but needs another supplement regimen: one regimen all week, so A and B, not a mix with C
    assert solve(ip.problem, SolveOptions()).objective == pytest.approx(6.0)


def test_week_bound_is_never_above_the_plan() -> None:
    plan = optimizer.plan(week_request(days=5, max_days_per_food=2), foods=table([dict(r) for r in CHEAP_AND_DEAR]))
    # A 2 days, B 2 days, C 1 day: 2 + 4 + 3 = 9
    assert plan.objective_value == pytest.approx(9.0)
    assert plan.best_bound <= plan.objective_value + 1e-9
    assert plan.status == "optimal"


def _random_table(seed: int, n: int = 60) -> foods.FoodTable:
    import numpy as np

    rng = np.random.default_rng(seed)
    rows = [{"food_id": f"r{i}", "name": f"R{i}", "protein_g": float(rng.uniform(0, 30)),
             "fiber_g": float(rng.uniform(0, 12)), "price_per_100g": float(rng.uniform(0.2, 3.0)),
             "portion_grams": float(rng.choice([30.0, 100.0, 150.0]))} for i in range(n)]
    return table(rows)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_plans_over_a_food_pool_report_a_bound_over_every_candidate(seed: int) -> None:
    # 60 candidates (> 45): the integer model runs on an LP-chosen pool; locks on two of three days make three kinds
    # of day (no column generation). Whatever the pool, the reported bound must not exceed the true optimum.
    tab = _random_table(seed)
    locks = [optimizer.LockedItem(day=1, meal="day", food_id="r0", portions=1),
             optimizer.LockedItem(day=2, meal="day", food_id="r1", portions=1)]
    request = week_request(days=3, max_days_per_food=1, targets={"protein_g": {"min": 60}, "fiber_g": {"min": 20}},
                           locked=locks, relative_gap=1e-6)
    plan = optimizer.plan(request, foods=tab)
    assert plan.has_solution and plan.verification.passed
    assert any("chosen by LP rounds" in n for n in plan.notes)
    spec = _spec(request, tab)
    full = solve(build_model(spec).problem, SolveOptions(time_limit_s=60.0, relative_gap=1e-6))
    assert full.termination == "optimal"
    assert plan.best_bound is not None and plan.best_bound <= full.objective + 1e-6
    assert plan.objective_value >= full.objective - 1e-6
    if plan.status == "optimal":  # "optimal" means proven against every candidate
        assert plan.objective_value == pytest.approx(full.objective, rel=1e-6, abs=1e-6)


def test_a_pool_that_misses_the_best_food_does_not_claim_a_bound() -> None:
    # LP rounds prefer A (cheapest protein per gram) and then the fillers; B is never in the pool. In whole
    # portions B wins: 1 x B = $1.50 a day against 2 x A = $2.00. The pool's own bound ($2.00 a day) is no bound.
    rows = [{"food_id": "A", "name": "A", "protein_g": 50.0, "price_per_100g": 1.0},
            {"food_id": "B", "name": "B", "protein_g": 60.0, "price_per_100g": 1.5}]
    rows += [{"food_id": f"C{i}", "name": f"C{i}", "protein_g": 50.0, "price_per_100g": 1.01 + i / 100} for i in range(9)]
    rows += [{"food_id": f"J{i}", "name": f"J{i}", "protein_g": 0.0, "price_per_100g": 0.01} for i in range(40)]
    tab = table(rows)
    locks = [optimizer.LockedItem(day=1, meal="day", food_id="J0", portions=1),  # three kinds of day: no columns
             optimizer.LockedItem(day=2, meal="day", food_id="J1", portions=1)]
    request = week_request(days=3, max_days_per_food=None, targets={"protein_g": {"min": 60}}, locked=locks)
    plan = optimizer.plan(request, foods=tab)
    assert plan.has_solution and plan.verification.passed
    assert any("chosen by LP rounds" in n for n in plan.notes)
    true_optimum = 3 * 1.5 + 0.02
    assert plan.best_bound <= true_optimum + 1e-6
    assert plan.status != "optimal" or plan.objective_value == pytest.approx(true_optimum)
    day = optimizer.plan(week_request(days=1, max_days_per_food=None, targets={"protein_g": {"min": 60}}),
                         foods=tab)  # one day: every candidate
    assert day.status == "optimal" and day.objective_value == pytest.approx(1.5)


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_a_locked_day_is_a_kind_of_day_of_its_own(solver: str) -> None:
    # day 1 must have C (locked, $3 and enough protein); A and B cover the other three days within 2 days each:
    # the cheapest week is C + A + A + B = $7 (plus nothing else: one portion meets protein)
    lock = optimizer.LockedItem(day=1, meal="day", food_id="c", portions=1)
    request = week_request(solver=solver, locked=[lock])
    plan = optimizer.plan(request, foods=table([dict(r) for r in CHEAP_AND_DEAR]))
    assert plan.has_solution and plan.verification.passed
    assert plan.status == "optimal" and plan.objective_value == pytest.approx(7.0)
    assert any("2 kinds of day" in n for n in plan.notes)
    by_day = plan.items.groupby("day")["food_id"].apply(set).to_dict()
    assert by_day[1] == {"c"} and sorted(len(v) for v in by_day.values()) == [1, 1, 1, 1]


def test_locked_week_agrees_with_the_full_week_model() -> None:
    tab = table([dict(r) for r in MIXED])
    lock = optimizer.LockedItem(day=2, meal="day", food_id="f4", portions=1)
    request = week_request(days=3, max_days_per_food=1, targets={"protein_g": {"min": 60}, "fiber_g": {"min": 15}},
                           locked=[lock], relative_gap=1e-6)
    spec = _spec(request, tab)
    options = SolveOptions(time_limit_s=30.0, relative_gap=1e-6)
    week = compose_by_columns(spec, options, Deadline(30.0))
    full = solve(build_model(spec).problem, options)
    assert week is not None and full.termination == "optimal"
    assert week.bound <= full.objective + 1e-6 <= week.objective + 2e-6
    assert week.objective == pytest.approx(full.objective, abs=1e-6)
    plan = optimizer.plan(request, foods=tab)
    assert plan.has_solution and plan.verification.passed
    assert plan.objective_value == pytest.approx(full.objective, abs=1e-6)


def test_menus_needing_different_supplements_are_made_to_share_one_regimen() -> None:
    # A has vitamin D, B has none: the best day is A alone; the best day without A is B + a 1,000 IU tablet.
    # One regimen all week, so the week is A + tablet on 2 days and B + tablet on 2 days (or A-only days with
    # an A-free day impossible): column generation makes A again with the tablet fixed.
    cat = foods.load_supplements()
    tab = table([{"food_id": "A", "name": "A", "protein_g": 50.0, "vitamin_d_ug": 20.0, "price_per_100g": 1.0},
                 {"food_id": "B", "name": "B", "protein_g": 50.0, "vitamin_d_ug": 0.0, "price_per_100g": 1.2}])
    request = week_request(targets={"protein_g": {"min": 50}, "vitamin_d_ug": {"min": 15, "max": 100}},
                           supplements=["d3_1000iu"], objective="cost")
    plan = optimizer.plan(request, foods=tab, supplements=cat)
    assert plan.has_solution and plan.verification.passed
    doses = plan.supplements
    assert set(doses["supplement_id"]) == {"d3_1000iu"} and len(doses) == 4  # the same tablet every day
    assert plan.items.groupby("food_id")["day"].nunique().to_dict() == {"A": 2, "B": 2}
    assert any("column generation" in n for n in plan.notes)


@settings(max_examples=12, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10_000), days=st.integers(2, 4), k=st.integers(1, 2), n=st.integers(5, 8),
       lock_day=st.one_of(st.none(), st.integers(1, 2)))
def test_column_weeks_never_claim_more_than_the_full_model_allows(seed: int, days: int, k: int, n: int,
                                                                   lock_day: int | None) -> None:
    # random small weeks (interchangeable, or with one locked day): the composed week is never better than the
    # true optimum, its bound never above it, and "optimal" means optimal
    import numpy as np

    rng = np.random.default_rng(seed)
    rows = [{"food_id": f"q{i}", "name": f"Q{i}", "protein_g": float(rng.uniform(5, 40)),
             "fiber_g": float(rng.uniform(0, 10)), "price_per_100g": float(rng.uniform(0.3, 3.0))} for i in range(n)]
    tab = table(rows)
    locks = [optimizer.LockedItem(day=lock_day, meal="day", food_id="q0", portions=1)] if lock_day else []
    request = week_request(days=days, max_days_per_food=k, targets={"protein_g": {"min": 40}, "fiber_g": {"min": 6}},
                           locked=locks, relative_gap=1e-6)
    spec = _spec(request, tab)
    full = solve(build_model(spec).problem, SolveOptions(time_limit_s=60.0, relative_gap=1e-6))
    week = compose_by_columns(spec, SolveOptions(time_limit_s=30.0, relative_gap=1e-6), Deadline(30.0))
    if full.termination == "infeasible":
        assert week is None or not week.found
        return
    assert full.termination == "optimal"
    assert week is not None and week.bound <= full.objective + 1e-6
    if week.found:
        assert week.objective >= full.objective - 1e-6
        if week.objective - week.bound <= 1e-6 * max(1.0, abs(week.objective)):
            assert week.objective == pytest.approx(full.objective, abs=1e-6)


def test_an_objective_cutoff_finds_a_good_enough_day_or_proves_there_is_none() -> None:
    from optimizer.model.builder import cap_objective

    spec = _spec(week_request(days=1, max_days_per_food=None), table([dict(r) for r in CHEAP_AND_DEAR]))
    below = build_model(spec)
    cap_objective(below, 0.99)  # the cheapest day costs $1
    assert solve(below.problem, SolveOptions()).termination == "infeasible"
    at = build_model(spec)
    cap_objective(at, 1.0 + 1e-6)
    result = solve(at.problem, SolveOptions())
    assert result.termination == "optimal" and result.objective == pytest.approx(1.0)
