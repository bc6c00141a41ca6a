"""Words and numbers people read in explanations, fixes and notes (the app, the CLI and the PDF reuse them).

Nutrient keys become labels ("vitamin_d_ug" -> "Vitamin D"), units come from the nutrient registry ("µg", not
"ug"), and amounts are plain numbers with thousands separators ("2,320", never "2.32e+03").
"""

from __future__ import annotations

import math
import re

import foods

#: The fix that only a clinician can apply (a recorded override of a safety upper limit): the UI shows a form.
CLINICIAN_FIX = ("Only a clinician may raise a safety upper limit: a clinician override (their name, the reason and "
                 "the new limit) lifts it, and it is recorded and shown on the plan.")
#: Appended to a relaxed-target fix the LP check found not enough on its own / could not promise.
NOT_ENOUGH = " This alone is not enough: other targets are short too (see the combined fix)."
MAY_NOT_BE_ENOUGH = (" Checked with any-gram amounts; with whole portions, variety rules and whole supplement units "
                     "it may still not be enough.")
#: Target keys that are not a nutrient key of their own (what the target counts is in the key).
ENERGY_PERCENT_SUFFIX = "_energy_pct"
SUPPLEMENTAL_PREFIX = "supplemental_"


def plain(value: float | None) -> str:
    """An amount as people write it: '2,320', '48.5', '0.25' (no scientific notation; '—' for None/NaN)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    size = abs(float(value))
    if size >= 100:
        text = f"{value:,.0f}"
    elif size >= 10:
        text = f"{value:,.1f}"
    elif size >= 0.1 or size == 0:
        text = f"{value:,.2f}"
    else:
        text = f"{value:.3f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def unit_of(nutrient: str) -> str:
    """The unit of a nutrient key as people write it ('µg', 'mg', 'g', 'kcal'); '' when unknown."""
    return foods.nutrient_unit(nutrient) if nutrient else ""


def target_label(key: str, nutrient: str | None = None) -> str:
    """A target key in words: 'magnesium_mg' -> 'Magnesium', 'supplemental_magnesium_mg' -> 'Magnesium from
    supplements', 'fat_energy_pct' -> 'Total fat (% of energy)'."""
    if key.startswith(SUPPLEMENTAL_PREFIX):
        return f"{foods.nutrient_label(nutrient or key[len(SUPPLEMENTAL_PREFIX):])} from supplements"
    if key.endswith(ENERGY_PERCENT_SUFFIX):
        return f"{foods.nutrient_label(nutrient or key[: -len(ENERGY_PERCENT_SUFFIX)])} (% of energy)"
    if key == "calcium_magnesium_ratio":
        return "Calcium : magnesium ratio"
    return str(foods.nutrient_label(nutrient or key))


def amount(value: float | None, unit: str) -> str:
    """'2,320 mg', '48.5 % of energy', '3 foods'."""
    return f"{plain(value)} {unit}".strip()


_LACK = re.compile(r"^(\d+) candidate foods lack a (\w+) value \(counted as 0\)\.$")


def readable_note(note: str) -> str:
    """A planner note in words: '1 candidate foods lack a fiber_g value (counted as 0).' ->
    '1 candidate food has no Dietary fiber value (counted as 0).'"""
    match = _LACK.match(note)
    if match:
        count, key = int(match.group(1)), match.group(2)
        noun = "food has" if count == 1 else "foods have"
        return f"{count:,} candidate {noun} no {foods.nutrient_label(key)} value (counted as 0)."
    return note


def readable_notes(notes: list[str]) -> list[str]:
    """Each fact once, in words (the planner may repeat a note for every kind of day it solves)."""
    return list(dict.fromkeys(readable_note(n) for n in notes))
