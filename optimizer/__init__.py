"""Cofactor optimizer: daily and weekly meal + supplement plans where magnesium keeps pace with vitamin D.

Public names are imported lazily; see README "Library quick-start".
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    "Profile": "optimizer.profile",
    "Target": "optimizer.targets",
    "Targets": "optimizer.targets",
    "TargetOverride": "optimizer.targets",
    "targets_for": "optimizer.targets",
    "MagnesiumVitaminDRule": "optimizer.rule",
    "Breakpoint": "optimizer.rule",
    "PlanRequest": "optimizer.request",
    "LockedItem": "optimizer.request",
    "MustInclude": "optimizer.request",
    "UsualItem": "optimizer.request",
    "FoodBound": "optimizer.request",
    "ClinicianOverride": "optimizer.request",
    "Plan": "optimizer.plan",
    "Explanation": "optimizer.plan",
    "DISCLAIMER": "optimizer.plan",
    "verify_plan": "optimizer.verify",
    "replan": "optimizer.editing",
    "compare_plans": "optimizer.editing",
    "suggest_substitutes": "optimizer.editing",
    "duplicate_week": "optimizer.editing",
    "PlanDiff": "optimizer.editing",
    "compute_totals": "optimizer.verify",
    "SolveOptions": "optimizer.solver",
    "SolveResult": "optimizer.solver",
    "Store": "optimizer.storage",
    "shopping_list": "optimizer.shopping",
    "plan_batch": "optimizer.batch",
    "CofactorError": "foods.errors",
    "RequestError": "optimizer.errors",
    "RuleError": "optimizer.errors",
    "SolverError": "optimizer.errors",
}

__all__ = sorted([*_EXPORTS, "plan"])

# ``optimizer.plan`` is both a submodule (the Plan result model) and the public function. Load the
# submodule first, then bind the function: a later ``import optimizer.plan`` finds the module in
# sys.modules and no longer replaces the package attribute, so ``optimizer.plan(request)`` always works.
import optimizer.plan as _plan_module  # noqa: E402,F401


def plan(request, foods=None, supplements=None, *, solver=None, time_limit_s=None):  # noqa: D401
    """Solve a :class:`PlanRequest` and return a verified :class:`Plan` (see ``optimizer.planner.plan``)."""
    from optimizer.planner import plan as _plan

    return _plan(request, foods, supplements, solver=solver, time_limit_s=time_limit_s)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'optimizer' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
