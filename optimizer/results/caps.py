"""Naming the default caps that shape a plan: a default the user never set must never bind silently."""

from __future__ import annotations

import math
from collections.abc import Sequence

from optimizer.domain.request import PlanRequest
from optimizer.results.plan import PlanItem

TOLERANCE_G = 1e-6


def default_cap_notes(items: Sequence[PlanItem], request: PlanRequest) -> list[str]:
    """One note per default cap (``max_item_grams`` per item, ``max_food_grams_per_day`` per food and day, both in
    grams) that an item of the plan reaches, naming the foods. Foods with their own ``food_bounds`` and locked items
    are not limited by the defaults, so they are never named."""
    if not request.default_caps_apply():
        return []
    locked = {(i.day, i.meal, i.food_id) for i in request.locked}
    item_cap, day_cap = request.item_caps("")
    at_item: dict[str, str] = {}
    per_day: dict[tuple[int, str], float] = {}
    names: dict[str, str] = {}
    for it in items:
        if it.food_id in request.food_bounds or (it.day, it.meal, it.food_id) in locked:
            continue
        names[it.food_id] = it.food
        if math.isfinite(item_cap) and it.grams >= item_cap - TOLERANCE_G:
            at_item[it.food_id] = it.food
        per_day[(it.day, it.food_id)] = per_day.get((it.day, it.food_id), 0.0) + it.grams
    at_day = {f: names[f] for (_, f), grams in per_day.items() if math.isfinite(day_cap) and grams >= day_cap - TOLERANCE_G}
    notes = []
    for cap, field, hit in ((item_cap, "max_item_grams", at_item), (day_cap, "max_food_grams_per_day", at_day)):
        if hit:
            listed = ", ".join(sorted(set(hit.values()))[:5]) + (" and more" if len(set(hit.values())) > 5 else "")
            what = "one item" if field == "max_item_grams" else "one food a day"
            notes.append(f"The default cap of {cap:,.0f} g for {what} ({field}) limits {len(hit)} food(s): {listed}. "
                         f"Set food_bounds for a food, or {field}, to change it.")
    return notes
