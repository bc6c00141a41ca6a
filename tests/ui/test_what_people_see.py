"""Issue 14: what a person sees in the app is right (units, labels, status words, swaps, fixes, uploads).

Driven headlessly with ``streamlit.testing.v1.AppTest`` over the real app, real solvers and real catalogues.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.ui.test_app import start


def test_switching_the_unit_converts_the_number_never_the_dose(app_path: str):
    at = start(app_path)
    at.radio(key="vitd_mode").set_value("daily").run()
    assert at.number_input(key="vitd_dose").value == 50.0
    at.number_input(key="vitd_dose").set_value(50.0).run()
    at.selectbox(key="vitd_unit").set_value("IU").run()
    assert not at.exception
    assert at.number_input(key="vitd_dose").value == 2000.0
    assert any("= 50.0 µg = 2,000 IU per day" in c.value for c in at.caption)
    at.selectbox(key="vitd_unit").set_value("µg").run()
    assert at.number_input(key="vitd_dose").value == 50.0
    assert any("= 50.0 µg = 2,000 IU per day" in c.value for c in at.caption)


def _page_text(at: AppTest) -> str:
    parts = [str(e.value) for kind in ("markdown", "caption", "error", "warning", "info", "success") for e in
             getattr(at, kind)]
    parts += [b.label for b in at.button]
    parts += [df.value.to_string(index=False) for df in at.dataframe if "Needed" in df.value.columns]  # shortfalls
    return "\n".join(parts)


def _show(app_path: str, plan) -> AppTest:
    at = start(app_path)
    at.session_state["_plan"] = plan
    at.session_state["_request"] = plan.request
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_timed_out_run_without_a_plan_never_claims_a_best_plan(app_path: str):
    from tests.optimizer.conftest import sample_plan as make_plan

    timed_out = make_plan(days=1, has_solution=False).model_copy(update={"status": "time_limit"})
    at = _show(app_path, timed_out)
    text = _page_text(at)
    assert "Time limit reached before any plan was found." in text
    assert "best plan found so far" not in text


def test_an_impossible_target_is_explained_in_words_and_its_fix_is_honest(app_path: str):
    import optimizer

    request = optimizer.PlanRequest(profile=optimizer.Profile(sex="female", age=45), days=1, supplements=(),
                                    targets={"magnesium_mg": {"min": 5000}})
    at = _show(app_path, optimizer.plan(request))
    text = _page_text(at)
    assert "Magnesium" in text and "5,000" in text
    for raw in ("magnesium_mg", "e+0", "{'", "ClinicianOverride(", " ug"):
        assert raw not in text, raw
    relax = next(b for b in at.button if b.label.startswith("Apply: Lower the Magnesium minimum"))
    assert "may still not be enough" in relax.label  # whole portions: the any-gram check cannot promise it
    summary = next(m.value for m in at.markdown if m.value.startswith("#### Why"))
    bullets = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert not any(b[2:] in summary for b in bullets)  # the summary is not repeated as a bullet
    relax.click()
    at.run()
    assert not at.exception
    after = at.session_state["_plan"]
    assert after.request.targets["magnesium_mg"].min < 5000
    if not after.has_solution:  # an honest follow-up: it names what is missed, not a contradiction of limits
        assert "contradict" not in after.explanation.summary


def test_a_clinician_override_is_a_small_form(app_path: str):
    import optimizer

    request = optimizer.PlanRequest(profile=optimizer.Profile(sex="female", age=45), days=1,
                                    vitamin_d_supplement_iu=5000)
    plan = optimizer.plan(request)
    assert not plan.has_solution
    at = _show(app_path, plan)
    assert not any("clinician_override" in b.label for b in at.button)
    key = next(t.key for t in at.text_input if t.key.endswith("_clinician_name"))
    prefix = key[: -len("_name")]
    at.text_input(key=prefix + "_name").input("Dr. Rao")
    at.text_input(key=prefix + "_reason").input("documented deficiency")
    at.number_input(key=prefix + "_limit").set_value(125.0)
    next(b for b in at.button if b.label == "Apply the override and plan again").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.run()
    after = at.session_state["_plan"]
    assert after.request.clinician_override is not None
    assert after.request.clinician_override.clinician == "Dr. Rao"
    assert after.has_solution, after.explanation


def test_forget_uploaded_files_forgets_them(app_path: str):
    from tests.ui.test_app import BAD_FOODS, GOOD_FOODS

    at = start(app_path)
    at.file_uploader(key="upload_custom_foods").upload("good.csv", GOOD_FOODS, "text/csv")
    at.run()
    assert any(c.value.startswith("In effect: Custom foods: good.csv") for c in at.caption)
    next(b for b in at.button if b.key == "clear_uploads").click()
    at.run()
    at.run()  # the next run must not load the file again
    assert not any(c.value.startswith("In effect") for c in at.caption)
    assert "_custom_foods" not in at.session_state and "_foods" not in at.session_state
    boxes = [u for u in at.get("file_uploader") if "custom" in str(u.proto.label).lower()]
    assert boxes and all(not u.value for u in boxes)  # the upload box is empty again
    at.file_uploader(key=boxes[0].key).upload("broken.csv", BAD_FOODS, "text/csv")
    at.run()
    errors = " ".join(e.value for e in at.error)
    assert "broken.csv was not loaded" in errors and "cofactor-upload-" not in errors and "/tmp" not in errors


def test_removing_a_food_replans_only_the_days_that_had_it(app_path: str):
    from optimizer.editing import compare_plans
    from tests.ui.test_app import click

    at = start(app_path)
    click(at, "Make my plan")  # the default week
    week = at.session_state["_plan"]
    assert week.has_solution and week.request.days == 7
    items = week.items
    days_of = items.groupby("food_id")["day"].nunique()
    food = str(days_of.idxmin())  # a food eaten on the fewest days
    had_it = set(items.loc[items["food_id"] == food, "day"])
    options = at.multiselect(key="edit_exclude").options
    from ui.edit_panel import plan_foods

    assert plan_foods(week)[food] in options and len(options) == items["food_id"].nunique()  # foods, not items
    lock = next(o for o in at.multiselect(key="edit_lock_items").options if o.startswith("Day 1 · "))
    at.multiselect(key="edit_lock_items").set_value([lock])  # a lock too (released if it is the removed food)
    at.multiselect(key="edit_exclude").set_value([food])
    click(at, "Re-optimise the rest")
    after = at.session_state["_plan"]
    assert after.has_solution and food not in set(after.items["food_id"])

    def day(plan, d):
        rows = plan.items[plan.items["day"] == d]
        return sorted(rows[["meal", "food_id", "grams"]].itertuples(index=False, name=None))

    for d in set(range(1, 8)) - had_it:
        assert day(after, d) == day(week, d), f"day {d} had no {food} but changed"
    diff = compare_plans(week, after)
    assert {int(r["day"]) for r in diff.items_frame().to_dict("records")} <= had_it
    assert after.runtime_s == week.runtime_s  # the week's own figures (the status is the worse of week and days)
    assert any("Re-planned day" in c.value for c in at.caption)  # the edit is shown with the week's status


def test_coverage_bars_beyond_the_axis_are_labelled_with_their_true_percent():
    import pandas as pd

    from ui import charts, views

    cov = pd.DataFrame([
        {"target": "vitamin_c_mg", "label": "Vitamin C", "unit": "mg", "period": "daily", "day": views.WEEK_AVERAGE,
         "value": 309.0, "min": 75.0, "max": 2000.0, "reference": 75.0, "pct": 412.0, "max_pct": 2666.7,
         "is_upper_limit": True, "unknown_foods": 0, "status": "met"},
        {"target": "iron_mg", "label": "Iron", "unit": "mg", "period": "daily", "day": views.WEEK_AVERAGE,
         "value": 9.0, "min": 18.0, "max": 45.0, "reference": 18.0, "pct": 50.0, "max_pct": 250.0,
         "is_upper_limit": True, "unknown_foods": 0, "status": "below target"},
    ])
    spec = charts.coverage_chart(cov).to_dict()
    texts = [layer for layer in spec["layer"] if (layer.get("mark") or {}).get("type") == "text"]
    assert texts, "no labels for bars cut off at the axis"
    values = [row for name, rows in spec["datasets"].items() for row in rows if "pct_text" in row]
    assert [r["pct_text"] for r in values] == ["412 %"]  # only the clipped bar, with its true value
    y_axis = spec["layer"][0]["encoding"]["y"]["axis"]
    assert y_axis["labelLimit"] <= 120  # labels leave a phone most of its width


def test_targets_table_has_no_empty_row_and_the_deploy_button_is_hidden(app_path: str):
    import tomllib
    from pathlib import Path

    at = start(app_path)
    editor = next(e for e in at.dataframe if "targets_editor" in e.proto.id)
    assert editor.proto.editing_mode == 1  # FIXED: no trailing row to add targets that do not exist
    config = tomllib.loads((Path(app_path).parent / ".streamlit" / "config.toml").read_text())
    assert config["client"]["toolbarMode"] == "minimal"
    summary = [m for m in at.metric] if hasattr(at, "metric") else []
    assert all(len(str(m.value)) <= 12 for m in summary)
