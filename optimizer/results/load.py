"""Loading a saved plan: parse it and verify it again from the catalogue. The stored verdict is never trusted.

Every route that reads a plan back (``optimizer.load_plan``, ``Store.get_plan``, ``cofactor export``, batch
results, the app's restore) goes through :func:`reverify`: food ids and names against the food catalogue, grams
against portions × portion grams, supplement doses against the supplement catalogue, daily totals recomputed
from the catalogue (the stored totals are only compared, never used), targets recomputed from the stored request
(DRIs, overrides, clinician override), life-stage food safety and unknown values under a maximum. A plan that
fails is returned with ``has_solution=False``, the new failed ``verification`` and its reasons in the notes and
the explanation; a plan that passes comes back unchanged but for its recomputed ``verification``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

import foods as food_catalogue
from foods.errors import DataError
from optimizer.results.plan import Explanation, Fix, Plan
from optimizer.results.verify import verify_plan

PASSED_NOTE = "Re-checked from the catalogue on load: passed."  # older loads wrote it; dropped on load
FAILED_NOTE = "Re-checked from the catalogue on load: FAILED, not a usable plan: "


def _parse(source: str | Path | Mapping[str, Any]) -> tuple[Any, str]:
    """(JSON data, where it came from) from JSON text, a path to a JSON file, or already-parsed data."""
    if isinstance(source, Mapping):
        return dict(source), "plan data"
    if isinstance(source, Path) or (isinstance(source, str) and not source.lstrip().startswith("{")):
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataError(f"cannot read the plan file: {exc}", source=str(path),
                            fix="give the path of a plan JSON saved by Cofactor, or its text") from None
        where = str(path)
    else:
        text, where = source, "plan JSON"
    try:
        return json.loads(text), where
    except json.JSONDecodeError as exc:
        raise DataError(f"not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})", source=where,
                        fix="give a plan JSON saved by Cofactor") from None


def load_plan(source: str | Path | Mapping[str, Any], foods: Any | None = None, supplements: Any | None = None) -> Plan:
    """Read a saved plan (JSON text, a path to a ``.json`` file, or parsed data) and verify it again from the
    catalogues (``foods``: a ``foods.FoodTable``, default the shipped USDA table; ``supplements``: a
    ``SupplementCatalogue``, default the shipped products). Raises :class:`foods.errors.DataError` naming the
    file and field for unreadable input. See :func:`reverify` for what a failed check does."""
    data, where = _parse(source)
    if not isinstance(data, dict):
        raise DataError("expected a JSON object (a plan saved by Cofactor)", source=where)
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise DataError(f"{field}: {first['msg']} ({exc.error_count()} problem(s))", source=where, column=field,
                        fix="give a plan JSON saved by Cofactor (Plan.model_dump_json)") from None
    return reverify(plan, foods, supplements)


def _with_plan_prices(table: Any, plan: Plan) -> Any:
    """The catalogue with the plan's own prices for foods it has no price for (a plan priced with a clinic's price
    list). Prices are not safety limits; every nutrient, portion and dose is still checked from the catalogue."""
    frame = table.frame
    if "price_per_100g" not in frame.columns:
        return table
    priced = {r.food_id: r.cost / r.grams * 100.0 for r in plan.item_rows
              if r.cost is not None and r.grams > 0 and r.food_id in frame.index}
    missing = [f for f in priced if pd.isna(frame.at[f, "price_per_100g"])]
    if not missing:
        return table
    copy = frame.copy()
    copy.loc[missing, "price_per_100g"] = [priced[f] for f in missing]
    return food_catalogue.FoodTable(copy, table.portions, source=table.source, recipes=table.recipes)


def reverify(plan: Plan, foods: Any | None = None, supplements: Any | None = None) -> Plan:
    """``plan`` with a verification recomputed from the catalogues (the stored one is discarded). A plan that
    claims a solution and fails comes back with ``has_solution=False``, the reasons in ``notes`` and an
    explanation; a plan without a solution is returned with its stored verdict dropped."""
    notes = [n for n in plan.notes if not n.startswith((PASSED_NOTE, FAILED_NOTE))]
    if not plan.has_solution:
        return plan.model_copy(update={"verification": None, "notes": notes})
    table = _with_plan_prices(foods if foods is not None else food_catalogue.load_foods(plan.request.catalogue), plan)
    catalogue = supplements
    if catalogue is None and plan.supplement_rows:
        catalogue = food_catalogue.load_supplements()
    verification = verify_plan(plan, table, catalogue)
    if verification.passed:  # the recomputed verdict agrees: the plan comes back equal to what was saved
        stored = plan.verification
        kept = stored if stored is not None and stored.passed and not stored.violations else verification
        return plan.model_copy(update={"verification": kept, "notes": notes})
    return plan.model_copy(update={
        "verification": verification, "has_solution": False,
        "notes": notes + [FAILED_NOTE + "; ".join(verification.violations[:5])],
        "explanation": Explanation(
            summary="This saved plan failed the re-check from the catalogue, so it is not a usable plan: "
                    + "; ".join(verification.violations[:5]),
            fixes=[Fix(kind="other", description="Make the plan again from its request: optimizer.plan(plan.request).")])})
