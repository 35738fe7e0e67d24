"""One broken entry among good ones, built with the real `python build.py` over an output folder
that holds the previous good build: exit 1, `content/<file>:<line>: message` on stderr, no
traceback, and the previous site untouched to the byte, the modification time and the inode.

BROKEN is the catalogue of broken input (issue 7): one row per kind of mistake or attack. The
legitimate oddities (a BOM, CRLF, Urdu and Persian text, very long lines) build: see
test_hostile_input.py."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from helpers import PLACE, Raw, assert_error, build_site, event, list_files, page, run_build_py, snapshot, source

GOOD = {
    "content/rain-begins.md": event(title="Heavy rain begins", date="2024-01-01", place=PLACE,
                                    tags=["flood warning"]),
    "content/levee-breaks.md": event(title="Levee breaks", date="2024-01-03", place=PLACE,
                                     in_response_to=["rain-begins"]),
    "content/plan.md": event(title="A plan not yet published", date="2024-01-02", draft=True),
    "content/pages/about.md": page(title="About"),
    "content/eras.yaml": "- slug: wet\n  title: Wet weeks\n  start: 2024-01-01\n  end: 2024-01-31\n",
}


def bad(**fields) -> str:
    """A broken event dated between the two good ones: title line 2, date line 3, then fields."""
    return event(**{"title": "Broken entry", "date": "2024-01-02", **fields})


REPORT = {"as_of": "2024-01-02", "by": "The mayor", "source": "s1"}
GOOD_FRONT = "---\ntitle: A\ndate: 2024-01-02\n"
TWENTY_MB = GOOD_FRONT.encode() + b"---\n" + (b"A paragraph of text that goes on. " * 34 + b"\n") * 17_500


class Symlink(str):
    """A file of the catalogue that is a symbolic link to this path (relative to the project)."""

# kind: (files to add or replace, file named in the error, line, message fragment)
BROKEN = {
    "missing title": ({"content/bad.md": bad(title=None)}, "content/bad.md", 2, "missing required key 'title'"),
    "missing date": ({"content/bad.md": bad(date=None)}, "content/bad.md", 2, "missing required key 'date'"),
    "date format": ({"content/bad.md": bad(date="02/01/2024")}, "content/bad.md", 3, "is not a date"),
    "impossible date": ({"content/bad.md": bad(date="2023-02-29")}, "content/bad.md", 3, "February 2023 has 28 days"),
    "month 13": ({"content/bad.md": bad(date="2024-13")}, "content/bad.md", 3, "has no month 13"),
    "time without a day": ({"content/bad.md": bad(date="2024-01", time="04:05")}, "content/bad.md", 4,
                           "a time needs a full date"),
    "bad time": ({"content/bad.md": bad(time="25:00")}, "content/bad.md", 4, "'25:00' is not a time"),
    "end before start": ({"content/bad.md": bad(end="2024-01-01")}, "content/bad.md", 4, "is before the start"),
    "approximate yes": ({"content/bad.md": bad(approximate=Raw("yes"))}, "content/bad.md", 4,
                        "'approximate' must be true or false"),
    "lat 91": ({"content/bad.md": bad(place={**PLACE, "lat": 91})}, "content/bad.md", 4, "'lat' is 91"),
    "precision typo": ({"content/bad.md": bad(place={**PLACE, "precision": "twon"})}, "content/bad.md", 4,
                       "did you mean 'town'?"),
    "unknown key": ({"content/bad.md": bad(summary="x", tilte="y")}, "content/bad.md", 5,
                    "unknown key 'tilte' in an event — did you mean 'title'?"),
    "duplicate key": ({"content/bad.md": "---\ntitle: A\ndate: 2024-01-02\ntitle: B\n---\n"}, "content/bad.md", 4,
                      "duplicate key 'title' (first on line 2)"),
    "tab": ({"content/bad.md": "---\ntitle: A\ndate: 2024-01-02\nplace:\n\tname: X\n---\n"}, "content/bad.md", 5,
            "a tab character"),
    "yaml syntax": ({"content/bad.md": "---\ntitle: A\ndate: 2024-01-02\ntags: [a, b\n---\n"}, "content/bad.md", 4,
                    "the '[' that starts this list is never closed"),
    "tags as text": ({"content/bad.md": bad(tags="flood")}, "content/bad.md", 4, "'tags' must be a list"),
    "killed negative": ({"content/bad.md": bad(sources=[source()], reports=[{**REPORT, "killed": {"civilians": -2}}])},
                        "content/bad.md", 5, "must be a whole number of people"),
    "duplicate source id": ({"content/bad.md": bad(sources=[source(), source()])}, "content/bad.md", 4,
                            "source id 's1' is used twice"),
    "report cites missing source": (
        {"content/bad.md": bad(sources=[source("courier")], reports=[{**REPORT, "source": "courrier",
                                                                      "killed": {"civilians": 1}}])},
        "content/bad.md", 5, "did you mean 'courier'?"),
    "report without figures": ({"content/bad.md": bad(sources=[source()], reports=[REPORT])}, "content/bad.md", 5,
                               "a report needs figures"),
    "javascript url": ({"content/bad.md": bad(sources=[source(url="javascript:alert(1)")])}, "content/bad.md", 4,
                       "must start with http:// or https://"),
    "duplicate slug": ({"content/zz-copy.md": bad(slug="levee-breaks")}, "content/zz-copy.md", 4,
                       "slug 'levee-breaks' is already used by levee-breaks.md"),
    "relation to missing event": ({"content/bad.md": bad(related=["levee-broke"])}, "content/bad.md", 4,
                                  "no event has that slug"),
    "relation to later event": ({"content/bad.md": bad(in_response_to=["levee-breaks"])}, "content/bad.md", 4,
                                "which happened later (2024-01-03)"),
    "relation to a draft": ({"content/bad.md": bad(part_of="plan")}, "content/bad.md", 4, "which is a draft"),
    "self reference": ({"content/bad.md": bad(related=["bad"])}, "content/bad.md", 4, "points at the event itself"),
    "part_of cycle": ({"content/bad.md": bad(part_of="zz-other"), "content/zz-other.md": bad(part_of="bad")},
                      "content/bad.md", 4, "'part_of' forms a cycle: bad → zz-other → bad"),
    "markdown link to missing file": ({"content/bad.md": bad(body="Text.\n\nSee [levee](levee-break.md).\n")},
                                      "content/bad.md", 7, "link to 'levee-break.md'"),
    "empty file": ({"content/bad.md": ""}, "content/bad.md", 1, "empty file"),
    "no front matter": ({"content/bad.md": "Just text.\n"}, "content/bad.md", 1, "no front matter"),
    "front matter never closed": ({"content/bad.md": "---\ntitle: A\ndate: 2024-01-02\n"}, "content/bad.md", 1,
                                  "never closed"),
    "invalid utf-8": ({"content/bad.md": b"---\ntitle: A\ndate: 2024-01-02\nsummary: \xe9t\xe9\n---\n"},
                      "content/bad.md", 4, "not valid UTF-8"),
    "nul byte": ({"content/bad.md": b"---\ntitle: A\ndate: 2024-01-02\n---\n\x00\n"}, "content/bad.md", 5,
                 "binary data"),
    "alias on an existing page": ({"content/bad.md": bad(aliases=["/about/"])}, "content/bad.md", 4,
                                  "alias /about/ is the address of an existing page"),
    "alias on a theme file": ({"content/bad.md": bad(aliases=["/static/dateline.css/"])}, "content/bad.md", 4,
                              "an address the generator writes itself"),
    "tag spelled twice": ({"content/zz-tag.md": bad(date="2024-01-05", tags=["Flood Warning"])},
                          "content/zz-tag.md", 4, "would share the page /tags/flood-warning/"),
    "reserved page slug": ({"content/pages/events.md": page()}, "content/pages/events.md", 1, "is reserved"),
    # -- issue 15: Markdown in front matter is checked as a body is ---------------------------------
    "discrepancy linking to a missing file": ({"content/bad.md": bad(discrepancies=["See [x](nowhere.md)."])},
                                              "content/bad.md", 4, "link to 'nowhere.md', but there is no such"),
    "source note linking to a missing file": ({"content/bad.md": bad(sources=[source(note="As [x](gone.md) says.")])},
                                              "content/bad.md", 4, "link to 'gone.md'"),
    "report note with an outside image": ({"content/bad.md": bad(sources=[source()], reports=[
        {"as_of": "2024-01-15", "by": "Police", "source": "s1", "note": "![x](https://elsewhere.example/x.png)"}])},
                                          "content/bad.md", 5, "image https://elsewhere.example/x.png is on another site"),
    # -- added for issue 7: every item of its list ------------------------------------------------
    "impossible day": ({"content/bad.md": bad(date="2024-02-30")}, "content/bad.md", 3,
                       "'2024-02-30' does not exist: February 2024 has 29 days"),
    "year zero": ({"content/bad.md": bad(date="0000-01-01")}, "content/bad.md", 3, "has no year 0"),
    "title is a list": ({"content/bad.md": bad(title=["A", "B"])}, "content/bad.md", 2, "'title' must be text"),
    "empty title": ({"content/bad.md": bad(title="  ")}, "content/bad.md", 2, "'title' is empty"),
    "date is a mapping": ({"content/bad.md": bad(date={"year": 2024})}, "content/bad.md", 3,
                          "'date' must be a date like 2024-01-16"),
    "lat as text": ({"content/bad.md": bad(place={**PLACE, "lat": "north"})}, "content/bad.md", 4,
                    "'lat' must be a number"),
    "lon 181": ({"content/bad.md": bad(place={**PLACE, "lon": 181})}, "content/bad.md", 4,
                "'lon' is 181, outside -180 to 180"),
    "place without lat": ({"content/bad.md": bad(place={"name": "X", "lon": 1, "precision": "town"})},
                          "content/bad.md", 4, "missing required key 'lat'"),
    "draft yes": ({"content/bad.md": bad(draft=Raw("yes"))}, "content/bad.md", 4, "'draft' must be true or false"),
    "killed as text": ({"content/bad.md": bad(sources=[source()], reports=[{**REPORT, "killed": "seven"}])},
                       "content/bad.md", 5, "'killed' must be counts per group"),
    "reports not a list": ({"content/bad.md": bad(sources=[source()], reports=REPORT)}, "content/bad.md", 5,
                           "'reports' must be a list of entries"),
    "report without sources": ({"content/bad.md": bad(reports=[{**REPORT, "killed": {"civilians": 1}}])},
                               "content/bad.md", 4, "this event lists no sources"),
    "data url source": ({"content/bad.md": bad(sources=[source(url="data:text/html,<script>alert(1)</script>")])},
                        "content/bad.md", 4, "must start with http:// or https://"),
    "ftp url source": ({"content/bad.md": bad(sources=[source(url="ftp://example.org/report.pdf")])},
                       "content/bad.md", 4, "must start with http:// or https://"),
    "in_response_to cycle": ({"content/bad.md": bad(in_response_to=["zz-other"]),
                              "content/zz-other.md": bad(in_response_to=["bad"])},
                             "content/bad.md", 4, "'in_response_to' forms a cycle: bad → zz-other → bad"),
    "page with an event field": ({"content/pages/about.md": page(date="2024-01-02")}, "content/pages/about.md", 3,
                                 "'date' is for events"),
    "unquoted colon": ({"content/bad.md": "---\ntitle: Flood: day two\ndate: 2024-01-02\n---\n"},
                       "content/bad.md", 2, "needs quotes"),
    "unclosed quote": ({"content/bad.md": '---\ntitle: "Flood\ndate: 2024-01-02\ntags: [a]\n---\n'},
                       "content/bad.md", 2, "the \" that starts this value is never closed"),
    "duplicate key in a source": (
        {"content/bad.md": GOOD_FRONT + "sources:\n  - id: s1\n    publisher: P\n    title: T\n"
                                        "    date: 2024-01-02\n    id: s2\n---\n"},
        "content/bad.md", 9, "duplicate key 'id' (first on line 5)"),
    "python tag": ({"content/bad.md": "---\ntitle: !!python/object/apply:os.system [id]\ndate: 2024-01-02\n---\n"},
                   "content/bad.md", 2, "unsupported YAML tag"),
    "alias bomb": ({"content/bad.md": GOOD_FRONT + "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
                    f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]\n" for i in range(1, 9))
                    + "---\n"}, "content/bad.md", 4, "expands too far"),
    "brackets nested thousands deep": ({"content/bad.md": GOOD_FRONT + "tags: " + "[" * 5_000 + "\n---\n"},
                                       "content/bad.md", 2, "nested far too deeply"),
    "a number 5,000 digits long": ({"content/bad.md": GOOD_FRONT + "summary: 1" + "0" * 4_999 + "\n---\n"},
                                   "content/bad.md", 4, "a number 5,000 digits long"),
    "image from another site": ({"content/bad.md": bad(body="Text.\n\n![The levee](https://cdn.example/levee.jpg)\n")},
                                "content/bad.md", 7, "image https://cdn.example/levee.jpg is on another site"),
    "front matter is a list": ({"content/bad.md": "---\n- title\n- date\n---\n"}, "content/bad.md", 2,
                               "must be fields like 'title: ...'"),
    "control character": ({"content/bad.md": GOOD_FRONT + "summary: bell\x07\n---\n"}, "content/bad.md", 4,
                          "holds U+0007, a control character"),
    "invalid utf-8 in the body": ({"content/bad.md": GOOD_FRONT.encode() + b"---\nOne.\n\nLatin-1: caf\xe9\n"},
                                  "content/bad.md", 7, "not valid UTF-8 (byte 0xe9 at column 13)"),
    "utf-16 file": ({"content/bad.md": (GOOD_FRONT + "---\n").encode("utf-16")}, "content/bad.md", 1,
                    "binary data"),
    "png image": ({"content/bad.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))},
                  "content/bad.md", 3, "binary data"),
    "20 MB file": ({"content/bad.md": TWENTY_MB}, "content/bad.md", 1, "an entry may be at most 1,000,000"),
    "symlink out of content": ({"secret.md": GOOD_FRONT + "---\nNot for publication.\n",
                                "content/bad.md": Symlink("secret.md")}, "content/bad.md", 1,
                               "outside the content folder"),
    "unusable file name": ({"content/my event.md": bad()}, "content/my event.md", 2, "is not a usable slug"),
    "slug with a path": ({"content/bad.md": bad(slug="../../etc/passwd")}, "content/bad.md", 4,
                         "is not a usable slug"),
    "slug too long": ({"content/bad.md": bad(slug="a" * 121)}, "content/bad.md", 4, "at most 120 characters"),
    "same slug by case": ({"content/Levee-Breaks.md": bad()}, "content/levee-breaks.md", 1,
                          "slug 'levee-breaks' is already used by Levee-Breaks.md: both would write"),
    "same slug by NFC": ({"content/cafe\u0301.md": bad(), "content/caf\u00e9.md": bad(date="2024-01-03")},
                         "content/caf\u00e9.md", 1, "slug 'caf\u00e9' is already used by cafe\u0301.md"),
    "alias on another event": ({"content/bad.md": bad(aliases=["/events/levee-breaks/"])}, "content/bad.md", 4,
                               "alias /events/levee-breaks/ is the address of an existing page (levee-breaks.md)"),
    "alias claimed twice": ({"content/bad.md": bad(aliases=["/old/"]), "content/zz-two.md": bad(aliases=["/old/"])},
                            "content/zz-two.md", 4, "alias /old/ is also claimed by bad.md"),
    "alias on a year": ({"content/bad.md": bad(aliases=["/2024/"])}, "content/bad.md", 4,
                        "an address the generator writes itself"),
    "alias on the feed": ({"content/bad.md": bad(aliases=["/feed.xml/"])}, "content/bad.md", 4,
                          "an address the generator writes itself"),
    "alias on a tag page": ({"content/bad.md": bad(aliases=["/tags/flood-warning/"])}, "content/bad.md", 4,
                            "an address the generator writes itself"),
    "alias climbing out": ({"content/bad.md": bad(aliases=["/../../outside/"])}, "content/bad.md", 4,
                           "must be a site path like /old/name/"),
    "page slug tags": ({"content/pages/tags.md": page()}, "content/pages/tags.md", 1, "is reserved"),
    "page slug static": ({"content/pages/x.md": page(slug="static")}, "content/pages/x.md", 3, "is reserved"),
    "page slug map": ({"content/pages/map.md": page()}, "content/pages/map.md", 1, "is reserved"),
    "page slug a year": ({"content/pages/2024.md": page()}, "content/pages/2024.md", 1, "is reserved"),
    "two pages, one slug": ({"content/pages/zz.md": page(slug="about")}, "content/pages/zz.md", 3,
                            "slug 'about' is already used by pages/about.md: both would write /about/"),
    "very long line with an error": ({"content/bad.md": bad(summary="word " * 40_000, tilte="x")},
                                     "content/bad.md", 5, "unknown key 'tilte'"),
    # characters no output can carry, and direction formatting that would reach past its text
    # (dateline/characters.py): written as YAML, TOML or JSON escapes, or pasted into a body
    "escape code in a title": ({"content/bad.md": bad(title="Flood \x1b[31mwarning")}, "content/bad.md", 2,
                               "'title' holds U+001B (ESCAPE), a control character, which a page or a feed "
                               "cannot show, at character 7: delete it"),
    "NUL in a tag": ({"content/bad.md": bad(tags=["flood", "a\x00b"])}, "content/bad.md", 4,
                     "'tags' item 2 holds U+0000 (NUL), a control character"),
    "C1 control in a place name": (
        {"content/bad.md": bad(place=Raw('{name: "River\\x9bton", lat: 46.2, lon: 7.4, precision: town}'))},
        "content/bad.md", 4, "'place' 'name' holds U+009B, a control character"),
    "lone surrogate in a source title": (
        {"content/bad.md": bad(sources=Raw('[{id: s1, publisher: P, title: "Flood \\ud83d", date: 2024-01-02}]'))},
        "content/bad.md", 4, "'sources' item 1 'title' holds U+D83D, half of a UTF-16 pair (a surrogate), which is "
                             "not a character, at character 7: write the character itself"),
    "lone surrogate in JSON front matter": (
        {"content/bad.md": '{\n"title": "Flood \\udc00",\n"date": "2024-01-02"\n}\nBody.\n'}, "content/bad.md", 2,
        "'title' holds U+DC00, half of a UTF-16 pair"),
    "escape code in TOML front matter": (
        {"content/bad.md": '+++\ntitle = "A"\ndate = 2024-01-02\nsummary = "bell\\u0007"\n+++\nBody.\n'},
        "content/bad.md", 4, "'summary' holds U+0007, a control character"),
    "noncharacter in a summary": ({"content/bad.md": bad(summary="Flood\ufdd0")}, "content/bad.md", 4,
                                  "'summary' holds U+FDD0, a noncharacter (a program's marker, never text), at "
                                  "character 6: delete it"),
    "escape code in a body": ({"content/bad.md": bad(body="One.\n\nPasted \x1b[0m from a terminal.\n")},
                              "content/bad.md", 7, "this line holds U+001B (ESCAPE), a control character"),
    "character reference to a control in a note": (
        {"content/bad.md": bad(discrepancies=["Sources differ&#x7f;"])}, "content/bad.md", 4,
        "'discrepancies' item 1 has a character reference (&#x7f;) to U+007F (DELETE), a control character"),
    "character reference to U+FFFE in a body": (
        {"content/bad.md": bad(body="One &#xfffe; two.\n")}, "content/bad.md", 5,
        "this line has a character reference (&#xfffe;) to U+FFFE, a noncharacter"),
    "right-to-left override left open in a title": (
        {"content/bad.md": bad(title="Levee \u202ekaerb")}, "content/bad.md", 2,
        "'title' opens a right-to-left override (U+202E) and never closes it, so it would reverse or reorder what "
        "is shown after the text: close it with U+202C in the same text, or delete it"),
    "pop directional isolate with nothing open": (
        {"content/bad.md": bad(actors=["Army\u2069"])}, "content/bad.md", 4,
        "'actors' item 1 has U+2069 (pop directional isolate) with nothing open to close: delete it"),
    "isolate closed as an embedding": (
        {"content/bad.md": bad(summary="\u2067کوئٹہ\u202c")}, "content/bad.md", 4,
        "'summary' closes a right-to-left isolate (U+2067) with U+202C (pop directional formatting), which does "
        "not close it: close it with U+2069"),
    "isolate left open in a body line": (
        {"content/bad.md": bad(body="Said \u2067کوئٹہ.\n")}, "content/bad.md", 5,
        "this line opens a right-to-left isolate (U+2067) and never closes it"),
    "override left open in an era title": (
        {"content/eras.yaml": "- slug: wet\n  title: \"Wet \\u202dweeks\"\n  start: 2024-01-01\n  end: 2024-01-31\n"},
        "content/eras.yaml", 2, "'title' opens a left-to-right override (U+202D) and never closes it"),
    "era ends before it starts": (
        {"content/eras.yaml": "- slug: wet\n  title: Wet weeks\n  start: 2024-01-31\n  end: 2024-01-01\n"},
        "content/eras.yaml", 4, "end 2024-01-01 is before the start 2024-01-31"),
}


@pytest.fixture(scope="module")
def previous_build(tmp_path_factory):
    """The good content, built once; each test starts from a copy of it."""
    root = tmp_path_factory.mktemp("previous")
    result = build_site(root, GOOD)
    assert result.exit_code == 0, result
    return root


@pytest.mark.parametrize("files,path,line,fragment", BROKEN.values(), ids=BROKEN.keys())
def test_broken_entry_leaves_the_previous_site_untouched(tmp_path, previous_build, files, path, line, fragment):
    shutil.copytree(previous_build, tmp_path, dirs_exist_ok=True, symlinks=True)
    site = tmp_path / "site"
    before, around = snapshot(site), list_files(tmp_path)
    assert "schema/event.json" in before and "events/levee-breaks/index.html" in before

    links = {rel: target for rel, target in files.items() if isinstance(target, Symlink)}
    for rel, target in links.items():
        os.symlink(tmp_path / target, tmp_path / rel)
    result = run_build_py(tmp_path, {rel: data for rel, data in files.items() if rel not in links})

    assert_error(result, path, line, fragment, count=1)
    assert "(the previous site is untouched)" in result.stderr
    assert result.stdout == ""
    assert snapshot(site) == before, "the previous site was changed"
    new_files = set(list_files(tmp_path)) - set(around) - {p for p in files}
    assert not new_files, f"left behind: {sorted(new_files)}"


def test_the_catalogue_covers_at_least_fifty_kinds():
    assert len(BROKEN) >= 50
