"""The limits every foods loader enforces on input values (listed for users in docs/input-limits.md).

A value outside these bounds is physically impossible or far beyond any real product, so it is a typo
or a broken file: loaders refuse it with a :class:`foods.errors.DataError` naming file, row and column,
instead of letting it reach the optimizer. The bounds are generous on purpose; each notes the largest
real value it leaves room for.
"""

from __future__ import annotations

import datetime as _dt
import re

MAX_GRAMS_PER_100G = 100.0
"""No nutrient mass exceeds the food's own mass: at most 100 g per 100 g (= 100,000 mg = 1e8 µg).
SR24 and FNDDS reach exactly 100 g (fat in oils, carbohydrate in sugar, water)."""

MAX_ENERGY_KCAL_PER_100G = 910.0
"""Pure fat is the most energy-dense food: 900–902 kcal/100 g (SR24 and FNDDS maximum 902, beef tallow)."""

MIN_UG_PER_IU = 0.025
"""The smallest mass one IU stands for (vitamin D: 1 IU = 0.025 µg; vitamin A: 0.3 µg; vitamin E: 0.67 mg)."""

MAX_IU_PER_100G = MAX_GRAMS_PER_100G * 1e6 / MIN_UG_PER_IU
"""4e9 IU per 100 g: more would weigh more than 100 g even for vitamin D (SR24 maximum: 100,000 IU vitamin A)."""

MAX_PORTION_GRAMS = 10_000.0
"""A household portion weighs at most 10 kg (SR24's largest is a whole turkey, 8,399 g; FNDDS 6,000 g)."""

MAX_PORTION_AMOUNT = 1_000.0
"""A portion counts at most 1,000 measures (SR24's largest: "56 grams 1 serving")."""

MAX_PRICE = 1_000_000.0
"""A price (of one priced quantity, of 100 g, or of one supplement unit) is at most 1,000,000 in its
currency: far above any food price, with room for currencies such as JPY, KRW or IDR."""

MIN_PRICED_GRAMS = 0.1
"""A price buys at least 0.1 g (SR24's smallest portion is 0.1 g; spices sell by the gram)."""

MAX_PRICED_GRAMS = 1_000_000.0
"""A price buys at most 1,000 kg (one tonne)."""

PRICE_YEARS = (1900, 2100)
"""A price list's date lies in these years (inclusive)."""

MAX_VITAMIN_D_IU_PER_UNIT = 500_000.0
"""Vitamin D per unit: at most 500,000 IU (12,500 µg), ten times the largest common product (50,000 IU)."""

MAX_MAGNESIUM_MG_PER_UNIT = 1_000.0
"""Elemental magnesium per unit: at most 1,000 mg (the largest tablets hold about 500 mg)."""

MAX_UNITS_PER_DAY = 20
"""A label allows at most 20 units a day (the shipped products allow 1–4)."""

MAX_UNITS_PER_PACK = 10_000
"""A pack holds at most 10,000 units (large bottles hold 1,000)."""

MAX_ID_CHARS = 100
"""A food or supplement id is at most 100 characters."""

MAX_CELL_CHARS = 10_000
"""A text cell holds at most 10,000 characters (the shipped notes are under 1,000)."""

MAX_FDC_ID_DIGITS = 18
"""FoodData Central ids are whole numbers of at most 18 digits (they are 6–7 digits today)."""

_MASS_IN_GRAMS = {"g": 1.0, "mg": 1e-3, "ug": 1e-6}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def nutrient_unit(key: str) -> str:
    """The unit a nutrient key ends in (``"mg"`` for ``magnesium_mg``), ``""`` if it names none."""
    unit = key.rsplit("_", 1)[-1] if "_" in key else ""
    return unit if unit in (*_MASS_IN_GRAMS, "kcal", "iu") else ""


def nutrient_maximum(key: str) -> float:
    """The largest possible amount per 100 g in the key's own unit (``inf`` when the key names no unit)."""
    unit = nutrient_unit(key)
    if unit in _MASS_IN_GRAMS:
        return MAX_GRAMS_PER_100G / _MASS_IN_GRAMS[unit]
    if unit == "kcal":
        return MAX_ENERGY_KCAL_PER_100G
    if unit == "iu":
        return MAX_IU_PER_100G
    return float("inf")


def nutrient_limit_problem(key: str, amount: float, *, shown_unit: str | None = None,
                           shown_amount: float | None = None) -> str | None:
    """Why ``amount`` (per 100 g, in the unit of ``key``) is impossible, or ``None`` when it is within limits.

    ``shown_unit``/``shown_amount`` describe the value as the input wrote it (e.g. a ``magnesium_g`` column
    converted to mg) so the message quotes the user's own number.
    """
    if not amount > nutrient_maximum(key) * (1 + 1e-9):
        return None
    unit = nutrient_unit(key)
    written = f"{shown_amount if shown_amount is not None else amount:g} {shown_unit or unit}"
    if unit in _MASS_IN_GRAMS:
        grams = amount * _MASS_IN_GRAMS[unit]
        return (f"{written} per 100 g is {grams:g} g of {key} in 100 g of food; no nutrient can exceed "
                f"{MAX_GRAMS_PER_100G:g} g per 100 g.")
    if unit == "kcal":
        return (f"{written} per 100 g is more energy than pure fat (about 900 kcal per 100 g); the limit is "
                f"{MAX_ENERGY_KCAL_PER_100G:g} kcal per 100 g.")
    return f"{written} per 100 g would weigh more than 100 g; the limit is {MAX_IU_PER_100G:g} IU per 100 g."


def text_problem(text: str, *, limit: int = MAX_CELL_CHARS) -> str | None:
    """Why a text cell is unusable (control character such as NUL, line break, too long), or ``None``."""
    if "\n" in text or "\r" in text:
        return "the cell contains a line break."
    match = _CONTROL.search(text)
    if match:
        code = ord(match.group())
        return f"the cell contains the control character {'NUL' if code == 0 else f'U+{code:04X}'}."
    if len(text) > limit:
        return f"the cell holds {len(text):,} characters; the limit is {limit:,}."
    return None


def date_problem(text: str) -> str | None:
    """Why ``text`` is not a YYYY-MM or YYYY-MM-DD calendar date within :data:`PRICE_YEARS`, or ``None``."""
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", text)
    if not match:
        return f"'{text}' is not a date."
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3) or 1)
    try:
        _dt.date(year, month, day)
    except ValueError as exc:
        return f"'{text}' is not a date ({exc})."
    if not PRICE_YEARS[0] <= year <= PRICE_YEARS[1]:
        return f"'{text}' is not a date between {PRICE_YEARS[0]} and {PRICE_YEARS[1]}."
    return None
