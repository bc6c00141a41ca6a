"""Custom foods from a CSV file: strict, all-or-nothing validation.

The file has one row per food, nutrient amounts **per 100 g edible portion**, units in the
column names::

    food_id,name,group,magnesium_mg,vitamin_d_ug,energy_kcal,price_per_100g,portion_name,portion_grams
    my_bread,"Rye bread, homemade",Baked Products,60,,250,0.45,slice,32

Required: ``food_id``, ``name``. Optional: ``group``, any nutrient column whose name ends in a unit
(``_g``, ``_mg``, ``_ug``, ``_kcal``, ``_iu``) or is a key of the nutrient registry,
``price_per_100g``, ``price_source``, ``portion_name`` + ``portion_grams``, and the tag columns
``everyday``, ``vegan``, ``vegetarian``, ``pescatarian``, ``omnivore`` (true/false), ``meals``
(``;``-joined breakfast/lunch/dinner/snack) and ``allergens`` (``;``-joined).

A blank nutrient cell means **unknown** (NaN), never 0. ``vitamin_d_iu`` is converted to
``vitamin_d_ug`` (1 µg = 40 IU), and a mass unit that differs from the registry's (e.g.
``magnesium_g`` when the registry has ``magnesium_mg``) is converted to the registry's unit.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from foods.csvtools import (
    CsvRow,
    CsvSource,
    CsvTable,
    check_unique_ids,
    parse_bool,
    parse_number,
    read_csv_rows,
)
from foods.diet import FISH_GROUP, MEAT_GROUPS
from foods.errors import FoodDataError, ProblemLog
from foods.limits import MAX_PORTION_GRAMS, MAX_PRICE, nutrient_limit_problem

IU_PER_UG_VITAMIN_D = 40.0
"""Vitamin D: 1 µg = 40 IU."""

NUTRIENT_UNIT_SUFFIXES = ("_kcal", "_mg", "_ug", "_iu", "_g")
"""Unit suffixes a nutrient column name may end in (per 100 g edible portion)."""

MASS_UNIT_IN_MG = {"g": 1000.0, "mg": 1.0, "ug": 0.001}

TEXT_COLUMNS = ("name", "group", "price_source", "portion_name", "meals", "allergens", "role")
BOOL_COLUMNS = ("everyday", "vegan", "vegetarian", "pescatarian", "omnivore")
NUMBER_COLUMNS = ("price_per_100g", "portion_grams")
MEALS = ("breakfast", "lunch", "dinner", "snack")
ALLERGENS = ("milk", "egg", "fish", "shellfish", "peanut", "tree_nut", "wheat", "gluten", "soy", "sesame")

_UNIT_SPELLING = {"µg": "ug", "mcg": "ug", "IU": "iu"}
_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


def registry_units() -> dict[str, str]:
    """Nutrient registry keys -> unit spelled as in keys (``g``, ``mg``, ``ug``, ``kcal``, ``iu``)."""
    from foods.nutrients import nutrient_registry

    registry = nutrient_registry()
    return {str(key): _UNIT_SPELLING.get(str(unit), str(unit)) for key, unit in registry["unit"].items()}


def unit_suffix(column: str) -> str | None:
    """The unit a column name ends in (``"mg"`` for ``magnesium_mg``), or ``None``."""
    for suffix in NUTRIENT_UNIT_SUFFIXES:
        if column.endswith(suffix) and len(column) > len(suffix):
            return suffix[1:]
    return None


def _suggest_key(column: str) -> str:
    text = column.lower().replace("µ", "u").replace("mcg", "ug")
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    return text or "nutrient_mg"


def nutrient_column_target(column: str, registry: dict[str, str]) -> tuple[str, float]:
    """Where a nutrient column goes: (catalogue key, factor to multiply the values by).

    ``vitamin_d_iu`` -> (``vitamin_d_ug``, 1/40); ``magnesium_g`` -> (``magnesium_mg``, 1000) when the
    registry stores magnesium in mg; any other valid key maps to itself with factor 1.
    """
    if column == "vitamin_d_iu":
        return "vitamin_d_ug", 1.0 / IU_PER_UG_VITAMIN_D
    unit = unit_suffix(column)
    if column in registry or unit not in MASS_UNIT_IN_MG:
        return column, 1.0
    base = column[: -len(unit) - 1]
    for other_unit, other_factor in MASS_UNIT_IN_MG.items():
        key = f"{base}_{other_unit}"
        if key != column and key in registry and registry[key] in MASS_UNIT_IN_MG:
            return key, MASS_UNIT_IN_MG[unit] / other_factor
    return column, 1.0


def _check_column_names(table: CsvTable, registry: dict[str, str]) -> list[str]:
    """Validate the header; return the nutrient columns in file order."""
    fixed = {"food_id", *TEXT_COLUMNS, *BOOL_COLUMNS, *NUMBER_COLUMNS}
    nutrients = []
    for column in table.columns:
        if column in fixed:
            continue
        if not _KEY_PATTERN.match(column):
            raise FoodDataError(
                "a nutrient column name must be lower-case snake_case ending in its unit.",
                source=table.source, row=1, column=column,
                fix=f"Rename it, e.g. '{_suggest_key(column)}' (units: _g, _mg, _ug, _kcal, _iu).",
            )
        if column not in registry and unit_suffix(column) is None:
            raise FoodDataError(
                "unknown unit: a nutrient column name must end in _g, _mg, _ug, _kcal or _iu "
                "(or be a key of the nutrient registry).",
                source=table.source, row=1, column=column,
                fix=f"Rename it with its unit, e.g. '{column}_mg', or remove the column if it is not a nutrient.",
            )
        nutrients.append(column)
    targets: dict[str, str] = {}
    for column in nutrients:
        key, _ = nutrient_column_target(column, registry)
        if key in targets:
            raise FoodDataError(
                f"columns '{targets[key]}' and '{column}' give the same nutrient ({key}) in different units.",
                source=table.source, row=1, column=column,
                fix="Keep one of the two columns.",
            )
        targets[key] = column
    for one, other in (("portion_name", "portion_grams"), ("portion_grams", "portion_name")):
        if one in table.columns and other not in table.columns:
            raise FoodDataError(f"'{one}' is given without '{other}'.", source=table.source, row=1, column=other,
                                fix="Add both portion_name and portion_grams, or neither.")
    return nutrients


def _split_list(text: str, allowed: tuple[str, ...], *, source: str, row: int, column: str) -> str:
    items = [item.strip().lower() for item in text.split(";") if item.strip()]
    for item in items:
        if item not in allowed:
            raise FoodDataError(f"'{item}' is not one of {', '.join(allowed)}.", source=source, row=row,
                                column=column, fix=f"Use ';' between values from: {', '.join(allowed)}.")
    return ";".join(sorted(set(items), key=allowed.index))


def read_custom_foods_csv(source: CsvSource) -> pd.DataFrame:
    """Read and validate a custom-foods CSV; return a frame indexed by ``food_id`` (str).

    Columns: ``name``, ``group`` ("" when not given), each nutrient key (float per 100 g edible
    portion, NaN = unknown), and whichever of ``price_per_100g`` (NaN unknown), ``price_source``,
    ``portion_name``/``portion_grams`` (g), tags were given (a blank tag cell is ``None``: the
    diet-tag rules decide). A given price without ``price_source`` is attributed to the file.
    Values must lie within :mod:`foods.limits` (no nutrient above 100 g per 100 g, energy at most
    910 kcal per 100 g, portions at most 10,000 g). All-or-nothing: every bad row is reported in one
    :class:`~foods.errors.FoodDataError` naming file, row, column, reason and fix.
    """
    table = read_csv_rows(source, FoodDataError, required=("food_id", "name"), what="foods")
    registry = registry_units()
    nutrient_columns = _check_column_names(table, registry)
    log = ProblemLog(FoodDataError, source=table.source)
    with log.collecting():
        check_unique_ids(table, "food_id", FoodDataError, what="food id")
    records: list[dict[str, object]] = []
    for record in table:
        values: dict[str, object] = {"food_id": record.get("food_id")}
        for column in nutrient_columns:
            with log.collecting():
                key, amount = _nutrient_value(record, column, registry, table.source)
                values[key] = amount
        with log.collecting():
            values.update(_food_details(record, table))
        records.append(values)
    log.raise_if_any()

    frame = pd.DataFrame.from_records(records, columns=_output_columns(table, nutrient_columns, registry))
    frame["food_id"] = frame["food_id"].astype(str)
    frame = frame.set_index("food_id")
    if "group" not in frame.columns:
        frame.insert(1, "group", "")
    for column in frame.columns:
        if column in TEXT_COLUMNS:
            frame[column] = frame[column].fillna("").astype(str)
        elif column in BOOL_COLUMNS:
            frame[column] = frame[column].astype(object)
        else:
            frame[column] = frame[column].astype(np.float64)
    return frame


def _nutrient_value(record: CsvRow, column: str, registry: dict[str, str], name: str) -> tuple[str, float]:
    """(catalogue key, amount per 100 g in the key's unit) of one nutrient cell; impossible amounts raise."""
    key, factor = nutrient_column_target(column, registry)
    written = parse_number(record.get(column), error=FoodDataError, source=name, row=record.row, column=column,
                           what="an amount per 100 g")
    amount = written * factor
    problem = nutrient_limit_problem(key, amount, shown_unit=unit_suffix(column), shown_amount=written)
    if problem:
        raise FoodDataError(problem, source=name, row=record.row, column=column,
                            fix="Check the number and the unit in the column name; amounts are per 100 g "
                                "of edible portion.")
    return key, amount


def _food_details(record: CsvRow, table: CsvTable) -> dict[str, object]:
    """Name, text, price, portion and tag cells of one row, validated (the first problem raises)."""
    name, row = table.source, record.row
    values: dict[str, object] = {}
    if record.get("name") == "":
        raise FoodDataError("the food name is blank.", source=name, row=row, column="name",
                            fix="Give every food a name.")
    for column in TEXT_COLUMNS:
        if column in table.columns:
            values[column] = record.get(column)
    if "price_per_100g" in table.columns:
        values["price_per_100g"] = parse_number(
            record.get("price_per_100g"), error=FoodDataError, source=name, row=row, column="price_per_100g",
            maximum=MAX_PRICE, limit=f"{MAX_PRICE:,.0f} per 100 g", what="a price per 100 g")
        if values["price_per_100g"] == values["price_per_100g"] and not record.get("price_source"):
            values["price_source"] = f"custom foods file {name}"
    if "portion_grams" in table.columns:
        portion_name, grams_text = record.get("portion_name"), record.get("portion_grams")
        if bool(portion_name) != bool(grams_text):
            missing = "portion_grams" if portion_name else "portion_name"
            raise FoodDataError(f"'{missing}' is blank while the other portion cell is filled.",
                                source=name, row=row, column=missing,
                                fix="Fill both portion_name and portion_grams, or neither.")
        values["portion_grams"] = parse_number(
            grams_text, error=FoodDataError, source=name, row=row, column="portion_grams", positive=True,
            maximum=MAX_PORTION_GRAMS, limit=f"{MAX_PORTION_GRAMS:,.0f} g per portion", what="grams per portion")
    for column in BOOL_COLUMNS:
        if column in table.columns:
            text = record.get(column)  # blank: not stated, the diet-tag rules decide
            values[column] = None if text == "" else parse_bool(text, error=FoodDataError, source=name,
                                                                  row=row, column=column)
    _check_tags_against_group(values, name, row)
    if "meals" in values:
        values["meals"] = _split_list(str(values["meals"]), MEALS, source=name, row=row, column="meals")
    if "allergens" in values:
        values["allergens"] = _split_list(str(values["allergens"]), ALLERGENS, source=name, row=row,
                                          column="allergens")
    return values


def _check_tags_against_group(values: dict[str, object], name: str, row: int) -> None:
    """Refuse a diet tag that the food's own group contradicts (``vegan=true`` on Beef Products)."""
    group = str(values.get("group", ""))
    flesh = {"vegan": MEAT_GROUPS | {FISH_GROUP}, "vegetarian": MEAT_GROUPS | {FISH_GROUP},
             "pescatarian": MEAT_GROUPS}
    for column, groups in flesh.items():
        if values.get(column) is True and group in groups:
            raise FoodDataError(
                f"{column}=true contradicts the food's group '{group}' (meat, poultry or fish).",
                source=name, row=row, column=column,
                fix=f"Set {column} to false (or leave it blank), or correct the group.",
            )


def _output_columns(table: CsvTable, nutrient_columns: list[str], registry: dict[str, str]) -> list[str]:
    columns = ["food_id", "name"]
    columns += [c for c in ("group",) if c in table.columns]
    columns += [nutrient_column_target(c, registry)[0] for c in nutrient_columns]
    columns += [c for c in ("price_per_100g",) if c in table.columns]
    columns += [c for c in ("price_source",) if c in table.columns or "price_per_100g" in table.columns]
    columns += [c for c in ("portion_name", "portion_grams") if c in table.columns]
    columns += [c for c in (*BOOL_COLUMNS, "meals", "allergens", "role") if c in table.columns]
    return columns


def custom_portions(frame: pd.DataFrame) -> pd.DataFrame:
    """The household portions of a custom-foods frame as ``food_id, portion, amount, grams`` rows.

    One row per food that has ``portion_name``/``portion_grams``; empty (with those columns) otherwise.
    """
    columns = ["food_id", "portion", "amount", "grams"]
    if "portion_name" not in frame.columns or "portion_grams" not in frame.columns:
        return pd.DataFrame(columns=columns).astype({"food_id": str, "portion": str, "amount": float, "grams": float})
    given = frame[frame["portion_name"].astype(str) != ""]
    portions = pd.DataFrame({
        "food_id": given.index.astype(str),
        "portion": given["portion_name"].astype(str).to_numpy(),
        "amount": np.ones(len(given)),
        "grams": given["portion_grams"].astype(float).to_numpy(),
    })
    return portions.reset_index(drop=True)

