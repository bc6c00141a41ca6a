"""Plan report views shared by the exports (PDF, Excel), the CLI and the UI.

Everything here is computed from the :class:`~optimizer.plan.Plan` alone (no catalogue needed): the week grid
in household portions, the supplement schedule with timing, the nutrient table against the applied targets,
the magnesium–vitamin D rule as applied, and the disclaimer. ``plan_report_text``/``plan_report_html`` put
them together as a plain-text or HTML document.
"""

from __future__ import annotations

import html
import math
from datetime import date, timedelta

import pandas as pd

from optimizer.results.plan import Plan
from optimizer.results.verify import KCAL_PER_UNIT

NUTRIENT_TABLE_COLUMNS = ["target", "nutrient", "unit", "period", "min", "max", "lowest", "average", "highest", "status", "note"]
SCHEDULE_COLUMNS = ["supplement", "supplement_id", "units", "when", "vitamin_d_ug", "magnesium_mg", "timing"]
_TOLERANCE = 1e-6


# -- small formatting helpers ------------------------------------------------------------------
def fmt_number(value: float | None, digits: int = 3) -> str:
    """A number for people: ``digits`` significant figures, no trailing zeros, "-" for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if abs(value) >= 10 ** digits:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def household_text(portions: float | None, portion_name: str | None, grams: float) -> str:
    """"1.5 × 1 cup (351 g)" when the item is counted in portions, else "234 g"."""
    if portions is None or not portion_name or (isinstance(portions, float) and math.isnan(portions)) or portions <= 0:
        return f"{grams:.0f} g"
    return f"{portions:g} × {portion_name} ({grams:.0f} g)"


def day_label(day: int, week_start: date | None = None) -> str:
    """"Day 3", or "Wed 2 Dec" when the week's first day is known (day 1 = week_start)."""
    if week_start is None:
        return f"Day {day}"
    d = week_start + timedelta(days=day - 1)
    return f"{d:%a} {d.day} {d:%b}"


def rule_statement(plan: Plan) -> str:
    """The magnesium–vitamin D rule as applied to this plan: policy sentence plus the resulting magnesium need."""
    text = plan.rule_text or plan.request.rule.describe()
    mg = next((t for t in plan.target_rows if t.key == "magnesium_mg"), None)
    supp = plan.supplements
    days = max(plan.request.days, 1)
    vit_d_per_day = float(supp["vitamin_d_ug"].sum()) / days if len(supp) else 0.0
    if mg is not None and mg.min is not None:
        extra = plan.request.rule.extra_magnesium_mg(vit_d_per_day)
        text += (
            f" In this plan: supplemental vitamin D averages {fmt_number(vit_d_per_day)} µg/day, so total magnesium "
            f"must reach at least {fmt_number(mg.min)} mg/day (including +{fmt_number(extra)} mg for the vitamin D dose)."
        )
    return "Magnesium–vitamin D rule: " + text


# -- tables ------------------------------------------------------------------------------------
def week_grid(plan: Plan, week_start: date | None = None) -> pd.DataFrame:
    """Meals × days; each cell lists the foods with household portions, one per line ("" when empty)."""
    items = plan.items
    days = list(range(1, plan.request.days + 1))
    meals = list(plan.request.meals) + sorted(set(items["meal"]) - set(plan.request.meals))
    grid = pd.DataFrame("", index=pd.Index(meals, name="meal"), columns=[day_label(d, week_start) for d in days])
    for (day, meal), rows in items.groupby(["day", "meal"], sort=False):
        lines = [f"{r.food}: {household_text(r.portions, r.portion_name, r.grams)}" for r in rows.itertuples()]
        grid.loc[meal, day_label(int(day), week_start)] = "\n".join(lines)
    return grid


def _timing(vitamin_d_ug: float, magnesium_mg: float, units: int) -> str:
    parts = []
    if vitamin_d_ug > 0:
        parts.append("with the main meal of the day (vitamin D is fat-soluble)")
    if magnesium_mg > 0:
        parts.append("with food; split morning and evening" if units > 1 else "with food, e.g. with the evening meal")
    return "; ".join(parts) or "as on the label"


def supplement_schedule(plan: Plan, week_start: date | None = None) -> pd.DataFrame:
    """One row per product and dose: units per dose, which days, µg vitamin D and mg magnesium per dose, timing."""
    supp = plan.supplements
    rows = []
    if len(supp):
        all_days = set(range(1, plan.request.days + 1))
        for (sid, name, units), grp in supp.groupby(["supplement_id", "supplement", "units"], sort=False):
            if units <= 0:
                continue
            days = sorted(int(d) for d in grp["day"])
            when = "every day" if set(days) == all_days else ", ".join(day_label(d, week_start) for d in days)
            vit_d = float(grp["vitamin_d_ug"].iloc[0])
            mg = float(grp["magnesium_mg"].iloc[0])
            rows.append({"supplement": name, "supplement_id": sid, "units": int(units), "when": when,
                         "vitamin_d_ug": vit_d, "magnesium_mg": mg, "timing": _timing(vit_d, mg, int(units))})
    return pd.DataFrame(rows, columns=SCHEDULE_COLUMNS)


def _within(value: float, lo: float | None, hi: float | None) -> str:
    if lo is not None and value < lo - _TOLERANCE * max(1.0, abs(lo)):
        return "below"
    if hi is not None and value > hi + _TOLERANCE * max(1.0, abs(hi)):
        return "above"
    return "met"


def nutrient_table(plan: Plan) -> pd.DataFrame:
    """Each applied target with the plan's lowest day, average and highest day, and whether it is met.

    Daily targets must hold every day; weekly targets on the average. Energy-percent targets are shown in percent
    of energy; supplement-only targets (the magnesium UL) count supplements only. ``status`` is met/below/above, or
    "unknown" when the plan's totals do not include the nutrient.
    """
    totals = plan.totals
    supp = plan.supplements
    supp_day = (supp.groupby("day")[["vitamin_d_ug", "magnesium_mg"]].sum()
                .reindex(range(1, plan.request.days + 1), fill_value=0.0)) if len(supp) else None
    rows = []
    for t in plan.target_rows:
        series: pd.Series | None = None
        if t.applies_to == "supplements":
            if supp_day is not None and t.nutrient in supp_day.columns:
                series = supp_day[t.nutrient]
            else:
                series = pd.Series([0.0] * plan.request.days, index=range(1, plan.request.days + 1))
        elif t.kind == "energy_percent":
            kcal = KCAL_PER_UNIT.get(t.nutrient)
            if kcal and t.nutrient in totals.columns and "energy_kcal" in totals.columns:
                energy = totals["energy_kcal"].where(totals["energy_kcal"] > 0)
                series = 100.0 * totals[t.nutrient] * kcal / energy
        elif t.nutrient in totals.columns:
            series = totals[t.nutrient]
        unit = t.unit or ("% energy" if t.kind == "energy_percent" else "")
        note = t.note
        if t.is_upper_limit and t.max is not None:
            note = (note + "; " if note else "") + "safety upper limit"
        lowest = average = highest = math.nan
        status = "unknown"
        if series is not None and len(series.dropna()):
            s = series.dropna().astype(float)
            lowest, average, highest = float(s.min()), float(s.mean()), float(s.max())
            if t.period == "weekly":
                status = _within(average, t.min, t.max)
            else:
                low, high = _within(lowest, t.min, None), _within(highest, None, t.max)
                status = low if low != "met" else high
        rows.append({"target": t.label or t.key, "nutrient": t.nutrient, "unit": unit, "period": t.period,
                     "min": t.min, "max": t.max, "lowest": lowest, "average": average, "highest": highest,
                     "status": status, "note": note})
    return pd.DataFrame(rows, columns=NUTRIENT_TABLE_COLUMNS)


def nutrient_table_display(plan: Plan) -> pd.DataFrame:
    """The nutrient table with numbers formatted as text for print (target, range, lowest/average/highest, status)."""
    table = nutrient_table(plan)
    out = pd.DataFrame({
        "Nutrient": table["target"],
        "Target": [_range_text(r.min, r.max, r.unit, r.period) for r in table.itertuples()],
        "Lowest day": table["lowest"].map(fmt_number),
        "Average": table["average"].map(fmt_number),
        "Highest day": table["highest"].map(fmt_number),
        "Status": table["status"],
    })
    return out


def _range_text(lo: float | None, hi: float | None, unit: str, period: str) -> str:
    lo = None if lo is None or (isinstance(lo, float) and math.isnan(lo)) else lo
    hi = None if hi is None or (isinstance(hi, float) and math.isnan(hi)) else hi
    if lo is not None and hi is not None:
        text = f"{fmt_number(lo)}–{fmt_number(hi)}"
    elif lo is not None:
        text = f"≥ {fmt_number(lo)}"
    elif hi is not None:
        text = f"≤ {fmt_number(hi)}"
    else:
        text = "-"
    return f"{text} {unit}".strip() + (" (weekly average)" if period == "weekly" else "")


def plan_header(plan: Plan, *, client_name: str | None = None, week_start: date | None = None) -> list[str]:
    """Title lines: who, which week, status, cost."""
    title = "Weekly plan" if plan.request.days >= 7 else f"{plan.request.days}-day plan"
    lines = [f"{title} for {client_name}" if client_name else title]
    if week_start is not None:
        end = week_start + timedelta(days=plan.request.days - 1)
        lines.append(f"{week_start:%A %d %B %Y} – {end:%A %d %B %Y}")
    state = "usable plan" if plan.has_solution else "no usable plan"
    lines.append(f"Solver status: {plan.status} ({state}); solver {plan.solver or '-'}")
    if plan.cost is not None:
        lines.append(f"Estimated food cost: {plan.cost:.2f}")
    return lines


# -- whole documents -----------------------------------------------------------------------------
def plan_report_text(plan: Plan, *, client_name: str | None = None, week_start: date | None = None) -> str:
    """The whole plan as plain text: header, week, supplements, nutrients vs targets, rule, notes, disclaimer."""
    out = plan_header(plan, client_name=client_name, week_start=week_start)
    out.append("")
    if not plan.has_solution:
        out += ["No usable plan was found.", str(plan.explanation or ""), "", plan.disclaimer]
        return "\n".join(out)
    out.append("MEALS")
    for day in range(1, plan.request.days + 1):
        out.append(f"  {day_label(day, week_start)}")
        for r in plan.items[plan.items["day"] == day].itertuples():
            out.append(f"    {r.meal:<10} {r.food}: {household_text(r.portions, r.portion_name, r.grams)}")
    out += ["", "SUPPLEMENTS"]
    schedule = supplement_schedule(plan, week_start)
    if schedule.empty:
        out.append("  none")
    for r in schedule.itertuples():
        amounts = ", ".join(a for a in (f"{fmt_number(r.vitamin_d_ug)} µg vitamin D" if r.vitamin_d_ug else "",
                                         f"{fmt_number(r.magnesium_mg)} mg magnesium" if r.magnesium_mg else "") if a)
        out.append(f"  {r.supplement}: {r.units} unit(s) {r.when} ({amounts}); {r.timing}")
    out += ["", "NUTRIENTS VS TARGETS (per day)"]
    table = nutrient_table_display(plan)
    out += ["  " + line for line in table.to_string(index=False).splitlines()]
    out += ["", rule_statement(plan)]
    out += [f"CLINICIAN OVERRIDE: {line}" for line in plan.clinician_overrides]
    if plan.notes:
        out += ["", "NOTES"] + [f"  - {n}" for n in plan.notes]
    out += ["", plan.disclaimer]
    return "\n".join(out)


def _html_table(frame: pd.DataFrame, index: bool = False) -> str:
    text: str = frame.to_html(index=index, escape=True, na_rep="-", border=0, classes="cofactor")
    return text.replace("\\n", "<br>").replace("&lt;br&gt;", "<br>")


def plan_report_html(plan: Plan, *, client_name: str | None = None, week_start: date | None = None) -> str:
    """The whole plan as a standalone HTML page (same content as :func:`plan_report_text`)."""
    head = plan_header(plan, client_name=client_name, week_start=week_start)
    parts = [f"<h1>{html.escape(head[0])}</h1>"] + [f"<p>{html.escape(line)}</p>" for line in head[1:]]
    if plan.has_solution:
        # escape each cell first (food names come from user CSVs and shared plan files), then keep the line breaks
        grid = week_grid(plan, week_start)
        grid.index = [html.escape(str(i)) for i in grid.index]
        grid.columns = [html.escape(str(c)) for c in grid.columns]
        grid = grid.map(lambda s: html.escape(s).replace("\n", "<br>") if isinstance(s, str) else s)
        parts += ["<h2>Meals</h2>", grid.to_html(escape=False, border=0, classes="cofactor")]
        schedule = supplement_schedule(plan, week_start).drop(columns=["supplement_id"])
        parts += ["<h2>Supplements</h2>", _html_table(schedule) if len(schedule) else "<p>none</p>"]
        parts += ["<h2>Nutrients vs targets (per day)</h2>", _html_table(nutrient_table_display(plan))]
        parts.append(f"<p><strong>{html.escape(rule_statement(plan))}</strong></p>")
        if plan.notes:
            parts.append("<ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in plan.notes) + "</ul>")
    else:
        parts.append(f"<pre>{html.escape(str(plan.explanation or 'No usable plan was found.'))}</pre>")
    parts.append(f"<p><em>{html.escape(plan.disclaimer)}</em></p>")
    style = ("<style>body{font-family:sans-serif;margin:2em} table.cofactor{border-collapse:collapse} "
             "table.cofactor td,table.cofactor th{border:1px solid #ccc;padding:4px;vertical-align:top}</style>")
    title = html.escape(head[0])
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{style}</head><body>{''.join(parts)}</body></html>"
