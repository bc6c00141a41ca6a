"""Build the shipped food catalogue from USDA SR24 (``usda_sr24.jar``: a zip of one XML file per food).

Usage::

    python -m foods.build_usda PATH_TO_JAR_OR_FOLDER [--out foods/data]

Writes, deterministically (same input -> same bytes):

- ``usda_sr24_foods.csv.gz``: one row per current food (ids listed in ``usda_sr24/foods.index``),
  ``food_id`` (5-character NDB id), ``name``, ``group`` and every nutrient per 100 g edible portion
  under a snake_case key with its unit in the key. A nutrient the record does not give is empty
  (NaN = unknown), never 0. Vitamin D arrives in IU and is stored as ``vitamin_d_ug`` (1 µg = 40 IU).
- ``usda_sr24_portions.csv.gz``: household measures ``food_id, portion, amount, grams`` in record order.
- ``PROVENANCE.md``: source, release, licence, build command and SHA-256 checksums.

The 951 records that are in the archive but not in ``foods.index`` are deprecated ids
(all listed in ``usda_sr24/deprecated.index``) and are left out.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from foods.errors import FoodDataError

IU_PER_UG_VITAMIN_D = 40.0
FOODS_FILE = "usda_sr24_foods.csv.gz"
PORTIONS_FILE = "usda_sr24_portions.csv.gz"
PROVENANCE_FILE = "PROVENANCE.md"
FLOAT_FORMAT = "%.10g"

#: SR24 nutrient name -> (key with unit, factor applied to the stored amount). Units checked against
#: values (e.g. 2 % milk: vitamin D 49 IU/100 g = 120 IU per 244 g cup; fluoride 3.4 µg; phytosterols mg).
SR24_NUTRIENTS: dict[str, tuple[str, float]] = {
    "Energy": ("energy_kcal", 1.0),
    "Protein": ("protein_g", 1.0),
    "Fat": ("fat_g", 1.0),
    "Carbs": ("carbohydrate_g", 1.0),
    "Fiber": ("fiber_g", 1.0),
    "Sugars": ("sugars_g", 1.0),
    "Starch": ("starch_g", 1.0),
    "Saturated": ("saturated_fat_g", 1.0),
    "Monounsaturated": ("monounsaturated_fat_g", 1.0),
    "Polyunsaturated": ("polyunsaturated_fat_g", 1.0),
    "Trans-Fats": ("trans_fat_g", 1.0),
    "Omega-3": ("omega_3_g", 1.0),
    "Omega-6": ("omega_6_g", 1.0),
    "Cholesterol": ("cholesterol_mg", 1.0),
    "Phytosterol": ("phytosterols_mg", 1.0),
    "Water": ("water_g", 1.0),
    "Ash": ("ash_g", 1.0),
    "Alcohol": ("alcohol_g", 1.0),
    "Caffeine": ("caffeine_mg", 1.0),
    "Calcium": ("calcium_mg", 1.0),
    "Magnesium": ("magnesium_mg", 1.0),
    "Phosphorus": ("phosphorus_mg", 1.0),
    "Potassium": ("potassium_mg", 1.0),
    "Sodium": ("sodium_mg", 1.0),
    "Iron": ("iron_mg", 1.0),
    "Zinc": ("zinc_mg", 1.0),
    "Copper": ("copper_mg", 1.0),
    "Manganese": ("manganese_mg", 1.0),
    "Selenium": ("selenium_ug", 1.0),
    "Fluoride": ("fluoride_ug", 1.0),
    "Vitamin C": ("vitamin_c_mg", 1.0),
    "B1 (Thiamine)": ("thiamin_mg", 1.0),
    "B2 (Riboflavin)": ("riboflavin_mg", 1.0),
    "B3 (Niacin)": ("niacin_mg", 1.0),
    "B5 (Pantothenic Acid)": ("pantothenic_acid_mg", 1.0),
    "B6 (Pyridoxine)": ("vitamin_b6_mg", 1.0),
    "Folate": ("folate_ug", 1.0),
    "B12 (Cyanocobalamin)": ("vitamin_b12_ug", 1.0),
    "Vitamin A": ("vitamin_a_iu", 1.0),
    "Retinol": ("retinol_ug", 1.0),
    "Alpha-carotene": ("alpha_carotene_ug", 1.0),
    "Beta-carotene": ("beta_carotene_ug", 1.0),
    "Beta-cryptoxanthin": ("beta_cryptoxanthin_ug", 1.0),
    "Lycopene": ("lycopene_ug", 1.0),
    "Lutein+Zeaxanthin": ("lutein_zeaxanthin_ug", 1.0),
    "Vitamin D": ("vitamin_d_ug", 1.0 / IU_PER_UG_VITAMIN_D),
    "Vitamin E": ("vitamin_e_mg", 1.0),
    "Beta Tocopherol": ("beta_tocopherol_mg", 1.0),
    "Gamma Tocopherol": ("gamma_tocopherol_mg", 1.0),
    "Delta Tocopherol": ("delta_tocopherol_mg", 1.0),
    "Vitamin K": ("vitamin_k_ug", 1.0),
    "Choline": ("choline_mg", 1.0),
    "ALA": ("alanine_g", 1.0),
    "ARG": ("arginine_g", 1.0),
    "ASP": ("aspartic_acid_g", 1.0),
    "CYS": ("cystine_g", 1.0),
    "GLU": ("glutamic_acid_g", 1.0),
    "GLY": ("glycine_g", 1.0),
    "HIS": ("histidine_g", 1.0),
    "HYP": ("hydroxyproline_g", 1.0),
    "ILE": ("isoleucine_g", 1.0),
    "LEU": ("leucine_g", 1.0),
    "LYS": ("lysine_g", 1.0),
    "MET": ("methionine_g", 1.0),
    "PHE": ("phenylalanine_g", 1.0),
    "PRO": ("proline_g", 1.0),
    "SER": ("serine_g", 1.0),
    "THR": ("threonine_g", 1.0),
    "TRP": ("tryptophan_g", 1.0),
    "TYR": ("tyrosine_g", 1.0),
    "VAL": ("valine_g", 1.0),
}

#: Derived column (not in the records): vitamin A as retinol activity equivalents.
VITAMIN_A_RAE = "vitamin_a_rae_ug"

#: SR food groups by the NDB id's first two digits.
SR_GROUPS: dict[str, str] = {
    "01": "Dairy and Egg Products",
    "02": "Spices and Herbs",
    "03": "Baby Foods",
    "04": "Fats and Oils",
    "05": "Poultry Products",
    "06": "Soups, Sauces, and Gravies",
    "07": "Sausages and Luncheon Meats",
    "08": "Breakfast Cereals",
    "09": "Fruits and Fruit Juices",
    "10": "Pork Products",
    "11": "Vegetables and Vegetable Products",
    "12": "Nuts and Seed Products",
    "13": "Beef Products",
    "14": "Beverages",
    "15": "Finfish and Shellfish Products",
    "16": "Legumes and Legume Products",
    "17": "Lamb, Veal, and Game Products",
    "18": "Baked Products",
    "19": "Sweets",
    "20": "Cereal Grains and Pasta",
    "21": "Fast Foods",
    "22": "Meals, Entrees, and Side Dishes",
    "25": "Snacks",
    "35": "American Indian/Alaska Native Foods",
    "36": "Restaurant Foods",
}

#: Id prefixes outside the 25 group codes (newer SR ids: 23, 27, 31, 42-44, 48, 80-93) whose
#: records all belong to one group.
PREFIX_GROUPS: dict[str, str] = {"23": "13", "27": "06", "31": "11", "48": "20", "80": "15", "83": "15",
                                 "90": "15", "93": "15"}

#: Ids with prefix 42/43/44 mix groups; the group comes from the name (first matching rule wins).
NAME_GROUP_RULES: list[tuple[str, str]] = [
    (r"^babyfood", "03"),
    (r"meatless|vegetarian|^soybean|made from soy|^tofu|^bean|^beans|^baked beans|^papad|^peanut butter", "16"),
    (r"^cereals?\b|^amaranth flakes|^millet, puffed", "08"),
    (r"dressing|^mayonnaise|^margarine|^vegetable oil|^oil,|^butter replacement", "04"),
    (r"^cheese|^imitation cheese|^milk|^yogurt|^frozen yogurts|^cream substitute|^whipped|^eggs|^ice creams",
     "01"),
    (r"^candies|^syrups|^sweeteners|^jams|^jellies|^pectin|^puddings|^pie fillings|^frozen novel|^chewing gum",
     "19"),
    (r"^snacks|^popcorn|^rice cake|^pretzels|^granola bar|^breakfast bar", "25"),
    (r"^frankfurter|bologna|^turkey ham|sausage|^turkey bacon", "07"),
    (r"^turkey|^chicken|^dove|^pheasant|^quail", "05"),
    (r"^pork", "10"),
    (r"^beef", "13"),
    (r"juice drink|drink|beverage|^coffee|^fluid replacement|^cocktail mix|^ensure", "14"),
    (r"juice", "09"),
    (r"^tomato|^vegetables|^cabbage|^radishes|^eggplant|^turnip greens|^palm hearts|^potatoes|^sauerkraut"
     r"|^celery", "11"),
    (r"^jellyfish|^fish", "15"),
    (r"^rolls", "18"),
    (r"^yeast extract", "06"),
    (r"^vermicelli", "20"),
]


def group_for(food_id: str, name: str) -> str:
    """SR food group name for an NDB id (and, for mixed id prefixes, the food's name)."""
    prefix = food_id[:2]
    code = prefix if prefix in SR_GROUPS else PREFIX_GROUPS.get(prefix)
    if code is None:
        lowered = name.lower()
        code = next((c for pattern, c in NAME_GROUP_RULES if re.search(pattern, lowered)), None)
    if code is None:
        raise FoodDataError(f"no food group rule matches food {food_id} '{name}'.", source="foods.build_usda",
                            fix="add a rule to NAME_GROUP_RULES in foods/build_usda.py.")
    return SR_GROUPS[code]


def portion_label(amount: float, name: str) -> str:
    """Household portion label that describes its gram weight: 'cup', or '3 oz' when amount != 1."""
    return name if amount == 1 else f"{amount:g} {name}"


class _Source:
    """Read-only view of the SR24 archive (the jar/zip) or of an extracted folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip = zipfile.ZipFile(path) if path.is_file() else None
        if self._zip is None and not path.is_dir():
            raise FoodDataError("not found.", source=str(path), fix="pass the usda_sr24.jar file or its folder.")
        names = self._zip.namelist() if self._zip is not None else [
            p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()]
        index = [n for n in names if n.endswith("usda_sr24/foods.index") or n == "foods.index"]
        if not index:
            raise FoodDataError("no usda_sr24/foods.index inside.", source=str(path),
                                fix="pass the usda_sr24.jar from the cronometer package or its extracted folder.")
        self.prefix = index[0][: -len("foods.index")]

    def read(self, member: str) -> bytes:
        name = self.prefix + member
        if self._zip is not None:
            return self._zip.read(name)
        return (self.path / name).read_bytes()

    def read_index(self, member: str) -> list[tuple[str, str]]:
        try:
            text = self.read(member).decode("utf-8")
        except KeyError:
            return []
        except FileNotFoundError:
            return []
        rows = []
        for line in text.splitlines():
            if line.strip():
                food_id, _, name = line.partition("|")
                rows.append((food_id.strip(), name.strip()))
        return rows


def _required(element: ET.Element, attribute: str, member: str, source: _Source) -> str:
    """The ``attribute`` of an XML ``element`` of ``member``; a named :class:`FoodDataError` when it is missing."""
    value = element.get(attribute)
    if value is None:
        raise FoodDataError(f"a <{element.tag}> in {member} has no '{attribute}' attribute.", source=str(source.path))
    return value


def _nutrient_rows(source: _Source, food_ids: list[str]) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    for food_id in food_ids:
        member = f"{food_id}.xml"
        try:
            root = ET.fromstring(source.read(member))
        except (KeyError, FileNotFoundError) as exc:
            raise FoodDataError(f"foods.index lists {food_id} but {member} is missing.", source=str(source.path)) from exc
        if root.get("uid") != food_id:
            raise FoodDataError(f"{member} has uid '{root.get('uid')}'.", source=str(source.path))
        name = root.get("name", "").strip()
        row: dict[str, Any] = {"food_id": food_id, "name": name, "group": group_for(food_id, name)}
        portions = []
        for element in root:
            if element.tag == "nutrient":
                label = element.get("name", "")
                if label not in SR24_NUTRIENTS:
                    raise FoodDataError(f"unknown nutrient '{label}' in {member}.", source=str(source.path),
                                        fix="add it with its unit to SR24_NUTRIENTS in foods/build_usda.py.")
                key, factor = SR24_NUTRIENTS[label]
                row[key] = float(_required(element, "amount", member, source)) * factor
            elif element.tag == "measure":
                amount = float(_required(element, "amount", member, source))
                label = _required(element, "name", member, source).strip()
                portions.append({"food_id": food_id, "portion": portion_label(amount, label),
                                 "amount": amount, "grams": float(_required(element, "grams", member, source))})
        yield row, portions


def vitamin_a_rae(frame: pd.DataFrame) -> pd.Series:
    """Vitamin A RAE µg = retinol + β-carotene/12 + (α-carotene + β-cryptoxanthin)/24.

    NaN when any of the four is unknown (no guessing: a missing carotenoid might be large).
    """
    cols = ["retinol_ug", "beta_carotene_ug", "alpha_carotene_ug", "beta_cryptoxanthin_ug"]
    parts = frame.reindex(columns=cols)
    return (parts["retinol_ug"] + parts["beta_carotene_ug"] / 12.0
            + (parts["alpha_carotene_ug"] + parts["beta_cryptoxanthin_ug"]) / 24.0)


def build_frames(path: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Read SR24 and return (foods frame indexed by food_id, portions frame, counts)."""
    source = _Source(Path(path))
    current = source.read_index("foods.index")
    deprecated = {food_id for food_id, _ in source.read_index("deprecated.index")}
    food_ids = sorted({food_id for food_id, _ in current})
    if len(food_ids) != len(current):
        raise FoodDataError("foods.index lists an id twice.", source=str(path))
    rows, portion_rows = [], []
    for row, portions in _nutrient_rows(source, food_ids):
        rows.append(row)
        portion_rows.extend(portions)
    order = [key for key, _ in SR24_NUTRIENTS.values()]
    foods = pd.DataFrame(rows).set_index("food_id")
    present = [key for key in order if key in foods.columns]
    foods = foods.reindex(columns=["name", "group", *present])
    insert_at = foods.columns.get_loc("retinol_ug") if "retinol_ug" in foods.columns else len(foods.columns)
    foods.insert(insert_at, VITAMIN_A_RAE, vitamin_a_rae(foods))
    foods = foods.sort_index()
    portions = pd.DataFrame(portion_rows, columns=["food_id", "portion", "amount", "grams"])
    all_records = _record_ids(source)
    counts = {"current": len(food_ids), "records": len(all_records),
              "excluded": len(all_records - set(food_ids)),
              "excluded_listed_deprecated": len((all_records - set(food_ids)) & deprecated)}
    return foods, portions, counts


def _record_ids(source: _Source) -> set[str]:
    if source._zip is not None:
        names = source._zip.namelist()
    else:
        names = [p.relative_to(source.path).as_posix() for p in source.path.rglob("*.xml")]
    return {Path(n).stem for n in names if n.startswith(source.prefix) and n.endswith(".xml")}


def deterministic_gzip_csv(frame: pd.DataFrame, target: Path, *, index: bool) -> None:
    """Write ``frame`` as CSV into a gzip file whose bytes depend only on the data (mtime 0, no name)."""
    text = frame.to_csv(index=index, lineterminator="\n", float_format=FLOAT_FORMAT)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as handle:
        handle.write(text.encode("utf-8"))
    target.write_bytes(buffer.getvalue())


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _provenance(source: Path, counts: dict[str, int], foods: pd.DataFrame, portions: pd.DataFrame,
                out: Path) -> str:
    checks = "\n".join(f"| `{name}` | `{sha256(out / name)}` |" for name in (FOODS_FILE, PORTIONS_FILE))
    source_sum = sha256(source) if source.is_file() else "(extracted folder; no single checksum)"
    known_mg = int(foods["magnesium_mg"].notna().sum()) if "magnesium_mg" in foods else 0
    known_d = int(foods["vitamin_d_ug"].notna().sum()) if "vitamin_d_ug" in foods else 0
    return f"""# Shipped food catalogue: provenance

- Source: USDA National Nutrient Database for Standard Reference, Release 24 (2011), as the file
  `usda_sr24.jar` (a zip of one XML record per food) from Debian's `cronometer` package
  (0.9.9+dfsg1-1, `usr/share/cronometer/usda_sr24.jar`; fetch again with `apt-get download cronometer`).
- Input file: `{source.name}`, SHA-256 `{source_sum}`.
- Licence: USDA food composition data is in the public domain (no copyright).
- Build command: `python -m foods.build_usda {source.name} --out foods/data`
- Records in the input: {counts['records']}; current foods kept (ids in `foods.index`): {counts['current']};
  excluded deprecated records: {counts['excluded']} (of which listed in `deprecated.index`:
  {counts['excluded_listed_deprecated']}).
- Foods with magnesium known: {known_mg}; with vitamin D known: {known_d}. Household portions: {len(portions)}.
- Units: every nutrient per 100 g edible portion, unit in the column name. Vitamin D is stored in µg
  (SR24 gives IU; 1 µg = 40 IU). `vitamin_a_iu` is kept as given; `vitamin_a_rae_ug` is derived as
  retinol + β-carotene/12 + (α-carotene + β-cryptoxanthin)/24 and is empty when any of the four is unknown.
- Unknown vs zero: a nutrient the record does not give is an empty cell (NaN, unknown); 0 means analysed as 0.
- Groups: the NDB id's first two digits give the SR food group; newer ids with prefixes 23, 27, 31, 48 and
  80-93 map to one group each, and 42-44 (mixed) by name rules (`foods/build_usda.py`).
- Portions: `portion` is the measure's name, prefixed with its amount when that is not 1 (e.g. `3 oz`),
  so `grams` is always the weight of the labelled portion.

Hand-written files in this folder (not built from SR24): `nutrients.csv` (the nutrient registry: key, label,
unit, category) and `everyday.csv` (the curated everyday foods: id, default portion, meals, note). The
supplement and price files are described in `docs/foods-extras.md`.

| Output | SHA-256 |
|---|---|
{checks}
"""


def build(source: Path, out: Path) -> dict[str, int]:
    """Build the catalogue files from ``source`` (jar or folder) into ``out``; returns counts."""
    source, out = Path(source), Path(out)
    foods, portions, counts = build_frames(source)
    out.mkdir(parents=True, exist_ok=True)
    deterministic_gzip_csv(foods, out / FOODS_FILE, index=True)
    deterministic_gzip_csv(portions, out / PORTIONS_FILE, index=False)
    (out / PROVENANCE_FILE).write_text(_provenance(source, counts, foods, portions, out), encoding="utf-8")
    counts["portions"] = len(portions)
    counts["magnesium_known"] = int(foods["magnesium_mg"].notna().sum()) if "magnesium_mg" in foods else 0
    counts["vitamin_d_known"] = int(foods["vitamin_d_ug"].notna().sum()) if "vitamin_d_ug" in foods else 0
    return counts


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: ``python -m foods.build_usda PATH [--out DIR]``."""
    parser = argparse.ArgumentParser(prog="python -m foods.build_usda", description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path, help="usda_sr24.jar or its extracted folder")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data", help="output folder")
    args = parser.parse_args(argv)
    try:
        counts = build(args.source, args.out)
    except FoodDataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(", ".join(f"{k}={v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
