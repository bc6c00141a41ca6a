"""FPED 2017-2018 food-group equivalents per 100 g, and the fill for foods FPED does not cover.

The catalogue keys sum FPED components (names as in ``FPED_1718.csv`` without the unit):
``meat_poultry_eggs_oz_eq`` = meat + cured meat + organ meat + poultry + eggs (the Dietary Guidelines subgroup
"meats, poultry, eggs"); ``seafood_oz_eq`` = high + low n-3 seafood; ``nuts_seeds_soy_oz_eq`` = nuts and seeds +
soy; the others are one component each. Units: cup equivalents (fruit, vegetables, dairy), ounce equivalents
(grains, protein foods), grams (oils, solid fats), teaspoon equivalents (added sugars), number of drinks.

Fill (:func:`impute_fped`): a food without FPED values gets, per key, the median over the foods of its WWEIA
category that have values (over all foods when its category has none), and ``fped_imputed = True``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FPED_COLUMNS: dict[str, tuple[str, ...]] = {
    "fruit_cup_eq": ("F_TOTAL",),
    "vegetables_cup_eq": ("V_TOTAL",),
    "dark_green_vegetables_cup_eq": ("V_DRKGR",),
    "red_orange_vegetables_cup_eq": ("V_REDOR_TOTAL",),
    "starchy_vegetables_cup_eq": ("V_STARCHY_TOTAL",),
    "legumes_cup_eq": ("V_LEGUMES",),
    "other_vegetables_cup_eq": ("V_OTHER",),
    "grains_oz_eq": ("G_TOTAL",),
    "whole_grains_oz_eq": ("G_WHOLE",),
    "refined_grains_oz_eq": ("G_REFINED",),
    "protein_foods_oz_eq": ("PF_TOTAL",),
    "meat_poultry_eggs_oz_eq": ("PF_MEAT", "PF_CUREDMEAT", "PF_ORGAN", "PF_POULT", "PF_EGGS"),
    "seafood_oz_eq": ("PF_SEAFD_HI", "PF_SEAFD_LOW"),
    "nuts_seeds_soy_oz_eq": ("PF_NUTSDS", "PF_SOY"),
    "dairy_cup_eq": ("D_TOTAL",),
    "oils_g": ("OILS",),
    "solid_fats_g": ("SOLID_FATS",),
    "added_sugars_tsp_eq": ("ADD_SUGARS",),
    "alcoholic_drinks": ("A_DRINKS",),
}
FPED_KEYS: tuple[str, ...] = tuple(FPED_COLUMNS)


def impute_fped(fped: pd.DataFrame, wweia_codes: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    """Fill foods whose FPED row is missing (all NaN) with their WWEIA category's median.

    ``fped`` has the :data:`FPED_KEYS` columns (per 100 g), ``wweia_codes`` the category code per food (same
    index). Returns (filled frame, bool Series ``fped_imputed``).
    """
    missing = fped[list(FPED_KEYS)].isna().all(axis=1)
    filled = fped.copy()
    if missing.any():
        known = fped[~missing]
        medians = known.groupby(wweia_codes[~missing]).median()
        overall = known.median()
        for food_id in fped.index[missing]:
            code = wweia_codes[food_id]
            filled.loc[food_id] = medians.loc[code] if code in medians.index else overall
    filled = filled.fillna(overall if missing.any() else 0.0).astype(np.float64)
    return filled, missing.rename("fped_imputed").astype(bool)
