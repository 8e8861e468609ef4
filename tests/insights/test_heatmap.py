"""The leg map shaded by how often each place was involved: counts, shades, labels, and SVG a PDF can draw."""

import re
from pathlib import Path

import pytest

from insights import heatmap
from tests.contrast import contrast


def test_heat_map_takes_counts_per_side_and_region_and_shows_labels_and_counts():
    counts = {"left:toes": 8, "right:calf": 2}
    assert heatmap.region_rows(counts) == [("Left toes", 8), ("Right calf", 2)]
    views = heatmap.shaded_views(counts)
    shaded = {item.shape.key: item for _, shapes in views for item in shapes}
    assert (shaded["left:toes"].heat, shaded["right:calf"].heat, shaded["left:knee"].heat) == (4, 1, 0)

    svg = heatmap.heat_svg(counts)
    assert svg.count("<svg") == 3
    assert re.search(r'data-location="left:toes".*?fill="#bd5217".*?Toes<tspan[^>]*> 8</tspan>', svg, re.S)
    assert re.search(r'data-location="right:calf".*?>Calf<tspan[^>]*> 2</tspan>', svg, re.S)
    assert "Left toes: 8" in svg  # the full name, for screen readers and hovering


def test_report_body_maps_are_standalone_svg_with_colours_as_attributes():
    maps = heatmap.heat_view_svgs(heatmap.shaded_views({"right:heel": 3}))
    assert len(maps) == 3
    assert all(m.lstrip().startswith('<svg xmlns="http://www.w3.org/2000/svg"') for m in maps)
    assert all("style=" not in m and "class=" in m for m in maps)
    assert 'data-location="right:heel"' in maps[2] and "Heel<tspan" in maps[2]


CSS = (Path(__file__).resolve().parents[2] / "static" / "css" / "app.css").read_text()
LIGHT_CSS, DARK_CSS = CSS.split("@media (prefers-color-scheme: dark)", 1)
DARK_CSS = DARK_CSS.split("\n}\n", 1)[0]


def declared(block: str, name: str) -> dict[int, str]:
    return {int(n): colour for n, colour in re.findall(rf"--{name}-(\d): (#[0-9a-f]{{6}});", block)}


def shades(block: str) -> list[tuple[str, str]]:
    """(fill, label ink) of shades 0 (the plain region) to 4, as a block of the stylesheet declares them."""
    fills = {0: re.findall(r"--region: (#[0-9a-f]{6});", block)[0]} | declared(block, "heat")
    inks = declared(block, "heat-ink")
    return [(fills[n], inks[n]) for n in range(5)]


@pytest.mark.parametrize("block", [LIGHT_CSS, DARK_CSS], ids=["light", "dark"])
def test_every_label_is_readable_on_its_shade(block):
    for fill, ink in shades(block):
        assert contrast(fill, ink) >= 4.5, (fill, ink)


def test_the_pdfs_colours_are_readable_and_the_light_shades_of_the_page():
    for fill, ink in zip(heatmap.HEAT_FILLS, heatmap.HEAT_INK, strict=True):
        assert contrast(fill, ink) >= 4.5, (fill, ink)
    assert heatmap.HEAT_FILLS[1:] == [declared(LIGHT_CSS, "heat")[n] for n in heatmap.SHADES]


@pytest.mark.parametrize("block", [LIGHT_CSS, DARK_CSS], ids=["light", "dark"])
def test_more_episodes_stand_out_more_in_both_modes(block):
    """The legend says "the stronger the colour, the more episodes": further from the page, shade by shade."""
    page = re.findall(r"--bg: (#[0-9a-f]{6});", block)[0]
    distance = [contrast(fill, page) for fill, _ in shades(block)]
    assert distance == sorted(distance), distance


def test_the_legend_gives_each_shade_its_counts():
    steps = heatmap.heat_legend({"left:toes": 12, "left:sole": 1, "right:calf": 7})
    assert [(s.heat, s.words) for s in steps] == [
        (1, "1–3 episodes"),
        (2, "4–6 episodes"),
        (3, "7–9 episodes"),
        (4, "10–12 episodes"),
    ]
    # Few episodes: only the shades that occur, in words that read right for one.
    assert [(s.heat, s.words) for s in heatmap.heat_legend({"left:toes": 2, "left:sole": 1})] == [
        (2, "1 episode"),
        (4, "2 episodes"),
    ]
    assert heatmap.heat_legend({}) == []


def test_a_count_too_wide_for_its_shape_goes_under_the_label():
    """The saddle's two halves are 47 units wide: "Saddle 3" (8 characters, about 52 units) would run into the other
    half, so its count goes on a line of its own; "Sole 28" fits its sole and stays beside it."""
    svg = str(heatmap.heat_svg({"left:saddle": 3, "right:saddle": 3, "left:sole": 28, "left:ankle": 3}))

    def label(key: str) -> str:
        found = re.search(rf'data-location="{key}">.*?<text[^>]*>(.*?)</text>', svg)
        assert found, key
        return found[1]

    for key in ("left:saddle", "right:saddle"):
        assert re.fullmatch(r'Saddle<tspan class="count" font-weight="bold" x="[\d.]+" dy="12">3</tspan>', label(key))
    assert label("left:sole") == 'Sole<tspan class="count" font-weight="bold"> 28</tspan>'
    assert label("left:ankle") == 'Ankle<tspan class="count" font-weight="bold"> 3</tspan>'  # 7 characters fit 48
    assert label("right:sole") == "Sole"  # no count, nothing under it
