"""Import a USDA FoodData Central (FDC) CSV download into a :class:`foods.FoodTable`.

FDC publishes SR Legacy, Foundation Foods and FNDDS as a zip of CSV files. This importer reads
(column layout as FDC documents it):

- ``food.csv``: ``fdc_id, data_type, description, food_category_id, publication_date``
- ``nutrient.csv``: ``id, name, unit_name, nutrient_nbr, rank``
- ``food_nutrient.csv``: ``id, fdc_id, nutrient_id, amount, data_points, derivation_id, min, max, median,
  footnote, min_year_acquired`` (amount per 100 g of food, in the nutrient's unit)
- ``food_portion.csv``: ``id, fdc_id, seq_num, amount, measure_unit_id, portion_description, modifier,
  gram_weight, data_points, footnote, min_year_acquired``
- ``measure_unit.csv``: ``id, name`` (id 9999 = "undetermined": SR Legacy and FNDDS describe the measure
  in ``modifier`` / ``portion_description``)
- ``food_category.csv``: ``id, code, description`` (FNDDS foods use ``wweia_food_category.csv`` if present)

Only the columns named in :data:`REQUIRED_COLUMNS` are needed; others are ignored. Nutrients are
mapped by their SR nutrient number (``nutrient_nbr``) to the same snake_case keys and units as the
shipped SR24 catalogue (e.g. 304 Magnesium MG -> ``magnesium_mg``; vitamin D 328 µg, else 324 IU / 40
-> ``vitamin_d_ug``; energy 208 kcal, else Atwater 958/957 kcal, never kJ). Other nutrients keep a
key made from their FDC name and unit. A nutrient a food does not list stays unknown (NaN).
"""

from __future__ import annotations

import io
import math
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from foods.errors import MAX_REPORTED_PROBLEMS, FoodDataError, ProblemLog
from foods.limits import (
    MAX_FDC_ID_DIGITS,
    MAX_PORTION_AMOUNT,
    MAX_PORTION_GRAMS,
    nutrient_limit_problem,
    nutrient_maximum,
)
from foods.table import FoodTable

IU_PER_UG_VITAMIN_D = 40.0

FILES = ("food.csv", "nutrient.csv", "food_nutrient.csv", "food_portion.csv", "measure_unit.csv",
         "food_category.csv")
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "food.csv": ("fdc_id", "description", "food_category_id"),
    "nutrient.csv": ("id", "name", "unit_name", "nutrient_nbr"),
    "food_nutrient.csv": ("fdc_id", "nutrient_id", "amount"),
    "food_portion.csv": ("fdc_id", "seq_num", "amount", "measure_unit_id", "portion_description", "modifier",
                         "gram_weight"),
    "measure_unit.csv": ("id", "name"),
    "food_category.csv": ("id", "description"),
    "wweia_food_category.csv": ("wweia_food_category", "wweia_food_category_description"),
}
_EXTRA = "__cells_beyond_the_header__"
_FIX = "Use an unchanged FoodData Central CSV file (plain numbers, dot as decimal mark)."
FOOD_DATA_TYPES = ("sr_legacy_food", "foundation_food", "survey_fndds_food", "branded_food")
"""``data_type`` values that are foods; sample/acquisition records in Foundation downloads are skipped."""

UNDETERMINED_MEASURE_UNIT = "9999"

#: FDC food-category descriptions spelled differently from the SR24 group names of the shipped catalogue
#: (the diet-tag rules and group filters use the SR24 names).
GROUP_ALIASES = {"Nut and Seed Products": "Nuts and Seed Products"}

#: SR nutrient number -> (key, priority); lower priority wins when a food lists several for one key.
NUTRIENT_NUMBERS: dict[str, tuple[str, int]] = {
    "208": ("energy_kcal", 0), "958": ("energy_kcal", 1), "957": ("energy_kcal", 2),
    "203": ("protein_g", 0), "204": ("fat_g", 0), "205": ("carbohydrate_g", 0), "205.2": ("carbohydrate_g", 1),
    "291": ("fiber_g", 0), "269": ("sugars_g", 0), "269.3": ("sugars_g", 1), "209": ("starch_g", 0),
    "606": ("saturated_fat_g", 0), "645": ("monounsaturated_fat_g", 0), "646": ("polyunsaturated_fat_g", 0),
    "605": ("trans_fat_g", 0), "601": ("cholesterol_mg", 0), "636": ("phytosterols_mg", 0),
    "255": ("water_g", 0), "207": ("ash_g", 0), "221": ("alcohol_g", 0), "262": ("caffeine_mg", 0),
    "301": ("calcium_mg", 0), "304": ("magnesium_mg", 0), "305": ("phosphorus_mg", 0),
    "306": ("potassium_mg", 0), "307": ("sodium_mg", 0), "303": ("iron_mg", 0), "309": ("zinc_mg", 0),
    "312": ("copper_mg", 0), "315": ("manganese_mg", 0), "317": ("selenium_ug", 0), "313": ("fluoride_ug", 0),
    "401": ("vitamin_c_mg", 0), "404": ("thiamin_mg", 0), "405": ("riboflavin_mg", 0), "406": ("niacin_mg", 0),
    "410": ("pantothenic_acid_mg", 0), "415": ("vitamin_b6_mg", 0), "417": ("folate_ug", 0),
    "418": ("vitamin_b12_ug", 0), "318": ("vitamin_a_iu", 0), "320": ("vitamin_a_rae_ug", 0),
    "319": ("retinol_ug", 0), "322": ("alpha_carotene_ug", 0), "321": ("beta_carotene_ug", 0),
    "334": ("beta_cryptoxanthin_ug", 0), "337": ("lycopene_ug", 0), "338": ("lutein_zeaxanthin_ug", 0),
    "328": ("vitamin_d_ug", 0), "324": ("vitamin_d_ug", 1), "325": ("vitamin_d2_ug", 0),
    "326": ("vitamin_d3_ug", 0), "323": ("vitamin_e_mg", 0), "341": ("beta_tocopherol_mg", 0),
    "342": ("gamma_tocopherol_mg", 0), "343": ("delta_tocopherol_mg", 0), "430": ("vitamin_k_ug", 0),
    "421": ("choline_mg", 0),
    "513": ("alanine_g", 0), "511": ("arginine_g", 0), "514": ("aspartic_acid_g", 0), "507": ("cystine_g", 0),
    "515": ("glutamic_acid_g", 0), "516": ("glycine_g", 0), "512": ("histidine_g", 0),
    "521": ("hydroxyproline_g", 0), "503": ("isoleucine_g", 0), "504": ("leucine_g", 0), "505": ("lysine_g", 0),
    "506": ("methionine_g", 0), "508": ("phenylalanine_g", 0), "517": ("proline_g", 0), "518": ("serine_g", 0),
    "502": ("threonine_g", 0), "501": ("tryptophan_g", 0), "509": ("tyrosine_g", 0), "510": ("valine_g", 0),
}

#: FDC ``unit_name`` -> unit suffix used in keys. Other units (kJ, SP_GR, PH, UMOL_TE, MG_GAE) are skipped.
FDC_UNITS = {"G": "g", "MG": "mg", "UG": "ug", "KCAL": "kcal", "IU": "iu", "MG_ATE": "mg"}
_IN_MG = {"g": 1000.0, "mg": 1.0, "ug": 0.001}


@dataclass(frozen=True)
class _Download:
    """Where the CSV files are: a folder (or its single subfolder) or a zip archive."""

    origin: Path
    members: dict[str, str]  # file name -> path inside folder/zip
    is_zip: bool

    def has(self, name: str) -> bool:
        return name in self.members

    def label(self, name: str) -> str:
        return f"{self.origin}/{self.members.get(name, name)}" if self.is_zip else self.members.get(name, name)

    def read(self, name: str, extra: tuple[str, ...] = ()) -> pd.DataFrame:
        """The file's required (+ ``extra`` if present) columns as text; blank cells are "".

        The frame keeps a RangeIndex, so position ``i`` is spreadsheet row ``i + 2``. Raises
        :class:`FoodDataError` for a missing, empty, damaged or non-UTF-8 file, a missing column, a header
        without rows, or rows with more cells than the header (every such row).
        """
        label = self.label(name)
        if not self.has(name):
            raise FoodDataError(
                f"file {name} is missing from the FoodData Central download.", source=str(self.origin),
                fix=f"Point to the unzipped FDC CSV folder; it must contain {', '.join(FILES)}.",
            )
        damaged = "Download and extract FoodData Central again; the file is damaged."
        try:
            if self.is_zip:
                with zipfile.ZipFile(self.origin) as archive:
                    raw = archive.read(self.members[name])
            else:
                raw = Path(self.members[name]).read_bytes()
        # zipfile raises NotImplementedError for a compression method it cannot read, RuntimeError for encryption
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError) as exc:
            raise FoodDataError(f"cannot read the file ({type(exc).__name__}: {exc}).", source=label,
                                fix=damaged) from exc
        if not raw.strip():
            raise FoodDataError("the file is empty (not even a header).", source=label, row=1, fix=damaged)
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FoodDataError(f"the file is not UTF-8 text (byte {exc.start}).", source=label,
                                row=raw[:exc.start].count(b"\n") + 1,
                                fix="Use the CSV files as FoodData Central publishes them (UTF-8).") from exc
        wanted = REQUIRED_COLUMNS[name]
        try:
            header = list(pd.read_csv(io.BytesIO(raw), nrows=0, encoding="utf-8-sig").columns)
            columns = [str(c).strip() for c in header]
            missing = [c for c in wanted if c not in columns]
            if missing:
                raise FoodDataError(
                    f"required column(s) missing: {', '.join(missing)}.", source=label, row=1, column=missing[0],
                    fix=f"Use an unchanged FoodData Central CSV file; {name} needs {', '.join(wanted)}.",
                )
            use = [c for c in dict.fromkeys((*wanted, *extra)) if c in columns]
            frame = _read_cells(raw, columns, use)
        except FoodDataError:
            raise
        except pd.errors.ParserError as exc:
            line = re.search(r"line (\d+)", str(exc))
            raise FoodDataError(f"not a readable CSV file ({str(exc).strip()}).", source=label,
                                row=int(line.group(1)) if line else None, fix=damaged) from exc
        except (pd.errors.EmptyDataError, ValueError) as exc:
            raise FoodDataError(f"not a readable CSV file ({exc}).", source=label, fix=damaged) from exc
        frame = frame.reset_index(drop=True)
        beyond = frame.pop(_EXTRA) if _EXTRA in frame.columns else pd.Series("", index=frame.index)
        beyond = beyond.fillna("").astype(str).str.strip() != ""
        _refuse_rows(beyond, label, None, lambda p: f"the row has more cells than the header's {len(columns)}.",
                     "Use an unchanged FoodData Central CSV file; a cell with a comma must be quoted.")
        if frame.empty and name in ("food.csv", "nutrient.csv", "food_nutrient.csv"):
            what = {"food.csv": "foods", "nutrient.csv": "nutrients", "food_nutrient.csv": "nutrient values"}[name]
            raise FoodDataError(f"the file has a header but no {what}.", source=label, row=2, fix=damaged)
        return frame.apply(lambda column: column.fillna("").astype(str).str.strip())


def _read_cells(raw: bytes, columns: list[str], use: list[str]) -> pd.DataFrame:
    """The ``use`` columns of a CSV (header skipped) as text, plus a column holding any cell beyond the header.

    pandas' C reader rejects more names than cells when no row has an extra cell: then there is none, and
    the file is read with the header's names only.
    """
    options = {"dtype": str, "keep_default_na": False, "encoding": "utf-8-sig", "header": None, "skiprows": 1,
               "skip_blank_lines": False}
    try:
        return pd.read_csv(io.BytesIO(raw), names=[*columns, _EXTRA], usecols=[*use, _EXTRA], **options)
    except pd.errors.ParserError as exc:
        if not str(exc).startswith("Too many columns specified"):
            raise
    return pd.read_csv(io.BytesIO(raw), names=columns, usecols=use, **options)


def _refuse_rows(bad: pd.Series, source: str, column: str | None, reason: Callable[[int], str], fix: str) -> None:
    """Raise one FoodDataError naming every row where ``bad`` holds (listed up to the cap), if any."""
    positions = np.flatnonzero(bad.to_numpy(dtype=bool))
    if not len(positions):
        return
    log = ProblemLog(FoodDataError, source=source)
    for position in positions[:MAX_REPORTED_PROBLEMS]:
        log.add(reason(int(position)), row=int(bad.index[position]) + 2, column=column, fix=fix)
    log.count_more(len(positions) - MAX_REPORTED_PROBLEMS)
    log.raise_if_any()


def _locate(folder: str | Path) -> _Download:
    origin = Path(folder)
    if origin.is_file():
        names = None
        if zipfile.is_zipfile(origin):
            try:
                with zipfile.ZipFile(origin) as archive:
                    names = archive.namelist()
            except (OSError, EOFError, zipfile.BadZipFile) as exc:
                raise FoodDataError(f"not a valid zip file ({exc}).", source=str(origin),
                                    fix="Download the FoodData Central zip again; this one is damaged.") from exc
        if names is None:
            raise FoodDataError(
                "not a valid zip file: it is truncated, damaged, or not a zip archive.", source=str(origin),
                fix="Download the FoodData Central CSV zip again, or give the folder where you unzipped it.",
            )
        members = {}
        for member in sorted(names, key=lambda n: n.count("/")):
            file_name = member.rsplit("/", 1)[-1]
            if file_name.endswith(".csv") and file_name not in members:
                members[file_name] = member
        return _Download(origin, members, True)
    if not origin.is_dir():
        raise FoodDataError("folder not found.", source=str(origin),
                            fix="Give the folder where you unzipped the FoodData Central CSV download (or the zip).")
    base = origin
    if not (base / "food.csv").is_file():
        subfolders = [p for p in origin.iterdir() if p.is_dir() and (p / "food.csv").is_file()]
        if len(subfolders) == 1:
            base = subfolders[0]
    members = {name: str(base / name) for name in FILES if (base / name).is_file()}
    if (base / "wweia_food_category.csv").is_file():
        members["wweia_food_category.csv"] = str(base / "wweia_food_category.csv")
    return _Download(base, members, False)


def _numbers(frame: pd.DataFrame, column: str, source: str, *, positive: bool = False,
             allow_blank: bool = True, maximum: float = math.inf, limit: str = "") -> pd.Series:
    """Parse ``column`` to float; blank -> NaN; text, infinite, negative (or not positive) or above
    ``maximum`` -> one FoodDataError naming every such row."""
    text = frame[column]
    values = pd.to_numeric(text, errors="coerce").astype(np.float64)
    unreadable = values.isna() & (text != "")
    if not allow_blank:
        unreadable |= text == ""
    _refuse_rows(unreadable, source, column,
                 lambda p: f"'{text.iloc[p]}' is not a number." if text.iloc[p] else "the cell is blank.", _FIX)
    _refuse_rows(pd.Series(np.isinf(values.to_numpy()), index=values.index), source, column,
                 lambda p: f"'{text.iloc[p]}' is not a finite number.", _FIX)
    invalid = values <= 0 if positive else values < 0
    _refuse_rows(invalid, source, column,
                 lambda p: f"{values.iloc[p]:g} is {'not positive' if positive else 'negative'}.",
                 "Amounts cannot be negative; correct or delete the row.")
    _refuse_rows(values > maximum, source, column,
                 lambda p: f"{values.iloc[p]:g} is above the limit of {limit or f'{maximum:g}'}.",
                 "Correct or delete the row; the value is impossible.")
    return values


def _id_text(text: pd.Series) -> pd.Series:
    """Canonical digits of whole-number ids ("012014.0" -> "12014"); NaN where the text is no whole number."""
    match = text.str.extract(r"^\+?0*(\d*?)(\d)(?:\.0*)?$")
    return (match[0].fillna("") + match[1].fillna("")).where(match[1].notna())


def _ids(frame: pd.DataFrame, column: str, source: str) -> pd.Series:
    """Whole-number id column as canonical text ("12014.0" and "012014" -> "12014"), never through a
    fixed-size integer; blank, text or more than :data:`MAX_FDC_ID_DIGITS` digits -> FoodDataError."""
    text = frame[column]
    digits = _id_text(text)
    _refuse_rows(digits.isna(), source, column,
                 lambda p: (f"'{text.iloc[p]}' is not a number (ids are whole numbers)." if text.iloc[p]
                            else "the id is blank."),
                 "Use an unchanged FoodData Central CSV file; ids are whole numbers.")
    _refuse_rows(digits.str.len() > MAX_FDC_ID_DIGITS, source, column,
                 lambda p: f"id '{text.iloc[p]}' has {len(digits.iloc[p])} digits; FoodData Central ids have at "
                           f"most {MAX_FDC_ID_DIGITS}.",
                 "Use an unchanged FoodData Central CSV file.")
    return digits.astype(str)


def _slug(name: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return text if text[:1].isalpha() else f"n_{text}"


def _nutrient_map(download: _Download) -> tuple[pd.DataFrame, set[str]]:
    """(nutrient_id -> key, priority, factor (amount × factor = value in the key's unit); every nutrient id)."""
    source = download.label("nutrient.csv")
    raw = download.read("nutrient.csv")
    raw["id"] = _ids(raw, "id", source)
    numbers = pd.to_numeric(raw["nutrient_nbr"], errors="coerce")
    raw["nbr"] = [f"{n:g}" if pd.notna(n) else "" for n in numbers]
    rows = []
    for position, record in enumerate(raw.itertuples(index=False)):
        unit = FDC_UNITS.get(record.unit_name.upper())
        if unit is None:
            continue  # kJ energy, specific gravity, pH, antioxidant units: no per-100 g mass key
        key, priority = NUTRIENT_NUMBERS.get(record.nbr, (None, 0))
        if key is None:
            key, priority = f"{_slug(record.name)}_{unit}", 5
        target = key.rsplit("_", 1)[1]
        if target == unit:
            factor = 1.0
        elif key == "vitamin_d_ug" and unit == "iu":
            factor = 1.0 / IU_PER_UG_VITAMIN_D
        elif target in _IN_MG and unit in _IN_MG:
            factor = _IN_MG[unit] / _IN_MG[target]
        else:
            raise FoodDataError(
                f"nutrient {record.nbr} '{record.name}' is given in {record.unit_name}, "
                f"which cannot be converted to {target} for '{key}'.",
                source=source, row=position + 2, column="unit_name",
                fix="Use an unchanged FoodData Central nutrient.csv.",
            )
        rows.append((record.id, key, priority, factor))
    mapped = pd.DataFrame(rows, columns=["nutrient_id", "key", "priority", "factor"]).set_index("nutrient_id")
    return mapped, set(raw["id"])


def _groups(download: _Download, category_ids: pd.Series) -> pd.Series:
    """food_category_id -> group name (FDC food_category description, else WWEIA description, else "")."""
    categories = download.read("food_category.csv")
    source = download.label("food_category.csv")
    names = dict(zip(_ids(categories, "id", source), categories["description"]))
    if download.has("wweia_food_category.csv"):
        wweia = download.read("wweia_food_category.csv")
        codes = _ids(wweia, "wweia_food_category", download.label("wweia_food_category.csv"))
        for code, text in zip(codes, wweia["wweia_food_category_description"]):
            names.setdefault(code, text)
    keys = _id_text(category_ids).fillna("")
    groups = [names.get(k, "") for k in keys]
    return pd.Series([GROUP_ALIASES.get(g, g) for g in groups], index=category_ids.index, dtype=str)


def _portions(download: _Download, food_ids: pd.Index) -> pd.DataFrame:
    columns = ["food_id", "portion", "amount", "grams"]
    if not download.has("food_portion.csv"):
        return pd.DataFrame(columns=columns).astype({"amount": float, "grams": float})
    source = download.label("food_portion.csv")
    raw = download.read("food_portion.csv")
    raw["food_id"] = _ids(raw, "fdc_id", source)
    raw["amount_value"] = _numbers(raw, "amount", source, maximum=MAX_PORTION_AMOUNT,
                                   limit=f"{MAX_PORTION_AMOUNT:,.0f} measures per portion")
    raw["grams"] = _numbers(raw, "gram_weight", source, maximum=MAX_PORTION_GRAMS,
                            limit=f"{MAX_PORTION_GRAMS:,.0f} g per portion")
    raw["seq"] = _numbers(raw, "seq_num", source)
    raw["unit_id"] = _ids(raw, "measure_unit_id", source)
    units = download.read("measure_unit.csv")
    unit_names = dict(zip(_ids(units, "id", download.label("measure_unit.csv")), units["name"]))
    raw = raw[raw["food_id"].isin(food_ids) & (raw["grams"] > 0)]  # a measure without grams is unusable
    if raw.empty:
        return pd.DataFrame(columns=columns).astype({"amount": float, "grams": float})
    unit = raw["unit_id"].map(unit_names).fillna("").astype(str)
    modifier = raw["modifier"].where(~raw["modifier"].str.isdigit(), "")  # FNDDS: modifier is a portion code
    named_unit = (raw["unit_id"] != UNDETERMINED_MEASURE_UNIT) & (unit != "") & (unit != "undetermined")
    with_modifier = (unit + ", " + modifier).where(modifier != "", unit)
    described = modifier.where(modifier != "", raw["portion_description"])
    raw = raw.assign(portion=with_modifier.where(named_unit, described))
    raw = raw[raw["portion"] != ""].sort_values(["food_id", "seq"], kind="stable")
    return pd.DataFrame({
        "food_id": raw["food_id"].to_numpy(dtype=str),
        "portion": raw["portion"].to_numpy(dtype=str),
        "amount": raw["amount_value"].fillna(1.0).to_numpy(dtype=np.float64),
        "grams": raw["grams"].to_numpy(dtype=np.float64),
    })


def _with_vitamin_a_rae(table: pd.DataFrame) -> pd.DataFrame:
    """Fill ``vitamin_a_rae_ug`` where FDC gives no RAE: retinol + β-carotene/12 + (α-carotene +
    β-cryptoxanthin)/24 µg, as the SR24 catalogue derives it; NaN when any of the four is unknown."""
    parts = table.reindex(columns=["retinol_ug", "beta_carotene_ug", "alpha_carotene_ug", "beta_cryptoxanthin_ug"])
    derived = (parts["retinol_ug"] + parts["beta_carotene_ug"] / 12.0
               + (parts["alpha_carotene_ug"] + parts["beta_cryptoxanthin_ug"]) / 24.0)
    if derived.notna().any() or "vitamin_a_rae_ug" in table.columns:
        given = table.get("vitamin_a_rae_ug", pd.Series(np.nan, index=table.index))
        table = table.assign(vitamin_a_rae_ug=given.fillna(derived).astype(np.float64))
    return table


def read_fdc_frames(folder: str | Path, *, data_types: tuple[str, ...] = FOOD_DATA_TYPES
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read an FDC CSV download into (foods frame indexed by ``food_id`` = fdc_id string, portions frame).

    The foods frame has ``name``, ``group`` and one float column per nutrient key (per 100 g, NaN unknown);
    portions have ``food_id, portion, amount, grams``. Raises :class:`FoodDataError`.
    """
    download = _locate(folder)
    for name in ("food.csv", "nutrient.csv", "food_nutrient.csv", "food_category.csv"):
        if not download.has(name):
            download.read(name)  # raises the missing-file error
    food_source = download.label("food.csv")
    food = download.read("food.csv", extra=("data_type",))
    food["food_id"] = _ids(food, "fdc_id", food_source)
    duplicated = food["food_id"].duplicated()
    if duplicated.any():
        position = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise FoodDataError(f"duplicate fdc_id {food['food_id'].iloc[position]}.", source=food_source,
                            row=position + 2, column="fdc_id", fix="Use an unchanged FoodData Central food.csv.")
    blank = food["description"] == ""
    if blank.any():
        raise FoodDataError("the food description is blank.", source=food_source,
                            row=int(np.flatnonzero(blank.to_numpy())[0]) + 2, column="description",
                            fix="Use an unchanged FoodData Central food.csv.")
    if "data_type" in food.columns:
        food = food[food["data_type"].isin(data_types) | (food["data_type"] == "")]
    foods = pd.DataFrame({"name": food["description"].to_numpy(dtype=str),
                          "group": _groups(download, food["food_category_id"]).to_numpy(dtype=str)},
                         index=pd.Index(food["food_id"].to_numpy(dtype=str), name="food_id"))

    nutrients, nutrient_ids = _nutrient_map(download)
    values_source = download.label("food_nutrient.csv")
    values = download.read("food_nutrient.csv")
    values["food_id"] = _ids(values, "fdc_id", values_source)
    values["nutrient_id"] = _ids(values, "nutrient_id", values_source)
    values["value"] = _numbers(values, "amount", values_source)
    used = values["food_id"].isin(foods.index)  # rows of skipped records (e.g. sample_food) are not checked
    unknown = used & ~values["nutrient_id"].isin(nutrient_ids)
    if unknown.any():
        position = int(np.flatnonzero(unknown.to_numpy())[0])
        raise FoodDataError(f"nutrient_id {values['nutrient_id'].iloc[position]} is not in nutrient.csv.",
                            source=values_source, row=position + 2, column="nutrient_id",
                            fix="Use nutrient.csv from the same FoodData Central download.")
    repeated = used & values.duplicated(["food_id", "nutrient_id"])
    if repeated.any():
        position = int(np.flatnonzero(repeated.to_numpy())[0])
        raise FoodDataError(
            f"food {values['food_id'].iloc[position]} lists nutrient {values['nutrient_id'].iloc[position]} twice.",
            source=values_source, row=position + 2, column="nutrient_id",
            fix="Use an unchanged FoodData Central food_nutrient.csv.",
        )
    values = values[used & values["value"].notna() & values["nutrient_id"].isin(nutrients.index)]
    values = values.join(nutrients, on="nutrient_id")
    values["value"] = values["value"] * values["factor"]
    _refuse_rows(values["value"] > values["key"].map(nutrient_maximum) * (1 + 1e-9), values_source, "amount",
                 lambda p: f"nutrient {values['nutrient_id'].iloc[p]}: "
                           + str(nutrient_limit_problem(values["key"].iloc[p], values["value"].iloc[p])),
                 "Correct or delete the row; the amount is per 100 g of food.")
    values = values.sort_values(["food_id", "key", "priority"], kind="stable")
    values = values.drop_duplicates(["food_id", "key"], keep="first")
    table = values.pivot(index="food_id", columns="key", values="value")
    order = list(dict.fromkeys(key for key, _ in sorted(NUTRIENT_NUMBERS.values(), key=lambda kp: kp[1])))
    keys = [k for k in order if k in table.columns] + sorted(k for k in table.columns if k not in order)
    table = table.reindex(index=foods.index, columns=keys).astype(np.float64)
    table = _with_vitamin_a_rae(table)
    frame = pd.concat([foods, table], axis=1)
    frame.index.name = "food_id"
    return frame, _portions(download, frame.index)


def import_fdc(folder: str | Path, *, data_types: tuple[str, ...] = FOOD_DATA_TYPES) -> FoodTable:
    """Import a FoodData Central CSV download (folder, its parent, or the zip) as a ``FoodTable``.

    Food ids are the ``fdc_id`` as strings; ``group`` is the FDC food category; nutrients per 100 g
    under the shipped catalogue's keys and units; portions from ``food_portion.csv``. Raises
    :class:`FoodDataError` for a missing file or column, or malformed values.
    """
    frame, portions = read_fdc_frames(folder, data_types=data_types)
    return FoodTable.from_frame(frame, source=f"USDA FoodData Central download {folder}", portions=portions)
