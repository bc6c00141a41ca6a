"""Results: status, week grid, supplement schedule, coverage chart, magnesium split, cost, shadow prices,
and — when no plan exists — the explanation with one-click fixes."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from optimizer.results.plan import DISCLAIMER, Fix, Plan
from optimizer.domain.request import PlanRequest
from ui import catalogue, charts, state, views

STATUS_TEXT = {
    "optimal": "Best plan found and proven optimal (within the gap).",
    "gap_limit": "Plan within the requested optimality gap.",
    "time_limit": "Time limit reached: this is the best plan found so far, not proven optimal.",
    "infeasible": "No plan meets every target with these choices.",
    "unbounded": "The model is unbounded (check custom targets).",
    "error": "The solver failed.",
    "not_solved": "Not solved.",
}


def disclaimer() -> None:
    """The decision-support notice shown wherever plans are shown."""
    st.info(DISCLAIMER, icon=":material/health_and_safety:")


def apply_fix(request: PlanRequest, fix: Fix) -> PlanRequest:
    """The request with the fix's ``request_update`` merged in (validated). Target overrides are merged key by
    key, so relaxing one target keeps the user's other overrides."""
    data = request.model_dump()
    for field, value in fix.request_update.items():
        if field == "targets" and isinstance(value, dict) and isinstance(data.get("targets"), dict):
            data["targets"] = {**data["targets"], **value}
        else:
            data[field] = value
    return PlanRequest.model_validate(data)


def _kcal_per_unit(plan: Plan) -> dict[str, float]:
    if plan.request.profile is None:
        return {}
    targets = catalogue.targets_for_profile(plan.request.profile.model_dump_json())
    return {t.key: float(t.kcal_per_unit) for t in targets if t.kcal_per_unit}


def _missing(nutrient: str, ids: list[str]) -> int:
    table = catalogue.active_foods()
    known = [i for i in ids if i in table.frame.index]
    if not known or nutrient not in table.frame.columns:
        return 0
    return int(table.missing(nutrient, known))


def render_status(plan: Plan) -> None:
    verified = ""
    if plan.verification is not None:
        verified = " Independently re-checked from the catalogue: " + ("passed." if plan.verification.passed else
                                                                        "FAILED.")
    headline = STATUS_TEXT.get(plan.status, plan.status)
    text = f"**{headline}** Solver {plan.solver or '-'}, {plan.runtime_s:.1f} s.{verified}"
    (st.success if plan.has_solution and plan.status in ("optimal", "gap_limit") else
     st.warning if plan.has_solution else st.error)(text)


def render_explanation(plan: Plan, *, key_prefix: str = "fix") -> None:
    """Why no plan exists, by how much targets are missed, and buttons that apply a fix and re-solve."""
    explanation = plan.explanation
    if explanation is None:
        return
    st.markdown(f"#### Why\n{explanation.summary}")
    failed = [p for p in explanation.precheck if not p.ok]
    for row in failed:
        st.markdown(f"- {row.message or row.target}")
    if explanation.shortfalls:
        frame = pd.DataFrame([s.model_dump() for s in explanation.shortfalls])
        cols = [c for c in ("target", "day", "bound", "required", "achieved", "gap", "unit", "priority") if c in frame]
        st.dataframe(frame[cols], hide_index=True, width="stretch")
    if explanation.fixes and plan.request is not None:
        st.markdown("#### One-click fixes")
        for i, fix in enumerate(explanation.fixes):
            if st.button(f"Apply: {fix.description}", key=f"{key_prefix}_{i}", width="stretch",
                         help="Changes the request as described and makes the plan again."):
                try:
                    state.request_solve(apply_fix(plan.request, fix), note=f"Applied: {fix.description}")
                except (ValidationError, ValueError) as error:
                    st.error(f"This fix cannot be applied to the current request: {error}")
                else:
                    st.rerun()
    if explanation.nearest_plan_items:
        with st.expander("The nearest plan (misses the targets above)"):
            st.dataframe(pd.DataFrame([i.model_dump() for i in explanation.nearest_plan_items]), hide_index=True)


def render_summary(plan: Plan) -> None:
    """Headline numbers: energy, magnesium against its requirement, vitamin D, supplements, cost (per day)."""
    totals = plan.totals
    days = max(plan.request.days, 1)
    split = views.magnesium_split(plan)
    cols = st.columns(5)
    if "energy_kcal" in totals:
        cols[0].metric("Energy", f"{totals['energy_kcal'].mean():,.0f} kcal", help="Average per day.")
    if "magnesium_mg" in totals:
        need = split["required_mg"].dropna()
        delta = f"{totals['magnesium_mg'].mean() - need.iloc[0]:+,.0f} mg vs need" if len(need) else None
        cols[1].metric("Magnesium", f"{totals['magnesium_mg'].mean():,.0f} mg", delta=delta, delta_color="off",
                       help="Average per day, food + supplements; the need rises with the vitamin D dose.")
    if "vitamin_d_ug" in totals:
        cols[2].metric("Vitamin D", f"{totals['vitamin_d_ug'].mean():,.1f} µg",
                       help="Average per day, food + supplements (1 µg = 40 IU).")
    products = plan.supplements["supplement_id"].nunique() if not plan.supplements.empty else 0
    cols[3].metric("Supplements", f"{products} product{'s' if products != 1 else ''}" if products else "none",
                   help="Food first: products only fill what food cannot supply.")
    cost = plan.cost
    cols[4].metric("Food cost", "—" if cost is None else f"${cost / days:,.2f}/day",
                   help="From known prices; upload a price list under Food choices.")


def render_grid(plan: Plan) -> None:
    st.markdown("#### Meals")
    st.html(views.GRID_CSS + views.week_grid_html(plan))
    with st.expander("All items (grams, cost)"):
        items = plan.items
        st.dataframe(items, hide_index=True, width="stretch",
                     column_config={"grams": st.column_config.NumberColumn(format="%.0f g"),
                                    "cost": st.column_config.NumberColumn(format="$%.2f")})


def render_supplement_schedule(plan: Plan) -> None:
    st.markdown("#### Supplements")
    schedule = views.supplement_schedule(plan)
    if schedule.empty:
        st.caption("No supplements: food covers the targets.")
        return
    st.dataframe(schedule, width="stretch")
    supp = plan.supplements
    per_day = max(plan.request.days, 1)
    st.caption(f"Supplemental vitamin D averages {supp['vitamin_d_ug'].sum() / per_day:,.1f} µg/day; "
               f"supplemental magnesium {supp['magnesium_mg'].sum() / per_day:,.0f} mg/day.")


def render_coverage(plan: Plan) -> None:
    st.markdown("#### Nutrient coverage")
    cov = views.coverage(plan, _kcal_per_unit(plan), _missing)
    if cov.empty:
        st.caption("No targets to show.")
        return
    chart = charts.coverage_chart(cov)
    st.altair_chart(chart, width="stretch")  # height from the chart: a fixed element height squeezes the plot
    flagged = cov[(cov["day"] == views.WEEK_AVERAGE) & (cov["unknown_foods"] > 0)]
    if not flagged.empty:
        st.caption("⚠ Unknown values: " + "; ".join(f"{r.label} unknown for {r.unknown_foods} of the plan's foods"
                                                   for r in flagged.itertuples())
                   + " — the true intake may be higher than shown.")
    st.caption("Bars: week average as % of the target (minimum, or the limit for limit-only targets); ticks: each "
               "day; dashed line: 100 %; red ticks: upper limits.")
    with st.expander("Coverage table"):
        avg = cov[cov["day"] == views.WEEK_AVERAGE][["label", "value", "unit", "min", "max", "pct", "status",
                                                    "unknown_foods"]]
        st.dataframe(avg, hide_index=True, width="stretch",
                     column_config={"value": st.column_config.NumberColumn(format="%.1f"),
                                    "pct": st.column_config.NumberColumn("% of target", format="%.0f %%")})


def render_magnesium(plan: Plan) -> None:
    st.markdown("#### Magnesium: food first, supplements second")
    split = views.magnesium_split(plan)
    st.altair_chart(charts.magnesium_chart(split), width="stretch")
    food, supp = split["food_mg"].mean(), split["supplement_mg"].mean()
    share = food / (food + supp) * 100 if (food + supp) > 0 else 0
    st.caption(f"On average {food:,.0f} mg/day from food ({share:.0f} %) and {supp:,.0f} mg/day from supplements. "
               f"{plan.rule_text or plan.request.rule.describe()}")


def render_money_and_prices(plan: Plan) -> None:
    c1, c2 = st.columns(2)
    with c1:
        st.markdown("#### Cost")
        cost = plan.cost
        if cost is None:
            st.caption("No prices known for the foods in this plan (upload a price list under Food choices).")
        else:
            priced = plan.items["cost"].notna().sum()
            st.metric("Food cost of the plan", f"${cost:,.2f}",
                      help=f"{priced} of {len(plan.items)} items priced; unpriced items count as 0.")
            st.caption(f"≈ ${cost / max(plan.request.days, 1):,.2f} per day.")
    with c2:
        st.markdown("#### What the targets cost")
        shadow = plan.shadow_prices
        if shadow.empty:
            st.caption("Shadow prices exist for pure linear plans: any grams (Advanced), no minimum number of "
                       "foods per day and no supplements. Household portions and supplement units are whole "
                       "numbers, which makes an integer program without them.")
        else:
            for text in shadow["text"].head(8):
                st.markdown(f"- {text}")


def render_results(plan: Plan | None) -> None:
    """Everything about the current plan (or a prompt to make one)."""
    disclaimer()
    if plan is None:
        st.markdown("Press **Make my plan** above: the defaults give a sensible week for the profile in the sidebar "
                    "(on a phone, open it with the arrow at the top left). Adjust targets, foods and supplements "
                    "in the other tabs first if you like.")
        return
    render_status(plan)
    if not plan.has_solution:
        render_explanation(plan)
        return
    if plan.explanation is not None:
        with st.expander("What the optimizer could not fully meet"):
            render_explanation(plan, key_prefix="fix_partial")
    if plan.notes:
        with st.expander(f"Notes from the optimizer ({len(plan.notes)})"):
            for note in plan.notes:
                st.caption(note)
    render_summary(plan)
    render_grid(plan)
    render_supplement_schedule(plan)
    render_coverage(plan)
    render_magnesium(plan)
    render_money_and_prices(plan)

