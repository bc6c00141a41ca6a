"""One wall-clock deadline per ``plan()`` call.

The deadline is the only place the wall clock enters planning. Strategy choices (which strategy, how many menus,
how many rounds, how deep each search goes) use work limits — nodes, columns, rounds — so the same request gives the
same plan on a quiet or a busy machine; the deadline only stops a search that the machine cannot finish in time,
and a plan stopped by it says so (``time_limit``) with its gap.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace

from optimizer.domain.errors import RequestError
from optimizer.solve.adapter import SolveOptions

#: Seconds kept back from each solve for the work after it (mapping values back, verification, the report).
FINISH_RESERVE_S = 0.3
#: Seconds a solver process may run past its own time limit before it is killed.
KILL_GRACE_S = 0.4
#: The shortest solver time limit worth starting (s).
MIN_SOLVE_S = 0.05


class DeadlineExceeded(Exception):  # noqa: N818 - a control-flow signal inside the planner, not a user error
    """Raised inside the planner when the deadline passes between steps that cannot be interrupted."""


class Deadline:
    """A wall-clock deadline ``seconds`` from now (None: no deadline). ``clock`` returns seconds (monotonic)."""

    def __init__(self, seconds: float | None, clock: Callable[[], float] = time.monotonic) -> None:
        if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, (int, float))
                                    or not math.isfinite(seconds) or seconds <= 0):
            raise RequestError(f"time_limit_s must be a finite number of seconds > 0, got {seconds!r}. "
                               "Fix: give a positive number such as 20.")
        self.seconds = None if seconds is None else float(seconds)
        self.clock = clock
        self.start = clock()

    def elapsed(self) -> float:
        """Seconds since the deadline was set."""
        return self.clock() - self.start

    def remaining(self) -> float:
        """Seconds left (``math.inf`` without a deadline; never negative)."""
        if self.seconds is None:
            return math.inf
        return max(self.seconds - self.elapsed(), 0.0)

    def expired(self) -> bool:
        """Whether no solve is worth starting any more."""
        return self.remaining() <= MIN_SOLVE_S + FINISH_RESERVE_S

    def check(self) -> None:
        """Raise :class:`DeadlineExceeded` when the deadline has passed (between uninterruptible steps)."""
        if self.seconds is not None and self.elapsed() >= self.seconds:
            raise DeadlineExceeded

    def options(self, options: SolveOptions, **changes: object) -> SolveOptions:
        """``options`` (with ``changes``) limited to the time left: the solver's time limit ends
        :data:`FINISH_RESERVE_S` before the deadline and the process is killed :data:`KILL_GRACE_S` after it."""
        limited = replace(options, **changes)  # type: ignore[arg-type]
        if self.seconds is None:
            return limited
        left = max(self.remaining() - FINISH_RESERVE_S, MIN_SOLVE_S)
        own = limited.time_limit_s
        time_limit = left if own is None else min(own, left)
        return replace(limited, time_limit_s=time_limit, hard_limit_s=time_limit + KILL_GRACE_S)
