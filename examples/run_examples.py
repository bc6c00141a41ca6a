"""Plan every example request in this folder and print what Cofactor says about it.

    python examples/run_examples.py                      # all examples, compact output
    python examples/run_examples.py vegan_50ug_vitamin_d --full --solver cbc

For each request: the plan summary (status, verification, or the explanation of why no plan exists), the
magnesium–vitamin D rule in force, day 1's meals and supplements, and the daily magnesium and vitamin D
totals against their targets. ``--full`` prints every day (the same view as ``cofactor plan``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a source checkout without installing

import pandas as pd  # noqa: E402

import optimizer  # noqa: E402
from optimizer.cli.main import format_number, print_plan, render_table  # noqa: E402
from optimizer.planner import plan as make_plan  # noqa: E402

SHOWN_NUTRIENTS = ("energy_kcal", "magnesium_mg", "vitamin_d_ug", "calcium_mg")


def example_paths(names: list[str] | None = None) -> list[Path]:
    """The example request files (all of them, or those named without the .json suffix)."""
    paths = sorted(HERE.glob("*.json"))
    if names:
        wanted = {n.removesuffix(".json") for n in names}
        unknown = wanted - {p.stem for p in paths}
        if unknown:
            raise SystemExit(f"unknown example(s) {sorted(unknown)}; choose from {[p.stem for p in paths]}")
        paths = [p for p in paths if p.stem in wanted]
    return paths


def print_compact(plan: optimizer.Plan) -> None:
    """Summary, rule, day 1 items and supplements, and key daily totals against targets."""
    print(plan.summary())
    if plan.rule_text:
        print(f"Magnesium–vitamin D rule: {plan.rule_text}")
    if not plan.has_solution:
        return
    items = plan.items
    day1 = items[items["day"] == items["day"].min()]
    print(f"\nDay 1 ({len(day1)} items):")
    print(render_table(day1[["meal", "food_id", "food", "portions", "portion_name", "grams"]].round(1)))
    sup = plan.supplements
    print("\nSupplements:" + (" none" if sup.empty else ""))
    if not sup.empty:
        print(render_table(sup[["day", "supplement", "units", "vitamin_d_ug", "magnesium_mg"]]))
    targets = plan.targets.set_index("key")
    totals = plan.totals
    rows = []
    for key in SHOWN_NUTRIENTS:
        if key not in totals.columns:
            continue
        row = {"nutrient": key,
               "min": format_number(targets.loc[key, "min"]) if key in targets.index else "-",
               "max": format_number(targets.loc[key, "max"]) if key in targets.index else "-"}
        row.update({f"day {d}": format_number(totals.loc[d, key]) for d in totals.index})
        rows.append(row)
    print("\nDaily totals (foods + supplements) vs targets:")
    print(render_table(pd.DataFrame(rows)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="example names (default: all)")
    parser.add_argument("--solver", choices=("highs", "cbc"), default=None)
    parser.add_argument("--full", action="store_true", help="print every day of every plan")
    args = parser.parse_args(argv)
    for path in example_paths(args.names):
        request = optimizer.PlanRequest.model_validate_json(path.read_text(encoding="utf-8"))
        print("=" * 100)
        print(f"{path.name}: {request.days} day(s), objective {request.objective}, diet {request.diet_pattern}")
        print("=" * 100)
        plan = make_plan(request, solver=args.solver)
        (print_plan if args.full else print_compact)(plan)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
