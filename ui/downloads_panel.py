"""Downloads (CSV, Excel, PDF, printable HTML, request + plan JSON) and restoring a session from that JSON."""

from __future__ import annotations

import base64
import json

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components
from pydantic import ValidationError

from foods import FoodTable
from optimizer.domain.request import PlanRequest
from optimizer.io import export, report
from optimizer.io.shopping import shopping_list
from optimizer.results.load import load_plan
from optimizer.results.plan import Plan
from ui import catalogue, state

RESTORE_UPLOAD = "restore_json"
_RESTORED = "_restored_upload"  # file_id of the last JSON restored (so it is applied once)


def parse_saved(text: str) -> tuple[PlanRequest, Plan | None]:
    """Read a saved session: a plan JSON (request included) or a bare request JSON. Raises ValueError."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON ({error.msg} at line {error.lineno}). "
                         "Fix: upload the file Cofactor saved.") from None
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object with a plan or a request. Fix: upload the file Cofactor saved.")
    try:
        if "request" in data and "status" in data:
            plan = load_plan(data, catalogue.foods_for_planning())  # verified again: never the stored verdict
            return plan.request, plan
        return PlanRequest.model_validate(data), None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"{where}: {first['msg']} ({error.error_count()} problem(s)). "
                         "Fix: upload a plan or request saved by Cofactor.") from None


def shopping_csv(plan: Plan, table: FoodTable | None) -> str:
    """The plan's shopping list as CSV text (section, food, amount eaten, what to buy, estimated cost)."""
    frame = shopping_list(plan, table if table is not None else catalogue.shipped_foods())
    out = pd.DataFrame({"section": frame["section"], "food": frame["food"], "food_id": frame["food_id"],
                        "grams": frame["total_grams"].round(0), "household": frame["household"],
                        "buy": frame["buy"], "estimated_cost": frame["estimated_cost"].round(2)})
    text: str = out.to_csv(index=False)
    return text


def render_downloads(plan: Plan) -> None:
    """Download buttons for the current plan."""
    st.markdown("#### Take it with you")
    st.caption("The JSON file holds the request and the plan: upload it later (below) to continue where you left off.")
    table = catalogue.foods_for_planning()
    stem = f"cofactor-plan-{plan.request.days}day"
    c1, c2, c3 = st.columns(3)
    c1.download_button("Plan (CSV)", export.plan_to_csv(plan), file_name=f"{stem}.csv", mime="text/csv",
                       key="download_csv", on_click="ignore", width="stretch",
                       help="One row per food item: day, meal, food, portions, grams, cost.")
    c2.download_button("Plan (Excel)", lambda: export.plan_to_excel_bytes(plan, table), file_name=f"{stem}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="download_xlsx", on_click="ignore", width="stretch",
                       help="Sheets: plan, week, supplements, nutrients, shopping list, about.")
    c3.download_button("Request + plan (JSON)", export.plan_to_json(plan), file_name=f"{stem}.json",
                       mime="application/json", key="download_json", on_click="ignore", width="stretch",
                       help="Upload it again under 'Restore a saved session' to get this plan and its settings back.")
    c4, c5, c6 = st.columns(3)
    c6.download_button("Shopping list (CSV)", lambda: shopping_csv(plan, table), file_name=f"{stem}-shopping.csv",
                       mime="text/csv", key="download_shopping", on_click="ignore", width="stretch",
                       help="The week's foods added up by store section, with amounts to buy.")
    c4.download_button("Printable page (HTML)", lambda: report.plan_report_html(plan), file_name=f"{stem}.html",
                       mime="text/html", key="download_html", on_click="ignore", width="stretch",
                       help="Open it in a browser and print it (or save as PDF).")
    c5.download_button("Printable PDF", lambda: export.plan_to_pdf_bytes(plan, table), file_name=f"{stem}.pdf",
                       mime="application/pdf", key="download_pdf", on_click="ignore", width="stretch",
                       help="Week grid, supplement schedule, nutrients vs targets, shopping list, disclaimer.")
    with st.expander("Printable view"):
        st.caption("The plan as it prints. The Print button prints just this section.")
        show_isolated(printable_html(plan), height=720)


def printable_html(plan: Plan) -> str:
    """The library's printable report with a Print button (hidden on paper), for an isolated iframe."""
    page = report.plan_report_html(plan)
    button = ("<style>@media print{.cf-print{display:none}}</style><button class='cf-print' onclick='window.print()' "
              "style='padding:6px 14px;margin-bottom:12px'>Print</button>")
    return page.replace("<body>", "<body>" + button, 1) if "<body>" in page else button + page


def isolated_src(page: str) -> str:
    """``page`` as a ``data:`` URL. An iframe loading it has an opaque origin of its own: the page's script (the
    Print button) runs, but nothing in the page can reach the app, even when a food name from an uploaded CSV or a
    restored plan JSON carries markup into the report."""
    return "data:text/html;charset=utf-8;base64," + base64.b64encode(page.encode("utf-8")).decode("ascii")


def show_isolated(page: str, height: int) -> None:
    """Show a whole HTML page in an isolated iframe (see :func:`isolated_src`)."""
    if hasattr(st, "iframe"):  # Streamlit >= 1.5x; components.html is deprecated there
        st.iframe(isolated_src(page), height=height)
    else:
        components.iframe(isolated_src(page), height=height, scrolling=True)


def render_restore() -> None:
    """Upload a saved JSON to restore the plan and every control it was made with."""
    st.markdown("#### Restore a saved session")
    upload = st.file_uploader("Saved plan or request (JSON)", type=["json"], key=RESTORE_UPLOAD,
                              help="A file from 'Request + plan (JSON)', or a request JSON (e.g. from examples/).")
    if upload is None or st.session_state.get(_RESTORED) == upload.file_id:
        return
    try:
        request, plan = parse_saved(upload.getvalue().decode("utf-8", errors="replace"))
    except ValueError as error:
        st.error(f"{upload.name} was not restored; nothing changed. {error}")
        return
    st.session_state[_RESTORED] = upload.file_id
    if plan is not None:
        state.open_plan(plan)
        state.flash(f"Restored the plan and its settings from {upload.name}.")
    else:
        state.request_restore(request)
        state.flash(f"Restored the settings from {upload.name}; press Make my plan to solve.")
    st.rerun()
