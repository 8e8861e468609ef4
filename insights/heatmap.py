"""The leg map shaded by how often each place was involved, for Trends, the physician report and its shared page.

It draws the log form's geometry (`diary/bodymap.py`) with each region's count and a shade from 0 (never) to
4 (most often); colours are SVG attributes, so the PDF renderer, which ignores the page's CSS, draws it too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from diary import bodymap, vocab

# For SVG without the page's CSS (the PDF): the light shades of the stylesheet's --heat-N and --heat-ink-N, each
# label at least 4.5:1 on its shade (tests/insights/test_heatmap.py).
HEAT_FILLS = ["#eef1f4", "#f6d7bd", "#f0b27f", "#e8843e", "#bd5217"]
HEAT_INK = ["#1b1f23", "#1b1f23", "#1b1f23", "#1b1f23", "#ffffff"]
SHADES = range(1, 5)
CHARACTER_WIDTH = 6.5  # units, a character of the labels' 11-unit DejaVu Sans, on average (digits are 7)


@dataclass(frozen=True)
class ShadedShape:
    shape: bodymap.Shape
    count: int
    heat: int  # 0 (never) … 4 (most often)

    @property
    def fill(self) -> str:
        return HEAT_FILLS[self.heat]

    @property
    def ink(self) -> str:
        return HEAT_INK[self.heat]

    @property
    def count_below(self) -> bool:
        """The count on a line of its own, under the label, where "Saddle 12" is wider than its shape (a narrow shape
        beside another: the two halves of the saddle ran into each other as "Saddle 1Saddle 1"). The label's text is
        11 units of DejaVu Sans, about 6.5 units a character; the outer thigh's runs up its long strip."""
        words = len(self.shape.short) + 1 + len(str(self.count))
        return bool(self.count) and not self.shape.vertical and words * CHARACTER_WIDTH > self.shape.box[2]


def heat_level(count: int, most: int) -> int:
    return 0 if count == 0 or most == 0 else max(1, -(-4 * count // most))


@dataclass(frozen=True)
class LegendStep:
    heat: int  # the shade, 1 … 4
    low: int  # the fewest and most episodes that give this shade
    high: int

    @property
    def words(self) -> str:
        span = str(self.low) if self.low == self.high else f"{self.low}–{self.high}"
        return f"{span} episode{'' if self.high == 1 else 's'}"


def heat_legend(counts: Mapping[str, int]) -> list[LegendStep]:
    """What each shade of this map stands for, lightest first: only the shades its counts can give."""
    most = max(counts.values(), default=0)
    steps = []
    for heat in SHADES:
        given = [n for n in range(1, most + 1) if heat_level(n, most) == heat]
        if given:
            steps.append(LegendStep(heat, given[0], given[-1]))
    return steps


def shaded_views(counts: Mapping[str, int]) -> list[tuple[bodymap.View, list[ShadedShape]]]:
    """Every view with each region shaded by how many episodes involved it (counts keyed "side:region")."""
    return _shade(_heat_views(), counts)


@cache
def _heat_views() -> tuple[bodymap.View, ...]:
    """The heat map's views: both legs as on the log form, the feet panels side by side."""
    front, back, _ = bodymap.views()
    return (front, back, bodymap.feet_view(side_by_side=True))


def report_views(counts: Mapping[str, int]) -> list[tuple[bodymap.View, list[ShadedShape]]]:
    """The physician report's four views, each seen from the direction its title says: the front and the tops of
    the feet facing the patient (their right on the viewer's left), the back and the soles from behind (their
    left on the left)."""
    front, back, _ = bodymap.views()
    return _shade((front, bodymap.foot_panel("tops"), back, bodymap.foot_panel("soles")), counts)


def _shade(views: Sequence[bodymap.View], counts: Mapping[str, int]) -> list[tuple[bodymap.View, list[ShadedShape]]]:
    most = max(counts.values(), default=0)
    return [
        (view, [ShadedShape(s, counts.get(s.key, 0), heat_level(counts.get(s.key, 0), most)) for s in view.shapes])
        for view in views
    ]


def heat_svg(counts: Mapping[str, int]) -> SafeString:
    """The heat map as standalone SVG markup (fills as attributes, so a PDF renderer needs no CSS)."""
    return SafeString(render_to_string("insights/_bodymap_heat.html", {"shaded": shaded_views(counts)}))


def heat_view_svgs(shaded: Sequence[tuple[bodymap.View, Sequence[ShadedShape]]]) -> list[SafeString]:
    """Each view of `shaded_views` as its own standalone SVG (`map-svg map-<view>`), for the report to lay out."""
    return [
        SafeString(
            render_to_string(
                "insights/_bodymap_heat_view.html",
                {"view": view, "shapes": shapes, "svg_class": f"map-svg map-{view.name}"},
            )
        )
        for view, shapes in shaded
    ]


def region_rows(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """('Left calf', 12) rows, most often first, for the diagram's data table."""
    rows = []
    for key, n in counts.items():
        try:
            place = vocab.Place.parse(key)
        except ValueError:
            continue
        if n:
            rows.append((place.label, n))
    return sorted(rows, key=lambda row: (-row[1], row[0]))
