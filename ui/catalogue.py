"""Food and supplement catalogues for the UI: the shipped ones cached once per process, uploads per session.

Uploads are all-or-nothing: a file the library rejects leaves the session's catalogue as it was, and the
library's error (which names the file, row, column and fix) is returned for display.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

import foods
from foods.errors import CofactorError
from optimizer.domain.profile import Profile
from optimizer.domain.targets import targets_for

CUSTOM_FOODS = "_custom_foods"  # list of (file name, FoodTable)
PRICE_LISTS = "_price_lists"  # list of (file name, PriceList)
ACTIVE_FOODS = "_foods"  # FoodTable: shipped + custom foods with prices applied, or absent


@st.cache_resource(show_spinner="Loading the USDA food catalogue…")
def shipped_foods() -> Any:
    """The shipped USDA food table (one shared, read-only object per server process)."""
    return foods.load_foods()


@st.cache_resource(show_spinner="Loading supplement products…")
def shipped_supplements() -> Any:
    """The shipped supplement catalogue (shared, read-only)."""
    return foods.load_supplements()


@st.cache_data(show_spinner=False)
def nutrient_labels() -> dict[str, tuple[str, str]]:
    """nutrient key -> (label, unit) from the nutrient registry."""
    registry = foods.nutrient_registry()
    return {str(k): (str(r["label"]), str(r["unit"])) for k, r in registry.iterrows()}


def label_of(key: str) -> str:
    """Human label of a nutrient key (falls back to the key)."""
    return nutrient_labels().get(key, (key.replace("_", " "), ""))[0]


def food_name(food_id: str) -> str:
    """The catalogue name of a food id (the id itself when it is not a food, e.g. a food group name)."""
    frame = active_foods().frame
    if food_id in frame.index and "name" in frame.columns:
        return str(frame.at[food_id, "name"])
    return food_id


def display_names(food_ids: list[str]) -> dict[str, str]:
    """Food id -> the catalogue's curated ``display_name`` for those foods that have one (none when the catalogue
    has no such column); other foods get a rule-shortened name in ``ui.views.short_name``."""
    frame = active_foods().frame
    if "display_name" not in frame.columns:
        return {}
    known = [f for f in dict.fromkeys(food_ids) if f in frame.index]
    names = frame.loc[known, "display_name"]
    return {str(f): str(n) for f, n in names.items() if isinstance(n, str) and n.strip()}


@st.cache_data(show_spinner=False)
def targets_for_profile(profile_json: str) -> Any:
    """DRI targets for a profile given as JSON (cached: profiles are small and hashable as text)."""
    return targets_for(Profile.model_validate_json(profile_json))


def active_foods() -> Any:
    """The food table this session plans with: shipped foods plus uploads, prices applied."""
    table = st.session_state.get(ACTIVE_FOODS)
    return shipped_foods() if table is None else table


def foods_for_planning() -> Any | None:
    """The table to pass to ``optimizer.planner.plan`` (None = the library's shipped catalogue)."""
    return st.session_state.get(ACTIVE_FOODS)


def uploads_summary() -> list[str]:
    """One line per upload in effect."""
    out = [f"Custom foods: {name} ({len(table)} foods)" for name, table in st.session_state.get(CUSTOM_FOODS, [])]
    out += [f"Price list: {name} ({len(pl.frame)} prices)" for name, pl in st.session_state.get(PRICE_LISTS, [])]
    return out


def _rebuild(custom: list[tuple[str, Any]], prices: list[tuple[str, Any]]) -> Any | None:
    if not custom and not prices:
        return None
    table = shipped_foods()
    for _, extra in custom:
        table = table.combine(extra)
    if prices:
        table = table.with_prices(*[pl for _, pl in prices])
    return table


class UploadError(CofactorError, ValueError):
    """A rejected upload, its message naming the uploaded file (never the server's temporary copy)."""


T = TypeVar("T")


def _with_temp_file(name: str, data: bytes, load: Callable[[Path], T]) -> T:
    safe_name = Path(name).name or "upload.csv"
    with tempfile.TemporaryDirectory(prefix="cofactor-upload-") as folder:
        path = Path(folder) / safe_name
        path.write_bytes(data)
        try:
            return load(path)
        except CofactorError as error:
            text = str(error).replace(str(path), safe_name).replace(str(Path(folder)) + "/", "")
            raise UploadError(text) from None


def add_custom_foods(name: str, data: bytes) -> str | None:
    """Validate and add a custom foods CSV. Returns the library's error text, or None on success."""
    try:
        table = _with_temp_file(name, data, foods.FoodTable.from_csv)
        custom = [*st.session_state.get(CUSTOM_FOODS, []), (name, table)]
        active = _rebuild(custom, st.session_state.get(PRICE_LISTS, []))
    except CofactorError as error:
        return str(error)
    st.session_state[CUSTOM_FOODS] = custom
    st.session_state[ACTIVE_FOODS] = active
    return None


def add_price_list(name: str, data: bytes) -> str | None:
    """Validate and add a price list CSV against the current foods. Returns the error text, or None."""
    try:
        price_list = _with_temp_file(name, data, lambda p: foods.load_price_list(p, foods=active_foods()))
        prices = [*st.session_state.get(PRICE_LISTS, []), (name, price_list)]
        active = _rebuild(st.session_state.get(CUSTOM_FOODS, []), prices)
    except CofactorError as error:
        return str(error)
    st.session_state[PRICE_LISTS] = prices
    st.session_state[ACTIVE_FOODS] = active
    return None


def add_example_prices() -> str | None:
    """Add the shipped example price list (BLS U.S. city averages). Returns the error text, or None."""
    try:
        price_list = foods.example_prices()
        prices = [*st.session_state.get(PRICE_LISTS, []), ("BLS example prices", price_list)]
        active = _rebuild(st.session_state.get(CUSTOM_FOODS, []), prices)
    except CofactorError as error:
        return str(error)
    st.session_state[PRICE_LISTS] = prices
    st.session_state[ACTIVE_FOODS] = active
    return None


UPLOADER_VERSION = "_uploader_version"  # bumped to give the upload boxes new, empty widgets


def uploader_key(base: str) -> str:
    """The current key of an upload box (a new key after :func:`clear_uploads`, so the old file is gone)."""
    version = int(st.session_state.get(UPLOADER_VERSION, 0))
    return base if version == 0 else f"{base}_{version}"


def clear_uploads() -> None:
    """Forget every uploaded foods/price file: plan with the shipped catalogue again, with empty upload boxes."""
    for key in (CUSTOM_FOODS, PRICE_LISTS, ACTIVE_FOODS):
        st.session_state.pop(key, None)
    st.session_state[UPLOADER_VERSION] = int(st.session_state.get(UPLOADER_VERSION, 0)) + 1
