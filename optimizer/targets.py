"""Nutrient targets: what a plan must supply per day (or as a weekly average).

Target *types* live here; the DRI tables they are filled from live in ``optimizer/data/dri.csv``
(one cited row per value) and are read by :func:`targets_for`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from optimizer.errors import RequestError

Period = Literal["daily", "weekly"]


class TargetOverride(BaseModel):
    """A user's change to one target. Unset fields keep the base value; ``min``/``max`` set to None via
    ``clear_min``/``clear_max`` remove that side. Passing ``None`` instead of an override removes the target."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min: float | None = Field(default=None, ge=0)
    max: float | None = Field(default=None, ge=0)
    period: Period | None = None
    clear_min: bool = False
    clear_max: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> "TargetOverride":
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is above max ({self.max})")
        return self


class Target(BaseModel):
    """One constraint on a nutrient.

    * ``kind="amount"``: ``min <= total nutrient <= max`` in the nutrient's own unit (the unit is in the key).
    * ``kind="energy_percent"``: ``min``/``max`` are percent of energy; ``kcal_per_unit`` converts the
      nutrient to kcal (fat 9, protein 4, carbohydrate 4, saturated fat 9).
    * ``applies_to="supplements"``: the bound counts supplements only (the magnesium UL is supplemental-only).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    nutrient: str
    min: float | None = Field(default=None, ge=0)
    max: float | None = Field(default=None, ge=0)
    period: Period = "daily"
    kind: Literal["amount", "energy_percent"] = "amount"
    kcal_per_unit: float | None = None
    applies_to: Literal["total", "supplements"] = "total"
    is_upper_limit: bool = Field(default=False, description="max is a safety UL (hard, clinician override only)")
    source: str = ""
    note: str = ""

    @model_validator(mode="after")
    def _valid(self) -> "Target":
        if self.min is not None and self.max is not None and self.min > self.max + 1e-9:
            raise ValueError(f"target {self.key}: min ({self.min}) is above max ({self.max})")
        if self.kind == "energy_percent" and not self.kcal_per_unit:
            raise ValueError(f"target {self.key}: energy_percent targets need kcal_per_unit")
        return self

    def apply(self, override: TargetOverride) -> "Target":
        lo = None if override.clear_min else (override.min if override.min is not None else self.min)
        hi = None if override.clear_max else (override.max if override.max is not None else self.max)
        if lo is not None and hi is not None and lo > hi:
            raise RequestError(
                f"Target '{self.key}': the override gives min {lo} above max {hi}. Fix: lower the min or raise the max."
            )
        return self.model_copy(
            update={"min": lo, "max": hi, "period": override.period or self.period, "source": self.source + (" (overridden)" if "(overridden)" not in self.source else "")}
        )


class Targets(BaseModel):
    """An ordered set of targets keyed by ``Target.key``; ``energy_kcal`` is the energy estimate used."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rows: tuple[Target, ...] = ()
    energy_kcal: float | None = None
    basis: str = ""

    @model_validator(mode="after")
    def _unique(self) -> "Targets":
        keys = [t.key for t in self.rows]
        dupes = {k for k in keys if keys.count(k) > 1}
        if dupes:
            raise ValueError(f"duplicate target keys: {sorted(dupes)}")
        return self

    def __getitem__(self, key: str) -> Target:
        for t in self.rows:
            if t.key == key:
                return t
        raise KeyError(f"No target '{key}'. Known: {', '.join(self.keys())}")

    def __contains__(self, key: object) -> bool:
        return any(t.key == key for t in self.rows)

    def __iter__(self) -> Iterator[Target]:  # type: ignore[override]
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def keys(self) -> list[str]:
        return [t.key for t in self.rows]

    def with_overrides(self, overrides: Mapping[str, TargetOverride | Mapping | None]) -> "Targets":
        """Return new targets with ``overrides`` applied: None removes a target, a new key adds an amount target."""
        rows = {t.key: t for t in self.rows}
        for key, ov in overrides.items():
            if ov is None or (isinstance(ov, str) and ov.lower() == "none"):
                rows.pop(key, None)
                continue
            ov = ov if isinstance(ov, TargetOverride) else TargetOverride.model_validate(ov)
            if key in rows:
                rows[key] = rows[key].apply(ov)
            else:
                rows[key] = Target(key=key, nutrient=key, min=ov.min, max=ov.max, period=ov.period or "daily",
                                   source="user")
        return self.model_copy(update={"rows": tuple(rows.values())})

    def to_frame(self) -> pd.DataFrame:
        """One row per target: key, nutrient, min, max, period, kind, applies_to, is_upper_limit, source, note."""
        cols = ["key", "nutrient", "min", "max", "period", "kind", "applies_to", "is_upper_limit", "source", "note"]
        return pd.DataFrame([t.model_dump(include=set(cols)) for t in self.rows], columns=cols)
