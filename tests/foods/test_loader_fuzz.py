"""Fuzz the CSV loaders with hypothesis: whatever the bytes, a loader either returns a valid catalogue or
raises a named DataError (file named, with a fix); never a traceback, never an impossible value."""

from __future__ import annotations

import io
import math
import shutil
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import foods
from foods.custom import read_custom_foods_csv
from foods.errors import DataError, FoodDataError, PriceListError, SupplementDataError
from foods.limits import (
    MAX_PORTION_GRAMS,
    MAX_PRICE,
    MAX_UNITS_PER_DAY,
    nutrient_maximum,
)
from foods.prices import load_price_list
from foods.supplements import read_supplements_csv

SAMPLE = Path(__file__).parent / "data" / "fdc_sample"
FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TRICKY_NUMBERS = ["0", "1", "12.5", "-3", "1e300", "1e-300", "1e9", "inf", "-inf", "nan", "1_000", "1,5", "",
                  "99999999999999999999999", "100", "100.0001", "902", "5000", "0.05", "20", "21", "２"]
TRICKY_TEXT = ['"', '""', ",", "\n", "\r\n", "\x00", "\ufeff", "é", "Beef Products", "true", "vegan", " ",
               "a-b", "a_b", "A B", "daily", "weekly", "lb", "kg", "USD", "2026-13-45", "2026-04", ";"]
cells = st.one_of(st.sampled_from(TRICKY_NUMBERS), st.sampled_from(TRICKY_TEXT),
                  st.text(alphabet=st.characters(codec="utf-8"), max_size=6))


def csv_text(columns: list[str]) -> st.SearchStrategy[bytes]:
    """A header from ``columns`` (sometimes with an odd extra one) and 0-4 rows of tricky cells, as bytes."""
    header = st.lists(st.sampled_from(columns), min_size=1, max_size=len(columns), unique=True)

    def body(names: list[str]) -> st.SearchStrategy[bytes]:
        width = st.integers(min_value=max(len(names) - 1, 0), max_value=len(names) + 1)
        row = width.flatmap(lambda n: st.lists(cells, min_size=n, max_size=n))
        rows = st.lists(row, max_size=4)
        return st.tuples(rows, st.sampled_from(["utf-8", "utf-8-sig", "latin-1"])).map(
            lambda parts: _encode(names, parts[0], parts[1]))

    return header.flatmap(body)


def _encode(names: list[str], rows: list[list[str]], encoding: str) -> bytes:
    lines = [",".join(names)] + [",".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding, errors="replace")


def upload(data: bytes) -> io.BytesIO:
    buffer = io.BytesIO(data)
    buffer.name = "fuzz.csv"
    return buffer


def assert_named(error: DataError, kind: type[DataError]) -> None:
    assert isinstance(error, kind)
    assert error.source and "Fix:" in str(error) and error.problem_count >= len(error.problems) >= 1


CUSTOM_COLUMNS = ["food_id", "name", "group", "magnesium_mg", "energy_kcal", "protein_g", "vitamin_d_iu",
                  "price_per_100g", "portion_name", "portion_grams", "vegan", "meals", "allergens"]


@FUZZ
@given(csv_text(CUSTOM_COLUMNS))
def test_custom_foods_loader_never_tracebacks(data):
    try:
        table = foods.FoodTable.from_frame(read_custom_foods_csv(upload(data)), source="fuzz.csv")
    except DataError as error:
        assert_named(error, FoodDataError)
        return
    frame = table.frame
    assert len(frame) >= 1
    for key in table.nutrient_columns:
        values = frame[key].to_numpy(dtype=float)
        known = values[~np.isnan(values)]
        assert np.isfinite(known).all() and (known >= 0).all() and (known <= nutrient_maximum(key)).all()
    assert (table.portions["grams"] <= MAX_PORTION_GRAMS).all()
    assert not frame["name"].str.contains("\x00|\n", regex=True).any()
    assert not (frame["vegan"] & frame["group"].isin(["Beef Products"])).any()


PRICE_COLUMNS = ["food_id", "price", "quantity", "unit", "grams", "currency", "date", "source", "discount"]


@FUZZ
@given(csv_text(PRICE_COLUMNS))
def test_price_list_loader_never_tracebacks(data):
    try:
        prices = load_price_list(upload(data))
    except DataError as error:
        assert_named(error, PriceListError)
        return
    frame = prices.frame
    assert len(frame) >= 1
    assert frame["price_per_100g"].map(math.isfinite).all() and (frame["price_per_100g"] > 0).all()
    assert (frame["price"] <= MAX_PRICE).all() and (frame["grams"] >= 0.1).all()


SUPPLEMENT_COLUMNS = ["supplement_id", "name", "vitamin_d_ug_per_unit", "vitamin_d_iu_per_unit",
                      "magnesium_mg_per_unit", "schedule", "max_units_per_day", "units_per_pack", "price_per_unit"]


@FUZZ
@given(csv_text(SUPPLEMENT_COLUMNS))
def test_supplement_loader_never_tracebacks(data):
    try:
        catalogue = read_supplements_csv(upload(data))
    except DataError as error:
        assert_named(error, SupplementDataError)
        return
    frame = catalogue.frame
    assert len(frame) >= 1
    assert (frame["vitamin_d_iu_per_unit"] <= 500_000).all() and (frame["magnesium_mg_per_unit"] <= 1_000).all()
    assert (frame["max_units_per_day"] <= MAX_UNITS_PER_DAY).all()


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["fdc_id", "amount", "nutrient_id"]), cells)
def test_fdc_importer_never_tracebacks_on_a_bad_nutrient_cell(column, cell):
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "fdc"
        shutil.copytree(SAMPLE, copy)
        path = copy / "food_nutrient.csv"
        fields = ["99", "170567", "1185", "1.0", "", "", "", "", "", "", ""]
        fields[{"fdc_id": 1, "nutrient_id": 2, "amount": 3}[column]] = cell
        quoted = ",".join('"' + f.replace('"', '""') + '"' for f in fields)
        path.write_text(path.read_text(encoding="utf-8") + quoted + "\n", encoding="utf-8")
        try:
            table = foods.import_fdc(copy)
        except DataError as error:
            assert_named(error, FoodDataError)
            return
        for key in table.nutrient_columns:
            known = table.frame[key].dropna().to_numpy(dtype=float)
            assert np.isfinite(known).all() and (known <= nutrient_maximum(key)).all()
        assert "-9223372036854775808" not in table.frame.index
