"""Checks on the bundled content itself (content/), run through the engine's public API.

These tests guard the facts the timeline must get right: the dates of the listed events, the
relations between them, that every casualty figure cites a source of its own event, and that only
the four known web addresses appear.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dateline.config import load_config
from dateline.site import load

CONTENT = Path(__file__).parent.parent / "content"

# slug -> (date, end or None), as established in the fact sheet.
EXPECTED_DATES = {
    "kerman-bombing": ("2024-01-03", None),
    "iran-strikes-panjgur": ("2024-01-16", None),
    "pakistan-recalls-ambassador": ("2024-01-17", None),
    "pakistan-strikes-saravan": ("2024-01-18", None),
    "ambassadors-return-agreed": ("2024-01-22", None),
    "saravan-workers-killed": ("2024-01-27", None),
    "foreign-ministers-talks": ("2024-01-29", None),
    "mach-kolpur-attacks": ("2024-01-29", "2024-01-30"),
    "sibi-rally-bombing": ("2024-01-30", None),
    "imran-khan-cipher-sentence": ("2024-01-30", None),
    "general-election-2024": ("2024-02-08", None),
    "harnai-panjgur-raids": ("2026-01-29", "2026-01-30"),
    "coordinated-attacks-2026": ("2026-01-31", None),
}

EXPECTED_TIMES = {
    "kerman-bombing": "15:00",
    "pakistan-strikes-saravan": "04:05",
    "mach-kolpur-attacks": "21:00",
    "coordinated-attacks-2026": "05:00",
}

PARENT = "coordinated-attacks-2026"
SUB_EVENTS = [f"{PARENT}-{place}" for place in
              ("quetta", "mastung", "nushki", "dalbandin", "gwadar", "pasni", "kharan", "tump", "railway")]

KNOWN_URLS = {
    "https://middleeastmonitor.com/20240118-pakistan-targets-baloch-separatists-in-iran-with-retaliatory-missile-strikes/",
    "https://theglobeandmail.com/world/article-officials-say-one-policeman-six-insurgents-killed-as-rebels-launch/",
    "https://newyorkinsider.net/world/2024/01/30/separatist-rocket-fire-kills-pakistani-police-officer-injures-a-dozen-others/",
    "https://theguardian.com/world/2026/feb/01/dozens-killed-multiple-attacks-pakistan",
}


@pytest.fixture(scope="module")
def loaded():
    site, errors = load(load_config(CONTENT.parent))
    return (site.timeline if site else None), errors


@pytest.fixture(scope="module")
def timeline(loaded):
    timeline, errors = loaded
    assert not errors, "\n".join(str(e) for e in errors)
    return timeline


@pytest.fixture(scope="module")
def by_slug(timeline):
    return {event.slug: event for event in timeline.events}


def test_content_loads_without_errors(loaded):
    timeline, errors = loaded
    assert list(errors) == [], "\n".join(str(e) for e in errors)
    assert timeline is not None


def test_every_event_has_a_source(timeline):
    missing = [event.slug for event in timeline.events if not event.sources]
    assert missing == []


def test_every_event_has_a_summary_and_place(timeline):
    for event in timeline.events:
        assert event.summary, event.slug
        assert event.place is not None, event.slug


def test_every_report_cites_a_source_of_its_own_event(timeline):
    for event in timeline.events:
        ids = {source.id for source in event.sources}
        for report in event.reports:
            assert report.source in ids, f"{event.slug}: report by {report.by!r} cites {report.source!r}"
            assert report.by, event.slug
            assert report.as_of is not None, event.slug


def test_every_relation_points_at_an_existing_event(timeline, by_slug):
    for event in timeline.events:
        targets = list(event.in_response_to) + list(event.related)
        if event.part_of:
            targets.append(event.part_of)
        for slug in targets:
            assert slug in by_slug, f"{event.slug} points at missing event {slug!r}"
            assert slug != event.slug, f"{event.slug} points at itself"


def test_responses_come_after_their_causes(timeline, by_slug):
    for event in timeline.events:
        for cause in event.in_response_to:
            assert str(by_slug[cause].date) <= str(event.date), f"{event.slug} answers later event {cause}"


@pytest.mark.parametrize("slug", sorted(EXPECTED_DATES))
def test_dates_match_the_fact_sheet(by_slug, slug):
    assert slug in by_slug, f"missing event {slug}"
    event = by_slug[slug]
    date, end = EXPECTED_DATES[slug]
    assert str(event.date) == date
    assert (str(event.end) if event.end is not None else None) == end


@pytest.mark.parametrize("slug", sorted(EXPECTED_TIMES))
def test_times_match_the_fact_sheet(by_slug, slug):
    assert by_slug[slug].time == EXPECTED_TIMES[slug]


def test_no_event_is_dated_2_february_2026(timeline):
    # Seed 004 opens "On February 2": that is the report's dateline, not the attacks' date.
    for event in timeline.events:
        assert str(event.date) != "2026-02-02", event.slug
        assert event.end is None or str(event.end) != "2026-02-02", event.slug


@pytest.mark.parametrize("slug", SUB_EVENTS)
def test_sub_events_of_the_2026_attacks(by_slug, slug):
    assert slug in by_slug, f"missing sub-event {slug}"
    event = by_slug[slug]
    assert event.part_of == PARENT
    assert str(event.date) == "2026-01-31"
    assert event.place is not None
    assert -90 <= event.place.lat <= 90 and -180 <= event.place.lon <= 180
    assert event.place.precision in ("town", "district", "province", "country")


def test_railway_sub_event_is_marked_province_level(by_slug):
    assert by_slug[f"{PARENT}-railway"].place.precision == "province"


def test_only_known_urls(timeline):
    for event in timeline.events:
        for source in event.sources:
            if source.url is not None:
                assert source.url in KNOWN_URLS, f"{event.slug}: unknown url {source.url}"


def test_the_guardian_is_cited_with_its_address(by_slug):
    urls = {source.url for source in by_slug[PARENT].sources}
    assert "https://theguardian.com/world/2026/feb/01/dozens-killed-multiple-attacks-pakistan" in urls


def test_timeline_starts_with_kerman_and_ends_with_the_2026_attacks(timeline):
    assert timeline.events[0].slug == "kerman-bombing"
    top_level = [event for event in timeline.events if event.part_of is None]
    assert top_level[-1].slug == PARENT


def test_response_chain_of_january_2024(by_slug):
    assert "kerman-bombing" in by_slug["iran-strikes-panjgur"].in_response_to
    assert "iran-strikes-panjgur" in by_slug["pakistan-strikes-saravan"].in_response_to
    assert "iran-strikes-panjgur" in by_slug["pakistan-recalls-ambassador"].in_response_to
    assert "pakistan-strikes-saravan" in by_slug["mach-kolpur-attacks"].in_response_to
    # Sequence, not stated motive: the 2026 raids and attacks are only related.
    assert by_slug[PARENT].in_response_to == ()
    assert "harnai-panjgur-raids" in by_slug[PARENT].related


def test_unverified_claims_are_marked(by_slug):
    bla_reports = [r for r in by_slug[PARENT].reports if "BLA" in r.by]
    assert bla_reports and all(r.unverified for r in bla_reports)
