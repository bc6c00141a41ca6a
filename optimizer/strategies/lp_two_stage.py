"""An exact acceleration for large continuous plans: solve a relaxation first, then prove it tight.

(1) An LP with one amount per food and day (meals merged, meal energy shares dropped, each food capped by what its
meals could hold): a relaxation of the meal model, so its optimum is a lower bound over every candidate food.
(2) The meal model over the foods that LP uses. When (2) reaches the bound of (1) (to 1e-7, relative), it is
optimal over every candidate, and the plan is reported optimal; when it does not, this strategy gives up and the
caller solves the full meal model. It never reports a heuristic answer as optimal.
"""

from __future__ import annotations

import math
from dataclasses import replace

from optimizer.compile.spec import ModelSpec
from optimizer.model.builder import build_model, relax_integrality
from optimizer.solve.adapter import SolveOptions
from optimizer.solve.adapter import solve as solve_model
from optimizer.solve.deadline import Deadline
from optimizer.solve.status import Termination, relative_gap
from optimizer.strategies.result import StrategyResult

LP_TWO_STAGE_MIN_FOODS = 400  # continuous plans over at least this many candidates try the two stages first
PROOF_TOLERANCE = 1e-7  # relative: stage 2 must reach stage 1's bound this closely to be called optimal
MERGED = "all_meals"


def merged_spec(spec: ModelSpec) -> ModelSpec:
    """The relaxation: one meal, no energy shares, each food capped by the most its meals and day allow (a food's own
    bound, when it has one, as the meal model applies it)."""
    bounds = dict(spec.food_bounds)
    for f, meals in spec.meals_for.items():
        lo, hi = bounds.get(f, (None, None))
        if hi is None:
            bounds[f] = (lo, min(spec.max_food_grams_per_day, len(meals) * spec.max_item_grams))
    return replace(spec, meals=(MERGED,), meals_for={f: (MERGED,) for f in spec.foods}, energy_shares={},
                   food_bounds=bounds, max_item_grams=spec.max_food_grams_per_day,
                   must_include=[(f, days, None, grams) for f, days, _, grams in spec.must_include])


def applies(spec: ModelSpec) -> bool:
    """The relaxation is exact to build: no locks and no meal-specific must-include or usual items."""
    return (not spec.household and not spec.locked and not any(m for _, _, m, _ in spec.must_include)
            and not any(m for _, _, m, _ in spec.usual))


def solve_lp_in_two_stages(spec: ModelSpec, options: SolveOptions, deadline: Deadline) -> StrategyResult | None:
    """The meal LP, proven optimal over every candidate through the merged-meal relaxation; None when the second
    stage does not reach the first stage's bound (the caller then solves the full LP)."""
    if not applies(spec):
        return None
    stage1 = build_model(merged_spec(spec), name="stage1_merged_meals")
    relax_integrality(stage1)
    deadline.check()
    first = solve_model(stage1.problem, deadline.options(options, want_duals=False, warm_start=False))
    if not first.has_solution or first.objective is None:
        return None
    chosen = {stage1.items[n].food_id for n, v in first.values.items() if n in stage1.items and v > 1e-7}
    used = [f for f in spec.foods if f in chosen]
    deadline.check()
    built = build_model(spec.with_foods(used), name="cofactor_plan")
    result = solve_model(built.problem, deadline.options(options, want_duals=True, warm_start=False))
    if not result.has_solution or result.objective is None or result.termination != Termination.OPTIMAL:
        return None
    lower = float(first.objective)
    gap = 0.0 if result.objective <= lower else relative_gap(result.objective, lower)
    if gap is None or (gap > PROOF_TOLERANCE and not math.isclose(result.objective, lower, abs_tol=1e-9)):
        return None
    result = replace(result, bound=lower, gap=gap)
    note = (f"Solved in two stages: an LP over all {len(spec.foods)} candidates (meals merged, a relaxation) chose "
            f"{len(used)} foods; the meal plan over them reaches that LP's bound, so it is optimal over every candidate.")
    return StrategyResult(built, result, "lp_two_stage", [note])
