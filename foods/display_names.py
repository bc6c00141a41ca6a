"""Short, human display names for FNDDS foods, made by rules from the USDA main description.

USDA descriptions are comma-separated from general to specific ("Oatmeal, regular or quick, made with milk, no
added fat"; "Milk, whole"; "Chicken, breast, baked, coated, skin eaten"). The rules:

1. Split on ", ". Drop parts that only say how the food was reported or sold: ``NFS``, ``NS as to ...``,
   ``from fast food``, ``restaurant``, ``home recipe``, ``ready-to-heat``, ``canned``, ``no added fat``, ...
2. ``made with X`` / ``with X`` parts become " with X" after the name (only the first such part).
3. For a generic head noun (milk, cheese, rice, yogurt, bread, ...) the next short part goes in front:
   "Milk, whole" -> "Whole milk", "Rice, brown, cooked" -> "Brown rice", "Cheese, Cheddar" -> "Cheddar cheese".
4. For other heads, one more short descriptive part may follow: "Chicken, breast" -> "Chicken breast".

A curated override (``display_name`` in ``foods/data/everyday_fndds.csv``) wins over the rules.
"""

from __future__ import annotations

import re

import pandas as pd

#: Parts of a description that are dropped from the display name.
NOISE = re.compile(
    r"^(nfs|ns as to .*|from fast food.*|fast food|restaurant|from restaurant|home recipe|home-?made|from home recipe|"
    r"ready-to-heat|ready-to-serve|ready to serve|ready-to-eat|canned|frozen|commercial|commercially prepared|"
    r"from school.*|school|regular or quick|no added fat|fat added|fat not added in cooking|"
    r"fat added in cooking|from fresh|from frozen|from canned|cooked|raw|regular|plain|prepared|"
    r"prepared with water|made from dry mix|from dry mix|from mix|instant|unsalted|salted|"
    r"ns as to fat|ns as to sweetened|ns as to type|ns as to form|100%|store bought|bottled)$")
PREFIX_HEADS = frozenset({
    "milk", "cheese", "rice", "yogurt", "bread", "tea", "coffee", "cereal", "crackers", "pasta", "noodles",
    "tortilla", "tortillas", "beans", "potato", "potatoes", "peppers", "squash", "cabbage", "lettuce", "onions",
    "soup", "cake", "cookie", "pie", "muffin", "bagel", "roll", "juice", "sauce", "salad", "nuts", "olives",
    "ice cream", "pudding", "gelatin dessert", "sweet potato", "buttermilk", "egg", "eggs", "greens", "corn",
})
#: Qualifier spellings that read better in front of the head ("fat free (skim)" -> "Skim").
PREFIX_SPELLING = {
    "whole": "Whole", "reduced fat (2%)": "2%", "low fat (1%)": "Low-fat", "fat free (skim)": "Skim",
    "lowfat": "Low-fat", "nonfat": "Nonfat", "fat free": "Fat-free",
}
MAX_PREFIX_WORDS = 3
MAX_WITH_WORDS = 5
#: Cooking methods go in front of any head ("Veal, roasted" -> "Roasted veal").
METHODS = frozenset({"baked", "roasted", "fried", "grilled", "boiled", "steamed", "scrambled", "broiled", "stewed",
                     "poached", "braised", "smoked", "mashed", "toasted", "dried", "hard-boiled", "sauteed"})


def display_name(description: str) -> str:
    """A short human name for a USDA description ("Oatmeal, regular or quick, made with milk" -> "Oatmeal with
    milk"). Never empty: falls back to the first part of the description."""
    parts = [p.strip() for p in re.split(r",\s+", description.strip()) if p.strip()]
    if not parts:
        return description.strip()
    head, rest = parts[0], [p for p in parts[1:] if not NOISE.match(p.lower())]
    with_part = next((p for p in rest if re.match(r"^(made )?with\b", p.lower())), None)
    rest = [p for p in rest if p is not with_part and not re.match(r"^(made |prepared )?(with|without)\b", p.lower())]
    name = head
    if rest and _short(rest[0]):
        qualifier = rest[0]
        if head.lower() in PREFIX_HEADS or qualifier.lower() in METHODS:
            spelled = PREFIX_SPELLING.get(qualifier.lower(), qualifier)
            name = f"{spelled} {head.lower()}"
        elif not re.search(r"\b(or|and|as|type|style|fat|salt|sugar)\b", qualifier.lower()):
            name = f"{head}, {qualifier}"
    if with_part:
        words = re.sub(r"^made ", "", with_part).split()[:MAX_WITH_WORDS]
        while words and words[-1].lower() in {"and", "or", "and/or", "with", "in", "on"}:
            words.pop()
        name = f"{name} {' '.join(words)}"
    name = re.sub(r"\s+", " ", name).strip()
    return name[:1].upper() + name[1:]


def _short(part: str) -> bool:
    return len(part.split()) <= MAX_PREFIX_WORDS and not re.search(r"[;()]", part.replace("(2%)", "").replace(
        "(1%)", "").replace("(skim)", ""))


def detailed_name(description: str) -> str:
    """The description without reporting noise, parts joined by ", " (used when two short names collide)."""
    parts = [p.strip() for p in re.split(r",\s+", description.strip()) if p.strip()]
    kept = [parts[0], *(p for p in parts[1:] if not NOISE.match(p.lower()))] if parts else [description.strip()]
    return ", ".join(kept)


def unique_display_names(descriptions: pd.Series, among: pd.Series) -> pd.Series:
    """Display names for ``descriptions``; where two foods flagged in ``among`` (bool) share a name, both get
    :func:`detailed_name` instead, and the USDA description itself if that still clashes."""
    names = descriptions.map(display_name)
    clash = names.duplicated(keep=False) & among.astype(bool)
    clash &= names.where(among.astype(bool)).duplicated(keep=False)
    names[clash] = descriptions[clash].map(detailed_name)
    still = names.where(among.astype(bool)).duplicated(keep=False) & among.astype(bool)
    names[still] = descriptions[still].str.strip()
    return names
