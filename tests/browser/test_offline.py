"""The offline copy (`build --offline`) opened from disk in Chromium, as a reader with a USB
stick would: the theme loads, links open pages (not folder listings), the map draws, the
filters work, and nothing fails to load."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO_ROOT, DEFAULT_VIEWPORT


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("usb") / "timeline"
    cmd = [sys.executable, str(REPO_ROOT / "build.py"), "build", "--offline", "--out", str(out)]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return out


def test_the_offline_copy_works_from_disk(browser, offline_site):
    context = browser.new_context(viewport=DEFAULT_VIEWPORT)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.on("request", lambda r: not r.url.startswith(("file://", "data:")) and problems.append(f"left the disk: {r.url}"))
    try:
        page.goto((offline_site / "index.html").as_uri())
        # the theme's stylesheet applied: the body is not in the browser's default serif
        assert "serif" != page.evaluate("getComputedStyle(document.body).fontFamily").split(",")[-1].strip()
        assert page.evaluate("document.styleSheets.length") >= 1

        everything = page.locator(".timeline article.event").count()
        page.select_option("#filters select[name=tag]", label="prison attack")
        shown = page.eval_on_selector_all(".timeline article.event", "els => els.filter(e => e.offsetParent !== null).length")
        assert 0 < shown < everything

        page.click("article.event a[href$='events/mach-kolpur-attacks/index.html']")
        page.wait_for_load_state()
        assert page.url.endswith("/events/mach-kolpur-attacks/index.html")
        assert "Mach" in page.inner_text("h1")

        page.click("nav a[href$='map/index.html']")
        page.wait_for_load_state("networkidle")
        assert page.url.endswith("/map/index.html")
        assert page.locator("svg image").count() > 0      # the land tiles, placed from disk

        page.click("nav a[href$='tags/index.html']")
        page.wait_for_load_state()
        assert page.url.endswith("/tags/index.html") and page.locator("main a").count() > 5
        assert not problems, problems
    finally:
        context.close()
