"""The pages hold still while they load: what JavaScript shows (the search boxes, the filters,
the key hint) is in place at the first paint, and the search page's results fill space kept
for them. Measured as Chromium measures it for Lighthouse and the Web Vitals: the sum of the
`layout-shift` entries not caused by input (cumulative layout shift)."""

from __future__ import annotations

import time

import pytest

# Lighthouse's and the Web Vitals' line between a good and a poor score
LIMIT = 0.1
# dateline.js is held back this long, so the page is surely drawn before it runs (as on a slow
# connection): a control it showed only then would move the page, whatever the machine's speed
SCRIPT_DELAY_S = 0.4

OBSERVE = """
window.__shifts = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) {
    if (!e.hadRecentInput) window.__shifts.push({value: e.value,
      moved: e.sources.map(s => s.node ? (s.node.id || s.node.className || s.node.nodeName) : '?')});
  }
}).observe({type: 'layout-shift', buffered: true});
"""

PAGES = {
    "/": None,
    "/search/?q=Quetta": "#search-results li",
    "/ur/": None,
    "/ur/search/?q=%D9%BE%D8%A7%DA%A9%D8%B3%D8%AA%D8%A7%D9%86": "#search-results li",   # پاکستان
}


def _late_script(route):
    time.sleep(SCRIPT_DELAY_S)
    route.continue_()


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("path", list(PAGES))
def test_the_page_holds_still_while_it_loads(path, width, new_page, server):
    page = new_page(viewport={"width": width, "height": 800})
    page.route("**/static/dateline.js", _late_script)
    page.add_init_script(OBSERVE)
    page.goto(server + path, wait_until="networkidle")
    if PAGES[path]:
        page.wait_for_selector(PAGES[path])                       # the results are there
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert page.evaluate("document.documentElement.classList.contains('js')")
    shifts = page.evaluate("window.__shifts")
    total = sum(s["value"] for s in shifts)
    assert total < LIMIT, f"{path} at {width} px: layout shift {total:.3f} (limit {LIMIT}): {shifts}"
    # the inline scripts that show the controls early are allowed by the page's own policy
    page.monitor.assert_clean(f"{path} at {width} px")


def test_the_early_scripts_set_what_dateline_js_did(new_page, server):
    """Before dateline.js runs (here: never), the page is marked scripted and the home page's
    filter box is open on a wide screen or a filtered address, folded on a phone."""
    for width, query, is_open in ((1280, "", True), (360, "", False), (360, "?tag=prison+attack", True)):
        page = new_page(viewport={"width": width, "height": 800})
        page.route("**/static/dateline.js", lambda route: route.abort())
        page.goto(server + "/" + query, wait_until="load")
        assert page.evaluate("document.documentElement.classList.contains('js')")
        assert page.is_visible("details.filter-box > summary")
        assert page.evaluate("document.querySelector('details.filter-box').open") is is_open, (width, query)
