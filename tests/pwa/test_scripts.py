"""The site's JavaScript: one dialect (ES2017, so no `var`), the service worker registered in one place,
and classic deferred scripts that each come after the scripts whose globals they use (util.js first)."""

import re
from pathlib import Path

import pytest

from pwa import shell

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


def test_every_script_tag_loads_a_file_as_a_deferred_classic_script():
    # Deferred classic scripts run in document order; an inline one would break the CSP.
    tags = [(path.name, tag) for path in TEMPLATES for tag in re.findall(r"<script\b[^>]*>", path.read_text())]
    odd = [(name, t) for name, t in tags if "src=" not in t or " defer" not in t or re.search("type=|async", t)]
    assert tags and odd == []


@pytest.mark.parametrize(
    "path", ["/", "/log/", "/settings/", "/today/no-numbness/", "/questionnaires/mnsi-history/", "/accounts/login/"]
)
def test_each_script_comes_after_the_scripts_whose_globals_it_uses(client, patient, path):
    if path != "/accounts/login/":
        client.force_login(patient)
    loaded: list[str] = []
    for tag in re.findall(r"<script\b[^>]*>", client.get(path).content.decode()):
        src = re.search(r'src="/static/js/([\w-]+\.js)"', tag)
        assert src, tag
        name = src.group(1)
        text = (JS / name).read_text()
        published = {g for earlier in loaded for g in PUBLISHES.findall((JS / earlier).read_text())}
        assert set(USES.findall(text)) - set(PUBLISHES.findall(text)) <= published, name
        loaded.append(name)
    assert loaded[0] == "util.js"
