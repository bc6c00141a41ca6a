"""Editing saved plans: re-plan with locks, swaps and substitutes, and compare two plans."""

from optimizer.editing.diff import PlanDiff, compare_plans
from optimizer.editing.replan import duplicate_week, replan, unlock
from optimizer.editing.swap import suggest_substitutes, swap_item

__all__ = ["PlanDiff", "compare_plans", "duplicate_week", "replan", "suggest_substitutes", "swap_item", "unlock"]
