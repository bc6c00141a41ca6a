"""Edit a plan: lock items or whole days, exclude items, re-optimise the rest, and see what changed."""

from __future__ import annotations

import streamlit as st

from optimizer.editing import compare_plans, replan
from optimizer.plan import Plan
from ui import catalogue, plan_panel, state, views

LOCK_ITEMS, LOCK_DAYS, EXCLUDE_ITEMS, ONLY_DAYS = "edit_lock_items", "edit_lock_days", "edit_exclude", "edit_only_days"
REPLAN = "replan"


def _item_keys(plan: Plan) -> dict[str, tuple[int, str, str]]:
    """Picker label -> (day, meal, food_id) for every item of the plan."""
    out: dict[str, tuple[int, str, str]] = {}
    for row in plan.items.to_dict("records"):
        out[views.item_label(row)] = (int(row["day"]), str(row["meal"]), str(row["food_id"]))
    return out


def render_edit(plan: Plan) -> None:
    """Lock / exclude controls and the re-optimise button; the diff of the last re-optimisation."""
    st.markdown("#### Change the plan")
    st.caption("Keep what you like, drop what you do not, and let Cofactor re-plan the rest so every target "
               "is still met.")
    items = _item_keys(plan)
    days = list(range(1, plan.request.days + 1))
    for key, valid in ((LOCK_ITEMS, items), (EXCLUDE_ITEMS, items), (LOCK_DAYS, days), (ONLY_DAYS, days)):
        if key in st.session_state:  # a new plan: drop choices that no longer exist
            st.session_state[key] = [v for v in st.session_state[key] if v in valid]
    c1, c2 = st.columns(2)
    with c1:
        locked = st.multiselect("Keep these items (lock)", list(items), key=LOCK_ITEMS,
                                help="Locked items stay exactly as they are (same day, meal and amount).")
        locked_days = st.multiselect("Keep whole days", days, key=LOCK_DAYS, format_func=views.day_label,
                                     help="Every item of these days stays as it is.") if len(days) > 1 else []
    with c2:
        excluded = st.multiselect("Remove these foods", list(items), key=EXCLUDE_ITEMS,
                                  help="The food is excluded from the whole re-optimised plan.")
        only = st.multiselect("Only re-plan these days", days, key=ONLY_DAYS, format_func=views.day_label,
                              help="Leave empty to re-plan every day that is not kept.") if len(days) > 1 else []
    if st.button("Re-optimise the rest", key=REPLAN, type="primary",
                 help="Solve again with the locks and removals above."):
        new_plan = plan_panel.run_with_progress(
            "Re-optimising", replan, plan,
            lock_items=[items[label] for label in locked], lock_days=list(locked_days),
            exclude_foods=sorted({items[label][2] for label in excluded}), only_days=list(only) or None,
            foods=catalogue.foods_for_planning(), supplements=None)
        if new_plan is not None:
            state.store_plan(new_plan, keep_previous=True)
            state.request_restore(new_plan.request)
            state.flash("Re-optimised: see what changed below the plan.")
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
