"""A page's scripts joined into one file (web/scripts.py) behave in the browser as they did as separate files."""

from collections.abc import Iterator

import pytest
from django.contrib.staticfiles import finders

from web import scripts

pytestmark = pytest.mark.browser


@pytest.fixture
def two_scripts(settings, tmp_path) -> Iterator[None]:
    """js/broken.js, which throws as it starts, and js/after.js, which marks that it ran."""
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "broken.js").write_text('(() => {\n  throw new Error("broken as it starts");\n})();\n')
    (tmp_path / "js" / "after.js").write_text("(() => {\n  window.afterRan = true;\n})();\n")
    settings.STATICFILES_DIRS = [tmp_path]
    finders.get_finder.cache_clear()  # type: ignore[attr-defined]  # functools.cache, which the stubs leave out
    yield
    finders.get_finder.cache_clear()  # type: ignore[attr-defined]


def test_an_error_as_one_script_starts_stops_no_script_after_it_and_is_still_reported(browser, two_scripts):
    text = scripts.joined(["broken", "after"])
    assert text is not None
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(error.message))
    page.set_content(f"<!doctype html><title>t</title><script>{text.decode()}</script>")
    page.wait_for_function("window.afterRan === true")
    page.wait_for_timeout(50)  # the error is thrown again from a task of its own
    assert errors == ["broken as it starts"]
    page.close()
