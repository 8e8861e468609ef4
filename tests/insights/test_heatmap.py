"""The leg map shaded by how often each place was involved: counts, shades, labels, and SVG a PDF can draw."""

import re

from insights import heatmap


def test_heat_map_takes_counts_per_side_and_region_and_shows_labels_and_counts():
    counts = {"left:toes": 8, "right:calf": 2}
    assert heatmap.region_rows(counts) == [("Left toes", 8), ("Right calf", 2)]
    views = heatmap.shaded_views(counts)
    shaded = {item.shape.key: item for _, shapes in views for item in shapes}
    assert (shaded["left:toes"].heat, shaded["right:calf"].heat, shaded["left:knee"].heat) == (4, 1, 0)

    svg = heatmap.heat_svg(counts)
    assert svg.count("<svg") == 3
    assert re.search(r'data-location="left:toes".*?fill="#c4561a".*?Toes<tspan[^>]*> 8</tspan>', svg, re.S)
    assert re.search(r'data-location="right:calf".*?>Calf<tspan[^>]*> 2</tspan>', svg, re.S)
    assert "Left toes: 8" in svg  # the full name, for screen readers and hovering


def test_report_body_maps_are_standalone_svg_with_colours_as_attributes():
    maps = heatmap.heat_view_svgs(heatmap.shaded_views({"right:heel": 3}))
    assert len(maps) == 3
    assert all(m.lstrip().startswith('<svg xmlns="http://www.w3.org/2000/svg"') for m in maps)
    assert all("style=" not in m and "class=" in m for m in maps)
    assert 'data-location="right:heel"' in maps[2] and "Heel<tspan" in maps[2]
