"""Who the plan is for."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Sex = Literal["female", "male"]
Activity = Literal["sedentary", "low_active", "active", "very_active"]


class Profile(BaseModel):
    """A person: sex, age in years, optional life stage, body weight and activity.

    ``energy_kcal`` overrides the energy estimate (kcal/day) when given.
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

    @model_validator(mode="after")
    def _life_stage_consistent(self) -> "Profile":
        if (self.pregnant or self.lactating) and self.sex != "female":
            raise ValueError("pregnant/lactating applies to sex='female' only")
        if self.pregnant and self.lactating:
            raise ValueError("choose pregnant or lactating, not both")
        if (self.pregnant or self.lactating) and not (14 <= self.age <= 50):
            raise ValueError("DRI pregnancy/lactation tables cover ages 14–50")
        return self

    @property
    def life_stage(self) -> str:
        """'pregnancy', 'lactation' or the sex ('female'/'male'); children share one row for both sexes."""
        if self.pregnant:
            return "pregnancy"
        if self.lactating:
            return "lactation"
        return self.sex
