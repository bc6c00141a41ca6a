"""Persistence round trips, migrations, crash safety and concurrent writers of optimizer.storage."""

from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import date

import pytest
from pydantic import ValidationError

from foods.errors import PriceListError
from optimizer.dietitian.migrations import LATEST_VERSION, migrate, schema_version
from optimizer.dietitian.store import (
    ClientRecord,
    DuplicateError,
    NotFoundError,
    StorageError,
    Store,
    resolve_db_path,
)
from optimizer.domain.profile import Profile
from tests.optimizer.conftest import sample_plan


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "c.sqlite3")


def add_alice(store: Store) -> ClientRecord:
    return store.add_client(name="Alice Example", profile=Profile(sex="female", age=40), notes="likes oats",
                            exclusions={"diet_pattern": "vegetarian", "allergens": ["peanut"]},
                            preferred_supplements=["d3_50"], plan_defaults={"vitamin_d_supplement_ug": 50})


def test_client_round_trip_and_request(store):
    alice = add_alice(store)
    assert alice.id is not None and alice.created_at is not None
    again = store.get_client("Alice Example")
    assert again == store.get_client(alice.id)
    assert again.exclusions.diet_pattern == "vegetarian" and again.exclusions.allergens == ("peanut",)
    request = again.to_request(days=3)
    assert request.profile == Profile(sex="female", age=40)
    assert request.diet_pattern == "vegetarian" and request.exclude_allergens == ("peanut",)
    assert request.supplements == ("d3_50",) and request.vitamin_d_supplement_ug == 50 and request.days == 3
    assert [c.name for c in store.list_clients()] == ["Alice Example"]


def test_client_errors_are_clear(store):
    add_alice(store)
    with pytest.raises(DuplicateError, match="already exists"):
        add_alice(store)
    with pytest.raises(NotFoundError, match="Known clients: Alice Example"):
        store.get_client("Bob")
    with pytest.raises(ValidationError, match="not PlanRequest fields"):
        store.add_client(name="Bob", profile=Profile(sex="male", age=30), plan_defaults={"dayz": 3})
    with pytest.raises(ValidationError, match="extra"):
        ClientRecord(name="Bob", profile=Profile(sex="male", age=30), favourite_colour="red")


def test_update_and_delete_client_protects_plans(store):
    add_alice(store)
    updated = store.update_client("Alice Example", notes="prefers soup", name="Alice E.")
    assert updated.notes == "prefers soup" and updated.name == "Alice E."
    assert updated.updated_at >= updated.created_at
    store.save_plan("Alice E.", sample_plan(), "2026-11-30")
    with pytest.raises(StorageError, match="1 saved plan"):
        store.delete_client("Alice E.")
    assert len(store.list_plans("Alice E.")) == 1
    store.delete_client("Alice E.", delete_plans=True)
    assert store.list_clients() == [] and store.list_plans() == []


def test_plan_round_trip_versions_and_status(store):
    add_alice(store)
    plan = sample_plan()
    first = store.save_plan("Alice Example", plan, date(2026, 11, 30), author_note="first go")
    second = store.save_plan("Alice Example", plan, "2026-11-30", status="final")
    other_week = store.save_plan("Alice Example", plan, "2026-12-07")
    loaded = store.get_plan(first, verify=False)  # storage fidelity: the hand-built plan exactly as saved
    assert loaded == plan
    assert loaded.items.equals(plan.items) and loaded.totals.equals(plan.totals)
    assert store.get_plan_request(first) == plan.request
    assert not store.get_plan(first).has_solution  # by default every load re-checks: the hand-built plan is not real
    records = {r.id: r for r in store.list_plans("Alice Example")}
    assert (records[first].version, records[second].version, records[other_week].version) == (1, 2, 1)
    assert records[first].author_note == "first go" and records[second].status == "final"
    assert records[first].cost == pytest.approx(1.0)  # two priced oat items at 0.5
    assert [r.id for r in store.list_plans("Alice Example", "2026-11-30")] == [second, first]
    assert store.latest_plan("Alice Example").id == other_week
    assert store.set_status(first, "final").status == "final"
    with pytest.raises(StorageError, match="draft' or 'final"):
        store.set_status(first, "done")
    with pytest.raises(NotFoundError, match="No saved plan with id 999"):
        store.get_plan(999)


def test_unsolved_plan_is_never_saved(store):
    add_alice(store)
    with pytest.raises(StorageError, match="no usable solution"):
        store.save_plan("Alice Example", sample_plan(has_solution=False), "2026-11-30")
    assert store.list_plans() == []


def test_exception_mid_transaction_rolls_back(store):
    add_alice(store)
    kept = store.save_plan("Alice Example", sample_plan(), "2026-11-30")
    with pytest.raises(RuntimeError, match="power cut"):
        with store.transaction() as conn:
            conn.execute("DELETE FROM plans")
            conn.execute("UPDATE clients SET notes = 'changed'")
            raise RuntimeError("power cut")
    assert [r.id for r in store.list_plans()] == [kept]
    assert store.get_client("Alice Example").notes == "likes oats"
    assert store.get_plan(kept, verify=False) == sample_plan()


def _die_mid_write(path: str) -> None:
    import os

    store = Store(path)
    with store.transaction() as conn:
        conn.execute("DELETE FROM plans")
        conn.execute("UPDATE clients SET notes = 'half-written'")
        os._exit(3)  # the process dies before COMMIT (as in a crash or a killed solver run)


def test_process_killed_mid_write_loses_nothing(store):
    add_alice(store)
    kept = store.save_plan("Alice Example", sample_plan(), "2026-11-30")
    proc = multiprocessing.get_context("fork").Process(target=_die_mid_write, args=(str(store.path),))
    proc.start()
    proc.join()
    assert proc.exitcode == 3
    assert [r.id for r in store.list_plans()] == [kept] and store.get_plan(kept, verify=False) == sample_plan()
    assert store.get_client("Alice Example").notes == "likes oats"
    assert store.integrity_check() == "ok"
    assert store.save_plan("Alice Example", sample_plan(), "2026-11-30") == kept + 1  # the store is writable again


def test_price_lists(store):
    csv_text = "food_id,price,quantity,unit\n08120,2.50,1,lb\n"
    assert store.list_price_lists() == []
    pid = store.save_price_list("Corner shop", csv_text)
    assert store.get_price_list("Corner shop").csv_text == csv_text
    assert store.get_price_list(pid).to_frame()["food_id"].tolist() == ["08120"]
    with pytest.raises(DuplicateError):
        store.save_price_list("Corner shop", csv_text)
    assert store.save_price_list("Corner shop", csv_text.replace("2.50", "3.00"), replace=True) == pid
    assert "3.00" in store.get_price_list("Corner shop").csv_text
    assert [p.name for p in store.list_price_lists()] == ["Corner shop"]
    prices = store.get_price_list("Corner shop").to_price_list()
    assert prices.price_per_100g("08120") == pytest.approx(3.00 / 453.59237 * 100)
    with pytest.raises(PriceListError, match="food_id"):
        store.save_price_list("Bad", "name,price\noats,1\n")
    with pytest.raises(PriceListError, match="row 2, column 'price'"):
        store.save_price_list("Bad", "food_id,price,quantity,unit\n08120,cheap,1,lb\n")
    assert [p.name for p in store.list_price_lists()] == ["Corner shop"]


def test_locations(tmp_path, monkeypatch):
    monkeypatch.setenv("COFACTOR_DB", str(tmp_path / "env.sqlite3"))
    assert Store().path == tmp_path / "env.sqlite3"
    assert resolve_db_path("sqlite:////abs/x.db").as_posix() == "/abs/x.db"
    assert resolve_db_path("sqlite:///rel/x.db").as_posix() == "rel/x.db"
    url_store = Store(f"sqlite:///{tmp_path / 'url.sqlite3'}")
    assert url_store.path == tmp_path / "url.sqlite3" and url_store.schema_version == LATEST_VERSION
    with pytest.raises(StorageError, match="clinic backend"):
        Store("postgresql://clinic.example/cofactor")
    with pytest.raises(StorageError, match="in-memory"):
        Store("sqlite:///:memory:")


def test_upgrade_v1_database_to_latest(tmp_path):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, target=1) == 1
    conn.execute(
        "INSERT INTO clients (name, profile, created_at, updated_at) VALUES (?, ?, ?, ?)",
        ("Old Client", Profile(sex="male", age=60).model_dump_json(), "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00"),
    )
    plan = sample_plan()
    conn.execute(
        "INSERT INTO plans (client_id, week_start, version, status, request, result, created_at) VALUES (1, ?, 1, 'final', ?, ?, ?)",
        ("2026-01-05", plan.request.model_dump_json(), plan.model_dump_json(), "2026-01-05T00:00:00+00:00"),
    )
    conn.close()

    store = Store(path)
    assert store.schema_version == LATEST_VERSION == 2
    client = store.get_client("Old Client")
    assert client.plan_defaults == {} and client.profile.age == 60
    (record,) = store.list_plans("Old Client")
    assert record.status == "final" and record.has_solution and record.solver_status == "optimal"
    assert record.cost == pytest.approx(1.0)  # backfilled from the stored result
    assert store.get_plan(record.id, verify=False) == plan
    assert store.integrity_check() == "ok"


def test_newer_database_is_refused(tmp_path):
    path = tmp_path / "new.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(Exception, match="newer than this build"):
        Store(path)
    conn = sqlite3.connect(path)
    assert schema_version(conn) == LATEST_VERSION + 1
    conn.close()


def _writer(path: str, worker: int, saves: int) -> None:
    store = Store(path)
    plan = sample_plan(days=1)
    for k in range(saves):
        store.save_plan(f"client {worker % 2}", plan, "2026-11-30", author_note=f"w{worker} #{k}")


def test_parallel_writers_do_not_corrupt(tmp_path):
    path = str(tmp_path / "shared.sqlite3")
    store = Store(path)
    for k in range(2):
        store.add_client(name=f"client {k}", profile=Profile(sex="female", age=30 + k))
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(path, w, 25)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    records = store.list_plans()
    assert len(records) == 100
    for k in range(2):  # versions per (client, week) are unique and gapless
        versions = sorted(r.version for r in records if r.client_name == f"client {k}")
        assert versions == list(range(1, 51))
    assert len({r.author_note for r in records}) == 100
    assert store.integrity_check() == "ok"


def test_client_settings_must_make_a_valid_request(store):
    with pytest.raises(ValidationError, match="do not make a valid plan request.*days"):
        store.add_client(name="Ivy", profile=Profile(sex="female", age=30), plan_defaults={"days": 30})
    add_alice(store)
    with pytest.raises(ValidationError, match="do not make a valid plan request"):
        store.update_client("Alice Example", plan_defaults={"vitamin_d_supplement_ug": 10, "vitamin_d_weekly_supplement_ug": 1250})
    assert store.get_client("Alice Example").plan_defaults == {"vitamin_d_supplement_ug": 50}


def _open_new(path: str, barrier) -> None:
    barrier.wait()
    store = Store(path)
    assert store.schema_version == LATEST_VERSION


def test_processes_creating_a_new_store_at_once(tmp_path):
    path = str(tmp_path / "fresh.sqlite3")
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(4)
    procs = [ctx.Process(target=_open_new, args=(path, barrier)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    store = Store(path)
    assert store.schema_version == LATEST_VERSION and store.integrity_check() == "ok"
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
