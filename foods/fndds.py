"""The shipped FNDDS catalogue (USDA foods and beverages as eaten, 2017-2018) read into a :class:`FoodTable`.

Built by ``python -m foods.build_fndds`` into ``foods/data/fndds_*.csv.gz`` (see ``foods/data/PROVENANCE_FNDDS.md``);
nothing here reads the raw USDA files, so the catalogue needs no network and no ``/work/shared``.
Use ``foods.load_foods("fndds")`` (cached) rather than :func:`read_fndds` directly.
"""

from __future__ import annotations

import importlib.resources
from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd

from foods.fndds_fped import FPED_KEYS

FOODS_FILE = "fndds_foods.csv.gz"
PORTIONS_FILE = "fndds_portions.csv.gz"
INGREDIENTS_FILE = "fndds_ingredients.csv.gz"
SOURCE = "USDA FNDDS 2017-2018 + FPED 2017-2018, recipes FNDDS 2015-2016 (public domain), shipped with Cofactor"
TEXT = ("name", "display_name", "wweia_category", "allergens", "tags_source", "meals", "default_portion")
FLAGS = ("vegan", "vegetarian", "pescatarian", "omnivore", "everyday", "fped_imputed")
#: FNDDS columns that describe a food and are not nutrients.
DESCRIPTOR_COLUMNS = ("display_name", "wweia_code", "wweia_category", "fped_imputed", "tags_source")
__all__ = ["DESCRIPTOR_COLUMNS", "FPED_KEYS", "SOURCE", "read_fndds"]


def _open(name: str) -> Any:
    return importlib.resources.files("foods").joinpath("data", name).open("rb")


def read_fndds() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The shipped FNDDS files as (foods indexed by 8-digit ``food_id``, portions, ingredients).

    foods: ``name, display_name, wweia_code`` (int), ``wweia_category``, ``group`` (= WWEIA category), nutrients
    and FPED equivalents per 100 g (float), diet tags, ``allergens``, ``everyday``, ``meals``,
    ``default_portion`` / ``default_portion_grams`` (g), ``price_per_100g`` (NaN), ``price_source`` ("").
    portions: ``food_id, portion, amount, grams``. ingredients: ``food_id, sr_id, description, grams_per_100g``.
    """
    dtype: defaultdict[str, Any] = defaultdict(lambda: np.float64, food_id=str, wweia_code=np.int64)
    dtype.update({c: str for c in TEXT})
    dtype.update({c: np.int8 for c in FLAGS})
    with _open(FOODS_FILE) as handle:
        foods = pd.read_csv(handle, compression="gzip", dtype=dtype, keep_default_na=False, na_values=[""],
                            engine="c", index_col="food_id")
    for column in ("allergens", "meals", "default_portion"):
        foods[column] = foods[column].fillna("")
    for column in FLAGS:
        foods[column] = foods[column].astype(bool)
    foods["group"] = foods["wweia_category"]
    foods["price_per_100g"] = np.nan
    foods["price_source"] = ""
    with _open(PORTIONS_FILE) as handle:
        portions = pd.read_csv(handle, compression="gzip", keep_default_na=False, engine="c",
                               dtype={"food_id": str, "portion": str, "amount": np.float64, "grams": np.float64})
    with _open(INGREDIENTS_FILE) as handle:
        ingredients = pd.read_csv(handle, compression="gzip", keep_default_na=False, engine="c",
                                  dtype={"food_id": str, "sr_id": str, "description": str,
                                         "grams_per_100g": np.float64})
    return foods, portions, ingredients
