"""Bad request files (tests/optimizer/data/bad/) through the library loader: each is refused with a
``RequestFileError`` naming the file and the field (or line/byte), never a traceback and never silently accepted."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from optimizer.domain.errors import RequestError
from optimizer.domain.request import FoodBound, LockedItem, PlanRequest
from optimizer.domain.request_file import (
    MAX_REQUEST_BYTES,
    RequestFileError,
    load_request,
    parse_request,
)
from optimizer.domain.units import check_time_limit

BAD = Path(__file__).parent / "data" / "bad"

# file -> (the location the error names, words of the message)
CORPUS: dict[str, tuple[str, str]] = {
    "days_boolean.json": ("days", "valid integer"),
    "days_string.json": ("days", "valid integer"),
    "duplicate_key.json": ("days", "appears twice"),
    "duplicate_nested_key.json": ("min", "appears twice"),
    "vitamin_d_iu_boolean.json": ("vitamin_d_supplement_iu", "must be a number of IU"),
    "vitamin_d_iu_list.json": ("vitamin_d_supplement_iu", "must be a number of IU"),
    "vitamin_d_ug_infinity.json": ("vitamin_d_supplement_ug", "not a finite number"),
    "vitamin_d_ug_absurd.json": ("vitamin_d_supplement_ug", "less than or equal to 2500"),
    "target_max_infinity.json": ("targets.magnesium_mg.max", "not a finite number"),
    "target_min_absurd.json": ("targets.magnesium_mg.min", "physical sense"),
    "target_min_string.json": ("targets.magnesium_mg.min", "must be a number"),
    "weight_nan.json": ("objective_weights.cost", "not a finite number"),
    "weight_negative.json": ("objective_weights.cost", "greater than or equal to 0"),
    "time_limit_overflow.json": ("time_limit_s", "not a finite number"),
    "time_limit_zero.json": ("time_limit_s", "greater than 0"),
    "food_bounds_min_above_max.json": ("food_bounds.12061", "min (50 g) is above max (10 g)"),
    "food_bounds_absurd.json": ("food_bounds.12061.max", "less than or equal to 10000"),
    "clinician_limit_negative.json": ("clinician_override.upper_limits.vitamin_d_ug", "greater than or equal to 0"),
    "usual_diet_negative_grams.json": ("usual_diet.0.grams", "greater than or equal to 0"),
    "unknown_field.json": ("dayz", "Extra inputs are not permitted"),
    "top_level_list.json": ("(top level)", "not an object"),
    "trailing_comma.json": ("line 3, column 1", "not valid JSON"),
    "nested_too_deep.json": ("meals.0.0.0", "nested more than"),
    "not_utf8.json": ("byte 55", "not UTF-8"),
    "empty.json": ("line 1, column 1", "not valid JSON"),
    "profile_age_string.json": ("profile.age", "must be a number"),
    "profile_pregnant_string.json": ("profile.pregnant", "must be true or false"),
}


def test_the_corpus_is_complete():
    assert sorted(p.name for p in BAD.iterdir()) == sorted(CORPUS)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_bad_request_file_is_refused_naming_file_and_field(name):
    location, words = CORPUS[name]
    with pytest.raises(RequestFileError) as caught:
        load_request(BAD / name)
    err = caught.value
    assert isinstance(err, RequestError)  # exit code 2 in the CLI
    assert err.source == str(BAD / name)
    assert err.location is not None and err.location.startswith(location), err.location
    assert words in str(err), str(err)
    assert str(err).startswith(f"{BAD / name}") and "not a valid plan request" in str(err)
    assert any(fix in str(err) for fix in ("Fix the file", "Keep one", "Save the file")), str(err)


def test_a_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"profile": {"sex": "female", "age": 45}, "days": 2}).encode())
    assert load_request(path).days == 2
    assert parse_request("\ufeff" + path.read_bytes()[3:].decode()).days == 2


def test_missing_and_oversized_files(tmp_path):
    with pytest.raises(RequestFileError, match="cannot be read"):
        load_request(tmp_path / "nope.json")
    big = tmp_path / "big.json"
    big.write_text(" " * (MAX_REQUEST_BYTES + 1) + "{}")
    with pytest.raises(RequestFileError, match="more than"):
        load_request(big)


def test_valid_examples_still_load():
    for path in sorted((Path(__file__).parents[2] / "examples").glob("*.json")):
        assert isinstance(load_request(path), PlanRequest)


@pytest.mark.parametrize("fields", [
    {"days": True}, {"days": "1"}, {"days": 2.0}, {"vitamin_d_supplement_iu": True},
    {"vitamin_d_supplement_iu": [2000]}, {"vitamin_d_supplement_iu": "2000"}, {"vitamin_d_supplement_ug": math.inf},
    {"vitamin_d_supplement_ug": math.nan}, {"objective_weights": {"cost": math.nan}}, {"time_limit_s": math.inf},
    {"relative_gap": True}, {"targets": {"magnesium_mg": {"max": math.inf}}}, {"targets": {"magnesium_mg": {"min": True}}},
    {"food_bounds": {"12061": {"min": 5, "max": 1}}}, {"max_item_grams": math.inf}, {"min_foods_per_day": "7"},
])
def test_the_python_api_is_as_strict_as_the_file(fields):
    """Library callers get the same refusals (a pydantic ValidationError, which is a ValueError)."""
    with pytest.raises(ValidationError):
        PlanRequest.model_validate({"profile": {"sex": "female", "age": 45}, **fields})


def test_numpy_numbers_are_numbers():
    item = LockedItem(day=np.int64(2), meal="lunch", food_id="x", grams=np.float32(50))
    assert item.day == 2 and type(item.day) is int and item.grams == 50.0
    assert FoodBound(min=np.int64(1), max=2).min == 1.0


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, 0, -1, 3601, True, "5"])
def test_time_limits_are_finite_and_positive(value):
    with pytest.raises(RequestError, match="time_limit_s"):
        check_time_limit(value)  # type: ignore[arg-type]
    assert check_time_limit(5) == 5.0 and check_time_limit(None) is None


def test_plan_refuses_a_non_finite_time_limit_before_any_work():
    from optimizer.planner import plan

    request = PlanRequest(profile={"sex": "female", "age": 45}, days=1)
    for value in (math.inf, math.nan, -2.0):
        with pytest.raises(RequestError, match="time_limit_s"):
            plan(request, time_limit_s=value)
