"""Memory housekeeping for building large models (no PuLP here)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector during a burst of allocations that all stay alive (a model's
    variables, expressions and rows; the planner's per-food data): collections then free nothing yet cost up
    to a third of the time. Re-enabled on exit only if it was enabled on entry, so nesting and concurrent
    use are safe (at worst a collection runs)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
