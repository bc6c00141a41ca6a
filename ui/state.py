"""Session-state design of the planner UI.

Widgets own their own keys (named in the panel modules) and are always created with their current value
as the default (:func:`value`, :func:`index`), so the browser never shows a stale default. Everything the app
itself remembers lives under keys that start with an underscore, which no widget uses:

* ``_plan`` – the current :class:`optimizer.Plan` (solved or explained), or absent.
* ``_request`` – the :class:`optimizer.PlanRequest` that produced ``_plan``.
* ``_previous_plan`` – the plan before the last re-optimisation, for the "what changed" view.
* ``_restore`` – a request whose settings are written into the widgets at the start of the next run
  (session restore from JSON, one-click fixes, opening a saved plan from the Clients page).
* ``_solve_next`` – a request to solve at the next run (one-click fixes).
* ``_custom_foods``, ``_price_lists``, ``_foods``, ``_uploads`` – uploaded catalogues (see ``ui.catalogue``).
* ``_targets_version`` – bumps the targets editor's key so that restored overrides are shown fresh.
* ``_flash`` – one-shot messages shown at the top of the next run.
* ``_edits`` – what was changed by hand (swaps, re-plans) since the plan was made, shown with its status.
* ``_opened_from`` – ``(client_id, week_start)`` of the saved plan last opened from the Clients page, so that
  saving it again defaults to the same week (a new version) instead of next week.
* ``_locks_shown_for``, ``_substitutes`` – the edit panel's own memory (see ``ui.edit_panel``): the plan whose
  locks the lock pickers were set from, and the last ranked substitutes with the plan and item they belong to.

Other pages (``ui/clients.py``) open a saved plan with :func:`open_plan`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, MutableMapping
from typing import Any

import streamlit as st

from optimizer.domain.request import PlanRequest
from optimizer.results.plan import Plan

PLAN = "_plan"
REQUEST = "_request"
PREVIOUS_PLAN = "_previous_plan"
RESTORE = "_restore"
SOLVE_NEXT = "_solve_next"
TARGETS_VERSION = "_targets_version"
FLASH = "_flash"
EDITS = "_edits"
OPENED_FROM = "_opened_from"

Restorer = Callable[[PlanRequest], dict[str, Any]]


class _CurrentValueIsIntended(logging.Filter):
    """Drop Streamlit's advisory "created with a default value but also had its value set via the Session State
    API": every widget here is deliberately given its current value (see :func:`value`), so the warning (with a
    stack trace) after each restore would only be noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "had its value set via the Session State API" not in str(record.msg)


_policy_logger = logging.getLogger("streamlit.elements.lib.policies")
if not any(isinstance(f, _CurrentValueIsIntended) for f in _policy_logger.filters):
    _policy_logger.addFilter(_CurrentValueIsIntended())
_restorers: list[Restorer] = []


def register_restorer(restorer: Restorer) -> Restorer:
    """Register a function mapping a request to the widget values (key -> value) of one panel."""
    if restorer not in _restorers:
        _restorers.append(restorer)
    return restorer


def current_plan() -> Plan | None:
    """The plan shown on the page, or None before the first solve."""
    return st.session_state.get(PLAN)


def current_request() -> PlanRequest | None:
    """The request behind :func:`current_plan`."""
    return st.session_state.get(REQUEST)


def previous_plan() -> Plan | None:
    """The plan before the last re-optimisation (for the diff), or None."""
    return st.session_state.get(PREVIOUS_PLAN)


def store_plan(plan: Plan, *, keep_previous: bool = False, edit: str | None = None) -> None:
    """Make ``plan`` the current plan. ``keep_previous`` keeps the old one for the diff view; ``edit`` describes a
    change made by hand to the current plan (kept with the plan's status until a new plan is made)."""
    old = st.session_state.get(PLAN)
    st.session_state[PREVIOUS_PLAN] = old if keep_previous and old is not None else None
    st.session_state[EDITS] = [*st.session_state.get(EDITS, []), edit] if edit else []
    st.session_state[PLAN] = plan
    st.session_state[REQUEST] = plan.request


def open_plan(plan: Plan, origin: tuple[int, Any] | None = None) -> None:
    """Show a saved plan in the planner and set every control to the request it was made with.

    ``origin`` is ``(client_id, week_start)`` of the saved plan, remembered for :func:`opened_from`.
    For other pages (e.g. the Clients page): call it, then ``st.switch_page`` to the planner.
    """
    store_plan(plan)
    request_restore(plan.request)
    st.session_state[OPENED_FROM] = origin


def edits() -> list[str]:
    """Changes made by hand to the current plan since it was made (oldest first)."""
    return list(st.session_state.get(EDITS, []))


def opened_from() -> tuple[int, Any] | None:
    """``(client_id, week_start)`` of the saved plan last opened into the planner, or None."""
    return st.session_state.get(OPENED_FROM)


def request_restore(request: PlanRequest) -> None:
    """Ask the next run to set the planner's controls from ``request``."""
    st.session_state[RESTORE] = request


def request_solve(request: PlanRequest, note: str = "") -> None:
    """Ask the next run to solve ``request`` (and show its settings in the controls); ``note`` is shown with
    the outcome."""
    st.session_state[SOLVE_NEXT] = (request, note)
    request_restore(request)


def pop_solve_request() -> tuple[PlanRequest, str] | None:
    """The (request, note) queued by :func:`request_solve`, removed from the queue."""
    queued: tuple[PlanRequest, str] | None = st.session_state.pop(SOLVE_NEXT, None)
    return queued


def apply_pending_restore(state: MutableMapping[str, Any] | None = None) -> bool:
    """Write a queued request into the widget keys. Call at the start of a run, before any widget."""
    store: MutableMapping[Any, Any] = st.session_state if state is None else state  # the proxy is keyed by str | int
    request = store.pop(RESTORE, None)
    if request is None:
        return False
    for restorer in _restorers:
        for key, value in restorer(request).items():
            store[key] = value
    store[TARGETS_VERSION] = store.get(TARGETS_VERSION, 0) + 1
    return True


def value(key: str, default: Any) -> Any:
    """What to pass as the ``value=`` (``default=``) of the widget with ``key``: its current value, else ``default``.

    Every keyed widget gets it. A widget created with a key alone is sent to the browser with its built-in
    default (unticked, the slider's minimum, ...), and the browser falls back to that default whenever it
    mounts the widget after the run that set the key: a tab not yet shown, the sidebar collapsed on a phone,
    a component still loading when the first plan is solved. The page then shows one value while the session
    plans with another, and the next press of *Make my plan* sends the shown one back. With the current value
    as the default, a late mount shows what the session holds.
    """
    return st.session_state.get(key, default)


def index(key: str, options: Iterable[Any], default: Any = None) -> int:
    """The ``index=`` of a radio or selectbox with ``key``: the position of its current value (see :func:`value`),
    else of ``default``, else 0."""
    options = list(options)
    for wanted in (st.session_state.get(key), default):
        if wanted is not None and wanted in options:
            return options.index(wanted)
    return 0


def targets_version() -> int:
    """Counter that changes whenever targets are restored; part of the targets editor's key."""
    return int(st.session_state.get(TARGETS_VERSION, 0))


def flash(message: str, kind: str = "success") -> None:
    """Queue a message to show once at the top of the next run (kind: success, info, warning, error)."""
    st.session_state.setdefault(FLASH, []).append((kind, message))


def show_flashes() -> None:
    """Show and clear queued messages."""
    for kind, message in st.session_state.pop(FLASH, []):
        getattr(st, kind, st.info)(message)
