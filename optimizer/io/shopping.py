"""The week's shopping list: what to buy for a plan, in purchase-friendly quantities, by store section.

Lines come from :func:`optimizer.io.purchase.purchase_lines`: an FNDDS dish becomes its SR ingredients, a cooked food
its raw or dry form (documented cooking yields), water is dropped, salt and amounts under 1 g are "pantry"
lines (nothing to buy). Quantities: grams of the purchase form needed over the plan, the household count of what
was eaten (``14 × 1 cup (245 g)``) and a purchase amount rounded *up*: a count of a unit shops sell by the piece
(eggs, medium potatoes, heads, cans) where SR24 has one, else 50 g / kg in metric, whole ounces / lb+oz in US
units. The estimated cost is for the grams needed: the plan's own item costs when every item behind a line is
priced (so it matches ``Plan.cost``), else the purchase food's ``price_per_100g``; lines with neither are unpriced.
See ``docs/shopping.md``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Literal

import pandas as pd

from optimizer.io.purchase import GRAMS_PER_OUNCE, buy_amount, count_unit, plan_catalogues, purchase_amount, purchase_lines
from optimizer.io.store_sections import OTHER_SECTION, SECTION_ORDER, section_rank, store_section
from optimizer.results.plan import Plan

if TYPE_CHECKING:  # the catalogue type only; foods never imports optimizer
    from foods.table import FoodTable

SHOPPING_COLUMNS = ["section", "food_id", "food", "total_grams", "household", "buy", "buy_grams", "estimated_cost",
                    "price_source", "eaten_as", "eaten_grams", "conversion", "pantry"]
PANTRY_BUY = "pantry (have on hand)"
__all__ = ["GRAMS_PER_OUNCE", "OTHER_SECTION", "SECTION_ORDER", "SHOPPING_COLUMNS", "ShoppingSummary",
           "purchase_amount", "shopping_list", "shopping_summary", "store_section"]


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
    """What to buy for the plan over all days, sorted by store section then name.

    ``foods`` is the catalogue the plan was made from (optionally priced); without it, or when it lacks the plan's
    foods, the shipped catalogue named by ``plan.request.catalogue`` is used. Columns: section, food_id, food (the
    food to buy: a raw/dry form, a recipe ingredient or the plan food itself), total_grams (g of it needed),
    household (portion count of what was eaten, for a line from one plan food), buy (text), buy_grams (g, rounded
    up; 0 for pantry lines), estimated_cost (NaN when unpriced), price_source ("plan", the catalogue's price source
    or ""), eaten_as (the plan foods it is for), eaten_grams (g before conversion: as eaten, or as listed in a
    dish's recipe), conversion ("" when bought as eaten), pantry (bool).
    ``frame.attrs["summary"]`` holds a :class:`ShoppingSummary` as a dict (see :func:`shopping_summary`).
    """
    if units not in ("metric", "us"):
        raise ValueError(f"units must be 'metric' or 'us' (got '{units}')")
    table, sr_table = plan_catalogues(plan, foods)
    lines = purchase_lines(plan, table, sr_table, prices=foods)
    items = plan.items
    rows = []
    for line in lines.itertuples(index=False):
        eaten_ids = line.eaten_ids.split("; ") if line.eaten_ids else []
        household = ""
        if line.via == "item" and len(eaten_ids) == 1:
            grp = items[items["food_id"] == eaten_ids[0]]
            household = _household(grp, float(grp["grams"].sum()), table, eaten_ids[0])
        if line.pantry:
            buy_text, buy_grams = PANTRY_BUY, 0.0
        else:
            unit = count_unit(line.purchase_id, sr_table, table)
            buy_text, buy_grams = buy_amount(line.grams, unit, units, round_to_g)
        rows.append({
            "section": line.section, "food_id": line.purchase_id, "food": line.purchase_food,
            "total_grams": line.grams, "household": household, "buy": buy_text, "buy_grams": buy_grams,
            "estimated_cost": line.cost, "price_source": line.price_source, "eaten_as": line.eaten_as,
            "eaten_grams": line.eaten_grams, "conversion": line.conversion, "pantry": bool(line.pantry),
        })
    out = pd.DataFrame(rows, columns=SHOPPING_COLUMNS)
    if len(out):
        out["_order"] = out["section"].map(section_rank)
        out = out.sort_values(["_order", "food"], kind="stable").drop(columns="_order").reset_index(drop=True)
    out.attrs["summary"] = asdict(_summarise(out))
    return out


def _summarise(frame: pd.DataFrame) -> ShoppingSummary:
    if "pantry" in frame.columns:  # pantry lines (salt, under 1 g) are not bought: not counted
        frame = frame[~frame["pantry"].astype(bool)]
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
