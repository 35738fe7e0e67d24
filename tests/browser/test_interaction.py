"""The script's enhancements in a real browser: filters with their state in the URL, and the
keyboard walking from event to event."""

import time
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect


def visible_slugs(page) -> list[str]:
    return page.eval_on_selector_all(
        ".timeline article.event",
        "els => els.filter(e => e.offsetParent !== null).map(e => e.dataset.slug)")


def wait_until(condition, timeout: float = 5.0) -> None:
    """Poll from Python. page.wait_for_function() compiles its predicate with new Function(), which
    the pages' Content-Security-Policy refuses (no 'unsafe-eval'); evaluate() runs over the
    DevTools protocol and is not subject to it."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_filter_by_tag_updates_list_and_url(page, goto):
    goto(page, "/")
    everything = visible_slugs(page)
    page.select_option("#filters select[name=tag]", label="prison attack")
    shown = visible_slugs(page)
    assert 0 < len(shown) < len(everything)
    assert "mach-kolpur-attacks" in shown and "kerman-bombing" not in shown
    assert parse_qs(urlsplit(page.url).query) == {"tag": ["prison attack"]}
    assert "match" in page.inner_text(".filter-status")
    page.monitor.assert_clean("filtering by tag")


def test_filter_state_is_read_back_from_the_url(page, goto):
    goto(page, "/?actor=Balochistan+Liberation+Army+(BLA)&from=2026-01-01")
    shown = visible_slugs(page)
    assert "coordinated-attacks-2026" in shown
    assert all(not s.startswith(("mach", "kerman", "iran-")) for s in shown)
    assert page.input_value("#filters input[name=from]") == "2026-01-01"
    assert page.input_value("#filters select[name=actor]") == "Balochistan Liberation Army (BLA)"


def test_filter_by_place_and_date_range_and_clear(page, goto):
    goto(page, "/")
    total = len(visible_slugs(page))
    page.fill("#filters input[name=from]", "2024-01-16")
    page.fill("#filters input[name=to]", "2024-01-18")
    page.dispatch_event("#filters input[name=to]", "change")
    shown = visible_slugs(page)
    assert shown == ["iran-strikes-panjgur", "pakistan-recalls-ambassador", "pakistan-strikes-saravan"]
    page.click("#filters button[type=reset]")
    wait_until(lambda: len(visible_slugs(page)) == total)
    assert urlsplit(page.url).query == ""
    page.select_option("#filters select[name=place]", label="Gwadar")
    # The matching sub-event shows inside its parent, for context; its siblings are hidden.
    assert visible_slugs(page) == ["coordinated-attacks-2026", "coordinated-attacks-2026-gwadar"]


def test_keyboard_moves_between_events(page, goto):
    goto(page, "/")
    order = visible_slugs(page)
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.closest('article').dataset.slug") == order[0]
    page.keyboard.press("j")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('article').dataset.slug") == order[2]
    page.keyboard.press("k")
    assert page.evaluate("document.activeElement.closest('article').dataset.slug") == order[1]
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.closest('article').dataset.slug") == order[0]
    assert page.locator("article.event.is-selected").count() == 1
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/events/{order[0]}/")


def test_keyboard_skips_filtered_out_events(page, goto):
    goto(page, "/?tag=diplomacy")
    shown = visible_slugs(page)
    assert len(shown) >= 2
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.closest('article').dataset.slug") == shown[1]


def test_without_javascript_filters_stay_hidden_and_links_work(new_page, goto):
    page = new_page(java_script_enabled=False)
    goto(page, "/")
    assert not page.is_visible("#filters")
    page.click("article[data-slug=coordinated-attacks-2026] > .event-title a")
    page.wait_for_url("**/events/coordinated-attacks-2026/")
    assert page.is_visible("table")


def test_on_a_phone_the_first_screen_shows_events_and_the_filters_fold_away(new_page, goto):
    page = new_page(viewport={"width": 360, "height": 780}, has_touch=True, is_mobile=True)
    goto(page, "/")
    box = page.locator("details.filter-box")
    expect(box).to_be_visible()
    assert box.get_attribute("open") is None, "the filters should start folded on a small screen"
    first = page.locator("article.event").first.bounding_box()
    assert first["y"] < 780, f"the first event starts at {first['y']:.0f} px, below the first screen"
    page.locator("details.filter-box > summary").click()
    expect(page.locator("#filters select[name=tag]")).to_be_visible()
    goto(page, "/?tag=prison+attack")
    expect(page.locator("details.filter-box")).to_have_attribute("open", "")
    page.monitor.assert_clean("home page at 360 px")


# -- a long list, cut into pages ----------------------------------------------------------------

def test_filters_on_a_paged_list_find_matches_on_every_page(new_page, paged_server):
    paged = paged_server
    page = new_page(base_url=paged + "/")
    page.goto(paged + "/", wait_until="networkidle")
    first_page = visible_slugs(page)
    assert "mach-kolpur-attacks" not in first_page          # it is listed on a later page
    page.select_option("#filters select[name=tag]", label="prison attack")
    results = page.locator("#filter-results")
    expect(results).to_be_visible()
    links = results.locator("a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    assert any(href.endswith("/events/mach-kolpur-attacks/") for href in links)
    assert not page.is_visible(".timeline") and not page.is_visible("nav.pager")
    assert "across all" in page.inner_text(".filter-status")
    page.locator(f"#filter-results a[href$='/events/mach-kolpur-attacks/']").click()
    page.wait_for_url("**/events/mach-kolpur-attacks/")
    page.go_back(wait_until="networkidle")
    # the state came back from the address: the same matches
    expect(page.locator("#filter-results")).to_be_visible()
    page.click("#filters button[type=reset]")
    wait_until(lambda: page.is_visible(".timeline"))
    assert not page.is_visible("#filter-results") and visible_slugs(page) == first_page
    page.monitor.assert_clean("filtering a paged list")


def test_the_pager_walks_a_list_in_order(new_page, paged_server):
    paged = paged_server
    page = new_page(base_url=paged + "/")
    page.goto(paged + "/", wait_until="networkidle")
    seen = []
    for _ in range(40):
        seen += visible_slugs(page)
        following = page.locator("nav.pager a[rel=next]")
        if not following.count():
            break
        following.click()
        page.wait_for_load_state("networkidle")
        assert page.locator("nav.pager a[aria-current=page]").count() == 1
    assert len(seen) == len(set(seen)) and "mach-kolpur-attacks" in seen and len(seen) >= 12
    page.monitor.assert_clean("walking the pages")


# -- the time axis ---------------------------------------------------------------------------------

def test_keyboard_walks_the_time_axis_in_time_order(new_page, goto):
    """Tab goes from mark to mark of the home page's axis, earliest first, each a link with a
    name; on a phone the axis scrolls to the focused mark; Enter opens the event."""
    page = new_page(viewport={"width": 360, "height": 780})
    goto(page, "/")
    marks = page.eval_on_selector_all("svg.axis a", "els => els.map(a => a.getAttribute('href'))")
    assert len(marks) >= 10, marks
    page.focus("svg.axis a")
    walked = []
    for _ in marks:
        focused = page.evaluate("""() => { const a = document.activeElement;
            const r = a.getBoundingClientRect();
            return {href: a.getAttribute('href'), name: a.querySelector('title').textContent,
                    inside: r.left >= 0 && r.right <= innerWidth}; }""")
        assert focused["name"].strip(), focused
        assert focused["inside"], f"the focused mark {focused['href']} is off the screen"
        walked.append(focused["href"])
        page.keyboard.press("Tab")
    assert walked == marks
    x = page.eval_on_selector_all("svg.axis a", """els => els.map(a => {
        const r = a.getBoundingClientRect(); return r.left + r.width / 2; })""")
    assert x == sorted(x), "the marks are not in time order, left to right"
    page.focus("svg.axis a[href*='jaffar-express-hijacking']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/events/jaffar-express-hijacking/")
    page.monitor.assert_clean("the time axis")


def test_the_time_axis_runs_right_to_left_in_persian(page, goto):
    goto(page, "/fa/")
    x = page.eval_on_selector_all("svg.axis a", """els => els.map(a => {
        const r = a.getBoundingClientRect(); return r.left + r.width / 2; })""")
    assert len(x) >= 10 and x == sorted(x, reverse=True), x


def test_a_months_address_scrolls_the_axis_to_it(new_page, goto):
    """/#axis-2025-03 is a view to share: without JavaScript, the phone's axis scrolls to March 2025."""
    # reduced motion: the page scrolls there at once rather than smoothly
    page = new_page(viewport={"width": 360, "height": 780}, java_script_enabled=False, reduced_motion="reduce")
    goto(page, "/#axis-2025-03")
    box = page.evaluate("""() => { const r = document.getElementById('axis-2025-03').getBoundingClientRect();
        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; }""")
    assert 0 <= box["left"] and box["right"] <= 360 and 0 <= box["top"] and box["bottom"] <= 780, box
