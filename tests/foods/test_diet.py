"""Diet-pattern and allergen rules on tricky names, and on the whole shipped catalogue."""

from __future__ import annotations

import pandas as pd
import pytest

from foods import load_foods
from foods.diet import ALLERGENS, diet_tags, tag_food

LEGUMES = "Legumes and Legume Products"
NUTS = "Nuts and Seed Products"
DAIRY = "Dairy and Egg Products"
VEG = "Vegetables and Vegetable Products"


def allergens(name: str, group: str = "") -> set[str]:
    text = str(tag_food(name, group)["allergens"])
    return set(text.split(";")) if text else set()


def pattern(name: str, group: str = "") -> str:
    """The most restrictive pattern a food fits: vegan, vegetarian, pescatarian or omnivore."""
    tags = tag_food(name, group)
    for key in ("vegan", "vegetarian", "pescatarian"):
        if tags[key]:
            return key
    return "omnivore"


@pytest.mark.parametrize(("name", "group", "expected"), [
    ("Peanut butter, smooth style, with salt", LEGUMES, "vegan"),
    ("Nuts, coconut milk, raw (liquid expressed from grated meat and water)", NUTS, "vegan"),
    ("Soymilk, original and vanilla, with added calcium, vitamins A and D", LEGUMES, "vegan"),
    ("Nuts, almond butter, plain, without salt added", NUTS, "vegan"),
    ("Butter, salted", DAIRY, "vegetarian"),
    ("Noodles, egg, cooked, enriched", "Cereal Grains and Pasta", "vegetarian"),
    ("Honey", "Sweets", "vegetarian"),
    ("Cereals ready-to-eat, GENERAL MILLS, HONEY NUT CHEERIOS", "Breakfast Cereals", "vegetarian"),
    ("Gelatins, dry powder, unsweetened", "Sweets", "omnivore"),
    ("Candies, marshmallows", "Sweets", "omnivore"),
    ("Fish oil, cod liver", "Fats and Oils", "pescatarian"),
    ("Mollusks, clam, mixed species, raw", "Finfish and Shellfish Products", "pescatarian"),
    ("Crustaceans, shrimp, mixed species, raw", "Finfish and Shellfish Products", "pescatarian"),
    ("Sauce, worcestershire", "Soups, Sauces, and Gravies", "pescatarian"),
    ("Salad dressing, caesar dressing, regular", "Fats and Oils", "pescatarian"),
    ("Lard", "Fats and Oils", "omnivore"),
    ("Fat, beef tallow", "Fats and Oils", "omnivore"),
    ("Chicken, broilers or fryers, breast, meat only, cooked, roasted", "Poultry Products", "omnivore"),
    ("Soup, chicken noodle, canned, condensed", "Soups, Sauces, and Gravies", "omnivore"),
    ("Refried beans, canned, traditional style (includes USDA commodity)", LEGUMES, "omnivore"),
    ("Beans, baked, canned, with pork and tomato sauce", LEGUMES, "omnivore"),
    ("Chicken, meatless", LEGUMES, "vegetarian"),  # meat analogue: not assumed vegan
    ("MORNINGSTAR FARMS Grillers Original, frozen, unprepared", LEGUMES, "vegetarian"),
    ("Spices, nutmeg, ground", "Spices and Herbs", "vegan"),
    ("Squash, winter, butternut, cooked, baked, without salt", VEG, "vegan"),
    ("Lambsquarters, cooked, boiled, drained, without salt", VEG, "vegan"),
    ("Melons, honeydew, raw", "Fruits and Fruit Juices", "vegan"),
    ("Chickpeas (garbanzo beans, bengal gram), mature seeds, cooked, boiled, without salt", LEGUMES, "vegan"),
    ("Cereals, CREAM OF WHEAT, regular, cooked with water, without salt", "Breakfast Cereals", "vegan"),
    ("Egg, whole, cooked, scrambled", DAIRY, "vegetarian"),
    ("Cheese, cheddar", DAIRY, "vegetarian"),
    ("Milk substitutes, fluid, with lauric acid oil", DAIRY, "vegetarian"),
    ("Bread, whole-wheat, commercially prepared", "Baked Products", "vegetarian"),
    ("Potatoes, mashed, home-prepared, whole milk and butter added", VEG, "vegetarian"),
    ("Oil, olive, salad or cooking", "Fats and Oils", "vegan"),
    ("Tofu, firm, prepared with calcium sulfate and magnesium chloride (nigari)", LEGUMES, "vegan"),
    ("Fast foods, potato, french fried in vegetable oil", "Fast Foods", "omnivore"),
    ("Seal, bearded (Oogruk), meat, dried (Alaska Native)", "American Indian/Alaska Native Foods", "omnivore"),
    ("Candies, jellybeans", "Sweets", "omnivore"),  # gelatin
    ("Ensure plus, liquid nutrition", "Beverages", "vegetarian"),  # milk protein
    ("Coffee, dry, powder, with whitener, reduced calorie", "Beverages", "vegetarian"),
    ("Sandwich spread, with chopped pickle, regular, unspecified oils", "Fats and Oils", "vegetarian"),
    ("Sauce, sofrito, prepared from recipe", "Soups, Sauces, and Gravies", "omnivore"),  # cured ham
    ("Falafel, home-prepared", LEGUMES, "vegetarian"),  # recipe unknown: not assumed vegan
    ("Alcoholic beverage, wine, table, red", "Beverages", "vegetarian"),  # fining agents
    ("Snacks, rice cakes, brown rice, plain", "Sweets", "vegan"),
    ("Coffee, brewed from grounds, prepared with tap water", "Beverages", "vegan"),
])
def test_diet_pattern_of_tricky_names(name: str, group: str, expected: str) -> None:
    assert pattern(name, group) == expected


@pytest.mark.parametrize(("name", "group", "present", "absent"), [
    ("Peanut butter, smooth style, with salt", LEGUMES, {"peanut"}, {"milk", "tree_nut"}),
    ("Butter, salted", DAIRY, {"milk"}, {"peanut"}),
    ("Noodles, egg, cooked, enriched", "Cereal Grains and Pasta", {"egg", "wheat", "gluten"}, {"milk"}),
    ("Spices, nutmeg, ground", "Spices and Herbs", set(), {"tree_nut"}),
    ("Squash, winter, butternut, cooked, baked, without salt", VEG, set(), {"tree_nut"}),
    ("Nuts, butternuts, dried", NUTS, {"tree_nut"}, set()),
    ("Doughnuts, cake-type, plain", "Baked Products", {"wheat", "gluten"}, {"tree_nut"}),
    ("Nuts, coconut meat, raw", NUTS, set(), {"tree_nut"}),
    ("Nuts, mixed nuts, dry roasted, with peanuts, without salt added", NUTS, {"peanut", "tree_nut"}, set()),
    ("Fish oil, cod liver", "Fats and Oils", {"fish"}, {"shellfish"}),
    ("Mollusks, clam, mixed species, raw", "Finfish and Shellfish Products", {"shellfish"}, {"fish"}),
    ("Crustaceans, shrimp, mixed species, raw", "Finfish and Shellfish Products", {"shellfish"}, {"fish"}),
    ("Sauce, worcestershire", "Soups, Sauces, and Gravies", {"fish"}, set()),
    ("Soymilk, original and vanilla, unfortified", LEGUMES, {"soy"}, {"milk"}),
    ("Nuts, coconut milk, canned (liquid expressed from grated meat and water)", NUTS, set(), {"milk"}),
    ("Hummus, commercial", LEGUMES, {"sesame"}, set()),
    ("Seeds, sesame butter, tahini, from roasted and toasted kernels", NUTS, {"sesame"}, set()),
    ("Barley, pearled, cooked", "Cereal Grains and Pasta", {"gluten"}, {"wheat"}),
    ("Rice, brown, long-grain, cooked", "Cereal Grains and Pasta", set(), {"gluten", "wheat"}),
    ("Buckwheat groats, roasted, cooked", "Cereal Grains and Pasta", set(), {"gluten", "wheat"}),
    ("Tortillas, ready-to-bake or -fry, corn", "Baked Products", set(), {"wheat"}),
    ("Eggplant, cooked, boiled, drained, without salt", VEG, set(), {"egg"}),
    ("Soy sauce made from soy and wheat (shoyu)", "Soups, Sauces, and Gravies", {"soy", "wheat", "gluten"}, set()),
])
def test_allergens_of_tricky_names(name: str, group: str, present: set[str], absent: set[str]) -> None:
    found = allergens(name, group)
    assert present <= found, f"{name}: expected {present}, got {found}"
    assert not (absent & found), f"{name}: did not expect {absent & found}"


def test_tags_are_vectorised_and_keep_the_index() -> None:
    names = pd.Series(["Honey", "Tofu, raw, regular"], index=["a", "b"])
    groups = pd.Series(["Sweets", LEGUMES], index=["a", "b"])
    tags = diet_tags(names, groups)
    assert list(tags.index) == ["a", "b"]
    assert tags["vegan"].tolist() == [False, True]
    assert tags["omnivore"].all()


def test_shipped_catalogue_never_calls_an_animal_group_vegan() -> None:
    frame = load_foods().frame
    animal_groups = {"Poultry Products", "Pork Products", "Beef Products", "Lamb, Veal, and Game Products",
                     "Finfish and Shellfish Products", DAIRY, "Sausages and Luncheon Meats"}
    animal = frame[frame["group"].isin(animal_groups)]
    assert not animal["vegan"].any(), animal.loc[animal["vegan"], "name"].tolist()[:5]
    meat_named = frame["name"].str.contains(r"\b(?:beef|pork|chicken|turkey|bacon|ham|fish|salmon|tuna|shrimp)\b",
                                            case=False, regex=True)
    meatless = frame["name"].str.contains("meatless|vegetarian|veggie", case=False)
    assert not frame.loc[meat_named & ~meatless, "vegetarian"].any()


def test_shipped_catalogue_tag_invariants() -> None:
    frame = load_foods().frame
    assert (~frame["vegan"] | frame["vegetarian"]).all()  # vegan implies vegetarian
    assert (~frame["vegetarian"] | frame["pescatarian"]).all()
    assert frame["omnivore"].all()
    codes = {c for text in frame["allergens"] for c in text.split(";") if c}
    assert codes <= set(ALLERGENS)
    assert 1500 < int(frame["vegan"].sum()) < int(frame["vegetarian"].sum()) < len(frame)
