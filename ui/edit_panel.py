"""Edit a plan: lock or release items and whole days, exclude foods, re-optimise the rest, swap one food for a
ranked substitute, and see what changed.

Only the library is called (``optimizer.editing``). What the panel itself remembers lives under keys no widget
owns: ``_locks_shown_for`` (the plan whose locks the lock pickers were last set from) and ``_substitutes`` (the
last ranked substitutes, with the plan and item they were found for).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from optimizer.editing import compare_plans, replan, suggest_substitutes, swap_item
from optimizer.results.plan import Plan
from ui import catalogue, plan_panel, state, views

LOCK_ITEMS, LOCK_DAYS, EXCLUDE_ITEMS, ONLY_DAYS = "edit_lock_items", "edit_lock_days", "edit_exclude", "edit_only_days"
REPLAN = "replan"
SWAP_ITEM, SWAP_REOPTIMISE, SWAP_CHOICE = "edit_swap_item", "edit_swap_reoptimise", "edit_swap_choice"
FIND_SUBSTITUTES, APPLY_SWAP = "find_substitutes", "apply_swap"
LOCKS_SHOWN_FOR, SUBSTITUTES = "_locks_shown_for", "_substitutes"
SUBSTITUTE_LIMIT = 5

Slot = tuple[int, str, str]


def _item_keys(plan: Plan) -> dict[str, Slot]:
    """Picker label -> (day, meal, food_id) for every item of the plan."""
    out: dict[str, Slot] = {}
    names = catalogue.display_names([str(f) for f in plan.items["food_id"]])
    for row in plan.items.to_dict("records"):
        out[views.item_label(row, names)] = (int(row["day"]), str(row["meal"]), str(row["food_id"]))
    return out


def _sync_pickers(plan: Plan, items: dict[str, Slot], days: list[int]) -> None:
    """Before the widgets: show a new plan's own locks in the lock pickers; otherwise drop stale choices."""
    if st.session_state.get(LOCKS_SHOWN_FOR) is not plan:
        locked_items, locked_days = views.locks_shown(plan)
        st.session_state[LOCK_ITEMS] = [label for label, slot in items.items() if slot in set(locked_items)]
        st.session_state[LOCK_DAYS] = locked_days
        st.session_state[LOCKS_SHOWN_FOR] = plan
    foods = plan_foods(plan)
    for key, valid in ((LOCK_ITEMS, items), (EXCLUDE_ITEMS, foods), (LOCK_DAYS, days), (ONLY_DAYS, days)):
        if key in st.session_state:  # a new plan: drop choices that no longer exist
            st.session_state[key] = [v for v in st.session_state[key] if v in valid]


def plan_foods(plan: Plan) -> dict[str, str]:
    """Food id -> 'Food (days 2, 5)' for each food of the plan (the removal picker lists foods, not items)."""
    out: dict[str, str] = {}
    items = plan.items
    names = catalogue.display_names([str(f) for f in items["food_id"]])
    for food_id, group in items.groupby("food_id", sort=False):
        days = sorted({int(d) for d in group["day"]})
        where = f" (day{'s' if len(days) > 1 else ''} {', '.join(map(str, days))})" if plan.request.days > 1 else ""
        out[str(food_id)] = f"{views.short_name(str(group['food'].iloc[0]), names.get(str(food_id)))}{where}"
    return out


def replan_days(plan: Plan, removed: list[str], only: list[int]) -> list[int]:
    """The days a re-plan touches: the days chosen, plus every day that eats a removed food. No day at all when only
    locks changed: locking or releasing an item needs no other change."""
    items = plan.items
    touched = {int(d) for d in items.loc[items["food_id"].isin(removed), "day"]} if removed else set()
    return sorted(set(only) | touched)


def lock_changes(plan: Plan, ticked_items: list[Slot], ticked_days: list[int]) -> dict[str, list[Any]]:
    """The ``replan`` arguments that turn the plan's current locks into the ticked ones: release what was
    un-ticked (``unlock_items``/``unlock_days``), add what is newly ticked (``lock_items``/``lock_days``)."""
    shown_items, shown_days = views.locks_shown(plan)
    return {
        "unlock_items": [s for s in shown_items if s not in ticked_items],
        "unlock_days": [d for d in shown_days if d not in ticked_days],
        "lock_items": list(ticked_items),
        "lock_days": [d for d in ticked_days if d not in shown_days],
    }


def render_edit(plan: Plan) -> None:
    """Lock / exclude controls and the re-optimise button, then swapping one food for a substitute."""
    st.markdown("#### Change the plan")
    st.caption("Keep what you like, drop what you do not, and let Cofactor re-plan the rest so every target "
               "is still met.")
    items = _item_keys(plan)
    days = list(range(1, plan.request.days + 1))
    _sync_pickers(plan, items, days)
    c1, c2 = st.columns(2)
    with c1:
        locked = st.multiselect("Keep these items (lock)", list(items), key=LOCK_ITEMS,
                                default=state.value(LOCK_ITEMS, []),
                                help="Locked items stay exactly as they are (same day, meal and amount). Ticked "
                                     "items are the plan's locks: un-tick one to release it at the next "
                                     "re-optimisation.")
        locked_days = st.multiselect("Keep whole days", days, key=LOCK_DAYS, format_func=views.day_label,
                                     default=state.value(LOCK_DAYS, []),
                                     help="Every item (and daily supplement dose) of these days stays as it is. "
                                          "Un-tick a day to release it.") if len(days) > 1 else []
    with c2:
        foods = plan_foods(plan)
        excluded = st.multiselect("Remove these foods", list(foods), key=EXCLUDE_ITEMS, format_func=lambda k: foods[k],
                                  default=state.value(EXCLUDE_ITEMS, []),
                                  help="The food leaves the whole plan; only the days that had it are re-planned.")
        only = st.multiselect("Only re-plan these days", days, key=ONLY_DAYS, format_func=views.day_label,
                              default=state.value(ONLY_DAYS, []),
                              help="Leave empty to re-plan every day that is not kept.") if len(days) > 1 else []
    if st.button("Re-optimise the rest", key=REPLAN, type="primary",
                 help="Keeps as much of the plan as it can: only the days you pick and the days that had a removed "
                      "food are re-planned; locks you un-ticked are released."):
        removed = [str(f) for f in excluded]
        ticked = [items[label] for label in locked if items[label][2] not in removed]  # removing a food releases it
        changes = lock_changes(plan, ticked, [int(d) for d in locked_days])
        kept = {int(d) for d in locked_days}  # whole days kept after this change: never re-planned
        days_to_plan = [d for d in replan_days(plan, removed, [int(d) for d in only]) if d not in kept]
        new_plan = plan_panel.run_with_progress(
            "Re-optimising", replan, plan, **changes, exclude_foods=removed, only_days=days_to_plan,
            foods=catalogue.foods_for_planning(), supplements=None)
        if new_plan is not None and not new_plan.has_solution:
            why = new_plan.explanation.summary if new_plan.explanation else new_plan.status
            st.error(f"The plan was not changed: no re-plan of day(s) {', '.join(map(str, days_to_plan))} meets "
                     f"every target. {why}")
        elif new_plan is not None:
            what = (f"re-planned day{'s' if len(days_to_plan) > 1 else ''} {', '.join(map(str, days_to_plan))}"
                    if days_to_plan else "locks updated; nothing else had to change")
            state.store_plan(new_plan, keep_previous=True, edit=what[:1].upper() + what[1:] + ".")
            state.request_restore(new_plan.request)
            state.flash(f"{what[:1].upper() + what[1:]}: see what changed below the plan.")
            st.rerun()
    _render_swap(plan, items)


def _substitutes_for(plan: Plan, slot: Slot, reoptimise: bool) -> pd.DataFrame | None:
    """The substitutes found last, if they were found for this plan, item and setting."""
    found = st.session_state.get(SUBSTITUTES)
    if found and found["plan"] is plan and found["slot"] == slot and found["reoptimise"] == reoptimise:
        return found["table"]
    return None


def _choice_label(subs: pd.DataFrame) -> dict[str, str]:
    out = {}
    for row in subs.to_dict("records"):
        verdict = f"{row['grams']:.0f} g, keeps targets met" if row["feasible"] else "breaks a target"
        out[str(row["food_id"])] = f"{row['food']} ({verdict})"
    return out


def _render_swap(plan: Plan, items: dict[str, Slot]) -> None:
    """Pick an item, list ranked substitutes (library's ranking and notes), and swap for the chosen one."""
    st.markdown("##### Swap a food")
    labels = list(items)
    if not labels:
        return
    if st.session_state.get(SWAP_ITEM) not in labels:
        st.session_state.pop(SWAP_ITEM, None)
    c1, c2 = st.columns([3, 2])
    label = c1.selectbox("Item to swap", labels, index=state.index(SWAP_ITEM, labels), key=SWAP_ITEM,
                         help="The day, meal and food to replace. Only that day is re-planned; every other day "
                              "stays exactly as it is.")
    reoptimise = c2.checkbox("Let the rest of the day change", value=state.value(SWAP_REOPTIMISE, False),
                             key=SWAP_REOPTIMISE,
                             help="On: other foods may be added to that day to fill a gap (more swaps keep the "
                                  "targets met, slower). Off: only the substitute's amount and more of the day's "
                                  "own foods may change.")
    slot = items[label]
    if st.button("Find substitutes", key=FIND_SUBSTITUTES,
                 help=f"Rank up to {SUBSTITUTE_LIMIT} foods for this item that keep every target met (each is "
                      "checked by re-planning that day)."):
        subs = plan_panel.run_with_progress(
            "Finding substitutes", suggest_substitutes, plan, *slot, limit=SUBSTITUTE_LIMIT, reoptimise=reoptimise,
            foods=catalogue.foods_for_planning(), supplements=None)
        if subs is not None:
            st.session_state[SUBSTITUTES] = {"plan": plan, "slot": slot, "reoptimise": reoptimise, "table": subs}
            st.session_state.pop(SWAP_CHOICE, None)
    subs = _substitutes_for(plan, slot, reoptimise)
    if subs is None:
        st.caption("Pick an item and press **Find substitutes**.")
        return
    if subs.empty:
        st.info("No other food is allowed at this meal (diet, allergens and exclusions), so there is nothing to "
                "swap in.")
        return
    st.dataframe(views.substitutes_table(subs), hide_index=True, width="stretch")
    choices = _choice_label(subs)
    options = list(choices)
    if st.session_state.get(SWAP_CHOICE) not in options:
        st.session_state.pop(SWAP_CHOICE, None)
    new_food = st.selectbox("Substitute", options, index=state.index(SWAP_CHOICE, options), key=SWAP_CHOICE,
                            format_func=lambda k: choices[k],
                            help="Ranked by the library: swaps that keep every target met first, then the same "
                                 "food group, then the smallest change.")
    if st.button("Swap for this food", key=APPLY_SWAP, type="primary",
                 help="Replace the item with the chosen food and re-plan only that day; the plan is verified "
                      "again. The current plan is kept for 'What changed'."):
        _apply_swap(plan, slot, new_food, reoptimise)


def _apply_swap(plan: Plan, slot: Slot, new_food: str, reoptimise: bool) -> None:
    swapped: Any = plan_panel.run_with_progress(
        "Swapping", swap_item, plan, *slot, new_food, reoptimise=reoptimise,
        foods=catalogue.foods_for_planning(), supplements=None)
    if swapped is None:
        return  # the library's error is shown; the plan is unchanged
    new_notes = swapped.notes[len(plan.notes):] if swapped.notes[:len(plan.notes)] == plan.notes else swapped.notes
    if not swapped.has_solution:
        problems = list(new_notes)
        if swapped.verification is not None and not swapped.verification.passed:
            problems += swapped.verification.violations[:10]
        st.error("The swap was not made; the plan is unchanged.\n\n" + "\n\n".join(problems or [swapped.status]))
        return
    note = new_notes[-1] if new_notes else "Swapped."
    state.store_plan(swapped, keep_previous=True, edit=note)
    st.session_state.pop(SUBSTITUTES, None)
    state.flash(note + " See what changed below the plan.")
    st.rerun()


def render_diff(previous: Plan | None, current: Plan) -> None:
    """What changed between the plan before the last re-optimisation and the current one."""
    if previous is None or not previous.has_solution or not current.has_solution:
        return
    st.markdown("#### What changed")
    diff = compare_plans(previous, current)
    st.code(diff.summary(), language=None)
    changed = diff.items_frame()
    if not changed.empty:
        with st.expander(f"Changed items ({len(changed)})"):
            st.dataframe(changed, hide_index=True, width="stretch")
    nutrients = diff.nutrients_frame()
    if not nutrients.empty:
        with st.expander("Nutrient averages before and after"):
            avg = nutrients[nutrients["day"].isna()].drop(columns=["day"])
            avg = avg.assign(nutrient=avg["nutrient"].map(catalogue.label_of))
            st.dataframe(avg, hide_index=True, width="stretch")
