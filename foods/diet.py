"""Diet-pattern tags and allergens for every food, by rules on its SR food group and its name.

The rules are conservative on purpose: calling an animal food vegan (or a meat dish vegetarian) is the
worst mistake, so a food is vegan only when its group is plant-based (or its name is on a short list of
plainly plant-only items) *and* its name mentions nothing animal. Composite groups (fast foods, restaurant
foods, soups, mixed dishes, baby foods) are never vegan. Allergens are tagged when the name or group makes
them evident, erring toward tagging ("may contain"); always read the label of a real product.

Allergen codes: ``milk, egg, fish, shellfish, peanut, tree_nut, wheat, gluten, soy, sesame``.
``gluten`` follows the EU list of cereals containing gluten (wheat, rye, barley, oats, spelt, kamut).
Coconut is not counted as a tree nut (FDA guidance since 2025).
"""

from __future__ import annotations

import functools
import re

import pandas as pd

ALLERGENS: tuple[str, ...] = ("milk", "egg", "fish", "shellfish", "peanut", "tree_nut", "wheat", "gluten", "soy",
                              "sesame")
DIET_COLUMNS: tuple[str, ...] = ("vegan", "vegetarian", "pescatarian", "omnivore")

MEAT_GROUPS = {"Poultry Products", "Pork Products", "Beef Products", "Lamb, Veal, and Game Products",
               "Sausages and Luncheon Meats"}
FISH_GROUP = "Finfish and Shellfish Products"
DAIRY_EGG_GROUP = "Dairy and Egg Products"
#: Mixed dishes whose names rarely list every ingredient: vegetarian only when the name says so.
STRICT_COMPOSITE_GROUPS = {"Fast Foods", "Restaurant Foods", "American Indian/Alaska Native Foods",
                           "Soups, Sauces, and Gravies"}
#: Never vegan (ingredients unknown), vegetarian when no animal flesh is named.
COMPOSITE_GROUPS = STRICT_COMPOSITE_GROUPS | {"Meals, Entrees, and Side Dishes", "Baby Foods"}
#: Groups whose foods are plant-based unless the name says otherwise.
PLANT_GROUPS = {"Spices and Herbs", "Fats and Oils", "Fruits and Fruit Juices", "Vegetables and Vegetable Products",
                "Nuts and Seed Products", "Legumes and Legume Products", "Cereal Grains and Pasta", "Beverages"}
#: In other (processed) groups, only these plainly plant-only items may be vegan.
PLANT_ONLY_NAMES = (r"^sugars?,|^syrups?, (maple|corn|cane|sorghum|malt)|^molasses|^jams and preserves|^jellies,"
                    r"|^marmalade|^cocoa, dry powder, unsweetened|^agave|^sweeteners, tabletop|^pectin"
                    r"|^tortillas, ready-to-bake or -fry, corn|^taco shells|^crackers, matzo|^popcorn, (air|oil)-popped"
                    r"|^snacks, (potato chips, plain|tortilla chips, plain|rice cakes|popcorn, (air|oil)-popped)"
                    r"|^rice cake|^cereals, oats, |^cereals, corn grits|^cereals, (cream of wheat|farina)")

_MEATLESS = r"\b(meatless|vegetarian|veggie|vegan|meat substitute|meat extender)\b"
_MEAT = (r"\b(beef|pork|chicken|turkey|ham|hamburgers?|bacon|sausages?|salami|pepperoni|bologna|frankfurters?|"
         r"hot ?dogs?|lamb|veal|mutton|venison|bison|buffalo|elk|deer|moose|caribou|rabbit|squirrel|ducks?|goose|"
         r"quail|pheasant|dove|squab|ostrich|emu|meats?|meatballs?|meatloaf|meat loaf|liver|livers|gizzards?|"
         r"giblets|tongue|tripe|gravy|lard|tallow|suet|chorizo|pastrami|corned|prosciutto|pate|scrapple|"
         r"headcheese|chitterlings|bratwurst|kielbasa|jerky|luncheon|pemmican|seal|whale|walrus|beaver|bear|"
         r"muskrat|opossum|raccoon|frog|turtle|carne|chili con carne|broth|bouillon|stock|oxtail|marrow|"
         r"refried|franks|sloppy joe|cheeseburgers?|chili with beans|beans, baked, home prepared|sofrito|"
         r"mole poblano|mincemeat|mince|tamales?|empanadas?|pozole|menudo)\b")
# Words above that are fine when clearly plant-based:
_NOT_MEAT = (r"\b(vegetable broth|broth, vegetable|"
             r"cod liver|fish liver|liver oil|coconut meat|grated meat|refried beans, canned, fat-free)\b")
_GELATIN = (r"\b(gelatins?|gelatine|marshmallows?|gummy|gummi|gum ?drops|jelly ?beans|candy corn|aspic|jell-o|"
            r"starburst|fruit chews)\b")
_FISH = (r"\b(fish|fishes|salmon|tuna|cod|haddock|halibut|trout|sardines?|anchov(y|ies)|mackerel|herring|pollock|"
         r"tilapia|catfish|bass|perch|pike|snapper|grouper|sole|flounder|swordfish|mahimahi|whitefish|carp|eel|"
         r"roe|caviar|surimi|worcestershire|shark|sturgeon|smelt|lox|kippered|bluefish|butterfish|burbot|cisco|"
         r"croaker|cusk|dolphinfish|drum|mullet|ling|lingcod|milkfish|monkfish|pompano|pout|rockfish|roughy|"
         r"sablefish|scup|sheepshead|sucker|sunfish|tilefish|wolffish|yellowtail|whiting|turbot|caesar|"
         r"pollack|tuna salad|gefiltefish|bonito|dashi|nuoc mam)\b")
_SHELLFISH = (r"\b(shellfish|shrimps?|prawns?|crabs?|lobsters?|crayfish|crawfish|clams?|oysters?|mussels?|"
              r"scallops?|squid|calamari|octopus|abalone|conch|whelks?|cuttlefish|snails?|escargot|mollusks|"
              r"crustaceans|jellyfish|sea cucumber|sea urchin)\b")
_EGG = (r"\b(eggs?|egg substitute|mayonnaise|mayo|meringue|custards?|eggnog|french toast|quiche|hollandaise|"
        r"nougat|albumen|souffle|coleslaw|potato salad|caesar|salad dressing|dressing|fresh-refrigerated|"
        r"sandwich spread|chow mein|"
        r"pancakes?|waffles?|cakes?|cookies?|muffins?|brownies?|doughnuts?|croissants?|danish|eclairs?|"
        r"cream puffs?|crepes?|popovers?|strudel|pastry|pastries|sponge|challah|brioche)\b")
_MILK = (r"\b(milk|milks|cheese|cheeses|cheddar|mozzarella|parmesan|ricotta|feta|brie|camembert|gouda|butter|"
         r"buttermilk|cream|creamed|creamer|yogurts?|yoghurt|whey|casein|caseinate|lactose|ghee|kefir|custards?|"
         r"eggnog|ice creams?|frozen yogurts?|pudding|puddings|au gratin|scalloped|scrambled|omelets?|alfredo|"
         r"fondue|butterscotch|"
         r"caramels?|toffee|fudge|milkshake|shakes?|latte|cappuccino|cocoa mix|hot chocolate|instant breakfast|"
         r"nutritional supplement|margarine|margarine-like|quesadilla|nachos|pizza|lasagna|macaroni and cheese|"
         r"cheeseburger|pancakes?|waffles?|cakes?|cookies?|muffins?|brownies?|doughnuts?|croissants?|biscuits?|"
         r"scones?|danish|eclairs?|cream puffs?|crepes?|pastry|pastries|white sauce|cream sauce|infant formula|"
         r"whitener|ensure|supligen|meal supplement|meal replacement|malted drink|malted milk|horchata)\b")
# Plant "milks" and "butters", and other names that merely look dairy:
_NOT_MILK = (r"\b(soy ?milk|soymilk|coconut milk|coconut cream|almond milk|rice milk|oat milk|"
             r"milk, imitation, non-soy|(peanut|almond|cashew|apple|cocoa|sesame|shea|nut|seed|sunflower seed|"
             r"pumpkin seed|soy|pear|plum|fruit) butter|butter beans|butterbur|butterhead|cream of tartar|"
             r"cream of wheat|cream of rice|milkfish|milkweed|coconut water|rice cakes?|english muffins?)\b")
_HONEY = r"\b(honey|honey-?roasted|royal jelly|bee pollen)\b"
_NOT_VEGAN_OTHER = (r"\b(worthington|morningstar|loma linda|gardenburger|boca|chocolate|candies|candy|wine|beer|"
                    r"breaded|batter|batter-dipped|cereals? ready-to-eat|cereals, ready-to-eat|vitamin d3|"
                    r"shortening|cream substitute|whipped topping|sherbet|omega-3|dha|restaurant|tortilla mix|home-prepared|"
                    r"home prepared|prepared-from-recipe|prepared from recipe|candied, home|popcorn, oil-popped, microwave)\b")
_PEANUT = r"\b(peanuts?|peanut butter|goobers?|trail mix)\b"
_TREE_NUT = (r"\b(almonds?|walnuts?|cashews?|pecans?|pistachios?|pistachio nuts|hazelnuts?|filberts?|macadamias?|"
             r"macadamia nuts|brazil ?nuts|brazilnuts|pine ?nuts|pinyon|chestnuts?|hickory ?nuts|hickorynuts|"
             r"beechnuts|butternuts|ginkgo nuts|acorns?|praline|marzipan|nutella|mixed nuts|trail mix|nuts|nut)\b")
_NOT_TREE_NUT = r"\b(nuts, coconut|butternut squash|squash, winter, butternut)\b"
_WHEAT = (r"\b(wheat|flour|bread|breads|breadcrumbs|bread crumbs|pasta|spaghetti|macaroni|noodles?|couscous|"
          r"bulgur|semolina|durum|farina|seitan|vital wheat gluten|crackers?|pretzels?|bagels?|croissants?|"
          r"biscuits?|cookies?|cakes?|muffins?|pancakes?|waffles?|pizza|pies?|pie crust|breaded|batter|"
          r"batter-dipped|croutons|stuffing|matzo|graham|spelt|triticale|kamut|wheaties|soy sauce|teriyaki|"
          r"ramen|dumplings?|wontons?|egg rolls?|rolls|buns?|doughnuts?|danish|pastry|pastries|tortillas?|"
          r"burritos?|sandwich|sandwiches|hamburgers?|cheeseburgers?|lasagna|ravioli|tortellini|gnocchi|"
          r"bran flakes|shredded wheat|cream of wheat|brownies?|eclairs?|crepes?|pita|strudel|sponge|"
          r"challah|brioche|baklava|shortbread|cereals ready-to-eat)\b")
_NOT_WHEAT = (r"\b(rice noodles|noodles, (chinese, cellophane|japanese, soba)|cellophane|rice flour|corn flour|"
              r"soy flour|potato flour|peanut flour|chickpea flour|sesame flour|sunflower seed flour|"
              r"cottonseed flour|arrowroot flour|carob flour|rice cakes?|pie fillings?|"
              r"sauce, pasta, spaghetti/marinara|sauce, pasta|pasta sauce|spaghetti sauce|corn tortillas?|"
              r"tortillas, ready-to-bake or -fry, corn|gluten-free|wheat-free|buckwheat|breadfruit|bread fruit)\b")
_GLUTEN_ONLY = r"\b(barley|rye|malt|malted|pumpernickel|oats?|oatmeal|oat bran|granola|muesli|spelt|kamut|seitan)\b"
_SOY = (r"\b(soy|soya|soybeans?|soymilk|tofu|tempeh|miso|edamame|natto|soy sauce|teriyaki|textured vegetable protein"
        r"|meatless|vegetarian|veggie|meat substitute|meat extender|okara|yuba)\b")
_SESAME = r"\b(sesame|tahini|halvah|halva|hummus)\b"


@functools.cache
def _plain(pattern: str) -> str:
    """The pattern with non-capturing groups (``str.contains`` wants none), kept as text so pandas can
    hand it to a fast regex engine when one is available."""
    return re.sub(r"\((?!\?)", "(?:", pattern)


def _has(text: pd.Series, pattern: str) -> pd.Series:
    return text.str.contains(_plain(pattern), regex=True, na=False)


def _without(text: pd.Series, pattern: str) -> pd.Series:
    """The text with look-alike phrases (e.g. 'peanut butter' for dairy) blanked out."""
    return text.str.replace(_plain(pattern), " ", regex=True)


def _soup_like(text: pd.Series) -> pd.Series:
    return _has(text, r"\b(soups?|gravy|stock|broth|bouillon|chowder|stew)\b")


def diet_tags(names: pd.Series, groups: pd.Series) -> pd.DataFrame:
    """Tag foods: returns a frame (same index) with bool ``vegan, vegetarian, pescatarian, omnivore`` and
    ``allergens`` (";"-joined codes in :data:`ALLERGENS` order, "" when none is evident)."""
    text = names.fillna("").astype(str).str.lower().str.replace("&quot;", '"', regex=False)
    group = pd.Series(groups.fillna("").astype(str).to_numpy(), index=names.index)
    meatless = _has(text, _MEATLESS)
    meat = (group.isin(MEAT_GROUPS) | _has(_without(text, _NOT_MEAT), _MEAT)) & ~meatless
    gelatin = _has(text, _GELATIN)
    shellfish = _has(text, _SHELLFISH) & ~meatless
    fish = (_has(text, _FISH) | ((group == FISH_GROUP) & ~shellfish)) & ~meatless
    egg = (_has(_without(text, r"\b(rice cakes?|english muffins?)\b"), _EGG)
           | ((group == DAIRY_EGG_GROUP) & _has(text, r"\begg")))
    milk = _has(_without(text, _NOT_MILK), _MILK) | ((group == DAIRY_EGG_GROUP) & ~_has(text, r"^egg"))
    honey = _has(text, _HONEY)

    soups = (group == "Soups, Sauces, and Gravies") & _soup_like(text)
    strict = (group.isin(STRICT_COMPOSITE_GROUPS - {"Soups, Sauces, and Gravies"}) | soups) & ~meatless
    pescatarian = ~meat & ~gelatin & ~strict
    vegetarian = pescatarian & ~fish & ~shellfish
    plant_source = group.isin(PLANT_GROUPS) | _has(text, PLANT_ONLY_NAMES)
    vegan = (vegetarian & plant_source & ~group.isin(COMPOSITE_GROUPS | {DAIRY_EGG_GROUP}) & ~egg & ~milk
             & ~honey & ~meatless & ~_has(text, _NOT_VEGAN_OTHER))

    tree_nut = _has(_without(text, _NOT_TREE_NUT), _TREE_NUT)
    wheat = _has(_without(text, _NOT_WHEAT), _WHEAT) | ((group == "Baked Products") & ~_has(text, _NOT_WHEAT))
    gluten = wheat | _has(text, _GLUTEN_ONLY)
    flags = {"milk": milk, "egg": egg, "fish": fish, "shellfish": shellfish, "peanut": _has(text, _PEANUT),
             "tree_nut": tree_nut, "wheat": wheat, "gluten": gluten, "soy": _has(text, _SOY),
             "sesame": _has(text, _SESAME)}
    allergens = pd.Series("", index=text.index, dtype=object)
    for code in ALLERGENS:
        allergens = allergens.mask(flags[code].to_numpy(), allergens + ";" + code)
    allergens = allergens.str.lstrip(";")
    return pd.DataFrame({"vegan": vegan.astype(bool), "vegetarian": vegetarian.astype(bool),
                         "pescatarian": pescatarian.astype(bool), "omnivore": True,
                         "allergens": allergens.astype(str)}, index=names.index)


def tag_food(name: str, group: str = "") -> dict[str, object]:
    """Tags of one food (see :func:`diet_tags`): {'vegan': bool, ..., 'allergens': 'milk;egg'}."""
    frame = diet_tags(pd.Series([name]), pd.Series([group]))
    tags: dict[str, object] = frame.iloc[0].to_dict()
    return tags
