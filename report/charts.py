"""Vector charts for the printed report: small SVG documents built from the trend numbers."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

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
