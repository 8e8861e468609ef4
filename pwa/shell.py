"""The app shell the service worker precaches: every stylesheet, script, icon and font of the site."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static

# What a page needs to draw itself; report/ (the PDF's stylesheet) and vendor licences are not.
SHELL_FOLDERS = ("css/", "js/", "icons/", "fonts/", "vendor/")
SHELL_SUFFIXES = (".css", ".js", ".png", ".svg", ".woff2")


def shell_paths() -> list[str]:
    """Static paths (before hashing) of the shell, from the project's static folders."""
    paths = []
    for finder in finders.get_finders():
        if not isinstance(finder, finders.FileSystemFinder):
            continue
        for path, _storage in finder.list([]):
            path = path.replace("\\", "/")
            if path.startswith(SHELL_FOLDERS) and path.endswith(SHELL_SUFFIXES):
                paths.append(path)
    return sorted(set(paths))


def worker_source() -> Path:
    """The worker's own source, so that a change to it alone also makes a new version."""
    return Path(settings.BASE_DIR) / "templates" / "pwa" / "sw.js"


def _compute() -> tuple[str, list[str]]:
    digest = hashlib.sha256()
    paths = shell_paths()
    for path in paths:
        found = finders.find(path)
        digest.update(path.encode())
        if isinstance(found, str):
            digest.update(Path(found).read_bytes())
    worker = worker_source()
    digest.update(worker.read_bytes())
    # static() gives the hashed names of the manifest storage in production.
    return digest.hexdigest()[:16], [static(path) for path in paths]


_cached = lru_cache(maxsize=1)(_compute)


def shell() -> tuple[str, list[str]]:
    """(version, URLs): the version changes whenever a shell file or the worker itself changes."""
    return _compute() if settings.DEBUG else _cached()
