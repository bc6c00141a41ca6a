"""Editing a plan: replan with locks/exclusions/single days, compare_plans, suggest_substitutes, duplicate_week."""

from __future__ import annotations

import pytest

import foods
from optimizer.domain.errors import RequestError
from optimizer.editing import (
    PlanDiff,
    compare_plans,
    duplicate_week,
    replan,
    suggest_substitutes,
    swap_item,
    unlock,
)
from optimizer.planner import plan as make_plan
from optimizer.results.verify import verify_plan
from tests.optimizer.conftest import GOOD_DOSES, GOOD_ITEMS, hand_plan, small_request, small_table, small_targets


@pytest.fixture(scope="module")
def table() -> foods.FoodTable:
    return small_table()


@pytest.fixture(scope="module")
def catalogue():
    return foods.load_supplements()


@pytest.fixture(scope="module")
def week(table, catalogue):
    """A solved 2-day household plan on the small catalogue (cost objective)."""
    result = make_plan(small_request(objective="cost", min_foods_per_day=2), table, catalogue)
    assert result.has_solution
    return result


def day_rows(plan, day: int) -> list[tuple]:
    items = plan.items
    items = items[items["day"] == day].sort_values(["meal", "food_id"])
    return list(items[["meal", "food_id", "portions", "grams"]].itertuples(index=False, name=None))


def day_doses(plan, day: int) -> list[tuple]:
    return sorted((r.supplement_id, r.units) for r in plan.supplement_rows if r.day == day)


# -- replan ---------------------------------------------------------------------------------------------
def test_only_days_leaves_the_other_days_identical(week, table, catalogue) -> None:
    used_day2 = set(week.items.loc[week.items["day"] == 2, "food_id"])
    banned = min(used_day2)
    new = replan(week, only_days=[2], exclude_foods=[banned], foods=table, supplements=catalogue)
    assert new.has_solution, new.notes
    assert new.verification is not None and new.verification.passed
    assert day_rows(new, 1) == day_rows(week, 1)
    assert day_doses(new, 1) == day_doses(week, 1)
    assert banned not in set(new.items.loc[new.items["day"] == 2, "food_id"])
    assert verify_plan(new, table, catalogue).passed
    # totals of the untouched day are unchanged, of the re-optimised day recomputed from the catalogue
    assert new.totals.loc[1].to_dict() == pytest.approx(week.totals.loc[1].to_dict())


def test_lock_items_keeps_them(week, table, catalogue) -> None:
    slot = tuple(week.items.loc[week.items["day"] == 2, ["day", "meal", "food_id"]].iloc[0])
    original = week.items.set_index(["day", "meal", "food_id"]).loc[slot]
    new = replan(week, lock_items=[slot], foods=table, supplements=catalogue)
    assert new.has_solution
    assert any((x.day, x.meal, x.food_id) == slot for x in new.request.locked)
    kept = new.items.set_index(["day", "meal", "food_id"]).loc[slot]
    assert kept["portions"] == original["portions"]
    assert kept["grams"] == pytest.approx(original["grams"])


def test_lock_days_keeps_every_item_of_the_day(week, table, catalogue) -> None:
    new = replan(week, lock_days=[1], exclude_foods=[], foods=table, supplements=catalogue)
    assert new.has_solution
    new_day1 = set(day_rows(new, 1))
    for row in day_rows(week, 1):
        assert row in new_day1
    assert {x.day for x in new.request.locked} == {1}


def test_exclude_item_forbids_that_slot_and_keeps_the_rest_of_the_day(week, table, catalogue) -> None:
    day, meal, food_id = tuple(week.items.loc[week.items["day"] == 1, ["day", "meal", "food_id"]].iloc[0])
    new = replan(week, exclude_items=[(day, meal, food_id)], foods=table, supplements=catalogue)
    assert new.has_solution, new.notes
    items = new.items
    assert items[(items["day"] == day) & (items["meal"] == meal) & (items["food_id"] == food_id)].empty
    rest = [r for r in day_rows(week, 1) if not (r[0] == meal and r[1] == food_id)]
    assert set(rest) <= set(day_rows(new, 1))
    assert day_rows(new, 2) == day_rows(week, 2)


def test_replan_names_a_missing_item_or_day(week, table, catalogue) -> None:
    with pytest.raises(RequestError, match="No item ghost at day 1, morning"):
        replan(week, lock_items=[(1, "morning", "ghost")], foods=table, supplements=catalogue)
    with pytest.raises(RequestError, match="Day 5 is not in this plan"):
        replan(week, only_days=[5], foods=table, supplements=catalogue)


def test_exclude_item_marks_only_the_requested_locks(week, table, catalogue) -> None:
    # the one-day problem holds the rest of the day fixed internally; that must not show up as user locks
    day, meal, food_id = tuple(week.items.loc[week.items["day"] == 1, ["day", "meal", "food_id"]].iloc[0])
    new = replan(week, exclude_items=[(day, meal, food_id)], foods=table, supplements=catalogue)
    assert new.has_solution and new.request.locked == ()
    assert not new.items["locked"].any()
    assert not new.supplements["locked"].any()


# -- unlock -----------------------------------------------------------------------------------------------
def test_unlock_releases_items_days_or_everything(week, table, catalogue) -> None:
    slot = tuple(week.items.loc[week.items["day"] == 1, ["day", "meal", "food_id"]].iloc[0])
    slot = (int(slot[0]), str(slot[1]), str(slot[2]))
    locked = replan(week, lock_items=[slot], lock_days=[2], foods=table, supplements=catalogue)
    assert locked.has_solution
    slots = lambda p: {(x.day, x.meal, x.food_id) for x in p.request.locked}  # noqa: E731
    assert slot in slots(locked) and {x.day for x in locked.request.locked} == {1, 2}
    assert {x.day for x in locked.request.locked_supplements} == {2}

    # locks carry over to the next re-plan until released
    assert slot in slots(replan(locked, foods=table, supplements=catalogue))

    one = unlock(locked, items=[slot])
    assert slot not in slots(one) and {x.day for x in one.request.locked} == {2}
    assert one.request.locked_supplements == locked.request.locked_supplements
    assert one.item_rows == [r.model_copy(update={"locked": False}) if (r.day, r.meal, r.food_id) == slot else r
                             for r in locked.item_rows]  # foods unchanged, only the flag
    day2 = unlock(locked, days=[2])
    assert slots(day2) == {slot} and day2.request.locked_supplements == ()
    assert not day2.items.loc[day2.items["day"] == 2, "locked"].any() and not day2.supplements["locked"].any()
    free = unlock(locked, everything=True)
    assert free.request.locked == () and free.request.locked_supplements == ()
    assert not free.items["locked"].any()

    again = replan(locked, unlock_items=[slot], unlock_days=[2], foods=table, supplements=catalogue)
    assert again.has_solution and again.request.locked == () and again.request.locked_supplements == ()
    with pytest.raises(RequestError, match="No item ghost"):
        unlock(locked, items=[(1, "morning", "ghost")])
    with pytest.raises(RequestError, match="Day 9 is not in this plan"):
        unlock(locked, days=[9])


# -- swap -------------------------------------------------------------------------------------------------
def test_swap_item_applies_a_ranked_substitute(week, table, catalogue) -> None:
    day, meal, food_id = tuple(week.items.loc[week.items["day"] == 1, ["day", "meal", "food_id"]].iloc[0])
    subs = suggest_substitutes(week, day, meal, food_id, foods=table, supplements=catalogue, limit=4)
    choice = subs[subs["feasible"]].iloc[0]
    swapped = swap_item(week, day, meal, food_id, choice["food_id"], foods=table, supplements=catalogue)
    assert swapped.has_solution, swapped.notes
    assert swapped.verification is not None and swapped.verification.passed
    assert verify_plan(swapped, table, catalogue).passed
    at_slot = swapped.items[(swapped.items["day"] == day) & (swapped.items["meal"] == meal)]
    assert choice["food_id"] in set(at_slot["food_id"]) and food_id not in set(at_slot["food_id"])
    assert at_slot.loc[at_slot["food_id"] == choice["food_id"], "portions"].sum() >= 1
    assert day_rows(swapped, 2) == day_rows(week, 2)  # the other day is untouched
    assert "swapped for" in swapped.notes[-1]
    assert swapped.request == week.request  # a swap adds no locks
    with pytest.raises(RequestError, match="not in the catalogue"):
        swap_item(week, day, meal, food_id, "nope", foods=table, supplements=catalogue)
    with pytest.raises(RequestError, match="for itself"):
        swap_item(week, day, meal, food_id, food_id, foods=table, supplements=catalogue)


def test_swap_that_breaks_the_rules_returns_the_plan_unsolved(table, catalogue) -> None:
    # at most 1 g of salmon a day: a swap that needs a whole portion of it cannot keep every rule
    plan = make_plan(small_request(objective="cost", min_foods_per_day=2, food_bounds={"salmon": {"max": 1}}),
                     table, catalogue)
    assert plan.has_solution
    day, meal, food_id = tuple(plan.items[["day", "meal", "food_id"]].iloc[0])
    result = swap_item(plan, day, meal, food_id, "salmon", foods=table, supplements=catalogue)
    assert not result.has_solution and result.status == "infeasible"
    assert "cannot be swapped for Salmon" in result.notes[-1] and result.explanation is not None
    assert result.item_rows == plan.item_rows  # nothing half-swapped


# -- compare ----------------------------------------------------------------------------------------------
def test_compare_plans_arithmetic(table, catalogue) -> None:
    a = hand_plan(table, catalogue)
    items_b = [i for i in GOOD_ITEMS if not (i[0] == 1 and i[2] == "beans")]          # removed: 340 g beans
    items_b = [(d, m, f, 2 if (d, f) == (2, "salmon") else p) for d, m, f, p in items_b]  # changed: 150 -> 300 g
    items_b.append((1, "evening", "almond", 1))                                          # added: 28 g almonds
    doses_b = [*GOOD_DOSES[:2], (2, "mg_citrate_100mg", 2)]
    b = hand_plan(table, catalogue, items=items_b, doses=doses_b)
    diff = compare_plans(a, b)
    assert isinstance(diff, PlanDiff)
    by_food = {(c.day, c.meal, c.food_id): c for c in diff.items}
    assert set(by_food) == {(1, "evening", "beans"), (2, "evening", "salmon"), (1, "evening", "almond")}
    assert by_food[(1, "evening", "beans")].change == "removed"
    assert by_food[(1, "evening", "beans")].grams_delta == pytest.approx(-340)
    assert by_food[(2, "evening", "salmon")].change == "changed"
    assert (by_food[(2, "evening", "salmon")].grams_a, by_food[(2, "evening", "salmon")].grams_b) == (150, 300)
    assert by_food[(1, "evening", "almond")].change == "added"
    assert [(s.day, s.supplement_id, s.units_a, s.units_b) for s in diff.supplements] == [(2, "mg_citrate_100mg", 1, 2)]
    nutrients = diff.nutrients_frame()
    mg_day1 = nutrients[(nutrients["day"] == 1) & (nutrients["nutrient"] == "magnesium_mg")].iloc[0]
    assert mg_day1["delta"] == pytest.approx(-170 + 75.6)  # beans out, almonds in
    mg_avg = nutrients[nutrients["day"].isna() & (nutrients["nutrient"] == "magnesium_mg")].iloc[0]
    assert mg_avg["delta"] == pytest.approx(((-170 + 75.6) + (45 + 100)) / 2)  # day 2: salmon +45, +100 mg tablet
    assert diff.cost_difference == pytest.approx(-340 * 0.003 + 150 * 0.02 + 28 * 0.015)
    text = diff.summary()
    assert "1 item(s) added, 1 removed, 1 changed" in text
    assert "- day 1 evening: Beans 340 g" in text
    assert "~ day 2 evening: Salmon 150 g -> 300 g" in text
    assert compare_plans(a, a).unchanged
    assert compare_plans(a, a).cost_difference == 0


# -- substitutes --------------------------------------------------------------------------------------------
def test_substitutes_are_ranked_and_keep_targets(week, table, catalogue) -> None:
    day, meal, food_id = tuple(week.items.loc[week.items["day"] == 2, ["day", "meal", "food_id"]].iloc[0])
    subs = suggest_substitutes(week, day, meal, food_id, foods=table, supplements=catalogue, limit=4)
    assert list(subs.columns) == ["food_id", "food", "group", "grams", "portions", "feasible", "objective_change", "note"]
    assert 0 < len(subs) <= 4
    assert food_id not in set(subs["food_id"])
    in_meal = set(week.items.loc[(week.items["day"] == day) & (week.items["meal"] == meal), "food_id"])
    assert not in_meal & set(subs["food_id"])
    feasible = subs["feasible"].tolist()
    assert feasible == sorted(feasible, reverse=True)  # feasible first
    ok = subs[subs["feasible"]]
    assert (ok["grams"] > 0).all()
    assert ok["objective_change"].notna().all()
    # same food group first, then the smallest objective change
    keys = list(zip(ok["note"].str.startswith("different food group"), ok["objective_change"]))
    assert keys == sorted(keys)


def test_substitutes_respect_the_diet_pattern(table, catalogue) -> None:
    vegetarian = make_plan(small_request(objective="cost", min_foods_per_day=2, diet_pattern="vegetarian"), table, catalogue)
    assert vegetarian.has_solution
    day, meal, food_id = tuple(vegetarian.items[["day", "meal", "food_id"]].iloc[0])
    subs = suggest_substitutes(vegetarian, day, meal, food_id, foods=table, supplements=catalogue, limit=10)
    assert "salmon" not in set(subs["food_id"])


# -- duplicate ----------------------------------------------------------------------------------------------
def test_duplicate_week_is_a_minimal_change_template(table, catalogue) -> None:
    targets = small_targets().with_overrides({"vitamin_d_ug": {"min": 5}})
    request = small_request(objective="cost", min_foods_per_day=2, supplements=(), targets=targets,
                            max_days_per_food=None)
    last = make_plan(request, table, catalogue)
    assert last.has_solution
    template = duplicate_week(last)
    assert template.objective == "minimal_change"
    assert template.days == 2
    usual = sorted((u.day, u.meal, u.food_id, u.grams) for u in template.usual_diet)
    assert usual == sorted((r.day, r.meal, r.food_id, r.grams) for r in last.item_rows)
    again = make_plan(template, table, catalogue)
    assert again.has_solution
    # the template itself is feasible, so the smallest change is none at all
    assert compare_plans(last, again).items == []


def test_duplicate_week_picks_a_week_of_a_longer_plan(table, catalogue) -> None:
    plan = hand_plan(table, catalogue)
    template = duplicate_week(plan, week_start=2)
    assert template.days == 1
    assert {u.day for u in template.usual_diet} == {1}
    assert {u.food_id for u in template.usual_diet} == {"almond", "milk", "salmon", "beans", "spinach"}
    with pytest.raises(RequestError, match="week_start 3"):
        duplicate_week(plan, week_start=3)


def test_only_days_keeps_a_weekly_average_target(table, catalogue) -> None:
    # the hand-made plan: protein 49.92 g on day 1 and 63.10 g on day 2, a weekly average of 56.5 g
    targets = small_targets().with_overrides({"protein_g": {"min": 55, "period": "weekly"}})
    plan = hand_plan(table, catalogue, request=small_request(targets=targets, objective="cost"))
    assert verify_plan(plan, table, catalogue).passed
    new = replan(plan, only_days=[2], exclude_foods=["salmon"], foods=table, supplements=catalogue)
    assert new.has_solution, new.notes
    # without salmon (33 g protein) day 2 still has to bring 110 - 49.92 = 60.08 g
    assert new.totals.at[2, "protein_g"] >= 60.08 - 1e-6
    assert new.totals["protein_g"].mean() >= 55 - 1e-6
    assert day_rows(new, 1) == day_rows(plan, 1)
    assert "salmon" not in set(new.items.loc[new.items["day"] == 2, "food_id"])


def test_only_days_reports_a_day_that_cannot_be_replanned(table, catalogue) -> None:
    plan = make_plan(small_request(objective="cost", min_foods_per_day=2), table, catalogue)
    everything = sorted(table.frame.index)
    new = replan(plan, only_days=[2], exclude_foods=everything, foods=table, supplements=catalogue)
    assert not new.has_solution
    assert any("Day 2 could not be re-optimised" in n for n in new.notes)
    assert new.explanation is not None
    assert day_rows(new, 2) == day_rows(plan, 2)  # nothing half-spliced: the original plan comes back


def test_locked_items_count_toward_a_meals_foods() -> None:
    # a person's household day: breakfast, lunch and dinner need 2 foods each. Locking a whole day must not
    # leave those rows asking the free items for 2 more foods (the locked ones are eaten): substitutes with
    # the rest of the day locked keep the targets met without re-optimising everything.
    import optimizer
    from optimizer.editing import suggest_substitutes

    day = optimizer.plan(optimizer.PlanRequest(profile=optimizer.Profile(sex="female", age=45), days=1))
    assert day.has_solution
    item = day.items[day.items["meal"] == "lunch"].iloc[0]
    subs = suggest_substitutes(day, day=1, meal="lunch", food_id=item.food_id, limit=3)
    assert len(subs) and subs["feasible"].any()
    assert not subs["note"].str.contains("short by").any()
