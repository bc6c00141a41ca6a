"""Shopping list arithmetic, checked by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from optimizer.io.shopping import (
    GRAMS_PER_OUNCE,
    purchase_amount,
    shopping_list,
    shopping_summary,
    store_section,
)
from optimizer.results.plan import PlanItem
from tests.optimizer.conftest import sample_plan as make_plan


def small_foods():
    """Three real SR foods (values abridged), priced except oats, with household portions."""
    from foods.table import FoodTable

    frame = pd.DataFrame(
        {
            "food_id": ["08120", "12061", "11457"],
            "name": ["Oats, cooked", "Almonds", "Spinach, raw"],
            "group": ["Breakfast Cereals", "Nut and Seed Products", "Vegetables and Vegetable Products"],
            "magnesium_mg": [27.0, 270.0, 79.0],
            "price_per_100g": [math.nan, 2.0, 1.5],
            "portion_name": ["1 cup", "1 oz (23 whole kernels)", "1 cup"],
            "portion_grams": [234.0, 28.35, 30.0],
        }
    )
    return FoodTable.from_frame(frame, source="test foods")


def test_sections_and_purchase_rounding():
    assert store_section("Vegetables and Vegetable Products") == "Produce"
    assert store_section("Dairy and Egg Products") == "Dairy & eggs"
    assert store_section("Finfish and Shellfish Products") == "Fish & seafood"
    assert store_section("Poultry Products") == "Meat & poultry"
    assert store_section("Nut and Seed Products") == "Beans, nuts & seeds"
    assert store_section("Legumes and Legume Products") == "Beans, nuts & seeds"
    assert store_section("Cereal Grains and Pasta") == "Grains, pasta & rice"
    assert store_section("Baked Products") == "Bakery"
    assert store_section("Fats and Oils") == "Pantry"
    assert store_section("") == "Other"
    assert purchase_amount(468.0) == ("500 g", 500.0)
    assert purchase_amount(500.0) == ("500 g", 500.0)
    assert purchase_amount(1201.0) == ("1.25 kg", 1250.0)
    assert purchase_amount(120.0, round_to_g=100) == ("200 g", 200.0)
    text, grams = purchase_amount(468.0, "us")  # 16.51 oz -> 17 oz
    assert text == "1 lb 1 oz" and grams == pytest.approx(17 * GRAMS_PER_OUNCE)
    assert purchase_amount(113.4, "us")[0] == "4 oz"  # 4.0001 oz is 4 oz, not 5
    with pytest.raises(ValueError, match="metric' or 'us"):
        purchase_amount(10, "imperial")  # type: ignore[arg-type]


def test_plan_only_list_aggregates_week():
    plan = make_plan(days=2)  # oats 234 g at 0.50 and almonds 2 × 28.35 g unpriced, each day
    sl = shopping_list(plan)
    # no catalogue given: the shipped one the plan names (SR24) places the foods (oats are dry oats there)
    assert list(zip(sl["section"], sl["food"])) == [("Grains, pasta & rice", "Oats, cooked"),
                                                    ("Beans, nuts & seeds", "Almonds")]
    oats = sl.set_index("food_id").loc["08120"]
    assert oats["total_grams"] == pytest.approx(468.0)
    assert oats["household"] == "2 × 1 cup (234 g)"
    assert oats["buy"] == "500 g" and oats["estimated_cost"] == pytest.approx(1.0) and oats["price_source"] == "plan"
    almonds = sl.set_index("food_id").loc["12061"]
    assert almonds["total_grams"] == pytest.approx(113.4)
    assert almonds["household"] == "4 × 1 oz (23 whole kernels) (28 g)"
    assert almonds["buy"] == "150 g" and math.isnan(almonds["estimated_cost"])
    summary = shopping_summary(sl)
    assert (summary.foods, summary.priced_foods, summary.unpriced_foods) == (2, 1, 1)
    assert summary.estimated_cost == pytest.approx(1.0) and summary.unpriced == ("Almonds",)
    assert sl.attrs["summary"]["unpriced_foods"] == 1
    assert "1 without a price" in summary.text()


def test_catalogue_sections_prices_and_portions():
    plan = make_plan(days=2)
    extra = [PlanItem(day=1, meal="lunch", food_id="11457", food="Spinach, raw", grams=45.0),
             PlanItem(day=2, meal="dinner", food_id="11457", food="Spinach, raw", grams=75.0)]
    plan = plan.model_copy(update={"item_rows": plan.item_rows + extra})
    sl = shopping_list(plan, small_foods(), units="us")
    assert list(sl["section"]) == ["Produce", "Grains, pasta & rice", "Beans, nuts & seeds"]
    by_id = sl.set_index("food_id")
    # spinach: no portions in the plan -> counted in the catalogue's portion: 120 g / 30 g = 4 cups; 1.5 per 100 g
    assert by_id.at["11457", "household"] == "about 4.0 × 1 cup (30 g)"
    assert by_id.at["11457", "estimated_cost"] == pytest.approx(120.0 / 100 * 1.5)
    assert by_id.at["11457", "price_source"] == "catalogue" and by_id.at["11457", "buy"] == "5 oz"
    # almonds: unpriced in the plan, priced in the catalogue at 2.0 per 100 g
    assert by_id.at["12061", "estimated_cost"] == pytest.approx(113.4 / 100 * 2.0)
    # oats: priced by the plan (0.50 per item) even though the catalogue has no price
    assert by_id.at["08120", "estimated_cost"] == pytest.approx(1.0) and by_id.at["08120", "price_source"] == "plan"
    summary = shopping_summary(sl)
    assert summary.unpriced_foods == 0
    assert summary.estimated_cost == pytest.approx(1.0 + 2.268 + 1.8)


def test_empty_plan_gives_empty_list():
    sl = shopping_list(make_plan(has_solution=False))
    assert sl.empty and shopping_summary(sl).estimated_cost is None
