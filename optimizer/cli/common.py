"""What the dietitian commands share: exit codes, the error-to-exit-code wrapper, the store, the catalogue, the
food-id checks made before anything is saved, and the export writers (paths checked before any solve)."""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from foods.errors import CofactorError
from optimizer.cli.checks import check_output_file
from optimizer.dietitian.records import ClientRecord
from optimizer.dietitian.store import Store
from optimizer.results.plan import Plan

EXIT_OK, EXIT_NO_PLAN, EXIT_BAD_INPUT = 0, 1, 2
EXPORT_KINDS = {"pdf": ".pdf", "xlsx": ".xlsx", "csv": ".csv", "json": ".json", "html": ".html"}


class BadInput(CofactorError, ValueError):
    """A dietitian command was given input it cannot use (exit code 2); the message says what to fix."""


def validation_text(exc: ValidationError) -> str:
    """pydantic's problems as ``field: message; field: message``."""
    return "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())) or 'value'}: "
                     f"{str(e.get('msg', '')).removeprefix('Value error, ')}" for e in exc.errors())


def command(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn expected failures into a message on stderr and exit code 2 (bad input)."""

    @functools.wraps(func)
    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except ValidationError as exc:
            print(f"error: {validation_text(exc)}", file=sys.stderr)
        except (CofactorError, ValueError, OSError) as exc:
            print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT

    return run


def open_store(args: argparse.Namespace) -> Store:
    """The store named by ``--db`` (else ``$COFACTOR_DB``, else the user data directory)."""
    return Store(args.db) if getattr(args, "db", None) else Store()


def catalogue() -> Any | None:
    """The shipped food catalogue for sections and prices on shopping lists (None, with a warning, if unavailable)."""
    try:
        import foods

        return foods.load_foods()
    except (ImportError, CofactorError, OSError) as exc:
        print(f"warning: food catalogue unavailable ({exc}); shopping list without store sections", file=sys.stderr)
        return None


def unknown_ids(ids: Iterable[str], known: Iterable[str]) -> list[str]:
    """The ids of ``ids`` not in ``known``, in order, without repeats."""
    have = set(known)
    return list(dict.fromkeys(i for i in ids if i not in have))


def check_client_foods(client: ClientRecord, table: Any | None) -> None:
    """Refuse a client whose usual diet, excluded foods or excluded groups name what the catalogue lacks
    (found now, not at plan time). ``table`` is a ``foods.FoodTable`` (None: nothing to check against)."""
    if table is None:
        return
    frame = table.frame
    problems = []
    bad = unknown_ids((u.food_id for u in client.usual_diet), frame.index)
    if bad:
        problems.append(f"usual diet names unknown food id(s) {bad}")
    bad = unknown_ids(client.exclusions.foods, frame.index)
    if bad:
        problems.append(f"--exclude-food names unknown food id(s) {bad}")
    groups = sorted({str(g) for g in frame["group"].dropna().unique()}) if "group" in frame.columns else []
    bad = [g for g in client.exclusions.groups if g.lower() not in {x.lower() for x in groups}]
    if bad:
        problems.append(f"--exclude-group names unknown group(s) {bad} (groups: {'; '.join(groups)})")
    if problems:
        raise BadInput(f"client '{client.name}': " + "; ".join(problems)
                       + ". Fix: use ids from `cofactor foods search WORDS`. Nothing was saved.")


def check_export_paths(args: argparse.Namespace) -> None:
    """Check every --pdf/--xlsx/--csv/--json/--html path before any work (its folder exists and is writable)."""
    for kind in EXPORT_KINDS:
        path = getattr(args, kind, None)
        if path:
            check_output_file(path, f"--{kind}")


def write_exports(plan: Plan, args: argparse.Namespace, *, client_name: str | None, week_start: date | None,
                  table: Any | None = None) -> int:
    """Write the files asked for by --pdf/--xlsx/--csv/--json/--html; returns how many. ``table`` gives the
    shopping list its store sections and prices (default: the shipped catalogue, unpriced)."""
    from optimizer.io.export import plan_to_csv, plan_to_excel_bytes, plan_to_json, plan_to_pdf_bytes
    from optimizer.io.report import plan_report_html

    wanted = {k: getattr(args, k, None) for k in EXPORT_KINDS}
    if not any(wanted.values()):
        return 0
    if table is None and (wanted["pdf"] or wanted["xlsx"]):
        table = catalogue()
    writers = {
        "pdf": lambda: plan_to_pdf_bytes(plan, table, client_name=client_name, week_start=week_start),
        "xlsx": lambda: plan_to_excel_bytes(plan, table, client_name=client_name, week_start=week_start),
        "csv": lambda: plan_to_csv(plan).encode("utf-8"),
        "json": lambda: plan_to_json(plan).encode("utf-8"),
        "html": lambda: plan_report_html(plan, client_name=client_name, week_start=week_start).encode("utf-8"),
    }
    for kind, path in wanted.items():
        if path:
            Path(path).write_bytes(writers[kind]())
            print(f"Wrote {path}")
    return sum(1 for p in wanted.values() if p)


__all__ = [
    "EXIT_BAD_INPUT", "EXIT_NO_PLAN", "EXIT_OK", "EXPORT_KINDS", "BadInput", "catalogue", "check_client_foods",
    "check_export_paths", "command", "open_store", "unknown_ids", "validation_text", "write_exports",
]
