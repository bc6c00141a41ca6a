"""The CBC half of the solver adapter: PuLP's MPS writer, PuLP's bundled CBC binary and PuLP's solution reader,
with the process owned by the adapter so the hard wall-clock limit holds (see ``optimizer/solve/adapter.py`` and
docs/solver.md). Imports PuLP: part of the solver adapter.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import warnings
from typing import Any

import pulp

from optimizer.domain.errors import SolverError
from optimizer.solve.adapter import SolveOptions, SolverOutcome, extract_arrays, kill_process, killed_outcome, non_finite_entry
from optimizer.solve.status import WITH_INCUMBENT, Termination, cbc_termination


def _cbc_solver(options: SolveOptions, is_mip: bool) -> Any:
    kwargs: dict[str, Any] = {"msg": False, "timeLimit": options.time_limit_s, "warmStart": options.warm_start}
    if is_mip:
        kwargs["gapRel"] = float(options.relative_gap)
    if options.threads is not None:
        kwargs["threads"] = options.threads
    if options.node_limit is not None and is_mip:
        kwargs["maxNodes"] = int(options.node_limit)
    if options.iteration_limit is not None:
        kwargs["options"] = [f"maxIterations {int(options.iteration_limit)}"]
    for name in ("COIN_CMD", "PULP_CBC_CMD"):  # COIN_CMD: PuLP 4.x (pulp[cbc]) or cbc on PATH; else 3.x's bundled
        factory = getattr(pulp, name, None)
        if factory is None:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # PULP_CBC_CMD announces its removal in 4.0
            solver = factory(**kwargs)
        if solver.available():
            return solver
    raise SolverError("CBC is not available: install PuLP with its bundled CBC (pip install pulp) or "
                      "put a cbc binary on PATH, or use solver='highs'.")


_CBC_FIRST = re.compile(r"Integer solution of \S+ found .*?\(([\d.]+) seconds\)")
_CBC_BOUND = re.compile(r"^(?:Lower|Upper) bound:\s+(\S+)", re.MULTILINE)
_CBC_RESULT = re.compile(r"^Result - (.*)$", re.MULTILINE)
_CBC_TIME = re.compile(r"^Total time \(CPU seconds\):\s+\S+\s+\(Wallclock seconds\):\s+(\S+)", re.MULTILINE)


def solve_cbc(problem: pulp.LpProblem, variables: list[Any], is_mip: bool, options: SolveOptions) -> SolverOutcome:
    solver = _cbc_solver(options, is_mip)
    folder = tempfile.mkdtemp(prefix="cofactor-cbc-")
    try:
        mps, sol, mst, log = (os.path.join(folder, f"model.{ext}") for ext in ("mps", "sol", "mst", "log"))
        vs, var_names, con_names, _ = problem.writeMPS(mps, rename=1)
        args = [solver.path, mps]
        if problem.sense == pulp.LpMaximize:
            args.append("-max")
        if options.warm_start:
            solver.writesol(mst, problem, vs, var_names, con_names)
            args += ["-mips", mst]
        if options.time_limit_s is not None:
            args += ["-sec", str(options.time_limit_s)]
        for option in solver.getOptions():
            args += ["-" + option.split()[0], *option.split()[1:]]
        args += ["-solve" if is_mip else "-initialSolve", "-printingOptions", "all", "-solution", sol]
        hard = options.effective_hard_limit_s
        with open(log, "w") as log_file:
            try:
                process = subprocess.Popen(args, stdout=log_file, stderr=subprocess.STDOUT,
                                           stdin=subprocess.DEVNULL, start_new_session=(os.name == "posix"))
            except OSError as exc:
                raise SolverError(f"Could not start CBC ({solver.path}): {exc}") from exc
            try:
                process.wait(timeout=hard)
            except subprocess.TimeoutExpired:
                kill_process(process)
                return killed_outcome(hard, "CBC")
        with open(log, errors="replace") as handle:
            text = handle.read()
        if process.returncode != 0 or not os.path.exists(sol):
            tail = " | ".join(text.strip().splitlines()[-3:])
            broken = non_finite_entry(extract_arrays(problem, variables), variables, problem)
            return SolverOutcome(Termination.ERROR, False, message=broken or f"CBC failed (exit code {process.returncode}): {tail}")
        with open(sol) as handle:
            status_line = handle.readline().strip()
        _, values, _, duals, _, sol_status = solver.readsol_MPS(sol, problem, vs, var_names, con_names)
        return _cbc_outcome(status_line, sol_status, text, values, duals, is_mip, options)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _cbc_outcome(status_line: str, sol_status: int, log: str, values: dict[str, float], duals: dict[str, float],
                 is_mip: bool, options: SolveOptions) -> SolverOutcome:
    result = _CBC_RESULT.search(log)
    reason = result.group(1) if result else status_line
    message = f"CBC: {reason}"
    termination = cbc_termination(status_line, reason)
    has_solution = termination in WITH_INCUMBENT and sol_status in (
        pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
    if not is_mip and termination != "optimal":
        has_solution = False  # an interrupted simplex iterate is not a feasible plan
    wall = _CBC_TIME.search(log)
    first = [float(x) for x in _CBC_FIRST.findall(log)]
    outcome = SolverOutcome(termination, has_solution, solver_runtime_s=float(wall.group(1)) if wall else None,
                       first_solution_s=first[0] if first else None, message=message)
    if has_solution:
        outcome.values = {name: float(value) for name, value in values.items()}
        if is_mip:
            bound = _CBC_BOUND.search(log)
            if bound:
                outcome.bound = float(bound.group(1))
            elif termination == "optimal":  # a full proof prints no bound line: bound = objective
                outcome.gap = 0.0
        elif termination == "optimal":
            outcome.gap = 0.0
    if options.want_duals and not is_mip and termination == "optimal":
        outcome.duals = {name: float(value) for name, value in duals.items()}
    if termination == "time_limit":
        outcome.message += f" after the {options.time_limit_s} s time limit" + (
            "; best plan found so far returned" if has_solution else "; no solution found")
    return outcome
