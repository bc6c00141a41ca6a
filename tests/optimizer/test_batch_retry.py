"""A batch worker killed with SIGKILL (as ``kill -9`` or the OOM killer would) breaks the local process pool and
every client still queued on it. Those clients are run again on a fresh pool and reported as retried; clients
that finished are not run twice. Real spawn-based ProcessPoolExecutor, real solves of tiny 1-day requests."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest

from optimizer.dietitian.batch import BatchJob, plan_batch, plan_one
from optimizer.domain.request import PlanRequest

MARKER_ENV = "COFACTOR_TEST_KILL_MARKER"
TINY_FOODS = ["12014", "16015", "09040", "11457", "20121", "08180", "01117", "09003", "16398"]


def tiny_request(protein_g: float) -> PlanRequest:
    return PlanRequest.model_validate({
        "targets": {"protein_g": {"min": protein_g}, "magnesium_mg": {"min": 300},
                    "energy_kcal": {"min": 1500, "max": 2200}},
        "days": 1, "portions": "continuous", "supplements": [], "candidates": "all", "food_ids": TINY_FOODS,
        "min_foods_per_day": 0,
    })


def dies_once(name: str, request_json: str, solver: str | None = None, time_limit_s: float | None = None) -> dict[str, Any]:
    """The batch worker, except that the first time client 'victim' runs, its worker process kills itself."""
    marker = Path(os.environ[MARKER_ENV])
    if name == "victim" and not marker.exists():
        marker.write_text(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)
    return plan_one(name, request_json, solver, time_limit_s)


def always_dies(name: str, request_json: str, solver: str | None = None, time_limit_s: float | None = None) -> dict[str, Any]:
    """A worker that kills its process whenever it runs client 'victim'."""
    if name == "victim":
        os.kill(os.getpid(), signal.SIGKILL)
    return plan_one(name, request_json, solver, time_limit_s)


@pytest.fixture
def jobs() -> list[BatchJob]:
    names = ["victim", "b", "c", "d", "e", "f"]
    return [BatchJob(n, tiny_request(50 + i)) for i, n in enumerate(names)]


def test_clients_lost_with_a_killed_worker_are_retried_on_a_fresh_pool(jobs, tmp_path, monkeypatch):
    marker = tmp_path / "killed"
    monkeypatch.setenv(MARKER_ENV, str(marker))
    result = plan_batch(jobs, max_workers=1, worker=dies_once)
    assert marker.exists()  # the worker really died once
    assert [o.state for o in result.outcomes] == ["planned"] * len(jobs), result.summary_text()
    assert result.retried[0] == "victim"
    assert set(result.retried) == {j.name for j in jobs}  # one worker: every queued client was lost with it
    assert "retried on a fresh worker pool after a worker process died: victim" in result.summary_text()
    assert not result.errors


def test_a_client_that_kills_every_worker_is_an_error_and_the_rest_are_planned(jobs, monkeypatch):
    result = plan_batch(jobs[:3], max_workers=2, worker=always_dies, retries=1)
    states = {o.name: o.state for o in result.outcomes}
    assert states["victim"] == "error" and "died every time it ran (3 attempts" in result.outcomes[0].reason
    assert all(states[n] == "planned" for n in states if n != "victim"), result.summary_text()


def test_without_retries_lost_clients_are_errors_naming_the_dead_worker(jobs, tmp_path, monkeypatch):
    monkeypatch.setenv(MARKER_ENV, str(tmp_path / "killed"))
    result = plan_batch(jobs, max_workers=1, worker=dies_once, retries=0)
    assert result.outcomes[0].state == "error" and "BrokenProcessPool" in result.outcomes[0].reason
    assert all(o.state in ("planned", "error") for o in result.outcomes)
    assert result.retried == []
    with pytest.raises(ValueError, match="retries"):
        plan_batch(jobs, retries=-1)
