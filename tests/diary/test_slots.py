"""The diary's pages leave slots that triage fills (diary/hooks.py); the diary's templates name nothing of it."""

import copy

from django.conf import settings as django_settings

from tests.conftest import REPO


def test_diary_templates_name_nothing_of_triage():
    for path in sorted((REPO / "templates" / "diary").glob("*.html")):
        text = path.read_text(encoding="utf-8")
        assert "triage" not in text and "flag" not in text, path.name


def test_pages_fill_their_slots_from_triage(web):
    today, trends = web.get("/").content.decode(), web.get("/trends/").content.decode()
    assert 'class="flags-slot"' in today and "Warning signs</a>: nothing open." in today
    assert "flag-marks" not in trends  # no open flag in the period: the slot stays empty


def test_without_triage_the_pages_still_render_with_empty_slots(web, settings):
    templates = copy.deepcopy(django_settings.TEMPLATES)
    processors = templates[0]["OPTIONS"]["context_processors"]
    processors.remove("triage.context_processors.diary_slots")
    settings.TEMPLATES = templates
    for path in ("/", "/trends/"):
        response = web.get(path)
        assert response.status_code == 200 and "Warning signs" not in response.content.decode(), path
