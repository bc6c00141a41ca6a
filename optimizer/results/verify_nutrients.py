"""Verification of a plan's nutrients: targets, the magnesium–vitamin D rule, meal energy shares, the prescribed
dose and the applied targets, all from totals recomputed from the catalogues."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from optimizer.domain.targets import Targets
from optimizer.results.checker import Checker
from optimizer.results.plan import Plan
from optimizer.results.totals import KCAL_PER_UNIT


def nutrient_series(target: Any, totals: pd.DataFrame, supp_day: pd.DataFrame) -> pd.Series | None:
    if target.applies_to == "supplements":
        if target.nutrient == "vitamin_d_ug":
            return supp_day["vitamin_d_ug"]
        if target.nutrient == "magnesium_mg":
            return supp_day["magnesium_mg"]
        return pd.Series(0.0, index=supp_day.index)
    if target.nutrient not in totals.columns:
        return None
    return totals[target.nutrient]


def kcal_per_unit(requested: Targets | None, target: Any) -> float | None:
    given = requested[target.key].kcal_per_unit if requested is not None and target.key in requested else None
    if given:
        return float(given)
    return KCAL_PER_UNIT.get(target.nutrient)


def check_targets(chk: Checker, plan: Plan, totals: pd.DataFrame, supp_day: pd.DataFrame, requested: Targets | None) -> None:
    for t in plan.target_rows:
        series = nutrient_series(t, totals, supp_day)
        if series is None:
            chk.require(False, f"target {t.key}: nutrient '{t.nutrient}' is not in the food catalogue")
            continue
        unit = t.unit or ("% energy" if t.kind == "energy_percent" else "")
        scope = " (supplements only)" if t.applies_to == "supplements" else ""
        if t.kind == "energy_percent":
            k = kcal_per_unit(requested, t)
            if k is None or "energy_kcal" not in totals.columns:
                chk.require(False, f"target {t.key}: cannot compute percent of energy (no kcal per unit or no energy_kcal)")
                continue
            nutrient_kcal = series * k
            energy = totals["energy_kcal"]
            periods = [("weekly average", nutrient_kcal.mean(), energy.mean())] if t.period == "weekly" else [
                (f"day {d}", nutrient_kcal[d], energy[d]) for d in totals.index]
            for label, kcal, e in periods:
                pct = 100.0 * kcal / e if e > 0 else 0.0
                if t.min is not None:
                    chk.checked += 1
                    if not 100.0 * kcal >= t.min * e - chk.slack(t.min * e):
                        chk.violations.append(f"{label}, {t.key}: {pct:.4g} % of energy is below the minimum {t.min:g} % (short by "
                                              f"{t.min - pct:.3g} points)")
                if t.max is not None:
                    chk.checked += 1
                    if not 100.0 * kcal <= t.max * e + chk.slack(t.max * e):
                        chk.violations.append(f"{label}, {t.key}: {pct:.4g} % of energy is above the maximum {t.max:g} % (over by "
                                              f"{pct - t.max:.3g} points)")
            continue
        amounts: list[tuple[str, float]]
        if t.period == "weekly":
            amounts = [("weekly average", float(series.mean()))]
        else:
            amounts = [(f"day {d}", float(series[d])) for d in series.index]
        for label, value in amounts:
            if t.min is not None:
                chk.at_least(value, t.min, f"{label}, {t.key}{scope}", unit)
            if t.max is not None:
                chk.at_most(value, t.max, f"{label}, {t.key}{scope}", unit)


def check_rule(chk: Checker, plan: Plan, totals: pd.DataFrame, supp_day: pd.DataFrame, requested: Targets | None) -> None:
    """Magnesium–vitamin D rule and the Ca:Mg ratio, recomputed from the request (not the applied targets)."""
    rule = plan.request.rule
    mg_target = None
    if requested is not None:
        mg_target = next((t for t in requested if t.nutrient == "magnesium_mg" and t.applies_to == "total" and t.kind == "amount"), None)
    if mg_target is not None and "magnesium_mg" in totals.columns:
        base = mg_target.min or 0.0
        need = pd.Series([base + rule.extra_magnesium_mg(float(d)) for d in supp_day["vitamin_d_ug"]], index=supp_day.index)
        mg = totals["magnesium_mg"]
        if mg_target.period == "weekly":
            chk.at_least(float(mg.mean()), float(need.mean()),
                         f"weekly average, magnesium–vitamin D rule (RDA {base:g} mg + extra at {supp_day['vitamin_d_ug'].mean():.4g} "
                         f"µg/day vitamin D)", "mg")
        else:
            for d in mg.index:
                chk.at_least(float(mg[d]), float(need[d]),
                             f"day {d}, magnesium–vitamin D rule (requirement {base:g} mg + {need[d] - base:.4g} mg extra at "
                             f"{supp_day.at[d, 'vitamin_d_ug']:.4g} µg supplemental vitamin D)", "mg")
    if "calcium_mg" in totals.columns and "magnesium_mg" in totals.columns and (
        rule.calcium_magnesium_ratio_max is not None or rule.calcium_magnesium_ratio_min is not None
    ):
        for d in totals.index:
            ca, mg = float(totals.at[d, "calcium_mg"]), float(totals.at[d, "magnesium_mg"])
            ratio = ca / mg if mg > 0 else math.inf if ca > 0 else 0.0
            if rule.calcium_magnesium_ratio_max is not None:
                r = rule.calcium_magnesium_ratio_max
                chk.checked += 1
                if not ca <= r * mg + chk.slack(r * mg):
                    chk.violations.append(f"day {d}, calcium:magnesium ratio {ratio:.4g} is above the maximum {r:g} (calcium {ca:.5g} mg, "
                                          f"magnesium {mg:.5g} mg; {ca - r * mg:.4g} mg calcium too many)")
            if rule.calcium_magnesium_ratio_min is not None:
                r = rule.calcium_magnesium_ratio_min
                chk.checked += 1
                if not ca >= r * mg - chk.slack(r * mg):
                    chk.violations.append(f"day {d}, calcium:magnesium ratio {ratio:.4g} is below the minimum {r:g} (calcium {ca:.5g} mg, "
                                          f"magnesium {mg:.5g} mg)")


def check_meal_shares(chk: Checker, plan: Plan, items: pd.DataFrame, frame: pd.DataFrame, totals: pd.DataFrame) -> None:
    """Each meal's energy within its share band of the day's energy (request.energy_shares())."""
    shares = plan.request.energy_shares()
    if not shares or "energy_kcal" not in frame.columns or "energy_kcal" not in totals.columns:
        return
    if len(items):
        per_100g = frame.loc[items["food_id"].astype(str).to_numpy(), "energy_kcal"].to_numpy(dtype=float)
        kcal = np.nan_to_num(per_100g) * items["grams"].to_numpy(dtype=float) / 100.0
        by_meal = pd.Series(kcal).groupby([items["day"].to_numpy(), items["meal"].to_numpy()]).sum()
    else:
        by_meal = pd.Series(dtype=float)
    for d in totals.index:
        energy = float(totals.at[d, "energy_kcal"])
        for meal, (lo, hi) in shares.items():
            got = float(by_meal.get((d, meal), 0.0))
            pct = 100.0 * got / energy if energy > 0 else 0.0
            if lo > 0:
                chk.checked += 1
                if not got >= lo * energy - chk.slack(lo * energy):
                    chk.violations.append(f"day {d}, {meal}: {got:.5g} kcal is {pct:.3g} % of the day's energy, below the meal share "
                                          f"minimum {lo * 100:g} %")
            if hi < 1:
                chk.checked += 1
                if not got <= hi * energy + chk.slack(hi * energy):
                    chk.violations.append(f"day {d}, {meal}: {got:.5g} kcal is {pct:.3g} % of the day's energy, above the meal share "
                                          f"maximum {hi * 100:g} %")


def check_prescribed_dose(chk: Checker, plan: Plan, supp_day: pd.DataFrame) -> None:
    req = plan.request
    if req.vitamin_d_supplement_ug is not None:
        for d in supp_day.index:
            chk.equal(float(supp_day.at[d, "vitamin_d_ug"]), float(req.vitamin_d_supplement_ug),
                      f"day {d}, prescribed vitamin D supplement dose", "µg")
    elif req.vitamin_d_weekly_supplement_ug is not None:
        per_week = float(supp_day["vitamin_d_ug"].mean()) * 7.0
        chk.equal(per_week, float(req.vitamin_d_weekly_supplement_ug), "prescribed weekly vitamin D supplement dose (per week)", "µg")


def check_applied_vs_requested(chk: Checker, plan: Plan, requested: Targets) -> None:
    """The applied targets may be stricter than requested (the rule raises magnesium) but never looser."""
    req = plan.request
    applied = {t.key: t for t in plan.target_rows}
    raised = dict(req.clinician_override.upper_limits) if req.clinician_override else {}
    for t in requested:
        a = applied.get(t.key)
        chk.require(a is not None, f"target {t.key} was requested but is missing from the plan's applied targets")
        if a is None:
            continue
        if t.min is not None:
            chk.require(a.min is not None and a.min >= t.min - chk.slack(t.min),
                        f"target {t.key}: applied minimum {a.min} is looser than the requested {t.min:g}")
        max_allowed = raised.get(t.key, t.max)
        if max_allowed is not None:
            chk.require(a.max is not None and a.max <= max_allowed + chk.slack(max_allowed),
                        f"target {t.key}: applied maximum {a.max} is looser than the requested {max_allowed:g}")
        if t.period == "daily":
            chk.require(a.period == "daily", f"target {t.key}: requested daily but applied as a weekly average")


def check_plan_totals(chk: Checker, plan: Plan, totals: pd.DataFrame, target_nutrients: set[str]) -> None:
    if not plan.total_rows:
        chk.require(not plan.has_solution, "the plan has a solution but no daily totals")
        return
    reported = plan.totals
    for d in totals.index:
        chk.require(d in reported.index, f"day {d}: missing from the plan's daily totals")
        if d not in reported.index:
            continue
        for col in totals.columns:
            if col not in reported.columns:
                chk.require(col not in target_nutrients, f"day {d}: targeted nutrient {col} missing from the plan's totals")
                continue
            got = float(reported.at[d, col])
            want = float(totals.at[d, col])
            chk.checked += 1
            if not (abs(got - want) <= chk.slack(want)):
                chk.violations.append(f"day {d}, {col}: the plan reports {got:.6g} but the catalogue gives {want:.6g} (off by "
                                      f"{got - want:.4g})")
