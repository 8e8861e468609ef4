"""The report as a PDF: a Django template rendered by WeasyPrint, A4 or US Letter, as PDF/A-3u and tagged.

Text is set in DejaVu Sans with Debian's Noto fonts behind it (Noto Sans CJK for Chinese, Japanese
and Korean, Noto Color Emoji for emoji), so that notes in any script come out as text; the episode
table in DejaVu Sans Mono (`report/episodes.py` says why).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from insights import charts, heatmap
from report.content import Report

PAPER_SIZES = {"a4": "A4", "letter": "letter"}
STYLESHEET = Path(__file__).resolve().parent / "static" / "report" / "report.css"
# PDF/A-3u: archivable, every glyph mapped to Unicode (what pypdf and a screen reader read back); tagged, so the
# headings, paragraphs and tables carry their structure. WeasyPrint's `pdf/a-3b` would do without the mapping.
PDF_VARIANT = "pdf/a-3u"
# The leg map's views in the order they are drawn, grouped by the direction they are seen from (DESIGN §10).
MAP_GROUPS = (
    ("Seen facing the patient: their right on the left of the picture", ("front", "tops")),
    ("Seen from behind: their left on the left of the picture", ("back", "soles")),
)
MAP_TITLES = {
    "front": "Front, facing the patient",
    "tops": "Tops of the feet, facing the patient",
    "back": "Back, from behind",
    "soles": "Soles, from behind",
}


def map_groups(report: Report) -> list[dict[str, Any]]:
    """The leg map's views as SVG, each with the direction it is seen from, in two groups by direction."""
    svgs = dict(
        zip((view.name for view, _ in report.shaded_views), heatmap.heat_view_svgs(report.shaded_views), strict=True)
    )
    return [
        {
            "direction": direction,
            "views": [{"name": name, "title": MAP_TITLES[name], "svg": svgs[name]} for name in names],
        }
        for direction, names in MAP_GROUPS
    ]


def report_context(report: Report, *, printed: bool = False) -> dict[str, Any]:
    """What the PDF and the shared page draw: the report, its charts and its leg maps, as SVG."""
    return {
        "report": report,
        "charts": charts.report_charts(report.trends),
        "maps": map_groups(report),
        "print": printed,
        "app_name": settings.APP_NAME,
    }


def render_pdf(report: Report, paper: str = "a4") -> bytes:
    # Imported here: WeasyPrint costs most of a second to import, and only a PDF needs it.
    from weasyprint import CSS, HTML

    html = render_to_string("report/pdf.html", report_context(report, printed=True))
    page = CSS(string=f"@page {{ size: {PAPER_SIZES.get(paper, 'A4')}; }}")
    document = HTML(string=html, base_url=str(STYLESHEET.parent))
    return document.write_pdf(  # type: ignore[no-any-return]
        stylesheets=[CSS(filename=STYLESHEET), page], pdf_variant=PDF_VARIANT, pdf_tags=True
    )
