"""Supplements: products allowed, vitamin D mode and dose, and the magnesium–vitamin D rule (chart + editor)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from optimizer.domain.errors import RuleError
from optimizer.domain.request import PlanRequest
from optimizer.domain.rule import MagnesiumVitaminDRule
from optimizer.domain.units import IU_PER_UG_VITAMIN_D
from optimizer.results.plan import Plan
from ui import catalogue, charts, state

USE, PRODUCTS, MODE, DOSE, DOSE_UNIT = "supp_use", "supp_products", "vitd_mode", "vitd_dose", "vitd_unit"
RATIO_ON, RATIO_MAX, RATIO_MIN_ON, RATIO_MIN = "rule_ratio_on", "rule_ratio_max", "rule_ratio_min_on", "rule_ratio_min"
RULE_ROWS = "_rule_rows"  # restored breakpoints shown in the rule editor
MODES = {"choose": "Let Cofactor choose (within limits)", "daily": "Prescribed daily dose",
         "weekly": "Prescribed weekly dose"}
USES = {"products": "Any product, when food falls short", "choose": "Only products I pick",
        "none": "No supplements (food only)"}
DEFAULT_RULE = MagnesiumVitaminDRule()
PRODUCT_COLUMNS = {"name": "Product", "brand_example": "Example brand", "form": "Form",
                   "vitamin_d_ug_per_unit": "Vitamin D (µg/unit)", "vitamin_d_iu_per_unit": "Vitamin D (IU/unit)",
                   "magnesium_mg_per_unit": "Magnesium (mg/unit)", "schedule": "Schedule",
                   "max_units_per_day": "Most units/day", "price_per_unit": "Price/unit ($)", "source": "Source"}


@state.register_restorer
def _restore(request: PlanRequest) -> dict[str, Any]:
    rule = request.rule
    values: dict[str, Any] = {
        USE: "none" if request.supplements == () else "products" if request.supplements is None else "choose",
        MODE: request.vitamin_d_mode,
        RATIO_ON: rule.calcium_magnesium_ratio_max is not None,
        RATIO_MAX: rule.calcium_magnesium_ratio_max or 2.6,
        RATIO_MIN_ON: rule.calcium_magnesium_ratio_min is not None,
        RATIO_MIN: rule.calcium_magnesium_ratio_min or 1.7,
        RULE_ROWS: [(b.vitamin_d_ug, b.extra_magnesium_mg) for b in rule.breakpoints],
    }
    if request.supplements:
        values[PRODUCTS] = list(request.supplements)
    elif request.supplements is None:
        values[PRODUCTS] = list(catalogue.shipped_supplements().frame.index)
    dose = request.vitamin_d_supplement_ug or request.vitamin_d_weekly_supplement_ug
    if dose is not None:
        values[DOSE], values[DOSE_UNIT] = float(dose), "µg"
    return values


def _product_label(frame: pd.DataFrame, sid: str) -> str:
    row = frame.loc[sid]
    parts = []
    if float(row.get("vitamin_d_ug_per_unit") or 0) > 0:
        parts.append(f"{row['vitamin_d_ug_per_unit']:g} µg D")
    if float(row.get("magnesium_mg_per_unit") or 0) > 0:
        parts.append(f"{row['magnesium_mg_per_unit']:g} mg Mg")
    when = " weekly" if str(row.get("schedule")) == "weekly" else ""
    return f"{row['name']} ({', '.join(parts)}{when})"


def render_products() -> tuple[str, ...] | None:
    """Which supplement products may be used: None = every product, () = none."""
    frame = catalogue.shipped_supplements().frame
    use = st.radio("Supplements", list(USES), index=state.index(USE, USES), format_func=lambda k: USES[k], key=USE,
                   horizontal=True,
                   help="Food first: supplements only fill what food cannot. 'No supplements' plans food only.")
    if use == "none":
        return ()
    all_ids = [str(i) for i in frame.index]
    chosen = all_ids
    if use == "choose":
        if PRODUCTS not in st.session_state:
            st.session_state[PRODUCTS] = all_ids
        st.session_state[PRODUCTS] = [s for s in st.session_state[PRODUCTS] if s in all_ids]
        chosen = st.multiselect("Products Cofactor may use", all_ids, key=PRODUCTS,
                            format_func=lambda s: _product_label(frame, s),
                            help="Real products with label doses (elemental magnesium). Remove any you "
                                 "do not want; the optimizer picks doses within label maximums.")
    with st.expander(f"Product details ({len(all_ids)} products)"):
        cols = {c: label for c, label in PRODUCT_COLUMNS.items() if c in frame}
        st.dataframe(frame[list(cols)].rename(columns=cols), width="stretch", hide_index=True)
    if set(chosen) == set(all_ids):
        return None
    return tuple(chosen)


def convert_dose_to_unit(previous_unit: str) -> None:
    """``on_change`` of the unit box: re-express the dose shown in the newly chosen unit (50 µg <-> 2,000 IU), so
    switching the unit never changes the dose itself. ``previous_unit`` is the unit the box showed before."""
    unit = st.session_state.get(DOSE_UNIT, "µg")
    dose = st.session_state.get(DOSE)
    if dose is None or unit == previous_unit:
        return
    st.session_state[DOSE] = float(dose) * IU_PER_UG_VITAMIN_D if unit == "IU" else float(dose) / IU_PER_UG_VITAMIN_D


def render_vitamin_d() -> dict[str, Any]:
    """Vitamin D mode and dose. Returns request fields (µg)."""
    mode = st.radio("Vitamin D", list(MODES), index=state.index(MODE, MODES), format_func=lambda k: MODES[k], key=MODE,
                    help="Choose: Cofactor picks a dose (or none) within the upper limit, knowing the magnesium "
                         "it costs. Prescribed: the plan includes exactly this dose.")
    if mode == "choose":
        return {}
    return _prescribed_dose(mode)


def _prescribed_dose(mode: str) -> dict[str, Any]:
    """The dose box and its unit (converted on a unit switch, see :func:`convert_dose_to_unit`). Request fields."""
    c1, c2 = st.columns([2, 1])
    unit = c2.selectbox("Unit", ["µg", "IU"], index=state.index(DOSE_UNIT, ["µg", "IU"]), key=DOSE_UNIT,
                        on_change=convert_dose_to_unit, args=(state.value(DOSE_UNIT, "µg"),),
                        help="1 µg vitamin D = 40 IU. Switching the unit converts the number shown; the dose "
                             "stays the same.")
    default = 50.0 if mode == "daily" else 1250.0
    if unit == "IU":
        default *= IU_PER_UG_VITAMIN_D
    period = "per day" if mode == "daily" else "per week"
    if DOSE not in st.session_state:
        st.session_state[DOSE] = default  # so the first switch of unit converts the default shown
    dose = c1.number_input(f"Dose ({unit} {period})", min_value=0.0, step=5.0, value=state.value(DOSE, default),
                           key=DOSE,
                           help="Weekly doses (e.g. 50,000 IU once a week) count as dose/7 per day.")
    dose_ug = dose / IU_PER_UG_VITAMIN_D if unit == "IU" else dose
    st.caption(f"= {dose_ug:,.1f} µg = {dose_ug * IU_PER_UG_VITAMIN_D:,.0f} IU {period}")
    key = "vitamin_d_supplement_ug" if mode == "daily" else "vitamin_d_weekly_supplement_ug"
    return {key: dose_ug}


def _rule_rows_frame() -> pd.DataFrame:
    rows = st.session_state.get(RULE_ROWS) or [(b.vitamin_d_ug, b.extra_magnesium_mg) for b in DEFAULT_RULE.breakpoints]
    return pd.DataFrame(rows, columns=["vitamin_d_ug", "extra_magnesium_mg"]).astype(float)


def render_rule(rda_mg: float | None, plan: Plan | None) -> MagnesiumVitaminDRule | None:
    """The rule editor and chart. Returns the rule, or None (with the error shown) when it is invalid."""
    st.markdown("**Magnesium keeps pace with vitamin D.** Required magnesium = RDA + extra(supplemental vitamin D).")
    c1, c2 = st.columns([1, 1])
    with c1:
        if st.button("Reset to the default policy", key="rule_reset",
                     help="0 mg extra up to 15 µg/day, rising linearly to +100 mg at 100 µg/day."):
            st.session_state[RULE_ROWS] = None
            st.session_state[state.TARGETS_VERSION] = state.targets_version() + 1
            st.rerun()
        edited = st.data_editor(
            _rule_rows_frame(), key=f"rule_editor_{state.targets_version()}", num_rows="dynamic", hide_index=True,
            width="stretch",
            column_config={
                "vitamin_d_ug": st.column_config.NumberColumn("Vitamin D (µg/day)", min_value=0.0, required=True,
                                                              help="Supplemental vitamin D at this breakpoint."),
                "extra_magnesium_mg": st.column_config.NumberColumn(
                    "Extra Mg (mg/day)", min_value=0.0, required=True,
                    help="Extra magnesium required at this dose; must never decrease as the dose rises."),
            })
        ratio_on = st.checkbox("Limit calcium : magnesium", value=state.value(RATIO_ON, True), key=RATIO_ON,
                               help="Evidence-based: Ca:Mg intake ratios above 2.8 (or below 1.7) may be detrimental "
                                    "(Rosanoff, Dai & Shapses 2016).")
        ratio_max = st.slider("Highest Ca : Mg ratio", 1.7, 2.8, value=state.value(RATIO_MAX, 2.6), step=0.05,
                              key=RATIO_MAX, disabled=not ratio_on,
                              help="Total calcium ≤ ratio × total magnesium, per day.")
        min_on = st.checkbox("Also a lowest Ca : Mg ratio", value=state.value(RATIO_MIN_ON, False), key=RATIO_MIN_ON,
                             help="Optional lower bound; the literature suggests 1.7.")
        ratio_min = st.slider("Lowest Ca : Mg ratio", 1.0, 2.8, value=state.value(RATIO_MIN, 1.7), step=0.05,
                              key=RATIO_MIN, disabled=not min_on,
                              help="Total calcium ≥ ratio × total magnesium, per day.")
    rows = edited.dropna().sort_values("vitamin_d_ug")
    try:
        rule = MagnesiumVitaminDRule.model_validate({  # the rule's validator turns (µg, mg) pairs into breakpoints
            "breakpoints": [(float(d), float(m)) for d, m in rows.itertuples(index=False)],
            "calcium_magnesium_ratio_max": ratio_max if ratio_on else None,
            "calcium_magnesium_ratio_min": ratio_min if min_on else None})
    except (RuleError, ValueError) as error:
        with c2:
            st.error(f"The rule is not valid, so plans cannot be made until it is fixed: {error}")
        return None
    with c2:
        slopes = ", ".join(f"{s:.2f}" for s in rule.slopes())
        point = charts.plan_rule_point(plan, rule, rda_mg) if plan is not None else None
        st.altair_chart(charts.rule_chart(rule, rda_mg or 0.0, point), width="stretch")
        st.caption(f"{rule.describe()} Slopes (mg magnesium per µg vitamin D): {slopes}.")
    return rule


def render_supplements(rda_mg: float | None, plan: Plan | None) -> dict[str, Any] | None:
    """Every supplement control. Returns request fields, or None when the rule is invalid."""
    with st.container():
        supplements = render_products()
    with st.container():  # one element whatever it holds: the rule editor below keeps its place when modes change
        vitamin_d = render_vitamin_d() if supplements != () else {}
        if supplements == ():
            st.caption("Without supplements any vitamin D must come from food.")
    st.divider()
    rule = render_rule(rda_mg, plan)
    if rule is None:
        return None
    return {"supplements": supplements, "rule": rule, **vitamin_d}

