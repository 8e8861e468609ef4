"""The README and docs/*.md name only files that exist, and link only to files that exist.

Which inline code span (`like this`, outside fenced code blocks) is a path:

1. Skipped, whatever else it holds: a span with whitespace (a command, `python -m bench startup`); one that
   starts with "/" (a URL path, `/api/v1/`) or with "../" (beside the repository, `../shared/seeds`); one with
   "://" (an address); one with any of ``< > { } [ ] * ? | = : #`` (placeholders `templates/<app>/`, globs,
   query strings, alternatives `pdf|csv|fhir`, Python's `module:attr`); one that starts with a digit (a rate
   `10/15m` or a score `4/10`).
2. What is left is a path when it contains "/" or ends in one of EXTENSIONS: `diary/vocab.py`,
   `tests/fixtures/vignettes/`, `manage.py`. Dotted Python names (`diary.hooks.tell`) are neither.
3. A path is read from the repository's root, so a bare `base.html` is wrong: write `templates/base.html`.
   It must exist (a trailing "/" asks for a folder), unless .gitignore ignores it: what each machine makes
   for itself (`.venv/bin/pytest`, `staticfiles/`, `.vapid-dev.json`) is named without being committed.

Markdown links and images ([text](target), ![alt](target)) to anything but http(s) and mailto addresses are
relative to the file they are in, stay inside the repository and resolve to a file or folder; a `#fragment`
must name a heading of its target (GitHub's anchors: lower case, punctuation dropped, spaces as hyphens).
Every docs page is linked from the README, so that the README stays the map.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path

from tests.conftest import REPO

EXTENSIONS = (".py", ".html", ".js", ".css", ".md", ".json", ".txt", ".yml", ".yaml", ".toml", ".svg", ".png")
NOT_A_PATH = re.compile(r"\s|^/|^\.\./|://|[<>{}\[\]*?|=:#]|^\d")
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
EXTERNAL = ("http://", "https://", "mailto:")


def documents(root: Path = REPO) -> list[Path]:
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


def prose(text: str) -> str:
    """The Markdown without its fenced code blocks (commands and diagrams), each block left as a blank line."""
    kept, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            kept.append("")
        elif not fenced:
            kept.append(line)
    return "\n".join(kept)


def code_spans(text: str) -> Iterator[str]:
    """Inline code spans, paragraph by paragraph (a span may wrap a line, never a paragraph)."""
    for paragraph in re.split(r"\n\s*\n", prose(text)):
        for match in CODE_SPAN.finditer(paragraph):
            yield match.group(2).strip() if match.group(1) != "`" else match.group(2)


def is_path(token: str) -> bool:
    return not NOT_A_PATH.search(token) and ("/" in token or token.endswith(EXTENSIONS))


def gitignore_patterns(root: Path) -> list[str]:
    ignore = root / ".gitignore"
    lines = ignore.read_text(encoding="utf-8").splitlines() if ignore.is_file() else []
    return [line.strip() for line in lines if line.strip() and not line.startswith(("#", "!"))]


def ignored(path: str, patterns: list[str]) -> bool:
    """.gitignore's reading of a path, without negations: a pattern with an inner "/" matches from the root,
    any other pattern matches a file or folder name at any depth."""
    parts = path.strip("/").split("/")
    for pattern in patterns:
        bare = pattern.strip("/")
        if "/" in pattern.rstrip("/"):
            if any(fnmatch("/".join(parts[:n]), bare) for n in range(1, len(parts) + 1)):
                return True
        elif any(fnmatch(part, bare) for part in parts):
            return True
    return False


def missing_paths(document: Path, root: Path = REPO) -> list[str]:
    """The paths a document names that are neither in the repository nor ignored by it."""
    patterns = gitignore_patterns(root)
    missing = []
    for token in code_spans(document.read_text(encoding="utf-8")):
        if not is_path(token) or ignored(token, patterns):
            continue
        target = root / token
        if not (target.is_dir() if token.endswith("/") else target.exists()):
            missing.append(token)
    return missing


def slug(heading: str) -> str:
    """GitHub's anchor of a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(document: Path) -> set[str]:
    found: set[str] = set()
    for line in prose(document.read_text(encoding="utf-8")).splitlines():
        if match := re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line):
            base = slug(match.group(1))
            name, n = base, 0
            while name in found:
                n += 1
                name = f"{base}-{n}"
            found.add(name)
    return found


def links(document: Path) -> list[str]:
    text = prose(document.read_text(encoding="utf-8"))
    text = CODE_SPAN.sub("", text)  # a link written inside a code span is an example, not a link
    return [match.group(1) for match in LINK.finditer(text)]


def broken_links(document: Path, root: Path = REPO) -> list[str]:
    """Each local link of the document that does not resolve, with the reason."""
    broken = []
    for target in links(document):
        if target.startswith(EXTERNAL):
            continue
        path, _, fragment = target.partition("#")
        if path.startswith("/"):
            broken.append(f"{target}: not relative")
            continue
        resolved = (document.parent / path).resolve() if path else document.resolve()
        if not resolved.is_relative_to(root.resolve()):
            broken.append(f"{target}: outside the repository")
        elif not resolved.exists():
            broken.append(f"{target}: no such file")
        elif fragment and resolved.suffix == ".md" and fragment not in anchors(resolved):
            broken.append(f"{target}: no heading #{fragment}")
    return broken


def test_every_path_in_the_readme_and_docs_exists():
    missing = {str(d.relative_to(REPO)): paths for d in documents() if (paths := missing_paths(d))}
    assert missing == {}, "write each path from the repository's root, or fix it (see this test's docstring)"


def test_every_local_link_resolves():
    broken = {str(d.relative_to(REPO)): found for d in documents() if (found := broken_links(d))}
    assert broken == {}


def test_the_readme_links_every_docs_page():
    linked = {(REPO / target.partition("#")[0]).resolve() for target in links(REPO / "README.md")}
    assert [str(d.relative_to(REPO)) for d in documents()[1:] if d.resolve() not in linked] == []


def test_the_check_catches_a_made_up_path_and_skips_what_is_not_a_path(tmp_path):
    (tmp_path / "diary").mkdir()
    (tmp_path / "diary" / "vocab.py").write_text("")
    (tmp_path / ".gitignore").write_text(".venv\nstaticfiles/\n/bench/results/\n")
    readme = tmp_path / "README.md"
    readme.write_text(
        "Codes live in `diary/vocab.py`, trends in `diary/trends.py` and `diary/made_up/`; see ``base.html``.\n"
        "Not paths: `/api/v1/`, `templates/<app>/`, `tests/*.py`, `pdf|csv|fhir`, `10/15m`, `4/10`,\n"
        "`diary.hooks.tell`, `../shared/seeds`, `https://example.org/a.md`, `make test`, `.venv/bin/pytest`,\n"
        "`staticfiles/`, `bench/results/web/`.\n\n"
        "```\npython manage.py import_diary `not/checked.py`\n```\n"
    )
    assert missing_paths(readme, root=tmp_path) == ["diary/trends.py", "diary/made_up/", "base.html"]


def test_the_check_catches_a_broken_link(tmp_path):
    (tmp_path / "docs").mkdir()
    page = tmp_path / "docs" / "api.md"
    page.write_text("# API\n\n## One clock\n\nBack to the [README](../README.md), [clock](#one-clock).\n")
    readme = tmp_path / "README.md"
    readme.write_text(
        "# Map\n\n[API](docs/api.md), [its clock](docs/api.md#one-clock), [site](https://example.org/x.md),\n"
        "[gone](docs/gone.md), [absolute](/docs/api.md), [no heading](docs/api.md#two-clocks),\n"
        "![picture](docs/screenshots/none.png), [outside](../elsewhere.md), `[in code](docs/nope.md)`.\n"
    )
    assert broken_links(page, root=tmp_path) == []
    assert broken_links(readme, root=tmp_path) == [
        "docs/gone.md: no such file",
        "/docs/api.md: not relative",
        "docs/api.md#two-clocks: no heading #two-clocks",
        "docs/screenshots/none.png: no such file",
        "../elsewhere.md: outside the repository",
    ]
