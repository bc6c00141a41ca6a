"""A corpus of bad inputs (tests/foods/data/bad/) through every foods loader: each is refused with a named
DataError naming the file, the row, the column and a reason, never a traceback and never silently accepted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import foods
from foods.errors import DataError, FoodDataError, PriceListError, SupplementDataError
from foods.prices import load_price_list

HERE = Path(__file__).parent / "data"
BAD = HERE / "bad"
SAMPLE = HERE / "fdc_sample"

LOADERS = {
    "custom": (foods.FoodTable.from_csv, FoodDataError),
    "prices": (load_price_list, PriceListError),
    "supplements": (foods.load_supplements, SupplementDataError),
}

#: (file under data/bad, row, column, words the message must contain)
CSV_CASES = [
    ("custom/unclosed_quote.csv", 2, "name", "double quote"),
    ("custom/unclosed_quote_at_end.csv", 3, None, "never closed"),
    ("custom/short_row.csv", 3, "magnesium_mg", "no cell for magnesium_mg, energy_kcal"),
    ("custom/header_only.csv", 2, None, "no foods"),
    ("custom/nul_in_name.csv", 2, "name", "NUL"),
    ("custom/vegan_beef.csv", 2, "vegan", "contradicts the food's group 'Beef Products'"),
    ("custom/magnesium_1e300.csv", 2, "magnesium_mg", "no nutrient can exceed 100 g per 100 g"),
    ("custom/magnesium_1e9_mg.csv", 3, "magnesium_mg", "1e+06 g"),
    ("custom/magnesium_200_g.csv", 2, "magnesium_g", "200 g per 100 g"),
    ("custom/protein_150_g.csv", 2, "protein_g", "150 g per 100 g"),
    ("custom/energy_1200_kcal.csv", 2, "energy_kcal", "910 kcal per 100 g"),
    ("custom/portion_1e12_g.csv", 2, "portion_grams", "10,000 g per portion"),
    ("custom/price_1e300.csv", 2, "price_per_100g", "1,000,000 per 100 g"),
    ("custom/ids_collide.csv", 3, "food_id", "'a_b' collides with 'a-b' in row 2"),
    ("custom/ids_collide_case.csv", 3, "food_id", "'bread' collides with 'Bread' in row 2"),
    ("custom/thousands_underscore.csv", 2, "magnesium_mg", "'1_000' is not a number"),
    ("prices/header_only.csv", 2, None, "no prices"),
    ("prices/price_1e300.csv", 2, "price", "1,000,000"),
    ("prices/grams_1e-300.csv", 2, "grams", "0.1 g"),
    ("prices/quantity_1e-300_kg.csv", 2, "quantity", "0.1 g"),
    ("prices/bad_date.csv", 2, "date", "'2026-13-45' is not a date"),
    ("prices/unknown_column.csv", 1, "discount", "unknown column"),
    ("supplements/header_only.csv", 2, None, "no products"),
    ("supplements/vitamin_d_1e300_ug.csv", 2, "vitamin_d_ug_per_unit", "12,500 µg (500,000 IU) per unit"),
    ("supplements/vitamin_d_600000_iu.csv", 2, "vitamin_d_iu_per_unit", "500,000 IU per unit"),
    ("supplements/magnesium_5000_mg.csv", 2, "magnesium_mg_per_unit", "1,000 mg per unit"),
    ("supplements/max_units_1e9.csv", 2, "max_units_per_day", "20 units a day"),
]


def assert_located(error: DataError, source: str, row: int | None, column: str | None, words: str) -> None:
    message = str(error)
    assert error.source == source and source in message
    assert error.row == row and (row is None or f"row {row}" in message)
    assert error.column == column and (column is None or f"column '{column}'" in message)
    assert words in message and "Fix:" in message


@pytest.mark.parametrize(("name", "row", "column", "words"), CSV_CASES, ids=[c[0] for c in CSV_CASES])
def test_every_bad_csv_is_refused_at_its_row_and_column(name, row, column, words):
    load, error_type = LOADERS[name.split("/")[0]]
    with pytest.raises(error_type) as caught:
        load(BAD / name)
    assert_located(caught.value, str(BAD / name), row, column, words)


def test_the_unknown_column_message_lists_the_allowed_columns():
    with pytest.raises(PriceListError) as caught:
        load_price_list(BAD / "prices/unknown_column.csv")
    assert "food_id, price, quantity, unit, grams, currency, date, source, item, notes" in str(caught.value)


def test_every_bad_row_is_reported_up_to_a_cap():
    with pytest.raises(FoodDataError) as caught:
        foods.FoodTable.from_csv(BAD / "custom/many_bad_rows.csv")
    error = caught.value
    assert error.problem_count == 25 and len(error.problems) == 20
    assert error.row == 2 and error.column == "magnesium_mg"  # the old attributes: the first problem
    assert [p.row for p in error.problems] == list(range(2, 22))
    assert "25 problems in all" in str(error) and "row 21, column 'magnesium_mg'" in str(error)
    assert "and 5 more" in str(error)


def test_different_problems_on_different_rows_are_all_named():
    with pytest.raises(PriceListError) as caught:
        load_price_list(BAD / "prices/two_bad_rows.csv")
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "price"), (4, "grams")]


def test_non_utf8_price_and_supplement_files_name_the_row(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("supplement_id,name,magnesium_mg_per_unit,schedule\nm,Magn\xe9sium,100,daily\n".encode("latin-1"))
    with pytest.raises(SupplementDataError) as caught:
        foods.load_supplements(path)
    assert caught.value.row == 2 and "not UTF-8" in str(caught.value)


# --------------------------------------------------------------------- FoodData Central
#: (overlay folder or file under data/bad/fdc, file named, row, column, words)
FDC_CASES = [
    ("id_overflow", "food.csv", 7, "fdc_id", "'99999999999999999999999' has 23 digits"),
    ("amount_1e300", "food_nutrient.csv", 24, "amount", "no nutrient can exceed 100 g per 100 g"),
    ("amount_inf", "food_nutrient.csv", 24, "amount", "'inf' is not a finite number"),
    ("extra_cells", "food_nutrient.csv", 55, None, "more cells than the header"),
    ("empty_food", "food.csv", 1, None, "the file is empty"),
    ("header_only_food", "food.csv", 2, None, "no foods"),
    ("broken_wweia", "wweia_food_category.csv", 2, None, "more cells than the header"),
    ("not_utf8_food", "food.csv", 3, None, "not UTF-8"),
    ("portion_1e12_g", "food_portion.csv", 11, "gram_weight", "10,000 g per portion"),
]


@pytest.mark.parametrize(("case", "file", "row", "column", "words"), FDC_CASES, ids=[c[0] for c in FDC_CASES])
def test_every_bad_fdc_download_is_refused_at_its_row_and_column(tmp_path, case, file, row, column, words):
    folder = tmp_path / "fdc"
    shutil.copytree(SAMPLE, folder)
    for replacement in (BAD / "fdc" / case).iterdir():
        shutil.copyfile(replacement, folder / replacement.name)
    with pytest.raises(FoodDataError) as caught:
        foods.import_fdc(folder)
    assert_located(caught.value, str(folder / file), row, column, words)


@pytest.mark.parametrize(
    ("archive", "words"),
    [("truncated.zip", "not a valid zip file"), ("not_a_zip.zip", "not a valid zip file"),
     ("corrupt_member.zip", "cannot read the file")],
)
def test_damaged_zips_are_named_not_tracebacks(archive, words):
    with pytest.raises(FoodDataError) as caught:
        foods.import_fdc(BAD / "fdc" / archive)
    message = str(caught.value)
    assert words in message and archive in message and "folder not found" not in message and "Fix:" in message
