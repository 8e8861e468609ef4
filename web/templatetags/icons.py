"""{% icon "house" %}: an icon of the vendored Lucide set, inlined as SVG (no request, no glyph, CSP-safe)."""

from __future__ import annotations

import re
from functools import cache

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

ICON_SET = "lucide-static-1.62.0"
ICON_DIR = settings.BASE_DIR / "static" / "vendor" / ICON_SET / "icons"
_NAME = re.compile(r"^[a-z0-9-]+$")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


@cache
def _svg(name: str) -> str:
    if not _NAME.match(name) or not (ICON_DIR / f"{name}.svg").is_file():
        raise ValueError(f"No icon {name!r} in {ICON_SET}: copy it from the lucide-static package first.")
    svg = _COMMENT.sub("", (ICON_DIR / f"{name}.svg").read_text(encoding="utf-8"))
    svg = re.sub(r"\s+", " ", svg).strip().replace("> <", "><")
    svg = svg.replace("{", "{{").replace("}", "}}")
    # The set's own class names are replaced: ours says what it is, and the icon is hidden from screen readers.
    return re.sub(r'class="[^"]*"', 'class="{}" aria-hidden="true" focusable="false"', svg, count=1)


@register.simple_tag
def icon(name: str, css: str = "") -> SafeString:
    """Decorative icon: the text beside it says what it means, so it is hidden from assistive technology."""
    classes = f"icon icon-{name}" + (f" {css}" if css else "")
    return format_html(_svg(name), classes)
