"""FoodTable and the shipped catalogue: counts, units, unknown-vs-zero, portions, search, custom foods."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import foods
from foods import FoodDataError, FoodTable, UnknownFoodError, load_foods
from foods.everyday import MEALS
from foods.nutrients import nutrient_label, nutrient_registry, nutrient_unit

REQUIRED_NUTRIENTS = (
    "energy_kcal protein_g fat_g carbohydrate_g fiber_g sugars_g saturated_fat_g monounsaturated_fat_g "
    "polyunsaturated_fat_g cholesterol_mg calcium_mg magnesium_mg phosphorus_mg potassium_mg sodium_mg iron_mg "
    "zinc_mg copper_mg manganese_mg selenium_ug vitamin_c_mg thiamin_mg riboflavin_mg niacin_mg vitamin_b6_mg "
    "folate_ug vitamin_b12_ug vitamin_a_iu vitamin_a_rae_ug retinol_ug vitamin_d_ug vitamin_e_mg vitamin_k_ug "
    "choline_mg water_g alcohol_g caffeine_mg").split()


@pytest.fixture(scope="module")
def table() -> FoodTable:
    return load_foods()


# --------------------------------------------------------------------------- shipped catalogue
def test_counts_and_index(table: FoodTable) -> None:
    assert len(table) == 7907
    assert table.frame.index.name == "food_id"
    assert table.frame.index.is_unique
    assert all(isinstance(i, str) and len(i) == 5 for i in table.frame.index)
    assert "12014" in table and 12014 not in table and "99999" not in table
    assert len(table.portions) == 13817
    assert list(table.portions.columns) == ["food_id", "portion", "amount", "grams"]
    assert (table.portions["grams"] > 0).all()
    assert set(table.portions["food_id"]) <= set(table.frame.index)


def test_load_is_cached(table: FoodTable) -> None:
    assert load_foods() is table
    assert foods.load_foods() is table


def test_columns_and_dtypes(table: FoodTable) -> None:
    frame = table.frame
    for key in REQUIRED_NUTRIENTS:
        assert key in table.nutrient_columns
        assert frame[key].dtype == np.float64
    for column in ("everyday", "vegan", "vegetarian", "pescatarian", "omnivore"):
        assert frame[column].dtype == bool
    for column in ("name", "group", "meals", "default_portion", "allergens", "price_source"):
        assert frame[column].map(type).eq(str).all(), column
    assert frame["price_per_100g"].isna().all()  # no invented prices
    assert table.nutrient_columns[:3] == ["energy_kcal", "protein_g", "fat_g"]
    assert "name" not in table.nutrient_columns and "price_per_100g" not in table.nutrient_columns
    assert frame[table.nutrient_columns].min().min() >= 0
    assert frame["group"].nunique() == 25


def test_unknown_is_nan_and_analysed_zero_stays_zero(table: FoodTable) -> None:
    # 11468 (crookneck squash) lists <nutrient amount="0.0" name="Vitamin D"/>; cod liver oil gives no vitamin E.
    assert table["11468"]["vitamin_d_ug"] == 0.0
    assert math.isnan(table["04589"]["vitamin_e_mg"])
    assert table.missing("magnesium_mg") == 7907 - 7228
    assert table.missing("vitamin_d_ug") == 7907 - 4636
    assert table.missing("vitamin_d_ug", ids=["11468", "04589", "15237"]) == 1  # farmed salmon: not analysed
    assert table.missing("no_such_nutrient_mg") == len(table)


def test_units_and_conversions(table: FoodTable) -> None:
    milk = table["01079"]  # 2 % milk, vitamin D 49 IU per 100 g in SR24
    assert milk["vitamin_d_ug"] == pytest.approx(49 / 40)
    assert milk["energy_kcal"] == 50.0 and milk["magnesium_mg"] == 11.0
    squash = table["11468"]  # retinol 0, beta-carotene 670, alpha 0, crypto 0
    assert squash["vitamin_a_rae_ug"] == pytest.approx(670 / 12)
    assert squash["vitamin_a_iu"] == 1117.0
    cod_liver_oil = table["04589"]
    assert cod_liver_oil["vitamin_d_ug"] == pytest.approx(250.0)  # 10,000 IU
    assert math.isnan(cod_liver_oil["vitamin_a_rae_ug"])  # beta-carotene unknown


def test_portions_and_portion_for(table: FoodTable) -> None:
    assert table.portion_for("12014") == ("oz", 28.35)  # everyday default
    assert table.portion_for("11468") == ("cup, sliced", 180.0)  # not everyday: first measure
    no_measures = next(i for i in table.frame.index if i not in set(table.portions["food_id"]))
    assert table.portion_for(no_measures) == ("100 g", 100.0)
    salmon = table.portions_of("15086")
    assert salmon.to_dict("records")[1] == {"portion": "3 oz", "amount": 3.0, "grams": 85.0}
    with pytest.raises(UnknownFoodError):
        table.portion_for("00000")


def test_getitem_unknown_raises_a_helpful_error(table: FoodTable) -> None:
    with pytest.raises(UnknownFoodError, match="Unknown food id '99999'") as info:
        table["99999"]
    assert isinstance(info.value, KeyError)
    assert table["12014"]["name"].startswith("Seeds, pumpkin")


def test_search_all_words_case_insensitive_everyday_first(table: FoodTable) -> None:
    found = table.search("PUMPKIN seeds roasted")
    assert len(found) >= 3
    assert all(all(w in n.lower() for w in ("pumpkin", "seeds", "roasted")) for n in found["name"])
    assert found["everyday"].iloc[0]
    flags = found["everyday"].to_numpy()
    assert not any(later and not earlier for earlier, later in zip(flags, flags[1:]))
    assert table.search("seeds roasted pumpkin").index.equals(found.index)
    assert len(table.search("zzzz no such food")) == 0
    assert table.search("12014").index.tolist() == ["12014"]


def test_search_group_filter(table: FoodTable) -> None:
    everything = table.search("almonds")
    nuts_only = table.search("almonds", group="nuts and seed")
    assert 0 < len(nuts_only) < len(everything)
    assert set(nuts_only["group"]) == {"Nuts and Seed Products"}


# --------------------------------------------------------------------------- everyday foods
def test_everyday_foods_are_curated_and_consistent(table: FoodTable) -> None:
    everyday = table.frame[table.frame["everyday"]]
    assert 280 <= len(everyday) <= 330
    assert everyday["magnesium_mg"].notna().all()
    assert everyday["vitamin_d_ug"].notna().mean() > 0.9
    for food_id, row in everyday.iterrows():
        meals = row["meals"].split(";")
        assert meals and set(meals) <= set(MEALS), food_id
        portions = table.portions_of(food_id)
        assert row["default_portion"] in set(portions["portion"]), food_id
        assert row["default_portion_grams"] > 0
    not_everyday = table.frame[~table.frame["everyday"]]
    assert (not_everyday["meals"] == "").all() and (not_everyday["default_portion"] == "").all()
    assert not_everyday["default_portion_grams"].isna().all()
    groups = set(everyday["group"])
    for group in ("Dairy and Egg Products", "Finfish and Shellfish Products", "Poultry Products", "Beef Products",
                  "Legumes and Legume Products", "Nuts and Seed Products", "Cereal Grains and Pasta",
                  "Breakfast Cereals", "Baked Products", "Fruits and Fruit Juices",
                  "Vegetables and Vegetable Products", "Fats and Oils", "Beverages"):
        assert group in groups


@pytest.mark.parametrize("pattern", ["vegan", "vegetarian", "pescatarian", "omnivore"])
def test_everyday_set_supports_a_varied_week(table: FoodTable, pattern: str) -> None:
    """A 7-day plan with at most 4 days per food and 7 foods a day needs >= 13 distinct foods overall and
    enough choice at every meal; require ample margin per meal."""
    frame = table.frame[table.frame["everyday"] & table.frame[pattern]]
    assert len(frame) >= 49
    for meal in MEALS:
        suitable = frame[frame["meals"].str.split(";").map(lambda meals, meal=meal: meal in meals)]
        assert len(suitable) >= 14, (pattern, meal, len(suitable))
        assert suitable["magnesium_mg"].gt(0).sum() >= 10


def test_everyday_includes_the_fact_sheet_foods(table: FoodTable) -> None:
    for food_id in ("12016", "12063", "11458", "16015", "11998", "01079", "15237", "15241", "01129", "15088",
                    "15121", "16139", "01117", "09040", "20037", "11356", "08147"):
        assert table[food_id]["everyday"], food_id
    assert table["08121"]["meals"] == "breakfast"
    assert set(table["15086"]["meals"].split(";")) == {"lunch", "dinner"}
    assert "snack" in table["12061"]["meals"]


# --------------------------------------------------------------------------- custom foods
def generic_frame() -> pd.DataFrame:
    return pd.DataFrame({"food_id": ["a", "b"], "name": ["Thing A", "Thing B"], "protein_g": [10.0, 0.0],
                         "x_units": [1.0, np.nan], "price_per_100g": [0.5, np.nan]})


def test_from_frame_accepts_any_nutrient_columns() -> None:
    custom = FoodTable.from_frame(generic_frame())
    assert custom.nutrient_columns == ["protein_g", "x_units"]
    frame = custom.frame
    assert frame.index.tolist() == ["a", "b"] and frame.index.name == "food_id"
    assert frame.at["a", "price_per_100g"] == 0.5 and math.isnan(frame.at["b", "price_per_100g"])
    assert math.isnan(frame.at["b", "x_units"]) and frame.at["b", "protein_g"] == 0.0
    assert not frame["everyday"].any() and (frame["meals"] == "").all()
    assert (frame["group"] == "Custom foods").all() and frame["omnivore"].all()
    assert custom.portion_for("a") == ("100 g", 100.0)
    assert custom.missing("x_units") == 1


def test_from_frame_takes_the_index_and_portion_columns() -> None:
    frame = pd.DataFrame({"name": ["Rye bread, homemade"], "magnesium_mg": [60.0], "portion_name": ["slice"],
                          "portion_grams": [32.0]}, index=pd.Index(["my_bread"], name="food_id"))
    custom = FoodTable.from_frame(frame)
    assert custom.portion_for("my_bread") == ("slice", 32.0)
    assert custom.portions.to_dict("records") == [{"food_id": "my_bread", "portion": "slice", "amount": 1.0,
                                                   "grams": 32.0}]
    assert "portion_name" not in custom.frame.columns
    assert "gluten" in custom["my_bread"]["allergens"]  # rye (and bread is conservatively tagged wheat)


@pytest.mark.parametrize(("change", "row", "column", "message"), [
    (lambda f: f.assign(food_id=["a", "a"]), 3, "food_id", "duplicate food id 'a'"),
    (lambda f: f.assign(protein_g=["10", "lots"]), 3, "protein_g", "'lots' is not a number"),
    (lambda f: f.assign(x_units=[-1.0, 2.0]), 2, "x_units", "negative amount"),
    (lambda f: f.assign(name=["A", " "]), 3, "name", "name is blank"),
    (lambda f: f.drop(columns=["name"]), None, "name", "'name' column is missing"),
    (lambda f: f.assign(price_per_100g=[-0.5, 1.0]), 2, "price_per_100g", "negative amount"),
])
def test_from_frame_rejects_bad_input(change, row, column, message) -> None:
    with pytest.raises(FoodDataError, match=message) as info:
        FoodTable.from_frame(change(generic_frame()), source="my foods")
    assert info.value.row == row and info.value.column == column and info.value.source == "my foods"


def test_from_csv_reads_custom_foods(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("food_id,name,group,magnesium_mg,vitamin_d_iu,price_per_100g,portion_name,portion_grams\n"
                    "my_bread,\"Rye bread, homemade\",Baked Products,60,,0.45,slice,32\n"
                    "my_fish,Smoked trout,,25,400,,,\n", encoding="utf-8")
    custom = FoodTable.from_csv(path)
    assert len(custom) == 2
    assert math.isnan(custom["my_bread"]["vitamin_d_ug"])
    assert custom["my_fish"]["vitamin_d_ug"] == pytest.approx(10.0)
    assert custom["my_fish"]["pescatarian"] and not custom["my_fish"]["vegetarian"]
    assert custom.portion_for("my_bread") == ("slice", 32.0)
    assert custom["my_bread"]["price_per_100g"] == 0.45
    bad = tmp_path / "bad.csv"
    bad.write_text("food_id,name,magnesium_mg\nx,Thing,-3\n", encoding="utf-8")
    with pytest.raises(FoodDataError, match="bad.csv"):
        FoodTable.from_csv(bad)


def test_combine_other_wins_and_subset(table: FoodTable) -> None:
    override = FoodTable.from_frame(pd.DataFrame({"food_id": ["12014", "mine"], "name": ["My pumpkin seeds", "X"],
                                                  "magnesium_mg": [500.0, 1.0], "x_units": [2.0, 3.0]}))
    both = table.combine(override)
    assert len(both) == len(table) + 1
    assert both["12014"]["name"] == "My pumpkin seeds" and both["12014"]["magnesium_mg"] == 500.0
    assert math.isnan(both["01079"]["x_units"])  # nutrient unknown for the shipped foods
    assert "x_units" in both.nutrient_columns
    assert not (both.portions["food_id"] == "12014").any()
    assert len(table) == 7907 and table["12014"]["magnesium_mg"] == 592.0  # original unchanged
    small = both.subset(["mine", "01079"])
    assert small.frame.index.tolist() == ["mine", "01079"]
    assert set(small.portions["food_id"]) == {"01079"}
    with pytest.raises(UnknownFoodError):
        table.subset(["01079", "nope"])


class _Prices:
    def __init__(self, rows: list[tuple[str, float, str]]) -> None:
        self.frame = pd.DataFrame(rows, columns=["food_id", "price_per_100g", "source"])


def test_with_prices_last_list_wins(table: FoodTable) -> None:
    first = _Prices([("01079", 0.10, "shop A"), ("12014", 2.0, "shop A")])
    second = _Prices([("12014", 1.5, "shop B"), ("zzzzz", 9.0, "shop B")])
    priced = table.with_prices(first, second)
    assert priced["01079"]["price_per_100g"] == 0.10 and priced["01079"]["price_source"] == "shop A"
    assert priced["12014"]["price_per_100g"] == 1.5 and priced["12014"]["price_source"] == "shop B"
    assert math.isnan(priced["11468"]["price_per_100g"]) and priced["11468"]["price_source"] == ""
    assert math.isnan(table["12014"]["price_per_100g"])  # original unchanged


def test_with_the_shipped_example_prices(table: FoodTable) -> None:
    prices = foods.example_prices()
    priced = table.with_prices(prices)
    assert priced.frame["price_per_100g"].notna().sum() == len(prices)
    assert priced.frame["price_per_100g"].dropna().gt(0).all()


# --------------------------------------------------------------------------- nutrient registry
def test_registry_covers_every_shipped_nutrient(table: FoodTable) -> None:
    registry = nutrient_registry()
    assert registry.index.name == "key" and list(registry.columns) == ["label", "unit", "category"]
    assert set(table.nutrient_columns) <= set(registry.index)
    assert registry.index.is_unique
    for key, row in registry.iterrows():
        suffix_unit = nutrient_unit(f"zz_{key.rsplit('_', 1)[-1]}")
        assert row["unit"] == suffix_unit, key  # registry unit agrees with the key's suffix


def test_labels_and_units_with_fallbacks() -> None:
    assert nutrient_label("magnesium_mg") == "Magnesium" and nutrient_unit("magnesium_mg") == "mg"
    assert nutrient_unit("vitamin_d_ug") == "µg" and nutrient_unit("vitamin_a_iu") == "IU"
    assert nutrient_label("x_units") == "X units" and nutrient_unit("x_units") == ""
    assert nutrient_label("beta_glucan_g") == "Beta glucan" and nutrient_unit("beta_glucan_g") == "g"
    assert nutrient_unit("protein_energy_pct") == "%" and nutrient_unit("energy_kcal") == "kcal"
    copy = nutrient_registry()
    copy.loc["magnesium_mg", "label"] = "changed"  # callers get a copy
    assert nutrient_label("magnesium_mg") == "Magnesium"


def test_from_frame_index_ids_notes_and_tag_implications() -> None:
    frame = pd.DataFrame({"name": ["Oat drink", "Mystery"], "x_units": [1.0, 2.0], "notes": ["homemade", ""],
                          "vegan": [True, None]}, index=["oat", "mys"])
    custom = FoodTable.from_frame(frame)
    assert custom.frame.index.tolist() == ["oat", "mys"]
    assert custom.nutrient_columns == ["x_units"]  # the notes column is carried along, not a nutrient
    assert custom["oat"]["vegetarian"] and custom["oat"]["pescatarian"]  # vegan implies the others
    with pytest.raises(FoodDataError, match="no 'food_id' column or index"):
        FoodTable.from_frame(pd.DataFrame({"name": ["A"], "x_units": [1.0]}))


def test_from_frame_with_a_portions_table() -> None:
    frame = pd.DataFrame({"food_id": ["a"], "name": ["Thing"], "x_units": [1.0]})
    portions = pd.DataFrame({"food_id": ["a", "a"], "portion": ["cup", "tbsp"], "amount": [1, 1], "grams": [240, 15]})
    custom = FoodTable.from_frame(frame, portions=portions)
    assert custom.portion_for("a") == ("cup", 240.0)
    assert custom.portions["grams"].dtype == np.float64
    with pytest.raises(FoodDataError, match="portion for unknown food id 'b'") as info:
        FoodTable.from_frame(frame, portions=portions.assign(food_id=["a", "b"]), source="download")
    assert info.value.row == 3 and info.value.column == "food_id"


# --------------------------------------------------------------------------- the everyday file's own checks
def _everyday(text: str) -> pd.DataFrame:
    import io

    from foods.everyday import read_everyday

    ids = pd.Index(["12014", "01079"])
    portions = pd.DataFrame({"food_id": ["12014", "12014", "01079"], "portion": ["oz", "cup", "cup"],
                             "amount": [1.0, 1.0, 1.0], "grams": [28.35, 129.0, 244.0]})
    return read_everyday(io.StringIO(text), ids, portions)


def test_everyday_file_gives_meals_in_canonical_order_and_portion_grams() -> None:
    frame = _everyday("food_id,default_portion,meals,note\n12014,oz,snack;breakfast,seeds\n01079,cup,breakfast,\n")
    assert frame.loc["12014", "meals"] == "breakfast;snack"
    assert frame.loc["12014", "default_portion_grams"] == 28.35 and frame["everyday"].all()


@pytest.mark.parametrize(("text", "row", "column", "reason"), [
    ("food_id,default_portion,meals\n12014,oz,snack\n", 1, "note", "missing"),
    ("food_id,default_portion,meals,note\n99999,oz,snack,\n", 2, "food_id", "unknown food id '99999'"),
    ("food_id,default_portion,meals,note\n12014,oz,snack,\n12014,cup,lunch,\n", 3, "food_id", "listed twice"),
    ("food_id,default_portion,meals,note\n12014,handful,snack,\n", 2, "default_portion", "no household portion"),
    ("food_id,default_portion,meals,note\n12014,oz,brunch,\n", 2, "meals", "must be"),
    ("food_id,default_portion,meals,note\n12014,oz,,\n", 2, "meals", "must be"),
])
def test_everyday_file_rejects_bad_rows(text: str, row: int, column: str, reason: str) -> None:
    with pytest.raises(FoodDataError, match=reason) as info:
        _everyday(text)
    assert info.value.row == row and info.value.column == column
    assert info.value.source == "foods/data/everyday.csv"
