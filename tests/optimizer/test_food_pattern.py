"""The DGA 2020-2025 Healthy U.S.-Style pattern (optimizer.domain.food_pattern)."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

import foods
from optimizer.domain.errors import RequestError
from optimizer.domain.food_pattern import CALORIE_LEVELS, DAILY_KEYS, WEEKLY_KEYS, food_pattern, nearest_level, pattern_table

SHARED = Path("/work/shared/data/dga-2020-2025/healthy_us_style_pattern_table_A3-2.csv")


def test_2000_kcal_is_the_dga_table():
    pattern = food_pattern(2000)
    assert pattern.calorie_level == 2000
    assert pattern.daily == {"fruit_cup_eq": 2, "vegetables_cup_eq": 2.5, "grains_oz_eq": 6, "whole_grains_oz_eq": 3,
                             "refined_grains_oz_eq": 3, "dairy_cup_eq": 3, "protein_foods_oz_eq": 5.5, "oils_g": 27}
    assert pattern.weekly == {"dark_green_vegetables_cup_eq": 1.5, "red_orange_vegetables_cup_eq": 5.5,
                              "legumes_cup_eq": 1.5, "starchy_vegetables_cup_eq": 5, "other_vegetables_cup_eq": 4,
                              "seafood_oz_eq": 8, "meat_poultry_eggs_oz_eq": 26, "nuts_seeds_soy_oz_eq": 5}
    assert pattern.other_uses_kcal == 240
    assert pattern.describe("fruit_cup_eq") == "fruit 2 cup-eq per day"
    assert pattern.describe("seafood_oz_eq") == "seafood 8 oz-eq per week"


@pytest.mark.parametrize("kcal, level", [(1900, 1800), (1901, 2000), (1966, 2000), (500, 1000), (999.9, 1000),
                                         (5000, 3200), (3100, 3000), (1000, 1000), (1050, 1000)])
def test_nearest_calorie_level(kcal, level):
    assert nearest_level(kcal) == level
    assert food_pattern(kcal).requested_kcal == kcal


def test_other_levels_from_the_table():
    assert food_pattern(1000).daily["dairy_cup_eq"] == 2 and food_pattern(1000).weekly["seafood_oz_eq"] == 2.5
    assert food_pattern(3200).daily["oils_g"] == 51 and food_pattern(3200).daily["grains_oz_eq"] == 10
    assert food_pattern(1600).daily["refined_grains_oz_eq"] == 2


def test_whole_grains_are_at_least_half_at_every_level():
    for level in CALORIE_LEVELS:
        daily = food_pattern(level).daily
        assert daily["whole_grains_oz_eq"] >= daily["grains_oz_eq"] / 2
        assert daily["whole_grains_oz_eq"] + daily["refined_grains_oz_eq"] == pytest.approx(daily["grains_oz_eq"])


def test_keys_are_fndds_fped_columns():
    columns = set(foods.load_foods("fndds").frame.columns)
    assert set(DAILY_KEYS) | set(WEEKLY_KEYS) <= columns


@pytest.mark.skipif(not SHARED.exists(), reason="raw DGA transcription not present (not needed at run time)")
def test_shipped_csv_matches_the_shared_transcription():
    table = pattern_table()
    with SHARED.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_component = {row["component"] + "|" + row["unit"]: row for row in rows}
    with open(Path(__file__).parents[2] / "optimizer/data/dga_healthy_us_pattern.csv", encoding="utf-8") as handle:
        shipped = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    assert len(shipped) == len(rows)
    for row in shipped:
        source = by_component[row["component"] + "|" + row["unit"]]
        for level in CALORIE_LEVELS:
            text = source[f"kcal_{level}"]
            expected = 2.5 if text == "2-3" else float(text)
            assert table[row["key"]][level] == expected


@pytest.mark.parametrize("diet", ["vegetarian", "vegan"])
def test_plant_diets_take_protein_from_plants(diet):
    omnivore, plant = food_pattern(2000), food_pattern(2000, diet)
    assert plant.daily == omnivore.daily
    assert plant.weekly["meat_poultry_eggs_oz_eq"] == 0 and plant.weekly["seafood_oz_eq"] == 0
    assert plant.weekly["nuts_seeds_soy_oz_eq"] == 5 + 26 + 8
    assert "fortified" in plant.note


def test_pescatarian_keeps_seafood_and_drops_meat():
    weekly = food_pattern(2000, "pescatarian").weekly
    assert weekly["meat_poultry_eggs_oz_eq"] == 0
    assert weekly["seafood_oz_eq"] + weekly["nuts_seeds_soy_oz_eq"] == 8 + 5 + 26


@pytest.mark.parametrize("bad", [0, -100, math.nan, math.inf, "2000", True, None])
def test_bad_energy_is_a_request_error(bad):
    with pytest.raises(RequestError, match="kcal"):
        food_pattern(bad)  # type: ignore[arg-type]


def test_unknown_diet_is_a_request_error():
    with pytest.raises(RequestError, match="vegan"):
        food_pattern(2000, "keto")
