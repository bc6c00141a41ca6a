"""The meal checker: is a plan made of meals a person would eat? Independent of the solver.

:func:`check_meals` reads a plan's items (``day, meal, food_id, grams``; ``Plan.items``), the food table, the food
roles (:mod:`foods.roles`), the meal templates and variety rules (:mod:`optimizer.domain.meal_templates`) and the
DGA food pattern (:mod:`optimizer.domain.food_pattern`), recounts everything from the catalogue and returns a
:class:`MealReport`: per meal whether it matches its template (and what is missing), then the week: different days,
repeated lunches and dinners, the same main protein on consecutive days, days per food, seafood meals per week,
daily food-group amounts against the pattern and mean energy against the estimate. Problems are plain words
("Tuesday's lunch has no starch and no vegetable"). Day 1 is called Monday; days 8-14 are week 2.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from foods.errors import UnknownFoodError
from foods.food_groups import food_group_equivalents
from foods.roles import food_roles
from optimizer.domain.energy import ENERGY_BAND_FRACTION, estimate_energy
from optimizer.domain.errors import RequestError
from optimizer.domain.food_pattern import LABELS, UNITS, FoodPattern, food_pattern
from optimizer.domain.meal_templates import MealTemplates, VarietyRules, default_meal_templates
from optimizer.results.meal_match import MealFood, MealMatch, match_meal

if TYPE_CHECKING:
    from foods.table import FoodTable
    from optimizer.results.plan import Plan

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ITEM_COLUMNS = ("day", "meal", "food_id", "grams")
#: Daily group amounts compared with the pattern; vegetables include beans, peas and lentils (FPED keeps them apart).
GROUP_KEYS = ("fruit_cup_eq", "vegetables_cup_eq", "grains_oz_eq", "whole_grains_oz_eq", "dairy_cup_eq",
              "protein_foods_oz_eq", "oils_g")


class GroupLimits(BaseModel):
    """Fractions of the pattern each day must reach (``at_least``) or stay under (``at_most``), and the energy band."""

    model_config = ConfigDict(extra="forbid")

    at_least: dict[str, float] = Field(default_factory=lambda: {
        "fruit_cup_eq": 0.75, "vegetables_cup_eq": 0.75, "dairy_cup_eq": 0.75, "grains_oz_eq": 0.60})
    at_most: dict[str, float] = Field(default_factory=lambda: {"grains_oz_eq": 1.60, "protein_foods_oz_eq": 1.80})
    energy_fraction: float = Field(default=ENERGY_BAND_FRACTION, gt=0, le=1,
                                   description="mean energy within ± this fraction of the estimate")


class MealCheck(BaseModel):
    """One meal of one day against its template."""

    model_config = ConfigDict(extra="forbid")

    day: int
    meal: str
    matched: bool
    match: MealMatch | None = Field(default=None, description="None when the meal has no template or no foods")
    problems: list[str] = Field(default_factory=list)


class DayGroups(BaseModel):
    """One day's food-group amounts (cup-eq, oz-eq, g) and their share of the pattern (1.0 = 100 %)."""

    model_config = ConfigDict(extra="forbid")

    day: int
    amounts: dict[str, float]
    share: dict[str, float]
    energy_kcal: float


class MealReport(BaseModel):
    """The checker's verdict: ``passed`` when ``problems`` is empty; the counts behind it."""

    model_config = ConfigDict(extra="forbid")

    passed: bool
    problems: list[str] = Field(default_factory=list)
    meals: list[MealCheck] = Field(default_factory=list)
    meals_matched: int = 0
    distinct_days: list[int] = Field(default_factory=list, description="different day menus, per week")
    repeated_meals: list[str] = Field(default_factory=list)
    consecutive_proteins: list[str] = Field(default_factory=list)
    food_days: dict[str, int] = Field(default_factory=dict, description="most days per week each counted food is on")
    seafood_meals: list[int] = Field(default_factory=list, description="meals with seafood, per week")
    food_groups: list[DayGroups] = Field(default_factory=list)
    calorie_level: int = 0
    mean_energy_kcal: float = 0.0
    energy_estimate_kcal: float | None = None
    notes: list[str] = Field(default_factory=list)

    def summary(self) -> str:
        """The verdict and the problems, one per line."""
        head = (f"Meals: {'passed' if self.passed else 'FAILED'} ({self.meals_matched} of {len(self.meals)} meals "
                f"match their template; {len(self.problems)} problem{'s' if len(self.problems) != 1 else ''})")
        return "\n".join([head, *(f"  - {p}" for p in self.problems), *(f"  note: {n}" for n in self.notes)])


def day_name(day: int) -> str:
    """Plain name of plan day ``day`` (1 = Monday; day 8 = "Monday of week 2")."""
    name = DAY_NAMES[(day - 1) % 7]
    return name if day <= 7 else f"{name} of week {(day - 1) // 7 + 1}"


def check_plan_meals(plan: Plan, table: FoodTable, *, templates: MealTemplates | None = None,
                     limits: GroupLimits | None = None) -> MealReport:
    """:func:`check_meals` for a :class:`Plan`: its items, meals, diet pattern and the profile's energy estimate."""
    request = plan.request
    energy = estimate_energy(request.profile).kcal if request.profile is not None else None
    return check_meals(plan.items, table, templates=templates, energy_kcal=energy, diet=request.diet_pattern,
                       meals=request.meals, days=request.days, limits=limits)


def check_meals(items: pd.DataFrame, table: FoodTable, *, templates: MealTemplates | None = None,
                pattern: FoodPattern | None = None, energy_kcal: float | None = None, diet: str = "omnivore",
                meals: tuple[str, ...] | None = None, days: int | None = None,
                limits: GroupLimits | None = None) -> MealReport:
    """Check a plan's items (``day`` int from 1, ``meal``, ``food_id``, ``grams``) against meal templates, variety
    rules and the food pattern.

    ``energy_kcal`` (kcal/day) is the estimate the mean energy is compared with and picks the pattern level when
    ``pattern`` is not given (else the pattern's requested energy is used). ``meals`` are the meals every day should
    have (default: those in ``items``); ``days`` the number of plan days (default: the largest day in ``items``).
    Raises :class:`RequestError` for missing columns or bad values and :class:`UnknownFoodError` for an unknown id.
    """
    templates = templates or default_meal_templates()
    limits = limits or GroupLimits()
    frame = _checked_items(items, table)
    days = int(days if days is not None else (frame["day"].max() if len(frame) else 1))
    meals = tuple(meals) if meals is not None else tuple(dict.fromkeys(frame["meal"]))
    if energy_kcal is None and pattern is not None:
        energy_kcal = pattern.requested_kcal
    roles = food_roles(table)
    frame = frame.join(roles[["role", "kind", "mixed_dish", "protein_source", "seafood"]], on="food_id")
    frame["name"] = _food_names(table, frame["food_id"])
    problems: list[str] = []
    report = MealReport(passed=False, energy_estimate_kcal=energy_kcal)

    by_meal = _meal_foods(frame)
    for day in range(1, days + 1):
        for meal in meals:
            check = _check_meal(by_meal.get((day, meal), []), day, meal, templates)
            report.meals.append(check)
            problems += check.problems
    report.meals_matched = sum(1 for m in report.meals if m.matched)
    problems += _variety(frame, days, templates.variety, diet, report)
    problems += _groups(frame, table, days, pattern, energy_kcal, diet, limits, report)
    report.problems = problems
    report.passed = not problems
    return report


def _checked_items(items: pd.DataFrame, table: FoodTable) -> pd.DataFrame:
    if not isinstance(items, pd.DataFrame):
        raise RequestError(f"plan items must be a DataFrame with columns {', '.join(ITEM_COLUMNS)}, "
                           f"got {type(items).__name__}.")
    missing = [c for c in ITEM_COLUMNS if c not in items.columns]
    if missing:
        raise RequestError(f"plan items have no '{missing[0]}' column: the columns are {', '.join(ITEM_COLUMNS)} "
                           "(Plan.items has them).")
    frame = items[list(ITEM_COLUMNS)].copy()
    frame["food_id"] = frame["food_id"].astype(str)
    frame["meal"] = frame["meal"].astype(str)
    grams = pd.to_numeric(frame["grams"], errors="coerce")
    day = pd.to_numeric(frame["day"], errors="coerce")
    bad = ~np.isfinite(grams.to_numpy(dtype=float)) | (grams < 0).to_numpy()
    bad_day = ~np.isfinite(day.to_numpy(dtype=float)) | (day < 1).to_numpy() | (day % 1 != 0).to_numpy()
    if bad.any() or bad_day.any():
        row = int(np.flatnonzero(bad | bad_day)[0])
        raise RequestError(f"plan item {row + 1} ({frame['food_id'].iloc[row]}): day must be a whole number from 1 "
                           "and grams a finite number ≥ 0.")
    unknown = [f for f in frame["food_id"] if f not in table]
    if unknown:
        raise UnknownFoodError(unknown[0], hint="the plan names a food the given table does not have: check the "
                                               "table is the catalogue the plan was made from.")
    frame["grams"] = grams.astype(float)
    frame["day"] = day.astype(int)
    return frame


def _food_names(table: FoodTable, food_ids: pd.Series) -> list[str]:
    """Display names where the catalogue has them (FNDDS), else the names."""
    names = table.frame.loc[food_ids, "name"].astype(str).to_numpy()
    if "display_name" in table.frame.columns:
        display = table.frame.loc[food_ids, "display_name"].to_numpy()
        return [str(d) if isinstance(d, str) and d else n for d, n in zip(display, names)]
    return list(names)


def _meal_foods(frame: pd.DataFrame) -> dict[tuple[int, str], list[MealFood]]:
    """(day, meal) -> the meal's foods, grams summed over rows of the same food, in first-seen order."""
    grams: dict[tuple[int, str], dict[str, float]] = {}
    first: dict[str, tuple[str, str, str, bool]] = {}
    for day, meal, food_id, weight, name, role, kind, mixed in zip(
            frame["day"], frame["meal"], frame["food_id"], frame["grams"], frame["name"], frame["role"],
            frame["kind"], frame["mixed_dish"]):
        foods_of_meal = grams.setdefault((int(day), str(meal)), {})
        foods_of_meal[food_id] = foods_of_meal.get(food_id, 0.0) + float(weight)
        first.setdefault(food_id, (str(name), str(role), str(kind), bool(mixed)))
    return {key: [MealFood(f, *first[f][:3], first[f][3], g) for f, g in foods_of_meal.items()]
            for key, foods_of_meal in grams.items()}


def _check_meal(meal_foods: list[MealFood], day: int, meal: str, templates: MealTemplates) -> MealCheck:
    where = f"{day_name(day)}'s {meal}"
    template = templates.template(meal)
    if not meal_foods:
        return MealCheck(day=day, meal=meal, matched=False, problems=[f"{day_name(day)} has no {meal}"])
    if template is None:
        return MealCheck(day=day, meal=meal, matched=True)
    match = match_meal(meal_foods, template, templates.addons)
    problems = []
    if match.missing:
        problems.append(f"{where} has " + " and ".join(f"no {name}" for name in match.missing))
    if match.unplaced:
        problems.append(f"{where} has foods that do not fit a {meal}: {'; '.join(match.unplaced)}")
    problems += [f"{where}: {text}" for text in match.pairings]
    problems += [f"{where} has {text}" for text in match.addons]
    return MealCheck(day=day, meal=meal, matched=match.matched, match=match, problems=problems)


def _variety(frame: pd.DataFrame, days: int, rules: VarietyRules, diet: str, report: MealReport) -> list[str]:
    problems: list[str] = []
    counted = frame[frame["role"] != "addon"]
    identity = counted[counted["role"] != "drink"]
    for start in range(1, days + 1, 7):
        week = list(range(start, min(start + 7, days + 1)))
        label = "the week" if days <= 7 else f"week {(start - 1) // 7 + 1}"
        menus = {d: frozenset(counted.loc[counted["day"] == d, "food_id"]) for d in week}
        distinct = len(set(menus.values()))
        report.distinct_days.append(distinct)
        wanted = min(rules.distinct_days, len(week))
        if distinct < wanted:
            problems.append(f"only {distinct} different day{'s' if distinct != 1 else ''} in {label} "
                            f"({wanted} wanted)")
        problems += _repeats(identity, week, rules, report)
        per_food = counted[counted["day"].isin(week) & ~counted["role"].isin(rules.max_days_exempt_roles)]
        food_days = per_food.groupby("food_id")["day"].nunique()
        for food_id, n in food_days.items():
            report.food_days[str(food_id)] = max(int(n), report.food_days.get(str(food_id), 0))
            if n > rules.max_days_per_food:
                name = per_food.loc[per_food["food_id"] == food_id, "name"].iloc[0]
                problems.append(f"{name} is on {n} days of {label} (at most {rules.max_days_per_food})")
        seafood = counted[counted["day"].isin(week) & counted["seafood"]]
        meals_with = len(seafood.groupby(["day", "meal"]))
        report.seafood_meals.append(meals_with)
        needed = math.floor(rules.seafood_meals_per_week * len(week) / 7)
        if diet in rules.seafood_diets and meals_with < needed:
            problems.append(f"seafood at {meals_with} meal{'s' if meals_with != 1 else ''} in {label} "
                            f"(at least {needed} for a {diet} plan)")
    if rules.no_consecutive_main_protein:
        problems += _consecutive(counted, days, rules, report)
    return problems


def _repeats(identity: pd.DataFrame, week: list[int], rules: VarietyRules, report: MealReport) -> list[str]:
    problems = []
    seen: dict[frozenset[str], tuple[int, str]] = {}
    for day in week:
        for meal in rules.no_repeat_meals:
            foods = frozenset(identity.loc[(identity["day"] == day) & (identity["meal"] == meal), "food_id"])
            if not foods:
                continue
            if foods in seen:
                first_day, first_meal = seen[foods]
                leftover = rules.leftovers and first_meal == "dinner" and meal == "lunch" and day == first_day + 1
                if not leftover:
                    text = f"{day_name(day)}'s {meal} repeats {day_name(first_day)}'s {first_meal}"
                    report.repeated_meals.append(text)
                    problems.append(text)
                continue
            seen[foods] = (day, meal)
    return problems


def _consecutive(counted: pd.DataFrame, days: int, rules: VarietyRules, report: MealReport) -> list[str]:
    mains = counted[(counted["role"] == "main") & counted["meal"].isin(rules.main_protein_meals)
                    & counted["protein_source"].isin(rules.rotating_protein_sources)]
    by_day = {d: set(mains.loc[mains["day"] == d, "protein_source"]) for d in range(1, days + 1)}
    problems = []
    for day in range(1, days):
        for source in sorted(by_day[day] & by_day[day + 1]):
            text = f"{source} is the main protein on {day_name(day)} and {day_name(day + 1)}"
            report.consecutive_proteins.append(text)
            problems.append(text)
    return problems


def _groups(frame: pd.DataFrame, table: FoodTable, days: int, pattern: FoodPattern | None,
            energy_kcal: float | None, diet: str, limits: GroupLimits, report: MealReport) -> list[str]:
    eq = food_group_equivalents(table)
    per_item = eq.loc[frame["food_id"]].reset_index(drop=True)
    scale = (frame["grams"].to_numpy() / 100.0)[:, None]
    amounts = pd.DataFrame(per_item[list(eq.columns.drop("food_groups_source"))].to_numpy() * scale,
                           columns=eq.columns.drop("food_groups_source"))
    amounts["vegetables_cup_eq"] = amounts["vegetables_cup_eq"] + amounts["legumes_cup_eq"]
    energy = table.frame.loc[frame["food_id"], "energy_kcal"].to_numpy(dtype=float) if \
        "energy_kcal" in table.frame.columns else np.full(len(frame), np.nan)
    if np.isnan(energy).any():
        report.notes.append("some foods have no energy value; they count as 0 kcal in the mean energy")
    amounts["energy_kcal"] = np.nan_to_num(energy) * scale[:, 0]
    amounts["day"] = frame["day"].to_numpy()
    daily = amounts.groupby("day").sum().reindex(range(1, days + 1), fill_value=0.0)
    report.mean_energy_kcal = float(daily["energy_kcal"].mean())
    sources = per_item["food_groups_source"]
    if (sources != "FPED").any():
        none = sorted(set(frame.loc[(sources == "none").to_numpy(), "name"]))
        report.notes.append("food groups estimated from the foods' roles (no FPED values in this catalogue)"
                            + (f"; no estimate for {', '.join(none[:8])}" if none else ""))
    if pattern is None:
        pattern = food_pattern(energy_kcal if energy_kcal is not None else max(report.mean_energy_kcal, 1.0), diet)
        if energy_kcal is None:
            report.notes.append("no energy estimate given: the pattern level follows the plan's own mean energy")
    report.calorie_level = pattern.calorie_level
    problems = []
    for day, row in daily.iterrows():
        share = {k: (float(row[k]) / pattern.daily[k] if pattern.daily[k] > 0 else 0.0) for k in GROUP_KEYS}
        report.food_groups.append(DayGroups(day=int(day), amounts={k: round(float(row[k]), 3) for k in GROUP_KEYS},
                                            share={k: round(v, 3) for k, v in share.items()},
                                            energy_kcal=round(float(row["energy_kcal"]), 1)))
        for key, low in limits.at_least.items():
            if share.get(key, 0.0) < low:
                problems.append(f"{day_name(int(day))}: {LABELS[key]} {row[key]:.2g} of {pattern.daily[key]:g} "
                                f"{UNITS[key]} ({share[key]:.0%}, at least {low:.0%})")
        for key, high in limits.at_most.items():
            if share.get(key, 0.0) > high:
                problems.append(f"{day_name(int(day))}: {LABELS[key]} {row[key]:.3g} {UNITS[key]} is "
                                f"{share[key]:.0%} of {pattern.daily[key]:g} (at most {high:.0%})")
    if energy_kcal is not None and energy_kcal > 0:
        ratio = report.mean_energy_kcal / energy_kcal
        if abs(ratio - 1.0) > limits.energy_fraction:
            problems.append(f"mean energy {report.mean_energy_kcal:,.0f} kcal/day is {abs(ratio - 1):.0%} "
                            f"{'below' if ratio < 1 else 'above'} the estimate of {energy_kcal:,.0f} kcal/day")
    return problems
