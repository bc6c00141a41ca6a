"""The frozen, validated PlanRequest and the Profile it carries."""

import pytest
from pydantic import ValidationError

from optimizer.domain.profile import Profile
from optimizer.domain.request import LockedItem, PlanRequest
from optimizer.domain.rule import MagnesiumVitaminDRule

PERSON = Profile(sex="female", age=45)


def test_defaults_are_a_sensible_week():
    req = PlanRequest(profile=PERSON)
    assert req.days == 7
    assert req.meals == ("breakfast", "lunch", "dinner", "snack")
    assert req.portions == "household"
    assert req.objective == "food_first"
    assert req.candidates == "everyday"
    assert req.vitamin_d_mode == "choose"
    assert req.rule.is_default_policy
    assert set(req.energy_shares()) == set(req.meals)


def test_request_is_frozen_and_forbids_unknown_fields():
    req = PlanRequest(profile=PERSON)
    with pytest.raises(ValidationError):
        req.days = 3  # type: ignore[misc]
    with pytest.raises(ValidationError, match="extra"):
        PlanRequest(profile=PERSON, dayz=3)
    with pytest.raises(ValidationError, match="extra"):
        Profile(sex="female", age=45, hight_cm=170)


def test_json_round_trip():
    req = PlanRequest(profile=PERSON, days=2, vitamin_d_supplement_ug=50,
                      locked=[LockedItem(day=1, meal="lunch", food_id="12014", portions=1)])
    assert PlanRequest.model_validate_json(req.model_dump_json()) == req


def test_iu_accepted_at_the_boundary_and_converted():
    req = PlanRequest(profile=PERSON, vitamin_d_supplement_iu=2000)
    assert req.vitamin_d_supplement_ug == pytest.approx(50.0)
    assert req.vitamin_d_mode == "daily"
    weekly = PlanRequest(profile=PERSON, vitamin_d_weekly_supplement_iu=50000)
    assert weekly.vitamin_d_weekly_supplement_ug == pytest.approx(1250.0)
    assert weekly.vitamin_d_mode == "weekly"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"vitamin_d_supplement_ug": -5}, "greater than or equal"),
        ({"vitamin_d_supplement_iu": -400}, "must be >= 0 IU"),
        ({"vitamin_d_supplement_ug": 10, "vitamin_d_supplement_iu": 400}, "not both"),
        ({"vitamin_d_supplement_ug": 10, "vitamin_d_weekly_supplement_ug": 1250}, "daily or weekly"),
        ({"days": 0}, "greater than or equal"),
        ({"meals": ()}, "non-empty"),
        ({"locked": [{"day": 9, "meal": "lunch", "food_id": "1", "grams": 10}]}, "day 9"),
        ({"locked": [{"day": 1, "meal": "brunch", "food_id": "1", "grams": 10}]}, "brunch"),
        ({"locked": [{"day": 1, "meal": "lunch", "food_id": "1"}]}, "portions or grams"),
        ({"meal_energy_shares": {"lunch": (0.5, 0.2)}}, "min <= max"),
    ],
)
def test_bad_requests_name_the_problem(kwargs, message):
    with pytest.raises(ValidationError, match=message):
        PlanRequest(profile=PERSON, **kwargs)


def test_request_without_profile_needs_targets():
    with pytest.raises(ValidationError, match="profile"):
        PlanRequest()
    generic = PlanRequest(targets={"protein_g": {"min": 70}, "sodium_mg": {"max": 2300}}, objective="cost",
                          days=1, portions="continuous", supplements=[], food_bounds={"x1": {"max": 300}})
    assert generic.targets["protein_g"].min == 70
    assert generic.supplements == ()


def test_profile_life_stage_rules():
    assert Profile(sex="female", age=30, pregnant=True).life_stage == "pregnancy"
    assert Profile(sex="female", age=30, lactating=True).life_stage == "lactation"
    assert Profile(sex="male", age=30).life_stage == "male"
    with pytest.raises(ValidationError, match="female"):
        Profile(sex="male", age=30, pregnant=True)
    with pytest.raises(ValidationError, match="not both"):
        Profile(sex="female", age=30, pregnant=True, lactating=True)
    with pytest.raises(ValidationError):
        Profile(sex="female", age=-1)


def test_rule_accepts_pairs_and_rejects_decreasing():
    rule = MagnesiumVitaminDRule(breakpoints=[(0, 0), (50, 20), (100, 100)])
    assert rule.is_convex
    assert rule.extra_magnesium_mg(75) == pytest.approx(60)
    with pytest.raises(ValidationError, match="nondecreasing"):
        MagnesiumVitaminDRule(breakpoints=[(0, 30), (50, 10)])
    with pytest.raises(ValidationError, match="0 µg"):
        MagnesiumVitaminDRule(breakpoints=[(10, 0), (50, 10)])
    with pytest.raises(ValidationError):
        MagnesiumVitaminDRule(calcium_magnesium_ratio_max=3.5)


def test_optimizer_plan_stays_the_function_after_submodule_imports():
    import importlib

    import optimizer

    importlib.import_module("optimizer.results.plan")
    from optimizer.results.plan import Plan  # noqa: F401

    assert callable(optimizer.plan) and optimizer.plan.__module__ == "optimizer"
    assert optimizer.Plan.__name__ == "Plan"
