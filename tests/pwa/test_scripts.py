"""The site's JavaScript: one dialect (ES2017, so no `var`), the service worker registered in one place,
and classic deferred scripts that each come after the scripts whose globals they use (util.js first)."""

import re
from pathlib import Path

import pytest

from pwa import shell
from tests.conftest import scripts_run_by

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "static" / "js"
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
SOURCES = [*sorted(JS.glob("*.js")), shell.worker_source()]

VAR = re.compile(r"(?<![\w$.])var\s+[\w$\[{]")
REGISTER = re.compile(r"serviceWorker\s*\.\s*register\s*\(")
# A script publishes what others use as window.DiaryX (queue.js as scope.DiaryQueue, for the worker too).
PUBLISHES = re.compile(r"\b(?:window|scope)\.(Diary\w+)\s*=(?!=)")
USES = re.compile(r"\bwindow\.(Diary\w+)\b(?!\s*=(?!=))")


def test_no_var_declarations():
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in SOURCES
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if VAR.search(line)
    ]
    assert found == []


def test_the_service_worker_is_registered_in_one_place():
    registering = [path.name for path in [*SOURCES, *TEMPLATES] for _ in REGISTER.finditer(path.read_text())]
    assert registering == ["pwa.js"]


def test_every_script_is_loaded_by_the_tag_as_a_deferred_classic_script(client, patient):
    # No template writes a <script> itself: each goes through {% scripts %} or {% page_scripts %} (web/scripts.py),
    # which the service worker's shell and collectstatic read to know what the pages load.
    assert [path.name for path in TEMPLATES if re.search(r"<script\b", path.read_text())] == []
    # Deferred classic scripts run in document order; an inline one would break the CSP.
    client.force_login(patient)
    pages = [client.get(path).content.decode() for path in ("/", "/log/", "/settings/")]
    tags = [tag for page in pages for tag in re.findall(r"<script\b[^>]*>", page)]
    # Log's warning signs come as a data block, which runs nothing (triage/offline.py).
    data = [t for t in tags if t == '<script id="instant-signs" type="application/json">']
    odd = [t for t in tags if t not in data and ("src=" not in t or " defer" not in t or re.search("type=|async", t))]
    assert len(tags) - len(data) == 7 and odd == []  # the head's and the body's on each, and Settings' push
    assert len(data) == 1


@pytest.mark.parametrize(
    "path", ["/", "/log/", "/settings/", "/today/no-numbness/", "/questionnaires/mnsi-history/", "/accounts/login/"]
)
def test_each_script_comes_after_the_scripts_whose_globals_it_uses(client, patient, path):
    if path != "/accounts/login/":
        client.force_login(patient)
    loaded: list[str] = []
    for name in scripts_run_by(client.get(path).content.decode()):
        text = (JS / f"{name}.js").read_text()
        published = {g for earlier in loaded for g in PUBLISHES.findall((JS / f"{earlier}.js").read_text())}
        assert set(USES.findall(text)) - set(PUBLISHES.findall(text)) <= published, name
        loaded.append(name)
    assert loaded[0] == "util"
