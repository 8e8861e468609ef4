"""The 0-10 severity colours: one scale in Python and in the stylesheet, readable in light and dark."""

import re
from pathlib import Path

import pytest

from diary import severity

CSS = (Path(__file__).resolve().parents[2] / "static" / "css" / "app.css").read_text()


def declared(block: str) -> dict[int, tuple[str, str]]:
    fills = {int(n): c for n, c in re.findall(r"--sev-(\d+): (#[0-9a-f]{6});", block)}
    texts = {int(n): c for n, c in re.findall(r"--sev-(\d+)-fg: (#[0-9a-f]{6});", block)}
    return {n: (fills[n], texts[n]) for n in fills}


def test_the_stylesheet_declares_the_same_scale_as_python():
    light, dark = CSS.split("@media (prefers-color-scheme: dark)", 1)
    dark = dark.split("\n}\n", 1)[0]
    assert declared(light) == {n: (s.fill, s.text) for n, s in enumerate(severity.LIGHT)}
    assert declared(dark) == {n: (s.fill, s.text) for n, s in enumerate(severity.DARK)}


@pytest.mark.parametrize("scale", [severity.LIGHT, severity.DARK], ids=["light", "dark"])
def test_every_number_is_readable_on_its_colour(scale):
    assert len(scale) == 11
    for step in scale:
        assert severity.contrast(step.fill, step.text) >= 4.5, step


def test_worse_stands_out_more():
    light = [severity.relative_luminance(s.fill) for s in severity.LIGHT]
    dark = [severity.relative_luminance(s.fill) for s in severity.DARK]
    assert light == sorted(light, reverse=True)  # darker and darker on a white page
    assert dark == sorted(dark)  # brighter and brighter on a dark page


def test_contrast_and_clamping():
    assert severity.contrast("#000000", "#ffffff") == pytest.approx(21)
    assert severity.contrast("#777777", "#777777") == 1
    assert severity.step(14) == severity.LIGHT[10] and severity.step(-2, dark=True) == severity.DARK[0]
    assert [severity.word(n) for n in (0, 2, 4, 6, 9, 10)] == [
        "none",
        "barely",
        "mild",
        "moderate",
        "severe",
        "worst imaginable",
    ]


def test_severity_chips_and_badges_carry_their_step(web):
    page = web.get("/log/").content.decode()
    for n in range(11):
        assert f'class="chip sev-{n}"' in page
