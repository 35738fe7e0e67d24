"""Stage 2 (parse.py, dates.py): every rule of docs/front-matter.md has a failing case here, with
the exact `content/<file>:<line>:` and a fragment of the message.

`event(**fields)` writes one field per line: `---` is line 1, title line 2, date line 3, and the
other fields follow in the order given (the first extra field is on line 4)."""

from __future__ import annotations

import pytest

from helpers import Raw, assert_error, build_site, event, page, source, valid_timeline

REPORT = {"as_of": "2024-01-15", "by": "The mayor", "source": "s1"}


def check(tmp_path, files):
    return build_site(tmp_path, files, "check")


def check_event(tmp_path, **fields):
    return check(tmp_path, {"content/a.md": event(**fields)})


# One bad field per case: (fields, line, message fragment).
FIELD_CASES = {
    # required fields
    "missing title": (dict(title=None), 2, "missing required key 'title'"),
    "missing date": (dict(date=None), 2, "missing required key 'date' (YYYY, YYYY-MM or YYYY-MM-DD)"),
    "empty title": (dict(title=""), 2, "'title' is empty"),
    "blank title": (dict(title="   "), 2, "'title' is empty"),
    # date formats
    "date with slashes": (dict(date="2024/01/15"), 3, "'2024/01/15' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
    "day first": (dict(date="15-01-2024"), 3, "'15-01-2024' is not a date"),
    "unpadded month": (dict(date="2024-1-5"), 3, "'2024-1-5' is not a date"),
    "date in words": (dict(date="January 2024"), 3, "'January 2024' is not a date"),
    "date with a time": (dict(date="2024-01-15T10:00"), 3, "is not a date"),
    "two-digit year": (dict(date=Raw("24-01-15")), 3, "is not a date"),
    "date as a list": (dict(date=["2024"]), 3, "'date' must be a date like 2024-01-16, not a list"),
    "date true": (dict(date=Raw("true")), 3, "'date' must be a date like 2024-01-16, not true"),
    # impossible dates
    "30 February": (dict(date="2024-02-30"), 3, "'2024-02-30' does not exist: February 2024 has 29 days"),
    "29 February 2023": (dict(date="2023-02-29"), 3, "'2023-02-29' does not exist: February 2023 has 28 days"),
    "31 April": (dict(date="2024-04-31"), 3, "April 2024 has 30 days"),
    "day 00": (dict(date="2024-04-00"), 3, "'2024-04-00' does not exist"),
    "month 13": (dict(date="2024-13"), 3, "'2024-13' has no month 13: months run from 01 to 12"),
    "month 00": (dict(date="2024-00-10"), 3, "has no month 0"),
    "year 0": (dict(date="0000-01-01"), 3, "has no year 0"),
    # time
    "time without a day": (dict(date="2024-01", time="04:05"), 4, "a time needs a full date (YYYY-MM-DD); the date is only '2024-01'"),
    "time with a year": (dict(date="2024", time="04:05"), 4, "a time needs a full date"),
    "hour 25": (dict(time="25:00"), 4, "'25:00' is not a time: write local 24-hour HH:MM in quotes"),
    "hour 24": (dict(time="24:00"), 4, "'24:00' is not a time"),
    "minute 60": (dict(time="04:60"), 4, "'04:60' is not a time"),
    "one-digit hour": (dict(time=Raw("4:05")), 4, "'4:05' is not a time"),
    "seconds": (dict(time="04:05:00"), 4, "'04:05:00' is not a time"),
    "time in words": (dict(time="dawn"), 4, "'dawn' is not a time"),
    # end
    "end before start": (dict(end="2024-01-10"), 4, "end 2024-01-10 is before the start 2024-01-15"),
    "end month before start": (dict(date="2024-02", end="2024-01"), 4, "end 2024-01 is before the start 2024-02"),
    "end impossible": (dict(end="2024-01-32"), 4, "'end': '2024-01-32' does not exist"),
    # approximate
    "approximate yes": (dict(approximate=Raw("yes")), 4, "'approximate' must be true or false, not 'yes'"),
    "approximate 1": (dict(approximate=1), 4, "'approximate' must be true or false, not 1"),
    "draft text": (dict(draft="no"), 4, "'draft' must be true or false, not 'no'"),
    # unknown keys
    "dat for date": (dict(date=None, dat="2024-01-15"), 3, "unknown key 'dat' in an event — did you mean 'date'?"),
    "titel": (dict(titel="x"), 4, "unknown key 'titel' in an event — did you mean 'title'?"),
    "no near miss": (dict(colour="red"), 4, "unknown key 'colour' in an event (allowed: title, date,"),
    # wrong types
    "tags as a string": (dict(tags="flood"), 4, "'tags' must be a list, e.g. tags: [first, second]"),
    "actors as a mapping": (dict(actors={"a": 1}), 4, "'actors' must be a list"),
    "title as a list": (dict(title=["A", "B"]), 2, "'title' must be text, not a list"),
    "title as fields": (dict(title={"en": "A"}), 2, "'title' must be text, not a set of fields"),
    "summary as a list": (dict(summary=["a"]), 4, "'summary' must be text, not a list"),
    "import_id as a list": (dict(import_id=["acled:1"]), 4, "'import_id' must be text, not a list"),
    "tag item not text": (dict(tags=["rain", {"x": 1}]), 4, "'tags' item 2 must be a name (text)"),
    "tag twice": (dict(tags=["rain", "rain"]), 4, "'rain' is listed twice in 'tags'"),
    "empty actor": (dict(actors=["mayor", ""]), 4, "'actors' item 2 must be a name"),
    "discrepancy not text": (dict(discrepancies=[["a"]]), 4, "'discrepancies' item 1 must be a sentence (text)"),
    "alias not text": (dict(aliases=[{"from": "/x/"}]), 4, "'aliases' item 1 must be a path (text)"),
    # relations written wrongly
    "part_of as a list": (dict(part_of=["b"]), 4, "'part_of' must be one slug"),
    "in_response_to as text": (dict(in_response_to="b"), 4, "'in_response_to' must be a list"),
    "bad relation slug": (dict(related=["not a slug!"]), 4, "'not a slug!' in 'related' is not a valid slug"),
    # slug and aliases
    "bad slug": (dict(slug="Flood day!"), 4, "'flood day!' is not a usable slug"),
    "double hyphen slug": (dict(slug="flood--day"), 4, "is not a usable slug"),
    "alias with ..": (dict(aliases=["/old/../x/"]), 4, "alias '/old/../x/' must be a site path like /old/name/"),
    "alias with a space": (dict(aliases=["/old url/"]), 4, "must be a site path"),
    "alias root": (dict(aliases=["/"]), 4, "must be a site path"),
}


@pytest.mark.parametrize("fields,line,fragment", FIELD_CASES.values(), ids=FIELD_CASES.keys())
def test_bad_field(tmp_path, fields, line, fragment):
    assert_error(check_event(tmp_path, **fields), "content/a.md", line, fragment, count=1)


def test_a_misspelt_date_is_one_problem_not_also_a_missing_date(tmp_path):
    result = check_event(tmp_path, date=None, dat="2024-01-15")
    assert "missing required key" not in result.stderr, result


def test_a_missing_date_is_still_reported_when_another_key_is_unknown(tmp_path):
    result = check_event(tmp_path, date=None, colour="red")
    assert_error(result, "content/a.md", 2, "missing required key 'date'", count=2)


def test_file_name_that_is_no_slug(tmp_path):
    result = check(tmp_path, {"content/flood day.md": event()})
    assert_error(result, "content/flood day.md", 2, "'flood day' is not a usable slug: use letters, digits "
                                                    "and single hyphens, at most 120 characters (rename the file or set 'slug:')")


# -- valid values that must stay valid ------------------------------------------------------------

def test_unquoted_time_is_kept_as_text(tmp_path):
    # YAML 1.1 would read 04:05 as the number 245 (sexagesimal); the loader keeps the text.
    timeline = valid_timeline(tmp_path, {"content/a.md": event(time=Raw("04:05"))})
    assert timeline.events[0].time == "04:05"


def test_dates_keep_their_precision(tmp_path):
    files = {"content/y.md": event(date=Raw("2024")), "content/m.md": event(date=Raw("2024-02")),
             "content/d.md": event(date=Raw("2024-02-29"), end=Raw("2024-03-01")),
             "content/e.md": event(date=Raw("2024-01-15"), end=Raw("2024-01"), approximate=True)}
    timeline = valid_timeline(tmp_path, files)
    by_slug = {e.slug: e for e in timeline.events}
    assert [by_slug[s].date.precision for s in "ymd"] == ["year", "month", "day"]
    assert str(by_slug["m"].date) == "2024-02" and by_slug["m"].date.day is None
    assert str(by_slug["d"].end) == "2024-03-01"
    assert by_slug["e"].approximate is True


def test_numbers_as_names_and_titles_become_text(tmp_path):
    timeline = valid_timeline(tmp_path, {"content/a.md": event(title=Raw("1984"), tags=[2024, "rain"])})
    assert timeline.events[0].title == "1984" and timeline.events[0].tags == ("2024", "rain")


def test_slug_defaults_to_the_file_name_and_is_normalised(tmp_path):
    timeline = valid_timeline(tmp_path, {"content/River-Flood.md": event(),
                                         "content/b.md": event(slug="Second-Wave")})
    assert sorted(e.slug for e in timeline.events) == ["river-flood", "second-wave"]


def test_relation_slugs_may_be_written_as_file_names(tmp_path):
    files = {"content/a.md": event(date="2024-01-01"),
             "content/b.md": event(in_response_to=["a.md"], related=["A"], part_of="a.md")}
    timeline = valid_timeline(tmp_path, files)
    b = timeline.event("b")
    assert (b.in_response_to, b.related, b.part_of) == (("a",), ("a",), "a")


def test_aliases_are_normalised_to_folder_paths(tmp_path):
    timeline = valid_timeline(tmp_path, {"content/a.md": event(aliases=["old/flood", "/x/y/"])})
    assert timeline.events[0].aliases == ("/old/flood/", "/x/y/")


def test_page_fields(tmp_path):
    timeline = valid_timeline(tmp_path, {"content/a.md": event(),
                                         "content/pages/about.md": page(title="About", summary="Who we are.")})
    assert [(p.slug, p.title, p.summary) for p in timeline.pages] == [("about", "About", "Who we are.")]


# -- place -----------------------------------------------------------------------------------------

PLACE_TEXT = """\
---
title: A flood
date: 2024-01-15
place:
  name: Riverton
  country: Vale
  lat: {lat}
  lon: {lon}
  precision: {precision}
---
"""


def place_file(lat="46.2", lon="7.4", precision="town"):
    return PLACE_TEXT.format(lat=lat, lon=lon, precision=precision)


@pytest.mark.parametrize("kwargs,line,fragment", [
    (dict(lat="91"), 7, "'lat' is 91, outside -90 to 90"),
    (dict(lat="-90.5"), 7, "'lat' is -90.5, outside -90 to 90"),
    (dict(lon="181"), 8, "'lon' is 181, outside -180 to 180"),
    (dict(lon="-180.01"), 8, "'lon' is -180.01, outside -180 to 180"),
    (dict(lat='"46.2"'), 7, "'lat' must be a number, not '46.2'"),
    (dict(lon="east"), 8, "'lon' must be a number, not 'east'"),
    (dict(precision="twon"), 9, "precision 'twon' must be one of: town, district, province, country "
                                "— did you mean 'town'?"),
    (dict(precision="city"), 9, "precision 'city' must be one of: town, district, province, country"),
], ids=["lat 91", "lat -90.5", "lon 181", "lon -180.01", "lat text", "lon word", "precision typo",
        "precision city"])
def test_bad_place(tmp_path, kwargs, line, fragment):
    assert_error(check(tmp_path, {"content/a.md": place_file(**kwargs)}), "content/a.md", line, fragment)


def test_place_missing_lat_and_lon(tmp_path):
    # A missing key is reported on the line of the mapping that lacks it.
    text = "---\ntitle: A flood\ndate: 2024-01-15\nplace:\n  name: Riverton\n  precision: town\n---\n"
    result = check(tmp_path, {"content/a.md": text})
    assert_error(result, "content/a.md", 4, "missing required key 'lat'", count=2)
    assert_error(result, "content/a.md", 4, "missing required key 'lon'", count=2)


def test_place_unknown_key_with_suggestion(tmp_path):
    text = PLACE_TEXT.format(lat=1, lon=1, precision="town").replace("  country:", "  contry:")
    assert_error(check(tmp_path, {"content/a.md": text}), "content/a.md", 6,
                 "unknown key 'contry' in place — did you mean 'country'?")


def test_place_as_text(tmp_path):
    assert_error(check_event(tmp_path, place="Riverton"), "content/a.md", 4,
                 "'place' must be fields: name, lat, lon, precision")


def test_place_edges_are_valid(tmp_path):
    text = PLACE_TEXT.format(lat=-90, lon=180.0, precision="country")
    place = valid_timeline(tmp_path, {"content/a.md": text}).events[0].place
    assert (place.lat, place.lon, place.precision, place.country) == (-90.0, 180.0, "country", "Vale")


# -- sources and reports ---------------------------------------------------------------------------

SOURCES_TEXT = """\
---
title: A flood
date: 2024-01-15
sources:
  - id: courier
    publisher: The Courier
    title: Water rises
    date: 2024-01-15
    url: https://example.org/water
  - id: {second_id}
    publisher: Radio Vale
    title: Bridges closed
    date: 2024-01-16
reports:
  - as_of: 2024-01-16
    by: The mayor
    source: {cited}
    killed: {{civilians: 2}}
---
"""


def sources_file(second_id="radio", cited="courier"):
    return SOURCES_TEXT.format(second_id=second_id, cited=cited)


def test_sources_and_reports_parse(tmp_path):
    e = valid_timeline(tmp_path, {"content/a.md": sources_file()}).events[0]
    assert [s.id for s in e.sources] == ["courier", "radio"]
    assert e.sources[0].url == "https://example.org/water"
    report = e.reports[0]
    assert (report.source, report.killed.civilians, report.killed.security, report.line) == ("courier", 2, None, 15)


def test_duplicate_source_ids(tmp_path):
    result = check(tmp_path, {"content/a.md": sources_file(second_id="courier")})
    assert_error(result, "content/a.md", 10, "source id 'courier' is used twice in this file")


def test_report_citing_a_missing_source_suggests_the_near_one(tmp_path):
    result = check(tmp_path, {"content/a.md": sources_file(cited="couirer")})
    assert_error(result, "content/a.md", 17, "report cites source 'couirer', which is not among this "
                                             "event's sources — did you mean 'courier'?")


def test_report_citing_a_missing_source_lists_the_ids(tmp_path):
    result = check(tmp_path, {"content/a.md": sources_file(cited="tv")})
    assert_error(result, "content/a.md", 17, "which is not among this event's sources (courier, radio)")


def test_report_citing_a_source_when_there_are_none(tmp_path):
    result = check_event(tmp_path, reports=[{**REPORT, "killed": {"civilians": 1}}])
    assert_error(result, "content/a.md", 4, "report cites source 's1' but this event lists no sources")


def test_report_citing_an_invalid_source_is_reported_once(tmp_path):
    bad_source = {"id": "s1", "title": "No publisher", "date": "2024-01-15"}
    result = check_event(tmp_path, sources=[bad_source], reports=[{**REPORT, "killed": {"civilians": 1}}])
    assert_error(result, "content/a.md", 4, "missing required key 'publisher'", count=1)


def test_report_without_figures_or_note(tmp_path):
    result = check_event(tmp_path, sources=[source()], reports=[REPORT])
    assert_error(result, "content/a.md", 5, "a report needs figures (killed/injured) or a note")


def test_report_with_a_note_and_no_figures_is_valid(tmp_path):
    files = {"content/a.md": event(sources=[source()], reports=[{**REPORT, "note": "Deaths, no figure."}])}
    assert valid_timeline(tmp_path, files).events[0].reports[0].note == "Deaths, no figure."


def test_report_missing_required_fields(tmp_path):
    result = check_event(tmp_path, sources=[source()], reports=[{"source": "s1", "killed": {"security": 1}}])
    assert_error(result, "content/a.md", 5, "missing required key 'as_of'", count=2)
    assert_error(result, "content/a.md", 5, "missing required key 'by'", count=2)


@pytest.mark.parametrize("killed,fragment", [
    ({"civilians": -1}, "'killed.civilians' must be a whole number of people (0 or more), not -1"),
    ({"civilians": "many"}, "'killed.civilians' must be a whole number of people (0 or more), not 'many'"),
    ({"security": 2.5}, "'killed.security' must be a whole number of people (0 or more), not 2.5"),
    ({"militants": True}, "'killed.militants' must be a whole number"),
    ({"civillians": 3}, "unknown key 'civillians' in 'killed' — did you mean 'civilians'?"),
    ([3], "'killed' must be counts per group, e.g. killed: {civilians: 2, security: 1}"),
    (4, "'killed' must be counts per group"),
], ids=["negative", "text", "fraction", "boolean", "unknown group", "list", "bare number"])
def test_bad_counts_give_one_error(tmp_path, killed, fragment):
    result = check_event(tmp_path, sources=[source()], reports=[{**REPORT, "killed": killed}])
    assert_error(result, "content/a.md", 5, fragment, count=1)


def test_misspelt_report_key_gives_one_error(tmp_path):
    result = check_event(tmp_path, sources=[source()], reports=[{**REPORT, "killd": {"civilians": 1}}])
    assert_error(result, "content/a.md", 5, "unknown key 'killd' in a report — did you mean 'killed'?")


def test_zero_is_a_figure(tmp_path):
    files = {"content/a.md": event(sources=[source()], reports=[{**REPORT, "injured": {"civilians": 0}}])}
    assert valid_timeline(tmp_path, files).events[0].reports[0].injured.civilians == 0


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/report.pdf", "www.example.org/a",
                                 "data:text/html,x", "https://", "//example.org/a"])
def test_source_url_must_be_http(tmp_path, url):
    result = check_event(tmp_path, sources=[source(url=url)])
    assert_error(result, "content/a.md", 4, f"source url '{url}' must start with http:// or https://")


def test_source_unknown_key_and_missing_fields(tmp_path):
    result = check_event(tmp_path, sources=[{"id": "s1", "publsher": "x", "title": "t", "date": "2024"}])
    assert_error(result, "content/a.md", 4, "unknown key 'publsher' in a source — did you mean 'publisher'?",
                 count=1)   # the misspelling is the problem; 'publisher' missing is not said again


def test_source_date_is_checked(tmp_path):
    result = check_event(tmp_path, sources=[source(date="2024-02-30")])
    assert_error(result, "content/a.md", 4, "'date': '2024-02-30' does not exist")


@pytest.mark.parametrize("value,fragment", [
    ("courier", "'sources' must be a list of entries, each starting with '- '"),
    (["courier"], "'sources' item 1 must be fields (key: value), not 'courier'"),
])
def test_sources_written_wrongly(tmp_path, value, fragment):
    assert_error(check_event(tmp_path, sources=value), "content/a.md", 4, fragment)


def test_unknown_key_in_a_report(tmp_path):
    result = check_event(tmp_path, sources=[source()],
                         reports=[{**REPORT, "killed": {"civilians": 1}, "verified": True}])
    assert_error(result, "content/a.md", 5, "unknown key 'verified' in a report — did you mean 'unverified'?")


# -- pages -----------------------------------------------------------------------------------------

def test_page_rules(tmp_path):
    files = {"content/a.md": event(),
             "content/pages/about.md": page(title=None, date="2024-01-01", summary="x", sumary="y")}
    result = check(tmp_path, files)
    assert_error(result, "content/pages/about.md", 2, "missing required key 'title'", count=3)
    # An event's field in a page is named as such, not "did you mean 'draft'?".
    assert_error(result, "content/pages/about.md", 2, "'date' is for events; a page has only: title, summary, "
                                                      "slug, draft, aliases, extra", count=3)
    assert_error(result, "content/pages/about.md", 4, "unknown key 'sumary' in a page — did you mean 'summary'?",
                 count=3)


# -- eras.yaml -------------------------------------------------------------------------------------

ERAS = """\
- slug: wet-season
  title: Wet season
  start: 2024-01
  end: 2024-03
  summary: Rain.
- slug: dry-season
  title: Dry season
  start: 2024-06-01
  end: 2024-09-30
"""


def check_eras(tmp_path, eras):
    return check(tmp_path, {"content/a.md": event(), "content/eras.yaml": eras})


def test_eras_load_in_order(tmp_path):
    eras = ERAS.split("- slug: dry")[0]
    eras = "- slug: dry" + ERAS.split("- slug: dry")[1] + eras
    timeline = valid_timeline(tmp_path, {"content/a.md": event(), "content/eras.yaml": eras})
    assert [(e.slug, str(e.start), str(e.end)) for e in timeline.eras] == [
        ("wet-season", "2024-01", "2024-03"), ("dry-season", "2024-06-01", "2024-09-30")]


def test_era_end_before_start(tmp_path):
    result = check_eras(tmp_path, ERAS.replace("end: 2024-09-30", "end: 2024-05-31"))
    assert_error(result, "content/eras.yaml", 9, "end 2024-05-31 is before the start 2024-06-01")


def test_era_unknown_key(tmp_path):
    result = check_eras(tmp_path, ERAS.replace("  summary: Rain.", "  sumary: Rain."))
    assert_error(result, "content/eras.yaml", 5, "unknown key 'sumary' in an era — did you mean 'summary'?")


def test_era_missing_title_and_bad_date(tmp_path):
    result = check_eras(tmp_path, ERAS.replace("  title: Dry season\n", "").replace("2024-06-01", "2024-06-31"))
    assert_error(result, "content/eras.yaml", 6, "missing required key 'title'", count=2)
    assert_error(result, "content/eras.yaml", 7, "'start': '2024-06-31' does not exist", count=2)


def test_era_slug_twice(tmp_path):
    result = check_eras(tmp_path, ERAS.replace("slug: dry-season", "slug: wet-season"))
    assert_error(result, "content/eras.yaml", 6, "era slug 'wet-season' is used twice")


def test_eras_must_be_a_list(tmp_path):
    result = check_eras(tmp_path, "wet-season:\n  title: Wet\n")
    assert_error(result, "content/eras.yaml", 1, "eras.yaml must be a list of eras")
