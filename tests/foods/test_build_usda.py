"""The SR24 builder: determinism, unknown-vs-zero, unit conversion, exclusions, groups, errors."""

from __future__ import annotations

import gzip
import math
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from foods.build_usda import FOODS_FILE, PORTIONS_FILE, PROVENANCE_FILE, SR_GROUPS, build, build_frames, group_for, main, portion_label
from foods.errors import FoodDataError

JAR = Path(os.environ.get("COFACTOR_SR24_JAR", Path(__file__).resolve().parents[3] / "shared/data/usda_sr24.jar"))
needs_jar = pytest.mark.skipif(not JAR.exists(), reason="raw SR24 jar not available (only needed to rebuild)")

SUBSET = ["01079", "11468", "12014", "15086", "42204"]


def _record(uid: str, name: str, nutrients: dict[str, float], measures: list[tuple[float, str, float]]) -> str:
    parts = [f'<food uid="{uid}" fcf="9.0" pcf="4.0" name="{name}" ccf="4.0">']
    parts += [f'<measure amount="{a}" name="{n}" grams="{g}"/>' for a, n, g in measures]
    parts += [f'<nutrient amount="{v}" name="{k}"/>' for k, v in nutrients.items()]
    return "".join(parts) + "</food>"


def _write_folder(root: Path, records: dict[str, str], current: list[str], deprecated: list[str]) -> Path:
    folder = root / "usda_sr24"
    folder.mkdir(parents=True)
    for uid, xml in records.items():
        (folder / f"{uid}.xml").write_text(xml, encoding="utf-8")
    (folder / "foods.index").write_text("".join(f"{i}|food {i}\r\n" for i in current), encoding="utf-8")
    (folder / "deprecated.index").write_text("".join(f"{i}|OLD {i}\r\n" for i in deprecated), encoding="utf-8")
    return root


@pytest.fixture
def tiny_source(tmp_path: Path) -> Path:
    """A hand-written SR24-shaped folder: one food lacks magnesium, one has an analysed 0."""
    records = {
        "11001": _record("11001", "Leafy thing, raw", {"Energy": 20.0, "Magnesium": 0.0, "Vitamin D": 0.0,
                                                        "Retinol": 0.0, "Beta-carotene": 1200.0,
                                                        "Alpha-carotene": 24.0, "Beta-cryptoxanthin": 0.0},
                         [(1.0, "cup", 30.0), (0.5, "cup", 15.0)]),
        "15001": _record("15001", "Fish, oily, cooked", {"Energy": 200.0, "Vitamin D": 400.0, "Retinol": 50.0},
                         [(3.0, "oz", 85.0)]),
        "43001": _record("43001", "Cheese, low sodium", {"Energy": 350.0, "Magnesium": 25.0}, []),
        "18999": _record("18999", "Old cookie", {"Energy": 450.0}, []),
    }
    return _write_folder(tmp_path / "src", records, current=["11001", "15001", "43001"], deprecated=["18999"])


def test_unknown_stays_nan_and_zero_stays_zero(tiny_source: Path) -> None:
    foods, _, _ = build_frames(tiny_source)
    assert foods.at["11001", "magnesium_mg"] == 0.0
    assert math.isnan(foods.at["15001", "magnesium_mg"])  # element absent in the XML: unknown
    assert math.isnan(foods.at["43001", "vitamin_d_ug"])


def test_vitamin_d_iu_becomes_micrograms(tiny_source: Path) -> None:
    foods, _, _ = build_frames(tiny_source)
    assert foods.at["15001", "vitamin_d_ug"] == pytest.approx(10.0)  # 400 IU / 40
    assert "vitamin_d_iu" not in foods.columns


def test_vitamin_a_rae_is_derived_only_when_all_parts_are_known(tiny_source: Path) -> None:
    foods, _, _ = build_frames(tiny_source)
    assert foods.at["11001", "vitamin_a_rae_ug"] == pytest.approx(0.0 + 1200 / 12 + (24 + 0) / 24)
    assert math.isnan(foods.at["15001", "vitamin_a_rae_ug"])  # carotenoids not given


def test_deprecated_records_are_excluded_and_counted(tiny_source: Path) -> None:
    foods, _, counts = build_frames(tiny_source)
    assert list(foods.index) == ["11001", "15001", "43001"]
    assert counts == {"current": 3, "records": 4, "excluded": 1, "excluded_listed_deprecated": 1}


def test_portions_keep_record_order_and_describe_their_weight(tiny_source: Path) -> None:
    _, portions, _ = build_frames(tiny_source)
    assert portions.to_dict("records") == [
        {"food_id": "11001", "portion": "cup", "amount": 1.0, "grams": 30.0},
        {"food_id": "11001", "portion": "0.5 cup", "amount": 0.5, "grams": 15.0},
        {"food_id": "15001", "portion": "3 oz", "amount": 3.0, "grams": 85.0},
    ]
    assert portion_label(1.0, "large") == "large" and portion_label(0.333, "cup") == "0.333 cup"


def test_groups_come_from_the_id_prefix_or_the_name_for_mixed_prefixes() -> None:
    assert group_for("12014", "Seeds, pumpkin") == "Nuts and Seed Products"
    assert group_for("23563", "Beef, ground") == "Beef Products"
    assert group_for("43001", "Cheese, low sodium") == SR_GROUPS["01"]
    assert group_for("42204", "Rice cake, cracker") == "Snacks"
    assert group_for("43128", "Chicken, meatless") == "Legumes and Legume Products"
    with pytest.raises(FoodDataError, match="no food group rule"):
        group_for("44999", "Zzz unknown thing")


def test_unknown_nutrient_name_is_an_error(tmp_path: Path) -> None:
    source = _write_folder(tmp_path, {"11001": _record("11001", "X", {"Mystery": 1.0}, [])}, ["11001"], [])
    with pytest.raises(FoodDataError, match="unknown nutrient 'Mystery'"):
        build_frames(source)


def test_missing_source_and_missing_record_are_errors(tmp_path: Path) -> None:
    with pytest.raises(FoodDataError, match="not found"):
        build_frames(tmp_path / "nope.jar")
    source = _write_folder(tmp_path / "s", {}, ["11001"], [])
    with pytest.raises(FoodDataError, match="11001.xml is missing"):
        build_frames(source)
    assert main([str(tmp_path / "nope.jar"), "--out", str(tmp_path / "o")]) == 2


def test_outputs_are_byte_identical_across_builds(tiny_source: Path, tmp_path: Path) -> None:
    build(tiny_source, tmp_path / "a")
    build(tiny_source, tmp_path / "b")
    for name in (FOODS_FILE, PORTIONS_FILE):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    text = gzip.decompress((tmp_path / "a" / FOODS_FILE).read_bytes()).decode()
    assert text.splitlines()[0].startswith("food_id,name,group,energy_kcal")
    assert ",," in text  # unknown values are empty cells, not 0


@needs_jar
def test_subset_of_the_real_jar_builds_deterministically(tmp_path: Path) -> None:
    subset = tmp_path / "subset.jar"
    with zipfile.ZipFile(JAR) as source, zipfile.ZipFile(subset, "w") as target:
        target.writestr("usda_sr24/foods.index", "".join(
            line + "\r\n" for line in source.read("usda_sr24/foods.index").decode().splitlines()
            if line.split("|")[0] in SUBSET))
        target.writestr("usda_sr24/deprecated.index", source.read("usda_sr24/deprecated.index"))
        for food_id in SUBSET:
            target.writestr(f"usda_sr24/{food_id}.xml", source.read(f"usda_sr24/{food_id}.xml"))
    counts_a = build(subset, tmp_path / "a")
    build(subset, tmp_path / "b")
    for name in (FOODS_FILE, PORTIONS_FILE):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert counts_a["current"] == len(SUBSET)
    foods = pd.read_csv(tmp_path / "a" / FOODS_FILE, dtype={"food_id": str}).set_index("food_id")
    assert foods.at["01079", "vitamin_d_ug"] == pytest.approx(49 / 40)  # 49 IU in the record
    assert foods.at["42204", "group"] == "Snacks"
    provenance = (tmp_path / "a" / PROVENANCE_FILE).read_text()
    assert "public domain" in provenance and "SHA-256" in provenance


def test_shipped_files_match_the_shipped_provenance() -> None:
    from foods.build_usda import sha256
    data = Path(__file__).resolve().parents[2] / "foods" / "data"
    provenance = (data / PROVENANCE_FILE).read_text()
    for name in (FOODS_FILE, PORTIONS_FILE):
        assert sha256(data / name) in provenance, f"{name} changed without rebuilding PROVENANCE.md"
    assert "7907" in provenance and "951" in provenance


@needs_jar
def test_rebuilding_from_the_real_jar_reproduces_the_shipped_files(tmp_path: Path) -> None:
    """The committed files are exactly what the builder makes from the jar (about 4 s)."""
    data = Path(__file__).resolve().parents[2] / "foods" / "data"
    counts = build(JAR, tmp_path)
    assert counts == {"current": 7907, "records": 8858, "excluded": 951, "excluded_listed_deprecated": 951,
                      "portions": 13817, "magnesium_known": 7228, "vitamin_d_known": 4636}
    for name in (FOODS_FILE, PORTIONS_FILE):
        assert (tmp_path / name).read_bytes() == (data / name).read_bytes(), f"{name} differs from a fresh build"
    built = (tmp_path / PROVENANCE_FILE).read_text(encoding="utf-8")
    assert built == (data / PROVENANCE_FILE).read_text(encoding="utf-8")


@needs_jar
def test_no_deprecated_record_is_shipped() -> None:
    """Shipped ids are exactly foods.index; the 951 records outside it (deprecated) are left out.

    28 ids appear in both indexes: deprecated.index keeps their old abbreviated names, foods.index and the
    records carry the current ones, so they are current foods.
    """
    from foods import load_foods

    def ids(text: str) -> set[str]:
        return {line.split("|")[0].strip() for line in text.splitlines() if line.strip()}

    with zipfile.ZipFile(JAR) as archive:
        deprecated = ids(archive.read("usda_sr24/deprecated.index").decode())
        current = ids(archive.read("usda_sr24/foods.index").decode())
        records = {Path(n).stem for n in archive.namelist() if n.endswith(".xml")}
    shipped = set(load_foods().frame.index)
    assert shipped == current and len(shipped) == 7907
    left_out = records - current
    assert len(left_out) == 951 and left_out <= deprecated
    assert not left_out & shipped
    assert load_foods()["03813"]["name"].startswith("Infant formula, MEAD JOHNSON")  # renamed, still current
