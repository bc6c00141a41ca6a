"""Assembling a :class:`Plan` from a strategy's result: map values back through the model, compute totals and the
targets as applied, verify independently of the solver, and explain when there is no plan."""

from __future__ import annotations

from typing import Any

import pandas as pd

import foods as food_catalogue
from optimizer.compile.compiler import Compiled
from optimizer.compile.spec import ModelSpec, map_items, map_supplements
from optimizer.domain.request import PlanRequest
from optimizer.domain.targets import Target, Targets
from optimizer.results import explain
from optimizer.results.caps import default_cap_notes
from optimizer.results.explain import shadow_prices
from optimizer.results.plan import AppliedTarget, Explanation, Fix, Plan
from optimizer.results.verify import compute_totals, supplemental_intake, verify_plan
from optimizer.solve.adapter import SolveOptions
from optimizer.solve.deadline import Deadline
from optimizer.solve.status import Termination
from optimizer.strategies.result import METHODS, StrategyResult

EXPLAIN_LIMIT_S = 10.0  # seconds one explanation solve may take (within the plan's deadline)


def assemble_plan(compiled: Compiled, outcome: StrategyResult, deadline: Deadline, options: SolveOptions) -> Plan:
    """The plan for ``compiled`` from the strategy's ``outcome``: verified from the catalogue, explained when there is
    no plan (the explanation's solves stay within ``deadline``)."""
    request, table, catalogue, targets = compiled.request, compiled.table, compiled.catalogue, compiled.targets
    spec, built, result = compiled.spec, outcome.built, outcome.result
    notes = list(compiled.notes) + list(outcome.notes)
    base: dict[str, Any] = {"request": request, "status": result.termination, "solver": result.solver,
                            "objective_value": result.objective, "best_bound": result.bound, "gap": result.gap,
                            "rule_text": request.rule.describe(), "notes": notes, "method": outcome.method}
    if result.termination == Termination.OPTIMAL and result.gap is not None and result.gap > request.relative_gap + 1e-9:
        base["status"] = Termination.GAP_LIMIT
    if not result.has_solution:
        explanation = explain_no_plan(compiled, outcome, deadline, options)
        return Plan(**base, has_solution=False, target_rows=applied_targets(targets, spec, request, {}),
                    explanation=explanation, runtime_s=deadline.elapsed())
    items = map_items(built, result.values)
    doses = map_supplements(built, result.values)
    totals_frame = compute_totals(_frame(items), _frame(doses), table, catalogue, days=request.days)
    total_rows = [{"day": int(d), **{k: float(v) for k, v in row.items()}} for d, row in totals_frame.iterrows()]
    d_per_day = {int(d): float(v) for d, v in _supplemental_d(doses, catalogue, request.days).items()}
    target_rows = applied_targets(targets, spec, request, d_per_day)
    prices = shadow_prices(built, result, request) if not built.is_mip else []
    binding = explain.binding_constraints(built, result) if not built.is_mip else []
    plan = Plan(**base, has_solution=True, item_rows=items, supplement_rows=doses, total_rows=total_rows,
                target_rows=target_rows, shadow_price_rows=prices, binding_rows=binding, runtime_s=deadline.elapsed())
    verification = verify_plan(plan, table, catalogue)
    update: dict[str, Any] = {"verification": verification}
    cap_notes = default_cap_notes(items, request)
    if cap_notes:
        plan = plan.model_copy(update={"notes": plan.notes + cap_notes})
    if not verification.passed:
        update["has_solution"] = False
        update["notes"] = plan.notes + ["The solver's plan failed independent verification and is not returned as a solution: "
                                        + "; ".join(verification.violations[:5])]
        update["explanation"] = explain.failed_verification(verification)
    elif result.termination in (Termination.TIME_LIMIT, Termination.WORK_LIMIT):
        gap = "unknown" if result.gap is None else f"{result.gap:.1%}"
        why = "the time limit" if result.termination == Termination.TIME_LIMIT else "its work limit (nodes, menus, rounds)"
        update["notes"] = plan.notes + [(f"Stopped at {why} before a proof: this plan is usable and verified, within "
                                         f"{gap} of the best possible objective (not proven optimal).")]
    return plan.model_copy(update=update)


def explain_no_plan(compiled: Compiled, outcome: StrategyResult, deadline: Deadline, options: SolveOptions
                    ) -> Explanation:
    """Why there is no plan. A search stopped by the deadline says so and what was tried, without solving more."""
    result = outcome.result
    if result.termination == Termination.TIME_LIMIT and deadline.expired():
        return deadline_explanation(compiled.request, outcome.method, deadline)
    explain_options = deadline.options(SolveOptions(solver=result.solver or compiled.request.solver,
                                                    time_limit_s=min(compiled.request.time_limit_s, EXPLAIN_LIMIT_S),
                                                    relative_gap=max(compiled.request.relative_gap, 0.02)))
    return explain.explain_infeasible(compiled.request, compiled.spec, compiled.targets, explain_options, result,
                                      list(compiled.notes) + list(outcome.notes))


def deadline_explanation(request: PlanRequest, method: str, deadline: Deadline) -> Explanation:
    """The explanation of a plan that ran out of time before any plan was found (nothing more is solved)."""
    tried = METHODS.get(method, method) if method else "building the model"
    limit = deadline.seconds or request.time_limit_s
    return Explanation(
        summary=(f"Stopped at the {limit:g} s time limit before any plan was found (tried: {tried}). This says nothing "
                 "about whether a plan exists."),
        fixes=[Fix(kind="other", description=f"Allow more time: time_limit_s={max(2 * limit, limit + 10):g}.",
                   request_update={"time_limit_s": float(min(max(2 * limit, limit + 10), 3600.0))}),
               Fix(kind="other", description="Plan fewer days or use the everyday foods instead of the whole catalogue.",
                   request_update={"candidates": "everyday"})])


def applied_targets(targets: Targets, spec: ModelSpec, request: PlanRequest, d_per_day: dict[int, float]) -> list[AppliedTarget]:
    """The targets as applied: the magnesium minimum shown as RDA + extra(d) at this plan's vitamin D dose."""
    rows = []
    for t in targets:
        label, unit = _label_unit(t)
        data: dict[str, Any] = {"key": t.key, "nutrient": t.nutrient, "label": label, "unit": unit, "min": t.min,
                                "max": t.max, "period": t.period, "kind": t.kind, "applies_to": t.applies_to,
                                "is_upper_limit": t.is_upper_limit, "source": t.source, "note": t.note}
        if t.key == spec.magnesium_key and t.min is not None:
            doses = list(d_per_day.values()) or [_fixed_dose(request)]
            d = min(doses)
            extra = request.rule.extra_magnesium_mg(d)
            data["min"] = t.min + extra
            varies = max(doses) - min(doses) > 1e-9
            data["note"] = (f"{t.min:g} mg RDA/AI + {extra:g} mg extra at {d:g} µg/day supplemental vitamin D "
                            f"(magnesium–vitamin D rule: {request.rule.describe()})"
                            + (f"; days with more vitamin D need up to "
                               f"{t.min + request.rule.extra_magnesium_mg(max(doses)):g} mg" if varies else ""))
        rows.append(AppliedTarget(**data))
    return rows


def _fixed_dose(request: PlanRequest) -> float:
    if request.vitamin_d_supplement_ug is not None:
        return float(request.vitamin_d_supplement_ug)
    if request.vitamin_d_weekly_supplement_ug is not None:
        return float(request.vitamin_d_weekly_supplement_ug) / 7.0
    return 0.0


def _label_unit(t: Target) -> tuple[str, str]:
    if t.kind == "energy_percent":
        try:
            return f"{food_catalogue.nutrient_label(t.nutrient)} (% of energy)", "% energy"
        except Exception:  # noqa: BLE001 - the registry is optional for custom nutrients
            return t.key, "% energy"
    try:
        label, unit = food_catalogue.nutrient_label(t.nutrient), food_catalogue.nutrient_unit(t.nutrient)
    except Exception:  # noqa: BLE001
        label, unit = t.nutrient, t.nutrient.rsplit("_", 1)[-1]
    if t.applies_to == "supplements":
        label += " from supplements"
    return label, unit


def _frame(rows: list[Any]) -> pd.DataFrame:
    return pd.DataFrame([r.model_dump() for r in rows])


def _supplemental_d(doses: list[Any], catalogue: Any | None, days: int) -> dict[int, float]:
    frame = _frame(doses)
    per_day = supplemental_intake(frame if len(frame) else None, catalogue, days)["vitamin_d_ug"]
    return {int(d): float(v) for d, v in per_day.items()}
