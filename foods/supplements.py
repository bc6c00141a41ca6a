"""Supplement products: the shipped catalogue (vitamin D, magnesium, combined) plus user CSV files.

Amounts are **per unit** (one tablet, capsule or softgel) as a label states them:
``vitamin_d_ug_per_unit`` / ``vitamin_d_iu_per_unit`` (1 µg = 40 IU) and ``magnesium_mg_per_unit``
(elemental magnesium). A blank amount in a supplement file means the product does not contain
that nutrient (0): a Supplement Facts label lists everything it contains.

Loading is all-or-nothing: a malformed file raises one :class:`~foods.errors.SupplementDataError`
naming the file, row, column and a fix, and no catalogue is changed.
"""

from __future__ import annotations

import io
import math
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from foods.csvtools import (
    CsvRow,
    CsvSource,
    check_unique_ids,
    parse_number,
    read_csv_rows,
)
from foods.errors import ProblemLog, SupplementDataError
from foods.limits import (
    MAX_MAGNESIUM_MG_PER_UNIT,
    MAX_PRICE,
    MAX_UNITS_PER_DAY,
    MAX_UNITS_PER_PACK,
    MAX_VITAMIN_D_IU_PER_UNIT,
)

IU_PER_UG_VITAMIN_D = 40.0
"""Vitamin D: 1 µg = 40 IU."""

SCHEDULES = ("daily", "weekly")

COLUMNS = (
    "name", "brand_example", "form",
    "vitamin_d_ug_per_unit", "vitamin_d_iu_per_unit", "magnesium_mg_per_unit",
    "schedule", "max_units_per_day", "units_per_pack", "price_per_unit", "absorption_factor",
    "source", "notes",
)
"""Columns of :attr:`SupplementCatalogue.frame` (index ``supplement_id``)."""

AMOUNT_COLUMNS = ("vitamin_d_ug_per_unit", "vitamin_d_iu_per_unit", "magnesium_mg_per_unit")
KNOWN_COLUMNS = ("supplement_id", *COLUMNS)
SHIPPED_FILE = "supplements.csv"


def _iu_tolerance(iu: float) -> float:
    """How far a label's IU may sit from µg × 40 because of rounding: 1 % or 2 IU, whichever is larger."""
    return max(2.0, 0.01 * iu)


class SupplementCatalogue:
    """An immutable-by-convention table of supplement products, indexed by ``supplement_id``.

    ``frame`` columns: see :data:`COLUMNS`. ``sources`` lists the files it was read from.
    """

    def __init__(self, frame: pd.DataFrame, sources: tuple[str, ...] = ()) -> None:
        missing = [c for c in COLUMNS if c not in frame.columns]
        if missing:
            raise SupplementDataError(f"supplement frame lacks column(s) {', '.join(missing)}.",
                                      column=missing[0], fix="Build catalogues with load_supplements().")
        self._frame = frame.loc[:, list(COLUMNS)]
        self._frame.index.name = "supplement_id"
        self.sources = tuple(sources)

    @property
    def frame(self) -> pd.DataFrame:
        """The products (a copy, so callers cannot change the catalogue)."""
        return self._frame.copy()

    @property
    def ids(self) -> list[str]:
        """Supplement ids in catalogue order."""
        return [str(i) for i in self._frame.index]

    def __contains__(self, supplement_id: object) -> bool:
        return supplement_id in self._frame.index

    def __len__(self) -> int:
        return len(self._frame)

    def __repr__(self) -> str:
        return f"SupplementCatalogue({len(self)} products from {', '.join(self.sources) or 'a frame'})"

    def get(self, supplement_id: str) -> pd.Series:
        """The product row for ``supplement_id``; raises ``KeyError`` naming the known ids if absent."""
        if supplement_id not in self._frame.index:
            raise KeyError(
                f"Unknown supplement id '{supplement_id}'. Known ids: {', '.join(self.ids)}. "
                "Add your product with load_supplements(path_to_your_csv)."
            )
        return self._frame.loc[supplement_id].copy()

    __getitem__ = get

    def combine(self, other: SupplementCatalogue) -> SupplementCatalogue:
        """A new catalogue with the products of both; ``other`` wins on a shared id (kept in place)."""
        ours = self._frame.drop(index=[i for i in self._frame.index if i in other._frame.index])
        replaced = self._frame.index.intersection(other._frame.index)
        merged = pd.concat([ours, other._frame])
        order = [i for i in self._frame.index] + [i for i in other._frame.index if i not in replaced]
        return SupplementCatalogue(merged.loc[order], self.sources + other.sources)

    def daily_vitamin_d_ug(self, supplement_id: str, units: float = 1.0) -> float:
        """Average vitamin D per day (µg/day) from ``units`` taken per schedule period (weekly: /7)."""
        row = self.get(supplement_id)
        per_period = float(row["vitamin_d_ug_per_unit"]) * units
        return per_period / 7.0 if row["schedule"] == "weekly" else per_period


def amount_column_unit(column: str) -> str | None:
    """The unit spelled in a would-be amount column (``"mcg"`` in ``vitamin_d_mcg_per_unit``), else ``None``.

    Only names shaped ``vitamin_d_<unit>_per_unit`` or ``magnesium_<unit>_per_unit`` count; the known
    amount columns (µg/IU of vitamin D, mg of elemental magnesium) are not checked here.
    """
    for prefix in ("vitamin_d_", "magnesium_"):
        if column.startswith(prefix) and column.endswith("_per_unit"):
            unit = column[len(prefix):-len("_per_unit")]
            if unit and "_" not in unit:
                return unit
    return None


def _amount(record: CsvRow, column: str, source: str, **options: object) -> float:
    return parse_number(record.get(column), error=SupplementDataError, source=source, row=record.row,
                        column=column, **options)  # type: ignore[arg-type]


def _integer(record: CsvRow, column: str, source: str, *, blank: float, maximum: int, limit: str) -> float:
    value = _amount(record, column, source, blank=blank, positive=True, what="a whole number of units",
                    maximum=maximum, limit=limit)
    if not math.isnan(value) and value != int(value):
        raise SupplementDataError(f"{value:g} is not a whole number of units.", source=source, row=record.row,
                                  column=column, fix="Enter a whole number such as 1, 2 or 60.")
    return value


def _product(record: CsvRow, source: str, columns: tuple[str, ...]) -> dict[str, object]:
    row = record.row
    name = record.get("name")
    if not name:
        raise SupplementDataError("the product name is blank.", source=source, row=row, column="name",
                                  fix="Give every product a name.")
    max_ug = MAX_VITAMIN_D_IU_PER_UNIT / IU_PER_UG_VITAMIN_D
    ug = _amount(record, "vitamin_d_ug_per_unit", source, blank=math.nan, what="µg of vitamin D per unit",
                 maximum=max_ug, limit=f"{max_ug:,.0f} µg ({MAX_VITAMIN_D_IU_PER_UNIT:,.0f} IU) per unit")
    iu = _amount(record, "vitamin_d_iu_per_unit", source, blank=math.nan, what="IU of vitamin D per unit",
                 maximum=MAX_VITAMIN_D_IU_PER_UNIT, limit=f"{MAX_VITAMIN_D_IU_PER_UNIT:,.0f} IU per unit")
    if not math.isnan(ug) and not math.isnan(iu):
        if abs(ug * IU_PER_UG_VITAMIN_D - iu) > _iu_tolerance(iu):
            raise SupplementDataError(
                f"vitamin D {ug:g} µg and {iu:g} IU disagree: {ug:g} µg × 40 = {ug * IU_PER_UG_VITAMIN_D:g} IU.",
                source=source, row=row, column="vitamin_d_iu_per_unit",
                fix="Copy both numbers from the label again (1 µg = 40 IU), or give only one of the two columns.",
            )
    elif math.isnan(ug) and not math.isnan(iu):
        ug = iu / IU_PER_UG_VITAMIN_D
    elif math.isnan(iu) and not math.isnan(ug):
        iu = ug * IU_PER_UG_VITAMIN_D
    else:
        ug = iu = 0.0
    magnesium = _amount(record, "magnesium_mg_per_unit", source, blank=0.0, what="mg of elemental magnesium per unit",
                        maximum=MAX_MAGNESIUM_MG_PER_UNIT, limit=f"{MAX_MAGNESIUM_MG_PER_UNIT:,.0f} mg per unit")
    if ug == 0 and magnesium == 0:
        raise SupplementDataError(
            "the product contains neither vitamin D nor magnesium.", source=source, row=row,
            column="magnesium_mg_per_unit" if "magnesium_mg_per_unit" in columns else "vitamin_d_ug_per_unit",
            fix="Enter the vitamin D (µg or IU) and/or elemental magnesium (mg) per unit from the label.",
        )
    schedule = record.get("schedule").lower()
    if schedule not in SCHEDULES:
        raise SupplementDataError(
            f"unknown schedule '{record.get('schedule')}'.", source=source, row=row, column="schedule",
            fix="Write daily or weekly.",
        )
    if schedule == "weekly" and ug == 0:
        raise SupplementDataError(
            "a weekly product must contain vitamin D (weekly dosing is for high-dose vitamin D only).",
            source=source, row=row, column="schedule",
            fix="Set schedule to daily, or enter the product's vitamin D per unit.",
        )
    absorption = _amount(record, "absorption_factor", source, blank=1.0, what="an absorption factor")
    if not 0 < absorption <= 1:
        raise SupplementDataError(
            f"absorption factor {absorption:g} is outside (0, 1].", source=source, row=row,
            column="absorption_factor",
            fix="Leave it blank (1.0: the label amount counts fully) or enter a fraction above 0 and at most 1.",
        )
    form = record.get("form")
    if not form:
        form = ("combo_vitamin_d_magnesium" if ug > 0 and magnesium > 0
                else "vitamin_d" if ug > 0 else "magnesium")
    return {
        "supplement_id": record.get("supplement_id"),
        "name": name,
        "brand_example": record.get("brand_example"),
        "form": form,
        "vitamin_d_ug_per_unit": ug,
        "vitamin_d_iu_per_unit": iu,
        "magnesium_mg_per_unit": magnesium,
        "schedule": schedule,
        "max_units_per_day": _integer(record, "max_units_per_day", source, blank=1.0, maximum=MAX_UNITS_PER_DAY,
                                      limit=f"{MAX_UNITS_PER_DAY} units a day"),
        "units_per_pack": _integer(record, "units_per_pack", source, blank=math.nan, maximum=MAX_UNITS_PER_PACK,
                                   limit=f"{MAX_UNITS_PER_PACK:,} units per pack"),
        "price_per_unit": _amount(record, "price_per_unit", source, blank=math.nan, what="a price per unit",
                                  maximum=MAX_PRICE, limit=f"{MAX_PRICE:,.0f} per unit"),
        "absorption_factor": absorption,
        "source": record.get("source") or f"user file {source}",
        "notes": record.get("notes"),
    }


def read_supplements_csv(source: CsvSource) -> SupplementCatalogue:
    """Read and validate one supplement CSV (see docs/foods-extras.md for the columns and units).

    Required columns: ``supplement_id``, ``name``, ``schedule`` and at least one of
    ``vitamin_d_ug_per_unit``, ``vitamin_d_iu_per_unit``, ``magnesium_mg_per_unit``. Giving only IU
    or only µg is fine; the other is filled (1 µg = 40 IU). Per unit: vitamin D at most 500,000 IU
    (12,500 µg), magnesium at most 1,000 mg, ``max_units_per_day`` at most 20 (:mod:`foods.limits`).
    Raises one :class:`SupplementDataError` listing every bad row.
    """
    table = read_csv_rows(source, SupplementDataError, required=("supplement_id", "name", "schedule"),
                          what="products")
    log = ProblemLog(SupplementDataError, source=table.source)
    for column in table.columns:
        if column not in KNOWN_COLUMNS:
            unit = amount_column_unit(column)
            if unit is not None:
                vitamin_d = column.startswith("vitamin_d_")
                log.add(
                    f"unknown unit '{unit}' in an amount column.", row=1, column=column,
                    fix=("Give vitamin D per unit in µg or IU: vitamin_d_ug_per_unit or vitamin_d_iu_per_unit "
                         "(1 µg = 40 IU; mcg is µg)." if vitamin_d else
                         "Give elemental magnesium per unit in mg: magnesium_mg_per_unit (1 g = 1000 mg)."),
                )
                continue
            log.add("unknown column.", row=1, column=column,
                    fix=f"Rename or remove it; supplement files use: {', '.join(KNOWN_COLUMNS)}.")
    if not any(column in table.columns for column in AMOUNT_COLUMNS):
        log.add("missing column: no amount column.", row=1, column="magnesium_mg_per_unit",
                fix="Add vitamin_d_ug_per_unit or vitamin_d_iu_per_unit and/or magnesium_mg_per_unit.")
    log.raise_if_any()
    with log.collecting():
        check_unique_ids(table, "supplement_id", SupplementDataError, what="supplement id")
    products = []
    for record in table:
        with log.collecting():
            products.append(_product(record, table.source, table.columns))
    log.raise_if_any()
    frame = pd.DataFrame.from_records(products, columns=["supplement_id", *COLUMNS])
    frame = frame.set_index("supplement_id")
    frame.index = frame.index.astype(str)
    for column in COLUMNS:
        if column in ("name", "brand_example", "form", "schedule", "source", "notes"):
            frame[column] = frame[column].astype(str)
        else:
            frame[column] = frame[column].astype(np.float64)
    frame["max_units_per_day"] = frame["max_units_per_day"].astype(np.int64)
    return SupplementCatalogue(frame, (table.source,))


@lru_cache(maxsize=1)
def shipped_supplements() -> SupplementCatalogue:
    """The catalogue shipped in ``foods/data/supplements.csv`` (read once, then cached)."""
    data = resources.files("foods").joinpath("data", SHIPPED_FILE).read_bytes()
    buffer = io.BytesIO(data)
    buffer.name = f"foods/data/{SHIPPED_FILE}"
    return read_supplements_csv(buffer)


def load_supplements(path: CsvSource | None = None) -> SupplementCatalogue:
    """The shipped supplement catalogue, plus the products in ``path`` when given (user wins on an id).

    Raises :class:`SupplementDataError` for a malformed user file; the shipped catalogue is unchanged.
    """
    shipped = shipped_supplements()
    if path is None:
        return shipped
    return shipped.combine(read_supplements_csv(path))
