"""The app shell the service worker precaches: every stylesheet, script, icon and font of the site."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static

from web import scripts
from web.scripts import path_of

# What a page needs to draw itself; report/ (the PDF's stylesheet) and vendor licences are not.
SHELL_FOLDERS = ("css/", "js/", "icons/", "fonts/", "vendor/")
SHELL_SUFFIXES = (".css", ".js", ".png", ".svg", ".woff2")


def shell_paths() -> list[str]:
    """Static paths (before hashing) of the shell: the project's static folders, and the scripts as the pages load
    them (web/scripts.py: each bundle). The scripts' own files stay: a page kept offline from before the scripts were
    joined loads them one by one. A kept page opened offline is pointed at today's file of each name (sw.js,
    `currentFiles`), since a hashed name changes with its content."""
    paths = {path_of(names) for names in scripts.used()}
    for finder in finders.get_finders():
        if not isinstance(finder, finders.FileSystemFinder):
            continue
        for path, _storage in finder.list([]):
            path = path.replace("\\", "/")
            if path.startswith(SHELL_FOLDERS) and path.endswith(SHELL_SUFFIXES):
                paths.add(path)
    return sorted(paths)


def worker_source() -> Path:
    """The worker's own source, so that a change to it alone also makes a new version."""
    return Path(settings.BASE_DIR) / "templates" / "pwa" / "sw.js"


def _compute() -> tuple[str, list[str]]:
    digest = hashlib.sha256()
    paths = shell_paths()
    for path in paths:
        digest.update(path.encode())
        bundle = scripts.content(path)  # built in memory: a running server writes no files
        if bundle is not None:
            digest.update(bundle)
        elif isinstance(found := finders.find(path), str):
            digest.update(Path(found).read_bytes())
    worker = worker_source()
    digest.update(worker.read_bytes())
    # static() gives the hashed names of the manifest storage in production.
    return digest.hexdigest()[:16], [static(path) for path in paths]


_cached = lru_cache(maxsize=1)(_compute)


def shell() -> tuple[str, list[str]]:
    """(version, URLs): the version changes whenever a shell file or the worker itself changes."""
    return _compute() if settings.DEBUG else _cached()
