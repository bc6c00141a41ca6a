"""What you buy for a cooked food: its raw or dry form, by a documented cooking yield.

A food whose SR-style name has a cooking word ("Beans, adzuki, mature seeds, cooked, boiled, without salt") is
bought raw or dry. The first rule of ``optimizer/data/cooking_yields.csv`` that matches its food group and name
gives ``raw_per_cooked`` (g of the raw/dry form per g cooked: dry beans 0.40, rice 0.35, pasta 0.45, meat and
poultry 1.33, fish 1.25, vegetables 1.1; approximate, with the source of each figure). The raw SR24 food is found by
the name stem (the name up to the cooking word, "Beans, adzuki, mature seeds"): an SR24 food of the same group whose
name starts with the stem and says raw/dry/unprepared ("Beans, adzuki, mature seeds, raw"); the stem is shortened
one segment at a time until one is found (a one-segment stem only matches names whose next segment is a raw word:
"Lentils, raw"). With no raw food in SR24 the cooked food's id is kept and the line is named after the stem
("Oats, dry").
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from foods.table import FoodTable

YIELDS_FILE = "cooking_yields.csv"
COOKING_WORDS = re.compile(r"\b(?:cooked|boiled|roasted|baked|steamed|broiled|braised|stewed|simmered|grilled|"
                           r"fried|pan-fried|stir-fried|microwaved|poached|scrambled|hard-boiled|sauteed|dry heat|"
                           r"moist heat)\b", re.I)
RAW_WORDS = re.compile(r"\b(?:raw|dry|dried|unprepared|uncooked)\b", re.I)
FROZEN = re.compile(r"\bfrozen\b", re.I)
PURCHASE_FORMS = ("raw", "dry", "as_is")


@dataclass(frozen=True)
class YieldRule:
    """One row of the cooking-yields file: g of the raw/dry form per g of cooked food, and where it comes from."""

    food_class: str
    group_pattern: re.Pattern[str]
    name_pattern: re.Pattern[str]
    unless_pattern: re.Pattern[str] | None
    raw_per_cooked: float
    purchase_form: str
    source: str

    def applies(self, name: str, group: str) -> bool:
        """True when the rule matches the food group and name (and its ``unless`` pattern does not)."""
        return bool(self.group_pattern.search(group) and self.name_pattern.search(name)
                    and not (self.unless_pattern and self.unless_pattern.search(name)))


@dataclass(frozen=True)
class PurchaseForm:
    """What to buy for one food: ``food_id``/``name`` of the purchase form, ``grams_per_gram`` (g to buy per g
    eaten), the yield rule's ``food_class`` and ``source`` ("" when no conversion) and ``note`` for people."""

    food_id: str
    name: str
    grams_per_gram: float = 1.0
    food_class: str = ""
    source: str = ""
    note: str = ""

    @property
    def converted(self) -> bool:
        """True when the food is bought in another form (raw or dry) than it is eaten."""
        return bool(self.note)


@functools.cache
def yield_rules() -> tuple[YieldRule, ...]:
    """The shipped cooking-yield rules, in file order. Raises ``ValueError`` naming the row for a bad factor or form."""
    with importlib.resources.files("optimizer").joinpath("data", YIELDS_FILE).open("r", encoding="utf-8") as handle:
        frame = pd.read_csv(handle, dtype=str, keep_default_na=False, comment="#")
    rules = []
    for row, rec in enumerate(frame.to_dict("records"), start=2):
        try:
            factor = float(rec["raw_per_cooked"])
        except ValueError:
            factor = float("nan")
        if not (0.05 <= factor <= 5.0):
            raise ValueError(f"{YIELDS_FILE} row {row}: raw_per_cooked '{rec['raw_per_cooked']}' is not a number "
                             "between 0.05 and 5. Fix: give g of raw/dry food per g cooked.")
        if rec["purchase_form"] not in PURCHASE_FORMS:
            raise ValueError(f"{YIELDS_FILE} row {row}: purchase_form '{rec['purchase_form']}'. "
                             f"Fix: use one of {', '.join(PURCHASE_FORMS)}.")
        rules.append(YieldRule(rec["food_class"], re.compile(rec["group_pattern"], re.I),
                               re.compile(rec["name_pattern"], re.I),
                               re.compile(rec["unless_pattern"], re.I) if rec["unless_pattern"] else None,
                               factor, rec["purchase_form"], rec["source"]))
    return tuple(rules)


def cooking_rule(name: str, group: str) -> YieldRule | None:
    """The yield rule for a cooked food (its name has a cooking word and a rule matches), else None."""
    if not COOKING_WORDS.search(name or ""):
        return None
    return next((rule for rule in yield_rules() if rule.applies(name, group or "")), None)


def name_stem(name: str) -> list[str]:
    """The segments of an SR name before its cooking word: "Soybeans, mature cooked, boiled" -> ["Soybeans",
    "mature"]; a name without one is returned whole."""
    return _stem(name)[0]


def _stem(name: str) -> tuple[list[str], bool]:
    """(stem segments, whether the last one is the start of a segment cut at the cooking word)."""
    segments = [s.strip() for s in name.split(",")]
    for position, segment in enumerate(segments):
        found = COOKING_WORDS.search(segment)
        if found:
            head = segment[:found.start()].strip()
            return segments[:position] + ([head] if head else []), bool(head)
    return segments, False


_NAMES: weakref.WeakKeyDictionary[FoodTable, pd.DataFrame] = weakref.WeakKeyDictionary()


def _raw_candidates(sr_table: FoodTable) -> pd.DataFrame:
    cached = _NAMES.get(sr_table)
    if cached is None:
        names = sr_table.frame["name"].astype(str)
        raw = names.str.contains(RAW_WORDS) & ~names.str.contains(COOKING_WORDS)
        cached = pd.DataFrame({"name": names[raw], "lower": names[raw].str.lower(),
                               "group": sr_table.frame.loc[raw, "group"].astype(str)})
        _NAMES[sr_table] = cached
    return cached


PART_SEGMENT = re.compile(r"^(skin|peel|leaves|seeds|sprouts?|sprouted|stems?)$")


def _plain_raw_form(lower_name: str) -> bool:
    """True for "lentils, raw" or "spaghetti, dry, enriched": the second segment is a raw word and no later one
    names a part of the food ("potatoes, raw, skin" is not the purchase form of potatoes)."""
    parts = [p.strip() for p in lower_name.split(",")]
    return len(parts) >= 2 and bool(RAW_WORDS.search(parts[1])) and not any(PART_SEGMENT.match(p) for p in parts[2:])


def raw_food(name: str, group: str, sr_table: FoodTable, prefer: str = "raw") -> str | None:
    """The SR24 id of the raw/dry form of a cooked food, or None.

    A candidate is in the same group, says raw/dry/unprepared and not cooked, and its name starts with the stem at a
    segment boundary (at a word boundary when the cooking word cut the last segment: "Soybeans, mature" ->
    "Soybeans, mature seeds, raw"); with a one-segment stem only names whose second segment is a raw word count
    ("Lentils, raw", "Spaghetti, dry, enriched"; not "Potatoes, raw, skin"). Among candidates: the same frozen-or-not state first, then
    the ``prefer`` word ("raw" or "dry"), then the most words shared with the cooked name, then the shortest name,
    then the lowest id."""
    candidates = _raw_candidates(sr_table)
    candidates = candidates[candidates["group"] == group] if group else candidates
    stem, partial = _stem(name)
    words = set(re.findall(r"[a-z0-9%]+", name.lower()))
    frozen = bool(FROZEN.search(name))
    wanted = re.compile(rf"\b{re.escape(prefer)}\b", re.I)
    for size in range(len(stem), 0, -1):
        prefix = ", ".join(stem[:size]).lower()
        if not prefix:
            break
        lower = candidates["lower"]
        boundary = lower.str.startswith(prefix + ",")
        if partial and size == len(stem):
            boundary |= lower.str.startswith(prefix + " ")
        found = candidates[(lower == prefix) | boundary]
        if size == 1:
            found = found[found["lower"].map(_plain_raw_form)]
        if len(found):
            other_state = [(FROZEN.search(n) is not None) != frozen for n in found["name"]]
            not_wanted = [wanted.search(n) is None for n in found["name"]]
            shared = [-len(words & set(re.findall(r"[a-z0-9%]+", low))) for low in found["lower"]]
            order = np.lexsort((found.index.to_numpy(dtype=str), found["name"].str.len().to_numpy(),
                                np.array(shared), np.array(not_wanted), np.array(other_state)))
            return str(found.index[order[0]])
    return None


def purchase_form(food_id: str, name: str, group: str, sr_table: FoodTable | None) -> PurchaseForm:
    """How to buy one food: itself, or (cooked) its raw/dry form with the yield factor.

    ``name``/``group`` are the food's SR-style name and SR food group; ``sr_table`` is the SR24 catalogue to find
    the raw form in (None: the grams are still converted, the id kept)."""
    rule = cooking_rule(name, group)
    if rule is None:
        return PurchaseForm(food_id, name)
    if rule.purchase_form == "as_is":
        return PurchaseForm(food_id, name, 1.0, rule.food_class, rule.source, "")
    raw_id = raw_food(name, group, sr_table, rule.purchase_form) if sr_table is not None else None
    stem = ", ".join(name_stem(name)) or name
    purchase_name = (str(sr_table.frame.at[raw_id, "name"]) if raw_id is not None and sr_table is not None
                     else f"{stem}, {rule.purchase_form}")
    note = f"bought {rule.purchase_form}: {rule.raw_per_cooked:g} g per g cooked ({rule.food_class})"
    return PurchaseForm(raw_id or food_id, purchase_name, rule.raw_per_cooked, rule.food_class, rule.source, note)
