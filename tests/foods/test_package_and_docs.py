"""The foods package as shipped: import hygiene, the error family, pyproject/CI, and README/docs figures.

These checks keep the written promises honest: every number the README's foods section and docs/foods*.md
quote is recomputed here from the loaded data, and the README's example files load as shown.
"""

from __future__ import annotations

import ast
import io
import re
import subprocess
import sys
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

import foods
from foods import errors

ROOT = Path(__file__).resolve().parents[2]
FOODS_DIR = ROOT / "foods"
README = ROOT / "README.md"
FORBIDDEN = ("pulp", "streamlit", "optimizer", "ui", "pyarrow", "highspy", "altair")


# --------------------------------------------------------------------------- import hygiene
def _imported_top_level_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted(FOODS_DIR.glob("*.py")), ids=lambda p: p.name)
def test_no_foods_module_imports_the_optimizer_or_the_ui(path: Path) -> None:
    imported = _imported_top_level_modules(path)
    assert not imported & set(FORBIDDEN), f"{path.name} imports {sorted(imported & set(FORBIDDEN))}"


def test_using_every_foods_entry_point_loads_no_solver_ui_or_pyarrow() -> None:
    """In a fresh interpreter where pyarrow cannot be imported, the whole foods API works without it."""
    snippet = f"""
import sys
sys.modules["pyarrow"] = None  # importing pyarrow now raises ImportError
import foods, foods.build_usda, foods.custom, foods.fdc
table = foods.load_foods()
assert len(table) == 7907 and len(table.search("pumpkin seeds")) > 0
table.with_prices(foods.example_prices())
foods.load_supplements()
foods.import_fdc({str(Path(__file__).parent / "data" / "fdc_sample")!r})
loaded = sorted(name for name in {FORBIDDEN!r} if sys.modules.get(name) is not None)
print(",".join(loaded))
"""
    result = subprocess.run([sys.executable, "-c", snippet], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"foods pulled in: {result.stdout.strip()}"


# --------------------------------------------------------------------------- the error family
def test_errors_are_one_small_family() -> None:
    for name in ("FoodDataError", "PriceListError", "SupplementDataError"):
        cls = getattr(foods, name)
        assert issubclass(cls, foods.DataError) and issubclass(cls, ValueError)
        assert issubclass(cls, foods.CofactorError)
    assert issubclass(foods.UnknownFoodError, KeyError) and issubclass(foods.UnknownFoodError, foods.CofactorError)
    exported = {n for n in foods.__all__ if n.endswith("Error")}
    defined = {n for n, v in vars(errors).items() if isinstance(v, type) and issubclass(v, Exception)}
    assert exported == defined


def test_an_error_reads_as_file_row_column_reason_fix() -> None:
    error = foods.PriceListError("'$4' is not a number.", source="prices.csv", row=3, column="price",
                                 fix="Write a plain number.")
    assert str(error) == "prices.csv, row 3, column 'price': '$4' is not a number. Fix: Write a plain number."
    assert (error.source, error.row, error.column, error.reason) == ("prices.csv", 3, "price",
                                                                     "'$4' is not a number.")
    assert str(foods.FoodDataError("no such thing.")) == "no such thing."
    assert str(foods.UnknownFoodError("99999")).startswith("Unknown food id '99999'.")  # not KeyError's quoting


# --------------------------------------------------------------------------- packaging and CI
@pytest.fixture(scope="module")
def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_pyproject_declares_the_package_its_data_and_a_test_extra(pyproject: dict) -> None:
    project = pyproject["project"]
    assert project["requires-python"] == ">=3.11"
    assert "foods" in pyproject["tool"]["setuptools"]["packages"]
    patterns = pyproject["tool"]["setuptools"]["package-data"]["foods"]
    shipped = [p for p in (FOODS_DIR / "data").rglob("*") if p.is_file()]
    assert len(shipped) >= 7
    for path in shipped:
        relative = path.relative_to(FOODS_DIR).as_posix()
        assert any(fnmatch(relative, pattern) and "/" not in relative[len("data/"):] for pattern in patterns), \
            f"{relative} would be left out of the wheel (package-data {patterns})"
    test_extra = " ".join(project["optional-dependencies"]["test"])
    assert "pytest" in test_extra and "pytest-xdist" in test_extra  # README's command uses -n 2
    dependencies = " ".join(project["dependencies"])
    assert "pandas" in dependencies and "pyarrow" not in dependencies


def _pytest_args(command: str) -> list[str]:
    return command.split("pytest", 1)[1].split()


def test_ci_runs_readme_test_command() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("Run the tests"):]
    readme_command = re.search(r"```bash\n(.+?)\n```", section, re.S)[1].strip()
    ci_lines = [line for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
                if "pytest" in line and not line.lstrip().startswith("#")]
    assert len(ci_lines) == 1
    assert '".[test]"' in readme_command and '".[test]"' in ci_lines[0]
    assert _pytest_args(ci_lines[0]) == _pytest_args(readme_command)


# --------------------------------------------------------------------------- README and docs figures
@pytest.fixture(scope="module")
def readme_foods() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Foods: data, licence and your own data")
    return text[start:text.index("\n## ", start + 1)]


@pytest.fixture(scope="module")
def docs_text() -> str:
    return ((ROOT / "docs" / "foods.md").read_text(encoding="utf-8")
            + (ROOT / "docs" / "foods-extras.md").read_text(encoding="utf-8"))


def test_readme_and_docs_quote_the_real_figures(readme_foods: str, docs_text: str) -> None:
    table = foods.load_foods()
    frame = table.frame
    pumpkin = table["12016"]["magnesium_mg"]
    figures = {
        "foods": f"{len(table):,} foods",
        "pumpkin magnesium": f"# {pumpkin}",
        "pumpkin portion": f"# {table.portion_for('12016')!r}",
        "vitamin D gaps": f"# {table.missing('vitamin_d_ug')} foods have no vitamin D value",
        "nutrient count": f"{len(table.nutrient_columns)} in all",
        "magnesium known": f"{int(frame['magnesium_mg'].notna().sum()):,} foods",
        "vitamin D known": f"{int(frame['vitamin_d_ug'].notna().sum()):,}",
    }
    for label, text in figures.items():
        assert text in readme_foods, f"README foods section: {label} should read {text!r}"
        assert text in docs_text, f"docs/foods.md: {label} should read {text!r}"
    assert f"{len(table.portions):,} rows" in docs_text
    assert f"{len(foods.load_supplements())} generic products" in readme_foods
    assert f"{len(foods.load_supplements())} generic products" in docs_text
    assert f"({len(foods.example_prices())} foods priced)" in readme_foods
    everyday = int(frame["everyday"].sum())
    assert "About 300" in readme_foods and 270 <= everyday <= 330


def test_readme_and_docs_name_the_data_sources_and_licence(readme_foods: str, docs_text: str) -> None:
    for raw in (readme_foods, docs_text):
        text = " ".join(raw.split())  # sentences wrap across lines
        assert "public domain" in text.lower()
        assert "Standard Reference, Release 24" in text
        assert "apt-get download cronometer" in text
        assert "April 2026" in text and "Bureau of Labor Statistics" in text
        assert "python -m foods.build_usda" in text
        assert "FoodData Central" in text


def _csv_blocks(text: str) -> list[str]:
    return [block.strip() + "\n" for block in re.findall(r"```csv\n(.+?)```", text, re.S)]


def test_readme_custom_foods_example_loads_as_shown(readme_foods: str) -> None:
    (block,) = _csv_blocks(readme_foods)
    upload = io.BytesIO(block.encode("utf-8"))
    upload.name = "my_foods.csv"
    mine = foods.FoodTable.from_csv(upload)
    assert len(mine) == len(block.splitlines()) - 1
    combined = foods.load_foods().combine(mine)
    assert len(combined) == 7907 + len(mine)
    assert mine.portion_for("my_bread") == ("slice", 32.0)


def test_docs_example_files_load_as_shown(docs_text: str) -> None:
    catalogue = foods.load_foods()
    blocks = _csv_blocks(docs_text)
    price_block = next(b for b in blocks if b.startswith("food_id,price,"))
    upload = io.BytesIO(price_block.encode("utf-8"))
    upload.name = "prices.csv"
    prices = foods.load_price_list(upload, foods=catalogue)  # its ids are real catalogue foods
    assert len(prices) == len(price_block.splitlines()) - 1
    for block in blocks:
        if block.startswith("food_id,name"):
            upload = io.BytesIO(block.encode("utf-8"))
            upload.name = "my_foods.csv"
            assert len(foods.FoodTable.from_csv(upload)) >= 1
