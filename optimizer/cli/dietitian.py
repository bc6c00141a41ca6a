"""Dietitian commands of the ``cofactor`` CLI: clients, saved plans, exports and batch planning.

``add_commands(subparsers)`` adds ``client`` (add/list/show/edit/remove/plan), ``plans``, ``price-list`` (add/list),
``export`` and ``batch`` to the main parser (``optimizer/cli.py``); :func:`main` runs them alone. The store is ``--db PATH`` (a path or
``sqlite:///…`` URL), else ``$COFACTOR_DB``, else the user data directory. Exit codes: 0 ok, 2 bad input, 1 no plan.
:func:`optimizer.dietitian.services.plan_for_client` (re-exported here) is the library form of ``cofactor client plan``
(and of ``cofactor plan --client``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from typing import Any

from optimizer.cli.checks import non_negative_number, positive_int, positive_number, time_limit
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
from optimizer.cli.dietitian_files import cmd_batch, cmd_export, cmd_price_list_add, cmd_price_list_list
from optimizer.dietitian.services import ACTIVITIES, ALLERGENS, DIETS, plan_for_client
from optimizer.dietitian.store import ClientRecord, PlanRecord, PlanStatus, read_usual_diet_csv

EXIT_BAD_INPUT = 2


# -- helpers -------------------------------------------------------------------------------------
def _week(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write YYYY-MM-DD, e.g. 2026-11-30") from None


def _client_fields(args: argparse.Namespace, base: ClientRecord | None = None) -> dict[str, Any]:
    """Client fields from the add/edit options (only those given, merged onto ``base`` when editing)."""
    profile = base.profile.model_dump() if base else {}
    for key in ("sex", "age", "weight_kg", "height_cm", "activity", "energy_kcal"):
        if getattr(args, key, None) is not None:
            profile[key] = getattr(args, key)
    if args.pregnant:
        profile.update(pregnant=True, lactating=False)
    if args.lactating:
        profile.update(lactating=True, pregnant=False)
    if getattr(args, "not_pregnant_or_lactating", False):
        profile.update(pregnant=False, lactating=False)
    fields: dict[str, Any] = {"profile": profile}
    exclusions = base.exclusions.model_dump() if base else {}
    for opt, key in (("diet", "diet_pattern"), ("exclude_food", "foods"), ("exclude_group", "groups"),
                     ("exclude_allergen", "allergens")):
        if getattr(args, opt) is not None:
            exclusions[key] = getattr(args, opt)
    fields["exclusions"] = exclusions
    if args.supplement is not None:
        fields["preferred_supplements"] = tuple(args.supplement)
    defaults = dict(base.plan_defaults) if base else {}
    if args.vitamin_d_ug is not None:
        defaults.pop("vitamin_d_supplement_iu", None)
        defaults["vitamin_d_supplement_ug"] = args.vitamin_d_ug
    if args.vitamin_d_iu is not None:
        defaults.pop("vitamin_d_supplement_ug", None)
        defaults["vitamin_d_supplement_iu"] = args.vitamin_d_iu
    fields["plan_defaults"] = defaults
    if args.notes is not None:
        fields["notes"] = args.notes
    if args.usual_diet is not None:
        fields["usual_diet"] = read_usual_diet_csv(args.usual_diet) if args.usual_diet else ()
    return fields


def _describe_client(client: ClientRecord) -> list[str]:
    p = client.profile
    stage = " (pregnant)" if p.pregnant else " (lactating)" if p.lactating else ""
    body = ", ".join(x for x in (f"{p.weight_kg:g} kg" if p.weight_kg else "", f"{p.height_cm:g} cm" if p.height_cm else "") if x)
    ex = client.exclusions
    lines = [f"{client.name} (id {client.id})",
             f"  profile: {p.sex}, {p.age:g} y{stage}{', ' + body if body else ''}, activity {p.activity}"
             + (f", {p.energy_kcal:g} kcal/day" if p.energy_kcal else ""),
             f"  diet: {ex.diet_pattern}; allergens excluded: {', '.join(ex.allergens) or 'none'}",
             f"  foods excluded: {', '.join(ex.foods) or 'none'}; groups excluded: {', '.join(ex.groups) or 'none'}",
             f"  preferred supplements: {', '.join(client.preferred_supplements) or 'any in the catalogue'}",
             f"  usual diet: {len(client.usual_diet)} item(s)",
             f"  plan defaults: {client.plan_defaults or 'none'}"]
    if client.notes:
        lines.append(f"  notes: {client.notes}")
    return lines


# -- commands ------------------------------------------------------------------------------------
@command
def cmd_client_add(args: argparse.Namespace) -> int:
    """Add a client."""
    record = ClientRecord.model_validate({"name": args.name, **_client_fields(args)})
    check_client_foods(record, catalogue())  # unknown usual-diet foods are refused now, not at plan time
    client = open_store(args).add_client(record)
    print(f"Added client '{client.name}' (id {client.id}).")
    return EXIT_OK


@command
def cmd_client_edit(args: argparse.Namespace) -> int:
    """Change a client's profile, diet, exclusions, supplements or notes."""
    store = open_store(args)
    fields = _client_fields(args, store.get_client(args.name))
    if args.rename:
        fields["name"] = args.rename
    current = store.get_client(args.name)
    check_client_foods(ClientRecord.model_validate(current.model_dump() | fields), catalogue())
    client = store.update_client(args.name, **fields)
    print("\n".join(["Updated:"] + _describe_client(client)))
    return EXIT_OK


@command
def cmd_client_list(args: argparse.Namespace) -> int:
    """List clients with their latest plan."""
    store = open_store(args)
    clients = store.list_clients()
    if not clients:
        print(f"No clients in {store.path}. Add one with `cofactor client add NAME --sex female --age 40`.")
        return EXIT_OK
    for c in clients:
        latest = store.latest_plan(c)
        last = f"latest plan #{latest.id} week {latest.week_start} v{latest.version} ({latest.status})" if latest else "no plans"
        print(f"{c.name:<30} {c.profile.sex:<6} {c.profile.age:>5g} y  {c.exclusions.diet_pattern:<11} {last}")
    return EXIT_OK


@command
def cmd_client_show(args: argparse.Namespace) -> int:
    """Show a client and their saved plans."""
    store = open_store(args)
    client = store.get_client(args.name)
    print("\n".join(_describe_client(client)))
    _print_plans(store.list_plans(client))
    return EXIT_OK


@command
def cmd_client_remove(args: argparse.Namespace) -> int:
    """Remove a client (refused while they have saved plans, unless --with-plans)."""
    open_store(args).delete_client(args.name, delete_plans=args.with_plans)
    print(f"Removed client '{args.name}'.")
    return EXIT_OK


@command
def cmd_client_plan(args: argparse.Namespace) -> int:
    """Plan a client's week; --save stores it as the next version. The client is ``args.name`` (``client plan NAME``)
    or ``args.client`` (``plan --client NAME``, when the main ``plan`` command delegates here)."""
    from optimizer.io.report import plan_report_text

    name = getattr(args, "name", None) or getattr(args, "client", None)
    if not name:
        raise BadInput("name the client: `cofactor client plan NAME --week YYYY-MM-DD`")
    if getattr(args, "week", None) is None:
        raise BadInput("give the plan's first day with --week YYYY-MM-DD (e.g. --week 2026-11-30)")
    args.name = name
    check_export_paths(args)  # a typo in --pdf/--csv/... costs nothing: checked before the solve
    store = open_store(args)
    updates = {"days": args.days} if args.days else {}
    template = args.like_plan
    if args.like_last:
        latest = store.latest_plan(args.name)
        if latest is None:
            raise BadInput(f"--like-last: client '{args.name}' has no saved plan yet; plan without it first")
        template = latest.id
    if template is not None and store.get_plan_record(template).client_name != store.get_client(args.name).name:
        raise BadInput(f"--like-plan {template} is a plan of another client; `cofactor plans --client NAME` lists ids")
    plan, plan_id = plan_for_client(store, args.name, args.week, save=args.save, template_plan_id=template,
                                    status="final" if args.final else "draft", author_note=args.note or "",
                                    solver=args.solver, time_limit_s=args.time_limit, price_list=args.price_list,
                                    **updates)
    print(plan_report_text(plan, client_name=store.get_client(args.name).name, week_start=args.week))
    if not plan.has_solution:
        print("\nNot saved: no usable plan.", file=sys.stderr)
        return EXIT_NO_PLAN
    if plan_id is not None:
        record = store.get_plan_record(plan_id)
        print(f"\nSaved as plan {plan_id} (week {record.week_start}, version {record.version}, {record.status}).")
    write_exports(plan, args, client_name=args.name, week_start=args.week)
    return EXIT_OK


def _print_plans(records: Sequence[PlanRecord]) -> None:
    if not records:
        print("No saved plans.")
        return
    print(f"{'id':>5}  {'client':<24} {'week':<10}  {'ver':>3}  {'status':<6} {'solver':<10} {'cost':>8}  note")
    for r in records:
        cost = "-" if r.cost is None else f"{r.cost:.2f}"
        print(f"{r.id:>5}  {r.client_name:<24} {r.week_start.isoformat():<10}  {r.version:>3}  {r.status:<6} "
              f"{r.solver_status:<10} {cost:>8}  {r.author_note}")


@command
def cmd_plans(args: argparse.Namespace) -> int:
    """List saved plans (of one client, one week); --mark-final/--mark-draft ID changes a plan's status;
    --compare A B prints what changed between two saved plans."""
    store = open_store(args)
    if args.compare:
        from optimizer.editing import compare_plans

        a, b = args.compare
        diff = compare_plans(store.get_plan(a), store.get_plan(b))
        ra, rb = store.get_plan_record(a), store.get_plan_record(b)
        print(f"Plan {a} -> plan {b} ({ra.client_name} week {ra.week_start} v{ra.version} -> "
              f"{rb.client_name} week {rb.week_start} v{rb.version})")
        print(diff.summary())
        return EXIT_OK
    marks: tuple[tuple[int | None, PlanStatus], ...] = ((args.mark_final, "final"), (args.mark_draft, "draft"))
    for plan_id, status in marks:
        if plan_id is not None:
            record = store.set_status(plan_id, status)
            print(f"Plan {record.id} ({record.client_name}, week {record.week_start} v{record.version}) is now {status}.")
    _print_plans(store.list_plans(args.client, args.week))
    return EXIT_OK


# -- parser --------------------------------------------------------------------------------------
def _client_options(p: argparse.ArgumentParser, *, required: bool) -> None:
    p.add_argument("--sex", choices=("female", "male"), required=required)
    p.add_argument("--age", type=non_negative_number, required=required, help="years")
    stage = p.add_mutually_exclusive_group()
    stage.add_argument("--pregnant", action="store_true")
    stage.add_argument("--lactating", action="store_true")
    if not required:
        stage.add_argument("--not-pregnant-or-lactating", action="store_true")
    p.add_argument("--weight-kg", type=positive_number)
    p.add_argument("--height-cm", type=positive_number)
    p.add_argument("--activity", choices=ACTIVITIES)
    p.add_argument("--energy-kcal", type=positive_number, help="kcal/day (overrides the estimate)")
    p.add_argument("--diet", choices=DIETS, help="diet pattern (default omnivore)")
    p.add_argument("--exclude-allergen", nargs="*", choices=ALLERGENS, metavar="ALLERGEN",
                   help=f"one or more of {', '.join(ALLERGENS)}")
    p.add_argument("--exclude-food", nargs="*", metavar="FOOD_ID", help="food ids never to plan")
    p.add_argument("--exclude-group", nargs="*", metavar="GROUP", help="SR food group names never to plan")
    p.add_argument("--supplement", nargs="*", metavar="ID", help="preferred supplement product ids (default: any)")
    vit_d = p.add_mutually_exclusive_group()
    vit_d.add_argument("--vitamin-d-ug", type=non_negative_number, help="prescribed vitamin D supplement, µg/day")
    vit_d.add_argument("--vitamin-d-iu", type=non_negative_number, help="prescribed vitamin D supplement, IU/day")
    p.add_argument("--notes")
    p.add_argument("--usual-diet", metavar="CSV", help="what the client eats now: CSV food_id,grams[,meal,day] "
                   "(plans then stay close to it); '' clears it")


def _export_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--pdf", metavar="FILE", help="printable hand-over PDF")
    p.add_argument("--xlsx", metavar="FILE", help="Excel workbook (plan, nutrients, shopping list)")
    p.add_argument("--csv", metavar="FILE", help="plan items as CSV")
    p.add_argument("--json", metavar="FILE", help="the whole plan (with its request) as JSON")
    p.add_argument("--html", metavar="FILE", help="the plan report as an HTML page")


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``client``, ``plans``, ``price-list``, ``export`` and ``batch`` to a ``cofactor`` subparsers object."""
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", metavar="PATH_OR_URL", help="store file or sqlite:/// URL (default: $COFACTOR_DB or the user data dir)")

    p = subparsers.add_parser("client", help="clients: add, list, show, edit, remove, plan")
    sub = p.add_subparsers(dest="client_command", metavar="ACTION", required=True)
    s = sub.add_parser("add", parents=[db], help="add a client")
    s.add_argument("name")
    _client_options(s, required=True)
    s.set_defaults(func=cmd_client_add)
    s = sub.add_parser("list", parents=[db], help="list clients")
    s.set_defaults(func=cmd_client_list)
    s = sub.add_parser("show", parents=[db], help="show a client and their saved plans")
    s.add_argument("name")
    s.set_defaults(func=cmd_client_show)
    s = sub.add_parser("edit", parents=[db], help="change a client (only the options given)")
    s.add_argument("name")
    s.add_argument("--rename", metavar="NEW_NAME")
    _client_options(s, required=False)
    s.set_defaults(func=cmd_client_edit)
    s = sub.add_parser("remove", parents=[db], help="remove a client")
    s.add_argument("name")
    s.add_argument("--with-plans", action="store_true", help="also delete the client's saved plans")
    s.set_defaults(func=cmd_client_remove)
    s = sub.add_parser("plan", parents=[db], help="plan a client's week (same as `cofactor plan --client`)")
    s.add_argument("name")
    add_client_plan_options(s)
    s.set_defaults(func=cmd_client_plan)

    p = subparsers.add_parser("plans", parents=[db], help="list saved plans; mark them final or draft")
    p.add_argument("--client", metavar="NAME")
    p.add_argument("--week", type=_week, metavar="YYYY-MM-DD")
    p.add_argument("--mark-final", type=positive_int, metavar="PLAN_ID")
    p.add_argument("--mark-draft", type=positive_int, metavar="PLAN_ID")
    p.add_argument("--compare", type=int, nargs=2, metavar=("PLAN_A", "PLAN_B"),
                   help="what changed from one saved plan to another (foods, supplements, nutrients, cost)")
    p.set_defaults(func=cmd_plans)

    p = subparsers.add_parser("price-list", help="price lists kept in the store (for client plans)")
    sub = p.add_subparsers(dest="price_list_command", metavar="ACTION", required=True)
    s = sub.add_parser("add", parents=[db], help="save a price-list CSV (foods.load_price_list format)")
    s.add_argument("name")
    s.add_argument("file")
    s.add_argument("--replace", action="store_true", help="overwrite a list with the same name")
    s.set_defaults(func=cmd_price_list_add)
    s = sub.add_parser("list", parents=[db], help="list saved price lists")
    s.set_defaults(func=cmd_price_list_list)

    p = subparsers.add_parser("export", parents=[db], help="write a saved plan as PDF/Excel/CSV/JSON/HTML")
    p.add_argument("--plan", type=int, required=True, metavar="PLAN_ID")
    _export_options(p)
    p.add_argument("--price-list", metavar="NAME", help="estimate the shopping list's cost with a price list saved "
                   "in the store (items the plan itself prices keep the plan's cost)")
    p.set_defaults(func=cmd_export)

    p = subparsers.add_parser("batch", parents=[db], help="plan many clients (CSV or saved) in parallel")
    p.add_argument("csv", nargs="?", help="clients CSV: name,sex,age,... (see docs/dietitians.md)")
    p.add_argument("--saved-clients", action="store_true", help="plan every saved client instead of a CSV")
    p.add_argument("--week", type=_week, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--days", type=positive_int, help="days per plan (default: each client's, else 7)")
    p.add_argument("--workers", type=positive_int, default=2, help="local worker processes (default 2)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--solver", choices=("highs", "cbc"))
    p.add_argument("--time-limit", type=time_limit, metavar="SECONDS", help="per client")
    p.add_argument("--no-pdf", action="store_true", help="skip the per-client PDFs")
    p.add_argument("--save", action="store_true", help="save usable plans to the store (adds new clients)")
    p.set_defaults(func=cmd_batch)


def add_client_plan_options(
    p: argparse.ArgumentParser, *, week_required: bool = True, solver_options: bool = True, db_option: bool = False
) -> None:
    """The options of ``client plan`` (week, save, final, note, days, price list, template, exports), for reuse by the
    main ``plan`` command: ``add_client_plan_options(p, week_required=False, solver_options=False, db_option=True)``
    next to its own ``--solver``/``--time-limit``, plus ``--client NAME``; then ``cmd_client_plan(args)`` when
    ``args.client`` is set."""
    p.add_argument("--week", type=_week, required=week_required, metavar="YYYY-MM-DD", help="first day of the plan")
    if db_option:
        p.add_argument("--db", metavar="PATH_OR_URL", help="store file or sqlite:/// URL (default: $COFACTOR_DB)")
    p.add_argument("--save", action="store_true", help="save the plan as the next version for this week")
    p.add_argument("--final", action="store_true", help="save it as final (default draft)")
    p.add_argument("--note", help="author note saved with the plan")
    p.add_argument("--days", type=positive_int, help="days to plan (default: the client's, else 7)")
    if solver_options:
        p.add_argument("--solver", choices=("highs", "cbc"))
        p.add_argument("--time-limit", type=time_limit, metavar="SECONDS")
    p.add_argument("--price-list", metavar="NAME", help="price foods with a price list saved in the store")
    like = p.add_mutually_exclusive_group()
    like.add_argument("--like-plan", type=int, metavar="PLAN_ID", help="stay close to this saved plan (a template)")
    like.add_argument("--like-last", action="store_true", help="stay close to the client's latest saved plan")
    _export_options(p)


def build_parser() -> argparse.ArgumentParser:
    """A parser with only the dietitian commands (the full CLI is ``optimizer.cli.build_parser``)."""
    parser = argparse.ArgumentParser(prog="cofactor", description="Cofactor dietitian commands")
    add_commands(parser.add_subparsers(dest="command", metavar="COMMAND", required=True))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a dietitian command; returns the exit code (0 ok, 1 no plan, 2 bad input)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
