"""Only a clinician lifts a safety limit: every route that raises, clears, removes or re-periods an upper limit
(library, CLI, a client's saved defaults, batch) is refused with a RequestError naming the limit; a clinician
override is recorded in the plan and shown by the CLI, the text report, the PDF and the Excel workbook."""

from __future__ import annotations

import io
import json
import sqlite3

import pandas as pd
import pypdf
import pytest

import optimizer
from optimizer import ClinicianOverride, PlanRequest, Profile, RequestError
from optimizer.cli.main import main as cli_main
from optimizer.dietitian.batch import BatchJob, load_batch_csv, plan_batch
from optimizer.dietitian.store import Store
from optimizer.domain.limits import check_upper_limits, effective_targets
from optimizer.domain.targets import targets_for
from optimizer.io.export import about_rows, plan_to_excel_bytes, plan_to_pdf_bytes
from optimizer.io.report import plan_report_text

ADULT = {"sex": "female", "age": 40}
BYPASSES = {
    "raise": ({"vitamin_d_ug": {"max": 1000}}, "vitamin_d_ug", "raises the maximum"),
    "null": ({"vitamin_d_ug": None}, "vitamin_d_ug", "removes the target"),
    "clear_max": ({"vitamin_d_ug": {"clear_max": True}}, "vitamin_d_ug", "clears the maximum"),
    "supplemental-mg-null": ({"supplemental_magnesium_mg": None}, "supplemental_magnesium_mg", "removes"),
    "retinol": ({"retinol_ug": {"max": 10000}}, "retinol_ug", "raises"),
    "re-period": ({"vitamin_d_ug": {"period": "weekly"}}, "vitamin_d_ug", "re-periods"),
    "caffeine": ({"caffeine_mg": {"clear_max": True}}, "caffeine_mg", "clears"),
}


@pytest.mark.parametrize("case", list(BYPASSES))
def test_the_library_refuses_every_upper_limit_bypass(case):
    overrides, key, change = BYPASSES[case]
    request = PlanRequest(profile=Profile(**ADULT), days=1, targets=overrides, vitamin_d_supplement_iu=10000)
    with pytest.raises(RequestError, match=rf"{change}.*'{key}', a safety upper limit.*clinician_override"):
        optimizer.plan(request)


def test_a_whole_target_set_without_the_limit_is_refused_too():
    base = targets_for(Profile(**ADULT))
    without = base.model_copy(update={"rows": tuple(t for t in base if t.key != "vitamin_d_ug")})
    with pytest.raises(RequestError, match="vitamin_d_ug"):
        check_upper_limits(PlanRequest(profile=Profile(**ADULT), days=1, targets=without))


def test_lowering_a_limit_or_changing_other_targets_is_fine():
    check_upper_limits(PlanRequest(profile=Profile(**ADULT), days=1,
                                   targets={"vitamin_d_ug": {"max": 50}, "sodium_mg": {"max": 3000}, "fiber_g": None}))


def _override(**limits: float) -> ClinicianOverride:
    return ClinicianOverride(clinician="Dr B. Test", reason="documented deficiency", upper_limits=limits)


def test_a_clinician_override_lifts_the_limit_and_every_output_shows_it():
    request = PlanRequest(profile=Profile(**ADULT), days=1, portions="continuous", vitamin_d_supplement_iu=10000,
                          targets={"vitamin_d_ug": {"max": 1000}}, clinician_override=_override(vitamin_d_ug=300))
    assert effective_targets(request)["vitamin_d_ug"].max == 300
    plan = optimizer.plan(request)
    assert plan.has_solution and plan.verification.passed
    line = "Clinician override by Dr B. Test: upper limit vitamin_d_ug raised to 300 (documented deficiency)."
    assert plan.clinician_overrides == [line]
    assert line in plan.summary() and line in plan_report_text(plan)
    about = about_rows(plan)
    assert line in set(about.loc[about["field"] == "Clinician override", "value"])
    workbook = pd.read_excel(io.BytesIO(plan_to_excel_bytes(plan)), sheet_name="About")
    assert line in set(workbook["value"].astype(str))
    pdf_text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(plan_to_pdf_bytes(plan))).pages)
    assert "Clinician overrides" in pdf_text and "Dr B. Test" in pdf_text


def test_without_an_override_a_huge_prescribed_dose_gets_no_plan():
    plan = optimizer.plan(PlanRequest(profile=Profile(**ADULT), days=1, portions="continuous",
                                      vitamin_d_supplement_iu=10000))
    assert not plan.has_solution  # 250 µg/day is 2.5 × the UL: no plan, never a silent one


def test_the_cli_exits_2_naming_the_limit(tmp_path, capsys):
    path = tmp_path / "request.json"
    path.write_text(json.dumps({"profile": ADULT, "days": 1, "targets": {"vitamin_d_ug": {"max": 1000}},
                                "vitamin_d_supplement_iu": 10000}), encoding="utf-8")
    assert cli_main(["plan", str(path)]) == 2
    err = capsys.readouterr().err
    assert "vitamin_d_ug" in err and "clinician_override" in err


def test_the_cli_shows_a_clinician_override(tmp_path, capsys):
    path = tmp_path / "request.json"
    path.write_text(json.dumps({"profile": ADULT, "days": 1, "portions": "continuous", "vitamin_d_supplement_iu": 10000,
                                "clinician_override": {"clinician": "Dr B. Test", "reason": "documented deficiency",
                                                       "upper_limits": {"vitamin_d_ug": 300}}}), encoding="utf-8")
    assert cli_main(["plan", str(path)]) == 0
    assert "upper limit vitamin_d_ug raised to 300" in capsys.readouterr().out


@pytest.mark.parametrize("defaults", [{"targets": {"vitamin_d_ug": {"max": 1000}}, "vitamin_d_supplement_iu": 10000},
                                      {"targets": {"supplemental_magnesium_mg": None}}])
def test_store_refuses_saved_defaults_that_bypass_a_limit(tmp_path, defaults):
    store = Store(tmp_path / "clients.sqlite")
    with pytest.raises(RequestError, match="client 'Ann''s saved plan defaults.*clinician_override"):
        store.add_client(name="Ann", profile=ADULT, plan_defaults=defaults)
    assert store.list_clients() == []
    store.add_client(name="Bea", profile=ADULT)
    with pytest.raises(RequestError, match="client 'Bea''s saved plan defaults"):
        store.update_client("Bea", plan_defaults=defaults)
    assert store.get_client("Bea").plan_defaults == {}


def test_defaults_saved_before_the_check_are_refused_when_planned(tmp_path):
    store = Store(tmp_path / "clients.sqlite")
    store.add_client(name="Cy", profile=ADULT)
    with sqlite3.connect(tmp_path / "clients.sqlite") as conn:  # an older store, written without the check
        conn.execute("UPDATE clients SET plan_defaults = ? WHERE name = 'Cy'",
                     (json.dumps({"targets": {"vitamin_d_ug": None}}),))
    with pytest.raises(RequestError, match="vitamin_d_ug"):
        optimizer.plan(store.get_client("Cy").to_request(days=1))


def test_batch_refuses_a_bypass_and_a_bad_job_becomes_a_named_error():
    csv_text = "name,sex,age,vitamin_d_supplement_iu\nAnn,female,40,10000\n"
    with pytest.raises(RequestError, match="batch client 'Ann'.*vitamin_d_ug"):
        load_batch_csv(io.StringIO(csv_text), targets={"vitamin_d_ug": {"max": 1000}})
    job = BatchJob("Ann", PlanRequest(profile=Profile(**ADULT), days=1, targets={"vitamin_d_ug": None}))
    result = plan_batch([job], executor=None, max_workers=1)
    outcome = result.errors[0]
    assert outcome.name == "Ann" and "vitamin_d_ug" in outcome.reason and "clinician_override" in outcome.reason
