"""The HiGHS worker processes of the solver adapter: models travel as arrays to a persistent, fresh Python interpreter
(never a fork of the caller) that solves them with highspy, so a solve can be killed at its hard limit without
killing the caller. Imports highspy only inside the worker. Part of the solver layer.
"""

from __future__ import annotations

import atexit
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

import numpy as np

from optimizer.domain.errors import SolverError


def highs_lp(data: dict[str, Any], zero_objective: bool = False) -> Any:
    import highspy

    lp = highspy.HighsLp()
    n, m = len(data["cost"]), len(data["row_lower"])
    lp.num_col_, lp.num_row_ = n, m
    lp.sense_ = highspy.ObjSense.kMaximize if data["maximize"] else highspy.ObjSense.kMinimize
    lp.offset_ = 0.0 if zero_objective else data["offset"]
    lp.col_cost_ = np.zeros(n) if zero_objective else data["cost"]
    lp.col_lower_, lp.col_upper_ = data["lower"], data["upper"]
    lp.row_lower_, lp.row_upper_ = data["row_lower"], data["row_upper"]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n, m
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = data["starts"], data["index"], data["value"]
    if data["integer"].any():
        kinds = np.where(data["integer"], 1, 0)
        lp.integrality_ = [highspy.HighsVarType(int(k)) for k in kinds]
    return lp


def highs_run(data: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    """Solve in this process (called in the child). Returns plain picklable data."""
    import highspy

    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    for key, value in settings.items():
        h.setOptionValue(key, value)
    clock: dict[str, float | None] = {"first": None}
    start = time.perf_counter()
    if data["integer"].any():

        def first_incumbent(*_: Any) -> None:
            if clock["first"] is None:
                clock["first"] = time.perf_counter() - start

        h.cbMipImprovingSolution.subscribe(first_incumbent)
    h.passModel(highs_lp(data))
    given = ~np.isnan(data["initial"])
    if data.get("warm_start") and given.any():
        idx = np.flatnonzero(given).astype(np.int32)
        h.setSolution(len(idx), idx, data["initial"][idx])
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    out: dict[str, Any] = {
        "status": status.name if hasattr(status, "name") else str(status),
        "status_text": h.modelStatusToString(status), "runtime": h.getRunTime(),
        "primal_feasible": int(info.primal_solution_status) == 2, "objective": info.objective_function_value,
        "mip_gap": info.mip_gap, "mip_dual_bound": info.mip_dual_bound, "first": clock["first"],
        "nodes": int(info.mip_node_count) if data["integer"].any() else None,
    }
    if out["primal_feasible"]:
        solution = h.getSolution()
        out["col_value"] = np.asarray(solution.col_value, dtype=float)
        if data.get("want_duals") and not data["integer"].any() and solution.dual_valid:
            out["row_dual"] = np.asarray(solution.row_dual, dtype=float)
    if status == highspy.HighsModelStatus.kUnboundedOrInfeasible:
        probe = highspy.Highs()  # type: ignore[no-untyped-call]
        probe.setOptionValue("output_flag", False)
        probe.passModel(highs_lp(data, zero_objective=True))
        probe.run()
        out["feasible_probe"] = probe.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return out


class HighsWorker:
    """A persistent HiGHS worker: a fresh Python interpreter (never a fork of the caller, so it is safe
    under multi-threaded servers and never re-imports the caller's ``__main__``) that solves one model at
    a time. Frames are length-prefixed pickles over its stdin/stdout; HiGHS's own printing goes to
    /dev/null. A worker that overruns the hard limit is killed (with its process group) and replaced."""

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads  # HiGHS fixes its thread pool per process, so workers are kept per count
        self.owner = os.getpid()  # a forked copy of the caller must not talk to (or kill) its parent's worker
        package_root = str(Path(__file__).resolve().parents[2])  # the folder that holds the optimizer package
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", "from optimizer.solve.highs_worker import worker_main; worker_main()"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, start_new_session=(os.name == "posix"))
        except OSError as exc:
            raise SolverError(f"Could not start the HiGHS worker process ({sys.executable}): {exc}") from exc
        self.replies: queue.Queue[Any] = queue.Queue()
        threading.Thread(target=self._read, daemon=True, name="cofactor-highs-reader").start()
        try:
            ready = self.replies.get(timeout=120)
        except queue.Empty:
            ready = "no answer within 120 s"
        if ready != "ready":
            self.kill()
            raise SolverError(f"The HiGHS worker failed to start: {ready}")

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None  # opened with stdout=PIPE
        while True:
            header = stream.read(8)
            if len(header) < 8:
                self.replies.put({"error": f"the HiGHS worker exited (code {self.process.poll()})"})
                return
            self.replies.put(pickle.loads(stream.read(struct.unpack("<Q", header)[0])))

    def ask(self, request: Any, timeout_s: float) -> Any:
        """Send one request; return the reply, or None when ``timeout_s`` passes first."""
        frame = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            stdin = self.process.stdin
            assert stdin is not None  # opened with stdin=PIPE
            stdin.write(struct.pack("<Q", len(frame)) + frame)
            stdin.flush()
        except OSError as exc:
            return {"error": f"the HiGHS worker is gone: {exc}"}
        try:
            return self.replies.get(timeout=max(timeout_s, 0.0))
        except queue.Empty:
            return None

    def alive(self) -> bool:
        return self.owner == os.getpid() and self.process.poll() is None

    def kill(self) -> None:
        kill_process(self.process)


def worker_main() -> None:
    """Entry point of a worker process: serve solve requests until stdin closes."""
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # HiGHS banners must not corrupt the protocol
    inbox = sys.stdin.buffer

    def send(message: Any) -> None:
        frame = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        channel.write(struct.pack("<Q", len(frame)) + frame)
        channel.flush()

    try:
        import highspy  # noqa: F401  (imported before "ready" so solves do not pay for it)
    except ImportError as exc:
        send(f"highspy is not installed ({exc}); pip install highspy or use solver='cbc'")
        return
    send("ready")
    while True:
        header = inbox.read(8)
        if len(header) < 8:
            return
        data, settings = pickle.loads(inbox.read(struct.unpack("<Q", header)[0]))
        try:
            send(highs_run(data, settings))
        except Exception:  # noqa: BLE001 - reported to the parent, which maps it to termination "error"
            send({"error": traceback.format_exc(limit=4)})


_IDLE: list[HighsWorker] = []
_IDLE_LOCK = threading.Lock()
MAX_IDLE_WORKERS = 2


def take_worker(threads: int | None = None) -> HighsWorker:
    with _IDLE_LOCK:
        for worker in [w for w in _IDLE if w.threads == threads]:
            _IDLE.remove(worker)
            if worker.alive():
                return worker
    return HighsWorker(threads)


def return_worker(worker: HighsWorker) -> None:
    evicted: HighsWorker | None = worker
    with _IDLE_LOCK:
        if worker.alive():
            _IDLE.append(worker)
            evicted = _IDLE.pop(0) if len(_IDLE) > MAX_IDLE_WORKERS else None
    if evicted is not None:
        evicted.kill()


def warm_up(threads: int | None = None) -> None:
    """Start a HiGHS worker now (a few hundred ms, once per process) so the first solve does not pay for it."""
    return_worker(take_worker(threads))


def _forget_workers_after_fork() -> None:
    global _IDLE_LOCK
    _IDLE_LOCK = threading.Lock()  # the parent's lock may have been held by another thread at fork time
    _IDLE.clear()  # the parent's workers are the parent's


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_workers_after_fork)


@atexit.register
def _shutdown_workers() -> None:
    with _IDLE_LOCK:
        while _IDLE:
            worker = _IDLE.pop()
            if worker.owner == os.getpid():
                worker.kill()


def kill_process(process: subprocess.Popen[bytes]) -> None:
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()
