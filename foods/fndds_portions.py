"""FNDDS household portions and the usual portion of each food.

Kept: every portion of the food itself with a weight above 0, in USDA's order (``Seq num``), one row per
description. Dropped: "Quantity not specified" rows (weight 0, or -9 for infant formulas = placeholder; otherwise
the weight USDA assumes when a respondent gave no amount), "Guideline amount per ..." rows (amounts of milk or
sugar *added to* another food) and brand-specific subcode rows. ``amount`` is 1: ``grams`` is the weight of the
portion as described ("1 cup").

Usual portion: the kept portion whose weight is closest (by ratio) to the "Quantity not specified" weight
(milk -> "1 cup", apple -> "1 medium", pumpkin seeds -> "1 oz"); earliest on ties; the first portion when USDA
gives no such weight; none (the catalogue falls back to 100 g) when the food has no kept portion.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

UNSPECIFIED = "Quantity not specified"


def clean_portions(raw: pd.DataFrame, food_ids: pd.Index) -> pd.DataFrame:
    """Household portions ``food_id, portion, amount, grams`` from raw rows (``food_id, subcode, seq, portion,
    grams``), sorted by food code then USDA order."""
    keep = ((raw["grams"] > 0) & (raw["subcode"].isin(["", "0"])) & (raw["portion"] != UNSPECIFIED)
            & ~raw["portion"].str.startswith("Guideline amount") & raw["food_id"].isin(set(food_ids)))
    kept = raw[keep].sort_values(["food_id", "seq"], kind="stable").drop_duplicates(["food_id", "portion"])
    return pd.DataFrame({"food_id": kept["food_id"].to_numpy(), "portion": kept["portion"].to_numpy(),
                         "amount": 1.0, "grams": kept["grams"].to_numpy(dtype=np.float64)})


def usual_portions(raw: pd.DataFrame, portions: pd.DataFrame) -> pd.DataFrame:
    """``default_portion, default_portion_grams`` per food id that has portions (see the module docstring)."""
    plain = raw[raw["subcode"].isin(["", "0"]) & (raw["portion"] == UNSPECIFIED) & (raw["grams"] > 0)]
    target = plain.drop_duplicates("food_id").set_index("food_id")["grams"]
    frame = portions.assign(target=portions["food_id"].map(target))
    distance = np.abs(np.log(frame["grams"] / frame["target"])).fillna(0.0)
    frame = frame.assign(distance=distance, order=np.arange(len(frame)))
    best = frame.sort_values(["food_id", "distance", "order"], kind="stable").drop_duplicates("food_id")
    out = pd.DataFrame({"default_portion": best["portion"].to_numpy(),
                        "default_portion_grams": best["grams"].to_numpy(dtype=np.float64)},
                       index=pd.Index(best["food_id"].to_numpy(), name="food_id"))
    return out
