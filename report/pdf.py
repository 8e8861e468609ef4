"""The report as a PDF: a Django template rendered by WeasyPrint, A4 or US Letter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from weasyprint import CSS, HTML

from diary.charts import body_maps, report_charts
from report.content import Report

PAPER_SIZES = {"a4": "A4", "letter": "letter"}
STYLESHEET = Path(__file__).resolve().parent / "static" / "report" / "report.css"


def report_context(report: Report) -> dict[str, Any]:
    return {
        "report": report,
        "charts": report_charts(report.trends.weeks, report.trends.severities),
        "maps": body_maps(report.shaded_views),
    }


def render_pdf(report: Report, paper: str = "a4") -> bytes:
    html = render_to_string("report/pdf.html", report_context(report))
    page = CSS(string=f"@page {{ size: {PAPER_SIZES.get(paper, 'A4')}; }}")
    document = HTML(string=html, base_url=str(STYLESHEET.parent))
    pdf: bytes = document.write_pdf(stylesheets=[CSS(filename=STYLESHEET), page])
    return pdf
