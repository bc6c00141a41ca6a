"""Reusable unit types and conversions. Units travel in names: ``magnesium_mg``, ``vitamin_d_ug``.

Vitamin D: 1 µg = 40 IU (DRI tables, ../shared/reference/nutrition-facts.md §2).

The annotated types are *strict* user-input types: a number must be a JSON/Python number (``true`` and ``"1"``
are refused, an integer is accepted for a float), finite (no NaN or infinity) and within a physically sensible
range (the limits below; docs/errors.md lists them).
"""

from __future__ import annotations

import math
import numbers
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, Strict

from optimizer.domain.errors import RequestError

IU_PER_UG_VITAMIN_D = 40.0

MAX_GRAMS = 10_000.0
"""Largest amount of one food, g/day, a request may name (10 kg)."""
MAX_NUTRIENT_AMOUNT = 1_000_000.0
"""Largest target or limit value, in the target's own unit (mg, µg, g, kcal, % energy)."""
MAX_WEIGHT = 1_000_000.0
"""Largest objective weight."""
MAX_TIME_LIMIT_S = 3600.0
"""Longest solver time limit, seconds."""

def _real_number(value: Any) -> Any:
    """NumPy scalars and other ``numbers.Real`` as a plain float; plain int/float, ``bool`` and text unchanged
    (strict validation then accepts int/float and refuses the rest)."""
    if isinstance(value, (bool, int, float)) or not isinstance(value, numbers.Real):
        return value
    return float(value)


def _whole_number(value: Any) -> Any:
    """NumPy and other ``numbers.Integral`` as a plain int; ``bool``, text and floats unchanged (then refused)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, (bool, int)):
        return int(value)
    return value


_REAL = BeforeValidator(_real_number)
FiniteFloat = Annotated[float, _REAL, Strict(), Field(allow_inf_nan=False)]
NonNegative = Annotated[float, _REAL, Strict(), Field(ge=0, le=MAX_NUTRIENT_AMOUNT, allow_inf_nan=False)]
Grams = Annotated[float, _REAL, Strict(), Field(ge=0, le=MAX_GRAMS, allow_inf_nan=False, description="grams")]
Milligrams = Annotated[float, _REAL, Strict(), Field(ge=0, le=MAX_NUTRIENT_AMOUNT, allow_inf_nan=False,
                                                     description="milligrams")]
Micrograms = Annotated[float, _REAL, Strict(), Field(ge=0, le=MAX_NUTRIENT_AMOUNT, allow_inf_nan=False,
                                                     description="micrograms")]
Kcal = Annotated[float, _REAL, Strict(), Field(ge=0, le=MAX_NUTRIENT_AMOUNT, allow_inf_nan=False,
                                               description="kilocalories")]
Fraction = Annotated[float, _REAL, Strict(), Field(ge=0, le=1, allow_inf_nan=False, description="fraction 0..1")]
Seconds = Annotated[float, _REAL, Strict(), Field(gt=0, le=MAX_TIME_LIMIT_S, allow_inf_nan=False, description="seconds")]
Portions = Annotated[float, _REAL, Strict(), Field(ge=0, le=1000, allow_inf_nan=False, description="household portions")]
Weight = Annotated[float, _REAL, Strict(), Field(ge=0, le=MAX_WEIGHT, allow_inf_nan=False, description="objective weight")]
Count = Annotated[int, BeforeValidator(_whole_number), Strict()]
"""A whole number given as a number (``true``, ``7.0`` and ``"7"`` are refused; NumPy integers are accepted)."""


def check_time_limit(seconds: float | None, *, name: str = "time_limit_s") -> float | None:
    """``seconds`` as a float (None stays None) when a finite number in (0, MAX_TIME_LIMIT_S]; else
    :class:`RequestError` naming ``name``."""
    if seconds is None:
        return None
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise RequestError(f"{name} must be a number of seconds (got {seconds!r})")
    if not math.isfinite(seconds) or not 0 < seconds <= MAX_TIME_LIMIT_S:
        raise RequestError(f"{name} must be a finite number of seconds in (0, {MAX_TIME_LIMIT_S:g}] (got {seconds!r})")
    return float(seconds)


def iu_to_ug_vitamin_d(iu: float) -> float:
    """Vitamin D international units -> micrograms (1 µg = 40 IU)."""
    return iu / IU_PER_UG_VITAMIN_D


def ug_to_iu_vitamin_d(ug: float) -> float:
    """Vitamin D micrograms -> international units (1 µg = 40 IU)."""
    return ug * IU_PER_UG_VITAMIN_D
