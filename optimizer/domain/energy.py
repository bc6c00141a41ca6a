"""Energy requirement (kcal/day) from the IOM/NASEM 2005 Estimated Energy Requirement (EER) equations.

Source (key ``IOM-2005-EER``): IOM 2005, *Dietary Reference Intakes for Energy, Carbohydrate, Fiber, Fat,
Fatty Acids, Cholesterol, Protein, and Amino Acids*, chapter 5 (EER equations for normal-weight people,
derived from doubly labelled water), and Table 4-2 of the DRI series ("New Reference Heights and Weights",
IOM 2006, NAP record 10872 p. 75) for the body size assumed when weight or height is not given.

* Adults (19 y and older):
  man ``662 − 9.53·age + PA·(15.91·kg + 539.6·m)`` with PA 1.00 / 1.11 / 1.25 / 1.48;
  woman ``354 − 6.91·age + PA·(9.36·kg + 726·m)`` with PA 1.00 / 1.12 / 1.27 / 1.45
  (sedentary / low active / active / very active).
* Children 3–18 y: boys ``88.5 − 61.9·age + PA·(26.7·kg + 903·m) + deposition`` (PA 1.00/1.13/1.26/1.42),
  girls ``135.3 − 30.8·age + PA·(10.0·kg + 934·m) + deposition`` (PA 1.00/1.16/1.31/1.56);
  energy deposition 20 kcal at 3–8 y, 25 kcal at 9–18 y.
* 0–35 months: ``89·kg − 100 + deposition`` (175 kcal at 0–3 mo, 56 at 4–6 mo, 22 at 7–12 mo, 20 at 13–35 mo).
* Pregnancy adds the increment of ``Profile.trimester``: +0 kcal (1st), +340 (2nd), +452 (3rd); unset, the
  2nd-trimester value is used and the method says so. Lactation adds +330 kcal at 0–6 months post partum
  (500 kcal milk energy − 170 kcal weight loss) and +400 kcal at 7–12 months (``Profile.months_postpartum``;
  unset = 0–6 months).

``Profile.energy_kcal`` always overrides the estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

from optimizer.domain.profile import Activity, Profile, Sex

ENERGY_SOURCE = "IOM-2005-EER"
ENERGY_BAND_FRACTION = 0.10  # the energy target is the estimate ± 10 %

_ADULT_PA: dict[Sex, dict[Activity, float]] = {
    "male": {"sedentary": 1.00, "low_active": 1.11, "active": 1.25, "very_active": 1.48},
    "female": {"sedentary": 1.00, "low_active": 1.12, "active": 1.27, "very_active": 1.45},
}
_CHILD_PA: dict[Sex, dict[Activity, float]] = {
    "male": {"sedentary": 1.00, "low_active": 1.13, "active": 1.26, "very_active": 1.42},
    "female": {"sedentary": 1.00, "low_active": 1.16, "active": 1.31, "very_active": 1.56},
}
PREGNANCY_EXTRA_KCAL = 340.0  # 2nd trimester (1st: 0, 3rd: 452): the default when the trimester is not given
LACTATION_EXTRA_KCAL = 330.0  # first 6 months postpartum: the default when months_postpartum is not given
TRIMESTER_EXTRA_KCAL: dict[int, float] = {1: 0.0, 2: 340.0, 3: 452.0}
LACTATION_LATE_EXTRA_KCAL = 400.0  # 7–12 months postpartum

# IOM Table 4-2 reference heights (cm) and weights (kg); adult 19–30 y values are used for every adult age.
# (age_min inclusive, age_max exclusive, sex or None for both) -> (weight_kg, height_cm)
_REFERENCE_BODY: tuple[tuple[float, float, Sex | None, float, float], ...] = (
    (0.0, 0.5, None, 6.0, 62.0),  # table row 2–6 mo, also used for 0–2 mo
    (0.5, 1.0, None, 9.0, 71.0),
    (1.0, 4.0, None, 12.0, 86.0),
    (4.0, 9.0, None, 20.0, 115.0),
    (9.0, 14.0, "male", 36.0, 144.0),
    (14.0, 19.0, "male", 61.0, 174.0),
    (19.0, 999.0, "male", 70.0, 177.0),
    (9.0, 14.0, "female", 37.0, 144.0),
    (14.0, 19.0, "female", 54.0, 163.0),
    (19.0, 999.0, "female", 57.0, 163.0),
)


@dataclass(frozen=True)
class EnergyEstimate:
    """An energy requirement (kcal/day) and how it was obtained."""

    kcal: float
    method: str
    weight_kg: float | None
    height_cm: float | None
    assumed_body_size: bool
    source: str = ENERGY_SOURCE

    @property
    def band_kcal(self) -> tuple[float, float]:
        """The target band (min, max) in kcal/day: the estimate ± 10 %."""
        return (self.kcal * (1 - ENERGY_BAND_FRACTION), self.kcal * (1 + ENERGY_BAND_FRACTION))


def reference_body_size(sex: Sex, age: float) -> tuple[float, float]:
    """IOM Table 4-2 reference (weight_kg, height_cm) for a sex and age in years."""
    for lo, hi, row_sex, weight, height in _REFERENCE_BODY:
        if lo <= age < hi and (row_sex is None or row_sex == sex):
            return weight, height
    raise ValueError(f"no reference body size for {sex} aged {age} y")


def eer_kcal(sex: Sex, age: float, weight_kg: float, height_cm: float, activity: Activity = "low_active") -> float:
    """IOM 2005 EER (kcal/day) for a non-pregnant, non-lactating person of the given age (years), weight (kg),
    height (cm) and activity level."""
    if age < 0:
        raise ValueError(f"age must be >= 0 years (got {age})")
    height_m = height_cm / 100.0
    if age < 3:
        months = age * 12
        deposition = 175.0 if months < 3 else 56.0 if months < 6 else 22.0 if months < 12 else 20.0
        return 89.0 * weight_kg - 100.0 + deposition
    if age < 19:
        pa = _CHILD_PA[sex][activity]
        deposition = 20.0 if age < 9 else 25.0
        if sex == "male":
            return 88.5 - 61.9 * age + pa * (26.7 * weight_kg + 903.0 * height_m) + deposition
        return 135.3 - 30.8 * age + pa * (10.0 * weight_kg + 934.0 * height_m) + deposition
    pa = _ADULT_PA[sex][activity]
    if sex == "male":
        return 662.0 - 9.53 * age + pa * (15.91 * weight_kg + 539.6 * height_m)
    return 354.0 - 6.91 * age + pa * (9.36 * weight_kg + 726.0 * height_m)


def estimate_energy(profile: Profile) -> EnergyEstimate:
    """Energy requirement (kcal/day) for a profile: ``profile.energy_kcal`` when given, else the IOM 2005 EER
    with the profile's weight/height or, where missing, the IOM reference body size."""
    if profile.energy_kcal is not None:
        return EnergyEstimate(
            kcal=float(profile.energy_kcal), method="given in the profile", weight_kg=profile.weight_kg,
            height_cm=profile.height_cm, assumed_body_size=False, source="user",
        )
    ref_weight, ref_height = reference_body_size(profile.sex, profile.age)
    weight = profile.weight_kg if profile.weight_kg is not None else ref_weight
    height = profile.height_cm if profile.height_cm is not None else ref_height
    assumed = profile.weight_kg is None or profile.height_cm is None
    kcal = eer_kcal(profile.sex, profile.age, weight, height, profile.activity)
    extra = ""
    if profile.pregnant:
        add = TRIMESTER_EXTRA_KCAL[profile.trimester or 2]
        kcal += add
        when = (f"trimester {profile.trimester}" if profile.trimester else
                "trimester not given: 2nd trimester assumed")
        extra = f" + {add:g} kcal pregnancy ({when})"
    elif profile.lactating:
        late = profile.months_postpartum is not None and profile.months_postpartum > 6
        add = LACTATION_LATE_EXTRA_KCAL if late else LACTATION_EXTRA_KCAL
        kcal += add
        when = ("7–12 mo" if late else "0–6 mo") if profile.months_postpartum is not None else \
            "months post partum not given: 0–6 mo assumed"
        extra = f" + {add:g} kcal lactation ({when})"
    activity = "" if profile.age < 3 else f", {profile.activity.replace('_', ' ')}"
    body = (f"{weight:g} kg" + ("" if profile.weight_kg is not None else " (IOM reference weight)")
            + f", {height:g} cm" + ("" if profile.height_cm is not None else " (IOM reference height)"))
    return EnergyEstimate(
        kcal=kcal, method=f"IOM 2005 EER{activity}, {body}{extra}", weight_kg=weight, height_cm=height,
        assumed_body_size=assumed,
    )


def energy_requirement_kcal(profile: Profile) -> float:
    """The energy requirement in kcal/day (see :func:`estimate_energy`)."""
    return estimate_energy(profile).kcal
