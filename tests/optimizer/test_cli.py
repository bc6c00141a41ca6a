"""The ``cofactor`` command line, driven through ``main([...])`` with captured output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from optimizer.cli.main import build_parser, main
from optimizer.results.plan import Plan

# A small generic request on the shipped catalogue: few foods, continuous grams, one day, no supplements.
TINY_FOODS = ["12014", "16015", "09040", "11457", "20121", "08180", "01117", "09003", "16398"]
TINY = {
    "targets": {"protein_g": {"min": 60}, "magnesium_mg": {"min": 300}, "energy_kcal": {"min": 1500, "max": 2200}},
    "days": 1, "portions": "continuous", "supplements": [], "candidates": "all",
    "food_ids": TINY_FOODS, "min_foods_per_day": 0,
}


def _write(tmp_path: Path, payload, name: str = "request.json") -> Path:
    path = tmp_path / name
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload), encoding="utf-8")
    return path


# -- targets ---------------------------------------------------------------------------------
def test_targets_for_female_45_prints_the_magnesium_rda_and_supplement_ul(capsys):
    assert main(["targets", "--sex", "female", "--age", "45"]) == 0
    out = capsys.readouterr().out
    mg_line = next(line for line in out.splitlines() if line.startswith("magnesium_mg "))
    assert "320" in mg_line and "NASEM-2019-El" in mg_line
    supp_line = next(line for line in out.splitlines() if line.startswith("supplemental_magnesium_mg"))
    assert "350 (UL)" in supp_line and "supplements only" in supp_line
    vd_line = next(line for line in out.splitlines() if line.startswith("vitamin_d_ug"))
    assert "15" in vd_line and "100 (UL)" in vd_line and "µg" in vd_line
    assert "DRI: female 31–50 y" in out


def test_targets_life_stage_and_weight_options(capsys):
    assert main(["targets", "--sex", "female", "--age", "25", "--pregnant"]) == 0
    out = capsys.readouterr().out
    assert "pregnancy 19–30 y" in out
    assert "27" in next(line for line in out.splitlines() if line.startswith("iron_mg"))
    assert main(["targets", "--sex", "male", "--age", "40", "--weight-kg", "100", "--activity", "active"]) == 0
    out = capsys.readouterr().out
    assert "80" in next(line for line in out.splitlines() if line.startswith("protein_g"))


@pytest.mark.parametrize(
    "argv, message",
    [
        (["targets", "--sex", "male", "--age", "30", "--pregnant"], "female"),
        (["targets", "--sex", "female", "--age", "30", "--pregnant", "--lactating"], "not allowed"),
        (["targets", "--sex", "female", "--age", "-3"], "age"),
        (["targets", "--sex", "other", "--age", "30"], "invalid choice"),
        (["targets", "--sex", "female", "--age", "30", "--weight-kg", "0"], "must be > 0"),
    ],
)
def test_targets_bad_input_exits_2_with_a_message(capsys, argv, message):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "targets" in capsys.readouterr().out


def test_runnable_as_python_dash_m():
    done = subprocess.run([sys.executable, "-m", "optimizer.cli.main", "targets", "--sex", "male", "--age", "25"],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2], check=False)
    assert done.returncode == 0, done.stderr
    assert "400" in next(line for line in done.stdout.splitlines() if line.startswith("magnesium_mg "))


# -- plan: input errors (no solver involved) -------------------------------------------------
def test_plan_malformed_json_exits_2_naming_the_file(tmp_path, capsys):
    path = _write(tmp_path, '{"profile": {"sex": "female", "age": 45}, "days": ', "broken.json")
    assert main(["plan", str(path)]) == 2
    err = capsys.readouterr().err
    assert "broken.json" in err and "not a valid plan request" in err
    assert "Traceback" not in err


def test_plan_validation_error_names_the_field(tmp_path, capsys):
    path = _write(tmp_path, {"profile": {"sex": "female", "age": 45}, "dayz": 7})
    assert main(["plan", str(path)]) == 2
    err = capsys.readouterr().err
    assert "request.json" in err and "dayz" in err


def test_plan_missing_file_exits_2(tmp_path, capsys):
    assert main(["plan", str(tmp_path / "nope.json")]) == 2
    assert "nope.json" in capsys.readouterr().err


def test_plan_out_with_unknown_extension_exits_2(tmp_path, capsys):
    path = _write(tmp_path, TINY)
    assert main(["plan", str(path), "--out", str(tmp_path / "plan.xlsx")]) == 2
    assert "plan.xlsx" in capsys.readouterr().err


# -- plan: through optimizer.planner.plan (needs the planner, the solver and the catalogue) --
def test_plan_unknown_food_id_exits_2(tmp_path, capsys):
    path = _write(tmp_path, {**TINY, "food_ids": TINY_FOODS + ["99999"]})
    assert main(["plan", str(path)]) == 2
    err = capsys.readouterr().err
    assert "99999" in err and "Traceback" not in err


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_plan_tiny_request_prints_plan_and_writes_json(tmp_path, capsys, solver):
    path = _write(tmp_path, TINY)
    out_json = tmp_path / "plan.json"
    assert main(["plan", str(path), "--solver", solver, "--out", str(out_json)]) == 0
    out = capsys.readouterr().out
    assert "usable plan: yes" in out and "Day 1" in out and "Daily totals" in out
    plan = Plan.model_validate_json(out_json.read_text(encoding="utf-8"))
    assert plan.has_solution and plan.solver.startswith(solver)
    totals = plan.totals.loc[1]
    assert totals["magnesium_mg"] >= 300 - 1e-6 and totals["protein_g"] >= 60 - 1e-6
    assert 1500 - 1e-6 <= totals["energy_kcal"] <= 2200 + 1e-6
    assert set(plan.items["food_id"]) <= set(TINY_FOODS)
    # an LP plan: its shadow prices and binding constraints are printed in words
    assert plan.binding_rows and "Binding constraints" in out and plan.binding_rows[0].text in out
    assert plan.shadow_price_rows and plan.shadow_price_rows[0].text in out


def test_plan_writes_items_csv(tmp_path, capsys):
    path = _write(tmp_path, TINY)
    out_csv = tmp_path / "items.csv"
    assert main(["plan", str(path), "--out", str(out_csv)]) == 0
    items = pd.read_csv(out_csv, dtype={"food_id": str})
    assert {"day", "meal", "food_id", "food", "grams"} <= set(items.columns)
    assert len(items) > 0 and (items["grams"] > 0).all()


def test_plan_with_no_solution_exits_1_and_prints_the_explanation(tmp_path, capsys):
    impossible = {**TINY, "food_ids": ["09040", "09003"], "targets": {"magnesium_mg": {"min": 5000},
                                                                     "energy_kcal": {"max": 2000}}}
    path = _write(tmp_path, impossible)
    assert main(["plan", str(path)]) == 1
    out = capsys.readouterr().out
    assert "usable plan: no" in out and "magnesium_mg" in out


# -- foods search (needs foods.load_foods) ---------------------------------------------------
def test_foods_search_prints_ids_and_nutrients(capsys):
    assert main(["foods", "search", "almonds", "--all"]) == 0
    out = capsys.readouterr().out
    assert "12061" in out and "magnesium_mg" in out and "vitamin_d_ug" in out
    assert main(["foods", "search", "almonds", "--group", "Nuts and Seed Products", "--limit", "2"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line[:5].isdigit()]
    assert len(rows) == 2 and "use --all" in out


# -- extension hook --------------------------------------------------------------------------
def test_dietitian_commands_are_part_of_the_cli():
    text = build_parser().format_help()
    for command in ("targets", "foods", "plan", "client", "plans", "export", "batch"):
        assert command in text


def test_main_plan_command_delegates_to_saved_clients(capsys, tmp_path):
    from optimizer.cli.main import main

    db = str(tmp_path / "store.sqlite3")
    assert main(["client", "add", "Ada", "--sex", "female", "--age", "45", "--db", db]) == 0
    capsys.readouterr()
    # --client without --week is bad input, said plainly
    assert main(["plan", "--client", "Ada", "--db", db]) == 2
    assert "--week" in capsys.readouterr().err
    # neither a request file nor a client
    assert main(["plan"]) == 2
    assert "request file" in capsys.readouterr().err
