"""Altair charts: the magnesium–vitamin D rule, nutrient coverage, magnesium from food vs supplements."""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from optimizer.domain.rule import MagnesiumVitaminDRule
from optimizer.results.plan import Plan
from ui.views import WEEK_AVERAGE

PCT_CAP = 300.0  # bars beyond this are clipped at the axis end and labelled with their true %
LABEL_LIMIT_PX = 120  # nutrient names on the y axis: at most this wide (a phone keeps most of its width for bars)
# Stretch to the container's width but keep the chart's height for the plot itself. Streamlit's default ("fit")
# squeezes title, axes and legend into that height: the rule chart's plot shrank to a strip with its title cut off.
AUTOSIZE = alt.AutoSizeParams(type="fit-x", contains="padding")


def plan_rule_point(plan: Plan, rule: MagnesiumVitaminDRule, rda_mg: float | None) -> dict[str, Any] | None:
    """This plan's average supplemental vitamin D (µg/day), the magnesium it requires and the magnesium eaten."""
    if not plan.has_solution or rda_mg is None:
        return None
    supp = plan.supplements
    days = max(plan.request.days, 1)
    d = float(supp["vitamin_d_ug"].sum()) / days if not supp.empty else 0.0
    totals = plan.totals
    eaten = float(totals["magnesium_mg"].mean()) if "magnesium_mg" in totals else None
    return {"vitamin_d_ug": d, "required_mg": rule.required_magnesium_mg(rda_mg, d), "magnesium_mg": eaten}


def rule_chart(rule: MagnesiumVitaminDRule, rda_mg: float, point: dict[str, Any] | None = None) -> alt.LayerChart:
    """Required total magnesium (mg/day) against supplemental vitamin D (µg/day), with this plan's point."""
    top = max(150.0, max(b.vitamin_d_ug for b in rule.breakpoints) * 1.2, (point or {}).get("vitamin_d_ug", 0) * 1.2)
    xs = sorted(set(np.linspace(0, top, 61).tolist() + [b.vitamin_d_ug for b in rule.breakpoints]))
    name = "Default precautionary policy" if rule.is_default_policy else "Your schedule"
    line = pd.DataFrame({"vitamin_d_ug": xs, "required_mg": [rule.required_magnesium_mg(rda_mg, x) for x in xs],
                         "schedule": name})
    base = alt.Chart(line).mark_line(strokeWidth=3, color="#2e7d32").encode(
        x=alt.X("vitamin_d_ug:Q", title="Supplemental vitamin D (µg/day)"),
        y=alt.Y("required_mg:Q", title="Required magnesium (mg/day)", scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("vitamin_d_ug:Q", format=".0f"), alt.Tooltip("required_mg:Q", format=".0f"), "schedule"],
    )
    bps = pd.DataFrame({"vitamin_d_ug": [b.vitamin_d_ug for b in rule.breakpoints],
                        "required_mg": [rda_mg + b.extra_magnesium_mg for b in rule.breakpoints]})
    dots = alt.Chart(bps).mark_point(filled=True, size=50, color="#2e7d32").encode(
        x="vitamin_d_ug:Q", y="required_mg:Q")
    layers = [base, dots]
    if point:
        marks = pd.DataFrame([
            {"vitamin_d_ug": point["vitamin_d_ug"], "mg": point["required_mg"], "what": "This plan: required"},
            *([{"vitamin_d_ug": point["vitamin_d_ug"], "mg": point["magnesium_mg"], "what": "This plan: eaten"}]
              if point.get("magnesium_mg") is not None else []),
        ])
        layers.append(alt.Chart(marks).mark_point(size=160, filled=True).encode(
            x="vitamin_d_ug:Q", y="mg:Q",
            color=alt.Color("what:N", scale=alt.Scale(range=["#d84315", "#1565c0"]), legend=alt.Legend(
                title=None, orient="bottom")),
            shape=alt.Shape("what:N", legend=None),
            tooltip=["what", alt.Tooltip("vitamin_d_ug:Q", format=".1f"), alt.Tooltip("mg:Q", format=".0f")]))
    chart = alt.layer(*layers)
    assert isinstance(chart, alt.LayerChart)  # no layer has a facet encoding, so nothing is hoisted into a facet
    return chart.properties(height=280, title=name, autosize=AUTOSIZE)


def coverage_chart(cov: pd.DataFrame) -> alt.LayerChart:
    """% of target per nutrient: the week average as bars, each day as a tick, 100 % and upper limits marked."""
    data = cov.copy()
    data["shown_pct"] = data["pct"].clip(upper=PCT_CAP)
    limit_only = data["min"].isna() & data["max"].notna()
    data["nutrient"] = (data["label"] + np.where(limit_only, " (limit)", "")
                        + np.where(data["unknown_foods"] > 0, " ⚠", ""))
    data["value_text"] = data["value"].map(lambda v: f"{v:,.1f}") + " " + data["unit"]
    order = list(dict.fromkeys(data["nutrient"]))
    y = alt.Y("nutrient:N", sort=order, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT_PX))
    avg = data[data["day"] == WEEK_AVERAGE]
    tooltip = ["label", "day", "value_text", alt.Tooltip("pct:Q", format=".0f", title="% of target"), "status",
               alt.Tooltip("unknown_foods:Q", title="plan foods with unknown value")]
    bars = alt.Chart(avg).mark_bar(opacity=0.75).encode(
        x=alt.X("shown_pct:Q", title="% of target",
                scale=alt.Scale(domain=[0, PCT_CAP])),
        y=y,
        color=alt.Color("status:N", scale=alt.Scale(domain=["met", "below target", "above limit", "weekly target"],
                                                     range=["#66bb6a", "#ffa726", "#e53935", "#90a4ae"]),
                        legend=alt.Legend(title=None, orient="bottom", columns=1)),  # one column fits a phone
        tooltip=tooltip,
    )
    days = alt.Chart(data[data["day"] != WEEK_AVERAGE]).mark_tick(color="#263238", thickness=2, size=10).encode(
        x="shown_pct:Q", y=y, tooltip=tooltip)
    target = alt.Chart(pd.DataFrame({"x": [100.0]})).mark_rule(strokeDash=[4, 3], color="#263238").encode(x="x:Q")
    limits = avg.dropna(subset=["max_pct"]).assign(limit_pct=lambda f: f["max_pct"].clip(upper=PCT_CAP))
    upper = alt.Chart(limits).mark_tick(color="#c62828", thickness=3, size=18).encode(
        x="limit_pct:Q", y=y, tooltip=["label", alt.Tooltip("max:Q", title="upper limit"), "unit"])
    over = avg[avg["pct"] > PCT_CAP].assign(pct_text=lambda f: f["pct"].map(lambda v: f"{v:,.0f} %"))
    beyond = alt.Chart(over).mark_text(align="right", dx=-4, color="#ffffff", fontWeight="bold").encode(
        x="shown_pct:Q", y=y, text="pct_text:N", tooltip=tooltip)
    height = max(180, 30 * len(order))
    layered = alt.layer(bars, days, target, upper, beyond)
    assert isinstance(layered, alt.LayerChart)  # no layer has a facet encoding, so nothing is hoisted into a facet
    chart: alt.LayerChart = layered.properties(height=height, autosize=AUTOSIZE).configure_axisY(labelOverlap=False)
    return chart


def magnesium_chart(split: pd.DataFrame) -> alt.LayerChart:
    """Stacked bars per day: magnesium from food and from supplements, with the requirement as a line."""
    long = split.melt(id_vars=["day"], value_vars=["food_mg", "supplement_mg"], var_name="source", value_name="mg")
    long["source"] = long["source"].map({"food_mg": "From food", "supplement_mg": "From supplements"})
    bars = alt.Chart(long).mark_bar(size=28).encode(
        x=alt.X("day:N", title=None, sort=list(split["day"]), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("mg:Q", title="Magnesium (mg/day)", stack="zero"),
        color=alt.Color("source:N", scale=alt.Scale(domain=["From food", "From supplements"],
                                                    range=["#2e7d32", "#8e24aa"]),
                        legend=alt.Legend(title=None, orient="bottom")),
        tooltip=["day", "source", alt.Tooltip("mg:Q", format=".0f")],
    )
    layers = [bars]
    if split["required_mg"].notna().any():
        layers.append(alt.Chart(split).mark_tick(color="#d84315", thickness=3, size=30).encode(
            x=alt.X("day:N", sort=list(split["day"])), y="required_mg:Q",
            tooltip=[alt.Tooltip("required_mg:Q", title="required (mg)", format=".0f")]))
    chart = alt.layer(*layers)
    assert isinstance(chart, alt.LayerChart)  # no layer has a facet encoding, so nothing is hoisted into a facet
    return chart.properties(height=240, autosize=AUTOSIZE)
