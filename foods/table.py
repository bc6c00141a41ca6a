"""``FoodTable``: a food catalogue (nutrients per 100 g, portions, tags, prices) and ``load_foods()``.

The shipped catalogues are USDA SR24 (7,907 foods, public domain, the default) built by ``foods.build_usda``
and USDA FNDDS 2017-2018 (7,083 foods as eaten, ``load_foods("fndds")``) built by ``foods.build_fndds``; custom
foods come in through :meth:`FoodTable.from_frame` / :meth:`FoodTable.from_csv`. Nutrient values are per
100 g edible portion, unit in the column name; NaN means *unknown*, never 0.
"""

from __future__ import annotations

import functools
import importlib.resources
import os
import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from foods.csvtools import id_key
from foods.diet import DIET_COLUMNS, diet_tags
from foods.errors import FoodDataError, ProblemLog, UnknownFoodError
from foods.everyday import MEALS, read_everyday
from foods.fndds import DESCRIPTOR_COLUMNS, read_fndds
from foods.fndds import SOURCE as FNDDS_SOURCE
from foods.limits import (
    MAX_PORTION_AMOUNT,
    MAX_PORTION_GRAMS,
    MAX_PRICE,
    nutrient_limit_problem,
    nutrient_maximum,
)
from foods.nutrients import registry_order

#: Columns of ``FoodTable.frame`` that are not nutrients.
TEXT_COLUMNS = ("name", "group", "meals", "default_portion", "allergens", "price_source")
BOOL_COLUMNS = ("everyday", *DIET_COLUMNS)
OTHER_NUMBER_COLUMNS = ("default_portion_grams", "price_per_100g")
#: Free-text columns a custom frame may carry along (kept as they are, never treated as nutrients).
PASSTHROUGH_TEXT_COLUMNS = ("note", "notes", "brand", "source", "role")  # role: foods.roles
NON_NUTRIENT_COLUMNS = frozenset((*TEXT_COLUMNS, *BOOL_COLUMNS, *OTHER_NUMBER_COLUMNS, *PASSTHROUGH_TEXT_COLUMNS,
                                  *DESCRIPTOR_COLUMNS, "portion_name", "portion_grams", "food_id"))
RECIPE_COLUMNS = ["food_id", "sr_id", "description", "grams_per_100g"]
CATALOGUES = ("sr24", "fndds")
PORTION_COLUMNS = ["food_id", "portion", "amount", "grams"]
DEFAULT_GROUP = "Custom foods"
FALLBACK_PORTION = ("100 g", 100.0)


def _empty_portions() -> pd.DataFrame:
    return pd.DataFrame({"food_id": pd.Series(dtype=object), "portion": pd.Series(dtype=object),
                         "amount": pd.Series(dtype=np.float64), "grams": pd.Series(dtype=np.float64)})


class FoodTable:
    """A food catalogue. Immutable by convention: methods return new tables.

    ``frame`` is indexed by ``food_id`` (str) with ``name``, ``group``, nutrient columns (per 100 g,
    NaN = unknown), ``everyday``, ``meals``, ``default_portion``, ``default_portion_grams``, the diet tags
    ``vegan, vegetarian, pescatarian, omnivore``, ``allergens``, ``price_per_100g`` (NaN = unknown) and
    ``price_source``. ``portions`` has one row per household measure: ``food_id, portion, amount, grams``.
    ``recipes`` (FNDDS only; empty otherwise) has ``food_id, sr_id, description, grams_per_100g``.
    """

    def __init__(self, frame: pd.DataFrame, portions: pd.DataFrame | None = None, *, source: str = "",
                 recipes: pd.DataFrame | None = None) -> None:
        self.frame = frame
        self.portions = _empty_portions() if portions is None else portions.reset_index(drop=True)
        self.source = source
        self.recipes = (pd.DataFrame({c: pd.Series(dtype=object if c != "grams_per_100g" else np.float64)
                                      for c in RECIPE_COLUMNS}) if recipes is None else recipes)

    # ----------------------------------------------------------------- basics
    def __len__(self) -> int:
        return len(self.frame)

    def __contains__(self, food_id: object) -> bool:
        return isinstance(food_id, str) and food_id in self.frame.index

    def __getitem__(self, food_id: str) -> pd.Series:
        if food_id not in self:
            raise UnknownFoodError(str(food_id))
        return self.frame.loc[food_id]

    def __repr__(self) -> str:
        return f"FoodTable({len(self)} foods{', ' + self.source if self.source else ''})"

    @functools.cached_property
    def nutrient_columns(self) -> list[str]:
        """Nutrient keys present in the frame: registry order first, then the others in frame order."""
        present = [c for c in self.frame.columns if c not in NON_NUTRIENT_COLUMNS]
        known = set(present)
        ordered = [key for key in registry_order() if key in known]
        return ordered + [c for c in present if c not in set(ordered)]

    # ----------------------------------------------------------------- portions
    @functools.cached_property
    def _first_portion(self) -> dict[str, tuple[str, float]]:
        first = self.portions.drop_duplicates("food_id", keep="first")
        return {fid: (str(p), float(g)) for fid, p, g in zip(first["food_id"], first["portion"], first["grams"])}

    def portion_for(self, food_id: str) -> tuple[str, float]:
        """The household portion the optimizer counts in: (name, grams).

        The everyday default portion, else the food's first household measure, else ``("100 g", 100.0)``.
        """
        if food_id not in self:
            raise UnknownFoodError(str(food_id))
        default = self._default_portion.get(food_id)
        if default is not None:
            return default
        return self._first_portion.get(food_id, FALLBACK_PORTION)

    @functools.cached_property
    def _default_portion(self) -> dict[str, tuple[str, float]]:
        """Foods with a usable default portion (name, grams > 0), read once from the frame."""
        frame = self.frame
        if "default_portion" not in frame.columns or "default_portion_grams" not in frame.columns:
            return {}
        out = {}
        for fid, name, grams in zip(frame.index, frame["default_portion"], frame["default_portion_grams"]):
            if isinstance(name, str) and name and pd.notna(grams) and grams > 0:
                out[str(fid)] = (name, float(grams))
        return out

    def portions_of(self, food_id: str) -> pd.DataFrame:
        """All household measures of one food (``portion, amount, grams``), in record order."""
        if food_id not in self:
            raise UnknownFoodError(str(food_id))
        return self.portions.loc[self.portions["food_id"] == food_id, ["portion", "amount", "grams"]]

    # ----------------------------------------------------------------- recipes
    @functools.cached_property
    def _recipe_rows(self) -> dict[str, np.ndarray]:
        return {str(k): v for k, v in self.recipes.groupby("food_id", sort=False).indices.items()}

    def ingredients(self, food_id: str) -> pd.DataFrame:
        """The food's recipe expanded to SR ingredients: ``sr_id, description, grams_per_100g`` (g of the
        ingredient as listed per 100 g of the food as eaten), largest first.

        Empty (same columns) for a food without a recipe: every SR24 or custom food, and FNDDS foods new in
        2017-18. Raises :class:`UnknownFoodError` for an id that is not in the table.
        """
        if food_id not in self:
            raise UnknownFoodError(str(food_id))
        rows = self._recipe_rows.get(food_id)
        part = self.recipes.iloc[rows if rows is not None else []]
        return part[["sr_id", "description", "grams_per_100g"]].reset_index(drop=True)

    # ----------------------------------------------------------------- queries
    def search(self, text: str, group: str | None = None) -> pd.DataFrame:
        """Foods whose name, display name (FNDDS) or id contains every word of ``text`` (case-insensitive);
        everyday foods first.

        ``group`` keeps foods whose group name contains it (case-insensitive), e.g. ``"nuts"``.
        """
        haystack = self.frame["name"].astype(str) + " " + self.frame.index.astype(str)
        if "display_name" in self.frame.columns:
            haystack = haystack + " " + self.frame["display_name"].fillna("").astype(str)
        haystack = haystack.str.lower()
        mask = pd.Series(True, index=self.frame.index)
        for word in str(text).lower().split():
            mask &= haystack.str.contains(word, regex=False)
        if group:
            mask &= self.frame["group"].astype(str).str.lower().str.contains(group.lower(), regex=False)
        found = self.frame[mask]
        order = np.argsort(~found["everyday"].to_numpy(dtype=bool), kind="stable")
        return found.iloc[order]

    def missing(self, nutrient_key: str, ids: Iterable[str] | None = None) -> int:
        """How many foods (optionally only among ``ids``) have no value for ``nutrient_key``.

        A key that is not a column at all is unknown for every food.
        """
        frame = self.frame if ids is None else self.subset(ids).frame
        if nutrient_key not in frame.columns:
            return len(frame)
        return int(frame[nutrient_key].isna().sum())

    # ----------------------------------------------------------------- new tables
    def subset(self, ids: Iterable[str]) -> FoodTable:
        """A table with only ``ids`` (in that order); raises :class:`UnknownFoodError` for an unknown id."""
        wanted = list(dict.fromkeys(str(i) for i in ids))
        for food_id in wanted:
            if food_id not in self.frame.index:
                raise UnknownFoodError(food_id)
        portions = self.portions[self.portions["food_id"].isin(set(wanted))]
        recipes = self.recipes[self.recipes["food_id"].isin(set(wanted))].reset_index(drop=True)
        return FoodTable(self.frame.loc[wanted], portions, source=self.source, recipes=recipes)

    def combine(self, other: FoodTable) -> FoodTable:
        """Both catalogues in one; ``other`` wins on duplicate ids (its row and its portions)."""
        replaced = self.frame.index.isin(other.frame.index)
        frame = pd.concat([self.frame[~replaced], other.frame])
        frame = _normalise_standard_columns(frame)
        portions = pd.concat([self.portions[~self.portions["food_id"].isin(set(other.frame.index))],
                              other.portions], ignore_index=True)
        source = " + ".join(s for s in (self.source, other.source) if s)
        recipes = pd.concat([self.recipes[~self.recipes["food_id"].isin(set(other.frame.index))], other.recipes],
                            ignore_index=True)
        return FoodTable(frame, portions, source=source, recipes=recipes)

    def with_prices(self, *price_lists: Any) -> FoodTable:
        """A table with ``price_per_100g``/``price_source`` from the price lists; the last list wins per food.

        Each list is a :class:`foods.PriceList` (``.frame`` with ``food_id, price_per_100g, source``).
        Prices for ids that are not in this table are ignored (loaders validate ids).
        """
        frame = self.frame.copy()
        for price_list in price_lists:
            prices = _price_rows(price_list)
            prices = prices[prices.index.isin(frame.index)]
            frame.loc[prices.index, "price_per_100g"] = prices["price_per_100g"].astype(np.float64)
            frame.loc[prices.index, "price_source"] = prices["price_source"].astype(str)
        return FoodTable(frame, self.portions, source=self.source, recipes=self.recipes)

    # ----------------------------------------------------------------- constructors
    @classmethod
    def from_frame(cls, df: pd.DataFrame, source: str = "custom foods", *,
                   portions: pd.DataFrame | None = None, per_100g: bool = True) -> FoodTable:
        """A validated table from any frame of foods.

        ``df`` has ids in a ``food_id`` column or as its index, a ``name`` column, optional ``group``, any
        nutrient columns (numbers per 100 g, NaN = unknown; the optimizer is generic over nutrients),
        optional ``price_per_100g``, ``portion_name``/``portion_grams`` and tag columns. Missing standard
        columns are filled (``everyday`` False, ``meals`` "", diet tags and allergens by the rules in
        :mod:`foods.diet`, price NaN). Raises :class:`FoodDataError` naming row (spreadsheet numbering:
        header = row 1) and column for duplicate ids, non-numeric or negative values, and (``per_100g``, the
        default) amounts no food can hold per 100 g. ``per_100g=False`` is for generic models whose columns are per
        some other unit (e.g. Stigler's nutrients per dollar): values must then only be finite, at most
        ``GENERIC_MAXIMUM``, and not negative.
        """
        frame = _validated_frame(df, source, physical=per_100g)
        frame, extra_portions = _split_portion_columns(frame, source)
        if portions is None:
            portions = extra_portions
        else:
            portions = _validated_portions(portions, frame.index, source)
        return cls(frame, portions, source=source)

    @classmethod
    def from_csv(cls, path: str | os.PathLike[str]) -> FoodTable:
        """Custom foods from a CSV file (see :func:`foods.custom.read_custom_foods_csv` for the columns)."""
        from foods.custom import read_custom_foods_csv

        frame = read_custom_foods_csv(path)
        return cls.from_frame(frame, source=str(path))


# --------------------------------------------------------------------- helpers
def _row_number(position: int) -> int:
    return position + 2  # spreadsheet numbering: header is row 1


GENERIC_MAXIMUM = 1e12  # any amount in a generic (not per 100 g) table: far below what solvers treat as infinite


def _validated_frame(df: pd.DataFrame, source: str, *, physical: bool = True) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise FoodDataError(f"expected a pandas DataFrame, got {type(df).__name__}.", source=source)
    frame = df.copy()
    if "food_id" in frame.columns:
        frame = frame.set_index("food_id")
    elif frame.index.name != "food_id" and (isinstance(frame.index, pd.RangeIndex)
                                            or not pd.api.types.is_string_dtype(frame.index)):
        raise FoodDataError("no 'food_id' column or index.", source=source, column="food_id",
                            fix="Add a food_id column with one unique id per food.")
    ids = pd.Index([str(i).strip() if pd.notna(i) else "" for i in frame.index], name="food_id")
    frame.index = ids
    log = ProblemLog(FoodDataError, source=source)
    first_row: dict[str, tuple[int, str]] = {}
    for position, food_id in enumerate(ids):
        if food_id == "":
            log.add("the food id is blank.", row=_row_number(position), column="food_id",
                    fix="Give every food a unique id.")
            continue
        key = id_key(food_id)
        if key in first_row:
            row, earlier = first_row[key]
            log.add(f"duplicate food id '{food_id}'." if earlier == food_id else
                    f"food id '{food_id}' collides with '{earlier}' in row {row}: ids are compared ignoring case, "
                    "spaces, '-' and '_'.", row=_row_number(position), column="food_id",
                    fix="Give every food a unique id.")
            continue
        first_row[key] = (_row_number(position), food_id)
    if "name" not in frame.columns:
        log.add("the 'name' column is missing.", column="name", fix="Add a name column.")
        log.raise_if_any()
    names = frame["name"].fillna("").astype(str).str.strip()
    for blank in np.flatnonzero((names == "").to_numpy()):
        log.add("the food name is blank.", row=_row_number(int(blank)), column="name",
                fix="Give every food a name.")
    frame["name"] = names
    for column in frame.columns:
        if column in NON_NUTRIENT_COLUMNS - {"price_per_100g", "default_portion_grams", "portion_grams"}:
            continue
        maximum = {"price_per_100g": MAX_PRICE, "default_portion_grams": MAX_PORTION_GRAMS,
                   "portion_grams": MAX_PORTION_GRAMS}.get(column, None if physical else GENERIC_MAXIMUM)
        with log.collecting():
            frame[column] = _numeric_column(frame[column], column, source, maximum=maximum)
    log.raise_if_any()
    return _normalise_standard_columns(frame)


def _numeric_column(values: pd.Series, column: str, source: str, *, maximum: float | None = None) -> pd.Series:
    """``values`` as float (NaN = unknown); every text, negative, infinite or impossible value raises one
    FoodDataError naming each row. ``maximum`` defaults to the physical bound of the column's unit per 100 g."""
    if pd.api.types.is_bool_dtype(values):
        raise FoodDataError("true/false values where numbers per 100 g are expected.", source=source,
                            column=column, fix="Give amounts as numbers, or rename the column.")
    numbers = pd.to_numeric(values, errors="coerce").astype(np.float64)
    limit = nutrient_maximum(column) if maximum is None else maximum
    bad = numbers.isna() & values.notna() & (values.astype(str).str.strip() != "")
    log = ProblemLog(FoodDataError, source=source)
    impossible = np.isinf(numbers.to_numpy()) | (numbers.notna() & ~(numbers <= limit)).to_numpy()
    for position in np.flatnonzero(bad.to_numpy() | (numbers < 0).to_numpy() | impossible):
        value, row = numbers.iloc[position], _row_number(int(position))
        if bad.iloc[position]:
            log.add(f"'{values.iloc[position]}' is not a number.", row=row, column=column,
                    fix="Write a plain number (per 100 g), or leave the cell blank for unknown.")
        elif value < 0:
            log.add(f"negative amount {value:g}.", row=row, column=column,
                    fix="Amounts cannot be negative; leave the cell blank if unknown.")
        elif np.isinf(value):
            log.add("infinite amount.", row=row, column=column, fix="Write a finite number.")
        else:
            reason = nutrient_limit_problem(column, value) if maximum is None else None
            log.add(reason or f"{value:g} is above the limit of {limit:g}.", row=row, column=column,
                    fix="Check the number and its unit (nutrients are per 100 g of edible portion).")
    log.raise_if_any()
    return numbers


def _normalise_standard_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Fill and type the standard non-nutrient columns; the others are kept as they are."""
    frame = frame.copy()
    frame.index.name = "food_id"
    if "group" not in frame.columns:
        frame["group"] = DEFAULT_GROUP
    frame["group"] = frame["group"].fillna("").astype(str).replace("", DEFAULT_GROUP)
    needs_tags = [c for c in (*DIET_COLUMNS, "allergens") if c not in frame.columns or frame[c].isna().any()]
    if needs_tags:
        tags = diet_tags(frame["name"], frame["group"])
        for column in needs_tags:
            if column in frame.columns:
                frame[column] = frame[column].where(frame[column].notna(), tags[column])
            else:
                frame[column] = tags[column]
    defaults: dict[str, Any] = {"everyday": False, "meals": "", "default_portion": "",
                                "default_portion_grams": np.nan, "price_per_100g": np.nan, "price_source": ""}
    for column, value in defaults.items():
        if column not in frame.columns:
            frame[column] = value
    for column in BOOL_COLUMNS:
        frame[column] = frame[column].fillna(False).astype(bool)
    frame["omnivore"] = True
    frame["vegetarian"] = frame["vegetarian"] | frame["vegan"]  # vegan implies vegetarian implies pescatarian
    frame["pescatarian"] = frame["pescatarian"] | frame["vegetarian"]
    for column in TEXT_COLUMNS:
        frame[column] = frame[column].fillna("").astype(str)
    for column in OTHER_NUMBER_COLUMNS:
        frame[column] = frame[column].astype(np.float64)
    bad_meals = ~frame["meals"].map(lambda text: all(m in MEALS for m in text.split(";") if m))
    if bad_meals.any():
        position = int(np.flatnonzero(bad_meals.to_numpy())[0])
        raise FoodDataError(f"meals '{frame['meals'].iloc[position]}' are not among {', '.join(MEALS)}.",
                            row=_row_number(position), column="meals", fix="Use ';' between meal names.")
    return frame


def _split_portion_columns(frame: pd.DataFrame, source: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn ``portion_name``/``portion_grams`` columns into portions rows and the default portion."""
    if "portion_name" not in frame.columns and "portion_grams" not in frame.columns:
        return frame, _empty_portions()
    names = frame.get("portion_name", pd.Series("", index=frame.index)).fillna("").astype(str).str.strip()
    grams = pd.to_numeric(frame.get("portion_grams", pd.Series(np.nan, index=frame.index)), errors="coerce")
    given = (names != "") | grams.notna()
    bad = given & ((names == "") | ~(grams > 0) | (grams > MAX_PORTION_GRAMS))
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        column = "portion_name" if names.iloc[position] == "" else "portion_grams"
        raise FoodDataError("a portion needs both a name and a positive weight in grams.", source=source,
                            row=_row_number(position), column=column,
                            fix=f"Fill both portion_name and portion_grams (> 0 and at most {MAX_PORTION_GRAMS:,.0f} g), "
                                "or neither.")
    frame = frame.drop(columns=[c for c in ("portion_name", "portion_grams") if c in frame.columns])
    unset = frame["default_portion"] == ""
    frame.loc[given & unset, "default_portion"] = names[given & unset]
    frame.loc[given & unset, "default_portion_grams"] = grams[given & unset].astype(np.float64)
    portions = pd.DataFrame({"food_id": frame.index[given].astype(str), "portion": names[given].to_numpy(),
                             "amount": 1.0, "grams": grams[given].to_numpy(dtype=np.float64)})
    return frame, portions.reset_index(drop=True)


def _validated_portions(portions: pd.DataFrame, ids: pd.Index, source: str) -> pd.DataFrame:
    missing = [c for c in PORTION_COLUMNS if c not in portions.columns]
    if missing:
        raise FoodDataError(f"the portions table lacks column '{missing[0]}'.", source=source, column=missing[0],
                            fix=f"Portions need the columns {', '.join(PORTION_COLUMNS)}.")
    result = portions.loc[:, PORTION_COLUMNS].copy()
    result["food_id"] = result["food_id"].astype(str)
    result["portion"] = result["portion"].astype(str)
    result["amount"] = _numeric_column(result["amount"], "amount", source, maximum=MAX_PORTION_AMOUNT)
    result["grams"] = _numeric_column(result["grams"], "grams", source, maximum=MAX_PORTION_GRAMS)
    unknown = ~result["food_id"].isin(ids)
    if unknown.any():
        position = int(np.flatnonzero(unknown.to_numpy())[0])
        raise FoodDataError(f"portion for unknown food id '{result['food_id'].iloc[position]}'.", source=source,
                            row=_row_number(position), column="food_id", fix="Remove the row or add the food.")
    return result.reset_index(drop=True)


def _price_rows(price_list: Any) -> pd.DataFrame:
    per_food = getattr(price_list, "per_food", None)
    if callable(per_food):
        prices = per_food()
    else:
        frame = price_list.frame
        prices = pd.DataFrame({"price_per_100g": frame["price_per_100g"].to_numpy(dtype=np.float64),
                               "price_source": frame["source"].astype(str).to_numpy()},
                              index=pd.Index(frame["food_id"].astype(str), name="food_id"))
    return prices[~prices.index.duplicated(keep="last")]


# --------------------------------------------------------------------- the shipped catalogue
def _data_file(name: str) -> Any:
    return importlib.resources.files("foods").joinpath("data", name)


def read_shipped_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The shipped SR24 files as (foods frame indexed by food_id, portions frame), without tags or everyday."""
    nutrient_dtype: defaultdict[str, Any] = defaultdict(lambda: np.float64, food_id=str, name=str, group=str)
    with _data_file("usda_sr24_foods.csv.gz").open("rb") as handle:
        foods = pd.read_csv(handle, compression="gzip", dtype=nutrient_dtype, keep_default_na=False,
                            na_values=[""], engine="c", index_col="food_id")
    with _data_file("usda_sr24_portions.csv.gz").open("rb") as handle:
        portions = pd.read_csv(handle, compression="gzip", keep_default_na=False, engine="c",
                               dtype={"food_id": str, "portion": str, "amount": np.float64, "grams": np.float64})
    return foods, portions


def load_foods(catalogue: str = "sr24") -> FoodTable:
    """A shipped catalogue: ``"sr24"`` (default: USDA SR24, 7,907 foods) or ``"fndds"`` (USDA FNDDS 2017-2018,
    7,083 foods as eaten, with WWEIA categories, FPED food-group equivalents and recipes).

    Cached: later calls return the same object (treat it as immutable). No prices (see ``with_prices``).
    Raises :class:`FoodDataError` for an unknown catalogue name.
    """
    name = str(catalogue).strip().lower()
    if name not in CATALOGUES:
        raise FoodDataError(f"unknown catalogue '{catalogue}'.", source="load_foods", column="catalogue",
                            fix=f"Use one of: {', '.join(CATALOGUES)}.")
    return _cached_catalogue(name)


@functools.cache
def _cached_catalogue(name: str) -> FoodTable:
    return build_fndds_table() if name == "fndds" else build_sr24_table()


def build_fndds_table() -> FoodTable:
    """The FNDDS catalogue built from the shipped files (uncached; use ``load_foods("fndds")``)."""
    foods, portions, recipes = read_fndds()
    return FoodTable(_normalise_standard_columns(foods), portions, source=FNDDS_SOURCE, recipes=recipes)


def build_sr24_table() -> FoodTable:
    """The SR24 catalogue with everyday foods, diet tags and allergens (uncached; use ``load_foods()``)."""
    foods, portions = read_shipped_frames()
    with _data_file("everyday.csv").open("r", encoding="utf-8") as handle:
        everyday = read_everyday(handle, foods.index, portions)
    foods = foods.join(everyday, how="left")
    foods["everyday"] = foods["everyday"].fillna(False).astype(bool)
    foods = foods.join(diet_tags(foods["name"], foods["group"]))
    return FoodTable(_normalise_standard_columns(foods), portions,
                     source="USDA SR24 (public domain), shipped with Cofactor")


def timed_load(catalogue: str = "sr24") -> float:
    """Seconds one uncached build of a shipped catalogue (``"sr24"`` or ``"fndds"``) takes (for benchmarks)."""
    started = time.perf_counter()
    _cached_catalogue.__wrapped__(str(catalogue).lower())
    return time.perf_counter() - started
