"""Food price lists: a CSV of (food id, price, quantity + unit or grams, currency, date, source).

Each row prices one food: ``price`` (in ``currency``) buys ``quantity`` ``unit`` (g, kg, lb, oz) or,
explicitly, ``grams`` of it. The list turns that into ``price_per_100g`` = price / grams × 100.
Foods that no list prices stay unknown (NaN), never invented. The shipped example list holds the
BLS April 2026 U.S. city average prices (``foods/data/prices_bls_2026-04.csv``).

Loading is all-or-nothing: a malformed list raises one :class:`~foods.errors.PriceListError`
naming the file, row, column and a fix.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Container
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from foods.csvtools import CsvRow, CsvSource, parse_number, read_csv_rows
from foods.errors import PriceListError, ProblemLog
from foods.limits import MAX_PRICE, MAX_PRICED_GRAMS, MIN_PRICED_GRAMS, date_problem

GRAMS_PER_UNIT = {"g": 1.0, "kg": 1000.0, "lb": 453.59237, "oz": 28.349523125}
"""Mass units a price list may use, in grams (avoirdupois pound and ounce)."""

GRAMS_AGREEMENT = 0.01
"""When a row gives both quantity + unit and grams, they must agree within this fraction (1 %)."""

COLUMNS = ("food_id", "price", "quantity", "unit", "grams", "currency", "date", "source", "price_per_100g",
           "item", "notes")
"""Columns of :attr:`PriceList.frame` (one row per food)."""

SHIPPED_FILE = "prices_bls_2026-04.csv"
INPUT_COLUMNS = ("food_id", "price", "quantity", "unit", "grams", "currency", "date", "source", "item", "notes")
"""The columns a price-list file may have (``price_per_100g`` is computed, never read)."""
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class PriceList:
    """One validated price list. ``frame`` columns: see :data:`COLUMNS`; prices in ``currency``."""

    def __init__(self, frame: pd.DataFrame, source: str) -> None:
        self._frame = frame.loc[:, list(COLUMNS)].reset_index(drop=True)
        self.source = source

    @property
    def frame(self) -> pd.DataFrame:
        """The priced foods (a copy)."""
        return self._frame.copy()

    @property
    def food_ids(self) -> list[str]:
        """Ids of the priced foods, in file order."""
        return [str(food_id) for food_id in self._frame["food_id"]]

    @property
    def currency(self) -> str:
        """The list's currency (one per list), "" for an empty list."""
        return str(self._frame["currency"].iloc[0]) if len(self._frame) else ""

    def __len__(self) -> int:
        return len(self._frame)

    def __contains__(self, food_id: object) -> bool:
        return food_id in set(self._frame["food_id"])

    def __repr__(self) -> str:
        return f"PriceList({len(self)} foods from {self.source})"

    def price_per_100g(self, food_id: str) -> float:
        """Price of 100 g of ``food_id`` in the list's currency; NaN when the list does not price it."""
        match = self._frame.loc[self._frame["food_id"] == food_id, "price_per_100g"]
        return float(match.iloc[0]) if len(match) else math.nan

    def per_food(self) -> pd.DataFrame:
        """``price_per_100g`` and ``price_source`` ("source, date") indexed by ``food_id``: what a FoodTable takes."""
        frame = self._frame.set_index("food_id")
        price_source = frame["source"].astype(str)
        dated = frame["date"].astype(str) != ""
        price_source = price_source.where(~dated, price_source + ", " + frame["date"].astype(str))
        return pd.DataFrame({"price_per_100g": frame["price_per_100g"].astype(np.float64),
                             "price_source": price_source.astype(str)})

    def combine(self, other: PriceList) -> PriceList:
        """A new list with the foods of both; ``other`` (loaded later) wins per food."""
        if len(self) and len(other) and self.currency != other.currency:
            raise PriceListError(
                f"cannot combine a {self.currency} list with a {other.currency} list.", source=other.source,
                column="currency", fix="Convert one list to the other's currency before loading it.",
            )
        kept = self._frame[~self._frame["food_id"].isin(set(other._frame["food_id"]))]
        return PriceList(pd.concat([kept, other._frame], ignore_index=True), f"{self.source} + {other.source}")


def _known_food_ids(foods: object) -> Container[str]:
    frame = getattr(foods, "frame", None)
    if isinstance(frame, pd.DataFrame):
        return set(frame.index.astype(str))
    if isinstance(foods, pd.DataFrame):
        return set(foods.index.astype(str))
    return foods  # type: ignore[return-value]


def _price_row(record: CsvRow, source: str, columns: tuple[str, ...]) -> dict[str, object]:
    row = record.row

    def number(column: str, what: str, blank: float | None, **bounds: object) -> float:
        return parse_number(record.get(column), error=PriceListError, source=source, row=row, column=column,
                            positive=True, blank=blank, what=what, **bounds)  # type: ignore[arg-type]

    price = number("price", "a price", None, maximum=MAX_PRICE, limit=f"{MAX_PRICE:,.0f} (in the list's currency)")
    grams_limits = {"minimum": MIN_PRICED_GRAMS, "maximum": MAX_PRICED_GRAMS,
                    "limit": f"{MIN_PRICED_GRAMS:g} g to {MAX_PRICED_GRAMS:,.0f} g per priced quantity"}
    grams = number("grams", "grams", math.nan, **grams_limits) if "grams" in columns else math.nan
    quantity_text, unit_text = record.get("quantity"), record.get("unit")
    if quantity_text or unit_text or math.isnan(grams):
        if math.isnan(grams) and not (quantity_text or unit_text):
            raise PriceListError("the row says neither how much the price buys (quantity + unit) nor grams.",
                                 source=source, row=row, column="quantity" if "quantity" in columns else "grams",
                                 fix="Fill quantity and unit (e.g. 1, lb) or grams (e.g. 453.6).")
        quantity = number("quantity", "a quantity", None)
        unit = unit_text.lower()
        if unit not in GRAMS_PER_UNIT:
            raise PriceListError(
                f"unknown unit '{unit_text}'." if unit_text else "the unit is blank.",
                source=source, row=row, column="unit",
                fix=f"Use one of {', '.join(GRAMS_PER_UNIT)}, or give the weight in a grams column.",
            )
        from_unit = quantity * GRAMS_PER_UNIT[unit]
        if not MIN_PRICED_GRAMS <= from_unit <= MAX_PRICED_GRAMS:
            raise PriceListError(
                f"{quantity:g} {unit} is {from_unit:g} g; a price must buy {grams_limits['limit']}.",
                source=source, row=row, column="quantity", fix="Check the quantity and its unit.",
            )
        if math.isnan(grams):
            grams = from_unit
        elif abs(grams - from_unit) > GRAMS_AGREEMENT * from_unit:
            raise PriceListError(
                f"grams {grams:g} disagrees with quantity × unit = {quantity:g} {unit} = {from_unit:g} g.",
                source=source, row=row, column="grams",
                fix="Correct one of them, or leave grams blank to use quantity × unit.",
            )
    else:
        quantity, unit = grams, "g"
    currency = (record.get("currency") or "USD").upper()
    if not _CURRENCY.match(currency):
        raise PriceListError(f"'{record.get('currency')}' is not a currency code.", source=source, row=row,
                             column="currency", fix="Use a three-letter ISO code such as USD or EUR.")
    date = record.get("date")
    problem = date_problem(date) if date else None
    if problem:
        raise PriceListError(problem, source=source, row=row, column="date",
                             fix="Write a real date as YYYY-MM or YYYY-MM-DD (e.g. 2026-04 or 2026-04-30).")
    if price / grams * 100.0 > MAX_PRICE:
        raise PriceListError(
            f"{price:g} for {grams:g} g is {price / grams * 100.0:g} per 100 g, above the limit of "
            f"{MAX_PRICE:,.0f} per 100 g.", source=source, row=row, column="price",
            fix="Check the price and the quantity it buys.",
        )
    return {
        "food_id": record.get("food_id"), "price": price, "quantity": quantity, "unit": unit, "grams": grams,
        "currency": currency, "date": date, "source": record.get("source") or f"price list {source}",
        "price_per_100g": price / grams * 100.0, "item": record.get("item"), "notes": record.get("notes"),
    }


def read_price_list(source: CsvSource, foods: object | None = None) -> PriceList:
    """Read and validate one price-list CSV; see :func:`load_price_list`."""
    table = read_csv_rows(source, PriceListError, required=("food_id", "price"), what="prices")
    name = table.source
    log = ProblemLog(PriceListError, source=name)
    for column in table.columns:
        if column not in INPUT_COLUMNS:
            log.add("unknown column.", row=1, column=column,
                    fix=f"Rename or remove it; price lists use: {', '.join(INPUT_COLUMNS)}."
                        + (" price_per_100g is computed from price and grams." if column == "price_per_100g" else ""))
    if "grams" not in table.columns:
        for column in ("quantity", "unit"):
            if column not in table.columns:
                log.add(f"missing column '{column}' (and there is no grams column).", row=1, column=column,
                        fix="Add quantity and unit columns (e.g. 1, lb) or a grams column.")
    log.raise_if_any()
    known = _known_food_ids(foods) if foods is not None else None
    first_row: dict[str, int] = {}
    rows = []
    for record in table:
        with log.collecting():
            _check_food_id(record, name, first_row, known)
            rows.append(_price_row(record, name, table.columns))
    log.raise_if_any()
    frame = pd.DataFrame.from_records(rows, columns=list(COLUMNS))
    currencies = sorted(set(frame["currency"]))
    if len(currencies) > 1:
        second = next(r for r in rows if r["currency"] != rows[0]["currency"])
        raise PriceListError(
            f"one list mixes currencies ({', '.join(currencies)}).", source=name,
            row=first_row[str(second["food_id"])], column="currency",
            fix="Use one currency per price list.",
        )
    for column in ("price", "quantity", "grams", "price_per_100g"):
        frame[column] = frame[column].astype(np.float64)
    for column in ("food_id", "unit", "currency", "date", "source", "item", "notes"):
        frame[column] = frame[column].astype(str)
    return PriceList(frame, name)


def _check_food_id(record: CsvRow, name: str, first_row: dict[str, int], known: Container[str] | None) -> None:
    """Raise for a blank, repeated or (with ``known``) unknown food id; remember the id's row."""
    food_id = record.get("food_id")
    if not food_id:
        raise PriceListError("the food id is blank.", source=name, row=record.row, column="food_id",
                             fix="Give the food id of every priced food (see FoodTable.search).")
    if food_id in first_row:
        raise PriceListError(
            f"duplicate food id '{food_id}' within one list (already priced in row {first_row[food_id]}).",
            source=name, row=record.row, column="food_id",
            fix="Keep one price per food in a list; put other prices in a separate list (the last loaded wins).",
        )
    first_row[food_id] = record.row
    if known is not None and food_id not in known:
        raise PriceListError(
            f"unknown food id '{food_id}': no such food in the catalogue.", source=name, row=record.row,
            column="food_id", fix="Look the id up with FoodTable.search(...) (SR ids have 5 digits, e.g. 01077).",
        )


def load_price_list(path: CsvSource, foods: object | None = None) -> PriceList:
    """Load a price-list CSV and convert every row to ``price_per_100g``.

    Columns: ``food_id``, ``price`` (required); ``quantity`` + ``unit`` (g, kg, lb, oz) and/or ``grams``;
    optional ``currency`` (3-letter code, default USD, one per list), ``date`` (YYYY-MM[-DD], a real date
    1900–2100), ``source``, ``item``, ``notes``; no other columns. With ``foods`` (a FoodTable or a collection
    of ids), every food id must exist. A price is at most 1,000,000 (in its currency, also per 100 g) and buys
    0.1 g to 1,000 kg (:mod:`foods.limits`). Raises one :class:`PriceListError` listing every bad row.
    """
    return read_price_list(path, foods)


@lru_cache(maxsize=1)
def example_prices() -> PriceList:
    """The shipped example list: BLS U.S. city average retail prices, April 2026 (10 foods, USD)."""
    data = resources.files("foods").joinpath("data", SHIPPED_FILE).read_bytes()
    buffer = io.BytesIO(data)
    buffer.name = f"foods/data/{SHIPPED_FILE}"
    return read_price_list(buffer)
