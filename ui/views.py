"""Pure pandas views of a Plan for the UI (no Streamlit here, so they are easy to test)."""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from foods.display_names import display_name
from optimizer.results.plan import Plan

WEEK_AVERAGE = "Week average"
COVERAGE_COLUMNS = ["target", "label", "unit", "period", "day", "value", "min", "max", "reference", "pct",
                    "max_pct", "is_upper_limit", "unknown_foods", "status"]


def portion_text(portions: float | None, portion_name: str | None, grams: float) -> str:
    """'2 × slice (56 g)' for household portions, '120 g' otherwise."""
    if portions is not None and not (isinstance(portions, float) and math.isnan(portions)) and portion_name:
        return f"{portions:g} × {portion_name} ({grams:.0f} g)"
    return f"{grams:.0f} g"


def day_label(day: int) -> str:
    return f"Day {int(day)}"


def short_name(full: str, curated: str | None = None) -> str:
    """The name people read: the catalogue's curated ``display_name`` when it has one, else the USDA description
    shortened by rule ('Soybeans, mature cooked, boiled, without salt' -> 'Soybeans, mature cooked')."""
    if curated is not None and isinstance(curated, str) and curated.strip():
        return curated.strip()
    return display_name(str(full)) if full else str(full)


def item_label(row: Mapping[str, Any], names: Mapping[str, str] | None = None) -> str:
    """One plan item for pickers: 'Day 1 · breakfast · Oats — 1 × cup (81 g)' (the short name of the food)."""
    amount = portion_text(row.get("portions"), row.get("portion_name"), row["grams"])
    food = (names or {}).get(str(row.get("food_id"))) or short_name(str(row["food"]))
    return f"{day_label(row['day'])} · {row['meal']} · {food} — {amount}"


def week_grid(plan: Plan, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Days × meals; each cell lists the items (short name, portion and grams) eaten at that meal. ``names``: food id
    -> curated display name (else the rule-shortened USDA description)."""
    return _grid(plan, names)[0]


def _grid(plan: Plan, names: Mapping[str, str] | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    items = plan.items
    meals = list(plan.request.meals)
    days = [day_label(d) for d in range(1, plan.request.days + 1)]
    grid = pd.DataFrame("", index=pd.Index(days, name="day"), columns=meals, dtype=object)
    full = pd.DataFrame("", index=grid.index, columns=meals, dtype=object)
    for (day, meal), group in items.groupby(["day", "meal"], sort=False):
        lines = [f"{(names or {}).get(str(r.food_id)) or short_name(r.food)} — "
                 f"{portion_text(r.portions, r.portion_name, r.grams)}" + (" [locked]" if r.locked else "")
                 for r in group.itertuples()]
        if meal in grid.columns:
            grid.loc[day_label(day), meal] = "\n".join(lines)
            full.loc[day_label(day), meal] = "\n".join(str(r.food) for r in group.itertuples())
    return grid, full


def week_grid_html(plan: Plan, names: Mapping[str, str] | None = None) -> str:
    """The week grid as an HTML table of short names, the full USDA description on hover (on a phone each day
    becomes a card with its meals stacked)."""
    grid, full = _grid(plan, names)
    head = "".join(f"<th>{html.escape(m.capitalize())}</th>" for m in grid.columns)
    body = []
    for day, row in grid.iterrows():
        cells = "".join(
            f"<td data-meal='{html.escape(str(meal).capitalize(), quote=True)}'>"
            + "".join(f"<div class='cf-item' title='{html.escape(desc, quote=True)}'>{html.escape(line)}</div>"
                      for line, desc in zip([x for x in str(v).split("\n") if x],
                                            [x for x in str(full.at[day, meal]).split("\n") if x]))
            + "</td>" for meal, v in row.items())
        body.append(f"<tr><th scope='row'>{html.escape(str(day))}</th>{cells}</tr>")
    return (
        "<div class='cf-grid-wrap'><table class='cf-grid' data-testid='cofactor-week-grid'>"
        f"<thead><tr><th></th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


GRID_CSS = """
<style>
.cf-grid-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;margin-bottom:0.5rem}
.cf-grid{border-collapse:collapse;width:100%;min-width:560px;font-size:0.8rem;line-height:1.3}
.cf-grid th,.cf-grid td{border:1px solid rgba(128,128,128,0.35);padding:4px 6px;vertical-align:top;text-align:left}
.cf-grid thead th{background:rgba(46,125,50,0.12)}
.cf-grid tbody th{white-space:nowrap;background:rgba(46,125,50,0.06)}
.cf-item{margin-bottom:2px}
@media print{.cf-grid{font-size:10pt;min-width:0}}
@media (max-width:640px){
.cf-grid{min-width:0}
.cf-grid thead{display:none}
.cf-grid tr,.cf-grid tbody th,.cf-grid td{display:block;width:auto}
.cf-grid tr{margin-bottom:10px;border:1px solid rgba(128,128,128,0.35)}
.cf-grid td{border:none;border-top:1px solid rgba(128,128,128,0.2)}
.cf-grid td::before{content:attr(data-meal);display:block;font-weight:600;margin-bottom:2px}
}
</style>
"""


def _status(value: float, lo: float | None, hi: float | None) -> str:
    if lo is not None and value < lo * (1 - 1e-6) - 1e-9:
        return "below target"
    if hi is not None and value > hi * (1 + 1e-6) + 1e-9:
        return "above limit"
    return "met"


def coverage(plan: Plan, kcal_per_unit: Mapping[str, float] | None = None,
             missing: Callable[[str, list[str]], int] | None = None) -> pd.DataFrame:
    """Nutrient coverage per day and as the week average, as % of each target.

    ``reference`` is the min (or the max for limit-only targets); ``pct`` = value / reference × 100;
    ``max_pct`` marks the upper limit on the same scale. ``unknown_foods`` counts the plan's foods with no
    value for the nutrient (from ``missing(nutrient, food_ids)``), so a low figure may be an unknown, not a gap.
    Energy-percent targets need ``kcal_per_unit`` (target key -> kcal per unit of the nutrient).
    """
    totals = plan.totals
    targets = plan.targets
    if totals.empty or targets.empty:
        return pd.DataFrame(columns=COVERAGE_COLUMNS)
    food_ids = sorted(set(plan.items["food_id"]))
    rows = []
    for t in targets.itertuples():
        if t.applies_to != "total" or t.nutrient not in totals.columns:
            continue
        series = totals[t.nutrient].astype(float)
        unit = t.unit
        if t.kind == "energy_percent":
            factor = (kcal_per_unit or {}).get(t.key)
            if not factor or "energy_kcal" not in totals.columns:
                continue
            series = series * factor / totals["energy_kcal"].replace(0, float("nan")) * 100.0
            unit = "% of energy"
        lo = None if pd.isna(t.min) else float(t.min)
        hi = None if pd.isna(t.max) else float(t.max)
        reference = lo if lo else hi
        if not reference:
            continue
        unknown = missing(t.nutrient, food_ids) if missing else 0
        label = t.label or t.key
        points = [(day_label(d), float(v)) for d, v in series.items()]
        points.append((WEEK_AVERAGE, float(series.mean())))
        for day, value in points:
            judged = t.period == "daily" or day == WEEK_AVERAGE
            rows.append({
                "target": t.key, "label": label, "unit": unit, "period": t.period, "day": day, "value": value,
                "min": lo, "max": hi, "reference": reference, "pct": value / reference * 100.0,
                "max_pct": (hi / reference * 100.0) if (hi and lo) else None,
                "is_upper_limit": bool(t.is_upper_limit), "unknown_foods": int(unknown),
                "status": _status(value, lo, hi) if judged else "weekly target",
            })
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


def magnesium_split(plan: Plan) -> pd.DataFrame:
    """Per day: magnesium from food and from supplements (mg), the requirement, and supplemental vitamin D (µg)."""
    days = list(range(1, plan.request.days + 1))
    totals = plan.totals
    supp = plan.supplements
    by_day = supp.groupby("day")[["magnesium_mg", "vitamin_d_ug"]].sum() if not supp.empty else pd.DataFrame()
    required = None
    targets = plan.targets
    if not targets.empty and "magnesium_mg" in set(targets["key"]):
        value = targets.loc[targets["key"] == "magnesium_mg", "min"].iloc[0]
        required = None if pd.isna(value) else float(value)
    rows = []
    for d in days:
        known = d in totals.index and "magnesium_mg" in totals
        total = float(totals.at[d, "magnesium_mg"]) if known else float("nan")
        from_supp = float(by_day.at[d, "magnesium_mg"]) if d in by_day.index else 0.0
        vit_d = float(by_day.at[d, "vitamin_d_ug"]) if d in by_day.index else 0.0
        rows.append({"day": day_label(d), "food_mg": total - from_supp, "supplement_mg": from_supp,
                     "required_mg": required, "supplement_vitamin_d_ug": vit_d})
    return pd.DataFrame(rows)


def supplement_schedule(plan: Plan) -> pd.DataFrame:
    """Products by day: one row per product, one column per day with the units to take."""
    supp = plan.supplements
    if supp.empty:
        return pd.DataFrame()
    grid = supp.pivot_table(index="supplement", columns="day", values="units", aggfunc="sum", fill_value=0)
    grid.columns = [day_label(c) for c in grid.columns]
    return grid.astype(int)



def locks_shown(plan: Plan) -> tuple[list[tuple[int, str, str]], list[int]]:
    """The locks in ``plan.request`` as the edit panel shows them: (items locked on their own, whole days kept).

    A day counts as kept (plans of more than one day only) when the request locks a supplement dose that day, or
    locks every item of a day without supplements; its items are then not listed on their own. Only items that are
    in the plan are listed (``(day, meal, food_id)``, the order of ``plan.items``).
    """
    request = plan.request
    slots = {(x.day, x.meal, x.food_id) for x in request.locked}
    dose_days = {x.day for x in request.locked_supplements}
    days: list[int] = []
    if request.days > 1:
        for d in range(1, request.days + 1):
            rows = [(r.day, r.meal, r.food_id) for r in plan.item_rows if r.day == d and r.grams > 0]
            has_doses = any(r.day == d for r in plan.supplement_rows)
            if d in dose_days or (rows and not has_doses and all(s in slots for s in rows)):
                days.append(d)
    items = list(dict.fromkeys((r.day, r.meal, r.food_id) for r in plan.item_rows
                               if (r.day, r.meal, r.food_id) in slots and r.day not in days))
    return items, days


def substitutes_table(subs: pd.DataFrame) -> pd.DataFrame:
    """``optimizer.editing.suggest_substitutes`` output for display: the library's columns, readable names."""
    out = pd.DataFrame({
        "Food": subs["food"], "Group": subs["group"], "Grams": subs["grams"].round(0),
        "Portions": subs["portions"], "Keeps targets met": subs["feasible"].map({True: "yes", False: "no"}),
        "Change in the day's objective": subs["objective_change"], "What changes": subs["note"],
    })
    return out.reset_index(drop=True)
