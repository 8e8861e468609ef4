"""A page's scripts joined into one file: `{% scripts "util" "queue" "pwa" %}` loads js/bundle/util_queue_pwa.js.

Each script loaded on its own costs a phone's processor a fetch, a compile and a task of its own: Log's nine
scripts as three files took its main-thread work from 2.10× Login's to 1.59× in the same runs
(docs/benchmarks.md#web).
A page's template says which scripts it runs, in what order, and which slots it has; an app that puts a template in
a slot says which scripts that template needs (`diary.hooks.fill_slot(..., scripts=)`), and they come after the
page's own. A bundle is the sources concatenated in that order, each still its own IIFE (so joining changes no
scope) inside a `try` block of its own, so that one script's error stops no other.

Bundles are static files like any other: `BundleFinder` builds them from the scripts the other finders find, into
a folder of its own, so collectstatic copies and hashes them (the manifest storage in production), WhiteNoise serves
them, and the service worker's shell precaches them (pwa/shell.py). Which bundles exist is read from the templates'
`{% scripts %}` and `{% page_scripts %}` tags (Django's own lexer), whose arguments are literal names, quoted either
way (a name is a file of js/), and a literal `slots="..."`, with the slots' scripts the apps added.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal, cast, overload

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage
from django.template.base import Lexer, TokenType
from django.template.utils import get_app_template_dirs

FOLDER = "js/bundle/"
JOIN = "_"  # never in a script's name, and kept as it is in a URL
# Every page runs these before its own scripts, in the file its `{% page_scripts %}` loads after the head's
# (templates/base.html): the offline queue's sender, and the "Episode saved … Undo" countdown, which does nothing on
# a page without that note.
PAGE_SCRIPTS = ("offline", "undo")

# The scripts of the parts other apps put in a page (diary/hooks.py's slots, `fill_slot(..., scripts=...)`), by slot:
# a page whose tag names its slots, `{% page_scripts "logform" slots="log log_form" %}`, runs them after its own, in
# the same file.
SLOT_SCRIPTS: dict[str, list[str]] = {}

_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
TAGS = ("scripts", "page_scripts")
_LITERAL = re.compile(r"""^(["'])(.*)\1$""")
_OPTION = re.compile(r"^(\w+)=(.+)$")  # as Django reads a keyword argument of a tag


def path_of(names: Sequence[str]) -> str:
    """The static path that loads these scripts in this order: one file as it is, several as one bundle."""
    if not names:
        raise ValueError("A script tag needs at least one script.")
    for name in names:
        if not _NAME.match(name):
            raise ValueError(f"{name!r} is not a script of js/ (a name such as 'logform', without .js).")
    return f"js/{names[0]}.js" if len(names) == 1 else f"{FOLDER}{JOIN.join(names)}.js"


def add_to_slot(slot: str, names: Sequence[str]) -> None:
    """Have the pages with this slot run these scripts too (once each, in the order the apps add them)."""
    for name in names:
        path_of([name])  # a script's name, or ValueError now rather than at the first page
        listed = SLOT_SCRIPTS.setdefault(slot, [])
        if name not in listed:
            listed.append(name)


def page(names: Sequence[str], slots: str = "") -> tuple[str, ...]:
    """What a page's `{% page_scripts %}` runs, in order: the scripts every page runs, the page's own, then its
    slots' (`slots`: their names, separated by spaces), each script once."""
    extra = [name for slot in slots.split() for name in SLOT_SCRIPTS.get(slot, [])]
    return tuple(dict.fromkeys((*PAGE_SCRIPTS, *names, *extra)))


def names_in(path: str) -> list[str] | None:
    """The scripts a bundle's static path joins, or None when the path is not a bundle's."""
    if not (path.startswith(FOLDER) and path.endswith(".js")):
        return None
    names = path[len(FOLDER) : -len(".js")].split(JOIN)
    return names if len(names) > 1 and all(_NAME.match(name) for name in names) else None


# Each script in a block of its own: an error thrown as one starts does not stop the scripts after it in the file (as
# separate files, each ran whatever the one before did: the offline warning check, last in Log's file, must run even
# should the leg map's script fail). The error is thrown again from a task of its own, so the browser reports it as
# uncaught, as before. A block changes no scope here: every script of js/ is one IIFE (tests/web/test_bundles.py).
_REPORTED = b"catch (error) { setTimeout(() => { throw error; }); }"


def joined(names: Sequence[str]) -> bytes | None:
    """The bundle's text, or None when one of the scripts does not exist."""
    parts = []
    for name in names:
        found = finders.find(f"js/{name}.js")
        if not isinstance(found, str):
            return None
        source = Path(found).read_bytes().rstrip()
        parts.append(b"// js/" + name.encode() + b".js\ntry {\n" + source + b"\n} " + _REPORTED + b"\n")
    return b"".join(parts)


def template_dirs() -> list[Path]:
    dirs = [Path(d) for engine in settings.TEMPLATES for d in cast(list[str], engine.get("DIRS", []))]
    return [*dirs, *(Path(d) for d in get_app_template_dirs("templates"))]


def used() -> list[tuple[str, ...]]:
    """Every list of scripts a template's tag names (one script or several), page_scripts' with the scripts every
    page runs first: what the pages load, and so what the service worker's shell keeps."""
    found: set[tuple[str, ...]] = set()
    for folder in template_dirs():
        for template in folder.rglob("*.html"):
            for token in Lexer(template.read_text(encoding="utf-8")).tokenize():
                if token.token_type != TokenType.BLOCK or token.split_contents()[0] not in TAGS:
                    continue
                tag, *arguments = token.split_contents()
                names, options = [], {}
                for argument in arguments:
                    option = _OPTION.match(argument)  # blocking="render", slots="log log_form"
                    key, value = option.groups() if option else ("", argument)
                    literal = _LITERAL.match(value)
                    if key and key != "slots":
                        continue  # an attribute of the tag: it changes no script
                    if not literal:
                        what = "its slots" if key else "a script"
                        raise ValueError(f"{template}: {{% {token.contents} %}} names {what} by a variable.")
                    if key:
                        options[key] = literal.group(2)
                    else:
                        names.append(literal.group(2))
                found.add(page(names, options.get("slots", "")) if tag == "page_scripts" else tuple(names))
    return sorted(found)


def content(path: str) -> bytes | None:
    """A bundle's text, built without writing anything (the shell's version is a digest of it); None if not one."""
    names = names_in(path)
    return joined(names) if names else None


def _default_root() -> Path:
    """In the project (not a shared /tmp another user could write first); the image builds it as it collects."""
    return Path(settings.BASE_DIR) / ".bundles"


class BundleFinder(BaseFinder):
    """Finds js/bundle/a_b_c.js by joining js/a.js, js/b.js and js/c.js, written to a folder of its own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.root = Path(getattr(settings, "SCRIPT_BUNDLE_ROOT", None) or _default_root())
        self.storage = FileSystemStorage(location=self.root)

    def check(self, **kwargs: Any) -> list[Any]:
        return []

    def _write(self, path: str, names: Sequence[str]) -> str | None:
        text = joined(names)
        if text is None:
            return None
        target = self.root / path
        if target.is_file() and target.read_bytes() == text:
            return str(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a request served while another writes reads the old file or the new, whole.
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".js")
        with os.fdopen(fd, "wb") as out:
            out.write(text)
        os.replace(temporary, target)
        return str(target)

    @overload
    def find(self, path: str, find_all: Literal[False] = False) -> str | None: ...
    @overload
    def find(self, path: str, find_all: Literal[True]) -> list[str]: ...
    def find(self, path: str, find_all: bool = False) -> str | list[str] | None:
        names = names_in(path)
        found = self._write(path, names) if names else None
        if found:
            return [found] if find_all else found
        return []  # as Django's finders answer a miss (a None would be taken for a match)

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for names in used():
            if len(names) == 1:
                continue  # a script loaded on its own is the other finders' file
            path = path_of(names)
            if self._write(path, names):
                yield path, self.storage
