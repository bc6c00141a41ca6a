"""Plan options (a form: one solve per submit) and solving with visible progress."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

import streamlit as st

from foods.errors import CofactorError
from optimizer.domain.request import DEFAULT_MEALS, PlanRequest
from ui import state

DAYS, MEALS, OBJECTIVE = "plan_days", "plan_meals", "plan_objective"
SOLVER, TIME_LIMIT, CANDIDATES, PORTIONS = "plan_solver", "plan_time_limit_s", "plan_candidates", "plan_portions"
MAX_DAYS_PER_FOOD, MIN_FOODS_PER_DAY = "plan_max_days_per_food", "plan_min_foods_per_day"
SUBMIT = "make_plan"
OBJECTIVES = {"food_first": "Food first (supplements only to fill gaps)", "cost": "Lowest cost",
              "minimal_change": "Least change from my usual diet"}
SOLVERS = {"highs": "HiGHS", "cbc": "CBC"}
_FIELDS = PlanRequest.model_fields
T = TypeVar("T")


def _default(name: str) -> Any:
    return _FIELDS[name].default


@state.register_restorer
def restore(request: PlanRequest) -> dict[str, Any]:
    """Widget values for a request's plan options."""
    values: dict[str, Any] = {
        DAYS: 1 if request.days == 1 else 7, MEALS: [m for m in request.meals if m in DEFAULT_MEALS],
        OBJECTIVE: request.objective if request.objective in OBJECTIVES else "food_first",
        SOLVER: request.solver, TIME_LIMIT: float(request.time_limit_s), CANDIDATES: request.candidates,
        PORTIONS: request.portions,
        MAX_DAYS_PER_FOOD: request.max_days_per_food or 7, MIN_FOODS_PER_DAY: request.min_foods_per_day or 0,
    }
    return values


def render_plan_form() -> tuple[dict[str, Any], bool]:
    """The plan options form (days, meals, objective; solver in 'Advanced'). Returns (fields, submitted)."""
    with st.form("plan_options", border=True):
        c1, c2, c3 = st.columns([1, 1.3, 1.7])
        days = c1.radio("Length", [7, 1], index=state.index(DAYS, [7, 1]), key=DAYS, horizontal=True,
                        format_func=lambda d: "Week" if d == 7 else "One day",
                        help="A week (7 days) varies foods across days and can use weekly vitamin D products.")
        objective = c2.selectbox("Goal", list(OBJECTIVES),
                                 index=state.index(OBJECTIVE, OBJECTIVES, _default("objective")),
                                 format_func=lambda k: OBJECTIVES[k], key=OBJECTIVE,
                                 help="Food first: meet targets with food and use supplements only for what food "
                                      "cannot supply. Lowest cost needs prices. Least change needs a usual diet "
                                      "(Food choices tab).")
        meals = c3.pills("Meals", list(DEFAULT_MEALS), selection_mode="multi",
                         default=state.value(MEALS, list(DEFAULT_MEALS)), key=MEALS,
                         format_func=str.capitalize,
                         help="Each meal gets a share of the day's energy (breakfast 20–30 %, …).")
        with st.expander("Advanced"):
            solver = st.selectbox("Solver", list(SOLVERS), index=state.index(SOLVER, SOLVERS, _default("solver")),
                                  format_func=lambda k: SOLVERS[k], key=SOLVER,
                                  help="Both are open source; HiGHS is usually faster.")
            time_limit = st.number_input("Time limit (s)", min_value=1.0, max_value=600.0, step=5.0,
                                         value=state.value(TIME_LIMIT, float(_default("time_limit_s"))), key=TIME_LIMIT,
                                         help="The best plan found by then is returned (and marked as not proven "
                                              "optimal).")
            candidates = st.radio("Foods to choose from", ["everyday", "all"], key=CANDIDATES, horizontal=True,
                                  index=state.index(CANDIDATES, ["everyday", "all"], _default("candidates")),
                                  format_func=lambda c: "Everyday foods" if c == "everyday" else "All 7,900+ foods",
                                  help="Everyday foods are common, ready-to-eat foods with household portions.")
            portions = st.radio("Amounts", ["household", "continuous"], key=PORTIONS, horizontal=True,
                                index=state.index(PORTIONS, ["household", "continuous"], _default("portions")),
                                format_func=lambda p: "Household portions" if p == "household" else "Any grams",
                                help="Household portions (slices, cups) are whole numbers; 'any grams' is faster.")
            c1, c2 = st.columns(2)
            max_days = c1.number_input("Days per food (max)", 1, 7, key=MAX_DAYS_PER_FOOD,
                                       value=state.value(MAX_DAYS_PER_FOOD, int(_default("max_days_per_food") or 7)),
                                       help="Variety: a food appears on at most this many days of the week.")
            min_foods = c2.number_input("Foods per day (min)", 0, 30, key=MIN_FOODS_PER_DAY,
                                        value=state.value(MIN_FOODS_PER_DAY, int(_default("min_foods_per_day") or 0)),
                                        help="Variety: at least this many different foods each day.")
        submitted = st.form_submit_button("Make my plan", type="primary", width="stretch",
                                          help="Solve with everything set on this page.")
    fields = {"days": int(days), "meals": tuple(meals) or DEFAULT_MEALS, "objective": objective, "solver": solver,
              "time_limit_s": float(time_limit), "candidates": candidates, "portions": portions,
              "max_days_per_food": int(max_days), "min_foods_per_day": int(min_foods)}
    return fields, submitted


CANCEL = "cancel_run"


def cancelled_notice() -> None:
    """After **Cancel**: say that the run was stopped and nothing changed (call near the top of the page)."""
    if st.session_state.get(CANCEL):
        st.info("Cancelled: the run was stopped and your previous plan (if any) is kept unchanged.")


def run_with_progress(label: str, work: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Run ``work`` in a worker thread while a status box shows the elapsed time and a **Cancel** button.

    The solve runs in its own thread, so this session's page stays live and other sessions are never
    blocked (no locks are held). **Cancel** ends this run of the page at once (Streamlit stops a script when a
    widget is used): the result is never stored, so the previous plan stays; the library's solve itself runs on to
    its time limit in the background (the solve layer has no cancel hook) and is discarded.
    Returns None (with the error shown) when the library rejects the input.
    """
    start = time.monotonic()
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cofactor-solve")
    try:
        with st.status(f"{label}…", expanded=True) as status:
            st.button("Cancel", key=CANCEL, help="Stop waiting for this run; the current plan stays as it is.")
            future = pool.submit(work, *args, **kwargs)
            while True:
                try:
                    result = future.result(timeout=0.25)
                    break
                except FutureTimeout:
                    status.update(label=f"{label}… {time.monotonic() - start:.0f} s")
                except (CofactorError, ValueError) as error:
                    status.update(label=f"Could not plan: {error}", state="error", expanded=True)
                    st.error(str(error))
                    return None
            status.update(label=f"{label}: done in {time.monotonic() - start:.1f} s", state="complete")
        return result
    finally:
        pool.shutdown(wait=False)
