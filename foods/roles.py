"""Food roles: the part a food plays in a meal (``main``, ``starch``, ``vegetable``, ... ``addon``).

:func:`food_roles` gives every food of a :class:`~foods.table.FoodTable` exactly one role from :data:`ROLES`, a
finer ``kind`` (``milk``, ``cold_cereal``, ``oil``, ``dressing``, ...), whether it is a ``mixed_dish`` (a dish that is
a whole meal), its ``protein_source`` (one of :data:`PROTEIN_SOURCES` or "") and ``seafood``.

* FNDDS foods (the table has ``wweia_code``): from the WWEIA food category, ``foods/data/roles_wweia.csv`` (one
  default row per category plus a few name refinements).
* SR24 and custom foods: rules on the food group and the name, ``foods/data/roles_sr24.csv`` (first match wins:
  the food's own group first, then the ``*`` rules).
* A custom food's own ``role`` column (one of :data:`ROLES`, blank = use the rules) wins over both.

Decisions and sources: ``docs/meal-model.md``. Knows nothing of the optimizer.
"""

from __future__ import annotations

import importlib.resources
import re
import weakref
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from foods.errors import FoodDataError, ProblemLog

if TYPE_CHECKING:
    from foods.table import FoodTable

ROLES: tuple[str, ...] = ("main", "starch", "vegetable", "fruit", "dairy", "breakfast", "snack", "sweet", "drink",
                          "addon")
PROTEIN_SOURCES: tuple[str, ...] = ("meat", "poultry", "seafood", "eggs", "legumes", "soy", "nuts")
ROLE_COLUMNS = ("role", "kind", "mixed_dish", "protein_source", "seafood", "role_source")
WWEIA_FILE = "roles_wweia.csv"
SR24_FILE = "roles_sr24.csv"
RULE_COLUMNS = ("role", "kind", "mixed_dish", "protein_source")

#: Name patterns for ``protein_source = auto``; the earliest match in the name wins.
PROTEIN_PATTERNS: dict[str, re.Pattern[str]] = {
    "seafood": re.compile(r"\b(fish|salmon|tuna|cod|trout|sardines?|mackerel|herring|shrimp|prawns?|crab|lobster|"
                          r"clams?|mussels?|oysters?|scallops?|squid|seafood|catfish|tilapia|anchov|sushi|crawfish)",
                          re.I),
    "poultry": re.compile(r"\b(chicken|turkey|duck|poultry|goose)", re.I),
    "meat": re.compile(r"\b(beef|pork|lamb|veal|ham|sausage|bacon|steak|meat(?!less)|meatballs?|pepperoni|salami|"
                       r"bologna|frankfurter|hot dog|chorizo|goat|venison|bison|brisket|carne|gyro|liver|"
                       r"hamburger|cheeseburger|oxtail|tripe|menudo|pho\b|wonton)", re.I),
    "eggs": re.compile(r"\b(eggs?\b(?! ?(noodles?|rolls?|plant|nog))|omelet)", re.I),
    "soy": re.compile(r"\b(tofu|tempeh|soy burger|soyburger|veggie burger|soybean curd)", re.I),
    "legumes": re.compile(r"\b(beans?\b(?! sprouts)|lentils?|chickpeas?|garbanzo|split peas?|dal|hummus|"
                          r"refried|falafel|black-eyed|blackeyed)", re.I),
    "nuts": re.compile(r"\b(peanuts?|nuts?\b|almonds?|cashews?|walnuts?|pecans?|pistachios?)", re.I),
}
#: FPED fallback for ``auto`` (FNDDS only): the largest protein subgroup at ≥ 0.25 oz-eq per 100 g.
FPED_PROTEIN = (("seafood_oz_eq", "seafood", 1.0), ("meat_poultry_eggs_oz_eq", "meat", 1.0),
                ("legumes_cup_eq", "legumes", 4.0), ("nuts_seeds_soy_oz_eq", "nuts", 1.0))
FPED_PROTEIN_MINIMUM = 0.25  # oz-eq per 100 g (a 1-cup serving of soup then has about 0.6 oz-eq)

_CACHE: weakref.WeakKeyDictionary[FoodTable, pd.DataFrame] = weakref.WeakKeyDictionary()


def food_roles(table: FoodTable) -> pd.DataFrame:
    """The role of every food of ``table`` (cached per table).

    Returns a frame indexed by ``food_id`` with ``role`` (one of :data:`ROLES`), ``kind`` (str), ``mixed_dish``
    (bool), ``protein_source`` (one of :data:`PROTEIN_SOURCES` or ""), ``seafood`` (bool) and ``role_source``
    (``wweia``, ``group rule``, ``name rule`` or ``given``). Raises :class:`FoodDataError` naming the row when a
    custom ``role`` column holds a value that is not a role.
    """
    cached = _CACHE.get(table)
    if cached is None:
        cached = _compute(table)
        _CACHE[table] = cached
    return cached


def role_rules(name: str) -> pd.DataFrame:
    """A shipped rules file (``roles_wweia.csv`` or ``roles_sr24.csv``) as text columns, ``#`` lines skipped."""
    with importlib.resources.files("foods").joinpath("data", name).open("r", encoding="utf-8") as handle:
        frame = pd.read_csv(handle, dtype=str, keep_default_na=False, comment="#")
    bad = ~frame["role"].isin(ROLES) | ~frame["mixed_dish"].isin(("yes", "no", "auto")) | \
        ~frame["protein_source"].isin((*PROTEIN_SOURCES, "", "auto"))
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise FoodDataError(f"rule '{', '.join(frame.iloc[position][list(RULE_COLUMNS)])}' is not valid.",
                            source=f"foods/data/{name}", row=position + 2,
                            fix=f"role is one of {', '.join(ROLES)}; mixed_dish yes/no/auto; protein_source one of "
                                f"{', '.join(PROTEIN_SOURCES)}, empty or auto.")
    return frame


def protein_from_name(name: str) -> str:
    """The protein source a dish name mentions first ("" when none), e.g. "Chicken curry" -> "poultry"."""
    best, where = "", len(name) + 1
    for source, pattern in PROTEIN_PATTERNS.items():
        found = pattern.search(name)
        if found is not None and found.start() < where:
            best, where = source, found.start()
    return best


def _compute(table: FoodTable) -> pd.DataFrame:
    frame = table.frame
    if "wweia_code" in frame.columns:
        rows = _wweia_roles(frame)
    else:
        rows = _rule_roles(frame)
    rows = _resolve_auto(rows, frame)
    if "role" in frame.columns:
        rows = _given_roles(rows, frame, table.source)
    rows["seafood"] = rows["protein_source"] == "seafood"
    rows["mixed_dish"] = rows["mixed_dish"].astype(bool)
    return rows[list(ROLE_COLUMNS)]


def _empty_rows(index: pd.Index) -> pd.DataFrame:
    return pd.DataFrame({"role": "", "kind": "", "mixed_dish": "", "protein_source": "", "role_source": ""},
                        index=index)


def _wweia_roles(frame: pd.DataFrame) -> pd.DataFrame:
    rules = role_rules(WWEIA_FILE)
    rules["wweia_code"] = rules["wweia_code"].astype(np.int64)
    defaults = rules[rules["name_pattern"] == ""].set_index("wweia_code")
    rows = _empty_rows(frame.index)
    codes = frame["wweia_code"].astype(np.int64)
    known = codes.isin(defaults.index)
    if not known.all():
        missing = sorted(set(codes[~known]))
        raise FoodDataError(f"WWEIA categories {missing[:5]} have no role.", source=f"foods/data/{WWEIA_FILE}",
                            fix="Add one row per WWEIA category code.")
    for column in RULE_COLUMNS:
        rows[column] = codes.map(defaults[column]).to_numpy()
    rows["role_source"] = "wweia"
    names = frame["name"].astype(str)
    for rule in rules[rules["name_pattern"] != ""].itertuples(index=False):
        hit = (codes == int(rule.wweia_code)) & names.str.contains(rule.name_pattern, case=False, regex=True)
        for column in RULE_COLUMNS:
            rows.loc[hit, column] = getattr(rule, column)
    return rows


def _rule_roles(frame: pd.DataFrame) -> pd.DataFrame:
    rules = role_rules(SR24_FILE)
    rows = _empty_rows(frame.index)
    names = frame["name"].astype(str)
    groups = frame["group"].astype(str) if "group" in frame.columns else pd.Series("", index=frame.index)
    open_ = pd.Series(True, index=frame.index)
    for wildcard in (False, True):
        for rule in rules[(rules["group"] == "*") == wildcard].itertuples(index=False):
            hit = open_ & (True if wildcard else groups == rule.group)
            if rule.name_pattern:
                hit &= names.str.contains(rule.name_pattern, case=False, regex=True)
            if not hit.any():
                continue
            for column in RULE_COLUMNS:
                rows.loc[hit, column] = getattr(rule, column)
            rows.loc[hit, "role_source"] = "name rule" if wildcard else "group rule"
            open_ &= ~hit
    return rows


def _resolve_auto(rows: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    rows = rows.copy()
    auto = rows["protein_source"] == "auto"
    if auto.any():
        found = frame.loc[auto, "name"].astype(str).map(protein_from_name)
        if all(column in frame.columns for column, _, _ in FPED_PROTEIN):
            fped = pd.DataFrame({source: frame.loc[auto, column] * factor for column, source, factor in FPED_PROTEIN})
            top = fped.idxmax(axis=1).where(fped.max(axis=1) >= FPED_PROTEIN_MINIMUM, "")
            found = found.where(found != "", top)
        rows.loc[auto, "protein_source"] = found
    mixed_auto = rows["mixed_dish"] == "auto"
    has_protein = rows["protein_source"] != ""
    # A soup (or other "auto" dish) without meat, fish, eggs, beans, soy or nuts is a side: role vegetable.
    side = mixed_auto & ~has_protein & (rows["role"] == "main")
    rows.loc[side, "role"] = "vegetable"
    rows["mixed_dish"] = (rows["mixed_dish"] == "yes") | (mixed_auto & has_protein)
    return rows


def _given_roles(rows: pd.DataFrame, frame: pd.DataFrame, source: str) -> pd.DataFrame:
    given = frame["role"].fillna("").astype(str).str.strip().str.lower()
    log = ProblemLog(FoodDataError, source=source or "custom foods")
    for position in np.flatnonzero(((given != "") & ~given.isin(ROLES)).to_numpy()):
        log.add(f"'{frame['role'].iloc[position]}' is not a food role.", row=int(position) + 2, column="role",
                fix=f"Use one of {', '.join(ROLES)}, or leave the cell blank to let the rules decide.")
    log.raise_if_any()
    rows = rows.copy()
    stated = given != ""
    changed = stated & (given != rows["role"])
    rows.loc[changed, "kind"] = "given"
    rows.loc[stated, "role"] = given[stated]
    rows.loc[stated, "role_source"] = "given"
    rows.loc[stated & (rows["role"] != "main"), "mixed_dish"] = False
    return rows
