"""Editing saved plans: re-plan with locks, swaps and substitutes, and compare two plans."""

from optimizer.editing.diff import PlanDiff, compare_plans
from optimizer.editing.replan import duplicate_week, replan, suggest_substitutes, swap_item, unlock

__all__ = ["PlanDiff", "compare_plans", "duplicate_week", "replan", "suggest_substitutes", "swap_item", "unlock"]
