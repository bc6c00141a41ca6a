"""Swapping keeps the day sensible (issue 14): no food twice in a day, and the week's status stays the week's."""

from __future__ import annotations

import pytest

import foods
from optimizer.domain.errors import RequestError
from optimizer.editing import suggest_substitutes, swap_item
from optimizer.planner import plan as make_plan
from tests.optimizer.conftest import small_request, small_table


@pytest.fixture(scope="module")
def setting():
    table, catalogue = small_table(), foods.load_supplements()
    week = make_plan(small_request(objective="cost", min_foods_per_day=3), table, catalogue)
    assert week.has_solution
    return week, table, catalogue


def test_substitutes_never_duplicate_a_food_of_that_day(setting) -> None:
    week, table, catalogue = setting
    items = week.items[week.items["day"] == 1]
    assert items["meal"].nunique() > 1, "the test needs a day with foods at more than one meal"
    day, meal, food_id = tuple(items[["day", "meal", "food_id"]].iloc[0])
    elsewhere = set(items.loc[items["meal"] != meal, "food_id"])
    subs = suggest_substitutes(week, day, meal, food_id, foods=table, supplements=catalogue, limit=20,
                               max_candidates=20)
    assert not set(subs["food_id"]) & set(items["food_id"]), "a substitute is already eaten that day"
    other = min(elsewhere - {food_id})
    with pytest.raises(RequestError, match="already eaten on day 1"):
        swap_item(week, day, meal, food_id, other, foods=table, supplements=catalogue)


def test_after_a_swap_the_status_is_the_weeks_with_a_note(setting) -> None:
    week, table, catalogue = setting
    day, meal, food_id = tuple(week.items.loc[week.items["day"] == 2, ["day", "meal", "food_id"]].iloc[0])
    subs = suggest_substitutes(week, day, meal, food_id, foods=table, supplements=catalogue, limit=3)
    choice = subs[subs["feasible"]].iloc[0]
    swapped = swap_item(week, day, meal, food_id, choice["food_id"], foods=table, supplements=catalogue)
    assert swapped.has_solution
    assert swapped.runtime_s == week.runtime_s and swapped.gap == week.gap
    assert swapped.status == week.status
    assert swapped.notes[-1].startswith(f"Day {day} {meal}: ") and "only that day was re-planned" in swapped.notes[-1]
