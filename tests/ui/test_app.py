"""The Streamlit planner page driven headlessly with ``streamlit.testing.v1.AppTest``.

Every panel is exercised through its widgets: a one-click plan from the defaults (one day, for speed), an
impossible request with its explanation and a working one-click fix, locks and re-optimisation, uploads that
validate (a bad file shows the library's error and keeps the catalogue), the targets editor, the rule editor,
and restoring a session from JSON.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from optimizer.plan import DISCLAIMER, Plan
from optimizer.profile import Profile
from optimizer.request import PlanRequest
from optimizer.targets import targets_for
from ui import results_panel

TIMEOUT_S = 600  # generous: a solve on a loaded 2-core machine can take a while; not a performance assertion
PERSON = Profile(sex="female", age=45)


def start(app_path: str) -> AppTest:
    at = AppTest.from_file(app_path, default_timeout=TIMEOUT_S)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def click(at: AppTest, label: str) -> AppTest:
    """Click the button whose label starts with ``label`` and run the script."""
    matches = [b for b in at.button if b.label.startswith(label)]
    assert matches, f"no button '{label}' among {[b.label for b in at.button]}"
    matches[0].click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def make_one_day_plan(at: AppTest) -> Plan:
    at.radio(key="plan_days").set_value(1)
    click(at, "Make my plan")
    return at.session_state["_plan"]


def texts(elements) -> list[str]:
    return [str(e.value) for e in elements]


def editor_row(key: str) -> int:
    """Row position of a target in the targets editor (the order of targets_for)."""
    return targets_for(PERSON).keys().index(key)


def edit_targets(at: AppTest, rows: dict[str, dict]) -> None:
    """Edit cells of the targets editor the way the browser does (edit state on the editor's key)."""
    editor_key = next(k for k in at.session_state if k.startswith("targets_editor_"))
    at.session_state[editor_key] = {"edited_rows": {editor_row(k): v for k, v in rows.items()},
                                    "added_rows": [], "deleted_rows": []}


@pytest.fixture(scope="module")
def planned(app_path: str) -> AppTest:
    """An app on which the defaults (one day) have been planned once."""
    at = start(app_path)
    plan = make_one_day_plan(at)
    assert plan.has_solution, plan.summary()
    return at


def test_first_page_shows_the_notice_targets_and_rule(app_path: str):
    at = start(app_path)
    assert any(DISCLAIMER in t for t in texts(at.info))
    assert "_plan" not in at.session_state
    editor = next(d for d in at.dataframe if "target" in d.value.columns and "source" in d.value.columns)
    frame = editor.value
    magnesium = frame[frame["target"] == "Magnesium"].iloc[0]
    assert magnesium["min"] == pytest.approx(320)
    assert frame["upper_limit"].any() and set(frame["period"]) <= {"daily", "weekly"}
    assert any("Default precautionary policy" in t for t in texts(at.caption))
    assert at.radio(key="vitd_mode").help and at.selectbox(key="plan_objective").help


def test_profile_changes_the_targets(app_path: str):
    at = start(app_path)
    at.radio(key="profile_sex").set_value("male").run()
    editor = next(d for d in at.dataframe if "target" in d.value.columns and "source" in d.value.columns)
    frame = editor.value
    assert frame[frame["target"] == "Magnesium"].iloc[0]["min"] == pytest.approx(420)
    assert "profile_stage" not in [s.key for s in at.selectbox]  # pregnancy/lactation is asked of women only


def test_defaults_make_a_plan_with_grid_coverage_and_downloads(planned: AppTest):
    at = planned
    plan: Plan = at.session_state["_plan"]
    assert plan.request.days == 1 and plan.request.profile == PERSON
    assert not plan.items.empty
    assert any("cofactor-week-grid" in h for h in texts(at.html))
    assert any(DISCLAIMER in t for t in texts(at.info))
    headings = " ".join(texts(at.markdown))
    for part in ("Meals", "Supplements", "Nutrient coverage", "Magnesium: food first", "Cost"):
        assert part in headings
    labels = [b.label for b in at.download_button]
    assert {"Plan (CSV)", "Plan (Excel)", "Request + plan (JSON)"} <= set(labels)


def test_lock_an_item_and_reoptimise_keeps_it(planned: AppTest):
    at = planned
    before: Plan = at.session_state["_plan"]
    options = at.multiselect(key="edit_lock_items").options
    keep, drop = options[0], options[-1]
    row_keep = before.items.iloc[0]
    drop_food = before.items.iloc[-1]["food_id"]
    assert keep.startswith("Day 1 · ") and str(row_keep["food"]) in keep
    at.multiselect(key="edit_lock_items").set_value([keep])
    at.multiselect(key="edit_exclude").set_value([drop])
    click(at, "Re-optimise the rest")
    after: Plan = at.session_state["_plan"]
    assert after is not before and after.has_solution
    kept = after.items[(after.items["food_id"] == row_keep["food_id"]) & (after.items["meal"] == row_keep["meal"])]
    assert not kept.empty and kept["grams"].sum() == pytest.approx(row_keep["grams"])
    if drop_food != row_keep["food_id"]:
        assert drop_food not in set(after.items["food_id"])
    assert at.session_state["_previous_plan"] is before
    assert any("What changed" in t for t in texts(at.markdown))


def test_infeasible_request_shows_explanation_and_a_fix_that_works(app_path: str):
    at = start(app_path)
    at.radio(key="supp_use").set_value("none")
    at.selectbox(key="diet_pattern").set_value("vegan").run()
    edit_targets(at, {"vitamin_b12_ug": {"min": 50.0}, "fiber_g": {"min": 20.0}})
    at.run()
    plan = make_one_day_plan(at)
    assert plan.request.supplements == () and plan.request.diet_pattern == "vegan"
    assert plan.request.targets["vitamin_b12_ug"].min == pytest.approx(50.0)
    assert not plan.has_solution and plan.explanation is not None
    assert any("Why" in t for t in texts(at.markdown))
    fixes = [b for b in at.button if b.label.startswith("Apply: ")]
    assert fixes
    chosen = next((f for f in plan.explanation.fixes if f.kind == "drop_exclusion"), plan.explanation.fixes[0])
    click(at, f"Apply: {chosen.description}")
    fixed: Plan = at.session_state["_plan"]
    assert fixed is not plan
    assert any(chosen.description in t for t in texts(at.success) + texts(at.warning))
    expected = results_panel.apply_fix(plan.request, chosen)
    assert fixed.request == expected
    assert fixed.request.targets["fiber_g"].min == pytest.approx(20.0)  # other overrides survive the fix
    if chosen.kind == "drop_exclusion" and chosen.request_update.get("diet_pattern"):
        assert at.selectbox(key="diet_pattern").value == chosen.request_update["diet_pattern"]  # controls follow


GOOD_FOODS = b"food_id,name,energy_kcal,protein_g,magnesium_mg\nX100,Test seed bar,450,12,320\n"
BAD_FOODS = b"food_id,energy_kcal\nX200,100\n"  # no name column


def test_uploads_validate_and_a_bad_file_keeps_the_catalogue(app_path: str):
    at = start(app_path)
    at.file_uploader(key="upload_custom_foods").upload("my_foods.csv", GOOD_FOODS, "text/csv")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("my_foods.csv loaded" in t for t in texts(at.success))
    table = at.session_state["_foods"]
    assert "X100" in table
    at.text_input(key="food_search").input("Test seed bar").run()
    assert "Test seed bar [X100]" in at.multiselect(key="liked_foods").options

    at.file_uploader(key="upload_custom_foods").set_value(("broken.csv", BAD_FOODS, "text/csv"))
    at.run()
    errors = " ".join(texts(at.error))
    assert "broken.csv was not loaded" in errors and "name" in errors
    assert at.session_state["_foods"] is table and len(at.session_state["_custom_foods"]) == 1

    at.file_uploader(key="upload_price_list").upload("prices.csv", b"food_id,price,grams\nNOPE1,2.50,454\n", "text/csv")
    at.run()
    errors = " ".join(texts(at.error))
    assert "prices.csv was not loaded" in errors and "NOPE1" in errors
    assert at.session_state["_foods"] is table and "_price_lists" not in at.session_state


def test_invalid_rule_is_reported_and_blocks_solving(app_path: str):
    at = start(app_path)
    rule_key = next(k for k in at.session_state if k.startswith("rule_editor_"))
    at.session_state[rule_key] = {"edited_rows": {1: {"extra_magnesium_mg": 80.0}, 2: {"extra_magnesium_mg": 20.0}},
                                  "added_rows": [], "deleted_rows": []}
    at.run()
    assert any("rule is not valid" in t and "decreases" in t for t in texts(at.error))
    at.radio(key="plan_days").set_value(1)
    click(at, "Make my plan")
    assert "_plan" not in at.session_state
    assert any("fix it first" in t for t in texts(at.error))


def test_restore_a_session_from_json(app_path: str):
    at = start(app_path)
    request = PlanRequest(profile=Profile(sex="male", age=30), days=1, diet_pattern="vegetarian",
                          vitamin_d_supplement_ug=50, exclude_allergens=("peanut",), objective="cost")
    at.file_uploader(key="restore_json").upload("saved.json", request.model_dump_json().encode(), "application/json")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.radio(key="profile_sex").value == "male"
    assert at.radio(key="plan_days").value == 1
    assert at.selectbox(key="diet_pattern").value == "vegetarian"
    assert at.multiselect(key="exclude_allergens").value == ["peanut"]
    assert at.radio(key="vitd_mode").value == "daily"
    assert at.number_input(key="vitd_dose").value == pytest.approx(50)
    assert at.selectbox(key="plan_objective").value == "cost"

    at.file_uploader(key="restore_json").set_value(("junk.json", b"{not json", "application/json"))
    at.run()
    assert any("junk.json was not restored" in t for t in texts(at.error))
    assert at.selectbox(key="diet_pattern").value == "vegetarian"


def test_restore_a_saved_plan_shows_it(app_path: str, planned: AppTest):
    saved: Plan = planned.session_state["_plan"]
    at = start(app_path)
    payload = json.dumps(json.loads(saved.model_dump_json())).encode()
    at.file_uploader(key="restore_json").upload("plan.json", payload, "application/json")
    at.run()
    restored: Plan = at.session_state["_plan"]
    assert restored.item_rows == saved.item_rows
    assert any("cofactor-week-grid" in h for h in texts(at.html))
