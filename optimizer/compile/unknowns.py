"""Unknown nutrient values under a maximum: a food whose value is unknown (NaN) for a nutrient the plan bounds
from above is **left out of that plan**, and the plan's notes say how many foods each nutrient left out.

Why leave out rather than fill: an unknown value counted as 0 could hide any amount (a missing caffeine or
retinol value), and a group median (e.g. 0 mg caffeine for "Beverages") would pass unknowns as 0 exactly where
it matters. Leaving the food out is the only choice that never under-counts. Under a minimum only, an unknown
still counts as 0 (that can only under-state what the plan supplies); the planner notes those counts.
A food the request locks or must include that lacks such a value is refused with a :class:`RequestError`.
"""

from __future__ import annotations

import pandas as pd

from optimizer.domain.errors import RequestError
from optimizer.domain.limits import effective_targets
from optimizer.domain.request import PlanRequest


def bounded_nutrients(request: PlanRequest) -> list[str]:
    """Food nutrient columns the request's targets bound from above (amount or percent-of-energy targets on
    total intake; an energy-percent maximum also needs the food's energy)."""
    out: list[str] = []
    for t in effective_targets(request):
        if t.max is None or t.applies_to != "total":
            continue
        out.append(t.nutrient)
        if t.kind == "energy_percent":
            out.append("energy_kcal")
    return list(dict.fromkeys(out))


def unknown_label(nutrient: str) -> str:
    """The notes' reason for foods left out by one nutrient."""
    return f"an unknown {nutrient} value under its maximum (unknown is never counted as 0)"


def screen_unknown_values(request: PlanRequest, frame: pd.DataFrame) -> tuple[pd.Series, dict[str, int]]:
    """(keep mask over ``frame``, foods left out per reason): foods with NaN for a nutrient the plan bounds from
    above are left out. Raises :class:`RequestError` for such a food that the request locks or must include."""
    keep = pd.Series(True, index=frame.index)
    removed: dict[str, int] = {}
    named = {i.food_id: "locked" for i in request.locked} | {i.food_id: "must_include" for i in request.must_include}
    for nutrient in bounded_nutrients(request):
        if nutrient not in frame.columns:
            continue
        unknown = pd.to_numeric(frame[nutrient], errors="coerce").isna()
        for fid, where in named.items():
            if fid in unknown.index and bool(unknown.loc[fid]):
                raise RequestError(
                    f"Food '{fid}' in {where} has no {nutrient} value, and the plan bounds {nutrient} from above: an "
                    "unknown amount cannot be checked against a maximum. Fix: add the value to your food table, or "
                    "choose another food.")
        count = int((unknown & keep).sum())
        if count:
            removed[unknown_label(nutrient)] = count
        keep &= ~unknown
    return keep, removed


def unknown_violations(request: PlanRequest, frame: pd.DataFrame, food_ids: list[str]) -> list[str]:
    """One line per planned food (``food_ids`` of ``frame``) with no value for a nutrient the plan bounds from
    above: such a plan cannot be shown to respect that maximum."""
    ids = [f for f in dict.fromkeys(food_ids) if f in frame.index]
    cols = [n for n in bounded_nutrients(request) if n in frame.columns]
    if not ids or not cols:
        return []
    sub = frame.loc[ids, cols].apply(pd.to_numeric, errors="coerce")
    return [f"food {fid} has no {', '.join(c for c in cols if pd.isna(sub.at[fid, c]))} value under a maximum "
            "(unknown is never counted as 0)" for fid in sub.index[sub.isna().any(axis=1).to_numpy()]]
