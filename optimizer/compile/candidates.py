"""Which foods a plan may use, and at which meals.

Pure pandas (no solver): filters a :class:`foods.FoodTable` by the request's candidate set
(everyday foods or all), an explicit id list, the diet pattern, allergens, excluded foods and
food groups, and meal suitability (the catalogue's ``meals`` column). Foods the user names
explicitly (locked, must-include, usual diet, liked) stay candidates even when not "everyday",
unless the user also excluded them or their diet/allergens rule them out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from optimizer.compile.safety import screen_food_safety
from optimizer.compile.unknowns import screen_unknown_values
from optimizer.domain.errors import RequestError
from optimizer.domain.limits import check_upper_limits
from optimizer.domain.request import PlanRequest

DIET_COLUMNS = ("vegan", "vegetarian", "pescatarian", "omnivore")


@dataclass(frozen=True)
class Candidates:
    """Candidate foods and the meals each may appear at.

    ``meals_for[food_id]`` is the tuple of request meals the food may be eaten at; ``removed`` counts
    why foods were dropped (for plan notes).
    """

    food_ids: tuple[str, ...]
    meals_for: dict[str, tuple[str, ...]]
    removed: dict[str, int] = field(default_factory=dict)

    def at_meal(self, meal: str) -> list[str]:
        """Candidate food ids allowed at ``meal``."""
        return [f for f in self.food_ids if meal in self.meals_for[f]]


def named_food_ids(request: PlanRequest) -> dict[str, str]:
    """Every food id the request names, mapped to where it is named (for error messages)."""
    named: dict[str, str] = {}
    for fid in request.food_ids or ():
        named.setdefault(fid, "food_ids")
    for fid in request.exclude_foods:
        named.setdefault(fid, "exclude_foods")
    for item in request.must_include:
        named.setdefault(item.food_id, "must_include")
    for locked in request.locked:
        named.setdefault(locked.food_id, "locked")
    for fid in request.food_bounds:
        named.setdefault(fid, "food_bounds")
    for usual in request.usual_diet:
        named.setdefault(usual.food_id, "usual_diet")
    for fid in request.liked_foods:
        named.setdefault(fid, "liked_foods")
    for fid in request.disliked_foods:
        named.setdefault(fid, "disliked_foods")
    return named


def check_food_ids(request: PlanRequest, frame: pd.DataFrame) -> None:
    """Raise :class:`RequestError` naming the first food id in the request that the catalogue lacks."""
    for fid, where in named_food_ids(request).items():
        if fid not in frame.index:
            raise RequestError(
                f"Unknown food id '{fid}' in {where}. Fix: use an id from the food table "
                "(FoodTable.search(...) or `cofactor foods search WORDS`)."
            )


def check_groups(request: PlanRequest, frame: pd.DataFrame) -> None:
    """Raise :class:`RequestError` for an ``exclude_groups`` name the table lacks (a typo would exclude nothing)."""
    if not request.exclude_groups:
        return
    groups = sorted({str(g) for g in frame["group"].dropna().unique()}) if "group" in frame.columns else []
    known = {g.lower() for g in groups}
    unknown = [g for g in request.exclude_groups if g.lower() not in known]
    if unknown:
        raise RequestError(f"Unknown food group(s) {unknown} in exclude_groups, so nothing would be excluded. "
                           f"Fix: use group names of the food table: {'; '.join(groups) or '(the table has no groups)'}.")


def _meal_list(value: object, meals: tuple[str, ...]) -> tuple[str, ...]:
    text = value if isinstance(value, str) else ""
    listed = [m for m in text.split(";") if m]
    if not listed:
        return meals
    allowed = tuple(m for m in meals if m in listed)
    return allowed


def _has_allergen(value: object, allergens: set[str]) -> bool:
    if not isinstance(value, str) or not value:
        return False
    return bool(allergens.intersection(a for a in value.split(";") if a))


def select_candidates(request: PlanRequest, frame: pd.DataFrame) -> Candidates:
    """Candidate foods for ``request`` from a food frame (``FoodTable.frame``).

    A table with no everyday food at all (custom foods) uses every food for ``candidates="everyday"``.
    Meal suitability: an everyday food may appear only at the meals its ``meals`` column lists
    (custom meal names, or foods without a list, are allowed at every meal). When none of a food's
    listed meals is in the request (e.g. custom meal names), it is allowed at every meal.
    """
    check_food_ids(request, frame)
    check_groups(request, frame)
    check_upper_limits(request)  # only a clinician lifts an upper limit (domain/limits.py)
    removed: dict[str, int] = {}
    explicit = set(request.food_ids or ())
    named = {i.food_id for i in request.locked} | {i.food_id for i in request.must_include}
    named |= {i.food_id for i in request.usual_diet} | set(request.liked_foods)

    if request.food_ids is not None:
        keep = frame.index.isin(list(explicit | named))
    elif request.candidates == "everyday" and "everyday" in frame.columns and frame["everyday"].fillna(False).astype(bool).any():
        keep = frame["everyday"].fillna(False).astype(bool).to_numpy() | frame.index.isin(list(named))
    else:
        keep = pd.Series(True, index=frame.index).to_numpy()
    pool = frame.loc[keep]

    mask, safety_removed = screen_food_safety(request, pool)  # life-stage food safety (compile/safety.py)
    removed.update(safety_removed)
    known, unknown_removed = screen_unknown_values(request, pool.loc[mask.to_numpy()])  # compile/unknowns.py
    mask &= known.reindex(pool.index, fill_value=True)
    removed.update(unknown_removed)
    if request.diet_pattern != "omnivore":
        if request.diet_pattern in pool.columns:
            ok = pool[request.diet_pattern].fillna(False).astype(bool)
            removed["diet pattern"] = int((~ok).sum())
            mask &= ok
        else:
            raise RequestError(
                f"The food table has no '{request.diet_pattern}' column, so the diet pattern cannot be applied. "
                f"Fix: add a boolean '{request.diet_pattern}' column to your foods, or use diet_pattern='omnivore'."
            )
    if request.exclude_allergens:
        if "allergens" not in pool.columns:
            raise RequestError(
                "The food table has no 'allergens' column, so allergens cannot be excluded. "
                "Fix: add an 'allergens' column (';'-joined) or remove exclude_allergens."
            )
        bad = pool["allergens"].map(lambda v: _has_allergen(v, set(request.exclude_allergens)))
        removed["allergens"] = int(bad.sum())
        mask &= ~bad
    if request.exclude_groups:
        groups = pool["group"] if "group" in pool.columns else pd.Series("", index=pool.index)
        lowered = {g.lower() for g in request.exclude_groups}
        bad = groups.fillna("").str.lower().isin(lowered)
        removed["excluded food groups"] = int(bad.sum())
        mask &= ~bad
    if request.exclude_foods:
        bad = pool.index.isin(list(request.exclude_foods))
        removed["excluded foods"] = int(bad.sum())
        mask &= ~bad
    pool = pool.loc[mask.to_numpy()]

    meals_col = pool["meals"] if "meals" in pool.columns else pd.Series("", index=pool.index)
    meals_for: dict[str, tuple[str, ...]] = {}
    meal_lists: dict[object, tuple[str, ...]] = {}  # few distinct "meals" texts: parse each once
    for fid, listed in zip(pool.index.tolist(), meals_col.tolist()):
        allowed: tuple[str, ...] | None
        if fid in explicit:
            allowed = request.meals
        else:
            key = listed if isinstance(listed, str) else None
            allowed = meal_lists.get(key)
            if allowed is None:
                allowed = meal_lists[key] = _meal_list(listed, request.meals)
        meals_for[str(fid)] = allowed or request.meals
    for item in list(request.locked) + [m for m in request.must_include if m.meal] + [u for u in request.usual_diet if u.meal]:
        if item.food_id in meals_for and item.meal not in meals_for[item.food_id]:
            extra = set(meals_for[item.food_id]) | {item.meal}
            meals_for[item.food_id] = tuple(m for m in request.meals if m in extra)
    ordered = tuple(map(str, pool.index.tolist()))
    return Candidates(food_ids=ordered, meals_for=meals_for, removed={k: v for k, v in removed.items() if v})


def forbidden_named_foods(request: PlanRequest, candidates: Candidates) -> list[str]:
    """Locked or must-include foods that the diet, allergens or exclusions rule out (a contradiction)."""
    ids = set(candidates.food_ids)
    out = []
    for item in list(request.locked) + list(request.must_include):
        if item.food_id not in ids and item.food_id not in out:
            out.append(item.food_id)
    return out


def effective_variety(request: PlanRequest) -> tuple[int | None, int | None]:
    """Variety rules in effect: ``(max_days_per_food, min_foods_per_day)``.

    Household-portion plans (the default for people) use the request's values (defaults: a food on at most
    4 of 7 days, at least 7 distinct foods a day). Continuous-gram plans — the generic diet LP (e.g. Stigler's)
    — apply them only when the request sets them explicitly. ``max_days_per_food`` is scaled to shorter plans:
    ``min(k, max(1, ceil(k × days / 7)))`` for fewer than 7 days (1 day: every food once, i.e. no limit).
    """
    explicit = request.model_fields_set
    household = request.portions == "household"
    k = request.max_days_per_food if (household or "max_days_per_food" in explicit) else None
    n = request.min_foods_per_day if (household or "min_foods_per_day" in explicit) else None
    if k is not None and request.days < 7:
        k = min(k, max(1, math.ceil(k * request.days / 7)))
    return k, n
