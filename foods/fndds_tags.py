"""Diet patterns and allergens of FNDDS dishes, from their recipes (SR ingredients) or, without one, by rules.

Ingredient level: each SR ingredient is judged by its SR food group (the id's first two digits; for the
6-digit ``9xxxxx`` "REDUCED SODIUM" codes, digits 2-3) and its description:

- *flesh*: meat and poultry groups (05 poultry, 07 sausages/luncheon meats, 10 pork, 13 beef, 17 lamb/veal/game)
  or a meat word (beef, chicken, lard, gelatin, broth of meat, ...); *fish*: group 15 or a fish word
  (anchovy, Worcestershire, fish sauce); *shellfish* by name (shrimp, crab, oyster sauce, ...);
  soups, stocks and bouillon that are not said to be vegetable are counted as flesh (they usually are meat stock).
- *dairy*: group 01 except eggs, or a dairy word (milk, cheese, butter, cream, whey, yogurt; plant milks,
  peanut/cocoa butter, cream of tartar excluded); *egg*: an egg word (egg, yolk, mayonnaise); *honey*.
- *maybe animal* (not vegan, still vegetarian): processed groups whose products often hide milk, egg or animal
  fat (18 baked products, 19 sweets, 21 fast foods, 22 mixed meals, 25 snacks, 36 restaurant foods, 03 baby
  foods, ready-to-eat cereals with vitamin D3, margarine) unless the name is on a short plant-only list.

Dish level: **vegetarian** = no ingredient is flesh, fish, shellfish or gelatin; **pescatarian** = no flesh or
gelatin; **vegan** = vegetarian and no dairy, egg, honey or maybe-animal ingredient; **omnivore** always.
Allergens (``milk, egg, fish, shellfish, peanut, tree_nut, wheat, gluten, soy, sesame``) are the union over the
ingredients, any amount. Foods without a recipe fall back to :func:`foods.diet.diet_tags` on the name with an
SR-like group derived from the WWEIA category, and are flagged ``tags_source = "rules"``.
"""

from __future__ import annotations

import re

import pandas as pd

from foods.diet import ALLERGENS, diet_tags

FLESH_GROUPS = frozenset({"05", "07", "10", "13", "17"})
FISH_GROUP = "15"
DAIRY_GROUP = "01"
#: Processed SR groups: an ingredient from these is "maybe animal" (not vegan) unless plainly plant-only.
PROCESSED_GROUPS = frozenset({"03", "18", "19", "21", "22", "25", "35", "36"})

FLESH = re.compile(
    r"\b(beef|pork|chicken|turkey|ham|bacon|sausages?|salami|pepperoni|bologna|frankfurters?|lamb|veal|mutton|"
    r"goat|venison|bison|game|duck|goose|dove|squab|pigeon|quail|pheasant|grouse|rabbit|meats?|liver|lard|"
    r"tallow|suet|gelatins?|gelatine|chorizo|prosciutto|"
    r"pastrami|gravy|drippings|marshmallows?|collagen)\b")
NOT_FLESH = re.compile(r"\b(meatless|without meat|imitation|vegetarian|coconut meat|soy-based|veggie|vegan)\b")
SOUP_STOCK = re.compile(r"\b(soups?|stock|broth|bouillon|consomme)\b")
VEGETABLE_STOCK = re.compile(r"\b(vegetable broth|broth, vegetable|vegetable stock|vegetarian|meatless|"
                             r"tomato|cream of mushroom|cream of celery|minestrone|vegetable soup)\b")
FISH = re.compile(r"\b(fish|anchov(y|ies)|worcestershire|salmon|tuna|cod|sardines?|caesar|bonito|dashi)\b")
SHELLFISH = re.compile(r"\b(shrimp|prawns?|crabs?|lobster|clams?|oysters?|mussels?|scallops?|squid|octopus|"
                       r"crayfish|crawfish)\b")
DAIRY = re.compile(r"\b(milk|cheeses?|butter|buttermilk|cream|creamer|yogurt|whey|casein|caseinate|ghee|kefir|"
                   r"lactose|ice creams?|custard|pudding|sour cream|nonfat dry milk)\b")
NOT_DAIRY = re.compile(r"\b(soy ?milk|soymilk|coconut milk|coconut cream|almond milk|rice milk|oat milk|"
                       r"(peanut|almond|cashew|apple|cocoa|sesame|nut|seed|sunflower seed) butter|butter beans|"
                       r"butterhead|butternut|cream of tartar|cream of wheat|cream of rice|milk, imitation|"
                       r"cream substitute, .*non-?dairy|non-?dairy|cocoa butter|shea|without milk|milkfish)\b")
#: Egg by name; restaurant fried rice, chow/lo mein and egg rolls are made with egg even when the name is silent.
EGG = re.compile(r"\b(eggs?|egg whites?|yolks?|mayonnaise|mayo|meringue|eggnog|fried rice|chow mein|lo mein)\b")
HONEY = re.compile(r"\b(honey)\b")
#: Often made with animal products the name does not show (traditional refried beans: lard; margarine: whey).
MAYBE_ANIMAL = re.compile(r"\b(margarine|refried beans, canned, traditional|ready-to-eat|"
                          r"shortening, (household, )?(lard|animal)|vitamin d3)\b")
PLANT_PROCESSED = re.compile(
    r"^(sugars?|syrups?|molasses|jams|jellies|marmalade|cocoa, dry powder|sweeteners?|pectin|tortillas, "
    r"ready-to-bake or -fry, (corn|flour)|taco shells|crackers, (matzo|saltines)|pita|bread, (pita|french|"
    r"italian)|bagels|rice cakes?|snacks, (potato chips, plain|tortilla chips, plain|popcorn, air-popped|"
    r"pretzels)|pretzels|tortilla chips|popcorn, air-popped|english muffins, plain)")
PEANUT = re.compile(r"\b(peanuts?|peanut butter)\b")
TREE_NUT = re.compile(r"\b(almonds?|walnuts?|cashews?|pecans?|pistachios?|pistachio nuts|hazelnuts?|filberts?|"
                      r"macadamias?|macadamia nuts|brazil ?nuts|brazilnuts|pine ?nuts|pinyon|chestnuts?|"
                      r"hickory ?nuts|beechnuts|butternuts|nuts, mixed|mixed nuts|praline|marzipan|nutella)\b")
NOT_TREE_NUT = re.compile(r"\b(coconut|butternut squash|squash, winter, butternut|nutmeg|nutritional)\b")
WHEAT = re.compile(r"\b(wheat|flour|breads?|bread crumbs|breadcrumbs|pasta|spaghetti|macaroni|noodles?|couscous|"
                   r"bulgur|semolina|durum|farina|seitan|crackers?|pretzels?|bagels?|croutons|stuffing|matzo|"
                   r"graham|spelt|triticale|kamut|soy sauce|teriyaki|rolls|buns|tortillas, ready-to-bake or -fry, "
                   r"flour|pita|biscuits?|cookies?|cakes?|pie crust|doughnuts?|croissants?|muffins?|pancakes?|"
                   r"waffles?|wontons?|dumplings?|cereals ready-to-eat, (wheat|whole wheat|bran))\b")
NOT_WHEAT = re.compile(r"\b(rice flour|corn flour|masa|soy flour|potato flour|peanut flour|chickpea flour|"
                       r"arrowroot flour|tapioca|rice noodles|cellophane|noodles, japanese, soba|buckwheat|"
                       r"corn tortillas?|tortillas, ready-to-bake or -fry, corn|rice cakes?|gluten-free|"
                       r"breadfruit|cornstarch|cream of rice)\b")
GLUTEN_ONLY = re.compile(r"\b(barley|rye|malt|malted|oats?|oatmeal|oat bran|granola|spelt|kamut|pumpernickel)\b")
SOY = re.compile(r"\b(soy|soya|soybeans?|soymilk|tofu|tempeh|miso|edamame|natto|soy sauce|teriyaki)\b")
NOT_SOY = re.compile(r"\b(oil, soybean|soybean oil|soy lecithin|soybean, lecithin)\b")
SESAME = re.compile(r"\b(sesame|tahini|hummus)\b")

#: WWEIA category code ranges -> SR group name used by the name-rule fallback (foods without a recipe).
WWEIA_FALLBACK_GROUPS: tuple[tuple[int, int, str], ...] = (
    (1002, 1402, "Dairy and Egg Products"), (1602, 1822, "Dairy and Egg Products"),
    (2002, 2004, "Beef Products"), (2006, 2006, "Pork Products"), (2008, 2010, "Lamb, Veal, and Game Products"),
    (2202, 2206, "Poultry Products"), (2402, 2404, "Finfish and Shellfish Products"),
    (2502, 2502, "Dairy and Egg Products"), (2602, 2608, "Sausages and Luncheon Meats"),
    (2802, 2802, "Legumes and Legume Products"), (2804, 2804, "Nuts and Seed Products"),
    (3002, 3802, "Meals, Entrees, and Side Dishes"), (4002, 4004, "Cereal Grains and Pasta"),
    (4202, 4404, "Baked Products"), (4602, 4804, "Breakfast Cereals"), (5002, 5404, "Snacks"),
    (5502, 5506, "Baked Products"), (5702, 5806, "Sweets"), (6002, 6024, "Fruits and Fruit Juices"),
    (6402, 6806, "Vegetables and Vegetable Products"), (7002, 7006, "Fruits and Fruit Juices"),
    (7008, 7804, "Beverages"), (8002, 8012, "Fats and Oils"), (8402, 8412, "Soups, Sauces, and Gravies"),
    (8802, 8806, "Sweets"), (9002, 9602, "Baby Foods"),
)
DIET_FLAGS = ("flesh", "fish", "shellfish", "dairy", "egg", "honey", "maybe_animal")
#: Every ingredient flag (the fish and shellfish flags double as those allergens).
FLAGS = (*DIET_FLAGS, *(code for code in ALLERGENS if code not in DIET_FLAGS))


def sr_group(sr_id: str) -> str:
    """SR food group code of an ingredient id ("01077" -> "01"; "907971" -> "07"); "" when not an SR code."""
    if len(sr_id) == 5:
        return sr_id[:2]
    if len(sr_id) == 6 and sr_id.startswith("9") and not sr_id.startswith("99"):
        return sr_id[1:3]
    return ""


def ingredient_flags(sr_id: str, description: str) -> dict[str, bool]:
    """What one SR ingredient is: ``flesh, fish, shellfish, dairy, egg, honey, maybe_animal`` and allergen codes."""
    text = description.lower()
    group = sr_group(sr_id)
    meatless = bool(NOT_FLESH.search(text))
    stock = (bool(SOUP_STOCK.search(text)) and not VEGETABLE_STOCK.search(text) and not FISH.search(text)
             and not SHELLFISH.search(text) and group in {"06", ""} | FLESH_GROUPS)
    flesh = (group in FLESH_GROUPS or bool(FLESH.search(text)) or stock) and not meatless
    shellfish = bool(SHELLFISH.search(text)) and not meatless
    fish = (group == FISH_GROUP and not shellfish) or bool(FISH.search(text))
    egg = bool(EGG.search(text)) or (group == DAIRY_GROUP and text.startswith("egg"))
    dairy = (group == DAIRY_GROUP and not text.startswith("egg")) or bool(DAIRY.search(NOT_DAIRY.sub(" ", text)))
    maybe = ((group in PROCESSED_GROUPS and not PLANT_PROCESSED.search(text))
             or (group == "08" and "ready-to-eat" in text) or bool(MAYBE_ANIMAL.search(text)))
    wheat = (bool(WHEAT.search(NOT_WHEAT.sub(" ", text)))
             or (group == "18" and not NOT_WHEAT.search(text) and "corn" not in text))
    flags = {"flesh": flesh, "fish": fish, "shellfish": shellfish, "dairy": dairy, "egg": egg,
             "honey": bool(HONEY.search(text)), "maybe_animal": maybe,
             "milk": dairy, "peanut": bool(PEANUT.search(text)),
             "tree_nut": bool(TREE_NUT.search(NOT_TREE_NUT.sub(" ", text))), "wheat": wheat,
             "gluten": wheat or bool(GLUTEN_ONLY.search(text)),
             "soy": bool(SOY.search(NOT_SOY.sub(" ", text))), "sesame": bool(SESAME.search(text))}
    return flags


def recipe_tags(recipes: pd.DataFrame) -> pd.DataFrame:
    """Diet tags of every food with a recipe, from its expanded ingredients.

    ``recipes`` has ``food_id, sr_id, description`` (see :mod:`foods.fndds_recipes`). Returns a frame indexed
    by ``food_id`` with bool ``vegan, vegetarian, pescatarian, omnivore`` and ``allergens`` (";"-joined).
    """
    unique = recipes[["sr_id", "description"]].drop_duplicates()
    judged = pd.DataFrame([ingredient_flags(s, d) for s, d in zip(unique["sr_id"], unique["description"])],
                          index=pd.MultiIndex.from_frame(unique), columns=list(FLAGS))
    per_row = judged.reindex(pd.MultiIndex.from_frame(recipes[["sr_id", "description"]])).to_numpy()
    per_food = pd.DataFrame(per_row, columns=list(FLAGS), index=recipes["food_id"].to_numpy()).groupby(level=0).any()
    pescatarian = ~per_food["flesh"]
    vegetarian = pescatarian & ~per_food["fish"] & ~per_food["shellfish"]
    vegan = vegetarian & ~per_food["dairy"] & ~per_food["egg"] & ~per_food["honey"] & ~per_food["maybe_animal"]
    return _tag_frame(per_food, vegan, vegetarian, pescatarian)


def fallback_group(wweia_code: int) -> str:
    """SR-like group name for a WWEIA category (used only by the name-rule fallback); "" when none fits."""
    for low, high, name in WWEIA_FALLBACK_GROUPS:
        if low <= wweia_code <= high:
            return name
    return ""


def rule_tags(names: pd.Series, wweia_codes: pd.Series) -> pd.DataFrame:
    """Diet tags by name rules (:func:`foods.diet.diet_tags`) with a WWEIA-derived group, for foods without recipe.

    Meat, poultry, fish and mixed-dish WWEIA categories are never vegan; meat and poultry ones never vegetarian.
    """
    groups = pd.Series([fallback_group(int(c)) for c in wweia_codes], index=names.index)
    tags = diet_tags(names, groups)
    codes = wweia_codes.astype(int)
    flesh_category = codes.between(2002, 2010) | codes.between(2202, 2206) | codes.between(2602, 2608)
    fish_category = codes.between(2402, 2404)
    tags.loc[flesh_category, ["vegan", "vegetarian", "pescatarian"]] = False
    tags.loc[fish_category, ["vegan", "vegetarian"]] = False
    tags.loc[codes.between(3002, 3802), "vegan"] = False
    return tags


def _tag_frame(flags: pd.DataFrame, vegan: pd.Series, vegetarian: pd.Series, pescatarian: pd.Series) -> pd.DataFrame:
    allergens = pd.Series("", index=flags.index, dtype=object)
    for code in ALLERGENS:
        allergens = allergens.mask(flags[code].to_numpy(dtype=bool), allergens + ";" + code)
    frame = pd.DataFrame({"vegan": vegan.astype(bool), "vegetarian": vegetarian.astype(bool),
                          "pescatarian": pescatarian.astype(bool), "omnivore": True,
                          "allergens": allergens.str.lstrip(";").astype(str)}, index=flags.index)
    frame.index.name = "food_id"
    return frame
