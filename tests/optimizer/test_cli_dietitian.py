"""Dietitian commands (client, plans, export, batch) and plan_for_client, on a temporary store."""

from __future__ import annotations

import json

import pandas as pd
import pypdf
import pytest

from optimizer.cli.dietitian import main
from optimizer.dietitian.services import plan_for_client
from optimizer.dietitian.store import Store
from optimizer.domain.profile import Profile
from tests.optimizer.conftest import QUICK

WEEK = "2026-11-30"


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "cli.sqlite3")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def add_quick_client(db: str, name: str = "Alice Example", **defaults) -> None:
    """A client whose plans solve in well under a second (small food set, one day, continuous grams)."""
    Store(db).add_client(name=name, profile=Profile(sex="female", age=40), plan_defaults={**QUICK, **defaults})


def test_client_add_list_show_edit_remove(capsys, db):
    code, out, _ = run(capsys, "client", "add", "Dana Dietz", "--sex", "female", "--age", "52", "--diet", "pescatarian",
                       "--exclude-allergen", "peanut", "sesame", "--vitamin-d-iu", "2000", "--notes", "new", "--db", db)
    assert code == 0 and "Added client 'Dana Dietz'" in out
    client = Store(db).get_client("Dana Dietz")
    assert client.exclusions.allergens == ("peanut", "sesame")
    assert client.to_request().vitamin_d_supplement_ug == pytest.approx(50.0)  # 2000 IU
    code, out, _ = run(capsys, "client", "list", "--db", db)
    assert code == 0 and "Dana Dietz" in out and "pescatarian" in out and "no plans" in out
    code, out, _ = run(capsys, "client", "show", "Dana Dietz", "--db", db)
    assert "allergens excluded: peanut, sesame" in out and "notes: new" in out and "No saved plans" in out
    code, out, _ = run(capsys, "client", "edit", "Dana Dietz", "--age", "53", "--rename", "Dana D", "--db", db)
    assert code == 0 and Store(db).get_client("Dana D").profile.age == 53
    assert Store(db).get_client("Dana D").exclusions.allergens == ("peanut", "sesame")  # untouched options stay
    code, out, _ = run(capsys, "client", "remove", "Dana D", "--db", db)
    assert code == 0 and Store(db).list_clients() == []


def test_bad_input_exits_2_with_a_clear_message(capsys, db):
    run(capsys, "client", "add", "Ed", "--sex", "male", "--age", "40", "--db", db)
    code, _, err = run(capsys, "client", "add", "Ed", "--sex", "male", "--age", "40", "--db", db)
    assert code == 2 and "already exists" in err
    code, _, err = run(capsys, "client", "add", "Flo", "--sex", "male", "--age", "40", "--pregnant", "--db", db)
    assert code == 2 and "female" in err
    code, _, err = run(capsys, "client", "show", "Nobody", "--db", db)
    assert code == 2 and "No client 'Nobody'" in err and "Known clients: Ed" in err
    code, _, err = run(capsys, "client", "plan", "Ed", "--week", "30/11/2026", "--db", db)
    assert code == 2 and "YYYY-MM-DD" in err
    code, _, err = run(capsys, "export", "--plan", "7", "--pdf", "x.pdf", "--db", db)
    assert code == 2 and "No saved plan with id 7" in err
    code, _, err = run(capsys, "client", "list", "--db", "postgresql://clinic/cofactor")
    assert code == 2 and "clinic backend" in err


def test_plan_save_list_export(capsys, db, tmp_path):
    add_quick_client(db, vitamin_d_supplement_ug=50)
    code, out, _ = run(capsys, "client", "plan", "Alice Example", "--week", WEEK, "--save", "--note", "first",
                       "--db", db)
    assert code == 0, out
    assert "1-day plan for Alice Example" in out and "Magnesium–vitamin D rule" in out and "Saved as plan 1" in out
    code, out, _ = run(capsys, "client", "plan", "Alice Example", "--week", WEEK, "--save", "--final", "--db", db)
    assert "version 2, final" in out
    code, out, _ = run(capsys, "plans", "--client", "Alice Example", "--mark-final", "1", "--db", db)
    assert code == 0 and "Plan 1 (Alice Example, week 2026-11-30 v1) is now final" in out
    rows = [line.split() for line in out.splitlines() if WEEK in line and not line.startswith("Plan")]
    week_at = [r.index(WEEK) for r in rows]
    assert [(r[0], r[i + 1], r[i + 2]) for r, i in zip(rows, week_at)] == [("2", "2", "final"), ("1", "1", "final")]
    assert rows[1][-1] == "first"

    pdf, xlsx, csv, js = (tmp_path / n for n in ("a.pdf", "a.xlsx", "a.csv", "a.json"))
    code, out, _ = run(capsys, "export", "--plan", "1", "--pdf", str(pdf), "--xlsx", str(xlsx), "--csv", str(csv),
                       "--json", str(js), "--db", db)
    assert code == 0 and out.count("Wrote") == 4
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages)
    assert "plan for Alice Example" in text and "Shopping list" in text and "not medical advice" in text
    sheets = pd.read_excel(xlsx, sheet_name=None)
    assert {"Plan", "Nutrients", "Shopping list"} <= set(sheets)
    saved = Store(db).get_plan(1)
    assert json.loads(js.read_text())["request"]["vitamin_d_supplement_ug"] == 50
    assert pd.read_csv(csv, dtype={"food_id": str})["grams"].sum() == pytest.approx(saved.items["grams"].sum())
    code, _, err = run(capsys, "export", "--plan", "1", "--db", db)
    assert code == 2 and "--pdf FILE" in err


def test_infeasible_plan_exits_1_and_saves_nothing(capsys, db):
    add_quick_client(db, targets={"magnesium_mg": {"min": 5000}})
    code, out, err = run(capsys, "client", "plan", "Alice Example", "--week", WEEK, "--save", "--db", db)
    assert code == 1 and "No usable plan" in out and "Not saved" in err
    assert Store(db).list_plans() == []


def test_plan_for_client_never_loses_saved_plans(db):
    add_quick_client(db)
    store = Store(db)
    plan, plan_id = plan_for_client(store, "Alice Example", WEEK, author_note="kept")
    assert plan.has_solution and plan_id == 1 and store.get_plan(1) == plan
    _, unsaved = plan_for_client(store, "Alice Example", WEEK, save=False)
    assert unsaved is None

    def crashing_solver(*args, **kwargs):
        raise RuntimeError("solver process died")

    with pytest.raises(RuntimeError, match="died"):
        plan_for_client(store, "Alice Example", WEEK, planner=crashing_solver)
    (record,) = store.list_plans("Alice Example")
    assert record.id == 1 and record.author_note == "kept" and store.get_plan(1) == plan
    assert store.integrity_check() == "ok"


def test_batch_command_with_saved_clients(capsys, db, tmp_path):
    add_quick_client(db)
    add_quick_client(db, name="Zed Impossible", targets={"magnesium_mg": {"min": 5000}})
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "batch", "--saved-clients", "--week", WEEK, "--out", str(out_dir), "--no-pdf",
                         "--workers", "1", "--save", "--db", db)
    assert code == 1  # one client has no plan
    assert "2 client(s): 1 planned, 1 infeasible, 0 error(s)" in out and "infeasible: Zed Impossible" in out
    assert "2/2" in err
    summary = pd.read_csv(out_dir / "summary.csv")
    assert list(summary["name"]) == ["Alice Example", "Zed Impossible"]
    assert (out_dir / "alice-example.csv").exists() and not (out_dir / "alice-example.pdf").exists()
    (record,) = Store(db).list_plans()
    assert record.client_name == "Alice Example" and record.author_note == "batch"


def test_batch_command_rejects_bad_csv(capsys, db, tmp_path):
    bad = tmp_path / "clients.csv"
    bad.write_text("name,sex,age\nA,female,old\n", encoding="utf-8")
    code, _, err = run(capsys, "batch", str(bad), "--week", WEEK, "--out", str(tmp_path / "o"), "--db", db)
    assert code == 2 and "row 2, column 'age'" in err


def test_commands_are_part_of_the_main_cli(capsys, db):
    from optimizer.cli.main import main as cofactor

    Store(db).add_client(name="Gil", profile=Profile(sex="male", age=33))
    assert cofactor(["client", "list", "--db", db]) == 0
    assert "Gil" in capsys.readouterr().out


def test_saved_plan_round_trips_through_export_json(db, tmp_path):
    store = Store(db)
    store.add_client(name="Hana", profile=Profile(sex="female", age=29))
    plan = _real_plan(Profile(sex="female", age=29))  # export re-checks the plan: it must be a real one
    plan_id = store.save_plan("Hana", plan, WEEK)
    assert main(["export", "--plan", str(plan_id), "--json", str(tmp_path / "p.json"), "--db", db]) == 0
    from optimizer.io.export import plan_from_json

    assert plan_from_json((tmp_path / "p.json").read_text()) == plan


def _real_plan(profile: Profile, days: int = 1):
    from optimizer.domain.request import PlanRequest
    from optimizer.planner import plan as run_plan

    return run_plan(PlanRequest(profile=profile, **{**QUICK, "days": days}))


def test_price_list_prices_a_client_plan(capsys, db, tmp_path):
    add_quick_client(db)
    prices = tmp_path / "clinic.csv"
    # 0.01 per 100 g: too cheap to change what the plan chooses
    prices.write_text("food_id,price,grams,currency\n08084,0.04,400,EUR\n", encoding="utf-8")
    code, out, _ = run(capsys, "price-list", "add", "Clinic", str(prices), "--db", db)
    assert code == 0 and "Saved price list 'Clinic'" in out
    code, out, _ = run(capsys, "price-list", "list", "--db", db)
    assert "Clinic" in out and "1 food(s)" in out
    code, _, err = run(capsys, "price-list", "add", "Clinic", str(prices), "--db", db)
    assert code == 2 and "already exists" in err
    code, out, _ = run(capsys, "client", "plan", "Alice Example", "--week", WEEK, "--save", "--price-list", "Clinic",
                       "--db", db)
    assert code == 0
    plan = Store(db).get_plan(1)
    priced = [r for r in plan.item_rows if r.cost is not None]
    assert priced and {r.food_id for r in priced} == {"08084"}
    assert all(r.cost == pytest.approx(r.grams / 100 * 0.01) for r in priced)
    code, _, err = run(capsys, "client", "plan", "Alice Example", "--week", WEEK, "--price-list", "Nope", "--db", db)
    assert code == 2 and "No price list 'Nope'" in err


def test_next_week_like_the_last_and_compare(capsys, db):
    add_quick_client(db)
    code, _, _ = run(capsys, "client", "plan", "Alice Example", "--week", WEEK, "--save", "--db", db)
    assert code == 0
    code, out, _ = run(capsys, "client", "plan", "Alice Example", "--week", "2026-12-07", "--save", "--like-last",
                       "--db", db)
    assert code == 0 and "Saved as plan 2" in out
    store = Store(db)
    first, second = store.get_plan(1), store.get_plan(2)
    assert second.request.objective == "minimal_change"
    assert {(u.food_id, u.meal) for u in second.request.usual_diet} == {(r.food_id, r.meal) for r in first.item_rows}
    code, out, _ = run(capsys, "plans", "--compare", "1", "2", "--db", db)
    assert code == 0 and "Plan 1 -> plan 2" in out and "average magnesium_mg" in out
    other = Store(db).add_client(name="Other", profile=Profile(sex="male", age=50), plan_defaults=QUICK)
    code, _, err = run(capsys, "client", "plan", other.name, "--week", WEEK, "--like-plan", "1", "--db", db)
    assert code == 2 and "another client" in err
    code, _, err = run(capsys, "client", "plan", other.name, "--week", WEEK, "--like-last", "--db", db)
    assert code == 2 and "no saved plan yet" in err


def test_main_plan_command_can_delegate_with_client_week_save(capsys, db):
    """How optimizer/cli.py's `plan` accepts --client/--week/--save: reuse the options, delegate to cmd_client_plan."""
    import argparse

    from optimizer.cli.dietitian import add_client_plan_options, cmd_client_plan

    parser = argparse.ArgumentParser(prog="cofactor")
    p = parser.add_subparsers(dest="command").add_parser("plan")
    p.add_argument("request", nargs="?")
    p.add_argument("--solver", choices=("highs", "cbc"))
    p.add_argument("--time-limit", type=float)
    p.add_argument("--out")
    p.add_argument("--client")
    add_client_plan_options(p, week_required=False, solver_options=False, db_option=True)
    add_quick_client(db)
    args = parser.parse_args(["plan", "--client", "Alice Example", "--week", WEEK, "--save", "--db", db])
    assert cmd_client_plan(args) == 0
    assert "Saved as plan 1" in capsys.readouterr().out
    args = parser.parse_args(["plan", "--client", "Alice Example", "--db", db])
    assert cmd_client_plan(args) == 2 and "--week YYYY-MM-DD" in capsys.readouterr().err


def test_usual_diet_from_csv(capsys, db, tmp_path):
    usual = tmp_path / "usual.csv"
    usual.write_text("food_id,grams,meal\n08120,234,breakfast\n12061,28\n", encoding="utf-8")
    code, _, err = run(capsys, "client", "add", "Lee", "--sex", "male", "--age", "35", "--usual-diet", str(usual),
                       "--db", db)
    assert code == 0, err
    client = Store(db).get_client("Lee")
    assert [(u.food_id, u.grams, u.meal) for u in client.usual_diet] == [("08120", 234.0, "breakfast"), ("12061", 28.0, None)]
    assert client.to_request().objective == "minimal_change"
    code, out, _ = run(capsys, "client", "show", "Lee", "--db", db)
    assert "usual diet: 2 item(s)" in out
    usual.write_text("food_id,grams\n08120,lots\n", encoding="utf-8")
    code, _, err = run(capsys, "client", "edit", "Lee", "--usual-diet", str(usual), "--db", db)
    assert code == 2 and "row 2, column 'grams'" in err
    code, _, _ = run(capsys, "client", "edit", "Lee", "--usual-diet", "", "--db", db)
    assert code == 0 and Store(db).get_client("Lee").usual_diet == ()


def test_issue_workflow_with_the_main_cli_and_cofactor_db(capsys, db, tmp_path, monkeypatch):
    """The commands exactly as a dietitian types them: store from $COFACTOR_DB, `cofactor plan --client NAME --week
    2026-11-30 --save`, `cofactor plans --client NAME`, `cofactor export --plan ID --pdf … --xlsx …`."""
    import os
    import subprocess
    import sys

    from optimizer.cli.main import main as cofactor

    monkeypatch.setenv("COFACTOR_DB", db)
    add_quick_client(db, vitamin_d_supplement_ug=50)
    done = subprocess.run([sys.executable, "-m", "optimizer", "plan", "--client", "Alice Example", "--week", WEEK,
                           "--save"], capture_output=True, text=True, env=dict(os.environ), timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Saved as plan 1 (week 2026-11-30, version 1, draft)" in done.stdout
    assert cofactor(["plan", "--client", "Alice Example", "--week", WEEK, "--save", "--note", "v2"]) == 0
    assert "Saved as plan 2 (week 2026-11-30, version 2, draft)" in capsys.readouterr().out
    assert cofactor(["plans", "--client", "Alice Example"]) == 0
    listing = capsys.readouterr().out
    assert [line.split()[0] for line in listing.splitlines()[1:]] == ["2", "1"] and "v2" in listing

    pdf, xlsx = tmp_path / "alice.pdf", tmp_path / "alice.xlsx"
    assert cofactor(["export", "--plan", "2", "--pdf", str(pdf), "--xlsx", str(xlsx)]) == 0
    plan = Store(db).get_plan(2)
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(pdf).pages)
    supplement = plan.supplement_rows[0].supplement
    first_food = plan.item_rows[0].food.split(",")[0]
    for expected in ("plan for Alice Example", "Monday 30 November 2026", "Mon 30 Nov", "Meals", first_food,
                     "Supplements", supplement, "Timing", "Nutrients vs targets", "Magnesium", "vitamin D rule",
                     "total magnesium must reach at least", "Shopping list", "without a price",
                     "decision support, not medical advice"):
        assert expected in text, expected
    sheets = pd.read_excel(xlsx, sheet_name=None, dtype={"food_id": str})
    assert {"Plan", "Nutrients", "Shopping list"} <= set(sheets)
    assert sheets["Plan"]["grams"].sum() == pytest.approx(plan.items["grams"].sum())
    assert sheets["Shopping list"]["eaten_grams"].sum() == pytest.approx(plan.items["grams"].sum())


def test_export_prices_the_shopping_list_with_a_saved_price_list(capsys, db, tmp_path):
    store = Store(db)
    store.add_client(name="Hana", profile=Profile(sex="female", age=29))
    plan = _real_plan(Profile(sex="female", age=29), days=2)  # export re-checks the plan: it must be a real one
    plan_id = store.save_plan("Hana", plan, WEEK)
    store.save_price_list("Corner shop", "food_id,price,grams\n08084,4.00,200\n")  # wheat germ 2.00 per 100 g
    grams = float(plan.items.loc[plan.items["food_id"] == "08084", "grams"].sum())
    plain, priced = tmp_path / "plain.xlsx", tmp_path / "priced.xlsx"
    assert main(["export", "--plan", str(plan_id), "--xlsx", str(plain), "--db", db]) == 0
    code, _, err = run(capsys, "export", "--plan", str(plan_id), "--xlsx", str(priced), "--pdf",
                       str(tmp_path / "p.pdf"), "--price-list", "Corner shop", "--db", db)
    assert code == 0, err
    before = pd.read_excel(plain, sheet_name="Shopping list", dtype={"food_id": str}).set_index("food_id")
    after = pd.read_excel(priced, sheet_name="Shopping list", dtype={"food_id": str}).set_index("food_id")
    assert grams > 0 and pd.isna(before.at["08084", "estimated_cost"])
    assert after.at["08084", "estimated_cost"] == pytest.approx(grams / 100 * 2.00, rel=0.02)
    assert after.at["08084", "price_source"] == "catalogue"
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "p.pdf").pages)
    assert "for 1 priced food(s)" in " ".join(text.split())
    code, _, err = run(capsys, "export", "--plan", str(plan_id), "--xlsx", str(priced), "--price-list", "Nope",
                       "--db", db)
    assert code == 2 and "No price list 'Nope'" in err


def test_batch_command_with_a_clients_csv(capsys, db, tmp_path):
    clients = tmp_path / "clients.csv"
    clients.write_text("name,sex,age,diet_pattern,vitamin_d_supplement_ug,days\n"
                       "Ann One,female,30,vegetarian,25,1\n", encoding="utf-8")
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "batch", str(clients), "--week", WEEK, "--out", str(out_dir), "--workers", "1",
                         "--time-limit", "120", "--save", "--db", db)
    assert code == 0, out + err
    assert "1 client(s): 1 planned, 0 infeasible, 0 error(s)" in out and "1/1" in err
    summary = pd.read_csv(out_dir / "summary.csv")
    assert list(summary["state"]) == ["planned"] and set(summary["week_start"]) == {WEEK}
    assert "plan for Ann One" in pypdf.PdfReader(out_dir / "ann-one.pdf").pages[0].extract_text()
    store = Store(db)
    client = store.get_client("Ann One")  # added from the CSV by --save
    assert client.exclusions.diet_pattern == "vegetarian" and client.plan_defaults["vitamin_d_supplement_ug"] == 25
    (record,) = store.list_plans("Ann One")
    assert record.week_start.isoformat() == WEEK and record.author_note == "batch"
    assert store.get_plan(record.id).request.vitamin_d_supplement_ug == 25
