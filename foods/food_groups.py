"""Food-group equivalents per 100 g for any food table: FPED values for FNDDS, estimates by role elsewhere.

The Dietary Guidelines count food in cup equivalents (fruit, vegetables, dairy), ounce equivalents (grains, protein
foods) and grams (oils). FNDDS foods carry the USDA FPED 2017-2018 values (``foods.fndds_fped``). SR24 and custom
foods have none, so :func:`food_group_equivalents` estimates them from the food's role and kind
(:mod:`foods.roles`) with the grams per equivalent of ``foods/data/food_group_grams.csv`` (sources in its header).
Mixed dishes, snacks and sweets of those catalogues get 0 (no estimate) and ``food_groups_source = "none"``.
"""

from __future__ import annotations

import importlib.resources
import re
from typing import TYPE_CHECKING

import pandas as pd

from foods.fndds_fped import FPED_KEYS
from foods.roles import food_roles

if TYPE_CHECKING:
    from foods.table import FoodTable

GRAMS_FILE = "food_group_grams.csv"
#: Grain foods whose name says they are whole grain (SR24/custom estimates only).
WHOLE_GRAIN = re.compile(r"whole|brown rice|\boat|quinoa|bulgur|barley|buckwheat|millet|wild rice|bran\b|"
                         r"pumpernickel|rye|shredded wheat|muesli|granola|cheerios", re.I)


def grams_per_equivalent() -> pd.DataFrame:
    """The shipped estimate table: one row per (role, kind) with ``keys`` (list of FPED keys) and
    ``grams_per_eq`` (g of food per equivalent; for ``oils_g`` grams of oil per gram of food)."""
    with importlib.resources.files("foods").joinpath("data", GRAMS_FILE).open("r", encoding="utf-8") as handle:
        frame = pd.read_csv(handle, dtype={"role": str, "kind": str, "keys": str, "grams_per_eq": float},
                            comment="#")
    frame["keys"] = frame["keys"].str.split(";")
    unknown = sorted({k for keys in frame["keys"] for k in keys} - set(FPED_KEYS))
    if unknown:
        raise ValueError(f"foods/data/{GRAMS_FILE}: unknown FPED keys {unknown}")
    return frame


def food_group_equivalents(table: FoodTable) -> pd.DataFrame:
    """Food-group equivalents per 100 g of every food of ``table``.

    Returns a frame indexed by ``food_id`` with every key of :data:`foods.fndds_fped.FPED_KEYS` (cup-eq, oz-eq or
    g per 100 g, never NaN) and ``food_groups_source``: ``FPED`` (FNDDS values), ``estimate`` (by role and kind)
    or ``none`` (no estimate: counted as 0).
    """
    frame = table.frame
    if all(key in frame.columns for key in FPED_KEYS):
        out = frame[list(FPED_KEYS)].astype(float).fillna(0.0).copy()
        out["food_groups_source"] = "FPED"
        return out
    roles = food_roles(table)
    out = pd.DataFrame(0.0, index=frame.index, columns=list(FPED_KEYS))
    source = pd.Series("none", index=frame.index)
    names = frame["name"].astype(str)
    for row in grams_per_equivalent().itertuples(index=False):
        hit = (roles["role"] == row.role) & (roles["kind"] == row.kind)
        if not hit.any():
            continue
        per_100g = 100.0 / float(row.grams_per_eq)
        for key in row.keys:
            out.loc[hit, key] = per_100g
            if key == "grains_oz_eq":
                whole = hit & names.str.contains(WHOLE_GRAIN)
                out.loc[whole, "whole_grains_oz_eq"] = per_100g
                out.loc[hit & ~whole, "refined_grains_oz_eq"] = per_100g
        source[hit] = "estimate"
    out["food_groups_source"] = source
    return out
