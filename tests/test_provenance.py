"""Sources that survive (`archive_url`, `archived`) and citable pages: parsed with `path:line`
errors, shown beside the original in each language, in the exports, the JSON-LD, the
citation_* tags, the "Cite this page" block and the sitemap's lastmod."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from helpers import PYPROJECT, assert_error, build_site

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

[tool.dateline.languages.ur]
name = "اردو"
direction = "rtl"

[tool.dateline.languages.fa]
name = "فارسی"
direction = "rtl"
"""


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


@pytest.mark.parametrize("lang, words, day", [("ur", "محفوظ شدہ", "30 جنوری 2024"),
                                               ("fa", "بایگانی‌شده", "۳۰ ژانویهٔ ۲۰۲۴")])
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
