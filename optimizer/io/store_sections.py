"""Store sections of the shopping list, from the SR food group (``optimizer/data/store_sections.csv``).

A food is placed by, in order: its SR24 food group name ("Legumes and Legume Products" -> "Beans, nuts & seeds"),
the 2-digit SR food group code its 5-digit SR id begins with (for FNDDS recipe ingredients that SR24 lacks), then
the first keyword of the file found at the start of a word of the group name (FNDDS WWEIA categories such as
"Citrus fruits", custom groups). Anything else is :data:`OTHER_SECTION`.
"""

from __future__ import annotations

import functools
import importlib.resources
import re

import pandas as pd

SECTIONS_FILE = "store_sections.csv"
OTHER_SECTION = "Other"
#: sections in walking order through a typical store; the shopping list is sorted by this.
SECTION_ORDER: tuple[str, ...] = ("Produce", "Bakery", "Meat & poultry", "Fish & seafood", "Dairy & eggs",
                                  "Grains, pasta & rice", "Beans, nuts & seeds", "Pantry", "Drinks", "Prepared foods",
                                  OTHER_SECTION)
SR_ID_DIGITS = 5


@functools.cache
def section_rules() -> tuple[dict[str, str], dict[str, str], tuple[tuple[re.Pattern[str], str], ...]]:
    """The shipped rules as (group name (lower case) -> section, 2-digit code -> section, keyword rules in order).

    Raises ``ValueError`` naming the row for a section that is not in :data:`SECTION_ORDER` or an unknown kind."""
    with importlib.resources.files("optimizer").joinpath("data", SECTIONS_FILE).open("r", encoding="utf-8") as handle:
        frame = pd.read_csv(handle, dtype=str, keep_default_na=False, comment="#")
    groups: dict[str, str] = {}
    codes: dict[str, str] = {}
    keywords: list[tuple[re.Pattern[str], str]] = []
    for row, (kind, key, section) in enumerate(zip(frame["kind"], frame["key"], frame["section"]), start=2):
        if section not in SECTION_ORDER:
            raise ValueError(f"{SECTIONS_FILE} row {row}: unknown section '{section}'. "
                             f"Fix: use one of {', '.join(SECTION_ORDER)}.")
        if kind == "group":
            groups[key.strip().lower()] = section
        elif kind == "code":
            codes[key.strip()] = section
        elif kind == "keyword":
            keywords.append((re.compile(r"\b" + re.escape(key.strip().lower())), section))
        else:
            raise ValueError(f"{SECTIONS_FILE} row {row}: unknown kind '{kind}'. Fix: use group, code or keyword.")
    return groups, codes, tuple(keywords)


def store_section(group: str | None, sr_id: str | None = None) -> str:
    """The store section of a food: by SR group name, else by the SR group code of a 5-digit ``sr_id``, else by a
    keyword of the group name; :data:`OTHER_SECTION` when nothing matches.

    ``store_section("Vegetables and Vegetable Products")`` -> "Produce"; ``store_section("", "05000")`` -> "Meat &
    poultry"; ``store_section("Citrus fruits")`` -> "Produce"."""
    groups, codes, keywords = section_rules()
    text = (group or "").strip().lower()
    if text in groups:
        return groups[text]
    code = (sr_id or "").strip()
    if len(code) == SR_ID_DIGITS and code.isdigit() and code[:2] in codes:
        return codes[code[:2]]
    for pattern, section in keywords:
        if text and pattern.search(text):
            return section
    return OTHER_SECTION


def section_rank(section: str) -> int:
    """The position of a section in :data:`SECTION_ORDER` (unknown sections sort last)."""
    return SECTION_ORDER.index(section) if section in SECTION_ORDER else len(SECTION_ORDER)
