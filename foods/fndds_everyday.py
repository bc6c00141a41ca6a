"""The everyday FNDDS foods: a reproducible subset of common foods as eaten, chosen by WWEIA rules plus a curated list.

Rules (applied by ``foods.build_fndds``, all deterministic):

1. Leave out whole WWEIA categories that are not everyday food for an adult plan: baby foods, infant formulas,
   human milk, protein/nutrition powders, nutritional beverages and bars, sport and energy drinks, beer, wine,
   liquor and cocktails, sugar substitutes, "vegetables on a sandwich" and "not included in a food category".
2. Leave out foods whose description marks a reporting or niche variant (``NFS``, ``NS as to``, fast food,
   restaurant, school, reduced/low sodium, fortified, lactose free, sugar free, diet, light, frozen meal,
   dry mix, powder, "fat added" (the "no added fat" twin is kept), frozen, a brand in parentheses), raw meat,
   poultry, fish or eggs, and anything with
   more than 0.5 g alcohol per 100 g.
3. In each category keep the most generic remaining foods (fewest comma-separated qualifiers, then the shortest
   description, then the lowest food code): up to :data:`MIXED_DISH_CAP` for mixed-dish categories (WWEIA
   3002-3802: meat/poultry/seafood dishes, rice and pasta dishes, stir-fries, burritos, pizza, sandwiches,
   soups) and up to :data:`CATEGORY_CAP` elsewhere.
4. The curated list ``foods/data/everyday_fndds.csv`` adds foods (``everyday=yes``), removes rule picks
   (``everyday=no``), and overrides ``display_name``, ``default_portion`` and ``meals``.

Meals come from the WWEIA category (:data:`MEAL_RULES`), unless the curated list says otherwise.
"""

from __future__ import annotations

import re
from typing import IO

import numpy as np
import pandas as pd

from foods.errors import FoodDataError
from foods.everyday import MEALS

CURATED_SOURCE = "foods/data/everyday_fndds.csv"
CURATED_COLUMNS = ("food_id", "everyday", "display_name", "default_portion", "meals", "note")
MIXED_DISHES = (3002, 3802)
MIXED_DISH_CAP = 10
CATEGORY_CAP = 5
MAX_ALCOHOL_G = 0.5

#: WWEIA category code ranges that are never everyday foods.
EXCLUDED_CATEGORIES: tuple[tuple[int, int], ...] = (
    (5404, 5404), (6489, 6489), (7104, 7104), (7206, 7208), (7502, 7506), (8804, 8804), (9002, 9999),
)
EXCLUDED_NAMES = re.compile(
    r"\b(?:nfs|ns as to|fast food|restaurant|school|baby|babies|infant|toddler|formula|reduced sodium|low sodium|"
    r"lower sodium|no salt|salt free|fortified|with added|lactose free|sugar free|sugar-free|low calorie|"
    r"reduced calorie|light|lite|diet|frozen meal|meal replacement|nutritional|protein|dry mix|from mix|powder|"
    r"powdered|as ingredient|yields|dietetic|low carb|wine|beer|liqueur|kid's meal|child|vending|"
    r"puerto rican|lunchables|frozen dinner|tv dinner|fat added|frozen|canned, .*(?:syrup|juice))\b", re.IGNORECASE)
RAW_EXCLUDED = ((2002, 2502),)
#: (first WWEIA code, last WWEIA code, meals) — first matching range wins.
MEAL_RULES: tuple[tuple[int, int, str], ...] = (
    (1002, 1404, "breakfast;snack"), (1602, 1604, "lunch;snack"), (1820, 1822, "breakfast;snack"),
    (2002, 2010, "lunch;dinner"), (2202, 2206, "lunch;dinner"), (2402, 2404, "lunch;dinner"),
    (2502, 2502, "breakfast;lunch"), (2602, 2602, "lunch"), (2604, 2604, "breakfast"),
    (2606, 2606, "lunch;dinner"), (2608, 2608, "breakfast;dinner"), (2802, 2802, "lunch;dinner"),
    (2804, 2804, "breakfast;snack"), (2806, 2806, "lunch;dinner"),
    (3002, 3208, "lunch;dinner"), (3402, 3506, "lunch;dinner"), (3602, 3602, "lunch;dinner"),
    (3702, 3702, "lunch;dinner"), (3703, 3703, "lunch"), (3704, 3704, "lunch"), (3706, 3706, "breakfast"),
    (3708, 3730, "lunch"), (3802, 3802, "lunch;dinner"), (4002, 4004, "lunch;dinner"),
    (4202, 4204, "breakfast;lunch;dinner"), (4206, 4206, "breakfast"), (4208, 4208, "lunch;dinner"),
    (4402, 4404, "breakfast"), (4602, 4804, "breakfast"), (5002, 5402, "snack"), (5502, 5806, "snack"),
    (6002, 6024, "breakfast;lunch;snack"), (6402, 6806, "lunch;dinner"), (7002, 7008, "breakfast;snack"),
    (7102, 7220, "lunch;snack"), (7302, 7304, "breakfast;lunch;snack"), (7702, 7804, "breakfast;lunch;dinner;snack"),
    (8002, 8008, "breakfast;lunch;dinner"), (8010, 8012, "lunch;dinner"), (8402, 8412, "lunch;dinner"),
    (8802, 8806, "breakfast;snack"),
)


def meals_for(wweia_code: int) -> str:
    """Default meals (";"-joined, in breakfast;lunch;dinner;snack order) for a WWEIA category code."""
    for low, high, meals in MEAL_RULES:
        if low <= wweia_code <= high:
            return meals
    return "lunch;dinner"


def excluded_category(wweia_code: int) -> bool:
    """True when a WWEIA category is never everyday (baby foods, formulas, alcohol, supplements, ...)."""
    return any(low <= wweia_code <= high for low, high in EXCLUDED_CATEGORIES)


def rule_candidates(foods: pd.DataFrame) -> pd.Series:
    """Foods the rules pick (steps 1-3): bool Series on ``foods.index``.

    ``foods`` has ``name`` (USDA main description), ``wweia_code`` (int) and ``alcohol_g`` (g per 100 g).
    """
    codes = foods["wweia_code"].astype(int)
    names = foods["name"].astype(str)
    eligible = ~codes.map(excluded_category) & ~names.str.contains(EXCLUDED_NAMES)
    eligible &= ~names.str.contains(r"\([^)]*[A-Za-z]{3,}[^)]*\)", regex=True)  # a brand or long note in ()
    raw = names.str.contains(r"\braw\b", case=False, regex=True)
    for low, high in RAW_EXCLUDED:
        eligible &= ~(raw & codes.between(low, high))
    eligible &= ~(foods["alcohol_g"].astype(np.float64) > MAX_ALCOHOL_G)
    ranked = pd.DataFrame({"code": codes, "commas": names.str.count(","), "length": names.str.len(),
                           "code_text": foods.index.astype(str)}, index=foods.index)[eligible]
    ranked = ranked.sort_values(["code", "commas", "length", "code_text"], kind="stable")
    position = ranked.groupby("code").cumcount()
    caps = np.where(ranked["code"].between(*MIXED_DISHES), MIXED_DISH_CAP, CATEGORY_CAP)
    chosen = set(ranked.index[position.to_numpy() < caps])
    return pd.Series(foods.index.isin(chosen), index=foods.index)


def read_curated(handle: IO[str], food_ids: pd.Index) -> pd.DataFrame:
    """Parse the curated everyday list; returns it indexed by ``food_id`` (all columns str).

    Raises :class:`FoodDataError` (row = spreadsheet row) for a missing column, an unknown or duplicate food
    code, an ``everyday`` value other than yes/no/blank, or meals outside breakfast;lunch;dinner;snack.
    """
    table = pd.read_csv(handle, dtype=str, keep_default_na=False)
    missing = [c for c in CURATED_COLUMNS if c not in table.columns]
    if missing:
        raise FoodDataError(f"column '{missing[0]}' is missing.", source=CURATED_SOURCE, row=1, column=missing[0],
                            fix=f"The columns are {', '.join(CURATED_COLUMNS)}.")
    table = table.apply(lambda column: column.str.strip())
    known = set(food_ids)
    seen: set[str] = set()
    for position, record in enumerate(table.itertuples(index=False)):
        row = position + 2
        if record.food_id not in known:
            raise FoodDataError(f"unknown FNDDS food code '{record.food_id}'.", source=CURATED_SOURCE, row=row,
                                column="food_id", fix="Use an 8-digit FNDDS 2017-2018 food code.")
        if record.food_id in seen:
            raise FoodDataError(f"food code '{record.food_id}' is listed twice.", source=CURATED_SOURCE, row=row,
                                column="food_id", fix="Keep one row per food.")
        seen.add(record.food_id)
        if record.everyday not in ("yes", "no", ""):
            raise FoodDataError(f"everyday '{record.everyday}' is not yes, no or blank.", source=CURATED_SOURCE,
                                row=row, column="everyday", fix="Write yes, no, or leave it blank.")
        meals = [m for m in record.meals.split(";") if m]
        if any(m not in MEALS for m in meals):
            raise FoodDataError(f"meals '{record.meals}' must be ';'-joined names from {', '.join(MEALS)}.",
                                source=CURATED_SOURCE, row=row, column="meals", fix="e.g. 'breakfast;snack'.")
    return table.set_index("food_id")


def everyday_columns(foods: pd.DataFrame, curated: pd.DataFrame) -> pd.DataFrame:
    """``everyday`` (bool) and ``meals`` for every food, from the rules and the curated list.

    ``foods`` as for :func:`rule_candidates`; ``curated`` from :func:`read_curated`.
    """
    everyday = rule_candidates(foods)
    listed = curated["everyday"]
    everyday[listed.index[listed == "yes"]] = True
    everyday[listed.index[listed == "no"]] = False
    meals = foods["wweia_code"].astype(int).map(meals_for)
    given = curated["meals"][curated["meals"] != ""]
    meals[given.index] = [";".join(m for m in MEALS if m in text.split(";")) for text in given]
    return pd.DataFrame({"everyday": everyday.astype(bool), "meals": meals.where(everyday, "")}, index=foods.index)
