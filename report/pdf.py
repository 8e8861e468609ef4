"""The report as a PDF: a Django template rendered by WeasyPrint, A4 or US Letter.

Text is set in DejaVu Sans with Debian's Noto fonts behind it (Noto Sans CJK for Chinese, Japanese
and Korean, Noto Color Emoji for emoji), so that notes in any script come out as text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from insights import charts, heatmap
from report.content import Report

PAPER_SIZES = {"a4": "A4", "letter": "letter"}
STYLESHEET = Path(__file__).resolve().parent / "static" / "report" / "report.css"


def report_context(report: Report) -> dict[str, Any]:
    """What the PDF and the shared page draw: the report, its charts and its leg maps, as SVG."""
    return {
        "report": report,
        "charts": charts.report_charts(report.trends),
        "maps": heatmap.heat_view_svgs(report.shaded_views),
    }


def render_pdf(report: Report, paper: str = "a4") -> bytes:
    # Imported here: WeasyPrint costs most of a second to import, and only a PDF needs it.
    from weasyprint import CSS, HTML

    html = render_to_string("report/pdf.html", report_context(report))
    page = CSS(string=f"@page {{ size: {PAPER_SIZES.get(paper, 'A4')}; }}")
    document = HTML(string=html, base_url=str(STYLESHEET.parent))
    return document.write_pdf(stylesheets=[CSS(filename=STYLESHEET), page])  # type: ignore[no-any-return]
