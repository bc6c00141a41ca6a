"""Life-stage DRIs: every cell of the reference tables (copied to tests/optimizer/data/dri-life-stages.md) reaches
its life stage through targets_for, with the right bound, UL meaning ("counts") and source; energy by trimester and
months post partum; infants refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from optimizer import Profile, targets_for
from optimizer.domain.energy import eer_kcal, reference_body_size
from optimizer.domain.errors import RequestError
from optimizer.domain.targets import dri_sources

REFERENCE = (Path(__file__).parent / "data" / "dri-life-stages.md").read_text(encoding="utf-8")

# Minimum-table columns -> profiles at both ends of the age band
MIN_COLUMNS = {
    "C1": [("female", 1, ""), ("male", 3.99, "")], "C4": [("female", 4, ""), ("male", 8.99, "")],
    "M9": [("male", 9, ""), ("male", 13.99, "")], "F9": [("female", 9, ""), ("female", 13.99, "")],
    "M14": [("male", 14, ""), ("male", 18.99, "")], "F14": [("female", 14, ""), ("female", 18.99, "")],
    "M19": [("male", 19, ""), ("male", 30.99, "")], "F19": [("female", 19, ""), ("female", 30.99, "")],
    "M31": [("male", 31, ""), ("male", 50.99, "")], "F31": [("female", 31, ""), ("female", 50.99, "")],
    "M51": [("male", 51, ""), ("male", 70.99, "")], "F51": [("female", 51, ""), ("female", 70.99, "")],
    "M71": [("male", 71, ""), ("male", 95, "")], "F71": [("female", 71, ""), ("female", 95, "")],
    "P18": [("female", 14, "p"), ("female", 18.99, "p")], "P19": [("female", 19, "p"), ("female", 30.99, "p")],
    "P31": [("female", 31, "p"), ("female", 50, "p")], "L18": [("female", 14, "l"), ("female", 18.99, "l")],
    "L19": [("female", 19, "l"), ("female", 30.99, "l")], "L31": [("female", 31, "l"), ("female", 50, "l")],
}
UL_COLUMNS = [
    [("female", 1, ""), ("male", 3.99, "")], [("female", 4, ""), ("male", 8.99, "")],
    [("female", 9, ""), ("male", 13.99, "")], [("female", 14, ""), ("male", 18.99, "")],
    [("female", 19, ""), ("male", 50.99, "")], [("female", 51, ""), ("male", 70.99, "")],
    [("female", 71, ""), ("male", 95, "")],
    [("female", 14, "p"), ("female", 18.99, "l")], [("female", 19, "p"), ("female", 50, "l")],
]
MIN_KEYS = {"protein": "protein_g", "carbohydrate": "carbohydrate_g", "fiber": "fiber_g", "calcium": "calcium_mg",
            "phosphorus": "phosphorus_mg", "magnesium": "magnesium_mg", "potassium": "potassium_mg",
            "iron": "iron_mg", "zinc": "zinc_mg", "selenium": "selenium_ug", "vitamin A": "vitamin_a_rae_ug",
            "vitamin C": "vitamin_c_mg", "folate": "folate_ug", "vitamin B12": "vitamin_b12_ug",
            "choline": "choline_mg", "vitamin D": "vitamin_d_ug"}
# UL row -> (target key, nutrient counted, applies_to): the "counts" column of the reference
UL_KEYS = {"calcium": ("calcium_mg", "calcium_mg", "total"), "phosphorus": ("phosphorus_mg", "phosphorus_mg", "total"),
           "magnesium": ("supplemental_magnesium_mg", "magnesium_mg", "supplements"),
           "iron": ("iron_mg", "iron_mg", "total"), "zinc": ("zinc_mg", "zinc_mg", "total"),
           "selenium": ("selenium_ug", "selenium_ug", "total"), "vitamin A": ("retinol_ug", "retinol_ug", "total"),
           "vitamin C": ("vitamin_c_mg", "vitamin_c_mg", "total"),
           "folate": ("folic_acid_ug", "folate_ug", "total"),  # folic acid, bounded via total folate (upper estimate)
           "choline": ("choline_mg", "choline_mg", "total"), "vitamin D": ("vitamin_d_ug", "vitamin_d_ug", "total"),
           "sodium": ("sodium_mg", "sodium_mg", "total")}


def _table(title: str) -> list[list[str]]:
    lines = [ln for ln in REFERENCE.split(title, 1)[1].splitlines() if ln.startswith("|")]
    out = []
    for ln in lines[2:]:
        cells = [c.strip() for c in ln.strip().strip("|").split("|")]
        if cells[0].startswith("nutrient"):
            break
        out.append(cells)
    return out


def _nutrient(cell: str) -> str:
    return re.match(r"([A-Za-z0-9 ]+?) \(", cell).group(1).strip()


def _profile(sex: str, age: float, stage: str) -> Profile:
    return Profile(sex=sex, age=age, pregnant=stage == "p", lactating=stage == "l")


MIN_CASES = [(_nutrient(c[0]), col, float(v), c[-1]) for c in _table("## Minimums")
             for col, v in zip(MIN_COLUMNS, c[1:21]) if _nutrient(c[0]) != "sodium"]
UL_CASES = [(_nutrient(c[0]), i, v, c[-1]) for c in _table("## Upper limits") for i, v in enumerate(c[2:11])]


def test_the_reference_tables_were_read_whole():
    assert len({n for n, *_ in MIN_CASES}) == 16 and len(MIN_CASES) == 16 * 20
    assert len({n for n, *_ in UL_CASES}) == 12 and len(UL_CASES) == 12 * 9


@pytest.mark.parametrize("nutrient, column, value, source", MIN_CASES, ids=lambda v: str(v))
def test_every_minimum_reaches_its_life_stage(nutrient, column, value, source):
    key = MIN_KEYS[nutrient]
    for sex, age, stage in MIN_COLUMNS[column]:
        t = targets_for(_profile(sex, age, stage))[key]
        assert t.min == pytest.approx(value), (column, age)
        assert t.applies_to == "total" and t.period == "daily"
        assert t.source and all(k.strip() in dri_sources().index for k in t.source.split(";")), key


@pytest.mark.parametrize("nutrient, column, cell, source", UL_CASES, ids=lambda v: str(v))
def test_every_upper_limit_reaches_its_life_stage_with_its_counts_meaning(nutrient, column, cell, source):
    key, counted, applies_to = UL_KEYS[nutrient]
    for sex, age, stage in UL_COLUMNS[column]:
        if "preg" in cell:
            preg, lact = (float(x) for x in re.findall(r"\d+", cell))
            value = preg if stage == "p" else lact
        else:
            value = float(cell)
        t = targets_for(_profile(sex, age, stage))[key]
        assert t.max == pytest.approx(value), (nutrient, sex, age, stage)
        assert (t.nutrient, t.applies_to) == (counted, applies_to)
        assert t.is_upper_limit == (nutrient != "sodium")  # the sodium CDRR is a reduction target, not a UL
        cited = [k.strip() for k in t.source.split(";")]
        assert cited and all(k in dri_sources().index for k in cited), t.source
        if age < 19 or stage:  # rows new with the life-stage table cite the table's own source key
            assert source in cited or key in ("vitamin_d_ug", "supplemental_magnesium_mg", "sodium_mg"), (t.source, source)
    if nutrient == "vitamin A":
        assert "retinol" in t.note
    if nutrient == "folate":
        assert "folic acid" in t.note
    if nutrient == "magnesium":
        assert "supplements" in t.note


@pytest.mark.parametrize("age, low, high", [(2, 30, 40), (6, 25, 35), (15, 25, 35), (30, 20, 35), (75, 20, 35)])
def test_fat_amdr_and_saturated_fat_by_age(age, low, high):
    t = targets_for(Profile(sex="female", age=age))
    assert (t["fat_energy_pct"].min, t["fat_energy_pct"].max) == (low, high)
    assert (t["carbohydrate_energy_pct"].min, t["carbohydrate_energy_pct"].max) == (45, 65)
    assert t["saturated_fat_energy_pct"].max == 10


def test_no_saturated_fat_limit_before_two():
    assert "saturated_fat_energy_pct" not in targets_for(Profile(sex="male", age=1.5))


@pytest.mark.parametrize("age, expected", [(2, 0), (5, 45), (8, 62.5), (11, 85), (15, 2.5 * 54), (30, 400)])
def test_caffeine_limit_by_age(age, expected):
    t = targets_for(Profile(sex="female", age=age))["caffeine_mg"]
    assert t.max == pytest.approx(expected) and t.is_upper_limit


def test_caffeine_in_pregnancy_and_for_a_heavier_teen():
    assert targets_for(Profile(sex="female", age=30, pregnant=True))["caffeine_mg"].max == 200
    assert targets_for(Profile(sex="male", age=16, weight_kg=70))["caffeine_mg"].max == pytest.approx(175)
    assert "ACOG" in targets_for(Profile(sex="female", age=30, pregnant=True))["caffeine_mg"].source


def test_pregnant_woman_30_gets_folate_retinol_calcium_zinc_protein_choline():
    t = targets_for(Profile(sex="female", age=30, pregnant=True))
    assert t["folate_ug"].min == 600 and t["folic_acid_ug"].max == 1000
    assert t["retinol_ug"].max == 3000 and t["calcium_mg"].min == 1000 and t["zinc_mg"].min == 11
    assert t["protein_g"].min == 71 and t["choline_mg"].min == 450
    assert "left out" not in t.basis


@pytest.mark.parametrize("trimester, extra", [(1, 0), (2, 340), (3, 452)])
def test_energy_by_trimester(trimester, extra):
    weight, height = reference_body_size("female", 30)
    base = eer_kcal("female", 30, weight, height)
    t = targets_for(Profile(sex="female", age=30, pregnant=True, trimester=trimester))
    assert t.energy_kcal == pytest.approx(base + extra)
    assert f"trimester {trimester}" in t["energy_kcal"].note


@pytest.mark.parametrize("months, extra", [(None, 330), (0, 330), (6, 330), (7, 400), (12, 400)])
def test_energy_by_months_postpartum(months, extra):
    weight, height = reference_body_size("female", 30)
    base = eer_kcal("female", 30, weight, height)
    t = targets_for(Profile(sex="female", age=30, lactating=True, months_postpartum=months))
    assert t.energy_kcal == pytest.approx(base + extra)


def test_unset_trimester_defaults_to_the_second_and_says_so():
    t = targets_for(Profile(sex="female", age=30, pregnant=True))
    assert "2nd trimester assumed" in t["energy_kcal"].note


@pytest.mark.parametrize("kwargs", [
    {"sex": "female", "age": 30, "trimester": 2},
    {"sex": "female", "age": 30, "months_postpartum": 3},
    {"sex": "female", "age": 30, "pregnant": True, "trimester": 4},
    {"sex": "female", "age": 30, "lactating": True, "months_postpartum": 13},
])
def test_life_stage_details_are_validated(kwargs):
    with pytest.raises(ValueError):
        Profile(**kwargs)


@pytest.mark.parametrize("age", [0, 0.5, 0.99])
def test_infants_are_refused_with_a_request_error(age):
    with pytest.raises(RequestError, match="infants"):
        targets_for(Profile(sex="male", age=age))


# -- the magnesium–vitamin D rule by life stage -------------------------------------------------------------
from optimizer import MagnesiumVitaminDRule, PlanRequest  # noqa: E402


@pytest.mark.parametrize("age, start", [(2, 15), (30, 15), (70.9, 15), (71, 20), (75, 20)])
def test_default_rule_starts_at_the_life_stage_vitamin_d_rda(age, start):
    request = PlanRequest(profile=Profile(sex="male", age=age), days=1)
    assert request.rule.breakpoints[1].vitamin_d_ug == start
    assert request.rule.extra_magnesium_mg(start) == 0
    assert request.rule.is_default_policy and f"{start:g} µg/day" in request.rule.describe()


def test_over_70_a_20_microgram_dose_needs_no_extra_magnesium_but_the_schedule_stays_settable():
    default = PlanRequest(profile=Profile(sex="male", age=75), days=1)
    assert default.rule.required_magnesium_mg(420, 20) == 420  # was 425.9 when the rule started at 15 µg
    custom = PlanRequest(profile=Profile(sex="male", age=75), days=1,
                         rule=MagnesiumVitaminDRule(breakpoints=[(0, 0), (10, 0), (100, 50)]))
    assert custom.rule.extra_magnesium_mg(20) == pytest.approx(50 * 10 / 90)
    assert not custom.rule.is_default_policy


@pytest.mark.parametrize("age, ratio", [(2, None), (6, None), (15, None), (18.9, None), (19, 2.6), (75, 2.6)])
def test_calcium_magnesium_ratio_is_adult_only_by_default(age, ratio):
    assert PlanRequest(profile=Profile(sex="female", age=age), days=1).rule.calcium_magnesium_ratio_max == ratio


def test_a_saved_request_keeps_its_rule():
    request = PlanRequest(profile=Profile(sex="male", age=75), days=1)
    again = PlanRequest.model_validate_json(request.model_dump_json())
    assert again.rule == request.rule


def test_a_plan_for_an_infant_is_refused_from_the_library_and_the_cli(tmp_path, capsys):
    import json

    import optimizer
    from optimizer.cli.main import main as cli_main

    with pytest.raises(RequestError, match="infants"):
        optimizer.plan(PlanRequest(profile=Profile(sex="female", age=0.5), days=1))
    path = tmp_path / "baby.json"
    path.write_text(json.dumps({"profile": {"sex": "male", "age": 0.25}, "days": 1}), encoding="utf-8")
    assert cli_main(["plan", str(path)]) == 2
    assert "infants" in capsys.readouterr().err
