"""Diet patterns and allergens of FNDDS dishes from their recipes; everyday subset rules."""

from __future__ import annotations

import pandas as pd
import pytest

import foods
from foods.fndds_tags import ingredient_flags, recipe_tags, rule_tags, sr_group
from foods.table import FoodTable


@pytest.fixture(scope="module")
def table() -> FoodTable:
    return foods.load_foods("fndds")


def _tags(table: FoodTable, food_id: str) -> tuple[bool, bool, bool, set[str]]:
    row = table[food_id]
    allergens = set(filter(None, row["allergens"].split(";")))
    return bool(row["vegan"]), bool(row["vegetarian"]), bool(row["pescatarian"]), allergens


def test_bean_burrito_with_cheese_is_vegetarian_not_vegan(table: FoodTable) -> None:
    vegan, vegetarian, _, allergens = _tags(table, "58100320")  # Burrito with beans, meatless
    assert "cheese" in " ".join(table.ingredients("58100320")["description"]).lower()
    assert vegetarian and not vegan and {"milk", "wheat"} <= allergens


def test_vegetable_soup_made_with_meat_broth_is_not_vegetarian(table: FoodTable) -> None:
    for food_id, broth in (("75651140", "chicken"), ("75649110", "beef")):  # vegetable soup with chicken/beef broth
        assert broth in " ".join(table.ingredients(food_id)["description"]).lower()
        vegan, vegetarian, pescatarian, _ = _tags(table, food_id)
        assert not vegetarian and not vegan and not pescatarian


def test_pesto_is_vegetarian_with_tree_nut_and_milk(table: FoodTable) -> None:
    vegan, vegetarian, _, allergens = _tags(table, "81302070")  # Pesto sauce: parmesan, pine nuts
    assert vegetarian and not vegan and {"milk", "tree_nut"} <= allergens
    vegan, vegetarian, _, allergens = _tags(table, "58146382")  # Pasta with cream sauce (pesto), home recipe
    assert vegetarian and not vegan and {"milk", "wheat"} <= allergens


def test_fried_rice_is_vegetarian_with_egg(table: FoodTable) -> None:
    vegan, vegetarian, _, allergens = _tags(table, "58150110")  # Rice, fried, meatless
    assert vegetarian and not vegan and "egg" in allergens
    assert not _tags(table, "58150320")[1]  # with chicken
    _, vegetarian, pescatarian, allergens = _tags(table, "58150510")  # with shrimp
    assert pescatarian and not vegetarian and "shellfish" in allergens


def test_plain_foods(table: FoodTable) -> None:
    assert _tags(table, "63101000")[:3] == (True, True, True)  # apple
    assert _tags(table, "43101150")[0]  # pumpkin seeds
    vegan, vegetarian, _, allergens = _tags(table, "11111000")  # whole milk
    assert vegetarian and not vegan and allergens == {"milk"}
    assert not any(_tags(table, "27146150")[:3])  # chicken curry
    assert table["27146150"]["tags_source"] == "recipe"
    # the whole catalogue: vegan implies vegetarian implies pescatarian; a flesh ingredient is never vegetarian
    frame = table.frame
    assert (frame["vegetarian"] | ~frame["vegan"]).all() and (frame["pescatarian"] | ~frame["vegetarian"]).all()
    meat = frame["wweia_code"].between(2002, 2010) | frame["wweia_code"].between(2202, 2206)
    assert not frame.loc[meat, "vegetarian"].any()
    assert not frame.loc[frame["wweia_category"] == "Fish", "vegetarian"].any()


def test_ingredient_rules() -> None:
    assert sr_group("01077") == "01" and sr_group("907971") == "07" and sr_group("999328") == ""
    assert ingredient_flags("06008", "Soup, beef broth or bouillon canned, ready-to-serve")["flesh"]
    assert not ingredient_flags("06000", "Soup, vegetable broth, ready to serve")["flesh"]
    assert ingredient_flags("15001", "Fish, anchovy, european, raw")["fish"]
    peanut_butter = ingredient_flags("16098", "Peanut butter, smooth style, with salt")
    assert peanut_butter["peanut"] and not peanut_butter["dairy"]
    assert ingredient_flags("19335", "Sugars, granulated") == {k: False for k in ingredient_flags("19335", "")} or \
        not ingredient_flags("19335", "Sugars, granulated")["maybe_animal"]
    assert ingredient_flags("19296", "Honey")["honey"]
    assert ingredient_flags("19172", "Gelatin desserts, dry mix")["flesh"]
    assert not ingredient_flags("12104", "Nuts, coconut meat, raw")["tree_nut"]
    assert ingredient_flags("12147", "Nuts, pine nuts, dried")["tree_nut"]
    assert ingredient_flags("20081", "Wheat flour, white, all-purpose")["gluten"]
    assert not ingredient_flags("20061", "Rice flour, white")["wheat"]
    assert not ingredient_flags("04044", "Oil, soybean, salad or cooking")["soy"]


def test_recipe_tags_and_rule_fallback() -> None:
    recipes = pd.DataFrame({"food_id": ["a", "a", "b", "b"], "sr_id": ["11090", "01009", "11090", "05064"],
                            "description": ["Broccoli, raw", "Cheese, cheddar", "Broccoli, raw",
                                            "Chicken, broilers or fryers, breast, meat only, cooked, roasted"],
                            "grams_per_100g": [50.0, 50.0, 50.0, 50.0]})
    tags = recipe_tags(recipes)
    assert tags.loc["a", ["vegan", "vegetarian"]].tolist() == [False, True] and tags.loc["a", "allergens"] == "milk"
    assert not tags.loc["b", "pescatarian"]
    fallback = rule_tags(pd.Series(["Tofu, baked", "Pork chop"], index=["t", "p"]), pd.Series([2806, 2006],
                                                                                               index=["t", "p"]))
    assert fallback.loc["t", "vegetarian"] and "soy" in fallback.loc["t", "allergens"]
    assert not fallback.loc["p", "vegetarian"] and not fallback.loc["p", "pescatarian"]


def test_everyday_subset(table: FoodTable) -> None:
    frame = table.frame
    everyday = frame[frame["everyday"]]
    assert 400 <= len(everyday) <= 800
    meals = everyday["meals"].str.split(";").explode()
    assert set(meals) == {"breakfast", "lunch", "dinner", "snack"}
    assert (everyday["meals"] != "").all() and (frame.loc[~frame["everyday"], "meals"] == "").all()
    assert everyday["wweia_code"].between(3002, 3802).sum() >= 60  # mixed dishes
    categories = set(everyday["wweia_category"])
    assert not any(c.startswith(("Baby", "Formula", "Human milk", "Beer", "Wine", "Liquor", "Protein and nutr"))
                   for c in categories)
    assert (everyday["alcohol_g"] <= 0.5).all()
    assert not everyday["name"].str.contains("infant|baby food|formula", case=False).any()
    for needed in ("Oatmeal", "Eggs and omelets", "Ready-to-eat cereal, lower sugar (=<21.2g/100g)", "Yeast breads",
                   "Yogurt, regular", "Soups", "Pasta mixed dishes, excludes macaroni and cheese",
                   "Stir-fry and soy-based sauce mixtures", "Burritos and tacos", "Other sandwiches (single code)",
                   "Salad dressings and vegetable oils", "Dips, gravies, other sauces", "Coffee", "Nuts and seeds",
                   "Bananas", "Broccoli", "Cheese", "Potato chips"):
        assert needed in categories, needed
    breakfast = everyday[everyday["meals"].str.contains("breakfast")]
    assert {"56203066", "31103010", "51101010", "11411200", "57134000"} <= set(breakfast.index)
    assert (everyday["default_portion_grams"] > 0).all()
