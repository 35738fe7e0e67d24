"""An event page with photographs, in Chromium: nothing moves as the images arrive (their boxes
are kept by width and height), the browser takes the WebP, a sensitive image is not fetched
until the reader opens it, and the Nu Html Checker finds no error in the markup."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from conftest import serving
from test_validation import run_vnu

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_media import PYPROJECT, site_files  # noqa: E402  (the fixture site of tests/test_media.py)
from helpers import build_site  # noqa: E402

# The layout shifts the page has had (PerformanceObserver, buffered: from its first paint).
LAYOUT_SHIFT = """() => new Promise(done => {
  let total = 0;
  new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
    .observe({type: 'layout-shift', buffered: true});
  setTimeout(() => done(total), 300);
})"""


@pytest.fixture(scope="module")
def media_site(tmp_path_factory) -> Path:
    result = build_site(tmp_path_factory.mktemp("media-pages"), site_files(), pyproject=PYPROJECT)
    assert result.exit_code == 0, result
    return result.out_dir


@pytest.fixture(scope="module")
def media_server(media_site):
    with serving(media_site) as url:
        yield url


def _slow_images(route):
    time.sleep(0.4)          # the text is laid out long before any picture arrives
    route.continue_()


def test_images_arriving_late_move_nothing(browser, media_server):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.route("**/media/**", _slow_images)
        fetched = []
        page.on("request", lambda request: fetched.append(request.url))
        page.goto(media_server + "/events/market-bombing/", wait_until="networkidle")
        assert page.evaluate(LAYOUT_SHIFT) == 0
        photo = page.locator("img[alt^='The market']")
        assert photo.evaluate("img => img.complete && img.naturalWidth > 0")
        assert photo.evaluate("img => img.currentSrc").endswith(".webp")
        # the sensitive picture is closed, and not even fetched until the reader opens it
        assert not any("wounded" in url for url in fetched)
        assert not page.locator(".sensitive-media").evaluate("d => d.open")
        page.locator(".sensitive-media summary").click()
        wounded = page.locator("img[alt^='Wounded']")
        wounded.scroll_into_view_if_needed()       # lazy: fetched as it nears the screen
        wounded.evaluate("img => img.decode()")
        assert wounded.evaluate("img => img.complete && img.naturalWidth > 0")
        assert any("wounded" in url for url in fetched)
        assert all(url.startswith(media_server) for url in fetched)    # nothing from another site
    finally:
        context.close()


def test_the_figures_are_valid_html(vnu, media_site):
    pages = [str(media_site / "events" / slug / "index.html") for slug in ("market-bombing", "floods", "aftermath")]
    assert run_vnu(vnu, pages, media_site) == []
