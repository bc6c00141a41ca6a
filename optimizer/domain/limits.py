"""Safety limits of a request: the targets in effect, and who may lift an upper limit.

Upper limits (``Target.is_upper_limit``: the DRI ULs, the supplemental magnesium UL, the caffeine safety limits)
are hard. A request's ``targets`` overrides, a client's saved plan defaults or a batch row may lower one, never
raise, clear, remove or re-period it: :func:`check_upper_limits` refuses that with a :class:`RequestError`
naming the limit. The only way to lift one is ``PlanRequest.clinician_override.upper_limits``, which the plan
records (``Plan.clinician_overrides``) and every output shows.
"""

from __future__ import annotations

from collections.abc import Mapping

from optimizer.domain.errors import RequestError
from optimizer.domain.request import PlanRequest
from optimizer.domain.targets import Target, TargetOverride, Targets, targets_for


def base_targets(request: PlanRequest) -> Targets | None:
    """The DRI targets of the request's profile before any override (None without a profile)."""
    return targets_for(request.profile) if request.profile is not None else None


def effective_targets(request: PlanRequest) -> Targets:
    """The targets a plan for ``request`` must meet: the profile's DRIs with the request's overrides (or the
    request's own ``Targets``), then the clinician's raised upper limits. Same result as the planner's."""
    if isinstance(request.targets, Targets):
        targets = request.targets
    elif request.profile is not None:
        targets = targets_for(request.profile).with_overrides(request.targets)
    else:
        targets = Targets().with_overrides(request.targets)
    override = request.clinician_override
    if override is not None and override.upper_limits:
        rows = {t.key: t for t in targets}
        for key, new_max in override.upper_limits.items():
            if key not in rows:
                raise RequestError(f"clinician_override names target '{key}', which this plan does not have. "
                                   f"Fix: use one of {', '.join(rows)}.")
            note = (rows[key].note + "; " if rows[key].note else "") + (
                f"upper limit raised to {new_max:g} by {override.clinician} ({override.reason})")
            rows[key] = rows[key].model_copy(update={"max": float(new_max), "note": note})
        targets = targets.model_copy(update={"rows": tuple(rows.values())})
    return targets


def _change(base: Target, override: TargetOverride | Mapping[str, object] | None | Target) -> str | None:
    """How an override weakens the upper limit ``base`` (None when it does not)."""
    limit = base.max
    if limit is None:  # callers pass upper limits only: a target without a maximum has nothing to weaken
        return None
    if override is None:
        return "removes the target"
    if isinstance(override, Target):
        if override.max is None:
            return "has no maximum"
        if override.max > limit + 1e-9:
            return f"raises the maximum from {limit:g} to {override.max:g}"
        if override.period != base.period or override.applies_to != base.applies_to:
            return f"changes it to a {override.period} {override.applies_to} limit"
        return None
    ov = override if isinstance(override, TargetOverride) else TargetOverride.model_validate(override)
    if ov.clear_max:
        return "clears the maximum"
    if ov.max is not None and ov.max > limit + 1e-9:
        return f"raises the maximum from {limit:g} to {ov.max:g}"
    if ov.period is not None and ov.period != base.period:
        return f"re-periods it from {base.period} to {ov.period}"
    return None


def upper_limit_changes(request: PlanRequest) -> list[tuple[str, str]]:
    """(target key, what changes) for every upper limit the request's targets weaken without a clinician."""
    base = base_targets(request)
    if base is None:
        return []
    allowed = set(request.clinician_override.upper_limits) if request.clinician_override else set()
    limits = {t.key: t for t in base if t.is_upper_limit and t.max is not None}
    out = []
    if isinstance(request.targets, Targets):
        given = {t.key: t for t in request.targets}
        for key, limit in limits.items():
            change = _change(limit, given.get(key))
            if change and key not in allowed:
                out.append((key, change))
        return out
    for key, override in request.targets.items():
        if key in limits and key not in allowed:
            change = _change(limits[key], override)
            if change:
                out.append((key, change))
    return out


def check_upper_limits(request: PlanRequest, where: str = "the request's targets") -> None:
    """Raise :class:`RequestError` when ``request`` raises, clears, removes or re-periods an upper limit
    (``Target.is_upper_limit``) other than through ``clinician_override``. ``where`` names the input in the message
    (e.g. "client Ann's saved plan defaults", "batch row 3")."""
    changes = upper_limit_changes(request)
    if not changes:
        return
    base = {t.key: t for t in base_targets(request) or ()}
    key, change = changes[0]
    limit = base[key]
    unit = key.rsplit("_", 1)[-1].replace("ug", "µg")
    more = f" (and {len(changes) - 1} more: {', '.join(k for k, _ in changes[1:])})" if len(changes) > 1 else ""
    raise RequestError(
        f"{where} {change} of '{key}', a safety upper limit ({limit.max:g} {unit}/day, {limit.source}){more}. "
        "Only a clinician lifts an upper limit. Fix: remove that change, or add "
        f'"clinician_override": {{"clinician": "...", "reason": "...", "upper_limits": {{"{key}": NEW_MAX}}}}; '
        "the plan then records and shows the override.")
