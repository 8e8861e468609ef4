"""The diary's pages leave slots that triage fills (diary/hooks.py); the diary's templates name nothing of it."""

import ast
import copy
import re

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


def test_without_triage_the_pages_still_render_with_empty_slots(web, settings, monkeypatch):
    from diary import hooks

    templates = copy.deepcopy(django_settings.TEMPLATES)
    options = templates[0]["OPTIONS"]
    assert isinstance(options, dict)
    options["context_processors"].remove("triage.context_processors.flag_banner")
    settings.TEMPLATES = templates
    monkeypatch.setattr(hooks, "SLOTS", {})
    for path in ("/", "/trends/"):
        response = web.get(path)
        assert response.status_code == 200 and "Warning signs" not in response.content.decode(), path


def test_the_diarys_code_imports_nothing_of_triage():
    """Triage reaches the diary through diary/hooks.py (signals, slots); the diary never imports it."""
    for path in sorted((REPO / "diary").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n == "triage" or n.startswith("triage.") for n in names), path
        assert not re.search(r"""reverse\(\s*["'](episode-alert|flags)["']""", path.read_text()), path


def test_the_trends_page_marks_what_triage_hands_it(web, patient):
    from diary import hooks, services
    from triage.models import Flag

    first_seen = services.clock_of(patient).today()
    Flag.objects.create(
        patient=patient, code="urgent.weakness", level="urgent", first_seen=first_seen, last_seen=first_seen
    )
    marks = hooks.marks_for(patient, first_seen, first_seen)
    assert [(m["date"], m["level"], m["url"]) for m in marks] == [(first_seen, "urgent", "/flags/")]
    page = web.get("/trends/").content.decode()
    assert f'data-flag-date="{first_seen:%Y-%m-%d}"' in page and 'class="flag-mark"' in page
