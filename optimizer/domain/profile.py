"""Who the plan is for."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Sex = Literal["female", "male"]
Activity = Literal["sedentary", "low_active", "active", "very_active"]


class Profile(BaseModel):
    """A person: sex, age in years, optional life stage, body weight and activity.

    ``energy_kcal`` overrides the energy estimate (kcal/day) when given. ``trimester`` (1, 2 or 3) applies in
    pregnancy and ``months_postpartum`` (0–12 months) in lactation; they set the energy increment (IOM 2005 EER:
    +0 / +340 / +452 kcal by trimester; +330 kcal at 0–6 months, +400 kcal at 7–12 months post partum). Left
    unset, pregnancy counts as the 2nd trimester and lactation as 0–6 months post partum (the plan's energy
    note says so). Giving either outside its life stage is refused.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    sex: Sex
    age: float = Field(ge=0, le=120, description="age in years")
    pregnant: bool = False
    lactating: bool = False
    weight_kg: float | None = Field(default=None, gt=0, le=400)
    height_cm: float | None = Field(default=None, gt=0, le=260)
    activity: Activity = "low_active"
    energy_kcal: float | None = Field(default=None, gt=0, le=10000, description="kcal/day override")
    trimester: Literal[1, 2, 3] | None = Field(default=None, description="pregnancy only; unset = 2nd trimester")
    months_postpartum: float | None = Field(
        default=None, ge=0, le=12, description="lactation only, months since birth; unset = 0–6 months"
    )

    @model_validator(mode="after")
    def _life_stage_consistent(self) -> "Profile":
        if (self.pregnant or self.lactating) and self.sex != "female":
            raise ValueError("pregnant/lactating applies to sex='female' only")
        if self.pregnant and self.lactating:
            raise ValueError("choose pregnant or lactating, not both")
        if (self.pregnant or self.lactating) and not (14 <= self.age <= 50):
            raise ValueError("DRI pregnancy/lactation tables cover ages 14–50")
        if self.trimester is not None and not self.pregnant:
            raise ValueError("trimester applies to a pregnancy only: set pregnant=True or remove trimester")
        if self.months_postpartum is not None and not self.lactating:
            raise ValueError("months_postpartum applies to lactation only: set lactating=True or remove it")
        return self

    @property
    def life_stage(self) -> str:
        """'pregnancy', 'lactation' or the sex ('female'/'male'); children share one row for both sexes."""
        if self.pregnant:
            return "pregnancy"
        if self.lactating:
            return "lactation"
        return self.sex
