"""Fuzzing request JSON: whatever the bytes, the loader returns a valid ``PlanRequest`` or raises a named
``RequestFileError`` — never a traceback of another type. Validation only (no solve), so it is fast."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.domain.request import PlanRequest
from optimizer.domain.request_file import RequestFileError, parse_request

FIELDS = sorted(PlanRequest.model_fields) + ["vitamin_d_supplement_iu", "vitamin_d_weekly_supplement_iu"]
NESTED_KEYS = ["min", "max", "food_id", "grams", "day", "meal", "portions", "units", "clinician", "reason",
               "upper_limits", "magnesium_mg", "vitamin_d_ug", "cost", "sex", "age", "pregnant", "12061", "breakpoints",
               "vitamin_d_ug", "extra_magnesium_mg", "clear_min", "period"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
    st.sampled_from(["female", "male", "omnivore", "vegan", "cost", "highs", "lunch", "08120", "daily", "1"]),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(NESTED_KEYS) | st.text(max_size=4), children, max_size=4),
    ),
    max_leaves=12,
)
requests = st.fixed_dictionaries(
    {"profile": st.one_of(st.just({"sex": "female", "age": 45}), values)},
    optional={name: values for name in FIELDS if name != "profile"},
)


def _check(text: str | bytes) -> None:
    try:
        result = parse_request(text, source="fuzz.json")
    except RequestFileError as err:
        assert err.source == "fuzz.json" and str(err).startswith("fuzz.json")
    else:
        assert isinstance(result, PlanRequest)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests)
def test_structured_requests_never_raise_anything_else(data):
    _check(json.dumps(data, allow_nan=True))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_never_raise_anything_else(raw):
    _check(raw)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet='{}[]":,0123456789.eE-+ truefalsnNIfiy\ufeff', max_size=60))
def test_json_like_text_never_raises_anything_else(text):
    _check(text)
