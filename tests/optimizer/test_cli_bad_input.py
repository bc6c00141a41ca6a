"""Bad input at the command line: the bad-request corpus, option values, output paths, a closed pipe, and the
dietitian commands' food ids and batch CSVs. Always exit code 2 with a message naming the problem, never a
traceback, and nothing is solved or saved first."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from optimizer.cli.dietitian import main as dietitian_main
from optimizer.cli.main import main
from optimizer.dietitian.store import Store
from tests.optimizer.test_bad_requests import BAD, CORPUS

ROOT = Path(__file__).parents[2]
REQUEST = {"profile": {"sex": "female", "age": 45}, "days": 1}


def write(tmp_path: Path, payload: object, name: str = "request.json") -> Path:
    path = tmp_path / name
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_bad_request_file_exits_2_naming_file_and_field(name, capsys):
    location, words = CORPUS[name]
    assert main(["plan", str(BAD / name)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing was planned or printed
    assert captured.err.startswith("error: ") and "Traceback" not in captured.err
    assert str(BAD / name) in captured.err and location in captured.err and words in captured.err


@pytest.mark.parametrize("value", ["inf", "nan", "0", "-1", "1e9", "abc"])
def test_time_limit_must_be_finite_positive_seconds(tmp_path, value, capsys):
    request = write(tmp_path, REQUEST)
    assert main(["plan", str(request), "--time-limit", value]) == 2
    assert "--time-limit" in capsys.readouterr().err


def test_out_in_a_missing_folder_fails_before_the_solve(tmp_path, capsys):
    request = write(tmp_path, REQUEST)
    missing = tmp_path / "missing" / "p.json"
    assert main(["plan", str(request), "--out", str(missing)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "does not exist" in captured.err and str(missing.parent) in captured.err
    assert main(["plan", str(request), "--out", str(tmp_path)]) == 2  # a folder, not a file
    assert "--out" in capsys.readouterr().err


@pytest.mark.parametrize("limit", ["-5", "0", "x"])
def test_foods_search_limit_must_be_at_least_one(limit, capsys):
    assert main(["foods", "search", "oats", "--limit", limit]) == 2
    assert "--limit" in capsys.readouterr().err


def test_unknown_exclude_group_is_refused_with_the_group_names(tmp_path, capsys):
    request = write(tmp_path, {**REQUEST, "exclude_groups": ["Nut and Seed Products"]})
    assert main(["plan", str(request)]) == 2
    err = capsys.readouterr().err
    assert "Unknown food group(s) ['Nut and Seed Products']" in err and "Nuts and Seed Products" in err


def test_a_closed_output_pipe_is_a_short_message_not_a_traceback():
    """``cofactor targets ... | head``: the reader is gone before cofactor writes (deterministic: closed first)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "optimizer", "targets", "--sex", "female", "--age", "45"],
                              stdout=write_end, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    finally:
        os.close(write_end)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "output was closed" in done.stderr


# -- dietitian commands ---------------------------------------------------------------------------
@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "cli.sqlite3")


def test_client_with_an_infinite_vitamin_d_dose_is_not_stored(db, capsys):
    for value in ("inf", "nan", "-5"):
        assert dietitian_main(["client", "add", "Ann", "--sex", "female", "--age", "40", "--vitamin-d-ug", value,
                               "--db", db]) == 2
        assert "--vitamin-d-ug" in capsys.readouterr().err
    assert Store(db).list_clients() == []


def test_unknown_usual_diet_food_is_refused_when_the_client_is_added(tmp_path, db, capsys):
    usual = tmp_path / "usual.csv"
    usual.write_text("food_id,grams\n08120,234\n99999,50\n", encoding="utf-8")
    assert dietitian_main(["client", "add", "Ann", "--sex", "female", "--age", "40", "--usual-diet", str(usual),
                           "--db", db]) == 2
    err = capsys.readouterr().err
    assert "unknown food id(s) ['99999']" in err and "Nothing was saved" in err
    assert Store(db).list_clients() == []
    assert dietitian_main(["client", "add", "Ann", "--sex", "female", "--age", "40", "--exclude-group", "Nutz",
                           "--db", db]) == 2
    assert "unknown group(s) ['Nutz']" in capsys.readouterr().err


def test_price_list_with_unknown_food_ids_lists_every_row(tmp_path, db, capsys):
    prices = tmp_path / "prices.csv"
    prices.write_text("food_id,price,grams,currency\n08120,0.50,100,USD\n99999,1.00,100,USD\n"
                      "88888,2.00,100,USD\n", encoding="utf-8")
    code = dietitian_main(["price-list", "add", "shop", str(prices), "--db", db])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "99999" in err and "88888" in err and "row 3" in err and "row 4" in err
    assert Store(db).list_price_lists() == []


def test_client_plan_export_path_is_checked_before_the_solve(tmp_path, db, capsys):
    assert dietitian_main(["client", "add", "Ann", "--sex", "female", "--age", "40", "--db", db]) == 0
    capsys.readouterr()
    missing = tmp_path / "no" / "plan.pdf"
    assert dietitian_main(["client", "plan", "Ann", "--week", "2026-11-30", "--days", "1", "--pdf", str(missing),
                           "--db", db]) == 2
    captured = capsys.readouterr()
    assert "--pdf" in captured.err and "does not exist" in captured.err and "plan for" not in captured.out


def test_batch_out_that_is_a_file_fails_before_any_client_is_solved(tmp_path, capsys):
    clients = tmp_path / "clients.csv"
    clients.write_text("name,sex,age\nAnn,female,40\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    out.write_text("keep me")
    assert dietitian_main(["batch", str(clients), "--week", "2026-11-30", "--out", str(out), "--no-pdf"]) == 2
    captured = capsys.readouterr()
    assert "is a file, not a folder" in captured.err and "Planning" not in captured.err
    assert out.read_text() == "keep me"


def test_batch_csv_reports_every_bad_row(tmp_path, capsys):
    clients = tmp_path / "clients.csv"
    clients.write_text("name,sex,age,vitamin_d_supplement_ug\nAnn,female,40,\nBea,female,-3,\nCy,male,30,lots\n"
                       "Dee,female,50,inf\nEve,female,35,\n", encoding="utf-8")
    assert dietitian_main(["batch", str(clients), "--week", "2026-11-30", "--out", str(tmp_path / "o"), "--no-pdf"]) == 2
    err = capsys.readouterr().err
    assert "3 problems in all" in err
    assert "row 3" in err and "row 4" in err and "row 5" in err and "Planning" not in err
