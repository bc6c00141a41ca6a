"""Price lists: unit conversion to price per 100 g, the shipped BLS list, and every bad-input case."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest

import foods
from foods.errors import PriceListError
from foods.prices import COLUMNS, PriceList, example_prices, load_price_list

SHARED_BLS = Path("/work/shared/data/bls_prices_2026-04.csv")


def write(tmp_path: Path, text: str, name: str = "prices.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_names(error: PriceListError, path: Path, row: int, column: str) -> None:
    message = str(error)
    assert error.source == str(path) and path.name in message
    assert error.row == row and f"row {row}" in message
    assert error.column == column and f"'{column}'" in message
    assert "Fix:" in message


def small_foods() -> foods.FoodTable:
    frame = pd.DataFrame({"name": ["Almonds", "Spinach, raw", "Flour"], "magnesium_mg": [270.0, 79.0, 22.0]},
                         index=pd.Index(["12061", "11457", "20081"], name="food_id"))
    return foods.FoodTable.from_frame(frame, source="test foods")


@pytest.mark.parametrize(
    ("quantity", "unit", "grams"),
    [("1", "lb", 453.59237), ("2", "kg", 2000.0), ("500", "g", 500.0), ("16", "oz", 453.59237), ("1", "LB", 453.59237)],
)
def test_units_convert_to_price_per_100g(tmp_path, quantity, unit, grams):
    prices = load_price_list(write(tmp_path, f"food_id,price,quantity,unit\n12061,9.00,{quantity},{unit}\n"))
    row = prices.frame.iloc[0]
    assert row["grams"] == pytest.approx(grams)
    assert row["price_per_100g"] == pytest.approx(9.00 / grams * 100)
    assert row["unit"] == unit.lower()


def test_explicit_grams_column_alone(tmp_path):
    text = "food_id,price,grams,currency,date,source\n01077,1.20,946,USD,2026-05,corner shop\n"
    prices = load_price_list(write(tmp_path, text))
    row = prices.frame.iloc[0]
    assert row["food_id"] == "01077"  # ids stay text: the leading zero survives
    assert row["quantity"] == 946 and row["unit"] == "g"
    assert row["price_per_100g"] == pytest.approx(1.20 / 9.46)
    assert prices.per_food().loc["01077", "price_source"] == "corner shop, 2026-05"


def test_grams_and_quantity_must_agree(tmp_path):
    ok = load_price_list(write(tmp_path, "food_id,price,quantity,unit,grams\n12061,1,1,lb,453.6\n"))
    assert ok.frame.iloc[0]["grams"] == 453.6  # explicit grams (BLS defines lb = 453.6 g) win
    path = write(tmp_path, "food_id,price,quantity,unit,grams\n12061,1,1,lb,400\n")
    with pytest.raises(PriceListError) as caught:
        load_price_list(path)
    assert_names(caught.value, path, 2, "grams")


def test_frame_contract_and_defaults(tmp_path):
    prices = load_price_list(write(tmp_path, "food_id,price,quantity,unit\n12061,9,1,lb\n"))
    assert list(prices.frame.columns) == list(COLUMNS)
    row = prices.frame.iloc[0]
    assert row["currency"] == "USD" and row["date"] == "" and "prices.csv" in row["source"]
    assert isinstance(prices, PriceList) and foods.load_price_list is load_price_list


def test_shipped_bls_list(tmp_path):
    prices = example_prices()
    assert foods.example_prices() is prices
    frame = prices.frame
    assert len(frame) == 10 and frame["food_id"].is_unique
    assert set(frame["currency"]) == {"USD"} and set(frame["date"]) == {"2026-04"}
    assert frame["source"].str.contains("https://www.bls.gov/").all()
    flour = frame.set_index("food_id").loc["20081"]
    assert flour["price"] == 0.543 and flour["grams"] == 453.6
    assert flour["price_per_100g"] == pytest.approx(0.543 / 4.536)
    # 23572 (ground beef 80/20) is priced once, by the "Ground chuck" row
    beef = frame.set_index("food_id").loc["23572"]
    assert beef["item"] == "Ground chuck, 100% beef" and beef["price"] == 6.921


@pytest.mark.skipif(not SHARED_BLS.is_file(), reason="raw BLS file not available")
def test_shipped_list_matches_the_raw_bls_rows():
    with SHARED_BLS.open(encoding="utf-8") as handle:
        raw = list(csv.DictReader(handle))
    shipped = example_prices().frame.set_index("food_id")
    kept = {}
    for row in raw:  # first row per SR24 id, in BLS table order
        kept.setdefault(row["sr24_id"], row)
    assert set(shipped.index) == set(kept)
    for food_id, row in kept.items():
        assert shipped.loc[food_id, "price"] == float(row["price_usd"])
        assert shipped.loc[food_id, "grams"] == float(row["grams_per_unit"])
        assert shipped.loc[food_id, "item"] == row["item"]


def test_prices_are_known_only_for_listed_foods():
    table = small_foods().with_prices(example_prices())
    assert table["20081"]["price_per_100g"] == pytest.approx(0.543 / 4.536)
    assert "BLS" in table["20081"]["price_source"]
    assert math.isnan(table["12061"]["price_per_100g"]) and table["12061"]["price_source"] == ""


def test_last_list_wins_per_food(tmp_path):
    mine = load_price_list(write(tmp_path, "food_id,price,grams,source\n20081,0.30,100,my shop\n"))
    table = small_foods().with_prices(example_prices(), mine)
    assert table["20081"]["price_per_100g"] == pytest.approx(0.30)
    combined = example_prices().combine(mine)
    assert combined.price_per_100g("20081") == pytest.approx(0.30) and len(combined) == 10
    assert math.isnan(combined.price_per_100g("12061"))


def test_food_ids_are_checked_against_a_food_table(tmp_path):
    table = small_foods()
    assert len(load_price_list(write(tmp_path, "food_id,price,grams\n12061,2,100\n"), foods=table)) == 1
    path = write(tmp_path, "food_id,price,grams\n12061,2,100\n99999,1,100\n", "unknown.csv")
    with pytest.raises(PriceListError) as caught:
        load_price_list(path, foods=table)
    assert_names(caught.value, path, 3, "food_id")
    assert "unknown food id '99999'" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "row", "column", "reason"),
    [
        ("food_id,quantity,unit\n12061,1,lb\n", 1, "price", "missing"),
        ("price,quantity,unit\n1,1,lb\n", 1, "food_id", "missing"),
        ("food_id,price,quantity\n12061,1,1\n", 1, "unit", "missing column 'unit'"),
        ("food_id,price,unit\n12061,1,lb\n", 1, "quantity", "missing column 'quantity'"),
        ("food_id,price,quantity,unit\n12061,$4,1,lb\n", 2, "price", "not a number"),
        ("food_id,price,quantity,unit\n12061,4,one,lb\n", 2, "quantity", "not a number"),
        ("food_id,price,quantity,unit\n12061,-4,1,lb\n", 2, "price", "greater than 0"),
        ("food_id,price,quantity,unit\n12061,0,1,lb\n", 2, "price", "greater than 0"),
        ("food_id,price,quantity,unit\n12061,4,0,lb\n", 2, "quantity", "greater than 0"),
        ("food_id,price,quantity,unit\n12061,4,-1,lb\n", 2, "quantity", "greater than 0"),
        ("food_id,price,grams\n12061,4,-100\n", 2, "grams", "greater than 0"),
        ("food_id,price,quantity,unit\n12061,4,1,cup\n", 2, "unit", "unknown unit 'cup'"),
        ("food_id,price,quantity,unit\n12061,4,1,\n", 2, "unit", "blank"),
        ("food_id,price,quantity,unit\n12061,4,1,lb\n11457,2,1,kg\n12061,5,2,lb\n", 4, "food_id",
         "duplicate food id '12061' within one list"),
        ("food_id,price,quantity,unit\n,4,1,lb\n", 2, "food_id", "blank"),
        ("food_id,price,grams\n12061,4,\n", 2, "grams", "neither"),
        ("food_id,price,grams,currency\n12061,4,100,dollars\n", 2, "currency", "currency code"),
        ("food_id,price,grams,currency\n12061,4,100,USD\n11457,4,100,EUR\n", 3, "currency", "mixes currencies"),
        ("food_id,price,grams,date\n12061,4,100,April 2026\n", 2, "date", "not a date"),
    ],
)
def test_bad_input_raises_one_clear_error(tmp_path, text, row, column, reason):
    path = write(tmp_path, text)
    with pytest.raises(PriceListError) as caught:
        load_price_list(path)
    assert_names(caught.value, path, row, column)
    assert reason in str(caught.value)


def test_a_failed_load_changes_nothing(tmp_path):
    table = small_foods().with_prices(example_prices())
    before = table.frame.copy()
    shipped_before = example_prices().frame
    bad = write(tmp_path, "food_id,price,grams\n12061,2,100\n11457,oops,100\n")
    with pytest.raises(PriceListError):
        table = table.with_prices(load_price_list(bad))
    assert table.frame.equals(before)
    assert example_prices().frame.equals(shipped_before)


def test_shipped_prices_name_real_catalogue_foods():
    catalogue = foods.load_foods()
    shipped_file = Path(foods.__file__).parent / "data" / "prices_bls_2026-04.csv"
    prices = load_price_list(shipped_file, foods=catalogue)  # every id exists in the shipped SR24 catalogue
    assert catalogue[prices.food_ids[0]]["name"].startswith("Wheat flour, white, all-purpose")
    priced = catalogue.with_prices(prices).frame["price_per_100g"]
    assert priced.notna().sum() == 10 and priced.isna().sum() == len(catalogue) - 10  # the rest stay unknown
