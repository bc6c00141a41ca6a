"""Supplement catalogue: shipped products, label arithmetic, user files and every bad-input case."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import foods
from foods.errors import SupplementDataError
from foods.supplements import COLUMNS, SupplementCatalogue, load_supplements, read_supplements_csv

HEADER = "supplement_id,name,form,vitamin_d_ug_per_unit,vitamin_d_iu_per_unit,magnesium_mg_per_unit,schedule\n"

#: Elemental magnesium fractions (%), the table the shipped labels are derived from.
ELEMENTAL_PERCENT = {
    "magnesium_oxide": 60.3, "magnesium_citrate": 16.2, "magnesium_glycinate": 14.1, "magnesium_malate": 15.5,
    "magnesium_chloride": 12.0, "magnesium_lactate": 10.2, "magnesium_threonate": 8.3, "magnesium_taurate": 8.9,
}


def write(tmp_path: Path, text: str, name: str = "mine.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_names(error: SupplementDataError, path: Path, row: int, column: str) -> None:
    message = str(error)
    assert error.source == str(path) and path.name in message
    assert error.row == row and f"row {row}" in message
    assert error.column == column and f"'{column}'" in message
    assert "Fix:" in message


@pytest.fixture(scope="module")
def shipped() -> SupplementCatalogue:
    return load_supplements()


def test_public_names_and_frame_contract(shipped):
    assert foods.load_supplements is load_supplements
    assert foods.SupplementCatalogue is SupplementCatalogue
    frame = shipped.frame
    assert frame.index.name == "supplement_id"
    assert list(frame.columns) == list(COLUMNS)
    assert frame.index.is_unique
    assert set(frame["schedule"]) == {"daily", "weekly"}
    assert (frame["absorption_factor"] == 1.0).all()
    assert frame["price_per_unit"].isna().all()  # no invented prices
    assert (frame["max_units_per_day"] >= 1).all()


def test_loading_twice_returns_the_cached_catalogue(shipped):
    assert load_supplements() is shipped


def test_vitamin_d_strengths_for_d3_and_d2(shipped):
    frame = shipped.frame
    for form in ("vitamin_d3", "vitamin_d2"):
        daily = frame[(frame["form"] == form) & (frame["schedule"] == "daily")]
        assert sorted(daily["vitamin_d_iu_per_unit"]) == [400, 1000, 2000, 5000]
        weekly = frame[(frame["form"] == form) & (frame["schedule"] == "weekly")]
        assert list(weekly["vitamin_d_iu_per_unit"]) == [50000]
        assert list(weekly["vitamin_d_ug_per_unit"]) == [1250]
    assert (frame["vitamin_d_ug_per_unit"] * 40 == frame["vitamin_d_iu_per_unit"]).all()


def test_every_magnesium_form_is_shipped_with_its_derivation(shipped):
    frame = shipped.frame
    for form, percent in ELEMENTAL_PERCENT.items():
        products = frame[frame["form"] == form]
        assert len(products) >= 1, form
        for supplement_id, product in products.iterrows():
            # notes read "<salt mg> mg <salt> × <percent> % ≈ <elemental> mg"; check the arithmetic
            match = re.search(r"(\d+) mg .*? × ([\d.]+) % ≈ (\d+) mg", product["notes"])
            assert match, supplement_id
            salt_mg, stated_percent, elemental = float(match[1]), float(match[2]), float(match[3])
            assert stated_percent == percent
            assert round(salt_mg * percent / 100) == elemental == product["magnesium_mg_per_unit"]
            assert product["vitamin_d_ug_per_unit"] == 0


def test_a_combined_d3_magnesium_product_exists(shipped):
    frame = shipped.frame
    combos = frame[(frame["vitamin_d_ug_per_unit"] > 0) & (frame["magnesium_mg_per_unit"] > 0)]
    assert len(combos) >= 1
    assert set(combos["form"]) == {"combo_d3_magnesium"}


def test_get_contains_ids_and_weekly_average(shipped):
    assert "d3_1000iu" in shipped and "nothing" not in shipped
    assert shipped.get("d3_1000iu")["vitamin_d_ug_per_unit"] == 25.0
    assert shipped.ids[0] == "d3_400iu" and len(shipped.ids) == len(shipped)
    assert shipped.daily_vitamin_d_ug("d3_50000iu_weekly") == pytest.approx(1250 / 7)
    with pytest.raises(KeyError, match="Unknown supplement id 'nothing'"):
        shipped.get("nothing")


def test_frame_is_a_copy(shipped):
    frame = shipped.frame
    frame.loc["d3_400iu", "vitamin_d_ug_per_unit"] = 999
    assert shipped.get("d3_400iu")["vitamin_d_ug_per_unit"] == 10.0


def test_user_file_adds_products_and_wins_on_a_shared_id(tmp_path, shipped):
    rows = "my_d,My D3,vitamin_d3,,800,,daily\nd3_1000iu,My cheaper D3,vitamin_d3,25,,,daily\n"
    path = write(tmp_path, HEADER + rows)
    combined = load_supplements(path)
    assert len(combined) == len(shipped) + 1
    assert combined.get("my_d")["vitamin_d_ug_per_unit"] == 20.0  # IU only: µg filled
    assert combined.get("d3_1000iu")["name"] == "My cheaper D3"
    assert combined.get("d3_1000iu")["vitamin_d_iu_per_unit"] == 1000.0  # µg only: IU filled
    assert combined.ids.index("d3_1000iu") == shipped.ids.index("d3_1000iu")  # replaced in place
    assert shipped.get("d3_1000iu")["name"] != "My cheaper D3"  # shipped catalogue untouched


def test_defaults_for_optional_columns(tmp_path):
    text = "supplement_id,name,schedule,magnesium_mg_per_unit\nm,Mg,daily,100\n"
    catalogue = read_supplements_csv(write(tmp_path, text))
    product = catalogue.get("m")
    assert product["form"] == "magnesium"
    assert product["vitamin_d_ug_per_unit"] == 0 and product["vitamin_d_iu_per_unit"] == 0
    assert product["max_units_per_day"] == 1 and product["absorption_factor"] == 1.0
    assert product["source"].startswith("user file")


def test_label_rounding_is_tolerated(tmp_path):
    # a label printing "1.3 µg (50 IU)" rounds 1.25 µg; both numbers are kept as the label states them
    catalogue = read_supplements_csv(write(tmp_path, HEADER + "r,R,vitamin_d3,1.3,50,,daily\n"))
    assert catalogue.get("r")["vitamin_d_iu_per_unit"] == 50 and catalogue.get("r")["vitamin_d_ug_per_unit"] == 1.3
    with pytest.raises(SupplementDataError, match="disagree"):
        read_supplements_csv(write(tmp_path, HEADER + "r,R,vitamin_d3,1.4,50,,daily\n"))


@pytest.mark.parametrize(
    ("text", "row", "column", "reason"),
    [
        ("supplement_id,name,magnesium_mg_per_unit\nm,Mg,100\n", 1, "schedule", "missing"),
        ("supplement_id,name,schedule\nm,Mg,daily\n", 1, "magnesium_mg_per_unit", "missing column"),
        ("supplement_id,name,schedule,magnesium_per_unit\nm,Mg,daily,100\n", 1, "magnesium_per_unit", "unknown column"),
        ("supplement_id,name,schedule,vitamin_d_mcg_per_unit\nd,D,daily,25\n", 1, "vitamin_d_mcg_per_unit",
         "unknown unit 'mcg'"),
        ("supplement_id,name,schedule,magnesium_g_per_unit\nm,Mg,daily,0.1\n", 1, "magnesium_g_per_unit",
         "unknown unit 'g'"),
        ("supplement_id,name,schedule,magnesium_mg_per_unit,vitamin_d_mg_per_unit\nm,Mg,daily,100,0\n", 1,
         "vitamin_d_mg_per_unit", "unknown unit 'mg'"),
        (HEADER + "m,Mg,magnesium_oxide,,,four hundred,daily\n", 2, "magnesium_mg_per_unit", "not a number"),
        (HEADER + "m,Mg,magnesium_oxide,,,-100,daily\n", 2, "magnesium_mg_per_unit", "negative"),
        (HEADER + "d,D,vitamin_d3,-25,,,daily\n", 2, "vitamin_d_ug_per_unit", "negative"),
        (HEADER + "m,Mg,magnesium_oxide,,,100,daily\nm,Mg 2,magnesium_oxide,,,200,daily\n", 3, "supplement_id",
         "duplicate supplement id 'm'"),
        (HEADER + "m,Mg,magnesium_oxide,,,100,monthly\n", 2, "schedule", "unknown schedule"),
        (HEADER + "d,D,vitamin_d3,25,400,,daily\n", 2, "vitamin_d_iu_per_unit", "disagree"),
        (HEADER + "m,Mg,magnesium_oxide,,,100,weekly\n", 2, "schedule", "weekly product must contain vitamin D"),
        (HEADER + "x,Nothing,other,0,0,0,daily\n", 2, "magnesium_mg_per_unit", "neither"),
        (HEADER + "m,,magnesium_oxide,,,100,daily\n", 2, "name", "blank"),
        ("supplement_id,name,schedule,magnesium_mg_per_unit,absorption_factor\nm,Mg,daily,100,1.5\n", 2,
         "absorption_factor", "outside (0, 1]"),
        ("supplement_id,name,schedule,magnesium_mg_per_unit,absorption_factor\nm,Mg,daily,100,0\n", 2,
         "absorption_factor", "outside (0, 1]"),
        ("supplement_id,name,schedule,magnesium_mg_per_unit,max_units_per_day\nm,Mg,daily,100,1.5\n", 2,
         "max_units_per_day", "whole number"),
        ("supplement_id,name,schedule,magnesium_mg_per_unit,units_per_pack\nm,Mg,daily,100,0\n", 2,
         "units_per_pack", "greater than 0"),
        ("supplement_id,name,schedule,magnesium_mg_per_unit,price_per_unit\nm,Mg,daily,100,-0.1\n", 2,
         "price_per_unit", "negative"),
    ],
)
def test_bad_input_raises_one_clear_error(tmp_path, text, row, column, reason):
    path = write(tmp_path, text)
    with pytest.raises(SupplementDataError) as caught:
        load_supplements(path)
    assert_names(caught.value, path, row, column)
    assert reason in str(caught.value)


def test_a_failed_load_leaves_the_previous_catalogue_untouched(tmp_path, shipped):
    mine = load_supplements(write(tmp_path, HEADER + "my_d,My D3,vitamin_d3,,800,,daily\n", "good.csv"))
    before_mine, before_shipped = mine.frame, shipped.frame
    rows = "ok_one,Fine,vitamin_d3,,800,,daily\nbad_one,Bad,vitamin_d3,,-800,,daily\n"
    bad = write(tmp_path, HEADER + rows, "bad.csv")
    with pytest.raises(SupplementDataError):
        load_supplements(bad)
    assert load_supplements() is shipped
    assert "ok_one" not in load_supplements() and "ok_one" not in mine
    assert mine.frame.equals(before_mine) and shipped.frame.equals(before_shipped)


def test_combine_does_not_change_either_input(tmp_path, shipped):
    mine = read_supplements_csv(write(tmp_path, HEADER + "d3_400iu,Replacement,vitamin_d3,10,,,daily\n"))
    combined = shipped.combine(mine)
    assert combined.get("d3_400iu")["name"] == "Replacement"
    assert shipped.get("d3_400iu")["name"] != "Replacement"
    assert len(mine) == 1
