"""The records the Cofactor store keeps: clients (with exclusions and plan defaults), saved-plan summaries and
price lists, plus a client's usual diet read from CSV. Pure data (pydantic v2); ``optimizer.dietitian.store`` saves
and loads them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from foods.errors import DataError, PriceListError, ProblemLog
from foods.prices import PriceList, read_price_list
from optimizer.domain.profile import Profile
from optimizer.domain.request import Allergen, DietPattern, PlanRequest, UsualItem

PlanStatus = Literal["draft", "final"]


# -- records -----------------------------------------------------------------------------------
class Exclusions(BaseModel):
    """What a client does not eat: diet pattern, food ids, SR food group names, allergens."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    diet_pattern: DietPattern = "omnivore"
    foods: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    allergens: tuple[Allergen, ...] = ()


class ClientRecord(BaseModel):
    """A client as the dietitian keeps them. ``plan_defaults`` are extra ``PlanRequest`` fields used for every plan
    (e.g. ``{"vitamin_d_supplement_ug": 50, "days": 7}``)."""

    model_config = ConfigDict(extra="forbid")

    id: int | None = None
    name: str = Field(min_length=1, max_length=200)
    profile: Profile
    notes: str = ""
    usual_diet: tuple[UsualItem, ...] = ()
    exclusions: Exclusions = Field(default_factory=Exclusions)
    preferred_supplements: tuple[str, ...] = ()
    plan_defaults: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @field_validator("name")
    @classmethod
    def _clean_name(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("client name must not be blank")
        return value

    @field_validator("plan_defaults")
    @classmethod
    def _known_request_fields(cls, value: dict[str, Any]) -> dict[str, Any]:
        owned = {"profile", "diet_pattern", "exclude_foods", "exclude_groups", "exclude_allergens", "usual_diet"}
        allowed = set(PlanRequest.model_fields) - owned | {"vitamin_d_supplement_iu", "vitamin_d_weekly_supplement_iu"}
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise ValueError(
                f"plan_defaults names {unknown}, not PlanRequest fields (profile, diet and exclusions are set on the "
                f"client itself). Allowed: {', '.join(sorted(allowed))}"
            )
        return value

    @model_validator(mode="after")
    def _makes_a_request(self) -> "ClientRecord":
        try:
            self.to_request()
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'request'}: {e['msg']}" for e in exc.errors())
            raise ValueError(f"the client's settings do not make a valid plan request ({problems})") from None
        return self

    def to_request(self, **updates: Any) -> PlanRequest:
        """The client's plan request: profile, diet, exclusions, usual diet, preferred supplements, plan defaults,
        then ``updates`` (any ``PlanRequest`` field) on top. Raises pydantic ``ValidationError`` for bad fields."""
        data: dict[str, Any] = {
            "profile": self.profile,
            "diet_pattern": self.exclusions.diet_pattern,
            "exclude_foods": self.exclusions.foods,
            "exclude_groups": self.exclusions.groups,
            "exclude_allergens": self.exclusions.allergens,
            "usual_diet": self.usual_diet,
        }
        if self.preferred_supplements:
            data["supplements"] = self.preferred_supplements
        if self.usual_diet:
            data["objective"] = "minimal_change"
        data.update(self.plan_defaults)
        data.update(updates)
        return PlanRequest.model_validate(data)


class PlanRecord(BaseModel):
    """One saved plan version (without the plan itself; ``Store.get_plan(id)`` loads that)."""

    model_config = ConfigDict(extra="forbid")

    id: int
    client_id: int
    client_name: str
    week_start: date
    version: int
    status: PlanStatus
    author_note: str = ""
    created_at: datetime
    solver_status: str = ""
    has_solution: bool = True
    cost: float | None = None


class PriceListRecord(BaseModel):
    """A saved price list: the CSV text exactly as given (``foods.load_price_list`` format)."""

    model_config = ConfigDict(extra="forbid")

    id: int
    name: str
    csv_text: str
    created_at: datetime

    def to_frame(self) -> pd.DataFrame:
        """The price list rows as a DataFrame (columns as in the CSV)."""
        return pd.read_csv(io.StringIO(self.csv_text), dtype={"food_id": str})

    def to_price_list(self) -> PriceList:
        """The list as a ``foods.PriceList`` (for ``FoodTable.with_prices``)."""
        return read_price_list_text(self.csv_text, self.name)


def read_price_list_text(csv_text: str, name: str) -> PriceList:
    """A ``foods.PriceList`` from CSV text; raises ``PriceListError`` (row, column, fix) for a malformed list."""
    buffer = io.StringIO(csv_text)
    buffer.name = f"price list '{name}'"
    return read_price_list(buffer)


def check_price_list_foods(prices: PriceList, known_food_ids: Collection[str], name: str) -> None:
    """Raise ``PriceListError`` listing every row of ``prices`` (a ``foods.PriceList``) whose food id is unknown."""
    known = set(known_food_ids)
    log = ProblemLog(PriceListError, source=f"price list '{name}'")
    for row_no, food_id in enumerate(prices.food_ids, start=2):
        if food_id not in known:
            log.add(f"unknown food id '{food_id}'.", row=row_no, column="food_id",
                    fix="use an id from `cofactor foods search WORDS`, or delete the row.")
    log.raise_if_any()


# -- usual diet from CSV ----------------------------------------------------------------------
def read_usual_diet_csv(path: str | Path) -> tuple[UsualItem, ...]:
    """A usual diet from CSV: columns ``food_id, grams`` and optional ``meal, day`` (grams per day; one row per item).
    Raises ``DataError`` naming the row and column of the first problem."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DataError(f"cannot read the usual diet: {exc.strerror or exc}", source=str(path)) from None
    return parse_usual_diet_csv(text, source=str(path))


def _csv_number(text: str, kind: type[float] | type[int], *, source: str, row: int, column: str) -> float | int:
    """A CSV cell as a number (``float`` or whole ``int``); ``DataError`` naming the cell otherwise."""
    try:
        return kind(text)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise DataError(f"'{text}' is not {what}.", source=source, row=row, column=column) from None


def parse_usual_diet_csv(text: str, source: str = "usual diet CSV") -> tuple[UsualItem, ...]:
    """:func:`read_usual_diet_csv` for CSV text (e.g. an upload)."""
    reader = csv.DictReader(text.lstrip("\ufeff").splitlines())
    header = [h.strip() for h in reader.fieldnames or []]
    if "food_id" not in header or "grams" not in header:
        raise DataError("needs columns food_id and grams (optional: meal, day).", source=source, row=1)
    items = []
    log = ProblemLog(DataError, source=source)
    for row_no, row in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
        data: dict[str, Any] = {k: row[k] for k in ("food_id", "grams", "meal", "day") if row.get(k)}
        try:
            for column, kind in (("grams", float), ("day", int)):
                if column in data:
                    data[column] = _csv_number(data[column], kind, source=source, row=row_no, column=column)
            items.append(UsualItem.model_validate(data))
        except DataError as exc:
            log.absorb(exc)
        except ValidationError as exc:
            err = exc.errors()[0]
            log.add(f"{str(err['msg']).removeprefix('Value error, ')} (value {err.get('input')!r}).", row=row_no,
                    column=str(err["loc"][0]) if err.get("loc") else None)
    log.raise_if_any()
    return tuple(items)
