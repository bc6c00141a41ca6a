"""Dietitian commands (client, plans, export, batch) and plan_for_client, on a temporary store."""

from __future__ import annotations

import json

import pandas as pd
import pypdf
import pytest

from optimizer.cli_dietitian import main, plan_for_client
from optimizer.profile import Profile
from optimizer.storage import Store
from tests.optimizer.test_batch import QUICK
from tests.optimizer.test_storage import make_plan

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
    from optimizer.cli import main as cofactor

    Store(db).add_client(name="Gil", profile=Profile(sex="male", age=33))
    assert cofactor(["client", "list", "--db", db]) == 0
    assert "Gil" in capsys.readouterr().out


def test_saved_plan_round_trips_through_export_json(db, tmp_path):
    store = Store(db)
    store.add_client(name="Hana", profile=Profile(sex="female", age=29))
    plan_id = store.save_plan("Hana", make_plan(), WEEK)
    assert main(["export", "--plan", str(plan_id), "--json", str(tmp_path / "p.json"), "--db", db]) == 0
    from optimizer.export import plan_from_json

    assert plan_from_json((tmp_path / "p.json").read_text()) == make_plan()
