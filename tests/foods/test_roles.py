"""Food roles (foods.roles) and food-group equivalents (foods.food_groups) on the shipped catalogues."""

from __future__ import annotations

import pandas as pd
import pytest

import foods
from foods.errors import FoodDataError
from foods.fndds_fped import FPED_KEYS
from foods.food_groups import food_group_equivalents, grams_per_equivalent
from foods.roles import PROTEIN_SOURCES, ROLES, SR24_FILE, WWEIA_FILE, food_roles, protein_from_name, role_rules


@pytest.fixture(scope="module")
def fndds() -> foods.FoodTable:
    return foods.load_foods("fndds")


@pytest.fixture(scope="module")
def sr24() -> foods.FoodTable:
    return foods.load_foods()


def test_every_wweia_category_of_the_shipped_fndds_table_has_one_default_row(fndds):
    rules = role_rules(WWEIA_FILE)
    defaults = rules[rules["name_pattern"] == ""]
    assert not defaults["wweia_code"].duplicated().any()
    shipped = set(fndds.frame["wweia_code"].astype(int))
    mapped = set(defaults["wweia_code"].astype(int))
    assert shipped <= mapped, sorted(shipped - mapped)
    assert len(shipped) >= 155
    # the category names in the CSV are the shipped ones (a renamed category would show here)
    names = fndds.frame.groupby("wweia_code")["wweia_category"].first()
    for code, name in zip(defaults["wweia_code"].astype(int), defaults["wweia_category"]):
        assert names.get(code, name) == name


def test_sr24_rules_name_real_food_groups(sr24):
    groups = set(sr24.frame["group"])
    rules = role_rules(SR24_FILE)
    assert set(rules["group"]) - {"*"} <= groups
    assert (rules["group"] == "*").iloc[-1] and rules["name_pattern"].iloc[-1] == ""  # a final catch-all


@pytest.mark.parametrize("catalogue", ["fndds", "sr24"])
def test_every_food_gets_one_valid_role(catalogue, fndds, sr24):
    table = fndds if catalogue == "fndds" else sr24
    roles = food_roles(table)
    assert roles.index.equals(table.frame.index)
    assert roles["role"].isin(ROLES).all()
    assert roles["protein_source"].isin((*PROTEIN_SOURCES, "")).all()
    assert roles["mixed_dish"].dtype == bool and roles["seafood"].dtype == bool
    assert roles.loc[roles["mixed_dish"], "role"].isin(["main", "breakfast"]).all()
    assert (roles["seafood"] == (roles["protein_source"] == "seafood")).all()
    everyday = roles[table.frame["everyday"]]
    assert set(everyday["role"]) == set(ROLES)


@pytest.mark.parametrize("food_id, role, kind, mixed, protein", [
    ("27146150", "main", "poultry_dish", True, "poultry"),   # Chicken curry
    ("28310330", "main", "soup", True, "meat"),              # Pho: a soup with meat is a whole meal
    ("58136120", "main", "fried_rice", True, ""),            # Lo mein, meatless
    ("11111000", "dairy", "milk", False, ""),                # Whole milk
    ("56203066", "breakfast", "hot_cereal", False, ""),      # Oatmeal with milk
    ("57134000", "breakfast", "cold_cereal", False, ""),     # Corn flakes
    ("82104000", "addon", "oil", False, ""),                 # Olive oil
    ("83106000", "addon", "dressing", False, ""),            # Italian dressing (made with vinegar and oil)
    ("43101150", "snack", "nuts", False, "nuts"),            # Pumpkin seeds
    ("63101000", "fruit", "fruit", False, ""),               # Apple
    ("31103010", "main", "eggs", False, "eggs"),             # Boiled egg
    ("51101000", "starch", "bread", False, ""),              # White bread
    ("94000100", "drink", "water", False, ""),               # Tap water
])
def test_fndds_roles_of_known_foods(fndds, food_id, role, kind, mixed, protein):
    row = food_roles(fndds).loc[food_id]
    assert (row["role"], row["kind"], bool(row["mixed_dish"]), row["protein_source"]) == (role, kind, mixed, protein)


def test_a_soup_without_protein_is_a_side_vegetable(fndds):
    roles = food_roles(fndds)
    soups = fndds.frame[(fndds.frame["wweia_code"] == 3802)]
    broths = soups["name"].str.contains("broth|bouillon", case=False)
    assert (roles.loc[soups.index[broths], "role"] == "addon").all()
    sides = roles.loc[soups.index][roles.loc[soups.index, "role"] != "addon"]
    assert ((sides["role"] == "vegetable") == (sides["protein_source"] == "")).all()
    assert (sides["role"] == "vegetable").any() and sides["mixed_dish"].any()


@pytest.mark.parametrize("food_id, role, kind, protein", [
    ("04053", "addon", "oil", ""),
    ("15085", "main", "fish", "seafood"),
    ("18075", "starch", "bread", ""),
    ("09191", "fruit", "fruit", ""),               # Nectarines: not a nectar
    ("11531", "vegetable", "vegetable", ""),       # canned tomatoes packed in juice: not a juice
    ("01015", "dairy", "soft_cheese", ""),
    ("01077", "dairy", "milk", ""),
    ("21224", "main", "pizza", ""),
    ("16098", "addon", "nut_butter", "nuts"),
    ("08013", "breakfast", "cold_cereal", ""),
    ("14429", "drink", "water", ""),
    ("09210", "drink", "juice", ""),
])
def test_sr24_roles_of_known_foods(sr24, food_id, role, kind, protein):
    row = food_roles(sr24).loc[food_id]
    assert (row["role"], row["kind"], row["protein_source"]) == (role, kind, protein)


def test_pizza_in_sr24_is_a_mixed_dish(sr24):
    assert bool(food_roles(sr24).loc["21224", "mixed_dish"])


def test_protein_from_name_takes_the_first_mention():
    assert protein_from_name("Beef and chicken stir fry") == "meat"
    assert protein_from_name("Shrimp fried rice with pork") == "seafood"
    assert protein_from_name("Pasta with tomato sauce, meatless") == ""
    assert protein_from_name("Egg noodles, cooked") == ""
    assert protein_from_name("Bean burrito") == "legumes"


def test_custom_foods_follow_name_rules_and_may_state_their_role():
    frame = pd.DataFrame({"food_id": ["a", "b", "c", "d"],
                          "name": ["Grandma's beef stew", "Oat cookies", "Mystery bowl", "Kefir"],
                          "energy_kcal": [100.0, 400.0, 50.0, 60.0], "role": ["", "sweet", "main", ""]})
    roles = food_roles(foods.FoodTable.from_frame(frame))
    assert roles.loc["a", ["role", "mixed_dish", "protein_source"]].tolist() == ["main", True, "meat"]
    assert roles.loc["b", ["role", "role_source"]].tolist() == ["sweet", "given"]
    assert roles.loc["c", ["role", "kind", "role_source"]].tolist() == ["main", "given", "given"]
    assert roles.loc["d", "role"] == "dairy"


def test_a_custom_role_that_is_not_a_role_is_refused_with_its_row(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("food_id,name,energy_kcal,role\nx1,Toast,250,starch\nx2,Cake,350,cake\n", encoding="utf-8")
    table = foods.FoodTable.from_csv(path)
    with pytest.raises(FoodDataError) as caught:
        food_roles(table)
    assert caught.value.row == 3 and caught.value.column == "role"
    assert "cake" in str(caught.value) and "main" in str(caught.value.fix)


def test_food_groups_are_fped_for_fndds(fndds):
    eq = food_group_equivalents(fndds)
    assert (eq["food_groups_source"] == "FPED").all()
    pd.testing.assert_frame_equal(eq[list(FPED_KEYS)], fndds.frame[list(FPED_KEYS)].astype(float),
                                  check_names=False)


def test_food_groups_are_estimated_by_role_for_sr24(sr24):
    eq = food_group_equivalents(sr24)
    assert eq.loc["01077", "dairy_cup_eq"] == pytest.approx(100 / 244)           # 1 cup milk = 1 cup-eq
    assert eq.loc["18075", "whole_grains_oz_eq"] == pytest.approx(100 / 28)      # whole-wheat bread
    assert eq.loc["18075", "refined_grains_oz_eq"] == 0.0
    assert eq.loc["15085", "seafood_oz_eq"] == pytest.approx(100 / 28.35)
    assert eq.loc["15085", "protein_foods_oz_eq"] == pytest.approx(100 / 28.35)
    assert eq.loc["04053", "oils_g"] == pytest.approx(100.0)
    assert eq.loc["09003", "fruit_cup_eq"] == pytest.approx(100 / 150)
    assert eq.loc["21224", "food_groups_source"] == "none" and eq.loc["21224", list(FPED_KEYS)].sum() == 0
    assert not eq[list(FPED_KEYS)].isna().any().any()


def test_every_estimate_row_names_a_role_and_kind_the_rules_give():
    given = set()
    for name in (WWEIA_FILE, SR24_FILE):
        rules = role_rules(name)
        given |= set(zip(rules["role"], rules["kind"]))
    rows = grams_per_equivalent()
    assert set(zip(rows["role"], rows["kind"])) <= given
    assert (rows["grams_per_eq"] > 0).all()
