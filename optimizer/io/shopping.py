"""The week's shopping list: every food of a plan aggregated, in purchase-friendly quantities, by store section.

Quantities: total grams eaten over the plan, the household count (``14 × 1 cup (245 g)``) and a purchase amount
rounded *up* (to 50 g / kg in metric, to whole ounces / lb+oz in US units). The estimated cost is for the grams
eaten (so it matches ``Plan.cost``): the plan's own item costs when every item of the food is priced, else the
catalogue's ``price_per_100g``; foods with neither are counted as unpriced.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Literal

import pandas as pd

from optimizer.results.plan import Plan

if TYPE_CHECKING:  # the catalogue type only; foods never imports optimizer
    from foods.table import FoodTable

GRAMS_PER_OUNCE = 28.349523125
SHOPPING_COLUMNS = ["section", "food_id", "food", "total_grams", "household", "buy", "buy_grams", "estimated_cost",
                    "price_source"]
#: store sections in walking order; food groups are matched by the keywords (first match wins).
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Produce", ("vegetable", "fruit")),
    ("Dairy & Eggs", ("dairy", "egg")),
    ("Meat & Fish", ("poultry", "beef", "pork", "lamb", "veal", "game", "finfish", "shellfish", "sausage", "luncheon")),
    ("Beans & Legumes", ("legume",)),
    ("Grains & Bakery", ("cereal", "grain", "pasta", "baked", "bread")),
    ("Nuts & Seeds", ("nut", "seed")),
    ("Oils & Spreads", ("fats and oils", "oil")),
    ("Spices & Herbs", ("spice", "herb")),
    ("Pantry", ("soup", "sauce", "gravies", "sweets", "snack", "baby")),
    ("Drinks", ("beverage",)),
    ("Prepared Foods", ("fast food", "meals", "restaurant", "ethnic", "american indian")),
)
OTHER_SECTION = "Other"
#: an amount at most 1 % of a step above a whole step is not rounded up to the next (113.4 g buys 4 oz, not 5).
_ROUNDING_SLACK = 0.01
SECTION_ORDER = [name for name, _ in SECTIONS] + [OTHER_SECTION]


@dataclass(frozen=True)
class ShoppingSummary:
    """Totals of a shopping list: foods, how many are priced, the estimated cost of the priced ones."""

    foods: int
    priced_foods: int
    unpriced_foods: int
    estimated_cost: float | None
    unpriced: tuple[str, ...] = ()

    def text(self) -> str:
        """One line for people, e.g. "12 foods; estimated cost 41.20 for 10 priced foods; 2 without a price"."""
        cost = ("no prices known" if self.estimated_cost is None
                else f"estimated cost {self.estimated_cost:.2f} for {self.priced_foods} priced food(s)")
        missing = f"; {self.unpriced_foods} without a price" if self.unpriced_foods else ""
        return f"{self.foods} food(s); {cost}{missing}"


def store_section(group: str | None) -> str:
    """The store section of an SR food group name ("Vegetables and Vegetable Products" -> "Produce")."""
    text = (group or "").lower()
    if not text:
        return OTHER_SECTION
    if "nut and seed" in text or "nuts and seed" in text:
        return "Nuts & Seeds"
    for section, words in SECTIONS:
        if any(w in text for w in words):
            return section
    return OTHER_SECTION


def purchase_amount(grams: float, units: Literal["metric", "us"] = "metric", round_to_g: float = 50.0) -> tuple[str, float]:
    """(text, grams) to buy, rounded up: metric to ``round_to_g`` (kg from 1 kg), US to whole ounces (lb from 16 oz).

    An amount within 1 % of a step above a whole number of steps is not rounded up."""
    if grams <= 0:
        return "0 g", 0.0
    if units == "us":
        ounces = math.ceil(grams / GRAMS_PER_OUNCE - _ROUNDING_SLACK)
        pounds, rest = divmod(ounces, 16)
        text = (f"{pounds} lb" + (f" {rest} oz" if rest else "")) if pounds else f"{rest} oz"
        return text, ounces * GRAMS_PER_OUNCE
    if units != "metric":
        raise ValueError(f"units must be 'metric' or 'us' (got '{units}')")
    if round_to_g <= 0:
        raise ValueError(f"round_to_g must be > 0 g (got {round_to_g})")
    buy = math.ceil(grams / round_to_g - _ROUNDING_SLACK) * round_to_g
    text = f"{buy / 1000:g} kg" if buy >= 1000 else f"{buy:g} g"
    return text, float(buy)


def _household(rows: pd.DataFrame, total_grams: float, foods: FoodTable | None, food_id: str) -> str:
    names = rows["portion_name"].dropna().unique()
    portions = rows["portions"]
    if len(names) == 1 and portions.notna().all() and float(portions.sum()) > 0:
        count = float(portions.sum())
        return f"{count:g} × {names[0]} ({total_grams / count:.0f} g)"
    if foods is not None and food_id in foods.frame.index:
        name, grams = foods.portion_for(food_id)
        if grams and grams > 0 and name != "100 g":
            return f"about {total_grams / grams:.1f} × {name} ({grams:.0f} g)"
    return ""


def shopping_list(
    plan: Plan,
    foods: FoodTable | None = None,
    *,
    units: Literal["metric", "us"] = "metric",
    round_to_g: float = 50.0,
) -> pd.DataFrame:
    """The plan's foods aggregated over all days, sorted by store section then name.

    Columns: section, food_id, food, total_grams (g eaten), household (portion count), buy (text), buy_grams
    (g, rounded up), estimated_cost (NaN when unpriced), price_source ("plan", "catalogue" or "").
    ``frame.attrs["summary"]`` holds a :class:`ShoppingSummary` as a dict (see :func:`shopping_summary`).
    """
    items = plan.items
    rows = []
    frame = foods.frame if foods is not None else pd.DataFrame()  # no catalogue: no food is known
    for food_id, grp in items.groupby("food_id", sort=False):
        total = float(grp["grams"].sum())
        if total <= 0:
            continue
        food_id = str(food_id)
        known = food_id in frame.index
        group = str(frame.at[food_id, "group"]) if known and "group" in frame.columns else ""
        cost, source = math.nan, ""
        if grp["cost"].notna().all():
            cost, source = float(grp["cost"].sum()), "plan"
        elif known and "price_per_100g" in frame.columns and pd.notna(frame.at[food_id, "price_per_100g"]):
            cost, source = total / 100.0 * float(frame.at[food_id, "price_per_100g"]), "catalogue"
        buy_text, buy_grams = purchase_amount(total, units, round_to_g)
        rows.append({
            "section": store_section(group), "food_id": food_id, "food": str(grp["food"].iloc[0]),
            "total_grams": total, "household": _household(grp, total, foods, food_id),
            "buy": buy_text, "buy_grams": buy_grams, "estimated_cost": cost, "price_source": source,
        })
    out = pd.DataFrame(rows, columns=SHOPPING_COLUMNS)
    if len(out):
        out["_order"] = out["section"].map(SECTION_ORDER.index)
        out = out.sort_values(["_order", "food"], kind="stable").drop(columns="_order").reset_index(drop=True)
    out.attrs["summary"] = asdict(_summarise(out))
    return out


def _summarise(frame: pd.DataFrame) -> ShoppingSummary:
    priced = frame["estimated_cost"].notna()
    return ShoppingSummary(
        foods=len(frame),
        priced_foods=int(priced.sum()),
        unpriced_foods=int((~priced).sum()),
        estimated_cost=float(frame.loc[priced, "estimated_cost"].sum()) if priced.any() else None,
        unpriced=tuple(frame.loc[~priced, "food"]),
    )


def shopping_summary(frame: pd.DataFrame) -> ShoppingSummary:
    """The summary of a shopping list frame (recomputed from its rows, so it survives filtering and copies)."""
    return _summarise(frame)
