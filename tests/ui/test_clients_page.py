"""The Clients page (ui/clients.py) driven by Streamlit's AppTest, with the store in a temporary file."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from optimizer.profile import Profile
from optimizer.storage import Store
from tests.optimizer.test_storage import make_plan


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
    assert at.selectbox(key="clients_choice").value == "➕ New client"
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


def test_save_the_planners_plan_then_edit_profile(store):
    client = store.add_client(name="Bea", profile=Profile(sex="female", age=30))
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
    at.number_input(key=f"client_{client.id}_age").set_value(31.0)
    at.button(key=f"client_{client.id}_save").click()
    at.run()
    assert store.get_client("Bea").profile.age == 31
    at.button(key=f"client_{client.id}_remove").click()
    at.run()
    assert any("1 saved plan" in e.value for e in at.error)
    assert [c.name for c in store.list_clients()] == ["Bea"]
