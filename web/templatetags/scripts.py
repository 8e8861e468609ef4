"""{% scripts "util" "queue" %}: one deferred script tag loading js/util.js then js/queue.js, joined into one file
(web/scripts.py); {% page_scripts "logform" slots="log log_form" %}: the same, after the scripts every page runs
and before those of the parts apps put in the page's slots, blocking the first frame as the head's scripts do."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from web import scripts as bundles
from web.scripts import path_of

register = template.Library()


@register.simple_tag
def scripts(*names: str, **attributes: str) -> SafeString:
    """Deferred classic scripts, run in document order; `blocking="render"` and the like go on the tag."""
    extra = format_html_join("", ' {}="{}"', sorted(attributes.items()))
    return format_html('<script src="{}" defer{}></script>', static(path_of(names)), extra)


@register.simple_tag
def page_scripts(*names: str, slots: str = "") -> SafeString:
    """The page's scripts, in the head: run once the page is parsed and before its first frame is drawn, so that
    what they change is in the first layout (templates/base.html)."""
    return scripts(*bundles.page(names, slots), blocking="render")
