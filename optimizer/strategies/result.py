"""The one result type every planning strategy returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from optimizer.solve.adapter import SolveResult


@dataclass(frozen=True)
class StrategyResult:
    """What a strategy found: ``result`` (values keyed by ``built``'s variable names, objective, a lower bound valid
    over every candidate food, gap and termination), the model ``built`` that maps those values back to foods and
    doses, the ``method`` that ran (recorded as ``Plan.method``) and notes for the plan."""

    built: Any  # optimizer.compile.spec.BuiltModel
    result: SolveResult
    method: str
    notes: list[str] = field(default_factory=list)


#: The strategies, as ``Plan.method`` names them.
METHODS: dict[str, str] = {
    "lp": "one LP over every candidate food, solved to optimality",
    "lp_two_stage": "an LP with meals merged over every candidate (a relaxation), then the meal LP over the foods it "
                    "uses; optimal only when it reaches the relaxation's bound, else the full LP",
    "column_generation": "day menus over every candidate food by column generation, with a Lagrangian bound",
    "full_day": "one day's integer model over every candidate food",
    "pool": "the integer model over a pool of foods chosen by LP rounds, with a bound over every candidate",
    "day_menus": "day menus solved in turn and rotated over the days, then improved by the week model",
    "full_model": "the whole plan model solved directly",
}
