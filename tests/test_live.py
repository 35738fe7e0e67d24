"""What `serve` does after a save (dateline/live.py): the saved entries' pages are patched in at
once, the rest of the site follows, and then the site on disk is byte for byte what a clean build
of the same content writes, for every kind of edit. Saves it cannot patch are full builds."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from helpers import PLACE, event, jpeg, list_files, page, source, write_files
from dateline.config import load_config
from dateline.live import LiveSite
from dateline.load import is_input
from dateline.pipeline import build

SITE = {
    "content/rain.md": event(title="Heavy rain", date="2024-01-01", place=PLACE, tags=["rain"],
                             actors=["Weather service"], sources=[source()]),
    "content/levee.md": event(title="Levee breaks", date="2024-01-03", place=PLACE, tags=["flood"],
                              in_response_to=["rain"], body="The levee broke after [the rain](rain.md).\n"),
    "content/rescue.md": event(title="Rescue", date="2024-02-10", tags=["flood", "rescue"],
                               part_of="levee", body="Crews came.\n"),
    "content/dam.md": event(title="Dam holds", date="2024-01-03", body="The dam held.\n"),
    "content/pages/about.md": page(title="About", body="About this timeline.\n"),
}


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# each: {file: (old, new)} applied to the site's text
EDITS = {
    "body": {"content/levee.md": ("The levee broke", "The old levee broke")},
    "title, shown on other pages": {"content/levee.md": ('title: "Levee breaks"', 'title: "Levee gives way"')},
    "date, which reorders the timeline": {"content/rain.md": ('date: "2024-01-01"', 'date: "2023-12-30"')},
    "a title that keeps its place": {"content/dam.md": ('title: "Dam holds"', 'title: "Dam stands"')},
    "a title that moves it among events of its day": {"content/dam.md": ('title: "Dam holds"', 'title: "The dam holds"')},
    "a summary, shown on lists": {"content/rain.md": ('title: "Heavy rain"',
                                                                  'title: "Heavy rain"\nsummary: "It poured."')},
    "coordinates only, a swap": {"content/rain.md": ('"lat": 46.2', '"lat": 46.9')},
    "place, drawn on every map": {"content/rain.md": ('"name": "Riverton", "country": "Vale", "lat": 46.2',
                                                         '"name": "Lowmere", "country": "Vale", "lat": 46.5')},
    "tags, which make and drop term pages": {"content/rescue.md": ('"rescue"]', '"relief"]')},
    "an alias, a new redirect page": {"content/rescue.md": ("Crews came.", "Crews came.")},
    "a standalone page's body": {"content/pages/about.md": ("About this", "All about this")},
    "two files in one save": {"content/levee.md": ("The levee broke", "The levee failed"),
                              "content/rain.md": ('title: "Heavy rain"', 'title: "Torrential rain"')},
}


def _site(tmp_path: Path, files: dict | None = None) -> tuple[Path, LiveSite]:
    root = write_files(tmp_path / "project", files or SITE)
    live = LiveSite(load_config(root, {"output": str(root / "site")}))
    result = live.full()
    assert not result.errors, result.errors
    return root, live


def _edit(root: Path, edits: dict) -> set[Path]:
    for rel, (old, new) in edits.items():
        path = root / rel
        path.write_text(_replace(path.read_text(), old, new))
    return {root / rel for rel in edits}


def _search(live: LiveSite) -> None:
    done, box = threading.Event(), {}
    live.start_search(lambda version, index: (box.update(version=version, index=index), done.set()))
    assert done.wait(120), "the search index never came"
    assert not isinstance(box["index"], Exception), box["index"]
    live.apply_search(box["version"], box["index"])


def _assert_as_built(root: Path) -> None:
    """The served site is what a clean build of the same content writes, byte for byte."""
    clean = load_config(root, {"output": str(root.parent / "clean")})
    result = build(clean, cache=False)
    assert not result.errors, result.errors
    served, built = root / "site", root.parent / "clean"
    assert list_files(served) == list_files(built)
    differing = [rel for rel in list_files(built) if (served / rel).read_bytes() != (built / rel).read_bytes()]
    assert not differing, differing


@pytest.mark.parametrize("what", list(EDITS))
def test_a_patched_edit_ends_as_a_clean_build_would_write_the_site(tmp_path, what):
    root, live = _site(tmp_path)
    edits = EDITS[what]
    if what.startswith("an alias"):
        path = root / "content/rescue.md"
        path.write_text(_replace(path.read_text(), 'part_of: "levee"', 'part_of: "levee"\naliases: ["/old-rescue/"]'))
    paths = _edit(root, edits)
    assert live.patchable(paths)
    patched = live.patch(paths)
    assert patched is not None and not patched.errors, patched
    assert live.finish(lambda: False) is not None
    _search(live)
    _assert_as_built(root)


def test_the_saved_page_is_on_disk_before_the_rest(tmp_path):
    root, live = _site(tmp_path)
    feed = (root / "site/feed.xml").read_bytes()
    rain_page = (root / "site/events/rain/index.html").read_bytes()
    _edit(root, {"content/levee.md": ('title: "Levee breaks"', 'title: "Levee gives way"')})
    patched = live.patch({root / "content/levee.md"})
    assert patched.written == 1
    assert "Levee gives way" in (root / "site/events/levee/index.html").read_text()
    # the rain's page lists what it led to: that follows with the rest
    assert (root / "site/events/rain/index.html").read_bytes() == rain_page
    assert live.finish(lambda: True) is None and live.tail, "a waiting save stops the rest"
    assert live.finish(lambda: False) > 1
    assert "Levee gives way" in (root / "site/events/rain/index.html").read_text()
    assert (root / "site/feed.xml").read_bytes() != feed


def test_a_title_that_moves_the_entry_among_its_days_events_reorders_the_timeline(tmp_path):
    root, live = _site(tmp_path)
    live.patch(_edit(root, {"content/dam.md": ('title: "Dam holds"', 'title: "The dam holds"')}))
    assert [e.slug for e in live.site.timeline.events] == ["rain", "levee", "dam", "rescue"]
    live.patch(_edit(root, {"content/dam.md": ('title: "The dam holds"', 'title: "A dam stands"')}))
    assert [e.slug for e in live.site.timeline.events] == ["rain", "dam", "levee", "rescue"]
    assert live.finish(lambda: False) is not None
    _search(live)
    _assert_as_built(root)


def test_after_a_body_edit_only_the_exports_follow(tmp_path):
    root, live = _site(tmp_path)
    index = (root / "site/index.html").stat().st_mtime_ns
    _edit(root, EDITS["body"])
    live.patch({root / "content/levee.md"})
    live.finish(lambda: False)
    assert {route.kind for route in live.rendered} == {"export"}, live.rendered
    assert (root / "site/index.html").stat().st_mtime_ns == index, "an unchanged page is not rewritten"
    assert "The old levee broke" in (root / "site/feed.xml").read_text()


def test_errors_while_broken_then_the_fix_brings_every_saved_edit(tmp_path):
    root, live = _site(tmp_path)
    broken = _edit(root, {"content/levee.md": ('date: "2024-01-03"', 'date: "2024-02-30"')})
    patched = live.patch(broken)
    assert patched.errors and patched.errors[0].path == "levee.md" and patched.errors[0].line == 3
    before = (root / "site/events/levee/index.html").read_bytes()
    # another entry saved while the first is broken: still broken, nothing written
    other = _edit(root, {"content/rescue.md": ("Crews came.", "Crews came by boat.")})
    assert live.patch(other).errors
    assert (root / "site/events/levee/index.html").read_bytes() == before
    assert "by boat" not in (root / "site/events/rescue/index.html").read_text()
    fixed = _edit(root, {"content/levee.md": ('date: "2024-02-30"', 'date: "2024-01-04"')})
    patched = live.patch(fixed)
    assert not patched.errors
    assert "by boat" in (root / "site/events/rescue/index.html").read_text(), "the edit saved while broken"
    live.finish(lambda: False)
    _search(live)
    _assert_as_built(root)


def test_a_body_linking_to_a_missing_file_is_an_error_with_its_line(tmp_path):
    root, live = _site(tmp_path)
    paths = _edit(root, {"content/levee.md": ("[the rain](rain.md)", "[the rain](rains.md)")})
    patched = live.patch(paths)
    assert [(e.path, e.message) for e in patched.errors] == \
        [("levee.md", "link to 'rains.md', but there is no such content file")]


@pytest.mark.parametrize("change", ["new file", "removed file", "renamed file", "slug", "draft"])
def test_saves_that_add_move_or_remove_pages_end_as_a_clean_build(tmp_path, change):
    root, live = _site(tmp_path)
    rescue = root / "content/rescue.md"
    if change == "new file":
        saved = root / "content/storm.md"
        saved.write_text(event(title="Storm", date="2024-01-02", tags=["storm"]))
    elif change == "removed file":
        rescue.unlink()
        saved = rescue
    elif change == "renamed file":
        saved = root / "content/boat-rescue.md"
        rescue.rename(saved)
    else:
        new = 'slug: "boat-rescue"' if change == "slug" else "draft: true"
        rescue.write_text(_replace(rescue.read_text(), 'title: "Rescue"', f'title: "Rescue"\n{new}'))
        saved = rescue
    assert live.patchable({saved})
    patched = live.patch({saved})
    assert patched is not None and not patched.errors, patched
    assert live.finish(lambda: False) is not None
    _search(live)
    _assert_as_built(root)


def test_a_draft_that_a_body_links_to_is_an_error(tmp_path):
    root, live = _site(tmp_path)
    rain = root / "content/rain.md"
    rain.write_text(_replace(rain.read_text(), 'title: "Heavy rain"', 'title: "Heavy rain"\ndraft: true'))
    patched = live.patch({rain})
    assert patched.errors and any("draft" in e.message for e in patched.errors), patched


@pytest.mark.parametrize("rel, wanted", [
    ("content/levee.md", True), ("content/pages/about.md", True), ("content/eras.yaml", True),
    ("content/pages", True), ("content", True), ("templates/event.html", True), ("pyproject.toml", True),
    ("content/new-entry.md", True),
    # entries in any folder, misnamed ones (an error), and the images an entry publishes
    ("content/2024/jan/levee.md", True), ("content/pages/team/who.md", True), ("content/levee.markdown", True),
    ("content/photo.jpg", True), ("content/2024/photo.jpg", True),
    # what editors and tools leave beside an entry while saving it
    ("content/sedX1b2c3", False), ("content/.levee.md.swp", False), ("content/4913", False),
    ("content/levee.md~", False), ("content/#levee.md#", False), ("content/pages/.#about.md", False),
    ("content/.git/HEAD", False), ("content/2024/.levee.md.swp", False),
])
def test_which_changes_can_change_the_site(tmp_path, rel, wanted):
    assert is_input(tmp_path / rel, tmp_path / "content") is wanted


def test_the_model_is_left_out_of_full_collections(tmp_path):
    # A full collection walks every object it is given: serve's model, millions of objects on a
    # large site, took 0.3-0.4 s a time, and a save that met one waited for it.
    import gc
    root, live = _site(tmp_path)
    timeline = live.model.timeline
    assert not any(obj is timeline for obj in gc.get_objects())
    live.patch(_edit(root, {"content/dam.md": ('title: "Dam holds"', 'title: "Dam stands"')}))
    live.finish(lambda: False)
    live.full()                          # after a full build, its new model too
    assert live.model.timeline is not timeline
    assert not any(obj is live.model.timeline for obj in gc.get_objects())


def _save(root: Path, files: dict[str, str | bytes]) -> set[Path]:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return {root / rel for rel in files}


@pytest.mark.parametrize("what", ["an image replaced", "a body that links a new image", "an event in a new folder",
                                  "an image removed from the body"])
def test_files_beside_the_entries_and_in_folders_are_patched_in(tmp_path, what):
    files = {**SITE, "content/dam.md": event(title="Dam holds", date="2024-01-03", body="![The dam](dam.jpg)\n"),
             "content/dam.jpg": jpeg((200, 0, 0))}
    root, live = _site(tmp_path, files)
    assert (root / "site/media/dam.jpg").read_bytes()[:2] == b"\xff\xd8"   # a JPEG, made again without metadata
    saves = {
        "an image replaced": {"content/dam.jpg": jpeg((0, 200, 0))},
        "a body that links a new image": {"content/2024/rain.jpg": jpeg((0, 0, 200)),
                                          "content/rain.md": SITE["content/rain.md"] + "![Rain](2024/rain.jpg)\n"},
        "an event in a new folder": {"content/2024/jan/flood.md": event(title="Flood", date="2024-01-20",
                                                                        body="![x](../../dam.jpg)\n")},
        "an image removed from the body": {"content/dam.md": event(title="Dam holds", date="2024-01-03")},
    }[what]
    paths = _save(root, saves)
    assert live.patchable(paths)
    patched = live.patch(paths)
    assert patched is not None and not patched.errors, patched
    assert live.finish(lambda: False) is not None
    _search(live)
    _assert_as_built(root)


def test_an_image_deleted_while_serving_is_an_error(tmp_path):
    files = {**SITE, "content/dam.md": event(title="Dam holds", date="2024-01-03", body="![The dam](dam.jpg)\n"),
             "content/dam.jpg": jpeg((200, 0, 0))}
    root, live = _site(tmp_path, files)
    (root / "content/dam.jpg").unlink()
    patched = live.patch({root / "content/dam.jpg"})
    assert [(e.path, e.line) for e in patched.errors] == [("dam.md", 5)], patched
    assert "no such file" in patched.errors[0].message
