"""The build cache (cache.py) and parallel builds (parallel.py): whatever the cache holds, or
however many processes render, the output is byte for byte that of a clean serial build; a
change of content, template or configuration shows in the output; a build with nothing to do
rewrites no file."""

from __future__ import annotations

import shutil

import pytest
from PIL import Image

from dateline import parallel
from dateline.cache import FILE, FOLDER, PIECES, SITE_FILE
from helpers import PLACE, PYPROJECT, build_site, event, jpeg, page, snapshot

SITE = {
    "content/rain.md": event(title="Heavy rain", date="2024-01-01", place=PLACE, tags=["rain"],
                             body="It rained for *three* days.\n"),
    "content/levee.md": event(title="Levee breaks", date="2024-01-03", place=PLACE, in_response_to=["rain"],
                              tags=["levee"], body="After [the rain](rain.md), the levee broke.\n"),
    "content/rescue.md": event(title="Boats reach the town", date="2024-01-04",
                               place={**PLACE, "name": "Lower Town", "lat": 46.3},
                               body="See [the breach](levee.md#top).\n"),
    "content/pages/about.md": page(title="About", body="About [the rain](../rain.md).\n"),
}


def read_all(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def cache_file(root):
    return root / FOLDER / FILE


def clean_build(tmp_path, files, name="clean", pyproject=PYPROJECT) -> dict[str, bytes]:
    """The same project built from scratch in its own folder, without a cache."""
    result = build_site(tmp_path / name, files, "--no-cache", pyproject=pyproject)
    assert result.exit_code == 0, result
    assert not (tmp_path / name / FOLDER).exists()
    return read_all(result.out_dir)


def files_only(state: dict) -> dict:
    return {k: v for k, v in state.items() if v[0] != "dir"}


def test_a_cached_build_equals_a_clean_build(tmp_path):
    root = tmp_path / "project"
    first = build_site(root, SITE)
    assert first.exit_code == 0, first
    assert cache_file(root).is_file()
    # Edit one entry: the others come from the cache.
    edited = {**SITE, "content/rain.md": SITE["content/rain.md"].replace("*three*", "*four*")}
    second = build_site(root, edited)
    assert second.exit_code == 0, second
    assert "four" in second.read("events/rain/index.html")
    assert read_all(second.out_dir) == clean_build(tmp_path, edited)


def test_the_cache_is_written_whole_or_not_at_all(tmp_path):
    # the store is written beside the pages, to a file of its own, put in place only when the
    # whole build succeeded
    root = tmp_path / "project"
    # (images/ holds the preview cards and resized images, each file whole and named by what
    # it was made of: one a failed build made is never wrong for the next; it is made only
    # when a build has one, and this site has no picture and no host, so no card)
    assert build_site(root, SITE).exit_code == 0
    assert sorted(p.name for p in (root / FOLDER).iterdir() if not p.name.startswith(PIECES)) == \
        sorted([FILE, SITE_FILE, "search", "templates"])
    store = cache_file(root).read_bytes()
    failing = '{% extends "base.html" %}{% block main %}{{ no_such_function() }}{% endblock %}\n'
    result = build_site(root, {"templates/event.html": failing})
    assert result.exit_code == 1 and "template error" in result.stderr, result
    assert sorted(p.name for p in (root / FOLDER).iterdir() if not p.name.startswith(PIECES)) == \
        sorted([FILE, SITE_FILE, "search", "templates"])
    assert cache_file(root).read_bytes() == store


def test_a_theme_whose_lists_have_no_cards_builds(tmp_path, monkeypatch):
    # cards are rendered ahead only in the headings the theme's lists ask for: none here
    macros = ('{% macro event_date(e) %}{{ views.event_date(e) }}{% endmacro %}\n'
              '{% macro timeline_list(groups, year_heading="h2") %}<ul>{% for year, months in groups %}'
              '{% for month, rows in months %}{% for row in rows %}<li><a href="{{ event_url(row.event) }}">'
              '{{ row.event.title }}</a></li>{% endfor %}{% endfor %}{% endfor %}</ul>{% endmacro %}\n')
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    result = build_site(tmp_path / "project", {**SITE, "templates/_macros.html": macros})
    assert result.exit_code == 0, result
    assert '<li><a href="../../events/rain/">Heavy rain</a></li>' in result.read("tags/rain/index.html")


def test_deleting_the_cache_changes_nothing(tmp_path):
    root = tmp_path / "project"
    assert build_site(root, SITE).exit_code == 0
    built = read_all(root / "site")
    shutil.rmtree(root / ".cache")
    again = build_site(root, {}, "--out", str(root / "again"))
    assert again.exit_code == 0, again
    assert read_all(again.out_dir) == built == clean_build(tmp_path, SITE)


def test_a_corrupt_cache_is_ignored(tmp_path):
    root = tmp_path / "project"
    assert build_site(root, SITE).exit_code == 0
    for garbage in (b"", b"not a pickle", cache_file(root).read_bytes()[:100]):
        cache_file(root).write_bytes(garbage)
        (root / FOLDER / SITE_FILE).write_bytes(garbage[:50])
        result = build_site(root, {}, "--out", str(root / "again"))
        assert result.exit_code == 0, result
        assert result.stderr == ""
        assert read_all(result.out_dir) == clean_build(tmp_path, SITE)


def test_a_rebuild_with_nothing_changed_rewrites_no_file(tmp_path):
    root = tmp_path / "project"
    assert build_site(root, SITE).exit_code == 0
    before = files_only(snapshot(root / "site"))
    again = build_site(root, SITE)
    assert again.exit_code == 0, again
    assert f"(0 written, {len(before)} unchanged;" in again.stdout
    assert "nothing changed since the last build" in again.stdout
    assert files_only(snapshot(root / "site")) == before      # same bytes, mtimes and inodes


def test_an_edit_made_while_a_build_runs_is_built_next_time(tmp_path, monkeypatch):
    # A first build records the content it built by the bytes it parsed: an entry saved after
    # it was read, while the build was still running, is not taken for built.
    root = tmp_path / "project"
    from dateline import site as site_module
    real = site_module.assemble

    def saved_meanwhile(*args, **kwargs):
        entry = root / "content" / "rain.md"
        entry.write_text(entry.read_text().replace("*three*", "*four*"))
        return real(*args, **kwargs)

    monkeypatch.setattr(site_module, "assemble", saved_meanwhile)
    first = build_site(root, SITE)
    assert first.exit_code == 0, first
    assert "three" in first.read("events/rain/index.html")
    monkeypatch.setattr(site_module, "assemble", real)
    again = build_site(root, {})
    assert "nothing changed" not in again.stdout, again
    assert "four" in again.read("events/rain/index.html")


def test_a_changed_or_damaged_site_is_rebuilt(tmp_path):
    root = tmp_path / "project"
    assert build_site(root, SITE).exit_code == 0
    built = read_all(root / "site")
    (root / "site" / "events" / "rain" / "index.html").write_text("edited by hand")
    (root / "site" / "index.html").unlink()
    again = build_site(root, SITE)
    assert again.exit_code == 0, again
    assert "nothing changed" not in again.stdout
    assert read_all(root / "site") == built


def test_a_template_change_shows_in_the_output(tmp_path):
    root = tmp_path / "project"
    assert build_site(root, SITE).exit_code == 0
    own = '{% extends "base.html" %}{% block main %}<p>Lost: MARK-1</p>{% endblock %}\n'
    first = build_site(root, {"templates/404.html": own})
    assert first.exit_code == 0, first
    assert "MARK-1" in first.read("404.html")
    second = build_site(root, {"templates/404.html": own.replace("MARK-1", "MARK-2")})
    assert second.exit_code == 0, second
    assert "nothing changed" not in second.stdout
    assert "MARK-2" in second.read("404.html")
    assert read_all(second.out_dir) == clean_build(
        tmp_path, {**SITE, "templates/404.html": own.replace("MARK-1", "MARK-2")})


def test_a_configuration_change_shows_in_the_output(tmp_path):
    root = tmp_path / "project"
    assert build_site(root, SITE).exit_code == 0
    renamed = PYPROJECT.replace('title = "Test timeline"', 'title = "Renamed timeline"')
    again = build_site(root, SITE, pyproject=renamed)
    assert again.exit_code == 0, again
    assert "Renamed timeline" in again.read("index.html")
    assert "Renamed timeline" in again.read("events/levee/index.html")
    assert read_all(again.out_dir) == clean_build(tmp_path, SITE, pyproject=renamed)


def test_a_cached_body_whose_link_target_is_gone_is_an_error(tmp_path):
    root = tmp_path / "project"
    assert build_site(root, SITE).exit_code == 0
    (root / "content" / "rain.md").unlink()
    files = {k: v for k, v in SITE.items() if k != "content/rain.md"}
    files["content/levee.md"] = files["content/levee.md"].replace('in_response_to: ["rain"]\n', "")
    result = build_site(root, files)
    assert result.exit_code == 1, result
    assert "content/levee.md:" in result.stderr and "link to 'rain.md'" in result.stderr
    assert "content/pages/about.md:" in result.stderr


def test_a_renamed_link_target_changes_the_cached_body(tmp_path):
    root = tmp_path / "project"
    assert build_site(root, SITE).exit_code == 0
    moved = {**SITE, "content/levee.md": SITE["content/levee.md"].replace("---\n", '---\nslug: "breach"\n', 1)}
    result = build_site(root, moved)
    assert result.exit_code == 0, result
    assert 'href="../breach/#top"' in result.read("events/rescue/index.html")
    assert read_all(result.out_dir) == clean_build(tmp_path, moved)


def test_check_reads_the_cache_but_writes_nothing(tmp_path):
    root = tmp_path / "project"
    assert build_site(root, SITE).exit_code == 0
    before = snapshot(root)
    assert build_site(root, {}, "check").exit_code == 0
    assert snapshot(root) == before


@pytest.mark.parametrize("cached", [False, True])
def test_a_parallel_build_equals_a_serial_one(tmp_path, monkeypatch, cached):
    files = dict(SITE)
    for n in range(12):
        files[f"content/e{n:02d}.md"] = event(title=f"Event {n}", date=f"2023-{n % 12 + 1:02d}-10",
                                              place={**PLACE, "lat": 40 + n}, tags=[f"t{n % 3}"],
                                              body=f"Body {n}, after [rain](rain.md).\n")
    monkeypatch.setenv("DATELINE_JOBS", "1")
    serial = clean_build(tmp_path, files, "serial")
    monkeypatch.setenv("DATELINE_JOBS", "2")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    monkeypatch.setattr(parallel, "MIN_CHUNK", 1)   # many chunks, shared by the two workers
    args = () if cached else ("--no-cache",)
    result = build_site(tmp_path / "parallel", files, *args)
    assert result.exit_code == 0, result
    if cached:   # and once more from the cache, with one entry changed
        files["content/e03.md"] = files["content/e03.md"].replace("Body 3", "Body three")
        result = build_site(tmp_path / "parallel", files)
        assert result.exit_code == 0, result
        monkeypatch.setenv("DATELINE_JOBS", "1")
        serial = clean_build(tmp_path, files, "serial-2")
    assert read_all(result.out_dir) == serial


def test_errors_are_the_same_in_parallel_and_from_the_cache(tmp_path, monkeypatch):
    files = {**SITE, "content/rain.md": "---\ntitle: Heavy rain\ndate: [2024\n---\nBody.\n",
             "content/rescue.md": SITE["content/rescue.md"].replace("title:", "titel:")}
    monkeypatch.setenv("DATELINE_JOBS", "1")
    serial = build_site(tmp_path / "serial", files, "--no-cache")
    assert serial.exit_code == 1, serial
    # the YAML error and the misspelt key: one error each (not also "title missing", nor the
    # link from levee.md to the file whose YAML is broken)
    assert [path for path, _, _ in serial.errors()] == ["content/rain.md", "content/rescue.md"]
    monkeypatch.setenv("DATELINE_JOBS", "2")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setattr(parallel, "MIN_CHUNK", 1)
    assert build_site(tmp_path / "parallel", SITE).exit_code == 0     # fills the cache
    parallel_run = build_site(tmp_path / "parallel", files)
    assert (parallel_run.exit_code, parallel_run.stderr) == (1, serial.stderr)


def test_static_html_and_unused_broken_templates_do_not_stop_a_build(tmp_path, monkeypatch):
    monkeypatch.setenv("DATELINE_JOBS", "2")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    files = {**SITE, "templates/static/raw.html": "<p>{{ not jinja }</p>\n",
             "templates/unused.html": "{% if %}\n"}
    result = build_site(tmp_path, files)
    assert result.exit_code == 0, result
    assert result.read("static/raw.html") == "<p>{{ not jinja }</p>\n"


def _square(n: int) -> int:
    return n * n


def test_weighted_parallel_work_keeps_the_input_order(monkeypatch):
    monkeypatch.setenv("DATELINE_JOBS", "2")
    items = list(range(300))
    weights = {n: (500.0 if n % 97 == 0 else 1.0) for n in items}   # a few items far slower
    assert parallel.ordered_map(_square, items, weight=weights.get) == [n * n for n in items]


def test_the_heaviest_work_is_sent_first_in_groups_of_equal_weight():
    weights = {n: (500.0 if n in (250, 260, 270) else 1.0) for n in range(300)}
    chunks = parallel._chunks(list(range(300)), 2, weights.get)
    assert [chunk[0] for chunk in chunks[:3]] == [250, 260, 270]       # alone: each is a whole group
    assert all(len(chunk) == 1 for chunk in chunks[:3])
    assert sorted(i for chunk in chunks for i in chunk) == list(range(300))
    budget = sum(weights.values()) / (2 * 16)
    assert all(sum(weights[i] for i in chunk) < budget + 1 for chunk in chunks[3:])


class _Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("not picklable")


def _fails_at(n: int) -> int:
    if n in (7, 150, 290):
        raise (_Unpicklable if n == 290 else ValueError)(f"item {n}")
    return n


def test_an_error_in_parallel_work_is_raised_here_whichever_process_met_it(monkeypatch):
    """The items are shared out as the processes ask for them, so the item that fails may be
    this process's or a worker's: either way the error is raised, as itself where it can be
    pickled (a template error must stay one), else as its traceback's text."""
    monkeypatch.setenv("DATELINE_JOBS", "3")
    for failing in ([7], [150], [290]):
        items = [n if n not in (7, 150, 290) or n in failing else n + 1000 for n in range(300)]
        with pytest.raises((ValueError, _Unpicklable, RuntimeError)) as raised:
            parallel.ordered_map(_fails_at, items)
        assert f"item {failing[0]}" in str(raised.value)


NESTED = {
    "content/2024/jan/rain.md": SITE["content/rain.md"],
    "content/2024/jan/levee.md": SITE["content/levee.md"].replace("(rain.md)", "(rain.md)\n\n![The levee](levee.jpg)"),
    "content/2024/jan/levee.jpg": jpeg((200, 0, 0)),
    "content/pages/team/about.md": page(title="About", body="About [the rain](../../2024/jan/rain.md).\n"),
}


def test_entries_and_images_in_folders_are_cached_and_rebuilt_like_the_others(tmp_path):
    root = tmp_path / "project"
    assert build_site(root, NESTED).exit_code == 0
    before = files_only(snapshot(root / "site"))
    again = build_site(root, NESTED)
    assert "nothing changed since the last build" in again.stdout, again
    assert files_only(snapshot(root / "site")) == before
    # an edit in a folder, and a new image, show; the rest comes from the cache
    edited = {**NESTED, "content/2024/jan/rain.md": NESTED["content/2024/jan/rain.md"].replace("*three*", "*four*"),
              "content/2024/jan/levee.jpg": jpeg((0, 0, 200))}
    third = build_site(root, edited)
    assert third.exit_code == 0, third
    assert "four" in third.read("events/rain/index.html")
    with Image.open(third.out_dir / "media/2024/jan/levee.jpg") as levee:
        assert levee.getpixel((4, 3))[2] > 150       # the second picture's blue
    assert read_all(third.out_dir) == clean_build(tmp_path, edited)
