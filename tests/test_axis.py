"""The time axis (dateline/graphics/axis.py): its geometry, what it links to, its labels, its
casualty strip, and where a site shows it."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest

from dateline import catalogs
from dateline.dates import PartialDate
from dateline.graphics import axis
from dateline.graphics.labels import overlaps, text_box
from dateline.model import Counts, Era, Event, Report
from dateline.routes import archive_url, event_url

from helpers import PLACE, build_site, event as event_file


def ev(slug: str, date: str, *, title: str | None = None, part_of: str | None = None, end: str | None = None,
       killed: tuple[int, ...] = ()) -> Event:
    reports = tuple(Report(PartialDate.parse(date), f"Reporter {i}", "s1", killed=Counts(civilians=n))
                    for i, n in enumerate(killed))
    return Event(slug, f"{slug}.md", title or f"Event {slug}", PartialDate.parse(date), "", 1,
                 part_of=part_of, end=PartialDate.parse(end) if end else None, reports=reports)


def spread(n: int, start: dt.date, days: int) -> list[Event]:
    """`n` events spread evenly over `days` days from `start`."""
    return [ev(f"e{i}", (start + dt.timedelta(days=i * days // n)).isoformat()) for i in range(n)]


def lay(events, eras=(), **kw) -> axis.Axis:
    return axis.lay_out(events, eras, href=event_url, period_href=archive_url, **kw)


def svg_of(events, eras=(), **kw) -> ET.Element:
    html = axis.timeline_axis(events, eras, href=event_url, period_href=archive_url, **kw)
    return ET.fromstring(re.search(r"<svg.*</svg>", html, re.S).group(0))


def day(e: Event) -> int:
    return e.date.first_day().toordinal()


def segment_of(a: axis.Axis, t: int) -> axis.Segment:
    return next(s for s in a.segments if s.start <= t <= s.end)


# -- geometry --------------------------------------------------------------------------------------

def test_x_increases_with_time_and_is_to_scale_within_a_segment():
    events = [ev(f"e{i}", d) for i, d in enumerate(
        ["2024-01-03", "2024-01-09", "2024-01-20", "2024-02-14", "2024-03-01", "2024-03-30"])]
    a = lay(events)
    marks = {m.slugs[0]: m for m in a.marks}
    assert len(marks) == len(events) and len(a.segments) == 1
    xs = [marks[e.slug].x for e in events]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    first = events[0]
    for e in events[1:]:
        assert marks[e.slug].x - marks[first.slug].x == pytest.approx((day(e) - day(first)) * a.scale)
    assert a.segments[0].x0 >= 0 and xs[-1] <= a.width


def test_a_long_empty_stretch_is_a_break_labelled_with_its_length():
    events = [ev("a", "2024-01-10"), ev("b", "2024-01-14"), ev("c", "2025-11-10"), ev("d", "2025-11-20")]
    a = lay(events)
    assert len(a.segments) == 2 and len(a.breaks) == 1
    gap = a.breaks[0]
    assert gap.label == "22 months" and gap.days == day(events[2]) - day(events[1]) - 1
    drawn_to_scale = gap.days * a.scale
    assert gap.x1 - gap.x0 < drawn_to_scale / 10, "the break is not compressed"
    marks = {m.slugs[0]: m for m in a.marks}
    # to scale within each segment, one scale for both
    assert marks["b"].x - marks["a"].x == pytest.approx(4 * a.scale)
    assert marks["d"].x - marks["c"].x == pytest.approx(10 * a.scale)
    assert marks["b"].x < gap.x0 < gap.x1 < marks["c"].x
    svg = svg_of(events)
    assert [t.text for t in svg.iter("text") if t.get("class") == "axis-gap"] == ["22 months"]


def test_a_break_of_years_says_years_and_is_translated():
    events = [ev("a", "2020-01-10"), ev("b", "2024-03-01")]
    assert lay(events).breaks[0].label == "4 years"
    with catalogs.speaking("ur"):
        assert lay(events).breaks[0].label == "4 سال"
    with catalogs.speaking("fa"):
        assert lay(events).breaks[0].label == "۴ سال"


def test_short_stretches_are_never_compressed():
    events = spread(30, dt.date(2024, 1, 1), 50)
    assert not lay(events).breaks


def test_era_bands_are_where_the_eras_are():
    events = spread(20, dt.date(2024, 1, 1), 90)
    era = Era("crisis", "The crisis", PartialDate.parse("2024-01-16"), PartialDate.parse("2024-01-29"))
    outside = Era("long-before", "Long before", PartialDate.parse("2019-01-01"), PartialDate.parse("2019-12-31"))
    a = lay(events, (era, outside))
    assert len(a.eras) == 1
    x0, x1, name = a.eras[0]
    assert x0 == pytest.approx(a.x_of(era.start.first_day().toordinal()))
    assert x1 == pytest.approx(a.x_of(era.end.last_day().toordinal() + 1))
    assert x1 - x0 == pytest.approx(14 * a.scale)
    assert name and "The crisis".startswith(name.rstrip("…"))
    rects = [r for g in svg_of(events, (era, outside)).iter("g") if g.get("class") == "axis-eras" for r in g]
    assert [(float(r.get("x")), float(r.get("width"))) for r in rects] == [
        (pytest.approx(x0, abs=0.06), pytest.approx(x1 - x0, abs=0.06))]


# -- every event reachable ------------------------------------------------------------------------

def reached(a: axis.Axis, events) -> set[str]:
    """The events a reader reaches from the axis: marked, counted, or in a marked wave."""
    direct = {s for m in a.marks for s in m.slugs}
    by_slug = {e.slug: e for e in events}

    def ok(e: Event) -> bool:
        while True:
            if e.slug in direct:
                return True
            if e.part_of not in by_slug:
                return False
            e = by_slug[e.part_of]
    return {e.slug for e in events if ok(e)}


def test_crowded_months_become_counts_linking_to_the_month():
    quiet = [ev(f"q{i}", f"2024-0{m}-10") for i, m in enumerate((1, 3, 5, 7))]
    crowd = [ev(f"c{i}", f"2024-06-{1 + i % 28:02d}") for i in range(60)]
    events = sorted(quiet + crowd, key=day)
    a = lay(events)
    counts = [m for m in a.marks if m.kind == "count"]
    assert [(m.href, m.text, len(m.slugs)) for m in counts] == [("/2024/06/", "60", 60)]
    assert counts[0].name == "60 events, June 2024" and counts[0].text in counts[0].name
    assert {m.slugs[0] for m in a.marks if m.kind == "event"} == {e.slug for e in quiet}
    assert reached(a, events) == {e.slug for e in events}


def test_ten_thousand_events_become_counts_and_every_one_is_reachable():
    events = spread(10_000, dt.date(2016, 1, 1), 3650)
    a = lay(events)
    assert len(a.marks) <= 130, f"{len(a.marks)} marks"
    assert all(m.kind == "count" for m in a.marks)
    assert reached(a, events) == {e.slug for e in events}
    hrefs = {m.href for m in a.marks}
    assert all(re.fullmatch(r"/\d{4}/(\d{2}/)?", h) for h in hrefs)


def test_marks_keep_clear_of_each_other_as_touch_targets():
    events = spread(40, dt.date(2024, 1, 1), 20) + spread(5, dt.date(2024, 1, 25), 5)
    events = [ev(f"x{i}", str(e.date)) for i, e in enumerate(sorted(events, key=day))]
    a = lay(events)
    for m in a.marks:
        for o in a.marks:
            if o is not m and o.lane == m.lane:
                assert abs(o.x - m.x) >= axis.MIN_GAP and abs(o.x - m.x) >= m.half + o.half
    assert reached(a, events) == {e.slug for e in events}


def test_a_wave_is_one_mark_showing_its_size():
    events = [ev("before", "2026-01-20"), ev("wave", "2026-01-31", title="Coordinated attacks")] + [
        ev(f"w{i}", "2026-01-31", part_of="wave") for i in range(9)]
    a = lay(events)
    assert [m.slugs for m in a.marks] == [("before",), ("wave",)]
    wave = a.marks[1]
    assert wave.kind == "wave" and wave.text == "10"
    assert wave.name == "Coordinated attacks, 31 January 2026 (a wave of 10 events)"
    assert reached(a, events) == {e.slug for e in events}


def test_drafts_are_not_on_the_axis(tmp_path):
    result = build_site(tmp_path, {
        "content/a.md": event_file(title="Published one", date="2024-01-02", place=PLACE),
        "content/b.md": event_file(title="Another", date="2024-02-02", place=PLACE),
        "content/c.md": event_file(title="Draft one", date="2024-01-20", place=PLACE, draft=True),
    })
    assert result.exit_code == 0, result
    home = result.read("index.html")
    drawn = re.search(r'<svg class="axis".*?</svg>', home, re.S).group(0)
    assert 'href="events/a/"' in drawn and 'href="events/b/"' in drawn
    assert "events/c/" not in drawn and "Draft one" not in drawn
    year = result.read("2024/index.html")
    assert 'href="../events/a/"' in re.search(r'<svg class="axis".*?</svg>', year, re.S).group(0)
    assert 'class="axis"' not in result.read("2024/01/index.html"), "a month's page has no axis"


# -- labels -------------------------------------------------------------------------------------

@pytest.mark.parametrize("start,days,n", [
    (dt.date(2024, 1, 1), 6, 5),          # days
    (dt.date(2024, 1, 1), 90, 30),        # months (and days)
    (dt.date(2022, 5, 1), 800, 60),       # months, years
    (dt.date(1990, 1, 1), 365 * 35, 80),  # years
])
@pytest.mark.parametrize("language", ["en", "ur", "fa"])
def test_labels_never_collide(start, days, n, language):
    events = spread(n, start, days)
    eras = (Era("one", "A first era with a long name", PartialDate.parse(str(start)),
                PartialDate.parse(str(start + dt.timedelta(days=days // 3)))),
            Era("two", "Second", PartialDate.parse(str(start + dt.timedelta(days=days // 3 + 1))),
                PartialDate.parse(str(start + dt.timedelta(days=days)))))
    with catalogs.speaking(language):
        svg = svg_of(events, eras)
    boxes = []
    for group in svg.iter("g"):
        if group.get("class") in ("axis-labels", "axis-era-names"):
            size = float(group.get("font-size"))
            for t in group:
                boxes.append((t.text, text_box(float(t.get("x")), float(t.get("y")), t.text, size, "middle")))
    ticks = [b for b in boxes if re.search(r"\d", b[0])]
    assert len(ticks) >= 2, f"too few tick labels: {boxes}"
    width = float(svg.get("width"))
    for i, (text, box) in enumerate(boxes):
        assert box[0] >= 0 and box[2] <= width, f"{text!r} runs off the axis: {box}"
        for other, obox in boxes[i + 1:]:
            assert not overlaps(box, obox, 0), f"{text!r} and {other!r} overlap: {box} {obox}"


def test_ticks_follow_the_span():
    def labels(events):
        svg = svg_of(events)
        return [t.text for g in svg.iter("g") if g.get("class") == "axis-labels" for t in g
                if t.get("class") != "axis-gap"]
    assert "16" in labels(spread(5, dt.date(2024, 1, 14), 6))                 # day numbers
    assert "March" in labels(spread(20, dt.date(2024, 1, 1), 400))            # month names
    assert {"2000", "2010"} <= set(labels(spread(40, dt.date(1995, 1, 1), 365 * 20)))   # years


# -- accessible names, right to left ---------------------------------------------------------------

def test_every_mark_is_a_link_named_with_its_visible_text():
    events = [ev("solo", "2024-01-03", title="Solo")] + [ev("wave", "2024-02-10", title="Wave")] + [
        ev(f"w{i}", "2024-02-10", part_of="wave") for i in range(4)] + [
        ev(f"c{i}", f"2024-06-{1 + i % 28:02d}") for i in range(60)]
    for language in ("en", "ur", "fa"):
        with catalogs.speaking(language):
            svg = svg_of(events)
        links = [a for a in svg.iter("a")]
        assert len(links) == 3
        for a in links:
            assert a.get("href", "").startswith("/")
            title = a.find("title")
            assert title is not None and title.text.strip()
            for t in a.iter("text"):
                assert t.text in title.text, f"{language}: visible {t.text!r} not in the name {title.text!r}"
    assert svg.get("role") == "group" and svg.get("aria-label")


def test_right_to_left_time_runs_from_the_right():
    events = [ev("early", "2024-01-03"), ev("late", "2024-03-01")]
    with catalogs.speaking("ur"):
        svg = svg_of(events)
    cx = {a.get("href"): float(a.find("circle").get("cx")) for a in svg.iter("a")}
    assert cx["/events/early/"] > cx["/events/late/"]
    svg_en = svg_of(events)
    cx_en = {a.get("href"): float(a.find("circle").get("cx")) for a in svg_en.iter("a")}
    width = float(svg.get("width"))
    assert cx["/events/early/"] == pytest.approx(width - cx_en["/events/early/"], abs=0.06)


# -- the casualty strip --------------------------------------------------------------------------

def test_the_casualty_strip_shows_each_events_reported_range_never_a_merged_number():
    events = [ev("a", "2024-01-03", title="Bombing", killed=(5, 9, 7)), ev("b", "2024-01-20", killed=(4,)),
              ev("c", "2024-02-10")]
    a = lay(events, casualties=True)
    tolls = {m.slugs[0]: m.toll for m in a.marks}
    assert tolls == {"a": (5, 9), "b": (4, 4), "c": None}
    named = {m.slugs[0]: m.name for m in a.marks}
    assert named["a"] == "Bombing, 3 January 2024; killed, as reported: 5 to 9"
    assert "21" not in named["a"] and "7" not in named["a"].split(":")[-1]
    html = axis.timeline_axis(events, (), href=event_url, period_href=archive_url, casualties=True)
    assert 'class="axis-toll"' in html
    legend = re.search(r'<p class="axis-legend">(.*?)</p>', html).group(1)
    assert "lowest to the highest" in legend and "never one merged figure" in legend
    path = re.search(r'class="axis-toll" d="([^"]+)"', html).group(1)
    assert path.count("M") == 2, "one line per event with figures"


def test_without_the_setting_there_is_no_strip():
    events = [ev("a", "2024-01-03", killed=(5, 9))]
    html = axis.timeline_axis(events, (), href=event_url, period_href=archive_url)
    assert "axis-toll" not in html and "axis-legend" not in html and "killed" not in html


def test_the_setting_turns_the_strip_on_for_a_site(tmp_path):
    report = {"as_of": "2024-01-02", "by": "Police", "source": "s1", "killed": {"civilians": 3}}
    result = build_site(tmp_path, {"content/a.md": event_file(
        title="A", date="2024-01-02", place=PLACE, sources=[{"id": "s1", "publisher": "P", "title": "T",
                                                           "date": "2024-01-02"}], reports=[report])},
        pyproject="[tool.dateline]\ntitle = \"T\"\naxis_casualties = true\n")
    assert result.exit_code == 0, result
    assert 'class="axis-toll"' in result.read("index.html")


def test_the_setting_must_be_true_or_false(tmp_path):
    result = build_site(tmp_path, {"content/a.md": event_file(title="A", date="2024-01-02")}, "check",
                        pyproject="[tool.dateline]\ntitle = \"T\"\naxis_casualties = \"yes\"\n")
    assert result.exit_code == 2, result
    assert "pyproject.toml:3: setting 'axis_casualties' must be true or false, not 'yes'" in result.stderr


def test_no_events_no_axis():
    assert axis.timeline_axis([], (), href=event_url, period_href=archive_url) == ""


def test_a_date_known_to_its_year_or_month_gets_no_finer_ticks():
    events = [ev("y", "2019"), ev("m", "2024-02"), ev("d1", "2030-01-03"), ev("d2", "2030-01-20")]
    svg = svg_of(events)
    labels = [t.text for g in svg.iter("g") if g.get("class") == "axis-labels" for t in g
              if t.get("class") != "axis-gap"]
    assert "2019" in labels and not any("2019" in t and t != "2019" for t in labels), labels
    assert not any(re.match(r"\d+ February 2024", t) for t in labels), labels
    assert any(re.match(r"\d+ January 2030", t) for t in labels), labels


def test_each_month_has_an_anchor_on_its_first_mark():
    events = [ev("a", "2024-01-03"), ev("b", "2024-01-20"), ev("c", "2024-03-02"), ev("y", "2025")] + [
        ev(f"c{i}", f"2024-06-{1 + i % 28:02d}") for i in range(60)]
    svg = svg_of(events)
    ids = {a.get("href"): a.get("id") for a in svg.iter("a")}
    assert ids == {"/events/a/": "axis-2024-01", "/events/b/": None, "/events/c/": "axis-2024-03",
                   "/2024/06/": "axis-2024-06", "/events/y/": "axis-2025"}


def test_centuries_of_years_widen_the_axis_rather_than_crowd_it():
    events = [ev(f"y{y}", f"{y:04d}") for y in range(1000, 2000, 2)]
    a = lay(events)
    assert a.width > axis.WIDTH
    assert reached(a, events) == {e.slug for e in events}
    for m in a.marks:
        for o in a.marks:
            if o is not m and o.lane == m.lane:
                assert abs(o.x - m.x) >= axis.MIN_GAP
