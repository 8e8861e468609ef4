"""The vendored icon set: every icon a template asks for exists, and the tab bar uses icons, not glyphs."""

import re
from pathlib import Path

import pytest

from web.templatetags.icons import ICON_DIR, icon

ROOT = Path(__file__).resolve().parents[2]


def test_every_icon_named_in_a_template_is_vendored():
    templates = [p for p in ROOT.glob("**/templates/**/*.html") if ".venv" not in p.parts]
    names = {name for p in templates for name in re.findall(r'{%\s*icon\s+"([a-z0-9-]+)"', p.read_text())}
    assert {"house", "phone", "settings"} <= names
    assert not [n for n in names if not (ICON_DIR / f"{n}.svg").is_file()]
    assert (ICON_DIR.parent / "LICENSE").is_file()


def test_an_icon_is_inline_svg_hidden_from_screen_readers():
    svg = str(icon("phone", "big"))
    assert svg.startswith('<svg class="icon icon-phone big" aria-hidden="true" focusable="false"')
    assert "<!--" not in svg and "<path" in svg


def test_an_unknown_icon_is_an_error_not_an_empty_space():
    with pytest.raises(ValueError, match="No icon 'nope'"):
        icon("nope")
    with pytest.raises(ValueError):
        icon("../../../etc/passwd")


def test_the_tab_bar_has_icons_and_no_glyphs(web):
    page = web.get("/").content.decode()
    tabs = page[page.index('<nav class="tabs"') : page.index("</nav>")]
    assert tabs.count("<svg") == 6
    assert not re.search(r"[\u2190-\u2BFF]", tabs)
