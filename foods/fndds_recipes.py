"""FNDDS recipes expanded to SR ingredients, in grams of ingredient per 100 g of the food as eaten.

An FNDDS recipe lists ingredients with their weight in the recipe (g). An ingredient code of 4-6 digits is an
SR code (zero-padded here to 5 characters: ``1077`` -> ``"01077"``; 6-digit codes such as ``907971``
"REDUCED SODIUM: Bologna" or ``999328`` "Vitamin D as ingredient" are FNDDS-specific and kept as given); an
8-digit code is another FNDDS food (a sub-recipe), expanded recursively.

The recipe's moisture change (% of the total ingredient weight, the same on every row of a food; negative
when cooking loses water) gives the weight of the food as eaten: ``final = sum(weights) * (1 + change/100)``.
So ``grams_per_100g = weight / final * 100``: grams of the ingredient *as listed* (often raw) that go into
100 g of the food as eaten. A sub-recipe's own ingredients are scaled by its share. The same SR ingredient
reached through several paths is summed into one row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from foods.errors import FoodDataError

RECIPE_COLUMNS = ["food_id", "sr_id", "description", "grams_per_100g"]
SUB_RECIPE_CODE_LENGTH = 8


@dataclass(frozen=True)
class RecipeLine:
    """One raw recipe row: ingredient code as given, its description, weight in the recipe (g)."""

    code: str
    description: str
    weight_g: float


def ingredient_id(code: str) -> str:
    """SR ingredient id as shipped: 4-5 digit codes zero-padded to 5 characters, others unchanged."""
    code = code.strip()
    return code.zfill(5) if len(code) < 5 else code


def is_sub_recipe(code: str) -> bool:
    """True for an 8-digit ingredient code (an FNDDS food used as an ingredient)."""
    return len(code.strip()) == SUB_RECIPE_CODE_LENGTH


def expand_recipes(lines: Mapping[str, Sequence[RecipeLine]], moisture_change_pct: Mapping[str, float],
                   *, source: str = "FNDDS ingredients") -> pd.DataFrame:
    """Every recipe expanded to leaf (SR) ingredients.

    ``lines`` maps a food code to its recipe rows; ``moisture_change_pct`` maps a food code to its moisture
    change (% of total ingredient weight). Returns ``food_id, sr_id, description, grams_per_100g`` (g of
    ingredient per 100 g of food as eaten), sorted by food, then grams (largest first), then ingredient id.
    Raises :class:`FoodDataError` for a sub-recipe code without a recipe, a cycle, or a recipe whose
    weights do not add up to a positive weight.
    """
    cache: dict[str, dict[str, tuple[str, float]]] = {}

    def expand(food: str, path: tuple[str, ...]) -> dict[str, tuple[str, float]]:
        if food in cache:
            return cache[food]
        if food in path:
            raise FoodDataError(f"recipe cycle {' -> '.join((*path, food))}.", source=source, column="Ingredient code",
                                fix="Check the sub-recipe codes of these foods.")
        rows = lines.get(food)
        if not rows:
            raise FoodDataError(f"sub-recipe {food} (used by {path[-1] if path else '?'}) has no recipe.",
                                source=source, column="Ingredient code",
                                fix="Use the ingredient table of the same release as the recipes.")
        final_weight = sum(r.weight_g for r in rows) * (1.0 + moisture_change_pct.get(food, 0.0) / 100.0)
        if not final_weight > 0:
            raise FoodDataError(f"recipe of {food} has no positive total weight.", source=source,
                                column="Ingredient weight", fix="Check the ingredient weights of this food.")
        out: dict[str, tuple[str, float]] = {}
        for row in rows:
            share = row.weight_g / final_weight * 100.0
            if is_sub_recipe(row.code):
                for sr_id, (description, grams) in expand(row.code.strip(), (*path, food)).items():
                    _add(out, sr_id, description, grams * share / 100.0)
            else:
                _add(out, ingredient_id(row.code), row.description, share)
        cache[food] = out
        return out

    records = []
    for food in sorted(lines):
        for sr_id, (description, grams) in expand(food, ()).items():
            records.append((food, sr_id, description, grams))
    frame = pd.DataFrame(records, columns=RECIPE_COLUMNS)
    frame = frame.sort_values(["food_id", "grams_per_100g", "sr_id"], ascending=[True, False, True], kind="stable")
    return frame.reset_index(drop=True)


def _add(out: dict[str, tuple[str, float]], sr_id: str, description: str, grams: float) -> None:
    previous = out.get(sr_id)
    out[sr_id] = (description if previous is None else previous[0], grams + (0.0 if previous is None else previous[1]))
