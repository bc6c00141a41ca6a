"""What a user asks for: the frozen, validated plan request (pydantic v2).

Everything a user supplies forbids unknown fields. Vitamin D doses are µg; IU is accepted at the
boundary (``vitamin_d_supplement_iu``) and converted (1 µg = 40 IU).
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from optimizer.domain.profile import Profile
from optimizer.domain.rule import MagnesiumVitaminDRule
from optimizer.domain.targets import TargetOverride, Targets
from optimizer.domain.units import (
    MAX_NUTRIENT_AMOUNT,
    Count,
    Fraction,
    Grams,
    Micrograms,
    NonNegative,
    Portions,
    Seconds,
    Weight,
    iu_to_ug_vitamin_d,
)

MAX_VITAMIN_D_UG_PER_DAY = 2500.0
"""Largest prescribed vitamin D dose a request may name, µg/day (100,000 IU; weekly: 7 × this)."""
DEFAULT_MEALS: tuple[str, ...] = ("breakfast", "lunch", "dinner", "snack")
DEFAULT_MEAL_ENERGY_SHARES: dict[str, tuple[float, float]] = {
    "breakfast": (0.20, 0.30),
    "lunch": (0.25, 0.35),
    "dinner": (0.30, 0.40),
    "snack": (0.05, 0.15),
}
DietPattern = Literal["omnivore", "pescatarian", "vegetarian", "vegan"]
Allergen = Literal["milk", "egg", "fish", "shellfish", "peanut", "tree_nut", "wheat", "soy", "sesame", "gluten"]
Objective = Literal["food_first", "cost", "minimal_change", "preferences"]
ObjectiveTerm = Literal["cost", "change", "supplements", "preferences", "portions"]


class FieldValueError(ValueError):
    """A request check that knows which field is wrong (``field``, dotted) and why (``detail``)."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(f"{field} {detail}")
        self.field, self.detail = field, detail


def strict_number(value: Any, name: str, *, unit: str = "", limit: float = MAX_NUTRIENT_AMOUNT) -> float:
    """``value`` as a float if it is a real, finite number in [0, ``limit``]; else :class:`FieldValueError` naming
    ``name``. Booleans and numeric strings are refused (``true`` is not 1, ``"5"`` is not 5)."""
    shown = f"{value!r}"[:40]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FieldValueError(name, f"must be a number{' of ' + unit if unit else ''} (got {shown})")
    number = float(value)
    if not math.isfinite(number):
        raise FieldValueError(name, f"must be a finite number (got {shown})")
    if number < 0:
        raise FieldValueError(name, f"must be >= 0{' ' + unit if unit else ''} (got {shown})")
    if number > limit:
        raise FieldValueError(name, f"must be <= {limit:,.0f}{' ' + unit if unit else ''}, beyond which no "
                                    f"amount makes physical sense (got {shown})")
    return number


class _UserModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FoodBound(_UserModel):
    """Grams of one food per day (min and/or max)."""

    min: Grams | None = None
    max: Grams | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "FoodBound":
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min:g} g) is above max ({self.max:g} g)")
        return self


class UsualItem(_UserModel):
    """One item of a usual diet/template: grams per day (optionally at one meal, on one day)."""

    food_id: str
    grams: Grams
    meal: str | None = None
    day: Count | None = Field(default=None, ge=1)


class MustInclude(_UserModel):
    """A food that must appear: at least ``min_grams`` (or ``min_portions``) on each listed day (default all)."""

    food_id: str
    days: tuple[Annotated[Count, Field(ge=1)], ...] | None = None
    meal: str | None = None
    min_grams: Grams | None = None
    min_portions: Portions | None = Field(default=None, gt=0)


class LockedItem(_UserModel):
    """An item fixed in place: the optimizer re-plans everything else around it."""

    day: Count = Field(ge=1)
    meal: str
    food_id: str
    portions: Portions | None = None
    grams: Grams | None = None

    @model_validator(mode="after")
    def _amount(self) -> "LockedItem":
        if self.portions is None and self.grams is None:
            raise ValueError(f"locked item {self.food_id} on day {self.day}: give portions or grams")
        return self


class LockedSupplement(_UserModel):
    day: Count = Field(ge=1)
    supplement_id: str
    units: Count = Field(ge=0, le=100)


class ClinicianOverride(_UserModel):
    """An explicit, recorded change to safety limits: upper limits (target key -> new max in the target's unit)
    and life-stage food safety rules lifted (rule ids of ``optimizer/data/life_stage_safety.csv``).
    Recorded in the plan (``Plan.clinician_overrides``) and shown on every plan made with it."""

    clinician: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    upper_limits: dict[str, NonNegative] = Field(default_factory=dict,
                                                 description="target key -> new max in the target's unit")
    food_safety_rules: tuple[str, ...] = Field(default=(), description="food safety rule ids lifted")

    def lines(self) -> list[str]:
        """One human-readable line per lifted limit or rule."""
        out = [f"Clinician override by {self.clinician}: upper limit {key} raised to {value:g} ({self.reason})."
               for key, value in self.upper_limits.items()]
        out += [f"Clinician override by {self.clinician}: food safety rule {rule} lifted ({self.reason})."
                for rule in self.food_safety_rules]
        return out


class PlanRequest(_UserModel):
    """A complete plan request. Defaults give a person's sensible week: everyday foods, 4 meals,
    household portions, food first, the shipped supplement products, the default magnesium–vitamin D rule."""

    profile: Profile | None = None
    targets: dict[str, TargetOverride | None] | Targets = Field(
        default_factory=dict,
        description="overrides merged onto targets_for(profile); with no profile, the full target set",
    )
    days: Count = Field(default=7, ge=1, le=14)
    meals: tuple[str, ...] = DEFAULT_MEALS
    meal_energy_shares: dict[str, tuple[Fraction, Fraction]] | None = None

    catalogue: Literal["sr24", "fndds"] = Field(
        default="sr24", description="the shipped food catalogue planned from when no table is given: 'sr24' "
                                    "(USDA SR24 ingredients) or 'fndds' (USDA FNDDS 2017-18 foods as eaten)")
    candidates: Literal["everyday", "all"] = "everyday"
    food_ids: tuple[str, ...] | None = Field(default=None, description="restrict candidates to these ids")
    portions: Literal["household", "continuous"] = "household"

    objective: Objective = "food_first"
    objective_weights: dict[ObjectiveTerm, Weight] | None = None
    usual_diet: tuple[UsualItem, ...] = ()
    liked_foods: tuple[str, ...] = ()
    disliked_foods: tuple[str, ...] = ()

    diet_pattern: DietPattern = "omnivore"
    exclude_foods: tuple[str, ...] = ()
    exclude_groups: tuple[str, ...] = ()
    exclude_allergens: tuple[Allergen, ...] = ()
    must_include: tuple[MustInclude, ...] = ()
    locked: tuple[LockedItem, ...] = ()
    locked_supplements: tuple[LockedSupplement, ...] = ()
    food_bounds: dict[str, FoodBound] = Field(default_factory=dict)
    max_item_grams: Grams = 500.0
    max_food_grams_per_day: Grams = 800.0
    max_days_per_food: Count | None = Field(default=4, ge=1)
    min_foods_per_day: Count | None = Field(default=7, ge=0, le=1000)

    supplements: tuple[str, ...] | None = Field(
        default=None, description="allowed product ids; None = every product in the catalogue; () = none"
    )
    vitamin_d_supplement_ug: Micrograms | None = Field(
        default=None, le=MAX_VITAMIN_D_UG_PER_DAY, description="prescribed daily dose, µg/day"
    )
    vitamin_d_weekly_supplement_ug: Micrograms | None = Field(
        default=None, le=7 * MAX_VITAMIN_D_UG_PER_DAY, description="prescribed weekly dose, µg/week (e.g. 1250 µg = 50,000 IU)"
    )
    rule: MagnesiumVitaminDRule = Field(default_factory=MagnesiumVitaminDRule)
    clinician_override: ClinicianOverride | None = None

    solver: Literal["highs", "cbc"] = "highs"
    time_limit_s: Seconds = 20.0
    relative_gap: Fraction = 0.01

    def item_caps(self, food_id: str) -> tuple[float, float]:
        """(grams per item, grams per day) allowed for ``food_id`` (g). A ``food_bounds`` max overrides both
        defaults for that food; a request without a profile (a generic LP) applies no per-item caps unless it
        sets ``max_item_grams`` / ``max_food_grams_per_day`` itself (``math.inf`` = no cap)."""
        bound = self.food_bounds.get(food_id)
        if bound is not None and bound.max is not None:
            return float(bound.max), float(bound.max)
        explicit = self.model_fields_set
        person = self.profile is not None
        item = self.max_item_grams if (person or "max_item_grams" in explicit) else math.inf
        day = self.max_food_grams_per_day if (person or "max_food_grams_per_day" in explicit) else math.inf
        return float(item), float(day)

    def default_caps_apply(self) -> bool:
        """Whether the default per-item caps (``max_item_grams``, ``max_food_grams_per_day``) apply at all."""
        return self.profile is not None or bool({"max_item_grams", "max_food_grams_per_day"} & self.model_fields_set)

    @model_validator(mode="before")
    @classmethod
    def _iu_at_the_boundary(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            for iu_key, ug_key in (
                ("vitamin_d_supplement_iu", "vitamin_d_supplement_ug"),
                ("vitamin_d_weekly_supplement_iu", "vitamin_d_weekly_supplement_ug"),
            ):
                if iu_key in data:
                    iu = data.pop(iu_key)
                    if iu is not None:
                        if ug_key in data and data[ug_key] is not None:
                            raise ValueError(f"give {ug_key} or {iu_key}, not both")
                        data[ug_key] = iu_to_ug_vitamin_d(strict_number(iu, iu_key, unit="IU"))
        return data

    @model_validator(mode="before")
    @classmethod
    def _profile_values_are_typed(cls, data: Any) -> Any:
        """A profile given as data has real numbers and true/false where they belong (``Profile`` would coerce
        ``"45"`` and ``"yes"``)."""
        profile = data.get("profile") if isinstance(data, dict) else None
        if isinstance(profile, dict):
            for key in ("age", "weight_kg", "height_cm", "energy_kcal"):
                if profile.get(key) is not None:
                    strict_number(profile[key], f"profile.{key}", limit=MAX_NUTRIENT_AMOUNT)
            for key in ("pregnant", "lactating"):
                if key in profile and not isinstance(profile[key], bool):
                    raise FieldValueError(f"profile.{key}", f"must be true or false (got {profile[key]!r:.40})")
        return data

    @model_validator(mode="before")
    @classmethod
    def _target_values_are_numbers(cls, data: Any) -> Any:
        """Target overrides hold real, finite, sensible numbers (``TargetOverride`` itself would coerce "5"/true)."""
        if isinstance(data, dict) and isinstance(data.get("targets"), dict):
            for key, override in data["targets"].items():
                if isinstance(override, dict):
                    for side in ("min", "max"):
                        if override.get(side) is not None:
                            strict_number(override[side], f"targets.{key}.{side}")
        return data

    @model_validator(mode="before")
    @classmethod
    def _life_stage_rule(cls, data: Any) -> Any:
        """No rule given: the default rule for the profile's life stage (starts at its vitamin D RDA; the Ca:Mg
        ratio limit for adults only). See ``MagnesiumVitaminDRule.for_life_stage``."""
        if isinstance(data, dict) and data.get("rule") is None and data.get("profile") is not None:
            data = dict(data)
            data.pop("rule", None)
            try:
                profile = data["profile"] if isinstance(data["profile"], Profile) else Profile.model_validate(data["profile"])
            except ValueError:
                return data  # the field validator reports the bad profile
            from optimizer.domain.targets import targets_for
            try:
                rda = targets_for(profile)["vitamin_d_ug"].min
            except (ValueError, KeyError):
                return data  # infants are refused when the targets are made
            data["rule"] = MagnesiumVitaminDRule.for_life_stage(rda or 15.0, profile.age)
        return data

    @model_validator(mode="after")
    def _consistent(self) -> "PlanRequest":
        if self.profile is None and isinstance(self.targets, dict) and not self.targets:
            raise ValueError("give a profile (targets from the DRI tables) or explicit targets")
        if self.vitamin_d_supplement_ug is not None and self.vitamin_d_weekly_supplement_ug is not None:
            raise ValueError("prescribe vitamin D daily or weekly, not both")
        if len(set(self.meals)) != len(self.meals) or not self.meals:
            raise ValueError("meals must be a non-empty list of distinct names")
        for item in self.locked:
            if item.day > self.days:
                raise ValueError(f"locked item {item.food_id} is on day {item.day} but the plan has {self.days} days")
            if item.meal not in self.meals:
                raise ValueError(f"locked item {item.food_id} names meal '{item.meal}', not one of {list(self.meals)}")
        for mi in self.must_include:
            if mi.meal is not None and mi.meal not in self.meals:
                raise ValueError(f"must-include {mi.food_id} names meal '{mi.meal}', not one of {list(self.meals)}")
            if mi.days and max(mi.days) > self.days:
                raise ValueError(f"must-include {mi.food_id} names day {max(mi.days)} but the plan has {self.days} days")
        if self.meal_energy_shares:
            for meal, (lo, hi) in self.meal_energy_shares.items():
                if meal not in self.meals:
                    raise ValueError(f"meal_energy_shares names meal '{meal}', not one of {list(self.meals)}")
                if not 0 <= lo <= hi <= 1:
                    raise ValueError(f"meal_energy_shares[{meal}] must satisfy 0 <= min <= max <= 1")
        return self

    @property
    def vitamin_d_mode(self) -> Literal["choose", "daily", "weekly"]:
        """How the vitamin D supplement is set: chosen by the optimizer, prescribed daily, or weekly."""
        if self.vitamin_d_supplement_ug is not None:
            return "daily"
        if self.vitamin_d_weekly_supplement_ug is not None:
            return "weekly"
        return "choose"

    def energy_shares(self) -> dict[str, tuple[float, float]]:
        """Meal energy share bands in effect (defaults for the four standard meals)."""
        if self.meal_energy_shares is not None:
            return dict(self.meal_energy_shares)
        return {m: DEFAULT_MEAL_ENERGY_SHARES[m] for m in self.meals if m in DEFAULT_MEAL_ENERGY_SHARES}
