"""The meal checker (optimizer.results.meal_check) on hand-made plans of real FNDDS and SR24 foods."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import foods
from foods.errors import UnknownFoodError
from optimizer.domain.errors import RequestError
from optimizer.domain.meal_templates import MealTemplates, default_meal_templates
from optimizer.results.meal_check import GroupLimits, check_meals, day_name

NO_GROUPS = GroupLimits(at_least={}, at_most={})

# (meal, food_id, grams): a day that matches every template and the 2,000 kcal pattern
GOOD_DAY = [
    ("breakfast", "56203066", 240), ("breakfast", "63107010", 126), ("breakfast", "11112210", 244),  # oatmeal, banana, milk
    ("lunch", "27146150", 300), ("lunch", "75114000", 70), ("lunch", "83106000", 30), ("lunch", "63101000", 200),
    ("dinner", "26137120", 100), ("dinner", "56205011", 200), ("dinner", "72201100", 180), ("dinner", "82104000", 10),
    ("snack", "11411400", 200), ("snack", "43101150", 28),
]
OLIVE_OIL, CHICKEN_BREAST, CORN_FLAKES, ORANGE = "82104000", "24122130", "57134000", "61119010"


@pytest.fixture(scope="module")
def fndds() -> foods.FoodTable:
    return foods.load_foods("fndds")


def frame(rows: list[tuple[int, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["day", "meal", "food_id", "grams"])


def one_day(rows: list[tuple[str, str, float]], day: int = 1) -> pd.DataFrame:
    return frame([(day, m, f, g) for m, f, g in rows])


def replace(meal: str, rows: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    return [r for r in GOOD_DAY if r[0] != meal] + rows


def test_a_good_day_passes_and_its_groups_are_a_recount(fndds):
    report = check_meals(one_day(GOOD_DAY), fndds, energy_kcal=2000)
    assert report.passed, report.problems
    assert report.meals_matched == 4 and report.calorie_level == 2000
    assert [m.match.option for m in report.meals] == [
        "a grain, cereal or egg dish with fruit or dairy", "a mixed dish", "a main, a starch and a vegetable",
        "fruit, dairy, nuts or a snack food"]
    f = fndds.frame
    fruit = sum(f.loc[i, "fruit_cup_eq"] * g / 100 for _, i, g in GOOD_DAY)
    vegetables = sum((f.loc[i, "vegetables_cup_eq"] + f.loc[i, "legumes_cup_eq"]) * g / 100 for _, i, g in GOOD_DAY)
    energy = sum(f.loc[i, "energy_kcal"] * g / 100 for _, i, g in GOOD_DAY)
    assert report.food_groups[0].amounts["fruit_cup_eq"] == pytest.approx(fruit, abs=1e-3)
    assert report.food_groups[0].amounts["vegetables_cup_eq"] == pytest.approx(vegetables, abs=1e-3)
    assert report.mean_energy_kcal == pytest.approx(energy)
    assert report.food_groups[0].share["fruit_cup_eq"] == pytest.approx(fruit / 2, abs=1e-3)


@pytest.mark.parametrize("rows, problem", [
    (replace("lunch", [("lunch", CHICKEN_BREAST, 120)]), "Monday's lunch has no starch and no vegetable"),
    (replace("dinner", [("dinner", "56130000", 200), ("dinner", "71101000", 150)]),
     "Monday's dinner has no main and no vegetable"),
    (replace("breakfast", [("breakfast", CORN_FLAKES, 30), ("breakfast", ORANGE, 154)]),
     "Monday's breakfast: cereal comes with milk"),
    (replace("breakfast", [("breakfast", "63107010", 126)]), "Monday's breakfast has no grain, cereal or egg dish"),
    (replace("snack", [("snack", CHICKEN_BREAST, 100)]), "Monday's snack has foods that do not fit a snack: Baked chicken breast"),
    (replace("lunch", [("lunch", "27146150", 300), ("lunch", "26137120", 100)]),
     "Monday's lunch has foods that do not fit a lunch: Salmon with oil"),
    ([r if r[1] != OLIVE_OIL else ("dinner", OLIVE_OIL, 40) for r in GOOD_DAY],
     "Monday's dinner has 40 g of Olive oil (at most 14 g of oil)"),
])
def test_bad_meals_are_named(fndds, rows, problem):
    report = check_meals(one_day(rows), fndds, energy_kcal=2000)
    assert not report.passed
    assert any(p.startswith(problem) for p in report.problems), report.problems


def test_more_add_ons_than_dishes(fndds):
    rows = replace("snack", [("snack", "11411400", 200), ("snack", "91302010", 14), ("snack", "81101000", 5)])
    report = check_meals(one_day(rows), fndds, energy_kcal=2000)
    assert "Monday's snack has 2 add-ons for 1 dish (at most 1)" in report.problems


def test_a_missing_meal_is_named(fndds):
    rows = [r for r in GOOD_DAY if r[0] != "snack"]
    report = check_meals(one_day(rows), fndds, energy_kcal=2000, meals=("breakfast", "lunch", "dinner", "snack"))
    assert "Monday has no snack" in report.problems


def test_food_group_amounts_against_the_pattern(fndds):
    no_fruit = [r for r in GOOD_DAY if r[1] not in ("63107010", "63101000")]
    report = check_meals(one_day(no_fruit), fndds, energy_kcal=2000)
    assert any(p.startswith("Monday: fruit 0 of 2 cup-eq (0%, at least 75%)") for p in report.problems)
    much_meat = GOOD_DAY + [("dinner", CHICKEN_BREAST, 300)]
    report = check_meals(one_day([r for r in much_meat if r[1] != "26137120"]), fndds, energy_kcal=2000)
    assert any(p.startswith("Monday: protein foods") and "at most 180%" in p for p in report.problems)


def test_mean_energy_against_the_estimate(fndds):
    report = check_meals(one_day(GOOD_DAY), fndds, energy_kcal=2600)
    assert report.calorie_level == 2600
    assert any(p.startswith("mean energy 1,936 kcal/day is 26% below the estimate of 2,600") for p in report.problems)


# ---------------------------------------------------------------- week rules (food groups left out)
LUNCHES = [  # (foods, protein source of the main, seafood)
    ([("27146150", 300), ("75114000", 70)], "poultry", False),                        # chicken curry + salad
    ([("26137120", 100), ("56205011", 200), ("72201100", 180), (OLIVE_OIL, 10)], "seafood", True),
    ([("22101000", 120), ("71101000", 150), ("73101010", 80)], "meat", False),        # pork chop, potato, carrots
    ([("41311030", 300)], "legumes", False),                                           # lentil curry
    ([("21101000", 120), ("56130000", 140), ("75205005", 100), ("63135010", 150)], "meat", False),
    ([("26319110", 100), ("56205011", 180), ("72201100", 150)], "seafood", True),      # shrimp, rice, broccoli
    ([("58130011", 300), ("75114000", 60)], "meat", False),                            # lasagna with meat
    ([("58100320", 285)], "legumes", False),                                           # bean burrito
    ([("24201020", 100), ("71101000", 150), ("75205005", 100)], "poultry", False),    # turkey, potato, green beans
    ([("27116100", 300)], "meat", False),                                              # beef curry
    ([("27150320", 300)], "seafood", True),                                            # fish curry
    ([("41305000", 200), ("56130000", 140), ("73101010", 80)], "legumes", False),     # lentils, pasta, carrots
    ([("27115100", 250)], "meat", False),                                              # steak teriyaki
    ([("31103010", 100), ("51101010", 50), ("75114000", 60)], "eggs", False),         # eggs on toast, salad
]
BAD_LUNCHES = [([(CHICKEN_BREAST, 120)], "poultry", False), ([("56130000", 140), ("71101000", 150)], "", False)]
BREAKFASTS = [[("56203066", 240), ("63107010", 126)], [(CORN_FLAKES, 30), ("11112210", 244)],
              [("51101010", 50), ("31103010", 50), (ORANGE, 154)], [("55101000", 90), ("63223020", 150)]]
BAD_BREAKFASTS = [[(CORN_FLAKES, 30), (ORANGE, 154)], [("63107010", 126)]]
SNACKS = [[("11411400", 150)], [("43101150", 28), ("63101000", 200)], [("63137010", 180)]]
BAD_SNACKS = [[(CHICKEN_BREAST, 100)]]


def week(choices: list[tuple[int, int, int, int]], bad: bool = False) -> pd.DataFrame:
    rows = []
    for day, (b, lunch, dinner, s) in enumerate(choices, start=1):
        for meal, foods_ in (("breakfast", BREAKFASTS[b]), ("lunch", LUNCHES[lunch][0]),
                             ("dinner", LUNCHES[dinner][0]), ("snack", SNACKS[s])):
            rows += [(day, meal, f, g) for f, g in foods_]
    return frame(rows)


GOOD_WEEK = [(0, 6, 12, 0), (1, 11, 8, 1), (2, 2, 10, 2), (3, 3, 7, 0), (1, 0, 13, 1), (2, 9, 4, 2), (3, 5, 1, 0)]


def test_a_good_week_passes_the_week_rules(fndds):
    report = check_meals(week(GOOD_WEEK), fndds, limits=NO_GROUPS)
    assert report.passed, report.problems
    assert report.distinct_days == [7] and report.seafood_meals == [3] and report.meals_matched == 28
    assert max(report.food_days.values()) == 3 and not report.repeated_meals and not report.consecutive_proteins


def test_a_repeated_dinner_is_named(fndds):
    choices = list(GOOD_WEEK)
    choices[3] = (3, 3, 6, 0)  # Thursday's dinner is Monday's lunch (lasagna)
    report = check_meals(week(choices), fndds, limits=NO_GROUPS)
    assert report.repeated_meals == ["Thursday's dinner repeats Monday's lunch"]


def test_week_rule_breaches_are_named(fndds):
    same = [(0, 0, 1, 0)] * 7
    report = check_meals(week(same), fndds, limits=NO_GROUPS)
    assert "only 1 different day in the week (7 wanted)" in report.problems
    assert "Tuesday's lunch repeats Monday's lunch" in report.problems
    assert "poultry is the main protein on Monday and Tuesday" in report.problems
    assert any(p.startswith("Oatmeal with milk is on 7 days of the week (at most 3)") for p in report.problems)
    assert not any("Olive oil" in p for p in report.problems)  # an add-on never counts for variety
    assert report.food_days["27146150"] == 7 and OLIVE_OIL not in report.food_days


def test_seafood_twice_a_week_for_omnivores_only(fndds):
    no_fish = [(0, 0, 2, 0), (1, 3, 4, 1), (2, 6, 7, 2), (3, 0, 2, 0), (0, 3, 4, 1), (1, 6, 7, 2), (2, 0, 3, 0)]
    omnivore = check_meals(week(no_fish), fndds, limits=NO_GROUPS)
    assert "seafood at 0 meals in the week (at least 2 for a omnivore plan)" in omnivore.problems
    vegan = check_meals(week(no_fish), fndds, limits=NO_GROUPS, diet="vegan")
    assert not any(p.startswith("seafood") for p in vegan.problems)


def test_leftovers_option(fndds):
    choices = [(0, 3, 0, 0), (1, 0, 2, 1)]  # Monday's dinner (chicken curry) is Tuesday's lunch
    off = check_meals(week(choices), fndds, limits=NO_GROUPS)
    assert "Tuesday's lunch repeats Monday's dinner" in off.problems
    raw = default_meal_templates().model_dump()
    raw["variety"]["leftovers"] = True
    on = check_meals(week(choices), fndds, limits=NO_GROUPS, templates=MealTemplates.model_validate(raw))
    assert not on.repeated_meals


def test_edited_templates_change_the_verdict(fndds):
    assert not any("days of the week" in p for p in check_meals(week(GOOD_WEEK), fndds, limits=NO_GROUPS).problems)
    raw = default_meal_templates().model_dump()
    raw["variety"]["max_days_per_food"] = 1
    strict = check_meals(week(GOOD_WEEK), fndds, limits=NO_GROUPS, templates=MealTemplates.model_validate(raw))
    assert any("days of the week (at most 1)" in p for p in strict.problems)


def test_day_names():
    assert [day_name(d) for d in (1, 2, 7, 8, 14)] == ["Monday", "Tuesday", "Sunday", "Monday of week 2",
                                                       "Sunday of week 2"]


def test_sr24_foods_are_checked_with_estimated_groups():
    sr24 = foods.load_foods()
    rows = [("breakfast", "08013", 30), ("breakfast", "01077", 244), ("breakfast", "09003", 180),   # Cheerios, milk
            ("lunch", "21224", 200), ("lunch", "11531", 120),                                      # pizza, tomatoes
            ("dinner", "15085", 120), ("dinner", "18075", 56), ("dinner", "11531", 150), ("dinner", "04053", 10),
            ("snack", "01015", 113)]
    report = check_meals(one_day(rows), sr24, energy_kcal=1800)
    assert all(m.matched for m in report.meals), report.problems
    assert report.food_groups[0].amounts["dairy_cup_eq"] == pytest.approx(1 + 113 / 250, abs=1e-3)
    assert any("estimated from the foods' roles" in n and "Pizza" in n for n in report.notes)


@pytest.mark.parametrize("items, error, words", [
    (pd.DataFrame({"day": [1], "meal": ["lunch"], "food_id": ["27146150"]}), RequestError, "grams"),
    (frame([(1, "lunch", "27146150", -5)]), RequestError, "grams"),
    (frame([(1, "lunch", "27146150", math.nan)]), RequestError, "grams"),
    (frame([(0, "lunch", "27146150", 100)]), RequestError, "day"),
    (frame([(1, "lunch", "no-such-food", 100)]), UnknownFoodError, "no-such-food"),
    ("not a frame", RequestError, "DataFrame"),
])
def test_bad_items_are_named_errors(fndds, items, error, words):
    with pytest.raises(error, match=words):
        check_meals(items, fndds)


# ---------------------------------------------------------------- property: verdict == direct recount
ALL_BREAKFASTS = [(b, True) for b in BREAKFASTS] + [(b, False) for b in BAD_BREAKFASTS]
ALL_LUNCHES = [(lunch, True) for lunch in LUNCHES] + [(lunch, False) for lunch in BAD_LUNCHES]
ALL_SNACKS = [(s, True) for s in SNACKS] + [(s, False) for s in BAD_SNACKS]
ADDONS = {OLIVE_OIL}


def recount(days: list[tuple[int, int, int, int]]) -> dict:
    """The week rules counted directly from the hand labels above (no roles, no templates)."""
    meals_ok, menus, seen, repeats, sources, rows = [], [], [], 0, [], []
    for b, lunch, dinner, s in days:
        breakfast, snack = ALL_BREAKFASTS[b], ALL_SNACKS[s]
        meals_ok += [breakfast[1], ALL_LUNCHES[lunch][1], ALL_LUNCHES[dinner][1], snack[1]]
        day_foods = [f for f, _ in breakfast[0] + ALL_LUNCHES[lunch][0][0] + ALL_LUNCHES[dinner][0][0] + snack[0]]
        menus.append(frozenset(day_foods) - ADDONS)
        rows.append(set(day_foods) - ADDONS)
        for index in (lunch, dinner):
            key = frozenset(f for f, _ in ALL_LUNCHES[index][0][0]) - ADDONS
            repeats += key in seen
            if key not in seen:
                seen.append(key)
        sources.append({ALL_LUNCHES[i][0][1] for i in (lunch, dinner)} & {"meat", "poultry", "seafood", "eggs"})
    consecutive = sum(len(a & b) for a, b in zip(sources, sources[1:]))
    counts: dict[str, int] = {}
    for foods_of_day in rows:
        for f in foods_of_day:
            counts[f] = counts.get(f, 0) + 1
    seafood = sum(ALL_LUNCHES[i][0][2] for _, lunch, dinner, _ in days for i in (lunch, dinner))
    distinct = len(set(menus))
    passed = (all(meals_ok) and distinct >= len(days) and repeats == 0 and consecutive == 0
              and max(counts.values()) <= 3 and seafood >= math.floor(2 * len(days) / 7))
    return {"meals_ok": meals_ok, "distinct": distinct, "repeats": repeats, "consecutive": consecutive,
            "counts": counts, "seafood": seafood, "passed": passed}


def items_for(days: list[tuple[int, int, int, int]]) -> pd.DataFrame:
    rows = []
    for day, (b, lunch, dinner, s) in enumerate(days, start=1):
        for meal, foods_ in (("breakfast", ALL_BREAKFASTS[b][0]), ("lunch", ALL_LUNCHES[lunch][0][0]),
                             ("dinner", ALL_LUNCHES[dinner][0][0]), ("snack", ALL_SNACKS[s][0])):
            rows += [(day, meal, f, g) for f, g in foods_]
    return frame(rows)


day_choice = st.tuples(st.integers(0, len(ALL_BREAKFASTS) - 1), st.integers(0, len(ALL_LUNCHES) - 1),
                       st.integers(0, len(ALL_LUNCHES) - 1), st.integers(0, len(ALL_SNACKS) - 1))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days=st.lists(day_choice, min_size=1, max_size=7))
def test_verdict_agrees_with_a_direct_recount(fndds, days):
    report = check_meals(items_for(days), fndds, limits=NO_GROUPS)
    expected = recount(days)
    assert [m.matched for m in report.meals] == expected["meals_ok"]
    assert report.distinct_days == [expected["distinct"]]
    assert len(report.repeated_meals) == expected["repeats"]
    assert len(report.consecutive_proteins) == expected["consecutive"]
    assert report.food_days == {f: n for f, n in expected["counts"].items()}
    assert report.seafood_meals == [expected["seafood"]]
    assert report.passed == expected["passed"], report.problems
