"""A page's scripts joined into one file (web/scripts.py): what a bundle holds, which bundles exist, that
collectstatic, the development server and the service worker's shell all have each one a page loads."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client

from pwa import shell
from tests.conftest import scripts_run_by
from web import scripts

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "static" / "js"
PAGES = [
    "/",
    "/log/",
    "/history/",
    "/trends/",
    "/report/",
    "/settings/",
    "/questionnaires/mnsi-history/",
    "/accounts/login/",
]


def bundles_on(page: str) -> list[str]:
    return re.findall(r'src="/static/(js/bundle/[\w-]+\.js)"', page)


def test_a_bundle_is_its_scripts_in_order_each_in_a_block_of_its_own():
    text = scripts.joined(["util", "queue", "pwa"])
    assert text is not None
    parts = text.decode().split("// js/")[1:]
    assert [part.split("\n", 1)[0] for part in parts] == ["util.js", "queue.js", "pwa.js"]
    for name, part in zip(["util", "queue", "pwa"], parts, strict=True):
        source = (JS / f"{name}.js").read_text().rstrip()
        # Whole and apart: each in its own block, whose error is reported and stops no other script
        # (tests/browser/test_rendering.py runs one).
        assert part == f"{name}.js\ntry {{\n{source}\n}} catch (error) {{ setTimeout(() => {{ throw error; }}); }}\n"


@pytest.mark.parametrize("path", sorted(JS.glob("*.js")), ids=lambda path: path.name)
def test_every_script_is_one_function_run_at_once_so_a_block_around_it_changes_no_scope(path):
    # A top-level `const` or `function` would be seen by the scripts after it as separate files, but not from inside
    # the bundle's block: the scripts share what they must through window (DiaryUtil, DiaryQueue, DiaryApp).
    lines = [line for line in path.read_text().splitlines() if line.strip() and not line.startswith("//")]
    assert re.fullmatch(r"\(\((scope)?\) => \{", lines[0]), lines[0]
    assert re.fullmatch(r"\}\)\((self)?\);", lines[-1]), lines[-1]
    # Nothing else at the top level: every line between is indented, inside the function.
    assert [line for line in lines[1:-1] if not line.startswith(" ")] == []


def test_one_script_is_loaded_as_it_is_and_several_as_one_bundle():
    assert scripts.path_of(["focus"]) == "js/focus.js"
    assert scripts.path_of(["util", "queue"]) == "js/bundle/util_queue.js"
    assert scripts.names_in("js/bundle/util_queue.js") == ["util", "queue"]


@pytest.mark.parametrize("name", ["../settings", "a/b", "Util", "util.js", "", "a_b"])
def test_a_name_that_is_not_a_script_of_js_is_refused(name):
    with pytest.raises(ValueError, match="is not a script of js/"):
        scripts.path_of(["util", name])


@pytest.mark.parametrize(
    "path", ["js/util.js", "js/bundle/util.js", "js/bundle/util_..%2Fx.js", "js/bundle/util_queue.css", "css/app.css"]
)
def test_a_path_that_is_not_a_bundle_is_not_found_by_the_bundle_finder(path):
    assert scripts.names_in(path) is None
    assert not scripts.BundleFinder().find(path)  # Django's finders.find then answers None (below)


def test_a_bundle_of_a_script_that_does_not_exist_is_not_found_and_nothing_is_written():
    finder = scripts.BundleFinder()
    assert not finder.find("js/bundle/util_no-such-script.js")
    assert finder.find("js/bundle/util_no-such-script.js", find_all=True) == []
    assert not (finder.root / "js" / "bundle" / "util_no-such-script.js").exists()


def test_every_bundle_a_template_names_joins_scripts_that_exist():
    used = scripts.used()
    assert ("util", "queue", "pwa", "localtime") in used  # every page's head
    assert (*scripts.PAGE_SCRIPTS, "bodymap", "logform", "focus", "instant") in used  # Log's body, with its slot's
    assert ("instant",) not in used  # triage's script for Log's slot is in Log's file, not one of its own
    for names in used:
        assert scripts.joined(names) is not None, names


@pytest.fixture
def new_finders():
    """Finders made again (Django keeps one of each): a setting changed in the test reaches them."""
    finders.get_finder.cache_clear()  # type: ignore[attr-defined]  # functools.cache, which the stubs leave out
    yield
    finders.get_finder.cache_clear()  # type: ignore[attr-defined]


def test_the_shell_keeps_the_scripts_the_pages_load_and_builds_them_without_writing(settings, tmp_path, new_finders):
    settings.SCRIPT_BUNDLE_ROOT = tmp_path  # the bundle finder's folder: a running server writes nothing there
    kept = {path for path in shell.shell_paths() if path.startswith("js/")}
    bundles = {path for path in kept if path.startswith("js/bundle/")}
    assert len(bundles) == 9 and "js/bundle/offline_undo_bodymap_logform_focus_instant.js" in bundles
    assert "js/bundle/offline_undo_share.js" in bundles  # the Report page's
    assert kept - bundles == {f"js/{path.name}" for path in JS.glob("*.js")}  # and each script, as before
    shell._compute()
    assert not any(tmp_path.iterdir())
    assert finders.find("js/bundle/util_queue.js") == str(tmp_path / "js" / "bundle" / "util_queue.js")  # it is read


@pytest.mark.parametrize("path", PAGES)
def test_every_bundle_a_page_loads_is_served_and_known_to_collectstatic_and_the_shell(client, patient, settings, path):
    settings.WHITENOISE_USE_FINDERS = settings.WHITENOISE_AUTOREFRESH = True  # as the development server serves
    development = Client()
    if not path.startswith("/accounts/"):
        client.force_login(patient)
    page = client.get(path).content.decode()
    known = {scripts.path_of(names) for names in scripts.used()}
    in_shell = set(shell.shell_paths())
    loaded = bundles_on(page)
    assert loaded and loaded[0] == "js/bundle/util_queue_pwa_localtime.js"
    for bundle in loaded:
        assert bundle in known and bundle in in_shell
        served = development.get(f"/static/{bundle}")  # WhiteNoise, from the finders
        assert served.status_code == 200
        assert served.getvalue() == scripts.joined(scripts.names_in(bundle) or [])


def test_the_scripts_log_runs_in_their_order_once_joined(client, patient):
    client.force_login(patient)
    assert scripts_run_by(client.get("/log/").content.decode()) == [
        *["util", "queue", "pwa", "localtime"],  # the head: every page
        *["offline", "undo", "bodymap", "logform", "focus"],  # then every page's, then Log's own
        "instant",  # then its slots': the offline warning screen, which triage adds to Log
    ]
    assert len(bundles_on(client.get("/log/").content.decode())) == 2


def test_a_pages_scripts_load_in_its_head_and_run_before_its_first_frame(client, patient):
    """Fetched while the page is parsed, and run before it is first drawn: what they change (the leg map's buttons,
    the Save bar) is in the first layout, not a second and third after it (docs/benchmarks.md, 7 Dec, night)."""
    client.force_login(patient)
    for path in ("/", "/log/", "/trends/", "/accounts/password/"):
        head = client.get(path).content.decode().split("</head>")[0]
        tags = re.findall(r"<script src=[^>]*>", head)
        assert len(tags) == 2 and all('defer blocking="render"' in tag for tag in tags), (path, tags)


def test_a_slots_scripts_join_the_file_of_each_page_that_names_the_slot(client, patient, monkeypatch):
    monkeypatch.setattr(scripts, "SLOT_SCRIPTS", {})
    scripts.add_to_slot("today", ["timezone"])
    scripts.add_to_slot("today", ["timezone"])  # an app's ready() run again adds nothing twice
    scripts.add_to_slot("settings", ["focus"])  # Settings runs focus already: once
    client.force_login(patient)
    assert scripts_run_by(client.get("/").content.decode())[4:] == ["offline", "undo", "timezone"]
    settings_page = scripts_run_by(client.get("/settings/").content.decode())
    assert settings_page[4:8] == ["offline", "undo", "timezone", "focus"] and settings_page.count("focus") == 1
    assert settings_page[-1] == "push"  # a partial's own tag, in the body: after the head's two files
    assert (*scripts.PAGE_SCRIPTS, "timezone") in scripts.used()  # no template names this list: Today's slot does
    with pytest.raises(ValueError, match="is not a script of js/"):
        scripts.add_to_slot("today", ["no such"])


def test_every_page_with_a_slot_runs_that_slots_scripts():
    # A page includes `slots.<name>`; its scripts tag must name the slot, or a script an app adds there never runs.
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        included = set(re.findall(r"\bslots\.(\w+)", text))
        named = re.search(r"""\{% page_scripts [^%]*slots=(["'])([\w ]*)\1""", text)
        assert included <= set(named.group(2).split() if named else []), template


def test_collectstatic_writes_every_bundle_and_a_stale_bundle_is_written_again(settings, tmp_path, new_finders):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.SCRIPT_BUNDLE_ROOT = tmp_path / "bundles"
    call_command("collectstatic", "--noinput", verbosity=0)
    for names in scripts.used():
        written = settings.STATIC_ROOT / scripts.path_of(names)
        assert written.read_bytes() == (
            scripts.joined(names) if len(names) > 1 else (JS / f"{names[0]}.js").read_bytes()
        )
    # A bundle left from other sources (a script changed since) is written again when it is next found.
    finder = scripts.BundleFinder()
    bundle = Path(str(finder.find("js/bundle/util_queue.js")))
    bundle.write_bytes(b"stale")
    assert Path(str(finder.find("js/bundle/util_queue.js"))).read_bytes() == scripts.joined(["util", "queue"])
    assert finders.find("js/bundle/util_queue.js") is not None


def test_a_static_file_that_is_nowhere_is_a_404_in_development(client, settings):
    assert finders.find("js/no-such-script.js") is None and finders.find("js/bundle/util_no-such.js") is None
    settings.WHITENOISE_USE_FINDERS = settings.WHITENOISE_AUTOREFRESH = True
    assert Client().get("/static/js/no-such-script.js").status_code == 404


def test_the_scan_reads_tags_as_django_does_and_refuses_a_variable(settings, tmp_path):
    settings.TEMPLATES = [settings.TEMPLATES[0] | {"DIRS": [tmp_path], "APP_DIRS": False}]
    (tmp_path / "page.html").write_text("""{% load scripts %}{% page_scripts 'timezone' "focus" %}""")
    (tmp_path / "head.html").write_text("""{% scripts 'util' 'queue' blocking="render" %}""")
    assert scripts.used() == [("offline", "undo", "timezone", "focus"), ("util", "queue")]
    (tmp_path / "slot.html").write_text("""{% page_scripts "focus" slots='log log_form' %}""")
    assert ("offline", "undo", "focus", "instant") in scripts.used()  # triage's, for Log's slot
    (tmp_path / "head.html").write_text("""{% scripts 'util' 'queue' blocking=mode %}""")  # an attribute: any value
    assert ("util", "queue") in scripts.used()
    (tmp_path / "odd.html").write_text("""{% page_scripts name %}""")
    with pytest.raises(ValueError, match="names a script by a variable"):
        scripts.used()
    (tmp_path / "odd.html").write_text("""{% page_scripts "focus" slots=which %}""")
    with pytest.raises(ValueError, match="names its slots by a variable"):
        scripts.used()
