"""Dietitian commands that move files in and out: ``price-list add/list``, ``export`` and ``batch``.

Exit codes: 0 ok, 2 bad input (checked before any solve: output paths, every bad row of a clients CSV), 1 when some
client has no plan. Added to the parser by ``optimizer.cli.dietitian.add_commands``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from optimizer.cli.checks import check_output_dir
from optimizer.cli.common import (
    EXIT_NO_PLAN,
    EXIT_OK,
    BadInput,
    catalogue,
    check_client_foods,
    check_export_paths,
    command,
    open_store,
    write_exports,
)
from optimizer.dietitian.store import Store


@command
def cmd_price_list_add(args: argparse.Namespace) -> int:
    """Save a price-list CSV in the store under a name."""
    text = Path(args.file).read_text(encoding="utf-8-sig")
    store = open_store(args)
    table = catalogue()
    known = None if table is None else table.frame.index
    list_id = store.save_price_list(args.name, text, replace=args.replace, known_food_ids=known)
    print(f"Saved price list '{args.name}' (id {list_id}).")
    return EXIT_OK


@command
def cmd_price_list_list(args: argparse.Namespace) -> int:
    """List the saved price lists."""
    records = open_store(args).list_price_lists()
    if not records:
        print("No saved price lists. Add one with `cofactor price-list add NAME FILE.csv`.")
    for r in records:
        print(f"{r.id:>4}  {r.name:<30} {len(r.to_frame()):>4} food(s)  saved {r.created_at:%Y-%m-%d}")
    return EXIT_OK


def priced_catalogue(store: Store, price_list: str) -> Any:
    """The shipped catalogue priced by a price list saved in the store (for shopping-list costs)."""
    prices = store.get_price_list(price_list).to_price_list()  # NotFoundError names a missing list
    table = catalogue()
    if table is None:
        raise BadInput(f"--price-list {price_list}: the food catalogue is unavailable, so foods cannot be priced")
    return table.with_prices(prices)


@command
def cmd_export(args: argparse.Namespace) -> int:
    """Write a saved plan as PDF, Excel, CSV, JSON and/or HTML; --price-list NAME prices the shopping list."""
    store = open_store(args)
    record = store.get_plan_record(args.plan)
    plan = store.get_plan(args.plan)
    if not any(getattr(args, k, None) for k in ("pdf", "xlsx", "csv", "json", "html")):
        raise BadInput("say what to write: --pdf FILE, --xlsx FILE, --csv FILE, --json FILE and/or --html FILE")
    check_export_paths(args)
    table = priced_catalogue(store, args.price_list) if args.price_list else None
    write_exports(plan, args, client_name=record.client_name, week_start=record.week_start, table=table)
    if plan.verification is not None and not plan.verification.passed:  # Store.get_plan re-checked it
        print(f"plan {args.plan} FAILED the re-check from the catalogue: " + "; ".join(plan.verification.violations[:5]),
              file=sys.stderr)
        return EXIT_NO_PLAN
    return EXIT_OK


@command
def cmd_batch(args: argparse.Namespace) -> int:
    """Plan every client of a CSV (or every saved client) and write per-client files plus summary.csv."""
    from optimizer.dietitian.batch import (
        jobs_from_clients,
        load_batch_clients,
        plan_batch,
        text_progress,
        write_batch_outputs,
    )

    check_output_dir(args.out, "--out")  # before any client is solved
    updates: dict[str, Any] = {"days": args.days} if args.days else {}
    store = open_store(args) if (args.saved_clients or args.save) else None
    if args.saved_clients:
        if args.csv:
            raise BadInput("give a clients CSV or --saved-clients, not both")
        jobs = jobs_from_clients(store, **updates)  # type: ignore[arg-type]
        clients = {}
    else:
        if not args.csv:
            raise BadInput("give a clients CSV (see docs/dietitians.md) or --saved-clients")
        clients = {c.name: c for c in load_batch_clients(args.csv)}
        table = catalogue()
        for c in clients.values():  # excluded foods and groups that do not exist: say so before planning
            check_client_foods(c, table)
        from optimizer.dietitian.batch import BatchJob

        jobs = [BatchJob(c.name, c.to_request(**{k: v for k, v in updates.items() if k not in c.plan_defaults}))
                for c in clients.values()]
    if not jobs:
        raise BadInput("no clients to plan")
    executor, client = None, None
    if args.scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise BadInput("--scheduler needs Dask: pip install 'cofactor[dask]'") from None
        client = Client(args.scheduler)  # type: ignore[no-untyped-call]  # distributed's Client has no type hints
        executor = client.get_executor()  # type: ignore[no-untyped-call]  # (same)
    print(f"Planning {len(jobs)} client(s) for the week of {args.week} "
          f"({'Dask at ' + args.scheduler if args.scheduler else f'{args.workers} local worker(s)'}) ...", file=sys.stderr)
    try:
        result = plan_batch(jobs, executor=executor, progress=text_progress(), max_workers=args.workers,
                            solver=args.solver, time_limit_s=args.time_limit)
    finally:
        if client is not None:
            client.close()  # type: ignore[no-untyped-call]  # distributed's Client has no type hints
    summary = write_batch_outputs(result, args.out, week_start=args.week,
                                  foods=catalogue() if not args.no_pdf else None, pdf=not args.no_pdf)
    if args.save and store is not None:
        for outcome in result.planned:
            if outcome.name in clients and not any(c.name == outcome.name for c in store.list_clients()):
                store.add_client(clients[outcome.name])
            store.save_plan(outcome.name, outcome.plan, args.week, author_note="batch")  # type: ignore[arg-type]
        print(f"Saved {len(result.planned)} plan(s) to {store.path}", file=sys.stderr)
    print(result.summary_text())
    print(f"Wrote {summary}")
    return EXIT_OK if not result.errors and not result.infeasible else EXIT_NO_PLAN
