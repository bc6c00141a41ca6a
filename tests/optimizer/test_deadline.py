"""One deadline per plan() call, and the same plan on a quiet or a busy machine.

No test here measures wall-clock time: the deadline reads an injected clock, so "the machine is slow" and "the
deadline has passed" are simulated exactly and the outcome never depends on the speed of the machine."""

from __future__ import annotations

import itertools
import math

import pandas as pd
import pytest

import foods
import optimizer
from optimizer.domain.errors import RequestError
from optimizer.planner import plan
from optimizer.solve.adapter import SolveOptions
from optimizer.solve.deadline import FINISH_RESERVE_S, KILL_GRACE_S, Deadline
from optimizer.solve.status import Termination


class SteppingClock:
    """A clock that moves ``step`` seconds every time it is read (a busy machine: time passes, work does not)."""

    def __init__(self, step: float) -> None:
        self.now = 1000.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def small_week_table() -> foods.FoodTable:
    rows = []
    for i, (name, group, kcal, protein, mg, portion) in enumerate(itertools.product(
            ["oats", "lentils", "yogurt", "spinach", "apple", "bread", "tofu", "rice", "beans", "milk", "nuts", "egg"],
            ["g"], [350.0], [12.0], [120.0], [60.0])):
        rows.append({"food_id": f"f{i:02d}", "name": name, "group": group, "energy_kcal": kcal + 10 * i,
                     "protein_g": protein + i, "magnesium_mg": mg + 7 * i, "portion_name": "portion",
                     "portion_grams": portion + 5 * i})
    return foods.FoodTable.from_frame(pd.DataFrame(rows))


def small_week_request(days: int = 2) -> optimizer.PlanRequest:
    return optimizer.PlanRequest(targets={"energy_kcal": {"min": 1600, "max": 2200}, "protein_g": {"min": 50},
                                          "magnesium_mg": {"min": 300}},
                                 days=days, supplements=[], meals=("breakfast", "lunch", "dinner"),
                                 max_days_per_food=1, min_foods_per_day=4)


def fingerprint(p: optimizer.Plan) -> tuple:
    items = tuple(sorted((int(r.day), str(r.meal), str(r.food_id), round(float(r.grams), 6))
                         for r in p.items.itertuples()))
    return p.status, p.has_solution, round(p.objective_value or math.nan, 9), items


def test_deadline_options_never_outlast_the_deadline() -> None:
    clock = SteppingClock(0.0)
    deadline = Deadline(5.0, clock)
    clock.now += 2.0  # 3 s left
    limited = deadline.options(SolveOptions(time_limit_s=20.0))
    assert limited.time_limit_s == pytest.approx(3.0 - FINISH_RESERVE_S)
    assert limited.hard_limit_s == pytest.approx(3.0 - FINISH_RESERVE_S + KILL_GRACE_S)
    assert deadline.options(SolveOptions(time_limit_s=1.0)).time_limit_s == pytest.approx(1.0)
    clock.now += 10.0
    assert deadline.expired()
    assert Deadline(None).remaining() == math.inf


@pytest.mark.parametrize("bad", [math.inf, math.nan, 0.0, -1.0, True])
def test_time_limits_are_finite_and_positive(bad: float) -> None:
    with pytest.raises(RequestError):
        Deadline(bad)
    with pytest.raises(RequestError):
        plan(small_week_request(1), foods=small_week_table(), time_limit_s=bad)


def test_a_plan_whose_deadline_passes_returns_at_once_and_says_so() -> None:
    """The clock jumps 1,000 s at its third reading: every solve after that must be skipped or cut to nothing."""
    readings = itertools.count()
    base = 5000.0

    def clock() -> float:
        return base + (0.0 if next(readings) < 2 else 1000.0)

    result = plan(small_week_request(3), foods=small_week_table(), time_limit_s=5.0, clock=clock)
    assert result.status == Termination.TIME_LIMIT
    assert not result.has_solution
    assert result.explanation is not None and "time limit" in result.explanation.summary
    assert any("time_limit_s" in fix.request_update for fix in result.explanation.fixes)


def test_the_same_request_gives_the_same_plan_on_a_quiet_and_a_busy_machine() -> None:
    """Strategy choices use work limits only: a clock that races (5 s per reading, as on an overloaded machine)
    changes nothing as long as the deadline is not reached."""
    table, request = small_week_table(), small_week_request(3)
    quiet = plan(request, foods=table, time_limit_s=3600.0)
    busy = plan(request, foods=table, time_limit_s=3600.0, clock=SteppingClock(5.0))
    again = plan(request, foods=table, time_limit_s=3600.0)
    assert quiet.has_solution
    assert fingerprint(quiet) == fingerprint(busy) == fingerprint(again)
    assert quiet.method == busy.method != ""
