"""Custom-foods CSV: columns, units, unknown vs zero, and every bad-input case (file, row, column named)."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest

from foods.custom import custom_portions, read_custom_foods_csv
from foods.errors import FoodDataError

GOOD = (
    "food_id,name,group,magnesium_mg,vitamin_d_ug,energy_kcal,price_per_100g,portion_name,portion_grams\n"
    'my_bread,"Rye bread, homemade",Baked Products,60,,250,0.45,slice,32\n'
    "01234,Oat drink,Beverages,0,1.5,45,,,\n"
)


def write(tmp_path: Path, text: str, name: str = "custom.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_names(error: FoodDataError, path: Path, row: int, column: str) -> None:
    message = str(error)
    assert path.name in message and error.source == str(path)
    assert error.row == row and f"row {row}" in message
    assert error.column == column and f"'{column}'" in message
    assert "Fix:" in message


def test_reads_ids_as_strings_names_and_units(tmp_path):
    frame = read_custom_foods_csv(write(tmp_path, GOOD))
    assert list(frame.index) == ["my_bread", "01234"]  # leading zero kept: ids are text
    assert frame.index.name == "food_id"
    assert frame.loc["my_bread", "name"] == "Rye bread, homemade"
    assert frame.loc["my_bread", "magnesium_mg"] == 60.0
    assert frame.loc["my_bread", "portion_name"] == "slice" and frame.loc["my_bread", "portion_grams"] == 32.0
    assert frame["magnesium_mg"].dtype == "float64"


def test_blank_nutrient_is_unknown_and_zero_stays_zero(tmp_path):
    frame = read_custom_foods_csv(write(tmp_path, GOOD))
    assert math.isnan(frame.loc["my_bread", "vitamin_d_ug"])
    assert frame.loc["01234", "magnesium_mg"] == 0.0
    assert math.isnan(frame.loc["01234", "price_per_100g"])
    assert frame.loc["01234", "price_source"] == ""
    assert frame.loc["my_bread", "price_source"] == f"custom foods file {tmp_path / 'custom.csv'}"


def test_group_defaults_to_empty_and_only_required_columns_suffice(tmp_path):
    frame = read_custom_foods_csv(write(tmp_path, "food_id,name\nx,Food X\n"))
    assert list(frame.columns) == ["name", "group"]
    assert frame.loc["x", "group"] == ""


def test_vitamin_d_iu_becomes_ug_and_mass_units_follow_the_registry(tmp_path):
    text = "food_id,name,vitamin_d_iu,magnesium_g,selenium_mg\nx,X,400,0.12,0.05\n"
    frame = read_custom_foods_csv(write(tmp_path, text))
    assert frame.loc["x", "vitamin_d_ug"] == pytest.approx(10.0)
    assert frame.loc["x", "magnesium_mg"] == pytest.approx(120.0)
    assert frame.loc["x", "selenium_ug"] == pytest.approx(50.0)
    assert "vitamin_d_iu" not in frame.columns and "magnesium_g" not in frame.columns


def test_new_nutrients_with_a_unit_are_allowed(tmp_path):
    frame = read_custom_foods_csv(write(tmp_path, "food_id,name,inulin_g,resveratrol_ug\nx,X,3.5,12\n"))
    assert frame.loc["x", "inulin_g"] == 3.5 and frame.loc["x", "resveratrol_ug"] == 12.0


def test_tags_meals_and_allergens_are_parsed(tmp_path):
    text = "food_id,name,vegan,everyday,meals,allergens\nx,X,yes,TRUE,snack; Breakfast,soy\ny,Y,,no,,\n"
    frame = read_custom_foods_csv(write(tmp_path, text))
    assert frame.loc["x", "vegan"] is True and frame.loc["x", "everyday"] is True
    assert frame.loc["y", "vegan"] is None and frame.loc["y", "everyday"] is False  # blank: rules decide
    assert frame.loc["x", "meals"] == "breakfast;snack"
    assert frame.loc["x", "allergens"] == "soy"


def test_reads_file_objects_such_as_uploads():
    upload = io.BytesIO(GOOD.encode("utf-8"))
    upload.name = "upload.csv"
    frame = read_custom_foods_csv(upload)
    assert len(frame) == 2


def test_portions_table_from_custom_foods(tmp_path):
    portions = custom_portions(read_custom_foods_csv(write(tmp_path, GOOD)))
    assert portions.to_dict("records") == [{"food_id": "my_bread", "portion": "slice", "amount": 1.0, "grams": 32.0}]
    assert custom_portions(read_custom_foods_csv(write(tmp_path, "food_id,name\nx,X\n"))).empty


def test_blank_lines_do_not_shift_row_numbers(tmp_path):
    path = write(tmp_path, "food_id,name,magnesium_mg\na,A,1\n\nb,B,lots\n")
    with pytest.raises(FoodDataError) as caught:
        read_custom_foods_csv(path)
    assert_names(caught.value, path, 4, "magnesium_mg")


@pytest.mark.parametrize(
    ("text", "row", "column", "reason"),
    [
        ("food_id,magnesium_mg\na,1\n", 1, "name", "missing"),
        ("name,magnesium_mg\nA,1\n", 1, "food_id", "missing"),
        ("food_id,name,magnesium_mg\na,A,12 mg\n", 2, "magnesium_mg", "not a number"),
        ("food_id,name,magnesium_mg\na,A,1\nb,B,-3\n", 3, "magnesium_mg", "negative"),
        ("food_id,name\na,A\nb,B\na,A again\n", 4, "food_id", "duplicate food id 'a'"),
        ("food_id,name\na,A\n,B\n", 3, "food_id", "blank"),
        ("food_id,name\na,\n", 2, "name", "blank"),
        ("food_id,name,magnesium\na,A,1\n", 1, "magnesium", "unknown unit"),
        ("food_id,name,magnesium_kg\na,A,1\n", 1, "magnesium_kg", "unknown unit"),
        ("food_id,name,Magnesium (mg)\na,A,1\n", 1, "Magnesium (mg)", "snake_case"),
        ("food_id,name,magnesium_mg,magnesium_g\na,A,1,0.001\n", 1, "magnesium_g", "same nutrient"),
        ("food_id,name,price_per_100g\na,A,-0.5\n", 2, "price_per_100g", "negative"),
        ("food_id,name,price_per_100g\na,A,$1\n", 2, "price_per_100g", "not a number"),
        ("food_id,name,portion_name\na,A,slice\n", 1, "portion_grams", "without"),
        ("food_id,name,portion_name,portion_grams\na,A,slice,\n", 2, "portion_grams", "blank"),
        ("food_id,name,portion_name,portion_grams\na,A,slice,0\n", 2, "portion_grams", "greater than 0"),
        ("food_id,name,vegan\na,A,maybe\n", 2, "vegan", "yes/no"),
        ("food_id,name,meals\na,A,brunch\n", 2, "meals", "brunch"),
        ("food_id,name,food_id\na,A,b\n", 1, "food_id", "twice"),
    ],
)
def test_bad_input_raises_one_clear_error(tmp_path, text, row, column, reason):
    path = write(tmp_path, text)
    with pytest.raises(FoodDataError) as caught:
        read_custom_foods_csv(path)
    assert_names(caught.value, path, row, column)
    assert reason in str(caught.value)


def test_extra_cells_in_a_row_are_an_error(tmp_path):
    path = write(tmp_path, "food_id,name\na,A,surplus\n")
    with pytest.raises(FoodDataError) as caught:
        read_custom_foods_csv(path)
    assert caught.value.row == 2 and "cells" in str(caught.value)


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(FoodDataError, match="file not found"):
        read_custom_foods_csv(tmp_path / "nope.csv")
    with pytest.raises(FoodDataError, match="empty"):
        read_custom_foods_csv(write(tmp_path, ""))
    path = tmp_path / "latin1.csv"
    path.write_bytes("food_id,name\na,Cr\xe8me\n".encode("latin-1"))
    with pytest.raises(FoodDataError, match="UTF-8"):
        read_custom_foods_csv(path)


def test_an_error_anywhere_loads_nothing(tmp_path):
    good = read_custom_foods_csv(write(tmp_path, GOOD, "good.csv"))
    before = good.copy()
    bad = GOOD + "zzz,Bad food,Other,-1,,,,,\n"
    with pytest.raises(FoodDataError):
        read_custom_foods_csv(write(tmp_path, bad, "bad.csv"))
    assert good.equals(before)


def test_food_table_from_csv_uses_this_reader(tmp_path):
    import foods

    table = foods.FoodTable.from_csv(write(tmp_path, GOOD))
    assert table.portion_for("my_bread") == ("slice", 32.0)
    assert table["my_bread"]["magnesium_mg"] == 60.0 and math.isnan(table["my_bread"]["vitamin_d_ug"])
    path = write(tmp_path, GOOD + "bad,Bad,Other,lots,,,,,\n", "bad.csv")
    with pytest.raises(FoodDataError) as caught:
        foods.FoodTable.from_csv(path)
    assert_names(caught.value, path, 4, "magnesium_mg")
