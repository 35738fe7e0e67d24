"""The command line (cli.py, config.py, write.py): exit codes, what is printed, what is written
and what is left alone."""

from __future__ import annotations

import re

import pytest

from helpers import (PLACE, REPO, assert_error, build_site, event, list_files, page, run_build_py,
                     snapshot, write_files)

SITE = {
    "content/rain.md": event(title="Heavy rain", date="2024-01-01", place=PLACE, tags=["rain"]),
    "content/levee.md": event(title="Levee breaks", date="2024-01-03", place=PLACE, in_response_to=["rain"],
                              aliases=["/old/levee/"], body="After [the rain](rain.md).\n"),
    "content/pages/about.md": page(title="About"),
}


def read_all(root) -> dict[str, bytes]:
    return {name: (root / name).read_bytes() for name in list_files(root)}


# -- exit 0 -----------------------------------------------------------------------------------------

def test_build_exits_0_and_says_what_it_wrote(tmp_path):
    result = build_site(tmp_path, SITE)
    assert result.exit_code == 0, result
    assert re.fullmatch(r"Built 2 events, \d+ files in [\d.]+ s \(\d+ written, 0 unchanged; (\d+) of \1 rendered\) into site/\n",
                        result.stdout), result
    assert result.stderr == ""
    assert {"index.html", "events/rain/index.html", "about/index.html",
            "old/levee/index.html"} <= set(result.files())
    # Nothing but the site: no marker in it, no lock file beside it.
    assert not [name for name in result.files() if name.rsplit("/", 1)[-1].startswith(".")]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] in ([], [".cache"])


def test_check_exits_0_and_writes_nothing(tmp_path):
    write_files(tmp_path, SITE)
    before = snapshot(tmp_path)
    result = build_site(tmp_path, {}, "check")
    assert result.exit_code == 0, result
    assert result.stdout == "Checked 2 events, 1 page: no errors\n"
    assert snapshot(tmp_path) == before


def test_check_does_not_touch_an_existing_site(tmp_path):
    assert build_site(tmp_path, SITE).exit_code == 0
    before = snapshot(tmp_path)
    files = {"content/rain.md": SITE["content/rain.md"].replace("Heavy rain", "Light rain")}
    assert build_site(tmp_path, files, "check").exit_code == 0
    del before["content/rain.md"]
    after = snapshot(tmp_path)
    del after["content/rain.md"]
    assert after == before


# -- exit 1 -----------------------------------------------------------------------------------------

def test_all_errors_of_a_run_are_printed_together_then_counted(tmp_path):
    files = {**SITE, "content/b.md": event(title=None), "content/c.md": event(date="2024-13"),
             "content/pages/d.md": page(colour="red"), "content/rain.md": event(title=["a list"])}
    result = build_site(tmp_path, files)
    assert result.exit_code == 1, result
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "content/b.md:2: missing required key 'title'",
        "content/c.md:3: 'date': '2024-13' has no month 13: months run from 01 to 12",
        "content/pages/d.md:3: unknown key 'colour' in a page (allowed: title, summary, slug, draft, aliases, extra)",
        "content/rain.md:2: 'title' must be text, not a list",
        "4 errors; nothing was written (the previous site is untouched)",
    ]
    assert not result.out_dir.exists()


def test_markdown_errors_come_after_the_others_are_fixed(tmp_path):
    # Body links are checked once the model links; then they are all reported together.
    files = {**SITE, "content/levee.md": SITE["content/levee.md"].replace("(rain.md)", "(rain-x.md) [y](y.md)")}
    result = build_site(tmp_path, files, "check")
    assert_error(result, "content/levee.md", 8, "link to 'rain-x.md'", count=2)
    assert_error(result, "content/levee.md", 8, "link to 'y.md'", count=2)
    assert result.stderr.endswith("2 errors; nothing was written\n")


def test_missing_content_folder(tmp_path):
    result = build_site(tmp_path, {}, "--content", str(tmp_path / "nowhere"))
    assert result.exit_code == 1, result
    assert "content folder not found" in result.stderr


# -- exit 2 -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("args,fragment", [
    (["publish"], "invalid choice: 'publish'"),
    (["build", "--fast"], "unrecognized arguments: --fast"),
    (["--home-years", "three"], "invalid int value"),
    (["--base-url", "ftp://example.org/"], "base_url 'ftp://example.org/' must look like https://example.org/sub/"),
    (["--base-url", "https://"], "must look like https://example.org/sub/ or /sub/"),
    (["--base-url", "/sub/?x=1"], "must look like"),
    (["--templates", "no-such-folder"], "templates folder"),
])
def test_usage_errors_exit_2(tmp_path, args, fragment):
    result = build_site(tmp_path, SITE, *args)
    assert result.exit_code == 2, result
    assert fragment in result.stderr, result
    assert not result.out_dir.exists()


@pytest.mark.parametrize("setting,fragment", [
    ('titel = "X"', "unknown setting 'titel' in [tool.dateline] — did you mean 'title'?"),
    ('colour = "red"', "unknown setting 'colour' in [tool.dateline]"),
    ("home_years = \"3\"", "setting 'home_years' must be a whole number, not '3'"),
    ("title = 3", "setting 'title' must be text, not 3"),
    ('search = "no"', "setting 'search' must be true or false, not 'no'"),
    ('base_url = "example.org/timeline"', "pyproject.toml:2: base_url 'example.org/timeline' has no scheme"),
    ('base_url = "/example.org/timeline"', None),  # a path starting with / is a path
    ('base_url = "mailto:x@example.org"', "must look like https://example.org/sub/"),
    ("title = ", "pyproject.toml"),                 # not TOML at all
])
def test_configuration_errors_exit_2(tmp_path, setting, fragment):
    result = build_site(tmp_path, SITE, "check", pyproject="[tool.dateline]\n" + setting + "\n")
    if fragment is None:
        assert result.exit_code == 0, result
        return
    assert result.exit_code == 2, result
    assert result.stderr.startswith("error: ") and fragment in result.stderr, result


def test_refuses_to_replace_a_folder_not_made_by_dateline(tmp_path):
    write_files(tmp_path, {"site/thesis.tex": "precious", "site/figures/a.png": b"\x89PNG"})
    before = snapshot(tmp_path / "site")
    result = build_site(tmp_path, SITE)
    assert result.exit_code == 2, result
    assert "exists and was not made by dateline: refusing to replace it" in result.stderr
    assert snapshot(tmp_path / "site") == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.new")]


def test_replaces_a_site_an_older_dateline_built(tmp_path):
    """Builds before the marker went (they left `.dateline` in the site) are still recognised,
    and the new site carries no marker."""
    write_files(tmp_path, {"site/.dateline": "built by dateline\n", "site/index.html": "<p>old</p>"})
    result = build_site(tmp_path, SITE)
    assert result.exit_code == 0, result
    assert not result.exists(".dateline") and result.exists("schema/event.json")


def test_refuses_to_replace_a_file(tmp_path):
    write_files(tmp_path, {"site": "a file"})
    result = build_site(tmp_path, SITE)
    assert result.exit_code == 2, result
    assert (tmp_path / "site").read_text() == "a file"


def test_an_empty_folder_may_be_used(tmp_path):
    (tmp_path / "site").mkdir()
    assert build_site(tmp_path, SITE).exit_code == 0


# -- what a build writes ----------------------------------------------------------------------------

def test_rebuild_removes_stale_files(tmp_path):
    assert build_site(tmp_path, SITE).exit_code == 0
    write_files(tmp_path, {"site/junk.txt": "junk", "site/events/gone/index.html": "<p>old</p>"})
    result = build_site(tmp_path, SITE)
    assert result.exit_code == 0, result
    assert not result.exists("junk.txt") and not result.exists("events/gone")
    assert result.exists("schema/event.json")


def test_a_removed_event_disappears_from_the_site(tmp_path):
    assert build_site(tmp_path, {**SITE, "content/extra.md": event(title="Extra", place=PLACE)}).exit_code == 0
    (tmp_path / "content" / "extra.md").unlink()
    result = build_site(tmp_path, SITE)
    assert result.exit_code == 0 and not result.exists("events/extra")


def test_two_builds_of_the_same_input_are_byte_identical(tmp_path):
    first = build_site(tmp_path, SITE, "--out", str(tmp_path / "one"))
    second = build_site(tmp_path, {}, "--out", str(tmp_path / "two"))
    assert first.exit_code == second.exit_code == 0
    assert read_all(first.out_dir) == read_all(second.out_dir)


def test_unchanged_files_keep_their_mtime_and_inode(tmp_path):
    first = build_site(tmp_path, SITE)
    files = lambda: {k: v for k, v in snapshot(first.out_dir).items() if v[0] != "dir"}   # noqa: E731
    before = files()
    second = build_site(tmp_path, SITE)
    assert second.exit_code == 0, second
    assert f"(0 written, {len(before)} unchanged;" in second.stdout
    assert files() == before

    # Change the summary of one event: its page is rewritten, the theme's files are not.
    changed = {"content/levee.md": SITE["content/levee.md"].replace("aliases", 'summary: "New."\naliases')}
    third = build_site(tmp_path, changed)
    assert third.exit_code == 0, third
    after = files()
    assert after["events/levee/index.html"] != before["events/levee/index.html"]
    for name in ("static/dateline.css", "static/dateline.js", "schema/event.json", "about/index.html"):
        assert after[name] == before[name], name


def test_draft_gets_no_page_or_listing_and_an_alias_redirects(tmp_path):
    draft = event(title="Unpublished flood", date="2024-01-02", place=PLACE, tags=["draft-only"], draft=True)
    result = build_site(tmp_path, {**SITE, "content/unpublished.md": draft})
    assert result.exit_code == 0, result
    assert result.stdout.startswith("Built 2 events")
    assert not result.exists("events/unpublished") and not result.exists("tags/draft-only")
    for name in result.files():
        if name.endswith(".html"):
            assert "Unpublished flood" not in result.read(name) and "unpublished" not in result.read(name), name
    redirect = result.read("old/levee/index.html")
    assert '<meta http-equiv="refresh" content="0; url=../../events/levee/">' in redirect
    assert '<a href="../../events/levee/">Levee breaks</a>' in redirect


def test_own_template_overrides_one_page_and_keeps_the_rest(tmp_path):
    default = build_site(tmp_path / "default", SITE)
    custom = {"mytheme/page.html": '{% extends "base.html" %}{% block main %}'
                                   '<p class="custom-page">Custom: {{ p.title }}</p>{% endblock %}\n'}
    result = build_site(tmp_path / "custom", {**SITE, **custom}, "--templates", "mytheme")
    assert result.exit_code == 0, result
    assert '<p class="custom-page">Custom: About</p>' in result.read("about/index.html")
    assert "custom-page" not in default.read("about/index.html")
    for name in default.files():
        if name != "about/index.html" and not name.startswith("pagefind/"):   # the index follows the page's text
            assert (result.out_dir / name).read_bytes() == (default.out_dir / name).read_bytes(), name


def test_own_static_file_overrides_the_theme(tmp_path):
    files = {**SITE, "mytheme/static/dateline.css": "body { color: red }\n", "mytheme/static/extra.txt": "x"}
    result = build_site(tmp_path, files, "--templates", "mytheme")
    assert result.exit_code == 0, result
    assert result.read("static/dateline.css") == "body { color: red }\n"
    assert result.read("static/extra.txt") == "x"


def test_base_url_for_canonical_links_while_internal_links_stay_relative(tmp_path):
    result = build_site(tmp_path, SITE, "--base-url", "https://example.org/sub/", "--title", "Flood timeline")
    assert result.exit_code == 0, result
    levee = result.read("events/levee/index.html")
    assert '<link rel="canonical" href="https://example.org/sub/events/levee/">' in levee
    assert '<link rel="canonical" href="https://example.org/sub/">' in result.read("index.html")
    assert '<link rel="canonical" href="https://example.org/sub/events/levee/">' in result.read("old/levee/index.html")
    assert '<a href="../rain/">the rain</a>' in levee
    assert '<link rel="stylesheet" href="../../static/dateline.css">' in levee
    assert "<title>Levee breaks · Flood timeline</title>" in levee
    for name in result.files():
        if name.endswith(".html") and name != "404.html":
            html = result.read(name)
            assert not re.search(r'(?:href|src)="/', html), name
            assert not re.search(r'(?:href|src)="https?://example\.org', html.replace('rel="canonical" href', "")), name
    # The 404 page is served at any depth, so its links start from the base path.
    assert '<link rel="stylesheet" href="/sub/static/dateline.css">' in result.read("404.html")


def test_base_url_without_host(tmp_path):
    result = build_site(tmp_path, SITE, "--base-url", "/sub")
    assert result.exit_code == 0, result
    assert '<a href="../rain/">the rain</a>' in result.read("events/levee/index.html")
    assert 'href="/sub/static/dateline.css"' in result.read("404.html")


def test_base_url_without_host_gives_no_canonical_link(tmp_path):
    # A canonical link must be absolute; without a host there is nothing right to write.
    result = build_site(tmp_path, SITE, "--base-url", "/sub/")
    assert result.exit_code == 0, result
    assert 'rel="canonical"' not in result.read("events/levee/index.html")


# -- the real process ---------------------------------------------------------------------------------

def test_build_py_exit_codes(tmp_path):
    ok = run_build_py(tmp_path / "ok", SITE)
    assert ok.exit_code == 0 and ok.stdout.startswith("Built 2 events"), ok
    broken = run_build_py(tmp_path / "broken", {**SITE, "content/bad.md": event(date="2024-02-30")})
    assert broken.exit_code == 1 and broken.stderr.startswith("content/bad.md:3: "), broken
    usage = run_build_py(tmp_path / "usage", SITE, "deploy")
    assert usage.exit_code == 2 and "invalid choice" in usage.stderr, usage
    for result in (ok, broken, usage):
        assert "Traceback" not in result.output


def test_paths_are_shown_relative_to_where_build_py_runs(tmp_path):
    result = run_build_py(tmp_path, {"content/bad.md": event(title=None)}, cwd=REPO)
    assert result.exit_code == 1, result
    (line,) = [text for text in result.stderr.splitlines() if ":2: " in text]
    shown = line.split(":2: ")[0]
    assert shown.endswith("content/bad.md") and (REPO / shown).resolve() == tmp_path / "content" / "bad.md"


@pytest.mark.parametrize("template, line, message", [
    ("{% extends 'base.html' %}{% block main %}\n{{ p.title }{% endblock %}\n", 2, "template error: unexpected '}'"),
    ("{% extends 'base.html' %}{% block main %}\n\n{{ p.nosuch.x }}{% endblock %}\n", 3,
     "template error: 'dateline.model.Page object' has no attribute 'nosuch'"),
    ("{% extends 'nobase.html' %}\n", 1, "template error: nobase.html (a template named there is missing)"),
])
def test_a_broken_template_is_an_error_with_its_file_and_line(tmp_path, template, line, message):
    assert build_site(tmp_path, SITE).exit_code == 0
    before = snapshot(tmp_path / "site")
    result = run_build_py(tmp_path, {"mytheme/page.html": template}, "build", "--templates", "mytheme")
    assert result.exit_code == 1, result
    assert "Traceback" not in result.stderr
    assert f"mytheme/page.html:{line}: {message}\n" in result.stderr, result.stderr
    assert "1 error; nothing was written" in result.stderr
    assert snapshot(tmp_path / "site") == before


def test_a_misspelt_required_key_is_one_error_not_two(tmp_path):
    files = {"content/rain.md": "---\ntitle: Heavy rain\ndat: 2024-01-01\n---\nText.\n"}
    result = build_site(tmp_path, files, "check")
    assert result.exit_code == 1
    assert result.errors() == [("content/rain.md", 3, "unknown key 'dat' in an event — did you mean 'date'?")], \
        result.stderr


def test_an_unreadable_file_is_not_reported_again_by_the_events_that_link_to_it(tmp_path):
    files = {**SITE, "content/rain.md": "---\ntitle: Heavy rain\ndate: 2024-01-01\ntags: [a, b\n---\n"}
    result = build_site(tmp_path, files, "check")
    assert result.exit_code == 1
    assert [(p, line) for p, line, _ in result.errors()] == [("content/rain.md", 4)], result.stderr
    assert "no event has that slug" not in result.stderr


@pytest.mark.parametrize("how", [("--no-search",), ()])
def test_a_site_without_search_has_no_search_page_box_or_index(tmp_path, how):
    pyproject = "[tool.dateline]\ntitle = \"T\"\n" + ("" if how else "search = false\n")
    result = build_site(tmp_path, SITE, *how, pyproject=pyproject)
    assert result.exit_code == 0, result
    files = list_files(result.out_dir)
    assert "index.html" in files and not [f for f in files if f.startswith(("pagefind/", "search/"))]
    home = (result.out_dir / "index.html").read_text()
    assert "site-search" not in home and "searches" not in home   # the box and the "/" key hint
