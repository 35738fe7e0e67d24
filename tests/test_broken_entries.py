"""One broken entry among good ones, built with the real `python build.py` over an output folder
that holds the previous good build: exit 1, `content/<file>:<line>: message` on stderr, no
traceback, and the previous site untouched to the byte, the modification time and the inode."""

from __future__ import annotations

import shutil

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
                    "YAML syntax error"),
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
    assert ".dateline" in before and "events/levee-breaks/index.html" in before

    result = run_build_py(tmp_path, files)

    assert_error(result, path, line, fragment, count=1)
    assert "(the previous site is untouched)" in result.stderr
    assert result.stdout == ""
    assert snapshot(site) == before, "the previous site was changed"
    new_files = set(list_files(tmp_path)) - set(around) - {p for p in files}
    assert not new_files, f"left behind: {sorted(new_files)}"
