"""The shipped FNDDS catalogue: values checked against the USDA files, units, categories, portions, FPED, recipes."""

from __future__ import annotations

import importlib.resources

import numpy as np
import pandas as pd
import pytest

import foods
from foods.errors import FoodDataError, UnknownFoodError
from foods.fndds_fped import FPED_KEYS
from foods.table import FoodTable

PUMPKIN_SEEDS = "43101150"
WHOLE_MILK = "11111000"
OATMEAL_WITH_MILK = "56203066"
CHICKEN_CURRY = "27146150"
APPLE = "63101000"


@pytest.fixture(scope="module")
def table() -> FoodTable:
    return foods.load_foods("fndds")


def test_cached_and_default_stays_sr24(table: FoodTable) -> None:
    assert foods.load_foods("fndds") is table and foods.load_foods("FNDDS") is table
    assert foods.load_foods() is foods.load_foods("sr24")
    assert len(foods.load_foods()) == 7907 and "01079" in foods.load_foods()
    with pytest.raises(FoodDataError, match="unknown catalogue 'sr28'") as error:
        foods.load_foods("sr28")
    assert error.value.fix.startswith("Use one of: sr24, fndds")


def test_counts_ids_and_columns(table: FoodTable) -> None:
    frame = table.frame
    assert len(table) == 7083 and frame.index.name == "food_id"
    assert frame.index.str.fullmatch(r"\d{8}").all() and frame.index.is_unique
    for column in ("name", "display_name", "wweia_category", "group", "allergens", "meals", "default_portion",
                   "price_source"):
        assert frame[column].map(type).eq(str).all(), column
    assert frame["wweia_code"].dtype == np.int64
    assert (frame["group"] == frame["wweia_category"]).all()
    assert frame["price_per_100g"].isna().all() and (frame["price_source"] == "").all()
    for column in ("everyday", "vegan", "vegetarian", "pescatarian", "omnivore", "fped_imputed"):
        assert frame[column].dtype == bool, column
    assert frame["omnivore"].all()
    assert set(frame["tags_source"]) == {"recipe", "rules"}


def test_nutrient_values_match_the_usda_files(table: FoodTable) -> None:
    assert table[PUMPKIN_SEEDS]["magnesium_mg"] == 550.0
    assert table[WHOLE_MILK]["vitamin_d_ug"] == pytest.approx(1.1)
    assert table[OATMEAL_WITH_MILK]["calcium_mg"] == 135.0
    assert table[CHICKEN_CURRY]["energy_kcal"] == 106.0
    assert table[WHOLE_MILK]["folate_dfe_ug"] == 0.0  # a real zero, not unknown


def test_units_and_registry(table: FoodTable) -> None:
    registry = foods.nutrient_registry()
    assert set(table.nutrient_columns) <= set(registry.index)
    nutrients = [c for c in table.nutrient_columns if c not in FPED_KEYS]
    assert len(nutrients) == 65
    for key in ("energy_kcal", "protein_g", "magnesium_mg", "vitamin_d_ug", "retinol_ug", "vitamin_a_rae_ug",
                "folate_dfe_ug", "folic_acid_ug", "folate_ug", "caffeine_mg", "alcohol_g", "choline_mg"):
        assert key in nutrients, key
    assert not table.frame[table.nutrient_columns].isna().any().any()  # FNDDS is complete
    assert (table.frame[table.nutrient_columns] >= 0).all().all()
    # total folate = food folate + folic acid (µg) for nearly every food (USDA's own data: 41 exceptions)
    frame = table.frame
    total = (frame["folate_ug"] - frame["folate_food_ug"] - frame["folic_acid_ug"]).abs() <= 1.01
    assert total.mean() > 0.99
    # energy is in kcal: Atwater check on a plain food
    milk = table[WHOLE_MILK]
    atwater = 4 * milk["protein_g"] + 9 * milk["fat_g"] + 4 * milk["carbohydrate_g"]
    assert milk["energy_kcal"] == pytest.approx(atwater, rel=0.1)


def test_wweia_categories(table: FoodTable) -> None:
    frame = table.frame
    assert frame["wweia_category"].nunique() == 167
    assert frame.at[WHOLE_MILK, "wweia_code"] == 1002 and frame.at[WHOLE_MILK, "wweia_category"] == "Milk, whole"
    assert frame.at[CHICKEN_CURRY, "wweia_category"] == "Poultry mixed dishes"
    assert frame.at[PUMPKIN_SEEDS, "group"] == "Nuts and seeds"
    assert len(table.search("nuts", group="nuts and seeds")) > 0


def test_portions_and_usual_portion(table: FoodTable) -> None:
    portions = table.portions
    assert list(portions.columns) == ["food_id", "portion", "amount", "grams"]
    assert (portions["grams"] > 0).all()
    assert not portions["portion"].eq("Quantity not specified").any()
    assert not portions["portion"].str.startswith("Guideline amount").any()
    assert table.portion_for(WHOLE_MILK) == ("1 cup", 244.0)
    assert table.portion_for(APPLE) == ("1 medium", 200.0)
    assert table.portion_for(PUMPKIN_SEEDS) == ("1 oz, without shell", 28.35)
    assert table.portion_for(OATMEAL_WITH_MILK) == ("1 cup, cooked", 240.0)
    milk = table.portions_of(WHOLE_MILK)
    assert milk["portion"].tolist()[:2] == ["1 cup", "1 fl oz"]
    with pytest.raises(UnknownFoodError):
        table.portion_for("99999999")


def test_fped_equivalents(table: FoodTable) -> None:
    frame = table.frame
    assert frame.at[APPLE, "fruit_cup_eq"] == pytest.approx(0.91)
    assert frame.at[WHOLE_MILK, "dairy_cup_eq"] == pytest.approx(0.41)
    assert frame.at[WHOLE_MILK, "fruit_cup_eq"] == 0.0
    assert frame.at[PUMPKIN_SEEDS, "nuts_seeds_soy_oz_eq"] > 3  # ~4 oz eq per 100 g
    assert frame.at[CHICKEN_CURRY, "meat_poultry_eggs_oz_eq"] > 0
    assert not frame["fped_imputed"].any()  # every 2017-18 food is in FPED 2017-18
    assert (frame["whole_grains_oz_eq"] + frame["refined_grains_oz_eq"]
            - frame["grains_oz_eq"]).abs().max() < 0.02
    wine = frame[frame["wweia_category"] == "Wine"]
    assert len(wine) == 12 and (wine["alcoholic_drinks"] > 0).all()


def test_recipes_expand_to_sr_ingredients(table: FoodTable) -> None:
    oatmeal = table.ingredients(OATMEAL_WITH_MILK)
    assert list(oatmeal.columns) == ["sr_id", "description", "grams_per_100g"]
    text = " ".join(oatmeal["description"]).lower()
    assert "oats" in text and "milk" in text
    assert oatmeal["sr_id"].str.fullmatch(r"\d{5,6}").all()  # sub-recipes expanded: no 8-digit codes left
    assert oatmeal["grams_per_100g"].is_monotonic_decreasing
    curry = table.ingredients(CHICKEN_CURRY)
    assert curry["sr_id"].str.startswith("05").any()  # the chicken sub-recipe became SR poultry
    assert not table.recipes["sr_id"].str.len().eq(8).any()
    assert table.ingredients(PUMPKIN_SEEDS)["sr_id"].tolist() == ["12016"]  # = SR 12016, 100 g per 100 g
    assert table.ingredients(PUMPKIN_SEEDS)["grams_per_100g"].iloc[0] == pytest.approx(100.0)
    with pytest.raises(UnknownFoodError):
        table.ingredients("123")


def test_ingredients_on_tables_without_recipes(table: FoodTable) -> None:
    sr24 = foods.load_foods()
    assert sr24.ingredients("01079").empty
    assert list(sr24.ingredients("01079").columns) == ["sr_id", "description", "grams_per_100g"]
    no_recipe = table.frame.index[table.frame["tags_source"] == "rules"][0]
    assert table.ingredients(no_recipe).empty
    custom = FoodTable.from_frame(pd.DataFrame({"food_id": ["x"], "name": ["Mine"], "protein_g": [1.0]}))
    both = table.combine(custom)
    assert both.ingredients("x").empty and len(both.ingredients(OATMEAL_WITH_MILK)) == len(
        table.ingredients(OATMEAL_WITH_MILK))
    small = table.subset([OATMEAL_WITH_MILK]).with_prices(foods.example_prices())
    assert len(small.ingredients(OATMEAL_WITH_MILK)) > 1


def test_search_matches_names_and_display_names(table: FoodTable) -> None:
    found = table.search("chicken curry")
    assert found.index[0] == CHICKEN_CURRY
    assert CHICKEN_CURRY in found.index
    assert WHOLE_MILK in table.search("whole milk").index  # display name "Whole milk" (USDA: "Milk, whole")
    assert OATMEAL_WITH_MILK in table.search("oatmeal with milk").index


def test_display_names(table: FoodTable) -> None:
    frame = table.frame
    assert frame.at[OATMEAL_WITH_MILK, "display_name"] == "Oatmeal with milk"
    assert frame.at[CHICKEN_CURRY, "display_name"] == "Chicken curry"
    assert frame.at[WHOLE_MILK, "display_name"] == "Whole milk"
    assert (frame["display_name"].str.len() > 0).all()
    everyday = frame[frame["everyday"]]
    assert everyday["display_name"].is_unique
    assert everyday["display_name"].str.len().median() < 30


def test_shipped_files_are_compact_and_in_the_package() -> None:
    data = importlib.resources.files("foods").joinpath("data")
    names = ["fndds_foods.csv.gz", "fndds_portions.csv.gz", "fndds_ingredients.csv.gz"]
    sizes = [data.joinpath(n).stat().st_size if hasattr(data.joinpath(n), "stat") else
             len(data.joinpath(n).read_bytes()) for n in names]
    assert sum(sizes) < 3_000_000
    provenance = data.joinpath("PROVENANCE_FNDDS.md").read_text(encoding="utf-8")
    assert "public domain" in provenance and "python -m foods.build_fndds" in provenance
    assert provenance.count("| `") >= 9  # six inputs + three outputs with checksums
