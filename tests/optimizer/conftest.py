"""Shared helpers for the optimizer tests: small hand-made tables, requests and plans (imported by test modules)."""

from __future__ import annotations

import math

import pandas as pd

import foods
from optimizer.domain.profile import Profile
from optimizer.domain.request import PlanRequest
from optimizer.domain.targets import Target, Targets
from optimizer.results.plan import AppliedTarget, Plan, PlanItem, SupplementDose
from optimizer.results.verify import compute_totals

NAN = float("nan")


FOODS = [
    ("oat", "Oats", "Cereal Grains", 380, 13, 140, 50, 0, 0.5, "cup", 80, True, True, True, "gluten"),
    ("milk", "Milk", "Dairy", 60, 3.3, 10, 120, 1.0, 0.1, "cup", 244, False, True, True, "milk"),
    ("beans", "Beans", "Legumes", 130, 9, 50, 40, 0, 0.3, "cup", 170, True, True, True, ""),
    ("salmon", "Salmon", "Fish", 200, 22, 30, 10, 11, 2.0, "fillet", 150, False, False, True, "fish"),
    ("spinach", "Spinach", "Vegetables", 23, 2.9, 79, 99, 0.0, 0.4, "cup", 30, True, True, True, ""),
    ("almond", "Almonds", "Nuts", 580, 21, 270, 270, 0, 1.5, "oz", 28, True, True, True, "tree_nut"),
]


COLUMNS = ["food_id", "name", "group", "energy_kcal", "protein_g", "magnesium_mg", "calcium_mg", "vitamin_d_ug",
           "price_per_100g", "portion_name", "portion_grams", "vegan", "vegetarian", "pescatarian", "allergens"]


MEALS = ("morning", "evening")


SHARES = {"morning": (0.3, 0.6), "evening": (0.4, 0.7)}


def applied(targets: Targets) -> list[AppliedTarget]:
    return [AppliedTarget(**t.model_dump(exclude={"kcal_per_unit"})) for t in targets]


GOOD_ITEMS = [
    (1, "morning", "oat", 1), (1, "morning", "milk", 1), (1, "evening", "beans", 2), (1, "evening", "spinach", 1),
    (2, "morning", "almond", 1), (2, "morning", "milk", 1), (2, "evening", "salmon", 1), (2, "evening", "beans", 1),
    (2, "evening", "spinach", 1),
]


GOOD_DOSES = [(1, "d3_1000iu", 1), (1, "mg_citrate_100mg", 1), (2, "mg_citrate_100mg", 1)]


def small_table() -> foods.FoodTable:
    return foods.FoodTable.from_frame(pd.DataFrame(FOODS, columns=COLUMNS), source="test foods")


def small_targets() -> Targets:
    return Targets(rows=(
        Target(key="energy_kcal", nutrient="energy_kcal", min=800, max=1200),
        Target(key="protein_g", nutrient="protein_g", min=45),
        Target(key="protein_energy_pct", nutrient="protein_g", kind="energy_percent", kcal_per_unit=4, min=10, max=35),
        Target(key="calcium_mg", nutrient="calcium_mg", max=2500, is_upper_limit=True),
        Target(key="magnesium_mg", nutrient="magnesium_mg", min=320),
        Target(key="supplemental_magnesium_mg", nutrient="magnesium_mg", applies_to="supplements", max=350,
               is_upper_limit=True),
        Target(key="vitamin_d_ug", nutrient="vitamin_d_ug", min=15, max=100, is_upper_limit=True),
    ))


def small_request(**update) -> PlanRequest:
    base = {"targets": small_targets(), "days": 2, "meals": MEALS, "meal_energy_shares": SHARES, "candidates": "all",
            "supplements": ("d3_1000iu", "d3_2000iu", "mg_citrate_100mg"), "max_days_per_food": None,
            "min_foods_per_day": 3}
    base.update(update)
    return PlanRequest(**base)


def hand_plan(table, catalogue, request=None, items=GOOD_ITEMS, doses=GOOD_DOSES, **update) -> Plan:
    """A Plan built by hand: grams = portions × the table's portion, totals recomputed from the catalogue."""
    request = request or small_request()
    frame = table.frame
    rows = []
    for day, meal, food_id, portions in items:
        grams = portions * table.portion_for(food_id)[1] if food_id in table else 100.0
        price = frame.at[food_id, "price_per_100g"] if food_id in table else NAN
        rows.append(PlanItem(day=day, meal=meal, food_id=food_id, food=frame.at[food_id, "name"] if food_id in table else food_id,
                             portions=portions, portion_name="cup", grams=grams,
                             cost=None if math.isnan(price) else grams / 100 * price))
    sframe = catalogue.frame
    doses_rows = [SupplementDose(day=d, supplement_id=s, supplement=str(sframe.at[s, "name"]), units=u,
                                 vitamin_d_ug=u * float(sframe.at[s, "vitamin_d_ug_per_unit"]),
                                 magnesium_mg=u * float(sframe.at[s, "magnesium_mg_per_unit"])) for d, s, u in doses]
    plan = Plan(request=request, status="optimal", has_solution=True, item_rows=rows, supplement_rows=doses_rows,
                target_rows=applied(request.targets if isinstance(request.targets, Targets) else small_targets()))
    known = plan.items[plan.items["food_id"].isin(frame.index)]
    totals = compute_totals(known, plan.supplements, table, catalogue, days=request.days)
    total_rows = [{"day": int(d), **{k: float(v) for k, v in r.items()}} for d, r in totals.iterrows()]
    return plan.model_copy(update={"total_rows": total_rows, **update})


def sample_plan(days: int = 2, *, has_solution: bool = True, cost: float | None = 0.5) -> Plan:
    """A small hand-built plan: oats at breakfast and almonds as a snack each day, vitamin D + magnesium doses."""
    request = PlanRequest(profile=Profile(sex="female", age=40), days=days, vitamin_d_supplement_ug=50)
    items, supps, totals = [], [], []
    for day in range(1, days + 1):
        items.append(PlanItem(day=day, meal="breakfast", food_id="08120", food="Oats, cooked", portions=1.0,
                              portion_name="1 cup", grams=234.0, cost=cost))
        items.append(PlanItem(day=day, meal="snack", food_id="12061", food="Almonds", portions=2.0,
                              portion_name="1 oz (23 whole kernels)", grams=56.7, cost=None))
        supps.append(SupplementDose(day=day, supplement_id="d3_50", supplement="Vitamin D3 50 µg", units=1, vitamin_d_ug=50.0))
        supps.append(SupplementDose(day=day, supplement_id="mg_citrate_100", supplement="Magnesium citrate 100 mg",
                                    units=1, magnesium_mg=100.0))
        totals.append({"day": day, "magnesium_mg": 410.0 + day, "vitamin_d_ug": 52.0, "calcium_mg": 800.0,
                       "energy_kcal": 2000.0, "fat_g": 60.0})
    targets = [
        AppliedTarget(key="magnesium_mg", nutrient="magnesium_mg", label="Magnesium", unit="mg", min=361.0),
        AppliedTarget(key="supplemental_magnesium_mg", nutrient="magnesium_mg", label="Magnesium (supplements)",
                      unit="mg", max=350.0, applies_to="supplements", is_upper_limit=True),
        AppliedTarget(key="vitamin_d_ug", nutrient="vitamin_d_ug", label="Vitamin D", unit="µg", min=15.0, max=100.0,
                      is_upper_limit=True),
        AppliedTarget(key="calcium_mg", nutrient="calcium_mg", label="Calcium", unit="mg", min=1000.0, max=2500.0),
        AppliedTarget(key="fat_energy_pct", nutrient="fat_g", label="Fat", unit="% energy", min=20.0, max=35.0,
                      kind="energy_percent"),
    ]
    return Plan(
        request=request, status="optimal" if has_solution else "infeasible", has_solution=has_solution,
        solver="highs", item_rows=items if has_solution else [], supplement_rows=supps if has_solution else [],
        total_rows=totals if has_solution else [], target_rows=targets,
        rule_text=request.rule.describe(),
    )


QUICK_FOODS = ("01032", "01129", "04053", "04582", "08028", "08029", "08077", "08084", "08386", "09032", "09298",
               "10124", "11215", "11821", "13326", "15086", "15241", "18029", "18042", "18364", "19034", "19051")


QUICK = {"days": 1, "candidates": "all", "food_ids": QUICK_FOODS, "portions": "continuous", "min_foods_per_day": 0}
