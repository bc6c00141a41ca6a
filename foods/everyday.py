"""The everyday foods: a curated list of ~300 common foods in the forms people eat (``foods/data/everyday.csv``).

Each row names an SR24 ``food_id``, its ``default_portion`` (one of that food's household portion labels),
the ``meals`` it suits (``;``-joined ``breakfast;lunch;dinner;snack``) and a short ``note``. The optimizer's
default candidates are these foods; the whole catalogue stays one switch away.
"""

from __future__ import annotations

from typing import IO

import numpy as np
import pandas as pd

from foods.errors import FoodDataError

MEALS: tuple[str, ...] = ("breakfast", "lunch", "dinner", "snack")
EVERYDAY_COLUMNS = ("food_id", "default_portion", "meals", "note")
SOURCE = "foods/data/everyday.csv"


def read_everyday(handle: IO[str], food_ids: pd.Index, portions: pd.DataFrame) -> pd.DataFrame:
    """Parse and check the everyday list against the catalogue.

    Returns a frame indexed by ``food_id`` with ``everyday`` (True), ``meals``, ``default_portion`` and
    ``default_portion_grams`` (g). Raises :class:`FoodDataError` for an unknown id, a duplicate, a portion
    the food does not have or an unknown meal.
    """
    table = pd.read_csv(handle, dtype=str, keep_default_na=False)
    missing = [c for c in EVERYDAY_COLUMNS if c not in table.columns]
    if missing:
        raise FoodDataError(f"column '{missing[0]}' is missing.", source=SOURCE, row=1, column=missing[0],
                            fix=f"The columns are {', '.join(EVERYDAY_COLUMNS)}.")
    known = set(food_ids)
    grams_by_portion = _first_grams(portions[portions["food_id"].isin(set(table["food_id"].str.strip()))])
    seen: set[str] = set()
    rows = []
    for position, record in enumerate(table.itertuples(index=False)):
        row = position + 2
        food_id, portion, meals = record.food_id.strip(), record.default_portion.strip(), record.meals.strip()
        if food_id not in known:
            raise FoodDataError(f"unknown food id '{food_id}'.", source=SOURCE, row=row, column="food_id",
                                fix="Use a current SR24 id (FoodTable.search).")
        if food_id in seen:
            raise FoodDataError(f"food id '{food_id}' is listed twice.", source=SOURCE, row=row, column="food_id",
                                fix="Keep one row per food.")
        seen.add(food_id)
        if (food_id, portion) not in grams_by_portion:
            raise FoodDataError(f"food {food_id} has no household portion '{portion}'.", source=SOURCE, row=row,
                                column="default_portion", fix="Use one of the food's portion labels.")
        meal_list = [m for m in meals.split(";") if m]
        if not meal_list or any(m not in MEALS for m in meal_list):
            raise FoodDataError(f"meals '{meals}' must be ';'-joined names from {', '.join(MEALS)}.",
                                source=SOURCE, row=row, column="meals", fix="e.g. 'breakfast;snack'.")
        ordered = ";".join(m for m in MEALS if m in meal_list)
        rows.append((food_id, True, ordered, portion, grams_by_portion[(food_id, portion)]))
    frame = pd.DataFrame(rows, columns=["food_id", "everyday", "meals", "default_portion",
                                        "default_portion_grams"]).set_index("food_id")
    frame["default_portion_grams"] = frame["default_portion_grams"].astype(np.float64)
    return frame


def _first_grams(portions: pd.DataFrame) -> dict[tuple[str, str], float]:
    """(food_id, portion label) -> grams of the first measure with that label."""
    first = portions.drop_duplicates(["food_id", "portion"], keep="first")
    return {(f, p): float(g) for f, p, g in zip(first["food_id"], first["portion"], first["grams"])}

