"""Results: status, week grid, supplement schedule, coverage chart, magnesium split, cost, shadow prices,
and — when no plan exists — the explanation with one-click fixes."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from optimizer.domain.request import ClinicianOverride, PlanRequest
from optimizer.results.explain import STRUCTURAL, is_clinician_fix, over_limit_checks
from optimizer.results.plan import DISCLAIMER, Fix, Plan
from optimizer.results.wording import plain, readable_notes, target_label
from ui import catalogue, charts, state, views

#: Headlines of a run that found no plan (a "best plan so far" would contradict "no plan").
NO_PLAN_TEXT = {
    "time_limit": "Time limit reached before any plan was found.",
    "work_limit": "Work limit reached before any plan was found.",
    "error": "The solver failed before finding a plan.",
    "not_solved": "No plan was found.",
}
STATUS_TEXT = {
    "optimal": "Best plan found and proven optimal (within the gap).",
    "gap_limit": "Plan within the requested optimality gap.",
    "work_limit": "Work limit reached: this is the best plan found so far, not proven optimal.",
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


def status_headline(plan: Plan) -> str:
    """One sentence for the plan's status that never contradicts whether a plan exists."""
    if not plan.has_solution:
        if plan.verification is not None and not plan.verification.passed:
            return "The solver's plan failed the independent check, so it is not shown."
        return NO_PLAN_TEXT.get(plan.status, STATUS_TEXT["infeasible"])
    return STATUS_TEXT.get(plan.status, plan.status)


def render_status(plan: Plan) -> None:
    verified = ""
    if plan.verification is not None and plan.has_solution:
        verified = " Independently re-checked from the catalogue: " + ("passed." if plan.verification.passed else
                                                                        "FAILED.")
    text = f"**{status_headline(plan)}** Solver {plan.solver or '-'}, {plan.runtime_s:.1f} s.{verified}"
    (st.success if plan.has_solution and plan.status in ("optimal", "gap_limit") else
     st.warning if plan.has_solution else st.error)(text)
    for edit in state.edits():
        st.caption(f"Changed since: {edit}")


def render_explanation(plan: Plan, *, key_prefix: str = "fix") -> None:
    """Why no plan exists, by how much targets are missed, and buttons that apply a fix and re-solve."""
    explanation = plan.explanation
    if explanation is None:
        return
    st.markdown(f"#### Why\n{explanation.summary}")
    failed = [p for p in explanation.precheck if not p.ok and (p.message or p.target) not in explanation.summary]
    for row in failed:
        st.markdown(f"- {row.message or target_label(row.target, row.nutrient)}")
    if explanation.shortfalls:
        st.dataframe(shortfalls_table(plan), hide_index=True, width="stretch")
    if explanation.fixes and plan.request is not None:
        st.markdown("#### One-click fixes")
        for i, fix in enumerate(explanation.fixes):
            if is_clinician_fix(fix):
                render_clinician_form(plan, key=f"{key_prefix}_{i}")
                continue
            if st.button(f"Apply: {fix.description}", key=f"{key_prefix}_{i}", width="stretch",
                         help="Changes the request as described and makes the plan again."):
                try:
                    state.request_solve(apply_fix(plan.request, fix), note=f"Applied: {fix.description}")
                except (ValidationError, ValueError) as error:
                    st.error(f"This fix cannot be applied to the current request: {error}")
                else:
                    st.rerun()
    if explanation.nearest_plan_items:
        nearest = pd.DataFrame([i.model_dump() for i in explanation.nearest_plan_items])
        nearest = pd.DataFrame({"Day": nearest["day"], "Meal": nearest["meal"], "Food": nearest["food"],
                                "Amount": [views.portion_text(r.portions, r.portion_name, r.grams)
                                           for r in nearest.itertuples()]})
        with st.expander("The nearest plan (misses the targets above)"):
            st.dataframe(nearest, hide_index=True)


def shortfalls_table(plan: Plan) -> pd.DataFrame:
    """The explanation's shortfalls in words: target label, day, needed, the nearest plan's amount, the gap."""
    rows = []
    for s in plan.explanation.shortfalls if plan.explanation else []:
        if s.nutrient in STRUCTURAL:  # a food group or food id, not a nutrient
            label = catalogue.food_name(s.target)
        else:
            label = target_label(s.target, s.nutrient)
        rows.append({"Target": label, "Day": "" if s.day is None else views.day_label(s.day),
                     "Needed": f"{'at least' if s.bound == 'min' else 'at most'} {plain(s.required)} {s.unit}",
                     "Nearest plan": f"{plain(s.achieved)} {s.unit}",
                     "Short / over by": f"{plain(s.gap)} {s.unit}"})
    return pd.DataFrame(rows)


def render_clinician_form(plan: Plan, key: str) -> None:
    """A clinician override as a small form: name, reason, the new upper limit. Applying it re-plans."""
    over = over_limit_checks(plan.explanation) if plan.explanation else []
    if not over:
        return
    with st.form(f"{key}_clinician"):
        st.markdown("**Clinician override of a safety upper limit** (recorded and shown on the plan)")
        labels = {c.target: f"{target_label(c.target, c.nutrient)} (limit {plain(c.required_max)})" for c in over}
        c1, c2 = st.columns(2)
        name = c1.text_input("Clinician's name", key=f"{key}_clinician_name")
        limit_key = c2.selectbox("Upper limit", list(labels), format_func=lambda k: labels[k], key=f"{key}_clinician_target")
        row = next(c for c in over if c.target == limit_key)
        reason = st.text_input("Reason", key=f"{key}_clinician_reason")
        new = st.number_input("New upper limit (per day)", min_value=0.0, key=f"{key}_clinician_limit",
                              value=float(math.ceil(row.possible_min)))
        if st.form_submit_button("Apply the override and plan again"):
            try:
                request = plan.request.model_copy(update={"clinician_override": ClinicianOverride(
                    clinician=name, reason=reason, upper_limits={limit_key: float(new)})})
                request = PlanRequest.model_validate(request.model_dump())
            except (ValidationError, ValueError) as error:
                st.error("Fill in the clinician's name and the reason: " + "; ".join(
                    e["msg"] for e in error.errors()) if isinstance(error, ValidationError) else str(error))
                return
            state.request_solve(request, note=f"Clinician override by {name}: {labels[limit_key].split(' (')[0]} "
                                              f"at most {plain(new)}")
            st.rerun()


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
    cols[3].metric("Supplement products", f"{products}" if products else "none",
                   help="How many different products the plan uses. Food first: products only fill what food "
                        "cannot supply.")
    cost = plan.cost
    cols[4].metric("Food cost", "—" if cost is None else f"${cost / days:,.2f}/day",
                   help="From known prices; upload a price list under Food choices.")


def render_grid(plan: Plan) -> None:
    st.markdown("#### Meals")
    names = catalogue.display_names([str(f) for f in plan.items["food_id"]])
    st.html(views.GRID_CSS + views.week_grid_html(plan, names))
    st.caption("Short names; point at a food (or open the list below) for the full USDA description.")
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
    notes = readable_notes(plan.notes)
    if notes:
        with st.expander(f"Notes from the optimizer ({len(notes)})"):
            for note in notes:
                st.caption(note)
    render_summary(plan)
    render_grid(plan)
    render_supplement_schedule(plan)
    render_coverage(plan)
    render_magnesium(plan)
    render_money_and_prices(plan)

