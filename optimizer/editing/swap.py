"""Swapping one food of a plan for another: ranked substitutes and the swap itself.

Both re-optimise only the item's day (:func:`optimizer.editing.replan.day_request`), with the rest of the day kept,
the old food forbidden at that slot and the new one required there; every other day is copied unchanged. A
substitute is never a food already eaten that day (so a swap cannot put the same food at two meals of a day).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from optimizer.domain.errors import RequestError
from optimizer.domain.request import MustInclude
from optimizer.editing.replan import (
    as_slot,
    day_locks,
    day_request,
    default_foods,
    default_supplements,
    find_items,
    run_request,
    splice_day,
    worst_status,
)
from optimizer.results.plan import Plan
from optimizer.results.verify import verify_plan

if TYPE_CHECKING:
    from foods.supplements import SupplementCatalogue
    from foods.table import FoodTable

CONTINUOUS_MIN_GRAMS = 10.0  # a substitute "is in" a continuous plan from 10 g


def swap_item(
    plan: Plan,
    day: int,
    meal: str,
    food_id: str,
    new_food_id: str,
    *,
    foods: FoodTable | None = None,
    supplements: SupplementCatalogue | None = None,
    reoptimise: bool = False,
    solver: Literal["highs", "cbc"] | None = None,
    time_limit_s: float | None = None,
) -> Plan:
    """Swap one item for another food (e.g. a row of :func:`suggest_substitutes`) and keep the targets met.

    Only that day is re-optimised, exactly as :func:`suggest_substitutes` checks a candidate: the rest of the day
    stays, the old food is forbidden at that (day, meal), ``new_food_id`` is required there (at least one household
    portion, or 10 g in a continuous plan) and, unless ``reoptimise=True``, only its amount and the day's own foods
    may change (when that has no solution, the rest of the day may change too, as :func:`suggest_substitutes`
    checks it). ``new_food_id`` may not already be eaten that day. Every other day is copied unchanged and the result
    is verified against the plan's request; its ``status``, ``runtime_s`` and ``gap`` stay the whole plan's (the
    worse of the plan's and the day's status) and a note describes the swap. When no
    such day exists the original plan comes back with ``has_solution=False`` and a note saying why. Raises
    :class:`RequestError` for an item or food that is not in the plan or catalogue."""
    table, catalogue = default_foods(foods), default_supplements(supplements)
    slot = as_slot((day, meal, food_id))
    day, meal, food_id = slot
    find_items(plan, slot)
    new_food_id = str(new_food_id)
    if new_food_id not in table.frame.index:
        raise RequestError(f"Food '{new_food_id}' is not in the catalogue. Fix: pick a food id from the catalogue "
                           "(e.g. a row of suggest_substitutes).")
    if new_food_id == food_id:
        raise RequestError(f"Swapping {food_id} for itself changes nothing. Fix: pick another food.")
    already = sorted({r.meal for r in plan.item_rows if r.day == day and r.food_id == new_food_id})
    if already:
        raise RequestError(f"Food '{new_food_id}' is already eaten on day {day} ({', '.join(already)}). Fix: pick a "
                           "food that is not in that day (suggest_substitutes lists only such foods).")
    household = plan.request.portions == "household"
    need = (MustInclude(food_id=new_food_id, meal=meal, min_portions=1.0) if household
            else MustInclude(food_id=new_food_id, meal=meal, min_grams=CONTINUOUS_MIN_GRAMS))
    day_foods = sorted({r.food_id for r in plan.item_rows if r.day == day} | {new_food_id})
    sub_req = day_request(plan, day, foods=table, supplements=catalogue, exclude_slots=[slot], extra_must=[need],
                          food_ids=None if reoptimise else day_foods)
    sub = run_request(sub_req, foods, supplements, solver, time_limit_s)
    if not sub.has_solution and not reoptimise:  # as suggest_substitutes checks it: then let the rest of the day change
        wide_req = day_request(plan, day, foods=table, supplements=catalogue, exclude_slots=[slot], extra_must=[need])
        wide = run_request(wide_req, foods, supplements, solver, time_limit_s)
        sub = wide if wide.has_solution else sub
    name = str(table.frame.at[new_food_id, "name"]) if "name" in table.frame.columns else new_food_id
    old_name = find_items(plan, slot)[0].food
    if not sub.has_solution:
        why = sub.explanation.summary if sub.explanation else sub.status
        return plan.model_copy(update={
            "status": sub.status, "has_solution": False, "explanation": sub.explanation,
            "notes": [*plan.notes, f"Day {day} {meal}: {old_name} cannot be swapped for {name} with every target "
                                   f"met: {why}"],
        })
    spliced = splice_day(plan, sub, day, table, catalogue)
    verification = verify_plan(spliced, table, catalogue)
    swap_note = (f"Day {day} {meal}: {old_name} swapped for {name}; only that day was re-planned "
                 f"({sub.runtime_s:.1f} s, objective of that day {sub.objective_value}).")
    return spliced.model_copy(update={  # the plan's status and runtime stay the whole plan's; the note tells the swap
        "status": worst_status([plan, sub]), "has_solution": verification.passed, "verification": verification,
        "objective_value": None, "best_bound": None, "gap": plan.gap, "runtime_s": plan.runtime_s,
        "explanation": None, "shadow_price_rows": [],
        "notes": [*plan.notes, swap_note] + ([] if verification.passed else ["The swapped plan failed verification."]),
    })


# -- substitutes ------------------------------------------------------------------------------------
SUBSTITUTE_COLUMNS = ["food_id", "food", "group", "grams", "portions", "feasible", "objective_change", "note"]


def suggest_substitutes(
    plan: Plan,
    day: int,
    meal: str,
    food_id: str,
    *,
    foods: FoodTable | None = None,
    supplements: SupplementCatalogue | None = None,
    limit: int = 5,
    max_candidates: int | None = None,
    reoptimise: bool = False,
    solver: Literal["highs", "cbc"] | None = None,
    time_limit_s: float | None = None,
) -> pd.DataFrame:
    """Ranked substitutes for one item that keep the day's targets met.

    Candidates come from the same meal's allowed pool (same diet, allergen and exclusion rules), same food group
    first, then closest in the targeted nutrients at the item's grams. For each of the best ``max_candidates``
    (default ``2 × limit``) the day is re-optimised with the rest of the day locked, the old food forbidden at that
    slot and the candidate required there; ``objective_change`` is the change in that day's objective against the
    day as it is (same one-day problem, the item kept). By default only the candidate's amount and more of the
    day's own foods may change (small, fast models); a candidate that only fits when the rest of the day may change
    is checked again that way (``reoptimise=True`` lets the whole allowed pool fill the gap from the start). Foods
    already eaten that day are never offered. Returns columns ``food_id, food, group, grams, portions, feasible,
    objective_change, note``: feasible first, then same group, then smallest objective change.
    """
    from optimizer.compile.candidates import select_candidates

    table, catalogue = default_foods(foods), default_supplements(supplements)
    day, meal, food_id = as_slot((day, meal, food_id))
    original = find_items(plan, (day, meal, food_id))
    req = plan.request
    frame = table.frame
    household = req.portions == "household"
    slot = (day, meal, food_id)
    # the day as it is, in the one-day problem: every item locked
    day_foods = sorted({r.food_id for r in plan.item_rows if r.day == day})
    base_req = day_request(plan, day, foods=table, supplements=catalogue, extra_locks=day_locks(plan, day),
                           food_ids=None if reoptimise else day_foods)
    baseline = run_request(base_req, foods, supplements, solver, time_limit_s)
    base_obj = baseline.objective_value if baseline.has_solution else None

    probe = day_request(plan, day, foods=table, supplements=catalogue, exclude_slots=[slot])
    pool = [f for f in select_candidates(probe, frame).at_meal(meal) if f != food_id]
    in_day = {r.food_id for r in plan.item_rows if r.day == day}
    pool = [f for f in pool if f not in in_day]  # never a food already eaten that day
    if not pool:
        return pd.DataFrame(columns=SUBSTITUTE_COLUMNS)
    ranked = _rank_by_similarity(pool, food_id, sum(r.grams for r in original), plan, frame)
    rows = []
    for cand, same_group, distance in ranked[: (max_candidates or 2 * limit)]:
        need = (MustInclude(food_id=cand, meal=meal, min_portions=1.0) if household
                else MustInclude(food_id=cand, meal=meal, min_grams=CONTINUOUS_MIN_GRAMS))
        sub_req = day_request(plan, day, foods=table, supplements=catalogue, exclude_slots=[slot], extra_must=[need],
                              food_ids=None if reoptimise else [*day_foods, cand])
        sub = run_request(sub_req, foods, supplements, solver, time_limit_s)
        widened = False
        if not sub.has_solution and not reoptimise:  # the day's own foods cannot absorb it: let the day change
            wide_req = day_request(plan, day, foods=table, supplements=catalogue, exclude_slots=[slot],
                                   extra_must=[need], food_ids=None)
            wide = run_request(wide_req, foods, supplements, solver, time_limit_s)
            if wide.has_solution:
                sub, widened = wide, True
        got = [r for r in sub.item_rows if r.meal == meal and r.food_id == cand]
        grams = float(sum(r.grams for r in got)) if got else 0.0
        portions = float(sum(r.portions or 0.0 for r in got)) if got and household else None
        solved = sub.has_solution and base_obj is not None and sub.objective_value is not None
        change = (sub.objective_value - base_obj) if solved else math.nan  # type: ignore[operator]  # both known
        added = sorted({r.food for r in sub.item_rows if not r.locked and r.food_id != cand})
        if not sub.has_solution:
            note = "no plan keeps the targets met with this swap" + (f": {sub.explanation.summary}" if sub.explanation else "")
        else:
            note = (("same food group" if same_group else "different food group")
                    + ("; the rest of the day changes" if widened else "")
                    + (f"; also adds {', '.join(added)}" if added else ""))
        rows.append({"food_id": cand, "food": str(frame.at[cand, "name"]) if "name" in frame.columns else cand,
                     "group": str(frame.at[cand, "group"]) if "group" in frame.columns else "",
                     "grams": grams, "portions": portions, "feasible": bool(sub.has_solution),
                     "objective_change": change, "note": note, "_same": same_group, "_dist": distance})
    out = pd.DataFrame(rows)
    out["_infeasible"] = ~out["feasible"]
    out["_obj"] = out["objective_change"].fillna(np.inf)
    out = out.sort_values(["_infeasible", "_same", "_obj", "_dist"], ascending=[True, False, True, True], kind="stable")
    return out[SUBSTITUTE_COLUMNS].head(limit).reset_index(drop=True)


def _rank_by_similarity(pool: list[str], food_id: str, grams: float, plan: Plan, frame: pd.DataFrame) -> list[tuple[str, bool, float]]:
    """(food_id, same_group, distance) sorted: same group first, then nutrient distance at ``grams`` (each targeted
    nutrient scaled by its target bound, so mg and µg weigh alike)."""
    nutrients = [t.nutrient for t in plan.target_rows if t.nutrient in frame.columns and t.applies_to == "total"]
    nutrients = list(dict.fromkeys(nutrients))
    scale: dict[str, float] = {}
    for t in plan.target_rows:
        bound = t.min or t.max
        if t.nutrient in nutrients and bound and t.kind == "amount":
            scale[t.nutrient] = max(scale.get(t.nutrient, 0.0), float(bound))
    cols = [n for n in nutrients if n in scale]
    values = frame.loc[[food_id, *pool], cols].astype(float).fillna(0.0) * grams / 100.0 if cols else None
    group = frame["group"] if "group" in frame.columns else pd.Series("", index=frame.index)
    out = []
    for f in pool:
        dist = (float(sum(abs(values.at[f, n] - values.at[food_id, n]) / scale[n] for n in cols))
                if cols and values is not None else 0.0)
        out.append((f, str(group.get(f, "")) == str(group.get(food_id, "")) and str(group.get(food_id, "")) != "", dist))
    out.sort(key=lambda x: (not x[1], x[2]))
    return out
