"""Right to left in Chromium: the Urdu and Persian builds (the bundled timeline with the Urdu or
the Persian interface, and a tiny site in Urdu throughout) pass the Nu Html Checker and axe-core
as the English one does, the layout mirrors, nothing scrolls sideways on a phone, and an event
page of each is photographed at 360 and 1280 px (screenshots/rtl/, git-ignored) for a person to
look at."""

from __future__ import annotations

import re
from pathlib import Path

from test_accessibility import AXE_OPTIONS, RUN_AXE, format_violations
from test_screenshots import SCREENSHOTS
from test_validation import report, run_vnu

# an event with reports, a chain, a locator map and sources, in each build
EVENT = {"ur-interface": "events/kerman-bombing/", "fa-interface": "events/kerman-bombing/",
         "urdu-words": "events/pakistan-strikes-saravan/"}
PAGES = ("", "map/", "tags/", "search/", "404.html", "2024/")


def _name(site: Path) -> str:
    return site.parent.name.rstrip("0123456789")


def test_vnu_finds_nothing_on_the_right_to_left_pages(vnu, rtl_site):
    pages = sorted(rtl_site.rglob("*.html"))
    assert pages and '<html lang="' in pages[0].read_text(encoding="utf-8")
    errors = run_vnu(vnu, ["--skip-non-html", str(rtl_site)], rtl_site)
    assert not errors, report("HTML", errors, len(pages))


def test_axe_finds_nothing_on_the_right_to_left_pages(rtl_site, rtl_server, new_page, axe_source):
    event = EVENT[_name(rtl_site)]
    for path in (event, *PAGES):
        if not (rtl_site / (path or "index.html")).exists() and not (rtl_site / path / "index.html").exists():
            continue
        for scheme in ("light", "dark"):
            page = new_page(bypass_csp=True, base_url=rtl_server + "/", color_scheme=scheme)
            page.goto(rtl_server + "/" + path, wait_until="networkidle")
            assert page.evaluate("document.documentElement.dir") == "rtl"
            page.add_script_tag(path=str(axe_source))
            violations = page.evaluate(RUN_AXE, AXE_OPTIONS)
            assert not violations, f"axe on /{path} ({scheme}):\n" + format_violations(violations)


def test_the_layout_mirrors(rtl_site, rtl_server, new_page):
    page = new_page(base_url=rtl_server + "/")
    page.goto(rtl_server + "/" + EVENT[_name(rtl_site)], wait_until="networkidle")
    mirrored = page.evaluate("""() => {
      const box = s => document.querySelector(s)?.getBoundingClientRect();
      const style = s => getComputedStyle(document.querySelector(s));
      const wrap = box('main .wrap'), h2 = box('#facts-h'), prev = box('.prev-next a[rel=prev]');
      return {
        // headings start at the right edge of the column
        heading: Math.abs(h2.right - wrap.right) < 40,
        // the previous event is on the right, where reading starts
        previous: prev ? prev.right > wrap.right - 40 : true,
        // the locator map floats to the end of the line: the left
        locator: document.querySelector('.locator') ? box('.locator').left < wrap.left + 40 : true,
        table: style('th').textAlign,
      };
    }""")
    assert mirrored == {"heading": True, "previous": True, "locator": True, "table": "start"}, mirrored
    page.goto(rtl_server + "/", wait_until="networkidle")
    rail = page.evaluate("""() => { const li = document.querySelector('.timeline .events > li');
      const s = getComputedStyle(li); return [s.borderRightWidth, s.borderLeftWidth]; }""")
    assert rail[0] != "0px" and rail[1] == "0px", f"the timeline's rail is not on the right: {rail}"


def test_screenshots_of_right_to_left_event_pages(rtl_site, rtl_server, new_page):
    name = _name(rtl_site)
    written = []
    for width in (360, 1280):
        page = new_page(base_url=rtl_server + "/", viewport={"width": width, "height": 800})
        page.goto(rtl_server + "/" + EVENT[name], wait_until="load")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        scroll = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll[0] <= scroll[1], f"{name} event page scrolls sideways at {width} px: {scroll}"
        out = SCREENSHOTS / "rtl" / f"{name}-event-{width}.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out), full_page=True)
        assert out.stat().st_size > 0
        written.append(str(out))
    print("\n".join(written))


# a search on each build, and how its status line must read: the count in the page's digits
SEARCHES = {"ur-interface": ("Kerman", "نتائج", r"[0-9]"), "fa-interface": ("Kerman", "نتیجه", r"[۰-۹]"),
            "urdu-words": ("سراوان", "نتائج", r"[0-9]")}


def test_the_scripts_speak_the_pages_language(rtl_site, rtl_server, new_page):
    """static/dateline.js says what it finds in the page's words (base.html's
    #dateline-strings), with the language's plural form and digits."""
    query, word, digits = SEARCHES[_name(rtl_site)]
    page = new_page(base_url=rtl_server + "/")
    page.goto(rtl_server + "/search/?q=" + query, wait_until="networkidle")
    status = page.locator("#search-status")
    page.wait_for_function("() => /[.۔]$/.test(document.getElementById('search-status').textContent)")
    text = status.text_content()
    assert word in text and query in text and re.search(digits, text), text
    if _name(rtl_site).startswith("fa-"):
        assert not re.search(r"[0-9]", text), text
    assert page.locator("#search-results li").count() > 0
    page.monitor.assert_clean()
