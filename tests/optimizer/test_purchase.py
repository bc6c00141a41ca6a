"""What to buy: dishes become ingredients, cooked foods their raw/dry form, store sections, purchase units, prices.

Hand-made plans over the real shipped catalogues (SR24 and FNDDS); no solver.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

import foods
from optimizer.io.purchase import buy_amount, count_unit, purchase_lines
from optimizer.io.purchase_forms import cooking_rule, purchase_form, yield_rules
from optimizer.io.shopping import shopping_list, shopping_summary
from optimizer.io.store_sections import OTHER_SECTION, store_section
from optimizer.results.plan import PlanItem
from tests.optimizer.conftest import sample_plan as make_plan

OATMEAL_WITH_MILK = "56203066"  # FNDDS "Oatmeal, regular or quick, made with milk, no added fat"
CHICKEN_CURRY = "27146150"  # FNDDS "Chicken curry (other poultry)"
#: the foods of a default SR24 week (female, 45), with the section each must land in
DEFAULT_WEEK = {
    "09037": "Produce", "11234": "Produce", "11040": "Produce", "11356": "Produce", "11508": "Produce",
    "18001": "Bakery", "23568": "Meat & poultry", "05168": "Meat & poultry", "15086": "Fish & seafood",
    "15241": "Fish & seafood", "01117": "Dairy & eggs", "01220": "Dairy & eggs", "42184": "Grains, pasta & rice",
    "16038": "Beans, nuts & seeds", "16050": "Beans, nuts & seeds", "16057": "Beans, nuts & seeds",
    "16109": "Beans, nuts & seeds",
}


@pytest.fixture(scope="module")
def sr24():
    return foods.load_foods()


@pytest.fixture(scope="module")
def fndds():
    return foods.load_foods("fndds")


def plan_of(items: list[tuple[str, float]], table, *, catalogue: str = "sr24", cost: float | None = None):
    """A 1-day plan eating ``grams`` of each food id (names from ``table``), planned from ``catalogue``."""
    base = make_plan(days=1)
    rows = [PlanItem(day=1, meal="lunch", food_id=fid, food=str(table.frame.at[fid, "name"]), grams=grams, cost=cost)
            for fid, grams in items]
    request = base.request.model_copy(update={"catalogue": catalogue})
    return base.model_copy(update={"item_rows": rows, "request": request})


def test_fndds_dish_becomes_its_ingredients(sr24, fndds):
    plan = plan_of([(OATMEAL_WITH_MILK, 480.0)], fndds, catalogue="fndds")
    lines = purchase_lines(plan, fndds, sr24).set_index("purchase_id")
    recipe = fndds.ingredients(OATMEAL_WITH_MILK).set_index("sr_id")["grams_per_100g"]
    assert OATMEAL_WITH_MILK not in lines.index  # the dish itself is not bought
    oats = lines.loc["08120"]  # "Cereals, oats, regular and quick, not fortified, dry"
    assert oats["grams"] == pytest.approx(480.0 * recipe["08120"] / 100) and oats["grams"] == pytest.approx(80.6, abs=0.1)
    assert oats["section"] == "Grains, pasta & rice" and oats["via"] == "recipe" and oats["conversion"] == ""
    milks = lines[lines["purchase_food"].str.startswith("Milk")]
    assert len(milks) == 4 and set(milks["section"]) == {"Dairy & eggs"}
    assert milks["grams"].sum() == pytest.approx(480.0 * recipe[["01079", "01077", "01082", "01085"]].sum() / 100)
    assert set(lines["eaten_as"]) == {str(fndds.frame.at[OATMEAL_WITH_MILK, "name"])}
    salt = lines.loc["02047"]  # 0.8 g of salt: on hand, not bought, no cost
    assert salt["pantry"] and salt["section"] == "Pantry" and math.isnan(salt["cost"])


def test_curry_drops_water_and_buys_raw_vegetables(sr24, fndds):
    plan = plan_of([(CHICKEN_CURRY, 500.0)], fndds, catalogue="fndds")
    lines = purchase_lines(plan, fndds, sr24).set_index("purchase_id")
    assert "14411" not in lines.index  # tap water in the recipe is not bought
    carrots = lines.loc["11124"]  # recipe lists "Carrots, cooked, boiled": bought raw with the vegetable yield
    recipe = fndds.ingredients(CHICKEN_CURRY).set_index("sr_id")["grams_per_100g"]
    assert carrots["purchase_food"] == "Carrots, raw" and carrots["section"] == "Produce"
    assert carrots["eaten_grams"] == pytest.approx(500.0 * recipe["11125"] / 100)
    assert carrots["grams"] == pytest.approx(1.1 * carrots["eaten_grams"])
    # chicken pieces whose SR28 ids are not in SR24 are placed by their SR group code (05 = poultry)
    assert lines.loc["05000", "section"] == "Meat & poultry"
    assert OTHER_SECTION not in set(lines["section"])
    # 2 g of canola oil and the curry powder are staples to have on hand, not purchases; the chicken is bought
    assert lines.loc["04582", "pantry"] and lines.loc["02015", "pantry"] and not lines.loc["05000", "pantry"]
    # olive oil eaten as a plan item of its own is bought, however little
    oil = purchase_lines(plan_of([("04053", 20.0)], sr24), sr24, sr24).iloc[0]
    assert oil["section"] == "Pantry" and not oil["pantry"]


def test_cooked_sr_food_becomes_its_raw_form(sr24):
    plan = plan_of([("16002", 460.0)], sr24)  # Beans, adzuki, mature seeds, cooked, boiled, without salt
    lines = purchase_lines(plan, sr24, sr24)
    assert len(lines) == 1
    line = lines.iloc[0]
    assert (line["purchase_id"], line["purchase_food"]) == ("16001", "Beans, adzuki, mature seeds, raw")
    assert line["grams"] == pytest.approx(184.0) and line["eaten_grams"] == pytest.approx(460.0)
    assert "0.4 g per g cooked" in line["conversion"] and "Agriculture Handbook" in line["yield_source"]
    assert line["section"] == "Beans, nuts & seeds"


@pytest.mark.parametrize(("cooked", "raw", "factor"), [
    ("20045", "20044", 0.35),  # rice, white, long-grain, cooked -> raw
    ("20121", "20120", 0.45),  # spaghetti cooked -> dry
    ("15111", "15110", 1.25),  # swordfish, cooked, dry heat -> raw
    ("05064", "05062", 1.33),  # chicken breast, roasted -> raw
    ("11234", "11233", 1.1),   # kale, boiled -> raw
    ("01129", "01123", 1.0),   # egg, hard-boiled -> raw, fresh
    ("16070", "16069", 0.40),  # lentils, boiled -> "Lentils, raw" (one-segment stem)
    ("16109", "16108", 0.40),  # "Soybeans, mature cooked, boiled" -> "Soybeans, mature seeds, raw"
])
def test_yields_and_raw_forms(sr24, cooked, raw, factor):
    row = sr24.frame.loc[cooked]
    form = purchase_form(cooked, row["name"], row["group"], sr24)
    assert form.food_id == raw and form.grams_per_gram == pytest.approx(factor) and form.converted


def test_foods_bought_as_eaten(sr24):
    for food_id in ("16006", "09037", "18001"):  # canned baked beans, raw avocado, bagel
        row = sr24.frame.loc[food_id]
        form = purchase_form(food_id, row["name"], row["group"], sr24)
        assert form.food_id == food_id and not form.converted
    assert cooking_rule("Snacks, potato chips, baked", "Snacks") is None  # "baked" outside a cooking class
    assert all("USDA" in rule.source or "Sold cooked" in rule.source for rule in yield_rules())


def test_default_week_sections_are_real(sr24):
    plan = plan_of([(fid, 300.0) for fid in DEFAULT_WEEK], sr24)
    listed = shopping_list(plan, sr24)
    assert len(listed) == len(DEFAULT_WEEK) and OTHER_SECTION not in set(listed["section"])
    # the list names what to buy: raw or dry forms, placed in their sections
    by_food = dict(zip(listed["food"], listed["section"]))
    assert by_food["Fish, salmon, sockeye, raw"] == "Fish & seafood"
    assert by_food["Beans, navy, mature seeds, raw"] == "Beans, nuts & seeds"
    assert by_food["Potatoes, russet, flesh and skin, raw"] == "Produce"
    assert not any("cooked" in name for name in listed["food"])
    eaten_ids = {str(sr24.frame.loc[sr24.frame["name"] == n].index[0]) for n in listed["eaten_as"]}
    assert eaten_ids == set(DEFAULT_WEEK)
    for food_id, section in DEFAULT_WEEK.items():
        assert store_section(str(sr24.frame.at[food_id, "group"]), food_id) == section


def test_fndds_plan_with_the_sr24_table_still_finds_its_dishes(sr24, fndds):
    """The CLI hands the shipped SR24 table to every export: an FNDDS plan reads its own catalogue."""
    plan = plan_of([(OATMEAL_WITH_MILK, 240.0)], fndds, catalogue="fndds")
    listed = shopping_list(plan, sr24)
    assert "08120" in set(listed["food_id"]) and OTHER_SECTION not in set(listed["section"])


def test_amounts_round_up_to_what_shops_sell(sr24):
    assert buy_amount(184.0) == ("200 g", 200.0)
    assert buy_amount(1201.0) == ("1.25 kg", 1250.0)
    egg = count_unit("01123", sr24)
    assert egg == ("large", 50.0)
    assert buy_amount(150.0, egg) == ("3 × large (50 g)", 150.0)
    assert buy_amount(150.4, egg) == ("3 × large (50 g)", 150.0)  # within 1 % of a unit above a whole count
    assert buy_amount(160.0, egg) == ("4 × large (50 g)", 200.0)
    assert buy_amount(160.0, egg, "us")[0] == "4 × large (1.8 oz)"
    assert buy_amount(20.0, egg) == ("50 g", 50.0)  # less than half an egg: by weight
    assert count_unit("16001", sr24) is None  # dry beans: sold by weight
    plan = plan_of([("01129", 7 * 50.0), ("16002", 460.0), ("11356", 519.0)], sr24)
    for units in ("metric", "us"):
        listed = shopping_list(plan, sr24, units=units).set_index("food_id")
        assert (listed["buy_grams"] >= listed["total_grams"] * 0.99).all()
        assert listed.at["01123", "buy"].startswith("7 × large")
        assert listed.at["11353", "buy"].startswith("3 × Potato medium")  # 519 g baked -> 623 g raw -> 3 × 213 g
    listed = shopping_list(plan, sr24, units="us").set_index("food_id")
    assert listed.at["16001", "buy"] == "7 oz"  # 184 g = 6.5 oz -> 7 oz


def test_prices_of_the_purchase_form_and_blanks(sr24, fndds):
    priced = sr24.with_prices(foods.example_prices())
    rice_price = float(priced.frame.at["20044", "price_per_100g"])  # BLS: raw white rice
    plan = plan_of([("20045", 500.0), ("16002", 460.0)], sr24)  # cooked rice and cooked adzuki beans, unpriced
    listed = shopping_list(plan, priced).set_index("food_id")
    assert listed.at["20044", "total_grams"] == pytest.approx(175.0)
    assert listed.at["20044", "estimated_cost"] == pytest.approx(1.75 * rice_price)
    assert listed.at["20044", "price_source"] == "catalogue"
    assert math.isnan(listed.at["16001", "estimated_cost"]) and listed.at["16001", "price_source"] == ""
    summary = shopping_summary(listed)
    assert (summary.priced_foods, summary.unpriced_foods) == (1, 1)
    # a plan-priced cooked item keeps the plan's cost after conversion (so the list matches Plan.cost)
    plan = plan_of([("16002", 460.0)], sr24, cost=0.8)
    line = shopping_list(plan, priced).iloc[0]
    assert line["food_id"] == "16001" and line["estimated_cost"] == pytest.approx(0.8) and line["price_source"] == "plan"
    # FNDDS ingredients without prices stay blank; pantry lines are not counted
    dish = shopping_list(plan_of([(CHICKEN_CURRY, 500.0)], fndds, catalogue="fndds"), fndds)
    assert dish["estimated_cost"].isna().all() and (dish["price_source"] == "").all()
    summary = shopping_summary(dish)
    assert summary.foods == int((~dish["pantry"]).sum()) and summary.estimated_cost is None
    assert (dish.loc[dish["pantry"], "buy_grams"] == 0).all()


def test_empty_plan_gives_empty_lines(sr24):
    lines = purchase_lines(make_plan(has_solution=False), sr24, sr24)
    assert lines.empty and list(lines.columns)[:4] == ["section", "purchase_id", "purchase_food", "grams"]
    assert isinstance(lines, pd.DataFrame)
