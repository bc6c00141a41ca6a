"""Comparing two versions of a plan: items added, removed and changed, supplement doses, nutrients and cost.

Used by :mod:`optimizer.editing` (re-exported there), the dietitian CLI (``cofactor plans --compare``) and the app.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from optimizer.results.plan import Plan

Slot = tuple[int, str, str]  # (day, meal, food_id)


class ItemChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: int
    meal: str
    food_id: str
    food: str = ""
    change: Literal["added", "removed", "changed"]
    grams_a: float = 0.0
    grams_b: float = 0.0
    portions_a: float | None = None
    portions_b: float | None = None

    @property
    def grams_delta(self) -> float:
        return self.grams_b - self.grams_a


class SupplementChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: int
    supplement_id: str
    units_a: int = 0
    units_b: int = 0


class NutrientDelta(BaseModel):
    """Nutrient total of plan a and plan b on a day (``day=None``: average over the days)."""

    model_config = ConfigDict(extra="forbid")

    day: int | None
    nutrient: str
    a: float
    b: float

    @property
    def delta(self) -> float:
        return self.b - self.a


class PlanDiff(BaseModel):
    """What changed from plan ``a`` to plan ``b``: items, supplement doses, nutrient totals and cost."""

    model_config = ConfigDict(extra="forbid")

    items: list[ItemChange] = Field(default_factory=list)
    supplements: list[SupplementChange] = Field(default_factory=list)
    nutrients: list[NutrientDelta] = Field(default_factory=list)
    cost_a: float | None = None
    cost_b: float | None = None

    @property
    def cost_difference(self) -> float | None:
        """b − a over the plan (currency of the prices); None when neither plan is priced."""
        if self.cost_a is None and self.cost_b is None:
            return None
        return (self.cost_b or 0.0) - (self.cost_a or 0.0)

    @property
    def unchanged(self) -> bool:
        return not self.items and not self.supplements

    def items_frame(self) -> pd.DataFrame:
        """day, meal, food_id, food, change, grams_a, grams_b, grams_delta, portions_a, portions_b."""
        cols = ["day", "meal", "food_id", "food", "change", "grams_a", "grams_b", "grams_delta", "portions_a", "portions_b"]
        return pd.DataFrame([{**c.model_dump(), "grams_delta": c.grams_delta} for c in self.items], columns=cols)

    def nutrients_frame(self) -> pd.DataFrame:
        """day (None = average), nutrient, a, b, delta."""
        return pd.DataFrame([{**n.model_dump(), "delta": n.delta} for n in self.nutrients],
                            columns=["day", "nutrient", "a", "b", "delta"])

    def summary(self, nutrients: Sequence[str] = ("energy_kcal", "magnesium_mg", "vitamin_d_ug", "calcium_mg")) -> str:
        """A few readable lines: counts of changes, the key nutrients' average change, the cost change."""
        if self.unchanged:
            head = "No changes in foods or supplements."
        else:
            counts = {k: sum(1 for c in self.items if c.change == k) for k in ("added", "removed", "changed")}
            head = (f"{counts['added']} item(s) added, {counts['removed']} removed, {counts['changed']} changed; "
                    f"{len(self.supplements)} supplement dose change(s).")
        lines = [head]
        for c in self.items[:20]:
            where = f"day {c.day} {c.meal}: {c.food or c.food_id}"
            if c.change == "added":
                lines.append(f"  + {where} {c.grams_b:.0f} g")
            elif c.change == "removed":
                lines.append(f"  - {where} {c.grams_a:.0f} g")
            else:
                lines.append(f"  ~ {where} {c.grams_a:.0f} g -> {c.grams_b:.0f} g")
        if len(self.items) > 20:
            lines.append(f"  ... and {len(self.items) - 20} more")
        for s in self.supplements:
            lines.append(f"  supplement {s.supplement_id} day {s.day}: {s.units_a} -> {s.units_b} unit(s)")
        for n in self.nutrients:
            if n.day is None and n.nutrient in nutrients:
                lines.append(f"  average {n.nutrient}: {n.a:.4g} -> {n.b:.4g} ({n.delta:+.4g})")
        if self.cost_difference is not None:
            lines.append(f"  cost: {self.cost_a or 0:.2f} -> {self.cost_b or 0:.2f} ({self.cost_difference:+.2f})")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def compare_plans(a: Plan, b: Plan, *, tolerance_g: float = 1e-6) -> PlanDiff:
    """Differences from plan ``a`` to plan ``b``: items by (day, meal, food), supplement units by day, nutrient
    totals per day and averaged over each plan's days (nutrients both plans report), and total cost."""
    def grouped(p: Plan) -> dict[Slot, tuple[float, float | None, str]]:
        out: dict[Slot, tuple[float, float | None, str]] = {}
        for r in p.item_rows:
            g, por, name = out.get((r.day, r.meal, r.food_id), (0.0, None, r.food))
            portions = None if r.portions is None and por is None else (por or 0.0) + (r.portions or 0.0)
            out[(r.day, r.meal, r.food_id)] = (g + r.grams, portions, name)
        return out

    ga, gb = grouped(a), grouped(b)
    changes: list[ItemChange] = []
    for slot in sorted(set(ga) | set(gb), key=lambda s: (s[0], s[1], s[2])):
        xa, xb = ga.get(slot), gb.get(slot)
        grams_a, grams_b = (xa[0] if xa else 0.0), (xb[0] if xb else 0.0)
        if abs(grams_b - grams_a) <= tolerance_g:
            continue
        kind: Literal["added", "removed", "changed"] = (
            "added" if grams_a <= tolerance_g else "removed" if grams_b <= tolerance_g else "changed")
        named = xb or xa
        assert named is not None  # one side has the slot, or it would not be listed
        changes.append(ItemChange(day=slot[0], meal=slot[1], food_id=slot[2], food=named[2], change=kind,
                                  grams_a=grams_a, grams_b=grams_b, portions_a=xa[1] if xa else None,
                                  portions_b=xb[1] if xb else None))
    ua: dict[tuple[int, str], int] = {}
    ub: dict[tuple[int, str], int] = {}
    for rows, acc in ((a.supplement_rows, ua), (b.supplement_rows, ub)):
        for r in rows:
            acc[(r.day, r.supplement_id)] = acc.get((r.day, r.supplement_id), 0) + r.units
    supp_changes = [SupplementChange(day=k[0], supplement_id=k[1], units_a=ua.get(k, 0), units_b=ub.get(k, 0))
                    for k in sorted(set(ua) | set(ub)) if ua.get(k, 0) != ub.get(k, 0)]
    ta, tb = a.totals, b.totals
    common = [c for c in ta.columns if c in tb.columns]
    deltas: list[NutrientDelta] = []
    for d in sorted(set(ta.index) | set(tb.index)):
        for n in common:
            va = float(ta.at[d, n]) if d in ta.index else 0.0
            vb = float(tb.at[d, n]) if d in tb.index else 0.0
            deltas.append(NutrientDelta(day=int(d), nutrient=n, a=va, b=vb))
    for n in common:
        va = float(ta[n].mean()) if len(ta) else 0.0
        vb = float(tb[n].mean()) if len(tb) else 0.0
        deltas.append(NutrientDelta(day=None, nutrient=n, a=va, b=vb))
    return PlanDiff(items=changes, supplements=supp_changes, nutrients=deltas, cost_a=a.cost, cost_b=b.cost)


# -- duplicate ----------------------------------------------------------------------------------------
