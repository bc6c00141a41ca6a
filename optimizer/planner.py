"""``plan()``: compile → strategy → assemble.

1. **compile** (``optimizer.compile.compiler``): targets in effect, candidate foods, the model specification.
2. **strategy** (``optimizer.strategies.select``): the strategy the request's shape calls for, bounded by work
   limits; the one deadline of the call stops what the machine cannot finish.
3. **assemble** (``optimizer.results.assemble``): map back, verify independently, explain.

No PuLP and no strategy logic here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import foods as food_catalogue
from optimizer.compile.compiler import compile_request, food_table_for, resolve_targets
from optimizer.domain.request import PlanRequest
from optimizer.domain.units import check_time_limit
from optimizer.results.assemble import assemble_plan, deadline_explanation
from optimizer.results.plan import Plan
from optimizer.solve.adapter import SolveOptions
from optimizer.solve.deadline import Deadline, DeadlineExceeded
from optimizer.solve.status import Termination
from optimizer.strategies.select import run_strategy

__all__ = ["plan", "resolve_targets"]


def plan(request: PlanRequest, foods: Any | None = None, supplements: Any | None = None, *,
         solver: str | None = None, time_limit_s: float | None = None,
         clock: Callable[[], float] | None = None) -> Plan:
    """Plan meals and supplements for ``request``.

    ``foods``: a ``foods.FoodTable`` (default: the shipped USDA catalogue); ``supplements``: a
    ``SupplementCatalogue`` (default: the shipped products, unless the request allows none). ``solver``
    ("highs" | "cbc") and ``time_limit_s`` (seconds, finite and > 0) override the request's. The whole call —
    catalogue use, building, bounds, strategies and explanations — keeps to one deadline of ``time_limit_s``
    seconds and returns within about a second of it, with the best plan found or an explanation of what was
    tried. Never raises for infeasibility: returns a Plan with ``has_solution=False`` and an explanation. Raises
    :class:`RequestError` for bad input. ``clock`` (seconds, monotonic; default ``time.monotonic``) is the clock the
    deadline reads — for simulations and tests; no strategy decision reads any clock.
    """
    limit = check_time_limit(time_limit_s)  # RequestError for inf, NaN, <= 0 or > 3600 s
    options = SolveOptions(solver=solver or request.solver, time_limit_s=limit or request.time_limit_s,
                           relative_gap=request.relative_gap)
    deadline = Deadline(options.time_limit_s) if clock is None else Deadline(options.time_limit_s, clock)
    table = foods if foods is not None else food_table_for(request)
    needs_catalogue = request.supplements != () or bool(request.locked_supplements)
    catalogue = supplements if supplements is not None else (food_catalogue.load_supplements() if needs_catalogue else None)
    compiled = compile_request(request, table, catalogue)
    try:
        outcome = run_strategy(compiled, options, deadline)
    except DeadlineExceeded:
        return Plan(request=request, status=Termination.TIME_LIMIT, has_solution=False, solver=options.solver,
                    rule_text=request.rule.describe(), notes=list(compiled.notes), runtime_s=deadline.elapsed(),
                    explanation=deadline_explanation(request, "", deadline))
    return assemble_plan(compiled, outcome, deadline, options)
