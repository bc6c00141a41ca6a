"""Reusable unit types and conversions. Units travel in names: ``magnesium_mg``, ``vitamin_d_ug``.

Vitamin D: 1 µg = 40 IU (DRI tables, ../shared/reference/nutrition-facts.md §2).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

IU_PER_UG_VITAMIN_D = 40.0

Grams = Annotated[float, Field(ge=0, description="grams")]
Milligrams = Annotated[float, Field(ge=0, description="milligrams")]
Micrograms = Annotated[float, Field(ge=0, description="micrograms")]
Kcal = Annotated[float, Field(ge=0, description="kilocalories")]
Fraction = Annotated[float, Field(ge=0, le=1, description="fraction 0..1")]
Seconds = Annotated[float, Field(gt=0, description="seconds")]
Portions = Annotated[float, Field(ge=0, description="household portions")]


def iu_to_ug_vitamin_d(iu: float) -> float:
    """Vitamin D international units -> micrograms (1 µg = 40 IU)."""
    return iu / IU_PER_UG_VITAMIN_D


def ug_to_iu_vitamin_d(ug: float) -> float:
    """Vitamin D micrograms -> international units (1 µg = 40 IU)."""
    return ug * IU_PER_UG_VITAMIN_D
