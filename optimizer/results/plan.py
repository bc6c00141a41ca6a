"""The result of planning: a serialisable :class:`Plan` with DataFrame views.

Rows are stored as plain records (so ``model_dump_json``/``model_validate_json`` round-trip);
``items``, ``supplements``, ``totals``, ``targets`` and ``shadow_prices`` are DataFrame views.
"""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from optimizer.domain.request import PlanRequest
from optimizer.solve.status import Termination

DISCLAIMER = (
    "Cofactor is decision support, not medical advice. Check plans with a qualified clinician, "
    "especially with kidney disease, pregnancy, or medicines that interact with magnesium or vitamin D."
)


ITEM_COLUMNS = ["day", "meal", "food_id", "food", "portions", "portion_name", "grams", "cost"]
SUPPLEMENT_COLUMNS = ["day", "supplement_id", "supplement", "units", "vitamin_d_ug", "magnesium_mg"]
SHADOW_COLUMNS = ["nutrient", "target", "bound", "value", "unit", "objective_unit", "text"]


class PlanItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: int
    meal: str
    food_id: str
    food: str
    portions: float | None = None
    portion_name: str | None = None
    grams: float
    cost: float | None = None
    locked: bool = False


class SupplementDose(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: int
    supplement_id: str
    supplement: str
    units: int
    vitamin_d_ug: float = 0.0
    magnesium_mg: float = 0.0
    locked: bool = False


class AppliedTarget(BaseModel):
    """A target as applied to this plan (magnesium min raised by the vitamin D rule, overrides shown)."""

    model_config = ConfigDict(extra="forbid")

    key: str
    nutrient: str
    label: str = ""
    unit: str = ""
    min: float | None = None
    max: float | None = None
    period: Literal["daily", "weekly"] = "daily"
    kind: Literal["amount", "energy_percent"] = "amount"
    applies_to: Literal["total", "supplements"] = "total"
    is_upper_limit: bool = False
    source: str = ""
    note: str = ""


class ShadowPrice(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nutrient: str
    target: str
    bound: Literal["min", "max"]
    value: float = Field(description="objective units per nutrient unit")
    unit: str = ""
    objective_unit: str = ""
    text: str = ""


class BindingConstraint(BaseModel):
    """LP plans: a limit the plan sits on (a row with a nonzero dual, or a food at its own bound)."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="target, rule, ratio, energy_percent, meal_share or food_bound")
    name: str = Field(description="target key, or food id for a food bound")
    bound: Literal["min", "max", "eq"]
    rhs: float = Field(description="the limit, per day, in the row's unit")
    unit: str = ""
    day: int | None = None
    dual: float | None = Field(default=None, description="objective units per unit of the limit (rows only)")
    text: str = ""


class PrecheckRow(BaseModel):
    """Most and least of a nutrient the allowed foods, portions and doses can supply per day."""

    model_config = ConfigDict(extra="forbid")

    target: str
    nutrient: str
    required_min: float | None = None
    required_max: float | None = None
    possible_min: float
    possible_max: float
    ok: bool
    message: str = ""


class Shortfall(BaseModel):
    """A target the nearest plan misses, and by how much (in the target's unit)."""

    model_config = ConfigDict(extra="forbid")

    target: str
    nutrient: str
    bound: Literal["min", "max"]
    required: float
    achieved: float
    gap: float
    unit: str = ""
    priority: Literal["mandatory", "normal", "low"] = "normal"
    day: int | None = None


class Fix(BaseModel):
    """A suggested change; ``request_update`` can be merged into the request (``model_copy(update=...)``)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["relax_target", "allow_supplement", "drop_exclusion", "allow_foods", "other"]
    description: str
    request_update: dict[str, Any] = Field(default_factory=dict)


class Explanation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    summary: str
    precheck: list[PrecheckRow] = Field(default_factory=list)
    shortfalls: list[Shortfall] = Field(default_factory=list)
    fixes: list[Fix] = Field(default_factory=list)
    nearest_plan_items: list[PlanItem] = Field(default_factory=list)

    def __str__(self) -> str:
        lines = [self.summary]
        lines += [f"  - {p.message}" for p in self.precheck if not p.ok]
        for s in self.shortfalls:
            day = f" (day {s.day})" if s.day else ""
            lines.append(f"  - {s.target}{day}: needs {s.bound} {s.required:g} {s.unit}, nearest plan gives {s.achieved:g} (gap {s.gap:g})")
        if self.fixes:
            lines.append("What would fix it:")
            lines += [f"  * {f.description}" for f in self.fixes]
        return "\n".join(lines)


class Verification(BaseModel):
    """Independent re-check of a plan from the catalogue (not from solver values)."""

    model_config = ConfigDict(extra="forbid")

    passed: bool
    violations: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list, description="e.g. unknown nutrient values counted as 0")
    checked: int = 0
    tolerance: float = 1e-6


class Plan(BaseModel):
    """A solved (or explained) plan. ``status`` says why the solver stopped; ``has_solution`` whether a
    usable, verified plan exists. A time-limited stop is never called optimal."""

    model_config = ConfigDict(extra="forbid")

    request: PlanRequest
    status: Termination
    has_solution: bool
    solver: str = ""
    method: str = Field(default="", description="the strategy that made the plan (optimizer.strategies.result.METHODS)")
    runtime_s: float = 0.0
    objective_value: float | None = None
    best_bound: float | None = None
    gap: float | None = None
    item_rows: list[PlanItem] = Field(default_factory=list)
    supplement_rows: list[SupplementDose] = Field(default_factory=list)
    total_rows: list[dict[str, float]] = Field(default_factory=list, description="one dict per day: day + nutrient keys")
    target_rows: list[AppliedTarget] = Field(default_factory=list)
    shadow_price_rows: list[ShadowPrice] = Field(default_factory=list)
    binding_rows: list[BindingConstraint] = Field(default_factory=list)
    explanation: Explanation | None = None
    verification: Verification | None = None
    rule_text: str = ""
    notes: list[str] = Field(default_factory=list)
    disclaimer: str = DISCLAIMER
    clinician_overrides: list[str] = Field(
        default_factory=list, description="safety limits and food safety rules a clinician lifted (one line each)")

    @model_validator(mode="after")
    def _record_overrides(self) -> "Plan":
        """Record the request's clinician override (upper limits raised, food safety rules lifted) in the plan."""
        override = self.request.clinician_override
        if override is not None and not self.clinician_overrides:
            self.clinician_overrides = override.lines()
        return self

    # -- DataFrame views ---------------------------------------------------------------------
    @property
    def items(self) -> pd.DataFrame:
        """day, meal, food_id, food, portions, portion_name, grams, cost (cost NaN when unpriced)."""
        return pd.DataFrame([r.model_dump() for r in self.item_rows], columns=ITEM_COLUMNS + ["locked"])[ITEM_COLUMNS + ["locked"]]

    @property
    def supplements(self) -> pd.DataFrame:
        """day, supplement_id, supplement, units, vitamin_d_ug, magnesium_mg."""
        return pd.DataFrame([r.model_dump() for r in self.supplement_rows], columns=SUPPLEMENT_COLUMNS + ["locked"])

    @property
    def totals(self) -> pd.DataFrame:
        """One row per day (index ``day``), one column per nutrient key; foods + supplements."""
        if not self.total_rows:
            return pd.DataFrame(columns=["day"]).set_index("day")
        frame = pd.DataFrame(self.total_rows)
        frame["day"] = frame["day"].astype(int)
        return frame.set_index("day")

    @property
    def targets(self) -> pd.DataFrame:
        """The targets actually applied, including the magnesium requirement raised by the vitamin D rule."""
        cols = list(AppliedTarget.model_fields)
        return pd.DataFrame([t.model_dump() for t in self.target_rows], columns=cols)

    @property
    def shadow_prices(self) -> pd.DataFrame:
        """LP plans: nutrient, target, bound ('min'/'max'), value (objective units per nutrient unit), text."""
        return pd.DataFrame([s.model_dump() for s in self.shadow_price_rows], columns=SHADOW_COLUMNS)

    @property
    def binding(self) -> pd.DataFrame:
        """LP plans: the binding constraints (kind, name, bound, rhs, unit, day, dual, text)."""
        return pd.DataFrame([b.model_dump() for b in self.binding_rows], columns=list(BindingConstraint.model_fields))

    @property
    def cost(self) -> float | None:
        """Total cost of priced items over the plan (currency of the price list), None when nothing is priced."""
        costs = [r.cost for r in self.item_rows if r.cost is not None]
        return float(sum(costs)) if costs else None

    def summary(self) -> str:
        """A short status block in the spirit of linopy's result printout."""
        lines = [
            f"Plan: {self.request.days} day(s), solver {self.solver or '-'}",
            f"  status: {self.status}; usable plan: {'yes' if self.has_solution else 'no'}",
            f"  runtime: {self.runtime_s:.2f} s; objective: {self._fmt(self.objective_value)}; "
            f"bound: {self._fmt(self.best_bound)}; gap: {self._fmt(self.gap, pct=True)}",
        ]
        if self.verification is not None:
            lines.append(f"  verified independently: {'passed' if self.verification.passed else 'FAILED'}")
            lines += [f"    - {v}" for v in self.verification.violations[:10]]
        lines += [f"  {line}" for line in self.clinician_overrides]
        if self.explanation is not None:
            lines.append(str(self.explanation))
        lines.append(self.disclaimer)
        return "\n".join(lines)

    @staticmethod
    def _fmt(v: float | None, pct: bool = False) -> str:
        if v is None:
            return "-"
        return f"{v * 100:.2f} %" if pct else f"{v:.4g}"

    def __str__(self) -> str:
        return self.summary()
