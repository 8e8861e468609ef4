"""Vector charts for the printed report: small SVG documents built from the trend numbers."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from diary import bodymap, trends, vocab

# Colours and sizes are SVG presentation attributes: WeasyPrint does not apply the page's CSS to SVG.
WIDTH, HEIGHT = 520, 170
LEFT, RIGHT, TOP, BOTTOM = 30, 8, 14, 24
INK, GRID, BAR, LINE = "#444444", "#dddddd", "#1f5f8b", "#c4561a"
HEAT = ["#eef1f4", "#f6d7bd", "#f0b27f", "#e8843e", "#c4561a"]
FONT = 'font-family="DejaVu Sans, sans-serif" font-size="9"'


def _frame(body: list[str], y_max: float, y_label: str, labels: Sequence[str], title: str) -> SafeString:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="chart-svg" role="img" '
        f'aria-label="{escape(title)}">'
    ]
    for step in range(5):
        value = y_max * step / 4
        y = TOP + plot_h - plot_h * step / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{LEFT - 4}" y="{y + 3:.1f}" text-anchor="end" fill="{INK}" {FONT}>{value:g}</text>')
    every = max(1, -(-len(labels) // 7))
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    for i, label in enumerate(labels):
        if i % every == 0:
            x = LEFT + slot * (i + 0.5)
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - 8}" text-anchor="middle" fill="{INK}" {FONT}>{escape(label)}</text>'
            )
    parts.append(f'<text x="{LEFT}" y="9" fill="{INK}" {FONT}>{escape(y_label)}</text>')
    return mark_safe("".join(parts + body + ["</svg>"]))  # noqa: S308 - numbers and escaped labels only


def bar_chart(values: Sequence[float | None], labels: Sequence[str], y_label: str, title: str) -> SafeString:
    y_max = max([v for v in values if v is not None] + [1])
    y_max = y_max if y_max <= 4 else 4 * -(-y_max // 4)  # round up to a multiple of 4 for even ticks
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(values))
    bars = []
    for i, value in enumerate(values):
        if not value:
            continue
        h = plot_h * value / y_max
        bars.append(
            f'<rect x="{LEFT + slot * i + slot * 0.15:.1f}" y="{TOP + plot_h - h:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{h:.1f}" fill="{BAR}"/>'
        )
    return _frame(bars, y_max, y_label, labels, title)


def line_chart(
    values: Sequence[float | None], labels: Sequence[str], y_max: float, y_label: str, title: str
) -> SafeString:
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(values))
    points = [
        (LEFT + slot * (i + 0.5), TOP + plot_h - plot_h * v / y_max) for i, v in enumerate(values) if v is not None
    ]
    body = []
    if len(points) > 1:
        coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(f'<polyline points="{coordinates}" fill="none" stroke="{LINE}" stroke-width="1.5"/>')
    body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{LINE}"/>' for x, y in points]
    return _frame(body, y_max, y_label, labels, title)


def body_maps(shaded_views: list[tuple[bodymap.View, list[bodymap.ShadedShape]]]) -> list[SafeString]:
    """The leg diagram, front and back, each region filled by how often it was involved."""
    maps = []
    for view, shapes in shaded_views:
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 152 404" class="map-svg" role="img" '
            f'aria-label="{escape(view.title)} of both legs">',
            f'<text x="76" y="9" text-anchor="middle" fill="{INK}" {FONT}>{escape(view.title)}</text>',
        ]
        for item in shapes:
            s = item.shape
            parts.append(
                f'<rect x="{s.x}" y="{s.y}" width="{s.width}" height="{s.height}" rx="6" fill="{HEAT[item.heat]}" '
                f'stroke="#9aa8b4" stroke-width="0.8"><title>{escape(s.label)}: {item.count}</title></rect>'
            )
        for x, text in view.side_labels:
            parts.append(f'<text x="{x}" y="400" text-anchor="middle" fill="{INK}" {FONT}>{escape(text)}</text>')
        maps.append(mark_safe("".join(parts + ["</svg>"])))  # noqa: S308 - numbers and escaped labels only
    return maps


def report_charts(weeks: Sequence[trends.Week]) -> dict[str, SafeString]:
    labels = [f"{w.start:%d %b}" for w in weeks]
    return {
        "frequency": bar_chart([w.episodes for w in weeks], labels, "episodes / week", "Episodes per week"),
        "severity": line_chart(
            [w.mean_severity for w in weeks],
            labels,
            vocab.SEVERITY_MAX,
            "mean severity",
            f"Mean severity per week ({vocab.SEVERITY_RANGE_LABEL})",
        ),
        "duration": bar_chart([w.median_minutes for w in weeks], labels, "median minutes", "Median duration per week"),
    }


# --- Page-1 and time-of-day charts of the physician report ---------------------------------------------
# Drawn at a size whose text is 12 units high, so that the same SVG is legible on a 390 px phone (where
# it is shown at least 1:1) and in print (where 260 units take about 70 mm). Added by the report work;
# diary/charts.py is to become the one renderer, and these can move there.

CANVAS_W, CANVAS_H = 260, 112
PAD_L, PAD_R, PAD_T, PAD_B = 28, 6, 10, 20
TEXT = 'font-family="DejaVu Sans, sans-serif" font-size="12"'
MAP_TEXT = 'font-family="DejaVu Sans, sans-serif" font-size="16"'
NIGHT_BAR, DOT = "#173f5f", "#7fa3c2"


def _nice_max(value: float) -> float:
    """An axis top of at least 4 that divides evenly into four ticks."""
    return 4.0 if value <= 4 else float(4 * -(-int(value) // 4))


def _canvas(title: str, y_label: str, y_max: float, labels: list[tuple[int, str]], slots: int) -> list[str]:
    plot_h = CANVAS_H - PAD_T - PAD_B
    slot = (CANVAS_W - PAD_L - PAD_R) / max(1, slots)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CANVAS_W} {CANVAS_H}" class="chart-svg" '
        f'role="img" aria-label="{escape(title)} ({escape(y_label)})">',
    ]
    for step in (0, 2, 4):
        y = PAD_T + plot_h - plot_h * step / 4
        parts.append(f'<line x1="{PAD_L}" x2="{CANVAS_W - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(
            f'<text x="{PAD_L - 4}" y="{y + 4:.1f}" text-anchor="end" fill="{INK}" {TEXT}>{y_max * step / 4:g}</text>'
        )
    for index, label in labels:
        x = PAD_L + slot * (index + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{CANVAS_H - 5}" text-anchor="middle" fill="{INK}" {TEXT}>{escape(label)}</text>'
        )
    return parts


def _week_labels(weeks: Sequence[Any], first: dt.date | None) -> list[str]:
    """Each week by its first day inside the period, so that no label predates the period (or the diary)."""
    return [f"{max(week.start, first or week.start):%d %b}" for week in weeks]


def _spaced(labels: list[str], room: int) -> list[tuple[int, str]]:
    """Every n-th label so that at most `room` of them are drawn."""
    every = max(1, -(-len(labels) // room))
    return [(i, label) for i, label in enumerate(labels) if i % every == 0]


def weekly_frequency(weeks: Sequence[Any], first: dt.date | None = None) -> SafeString:
    """Episodes per week, one bar per week of the period."""
    values = [w.episodes for w in weeks]
    y_max = _nice_max(max(values, default=0))
    plot_h = CANVAS_H - PAD_T - PAD_B
    slot = (CANVAS_W - PAD_L - PAD_R) / max(1, len(values))
    parts = _canvas("Episodes per week", "episodes a week", y_max, _spaced(_week_labels(weeks, first), 4),
                    len(values))  # fmt: skip
    for i, value in enumerate(values):
        if value:
            h = plot_h * value / y_max
            parts.append(
                f'<rect x="{PAD_L + slot * (i + 0.15):.1f}" y="{PAD_T + plot_h - h:.1f}" width="{slot * 0.7:.1f}" '
                f'height="{h:.1f}" fill="{BAR}"><title>week of {w_label(weeks[i])}: {value}</title></rect>'
            )
    return mark_safe("".join(parts + ["</svg>"]))  # noqa: S308 - numbers and escaped labels only


def w_label(week: Any) -> str:
    return f"{week.start:%d %b %Y}"


def weekly_severity(
    weeks: Sequence[Any], severities: Sequence[tuple[Any, int]], first: dt.date | None = None
) -> SafeString:
    """Every episode's severity as a dot in its week (bigger where several coincide), and the weekly mean."""
    plot_h = CANVAS_H - PAD_T - PAD_B
    slot = (CANVAS_W - PAD_L - PAD_R) / max(1, len(weeks))
    index = {w.start: i for i, w in enumerate(weeks)}
    dots: Counter[tuple[int, int]] = Counter()
    for start, severity in severities:
        monday = start.date() - dt.timedelta(days=start.weekday())
        if monday in index:
            dots[(index[monday], severity)] += 1
    parts = _canvas("Severity per episode and weekly mean (0–10)", "severity 0–10", 10,
                    _spaced(_week_labels(weeks, first), 4), len(weeks))  # fmt: skip
    for (i, severity), count in sorted(dots.items()):
        r = min(slot * 0.45, 2.5 + math.sqrt(count))
        y = PAD_T + plot_h - plot_h * severity / 10
        parts.append(f'<circle cx="{PAD_L + slot * (i + 0.5):.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{DOT}"/>')
    points = [
        (PAD_L + slot * (i + 0.5), PAD_T + plot_h - plot_h * w.mean_severity / 10)
        for i, w in enumerate(weeks)
        if w.mean_severity is not None
    ]
    if len(points) > 1:
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{LINE}"/>' for x, y in points]
    return mark_safe("".join(parts + ["</svg>"]))  # noqa: S308 - numbers and escaped labels only


def hours_chart(hours: Sequence[int], night: Callable[[int], bool]) -> SafeString:
    """Episodes by starting hour, 00 to 23 local time; night hours drawn darker."""
    y_max = _nice_max(max(hours, default=0))
    plot_h = CANVAS_H - PAD_T - PAD_B
    slot = (CANVAS_W - PAD_L - PAD_R) / 24
    labels = [(h, f"{h:02d}") for h in range(0, 24, 3)]
    parts = _canvas("Episodes by starting hour (24-hour clock)", "episodes", y_max, labels, 24)
    for hour, count in enumerate(hours):
        if count:
            h = plot_h * count / y_max
            parts.append(
                f'<rect x="{PAD_L + slot * (hour + 0.1):.1f}" y="{PAD_T + plot_h - h:.1f}" width="{slot * 0.8:.1f}" '
                f'height="{h:.1f}" fill="{NIGHT_BAR if night(hour) else BAR}">'
                f"<title>{hour:02d}:00–{hour:02d}:59: {count}</title></rect>"
            )
    return mark_safe("".join(parts + ["</svg>"]))  # noqa: S308 - numbers and escaped labels only


def labelled_maps(shaded_views: Sequence[Any]) -> list[SafeString]:
    """The leg diagram, front and back, each region shaded by how often it was involved and showing that count."""
    maps = []
    for view, shapes in shaded_views:
        width = max((item.shape.x + item.shape.width for item in shapes), default=140) + 12
        height = max((item.shape.y + item.shape.height for item in shapes), default=380) + 36
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="map-svg" role="img" '
            f'aria-label="{escape(view.title)} of both legs, with the number of episodes in each place">',
            f'<text x="{width / 2:.0f}" y="14" text-anchor="middle" fill="{INK}" {MAP_TEXT}>'
            f"{escape(view.title)}</text>",
            '<g transform="translate(0 10)">',
        ]
        for item in shapes:
            s = item.shape
            parts.append(
                f'<rect x="{s.x}" y="{s.y}" width="{s.width}" height="{s.height}" rx="6" fill="{HEAT[item.heat]}" '
                f'stroke="#9aa8b4" stroke-width="0.8"><title>{escape(s.label)}: {item.count}</title></rect>'
            )
            if item.count:
                ink = "#ffffff" if item.heat >= 3 else "#111111"
                parts.append(
                    f'<text x="{s.x + s.width / 2:.1f}" y="{s.y + s.height / 2 + 6:.1f}" text-anchor="middle" '
                    f'fill="{ink}" {MAP_TEXT}>{item.count}</text>'
                )
        parts.append("</g>")
        for x, text in view.side_labels:
            parts.append(
                f'<text x="{x}" y="{height - 4}" text-anchor="middle" fill="{INK}" {MAP_TEXT}>{escape(text)}</text>'
            )
        maps.append(mark_safe("".join(parts + ["</svg>"])))  # noqa: S308 - numbers and escaped labels only
    return maps
