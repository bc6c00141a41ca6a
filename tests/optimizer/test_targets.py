"""targets_for: every magnesium and vitamin D row of dri.csv through its life stage, other nutrients at
several life stages, overrides, and the loader's checks."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from foods.errors import DataError
from optimizer import Profile, TargetOverride, targets_for
from optimizer.domain.energy import energy_requirement_kcal
from optimizer.domain.errors import RequestError
from optimizer.domain.targets import DRI_PATH, TARGET_KEYS, dri_sources, load_dri_table

# Read the CSV with the csv module (not the code under test) so the table is checked independently.
with open(DRI_PATH, newline="", encoding="utf-8") as fh:
    RAW_ROWS = list(csv.DictReader(fh))


def _profiles_for(row: dict) -> list[Profile]:
    """Profiles at both ends of a row's age range, for every life stage the row covers."""
    lo = float(row["age_min"])
    hi = float(row["age_max"]) if row["age_max"] else 120.0
    ages = {lo, round(hi - 0.01, 2) if row["age_max"] else 95.0}
    stage = row["life_stage"]
    out = []
    for age in sorted(ages):
        if age < 1:  # infants are refused (test_life_stages.py); their reference rows stay in the table
            continue
        if stage in ("female", "male"):
            out.append(Profile(sex=stage, age=age))
        elif stage == "both":
            out += [Profile(sex="female", age=age), Profile(sex="male", age=age)]
        elif stage == "pregnancy":
            out.append(Profile(sex="female", age=min(age, 50), pregnant=True))
        elif stage == "lactation":
            out.append(Profile(sex="female", age=min(age, 50), lactating=True))
    return out


MG_VITD_ROWS = [r for r in RAW_ROWS if r["target_key"] in ("magnesium_mg", "supplemental_magnesium_mg", "vitamin_d_ug")]


@pytest.mark.parametrize("row", MG_VITD_ROWS, ids=lambda r: f"{r['target_key']}-{r['kind']}-{r['life_stage']}-{r['age_min']}")
def test_every_magnesium_and_vitamin_d_row_reaches_its_life_stage(row):
    for profile in _profiles_for(row):
        target = targets_for(profile)[row["target_key"]]
        expected = 0.0 if row["value"] == "ND" else float(row["value"])
        got = target.min if row["bound"] == "min" else target.max
        assert got == pytest.approx(expected), (profile, row)
        assert target.period == "daily"
        assert row["source"] in target.source
        if row["kind"] == "ul":
            assert target.is_upper_limit


def test_magnesium_and_vitamin_d_rows_cover_every_life_stage_in_section_1_and_2():
    mg = [r for r in RAW_ROWS if r["target_key"] == "magnesium_mg"]
    assert len(mg) == 21  # the 21 rows of reference §1
    vd = [r for r in RAW_ROWS if r["target_key"] == "vitamin_d_ug"]
    assert {r["kind"] for r in vd} == {"ai", "rda", "ul"}


@pytest.mark.parametrize(
    "profile, expected",
    [
        (Profile(sex="female", age=45), {"magnesium_mg": (320, None), "supplemental_magnesium_mg": (None, 350),
                                         "vitamin_d_ug": (15, 100), "calcium_mg": (1000, 2500), "iron_mg": (18, 45),
                                         "zinc_mg": (8, 40), "vitamin_c_mg": (75, 2000), "potassium_mg": (2600, None),
                                         "sodium_mg": (None, 2300), "fiber_g": (25, None), "protein_g": (46, None),
                                         "vitamin_a_rae_ug": (700, None), "retinol_ug": (None, 3000),
                                         "folate_ug": (400, None), "vitamin_b12_ug": (2.4, None),
                                         "phosphorus_mg": (700, 4000), "carbohydrate_g": (130, None)}),
        (Profile(sex="male", age=25), {"magnesium_mg": (400, None), "vitamin_d_ug": (15, 100), "zinc_mg": (11, 40),
                                       "iron_mg": (8, 45), "fiber_g": (38, None), "protein_g": (56, None),
                                       "potassium_mg": (3400, None), "vitamin_c_mg": (90, 2000),
                                       "vitamin_a_rae_ug": (900, None)}),
        (Profile(sex="male", age=75), {"vitamin_d_ug": (20, 100), "magnesium_mg": (420, None),
                                       "calcium_mg": (1200, 2000), "phosphorus_mg": (700, 3000), "fiber_g": (30, None)}),
        (Profile(sex="female", age=60), {"calcium_mg": (1200, 2000), "iron_mg": (8, 45), "fiber_g": (21, None)}),
        (Profile(sex="female", age=2), {"magnesium_mg": (80, None), "supplemental_magnesium_mg": (None, 65),
                                        "vitamin_d_ug": (15, 63), "fat_energy_pct": (30, 40),
                                        "protein_energy_pct": (5, 20)}),
        (Profile(sex="male", age=6), {"magnesium_mg": (130, None), "supplemental_magnesium_mg": (None, 110),
                                      "vitamin_d_ug": (15, 75), "fat_energy_pct": (25, 35),
                                      "protein_energy_pct": (10, 30), "carbohydrate_energy_pct": (45, 65)}),
        (Profile(sex="female", age=25, pregnant=True), {"magnesium_mg": (350, None), "iron_mg": (27, 45),
                                                        "potassium_mg": (2900, None), "vitamin_d_ug": (15, 100),
                                                        "supplemental_magnesium_mg": (None, 350)}),
        (Profile(sex="female", age=17, lactating=True), {"magnesium_mg": (360, None), "vitamin_d_ug": (15, 100),
                                                         "sodium_mg": (None, 2300)}),
        (Profile(sex="female", age=35, lactating=True), {"magnesium_mg": (320, None), "potassium_mg": (2800, None)}),
    ],
    ids=lambda v: getattr(v, "life_stage", None) and f"{v.life_stage}-{v.age:g}",
)
def test_values_for_life_stages(profile, expected):
    targets = targets_for(profile)
    for key, (lo, hi) in expected.items():
        t = targets[key]
        assert (t.min, t.max) == (pytest.approx(lo) if lo is not None else None,
                                  pytest.approx(hi) if hi is not None else None), key


def test_adult_targets_have_every_contract_key_with_source_and_daily_period():
    targets = targets_for(Profile(sex="female", age=45))
    assert targets.keys() == list(TARGET_KEYS)
    for t in targets:
        assert t.source and t.period == "daily"
    assert targets.basis.startswith("DRI: female 31–50 y")
    assert "left out" not in targets.basis


def test_supplemental_magnesium_ul_counts_supplements_only_and_can_sit_below_the_rda():
    targets = targets_for(Profile(sex="male", age=2))
    supp, total = targets["supplemental_magnesium_mg"], targets["magnesium_mg"]
    assert supp.nutrient == "magnesium_mg" and supp.applies_to == "supplements" and supp.is_upper_limit
    assert total.applies_to == "total" and not total.is_upper_limit
    assert supp.max < total.min  # 65 < 80: right, the UL is supplemental-only


def test_infant_supplemental_magnesium_is_food_only_and_infants_are_refused():
    row = next(r for r in RAW_ROWS if r["target_key"] == "supplemental_magnesium_mg" and r["age_min"] == "0")
    assert row["value"] == "ND" and "food/formula only" in row["note"]
    with pytest.raises(RequestError, match="infants"):
        targets_for(Profile(sex="female", age=0.3))


def test_upper_limit_flags():
    targets = targets_for(Profile(sex="male", age=40))
    assert targets["vitamin_d_ug"].is_upper_limit and targets["retinol_ug"].is_upper_limit
    assert not targets["sodium_mg"].is_upper_limit  # CDRR, not a UL
    assert not targets["energy_kcal"].is_upper_limit
    assert not targets["saturated_fat_energy_pct"].is_upper_limit
    assert targets["sodium_mg"].min is None  # no minimum by default; the AI is in the note
    assert "1,500" in targets["sodium_mg"].note


def test_energy_percent_targets_carry_atwater_factors():
    targets = targets_for(Profile(sex="female", age=45))
    assert targets["fat_energy_pct"].kind == "energy_percent" and targets["fat_energy_pct"].kcal_per_unit == 9
    assert targets["protein_energy_pct"].kcal_per_unit == 4
    assert targets["carbohydrate_energy_pct"].nutrient == "carbohydrate_g"
    assert targets["saturated_fat_energy_pct"].max == 10 and targets["saturated_fat_energy_pct"].nutrient == "saturated_fat_g"


def test_protein_uses_the_larger_of_table_and_per_kg():
    assert targets_for(Profile(sex="female", age=45, weight_kg=50))["protein_g"].min == 46  # 40 g < 46 g
    assert targets_for(Profile(sex="female", age=45, weight_kg=80))["protein_g"].min == pytest.approx(64.0)
    assert targets_for(Profile(sex="male", age=45, weight_kg=100))["protein_g"].min == pytest.approx(80.0)


def test_energy_target_is_a_ten_percent_band_around_the_estimate():
    profile = Profile(sex="female", age=45)
    targets = targets_for(profile)
    estimate = energy_requirement_kcal(profile)
    assert targets.energy_kcal == pytest.approx(estimate)
    assert targets["energy_kcal"].min == pytest.approx(0.9 * estimate)
    assert targets["energy_kcal"].max == pytest.approx(1.1 * estimate)
    given = targets_for(Profile(sex="female", age=45, energy_kcal=2000))
    assert (given["energy_kcal"].min, given["energy_kcal"].max) == (pytest.approx(1800), pytest.approx(2200))


def test_children_and_teen_pregnancy_have_every_life_stage_target():
    targets = targets_for(Profile(sex="female", age=7))
    assert targets["calcium_mg"].min == 1000 and targets["iron_mg"].min == 10
    assert "left out" not in targets.basis
    pregnant = targets_for(Profile(sex="female", age=16, pregnant=True))
    assert pregnant["potassium_mg"].min == 2600  # life-stage table: pregnancy ≤ 18 y
    assert pregnant["iron_mg"].min == 27


def test_vitamin_d_iu_rounding_trap_is_stored_as_printed():
    table = load_dri_table()
    ul = table[(table.target_key == "vitamin_d_ug") & (table.kind == "ul")]
    by_age = {(r.age_min, r.life_stage): (r.value, r.value_iu) for r in ul.itertuples()}
    assert by_age[(0.5, "both")] == (38, 1500)   # not 38 × 40 = 1,520
    assert by_age[(1.0, "both")] == (63, 2500)   # not 2,520
    assert by_age[(19.0, "both")] == (100, 4000)


def test_no_overlapping_rows_at_any_age_boundary():
    table = load_dri_table()
    edges = sorted({a for a in table.age_min} | {a for a in table.age_max if math.isfinite(a)})
    for edge in edges:
        for age in (edge, edge + 0.01, max(edge - 0.01, 0)):
            if age > 120 or age < 1:  # infants are refused
                continue
            for kw in ({"sex": "female"}, {"sex": "male"}):
                targets_for(Profile(age=age, **kw))
            if 14 <= age <= 50:
                targets_for(Profile(sex="female", age=age, pregnant=True))
                targets_for(Profile(sex="female", age=age, lactating=True))


def test_every_source_key_is_cited():
    known = set(dri_sources().index)
    for row in RAW_ROWS:
        assert row["source"] in known
        assert dri_sources().loc[row["source"], "citation"]


# -- overrides -------------------------------------------------------------------------------
def test_overrides_min_max_remove_and_weekly():
    base = targets_for(Profile(sex="female", age=45))
    edited = base.with_overrides({
        "magnesium_mg": TargetOverride(min=400),
        "sodium_mg": {"max": 1800},
        "fiber_g": None,
        "vitamin_d_ug": {"period": "weekly"},
        "calcium_mg": {"clear_max": True},
    })
    assert edited["magnesium_mg"].min == 400 and "(overridden)" in edited["magnesium_mg"].source
    assert edited["sodium_mg"].max == 1800
    assert "fiber_g" not in edited and "fiber_g" in base
    assert edited["vitamin_d_ug"].period == "weekly" and edited["vitamin_d_ug"].min == 15
    assert edited["calcium_mg"].max is None and edited["calcium_mg"].min == 1000
    assert base["magnesium_mg"].min == 320  # the original is unchanged


def test_override_that_crosses_bounds_is_rejected_with_a_fix():
    base = targets_for(Profile(sex="female", age=45))
    with pytest.raises(RequestError, match="vitamin_d_ug.*Fix"):
        base.with_overrides({"vitamin_d_ug": {"min": 150}})


def test_override_adds_a_new_target():
    edited = targets_for(Profile(sex="male", age=30)).with_overrides({"vitamin_k_ug": {"min": 120}})
    assert edited["vitamin_k_ug"].min == 120 and edited["vitamin_k_ug"].source == "user"


# -- loader checks ---------------------------------------------------------------------------
def _write(tmp_path: Path, mutate) -> Path:
    rows = [dict(r) for r in RAW_ROWS]
    mutate(rows)
    path = tmp_path / "dri.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(RAW_ROWS[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda rows: rows[0].update(kind="maximum"), "unknown kind"),
        (lambda rows: rows[0].update(unit="mg"), "does not match"),
        (lambda rows: rows[0].update(source="Somebody-2024"), "source key"),
        (lambda rows: rows[0].update(value="lots"), "not a number"),
        (lambda rows: rows[0].update(life_stage="teen"), "unknown life_stage"),
        (lambda rows: rows[0].update(age_min="40", age_max="30"), "not below"),
    ],
)
def test_loader_rejects_bad_rows_naming_the_row(tmp_path, mutate, message):
    path = _write(tmp_path, mutate)
    with pytest.raises(DataError, match=message) as info:
        load_dri_table(path)
    assert info.value.row == 2 and "dri.csv" in str(info.value)
