"""Corrections, `updated`, approximate times, causal links that cite their source and `order`:
parsed with `path:line` errors, shown on the event page, in JSON-LD and in the feeds."""

from __future__ import annotations

import json
import re

import pytest

from helpers import assert_error, build_site

HEAD = """\
---
title: A
date: 2024-01-15
sources:
  - {id: s1, publisher: P, title: T, date: 2024-01-15}
"""
CAUSE = """\
---
title: Cause
date: 2024-01-10
---
Before.
"""


def entry(extra: str) -> str:
    return HEAD + extra + "---\nBody.\n"


def run(tmp_path, extra: str, command: str = "check"):
    return build_site(tmp_path, {"content/a.md": entry(extra), "content/cause.md": CAUSE}, command)


# (front matter after the source, line of the error, message fragment); the extra lines start at line 6.
BAD = {
    "corrections not a list": ("corrections: 2026-12-05\n", 6, "'corrections' must be a list of entries"),
    "correction without text": ("corrections:\n  - {date: 2026-12-05}\n", 7, "missing required key 'text'"),
    "correction without date": ("corrections:\n  - {text: Fixed.}\n", 7, "missing required key 'date'"),
    "correction to the month": ("corrections:\n  - date: 2026-12\n    text: Fixed.\n", 7,
                                "a correction needs the full day it was made (YYYY-MM-DD), not '2026-12'"),
    "correction impossible day": ("corrections:\n  - text: Fixed.\n    date: 2026-02-30\n", 8,
                                  "'date': '2026-02-30' does not exist"),
    "correction before the event": ("corrections:\n  - {date: 2023-12-31, text: Fixed.}\n", 7,
                                    "correction dated 2023-12-31, before the event itself (2024-01-15)"),
    "correction misspelt key": ("corrections:\n  - date: 2026-12-05\n    txt: Fixed.\n", 8,
                                "unknown key 'txt' in a correction — did you mean 'text'?"),
    "updated not a date": ("updated: last week\n", 6, "'updated': 'last week' is not a date"),
    "updated before the event": ("updated: 2024-01-01\n", 6, "updated 2024-01-01 is before the event itself"),
    "cause cites a missing source": ("in_response_to:\n  - {event: cause, source: s2}\n", 7,
                                     "'in_response_to' cites source 's2', which is not among this event's sources"),
    "cause without event": ("in_response_to:\n  - {source: s1}\n", 7, "missing required key 'event'"),
    "cause misspelt key": ("in_response_to:\n  - {event: cause, sorce: s1}\n", 7,
                           "unknown key 'sorce' in an 'in_response_to' item — did you mean 'source'?"),
    "cause as a list": ("in_response_to:\n  - [cause]\n", 7, "'in_response_to' item 1 must be a slug"),
    "cause listed twice": ("in_response_to:\n  - cause\n  - {event: cause, source: s1}\n", 8,
                           "'cause' is listed twice in 'in_response_to'"),
    "approximate time without a time": ("time_approximate: true\n", 6, "'time_approximate' qualifies a time"),
    "approximate time in words": ('time: "15:00"\ntime_approximate: about\n', 7, "'time_approximate' must be true or false"),
    "order negative": ("order: -1\n", 6, "'order' must be a whole number (0 or more), not -1"),
    "order in words": ("order: first\n", 6, "'order' must be a whole number"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_values_name_file_and_line(tmp_path, name):
    extra, line, fragment = BAD[name]
    assert_error(run(tmp_path, extra), "content/a.md", line, fragment, count=1)


def test_a_cited_cause_still_links_to_a_missing_event(tmp_path):
    result = run(tmp_path, "in_response_to:\n  - {event: nowhere, source: s1}\n")
    assert_error(result, "content/a.md", 7, "'in_response_to' points at 'nowhere', but no event has that slug")


GOOD = """\
time: "15:00"
time_approximate: true
in_response_to:
  - {event: cause, source: s1}
updated: 2026-11-30
corrections:
  - date: 2026-12-01
    text: An earlier version gave the *wrong* day.
  - {date: 2026-12-05, text: "An earlier version named the wrong speaker."}
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    result = run(tmp_path_factory.mktemp("good"), GOOD, "build")
    assert result.exit_code == 0, result
    return result


def test_corrections_at_the_foot_of_the_page(built):
    page = built.read("events/a/index.html")
    section = page[page.index('<section class="corrections"'):]
    assert '<h2 id="corrections-h">Corrections</h2>' in section
    assert '<time datetime="2026-12-01">1 December 2026</time>: An earlier version gave the <em>wrong</em> day.' in section
    assert '<time datetime="2026-12-05">5 December 2026</time>' in section
    # at the foot: after the sources, before the previous/next links
    assert page.index('id="sources-h"') < page.index('id="corrections-h"') < page.index('class="prev-next"')


def test_approximate_time_is_shown_as_about(built):
    assert "15 January 2024, about 15:00" in built.read("events/a/index.html")


def test_cited_cause_links_its_source(built):
    page = built.read("events/a/index.html")
    assert re.search(r'<dt>In response to</dt><dd><a href="../cause/"[^<]*>Cause</a>.*?'
                     r'\(motive as stated in <a href="#source-s1">\[1\]</a>\)', page)
    assert "<dt>Led to</dt>" in built.read("events/cause/index.html")


def test_corrections_in_json_ld(built):
    page = built.read("events/a/index.html")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])
    assert data["correction"] == [
        {"@type": "CorrectionComment", "datePublished": "2026-12-01", "text": "An earlier version gave the *wrong* day."},
        {"@type": "CorrectionComment", "datePublished": "2026-12-05", "text": "An earlier version named the wrong speaker."}]
    assert data["dateModified"] == "2026-12-05"


def test_a_correction_is_an_update_in_the_feeds(built):
    import feedparser
    atom = feedparser.parse(built.read("feed.xml"))
    entry = next(e for e in atom.entries if e.title == "A")
    assert entry.updated.startswith("2026-12-05T") and entry.published.startswith("2024-01-15T")
    feed = json.loads(built.read("feed.json"))
    item = next(i for i in feed["items"] if i["title"] == "A")
    assert item["date_modified"].startswith("2026-12-05T")
    cause = next(i for i in feed["items"] if i["title"] == "Cause")
    assert cause["date_modified"].startswith("2024-01-10T")


def test_updated_alone_is_an_update(tmp_path):
    result = run(tmp_path, "updated: 2026-11-30\n", "build")
    item = next(i for i in json.loads(result.read("feed.json"))["items"] if i["title"] == "A")
    assert item["date_modified"].startswith("2026-11-30T")


def test_entries_updated_on_one_day_get_distinct_instants(tmp_path):
    files = {f"content/e{i}.md": f"---\ntitle: E{i}\ndate: 2024-01-15\nupdated: 2026-12-05\n---\nB.\n"
             for i in range(30)}
    result = build_site(tmp_path, files, "build")
    instants = [i["date_modified"] for i in json.loads(result.read("feed.json"))["items"]]
    assert len(set(instants)) == 30 and all(i.startswith("2026-12-05T") for i in instants)


def test_order_puts_same_day_events_in_the_given_order(tmp_path):
    files = {"content/a-first.md": "---\ntitle: Zulu\ndate: 2024-01-15\norder: 1\n---\nB.\n",
             "content/b-second.md": "---\ntitle: Alpha\ndate: 2024-01-15\norder: 2\n---\nB.\n",
             "content/c-unordered.md": "---\ntitle: Aardvark\ndate: 2024-01-15\n---\nB.\n"}
    result = build_site(tmp_path, files, "build")
    page = result.read("index.html")
    assert page.index(">Zulu<") < page.index(">Alpha<") < page.index(">Aardvark<")
