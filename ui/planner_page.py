"""The Planner page: profile in the sidebar, plan options on top, results and settings in tabs."""

from __future__ import annotations

from typing import Any

import streamlit as st
from pydantic import ValidationError

from optimizer.domain.profile import Profile
from optimizer.domain.request import PlanRequest
from optimizer.planner import plan as make_plan
from ui import (
    catalogue,
    downloads_panel,
    edit_panel,
    foods_panel,
    plan_panel,
    profile_panel,
    results_panel,
    state,
    supplements_panel,
)

TABS = [":material/calendar_month: Your plan", ":material/target: Targets", ":material/nutrition: Food choices",
        ":material/medication: Supplements", ":material/save: Save & restore"]


def _magnesium_rda(profile: Profile | None) -> float | None:
    if profile is None:
        return None
    targets = catalogue.targets_for_profile(profile.model_dump_json())
    return targets["magnesium_mg"].min if "magnesium_mg" in targets else None


def build_request(profile: Any, targets: Any, food_fields: dict[str, Any] | None,
                  supplement_fields: dict[str, Any] | None, plan_fields: dict[str, Any]) -> PlanRequest:
    """Assemble and validate the request from the panels. Raises ValueError naming what to fix."""
    if profile is None:
        raise ValueError("The profile in the sidebar is not valid; fix it first.")
    if supplement_fields is None:
        raise ValueError("The magnesium–vitamin D rule is not valid (Supplements tab); fix it first.")
    overrides, clinician = targets if targets is not None else ({}, None)
    fields = {"profile": profile, "targets": overrides, "clinician_override": clinician,
              **(food_fields or {}), **supplement_fields, **plan_fields}
    try:
        return PlanRequest(**fields)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'request'}: {e['msg']}" for e in error.errors())
        raise ValueError(f"The settings do not make a valid request: {problems}") from None


def solve(request: PlanRequest, note: str = "") -> None:
    """Solve ``request`` with visible progress and make the result the current plan (``note`` prefixes the
    outcome message)."""
    plan = plan_panel.run_with_progress("Planning", make_plan, request, foods=catalogue.foods_for_planning())
    if plan is None:
        return
    state.store_plan(plan)
    outcome = "Plan ready" if plan.has_solution else "No plan"
    message = f"{outcome}: {results_panel.status_headline(plan)} ({plan.runtime_s:.1f} s)"
    state.flash(f"{note} — {message}" if note else message, "success" if plan.has_solution else "warning")
    st.rerun()


PAGE_CSS = """
<style>
/* phones: the tabs wrap onto two lines instead of running off the screen */
@media (max-width: 640px) {
  [data-baseweb="tab-list"] { flex-wrap: wrap; row-gap: 0.25rem; }
  [data-baseweb="tab-list"] button p { font-size: 0.85rem; }
  [data-testid="stMetricValue"] { font-size: 1.4rem; }
}
</style>
"""


def render() -> None:
    """Draw the whole planner page."""
    state.apply_pending_restore()
    st.html(PAGE_CSS)
    st.title("Cofactor")
    st.caption("Meal and supplement plans where magnesium keeps pace with vitamin D — food first, supplements "
               "second. Real USDA foods, real supplement products.")
    with st.container():  # one element whatever it holds, so the tabs below keep their place (and the open tab)
        state.show_flashes()
        plan_panel.cancelled_notice()
    with st.sidebar:
        profile = profile_panel.render_profile()
    plan_fields, submitted = plan_panel.render_plan_form()
    plan = state.current_plan()
    tab_plan, tab_targets, tab_foods, tab_supplements, tab_save = st.tabs(TABS)
    with tab_targets:
        targets = profile_panel.render_targets(profile)
    with tab_foods:
        food_fields = foods_panel.render_foods()
    with tab_supplements:
        supplement_fields = supplements_panel.render_supplements(_magnesium_rda(profile), plan)
    with tab_save:
        if plan is not None:
            downloads_panel.render_downloads(plan)
        downloads_panel.render_restore()
    with tab_plan:
        queued = state.pop_solve_request()
        if submitted:
            try:
                queued = (build_request(profile, targets, food_fields, supplement_fields, plan_fields), "")
            except ValueError as error:
                st.error(str(error))
                queued = None
        if queued is not None:
            solve(*queued)
        results_panel.render_results(plan)
        if plan is not None and plan.has_solution:
            edit_panel.render_diff(state.previous_plan(), plan)
            edit_panel.render_edit(plan)
