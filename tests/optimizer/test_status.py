"""The solver layer's status vocabulary: every HiGHS and CBC status is mapped, nothing is optimal without a solution."""

from __future__ import annotations

import highspy
import pulp
import pytest

from optimizer.solve.adapter import SOLVERS, SolveOptions, SolveResult, solve
from optimizer.solve.status import HIGHS_TERMINATION, Termination, cbc_termination, judged, relative_gap


def test_every_highs_model_status_is_mapped() -> None:
    names = {name for name in dir(highspy.HighsModelStatus) if name.startswith("k")}
    assert names <= set(HIGHS_TERMINATION), sorted(names - set(HIGHS_TERMINATION))


def test_an_empty_model_from_highs_is_an_error_not_optimal() -> None:
    assert HIGHS_TERMINATION["kModelEmpty"] is Termination.ERROR


@pytest.mark.parametrize(("line", "expected"), [
    ("Optimal - objective value 1.5", Termination.OPTIMAL),
    ("Infeasible - objective value 0", Termination.INFEASIBLE),
    ("Integer infeasible - objective value 0", Termination.INFEASIBLE),
    ("Unbounded - objective value 0", Termination.UNBOUNDED),
    ("Stopped on time - objective value 3", Termination.TIME_LIMIT),
    ("Stopped on iterations - objective value 3", Termination.WORK_LIMIT),
    ("Stopped on nodes - objective value 3", Termination.WORK_LIMIT),
    ("Stopped on difficulties - objective value 3", Termination.ERROR),
    ("Stopped on ctrl-c - objective value 3", Termination.NOT_SOLVED),
    ("", Termination.ERROR),
])
def test_cbc_status_lines(line: str, expected: Termination) -> None:
    assert cbc_termination(line, "") is expected


@pytest.mark.parametrize("solver", SOLVERS)
def test_huge_coefficients_are_never_reported_optimal(solver: str) -> None:
    """A food with 1e30 mg magnesium per 100 g made HiGHS return kModelEmpty, once reported as optimal."""
    problem = pulp.LpProblem("huge", pulp.LpMinimize)
    x, y = pulp.LpVariable("x", 0), pulp.LpVariable("y", 0, 500)
    problem += pulp.LpAffineExpression([(x, 1.0), (y, 1.0)])
    problem += pulp.LpConstraint(pulp.LpAffineExpression([(x, 1e30), (y, 1.0)]), pulp.LpConstraintGE, "mg", 400)
    result = solve(problem, SolveOptions(solver=solver))
    assert result.termination is not Termination.OPTIMAL
    assert not result.has_solution


def test_a_result_is_never_optimal_without_a_solution() -> None:
    result = SolveResult(termination="optimal", has_solution=False, solver="highs")
    assert result.termination is Termination.ERROR
    assert "without a solution" in result.message


def test_termination_values_are_the_stored_strings() -> None:
    assert Termination("time_limit") is Termination.TIME_LIMIT
    assert f"{Termination.OPTIMAL}" == "optimal"


def test_the_one_gap_function() -> None:
    assert relative_gap(100.0, 99.0) == pytest.approx(0.01)
    assert relative_gap(0.0, 0.0) == 0.0
    assert relative_gap(1.0, None) is None
    assert judged(1.0, 0.995, 0.01) == (pytest.approx(0.005), Termination.OPTIMAL)
    assert judged(1.0, 0.5, 0.01) == (pytest.approx(0.5), Termination.TIME_LIMIT)
    assert judged(1.0, 0.5, 0.01, stopped_by=Termination.WORK_LIMIT)[1] is Termination.WORK_LIMIT
    assert judged(1.0, None, 0.01) == (None, Termination.TIME_LIMIT)  # never optimal without a bound
