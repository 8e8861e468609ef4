"""The score-over-time chart of an instrument: a small SVG with its cut-off lines labelled with their source.

Drawn like insights/charts.py's: presentation attributes for print and greyscale (the two cut-offs differ by dash as
well as by label), classes for the stylesheet to recolour in dark mode, and a `<title>` on every point.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from insights.charts import INK, WEB, Size, data_table
from questionnaires.instruments import standing
from questionnaires.scores import Score, Trend, change_words, date_words

SCORE, CUTOFF = "#1f5f8b", "#5b5b5b"
DASHES = ("2 3", "7 4", "10 3 2 3")  # one per cut-off, lowest first: told apart without colour
LEGEND_ROW = 17  # user units between the keys of the cut-offs above the plot


def chart_size(cutoffs: int) -> Size:
    """The web chart's frame, with room above the plot for one key per cut-off."""
    top = cutoffs * LEGEND_ROW + 10
    return Size(width=WEB.width, height=180 + top, left=24, right=8, top=top, bottom=22, font=12)


def score_chart(trend: Trend) -> SafeString:
    """The period's scores as points joined by a line, on a time axis from the period's first to last date."""
    instrument = trend.instrument
    cutoffs = instrument.thresholds[: len(DASHES)]
    size = chart_size(len(cutoffs))
    top = instrument.max_score
    span = max(1, (trend.last - trend.first).days)
    font = size.font_attrs()

    def x(day: dt.date) -> float:
        if trend.first == trend.last:
            return size.left + size.plot_width / 2
        return size.left + size.plot_width * (day - trend.first).days / span

    summary = ", ".join(f"{s.said} on {date_words(s.day)}" for s in trend.scores) or "no answers in this period"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size.width} {size.height}" class="chart-svg scores" '
        f'role="img" aria-label="{escape(instrument.short_title)} scores, 0 to {top}: {escape(summary)}">'
        '<g class="axes" aria-hidden="true">'
    ]
    for value in (0, top):
        y = size.y(value, top)
        parts.append(
            f'<line x1="{size.left}" x2="{size.width - size.right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dddddd"/>'
            f'<text x="{size.left - 4}" y="{y + size.font / 3:.1f}" text-anchor="end" fill="{INK}" {font}>'
            f"{value}</text>"
        )
    ends = [(trend.first, "start"), (trend.last, "end")] if trend.first != trend.last else [(trend.first, "middle")]
    for day, anchor in ends:
        parts.append(
            f'<text x="{x(day):.1f}" y="{size.height - size.font * 0.3:g}" text-anchor="{anchor}" fill="{INK}" {font}>'
            f"{escape(date_words(day))}</text>"
        )
    parts.append("</g>")
    # Each cut-off: its line across the plot, its value on the axis, and a key above the plot with its source (a
    # label on the line itself would sit under the points).
    for row, (threshold, dash) in enumerate(zip(reversed(cutoffs), reversed(DASHES[: len(cutoffs)]), strict=True)):
        y = size.y(threshold.at_least, top)
        key_y = size.font * 1.1 + row * LEGEND_ROW
        parts.append(
            f'<g class="cutoff"><line x1="{size.left}" x2="{size.width - size.right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{CUTOFF}" stroke-width="1.5" stroke-dasharray="{dash}"/>'
            f'<text x="{size.left - 4}" y="{y + size.font / 3:.1f}" text-anchor="end" fill="{INK}" {font}>'
            f"{threshold.at_least}</text>"
            f'<line x1="{size.left}" x2="{size.left + 28}" y1="{key_y - size.font / 3:.1f}" '
            f'y2="{key_y - size.font / 3:.1f}" stroke="{CUTOFF}" stroke-width="1.5" stroke-dasharray="{dash}"/>'
            f'<text x="{size.left + 34}" y="{key_y:.1f}" fill="{INK}" {font}>'
            f"At least {escape(threshold.label)}</text></g>"
        )
    points = [(x(s.day), size.y(s.score, top), s) for s in trend.scores]
    if len(points) > 1:
        line = " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in points)
        parts.append(f'<polyline class="score-line" points="{line}" fill="none" stroke="{SCORE}" stroke-width="2"/>')
    for px, py, s in points:
        parts.append(
            f'<circle class="score-point" cx="{px:.1f}" cy="{py:.1f}" r="4.5" fill="{SCORE}">'
            f"<title>{escape(date_words(s.day))}: {escape(s.said)}</title></circle>"
        )
    return mark_safe("".join(parts) + "</svg>")  # noqa: S308 - numbers and escaped labels only


def caption(trend: Trend) -> str:
    """What the chart shows, in words: how many answers, the change, where the latest stands, and the scope."""
    i = trend.instrument
    latest = trend.latest
    if latest is None:
        if trend.before is None:
            return "No answers in this period."
        # "before it": an answer after a past period may be the latest.
        before = trend.before
        return f"No answers in this period. The latest before it was {before.said} on {date_words(before.day)}."
    count = len(trend.scores)
    said = f"{count} answer{'' if count == 1 else 's'} in this period"
    if trend.change is not None and trend.earliest is not None:
        said += (
            f", {change_words(trend.change)} from the first ({trend.earliest.said} on {date_words(trend.earliest.day)})"
        )
    return (
        f"{said}. The latest, {latest.said} on {date_words(latest.day)}, is {standing(i, latest.score)}. The "
        f"horizontal lines mark the cut-offs. The {i.short_title} is {i.scope}."
    )


def score_table(scores: list[Score]) -> SafeString:
    rows, links, before = [], [], None
    for score in scores:
        change = change_words(score.score - before.score) if before else "–"
        rows.append((date_words(score.day), score.said, change))
        links.append(reverse("questionnaire-result", args=[score.id]))
        before = score
    return data_table(["Date", "Score", "Change"], rows, links=links)
