"""Hand-over files: CSV, JSON round trip, Excel read-back and PDF text."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pypdf
import pytest

from optimizer.io.export import (
    find_unicode_font,
    latin1_text,
    plan_from_json,
    plan_to_csv,
    plan_to_excel_bytes,
    plan_to_json,
    plan_to_pdf_bytes,
)
from optimizer.io.report import nutrient_table, plan_report_html, plan_report_text, supplement_schedule, week_grid
from optimizer.results.plan import DISCLAIMER
from tests.optimizer.conftest import sample_plan as make_plan

WEEK = date(2026, 11, 30)


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_csv_and_json_round_trip():
    plan = make_plan()
    frame = pd.read_csv(io.StringIO(plan_to_csv(plan)), dtype={"food_id": str})
    assert list(frame["food_id"]) == ["08120", "12061"] * 2
    assert frame["grams"].sum() == pytest.approx(2 * (234.0 + 56.7))
    again = plan_from_json(plan_to_json(plan))
    assert again == plan and again.request == plan.request


def test_report_tables():
    plan = make_plan(days=2)
    table = nutrient_table(plan).set_index("target")
    assert table.at["Magnesium", "lowest"] == 411 and table.at["Magnesium", "highest"] == 412
    assert table.at["Magnesium", "status"] == "met"
    assert table.at["Calcium", "status"] == "below"  # 800 mg against a 1000 mg minimum
    assert table.at["Magnesium (supplements)", "average"] == 100 and "safety upper limit" in table.at["Magnesium (supplements)", "note"]
    assert table.at["Fat", "average"] == pytest.approx(60 * 9 / 2000 * 100)  # 27 % of energy
    grid = week_grid(plan, WEEK)
    assert list(grid.columns) == ["Mon 30 Nov", "Tue 1 Dec"]
    assert grid.at["breakfast", "Tue 1 Dec"] == "Oats, cooked: 1 × 1 cup (234 g)" and grid.at["lunch", "Mon 30 Nov"] == ""
    schedule = supplement_schedule(plan)
    assert list(schedule["when"]) == ["every day", "every day"]
    assert "fat-soluble" in schedule.iloc[0]["timing"]
    text = plan_report_text(plan, client_name="Alice Example", week_start=WEEK)
    assert "2-day plan for Alice Example" in text and "Magnesium–vitamin D rule" in text and DISCLAIMER in text
    assert "at least 361 mg/day" in text
    html = plan_report_html(plan, client_name="Alice <b>", week_start=WEEK)
    assert "Alice &lt;b&gt;" in html and "<table" in html and "Oats, cooked" in html


def test_excel_read_back():
    plan = make_plan(days=2)
    data = plan_to_excel_bytes(plan, client_name="Alice Example", week_start=WEEK)
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype={"food_id": str})
    assert list(sheets) == ["Plan", "Week", "Supplements", "Nutrients", "Shopping list", "About"]
    assert sheets["Plan"]["grams"].sum() == pytest.approx(2 * (234.0 + 56.7))
    assert set(sheets["Supplements"]["supplement_id"]) == {"d3_50", "mg_citrate_100"}
    nutrients = sheets["Nutrients"].set_index("target")
    assert nutrients.at["Magnesium", "min"] == 361 and nutrients.at["Calcium", "status"] == "below"
    shopping = sheets["Shopping list"].set_index("food_id")
    assert shopping.at["08120", "total_grams"] == pytest.approx(468.0) and shopping.at["08120", "buy"] == "500 g"
    about = dict(zip(sheets["About"]["field"], sheets["About"]["value"]))
    assert about["Client"] == "Alice Example" and about["Disclaimer"] == DISCLAIMER
    assert about["Magnesium–vitamin D rule"].startswith("Magnesium–vitamin D rule: Default precautionary policy")


@pytest.mark.parametrize("unicode_font", [None, False])
def test_pdf_contains_the_hand_over(unicode_font):
    plan = make_plan(days=7)
    data = plan_to_pdf_bytes(plan, client_name="Alice Example", week_start=WEEK, unicode_font=unicode_font)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for expected in ("Weekly plan for Alice Example", "Monday 30 November 2026", "Mon 30 Nov", "Sun 6 Dec",
                     "Oats, cooked", "1 × 1 cup", "Vitamin D3 50", "Magnesium citrate 100 mg", "every day",
                     "Nutrients vs targets", "Calcium", "below", "Magnesium", "vitamin D rule",
                     "at least 361 mg/day", "Shopping list", "1.65 kg", "Grains, pasta & rice",
                     "1 without a price", "decision support, not medical advice"):
        assert expected in text, expected
    if unicode_font is None and find_unicode_font() is not None:
        assert "15–100 µg" in text
    if unicode_font is False:
        assert "15-100 µg" in text  # en dash reduced to Latin-1, µ kept


def test_pdf_of_an_unsolved_plan_says_so():
    text = pdf_text(plan_to_pdf_bytes(make_plan(has_solution=False), unicode_font=False))
    assert "No usable plan" in text and "not medical advice" in text


def test_latin1_text():
    assert latin1_text("≥ 15 µg – ok → ✓") == ">= 15 µg - ok -> ?"


def test_html_report_escapes_food_names_in_the_week_grid():
    plan = make_plan(days=1)
    rows = [r.model_copy(update={"food": '<script>alert("x")</script> & oats'}) for r in plan.item_rows]
    evil = plan.model_copy(update={"item_rows": rows})
    html = plan_report_html(evil, week_start=WEEK)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; oats" in html
