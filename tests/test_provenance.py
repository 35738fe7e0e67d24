"""Sources that survive (`archive_url`, `archived`) and citable pages: parsed with `path:line`
errors, shown beside the original in each language, in the exports, the JSON-LD, the
citation_* tags, the "Cite this page" block and the sitemap's lastmod."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from dateline.outputs import citation
from helpers import PYPROJECT, URDU_AND_PERSIAN, assert_error, build_site

HEAD = """\
---
title: A
date: 2024-01-15
sources:
  - id: s1
    publisher: P
    title: T
    date: 2024-01-15
    url: https://example.org/story
"""
BAD = {
    # extra lines under the source (from line 10), line of the error, fragment
    "archive_url not http": ("    archive_url: ftp://archive.org/x\n", 10,
                             "archive_url 'ftp://archive.org/x' must start with http:// or https://"),
    "archive_url not text": ("    archive_url: [a, b]\n", 10, "'archive_url' must be text, not a list"),
    "archived without archive_url": ("    archived: 2024-01-30\n", 10,
                                     "'archived' dates an archived copy, but this source has no 'archive_url'"),
    "archived not a date": ("    archive_url: https://web.archive.org/web/2024/x\n    archived: yesterday\n", 11,
                            "'archived': 'yesterday' is not a date"),
    "archived impossible day": ("    archive_url: https://web.archive.org/web/2024/x\n    archived: 2024-02-30\n",
                                11, "'archived': '2024-02-30' does not exist"),
    "archived to the month": ("    archive_url: https://web.archive.org/web/2024/x\n    archived: 2024-01\n", 11,
                              "'archived' needs the full day the copy was made (YYYY-MM-DD), not '2024-01'"),
    "archived before publication": ("    archived: 2024-01-14\n    archive_url: https://archive.ph/x\n", 10,
                                    "archived 2024-01-14, before the source was published (2024-01-15)"),
    "archive misspelt": ("    archive_ulr: https://archive.ph/x\n", 10,
                         "unknown key 'archive_ulr' in a source — did you mean 'archive_url'?"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_archive_fields_name_file_and_line(tmp_path, name):
    extra, line, fragment = BAD[name]
    result = build_site(tmp_path, {"content/a.md": HEAD + extra + "---\nBody.\n"}, "check")
    assert_error(result, "content/a.md", line, fragment, count=1)


ARCHIVED = HEAD + """\
    archive_url: https://web.archive.org/web/20240130000000/https://example.org/story
    archived: 2024-01-30
  - {id: s2, publisher: Q, title: U, date: 2024-01-16, archive_url: "https://archive.ph/abc"}
  - {id: s3, publisher: R, title: V, date: 2024-01-17}
reports:
  - {as_of: 2024-01-15, by: Police, source: s1, killed: {civilians: 3}}
---
Body.
"""
MULTI = PYPROJECT.replace('base_url = "/"', 'base_url = "https://example.org/t/"') + """
[tool.dateline.languages.en]
name = "English"
""" + URDU_AND_PERSIAN


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    result = build_site(tmp_path_factory.mktemp("archived"), {"content/a.md": ARCHIVED}, pyproject=MULTI)
    assert result.exit_code == 0, result
    return result


def _source_item(page: str, sid: str) -> str:
    return re.search(rf'<li id="source-{sid}".*?</li>', page, re.S)[0]


def test_the_archived_copy_is_shown_beside_the_original(built):
    page = built.read("events/a/index.html")
    item = _source_item(page, "s1")
    assert '<a href="https://example.org/story" rel="noopener noreferrer">T</a>' in item
    assert ('<span class="archived">(<a href="https://web.archive.org/web/20240130000000/https://example.org/story"'
            ' rel="noopener noreferrer">archived <time datetime="2024-01-30">30 January 2024</time></a>)</span>'
            in item)
    assert '(<a href="https://archive.ph/abc" rel="noopener noreferrer">archived copy</a>)' in _source_item(page, "s2")
    assert "archived" not in _source_item(page, "s3")


@pytest.mark.parametrize("lang, words, day", [("ur", "کو محفوظ کی گئی نقل", "30 جنوری، 2024"),
                                               ("fa", "بایگانی‌شده در", "۳۰ ژانویه ۲۰۲۴")])
def test_the_archive_date_is_in_the_pages_language(built, lang, words, day):
    item = _source_item(built.read(f"{lang}/events/a/index.html"), "s1")
    assert words in item and "archived" not in item.replace('class="archived"', "")
    assert f'<time datetime="2024-01-30" dir="rtl">{day}</time>' in item


def test_the_archived_copy_is_in_the_json_ld_and_reports_csv(built):
    page = built.read("events/a/index.html")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])
    first, second, third = data["citation"]
    assert first["archivedAt"] == "https://web.archive.org/web/20240130000000/https://example.org/story"
    assert second["archivedAt"] == "https://archive.ph/abc" and "archivedAt" not in third
    row = next(csv.DictReader(io.StringIO(built.read("reports.csv"))))
    assert row["source_url"] == "https://example.org/story"
    assert row["source_archive_url"] == first["archivedAt"] and row["source_archived"] == "2024-01-30"


def test_the_editors_schema_knows_the_archive_fields(built):
    schema = json.loads(built.read("schema/event.json"))
    properties = schema["$defs"]["source"]["properties"]
    assert properties["archive_url"]["pattern"].startswith("^[Hh][Tt][Tt][Pp]")
    assert re.match(properties["archived"]["pattern"], "2024-01-30")
    assert not re.match(properties["archived"]["pattern"], "2024-01")


# -- citable pages -------------------------------------------------------------------------------

class _Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("name") or "").startswith("citation_"):
            self.tags.append((attrs["name"], attrs["content"]))


def citation_tags(page: str) -> list[tuple[str, str]]:
    parser = _Meta()
    parser.feed(page)
    return parser.tags


def bibtex_of(page: str) -> str:
    code = re.search(r'<pre class="bibtex"[^>]*><code>(.*?)</code></pre>', page, re.S)[1]
    return html.unescape(re.sub(r"<[^>]+>", "", code))


REVISED = """\
---
title: "Blast & aftermath: 50% of {the} market_hall"
date: 2024-01-15
tags: [bombing, market]
updated: 2024-02-01
corrections:
  - {date: 2024-03-02, text: An earlier version gave the wrong toll.}
---
Body.
"""


@pytest.fixture(scope="module")
def cited(tmp_path_factory):
    files = {"content/a.md": ARCHIVED, "content/revised.md": REVISED}
    pyproject = MULTI.replace('title = "Test timeline"', 'title = "Test timeline"\nauthor = "The Desk"')
    result = build_site(tmp_path_factory.mktemp("cited"), files, pyproject=pyproject)
    assert result.exit_code == 0, result
    return result


def test_highwire_tags_carry_what_google_scholar_requires(cited):
    tags = citation_tags(cited.read("events/revised/index.html"))
    names = [name for name, _ in tags]
    # Google Scholar's inclusion guidelines: title, author(s) and publication date, always
    assert set(citation.REQUIRED_TAGS) <= set(names)
    assert dict(tags)["citation_title"] == "Blast & aftermath: 50% of {the} market_hall"
    assert dict(tags)["citation_author"] == "The Desk"
    assert dict(tags)["citation_publication_date"] == "2024/3/2"   # the latest correction, in Scholar's form
    assert dict(tags)["citation_public_url"] == "https://example.org/t/events/revised/"
    assert dict(tags)["citation_language"] == "en"
    # every name is one Zotero's Embedded Metadata translator maps (HIGHWIRE_MAPPINGS)
    assert names == ["citation_title", "citation_author", "citation_publication_date",
                     "citation_public_url", "citation_language"]


def test_an_unrevised_entry_is_dated_by_its_event(cited):
    tags = dict(citation_tags(cited.read("events/a/index.html")))
    assert tags["citation_publication_date"] == "2024/1/15"


def test_the_bibtex_parses_with_a_real_parser(cited):
    import bibtexparser
    page = cited.read("events/revised/index.html")
    library = bibtexparser.parse_string(bibtex_of(page))
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "online" and entry.key == "revised-2024"
    fields = {f.key: f.value for f in entry.fields}
    assert fields["title"] == r"{Blast \& aftermath: 50\% of \{the\} market\_hall}"
    assert fields["author"] == "{The Desk}"
    assert fields["date"] == "2024-03-02" and fields["year"] == "2024"
    assert fields["url"] == "https://example.org/t/events/revised/"
    assert fields["urldate"] == citation.ACCESS_PLACEHOLDER   # filled in by the reader's script
    assert '<span class="cite-today">YYYY-MM-DD</span>' in page


def test_the_plain_citation_is_in_the_pages_language(cited):
    page = cited.read("fa/events/revised/index.html")
    plain = re.search(r'<p class="cite-plain".*?</p>', page, re.S)[0]
    assert "۲ مارس ۲۰۲۴" in plain and "https://example.org/t/fa/events/revised/" in plain
    assert "استناد به این صفحه" in page
    tags = citation_tags(page)
    assert dict(tags)["citation_public_url"] == "https://example.org/t/fa/events/revised/"
    assert dict(tags)["citation_language"] == "en"   # its words: not translated yet


def test_without_a_host_the_citation_has_no_url(tmp_path):
    result = build_site(tmp_path, {"content/revised.md": REVISED})
    assert result.exit_code == 0, result
    page = result.read("events/revised/index.html")
    names = [n for n, _ in citation_tags(page)]
    assert "citation_public_url" not in names and set(citation.REQUIRED_TAGS) <= set(names)
    import bibtexparser
    (entry,) = bibtexparser.parse_string(bibtex_of(page)).entries
    assert "url" not in entry.fields_dict and "urldate" not in entry.fields_dict


def test_the_sitemap_dates_revised_entries_only(cited):
    root = ET.fromstring(cited.read("sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    dates = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
             for u in root.findall("s:url", ns)}
    for prefix in ("", "ur/", "fa/"):
        assert dates[f"https://example.org/t/{prefix}events/revised/"] == "2024-03-02"
        assert dates[f"https://example.org/t/{prefix}events/a/"] is None
    assert dates["https://example.org/t/"] is None
    # lastmod comes right after loc, as the sitemap schema's sequence wants
    url = next(u for u in root.findall("s:url", ns) if u.findtext("s:loc", namespaces=ns).endswith("/t/events/revised/"))
    assert [child.tag.split("}")[1] for child in url][:2] == ["loc", "lastmod"]


def test_the_feeds_updated_is_the_latest_correction(cited):
    feed = json.loads(cited.read("feed.json"))
    item = next(i for i in feed["items"] if i["id"].endswith("/events/revised/"))
    assert item["date_modified"].startswith("2024-03-02T")
