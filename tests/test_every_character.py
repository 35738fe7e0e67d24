"""Every output safe for every character (issue 23), as properties over all of Unicode.

Three properties, with the characters that break formats weighted in (C0 and C1 controls, NUL,
DEL, lone surrogates, noncharacters, U+2028 and U+2029, the direction controls U+202A-U+202E and
U+2066-U+2069, marks, the byte order mark, markup and CSV and iCalendar punctuation):

1. An entry whose texts (front matter as JSON, so that any code point, a lone surrogate too, can be
   written as an escape; a body; an era; a page) hold a character no output can carry, or
   direction formatting left open, is refused with `path:line` errors and nothing else; any other
   entry builds. What is refusable is written out here, on its own terms (dateline/characters.py
   is not used to decide it).
2. A site built from publishable texts in every field parses with the real parser of each
   output: both feeds (expat through ElementTree, and feedparser with bozo 0), every JSON file,
   the calendar (icalendar), both tables (csv, each text cell read back as the text, neutralised
   as a spreadsheet needs it), and the event page, a term page and the page (html5lib, strict:
   any parse error fails); the texts are found where they were written.
3. The exports written straight from the model, whatever text it holds, refused characters
   included (a text that reached them by another road than the checked front matter), still
   parse: this is what feeds.clean() and the CSV neutraliser are for.

One build takes about a tenth of a second; the example counts keep the file to about a minute.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import shutil
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import html5lib
import icalendar
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from dateline import pipeline
from dateline.config import load_config
from dateline.outputs import feeds, geo, ics, table, timelinejs
from helpers import PYPROJECT

# a build is a tenth of a second: shrinking a failure would take minutes, so the failing example
# is printed as found
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    phases=(Phase.explicit, Phase.reuse, Phase.generate))

# -- the characters --------------------------------------------------------------------------------

OPENERS = "\u202a\u202b\u202d\u202e\u2066\u2067\u2068"
CLOSERS = "\u202c\u2069"
DIRECTION = OPENERS + CLOSERS
CONTROLS = "\x00\x01\x07\x08\x0b\x0c\r\x1b\x1f\x7f\x80\x85\x9b\x9f"
SURROGATES = "\ud800\udbff\udc00\udfff"
NONCHARACTERS = "\ufdd0\ufdef\ufffe\uffff\U0001fffe\U0010ffff"
# what every format has a rule for, and what a right-to-left editor types
AWKWARD = ("\t", "\n", " ", "\u2028", "\u2029", "\u200e", "\u200f", "\u061c", "\ufeff", "\u200d", "\u200c",
           "\u0301", "<", ">", "&", "&amp;", "&#x41;", "]]>", '"', "'", "\\", ",", ";", ":", "=", "+", "-", "@",
           "*", "_", "`", "#", "[", "]", "|", "\ufffd", "\U0001f600", "ک", "۹", "א", "é")
BALANCED = ("\u202bکوئٹہ\u202c", "\u2067دست‌کم\u2069", "\u2066ltr\u2069", "\u202d\u2068a\u2069b\u202c",
            "\u202e\u202aab\u202c\u202c")

ANY_CHARACTER = st.characters(codec=None, categories=None)   # every code point, surrogates included
PUBLISHABLE_CHARACTER = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))


def refused_character(char: str) -> bool:
    """What no output can carry: controls but tab and newline, surrogates, noncharacters."""
    point = ord(char)
    category = unicodedata.category(char)
    return ((category == "Cc" and char not in "\t\n") or category == "Cs"
            or 0xFDD0 <= point <= 0xFDEF or point & 0xFFFE == 0xFFFE)


_PAIR = re.compile(f"[\u202a\u202b\u202d\u202e][^{DIRECTION}]*\u202c|[\u2066-\u2068][^{DIRECTION}]*\u2069")


def direction_left_open(text: str) -> bool:
    """Whether the direction formatting of `text` reaches past it: innermost pairs removed until
    none is left, anything remaining is unbalanced."""
    previous = None
    while previous != text:
        previous, text = text, _PAIR.sub("", text)
    return any(char in DIRECTION for char in text)


def refusable(text: str) -> bool:
    return any(refused_character(c) for c in text) or direction_left_open(text)


def pieces(characters, extra) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(characters, st.sampled_from(extra)), min_size=1, max_size=8).map("".join)


ANY_TEXT = pieces(ANY_CHARACTER, [*CONTROLS, *SURROGATES, *NONCHARACTERS, *DIRECTION, *AWKWARD, *BALANCED])
SOME_TEXT = ANY_TEXT.filter(lambda t: t.strip())   # an empty title is another error
PUBLISHABLE_TEXT = pieces(PUBLISHABLE_CHARACTER, [*AWKWARD, *BALANCED]).filter(
    lambda t: not refusable(t) and t.strip())
NAME = PUBLISHABLE_TEXT.filter(lambda t: "\n" not in t)


def shown(text: str) -> str:
    """A text as the model keeps it: composed (NFC), without surrounding whitespace."""
    return unicodedata.normalize("NFC", text).strip()


# -- one small site -----------------------------------------------------------------------------

FIELDS = ("title", "summary", "place", "country", "actor", "tag", "publisher", "source_title", "author",
          "source_note", "by", "report_note", "discrepancy", "correction", "era_title", "era_summary",
          "page_title", "body")


def inline(text: str) -> str:
    """A Markdown field's text as one paragraph: a line that starts a block ('- ', '> ') is
    another error (test_broken_entries)."""
    return "Said: " + re.sub("[\n\u2028\u2029]", " ", text)


def entry(texts: dict) -> str:
    """The event's file: JSON front matter, one field a line (ASCII escapes, so any code point
    can be written), then the body."""
    texts = {**texts, **{k: inline(texts[k]) for k in ("source_note", "report_note", "discrepancy", "correction")}}
    front = {
        "title": texts["title"], "date": "2024-01-15", "summary": texts["summary"],
        "place": {"name": texts["place"], "country": texts["country"], "lat": 46.2, "lon": 7.4,
                  "precision": "town"},
        "actors": [texts["actor"]], "tags": [texts["tag"]],
        "sources": [{"id": "s1", "publisher": texts["publisher"], "title": texts["source_title"],
                     "date": "2024-01-15", "author": texts["author"], "note": texts["source_note"]}],
        "reports": [{"as_of": "2024-01-15", "by": texts["by"], "source": "s1", "killed": {"civilians": 2},
                     "note": texts["report_note"]}],
        "discrepancies": [texts["discrepancy"]],
        "corrections": [{"date": "2024-01-16", "text": texts["correction"]}],
    }
    lines = ["{"] + [f"{json.dumps(k)}: {json.dumps(v)}," for k, v in front.items()]
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join(lines + ["}", texts["body"], ""])


def yaml_quoted(text: str) -> str:
    """A YAML double-quoted scalar of any text: letters, marks, numbers, punctuation, symbols and
    spaces as they are, any other code point as a \\U escape (YAML reads a JSON-style pair of
    \\u escapes as two surrogates, not as one character)."""
    def one(char: str) -> str:
        if char in '"\\':
            return "\\" + char
        if unicodedata.category(char)[0] in "LMNPS" or unicodedata.category(char) == "Zs":
            return char
        return f"\\U{ord(char):08X}"
    return '"' + "".join(map(one, text)) + '"'


def site_files(texts: dict) -> dict[str, bytes]:
    era = (f"{{slug: wet, title: {yaml_quoted(texts['era_title'])}, summary: {yaml_quoted(texts['era_summary'])}, "
           "start: 2024-01-01, end: 2024-01-31}")
    page = json.dumps(texts["page_title"])
    # a surrogate cannot be UTF-8: written as Python would with surrogatepass, the file is not UTF-8
    return {"content/a.md": entry(texts).encode("utf-8", "surrogatepass"),
            "content/eras.yaml": f"- {era}\n".encode("utf-8", "surrogatepass"),
            "content/pages/about.md": f"{{\n\"title\": {page}\n}}\nAbout.\n".encode()}


ROOT = Path(tempfile.mkdtemp(prefix="dateline-every-character-"))


@pytest.fixture(scope="module", autouse=True)
def _remove_root():
    yield
    shutil.rmtree(ROOT, ignore_errors=True)


def render(texts: dict):
    shutil.rmtree(ROOT, ignore_errors=True)
    (ROOT / "content" / "pages").mkdir(parents=True)
    (ROOT / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    for rel, data in site_files(texts).items():
        (ROOT / rel).write_bytes(data)
    return pipeline.render(load_config(ROOT, {"base_url": "https://example.org/"}))


def texts_of(strategy) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({name: strategy for name in FIELDS})


# -- 1. refused where it is written -------------------------------------------------------------------

@SETTINGS
@given(texts_of(st.one_of(PUBLISHABLE_TEXT, SOME_TEXT)))
def test_a_text_no_output_can_carry_is_refused_at_its_line(texts):
    result = render(texts)
    refused = {name for name, text in texts.items()
               if refusable(text) or (name == "body" and any("\ud800" <= c <= "\udfff" for c in text))}
    if not refused:
        assert not result.errors, [str(e) for e in result.errors]
        return
    assert result.errors and not result.files, f"{sorted(refused)} built"
    files = site_files(texts)
    for err in result.errors:
        assert err.path in ("a.md", "eras.yaml", "pages/about.md") and err.message, err
        lines = files["content/" + err.path].count(b"\n") + 1
        assert 1 <= err.line <= lines, err
        assert not any(refused_character(c) or c in DIRECTION for c in err.message), err


# -- 2. every output parses, and says what was written ----------------------------------------------

def strict_html(name: str, data: bytes) -> None:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        parser.parse(data.decode("utf-8"))
    except html5lib.html5parser.ParseError as exc:
        raise AssertionError(f"{name}: {exc}") from None


def csv_cell(text: str) -> str:
    """What a spreadsheet must be given for a text: a leading = + - @ tab or CR quoted away."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"-?\d+(\.\d+)?", text) \
        else text


@SETTINGS
@given(texts_of(PUBLISHABLE_TEXT), NAME)
def test_every_output_parses_with_its_real_parser(texts, name):
    texts = {**texts, "actor": name, "tag": name + "t"}
    result = render(texts)
    assert not result.errors, [str(e) for e in result.errors]
    files = result.files
    title = shown(texts["title"])

    atom = ET.fromstring(files["feed.xml"])
    atom_ns = "{http://www.w3.org/2005/Atom}"
    assert atom.find(f"{atom_ns}entry/{atom_ns}title").text == title
    feed = feedparser.parse(files["feed.xml"])
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == 1

    for path, data in files.items():
        if path.endswith((".json", ".geojson")) and not path.startswith("pagefind/"):
            json.loads(data.decode("utf-8"))
        if path.endswith(".xml"):
            ET.fromstring(data)
    assert json.loads(files["feed.json"])["items"][0]["title"] == title
    assert json.loads(files["events.geojson"])["features"][0]["properties"]["title"] == title

    calendar = icalendar.Calendar.from_ical(files["events.ics"])
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent.get("summary")) == title

    (row,) = csv.DictReader(io.StringIO(files["events.csv"].decode("utf-8"), newline=""))
    assert row["title"] == csv_cell(title)
    assert row["actor1"] == csv_cell(shown(name))
    (report,) = csv.DictReader(io.StringIO(files["reports.csv"].decode("utf-8"), newline=""))
    assert report["reported_by"] == csv_cell(shown(texts["by"]))

    for path in ("events/a/index.html", "about/index.html", "index.html"):
        strict_html(path, files[path])
    tags = [p for p in files if p.startswith("tags/") and p.endswith("/index.html") and p != "tags/index.html"]
    assert len(tags) == 1
    strict_html(tags[0], files[tags[0]])


# -- 3. the exports hold whatever the model holds -------------------------------------------------------

EXPORTS = {"feed.xml": (feeds.atom_entry, feeds.atom), "feed.json": (feeds.json_feed_item, feeds.json_feed),
           "events.ics": (ics.vevent_item, ics.calendar), "events.csv": (table.event_row, table.events_csv),
           "reports.csv": (table.report_rows, table.reports_csv),
           "events.geojson": (geo.feature_item, geo.geojson),
           "timeline.json": (timelinejs.slide_item, timelinejs.timelinejs)}


@pytest.fixture(scope="module")
def plain():
    """A site of plain texts, rendered once: its model is the base each example changes."""
    result = render({name: f"Plain {name}" for name in FIELDS})
    assert not result.errors
    return result.site


def _exports(site, event, body: str) -> dict[str, bytes]:
    timeline = dataclasses.replace(site.timeline, events=(event,))
    bodies = {event.path: body}
    return {name: whole(site.config, timeline, {event.slug: item(site.config, event, bodies)})
            for name, (item, whole) in EXPORTS.items()}


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_the_exports_hold_any_text_the_model_holds(plain, data):
    text = lambda: data.draw(ANY_TEXT)   # noqa: E731
    event = plain.timeline.events[0]
    source, report = event.sources[0], event.reports[0]
    event = dataclasses.replace(
        event, title=text(), summary=text(), actors=(text(),), tags=(text(), text()),
        place=dataclasses.replace(event.place, name=text(), country=text()),
        sources=(dataclasses.replace(source, publisher=text(), title=text(), author=text(), note=text()),),
        reports=(dataclasses.replace(report, by=text(), note=text()),), discrepancies=(text(),))
    files = _exports(plain, event, text())
    for name, data_ in files.items():
        data_.decode("utf-8")   # a lone surrogate cannot have been encoded
    ET.fromstring(files["feed.xml"])
    feed = feedparser.parse(files["feed.xml"])
    assert not feed.bozo, feed.get("bozo_exception")
    for name in ("feed.json", "events.geojson", "timeline.json"):
        json.loads(files[name])
    icalendar.Calendar.from_ical(files["events.ics"])
    for name in ("events.csv", "reports.csv"):
        rows = list(csv.reader(io.StringIO(files[name].decode("utf-8"), newline="")))
        assert len(rows) == 2 and len(set(map(len, rows))) == 1, rows
        for cell in rows[1]:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), (name, cell)
            assert not cell.startswith("-") or re.fullmatch(r"-\d+(\.\d+)?", cell), (name, cell)


# -- 4. a title's direction stays inside it -------------------------------------------------------

# elements that are a bidi paragraph of their own: nothing before or after them on the line
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "dd", "dt", "td", "th", "div", "caption", "figcaption", "article",
           "section", "main", "header", "footer", "nav", "ul", "ol", "body", "pre", "blockquote", "summary",
           "details", "title", "script", "option"}


def not_isolated(document: bytes, word: str) -> list[list[str]]:
    """The element chains (innermost first) of each HTML text holding `word` that is neither
    inside an isolate (an element with `dir`, or <bdi>) nor the text of a block: where a
    direction it carries could reorder the text around it. SVG text is left out (a <text> is its
    own paragraph; <title> and <desc> are tooltips)."""
    tree = html5lib.parse(document.decode("utf-8"), namespaceHTMLElements=False)
    parents = {child: parent for parent in tree.iter() for child in parent}
    found = []
    for element in tree.iter():
        for text, owner in ((element.text, element), (element.tail, parents.get(element))):
            if not text or word not in text or owner is None or "svg" in str(owner.tag):
                continue
            chain, node = [], owner
            while node is not None and not (node.get("dir") or node.tag == "bdi"):
                chain.append(str(node.tag))
                if node.tag in _BLOCKS:
                    if text is not owner.text or len(owner) or node is not owner:
                        found.append(chain)
                    break
                node = parents.get(node)
    return found


def test_a_title_with_direction_controls_is_shown_isolated(tmp_path):
    """Balanced direction formatting is kept (left open it is refused: test_broken_entries), and
    wherever a page shows the title among other words, it is inside an isolate (dir="auto"), so
    even an RTL title before a number cannot reorder them."""
    from helpers import PLACE, build_site, event, source
    title = "\u2067کوئٹہ\u2069 blast 2024"
    result = build_site(tmp_path, {
        "content/a.md": event(title=title, place=PLACE, tags=["x"], actors=["\u202bسپاہ\u202c"],
                              sources=[source("s1", publisher="\u2067ایرنا\u2069")]),
        "content/b.md": event(title="Other", date="2024-01-16", place=PLACE, related=["a"], in_response_to=["a"]),
    })
    assert result.exit_code == 0, result
    pages = ["events/a/index.html", "events/b/index.html", "index.html", "2024/index.html", "2024/01/index.html",
             "tags/x/index.html"]
    for path in pages:
        html = (result.out_dir / path).read_bytes()
        assert title.encode() in html, path
        for word in ("کوئٹہ", "سپاہ", "ایرنا"):
            assert not not_isolated(html, word), (path, word, not_isolated(html, word))
