"""FoodData Central importer, on small files in FDC's CSV layout (tests/foods/data/fdc_sample)."""

from __future__ import annotations

import math
import shutil
import zipfile
from pathlib import Path

import pytest

import foods
from foods.errors import FoodDataError
from foods.fdc import read_fdc_frames

SAMPLE = Path(__file__).parent / "data" / "fdc_sample"
PUMPKIN, ALMONDS, SPINACH, MILK, MILK_SAMPLE = "170556", "170567", "168462", "746782", "330880"


@pytest.fixture(scope="module")
def table() -> foods.FoodTable:
    return foods.import_fdc(SAMPLE)


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    folder = tmp_path / "fdc"
    shutil.copytree(SAMPLE, folder)
    return folder


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append_line(path: Path, line: str) -> int:
    """Append a CSV line; return its spreadsheet row number (header = 1)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, line]) + "\n", encoding="utf-8")
    return len(lines) + 1


def test_returns_a_food_table_of_foods_only(table):
    assert isinstance(table, foods.FoodTable)
    assert list(table.frame.index) == [PUMPKIN, ALMONDS, SPINACH, MILK]
    assert MILK_SAMPLE not in table  # sample_food records of Foundation downloads are not foods
    assert table.frame.index.name == "food_id"
    assert table[ALMONDS]["name"] == "Nuts, almonds"


def test_groups_come_from_food_category_with_sr_spelling(table):
    assert table[SPINACH]["group"] == "Vegetables and Vegetable Products"
    assert table[MILK]["group"] == "Dairy and Egg Products"
    assert table[ALMONDS]["group"] == "Nuts and Seed Products"  # FDC: "Nut and Seed Products"
    assert bool(table[ALMONDS]["vegan"]) and not bool(table[MILK]["vegan"])


def test_nutrients_use_the_catalogue_keys_and_units(table):
    frame = table.frame
    for key in ("energy_kcal", "protein_g", "fat_g", "carbohydrate_g", "fiber_g", "water_g", "calcium_mg",
                "magnesium_mg", "potassium_mg", "beta_carotene_ug", "vitamin_d_ug", "vitamin_k_ug"):
        assert key in table.nutrient_columns, key
        assert frame[key].dtype == "float64"
    assert frame.loc[PUMPKIN, "magnesium_mg"] == 592.0
    assert frame.loc[SPINACH, "vitamin_k_ug"] == pytest.approx(482.9)
    assert not any(c.endswith("_kj") for c in frame.columns)


def test_energy_is_kcal_never_kj_and_falls_back_to_atwater(table):
    assert table[PUMPKIN]["energy_kcal"] == 559.0  # the kJ row says 2339
    assert table[MILK]["energy_kcal"] == 42.0  # Foundation food: Atwater specific factors (958)


def test_vitamin_d_from_iu_is_converted_to_ug(table):
    assert table[MILK]["vitamin_d_ug"] == pytest.approx(48 / 40)


def test_vitamin_d_ug_row_wins_over_the_iu_row(copy):
    replace_in(copy / "food_nutrient.csv", f'"{SPINACH}","1114","0.0"', f'"{SPINACH}","1114","2.5"')
    replace_in(copy / "food_nutrient.csv", f'"{SPINACH}","1110","0"', f'"{SPINACH}","1110","80"')
    assert foods.import_fdc(copy)[SPINACH]["vitamin_d_ug"] == 2.5


def test_unknown_stays_nan_and_zero_stays_zero(table):
    assert math.isnan(table[ALMONDS]["vitamin_k_ug"])  # almonds list no vitamin K row
    assert math.isnan(table[MILK]["fiber_g"])
    assert table[ALMONDS]["vitamin_d_ug"] == 0.0  # analysed: none
    assert table.missing("vitamin_k_ug") == 2


def test_other_nutrients_keep_a_name_and_unit_key(table):
    assert table[SPINACH]["glucose_g"] == pytest.approx(0.11)


def test_vitamin_a_rae_is_not_invented_from_partial_carotenoids(table):
    assert "vitamin_a_rae_ug" not in table.frame.columns or table.frame["vitamin_a_rae_ug"].isna().all()


def test_portions_from_food_portion_and_measure_unit(table):
    almonds = table.portions_of(ALMONDS)
    assert list(almonds["portion"]) == ["cup, whole", "oz (23 whole kernels)", "cup, sliced"]  # seq_num order
    assert list(almonds["grams"]) == [143.0, 28.35, 92.0]
    milk = table.portions_of(MILK)
    assert list(milk["portion"]) == ["cup", "tablespoon"]  # Foundation: measure unit names
    assert table.portion_for(PUMPKIN) == ("cup", 138.0)


def test_sanity_against_nih_fact_sheet_servings(table):
    # ODS Mg fact sheet: almonds 1 oz 80 mg; pumpkin seeds 1 oz 156 mg (roasted; ±15 % tolerance)
    assert table[ALMONDS]["magnesium_mg"] * 28.35 / 100 == pytest.approx(80, rel=0.15)
    assert table[PUMPKIN]["magnesium_mg"] * 28.35 / 100 == pytest.approx(156, rel=0.15)
    # ODS vitamin D fact sheet: fortified milk, 1 cup, 2.9 µg
    cup_grams = table.portions_of(MILK).iloc[0]["grams"]
    assert table[MILK]["vitamin_d_ug"] * cup_grams / 100 == pytest.approx(2.9, rel=0.1)


def test_reads_a_zip_and_a_parent_folder(tmp_path):
    archive = tmp_path / "FoodData_Central_sr_legacy_food_csv.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in SAMPLE.iterdir():
            zipped.write(path, f"FoodData_Central_sr_legacy_food_csv/{path.name}")
    assert len(foods.import_fdc(archive)) == 4
    parent = tmp_path / "download"
    shutil.copytree(SAMPLE, parent / "FoodData_Central_csv")
    assert len(foods.import_fdc(parent)) == 4


def test_data_types_can_be_chosen():
    frame, _ = read_fdc_frames(SAMPLE, data_types=("foundation_food",))
    assert list(frame.index) == [MILK]


def test_missing_folder_and_missing_file(tmp_path, copy):
    with pytest.raises(FoodDataError, match="folder not found"):
        foods.import_fdc(tmp_path / "nowhere")
    (copy / "food_nutrient.csv").unlink()
    with pytest.raises(FoodDataError) as caught:
        foods.import_fdc(copy)
    assert "food_nutrient.csv is missing" in str(caught.value) and str(copy) in str(caught.value)


@pytest.mark.parametrize(
    ("file", "old", "new", "column"),
    [
        ("food_nutrient.csv", '"amount"', '"amt"', "amount"),
        ("food.csv", '"description"', '"desc"', "description"),
        ("nutrient.csv", '"nutrient_nbr"', '"number"', "nutrient_nbr"),
        ("food_portion.csv", '"gram_weight"', '"grams"', "gram_weight"),
    ],
)
def test_missing_column_names_file_row_and_column(copy, file, old, new, column):
    replace_in(copy / file, old, new)
    with pytest.raises(FoodDataError) as caught:
        foods.import_fdc(copy)
    error = caught.value
    assert error.source.endswith(file) and error.row == 1 and error.column == column
    assert file in str(error) and "row 1" in str(error) and f"'{column}'" in str(error)


@pytest.mark.parametrize(
    ("file", "line", "column", "reason"),
    [
        ("food_nutrient.csv", f'"9","{ALMONDS}","1185","n/a","","","","","","",""', "amount", "not a number"),
        ("food_nutrient.csv", f'"9","{ALMONDS}","1185","-4.0","","","","","","",""', "amount", "negative"),
        ("food_nutrient.csv", f'"9","{ALMONDS}","4242","1.0","","","","","","",""', "nutrient_id",
         "not in nutrient.csv"),
        ("food_nutrient.csv", f'"9","{ALMONDS}","1090","271","","","","","","",""', "nutrient_id", "twice"),
        ("food.csv", f'"{ALMONDS}","sr_legacy_food","Almonds again","12","2019-04-01"', "fdc_id", "duplicate"),
        ("food.csv", '"x12","sr_legacy_food","Bad id","12","2019-04-01"', "fdc_id", "not a number"),
        ("food_portion.csv", f'"9","{ALMONDS}","4","1.0","9999","","handful","-30","","",""', "gram_weight",
         "negative"),
    ],
)
def test_malformed_values_name_file_row_and_column(copy, file, line, column, reason):
    row = append_line(copy / file, line)
    with pytest.raises(FoodDataError) as caught:
        foods.import_fdc(copy)
    error = caught.value
    assert error.source.endswith(file) and error.row == row and error.column == column
    assert f"row {row}" in str(error) and reason in str(error)


def test_fndds_survey_foods_use_wweia_categories_and_portion_descriptions(copy):
    """FNDDS downloads: food_category_id is a WWEIA code (wweia_food_category.csv), portions are described in
    portion_description while modifier holds a numeric portion code, and amount is blank."""
    (copy / "food.csv").write_text(
        '"fdc_id","data_type","description","food_category_id","publication_date"\n'
        '"2705385","survey_fndds_food","Milk, whole","1002","2022-10-28"\n'
        '"2705640","survey_fndds_food","Almonds, unsalted","2802","2022-10-28"\n', encoding="utf-8")
    (copy / "wweia_food_category.csv").write_text(
        '"wweia_food_category","wweia_food_category_description"\n'
        '"1002","Milk, whole"\n"2802","Nuts and seeds"\n', encoding="utf-8")
    (copy / "food_nutrient.csv").write_text(
        '"id","fdc_id","nutrient_id","amount","data_points","derivation_id","min","max","median","footnote",'
        '"min_year_acquired"\n'
        '"1","2705385","1008","60","","","","","","",""\n'
        '"2","2705385","1090","10","","","","","","",""\n'
        '"3","2705385","1114","1.1","","","","","","",""\n'
        '"4","2705640","1008","579","","","","","","",""\n'
        '"5","2705640","1090","270","","","","","","",""\n', encoding="utf-8")
    (copy / "food_portion.csv").write_text(
        '"id","fdc_id","seq_num","amount","measure_unit_id","portion_description","modifier","gram_weight",'
        '"data_points","footnote","min_year_acquired"\n'
        '"1","2705385","2","","9999","Quantity not specified","90000","244.0","","",""\n'
        '"2","2705385","1","","9999","1 cup","10205","244.0","","",""\n'
        '"3","2705640","1","","9999","1 oz","10206","28.35","","",""\n', encoding="utf-8")
    table = foods.import_fdc(copy)
    assert list(table.frame.index) == ["2705385", "2705640"]
    assert table["2705385"]["group"] == "Milk, whole" and table["2705640"]["group"] == "Nuts and seeds"
    assert table["2705385"]["vitamin_d_ug"] == 1.1 and table["2705640"]["magnesium_mg"] == 270.0
    assert math.isnan(table["2705640"]["vitamin_d_ug"])  # not listed: unknown
    milk = table.portions_of("2705385")
    assert list(milk["portion"]) == ["1 cup", "Quantity not specified"]  # seq_num order, codes dropped
    assert list(milk["amount"]) == [1.0, 1.0] and list(milk["grams"]) == [244.0, 244.0]
    assert not table["2705385"]["vegan"] and table["2705385"]["vegetarian"]
    # ODS magnesium fact sheet: almonds 1 oz = 80 mg (±15 %), using the download's own portion
    ounce = table.portions_of("2705640").iloc[0]["grams"]
    assert table["2705640"]["magnesium_mg"] * ounce / 100 == pytest.approx(80, rel=0.15)
