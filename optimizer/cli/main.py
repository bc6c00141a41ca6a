"""The ``cofactor`` command line: ``targets``, ``foods search`` and ``plan``.

Exit codes: 0 success, 2 bad input (unreadable or malformed request, validation error, unknown food or
supplement, bad option), 1 when no plan exists (the explanation is printed) or the solver cannot run.

Other modules can add subcommands: if ``optimizer/cli_dietitian.py`` exists, :func:`build_parser` calls its
``add_commands(subparsers)``; each added subparser must set ``func`` (``args -> int`` exit code).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from pydantic import ValidationError

from foods.errors import CofactorError
from optimizer.cli.checks import check_output_file, non_negative_number, positive_int, positive_number, time_limit
from optimizer.domain.profile import Profile
from optimizer.domain.targets import Targets, targets_for

if TYPE_CHECKING:  # imported when used: `cofactor targets` and `--help` stay quick
    from optimizer.domain.request import PlanRequest
    from optimizer.results.plan import Plan

EXIT_OK, EXIT_NO_PLAN, EXIT_BAD_INPUT = 0, 1, 2
ACTIVITIES = ("sedentary", "low_active", "active", "very_active")
KEY_NUTRIENTS = ("energy_kcal", "protein_g", "fiber_g", "calcium_mg", "magnesium_mg", "vitamin_d_ug",
                 "potassium_mg", "sodium_mg", "iron_mg")
_UNIT_WORDS = {"pct": "% energy", "ug": "µg", "mg": "mg", "g": "g", "kcal": "kcal"}


class InputError(Exception):
    """Bad command-line input (exit code 2); the message says what to fix."""


# -- formatting helpers ----------------------------------------------------------------------
def unit_of(key: str) -> str:
    """Readable unit from a key's suffix: ``magnesium_mg`` -> ``mg``, ``fat_energy_pct`` -> ``% energy``."""
    return _UNIT_WORDS.get(key.rsplit("_", 1)[-1], "")


def format_number(value: object, digits: int = 4) -> str:
    """A number for tables: thousands separators from 1,000, ``digits`` significant digits below, '-' for none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    v = float(value)  # type: ignore[arg-type]
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.{digits}g}"


def render_table(frame: pd.DataFrame) -> str:
    """Plain-text table with left-aligned text columns and no index (empty frames say so)."""
    if frame.empty:
        return "(none)"
    text = frame.astype(object).where(frame.notna(), "-").astype(str)
    widths = {c: max(len(str(c)), *(len(v) for v in text[c])) for c in text.columns}
    lines = ["  ".join(str(c).ljust(widths[c]) for c in text.columns).rstrip()]
    lines.append("  ".join("-" * widths[c] for c in text.columns))
    for _, row in text.iterrows():
        lines.append("  ".join(row[c].ljust(widths[c]) for c in text.columns).rstrip())
    return "\n".join(lines)


def targets_table(targets: Targets) -> pd.DataFrame:
    """Rows key, min, max, unit, period, applies_to, source for display."""
    return pd.DataFrame(
        [
            {
                "key": t.key,
                "min": format_number(t.min),
                "max": format_number(t.max) + (" (UL)" if t.is_upper_limit and t.max is not None else ""),
                "unit": unit_of(t.key),
                "period": t.period,
                "counts": "supplements only" if t.applies_to == "supplements" else "total",
                "source": t.source,
            }
            for t in targets
        ]
    )


# -- commands -------------------------------------------------------------------------------
def cmd_targets(args: argparse.Namespace) -> int:
    """Print the DRI targets for a person."""
    try:
        profile = Profile(
            sex=args.sex, age=args.age, pregnant=args.pregnant, lactating=args.lactating,
            weight_kg=args.weight_kg, height_cm=args.height_cm, activity=args.activity,
            energy_kcal=args.energy_kcal,
        )
    except ValidationError as exc:
        raise InputError(f"invalid profile: {_validation_text(exc, 'profile')}") from None
    targets = targets_for(profile)
    print(f"Targets per day — {targets.basis}")
    print(render_table(targets_table(targets)))
    print("Sources: see docs/targets.md (keys cite optimizer/data/dri_sources.csv).")
    return EXIT_OK


def cmd_foods_search(args: argparse.Namespace) -> int:
    """Search the shipped food catalogue by words."""
    import foods

    table = foods.load_foods()
    found = table.search(" ".join(args.words), group=args.group)
    if found.index.name == "food_id" or "food_id" not in found.columns:
        found = found.reset_index().rename(columns={"index": "food_id"})
    total = len(found)
    if not args.all:
        found = found.head(args.limit)
    cols = [c for c in ("food_id", "name", "group", "everyday", "magnesium_mg", "vitamin_d_ug") if c in found.columns]
    shown = found[cols].copy()
    if "everyday" in shown:
        shown["everyday"] = shown["everyday"].map(lambda v: "yes" if bool(v) else "")
    shown = shown.rename(columns={"food_id": "id"})
    if "name" in shown:
        shown["name"] = shown["name"].map(lambda s: s if len(s) <= 60 else s[:57] + "...")
    for c in ("magnesium_mg", "vitamin_d_ug"):
        if c in shown:
            shown[c] = shown[c].map(lambda v: format_number(v, 3))
    print(render_table(shown))
    more = "" if args.all or total <= args.limit else f" (showing {args.limit}; use --all to see every match)"
    print(f"{total} food(s) match{more}. Nutrients per 100 g; '-' = not analysed.")
    return EXIT_OK


def _validation_text(exc: ValidationError, whole: str = "request") -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ())) or f"({whole})"
        parts.append(f"{loc}: {err.get('msg', '')}")
    return "; ".join(parts)


def _read_request(path: Path) -> PlanRequest:
    """The request in ``path`` (strict: UTF-8, no duplicate keys, finite numbers); ``RequestFileError`` names the
    file and the field (exit code 2)."""
    from optimizer.domain.request_file import load_request

    return load_request(path)


def print_plan(plan: Plan) -> None:
    """Readable plan: summary, items per day and meal, supplements, daily totals of key nutrients vs targets."""
    print(plan.summary())
    if plan.rule_text:
        print(f"Magnesium–vitamin D rule: {plan.rule_text}")
    for note in plan.notes:
        print(f"Note: {note}")
    if not plan.has_solution:
        return
    items = plan.items
    for day, day_items in items.groupby("day", sort=True):
        print(f"\nDay {day}")
        for meal, meal_items in day_items.groupby("meal", sort=False):
            for _, it in meal_items.iterrows():
                amount = f"{it['grams']:.0f} g"
                if it["portions"] is not None and not pd.isna(it["portions"]) and it["portion_name"]:
                    amount = f"{it['portions']:g} × {it['portion_name']} ({it['grams']:.0f} g)"
                print(f"  {meal:<10} {amount:<34} {it['food']} [{it['food_id']}]")
    sup = plan.supplements
    print("\nSupplements")
    if sup.empty:
        print("  (none)")
    else:
        print(render_table(sup[["day", "supplement_id", "supplement", "units", "vitamin_d_ug", "magnesium_mg"]]))
    totals, targets = plan.totals, plan.targets
    keys = [k for k in KEY_NUTRIENTS if k in totals.columns]
    if keys:
        rows = []
        for key in keys:
            match = targets[(targets["key"] == key) & (targets["applies_to"] == "total")]
            lo = match["min"].iloc[0] if len(match) else None
            hi = match["max"].iloc[0] if len(match) else None
            row = {"nutrient": key, "min": format_number(lo), "max": format_number(hi)}
            row.update({f"day {d}": format_number(totals.loc[d, key]) for d in totals.index})
            rows.append(row)
        print("\nDaily totals (foods + supplements) vs targets")
        print(render_table(pd.DataFrame(rows)))
    if plan.shadow_price_rows:
        print("\nShadow prices (LP plan)")
        for price in plan.shadow_price_rows:
            print(f"  {price.text}")
    if plan.binding_rows:
        print("\nBinding constraints")
        for limit in plan.binding_rows:
            print(f"  {limit.text}")


def _write_plan(plan: Plan, out: Path) -> None:
    from optimizer.io.export import plan_to_csv

    suffix = out.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise InputError(f"--out {out}: use a .csv (plan items) or .json (whole plan) file name")
    try:
        out.write_text(plan_to_csv(plan) if suffix == ".csv" else plan.model_dump_json(indent=2), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"--out {out}: cannot write the file ({exc.strerror or exc}); the plan above is complete, "
                         "write it elsewhere") from None
    print(f"\nWrote {out}")


def cmd_plan(args: argparse.Namespace) -> int:
    """Plan a request file with optimizer.plan and print (and optionally write) the result."""
    from optimizer.domain.errors import SolverError
    from optimizer.planner import plan as run_plan  # not optimizer.plan: the module optimizer/plan.py can shadow it

    if getattr(args, "client", None):
        from optimizer.cli.dietitian import cmd_client_plan

        return cmd_client_plan(args)
    if not args.request:
        raise InputError("give a request file (`cofactor plan REQUEST.json`) or a client (`--client NAME --week DATE`)")
    request = _read_request(Path(args.request))
    out = check_output_file(args.out, "--out", (".csv", ".json")) if args.out else None  # before the solve
    try:
        plan = run_plan(request, solver=args.solver, time_limit_s=args.time_limit)
    except CofactorError as exc:
        if isinstance(exc, SolverError):
            print(f"error: the solver could not run: {exc}", file=sys.stderr)
            return EXIT_NO_PLAN
        raise InputError(f"{args.request}: {exc}") from None
    print_plan(plan)
    if out is not None:
        _write_plan(plan, out)
    return EXIT_OK if plan.has_solution else EXIT_NO_PLAN


# -- parser ---------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """The ``cofactor`` argument parser (extended by ``optimizer.cli_dietitian.add_commands`` when present)."""
    parser = argparse.ArgumentParser(
        prog="cofactor",
        description="Meal and supplement plans where magnesium keeps pace with vitamin D (food first).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("targets", help="daily nutrient targets from the DRI tables")
    p.add_argument("--sex", required=True, choices=("female", "male"))
    p.add_argument("--age", required=True, type=non_negative_number, help="age in years")
    stage = p.add_mutually_exclusive_group()
    stage.add_argument("--pregnant", action="store_true")
    stage.add_argument("--lactating", action="store_true")
    p.add_argument("--weight-kg", type=positive_number, help="body weight, kg (else the IOM reference weight)")
    p.add_argument("--height-cm", type=positive_number, help="height, cm (else the IOM reference height)")
    p.add_argument("--activity", choices=ACTIVITIES, default="low_active")
    p.add_argument("--energy-kcal", type=positive_number, help="energy requirement, kcal/day (overrides the estimate)")
    p.set_defaults(func=cmd_targets)

    p = sub.add_parser("foods", help="the food catalogue")
    foods_sub = p.add_subparsers(dest="foods_command", metavar="ACTION", required=True)
    s = foods_sub.add_parser("search", help="find foods by words (every word must match)")
    s.add_argument("words", nargs="+")
    s.add_argument("--group", help="SR food group name, e.g. 'Nuts and Seed Products'")
    s.add_argument("--all", action="store_true", help="show every match (default: the first --limit)")
    s.add_argument("--limit", type=positive_int, default=25, help="how many matches to show (>= 1; default 25)")
    s.set_defaults(func=cmd_foods_search)

    p = sub.add_parser("plan", help="plan a request (JSON file as optimizer.PlanRequest) or a saved client's week")
    p.add_argument("request", nargs="?", help="path of a JSON plan request (see examples/)")
    p.add_argument("--client", metavar="NAME", help="plan a saved client's week instead (with --week, --save)")
    p.add_argument("--solver", choices=("highs", "cbc"), default=None, help="default: the request's solver")
    p.add_argument("--out", help="write plan items (.csv) or the whole plan (.json)")
    p.add_argument("--time-limit", type=time_limit, default=None, help="seconds, at most 3600 (default: the request's)")
    from optimizer.cli.dietitian import add_client_plan_options, add_commands

    add_client_plan_options(p, week_required=False, solver_options=False, db_option=True)
    p.set_defaults(func=cmd_plan)
    add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``cofactor`` command line; returns the exit code (0 ok, 1 no plan, 2 bad input)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse reports bad options itself (code 2) and --help (code 0)
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return int(args.func(args))
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except CofactorError as exc:  # data errors and unknown ids raised by the libraries
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # `cofactor ... | head` closed the output early
        return output_closed()


def output_closed() -> int:
    """After a ``BrokenPipeError`` on stdout: point stdout at /dev/null (so Python's exit flush cannot raise again),
    say so on stderr and return exit code 2."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (captured in tests)
        pass
    with contextlib.suppress(OSError, ValueError):
        print("error: the output was closed before cofactor finished writing (e.g. `| head`); "
              "the rest was not shown.", file=sys.stderr)
    return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
