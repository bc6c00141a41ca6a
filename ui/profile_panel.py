"""Profile (sidebar) and the editable targets table (DRI targets with source, daily/weekly, limits)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from foods.nutrients import nutrient_label, nutrient_unit
from optimizer.domain.profile import Activity, Profile, Sex
from optimizer.domain.request import ClinicianOverride, PlanRequest
from optimizer.domain.targets import Target, TargetOverride, Targets
from ui import catalogue, state

SEX, AGE, STAGE, WEIGHT, HEIGHT, ACTIVITY, ENERGY = (
    "profile_sex", "profile_age", "profile_stage", "profile_weight_kg", "profile_height_cm",
    "profile_activity", "profile_energy_kcal",
)
CLINICIAN, CLINICIAN_REASON = "clinician_name", "clinician_reason"
TARGET_OVERRIDES = "_target_overrides"  # overrides restored from a request, shown in the editor
STAGES = {"none": "Not pregnant or lactating", "pregnant": "Pregnant", "lactating": "Lactating"}
ACTIVITIES: dict[Activity, str] = {"sedentary": "Sedentary", "low_active": "Low active", "active": "Active", "very_active": "Very active"}
DEFAULT_PROFILE = Profile(sex="female", age=45)
EDITOR_COLUMNS = ["use", "target", "min", "max", "unit", "period", "upper_limit", "source"]


def editor_key() -> str:
    """Widget key of the targets editor (changes when a request is restored)."""
    return f"targets_editor_{state.targets_version()}"


@state.register_restorer
def _restore(request: PlanRequest) -> dict[str, Any]:
    p = request.profile or DEFAULT_PROFILE
    stage = "pregnant" if p.pregnant else "lactating" if p.lactating else "none"
    values: dict[str, Any] = {
        SEX: p.sex, AGE: float(p.age), STAGE: stage, WEIGHT: p.weight_kg, HEIGHT: p.height_cm,
        ACTIVITY: p.activity, ENERGY: p.energy_kcal,
        CLINICIAN: request.clinician_override.clinician if request.clinician_override else "",
        CLINICIAN_REASON: request.clinician_override.reason if request.clinician_override else "",
    }
    overrides = request.targets if isinstance(request.targets, dict) else {}
    if isinstance(request.targets, Targets) and request.profile is not None:
        overrides = overrides_between(catalogue.targets_for_profile(request.profile.model_dump_json()), request.targets)
    if request.clinician_override:
        raised = request.clinician_override.upper_limits
        overrides = {**overrides, **{k: TargetOverride(max=v) for k, v in raised.items()}}
    values[TARGET_OVERRIDES] = dict(overrides)
    return values


def render_profile() -> Profile | None:
    """Sidebar profile controls. Returns the profile, or None (with the error shown) when inconsistent."""
    st.subheader("Who is it for?")
    sexes: list[Sex] = ["female", "male"]
    sex = st.radio("Sex", sexes, index=state.index(SEX, sexes, DEFAULT_PROFILE.sex), key=SEX, horizontal=True,
                   format_func=str.capitalize, help="Sets the DRI life-stage row used for the targets.")
    age = st.number_input("Age (years)", min_value=1.0, max_value=120.0, step=1.0, format="%.0f",
                          value=state.value(AGE, float(DEFAULT_PROFILE.age)), key=AGE,
                          help="DRI tables change at ages 4, 9, 14, 19, 31, 51 and 71.")
    stage = "none"
    if sex == "female":
        stage = st.selectbox("Pregnancy / lactation", list(STAGES), index=state.index(STAGE, STAGES, "none"),
                             format_func=lambda k: STAGES[k], key=STAGE,
                             help="Pregnancy and lactation have their own DRI rows (ages 14–50).")
    activity = st.selectbox("Activity", list(ACTIVITIES),
                            index=state.index(ACTIVITY, ACTIVITIES, DEFAULT_PROFILE.activity),
                            format_func=lambda k: ACTIVITIES[k], key=ACTIVITY,
                            help="Physical activity level of the energy equation (DRI 2023 EER).")
    c1, c2 = st.columns(2)
    weight = c1.number_input("Weight (kg)", min_value=1.0, max_value=400.0, value=state.value(WEIGHT, None),
                             key=WEIGHT,
                             help="Optional. Without it the energy estimate uses a reference body size.")
    height = c2.number_input("Height (cm)", min_value=30.0, max_value=260.0, value=state.value(HEIGHT, None),
                             key=HEIGHT,
                             help="Optional, used with weight for the energy estimate.")
    energy = st.number_input("Energy override (kcal/day)", min_value=500.0, max_value=10000.0,
                             value=state.value(ENERGY, None), step=50.0, key=ENERGY,
                             help="Optional. Leave empty to use the estimate from the DRI energy equation.")
    try:
        return Profile(sex=sex, age=age, pregnant=stage == "pregnant", lactating=stage == "lactating",
                       weight_kg=weight, height_cm=height, activity=activity, energy_kcal=energy)
    except ValidationError as error:
        st.error("Profile: " + "; ".join(e["msg"] for e in error.errors()))
        return None


def _unit(target: Target) -> str:
    if target.kind == "energy_percent":
        return "% of energy"
    return nutrient_unit(target.nutrient)


def _label(target: Target) -> str:
    if target.kind == "energy_percent":
        return f"{nutrient_label(target.nutrient)} (% of energy)"
    if target.applies_to == "supplements":
        return f"{nutrient_label(target.nutrient)} from supplements"
    return nutrient_label(target.nutrient)


def targets_editor_frame(targets: Targets, shown: Targets) -> pd.DataFrame:
    """Editor rows for every base target; ``shown`` carries the overrides in effect (removed rows unticked)."""
    rows = []
    for t in targets:
        current = shown[t.key] if t.key in shown else t
        rows.append({"key": t.key, "use": t.key in shown, "target": _label(t), "min": current.min, "max": current.max,
                     "unit": _unit(t), "period": current.period, "upper_limit": t.is_upper_limit, "source": t.source})
    return pd.DataFrame(rows, columns=["key", *EDITOR_COLUMNS]).set_index("key")


def _num(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def overrides_between(base: Targets, wanted: Targets) -> dict[str, TargetOverride | None]:
    """The overrides that turn ``base`` into ``wanted`` (None removes a target)."""
    out: dict[str, TargetOverride | None] = {}
    for t in base:
        if t.key not in wanted:
            out[t.key] = None
            continue
        w = wanted[t.key]
        if (w.min, w.max, w.period) != (t.min, t.max, t.period):
            out[t.key] = TargetOverride(min=w.min, max=w.max, period=w.period,
                                        clear_min=w.min is None and t.min is not None,
                                        clear_max=w.max is None and t.max is not None)
    return out


def edited_overrides(base: Targets, edited: pd.DataFrame, clinician: tuple[str, str]) -> tuple[
        dict[str, TargetOverride | None], ClinicianOverride | None, list[str]]:
    """Turn the edited table into target overrides, a clinician override for raised upper limits, and problems."""
    overrides: dict[str, TargetOverride | None] = {}
    raised: dict[str, float] = {}
    problems: list[str] = []
    for t in base:
        row = edited.loc[t.key]
        lo, hi, period = _num(row["min"]), _num(row["max"]), str(row["period"] or t.period)
        if not bool(row["use"]):
            if t.is_upper_limit:
                problems.append(f"{_label(t)}: a safety upper limit cannot be switched off; it stays in the plan.")
            else:
                overrides[t.key] = None
            continue
        if lo is not None and hi is not None and lo > hi:
            problems.append(f"{_label(t)}: min {lo:g} is above max {hi:g}. Fix: lower the min or raise the max.")
            continue
        if t.is_upper_limit and t.max is not None and (hi is None or hi > t.max + 1e-9):
            if all(clinician):
                raised[t.key] = hi if hi is not None else t.max
                hi = t.max
            else:
                problems.append(f"{_label(t)}: raising a safety upper limit needs a clinician override "
                                "(name and reason below); the limit stays at {:g} {}.".format(t.max, _unit(t)))
                hi = t.max
        if (lo, hi, period) != (t.min, t.max, t.period):
            overrides[t.key] = TargetOverride(min=lo, max=hi, period=period,  # type: ignore[arg-type]
                                              clear_min=lo is None and t.min is not None,
                                              clear_max=hi is None and t.max is not None)
    override = ClinicianOverride(clinician=clinician[0], reason=clinician[1], upper_limits=raised) if raised else None
    return overrides, override, problems


def render_targets(profile: Profile | None) -> tuple[dict[str, TargetOverride | None], ClinicianOverride | None] | None:
    """The editable targets table. Returns (overrides, clinician override), or None when there is no profile."""
    if profile is None:
        st.info("Fix the profile in the sidebar to see the targets.")
        return None
    base = catalogue.targets_for_profile(profile.model_dump_json())
    restored = st.session_state.get(TARGET_OVERRIDES) or {}
    try:
        shown = base.with_overrides({k: v for k, v in restored.items() if k in base})
    except Exception:  # a restored override that no longer fits this profile: show the plain targets
        shown = base
    energy = f" Energy estimate: **{base.energy_kcal:,.0f} kcal/day**." if base.energy_kcal else ""
    st.caption(f"Targets for this profile ({base.basis or 'DRI tables'}).{energy} Edit min/max, switch a target "
               "off, or make it a weekly average. Magnesium rises with the vitamin D dose (see Supplements).")
    edited = st.data_editor(
        targets_editor_frame(base, shown), key=editor_key(), width="stretch", hide_index=True, num_rows="fixed",
        height=35 * (len(base) + 1) + 3,  # header + one 35 px line per target: no empty line below the last one
        column_config={
            "use": st.column_config.CheckboxColumn("Use", help="Untick to drop this target from the plan."),
            "target": st.column_config.TextColumn("Target", disabled=True),
            "min": st.column_config.NumberColumn("Min", min_value=0.0, format="%.4g",
                                                 help="At least this much (per day, or weekly average)."),
            "max": st.column_config.NumberColumn("Max", min_value=0.0, format="%.4g",
                                                 help="At most this much. Safety upper limits need a clinician."),
            "unit": st.column_config.TextColumn("Unit", disabled=True),
            "period": st.column_config.SelectboxColumn("Period", options=["daily", "weekly"], required=True,
                                                       help="daily: every day; weekly: the 7-day average."),
            "upper_limit": st.column_config.CheckboxColumn("Safety UL", disabled=True,
                                                           help="Tolerable upper intake level (a hard limit)."),
            "source": st.column_config.TextColumn("Source", disabled=True, width="large"),
        },
    )
    with st.expander("Clinician override of upper limits"):
        st.caption("Raising a tolerable upper intake level is recorded with the plan and shown on every printout.")
        c1, c2 = st.columns(2)
        who = c1.text_input("Clinician", value=state.value(CLINICIAN, ""), key=CLINICIAN,
                            help="Name of the clinician who set the higher limit.")
        why = c2.text_input("Reason", value=state.value(CLINICIAN_REASON, ""), key=CLINICIAN_REASON,
                            help="Why the upper limit is raised for this person.")
    overrides, clinician_override, problems = edited_overrides(base, edited, (who.strip(), why.strip()))
    for problem in problems:
        st.warning(problem)
    return overrides, clinician_override
