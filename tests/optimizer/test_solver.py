"""The solver adapter: two-part status, limits, duals, warm start — on both CBC and HiGHS.

Small instances with hand-computed answers. No wall-clock assertions: limits are checked through the
termination the adapter reports.
"""

from __future__ import annotations

import random

import pulp
import pytest

from optimizer.domain.errors import RequestError
from optimizer.solve.adapter import SolveOptions, SolveResult, solve
from optimizer.solve.status import relative_gap

SOLVERS = ["highs", "cbc"]


def two_food_lp(second_row: str = "xmin") -> pulp.LpProblem:
    """min 2x + 3y s.t. x + y >= 4 ("need") and x >= 1 ("xmin") or y >= 1 ("ymin")."""
    problem = pulp.LpProblem("two_food", pulp.LpMinimize)
    x, y = problem.add_variable("x", 0), problem.add_variable("y", 0)
    problem += 2 * x + 3 * y
    problem += x + y >= 4, "need"
    problem += (x >= 1, "xmin") if second_row == "xmin" else (y >= 1, "ymin")
    return problem


def small_mip() -> pulp.LpProblem:
    """max 5a + 4b s.t. 6a + 4b <= 24, a + 2b <= 6, a, b integer >= 0: LP optimum 21 at (3, 1.5),
    integer optimum 20 at (4, 0)."""
    problem = pulp.LpProblem("small_mip", pulp.LpMaximize)
    a = problem.add_variable("a", 0, cat="Integer")
    b = problem.add_variable("b", 0, cat="Integer")
    problem += 5 * a + 4 * b
    problem += 6 * a + 4 * b <= 24, "wood"
    problem += a + 2 * b <= 6, "labour"
    return problem


def hard_knapsack(n: int = 80, m: int = 5, seed: int = 1) -> pulp.LpProblem:
    """A random multi-dimensional 0-1 knapsack neither solver proves optimal within several seconds."""
    rnd = random.Random(seed)
    problem = pulp.LpProblem("knapsack", pulp.LpMaximize)
    items = [problem.add_variable(f"item_{i:02d}", 0, 1, cat="Integer") for i in range(n)]
    weights = [[rnd.randint(20, 100) for _ in range(n)] for _ in range(m)]
    values = [sum(weights[k][i] for k in range(m)) / m + rnd.randint(0, 10) for i in range(n)]
    problem += pulp.lpSum(values[i] * items[i] for i in range(n))
    for k in range(m):
        problem += pulp.lpSum(weights[k][i] * items[i] for i in range(n)) <= sum(weights[k]) // 2, f"capacity_{k}"
    return problem


def market_split(m: int = 5, seed: int = 3, planted: list[int] | None = None) -> pulp.LpProblem:
    """A market-split problem (Cornuejols-Dawande): m equality rows over 10(m-1) binaries, right-hand sides
    half the row sums (or the row activity at a ``planted`` 0-1 point). Feasible points are so rare that
    neither solver finds one, or proves there is none, within a fraction of a second."""
    rnd = random.Random(seed)
    n = 10 * (m - 1)
    problem = pulp.LpProblem("market_split", pulp.LpMinimize)
    x = [problem.add_variable(f"x_{i:02d}", 0, 1, cat="Integer") for i in range(n)]
    problem += pulp.lpSum(x)
    for k in range(m):
        weights = [rnd.randint(0, 99) for _ in range(n)]
        rhs = sum(weights) // 2 if planted is None else sum(w * p for w, p in zip(weights, planted))
        problem += pulp.lpSum(weights[i] * x[i] for i in range(n)) == rhs, f"split_{k}"
    return problem


@pytest.mark.parametrize("solver", SOLVERS)
def test_lp_optimal_values_by_name_and_hand_computed_duals(solver: str) -> None:
    result = solve(two_food_lp("xmin"), SolveOptions(solver=solver, want_duals=True))
    assert result.termination == "optimal" and result.has_solution
    assert result.values == pytest.approx({"x": 4.0, "y": 0.0}, abs=1e-7)
    assert result.objective == pytest.approx(8.0)
    assert result.bound == pytest.approx(8.0) and result.gap == 0.0
    # one more unit of "need" costs one more unit of the cheaper food x: 2; "xmin" is slack: 0
    assert result.duals == pytest.approx({"need": 2.0, "xmin": 0.0}, abs=1e-7)


@pytest.mark.parametrize("solver", SOLVERS)
def test_duals_when_two_rows_bind(solver: str) -> None:
    problem = two_food_lp("ymin")
    result = solve(problem, SolveOptions(solver=solver, want_duals=True))
    assert result.objective == pytest.approx(9.0)  # x = 3, y = 1
    # raising ymin by one swaps one x (2) for one y (3): +1; raising need adds one x: +2
    assert result.duals == pytest.approx({"need": 2.0, "ymin": 1.0}, abs=1e-7)
    assert problem.constraints()[0].pi == pytest.approx(2.0)  # written back into PuLP's model


@pytest.mark.parametrize("solver", SOLVERS)
def test_duals_of_a_maximisation_follow_the_objective_sense(solver: str) -> None:
    problem = pulp.LpProblem("max", pulp.LpMaximize)
    x, y = problem.add_variable("x", 0), problem.add_variable("y", 0)
    problem += 3 * x + 2 * y
    problem += x + y <= 4, "cap"
    problem += x <= 3, "xcap"
    result = solve(problem, SolveOptions(solver=solver, want_duals=True))
    assert result.objective == pytest.approx(11.0)
    assert result.duals == pytest.approx({"cap": 2.0, "xcap": 1.0}, abs=1e-7)


@pytest.mark.parametrize("solver", SOLVERS)
def test_duals_only_when_asked(solver: str) -> None:
    assert solve(two_food_lp(), SolveOptions(solver=solver)).duals == {}


@pytest.mark.parametrize("solver", SOLVERS)
def test_mip_optimal(solver: str) -> None:
    problem = small_mip()
    result = solve(problem, SolveOptions(solver=solver, relative_gap=0.0))
    assert result.termination == "optimal" and result.has_solution and result.is_mip
    assert result.values == pytest.approx({"a": 4.0, "b": 0.0}, abs=1e-7)
    assert result.objective == pytest.approx(20.0)
    assert result.gap == pytest.approx(0.0, abs=1e-9)
    assert problem.variablesDict()["a"].varValue == pytest.approx(4.0)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("integer", [False, True])
def test_infeasible(solver: str, integer: bool) -> None:
    problem = pulp.LpProblem("infeasible", pulp.LpMinimize)
    x = problem.add_variable("x", 0, cat="Integer" if integer else "Continuous")
    y = problem.add_variable("y", 0)
    problem += 2 * x + 3 * y
    problem += x + y >= 4, "need"
    problem += x + y <= 3, "cap"
    result = solve(problem, SolveOptions(solver=solver, want_duals=True))
    assert result.termination == "infeasible"
    assert not result.has_solution and result.values == {} and result.objective is None and result.duals == {}


@pytest.mark.parametrize("solver", SOLVERS)
def test_unbounded(solver: str) -> None:
    problem = pulp.LpProblem("unbounded", pulp.LpMinimize)
    x, y = problem.add_variable("x", 0), problem.add_variable("y", 0)
    problem += -x - y
    problem += x - y <= 1, "row"
    result = solve(problem, SolveOptions(solver=solver))
    assert result.termination == "unbounded" and not result.has_solution


@pytest.mark.parametrize("solver", SOLVERS)
def test_time_limited_stop_is_never_called_optimal(solver: str) -> None:
    result = solve(hard_knapsack(), SolveOptions(solver=solver, time_limit_s=0.05, relative_gap=0.0))
    assert result.termination == "time_limit"
    if result.has_solution:  # an incumbent: usable, with a bound and a positive gap
        assert result.values and result.objective is not None
        assert result.bound is not None and result.bound >= result.objective
        assert result.gap is not None and result.gap > 0
    else:
        assert result.values == {} and result.objective is None


@pytest.mark.parametrize("solver", SOLVERS)
def test_time_limit_without_an_incumbent_has_no_solution(solver: str) -> None:
    result = solve(market_split(), SolveOptions(solver=solver, time_limit_s=0.05, relative_gap=0.0))
    assert result.termination == "time_limit"
    assert not result.has_solution and result.values == {} and result.objective is None
    assert "no solution" in result.message


@pytest.mark.parametrize("solver", SOLVERS)
def test_hard_limit_holds_when_the_solver_has_no_limit_of_its_own(solver: str) -> None:
    options = SolveOptions(solver=solver, time_limit_s=None, relative_gap=0.0, hard_limit_s=1.0)
    result = solve(hard_knapsack(), options)
    assert result.termination == "time_limit"
    assert not result.has_solution and result.values == {} and result.objective is None
    assert "hard wall-clock limit" in result.message
    # the adapter recovers: the next solve on the same solver works
    assert solve(small_mip(), SolveOptions(solver=solver)).termination == "optimal"


@pytest.mark.parametrize("solver", SOLVERS)
def test_warm_start_reaches_the_solver(solver: str) -> None:
    # a market split with a planted solution: neither solver finds a feasible point by itself in 0.05 s,
    # so a plan at the time limit can only come from the start we pass
    rnd = random.Random(7)
    planted = [rnd.randint(0, 1) for _ in range(40)]
    problem = market_split(m=5, seed=4, planted=planted)
    for variable, value in zip(sorted(problem.variables(), key=lambda v: v.name), planted):
        variable.setInitialValue(value)
    result = solve(problem, SolveOptions(solver=solver, time_limit_s=0.05, relative_gap=0.0, warm_start=True))
    assert result.has_solution and result.termination in ("time_limit", "optimal")
    assert result.objective <= sum(planted) + 1e-9


@pytest.mark.parametrize("solver", SOLVERS)
def test_empty_model_and_constant_objective(solver: str) -> None:
    problem = pulp.LpProblem("empty", pulp.LpMinimize)
    problem += pulp.LpAffineExpression(constant=5.0)
    result = solve(problem, SolveOptions(solver=solver))
    assert result.termination == "optimal" and result.objective == 5.0


def test_result_prints_like_linopy() -> None:
    text = str(solve(small_mip(), SolveOptions(solver="highs")))
    for part in ("Termination: optimal", "Has solution: True", "Runtime:", "Objective: 20", "Bound:", "Gap:"):
        assert part in text


def test_result_is_a_frozen_record() -> None:
    result = solve(two_food_lp(), SolveOptions())
    assert isinstance(result, SolveResult)
    with pytest.raises(AttributeError):
        result.termination = "error"  # type: ignore[misc]


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"solver": "gurobi"}, ["gurobi", "highs", "cbc"]),
        ({"time_limit_s": -1}, ["time_limit_s"]),
        ({"hard_limit_s": 0}, ["hard_limit_s"]),
        ({"relative_gap": -0.01}, ["relative_gap"]),
        ({"threads": 0}, ["threads"]),
    ],
)
def test_invalid_options_are_rejected_with_the_choice(kwargs: dict, words: list[str]) -> None:
    with pytest.raises(RequestError) as error:
        SolveOptions(**kwargs)
    assert all(word in str(error.value) for word in words)


def test_options_normalise_and_default_the_hard_limit() -> None:
    assert SolveOptions(solver="HiGHS").solver == "highs"
    assert SolveOptions(time_limit_s=20).effective_hard_limit_s == pytest.approx(32.0)
    assert SolveOptions(time_limit_s=20, hard_limit_s=5).effective_hard_limit_s == 5.0


def test_solve_rejects_what_is_not_a_pulp_model() -> None:
    with pytest.raises(RequestError, match="pulp.LpProblem"):
        solve("min x", SolveOptions())  # type: ignore[arg-type]


def test_relative_gap_definition() -> None:
    assert relative_gap(100.0, 99.0) == pytest.approx(0.01)
    assert relative_gap(0.0, 0.0) == 0.0
    assert relative_gap(5.0, None) is None


def test_highs_thread_counts_can_change_between_solves() -> None:
    for threads in (None, 2, None):
        assert solve(small_mip(), SolveOptions(solver="highs", threads=threads)).termination == "optimal"


@pytest.mark.parametrize("solver", SOLVERS)
def test_every_termination_is_a_plan_termination(solver: str) -> None:
    from optimizer.solve.status import Termination

    problems = [two_food_lp(), small_mip(), hard_knapsack()]
    for problem in problems:
        result = solve(problem, SolveOptions(solver=solver, time_limit_s=0.05, relative_gap=0.0))
        assert isinstance(result.termination, Termination)


def test_concurrent_solves_from_threads_do_not_mix_up_results() -> None:
    from concurrent.futures import ThreadPoolExecutor

    problems = [two_food_lp("xmin"), two_food_lp("ymin"), small_mip()]
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda p: solve(p, SolveOptions(solver="highs")), problems))
    assert [r.objective for r in results] == pytest.approx([8.0, 9.0, 20.0])


@pytest.mark.parametrize("solver", SOLVERS)
def test_a_nan_coefficient_is_an_error_naming_the_row_never_a_wrong_optimum(solver: str) -> None:
    problem = pulp.LpProblem("broken", pulp.LpMinimize)
    x, y = problem.add_variable("x", 0), problem.add_variable("y", 0)
    problem += 2 * x + 3 * y
    problem += pulp.LpConstraint(pulp.LpAffineExpression([(x, float("nan")), (y, 1.0)]), pulp.LpConstraintGE, "need", 4)
    result = solve(problem, SolveOptions(solver=solver))
    assert result.termination == "error" and not result.has_solution
    assert "need" in result.message and "x" in result.message


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
def test_a_forked_child_gets_its_own_worker() -> None:
    import multiprocessing

    assert solve(small_mip(), SolveOptions(solver="highs")).termination == "optimal"  # parent has a worker
    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:
        objective = pool.apply(_solve_small_mip_objective)
    assert objective == pytest.approx(20.0)
    assert solve(small_mip(), SolveOptions(solver="highs")).objective == pytest.approx(20.0)  # parent unharmed


def _solve_small_mip_objective() -> float | None:
    return solve(small_mip(), SolveOptions(solver="highs")).objective
