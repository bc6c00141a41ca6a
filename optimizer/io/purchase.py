"""What to buy for a plan: dishes become their ingredients, cooked foods their raw or dry form, in store units.

:func:`purchase_lines` turns every plan item into purchases and sums them over the plan:

* an FNDDS dish with a recipe becomes its SR ingredients: g of ingredient = g of dish x ``grams_per_100g`` / 100
  (``FoodTable.ingredients``);
* a cooked food (a plan food or a recipe ingredient) becomes its raw/dry form by a documented cooking yield
  (:mod:`optimizer.io.purchase_forms`, ``optimizer/data/cooking_yields.csv``): 460 g cooked adzuki beans -> 184 g
  dry "Beans, adzuki, mature seeds, raw";
* water and vitamins added as recipe ingredients are dropped; salt, anything under ``pantry_below_g`` (1 g) over
  the plan and recipe staples of the Pantry section (oils, spices, sugar, vinegar) under 30 g are kept as
  ``pantry`` lines (have it on hand, nothing to buy).

Each line gets its store section (:mod:`optimizer.io.store_sections`) and, when a price is known, its cost.
:func:`buy_amount` rounds a line up to what a shop sells (a count of a household unit such as eggs or medium
potatoes where SR24 has one, else 50 g steps / whole ounces). Pure data logic: no solver.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from optimizer.io.purchase_forms import PurchaseForm, purchase_form
from optimizer.io.store_sections import section_rank, store_section
from optimizer.results.plan import Plan

if TYPE_CHECKING:  # the catalogue type only
    from foods.table import FoodTable

GRAMS_PER_OUNCE = 28.349523125
PURCHASE_COLUMNS = ["section", "purchase_id", "purchase_food", "grams", "eaten_as", "eaten_ids", "eaten_grams", "via",
                    "conversion", "yield_source", "pantry", "price_per_100g", "cost", "price_source"]
#: recipe ingredients that are not bought: tap or bottled water, ice, vitamins/minerals added "as ingredient".
DROPPED = re.compile(r"^(water\b|beverages, water\b|ice\b|ice cubes)|\bas ingredient\b", re.I)
#: ingredients always kept on hand rather than bought for one week.
PANTRY = re.compile(r"^salt\b|^salt,|table salt", re.I)
PANTRY_BELOW_G = 1.0
#: a recipe ingredient of the Pantry section (oil, spice, sugar, vinegar) needed in less than this (g over the plan)
#: is a staple to have on hand, not a purchase (3 g of canola oil in a patty).
STAPLE_BELOW_G = 30.0
#: an amount at most 1 % of a step above a whole step is not rounded up to the next (113.4 g buys 4 oz, not 5).
ROUNDING_SLACK = 0.01
#: household units a shop sells by the piece, in order of preference (on the SR24 portion name, lower case).
COUNT_UNITS = (re.compile(r"^large$"), re.compile(r"\bmedium\b"),
               re.compile(r"^(whole|each|fruit|head|bunch|loaf|ear)\b"),
               re.compile(r"^(can|container|bottle|jar|package|bag|carton)\b"))
NOT_COUNTABLE = re.compile(r"^[0-9.]|nlea|serving|yield|cup|slice|\boz\b|tbsp|tsp", re.I)
COUNT_GRAMS = (30.0, 2000.0)  # g: a unit lighter or heavier than this is not counted
MAX_COUNT = 36
MIN_UNIT_SHARE = 0.5  # count in units only when at least half a unit is needed (58 g of cauliflower: not a head)


def purchase_amount(grams: float, units: Literal["metric", "us"] = "metric", round_to_g: float = 50.0) -> tuple[str, float]:
    """(text, grams) to buy, rounded up: metric to ``round_to_g`` (kg from 1 kg), US to whole ounces (lb from 16 oz).

    An amount within 1 % of a step above a whole number of steps is not rounded up. Raises ``ValueError`` for
    other ``units`` or ``round_to_g`` <= 0."""
    if units not in ("metric", "us"):
        raise ValueError(f"units must be 'metric' or 'us' (got '{units}')")
    if grams <= 0:
        return "0 g", 0.0
    if units == "us":
        ounces = math.ceil(grams / GRAMS_PER_OUNCE - ROUNDING_SLACK)
        pounds, rest = divmod(ounces, 16)
        text = (f"{pounds} lb" + (f" {rest} oz" if rest else "")) if pounds else f"{rest} oz"
        return text, ounces * GRAMS_PER_OUNCE
    if round_to_g <= 0:
        raise ValueError(f"round_to_g must be > 0 g (got {round_to_g})")
    buy = math.ceil(grams / round_to_g - ROUNDING_SLACK) * round_to_g
    text = f"{buy / 1000:g} kg" if buy >= 1000 else f"{buy:g} g"
    return text, float(buy)


def count_unit(food_id: str, *tables: FoodTable | None) -> tuple[str, float] | None:
    """The household unit the food is sold by the piece in, (portion name, g), from the first table that has the
    food: a large egg, a medium potato, a head, a can, a container, or a unit named after the food ("avocado");
    None for foods sold by weight."""
    for table in tables:
        if table is None or food_id not in table:
            continue
        portions = table.portions_of(food_id)
        names = [str(p).strip() for p in portions["portion"]]
        grams = portions["grams"].to_numpy(dtype=np.float64)
        first_word = re.match(r"[a-z]+", str(table.frame.at[food_id, "name"]).lower())
        own = (re.compile(rf"^{re.escape(first_word.group(0).rstrip('s'))}\b") if first_word else None)
        for pattern in (*COUNT_UNITS, *((own,) if own else ())):
            for name, weight in zip(names, grams):
                low = name.lower()
                if (pattern.search(low) and not NOT_COUNTABLE.search(low)
                        and COUNT_GRAMS[0] <= weight <= COUNT_GRAMS[1]):
                    return name, float(weight)
        return None
    return None


def buy_amount(grams: float, unit: tuple[str, float] | None = None, units: Literal["metric", "us"] = "metric",
               round_to_g: float = 50.0) -> tuple[str, float]:
    """(text, grams) to buy for ``grams`` needed: whole ``unit``\\ s when one is given and at least half of one is
    needed ("4 × large (50 g)"; at most 36), else the weight rounded up (:func:`purchase_amount`)."""
    if unit is not None and grams >= MIN_UNIT_SHARE * unit[1]:
        name, weight = unit
        count = max(1, math.ceil(grams / weight - ROUNDING_SLACK))
        if count <= MAX_COUNT:
            size = f"{weight:.0f} g" if units == "metric" else f"{weight / GRAMS_PER_OUNCE:.1f} oz"
            return f"{count} × {name} ({size})", count * weight
    return purchase_amount(grams, units, round_to_g)


def plan_catalogues(plan: Plan, foods: FoodTable | None = None) -> tuple[FoodTable | None, FoodTable | None]:
    """(table the plan's foods are looked up in, SR24 table) for :func:`purchase_lines`.

    ``foods`` when it holds every food of the plan; else the shipped catalogue named by ``plan.request.catalogue``
    when that does; else ``foods`` (or the shipped one when ``foods`` is None). The SR24 table is the shipped one;
    (None, None) parts when the shipped catalogues cannot be read (the list then has the plan's foods as they are).
    """
    from foods.errors import CofactorError
    from foods.table import load_foods

    ids = set(plan.items["food_id"].astype(str))
    try:
        shipped: FoodTable | None = load_foods(plan.request.catalogue)
        sr_table: FoodTable | None = load_foods("sr24")
    except (CofactorError, OSError, ImportError):
        shipped = sr_table = None
    if foods is not None and (ids <= set(foods.frame.index) or shipped is None
                              or not ids <= set(shipped.frame.index)):
        return foods, sr_table
    return shipped, sr_table


def _describe(table: FoodTable | None, food_id: str, fallback: str) -> tuple[str, str]:
    if table is not None and food_id in table:
        row = table.frame.loc[food_id]
        return str(row["name"]), str(row["group"])
    return fallback, ""


def _contributions(plan: Plan, table: FoodTable | None, sr_table: FoodTable | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for food_id, items in plan.items.groupby("food_id", sort=False):
        food_id, eaten = str(food_id), float(items["grams"].sum())
        if eaten <= 0:
            continue
        plan_name = str(items["food"].iloc[0])
        recipe = table.ingredients(food_id) if table is not None and food_id in table else None
        if recipe is not None and len(recipe):
            for sr_id, description, per_100g in zip(recipe["sr_id"], recipe["description"], recipe["grams_per_100g"]):
                sr_id = str(sr_id)
                name, group = _describe(sr_table, sr_id, str(description))
                rows.append(_contribution(purchase_form(sr_id, name, group, sr_table), plan_name, food_id,
                                          eaten * float(per_100g) / 100.0, "recipe", math.nan, group))
            continue
        name, group = _describe(table, food_id, plan_name)
        form = purchase_form(food_id, name, group, sr_table)
        if not form.converted:
            form = PurchaseForm(food_id, plan_name)  # the plan's own name for a food bought as eaten
        cost = float(items["cost"].sum()) if items["cost"].notna().all() else math.nan
        rows.append(_contribution(form, plan_name, food_id, eaten, "item", cost, group))
    return rows


def _contribution(form: PurchaseForm, eaten_as: str, eaten_id: str, grams: float, via: str, plan_cost: float,
                  group: str) -> dict[str, Any]:
    return {"purchase_id": form.food_id, "purchase_food": form.name, "grams": grams * form.grams_per_gram,
            "eaten_grams": grams, "eaten_as": eaten_as, "eaten_ids": eaten_id, "via": via, "conversion": form.note,
            "yield_source": form.source if form.converted else "", "plan_cost": plan_cost, "group": group}


def _joined(values: pd.Series) -> str:
    return "; ".join(dict.fromkeys(str(v) for v in values if str(v)))


def _price(food_id: str, tables: tuple[FoodTable | None, ...]) -> tuple[float, str]:
    for table in tables:
        if table is not None and food_id in table and "price_per_100g" in table.frame.columns:
            price = table.frame.at[food_id, "price_per_100g"]
            if pd.notna(price):
                return float(price), "catalogue"
    return math.nan, ""


def purchase_lines(plan: Plan, table: FoodTable | None, sr_table: FoodTable | None, *,
                   prices: FoodTable | None = None, pantry_below_g: float = PANTRY_BELOW_G) -> pd.DataFrame:
    """The plan's purchases summed over all days, one line per purchase food, sorted by store section then name.

    ``table`` is the catalogue the plan was made from (names, groups, FNDDS recipes); ``sr_table`` the SR24
    catalogue (raw forms, ingredient groups, portions); ``prices`` an optional priced table looked up first.
    Columns: ``section``; ``purchase_id``/``purchase_food`` (the food to buy); ``grams`` (g of it needed over the
    plan); ``eaten_as``/``eaten_ids`` (names/ids of the plan foods it is for, "; "-separated); ``eaten_grams`` (g
    before conversion: as eaten, or as listed in the recipe); ``via`` ("item" or "recipe"); ``conversion`` (e.g.
    "bought dry: 0.4 g per g cooked (dry beans and peas)", "" when bought as eaten) and ``yield_source``;
    ``pantry`` (bool: salt, under ``pantry_below_g`` g, or a recipe staple under 30 g: nothing to buy); ``price_per_100g``; ``cost`` (for
    ``grams``; NaN when unpriced) and ``price_source`` ("plan" when every plan item behind a whole-item line is
    priced, else "catalogue" for the purchase food's ``price_per_100g``, else ""). Pantry lines have no cost.
    """
    rows = _contributions(plan, table, sr_table)
    rows = [r for r in rows if not DROPPED.search(r["purchase_food"]) and r["grams"] > 0]
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=bool if c == "pantry" else (np.float64 if c in (
            "grams", "eaten_grams", "price_per_100g", "cost") else object)) for c in PURCHASE_COLUMNS})
    frame = pd.DataFrame(rows)
    out = []
    for purchase_id, part in frame.groupby("purchase_id", sort=False):
        purchase_id = str(purchase_id)
        grams = float(part["grams"].sum())
        name = str(part["purchase_food"].iloc[0])
        if sr_table is not None and purchase_id in sr_table:
            group = str(sr_table.frame.at[purchase_id, "group"])
        else:
            group = str(part["group"].iloc[0])
        section = store_section(group, purchase_id)
        staple = section == "Pantry" and (part["via"] == "recipe").all() and grams < STAPLE_BELOW_G
        pantry = bool(PANTRY.search(name)) or grams < pantry_below_g or staple
        price, source = _price(purchase_id, (prices, sr_table, table))
        whole_items = (part["via"] == "item").all() and part["plan_cost"].notna().all()
        if pantry:
            cost, source = math.nan, ""
        elif whole_items:
            cost, source = float(part["plan_cost"].sum()), "plan"
        elif not math.isnan(price):
            cost = grams / 100.0 * price
        else:
            cost, source = math.nan, ""
        out.append({"section": "Pantry" if pantry else section,
                    "purchase_id": purchase_id, "purchase_food": name, "grams": grams,
                    "eaten_as": _joined(part["eaten_as"]), "eaten_ids": _joined(part["eaten_ids"]),
                    "eaten_grams": float(part["eaten_grams"].sum()),
                    "via": _joined(part["via"]), "conversion": _joined(part["conversion"]),
                    "yield_source": _joined(part["yield_source"]), "pantry": pantry, "price_per_100g": price,
                    "cost": cost, "price_source": source})
    result = pd.DataFrame(out, columns=PURCHASE_COLUMNS)
    result["_rank"] = result["section"].map(section_rank)
    result = result.sort_values(["_rank", "purchase_food"], kind="stable").drop(columns="_rank")
    return result.reset_index(drop=True)
