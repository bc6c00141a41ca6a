"""The Clients page (ui/clients.py) driven by Streamlit's AppTest, with the store in a temporary file."""

from __future__ import annotations

import functools

import pytest
from streamlit.testing.v1 import AppTest

from optimizer.dietitian.store import Store
from optimizer.domain.profile import Profile


@functools.cache
def make_plan(days: int = 2):
    """A real plan for a woman of 40: every load re-checks a saved plan from the catalogue (issue 9), so the plans
    these tests save and reopen must be real ones (a hand-built plan comes back as failed)."""
    import optimizer
    from optimizer.domain.request import PlanRequest
    from tests.optimizer.conftest import QUICK

    return optimizer.plan(PlanRequest(profile=Profile(sex="female", age=40), vitamin_d_supplement_ug=50,
                                      **{**QUICK, "days": days}))


def _page() -> None:
    from ui.clients import render

    render()


@pytest.fixture
def store(tmp_path, monkeypatch) -> Store:
    path = tmp_path / "ui.sqlite3"
    monkeypatch.setenv("COFACTOR_DB", str(path))
    return Store(path)


def run_page() -> AppTest:
    at = AppTest.from_function(_page, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_add_a_client(store):
    at = run_page()
    assert at.selectbox(key="clients_choice").value == "New client"
    at.text_input(key="client_new_name").input("Dana Dietz")
    at.number_input(key="client_new_age").set_value(52.0)
    at.selectbox(key="client_new_diet").set_value("pescatarian")
    at.multiselect(key="client_new_allergens").set_value(["peanut"])
    at.number_input(key="client_new_vitd").set_value(25.0)
    at.text_area(key="client_new_notes").input("new in November")
    at.button(key="client_new_save").click()
    at.run()
    assert not at.exception, at.exception
    client = store.get_client("Dana Dietz")
    assert client.profile.age == 52 and client.exclusions.diet_pattern == "pescatarian"
    assert client.exclusions.allergens == ("peanut",) and client.plan_defaults == {"vitamin_d_supplement_ug": 25.0}
    assert client.notes == "new in November"
    assert at.selectbox(key="clients_choice").value == "Dana Dietz"
    assert any("Saved client 'Dana Dietz'" in s.value for s in at.success)


def test_invalid_client_is_not_saved(store):
    at = run_page()
    at.text_input(key="client_new_name").input("Ed")
    at.selectbox(key="client_new_sex").set_value("male")
    at.selectbox(key="client_new_stage").set_value("pregnant")
    at.button(key="client_new_save").click()
    at.run()
    assert any("pregnant/lactating applies to sex='female' only" in e.value for e in at.error)
    assert store.list_clients() == []


def test_saved_plans_open_export_and_status(store):
    client = store.add_client(name="Alice Example", profile=Profile(sex="female", age=40))
    plan = make_plan(days=2)
    plan_id = store.save_plan(client, plan, "2026-11-30", author_note="first")
    at = run_page()
    assert at.selectbox(key="clients_choice").value == "Alice Example"
    history = at.dataframe[0].value
    assert list(history["id"]) == [plan_id] and list(history["note"]) == ["first"]
    assert len(at.get("download_button")) == 2
    at.button(key=f"plan_{plan_id}_open").click()
    at.run()
    assert at.session_state["_plan"] == plan and at.session_state["_request"] == plan.request
    assert any("Opened" in s.value for s in at.success)
    at.button(key=f"plan_{plan_id}_status").click()
    at.run()
    assert store.get_plan_record(plan_id).status == "final"


def test_saving_an_opened_plan_adds_a_version_of_its_week(store):
    from datetime import date

    client = store.add_client(name="Alice Example", profile=Profile(sex="female", age=40))
    week = date(2020, 1, 6)  # a past Monday: never the default next Monday
    plan_id = store.save_plan(client, make_plan(days=2), week)
    at = run_page()
    assert f"client_{client.id}_save_week" not in [d.key for d in at.date_input]  # nothing in the Planner yet
    at.button(key=f"plan_{plan_id}_open").click()
    at.run()
    assert at.date_input(key=f"client_{client.id}_save_week").value == week
    at.button(key=f"client_{client.id}_save_plan").click()
    at.run()
    assert not at.exception, at.exception
    records = store.list_plans(client)
    assert sorted((r.week_start, r.version) for r in records) == [(week, 1), (week, 2)]


def test_save_the_planners_plan_then_edit_profile(store):
    client = store.add_client(name="Bea", profile=Profile(sex="female", age=40))  # the profile the plan was made for
    at = AppTest.from_function(_page, default_timeout=60)
    at.session_state["_plan"] = make_plan(days=1)
    at.run()
    at.text_input(key=f"client_{client.id}_save_note").input("from the planner")
    at.button(key=f"client_{client.id}_save_plan").click()
    at.run()
    assert not at.exception, at.exception
    (record,) = store.list_plans("Bea")
    assert record.author_note == "from the planner" and record.version == 1
    assert store.get_plan(record.id) == make_plan(days=1)
    at.number_input(key=f"client_{client.id}_age").set_value(41.0)
    at.button(key=f"client_{client.id}_save").click()
    at.run()
    assert store.get_client("Bea").profile.age == 41
    at.button(key=f"client_{client.id}_remove").click()
    at.run()
    assert any("1 saved plan" in e.value for e in at.error)
    assert [c.name for c in store.list_clients()] == ["Bea"]


def test_a_plan_made_for_another_profile_is_refused_then_replanned_for_the_client(store):
    from tests.optimizer.conftest import QUICK

    client = store.add_client(name="Gus", profile=Profile(sex="male", age=62))
    made_for_other = make_plan(days=1)  # made for a woman of 40 (the Planner's sidebar profile)
    quick = made_for_other.request.model_copy(update=QUICK)  # small and fast
    made_for_other = made_for_other.model_copy(update={"request": quick})
    at = AppTest.from_function(_page, default_timeout=120)
    at.session_state["_plan"] = made_for_other
    at.run()
    assert f"client_{client.id}_save_plan" not in [b.key for b in at.button]  # no plain save
    warning = " ".join(w.value for w in at.warning)
    assert "not made for Gus" in warning and "female, 40 years" in warning and "male, 62 years" in warning
    assert store.list_plans("Gus") == []
    at.button(key=f"client_{client.id}_replan_save").click()
    at.run()
    assert not at.exception, at.exception
    (record,) = store.list_plans("Gus")
    saved = store.get_plan(record.id)
    assert saved.request.profile == client.profile and saved.has_solution
    assert saved.request.vitamin_d_supplement_ug == 50  # the Planner's other settings are kept
    assert at.selectbox(key=f"client_{client.id}_plan_choice").value == record.id  # the new plan is selected


def test_client_form_shows_words_not_codes_and_excludes_foods_by_name(store):
    client = store.add_client(name="Ida", profile=Profile(sex="female", age=40, activity="low_active"),
                              preferred_supplements=("combo_d3_1000iu_mg_citrate_100mg",))
    at = run_page()
    k = f"client_{client.id}_"
    assert at.selectbox(key=k + "activity").format_func("low_active") == "Low active"
    assert at.selectbox(key=k + "stage").format_func("none") == "Neither"
    assert at.number_input(key=k + "age").format == "%g"
    supplements = at.multiselect(key=k + "supplements")
    assert "combo" not in supplements.format_func("combo_d3_1000iu_mg_citrate_100mg")
    foods = at.multiselect(key=k + "foods")
    assert foods.format_func("12061").startswith("Nuts, almonds")
    foods.set_value(["12061"])
    at.button(key=k + "save").click()
    at.run()
    assert store.get_client("Ida").exclusions.foods == ("12061",)
    assert [t.label for t in at.tabs] == ["Plans", "Profile"]


# -- one real-browser run: open a saved plan in the Planner, save it again, export the PDF ---------------------
UI_TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def browser_store(tmp_path_factory):
    """A store with one client and one saved plan; COFACTOR_DB points the Streamlit server at it."""
    import os

    path = tmp_path_factory.mktemp("clients_browser") / "browser.sqlite3"
    old = os.environ.get("COFACTOR_DB")
    os.environ["COFACTOR_DB"] = str(path)
    store = Store(path)
    client = store.add_client(name="Alice Example", profile=Profile(sex="female", age=40))
    store.save_plan(client, make_plan(days=2), "2026-11-30", author_note="from the clinic")
    yield store
    if old is None:
        os.environ.pop("COFACTOR_DB", None)
    else:
        os.environ["COFACTOR_DB"] = old


@pytest.mark.browser
def test_browser_save_reopen_export(browser_store, browser, streamlit_url, tmp_path):
    import pypdf
    from playwright.sync_api import expect

    expect.set_options(timeout=UI_TIMEOUT_MS)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    try:
        page.goto(streamlit_url, wait_until="domcontentloaded")
        page.get_by_role("link", name="Clients").click()
        expect(page.get_by_role("heading", name="Clients")).to_be_visible()
        page.get_by_role("button", name="Open in the Planner").click()
        expect(page.get_by_text("Opened: go to the Planner page").first).to_be_visible()

        page.get_by_role("link", name="Planner").click()  # same session: the saved plan is the planner's plan
        grid = page.locator("table.cf-grid")
        expect(grid).to_be_visible()
        expect(grid.get_by_text(make_plan(days=2).item_rows[0].food[:20]).first).to_be_visible()

        page.get_by_role("link", name="Clients").click()
        page.get_by_role("button", name="Save plan for this client").click()
        expect(page.get_by_text("Saved plan 2 for Alice Example").first).to_be_visible()
        versions = sorted(r.version for r in browser_store.list_plans("Alice Example"))
        assert versions == [1, 2]
        assert browser_store.get_plan(2).item_rows == browser_store.get_plan(1).item_rows

        with page.expect_download() as info:
            page.get_by_role("button", name="Download PDF").click()
        target = tmp_path / "plan.pdf"
        info.value.save_as(str(target))
        text = " ".join(p.extract_text() for p in pypdf.PdfReader(target).pages)
        assert "2-day plan for Alice Example" in text and make_plan(days=2).item_rows[0].food[:20] in text and "not medical advice" in text
    finally:
        context.close()


def test_prescription_in_iu_shows_in_ug_and_survives_an_edit(store):
    client = store.add_client(name="Ida", profile=Profile(sex="female", age=45),
                              plan_defaults={"vitamin_d_supplement_iu": 2000})
    at = run_page()
    assert at.number_input(key=f"client_{client.id}_vitd").value == pytest.approx(50.0)
    at.text_area(key=f"client_{client.id}_notes").input("edited")
    at.button(key=f"client_{client.id}_save").click()
    at.run()
    saved = store.get_client("Ida")
    assert saved.notes == "edited" and saved.to_request().vitamin_d_supplement_ug == pytest.approx(50.0)


def test_compare_two_saved_versions(store):
    client = store.add_client(name="Jo", profile=Profile(sex="female", age=40))
    first = make_plan(days=2)
    dropped = first.item_rows[0]
    second = first.model_copy(update={"item_rows": [r for r in first.item_rows if r.food_id != dropped.food_id]})
    removed = sum(r.food_id == dropped.food_id for r in first.item_rows)
    store.save_plan(client, first, "2026-11-30")
    newest = store.save_plan(client, second, "2026-11-30")
    at = run_page()
    text = next(t.value for t in at.text if t.value.startswith("From #1 to #2"))
    assert f"0 item(s) added, {removed} removed, 0 changed" in text and dropped.food in text
    assert at.selectbox(key=f"plan_{newest}_compare").value == 1


def test_plan_a_week_from_the_page(store):
    from tests.optimizer.conftest import QUICK

    client = store.add_client(name="Kim", profile=Profile(sex="male", age=60), plan_defaults=QUICK)
    at = run_page()
    at.button(key=f"client_{client.id}_plan_now").click()
    at.run()
    assert not at.exception, at.exception
    (record,) = store.list_plans("Kim")
    assert record.status == "draft" and record.has_solution
    assert any(f"Planned and saved plan {record.id}" in s.value for s in at.success)
    at.checkbox(key=f"client_{client.id}_like_last").check()
    at.button(key=f"client_{client.id}_plan_now").click()
    at.run()
    latest = store.latest_plan("Kim")
    assert latest.version == 2 and store.get_plan(latest.id).request.objective == "minimal_change"


def test_usual_diet_is_shown(store):
    from optimizer.domain.request import UsualItem

    client = store.add_client(name="Max", profile=Profile(sex="male", age=44),
                              usual_diet=(UsualItem(food_id="08120", grams=234.0, meal="breakfast"),))
    at = run_page()
    table = next(d.value for d in at.dataframe if "food_id" in d.value.columns)
    assert list(table["food_id"]) == ["08120"] and list(table["grams"]) == [234.0]
    at.button(key=f"client_{client.id}_usual_clear").click()
    at.run()
    assert store.get_client("Max").usual_diet == ()
