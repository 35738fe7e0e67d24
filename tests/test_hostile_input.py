"""Legitimate oddities build and show their text (a BOM, CRLF line ends, Urdu and Persian in every
text field, very long lines); names that could not be file names get safe slugs; and the output
paths an alias may not take stay in step with what the renderer writes."""

from __future__ import annotations

import json
import os
import tracemalloc
import unicodedata

import icalendar

from dateline import pipeline
from dateline.config import load_config
from dateline.load import load_entry
from dateline.slugs import term_slug, valid_slug
from helpers import PLACE, build_site, event, page, write_files

# Urdu and Persian, including a zero-width non-joiner (Persian "دست‌کم"), Arabic-Indic digits and
# a name written decomposed (NFD), which must come out composed (NFC).
URDU_TITLE = "کوئٹہ میں دھماکہ"
PERSIAN_SUMMARY = "انفجار در کرمان؛ دست‌کم ۹۵ نفر کشته شدند."
URDU_PLACE = "کوئٹہ، بلوچستان"
URDU_COUNTRY = "پاکستان"
URDU_ACTOR = "بلوچستان لبریشن آرمی"
PERSIAN_ACTOR = "سپاه پاسداران"
URDU_TAG = "سرحد پار حملہ"
PERSIAN_TAG = "حمله\u200cموشکی"
PERSIAN_PUBLISHER = "خبرگزاری ایرنا"
PERSIAN_SOURCE_TITLE = "حمله موشکی به پنجگور"
PERSIAN_AUTHOR = "علی رضایی"
PERSIAN_SOURCE_NOTE = "به نقل از استانداری"
PERSIAN_BY = "استانداری سیستان و بلوچستان"
URDU_REPORT_NOTE = "کم از کم نو افراد ہلاک"
PERSIAN_DISCREPANCY = "منابع در تاریخ اختلاف دارند."
URDU_BODY = "کوئٹہ کے ریلوے اسٹیشن پر دھماکہ ہوا۔"
URDU_PAGE_TITLE = "ہمارے بارے میں"
NFD_ACTOR = unicodedata.normalize("NFD", "Émile Société")

EVERY_FIELD = event(
    title=URDU_TITLE, date="2024-01-03", summary=PERSIAN_SUMMARY,
    place={"name": URDU_PLACE, "country": URDU_COUNTRY, "lat": 30.18, "lon": 66.99, "precision": "town"},
    actors=[URDU_ACTOR, PERSIAN_ACTOR, NFD_ACTOR], tags=[URDU_TAG, PERSIAN_TAG],
    sources=[{"id": "irna", "publisher": PERSIAN_PUBLISHER, "title": PERSIAN_SOURCE_TITLE, "date": "2024-01-03",
              "url": "https://example.org/fa/خبر", "author": PERSIAN_AUTHOR, "note": PERSIAN_SOURCE_NOTE}],
    reports=[{"as_of": "2024-01-03", "by": PERSIAN_BY, "source": "irna", "at_least": True,
              "killed": {"unspecified": 9}, "note": URDU_REPORT_NOTE}],
    discrepancies=[PERSIAN_DISCREPANCY],
    body=URDU_BODY + "\n")

ODDITIES = {
    "content/کوئٹہ-دھماکہ.md": EVERY_FIELD,
    "content/bom.md": "\ufeff" + event(title="Bom flood", date="2024-01-04", place=PLACE),
    "content/crlf.md": event(title="Crlf flood", date="2024-01-05", place=PLACE,
                             body="Line one\n\nSee [the other](bom.md).\n").replace("\n", "\r\n"),
    "content/long-lines.md": event(title="Long " * 2_000, date="2024-01-06", place=PLACE,
                                   summary="word " * 20_000, tags=["x" * 400, "ی" * 300],
                                   body=("A very long line. " * 20_000) + "\n"),
    "content/pages/about.md": page(title=URDU_PAGE_TITLE, body=URDU_BODY + "\n"),
}


def test_legitimate_oddities_build_and_show_their_text(tmp_path):
    result = build_site(tmp_path, ODDITIES)
    assert result.exit_code == 0, result
    slug = "کوئٹہ-دھماکہ"
    html = result.read(f"events/{slug}/index.html")
    for text in (URDU_TITLE, PERSIAN_SUMMARY, URDU_PLACE, URDU_COUNTRY, URDU_ACTOR, PERSIAN_ACTOR, URDU_TAG,
                 PERSIAN_TAG, PERSIAN_PUBLISHER, PERSIAN_SOURCE_TITLE, PERSIAN_AUTHOR, PERSIAN_SOURCE_NOTE,
                 PERSIAN_BY, URDU_REPORT_NOTE, PERSIAN_DISCREPANCY, URDU_BODY,
                 unicodedata.normalize("NFC", NFD_ACTOR)):
        assert text in html, text
    assert NFD_ACTOR not in html
    assert URDU_BODY in result.read("about/index.html") and URDU_PAGE_TITLE in result.read("about/index.html")
    feed = json.loads(result.read("feed.json"))
    assert URDU_TITLE in [item["title"] for item in feed["items"]]
    assert URDU_TITLE in result.read("events.csv") and PERSIAN_BY in result.read("reports.csv")
    assert "Bom flood" in result.read("events/bom/index.html")
    crlf = result.read("events/crlf/index.html")
    assert "\r" not in crlf and '<a href="../bom/">the other</a>' in crlf
    assert ("A very long line. " * 100) in result.read("events/long-lines/index.html")


def test_term_pages_get_safe_slugs(tmp_path):
    result = build_site(tmp_path, ODDITIES)
    assert result.exit_code == 0, result
    expected = {
        ("tags", URDU_TAG): "سرحد-پار-حملہ",
        ("tags", PERSIAN_TAG): "حمله-موشکی",              # the zero-width non-joiner becomes a hyphen
        ("actors", URDU_ACTOR): "بلوچستان-لبریشن-آرمی",
        ("actors", NFD_ACTOR): "émile-société",            # composed and lower-cased
        ("places", URDU_PLACE): "کوئٹہ-بلوچستان",
    }
    for (kind, name), slug in expected.items():
        assert term_slug(name) == slug
        assert unicodedata.is_normalized("NFC", slug)
        assert URDU_TITLE in result.read(f"{kind}/{slug}/index.html"), (kind, slug)
    for path in result.files():
        for part in path.split("/"):
            assert len(part.encode("utf-8")) <= 200, path
            assert part not in ("", ".", "..") and not part.startswith("-"), path
            assert all(c.isalnum() or c in "-._" for c in part), path


def test_a_long_name_is_cut_to_a_safe_slug_and_cut_clashes_are_reported(tmp_path):
    assert term_slug("x" * 400) == "x" * 150
    assert len(term_slug("ی" * 300).encode("utf-8")) <= 150
    files = {"content/a.md": event(place=PLACE, tags=["x" * 300 + " one"]),
             "content/b.md": event(place=PLACE, tags=["x" * 300 + " two"])}
    result = build_site(tmp_path, files, "check")
    assert result.exit_code == 1 and "would share the page /tags/" + "x" * 150 + "/" in result.stderr, result


def test_every_file_a_build_writes_is_a_declared_route(tmp_path):
    # aliases and collisions are checked against the routes: a file the renderer writes
    # without declaring it would escape those checks
    root = write_files(tmp_path, {"content/a.md": event(place=PLACE, aliases=["/old/"]),
                                  "content/pages/about.md": page()})
    config = load_config(root, {"base_url": "https://example.org/"})
    result = pipeline.render(config)
    routes = result.site.routes
    folders = tuple(path for path in routes if path.endswith("/"))
    undeclared = sorted(path for path in result.files if path not in routes and not path.startswith(folders))
    assert not undeclared and folders == ("pagefind/",)
    assert {path for path in routes if not path.endswith("/")} <= set(result.files)


def test_slugs_keep_the_marks_of_their_script_and_nothing_unsafe():
    assert term_slug("बाढ़ राहत") == "बाढ़-राहत"             # Devanagari vowel signs stay in the word
    assert term_slug("پاکستانِ ریلیف") == "پاکستانِ-ریلیف"      # so does an Arabic vowel mark
    assert term_slug("Flood_Warning / ../Levee") == "flood-warning-levee"
    assert term_slug("\u202eevil\u202c") == "evil"             # bidi controls are not letters
    assert term_slug("!!!") == "term"
    for good in ("a", "flood-2024", "बाढ़", "کوئٹہ-دھماکہ", "café"):
        assert valid_slug(good), good
    for bad in ("", "-a", "a-", "a--b", "a_b", "a.b", "a/b", "..", "a b", "\u0301a", "a\u200bb", "x" * 121,
                "洪" * 70):
        assert not valid_slug(bad), bad


def test_the_first_and_the_last_day_a_date_can_name_build(tmp_path):
    """An exclusive iCalendar end after 9999-12-31 overflowed Python's dates, a traceback."""
    files = {"content/first.md": event(title="First", date="0001-01-01", place=PLACE),
             "content/last.md": event(title="Last", date="9999-12-31", end="9999-12-31", place=PLACE),
             "content/timed.md": event(title="Timed", date="9999-12-31", time="23:00", end="9999-12-31")}
    result = build_site(tmp_path, files)
    assert result.exit_code == 0, result
    calendar = icalendar.Calendar.from_ical(result.read("events.ics"))
    starts = sorted(str(e.get("dtstart").dt) for e in calendar.walk("VEVENT"))
    assert starts == ["0001-01-01", "9999-12-31", "9999-12-31 23:00:00"]


def test_editors_hidden_files_are_not_content(tmp_path):
    """Emacs locks a file being edited with a dangling symlink `.#name.md`; the build goes on."""
    root = write_files(tmp_path, {"content/a.md": event(place=PLACE), "content/.a.md.swp.md": "\x00binary"})
    os.symlink("editor@host.1234:1700000000", root / "content" / ".#a.md")
    result = build_site(tmp_path, {})
    assert result.exit_code == 0, result
    assert result.exists("events/a/index.html")


def test_a_broken_link_or_a_folder_named_like_an_entry_is_an_error(tmp_path):
    root = write_files(tmp_path, {"content/a.md": event(place=PLACE)})
    os.symlink("missing-target.md", root / "content" / "b.md")
    (root / "content" / "c.md").mkdir()
    result = build_site(tmp_path, {}, "check")
    assert result.exit_code == 1 and "Traceback" not in result.output, result
    assert [(path, line) for path, line, _ in result.errors()] == [("content/b.md", 1), ("content/c.md", 1)]
    assert "not a regular file" in result.stderr


def test_a_20_mb_file_is_refused_without_being_read(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    path = content / "huge.md"
    with open(path, "wb") as handle:
        handle.write(b"---\ntitle: A\ndate: 2024-01-02\n---\n")
        handle.truncate(20 * 1024 * 1024)
    tracemalloc.start()
    try:
        entry, errors = load_entry(path, "event", content)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert entry is None and "an entry may be at most 1,000,000" in str(errors[0])
    assert peak < 1_000_000, f"{peak:,} bytes allocated to refuse it"
