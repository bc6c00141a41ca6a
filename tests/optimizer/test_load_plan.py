"""Every loaded plan is verified again (optimizer/results/load.py): five tampered plans are caught on every load
path — optimizer.load_plan (text, path, data), Store.get_plan, `cofactor export`, batch results and the app's
restore — while the untampered plan passes. The stored verdict ("passed") is never trusted."""

from __future__ import annotations

import copy
import json
import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest

import foods
import optimizer
from foods.errors import DataError
from optimizer import PlanRequest, Profile
from optimizer.cli.main import main as cli_main
from optimizer.dietitian.batch import BatchJob, plan_batch
from optimizer.dietitian.store import Store


@pytest.fixture(scope="module")
def saved() -> dict:
    """A verified 1-day plan with a vitamin D tablet, as the JSON data Cofactor saves."""
    request = PlanRequest(profile=Profile(sex="female", age=40), days=1, portions="continuous",
                          vitamin_d_supplement_ug=25)
    plan = optimizer.plan(request)
    assert plan.has_solution and plan.verification.passed and plan.supplement_rows
    return json.loads(plan.model_dump_json())


def _ten_5000_iu(data: dict) -> None:
    data["supplement_rows"].append({"day": 1, "supplement_id": "d3_5000iu", "supplement": "Vitamin D3 5,000 IU",
                                    "units": 10, "vitamin_d_ug": 1250.0, "magnesium_mg": 0.0, "locked": False})


def _totals_9999(data: dict) -> None:
    data["total_rows"][0]["magnesium_mg"] = 9999.0


def _grams_x10(data: dict) -> None:
    for item in data["item_rows"]:
        item["grams"] *= 10


def _items_emptied(data: dict) -> None:
    data["item_rows"] = []


def _renamed(data: dict) -> None:
    data["item_rows"][0]["food"] = "Kale, raw"


TAMPERS = {"10x5000IU": _ten_5000_iu, "totals-9999": _totals_9999, "grams-x10": _grams_x10,
           "items-emptied": _items_emptied, "renamed": _renamed}


def _tampered(saved: dict, name: str) -> dict:
    data = copy.deepcopy(saved)
    TAMPERS[name](data)
    data["verification"] = {"passed": True, "violations": [], "warnings": [], "checked": 1, "tolerance": 1e-6}
    data["notes"] = data["notes"] + ["re-checked: passed"]
    return data


def _assert_failed(plan: optimizer.Plan) -> None:
    assert plan.verification is not None and not plan.verification.passed
    assert plan.verification.violations and not plan.has_solution
    assert any(n.startswith("Re-checked from the catalogue on load: FAILED") for n in plan.notes)
    assert "FAILED" in plan.summary()


def test_the_untampered_plan_passes_on_load(saved, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(saved), encoding="utf-8")
    for source in (json.dumps(saved), path, str(path), saved):
        plan = optimizer.load_plan(source)
        assert plan.has_solution and plan.verification.passed
        assert plan == optimizer.Plan.model_validate(saved)  # unchanged: the same verdict, recomputed


@pytest.mark.parametrize("tamper", list(TAMPERS))
def test_load_plan_catches_the_tampered_plan(saved, tamper, tmp_path):
    data = _tampered(saved, tamper)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    for source in (json.dumps(data), path, data):
        _assert_failed(optimizer.load_plan(source))


def test_the_renamed_food_is_named_in_the_reasons(saved):
    plan = optimizer.load_plan(_tampered(saved, "renamed"))
    assert any("the plan names it 'Kale, raw'" in v for v in plan.verification.violations)


def _store_with(saved: dict, tmp_path, data: dict) -> tuple[Store, int]:
    store = Store(tmp_path / "clients.sqlite")
    store.add_client(name="Ann", profile={"sex": "female", "age": 40})
    plan_id = store.save_plan("Ann", optimizer.Plan.model_validate(saved), "2026-01-05")
    with sqlite3.connect(tmp_path / "clients.sqlite") as conn:  # the file edited behind Cofactor's back
        conn.execute("UPDATE plans SET result = ? WHERE id = ?", (json.dumps(data), plan_id))
    return store, plan_id


@pytest.mark.parametrize("tamper", list(TAMPERS))
def test_store_get_plan_and_cofactor_export_catch_the_tampered_plan(saved, tamper, tmp_path, capsys):
    store, plan_id = _store_with(saved, tmp_path, _tampered(saved, tamper))
    _assert_failed(store.get_plan(plan_id))
    out = tmp_path / "plan-out.json"
    code = cli_main(["export", "--db", str(tmp_path / "clients.sqlite"), "--plan", str(plan_id), "--json", str(out)])
    assert code == 1 and "FAILED the re-check" in capsys.readouterr().err
    _assert_failed(optimizer.Plan.model_validate_json(out.read_text(encoding="utf-8")))


def test_store_get_plan_passes_the_untampered_plan(saved, tmp_path):
    store, plan_id = _store_with(saved, tmp_path, saved)
    assert store.get_plan(plan_id).verification.passed


def _tampering_worker(name: str, request_json: str, solver=None, time_limit_s=None) -> dict:
    """A batch worker whose plan was edited in transit (the parent must not trust its verdict)."""
    return {"name": name, "ok": True, "plan_json": json.dumps(TAMPERED_IN_TRANSIT[name]), "seconds": 0.0}


TAMPERED_IN_TRANSIT: dict[str, dict] = {}


def test_batch_results_catch_every_tampered_plan(saved):
    request = optimizer.Plan.model_validate(saved).request
    for tamper in TAMPERS:
        TAMPERED_IN_TRANSIT[tamper] = _tampered(saved, tamper)
    TAMPERED_IN_TRANSIT["clean"] = saved
    jobs = [BatchJob(name, request) for name in TAMPERED_IN_TRANSIT]
    with ThreadPoolExecutor(max_workers=2) as pool:
        result = plan_batch(jobs, executor=pool, worker=_tampering_worker)
    states = {o.name: o.state for o in result.outcomes}
    assert states == {**{t: "infeasible" for t in TAMPERS}, "clean": "planned"}
    for outcome in result.outcomes:
        if outcome.name != "clean":
            _assert_failed(outcome.plan)
            assert "failed the re-check" in outcome.reason


@pytest.mark.parametrize("tamper", list(TAMPERS))
def test_the_app_restore_catches_the_tampered_plan(saved, tamper):
    pytest.importorskip("streamlit")
    from ui.downloads_panel import parse_saved

    _request, plan = parse_saved(json.dumps(_tampered(saved, tamper)))
    _assert_failed(plan)


def test_unreadable_input_is_a_named_error(tmp_path):
    with pytest.raises(DataError, match="not JSON"):
        optimizer.load_plan("{not json")
    with pytest.raises(DataError, match="cannot read the plan file"):
        optimizer.load_plan(tmp_path / "missing.json")
    with pytest.raises(DataError, match="status"):
        optimizer.load_plan({"request": {"profile": {"sex": "female", "age": 40}}})


def test_a_plan_priced_with_a_price_list_passes_on_load_but_its_nutrients_are_still_checked():
    sr = foods.load_foods()
    ids = [str(i) for i in sr.frame.index[sr.frame["everyday"].fillna(False).astype(bool)]]
    table = sr.subset(ids)
    frame = table.frame.copy()
    frame["price_per_100g"] = 0.5  # a clinic's price list: every food 0.50 per 100 g
    priced = foods.FoodTable(frame, table.portions, source="priced")
    plan = optimizer.plan(PlanRequest(profile=Profile(sex="female", age=40), days=1, portions="continuous"), priced)
    assert plan.has_solution and all(r.cost is not None for r in plan.item_rows)
    assert optimizer.load_plan(plan.model_dump_json()).verification.passed  # the shipped table has no such prices
    data = json.loads(plan.model_dump_json())
    _grams_x10(data)
    _assert_failed(optimizer.load_plan(data))
