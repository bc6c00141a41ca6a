"""Cofactor optimizer: daily and weekly meal + supplement plans where magnesium keeps pace with vitamin D.

Public names are imported lazily; see README "Library quick-start".
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foods.supplements import SupplementCatalogue
    from foods.table import FoodTable
    from optimizer.domain.request import PlanRequest
    from optimizer.results.plan import Plan

_EXPORTS: dict[str, str] = {
    "Profile": "optimizer.domain.profile",
    "Target": "optimizer.domain.targets",
    "Targets": "optimizer.domain.targets",
    "TargetOverride": "optimizer.domain.targets",
    "targets_for": "optimizer.domain.targets",
    "MagnesiumVitaminDRule": "optimizer.domain.rule",
    "Breakpoint": "optimizer.domain.rule",
    "PlanRequest": "optimizer.domain.request",
    "LockedItem": "optimizer.domain.request",
    "MustInclude": "optimizer.domain.request",
    "UsualItem": "optimizer.domain.request",
    "FoodBound": "optimizer.domain.request",
    "ClinicianOverride": "optimizer.domain.request",
    "Plan": "optimizer.results.plan",
    "Explanation": "optimizer.results.plan",
    "DISCLAIMER": "optimizer.results.plan",
    "verify_plan": "optimizer.results.verify",
    "load_plan": "optimizer.results.load",
    "replan": "optimizer.editing",
    "compare_plans": "optimizer.editing",
    "suggest_substitutes": "optimizer.editing",
    "duplicate_week": "optimizer.editing",
    "PlanDiff": "optimizer.editing",
    "compute_totals": "optimizer.results.verify",
    "SolveOptions": "optimizer.solve.adapter",
    "SolveResult": "optimizer.solve.adapter",
    "Store": "optimizer.dietitian.store",
    "shopping_list": "optimizer.io.shopping",
    "plan_batch": "optimizer.dietitian.batch",
    "CofactorError": "foods.errors",
    "RequestError": "optimizer.domain.errors",
    "RuleError": "optimizer.domain.errors",
    "SolverError": "optimizer.domain.errors",
}

__all__ = sorted([*_EXPORTS, "plan"])


def plan(request: PlanRequest, foods: FoodTable | None = None, supplements: SupplementCatalogue | None = None, *,
         solver: str | None = None, time_limit_s: float | None = None) -> Plan:
    """Solve a :class:`PlanRequest` and return a verified :class:`Plan` within about a second of ``time_limit_s``
    (seconds; see ``optimizer.planner.plan``)."""
    from optimizer.planner import plan as run_plan

    return run_plan(request, foods, supplements, solver=solver, time_limit_s=time_limit_s)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'optimizer' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
