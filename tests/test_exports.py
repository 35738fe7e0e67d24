"""The data exports, each read back with a real parser: feedparser (Atom), JSON Schema (JSON
Feed 1.1, GeoJSON), icalendar (events.ics), csv (events.csv, reports.csv), json (TimelineJS),
xml.etree (sitemap), plus the JSON-LD, OpenGraph and feed links in the pages.

Two sources of truth: the bundled content (built in memory with a base_url that has a host, and
once as configured, without one) and a small inline fixture site for the edge cases (partial
dates, spans, times, a place-less event, hostile text)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import posixpath
import re
import socket
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import icalendar
import jsonschema
import pytest

from dateline import pipeline
from dateline.config import load_config
from helpers import PLACE, Raw, build_site, event, source

REPO = Path(__file__).resolve().parents[1]
HOST_URL = "https://example.org/timeline/"
EXPORTS = ("feed.xml", "feed.json", "events.ics", "events.geojson", "events.csv", "reports.csv",
           "timeline.json", "sitemap.xml")

# -- schemas -----------------------------------------------------------------------------------

DATE_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
HTTP_URL = r"^https?://[^\s/]+/\S*$"

# JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), the required structure and the types
# of the fields dateline writes.
JSON_FEED_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string", "minLength": 1},
        "home_page_url": {"type": "string", "pattern": HTTP_URL},
        "feed_url": {"type": "string", "pattern": HTTP_URL},
        "description": {"type": "string"},
        "language": {"type": "string"},
        "authors": {"type": "array", "items": {"type": "object", "minProperties": 1,
                                                "properties": {"name": {"type": "string"},
                                                               "url": {"type": "string"}}}},
        "items": {"type": "array", "items": {
            "type": "object",
            "required": ["id"],
            "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
            "properties": {
                "id": {"type": "string", "minLength": 1},
                "url": {"type": "string", "pattern": HTTP_URL},
                "title": {"type": "string"},
                "summary": {"type": "string"},
                "content_html": {"type": "string"},
                "content_text": {"type": "string"},
                "date_published": {"type": "string", "pattern": DATE_TIME},
                "date_modified": {"type": "string", "pattern": DATE_TIME},
                "tags": {"type": "array", "items": {"type": "string"}},
            },
        }},
    },
}

# RFC 7946, for what dateline writes: a FeatureCollection of Features whose geometry is a Point
# ([longitude, latitude] in range) or null; no "crs" member (RFC 7946 removed it).
GEOJSON_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["type", "features"],
    "not": {"required": ["crs"]},
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {"type": "array", "items": {"$ref": "#/$defs/feature"}},
    },
    "$defs": {
        "position": {"type": "array", "minItems": 2, "maxItems": 3,
                     "prefixItems": [{"type": "number", "minimum": -180, "maximum": 180},
                                     {"type": "number", "minimum": -90, "maximum": 90}],
                     "items": {"type": "number"}},
        "point": {"type": "object", "required": ["type", "coordinates"],
                  "properties": {"type": {"const": "Point"},
                                 "coordinates": {"$ref": "#/$defs/position"}}},
        "feature": {"type": "object", "required": ["type", "geometry", "properties"],
                    "properties": {"type": {"const": "Feature"},
                                   "id": {"type": ["string", "number"]},
                                   "geometry": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/point"}]},
                                   "properties": {"type": ["object", "null"]}}},
    },
}


def validate(data, schema) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


# -- the bundled content -----------------------------------------------------------------------

def bundled_config(base_url: str | None = HOST_URL):
    config = load_config(REPO)
    return dataclasses.replace(config, base_url=base_url) if base_url else config


@pytest.fixture(scope="module")
def bundled():
    """The bundled site rendered in memory, with a base_url that has a host."""
    result = pipeline.render(bundled_config())
    assert not result.errors, result.errors
    return result


@pytest.fixture(scope="module")
def bundled_again(bundled):
    """The bundled site rendered a second time, in the same way: what must not change between builds."""
    return pipeline.render(bundled_config())


@pytest.fixture(scope="module")
def bundled_no_host():
    """The bundled site as configured (base_url "/": no host)."""
    result = pipeline.render(bundled_config(None))
    assert not result.errors, result.errors
    return result


def text(result, name: str) -> str:
    return result.files[name].decode("utf-8")


# -- the fixture site --------------------------------------------------------------------------

INJECTION = '=HYPERLINK("http://x")'
SCRIPT_BREAK = "Ends </script><!-- here"
FIXTURE = {
    "content/dam-built.md": event(title="Dam built upstream", date=Raw("2019"), place=PLACE,
                                  summary="Known only to the year."),
    "content/wet-month.md": event(title="Wettest month on record", date=Raw("2024-02"), place=PLACE,
                                  approximate=True, tags=["flood warning"]),
    "content/hostile.md": event(
        title=INJECTION, date=Raw("2024-03-05"), time="04:05", summary="@SUM(A1) and more",
        actors=["-Militia", "Police; Army, Inc"], tags=["bombing", "attack on civilians"],
        place={"name": "West, Town", "country": "Vale", "lat": 46.123456789, "lon": -7.41234567,
               "precision": "district"},
        sources=[source("s1"), source("s2", publisher="+Radio Vale", url="https://radio.example/a?b=1&c=2")],
        reports=[{"as_of": "2024-03-05", "by": "The mayor", "source": "s1", "killed": {"civilians": 3}},
                 {"as_of": "2024-03-06", "by": "=The army", "source": "s2", "at_least": True,
                  "killed": {"civilians": 2, "security": 4}, "injured": {"civilians": 7}},
                 {"as_of": "2024-03-06", "by": "A militant group", "source": "s2", "unverified": True,
                  "killed": {"security": 1}},
                 {"as_of": "2024-03-07", "by": "Nobody", "source": "s1", "note": "-No figure given."}],
        body="The attack, [with a footnote](#fn-1).[^1]\n\n[^1]: A note.\n"),
    "content/span.md": event(title="Span, with; punctuation \\ and a backslash", date=Raw("2024-03-10"),
                             end=Raw("2024-03-12"), place=PLACE, aliases=["/old/span/"],
                             body="Follows [the attack](hostile.md) and [the dam](dam-built.md#why).\n"),
    "content/span-part.md": event(title="A part of the span", date=Raw("2024-03-11"), part_of="span",
                                  place=PLACE),
    "content/unplaced.md": event(title="No place known", date=Raw("2024-04-01"), summary=SCRIPT_BREAK),
    "content/secret.md": event(title="A draft", date=Raw("2024-04-02"), draft=True, place=PLACE),
    "content/eras.yaml": "- slug: wet\n  title: The wet weeks\n  start: 2024-02-01\n  end: 2024-03-31\n",
}
FIXTURE_EVENTS = ["dam-built", "wet-month", "hostile", "span", "span-part", "unplaced"]


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    result = build_site(tmp_path_factory.mktemp("exports"), FIXTURE, "build", "--base-url",
                        "https://example.org/sub/")
    assert result.exit_code == 0, result
    return result


def fixture_bytes(site, name: str) -> bytes:
    return (site.out_dir / name).read_bytes()


def fixture_text(site, name: str) -> str:
    return fixture_bytes(site, name).decode("utf-8")


# -- Atom --------------------------------------------------------------------------------------

def test_atom_feed_parses_with_one_entry_per_event_and_absolute_links(bundled):
    feed = feedparser.parse(bundled.files["feed.xml"])
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    events = bundled.timeline.events
    assert len(feed.entries) == len(events)
    assert [e.id for e in feed.entries] == [HOST_URL + f"events/{e.slug}/" for e in reversed(events)]
    for entry in feed.entries:
        assert entry.link.startswith(HOST_URL + "events/")
        assert entry.published_parsed and entry.updated_parsed >= entry.published_parsed
        content = entry.content[0].value
        hrefs = re.findall(r'href="([^"]*)"', content)
        assert all(h.startswith(("https://", "http://", "mailto:")) for h in hrefs), hrefs
    mach = next(e for e in feed.entries if e.id.endswith("/mach-kolpur-attacks/"))
    assert mach.published.startswith("2024-01-29")
    assert {t.term for t in mach.tags} == {"BLA attack", "prison attack"}
    assert "https://example.org/timeline/events/pakistan-strikes-saravan/" in mach.content[0].value
    assert feed.feed.updated == max(e.updated for e in feed.entries)


def test_atom_feed_without_a_host_uses_tag_uris(bundled_no_host):
    feed = feedparser.parse(bundled_no_host.files["feed.xml"])
    assert not feed.bozo, feed.get("bozo_exception")
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == len(ids) == len(bundled_no_host.timeline.events)
    prefix = "tag:strikes-and-insurgency-iran-pakistan-and-balochistan-2024-2026,2024:events/"
    assert all(i.startswith(prefix) and re.fullmatch(r"tag:[a-z0-9.-]+,\d{4}:\S+", i) for i in ids), ids[:3]


def test_links_without_a_host_hold_wherever_the_site_is_hosted(bundled_no_host):
    """With base_url "/" the site may still be put under a subpath: the links in the files at
    its root are paths from the root, which resolve against the file's own address."""
    files = bundled_no_host.files
    for hosted in ("https://example.org/", "https://example.net/mirror/timeline/"):
        feed = feedparser.parse(files["feed.xml"], response_headers={"content-location": hosted + "feed.xml",
                                                                   "content-type": "application/atom+xml"})
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.feed.link == hosted
        assert all(e.link.startswith(hosted + "events/") for e in feed.entries)
        body_links = [h for e in feed.entries for h in re.findall(r'href="([^"]*)"', e.content[0].value)]
        assert body_links and not [h for h in body_links if h.startswith("/")], body_links
    kerman = next(f for f in json.loads(files["events.geojson"])["features"]
                  if f["properties"]["url"].endswith("/kerman-bombing/"))
    assert kerman["properties"]["url"] == "events/kerman-bombing/"
    rows = list(csv.DictReader(io.StringIO(files["events.csv"].decode("utf-8"))))
    assert rows and all(r["url"].startswith("events/") for r in rows)


def test_atom_escapes_hostile_text(fixture_site):
    raw = fixture_text(fixture_site, "feed.xml")
    ET.fromstring(raw.encode())      # well-formed
    feed = feedparser.parse(raw)
    assert not feed.bozo, feed.get("bozo_exception")
    assert [e.id.rsplit("/", 2)[-2] for e in feed.entries] == list(reversed(FIXTURE_EVENTS))
    titles = {e.title for e in feed.entries}
    assert INJECTION in titles and "A draft" not in titles
    unplaced = next(e for e in feed.entries if e.id.endswith("/unplaced/"))
    assert unplaced.summary == SCRIPT_BREAK
    hostile = next(e for e in feed.entries if e.id.endswith("/hostile/"))
    assert 'href="https://example.org/sub/events/hostile/#fn-1"' in hostile.content[0].value
    span = next(e for e in feed.entries if e.id.endswith("/span/"))
    assert 'href="https://example.org/sub/events/dam-built/#why"' in span.content[0].value


# -- JSON Feed ---------------------------------------------------------------------------------

def test_json_feed_is_valid_with_one_item_per_event(bundled):
    data = json.loads(bundled.files["feed.json"])
    validate(data, JSON_FEED_SCHEMA)
    events = bundled.timeline.events
    assert [i["id"] for i in data["items"]] == [HOST_URL + f"events/{e.slug}/" for e in reversed(events)]
    atom_ids = [e.id for e in feedparser.parse(bundled.files["feed.xml"]).entries]
    assert atom_ids == [i["id"] for i in data["items"]]
    for item in data["items"]:
        hrefs = re.findall(r'href="([^"]*)"', item["content_html"])
        assert all(h.startswith(("https://", "http://")) for h in hrefs), hrefs


def test_json_feed_without_a_host_leaves_out_relative_urls(bundled_no_host):
    data = json.loads(bundled_no_host.files["feed.json"])
    validate(data, JSON_FEED_SCHEMA)
    assert "home_page_url" not in data and "feed_url" not in data
    assert all("url" not in item and item["id"].startswith("tag:") for item in data["items"])


def test_json_feed_partial_dates_become_first_days(fixture_site):
    data = json.loads(fixture_text(fixture_site, "feed.json"))
    validate(data, JSON_FEED_SCHEMA)
    published = {i["id"].rsplit("/", 2)[-2]: i["date_published"] for i in data["items"]}
    assert published["dam-built"] == "2019-01-01T00:00:00Z"
    assert published["wet-month"] == "2024-02-01T00:00:00Z"
    assert published["hostile"] == "2024-03-05T00:00:00Z"
    assert len(data["items"]) == len(FIXTURE_EVENTS)


# -- iCalendar ---------------------------------------------------------------------------------

def vevents(raw: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(raw)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_ics_parses_with_one_vevent_per_event_and_stable_uids(bundled, bundled_again):
    raw = bundled.files["events.ics"]
    calendar = icalendar.Calendar.from_ical(raw)
    found = calendar.walk("VEVENT")
    assert len(found) == len(bundled.timeline.events)
    uids = [str(e["UID"]) for e in found]
    assert len(set(uids)) == len(uids)
    assert uids == [f"{e.slug}@example.org" for e in bundled.timeline.events]
    assert [str(e["UID"]) for e in icalendar.Calendar.from_ical(bundled_again.files["events.ics"]).walk("VEVENT")] == uids
    for event in found:
        assert isinstance(event["DTSTAMP"].dt, datetime)
        assert str(event["URL"]).startswith(HOST_URL)
    panjgur = vevents(raw)["iran-strikes-panjgur@example.org"]
    start = panjgur["DTSTART"].dt
    assert type(start) is date and start == date(2024, 1, 16)
    assert panjgur["DTEND"].dt == date(2024, 1, 17)
    kerman = vevents(raw)["kerman-bombing@example.org"]
    assert kerman["GEO"].latitude == pytest.approx(30.28) and kerman["GEO"].longitude == pytest.approx(57.08)


def test_ics_lines_are_folded_crlf_and_escaped(fixture_site):
    raw = fixture_bytes(fixture_site, "events.ics")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines), "some line was long enough to fold"
    for line in lines:
        line.decode("utf-8")             # no UTF-8 character split by a fold
    found = vevents(raw)
    assert len(found) == len(FIXTURE_EVENTS) and "secret@example.org" not in found
    span = found["span@example.org"]
    assert str(span["SUMMARY"]) == "Span, with; punctuation \\ and a backslash"
    assert b"SUMMARY:Span\\, with\\; punctuation \\\\ and a backslash" in raw
    assert str(found["hostile@example.org"]["LOCATION"]) == "West, Town, Vale"


def test_ics_dates_keep_their_precision(fixture_site):
    found = vevents(fixture_bytes(fixture_site, "events.ics"))
    month = found["wet-month@example.org"]
    assert type(month["DTSTART"].dt) is date
    assert (month["DTSTART"].dt, month["DTEND"].dt) == (date(2024, 2, 1), date(2024, 3, 1))
    assert "Date known to the month." in str(month["DESCRIPTION"])
    assert "Date approximate." in str(month["DESCRIPTION"])
    year = found["dam-built@example.org"]
    assert (year["DTSTART"].dt, year["DTEND"].dt) == (date(2019, 1, 1), date(2020, 1, 1))
    assert "Date known to the year." in str(year["DESCRIPTION"])
    span = found["span@example.org"]
    assert (span["DTSTART"].dt, span["DTEND"].dt) == (date(2024, 3, 10), date(2024, 3, 13))
    timed = found["hostile@example.org"]
    start = timed["DTSTART"].dt
    assert isinstance(start, datetime) and start.tzinfo is None       # floating local time
    assert start == datetime(2024, 3, 5, 4, 5)
    assert timed["DURATION"].dt == timedelta(hours=1)
    assert "GEO" not in found["unplaced@example.org"]
    assert str(timed["DTSTAMP"].to_ical().decode()) == "20240307T000000Z"   # newest date it carries


# -- GeoJSON -----------------------------------------------------------------------------------

def test_geojson_is_rfc7946_with_longitude_first(bundled):
    data = json.loads(bundled.files["events.geojson"])
    validate(data, GEOJSON_SCHEMA)
    features = data["features"]
    assert [f["id"] for f in features] == [e.slug for e in bundled.timeline.events]
    kerman = next(f for f in features if f["id"] == "kerman-bombing")
    assert kerman["geometry"]["coordinates"] == [57.08, 30.28]
    assert kerman["properties"]["date"] == "2024-01-03" and kerman["properties"]["date_precision"] == "day"
    assert kerman["properties"]["url"] == HOST_URL + "events/kerman-bombing/"


def test_geojson_rounds_and_keeps_placeless_events(fixture_site):
    data = json.loads(fixture_text(fixture_site, "events.geojson"))
    validate(data, GEOJSON_SCHEMA)
    features = {f["id"]: f for f in data["features"]}
    assert list(features) == FIXTURE_EVENTS
    assert features["unplaced"]["geometry"] is None
    assert features["hostile"]["geometry"]["coordinates"] == [-7.41235, 46.12346]
    props = features["wet-month"]["properties"]
    assert (props["date"], props["date_text"], props["date_precision"], props["approximate"]) == \
        ("2024-02-01", "2024-02", "month", True)
    assert features["dam-built"]["properties"]["date"] == "2019-01-01"
    assert features["dam-built"]["properties"]["date_text"] == "2019"
    assert features["span"]["properties"]["end"] == "2024-03-12"
    assert features["hostile"]["properties"]["place_precision"] == "district"


# -- CSV ---------------------------------------------------------------------------------------

def rows(raw: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))


def test_events_csv_one_row_per_event_with_conservative_fatalities(bundled):
    table = rows(bundled.files["events.csv"])
    assert [r["event_id"] for r in table] == [e.slug for e in bundled.timeline.events]
    by_id = {r["event_id"]: r for r in table}
    mach = by_id["mach-kolpur-attacks"]
    # Reports count none on the security side (29 January); 5, then 6 militants; at least 1 policeman;
    # at least 4 + 2 + 9; an unverified 2; 4 + 2 + 24. Only the military's count every group the
    # reports count: the smallest of those totals, not the 5 of a count of militants alone.
    assert mach["fatalities"] == "15"
    assert mach["time_precision"] == "2"                    # it has an end
    assert (mach["latitude"], mach["longitude"], mach["geo_precision"]) == ("29.87", "67.33", "1")
    assert mach["source"] == ("New York Insider; The Globe and Mail; Dawn; Deccan Herald; The News; "
                              "News Vibes of India; Pakistan Standard")
    assert by_id["kerman-bombing"]["fatalities"] == "84"
    # the interior minister's 10 security personnel is a partial count, not the day's total
    assert by_id["coordinated-attacks-2026"]["fatalities"] == "88"
    assert by_id["kerman-bombing"]["event_type"] == "Explosions/Remote violence"
    assert by_id["pakistan-recalls-ambassador"]["fatalities"] == ""
    assert by_id["pakistan-recalls-ambassador"]["event_type"] == ""
    assert bundled.files["events.csv"].count(b"\r\n") == len(table) + 1


def test_reports_csv_one_row_per_report(bundled):
    table = rows(bundled.files["reports.csv"])
    reports = [(e.slug, r) for e in bundled.timeline.events for r in e.reports]
    assert len(table) == len(reports)
    assert [r["event_id"] for r in table] == [slug for slug, _ in reports]
    mach = [r for r in table if r["event_id"] == "mach-kolpur-attacks"]
    assert [r["killed_militants"] for r in mach] == ["", "5", "6", "", "", "9", "", "2", "24"]
    assert [r["unverified"] for r in mach] == ["false"] * 7 + ["true", "false"]
    assert mach[5]["source_publisher"] == "The Globe and Mail" and mach[5]["killed_civilians"] == "2"
    assert mach[0]["killed_security"] == "0"                # reported as none
    assert mach[1]["killed_security"] == ""                 # not reported is not zero


def test_csv_neutralises_formula_injection(fixture_site):
    events = {r["event_id"]: r for r in rows(fixture_bytes(fixture_site, "events.csv"))}
    hostile = events["hostile"]
    assert hostile["title"] == "'" + INJECTION
    assert hostile["notes"] == "'@SUM(A1) and more"
    assert hostile["actor1"] == "'-Militia" and hostile["actor2"] == "Police; Army, Inc"
    assert hostile["longitude"] == "-7.41235"               # a real number keeps its minus sign
    assert hostile["source"] == "The Courier; +Radio Vale"
    assert hostile["fatalities"] == "6"                     # at least 6; the 3 counts fewer groups, the unverified 1 is left out
    assert hostile["event_type"] == "Explosions/Remote violence"
    month, year = events["wet-month"], events["dam-built"]
    assert (month["time_precision"], month["event_date"], month["date_text"], month["date_precision"]) == \
        ("3", "2024-02-01", "2024-02", "month")
    assert (year["event_date"], year["date_text"], year["date_precision"]) == ("2019-01-01", "2019", "year")
    assert events["unplaced"]["latitude"] == "" and events["unplaced"]["geo_precision"] == ""
    reports = rows(fixture_bytes(fixture_site, "reports.csv"))
    assert [r["reported_by"] for r in reports] == ["The mayor", "'=The army", "A militant group", "Nobody"]
    assert reports[1]["source_publisher"] == "'+Radio Vale"
    assert reports[1]["source_url"] == "https://radio.example/a?b=1&c=2"
    assert reports[3]["note"] == "'-No figure given." and reports[3]["killed_civilians"] == ""
    raw = fixture_text(fixture_site, "events.csv")
    assert '"\'=HYPERLINK(""http://x"")"' in raw         # RFC 4180: quotes doubled inside quotes
    for cell in (c for r in rows(fixture_bytes(fixture_site, "events.csv")) for c in r.values()):
        assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
        assert not cell.startswith("-") or re.fullmatch(r"-\d+(\.\d+)?", cell), cell


def test_date_columns_are_full_days_that_data_tools_read_as_dates(fixture_site, tmp_path):
    """One event known only to its month (or year) must not turn a whole date column into text:
    every value of events.csv's event_date and of events.geojson's date and end is a full ISO
    day; the date as written stays beside it."""
    files = {"content/a.md": event(title="A", date="2024-02", end="2024-04", place=PLACE),
             "content/b.md": event(title="B", date="2023", place=PLACE),
             "content/c.md": event(title="C", date="2024-05-06", place=PLACE)}
    site = build_site(tmp_path, files)
    assert site.exit_code == 0, site
    for raw in (fixture_bytes(fixture_site, "events.csv"), site.read("events.csv").encode()):
        table = rows(raw)
        for row in table:
            assert date.fromisoformat(row["event_date"]).isoformat() == row["event_date"]
            assert row["event_date"].startswith(row["date_text"])
        assert list(table[0])[-2:] == ["date_text", "date_precision"]     # today's columns keep their places
    features = {f["id"]: f["properties"] for f in json.loads(site.read("events.geojson"))["features"]}
    for props in features.values():
        assert date.fromisoformat(props["date"]).isoformat() == props["date"]
        assert props["end"] is None or date.fromisoformat(props["end"]).isoformat() == props["end"]
    assert (features["a"]["date"], features["a"]["end"], features["a"]["end_text"]) == \
        ("2024-02-01", "2024-04-30", "2024-04")


# -- TimelineJS --------------------------------------------------------------------------------

def test_timelinejs_has_one_slide_per_event_and_the_eras(bundled):
    data = json.loads(bundled.files["timeline.json"])
    assert data["title"]["text"]["headline"]
    events = bundled.timeline.events
    assert [s["unique_id"] for s in data["events"]] == [e.slug for e in events]
    for slide in data["events"]:
        assert isinstance(slide["start_date"]["year"], int)
        assert slide["text"]["headline"]
    mach = next(s for s in data["events"] if s["unique_id"] == "mach-kolpur-attacks")
    assert mach["start_date"] == {"year": 2024, "month": 1, "day": 29, "hour": 21, "minute": 0}
    assert mach["end_date"] == {"year": 2024, "month": 1, "day": 30}
    assert mach["display_date"] == "29–30 January 2024"
    assert [e["text"]["headline"] for e in data["eras"]] == [era.title for era in bundled.timeline.eras]


def test_timelinejs_dates_omit_what_is_not_known(fixture_site):
    data = json.loads(fixture_text(fixture_site, "timeline.json"))
    slides = {s["unique_id"]: s for s in data["events"]}
    assert list(slides) == FIXTURE_EVENTS
    assert slides["dam-built"]["start_date"] == {"year": 2019}
    assert slides["wet-month"]["start_date"] == {"year": 2024, "month": 2}
    assert slides["wet-month"]["display_date"] == "c. February 2024"
    assert slides["hostile"]["text"]["headline"] == '=HYPERLINK("http://x")'
    assert "&lt;/script&gt;" in slides["unplaced"]["text"]["text"]
    assert data["eras"] == [{"start_date": {"year": 2024, "month": 2, "day": 1},
                             "end_date": {"year": 2024, "month": 3, "day": 31},
                             "text": {"headline": "The wet weeks"}}]


# -- sitemap and robots.txt --------------------------------------------------------------------

def test_sitemap_lists_every_page_but_404_and_aliases(fixture_site):
    root = ET.fromstring(fixture_bytes(fixture_site, "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    pages = [f for f in fixture_site.files() if f.endswith(".html")]
    expected = sorted("https://example.org/sub/" + f.removesuffix("index.html") for f in pages
                      if f != "404.html" and not f.startswith("old/"))
    assert locs == expected
    assert "https://example.org/sub/events/span/" in locs and "https://example.org/sub/" in locs
    assert not any("old/span" in loc or "404" in loc for loc in locs)
    assert not (fixture_site.out_dir / "robots.txt").exists()   # under a subpath: see below


def test_no_sitemap_without_a_host(bundled_no_host):
    assert "sitemap.xml" not in bundled_no_host.files
    assert bundled_no_host.files["robots.txt"] == b"User-agent: *\nAllow: /\n"


def test_robots_txt_only_at_a_domains_root(bundled, tmp_path):
    """Crawlers read /robots.txt only; one under a subpath is read by no one."""
    assert "robots.txt" not in bundled.files and "sitemap.xml" in bundled.files   # HOST_URL has a subpath
    root = build_site(tmp_path, {"content/a.md": event(title="A", date="2024-01-02", place=PLACE)}, "check").out_dir.parent
    under = pipeline.render(load_config(root, {"base_url": "/timeline/"}))
    assert "robots.txt" not in under.files and "sitemap.xml" not in under.files
    at_root = pipeline.render(load_config(root, {"base_url": "https://example.org/"}))
    assert at_root.files["robots.txt"] == b"User-agent: *\nAllow: /\nSitemap: https://example.org/sitemap.xml\n"


# -- JSON-LD, OpenGraph, feed links ------------------------------------------------------------

class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.links: list[dict] = []
        self.scripts: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "property" in attrs:
            self.meta.append((attrs["property"], attrs.get("content", "")))
        elif tag == "link" and attrs.get("rel") == "alternate":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.scripts[-1] += data


def head(html: str) -> _Head:
    parser = _Head()
    parser.feed(html)
    return parser


def test_event_pages_carry_schema_org_event_json_ld(bundled):
    page = head(text(bundled, "events/mach-kolpur-attacks/index.html"))
    assert len(page.scripts) == 1
    data = json.loads(page.scripts[0])
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == "BLA attacks on Mach and Kolpur"
    assert (data["startDate"], data["endDate"]) == ("2024-01-29T21:00", "2024-01-30")
    assert data["url"] == HOST_URL + "events/mach-kolpur-attacks/"
    location = data["location"]
    assert location["@type"] == "Place" and location["name"] == "Mach"
    assert location["geo"] == {"@type": "GeoCoordinates", "latitude": 29.87, "longitude": 67.33}
    assert location["address"]["addressCountry"] == "Pakistan"
    assert [c["publisher"]["name"] for c in data["citation"]] == \
        ["New York Insider", "The Globe and Mail", "Dawn", "Deccan Herald", "The News", "News Vibes of India",
         "Pakistan Standard"]
    assert all(c["@type"] == "CreativeWork" for c in data["citation"])
    assert [c["datePublished"] for c in data["citation"]] == \
        ["2024-01-30", "2024-01-30", "2024-01", "2024-01-30", "2024-01", "2024-01", "2024-02-02"]
    assert [c["@type"] for c in data["correction"]] == ["CorrectionComment"] * 4
    assert {c["datePublished"] for c in data["correction"]} == {"2026-12-05"} and data["dateModified"] == "2026-12-05"
    part = json.loads(head(text(bundled, "events/coordinated-attacks-2026-quetta/index.html")).scripts[0])
    assert part["superEvent"]["url"] == HOST_URL + "events/coordinated-attacks-2026/"


def test_json_ld_cannot_close_its_script(fixture_site):
    html = fixture_text(fixture_site, "events/unplaced/index.html")
    assert "</script><!--" not in html
    data = json.loads(head(html).scripts[0])
    assert data["description"] == SCRIPT_BREAK and "location" not in data
    year = json.loads(head(fixture_text(fixture_site, "events/dam-built/index.html")).scripts[0])
    assert year["startDate"] == "2019"


def test_opengraph_and_feed_links_on_every_page(fixture_site):
    files = set(fixture_site.files())
    for name in (f for f in files if f.endswith(".html") and not f.startswith("old/")):
        page = head(fixture_text(fixture_site, name))
        meta = dict(page.meta)
        assert [p for p, _ in page.meta].count("og:type") == 1, name
        assert meta["og:site_name"] == "Test timeline" and meta["og:title"] and "og:description" in meta
        assert meta["og:type"] == ("article" if name.startswith("events/") else "website"), name
        if name != "404.html":
            assert meta["og:url"].startswith("https://example.org/sub/"), name
        types = {link["type"]: link["href"] for link in page.links}
        for kind, target in (("application/atom+xml", "feed.xml"), ("application/feed+json", "feed.json")):
            href = types[kind]
            resolved = (href.removeprefix("/sub/") if name == "404.html"
                        else posixpath.normpath(posixpath.join(posixpath.dirname(name), href)))
            assert resolved == target and target in files, (name, href)
    assert dict(head(fixture_text(fixture_site, "index.html")).meta)["og:url"] == "https://example.org/sub/"


# -- determinism and no network ----------------------------------------------------------------

def test_every_export_is_byte_identical_across_builds(bundled, bundled_again, fixture_site, tmp_path):
    for name in EXPORTS:
        assert bundled_again.files[name] == bundled.files[name], name
    second = build_site(tmp_path, FIXTURE, "build", "--base-url", "https://example.org/sub/")
    assert second.exit_code == 0, second
    for name in EXPORTS:
        assert fixture_bytes(second, name) == fixture_bytes(fixture_site, name), name


def test_the_build_makes_no_network_request(tmp_path, monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access during a build")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    result = build_site(tmp_path, FIXTURE, "build", "--base-url", "https://example.org/sub/")
    assert result.exit_code == 0, result
    assert not attempts
    for name in EXPORTS:
        assert result.exists(name), name


def test_the_search_index_is_built_from_inside_a_running_event_loop(tmp_path):
    """A build called from async code (a notebook, a test driving a browser) still indexes."""
    import asyncio
    import concurrent.futures

    from dateline.outputs.search import search_index

    config = load_config(tmp_path)
    pages = {"events/a/index.html": b"<html lang=en><body><main data-pagefind-body><h1>Mastung</h1>"
                                    b"<p>Prison attacked in Mastung.</p></main></body></html>"}

    async def inside_a_loop():
        return search_index(config, pages)

    # on a thread of its own: this test's loop must not nest in one the test process may run
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        files = pool.submit(asyncio.run, inside_a_loop()).result()
    assert "pagefind/pagefind-entry.json" in files and any(n.startswith("pagefind/fragment/") for n in files)


def test_a_search_index_larger_than_the_pagefind_wrappers_answer_limit(tmp_path):
    """pagefind's Python wrapper reads each answer with a 2 MiB limit; an index sent back in one
    answer past that never arrived and the build hung (1,000 events). A bigger index is made
    here, on a thread with a time limit so that a regression fails instead of hanging."""
    import concurrent.futures
    import random

    from dateline.outputs.search import search_index

    rng = random.Random(3)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(4, 11)))
             for _ in range(20_000)]
    pages = {}
    for i in range(1500):
        text = " ".join(rng.choice(words) for _ in range(400))
        pages[f"events/e{i}/index.html"] = (f"<html lang=en><body><main data-pagefind-body><h1>Event {i}</h1>"
                                            f"<p>{text}</p></main></body></html>").encode()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        files = pool.submit(search_index, load_config(tmp_path), pages).result(timeout=300)
    assert sum(len(data) for data in files.values()) > 2 * 2**20, "the index is too small to test the limit"
    assert sum(1 for name in files if name.startswith("pagefind/fragment/")) == 1500


def test_pagefind_is_given_only_what_it_indexes_and_the_index_is_the_same(bundled, monkeypatch):
    """Pages go to Pagefind cut to their <html> tag, head and data-pagefind-body elements (it
    skips the rest anyway): the index must be byte for byte the one made from whole pages."""
    from dateline.outputs import search

    pages = {name: data for name, data in bundled.files.items() if name.endswith(".html")}
    event = pages["events/kerman-bombing/index.html"]
    cut = search.what_pagefind_reads(event)
    assert b'<html lang="en"' in cut and b"<footer" not in cut
    assert b'class="map-figure locator"' in event and b'class="map-figure locator"' not in cut   # ignored
    # what the page marks data-pagefind-ignore is cut too (a ratio of sizes depended on how much
    # the bundled entry has to say: issue 17 gave Kerman more sources and a corrections note)
    for ignored in (b'class="relations"', b'class="prev-next"', b'class="corrections"'):
        assert ignored in event and ignored not in cut, ignored
    for mark in (b"data-pagefind-filter", b"data-pagefind-meta", b"data-pagefind-body"):
        assert cut.count(mark) == event.count(mark) > 0, mark
    config = bundled_config()
    index = search.search_index(config, pages)
    monkeypatch.setattr(search, "what_pagefind_reads", lambda page: page)
    assert search.search_index(config, pages) == index


@pytest.mark.parametrize("page, whole", [
    (b"<html lang=en><head><title>t</title></head><body><nav>menu</nav><div data-pagefind-body>"
     b"<div>a <div>b</div></div> c</div><footer>f</footer></body></html>", False),
    # not closed, or a filter outside the marked element: given whole, Pagefind decides
    (b"<html><head></head><body><main data-pagefind-body><p>open", True),
    (b"<html><head></head><body><span data-pagefind-filter=year>2024</span>"
     b"<main data-pagefind-body>x</main></body></html>", True),
])
def test_what_pagefind_reads_keeps_nested_elements_whole_and_doubts_give_the_whole_page(page, whole):
    from dateline.outputs.search import what_pagefind_reads

    cut = what_pagefind_reads(page)
    if whole:
        assert cut == page
    else:
        assert b"<div data-pagefind-body><div>a <div>b</div></div> c</div>" in cut
        assert b"menu" not in cut and b"<footer>" not in cut and b"<title>t</title>" in cut
