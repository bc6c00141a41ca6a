"""Editing a plan: lock and re-plan, re-optimise single days, compare versions, suggest substitutes.

Pure library functions over :func:`optimizer.plan` (no UI). Two ways of re-planning:

* **Whole plan** (``replan`` without ``only_days``/``exclude_items``): the request gets the new locks and
  exclusions and the whole plan is solved again. Locked items stay; the optimizer may still add foods around them.
* **Single days** (``only_days=[3]`` or ``exclude_items``): each chosen day is re-optimised as a one-day
  problem with every other day held fixed, then spliced back. Other days are copied unchanged, by construction.
  The one-day problem sees the rest of the plan: a food already used on ``max_days_per_food`` other days is
  excluded, weekly-average amount targets become that day's residual (``days × bound − other days``), a weekly
  vitamin D product stays where it is (a weekly prescription is re-expressed for the day). The spliced plan is
  re-verified against the original request; if it fails, it is returned with ``has_solution=False``.
  Its ``objective_value`` is None (the whole-plan objective was not re-solved); the note gives the day's.

``exclude_items`` forbids one slot: the rest of that day is locked and the food may not be eaten at that
(day, meal) again (if the same food is also eaten at another meal that day, its amount there is kept and capped).

Locks live in the plan's request (``request.locked``, ``request.locked_supplements``) and so carry over to every
later re-plan; :func:`unlock` (or ``replan(unlock_items=..., unlock_days=...)``) releases them. :func:`swap_item`
(in ``optimizer.editing.swap``) puts a chosen substitute (e.g. one from :func:`suggest_substitutes`) in place of an
item, re-optimising only that day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import BaseModel

from optimizer.domain.errors import RequestError
from optimizer.domain.request import FoodBound, LockedItem, LockedSupplement, MustInclude, PlanRequest, UsualItem
from optimizer.domain.targets import Target, Targets
from optimizer.results.plan import Plan, PlanItem
from optimizer.results.verify import compute_totals, requested_targets, verify_plan

if TYPE_CHECKING:
    from foods.supplements import SupplementCatalogue
    from foods.table import FoodTable

Slot = tuple[int, str, str]  # (day, meal, food_id)


# -- catalogue defaults ---------------------------------------------------------------------------
def default_foods(foods: FoodTable | None, catalogue: str = "sr24") -> FoodTable:
    """``foods``, or the shipped catalogue a plan was made from (``PlanRequest.catalogue``)."""
    if foods is not None:
        return foods
    import foods as foods_pkg

    table: FoodTable = foods_pkg.load_foods(catalogue)
    return table


def default_supplements(supplements: SupplementCatalogue | None) -> SupplementCatalogue:
    if supplements is not None:
        return supplements
    import foods as foods_pkg

    loaded: SupplementCatalogue = foods_pkg.load_supplements()
    return loaded


def run_request(request: PlanRequest, foods: FoodTable | None, supplements: SupplementCatalogue | None,
         solver: str | None, time_limit_s: float | None) -> Plan:
    from optimizer.planner import plan as make_plan

    return make_plan(request, foods, supplements, solver=solver, time_limit_s=time_limit_s)


# -- locks ----------------------------------------------------------------------------------------
def _lock_for(item: PlanItem, household: bool) -> LockedItem:
    if household and item.portions is not None:
        return LockedItem(day=item.day, meal=item.meal, food_id=item.food_id, portions=item.portions)
    return LockedItem(day=item.day, meal=item.meal, food_id=item.food_id, grams=item.grams)


def as_slot(slot: Sequence[Any]) -> Slot:
    """(day, meal, food_id) as plain Python types (DataFrame rows give numpy integers)."""
    day, meal, food_id = slot
    return int(day), str(meal), str(food_id)


def find_items(plan: Plan, slot: Slot) -> list[PlanItem]:
    day, meal, food_id = slot
    found = [r for r in plan.item_rows if r.day == day and r.meal == meal and r.food_id == food_id]
    if not found:
        raise RequestError(
            f"No item {food_id} at day {day}, {meal} in this plan. Fix: pick (day, meal, food_id) from plan.items."
        )
    return found


def _merge_locks(existing: Iterable[LockedItem], new: Iterable[LockedItem]) -> tuple[LockedItem, ...]:
    out: dict[Slot, LockedItem] = {(x.day, x.meal, x.food_id): x for x in existing}
    for x in new:
        out[(x.day, x.meal, x.food_id)] = x
    return tuple(out.values())


def day_locks(plan: Plan, day: int) -> list[LockedItem]:
    household = plan.request.portions == "household"
    return [_lock_for(r, household) for r in plan.item_rows if r.day == day and r.grams > 0]


# -- replan -------------------------------------------------------------------------------------------
def replan(
    plan: Plan,
    *,
    lock_items: Sequence[Slot] = (),
    lock_days: Sequence[int] = (),
    exclude_items: Sequence[Slot] = (),
    exclude_foods: Sequence[str] = (),
    only_days: Sequence[int] | None = None,
    unlock_items: Sequence[Slot] = (),
    unlock_days: Sequence[int] = (),
    foods: FoodTable | None = None,
    supplements: SupplementCatalogue | None = None,
    solver: Literal["highs", "cbc"] | None = None,
    time_limit_s: float | None = None,
) -> Plan:
    """Re-plan ``plan`` with items or days locked, items or foods excluded, or only some days re-optimised.

    ``lock_items``/``exclude_items`` are ``(day, meal, food_id)`` triples of the plan; ``lock_days`` locks every item
    (and daily supplement dose) of those days; ``only_days`` re-optimises just those days and copies the others
    unchanged (``exclude_foods`` then applies to the re-optimised days only, and a note says so; ``only_days=[]``
    re-plans no day: only the locks change). The result keeps the plan's status, gap and runtime (the worse status
    when a re-planned day's is worse) with a note per re-planned day. Locks made by
    earlier edits stay unless released with ``unlock_items``/``unlock_days`` (see :func:`unlock`), which are applied
    before the new locks. When a day cannot be re-planned the original plan comes back with ``has_solution=False``
    and the explanation. Raises :class:`RequestError` naming an item or day that is not in the plan.
    """
    if unlock_items or unlock_days:
        plan = unlock(plan, items=unlock_items, days=unlock_days)
    req = plan.request
    lock_items = [as_slot(s) for s in lock_items]
    exclude_items = [as_slot(s) for s in exclude_items]
    lock_days = [int(d) for d in lock_days]
    only_days = None if only_days is None else [int(d) for d in only_days]
    for d in [*lock_days, *(only_days or ())]:
        if not 1 <= d <= req.days:
            raise RequestError(f"Day {d} is not in this plan (days 1..{req.days}). Fix: pick an existing day.")
    household = req.portions == "household"
    new_locks = [_lock_for(i, household) for slot in lock_items for i in find_items(plan, slot)]
    for d in lock_days:
        new_locks += day_locks(plan, d)
    day_supplement_locks = []
    if lock_days:
        weekly = _weekly_ids(default_supplements(supplements))
        day_supplement_locks = [LockedSupplement(day=r.day, supplement_id=r.supplement_id, units=r.units)
                                for r in plan.supplement_rows if r.day in set(lock_days) and r.supplement_id not in weekly]
    for slot in exclude_items:
        find_items(plan, slot)
    base = req.model_copy(update={
        "locked": _merge_locks(req.locked, new_locks),
        "locked_supplements": tuple(req.locked_supplements) + tuple(day_supplement_locks),
    })
    if only_days is None and not exclude_items:
        updated = base.model_copy(update={"exclude_foods": tuple(dict.fromkeys([*req.exclude_foods, *exclude_foods]))})
        return run_request(updated, foods, supplements, solver, time_limit_s)

    days = sorted(set(only_days or ()) | {s[0] for s in exclude_items})
    table, catalogue = default_foods(foods, req.catalogue), default_supplements(supplements)
    item_locks = {(x.day, x.meal, x.food_id) for x in base.locked}
    dose_locks = {(x.day, x.supplement_id) for x in base.locked_supplements}
    current = plan.model_copy(update={  # days not re-planned stay as they are, shown with the request's locks
        "request": base,
        "item_rows": [r.model_copy(update={"locked": (r.day, r.meal, r.food_id) in item_locks}) for r in plan.item_rows],
        "supplement_rows": [r.model_copy(update={"locked": (r.day, r.supplement_id) in dose_locks})
                            for r in plan.supplement_rows]})
    notes: list[str] = []
    statuses: list[Plan] = []
    for day in days:
        slots = [s for s in exclude_items if s[0] == day]
        sub_req = day_request(current, day, foods=table, supplements=catalogue, exclude_slots=slots,
                              exclude_foods=exclude_foods)
        sub = run_request(sub_req, foods, supplements, solver, time_limit_s)
        statuses.append(sub)
        if not sub.has_solution:
            explanation = sub.explanation.summary if sub.explanation else sub.status
            return plan.model_copy(update={
                "status": sub.status, "has_solution": False, "explanation": sub.explanation,
                "notes": [*plan.notes, f"Day {day} could not be re-optimised: {explanation}"],
            })
        current = splice_day(current, sub, day, table, catalogue)
        notes.append(f"Day {day} re-planned ({sub.runtime_s:.1f} s, objective of that day {sub.objective_value}).")
    verification = verify_plan(current, table, catalogue)
    return current.model_copy(update={  # status, gap and runtime stay the whole plan's (worse when a day is worse)
        "status": worst_status([plan, *statuses]), "has_solution": verification.passed, "verification": verification,
        "objective_value": None, "best_bound": None,
        "gap": max((s.gap for s in [plan, *statuses] if s.gap is not None), default=None),
        "runtime_s": plan.runtime_s, "explanation": None, "shadow_price_rows": [],
        "notes": [*plan.notes, *notes, *([f"Excluded on the re-optimised day(s) only: {', '.join(exclude_foods)}"]
                                         if exclude_foods else [])]
                 + ([] if verification.passed else ["The spliced plan failed verification."]),
    })


def worst_status(plans: list[Plan]) -> str:
    order = ["error", "infeasible", "unbounded", "not_solved", "time_limit", "work_limit", "gap_limit", "optimal"]
    return min((p.status for p in plans), key=lambda s: order.index(s) if s in order else 0, default="optimal")


def _weekly_ids(supplements: SupplementCatalogue) -> set[str]:
    """Ids of weekly-schedule products (e.g. 50,000 IU once a week)."""
    frame = supplements.frame
    return {str(i) for i in frame.index[frame["schedule"].astype(str) == "weekly"]}


def day_request(
    plan: Plan,
    day: int,
    *,
    foods: FoodTable,
    supplements: SupplementCatalogue,
    exclude_slots: Sequence[Slot] = (),
    exclude_foods: Sequence[str] = (),
    extra_locks: Sequence[LockedItem] = (),
    extra_must: Sequence[MustInclude] = (),
    food_ids: Sequence[str] | None = None,
) -> PlanRequest:
    """A one-day request that re-optimises ``day`` of ``plan`` with every other day held fixed (see module doc).

    ``food_ids`` restricts the day's candidate foods (the day's locked and required foods are always kept)."""
    req = plan.request
    items = plan.items
    others = items[(items["day"] != day) & (items["grams"] > 0)]
    locked = [x.model_copy(update={"day": 1}) for x in req.locked if x.day == day]
    locked += [x.model_copy(update={"day": 1}) for x in extra_locks]
    excluded = set(req.exclude_foods) | set(exclude_foods)
    bounds = dict(req.food_bounds)
    for _, meal, food_id in exclude_slots:
        rest = [r for r in plan.item_rows if r.day == day and not (r.meal == meal and r.food_id == food_id)]
        locked += [_lock_for(r, req.portions == "household").model_copy(update={"day": 1}) for r in rest if r.grams > 0]
        kept = sum(r.grams for r in rest if r.food_id == food_id)
        if kept > 0:
            bounds[food_id] = FoodBound(min=(bounds[food_id].min if food_id in bounds else None), max=kept)
        else:
            excluded.add(food_id)
    named_today = {x.food_id for x in locked} | {m.food_id for m in extra_must}
    if req.max_days_per_food is not None and len(others):
        used = others.groupby("food_id")["day"].nunique()
        excluded |= {f for f, n in used.items() if n >= req.max_days_per_food and f not in named_today}
    excluded -= named_today
    must = [m.model_copy(update={"days": None}) for m in req.must_include if m.days is None or day in m.days]
    must += list(extra_must)
    usual = [u.model_copy(update={"day": 1}) if u.day == day else u for u in req.usual_diet if u.day in (None, day)]
    supp_locks = [x.model_copy(update={"day": 1}) for x in req.locked_supplements if x.day == day]
    update: dict[str, Any] = {
        "days": 1, "locked": _merge_locks((), locked), "locked_supplements": tuple(supp_locks),
        "must_include": tuple(must), "usual_diet": tuple(usual), "exclude_foods": tuple(sorted(excluded)),
        "food_bounds": bounds, "max_days_per_food": None,
    }
    weekly_d = _weekly_vitamin_d_per_week(plan, supplements)
    if req.vitamin_d_weekly_supplement_ug is None and weekly_d > 0:
        update["vitamin_d_weekly_supplement_ug"] = weekly_d
    residual = _daily_residual_targets(plan, day, foods, supplements)
    if residual is not None:
        update["targets"] = residual
    if food_ids is not None:  # by exclusion, so the foods keep their usual meals
        keep = {*food_ids, *(x.food_id for x in locked), *(m.food_id for m in must)}
        update["exclude_foods"] = tuple(sorted(excluded | (set(foods.frame.index) - keep)))
    return PlanRequest.model_validate({**req.model_dump(), **{k: _dump(v) for k, v in update.items()}})


def _dump(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, (tuple, list)):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


def _weekly_vitamin_d_per_week(plan: Plan, supplements: SupplementCatalogue) -> float:
    """Vitamin D per week (µg) from weekly-schedule products in the plan (spread convention of verify.py)."""
    frame = supplements.frame
    total = 0.0
    for r in plan.supplement_rows:
        if r.supplement_id in frame.index and str(frame.at[r.supplement_id, "schedule"]) == "weekly":
            total += r.units * float(np.nan_to_num(frame.at[r.supplement_id, "vitamin_d_ug_per_unit"]))
    return total * 7.0 / max(plan.request.days, 7)


def _daily_residual_targets(plan: Plan, day: int, foods: FoodTable, supplements: SupplementCatalogue) -> Targets | None:
    """Weekly-average targets turned into what ``day`` must still supply; None when every target is daily."""
    req = plan.request
    requested = requested_targets(req)
    if not any(t.period == "weekly" for t in requested):
        return None
    items = plan.items
    supp = plan.supplements
    others_items = items[items["day"] != day]
    others_supp = supp[supp["day"] != day] if len(supp) else supp
    totals = compute_totals(others_items, others_supp, foods, supplements, days=req.days)
    others = totals.drop(index=day).sum()
    rows: list[Target] = []
    for t in requested:
        if t.period != "weekly" or t.kind != "amount" or t.applies_to != "total" or t.nutrient not in totals.columns:
            rows.append(t.model_copy(update={"period": "daily"}))
            continue
        have = float(others[t.nutrient])
        lo = None if t.min is None else max(0.0, t.min * req.days - have)
        hi = None if t.max is None else max(0.0, t.max * req.days - have)
        if lo is not None and hi is not None and lo > hi:
            lo = hi
        rows.append(t.model_copy(update={"period": "daily", "min": lo, "max": hi,
                                         "note": (t.note + "; " if t.note else "") + f"residual for day {day} of a weekly average"}))
    return Targets(rows=tuple(rows), energy_kcal=requested.energy_kcal, basis=requested.basis)


def splice_day(plan: Plan, sub: Plan, day: int, foods: FoodTable, supplements: SupplementCatalogue) -> Plan:
    """``plan`` with day ``day`` replaced by the one-day plan ``sub``; weekly products of ``plan`` are kept."""
    weekly = _weekly_ids(supplements)
    # the one-day problem locks the rest of the day internally; an item shows as locked only if ``plan`` locks it
    item_locks = {(x.day, x.meal, x.food_id) for x in plan.request.locked}
    dose_locks = {(x.day, x.supplement_id) for x in plan.request.locked_supplements}
    items = [r for r in plan.item_rows if r.day != day] + [
        r.model_copy(update={"day": day, "locked": (day, r.meal, r.food_id) in item_locks}) for r in sub.item_rows]
    items.sort(key=lambda r: (r.day, plan.request.meals.index(r.meal) if r.meal in plan.request.meals else 99, r.food_id))
    doses = [r for r in plan.supplement_rows if r.day != day or r.supplement_id in weekly]
    doses += [r.model_copy(update={"day": day, "locked": (day, r.supplement_id) in dose_locks})
              for r in sub.supplement_rows if r.supplement_id not in weekly]
    doses.sort(key=lambda r: (r.day, r.supplement_id))
    spliced = plan.model_copy(update={"item_rows": items, "supplement_rows": doses})
    totals = compute_totals(spliced.items, spliced.supplements, foods, supplements, days=plan.request.days)
    total_rows = [{"day": float(d), **{k: float(v) for k, v in row.items()}} for d, row in totals.iterrows()]
    return spliced.model_copy(update={"total_rows": total_rows})


# -- unlock and swap ----------------------------------------------------------------------------------
def unlock(plan: Plan, *, items: Sequence[Slot] = (), days: Sequence[int] = (), everything: bool = False) -> Plan:
    """``plan`` with locks released: the item locks of ``items`` (``(day, meal, food_id)`` triples), every item and
    supplement-dose lock of ``days``, or all locks (``everything=True``). Nothing is re-solved: the foods stay as
    they are, only later re-plans are free to change them. Raises :class:`RequestError` for an item or day that is
    not in the plan (an item that is not locked is simply left as it is)."""
    req = plan.request
    slots = {as_slot(s) for s in items}
    for slot in slots:
        find_items(plan, slot)
    day_set = {int(d) for d in days}
    for d in day_set:
        if not 1 <= d <= req.days:
            raise RequestError(f"Day {d} is not in this plan (days 1..{req.days}). Fix: pick an existing day.")

    def released(day: int, slot: Slot | None = None) -> bool:
        return everything or day in day_set or (slot is not None and slot in slots)

    locked = tuple(x for x in req.locked if not released(x.day, (x.day, x.meal, x.food_id)))
    locked_supplements = tuple(x for x in req.locked_supplements if not released(x.day))
    kept_items = {(x.day, x.meal, x.food_id) for x in locked}
    kept_doses = {(x.day, x.supplement_id) for x in locked_supplements}
    return plan.model_copy(update={
        "request": req.model_copy(update={"locked": locked, "locked_supplements": locked_supplements}),
        "item_rows": [r.model_copy(update={"locked": r.locked and (r.day, r.meal, r.food_id) in kept_items})
                      for r in plan.item_rows],
        "supplement_rows": [r.model_copy(update={"locked": r.locked and (r.day, r.supplement_id) in kept_doses})
                            for r in plan.supplement_rows],
    })


# -- compare ------------------------------------------------------------------------------------------
def duplicate_week(plan: Plan, *, week_start: int | None = None) -> PlanRequest:
    """A request for next week that uses a week of ``plan`` as its template: ``usual_diet`` is that week's items
    (by day and meal), objective ``minimal_change``, same profile, targets and rules; the old week's locks are
    dropped. ``week_start`` is the first plan day of the week to copy (default: the last 7 days)."""
    req = plan.request
    start = week_start if week_start is not None else max(1, req.days - 6)
    if not 1 <= start <= req.days:
        raise RequestError(f"week_start {start} is not a day of this plan (1..{req.days}).")
    end = min(req.days, start + 6)
    usual = [UsualItem(food_id=r.food_id, grams=r.grams, meal=r.meal, day=r.day - start + 1)
             for r in plan.item_rows if start <= r.day <= end and r.grams > 0]
    if not usual:
        raise RequestError(f"Days {start}..{end} of this plan have no items to use as a template.")
    must = [m for m in req.must_include if m.days is None]
    return req.model_copy(update={
        "days": end - start + 1, "usual_diet": tuple(usual), "objective": "minimal_change",
        "locked": (), "locked_supplements": (), "must_include": tuple(must),
    })
