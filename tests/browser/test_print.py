"""Printed, every page type is its content in black on white, whatever the screen's scheme: no
navigation or controls, each source's address written out, the toll chart's groups and the maps
told apart in greys, right to left too. Chromium prints each one to a PDF and a screenshot of
the print layout (screenshots/print/, git-ignored) for a person to look at."""

from __future__ import annotations

import re


from conftest import SCREENSHOTS

PRINT_DIR = SCREENSHOTS / "print"
# what a sheet of paper cannot use
HIDDEN = (".site-header nav", "form.site-search", ".skip-link", "details.filter-box", "#search-form",
          ".kbd-hint", ".prev-next", ".pager", ".site-footer")
RTL_EVENT = "/ur/events/kerman-bombing/"

STATE = """(hidden) => {
  const shown = e => e.checkVisibility();
  const rgb = s => s.replace(/\\s/g, '');
  const body = getComputedStyle(document.body);
  return {
    hidden: hidden.filter(s => [...document.querySelectorAll(s)].some(shown)),
    main: shown(document.querySelector('main h1')),
    background: rgb(body.backgroundColor), colour: rgb(body.color),
    sources: [...document.querySelectorAll('.sources a[href^="http"]')].map(a =>
      [a.getAttribute('href'), getComputedStyle(a, '::after').content]),
    bars: [...new Set([...document.querySelectorAll('.toll-chart [class^="bar-"]')].map(r =>
      r.getAttribute('class') + '=' + rgb(getComputedStyle(r).fill)))],
    markers: [...new Set([...document.querySelectorAll('.map-marker, .map-cluster')].map(m =>
      rgb(getComputedStyle(m).fill)))],
    tiles: [...new Set([...document.querySelectorAll('.map image')].map(i => getComputedStyle(i).filter))],
  };
}"""


def _grey(rgb: str) -> bool:
    r, g, b = map(int, re.findall(r"\d+", rgb)[:3])
    return r == g == b


def _check(state: dict, where: str) -> None:
    assert not state["hidden"], f"{where}: printed though paper cannot use them: {state['hidden']}"
    assert state["main"], f"{where}: the page's heading is not printed"
    assert (state["background"], state["colour"]) in (("rgba(0,0,0,0)", "rgb(0,0,0)"), ("rgb(255,255,255)", "rgb(0,0,0)")), \
        f"{where}: printed {state['colour']} on {state['background']}, not black on white"
    for href, after in state["sources"]:
        assert href in after, f"{where}: the source {href} is printed without its address ({after})"
    fills = [b.split("=")[1] for b in state["bars"]]
    groups = {b.split("=")[0] for b in state["bars"]}
    assert len(set(fills)) == len(groups) and all(map(_grey, fills)), \
        f"{where}: the toll chart's groups are not distinct greys: {state['bars']}"
    assert all(m == "rgb(0,0,0)" for m in state["markers"]), f"{where}: map markers print {state['markers']}"


def test_print(page_type, color_scheme, site, new_page, open_page):
    sp = site.representative(page_type)
    page = new_page(color_scheme=color_scheme)
    open_page(page, sp)
    page.emulate_media(media="print")
    state = page.evaluate(STATE, list(HIDDEN))
    _check(state, f"{page_type} page {sp.path} ({color_scheme})")
    # a map's tiles carry their own colours, dark under a dark scheme: printed, they are turned light
    assert all(("invert(1)" in f) is (color_scheme == "dark") for f in state["tiles"]), state["tiles"]
    if page_type == "event":
        assert state["sources"] and state["bars"] and state["markers"] and state["tiles"], \
            f"{sp.path}: the event page tested should have sources, a toll chart and a map"
    if color_scheme == "light":
        PRINT_DIR.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(PRINT_DIR / f"{page_type}.pdf"))
        page.screenshot(path=str(PRINT_DIR / f"{page_type}.png"), full_page=True)


def test_print_right_to_left(new_page, goto):
    page = new_page()
    goto(page, RTL_EVENT)
    page.emulate_media(media="print")
    state = page.evaluate(STATE, list(HIDDEN))
    _check(state, RTL_EVENT)
    assert page.evaluate("document.documentElement.dir") == "rtl" and state["sources"]
    # the address is set left to right inside the right-to-left line
    direction = page.evaluate("getComputedStyle(document.querySelector('.sources a[href^=\"http\"]'), '::after').direction")
    assert direction == "ltr"
    PRINT_DIR.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(PRINT_DIR / "event-ur.pdf"))
    page.screenshot(path=str(PRINT_DIR / "event-ur.png"), full_page=True)
