"""The magnesium–vitamin D rule: required total magnesium = RDA + extra(d).

``d`` is the *supplemental* vitamin D per day in µg (a weekly product counts as dose/7).
``extra`` is a nondecreasing piecewise-linear schedule given by breakpoints; beyond the last
breakpoint it continues with the last segment's slope. No published dose–response exists
(../shared/reference/nutrition-facts.md §5e): the default is a *precautionary policy*, not a
literature value — extra = 0 up to the life stage's vitamin D RDA (15 µg; 20 µg over 70 y), rising
linearly to +100 mg at 100 µg (the adult UL). Users may set their own schedule (slope 0 allowed).
:meth:`MagnesiumVitaminDRule.for_life_stage` gives the default for a person; ``PlanRequest`` uses it when
the request sets no rule.

The rule also carries the evidence-based calcium:magnesium intake ratio (Rosanoff, Dai &
Shapses, Adv Nutr 2016: ratios < 1.7 and > 2.8 "can be detrimental"; PPCCT treated > 2.6 as high).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from optimizer.domain.errors import RuleError

DEFAULT_POLICY_TEXT = (
    "Default precautionary policy (not a published dose-response): extra magnesium is 0 mg up to "
    "15 µg/day supplemental vitamin D (the RDA), rising linearly to +100 mg at 100 µg/day (the UL)."
)
DEFAULT_RULE_START_UG = 15.0  # the vitamin D RDA of 1–70 y (NASEM-2011)
DEFAULT_RULE_END_UG = 100.0  # the adult vitamin D UL, where the default schedule reaches +100 mg
DEFAULT_RULE_END_MG = 100.0
ADULT_AGE = 19.0  # the Ca:Mg ratio limit applies from this age by default (see docs/targets.md)


class Breakpoint(BaseModel):
    """One point of the schedule: at ``vitamin_d_ug`` µg/day supplemental vitamin D, add ``extra_magnesium_mg``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    vitamin_d_ug: float = Field(ge=0, description="supplemental vitamin D, µg/day")
    extra_magnesium_mg: float = Field(ge=0, description="extra magnesium required, mg/day")


def _default_breakpoints(start_ug: float = DEFAULT_RULE_START_UG) -> tuple[Breakpoint, ...]:
    return (
        Breakpoint(vitamin_d_ug=0, extra_magnesium_mg=0),
        Breakpoint(vitamin_d_ug=start_ug, extra_magnesium_mg=0),
        Breakpoint(vitamin_d_ug=DEFAULT_RULE_END_UG, extra_magnesium_mg=DEFAULT_RULE_END_MG),
    )


class MagnesiumVitaminDRule(BaseModel):
    """Schedule of extra magnesium against supplemental vitamin D, plus the Ca:Mg ratio limits."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    breakpoints: tuple[Breakpoint, ...] = Field(default_factory=_default_breakpoints)
    calcium_magnesium_ratio_max: float | None = Field(
        default=2.6, ge=1.7, le=2.8, description="total calcium_mg <= ratio × total magnesium_mg; None = off"
    )
    calcium_magnesium_ratio_min: float | None = Field(
        default=None, ge=1.0, le=2.8, description="optional lower ratio bound (literature: 1.7)"
    )

    @field_validator("breakpoints", mode="before")
    @classmethod
    def _coerce_pairs(cls, value: Any) -> Any:  # accept [(d, extra), ...] as well as dicts
        if isinstance(value, (list, tuple)):
            out = []
            for bp in value:
                if isinstance(bp, (list, tuple)) and len(bp) == 2:
                    out.append({"vitamin_d_ug": bp[0], "extra_magnesium_mg": bp[1]})
                else:
                    out.append(bp)
            return out
        return value

    @model_validator(mode="after")
    def _check_schedule(self) -> "MagnesiumVitaminDRule":
        bps = self.breakpoints
        if len(bps) < 1:
            raise RuleError("The magnesium–vitamin D rule needs at least one breakpoint, e.g. (0 µg, 0 mg).")
        if bps[0].vitamin_d_ug != 0:
            raise RuleError(
                f"The first breakpoint must be at 0 µg vitamin D (got {bps[0].vitamin_d_ug}). "
                "Fix: start the schedule with (0, extra at zero dose)."
            )
        for a, b in zip(bps, bps[1:]):
            if b.vitamin_d_ug <= a.vitamin_d_ug:
                raise RuleError(
                    f"Breakpoints must have strictly increasing vitamin D doses ({a.vitamin_d_ug} then "
                    f"{b.vitamin_d_ug} µg). Fix: sort them and remove duplicates."
                )
            if b.extra_magnesium_mg < a.extra_magnesium_mg:
                raise RuleError(
                    f"The schedule decreases between {a.vitamin_d_ug} µg ({a.extra_magnesium_mg} mg) and "
                    f"{b.vitamin_d_ug} µg ({b.extra_magnesium_mg} mg): more vitamin D may never require less "
                    "magnesium. Fix: make extra magnesium nondecreasing (a flat segment, slope 0, is allowed)."
                )
        if (
            self.calcium_magnesium_ratio_min is not None
            and self.calcium_magnesium_ratio_max is not None
            and self.calcium_magnesium_ratio_min > self.calcium_magnesium_ratio_max
        ):
            raise RuleError("calcium_magnesium_ratio_min is above calcium_magnesium_ratio_max.")
        return self

    # -- schedule geometry -------------------------------------------------------------------
    def slopes(self) -> list[float]:
        """Slope (mg per µg) of each segment; the last continues beyond the last breakpoint."""
        bps = self.breakpoints
        s = [
            (b.extra_magnesium_mg - a.extra_magnesium_mg) / (b.vitamin_d_ug - a.vitamin_d_ug)
            for a, b in zip(bps, bps[1:])
        ]
        return s or [0.0]

    def segments(self) -> list[tuple[float, float]]:
        """Affine pieces ``(intercept_mg, slope_mg_per_ug)`` so that on segment k extra(d) = a + b·d."""
        bps = self.breakpoints
        out = []
        for k, slope in enumerate(self.slopes()):
            x0 = bps[min(k, len(bps) - 1)].vitamin_d_ug
            y0 = bps[min(k, len(bps) - 1)].extra_magnesium_mg
            out.append((y0 - slope * x0, slope))
        return out

    @property
    def is_convex(self) -> bool:
        """True when slopes never decrease: then extra(d) = max of the affine pieces (pure LP rows)."""
        s = self.slopes()
        return all(b >= a - 1e-12 for a, b in zip(s, s[1:]))

    def extra_magnesium_mg(self, vitamin_d_ug: float) -> float:
        """Extra magnesium (mg/day) required at a supplemental vitamin D dose (µg/day)."""
        if vitamin_d_ug < 0:
            raise RuleError(f"Vitamin D dose must be >= 0 µg (got {vitamin_d_ug}).")
        bps = self.breakpoints
        slopes = self.slopes()
        for k in range(len(bps) - 1):
            if vitamin_d_ug <= bps[k + 1].vitamin_d_ug:
                return bps[k].extra_magnesium_mg + slopes[k] * (vitamin_d_ug - bps[k].vitamin_d_ug)
        last = bps[-1]
        return last.extra_magnesium_mg + slopes[-1] * (vitamin_d_ug - last.vitamin_d_ug) if len(bps) > 1 else last.extra_magnesium_mg

    def required_magnesium_mg(self, rda_mg: float, vitamin_d_ug: float) -> float:
        """Required total magnesium (mg/day) = RDA + extra(d)."""
        return rda_mg + self.extra_magnesium_mg(vitamin_d_ug)

    @classmethod
    def for_life_stage(cls, vitamin_d_rda_ug: float, age: float) -> "MagnesiumVitaminDRule":
        """The default rule for a person: extra magnesium starts at their life stage's vitamin D RDA (µg/day;
        20 µg over 70 y) and the Ca:Mg ratio limit applies to adults (age ≥ 19 y) only: the DRIs themselves
        put children's calcium:magnesium far above 2.6 (700/80 at 1–3 y, 1300/240 at 9–13 y)."""
        start = float(vitamin_d_rda_ug)
        if not 0 < start < DEFAULT_RULE_END_UG:
            start = DEFAULT_RULE_START_UG
        ratio = cls.model_fields["calcium_magnesium_ratio_max"].default if age >= ADULT_AGE else None
        return cls(breakpoints=_default_breakpoints(start), calcium_magnesium_ratio_max=ratio)

    @property
    def default_start_ug(self) -> float | None:
        """The vitamin D dose (µg/day) where a default-shaped schedule starts rising; None for a custom one."""
        bps = self.breakpoints
        if len(bps) == 3 and bps == _default_breakpoints(bps[1].vitamin_d_ug):
            return bps[1].vitamin_d_ug
        return None

    @property
    def is_default_policy(self) -> bool:
        """True for the default precautionary schedule, starting at any life stage's vitamin D RDA."""
        return self.default_start_ug is not None

    def describe(self) -> str:
        """One sentence for reports and the UI."""
        if self.is_default_policy:
            start = self.default_start_ug
            text = DEFAULT_POLICY_TEXT if start == DEFAULT_RULE_START_UG else DEFAULT_POLICY_TEXT.replace(
                "15 µg/day supplemental vitamin D (the RDA)", f"{start:g} µg/day supplemental vitamin D (the RDA at this age)")
        else:
            pts = ", ".join(f"{b.vitamin_d_ug:g} µg → +{b.extra_magnesium_mg:g} mg" for b in self.breakpoints)
            text = f"Custom schedule set by the user: {pts} (continues with the last slope beyond)."
        if self.calcium_magnesium_ratio_max is not None:
            text += f" Calcium:magnesium ratio kept at or below {self.calcium_magnesium_ratio_max:g}."
        if self.calcium_magnesium_ratio_min is not None:
            text += f" Calcium:magnesium ratio kept at or above {self.calcium_magnesium_ratio_min:g}."
        return text
