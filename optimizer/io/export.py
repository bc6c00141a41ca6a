"""Hand-over files of a plan: CSV, JSON, an Excel workbook and a printable PDF (fpdf2).

The PDF embeds DejaVu Sans (Debian package ``fonts-dejavu-core``) when it is installed, so "µg", "≥" and "–"
print as they are. Without it the core Helvetica font is used and text is reduced to Latin-1 ("µ" stays, "≥"
becomes ">=", "–" becomes "-", "→" becomes "->"), so export works on any machine.
"""

from __future__ import annotations

import io
import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from optimizer.io.cells import safe_frame
from optimizer.io.report import (
    nutrient_table,
    nutrient_table_display,
    plan_header,
    rule_statement,
    supplement_schedule,
    week_grid,
)
from optimizer.io.shopping import shopping_list, shopping_summary
from optimizer.results.plan import Plan

if TYPE_CHECKING:
    from foods.table import FoodTable

FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",  # Debian/Ubuntu fonts-dejavu-core
    "/usr/share/fonts/dejavu",  # Fedora, Arch
    "/usr/share/fonts/TTF",
    "/Library/Fonts",
    os.path.expanduser("~/.local/share/fonts"),
)
_LATIN1_REPLACEMENTS = {"≥": ">=", "≤": "<=", "–": "-", "—": "-", "→": "->", "’": "'", "‘": "'", "“": '"', "”": '"',
                        "…": "...", "•": "-", "−": "-", "\u00a0": " "}


def find_unicode_font() -> tuple[Path, Path | None] | None:
    """(regular, bold or None) paths of DejaVu Sans if installed (``COFACTOR_PDF_FONT`` may name a regular TTF)."""
    custom = os.environ.get("COFACTOR_PDF_FONT")
    if custom and Path(custom).is_file():
        return Path(custom), None
    for folder in FONT_DIRS:
        regular = Path(folder) / "DejaVuSans.ttf"
        if regular.is_file():
            bold = Path(folder) / "DejaVuSans-Bold.ttf"
            return regular, bold if bold.is_file() else None
    return None


def latin1_text(text: str) -> str:
    """Text the core PDF fonts can print: common symbols spelled out, anything else outside Latin-1 as "?"."""
    for a, b in _LATIN1_REPLACEMENTS.items():
        text = text.replace(a, b)
    return text.encode("latin-1", "replace").decode("latin-1")


# -- CSV / JSON ------------------------------------------------------------------------------
def plan_to_csv(plan: Plan) -> str:
    """The plan's food items as CSV: day, meal, food_id, food, portions, portion_name, grams, cost, locked.
    Text that a spreadsheet would run as a formula is quoted (``optimizer.io.cells``)."""
    text: str = safe_frame(plan.items).to_csv(index=False)
    return text


def plan_to_json(plan: Plan, *, indent: int | None = 2) -> str:
    """The whole plan (its request included) as JSON; :func:`plan_from_json` reads it back unchanged."""
    return plan.model_dump_json(indent=indent)


def plan_from_json(text: str) -> Plan:
    """A plan written by :func:`plan_to_json` (or ``Plan.model_dump_json``)."""
    return Plan.model_validate_json(text)


# -- Excel -----------------------------------------------------------------------------------
def about_rows(plan: Plan, *, client_name: str | None = None, week_start: date | None = None) -> pd.DataFrame:
    """Key/value rows describing the plan: client, week, status, solver, cost, rule, notes, disclaimer."""
    rows = [("Client", client_name or ""), ("Week starting", week_start.isoformat() if week_start else ""),
            ("Days", plan.request.days), ("Solver status", plan.status),
            ("Usable plan", "yes" if plan.has_solution else "no"), ("Solver", plan.solver),
            ("Estimated food cost", "" if plan.cost is None else round(plan.cost, 2)),
            ("Magnesium–vitamin D rule", rule_statement(plan))]
    rows += [("Clinician override", line) for line in plan.clinician_overrides]
    rows += [("Note", n) for n in plan.notes]
    rows.append(("Disclaimer", plan.disclaimer))
    return pd.DataFrame(rows, columns=["field", "value"])


def plan_to_excel_bytes(
    plan: Plan, foods: FoodTable | None = None, *, client_name: str | None = None, week_start: date | None = None
) -> bytes:
    """An .xlsx workbook with sheets Plan (items), Week, Supplements, Nutrients, Shopping list and About.
    No text becomes a formula (``optimizer.io.cells``); numbers stay numeric cells."""
    items = plan.items.drop(columns=["locked"])
    shopping = shopping_list(plan, foods)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe_frame(items).to_excel(writer, sheet_name="Plan", index=False)
        safe_frame(week_grid(plan, week_start)).to_excel(writer, sheet_name="Week")
        safe_frame(supplement_schedule(plan, week_start)).to_excel(writer, sheet_name="Supplements", index=False)
        safe_frame(nutrient_table(plan)).to_excel(writer, sheet_name="Nutrients", index=False)
        safe_frame(shopping).to_excel(writer, sheet_name="Shopping list", index=False)
        about = about_rows(plan, client_name=client_name, week_start=week_start)
        safe_frame(about).to_excel(writer, sheet_name="About", index=False)
        for sheet in writer.book.worksheets:
            for column in sheet.columns:
                width = max(len(str(c.value or "")) for c in column)
                sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    return buffer.getvalue()


# -- PDF -------------------------------------------------------------------------------------
class _PlanPDF(FPDF):
    def __init__(self, disclaimer: str, unicode_font: bool | None) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.disclaimer = disclaimer
        fonts = find_unicode_font() if unicode_font is not False else None
        if unicode_font and fonts is None:
            raise FileNotFoundError("No Unicode TTF font found (install fonts-dejavu-core or set COFACTOR_PDF_FONT).")
        self.unicode = fonts is not None
        if fonts is not None:
            regular, bold = fonts
            self.add_font("Body", "", str(regular))
            self.add_font("Body", "B", str(bold or regular))
            self.family = "Body"
        else:
            self.family = "Helvetica"
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(10, 10, 10)

    def text_for(self, text: object) -> str:
        text = "" if text is None else str(text)
        return text if self.unicode else latin1_text(text)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 7)
        self.cell(0, 4, self.text_for(f"{self.disclaimer}   Page {self.page_no()}"), align="C")

    def heading(self, text: str, size: int = 13) -> None:
        self.set_font(self.family, "B", size)
        self.ln(2)
        self.multi_cell(0, 7, self.text_for(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, "", 9)

    def paragraph(self, text: str, size: int = 9, bold: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        self.multi_cell(0, 5, self.text_for(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, "", 9)

    def frame_table(self, frame: pd.DataFrame, *, size: int = 8, col_widths: tuple[float, ...] | None = None,
                    index: bool = False) -> None:
        if index:
            frame = frame.reset_index()
        self.set_font(self.family, "", size)
        headings = FontFace(emphasis="BOLD", fill_color=(225, 232, 240))
        with self.table(col_widths=col_widths, headings_style=headings, line_height=self.font_size * 1.6,
                        text_align="LEFT", width=self.epw) as table:
            row = table.row()
            for c in frame.columns:
                row.cell(self.text_for(c))
            for values in frame.itertuples(index=False):
                row = table.row()
                for v in values:
                    row.cell(self.text_for("" if v is None or (isinstance(v, float) and pd.isna(v)) else v))
        self.ln(2)
        self.set_font(self.family, "", 9)


def plan_to_pdf_bytes(
    plan: Plan,
    foods: FoodTable | None = None,
    *,
    client_name: str | None = None,
    week_start: date | None = None,
    unicode_font: bool | None = None,
) -> bytes:
    """A printable PDF: client and dates, the week grid in household portions, the supplement schedule with timing,
    nutrients vs targets with the magnesium–vitamin D rule, the shopping list, notes and the disclaimer.

    ``unicode_font``: None = DejaVu Sans when installed else Latin-1 Helvetica; False = always Helvetica;
    True = require the Unicode font (raises ``FileNotFoundError`` when missing).
    """
    pdf = _PlanPDF(plan.disclaimer, unicode_font)
    pdf.set_title(pdf.text_for(plan_header(plan, client_name=client_name)[0]))
    pdf.set_creator("Cofactor")
    pdf.add_page()
    header = plan_header(plan, client_name=client_name, week_start=week_start)
    pdf.heading(header[0], size=16)
    for line in header[1:]:
        pdf.paragraph(line)
    pdf.paragraph(f"Printed {date.today():%d %B %Y}")

    if not plan.has_solution:
        pdf.heading("No usable plan")
        pdf.paragraph(str(plan.explanation or "The solver found no plan for this request."))
    else:
        pdf.heading("Meals")
        grid = week_grid(plan, week_start)
        n_days = len(grid.columns)
        day_width = (pdf.epw - 24) / max(n_days, 1)
        pdf.frame_table(grid, size=7 if n_days > 4 else 8, col_widths=(24, *([day_width] * n_days)), index=True)

        pdf.heading("Supplements")
        schedule = supplement_schedule(plan, week_start)
        if schedule.empty:
            pdf.paragraph("No supplements in this plan.")
        else:
            shown = pd.DataFrame({
                "Product": schedule["supplement"], "Units per dose": schedule["units"], "When": schedule["when"],
                "Vitamin D per dose (µg)": schedule["vitamin_d_ug"].map(lambda v: f"{v:g}" if v else "-"),
                "Magnesium per dose (mg)": schedule["magnesium_mg"].map(lambda v: f"{v:g}" if v else "-"),
                "Timing": schedule["timing"],
            })
            pdf.frame_table(shown, col_widths=(60, 20, 45, 30, 30, 92))

        pdf.heading("Nutrients vs targets (per day)")
        pdf.frame_table(nutrient_table_display(plan), col_widths=(70, 70, 30, 30, 30, 27))
        pdf.paragraph(rule_statement(plan), bold=True)

        pdf.heading("Shopping list")
        shopping = shopping_list(plan, foods)
        summary = shopping_summary(shopping)
        shown = pd.DataFrame({
            "Section": shopping["section"], "Food": shopping["food"], "Household": shopping["household"],
            "Buy": shopping["buy"],
            "Est. cost": shopping["estimated_cost"].map(lambda v: "-" if pd.isna(v) else f"{v:.2f}"),
        })
        pdf.frame_table(shown, col_widths=(35, 110, 70, 30, 32))
        pdf.paragraph(summary.text().capitalize())

        if plan.notes:
            pdf.heading("Notes")
            for note in plan.notes:
                pdf.paragraph(f"- {note}")
    if plan.clinician_overrides:
        pdf.heading("Clinician overrides")
        for line in plan.clinician_overrides:
            pdf.paragraph(f"- {line}")
    pdf.heading("Important")
    pdf.paragraph(plan.disclaimer)
    return bytes(pdf.output())

