"""Life-stage food safety (optimizer/compile/safety.py + optimizer/data/life_stage_safety.csv): the rules match on
SR24 and on FNDDS-shaped tables, real 1-day plans for six life stages keep every exclusion and limit, and only a
clinician override lifts a rule."""

from __future__ import annotations

import pandas as pd
import pytest

import foods
import optimizer
from optimizer import ClinicianOverride, MustInclude, PlanRequest, Profile, RequestError
from optimizer.compile.safety import excluded_by_safety, load_safety_rules, safety_rule_ids
from optimizer.domain.targets import dri_sources

SR = foods.load_foods()
PREGNANT = Profile(sex="female", age=30, pregnant=True)
TODDLER = Profile(sex="female", age=2)
ADULT = Profile(sex="male", age=40)


def _excluded(profile: Profile | None, frame: pd.DataFrame, **kw) -> dict[str, set[str]]:
    request = PlanRequest(profile=profile, days=1, **kw) if profile else PlanRequest(targets={"energy_kcal": {"min": 1}}, days=1)
    return {rule: set(frame.index[hit]) for rule, hit in excluded_by_safety(request, frame).items()}


def _ids(*names: str) -> list[str]:
    frame = SR.frame
    return [str(frame.index[frame["name"] == n][0]) for n in names]


def test_every_rule_is_cited_and_described():
    rows = load_safety_rules()
    assert {"high-mercury-fish", "listeria-deli-meats", "listeria-raw-sprouts", "no-caffeine-under-4", "no-alcohol",
            "choking-hazards-under-4", "infant-foods"} <= set(safety_rule_ids())
    for row in rows:
        assert row.source in dri_sources().index and row.description


def test_sr24_high_mercury_fish_in_pregnancy_lactation_and_childhood_only():
    fish = set(_ids("Fish, swordfish, cooked, dry heat", "Fish, shark, mixed species, raw", "Fish, mackerel, king, raw",
                    "Fish, tilefish, cooked, dry heat", "Fish, roughy, orange, raw"))
    safe = set(_ids("Fish, mackerel, Atlantic, cooked, dry heat", "Fish, mackerel, spanish, cooked, dry heat"))
    for profile in (PREGNANT, Profile(sex="female", age=30, lactating=True), TODDLER, Profile(sex="female", age=15)):
        hit = _excluded(profile, SR.frame)["high-mercury-fish"]
        assert fish <= hit and not safe & hit
    assert "high-mercury-fish" not in _excluded(ADULT, SR.frame)


def test_sr24_listeria_rules_in_pregnancy():
    hit = _excluded(PREGNANT, SR.frame)
    assert set(_ids("Frankfurter, beef, unheated")) <= hit["listeria-deli-meats"]
    assert not set(_ids("Frankfurter, beef, heated")) & hit["listeria-deli-meats"]
    assert set(_ids("Alfalfa seeds, sprouted, raw", "Mung beans, mature seeds, sprouted, raw")) <= hit["listeria-raw-sprouts"]
    assert not set(_ids("Brussels sprouts, raw")) & hit["listeria-raw-sprouts"]
    assert set(_ids("Egg, whole, raw, fresh")) <= hit["listeria-raw-animal-foods"]
    assert not set(_ids("Egg, whole, cooked, fried")) & hit["listeria-raw-animal-foods"]
    assert set(_ids("Fish, salmon, chinook, smoked")) <= hit["listeria-smoked-seafood"]
    assert "listeria-deli-meats" not in _excluded(ADULT, SR.frame)


def test_sr24_toddler_rules_caffeine_choking_and_everyone_alcohol_and_infant_foods():
    hit = _excluded(TODDLER, SR.frame)
    assert set(_ids("Coffee, brewed from grounds, prepared with tap water", "Tea, black, brewed, prepared with tap water",
                    "Chocolate, dark, 70-85% cacao solids")) <= hit["no-caffeine-under-4"]
    assert set(_ids("Nuts, macadamia nuts, raw", "Snacks, popcorn, air-popped", "Peanut butter, smooth style, with salt",
                    "Carrots, raw", "Frankfurter, beef, heated")) <= hit["choking-hazards-under-4"]
    assert not set(_ids("Carrots, cooked, boiled, drained, without salt")) & hit["choking-hazards-under-4"]
    for profile in (TODDLER, ADULT, None):
        rules = _excluded(profile, SR.frame)
        assert set(_ids("Milk, human, mature, fluid")) <= rules["infant-foods"]
        assert set(_ids("Vanilla extract")) <= rules["no-alcohol"]
    assert "no-caffeine-under-4" not in _excluded(Profile(sex="female", age=5), SR.frame)


FNDDS = pd.DataFrame(
    {"name": ["Swordfish, baked", "Coffee, brewed", "Beer", "Hot dog, beef, plain", "Infant formula, NFS",
              "Grapes, raw", "Salmon, smoked", "Tuna, canned, water pack", "Apple juice, 100%", "Sushi roll, tuna",
              "Almonds, unsalted", "Chicken breast, baked"],
     "wweia_category": ["Fish", "Coffee", "Beer", "Frankfurters", "Infant formulas", "Grapes", "Fish", "Fish",
                        "Apple juice", "Fish", "Nuts and seeds", "Chicken, whole pieces"],
     "caffeine_mg": [0, 40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "alcohol_g": [0, 0, 3.9, 0, 0, 0, 0, 0, 0, 0, 0, 0]},
    index=[f"f{i}" for i in range(12)])


def test_rules_work_on_an_fndds_shaped_table():
    preg = _excluded(PREGNANT, FNDDS)
    assert preg["high-mercury-fish"] == {"f0"} and "f9" in preg["listeria-raw-animal-foods"]
    assert "f6" in preg["listeria-smoked-seafood"] and "f3" in preg["listeria-deli-meats"]
    assert preg["no-alcohol"] == {"f2"} and preg["infant-foods"] == {"f4"}
    toddler = _excluded(TODDLER, FNDDS)
    assert toddler["no-caffeine-under-4"] == {"f1"}
    assert {"f3", "f5", "f10"} <= toddler["choking-hazards-under-4"]
    assert not {"f7", "f8", "f11"} & set().union(*toddler.values())


CASES = {
    "pregnant-30": PREGNANT, "lactating-30": Profile(sex="female", age=30, lactating=True),
    "girl-15": Profile(sex="female", age=15), "child-6": Profile(sex="male", age=6), "child-2": TODDLER,
    "man-75": Profile(sex="male", age=75),
}


@pytest.mark.parametrize("case", list(CASES))
def test_real_one_day_plan_over_the_everyday_foods_keeps_every_exclusion_and_limit(case):
    _check_plan(case)


def _check_plan(case: str) -> None:
    profile = CASES[case]
    request = PlanRequest(profile=profile, days=1, portions="continuous")  # an LP: deterministic and fast
    plan = optimizer.plan(request)
    assert plan.has_solution and plan.verification.passed, plan.summary()
    used = set(plan.items["food_id"])
    for rule, hit in excluded_by_safety(request, SR.frame).items():
        assert not used & set(SR.frame.index[hit]), rule
    totals = plan.totals.iloc[0]
    targets = optimizer.targets_for(profile)
    assert totals["retinol_ug"] <= targets["retinol_ug"].max + 1e-6
    assert totals["caffeine_mg"] <= targets["caffeine_mg"].max + 1e-6
    assert totals["calcium_mg"] >= targets["calcium_mg"].min - 1e-6
    assert totals["calcium_mg"] <= targets["calcium_mg"].max + 1e-6
    assert totals["vitamin_d_ug"] <= targets["vitamin_d_ug"].max + 1e-6
    if profile.age < 4:
        assert any("food safety rule choking-hazards-under-4" in n for n in plan.notes)
        assert any("no-caffeine-under-4" in n for n in plan.notes)
    if profile.pregnant or profile.lactating or profile.age < 19:
        assert any("food safety rule high-mercury-fish" in n and n.startswith("1 foods") for n in plan.notes)


def test_a_must_include_beef_liver_cannot_break_the_pregnancy_retinol_limit():
    request = PlanRequest(profile=PREGNANT, days=1, portions="continuous",
                          must_include=[MustInclude(food_id="13326")])
    plan = optimizer.plan(request)
    assert not plan.has_solution
    assert "liver" in str(plan.explanation).lower()  # the retinol UL holds: the must-include is what gives


def test_a_named_food_a_rule_excludes_is_refused_with_the_way_out():
    swordfish = _ids("Fish, swordfish, cooked, dry heat")[0]
    with pytest.raises(RequestError, match="high-mercury-fish.*food_safety_rules"):
        optimizer.plan(PlanRequest(profile=PREGNANT, days=1, must_include=[MustInclude(food_id=swordfish)]))


def test_only_a_clinician_override_lifts_a_rule_and_the_plan_records_it():
    swordfish = _ids("Fish, swordfish, cooked, dry heat")[0]
    override = ClinicianOverride(clinician="Dr A. Test", reason="low-mercury source verified",
                                 food_safety_rules=["high-mercury-fish"])
    request = PlanRequest(profile=PREGNANT, days=1, portions="continuous", must_include=[MustInclude(food_id=swordfish)],
                          clinician_override=override)
    plan = optimizer.plan(request)
    assert plan.has_solution and swordfish in set(plan.items["food_id"])
    assert plan.clinician_overrides == ["Clinician override by Dr A. Test: food safety rule high-mercury-fish lifted "
                                        "(low-mercury source verified)."]
    assert "high-mercury-fish lifted" in plan.summary()
    assert not any("high-mercury-fish" in n and "left out" in n for n in plan.notes)
    again = optimizer.Plan.model_validate_json(plan.model_dump_json())
    assert again.clinician_overrides == plan.clinician_overrides


def test_an_unknown_rule_id_in_an_override_is_refused():
    override = ClinicianOverride(clinician="Dr A", reason="r", food_safety_rules=["no-such-rule"])
    with pytest.raises(RequestError, match="no-such-rule.*high-mercury-fish"):
        optimizer.plan(PlanRequest(profile=PREGNANT, days=1, clinician_override=override))
