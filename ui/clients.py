"""The dietitian's Clients page: clients (add, edit, remove), their saved plans and history, opening a saved plan
in the Planner, planning a week, and PDF/Excel hand-overs.

The store is ``optimizer.storage.Store()`` (``$COFACTOR_DB`` or the user data directory). No optimization logic
here: planning goes through ``optimizer.cli_dietitian.plan_for_client``, files through ``optimizer.export``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from foods.errors import CofactorError
from optimizer.dietitian.services import ALLERGENS, DIETS, plan_for_client
from optimizer.dietitian.store import ClientRecord, PlanRecord, PlanStatus, StorageError, Store, parse_usual_diet_csv
from optimizer.editing import compare_plans
from optimizer.io.export import plan_to_excel_bytes, plan_to_pdf_bytes
from optimizer.io.report import nutrient_table_display, rule_statement, week_grid
from optimizer.planner import plan as make_plan
from ui import catalogue, plan_panel, state

NEW_CLIENT = "New client"
SELECT_KEY = "clients_choice"
_PENDING_SELECT = "_clients_select"
PENDING_PLAN = "_clients_plan_pick"  # (client id, plan id) to select in the plan picker at the next run
ACTIVITIES = ("sedentary", "low_active", "active", "very_active")
STAGES = ("none", "pregnant", "lactating")
STAGE_LABELS = {"none": "Neither", "pregnant": "Pregnant", "lactating": "Breastfeeding"}
ACTIVITY_LABELS = {"sedentary": "Sedentary", "low_active": "Low active", "active": "Active",
                   "very_active": "Very active"}
ALLERGEN_LABELS = {"tree_nut": "Tree nuts", "peanut": "Peanuts", "egg": "Eggs"}


def words(value: str) -> str:
    """A stored code in words: 'low_active' -> 'Low active'."""
    text = str(value).replace("_", " ")
    return text[:1].upper() + text[1:]


def profile_text(profile: Any) -> str:
    """A profile in words: 'female, 62 years, Low active'."""
    stage = " (pregnant)" if profile.pregnant else " (breastfeeding)" if profile.lactating else ""
    return f"{profile.sex}{stage}, {profile.age:g} years, {ACTIVITY_LABELS.get(profile.activity, words(profile.activity))}"


def next_monday(today: date | None = None) -> date:
    """The Monday on or after ``today`` (plans start on Mondays by default)."""
    today = today or date.today()
    return today + timedelta(days=(7 - today.weekday()) % 7)


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'value'}: {e['msg']}" for e in exc.errors())
    return str(exc)


def _supplement_choices() -> dict[str, str]:
    """Product id -> product name, in catalogue order."""
    try:
        frame = catalogue.shipped_supplements().frame
    except (CofactorError, OSError, ImportError):
        return {}
    return {str(i): str(frame.at[i, "name"]) if "name" in frame.columns else str(i) for i in frame.index}


def _food_choices() -> dict[str, str]:
    """Food id -> 'name (id)' for the searchable exclusion picker."""
    frame = catalogue.shipped_foods().frame
    names = frame["name"].astype(str) if "name" in frame.columns else frame.index.astype(str)
    return {str(i): f"{n} ({i})" for i, n in zip(frame.index, names)}


def _prescribed_vitamin_d_ug(client: ClientRecord | None) -> float | None:
    """The client's prescribed daily vitamin D in µg (their defaults may hold IU, set from the command line)."""
    if client is None:
        return None
    request = client.to_request()
    return request.vitamin_d_supplement_ug


# -- client form ---------------------------------------------------------------------------------
def _client_form(store: Store, client: ClientRecord | None) -> None:
    k = f"client_{client.id if client else 'new'}_"
    p = client.profile if client else None
    ex = client.exclusions if client else None
    with st.form(key=f"{k}form"):
        name = st.text_input("Name", value=client.name if client else "", key=f"{k}name")
        c1, c2, c3 = st.columns(3)
        sex = c1.selectbox("Sex", ("female", "male"), index=0 if not p or p.sex == "female" else 1, key=f"{k}sex")
        age = c2.number_input("Age (years)", min_value=1.0, max_value=120.0, value=float(p.age) if p else 40.0,
                              step=1.0, format="%g", key=f"{k}age")
        stage = c3.selectbox("Pregnancy / breastfeeding", STAGES, key=f"{k}stage", format_func=lambda k: STAGE_LABELS[k],
                             index=1 if p and p.pregnant else 2 if p and p.lactating else 0)
        c1, c2, c3 = st.columns(3)
        weight = c1.number_input("Weight (kg)", min_value=0.0, max_value=400.0, key=f"{k}weight",
                                 value=float(p.weight_kg) if p and p.weight_kg else None)
        height = c2.number_input("Height (cm)", min_value=0.0, max_value=260.0, key=f"{k}height",
                                 value=float(p.height_cm) if p and p.height_cm else None)
        activity = c3.selectbox("Activity", ACTIVITIES, index=ACTIVITIES.index(p.activity) if p else 1,
                                format_func=lambda k: ACTIVITY_LABELS[k], key=f"{k}activity")
        c1, c2 = st.columns(2)
        diet = c1.selectbox("Diet pattern", DIETS, index=DIETS.index(ex.diet_pattern) if ex else 0, key=f"{k}diet",
                            format_func=words)
        allergens = c2.multiselect("Allergens to exclude", ALLERGENS, default=list(ex.allergens) if ex else [],
                                   key=f"{k}allergens", format_func=lambda a: ALLERGEN_LABELS.get(a, words(a)))
        food_names = _food_choices()
        kept = list(ex.foods) if ex else []
        excluded_foods = st.multiselect("Foods to exclude", list(dict.fromkeys([*kept, *food_names])), default=kept,
                                        key=f"{k}foods", format_func=lambda f: food_names.get(f, f),
                                        placeholder="Type to search foods by name",
                                        help="Foods this client never gets, searched by name.")
        choices = _supplement_choices()
        preferred = list(client.preferred_supplements) if client else []
        supplements = st.multiselect("Preferred supplement products (none = any)",
                                     list(dict.fromkeys([*choices, *preferred])), default=preferred,
                                     format_func=lambda s: choices.get(s, s), key=f"{k}supplements")
        vit_d = _prescribed_vitamin_d_ug(client)
        vitamin_d = st.number_input("Prescribed vitamin D supplement (µg/day; empty = the optimizer chooses)",
                                    min_value=0.0, max_value=2500.0, value=vit_d, key=f"{k}vitd")
        notes = st.text_area("Notes", value=client.notes if client else "", key=f"{k}notes")
        submitted = st.form_submit_button("Save client", key=f"{k}save")
    if not submitted:
        return
    defaults: dict[str, Any] = dict(client.plan_defaults) if client else {}
    defaults.pop("vitamin_d_supplement_iu", None)
    defaults.pop("vitamin_d_supplement_ug", None)
    if vitamin_d is not None:
        defaults["vitamin_d_supplement_ug"] = float(vitamin_d)
    fields = {
        "name": name,
        "profile": {"sex": sex, "age": age, "pregnant": stage == "pregnant", "lactating": stage == "lactating",
                    "weight_kg": weight or None, "height_cm": height or None, "activity": activity,
                    "energy_kcal": p.energy_kcal if p else None},
        "exclusions": {"diet_pattern": diet, "allergens": allergens, "foods": tuple(excluded_foods),
                       "groups": ex.groups if ex else ()},
        "preferred_supplements": tuple(supplements), "plan_defaults": defaults, "notes": notes,
    }
    try:
        saved = store.update_client(client, **fields) if client else store.add_client(ClientRecord.model_validate(fields))
    except (ValidationError, CofactorError, ValueError) as exc:
        st.error(f"Not saved: {_error_text(exc)}")
        return
    st.session_state[_PENDING_SELECT] = saved.name
    state.flash(f"Saved client '{saved.name}'.")
    st.rerun()


def _usual_diet(store: Store, client: ClientRecord) -> None:
    with st.expander(f"Usual diet ({len(client.usual_diet)} item(s)): plans stay close to it"):
        if client.usual_diet:
            st.dataframe(pd.DataFrame([u.model_dump() for u in client.usual_diet]), hide_index=True, width="stretch")
        upload = st.file_uploader("Replace with a CSV (food_id, grams per day, optional meal, day)", type=["csv"],
                                  key=f"client_{client.id}_usual_upload")
        c1, c2 = st.columns(2)
        if upload is not None and c1.button("Use this usual diet", key=f"client_{client.id}_usual_save"):
            try:
                items = parse_usual_diet_csv(upload.getvalue().decode("utf-8"), source=upload.name)
                store.update_client(client.id, usual_diet=items)  # type: ignore[arg-type]
            except (ValidationError, CofactorError, ValueError) as exc:
                st.error(f"Not saved: {_error_text(exc)}")
                return
            state.flash(f"Usual diet of {client.name}: {len(items)} item(s).")
            st.rerun()
        if client.usual_diet and c2.button("Clear the usual diet", key=f"client_{client.id}_usual_clear"):
            store.update_client(client.id, usual_diet=())  # type: ignore[arg-type]
            st.rerun()


def _remove_client(store: Store, client: ClientRecord) -> None:
    n = len(store.list_plans(client))
    with st.expander("Remove this client"):
        also = st.checkbox(f"Also delete their {n} saved plan(s)", key=f"client_{client.id}_with_plans") if n else False
        if st.button("Remove client", key=f"client_{client.id}_remove"):
            try:
                store.delete_client(client.id, delete_plans=bool(also))  # type: ignore[arg-type]
            except StorageError as exc:
                st.error(str(exc))
                return
            st.session_state[_PENDING_SELECT] = NEW_CLIENT
            state.flash(f"Removed client '{client.name}'.")
            st.rerun()


# -- plans ---------------------------------------------------------------------------------------
def _save_current_plan(store: Store, client: ClientRecord) -> None:
    plan = state.current_plan()
    st.subheader("Save the Planner's plan")
    if plan is None or not plan.has_solution:
        st.caption("Make a plan on the Planner page first; it can then be saved here for this client.")
        return
    c1, c2, c3 = st.columns(3)
    origin = state.opened_from()
    opened_week = origin[1] if origin is not None and origin[0] == client.id else None
    week = c1.date_input("Week starting", value=opened_week or next_monday(), key=f"client_{client.id}_save_week",
                         help="Saving into the week of the plan you opened adds a new version of it; "
                              "another week starts a new plan.")
    statuses: tuple[PlanStatus, ...] = ("draft", "final")
    status = c2.selectbox("Status", statuses, key=f"client_{client.id}_save_status")
    note = c3.text_input("Note", key=f"client_{client.id}_save_note")
    mismatch = plan_mismatch(plan, client)
    if mismatch:
        st.warning(f"This plan was not made for {client.name}: {'; '.join(mismatch)}. It cannot be saved for "
                   f"{client.name}. Re-plan it from {client.name}'s saved profile (the Planner's other settings are "
                   "kept), then it is saved.")
        if st.button(f"Re-plan for {client.name} and save", key=f"client_{client.id}_replan_save",
                     help="Solves again with this client's profile, diet and exclusions; nothing is saved if no "
                          "plan meets every target."):
            _replan_and_save(store, client, plan, week, status, note)
        return
    if st.button("Save plan for this client", key=f"client_{client.id}_save_plan"):
        try:
            plan_id = store.save_plan(client, plan, week, status=status, author_note=note)
        except CofactorError as exc:
            st.error(str(exc))
            return
        _saved(store, client, plan_id)


def plan_mismatch(plan: Any, client: ClientRecord) -> list[str]:
    """How ``plan`` was made for someone else than ``client``: different profile, diet, allergens or excluded
    foods (empty when it was made from the client's own settings)."""
    request = plan.request
    out = []
    if request.profile != client.profile:
        made_for = profile_text(request.profile) if request.profile is not None else "no profile"
        out.append(f"it was made for {made_for}, and {client.name} is {profile_text(client.profile)}")
    ex = client.exclusions
    if request.diet_pattern != ex.diet_pattern:
        out.append(f"its diet is {words(request.diet_pattern).lower()}, {client.name}'s is "
                   f"{words(ex.diet_pattern).lower()}")
    if set(ex.allergens) - set(request.exclude_allergens):
        out.append(f"it does not exclude {', '.join(sorted(set(ex.allergens) - set(request.exclude_allergens)))}")
    if set(ex.foods) - set(request.exclude_foods):
        out.append(f"it does not exclude {len(set(ex.foods) - set(request.exclude_foods))} food(s) "
                   f"{client.name} never gets")
    return out


CLIENT_OWNED = ("profile", "diet_pattern", "exclude_foods", "exclude_groups", "exclude_allergens", "usual_diet",
                "locked", "locked_supplements")


def _replan_and_save(store: Store, client: ClientRecord, plan: Any, week: date, status: PlanStatus, note: str) -> None:
    """Plan the Planner's settings again from the client's own profile and exclusions; save when it works."""
    settings = plan.request.model_dump(exclude=set(CLIENT_OWNED))
    try:
        request = client.to_request(**settings)
    except ValidationError as exc:
        st.error(f"Could not plan for {client.name}: {_error_text(exc)}")
        return
    result = plan_panel.run_with_progress(f"Planning for {client.name}", make_plan, request,
                                          foods=catalogue.foods_for_planning())
    if result is None:
        return
    if not result.has_solution:
        st.warning(f"No plan for {client.name} meets every target ({result.status}); nothing was saved."
                   + (f" {result.explanation.summary}" if result.explanation else ""))
        return
    try:
        plan_id = store.save_plan(client, result, week, status=status, author_note=note)
    except CofactorError as exc:
        st.error(str(exc))
        return
    state.store_plan(result)
    state.request_restore(result.request)
    _saved(store, client, plan_id)


def _saved(store: Store, client: ClientRecord, plan_id: int) -> None:
    record = store.get_plan_record(plan_id)
    st.session_state[PENDING_PLAN] = (client.id, plan_id)
    state.flash(f"Saved plan {plan_id} for {client.name}: week {record.week_start}, version {record.version}.")
    st.rerun()


def _plan_now(store: Store, client: ClientRecord) -> None:
    with st.expander("Plan a week for this client now"):
        c1, c2 = st.columns(2)
        week = c1.date_input("Week starting", value=next_monday(), key=f"client_{client.id}_plan_week")
        days = c2.number_input("Days", min_value=1, max_value=14, value=int(client.plan_defaults.get("days", 7)),
                               key=f"client_{client.id}_plan_days")
        latest = store.latest_plan(client)
        like_last = st.checkbox(f"Stay close to the latest saved plan (#{latest.id}, week {latest.week_start})",
                                key=f"client_{client.id}_like_last") if latest else False
        if st.button("Plan and save as draft", key=f"client_{client.id}_plan_now"):
            try:
                with st.spinner("Planning…"):
                    plan, plan_id = plan_for_client(store, client.id, week, save=True,  # type: ignore[arg-type]
                                                    foods=catalogue.foods_for_planning(), days=int(days),
                                                    template_plan_id=latest.id if like_last and latest else None)
            except (ValidationError, CofactorError, ValueError) as exc:
                st.error(f"Could not plan: {_error_text(exc)}")
                return
            if plan_id is None:
                st.warning("No plan meets every target; nothing was saved.")
                if plan.explanation is not None:
                    st.text(str(plan.explanation))
                return
            st.session_state[PENDING_PLAN] = (client.id, plan_id)
            state.flash(f"Planned and saved plan {plan_id} ({plan.status}, {plan.runtime_s:.1f} s).")
            st.rerun()


def _history(store: Store, client: ClientRecord) -> None:
    records = store.list_plans(client)
    st.subheader("Saved plans")
    if not records:
        st.info("No saved plans yet.")
        return
    table = pd.DataFrame([{"id": r.id, "week": r.week_start.isoformat(), "version": r.version, "status": r.status,
                           "solver status": r.solver_status, "cost": r.cost, "note": r.author_note,
                           "saved": r.created_at.strftime("%Y-%m-%d %H:%M")} for r in records])
    st.dataframe(table, hide_index=True, width="stretch")
    labels = {r.id: f"#{r.id} — week {r.week_start} v{r.version} ({r.status})" for r in records}
    pending = st.session_state.pop(PENDING_PLAN, None)
    if pending is not None and pending[0] == client.id and pending[1] in labels:
        st.session_state[f"client_{client.id}_plan_choice"] = pending[1]  # a plan just saved: show it
    plan_id = st.selectbox("Plan", list(labels), format_func=lambda k: labels[k], key=f"client_{client.id}_plan_choice")
    record = next(r for r in records if r.id == plan_id)
    plan = store.get_plan(plan_id)
    c1, c2, c3 = st.columns(3)
    if c1.button("Open in the Planner", key=f"plan_{plan_id}_open"):
        assert client.id is not None  # a client read from the store has its id
        state.open_plan(plan, origin=(client.id, record.week_start))
        state.flash(f"Opened plan {plan_id} of {client.name} (week {record.week_start}, v{record.version}).")
        st.success("Opened: go to the Planner page to edit or re-optimise it.")
    other: PlanStatus = "draft" if record.status == "final" else "final"
    if c2.button(f"Mark {other}", key=f"plan_{plan_id}_status"):
        store.set_status(plan_id, other)
        st.rerun()
    stem = f"{client.name.replace(' ', '_')}_{record.week_start}_v{record.version}"
    name, week = client.name, record.week_start
    # files are made when the button is clicked (Streamlit calls the function), not on every rerun
    c3.download_button("Download PDF", lambda: plan_to_pdf_bytes(plan, catalogue.shipped_foods(), client_name=name, week_start=week),
                       file_name=f"{stem}.pdf", mime="application/pdf", key=f"plan_{plan_id}_pdf")
    c3.download_button("Download Excel", lambda: plan_to_excel_bytes(plan, catalogue.shipped_foods(), client_name=name, week_start=week),
                       file_name=f"{stem}.xlsx", key=f"plan_{plan_id}_xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    _compare(store, records, plan_id)
    with st.expander("Preview", expanded=False):
        st.dataframe(week_grid(plan, record.week_start), width="stretch")
        st.dataframe(nutrient_table_display(plan), hide_index=True, width="stretch")
        st.caption(rule_statement(plan))


def _compare(store: Store, records: list[PlanRecord], plan_id: int) -> None:
    others = [r for r in records if r.id != plan_id]
    if not others:
        return
    with st.expander("Compare with another saved plan"):
        labels = {r.id: f"#{r.id} — week {r.week_start} v{r.version} ({r.status})" for r in others}
        other = st.selectbox("Earlier plan", list(labels), format_func=lambda k: labels[k], key=f"plan_{plan_id}_compare")
        diff = compare_plans(store.get_plan(other), store.get_plan(plan_id))
        st.text(f"From #{other} to #{plan_id}:\n{diff.summary()}")
        if diff.items:
            st.dataframe(diff.items_frame(), hide_index=True, width="stretch")


def render() -> None:
    """Draw the Clients page."""
    st.title("Clients")
    state.show_flashes()
    try:
        store = Store()
    except CofactorError as exc:
        st.error(f"The client store cannot be opened: {exc}")
        return
    st.caption(f"Store: {store.path}")
    clients = store.list_clients()
    names = [c.name for c in clients]
    pending = st.session_state.pop(_PENDING_SELECT, None)
    if pending is not None:
        st.session_state[SELECT_KEY] = pending
    if st.session_state.get(SELECT_KEY) not in [NEW_CLIENT, *names]:
        st.session_state[SELECT_KEY] = names[0] if names else NEW_CLIENT
    choice = st.selectbox("Client", [NEW_CLIENT, *names], key=SELECT_KEY)
    client = next((c for c in clients if c.name == choice), None)
    if client is None:
        st.subheader("New client")
        _client_form(store, None)
        return
    tab_plans, tab_profile = st.tabs(["Plans", "Profile"])
    with tab_plans:
        _history(store, client)
        st.divider()
        _save_current_plan(store, client)
        _plan_now(store, client)
    with tab_profile:
        _client_form(store, client)
        _usual_diet(store, client)
        _remove_client(store, client)
