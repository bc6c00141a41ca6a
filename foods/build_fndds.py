"""Build the shipped FNDDS catalogue (USDA foods and beverages as eaten) from the USDA "At A Glance" CSV files.

Usage::

    python -m foods.build_fndds ../shared/data/fndds --out foods/data

Base release **2017-2018**: foods, WWEIA categories, the 65 nutrients per 100 g, portions and the FPED 2017-2018
food-group equivalents all come from one release. Recipes come from **2015-2016** (the only release here with an
ingredient table), joined by food code; codes new in 2017-18 have no recipe and get rule-based diet tags.
2015-16 codes that USDA retired before 2017-18 are not shipped (their nutrients would be a release older).

Writes, deterministically (same input -> same bytes: sorted rows, fixed float format, gzip mtime 0):
``fndds_foods.csv.gz``, ``fndds_portions.csv.gz``, ``fndds_ingredients.csv.gz`` and ``PROVENANCE_FNDDS.md``.
Reads the hand-written ``everyday_fndds.csv`` (curated everyday list and display names) from ``--out``.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from foods.build_usda import sha256
from foods.display_names import unique_display_names
from foods.errors import FoodDataError
from foods.fndds_everyday import everyday_columns, read_curated
from foods.fndds_fped import FPED_COLUMNS, impute_fped
from foods.fndds_portions import clean_portions, usual_portions
from foods.fndds_provenance import provenance_text
from foods.fndds_recipes import RecipeLine, expand_recipes
from foods.fndds_tags import recipe_tags, rule_tags

RELEASE = "2017-2018"
RECIPE_RELEASE = "2015-2016"
FOODS_FILE = "fndds_foods.csv.gz"
PORTIONS_FILE = "fndds_portions.csv.gz"
INGREDIENTS_FILE = "fndds_ingredients.csv.gz"
CURATED_FILE = "everyday_fndds.csv"
PROVENANCE_FILE = "PROVENANCE_FNDDS.md"
FLOAT_FORMAT = "%.6g"
GLANCE = "{release}/{release} FNDDS At A Glance - {table}.csv"
FPED_FILE = "fped-2017-2018/FPED_1718.csv"
NUMBERS_FILE = "at_a_glance_nutrient_numbers.csv"
DEFAULT_CURATED = Path(__file__).parent / "data" / CURATED_FILE

#: USDA nutrient number -> catalogue key (unit in the key; checked against the unit in the numbers file).
NUTRIENT_KEYS: dict[str, str] = {
    "208": "energy_kcal", "203": "protein_g", "205": "carbohydrate_g", "269": "sugars_g", "291": "fiber_g",
    "204": "fat_g", "606": "saturated_fat_g", "645": "monounsaturated_fat_g", "646": "polyunsaturated_fat_g",
    "601": "cholesterol_mg", "319": "retinol_ug", "320": "vitamin_a_rae_ug", "322": "alpha_carotene_ug",
    "321": "beta_carotene_ug", "334": "beta_cryptoxanthin_ug", "337": "lycopene_ug", "338": "lutein_zeaxanthin_ug",
    "404": "thiamin_mg", "405": "riboflavin_mg", "406": "niacin_mg", "415": "vitamin_b6_mg",
    "431": "folic_acid_ug", "432": "folate_food_ug", "435": "folate_dfe_ug", "417": "folate_ug",
    "421": "choline_mg", "418": "vitamin_b12_ug", "578": "vitamin_b12_added_ug", "401": "vitamin_c_mg",
    "328": "vitamin_d_ug", "323": "vitamin_e_mg", "573": "vitamin_e_added_mg", "430": "vitamin_k_ug",
    "301": "calcium_mg", "305": "phosphorus_mg", "304": "magnesium_mg", "303": "iron_mg", "309": "zinc_mg",
    "312": "copper_mg", "317": "selenium_ug", "306": "potassium_mg", "307": "sodium_mg", "262": "caffeine_mg",
    "263": "theobromine_mg", "221": "alcohol_g", "607": "sfa_4_0_g", "608": "sfa_6_0_g", "609": "sfa_8_0_g",
    "610": "sfa_10_0_g", "611": "sfa_12_0_g", "612": "sfa_14_0_g", "613": "sfa_16_0_g", "614": "sfa_18_0_g",
    "626": "mufa_16_1_g", "617": "mufa_18_1_g", "628": "mufa_20_1_g", "630": "mufa_22_1_g", "618": "pufa_18_2_g",
    "619": "pufa_18_3_g", "627": "pufa_18_4_g", "620": "pufa_20_4_g", "629": "pufa_20_5_n3_g",
    "631": "pufa_22_5_n3_g", "621": "pufa_22_6_n3_g", "255": "water_g",
}
UNIT_SUFFIX = {"kcal": "_kcal", "g": "_g", "mg": "_mg", "mcg": "_ug", "mcg_RAE": "_ug", "mcg_DFE": "_ug"}


def normalise_header(cell: str) -> str:
    """A header cell with line breaks and runs of spaces collapsed ("Sugars, total\\n(g)" -> "Sugars, total (g)")."""
    return re.sub(r"\s+", " ", cell.replace("\ufeff", "")).strip()


def read_table(path: Path, first_column: str) -> pd.DataFrame:
    """One USDA CSV as text columns: skips the title record when there is one (header = the record whose first
    cell is ``first_column``), normalises the header cells. Raises :class:`FoodDataError` when no header."""
    if not path.is_file():
        raise FoodDataError("file not found.", source=str(path), fix="Pass the folder that holds the FNDDS files.")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))
    start = next((i for i, r in enumerate(records[:3]) if r and normalise_header(r[0]) == first_column), None)
    if start is None:
        raise FoodDataError(f"no header row starting with '{first_column}' in the first 3 records.",
                            source=str(path), row=1, column=first_column, fix="Use the unchanged USDA CSV export.")
    header = [normalise_header(c) for c in records[start]]
    body = [r + [""] * (len(header) - len(r)) for r in records[start + 1:] if any(c.strip() for c in r)]
    return pd.DataFrame([r[:len(header)] for r in body], columns=header, dtype=str)


def _numbers(table: pd.DataFrame, columns: list[str], source: str, header_rows: int,
             signed: frozenset[str] = frozenset(), blank_zero: frozenset[str] = frozenset()) -> pd.DataFrame:
    out = {}
    for column in columns:
        text = table[column].str.strip()
        if column in blank_zero:
            text = text.mask(text == "", "0")
        values = pd.to_numeric(text, errors="coerce")
        bad = values.isna() | ((values < 0) & (column not in signed))
        if bad.any():
            position = int(np.flatnonzero(bad.to_numpy())[0])
            kind = "number" if column in signed else "non-negative number"
            raise FoodDataError(f"'{table[column].iloc[position]}' is not a {kind}.", source=source,
                                row=position + header_rows + 1, column=column, fix="Use the unchanged USDA file.")
        out[column] = values.astype(np.float64)
    return pd.DataFrame(out, index=table.index)


def nutrient_map(folder: Path) -> dict[str, str]:
    """2017-18 nutrient column header -> catalogue key, via the USDA nutrient numbers (units checked)."""
    numbers = read_table(folder / NUMBERS_FILE, "release")
    numbers = numbers[numbers["release"] == RELEASE]
    mapping = {}
    for position, row in numbers.iterrows():
        key = NUTRIENT_KEYS.get(row["usda_nutrient_number"])
        if key is None or not key.endswith(UNIT_SUFFIX.get(row["unit"], "?")):
            raise FoodDataError(f"nutrient {row['usda_nutrient_number']} ({row['unit']}) has no matching key.",
                                source=NUMBERS_FILE, row=int(position) + 2, column="usda_nutrient_number",
                                fix="Add it to NUTRIENT_KEYS in foods/build_fndds.py with its unit suffix.")
        mapping[normalise_header(row["column_header"])] = key
    return mapping


def read_foods(folder: Path) -> pd.DataFrame:
    """2017-18 foods: name, wweia_code, wweia_category, every nutrient (per 100 g), indexed by food code."""
    path = folder / GLANCE.format(release=RELEASE, table="Foods and Beverages")
    foods = read_table(path, "Food code").set_index("Food code")
    nutrients_path = folder / GLANCE.format(release=RELEASE, table="FNDDS Nutrient Values")
    values = read_table(nutrients_path, "Food code").set_index("Food code")
    mapping = nutrient_map(folder)
    missing = [h for h in mapping if h not in values.columns]
    if missing:
        raise FoodDataError(f"nutrient column '{missing[0]}' is missing.", source=str(nutrients_path), row=2,
                            column=missing[0], fix="Use the unchanged USDA CSV export.")
    if set(values.index) != set(foods.index):
        raise FoodDataError("the nutrient file and the foods file list different food codes.",
                            source=str(nutrients_path), column="Food code", fix="Use files of one release.")
    numbers = _numbers(values, list(mapping), str(nutrients_path), 2).rename(columns=mapping)
    main = foods["Main food description"].str.strip()
    frame = pd.DataFrame({"name": main,
                          "additional_description": foods["Additional food description"].str.strip(),
                          "wweia_code": pd.to_numeric(foods["WWEIA Category number"]).astype(int),
                          "wweia_category": foods["WWEIA Category description"].str.strip()}, index=foods.index)
    frame = frame.join(numbers.loc[frame.index])
    frame.index.name = "food_id"
    return frame.sort_index()


def read_fped(folder: Path, food_ids: pd.Index) -> pd.DataFrame:
    """FPED 2017-18 food-group equivalents per 100 g for ``food_ids`` (NaN rows for foods FPED lacks)."""
    path = folder / FPED_FILE
    table = read_table(path, "FOODCODE").set_index("FOODCODE")
    by_prefix = {normalise_header(c).split(" (")[0]: c for c in table.columns}
    numbers = {}
    for key, components in FPED_COLUMNS.items():
        missing = [c for c in components if c not in by_prefix]
        if missing:
            raise FoodDataError(f"FPED column '{missing[0]}' is missing.", source=str(path), row=1,
                                column=missing[0], fix="Use the unchanged FPED 2017-2018 CSV.")
        parts = _numbers(table, [by_prefix[c] for c in components], str(path), 1)
        numbers[key] = parts.sum(axis=1)
    return pd.DataFrame(numbers).reindex(food_ids)


def read_recipes(folder: Path) -> pd.DataFrame:
    """2015-16 recipes expanded to SR ingredients (``food_id, sr_id, description, grams_per_100g``).

    A blank moisture change (13 rows of one food, 27118140, in 2015-16) counts as 0 %.
    """
    path = folder / GLANCE.format(release=RECIPE_RELEASE, table="FNDDS Ingredients")
    table = read_table(path, "Food code")
    weights = _numbers(table, ["Ingredient weight", "Moisture change (%)", "Seq num"], str(path), 2,
                       signed=frozenset({"Moisture change (%)"}), blank_zero=frozenset({"Moisture change (%)"}))
    table = table.assign(weight=weights["Ingredient weight"], change=weights["Moisture change (%)"],
                         seq=weights["Seq num"]).sort_values(["Food code", "seq"], kind="stable")
    lines: dict[str, list[RecipeLine]] = {}
    for food, code, description, weight in zip(table["Food code"], table["Ingredient code"],
                                               table["Ingredient description"], table["weight"]):
        lines.setdefault(food.strip(), []).append(RecipeLine(code.strip(), description.strip(), float(weight)))
    change = dict(zip(table["Food code"].str.strip(), table["change"]))
    return expand_recipes(lines, change, source=str(path))


def read_portions(folder: Path) -> pd.DataFrame:
    """2017-18 portions as given (``food_id, subcode, seq, portion, grams``)."""
    path = folder / GLANCE.format(release=RELEASE, table="Portions and Weights")
    table = read_table(path, "Food code")
    numbers = _numbers(table, ["Seq num", "Portion weight (g)"], str(path), 2,
                       signed=frozenset({"Portion weight (g)"}))  # -9 = placeholder (infant formulas)
    return pd.DataFrame({"food_id": table["Food code"].str.strip(), "subcode": table["Subcode"].str.strip(),
                         "seq": numbers["Seq num"], "portion": table["Portion description"].str.strip(),
                         "grams": numbers["Portion weight (g)"]})


def build_frames(folder: Path, curated_path: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """(foods, portions, ingredients, counts) ready to write; see the module docstring."""
    foods = read_foods(folder)
    fped = read_fped(folder, foods.index)
    fped, imputed = impute_fped(fped, foods["wweia_code"])
    recipes = read_recipes(folder)
    counts = {"foods": len(foods), "fped_given": int((~imputed).sum()), "fped_imputed": int(imputed.sum())}
    counts["recipes_2015_16"] = int(recipes["food_id"].nunique())
    recipes = recipes[recipes["food_id"].isin(foods.index)].reset_index(drop=True)
    with_recipe = foods.index.isin(set(recipes["food_id"]))
    counts["with_recipe"] = int(with_recipe.sum())
    counts["sr_ingredients"] = int(recipes["sr_id"].nunique())
    tags = recipe_tags(recipes)
    fallback = rule_tags(foods.loc[~with_recipe, "name"], foods.loc[~with_recipe, "wweia_code"])
    tags = pd.concat([tags, fallback]).reindex(foods.index)
    tags["tags_source"] = np.where(with_recipe, "recipe", "rules")

    raw_portions = read_portions(folder)
    portions = clean_portions(raw_portions, foods.index)
    usual = usual_portions(raw_portions, portions)
    with open(curated_path, encoding="utf-8") as handle:
        curated = read_curated(handle, foods.index)
    every = everyday_columns(foods, curated)
    names = unique_display_names(foods["name"], every["everyday"])
    override = curated["display_name"][curated["display_name"] != ""]
    names[override.index] = override
    frame = foods.drop(columns=["additional_description"]).assign(display_name=names)
    frame = frame.join(fped).assign(fped_imputed=imputed).join(tags).join(every).join(usual)
    given = curated["default_portion"][curated["default_portion"] != ""]
    _apply_portion_overrides(frame, portions, given, curated_path)
    frame["name"] = _full_names(foods)
    counts.update(everyday=int(frame["everyday"].sum()), portions=len(portions),
                  tags_from_rules=int((~with_recipe).sum()))
    order = ["name", "display_name", "wweia_code", "wweia_category"]
    frame = frame[order + [c for c in frame.columns if c not in order]]
    return frame, portions, recipes, counts


def _full_names(foods: pd.DataFrame) -> pd.Series:
    """USDA main description, then the additional description (other names, examples) in () when short."""
    extra = foods["additional_description"].fillna("")
    short = (extra != "") & (extra.str.len() <= 60)
    return foods["name"].where(~short, foods["name"] + " (" + extra + ")")


def _apply_portion_overrides(frame: pd.DataFrame, portions: pd.DataFrame, given: pd.Series, path: Path) -> None:
    grams = {(f, p): g for f, p, g in zip(portions["food_id"], portions["portion"], portions["grams"])}
    for food_id, portion in given.items():
        if (food_id, portion) not in grams:
            raise FoodDataError(f"food {food_id} has no household portion '{portion}'.", source=str(path),
                                column="default_portion", fix="Use one of the food's portion descriptions.")
        frame.loc[food_id, ["default_portion", "default_portion_grams"]] = [portion, grams[(food_id, portion)]]


def _provenance(folder: Path, out: Path, counts: dict[str, int], curated_path: Path) -> str:
    inputs = [GLANCE.format(release=RELEASE, table=t) for t in
              ("Foods and Beverages", "FNDDS Nutrient Values", "Portions and Weights")]
    inputs += [GLANCE.format(release=RECIPE_RELEASE, table="FNDDS Ingredients"), FPED_FILE, NUMBERS_FILE]
    rows_in = "\n".join(f"| `{name}` | `{sha256(folder / name)}` |" for name in inputs)
    rows_out = "\n".join(f"| `{name}` | `{sha256(out / name)}` |" for name in (FOODS_FILE, PORTIONS_FILE,
                                                                             INGREDIENTS_FILE))
    return provenance_text(counts, rows_in=rows_in, rows_out=rows_out, curated=CURATED_FILE,
                           curated_sha=sha256(curated_path))


def build(folder: Path, out: Path, curated_path: Path = DEFAULT_CURATED) -> dict[str, int]:
    """Build the shipped files from the FNDDS folder into ``out``; returns the counts.

    ``curated_path`` is the curated everyday list (default: the one in the package, whatever ``out`` is).
    """
    foods, portions, recipes, counts = build_frames(folder, curated_path)
    out.mkdir(parents=True, exist_ok=True)
    _write(foods, out / FOODS_FILE, index=True)
    _write(portions, out / PORTIONS_FILE, index=False)
    _write(recipes, out / INGREDIENTS_FILE, index=False)
    (out / PROVENANCE_FILE).write_text(_provenance(folder, out, counts, curated_path), encoding="utf-8")
    return counts


def _write(frame: pd.DataFrame, target: Path, *, index: bool) -> None:
    text_frame = frame.copy()
    for column in text_frame.columns:
        if pd.api.types.is_bool_dtype(text_frame[column]):
            text_frame[column] = text_frame[column].map({True: "1", False: "0"})
    text = text_frame.to_csv(index=index, lineterminator="\n", float_format=FLOAT_FORMAT)
    deterministic_gzip_csv_text(text, target)


def deterministic_gzip_csv_text(text: str, target: Path) -> None:
    """Write CSV text into a gzip file whose bytes depend only on the text (mtime 0, no file name)."""
    import gzip

    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as handle:
        handle.write(text.encode("utf-8"))
    target.write_bytes(buffer.getvalue())


def main(argv: list[str] | None = None) -> int:
    """Command line entry point: ``python -m foods.build_fndds FOLDER [--out foods/data]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder with 2015-2016/, 2017-2018/, fped-2017-2018/")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data")
    args = parser.parse_args(argv)
    try:
        counts = build(args.folder, args.out)
    except FoodDataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
