"""The DGA 2020–2025 Healthy U.S.-Style Dietary Pattern: food-group amounts for a calorie level.

Source: Dietary Guidelines for Americans 2020–2025, Appendix 3, Table A3-2 (USDA & HHS, public domain), shipped as
``optimizer/data/dga_healthy_us_pattern.csv`` (provenance in its header). Amounts are in the units of the FNDDS FPED
columns they are compared with (``foods.fndds_fped.FPED_KEYS``): cup equivalents (fruit, vegetables, dairy), ounce
equivalents (grains, protein foods) and grams (oils); groups per day, vegetable and protein subgroups per week.

:func:`food_pattern` picks the nearest of the 12 levels (1,000 to 3,200 kcal; children from 1,000 kcal). The DGA
vegetarian table (A3-4) is not shipped: for ``vegetarian``/``vegan`` the same groups are kept, the weekly meat,
poultry, eggs and seafood ounces move to nuts, seeds and soy (beans and lentils count as protein too), and dairy may
be fortified soy alternatives (FPED counts them as dairy); ``pescatarian`` moves only the meat ounces to seafood
half and half with nuts, seeds and soy. See ``docs/meal-model.md``.
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
import math

from pydantic import BaseModel, ConfigDict, Field

from optimizer.domain.errors import RequestError

PATTERN_FILE = "dga_healthy_us_pattern.csv"
SOURCE = "DGA 2020-2025 Appendix 3, Table A3-2 (Healthy U.S.-Style Dietary Pattern, ages 2 and older)"
CALORIE_LEVELS: tuple[int, ...] = (1000, 1200, 1400, 1600, 1800, 2000, 2200, 2400, 2600, 2800, 3000, 3200)
DAILY_KEYS: tuple[str, ...] = ("fruit_cup_eq", "vegetables_cup_eq", "grains_oz_eq", "whole_grains_oz_eq",
                               "refined_grains_oz_eq", "dairy_cup_eq", "protein_foods_oz_eq", "oils_g")
WEEKLY_KEYS: tuple[str, ...] = ("dark_green_vegetables_cup_eq", "red_orange_vegetables_cup_eq", "legumes_cup_eq",
                                "starchy_vegetables_cup_eq", "other_vegetables_cup_eq", "seafood_oz_eq",
                                "meat_poultry_eggs_oz_eq", "nuts_seeds_soy_oz_eq")
DIETS = ("omnivore", "pescatarian", "vegetarian", "vegan")
LABELS: dict[str, str] = {
    "fruit_cup_eq": "fruit", "vegetables_cup_eq": "vegetables", "grains_oz_eq": "grains",
    "whole_grains_oz_eq": "whole grains", "refined_grains_oz_eq": "refined grains", "dairy_cup_eq": "dairy",
    "protein_foods_oz_eq": "protein foods", "oils_g": "oils", "dark_green_vegetables_cup_eq": "dark-green vegetables",
    "red_orange_vegetables_cup_eq": "red and orange vegetables", "legumes_cup_eq": "beans, peas, lentils",
    "starchy_vegetables_cup_eq": "starchy vegetables", "other_vegetables_cup_eq": "other vegetables",
    "seafood_oz_eq": "seafood", "meat_poultry_eggs_oz_eq": "meats, poultry, eggs",
    "nuts_seeds_soy_oz_eq": "nuts, seeds, soy products",
}
UNITS: dict[str, str] = {key: ("g" if key == "oils_g" else "cup-eq" if key.endswith("cup_eq") else "oz-eq")
                         for key in LABELS}


class FoodPattern(BaseModel):
    """Food-group amounts at one calorie level: ``daily`` per day, ``weekly`` per week (FPED keys)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    calorie_level: int = Field(description="the DGA calorie level used, kcal/day")
    requested_kcal: float = Field(description="the energy asked for, kcal/day")
    diet: str = "omnivore"
    daily: dict[str, float] = Field(description="cup-eq, oz-eq or g per day")
    weekly: dict[str, float] = Field(description="cup-eq or oz-eq per week")
    other_uses_kcal: float = Field(description="limit on calories for other uses, kcal/day")
    source: str = SOURCE
    note: str = ""

    def describe(self, key: str) -> str:
        """Plain words for one amount, e.g. ``"fruit 2 cup-eq per day"``."""
        if key in self.daily:
            return f"{LABELS[key]} {self.daily[key]:g} {UNITS[key]} per day"
        return f"{LABELS[key]} {self.weekly[key]:g} {UNITS[key]} per week"


@functools.cache
def pattern_table() -> dict[str, dict[int, float]]:
    """The shipped table: FPED key (or ``other_uses_kcal`` / ``other_uses_percent``) -> {kcal level: amount}."""
    with importlib.resources.files("optimizer").joinpath("data", PATTERN_FILE).open("r", encoding="utf-8") as h:
        rows = list(csv.DictReader(line for line in h if not line.startswith("#")))
    return {row["key"]: {level: float(row[f"kcal_{level}"]) for level in CALORIE_LEVELS} for row in rows}


def nearest_level(energy_kcal: float) -> int:
    """The DGA calorie level nearest ``energy_kcal`` (kcal/day); halfway rounds down; clamped to 1,000–3,200."""
    if isinstance(energy_kcal, bool) or not isinstance(energy_kcal, (int, float)) or not math.isfinite(energy_kcal) \
            or energy_kcal <= 0:
        raise RequestError(f"energy {energy_kcal!r} kcal/day is not a positive finite number: give the day's energy "
                           "need in kcal (e.g. 2000).")
    return min(CALORIE_LEVELS, key=lambda level: (abs(level - float(energy_kcal)), level))


def food_pattern(energy_kcal: float, diet: str = "omnivore") -> FoodPattern:
    """The Healthy U.S.-Style pattern at the level nearest ``energy_kcal`` (kcal/day) for a diet pattern.

    Raises :class:`RequestError` for a non-positive or non-finite energy or an unknown diet.
    """
    if diet not in DIETS:
        raise RequestError(f"unknown diet '{diet}': use one of {', '.join(DIETS)}.")
    level = nearest_level(energy_kcal)
    table = pattern_table()
    daily = {key: table[key][level] for key in DAILY_KEYS}
    weekly = {key: table[key][level] for key in WEEKLY_KEYS}
    note = ""
    if diet in ("vegetarian", "vegan"):
        weekly["nuts_seeds_soy_oz_eq"] += weekly["meat_poultry_eggs_oz_eq"] + weekly["seafood_oz_eq"]
        weekly["meat_poultry_eggs_oz_eq"] = weekly["seafood_oz_eq"] = 0.0
        note = ("Vegetarian/vegan: protein foods from beans, lentils, soy, nuts and seeds; dairy or fortified soy "
                "alternatives (the DGA vegetarian table A3-4 is not shipped).")
    elif diet == "pescatarian":
        moved = weekly["meat_poultry_eggs_oz_eq"]
        weekly["seafood_oz_eq"] += moved / 2
        weekly["nuts_seeds_soy_oz_eq"] += moved / 2
        weekly["meat_poultry_eggs_oz_eq"] = 0.0
        note = "Pescatarian: the meat, poultry and egg ounces go half to seafood, half to nuts, seeds and soy."
    return FoodPattern(calorie_level=level, requested_kcal=float(energy_kcal), diet=diet, daily=daily, weekly=weekly,
                       other_uses_kcal=table["other_uses_kcal"][level], note=note)
