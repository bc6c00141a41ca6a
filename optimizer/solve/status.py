"""The solver layer's one status vocabulary, and the one gap function.

Two questions are kept apart, as in linopy and Pyomo: *why did the solver stop* (:class:`Termination`) and *is
there a usable primal solution* (``has_solution`` on every result). Nothing is ``optimal`` without a solution,
and nothing is ``optimal`` without a proof: a MIP is optimal only when its bound proves the incumbent within the
requested relative gap.

Every HiGHS model status and every CBC status line is mapped here (``HIGHS_TERMINATION``, :func:`cbc_termination`);
other modules compare against :class:`Termination` members, never against solver strings.
"""

from __future__ import annotations

import math
from enum import StrEnum


class Termination(StrEnum):
    """Why a solve (or a whole planning strategy) stopped. Values are the strings stored in saved plans."""

    OPTIMAL = "optimal"
    """Proven optimal: an LP solved to optimality, a MIP whose bound proves the incumbent within the requested gap."""
    GAP_LIMIT = "gap_limit"
    """A solution whose proven gap is larger than the request asked for, without any other limit reached."""
    TIME_LIMIT = "time_limit"
    """Stopped by the wall-clock deadline (``has_solution`` says whether an incumbent exists)."""
    WORK_LIMIT = "work_limit"
    """Stopped by a work limit (iterations, nodes, solutions, columns or rounds); repeatable on any machine."""
    INFEASIBLE = "infeasible"
    """Proven: no solution satisfies every constraint."""
    UNBOUNDED = "unbounded"
    """Proven: the objective can improve without limit (a modelling error for a diet)."""
    ERROR = "error"
    """The solver failed or reported something inconsistent; ``message`` says what."""
    NOT_SOLVED = "not_solved"
    """Stopped for another reason (an interrupt, an objective target) before any of the above."""


#: Termination for every ``highspy.HighsModelStatus`` name. ``kModelEmpty`` is an error: the adapter solves models
#: without variables itself, so HiGHS calling a model with variables "empty" means it dropped coefficients it
#: could not represent (e.g. 1e30), and the answer is not about the user's model.
HIGHS_TERMINATION: dict[str, Termination] = {
    "kNotset": Termination.ERROR,
    "kLoadError": Termination.ERROR,
    "kModelError": Termination.ERROR,
    "kPresolveError": Termination.ERROR,
    "kSolveError": Termination.ERROR,
    "kPostsolveError": Termination.ERROR,
    "kModelEmpty": Termination.ERROR,
    "kMemoryLimit": Termination.ERROR,
    "kUnknown": Termination.ERROR,
    "kOptimal": Termination.OPTIMAL,
    "kInfeasible": Termination.INFEASIBLE,
    "kUnbounded": Termination.UNBOUNDED,
    "kUnboundedOrInfeasible": Termination.INFEASIBLE,  # the adapter probes feasibility to tell the two apart
    "kObjectiveBound": Termination.NOT_SOLVED,
    "kObjectiveTarget": Termination.NOT_SOLVED,
    "kTimeLimit": Termination.TIME_LIMIT,
    "kIterationLimit": Termination.WORK_LIMIT,
    "kSolutionLimit": Termination.WORK_LIMIT,
    "kInterrupt": Termination.NOT_SOLVED,
    "kHighsInterrupt": Termination.NOT_SOLVED,
}

#: Terminations after which an incumbent (when the solver reports one) is a usable solution.
WITH_INCUMBENT: frozenset[Termination] = frozenset(
    {Termination.OPTIMAL, Termination.GAP_LIMIT, Termination.TIME_LIMIT, Termination.WORK_LIMIT, Termination.NOT_SOLVED})


def highs_termination(status_name: str) -> Termination:
    """The termination for a HiGHS model status name (``"kOptimal"``); unknown names are errors."""
    return HIGHS_TERMINATION.get(status_name, Termination.ERROR)


def cbc_termination(status_line: str, reason: str) -> Termination:
    """The termination for CBC's solution-file status line (``"Optimal - objective value 1.2"``, ``"Stopped on
    time ..."``, ``"Stopped on iterations ..."``, ``"Infeasible ..."``) and its log's result line ``reason``."""
    word = status_line.split()[0] if status_line else ""
    if word == "Optimal":
        return Termination.OPTIMAL
    if word in ("Infeasible", "Integer"):  # "Integer infeasible"
        return Termination.INFEASIBLE
    if word == "Unbounded":
        return Termination.UNBOUNDED
    if status_line.startswith("Stopped on time") or "time limit" in reason.lower():
        return Termination.TIME_LIMIT
    if word == "Stopped":
        if "difficult" in status_line:
            return Termination.ERROR
        if any(w in status_line for w in ("iterations", "nodes", "solutions")):
            return Termination.WORK_LIMIT
        return Termination.NOT_SOLVED  # a user event or interrupt
    return Termination.ERROR


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """The proven relative gap |objective - bound| / |objective| (HiGHS's definition; a fraction, 0.01 = 1 %);
    0 when both are 0 and None when either is unknown. The one gap function of the project."""
    if objective is None or bound is None or not math.isfinite(bound) or not math.isfinite(objective):
        return None
    diff = abs(objective - bound)
    if diff <= 1e-12:
        return 0.0
    return diff / abs(objective) if abs(objective) > 1e-12 else math.inf


def judged(objective: float, bound: float | None, requested_gap: float, *, stopped_by: Termination | None = None
           ) -> tuple[float | None, Termination]:
    """(proven gap, termination) of a solution with ``objective`` and a valid lower ``bound``: ``optimal`` only when
    the bound proves it within ``requested_gap`` (fraction); otherwise the limit that stopped the search
    (``stopped_by``, default ``time_limit``). Never optimal without a proof."""
    gap = None if bound is None else (0.0 if objective <= bound else relative_gap(objective, bound))
    if gap is not None and gap <= requested_gap + 1e-12:
        return gap, Termination.OPTIMAL
    return gap, stopped_by or Termination.TIME_LIMIT
