"""Nutrient totals of a plan recomputed from the catalogues (never from solver values), and the targets a request
asked for. Shared by verification, assembly and the reports; conventions in ``optimizer/results/verify.py``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from optimizer.domain.targets import Targets

if TYPE_CHECKING:  # foods never imports optimizer; we only need the types here
    from foods.supplements import SupplementCatalogue
    from foods.table import FoodTable

#: kcal per unit for energy-percent targets when the applied target does not say (Atwater factors).
KCAL_PER_UNIT: dict[str, float] = {
    "protein_g": 4.0,
    "carbohydrate_g": 4.0,
    "fat_g": 9.0,
    "saturated_fat_g": 9.0,
    "monounsaturated_fat_g": 9.0,
    "polyunsaturated_fat_g": 9.0,
    "sugars_g": 4.0,
    "alcohol_g": 7.0,
}
DIET_COLUMNS = {"vegan": "vegan", "vegetarian": "vegetarian", "pescatarian": "pescatarian"}


# -- recomputation -------------------------------------------------------------------------------
def supplemental_intake(
    supplements_df: pd.DataFrame | None, supplements: SupplementCatalogue | None, days: int
) -> pd.DataFrame:
    """Supplemental vitamin D (µg/day) and magnesium (label mg/day and absorbed mg/day) per day 1..days.

    Recomputed from the catalogue's label values × units; weekly-schedule products are spread as
    total / max(days, 7) on every day. Columns: ``vitamin_d_ug, magnesium_mg, magnesium_absorbed_mg``.
    Raises ``KeyError`` naming an unknown supplement id.
    """
    index = pd.Index(range(1, days + 1), name="day")
    out = pd.DataFrame(0.0, index=index, columns=["vitamin_d_ug", "magnesium_mg", "magnesium_absorbed_mg"])
    if supplements_df is None or len(supplements_df) == 0:
        return out
    if supplements is None:
        raise KeyError("the plan has supplements but no supplement catalogue was given")
    cat = supplements.frame
    unknown = sorted(set(supplements_df["supplement_id"]) - set(cat.index))
    if unknown:
        raise KeyError(f"unknown supplement id(s) {unknown}; see foods.load_supplements().frame.index")
    rows = cat.loc[supplements_df["supplement_id"].to_numpy()]
    units = supplements_df["units"].to_numpy(dtype=float)
    vit_d = units * column_values(rows, "vitamin_d_ug_per_unit")
    mg = units * column_values(rows, "magnesium_mg_per_unit")
    absorbed = mg * column_values(rows, "absorption_factor", default=1.0)
    weekly = (rows["schedule"].astype(str).to_numpy() == "weekly") if "schedule" in rows else np.zeros(len(rows), bool)
    days_arr = supplements_df["day"].to_numpy(dtype=int)
    per_day = pd.DataFrame(
        {"day": days_arr, "vitamin_d_ug": vit_d, "magnesium_mg": mg, "magnesium_absorbed_mg": absorbed}
    )
    daily_part = per_day[~weekly].groupby("day").sum()
    out = out.add(daily_part.reindex(index, fill_value=0.0), fill_value=0.0)
    if weekly.any():
        spread = per_day[weekly][["vitamin_d_ug", "magnesium_mg", "magnesium_absorbed_mg"]].sum() / max(days, 7)
        out = out + spread
    return out


def compute_totals(
    items_df: pd.DataFrame,
    supplements_df: pd.DataFrame | None,
    foods: FoodTable,
    supplements: SupplementCatalogue | None,
    *,
    days: int | None = None,
    nutrients: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Daily totals from the catalogues: one row per day (index ``day``), one column per nutrient key.

    ``items_df`` needs ``day, food_id, grams``; ``supplements_df`` needs ``day, supplement_id, units``.
    Foods contribute grams/100 × value per 100 g (NaN as 0); supplements add vitamin D (label µg) and
    magnesium (label mg × absorption_factor), weekly products spread over the week. ``days`` defaults to the
    largest day present; ``nutrients`` to every nutrient column of ``foods``.
    """
    cols = list(nutrients) if nutrients is not None else list(foods.nutrient_columns)
    frame = foods.frame
    present = [c for c in cols if c in frame.columns]
    n_days = days or int(max([0, *items_df.get("day", []), *([] if supplements_df is None else supplements_df.get("day", []))]))
    index = pd.Index(range(1, n_days + 1), name="day")
    totals = pd.DataFrame(0.0, index=index, columns=cols)
    if len(items_df):
        ids = items_df["food_id"].astype(str).to_numpy()
        unknown = sorted(f for f in set(ids) if f not in frame.index)  # hash lookups, not a set of the catalogue
        if unknown:
            from foods.errors import UnknownFoodError

            raise UnknownFoodError(unknown[0], "The plan names a food that is not in this catalogue.")
        values = frame.loc[ids, present].to_numpy(dtype=float)
        values = np.nan_to_num(values, nan=0.0) * (items_df["grams"].to_numpy(dtype=float)[:, None] / 100.0)
        by_day = pd.DataFrame(values, columns=present).assign(day=items_df["day"].to_numpy(dtype=int)).groupby("day").sum()
        totals.loc[:, present] = by_day.reindex(index, fill_value=0.0).to_numpy()
    supp = supplemental_intake(supplements_df, supplements, n_days)
    if "vitamin_d_ug" in totals.columns:
        totals["vitamin_d_ug"] += supp["vitamin_d_ug"]
    if "magnesium_mg" in totals.columns:
        totals["magnesium_mg"] += supp["magnesium_absorbed_mg"]
    return totals


def requested_targets(request: Any) -> Targets:
    """The targets a request asks for (before the rule raises magnesium): DRI targets for the profile with the
    request's overrides, or the request's own target set."""
    if isinstance(request.targets, Targets):
        return request.targets
    if request.profile is not None:
        from optimizer.domain.targets import targets_for

        return targets_for(request.profile).with_overrides(request.targets)
    return Targets().with_overrides(request.targets)

def in_index(values: pd.Series, index: pd.Index) -> np.ndarray:
    """Which ``values`` (as text) are ids in ``index``: hash lookups per value, not ``isin`` (which converts
    the whole catalogue index)."""
    return np.fromiter((v in index for v in values.astype(str)), dtype=bool, count=len(values))


def column_values(rows: pd.DataFrame, name: str, default: float = 0.0) -> np.ndarray:
    if name not in rows.columns:
        return np.full(len(rows), default)
    values: np.ndarray = np.nan_to_num(rows[name].to_numpy(dtype=float), nan=default)
    return values
