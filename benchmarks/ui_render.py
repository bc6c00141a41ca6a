"""How long the app takes to show things, warm (imports done, catalogues cached, a HiGHS worker running).

    python benchmarks/ui_render.py              # script-side figures (Streamlit AppTest), a few seconds
    python benchmarks/ui_render.py --browser    # also the browser's view (Debian chromium), ~1 min
    python benchmarks/ui_render.py --repeat 5

Figures (seconds, best and median of ``--repeat``; printed, never asserted):

* **first page render** — a new session's first run of ``app.py`` (the page before any plan: profile, targets,
  food choices, supplements, the rule chart). With ``--browser``: from navigation to the *Make my plan* button.
* **engine finish → default week** — the default week is solved once (``optimizer.plan``, timed separately as
  *engine*); then the run that draws it: the page with that plan stored in the session (week grid, coverage and
  magnesium charts, edit panel, downloads). With ``--browser``: from the click on *Make my plan* to the week grid
  being visible, minus the engine's own run time shown in the plan's status line.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
APP = str(ROOT / "app.py")


def _app_test():
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(APP, default_timeout=600)


def first_render_s() -> float:
    """Seconds for a new session's first run of the page (script side)."""
    at = _app_test()
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return elapsed


def week_render_s(plan) -> float:
    """Seconds for the run that draws ``plan`` (already solved) on the page (script side)."""
    at = _app_test()
    at.run()
    at.session_state["_plan"] = plan
    at.session_state["_request"] = plan.request
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return elapsed


def browser_figures(repeat: int) -> tuple[list[float], list[float]]:
    """(first page, engine finish -> week grid visible) in a real browser, seconds."""
    import os
    import socket
    import subprocess
    import urllib.request

    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("COFACTOR_CHROMIUM", "/usr/bin/chromium")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", APP, "--server.headless", "true",
                               "--server.port", str(port), "--server.address", "127.0.0.1",
                               "--browser.gatherUsageStats", "false"], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    firsts, weeks = [], []
    try:
        for _ in range(600):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            for i in range(repeat + 1):  # the first round warms the server's caches and solver worker
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.set_default_timeout(600_000)
                start = time.perf_counter()
                page.goto(url, wait_until="domcontentloaded")
                page.get_by_role("button", name="Make my plan").wait_for()
                first = time.perf_counter() - start
                clicked = time.perf_counter()
                page.get_by_role("button", name="Make my plan").click()
                page.locator("table.cf-grid").wait_for()
                shown = time.perf_counter()
                status = page.get_by_text("Independently re-checked").first.inner_text()
                engine = float(re.search(r"Solver \w+, ([0-9.]+) s", status).group(1))  # optimizer.plan's runtime
                week = shown - clicked - engine
                page.close()
                if i:
                    firsts.append(first)
                    weeks.append(week)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return firsts, weeks


def _row(name: str, values: list[float]) -> str:
    return f"{name:<44} best {min(values):7.2f} s   median {statistics.median(values):7.2f} s   (n={len(values)})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--browser", action="store_true", help="also measure in Debian chromium")
    args = parser.parse_args(argv)

    import optimizer

    request = optimizer.PlanRequest(profile=optimizer.Profile(sex="female", age=45), days=7)
    print("warming up (imports, catalogues, solver worker)…", file=sys.stderr)
    first_render_s()
    start = time.perf_counter()
    plan = optimizer.plan(request)
    engine = time.perf_counter() - start
    week_render_s(plan)
    firsts = [first_render_s() for _ in range(args.repeat)]
    weeks = [week_render_s(plan) for _ in range(args.repeat)]
    print(f"default week: {plan.status}, {len(plan.items)} items; engine (optimizer.plan) {engine:.2f} s")
    print(_row("first page render (script)", firsts))
    print(_row("engine finish -> default week drawn (script)", weeks))
    if args.browser:
        b_first, b_week = browser_figures(args.repeat)
        print(_row("first page render (browser)", b_first))
        print(_row("engine finish -> week grid visible (browser)", b_week))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
