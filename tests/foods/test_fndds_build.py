"""The FNDDS builder and its parts: recipe expansion, FPED fill, portions, display names, curated list, determinism."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from foods.build_fndds import FOODS_FILE, INGREDIENTS_FILE, PORTIONS_FILE, PROVENANCE_FILE, build, normalise_header, read_table
from foods.display_names import display_name
from foods.errors import FoodDataError
from foods.fndds_everyday import read_curated
from foods.fndds_fped import FPED_KEYS, impute_fped
from foods.fndds_portions import clean_portions, usual_portions
from foods.fndds_recipes import RecipeLine, expand_recipes, ingredient_id

ROOT = Path(__file__).resolve().parents[2]
SHARED = next((p for p in (Path("/work/shared/data/fndds"), ROOT.parent / "shared/data/fndds") if p.is_dir()), None)
needs_shared = pytest.mark.skipif(SHARED is None, reason="raw FNDDS files not available (only needed to rebuild)")


def test_recipes_expand_sub_recipes_with_moisture_change() -> None:
    lines = {"11111111": [RecipeLine("1077", "Milk", 50.0), RecipeLine("22222222", "Sub", 50.0)],
             "22222222": [RecipeLine("8120", "Oats", 30.0), RecipeLine("14411", "Water", 70.0)]}
    out = expand_recipes(lines, {"11111111": 0.0, "22222222": -50.0})
    dish = out[out["food_id"] == "11111111"].set_index("sr_id")["grams_per_100g"]
    # sub-recipe: 100 g of ingredients cook down to 50 g, so 100 g of it holds 60 g oats + 140 g water (raw)
    assert dish.to_dict() == pytest.approx({"01077": 50.0, "08120": 30.0, "14411": 70.0})
    assert out.columns.tolist() == ["food_id", "sr_id", "description", "grams_per_100g"]
    assert ingredient_id("1077") == "01077" and ingredient_id("907971") == "907971"


def test_recipe_errors_are_named() -> None:
    with pytest.raises(FoodDataError, match="has no recipe"):
        expand_recipes({"11111111": [RecipeLine("33333333", "Missing", 10.0)]}, {})
    with pytest.raises(FoodDataError, match="cycle"):
        expand_recipes({"11111111": [RecipeLine("22222222", "B", 1.0)],
                        "22222222": [RecipeLine("11111111", "A", 1.0)]}, {})


def test_fped_fill_uses_the_category_median() -> None:
    fped = pd.DataFrame({k: [1.0, 3.0, np.nan, 5.0, np.nan] for k in FPED_KEYS}, index=list("abcde"))
    codes = pd.Series([10, 10, 10, 20, 30], index=list("abcde"))
    filled, imputed = impute_fped(fped, codes)
    assert imputed.tolist() == [False, False, True, False, True]
    assert filled.loc["c", "fruit_cup_eq"] == 2.0  # median of category 10
    assert filled.loc["e", "fruit_cup_eq"] == 3.0  # no values in category 30: overall median
    assert not filled.isna().any().any()


def test_portions_drop_placeholders_and_pick_the_usual_one() -> None:
    raw = pd.DataFrame({"food_id": ["1"] * 6 + ["2"], "subcode": ["", "", "", "", "", "5", ""],
                        "seq": [1, 2, 3, 4, 5, 6, 1],
                        "portion": ["1 cup", "1 oz", "Quantity not specified", "Guideline amount per cup", "1 tbsp",
                                    "1 brand bar", "Quantity not specified"],
                        "grams": [150.0, 28.0, 30.0, 61.0, 0.0, 40.0, 0.0]})
    portions = clean_portions(raw, pd.Index(["1", "2"]))
    assert portions["portion"].tolist() == ["1 cup", "1 oz"] and portions["amount"].eq(1.0).all()
    usual = usual_portions(raw, portions)
    assert usual.loc["1"].tolist() == ["1 oz", 28.0] and "2" not in usual.index


def test_display_name_rules() -> None:
    assert display_name("Oatmeal, regular or quick, made with milk, no added fat") == "Oatmeal with milk"
    assert display_name("Milk, whole") == "Whole milk"
    assert display_name("Milk, fat free (skim)") == "Skim milk"
    assert display_name("Chicken curry") == "Chicken curry"
    assert display_name("Rice, brown, cooked, no added fat") == "Brown rice"
    assert display_name("Veal, roasted, NS as to fat eaten") == "Roasted veal"


def test_read_table_skips_the_title_record_and_normalises_headers(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    text = '\ufeff"Title\nsecond line",,\nFood code,"Sugars, total\n(g)",4:0    (g)\n1,2,3\n'
    path.write_text(text, encoding="utf-8")
    table = read_table(path, "Food code")
    assert table.columns.tolist() == ["Food code", "Sugars, total (g)", "4:0 (g)"] and table.iloc[0].tolist() == [
        "1", "2", "3"]
    assert normalise_header("a\n  b") == "a b"
    with pytest.raises(FoodDataError, match="no header row") as error:
        read_table(path, "FOODCODE")
    assert error.value.row == 1 and error.value.fix


def test_curated_list_errors() -> None:
    ids = pd.Index(["11111000"])
    header = "food_id,everyday,display_name,default_portion,meals,note\n"
    assert read_curated(io.StringIO(header + "11111000,yes,Whole milk,,breakfast,\n"), ids).loc[
        "11111000", "display_name"] == "Whole milk"
    for body, column in (("99999999,yes,,,,\n", "food_id"), ("11111000,maybe,,,,\n", "everyday"),
                         ("11111000,yes,,,brunch,\n", "meals")):
        with pytest.raises(FoodDataError) as error:
            read_curated(io.StringIO(header + body), ids)
        assert error.value.column == column and error.value.row == 2
    with pytest.raises(FoodDataError, match="column 'note' is missing"):
        read_curated(io.StringIO("food_id,everyday,display_name,default_portion,meals\n"), ids)


@needs_shared
def test_building_twice_gives_the_same_bytes_as_shipped(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    counts = build(SHARED, first)
    build(SHARED, second)
    shipped = ROOT / "foods" / "data"
    for name in (FOODS_FILE, PORTIONS_FILE, INGREDIENTS_FILE, PROVENANCE_FILE):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
        assert (first / name).read_bytes() == (shipped / name).read_bytes(), f"{name}: rebuild and commit"
    assert counts["foods"] == 7083 and counts["with_recipe"] == 6874 and counts["fped_given"] == 7083
