"""The model builder's state and primitives (variables, rows, relax-mode slacks), shared by the builder and its row
mixins (``realism.py``, ``rule_rows.py``). Imports PuLP, as only ``optimizer.model`` and ``optimizer.solve`` do."""

from __future__ import annotations

import math
from typing import Literal

import pulp

from optimizer.compile.spec import DoseVar, ItemVar, ModelSpec, RowInfo, SupplementData

Purpose = Literal["plan", "relax"]
RELAX_WEIGHTS: dict[str, float] = {"normal": 1000.0, "low": 1.0}
Pairs = list[tuple[pulp.LpVariable, float]]


def linear_expression(pairs: Pairs | dict[pulp.LpVariable, float]) -> pulp.LpAffineExpression:
    """An affine expression from (variable, coefficient) pairs (never ``sum()``: linear time)."""
    return pulp.LpAffineExpression(pairs)


class ModelBase:
    """State of one model being built and the primitives every part of the builder uses."""

    daily_doses: dict[int, list[tuple[pulp.LpVariable, SupplementData]]]
    weekly_doses: dict[int, list[tuple[pulp.LpVariable, SupplementData]]]
    shared_regimen: bool
    totals: dict[tuple[int, str], pulp.LpVariable]
    cap_days: dict[str, float]
    used: dict[tuple[int, str], pulp.LpVariable]

    def __init__(self, spec: ModelSpec, purpose: Purpose, name: str) -> None:
        self.spec = spec
        self.purpose = purpose
        self.prob = pulp.LpProblem(name, pulp.LpMinimize)
        self.vars: dict[str, pulp.LpVariable] = {}
        self.items: dict[str, ItemVar] = {}
        self.doses: dict[str, DoseVar] = {}
        self.rows: dict[str, RowInfo] = {}
        self.slacks: dict[str, str] = {}
        self.slack_terms: list[tuple[pulp.LpVariable, float]] = []
        self.constraint_names: list[str] = []
        self.is_mip = False
        self.item_by_day_food: dict[tuple[int, str], list[tuple[pulp.LpVariable, float]]] = {}
        self.day_grams: dict[tuple[int, str], pulp.LpAffineExpression] = {}

    # -- primitives ---------------------------------------------------------------------------
    def add_row(self, constraint: pulp.LpConstraint) -> None:
        self.prob.addConstraint(constraint)
        self.constraint_names.append(constraint.name)

    def var(self, name: str, lo: float | None = 0.0, hi: float | None = None, integer: bool = False) -> pulp.LpVariable:
        if hi is not None and math.isinf(hi):
            hi = None
        v = self.prob.add_variable(name, lo, hi, pulp.LpInteger if integer else pulp.LpContinuous)
        self.vars[name] = v
        if integer and not (lo is not None and hi is not None and lo == hi):
            self.is_mip = True
        return v

    def energy_ref(self) -> float:
        """Typical daily energy (kcal) for scaling slacks of energy-share rows."""
        t = next((t for t in self.spec.targets if t.nutrient == "energy_kcal" and t.kind == "amount"), None)
        return float((t.min or t.max or 2000.0) if t else 2000.0)

    def row(self, name: str, pairs: list[tuple[pulp.LpVariable, float]], sense: str, rhs: float, info: RowInfo,
            scale: float | None = None) -> None:
        """Add ``sum(pairs) (>=|<=|==) rhs``; in relax mode non-mandatory rows get a slack weighted by
        priority / ``scale`` (default: |rhs|, at least 1), so shortfalls count relative to the target."""
        pairs = list(pairs)
        if self.purpose == "relax" and info.priority != "mandatory" and sense != "==":
            s = self.var(f"slack_{name}", 0.0, None)
            pairs.append((s, 1.0 if sense == ">=" else -1.0))
            self.slacks[s.name] = name
            scale = max(abs(rhs) if scale is None else scale, 1.0)
            self.slack_terms.append((s, RELAX_WEIGHTS[info.priority] / scale))
        code = {">=": pulp.LpConstraintGE, "<=": pulp.LpConstraintLE, "==": pulp.LpConstraintEQ}[sense]
        self.add_row(pulp.LpConstraint(linear_expression(pairs), code, name, rhs))
        self.rows[name] = info

    def vitamin_d_dose_pairs(self, d: int) -> list[tuple[pulp.LpVariable, float]]:
        """Supplemental vitamin D of day ``d`` (µg/day): daily units + weekly units / 7."""
        pairs = [(v, sup.vitamin_d_ug) for v, sup in self.daily_doses[d] if sup.vitamin_d_ug]
        spread = float(max(self.spec.plan_days, 7))
        pairs += [(v, sup.vitamin_d_ug / spread) for v, sup in self.weekly_doses.get(d, []) if sup.vitamin_d_ug]
        return pairs

    def supplemental_magnesium_pairs(self, d: int, absorbed: bool) -> list[tuple[pulp.LpVariable, float]]:
        """Supplemental magnesium of day ``d`` (mg): label elemental, or × absorption factor."""
        out = []
        for v, sup in self.daily_doses[d]:
            if sup.magnesium_mg:
                out.append((v, sup.magnesium_mg * (sup.absorption_factor if absorbed else 1.0)))
        for v, sup in self.weekly_doses.get(d, []):
            if sup.magnesium_mg:
                out.append((v, sup.magnesium_mg / max(self.spec.plan_days, 7) * (sup.absorption_factor if absorbed else 1.0)))
        return out

    def _period_groups(self, period: str) -> list[list[int]]:
        days = list(self.spec.day_list())
        return [days] if period == "weekly" else [[d] for d in days]
