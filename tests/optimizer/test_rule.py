"""The magnesium–vitamin D rule: monotone requirement, default policy numbers, convexity, validation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from optimizer.domain.errors import RuleError
from optimizer.domain.rule import DEFAULT_POLICY_TEXT, Breakpoint, MagnesiumVitaminDRule


@st.composite
def nondecreasing_schedules(draw):
    """Breakpoints at strictly increasing doses from 0 µg with nondecreasing extra magnesium."""
    n = draw(st.integers(min_value=1, max_value=6))
    steps = draw(st.lists(st.floats(min_value=0.5, max_value=80, allow_nan=False), min_size=n - 1, max_size=n - 1))
    rises = draw(st.lists(st.floats(min_value=0, max_value=150, allow_nan=False), min_size=n, max_size=n))
    doses, extras = [0.0], [rises[0]]
    for step, rise in zip(steps, rises[1:]):
        doses.append(doses[-1] + step)
        extras.append(extras[-1] + rise)
    return MagnesiumVitaminDRule(breakpoints=list(zip(doses, extras)))


doses = st.floats(min_value=0, max_value=500, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(rule=nondecreasing_schedules(), d1=doses, d2=doses, rda=st.sampled_from([80, 240, 320, 420]))
def test_magnesium_requirement_never_falls_as_vitamin_d_rises(rule, d1, d2, rda):
    lo, hi = sorted((d1, d2))
    assert rule.required_magnesium_mg(rda, lo) <= rule.required_magnesium_mg(rda, hi) + 1e-9
    assert rule.required_magnesium_mg(rda, lo) >= rda


@settings(max_examples=200, deadline=None)
@given(rule=nondecreasing_schedules(), d=doses)
def test_convex_schedules_equal_the_max_of_their_affine_pieces(rule, d):
    pieces = max(a + b * d for a, b in rule.segments())
    if rule.is_convex:
        assert rule.extra_magnesium_mg(d) == pytest.approx(pieces, abs=1e-6)
    else:  # a non-convex schedule is strictly below its max-of-pieces somewhere, never above
        assert rule.extra_magnesium_mg(d) <= pieces + 1e-6


@settings(max_examples=100, deadline=None)
@given(rule=nondecreasing_schedules())
def test_schedule_passes_through_its_breakpoints(rule):
    for bp in rule.breakpoints:
        assert rule.extra_magnesium_mg(bp.vitamin_d_ug) == pytest.approx(bp.extra_magnesium_mg, abs=1e-6)


@pytest.mark.parametrize("dose_ug, extra_mg", [(0, 0), (10, 0), (15, 0), (57.5, 50), (100, 100)])
def test_default_policy_numbers(dose_ug, extra_mg):
    rule = MagnesiumVitaminDRule()
    assert rule.extra_magnesium_mg(dose_ug) == pytest.approx(extra_mg)
    assert rule.required_magnesium_mg(320, dose_ug) == pytest.approx(320 + extra_mg)


def test_default_policy_continues_with_the_last_slope_and_is_described():
    rule = MagnesiumVitaminDRule()
    assert rule.extra_magnesium_mg(185) == pytest.approx(200)  # 100 + (85 µg × 100/85 mg per µg)
    assert rule.is_default_policy and rule.is_convex
    assert rule.slopes() == [0.0, pytest.approx(100 / 85)]
    text = rule.describe()
    assert DEFAULT_POLICY_TEXT in text and "not a published dose-response" in text and "2.6" in text


def test_flat_schedule_is_allowed():
    rule = MagnesiumVitaminDRule(breakpoints=[(0, 0), (100, 0)])
    assert rule.extra_magnesium_mg(250) == 0 and rule.is_convex and not rule.is_default_policy
    assert "Custom schedule" in rule.describe()


def test_convexity_detection():
    assert MagnesiumVitaminDRule(breakpoints=[(0, 0), (15, 0), (100, 100)]).is_convex
    concave = MagnesiumVitaminDRule(breakpoints=[(0, 0), (10, 50), (20, 60)])
    assert not concave.is_convex
    assert concave.extra_magnesium_mg(15) == pytest.approx(55)
    assert concave.segments() == [(0.0, 5.0), (pytest.approx(40.0), pytest.approx(1.0))]
    assert MagnesiumVitaminDRule(breakpoints=[(0, 0), (10, 10), (20, 20)]).is_convex  # linear is convex


def test_decreasing_schedule_is_rejected_with_a_clear_message():
    with pytest.raises(ValueError, match="decreases between 10.*more vitamin D may never require less magnesium.*Fix"):
        MagnesiumVitaminDRule(breakpoints=[(0, 0), (10, 50), (20, 40)])


@pytest.mark.parametrize(
    "breakpoints, message",
    [([(5, 0), (10, 10)], "first breakpoint must be at 0"), ([(0, 0), (10, 5), (10, 6)], "strictly increasing"),
     ([], "at least one breakpoint")],
)
def test_malformed_schedules_are_rejected(breakpoints, message):
    with pytest.raises(ValueError, match=message):
        MagnesiumVitaminDRule(breakpoints=breakpoints)


def test_negative_dose_and_breakpoint_values_are_rejected():
    with pytest.raises(RuleError, match=">= 0"):
        MagnesiumVitaminDRule().extra_magnesium_mg(-1)
    with pytest.raises(ValidationError):
        Breakpoint(vitamin_d_ug=0, extra_magnesium_mg=-5)


@pytest.mark.parametrize("ratio", [1.7, 2.0, 2.6, 2.8])
def test_calcium_magnesium_ratio_within_literature_bounds_is_accepted(ratio):
    assert MagnesiumVitaminDRule(calcium_magnesium_ratio_max=ratio).calcium_magnesium_ratio_max == ratio


@pytest.mark.parametrize("ratio", [1.69, 2.81, 3.5, 0])
def test_calcium_magnesium_ratio_outside_1_7_to_2_8_is_rejected(ratio):
    with pytest.raises(ValidationError, match="calcium_magnesium_ratio_max"):
        MagnesiumVitaminDRule(calcium_magnesium_ratio_max=ratio)


def test_ratio_default_on_can_be_turned_off_and_min_not_above_max():
    assert MagnesiumVitaminDRule().calcium_magnesium_ratio_max == 2.6
    assert MagnesiumVitaminDRule(calcium_magnesium_ratio_max=None).calcium_magnesium_ratio_max is None
    assert "at or above 1.7" in MagnesiumVitaminDRule(calcium_magnesium_ratio_min=1.7).describe()
    with pytest.raises(ValueError, match="ratio_min is above"):
        MagnesiumVitaminDRule(calcium_magnesium_ratio_min=2.7, calcium_magnesium_ratio_max=2.0)
    with pytest.raises(ValidationError):
        MagnesiumVitaminDRule(calcium_magnesium_ratio_min=2.9)


def test_rule_round_trips_through_json():
    rule = MagnesiumVitaminDRule(breakpoints=[(0, 0), (25, 20), (100, 150)], calcium_magnesium_ratio_max=2.2)
    assert MagnesiumVitaminDRule.model_validate_json(rule.model_dump_json()) == rule
