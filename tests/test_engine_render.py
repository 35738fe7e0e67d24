"""What the built pages say about the model: relations, nesting and order, dates to their own
precision, right-to-left text, drafts and aliases. One site is built for the whole module."""

from __future__ import annotations

import re

import pytest

from helpers import PLACE, build_site, event, listed_events, page, source

URDU_TITLE = "دریا پور میں سیلاب نے بستی ڈبو دی"
URDU_SUMMARY = "دریا کا پانی رات کو بستی میں داخل ہوا۔"
URDU_PLACE = "دریا پور"
PERSIAN_ACTOR = "هلال‌احمر"

SITE = {
    "content/dam-built.md": event(title="Dam built upstream", date="2023", approximate=True, place=PLACE),
    "content/rain-begins.md": event(title="Heavy rain begins", date="2024-01-01", time="04:05",
                                    place=PLACE, tags=["flood warning"], actors=["Weather office"],
                                    body="The rain began before dawn.[^1]\n\n[^1]: Station log.\n"),
    "content/levee-breaks.md": event(
        title="Levee breaks", date="2024-01-03", place=PLACE, in_response_to=["rain-begins"],
        aliases=["/old/levee/"], tags=["flood warning"],
        sources=[source("courier"), source("radio", publisher="Radio Vale")],
        reports=[{"as_of": "2024-01-03", "by": "The mayor", "source": "courier", "at_least": True,
                  "killed": {"civilians": 3}},
                 {"as_of": "2024-01-04", "by": "A local group", "source": "radio", "unverified": True,
                  "killed": {"civilians": 9}, "injured": {"security": 2}}],
        body="Water came through the [levee](levee-breaks.md#sources) after [the rain](rain-begins.md).\n"),
    "content/rescue.md": event(title="Rescue operation", date="2024-01-03", end="2024-01-05",
                               place=PLACE, in_response_to=["levee-breaks"]),
    "content/boats.md": event(title="Boats reach the school", date="2024-01-04", part_of="rescue", place=PLACE),
    "content/school-roof.md": event(title="Children lifted from the roof", date="2024-01-04",
                                    part_of="boats", place=PLACE),
    "content/inquiry.md": event(title="Inquiry opens", date="2024-02", place=PLACE,
                                in_response_to=["levee-breaks"]),
    "content/urdu.md": event(title=URDU_TITLE, date="2024-03-10", summary=URDU_SUMMARY,
                             place={**PLACE, "name": URDU_PLACE}, actors=[PERSIAN_ACTOR]),
    "content/secret-plan.md": event(title="Secret plan", date="2024-01-02", tags=["secret"], draft=True,
                                    place=PLACE),
    "content/pages/about.md": page(title="About this timeline", body="Made up.\n"),
    "content/eras.yaml": "- slug: wet\n  title: The wet weeks\n  start: 2024-01-01\n  end: 2024-01-31\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    result = build_site(tmp_path_factory.mktemp("render"), SITE)
    assert result.exit_code == 0, result
    return result


def times(html: str) -> list[str]:
    return re.findall(r"<time[^>]*>[^<]*</time>", html)


def test_home_page_order_causes_before_responses(site):
    listed = listed_events(site.read("index.html"))
    assert list(listed) == ["dam-built", "rain-begins", "levee-breaks", "rescue", "boats", "school-roof",
                            "inquiry", "urdu"]


def test_sub_events_nest_under_their_parent_on_the_home_page(site):
    listed = listed_events(site.read("index.html"))
    assert listed["boats"] == "rescue"
    assert {slug for slug, parent in listed.items() if parent is None} == {
        "dam-built", "rain-begins", "levee-breaks", "rescue", "inquiry", "urdu"}


def test_parts_of_parts_are_listed(site):
    assert listed_events(site.read("index.html")).get("school-roof") == "boats"


def test_led_to_is_computed_on_the_cause_page(site):
    html = site.read("events/levee-breaks/index.html")
    led_to = html[html.index("<dt>Led to</dt>"):]
    led_to = led_to[:led_to.index("</dl>")]
    assert '<a href="../rescue/" dir="auto">Rescue operation</a>' in led_to
    assert '<a href="../inquiry/" dir="auto">Inquiry opens</a>' in led_to
    assert '<dt>In response to</dt><dd><a href="../rain-begins/" dir="auto">Heavy rain begins</a>' in html


def test_parent_and_parts_on_event_pages(site):
    assert '<dt>Part of</dt><dd><a href="../rescue/" dir="auto">Rescue operation</a></dd>' in \
        site.read("events/boats/index.html")
    assert '<dt>Parts of this event</dt><dd><a href="../boats/" dir="auto">Boats reach the school</a>' in \
        site.read("events/rescue/index.html")


def test_month_precision_is_never_a_made_up_day(site):
    html = site.read("events/inquiry/index.html")
    assert '<time datetime="2024-02">February 2024</time>' in html
    assert "known to the month" in html
    assert not re.search(r"\b1 February 2024", html)
    assert '<time datetime="2024-02">February 2024</time>' in site.read("index.html")


def test_year_precision_and_approximate(site):
    html = site.read("events/dam-built/index.html")
    assert '<time datetime="2023">c. 2023</time>' in html
    assert "January 2023" not in html and "2023-01" not in html


def test_time_and_span(site):
    assert '<time datetime="2024-01-01T04:05">1 January 2024, 04:05</time>' in site.read("events/rain-begins/index.html")
    assert '<time datetime="2024-01-03">3–5 January 2024</time>' in site.read("events/rescue/index.html")


def test_month_archive_lists_the_month_event(site):
    assert list(listed_events(site.read("2024/02/index.html"))) == ["inquiry"]
    assert list(listed_events(site.read("2023/index.html"))) == ["dam-built"]
    assert not site.exists("2023/01/index.html")


def test_urdu_and_persian_text_is_kept_and_marked_dir_auto(site):
    html = site.read("events/urdu/index.html")
    assert f'<h1 dir="auto">{URDU_TITLE}</h1>' in html
    assert f'<p class="lede" dir="auto">{URDU_SUMMARY}</p>' in html
    assert re.search(rf'<a class="dateline-place" href="[^"]+" dir="auto">{URDU_PLACE}</a>', html)
    assert re.search(rf'<a href="[^"]+" dir="auto">{PERSIAN_ACTOR}</a>', html)
    home = site.read("index.html")
    assert re.search(rf'<a href="events/urdu/" dir="auto">{URDU_TITLE}</a>', home)
    assert f'<span class="event-place" dir="auto">{URDU_PLACE}</span>' in home
    # A non-Latin name gets its own term page (ZWNJ becomes a hyphen in the address).
    assert URDU_TITLE in site.read("actors/هلال-احمر/index.html")


def test_draft_has_no_page_and_no_listing(site):
    assert not site.exists("events/secret-plan/index.html")
    assert not site.exists("tags/secret/index.html")
    everything = "".join(site.read(f) for f in site.files() if f.endswith(".html"))
    assert "secret-plan" not in everything and "Secret plan" not in everything


def test_alias_redirects_to_the_event(site):
    html = site.read("old/levee/index.html")
    assert '<meta http-equiv="refresh" content="0; url=../../events/levee-breaks/">' in html
    assert '<a href="../../events/levee-breaks/">Levee breaks</a>' in html
    assert '<meta name="robots" content="noindex">' in html


def test_reports_are_each_shown_and_attributed(site):
    html = site.read("events/levee-breaks/index.html")
    assert "at least 3 civilians" in html
    assert "9 civilians" in html and "2 security forces" in html
    assert '<span class="badge">unverified claim</span>' in html
    assert html.count('<tr class="unverified">') == 1


def test_markdown_links_footnotes_and_page(site):
    levee = site.read("events/levee-breaks/index.html")
    assert '<a href="./#sources">levee</a>' in levee     # a link to itself
    assert '<a href="../rain-begins/">the rain</a>' in levee
    rain = site.read("events/rain-begins/index.html")
    assert 'class="footnotes"' in rain and "Station log." in rain
    assert '<h1 dir="auto">About this timeline</h1>' in site.read("about/index.html")
    assert '<a href="about/">About this timeline</a>' in site.read("index.html")


def test_era_band_on_the_home_page(site):
    home = site.read("index.html")
    assert home.count('<li class="era-start">') == 1 and "The wet weeks" in home
    assert "Part of the period <strong>The wet weeks</strong>" in site.read("events/levee-breaks/index.html")


def test_no_root_relative_links_outside_404(site):
    for name in site.files():
        if name.endswith(".html") and name != "404.html":
            assert not re.search(r'(?:href|src)="/(?!/)', site.read(name)), name


def test_a_count_of_one_reads_in_the_singular():
    from dateline.model import Counts
    from dateline.views import describe_counts
    text = describe_counts(Counts(civilians=1, unspecified=1), "killed")
    assert "1 civilians" not in text and "1 people" not in text


def test_events_at_one_spot_share_a_locator_map_but_each_marks_itself(tmp_path):
    """The locator map of a shared spot is drawn once and its marker's label filled in per
    event: each page must read as if its map were drawn for it alone, escaping included."""
    from dateline.config import load_config
    from dateline.render import Renderer
    from helpers import write_files
    titles = ['Tom & Jerry "quoted" <b>not bold</b>', "Second event at the spot", "A third"]
    files = {f"content/e{i}.md": event(title=t, date=f"2024-01-0{i + 1}", place=PLACE)
             for i, t in enumerate(titles)}
    files["content/alone.md"] = event(title="Alone & elsewhere", date="2024-02-01",
                                      place={**PLACE, "name": "Elsewhere", "lat": 40.1})
    root = write_files(tmp_path, files)
    from dateline.site import load
    site, errors = load(load_config(root))
    timeline = site.timeline
    renderer = Renderer(site)
    for e in timeline.events:
        alone = renderer._draw_locator(e, f"{e.title} (this event)")
        assert renderer.locator(e) == alone
        assert renderer.locator(e) == alone                      # drawn once, filled in again
    assert len(renderer._locators) == 1                          # the shared spot only
    shared = renderer.locator(timeline.event("e0"))
    assert 'Tom &amp; Jerry "quoted" &lt;b&gt;not bold&lt;/b&gt; (this event)' in shared   # its <title>, escaped
    assert "slot" not in shared and "Second event" not in shared


def test_root_links_are_made_relative_in_link_attributes_only():
    from dateline.render import relativize
    html = ('<a href="/tags/x/">t</a><a\thref="/events/b/#sources">b</a><p data-href="/tags/x/" title="/y">'
            '<use xlink:href="/static/i.svg#m"/><form action="/search/"><img src="/events/a/map.png">'
            '<a href="//elsewhere.example/">e</a><meta http-equiv="refresh" content="0; url=/events/b/">')
    assert relativize(html, "events/a/index.html", "/", False) == (
        '<a href="../../tags/x/">t</a><a\thref="../b/#sources">b</a><p data-href="/tags/x/" title="/y">'
        '<use xlink:href="../../static/i.svg#m"/><form action="../../search/"><img src="map.png">'
        '<a href="//elsewhere.example/">e</a><meta http-equiv="refresh" content="0; url=../b/">')
    assert relativize('<a href="/tags/x/">', "404.html", "/sub/", True) == '<a href="/sub/tags/x/">'
