"""Energy requirement: IOM 2005 EER equations against hand-computed values."""

from __future__ import annotations

import pytest

from optimizer import Profile
from optimizer.domain.energy import eer_kcal, energy_requirement_kcal, estimate_energy, reference_body_size


def test_adult_woman_reference_body_low_active():
    # 354 − 6.91·45 + 1.12·(9.36·57 + 726·1.63) = 43.05 + 1.12·1716.9 = 1965.978
    est = estimate_energy(Profile(sex="female", age=45))
    assert est.kcal == pytest.approx(1965.978, abs=1e-6)
    assert est.assumed_body_size and (est.weight_kg, est.height_cm) == (57, 163)
    assert "reference" in est.method


def test_adult_man_given_body_active():
    # 662 − 9.53·30 + 1.25·(15.91·80 + 539.6·1.80) = 376.1 + 1.25·2244.08 = 3181.2
    assert energy_requirement_kcal(Profile(sex="male", age=30, weight_kg=80, height_cm=180, activity="active")) == (
        pytest.approx(3181.2, abs=1e-6)
    )


def test_adult_activity_coefficients():
    # sedentary vs very active woman: PA 1.00 and 1.45 on 9.36·60 + 726·1.70 = 1795.8
    base = 354 - 6.91 * 40
    assert eer_kcal("female", 40, 60, 170, "sedentary") == pytest.approx(base + 1795.8)
    assert eer_kcal("female", 40, 60, 170, "very_active") == pytest.approx(base + 1.45 * 1795.8)
    # men's low active coefficient is 1.11 (women's 1.12)
    men = 15.91 * 70 + 539.6 * 1.77
    assert eer_kcal("male", 50, 70, 177, "low_active") == pytest.approx(662 - 9.53 * 50 + 1.11 * men)


def test_children():
    # boy 10 y, reference 36 kg, 144 cm, low active 1.13: 88.5 − 619 + 1.13·(961.2 + 1300.32) + 25 = 2050.0176
    assert energy_requirement_kcal(Profile(sex="male", age=10)) == pytest.approx(2050.0176, abs=1e-6)
    # girl 6 y, 20 kg, 115 cm, sedentary: 135.3 − 184.8 + (200 + 1074.1) + 20 = 1244.6
    assert energy_requirement_kcal(Profile(sex="female", age=6, activity="sedentary")) == pytest.approx(1244.6)
    # toddler 2 y, 12 kg: 89·12 − 100 + 20 = 988 (no activity term)
    assert energy_requirement_kcal(Profile(sex="female", age=2, activity="very_active")) == pytest.approx(988)


@pytest.mark.parametrize("age, weight, expected", [(0.1, 6, 609), (0.4, 6, 490), (0.75, 9, 723)])
def test_infants_energy_deposition(age, weight, expected):
    # 89·kg − 100 + 175 (0–3 mo) / 56 (4–6 mo) / 22 (7–12 mo)
    assert eer_kcal("male", age, weight, 62) == pytest.approx(expected)


def test_pregnancy_and_lactation_increments():
    woman = 354 - 6.91 * 25 + 1.12 * (9.36 * 57 + 726 * 1.63)
    assert energy_requirement_kcal(Profile(sex="female", age=25, pregnant=True)) == pytest.approx(woman + 340)
    assert energy_requirement_kcal(Profile(sex="female", age=25, lactating=True)) == pytest.approx(woman + 330)


def test_profile_energy_overrides_and_band():
    est = estimate_energy(Profile(sex="male", age=40, energy_kcal=2500))
    assert est.kcal == 2500 and est.source == "user"
    assert est.band_kcal == (pytest.approx(2250), pytest.approx(2750))


def test_partial_body_size_uses_reference_for_the_missing_part():
    est = estimate_energy(Profile(sex="male", age=40, weight_kg=90))
    assert (est.weight_kg, est.height_cm) == (90, 177)
    assert "reference height" in est.method and "reference weight" not in est.method


@pytest.mark.parametrize(
    "sex, age, expected",
    [("female", 0.2, (6, 62)), ("male", 0.8, (9, 71)), ("male", 3, (12, 86)), ("female", 8.5, (20, 115)),
     ("male", 12, (36, 144)), ("female", 12, (37, 144)), ("male", 16, (61, 174)), ("female", 16, (54, 163)),
     ("male", 80, (70, 177)), ("female", 19, (57, 163))],
)
def test_reference_body_sizes(sex, age, expected):
    assert reference_body_size(sex, age) == expected


def test_energy_rises_with_weight_and_activity():
    light = energy_requirement_kcal(Profile(sex="female", age=45, weight_kg=55, height_cm=165, activity="sedentary"))
    heavy = energy_requirement_kcal(Profile(sex="female", age=45, weight_kg=75, height_cm=165, activity="sedentary"))
    active = energy_requirement_kcal(Profile(sex="female", age=45, weight_kg=55, height_cm=165, activity="active"))
    assert light < heavy and light < active
