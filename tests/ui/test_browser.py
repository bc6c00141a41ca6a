"""End-to-end: ``streamlit run app.py`` in a real browser (Playwright driving Debian's chromium).

The walk a person takes: makes a week in one click (week grid, coverage chart, a screenshot of the whole result
page as docs/screenshot.png), switches the vitamin D unit (the number converts, the dose does not), checks that
controls in other tabs show the values the session plans with, locks an item and re-optimises, opens a client
whose profile differs and re-plans and saves the plan for that client, swaps a food, applies a one-click fix to an
impossible request, downloads the plan CSV and the shopping list and reads them back with pandas, opens the
printable view; at 390 px the page never scrolls sideways and the tabs stay on screen
(test-artifacts/phone.png). Timeouts are generous ceilings for a loaded machine, not speed checks.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from optimizer.dietitian.store import Store
from optimizer.domain.profile import Profile
from optimizer.domain.request import PlanRequest
from tests.ui.conftest import ROOT
from ui import views

pytestmark = pytest.mark.browser

SOLVE_TIMEOUT_MS = 600_000  # the longest we wait for a plan to appear on a loaded 2-core machine
UI_TIMEOUT_MS = 60_000
SCREENSHOT = ROOT / "docs" / "screenshot.png"
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def walk_store(tmp_path_factory):
    """A client store with one client (a man of 62: not the sidebar's profile); COFACTOR_DB points the server at it.
    Listed before ``streamlit_url`` so the server starts with it."""
    import os

    path = tmp_path_factory.mktemp("walk") / "walk.sqlite3"
    old = os.environ.get("COFACTOR_DB")
    os.environ["COFACTOR_DB"] = str(path)
    store = Store(path)
    store.add_client(name="Gus Example", profile=Profile(sex="male", age=62))
    yield store
    if old is None:
        os.environ.pop("COFACTOR_DB", None)
    else:
        os.environ["COFACTOR_DB"] = old


def _screenshot_whole_page(page, path: Path, width: int) -> None:
    """Grow the viewport to the app's full height (it scrolls inside its own container) and take the picture."""
    height = page.evaluate("""() => Math.max(...[...document.querySelectorAll(
        "[data-testid='stMain'], [data-testid='stAppViewContainer'], section.main")].map(e => e.scrollHeight), 900)""")
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 12000)})
    page.wait_for_timeout(500)  # let the charts re-render at the new size
    page.screenshot(path=str(path))


def _switch_units(page) -> None:
    """Prescribe 50 µg a day, switch the unit to IU: the box says 2,000 and the caption keeps 50 µg."""
    expect = _expect()
    page.get_by_role("tab", name="Supplements").click()
    page.get_by_text("Prescribed daily dose", exact=True).click()
    expect(page.get_by_role("spinbutton", name="Dose (µg per day)")).to_have_value("50.00")
    box = page.get_by_role("combobox", name="Unit")
    box.click()
    box.press("ArrowDown")
    option = page.get_by_role("option").filter(has_text="IU").first
    expect(option).to_be_visible()
    option.click()
    expect(page.get_by_role("spinbutton", name="Dose (IU per day)")).to_have_value("2000.00")
    expect(page.get_by_text("= 50.0 µg = 2,000 IU per day").first).to_be_visible()
    page.get_by_text("Let Cofactor choose (within limits)", exact=True).click()  # back to the default for the walk
    expect(page.get_by_role("spinbutton", name="Dose (IU per day)")).to_have_count(0)  # the page has re-run


def _plan_for_the_client(page) -> None:
    """The Planner's week was made for the sidebar profile: saving it for Gus is refused; re-plan it for him."""
    expect = _expect()
    page.get_by_role("link", name="Clients").click()
    expect(page.get_by_role("heading", name="Clients")).to_be_visible()
    expect(page.get_by_text("This plan was not made for Gus Example").first).to_be_visible()
    assert page.get_by_role("button", name="Save plan for this client").count() == 0
    page.get_by_role("button", name="Re-plan for Gus Example and save").click()
    expect(page.get_by_text("for Gus Example: week").first).to_be_visible(timeout=SOLVE_TIMEOUT_MS)
    page.get_by_role("link", name="Planner").click()
    expect(page.locator("table.cf-grid")).to_be_visible()


def _swap_a_food(page) -> None:
    """Swap day 1's first item for the top substitute: the week stays verified, the day has no food twice."""
    expect = _expect()
    page.get_by_role("tab", name="Your plan").click()
    page.get_by_role("button", name="Find substitutes").click()
    button = page.get_by_role("button", name="Swap for this food")
    expect(button).to_be_visible(timeout=SOLVE_TIMEOUT_MS)
    button.click()
    expect(page.get_by_text("swapped for").first).to_be_visible(timeout=SOLVE_TIMEOUT_MS)
    expect(page.get_by_text("Changed since: Day 1").first).to_be_visible()
    first_day = page.locator("table.cf-grid tbody tr").first.locator(".cf-item").all_inner_texts()
    foods = [t.rsplit(" — ", 1)[0].replace(" [locked]", "") for t in first_day]
    assert len(foods) == len(set(foods)), f"a food twice on day 1 after the swap: {foods}"


def _apply_a_fix(page, tmp_path: Path) -> None:
    """An impossible request (5,000 IU vitamin D a day, above the upper limit): its one-click fix makes a plan."""
    expect = _expect()
    request = PlanRequest(profile=Profile(sex="female", age=45), days=1, vitamin_d_supplement_iu=5000)
    saved = tmp_path / "impossible.json"
    saved.write_text(request.model_dump_json())
    page.get_by_role("tab", name="Save & restore").click()
    dropzone = page.get_by_role("region", name="Saved plan or request (JSON)")
    dropzone.locator("input[type='file']").set_input_files(str(saved))
    expect(page.get_by_text("Restored the settings from impossible.json").first).to_be_visible()
    page.get_by_role("button", name="Make my plan").click()
    page.get_by_role("tab", name="Your plan").click()
    fix = page.get_by_role("button", name="Apply: Lower the prescribed vitamin D dose")
    expect(fix).to_be_visible(timeout=SOLVE_TIMEOUT_MS)
    expect(page.get_by_text("Apply the override and plan again")).to_be_visible()  # the clinician's small form
    fix.click()
    expect(page.get_by_text("Applied: Lower the prescribed").first).to_be_visible(timeout=SOLVE_TIMEOUT_MS)
    expect(page.locator("table.cf-grid tbody tr")).to_have_count(1)


def _download(page, name: str, target: Path) -> pd.DataFrame:
    page.get_by_role("tab", name="Save & restore").click()
    button = page.get_by_role("button", name=name)
    _expect()(button).to_be_visible()
    with page.expect_download(timeout=UI_TIMEOUT_MS) as info:
        button.click()
    info.value.save_as(str(target))
    return pd.read_csv(target, dtype={"food_id": str})


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


def test_the_walk_week_units_client_swap_fix_and_downloads(walk_store, browser, streamlit_url: str,
                                                          tmp_path: Path):
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

        assert page.get_by_role("button", name="Deploy").count() == 0  # no developer toolbar for people

        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        _screenshot_whole_page(page, SCREENSHOT, 1280)
        page.set_viewport_size({"width": 1280, "height": 900})
        _switch_units(page)
        _expect_controls_show_the_session_values(page)
        page.get_by_role("tab", name="Your plan").click()

        locked = _pick_first_option(page, "Keep these items (lock)", "Day 1 · ")
        food = locked.split(" · ")[2].rsplit(" — ", 1)[0]
        page.get_by_role("button", name="Re-optimise the rest").click()
        expect(page.get_by_text("What changed", exact=True)).to_be_visible(timeout=SOLVE_TIMEOUT_MS)
        expect(grid.get_by_text(food).first).to_be_visible()
        expect(grid.get_by_text("[locked]").first).to_be_visible()  # locked items are marked in the grid

        frame = _download(page, "Plan (CSV)", tmp_path / "plan.csv")
        assert {"day", "meal", "food_id", "food", "grams"} <= set(frame.columns)
        assert sorted(frame["day"].unique()) == list(range(1, 8))
        assert (frame["grams"] > 0).all()
        assert any(views.short_name(f) == food for f in frame["food"])

        page.get_by_text("Printable view", exact=True).click()  # the report, in an iframe isolated from the app
        printable = page.frame_locator("iframe[src^='data:text/html']")
        expect(printable.get_by_role("button", name="Print")).to_be_visible()

        page.get_by_role("tab", name="Your plan").click()
        page.get_by_text("One day", exact=True).click()  # the rest of the walk on one day: quick solves
        _make_plan(page)
        expect(page.locator("table.cf-grid tbody tr")).to_have_count(1, timeout=SOLVE_TIMEOUT_MS)
        _plan_for_the_client(page)
        saved = walk_store.list_plans("Gus Example")
        assert len(saved) == 1 and walk_store.get_plan(saved[0].id).request.profile.age == 62
        _swap_a_food(page)
        shopping = _download(page, "Shopping list (CSV)", tmp_path / "shopping.csv")
        assert {"section", "food", "grams", "buy"} <= set(shopping.columns) and len(shopping) > 3
        _apply_a_fix(page, tmp_path)
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
        right = page.evaluate("""() => Math.max(...[...document.querySelectorAll("[data-baseweb='tab']")]
            .map(t => t.getBoundingClientRect().right))""")
        assert right <= 390 + 1, f"the tabs run off the screen at phone width (last tab ends at {right:.0f} px)"
        page.set_viewport_size({"width": 390, "height": 844})
        _expect_controls_show_the_session_values(page)
    finally:
        context.close()
