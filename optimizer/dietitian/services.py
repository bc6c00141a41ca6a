"""Dietitian library services: plan a saved client's week, and the choices a client form offers.

:func:`plan_for_client` is what ``cofactor client plan`` (and ``cofactor plan --client``) and the Streamlit Clients
page call; :func:`request_from_template` turns a saved plan into the usual diet of the next request. ``DIETS``,
``ALLERGENS`` and ``ACTIVITIES`` are the values the client forms offer (the same as ``PlanRequest`` and ``Profile``
accept). No argument parsing or printing here: the CLI (``optimizer.cli.dietitian``) and the UI sit on top.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from foods.supplements import SupplementCatalogue
from foods.table import FoodTable
from optimizer.dietitian.store import PlanStatus, Store
from optimizer.domain.request import PlanRequest
from optimizer.results.plan import Plan

ACTIVITIES = ("sedentary", "low_active", "active", "very_active")
DIETS = ("omnivore", "pescatarian", "vegetarian", "vegan")
ALLERGENS = ("milk", "egg", "fish", "shellfish", "peanut", "tree_nut", "wheat", "soy", "sesame", "gluten")


def plan_for_client(
    store: Store,
    name: str | int,
    week_start: date | str,
    save: bool = True,
    *,
    status: PlanStatus = "draft",
    author_note: str = "",
    foods: FoodTable | None = None,
    supplements: SupplementCatalogue | None = None,
    solver: str | None = None,
    time_limit_s: float | None = None,
    planner: Callable[..., Plan] | None = None,
    price_list: str | None = None,
    template_plan_id: int | None = None,
    **request_updates: Any,
) -> tuple[Plan, int | None]:
    """Plan a saved client's week (their profile, diet, exclusions, preferred supplements and plan defaults, with
    ``request_updates`` on top) and, when ``save`` and the plan is usable, save it as the next version.

    ``name`` is the client's name or id; ``week_start`` the plan's first day (a date or ``YYYY-MM-DD``).
    ``price_list`` names a price list saved in the store: its prices (per 100 g) are applied to ``foods`` (default:
    the shipped catalogue). ``template_plan_id`` (a saved plan, e.g. last week's) makes that week the usual diet to
    stay close to (``optimizer.editing.duplicate_week``; objective ``minimal_change``) with the client's current
    settings. ``solver`` ("highs" | "cbc") and ``time_limit_s`` (seconds) override the request's; ``planner``
    (default ``optimizer.planner.plan``) is the planning function.

    Returns ``(plan, plan_id)``; ``plan_id`` is None when not saved (``save=False`` or no usable plan).
    Nothing is written before the solve has succeeded, so a failed or crashed solve never touches saved plans.
    """
    client = store.get_client(name)
    request = client.to_request(**request_updates)
    if template_plan_id is not None:
        request = request_from_template(request, store.get_plan(template_plan_id), days_given="days" in request_updates)
    if price_list is not None:
        prices = store.get_price_list(price_list).to_price_list()
        if foods is None:
            import foods as food_catalogue

            foods = food_catalogue.load_foods()
        foods = foods.with_prices(prices)
    run: Callable[..., Plan]
    if planner is None:
        from optimizer.planner import plan as run
    else:
        run = planner
    result = run(request, foods, supplements, solver=solver, time_limit_s=time_limit_s)
    plan_id = None
    if save and result.has_solution:
        plan_id = store.save_plan(client, result, week_start, status=status, author_note=author_note)
    return result, plan_id


def request_from_template(request: PlanRequest, template: Plan, *, days_given: bool = False) -> PlanRequest:
    """``request`` with the last week of ``template`` as its usual diet (objective ``minimal_change``); the template's
    number of days unless ``days_given``."""
    from optimizer.editing import duplicate_week

    copied = duplicate_week(template)
    data = request.model_dump()
    data.update(usual_diet=[u.model_dump() for u in copied.usual_diet], objective="minimal_change")
    if not days_given:
        data["days"] = copied.days
    data["usual_diet"] = [u for u in data["usual_diet"] if u["day"] is None or u["day"] <= data["days"]]
    return PlanRequest.model_validate(data)


__all__ = ["ACTIVITIES", "ALLERGENS", "DIETS", "plan_for_client", "request_from_template"]
