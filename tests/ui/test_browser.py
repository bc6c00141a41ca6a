"""End-to-end: ``streamlit run app.py`` in a real browser (Playwright driving Debian's chromium).

Makes a week in one click, checks the week grid and the coverage chart, checks that controls in other tabs show
the values the session plans with, locks an item and re-optimises, downloads the plan CSV and reads it back with
pandas, opens the printable view, and saves screenshots (docs/screenshot.png at 1280 px,
test-artifacts/phone.png at 390 px). Timeouts are generous ceilings for a loaded machine, not speed checks.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from optimizer.domain.request import PlanRequest
from tests.ui.conftest import ROOT

pytestmark = pytest.mark.browser

SOLVE_TIMEOUT_MS = 600_000  # the longest we wait for a plan to appear on a loaded 2-core machine
UI_TIMEOUT_MS = 60_000
SCREENSHOT = ROOT / "docs" / "screenshot.png"
ARTIFACTS = ROOT / "test-artifacts"


def _expect():
    from playwright.sync_api import expect

    expect.set_options(timeout=UI_TIMEOUT_MS)
    return expect


def _open(browser, url: str, width: int, height: int):
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    page.goto(url, wait_until="domcontentloaded")
    _expect()(page.get_by_role("button", name="Make my plan")).to_be_visible()
    return context, page


def _make_plan(page) -> None:
    """Press the one button and wait for the outcome: the week grid, or the explanation of why there is none."""
    expect = _expect()
    page.get_by_role("button", name="Make my plan").click()
    grid = page.locator("table.cf-grid")
    outcome = grid.or_(page.get_by_text("No plan meets every target with these choices."))
    expect(outcome.first).to_be_visible(timeout=SOLVE_TIMEOUT_MS)
    if not grid.is_visible():
        why = page.locator("[data-testid='stMarkdownContainer']").filter(has_text="Why").first.inner_text()
        pytest.fail(f"The default request gave no plan: {why[:1500]}")


def _pick_first_option(page, label: str, starts_with: str) -> str:
    """Open the multiselect labelled ``label`` and pick its first option that starts with ``starts_with``."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.press("ArrowDown")
    option = page.get_by_role("option").filter(has_text=starts_with).first
    _expect()(option).to_be_visible()
    text = option.inner_text()
    option.click()
    page.keyboard.press("Escape")
    return text


def _expect_controls_show_the_session_values(page) -> None:
    """After a plan, controls first drawn later (another tab, a closed expander) show the values the session
    plans with, not a widget's built-in default (unticked, the slider's minimum)."""
    expect = _expect()
    page.get_by_role("tab", name="Supplements").click()
    expect(page.get_by_role("checkbox", name="Limit calcium : magnesium")).to_be_checked()
    expect(page.get_by_role("slider", name="Highest Ca : Mg ratio")).to_have_value("2.6")
    expect(page.locator("p:visible", has_text="Calcium:magnesium ratio kept at or below 2.6").first).to_be_visible()
    page.get_by_test_id("stForm").get_by_text("Advanced", exact=True).click()
    defaults = PlanRequest.model_fields
    expect(page.get_by_role("spinbutton", name="Time limit (s)")).to_have_value(
        f"{defaults['time_limit_s'].default:.2f}")
    expect(page.get_by_role("spinbutton", name="Days per food (max)")).to_have_value(
        str(defaults["max_days_per_food"].default or 7))


def test_week_in_one_click_lock_reoptimise_download_and_screenshot(browser, streamlit_url: str, tmp_path: Path):
    expect = _expect()
    context, page = _open(browser, streamlit_url, 1280, 900)
    try:
        _make_plan(page)
        grid = page.locator("table.cf-grid")
        expect(grid.locator("tbody tr")).to_have_count(7)  # a week: one row per day
        expect(page.get_by_text("Cofactor is decision support, not medical advice").first).to_be_visible()
        expect(page.get_by_text("Nutrient coverage", exact=True)).to_be_visible()
        charts = page.locator("[data-testid='stVegaLiteChart']")
        expect(charts.first).to_be_visible()
        assert charts.count() >= 2  # coverage + magnesium split (plus the rule chart in its tab)
        expect(page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first
               ).to_be_visible()

        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1280, "height": 3000})
        page.screenshot(path=str(SCREENSHOT))
        page.set_viewport_size({"width": 1280, "height": 900})
        _expect_controls_show_the_session_values(page)
        page.get_by_role("tab", name="Your plan").click()

        locked = _pick_first_option(page, "Keep these items (lock)", "Day 1 · ")
        food = locked.split(" · ")[2].rsplit(" — ", 1)[0]
        page.get_by_role("button", name="Re-optimise the rest").click()
        expect(page.get_by_text("What changed", exact=True)).to_be_visible(timeout=SOLVE_TIMEOUT_MS)
        expect(grid.get_by_text(food).first).to_be_visible()
        expect(grid.get_by_text("[locked]").first).to_be_visible()  # locked items are marked in the grid

        page.get_by_role("tab", name="Save & restore").click()
        button = page.get_by_role("button", name="Plan (CSV)")
        expect(button).to_be_visible()
        with page.expect_download(timeout=UI_TIMEOUT_MS) as info:
            button.click()
        target = tmp_path / "plan.csv"
        info.value.save_as(str(target))
        frame = pd.read_csv(target, dtype={"food_id": str})
        assert {"day", "meal", "food_id", "food", "grams"} <= set(frame.columns)
        assert sorted(frame["day"].unique()) == list(range(1, 8))
        assert (frame["grams"] > 0).all() and food in set(frame["food"])

        page.get_by_text("Printable view", exact=True).click()  # the report, in an iframe isolated from the app
        printable = page.frame_locator("iframe[src^='data:text/html']")
        expect(printable.get_by_role("button", name="Print")).to_be_visible()
        expect(printable.get_by_text(food).first).to_be_attached()
    finally:
        context.close()


def test_phone_width_screenshot(browser, streamlit_url: str):
    expect = _expect()
    context, page = _open(browser, streamlit_url, 390, 844)
    try:
        page.get_by_text("One day", exact=True).click()
        _make_plan(page)
        expect(page.locator("table.cf-grid tbody tr")).to_have_count(1)
        ARTIFACTS.mkdir(exist_ok=True)
        page.set_viewport_size({"width": 390, "height": 2400})  # the app scrolls inside its own container
        page.screenshot(path=str(ARTIFACTS / "phone.png"))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1, f"the page scrolls sideways at phone width ({width} px)"
        page.set_viewport_size({"width": 390, "height": 844})
        _expect_controls_show_the_session_values(page)
    finally:
        context.close()
