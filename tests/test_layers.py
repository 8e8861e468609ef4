"""Imports run one way (DESIGN §2): web ← diary ← insights, triage, treatments, questionnaires ← report.

Each app may import only the layers below it: the diary never imports the apps built on it (they attach
through diary/hooks.py), and web, the plumbing, imports no app at all. Read from the source, so a lazy
import inside a function counts as much as one at the top of a module.
"""

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

APPS = ("web", "diary", "insights", "triage", "treatments", "questionnaires", "report", "pwa")
# What each app must never import. The apps above the diary may import insights, never each other.
FORBIDDEN = {
    "web": set(APPS) - {"web"},
    "diary": {"insights", "triage", "treatments", "questionnaires", "report", "pwa"},
    "insights": {"triage", "treatments", "questionnaires", "report", "pwa"},
    "triage": {"treatments", "questionnaires", "report", "pwa"},
    "treatments": {"triage", "questionnaires", "report", "pwa"},
    "questionnaires": {"triage", "treatments", "report", "pwa"},
    "pwa": {"insights", "triage", "treatments", "questionnaires", "report"},
    "report": {"pwa"},
}


def imported_apps(path: Path) -> set[str]:
    """The project apps a module imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & set(APPS)
    return found


def modules(app: str) -> list[Path]:
    return sorted(p for p in (REPO / app).rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("app", sorted(app for app in FORBIDDEN if (REPO / app).is_dir()))
def test_each_app_imports_only_the_layers_below_it(app):
    wrong = {str(p.relative_to(REPO)): imported_apps(p) & FORBIDDEN[app] for p in modules(app)}
    assert {path: sorted(apps) for path, apps in wrong.items() if apps} == {}


def test_the_check_sees_an_import_where_there_is_one(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import diary.vocab\nfrom triage import signs\ndef f():\n    from pwa import push\n")
    assert imported_apps(module) == {"diary", "triage", "pwa"}
