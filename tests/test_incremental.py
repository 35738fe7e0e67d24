"""A build after edits costs what changed and gives what a clean build gives: random sequences of
edits (body, title, date, tags, relations, part_of, place, sources, a new, deleted or renamed
file, a draft flag, a template, the configuration), each followed by a cached `build` (which
reads its cache from disk, as a new process would) and by `serve`'s patch, are held equal byte
for byte to a clean build of the same content after every step. Files whose bytes did not
change are not written again."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from helpers import BUILD_PY, PLACE, REPO, event, list_files, page, source, write_files
from dateline.config import load_config
from dateline.live import LiveSite
from dateline.pipeline import build

PYPROJECT = """\
[tool.dateline]
title = "{title}"
description = "Edits, built again."
base_url = "https://example.org/t/"
home_years = {home_years}
search = false
"""
DATES = ["2023-12-30", "2024-01-01", "2024-01-03", "2024-01", "2024-02-10", "2025-03-04"]
PLACES = [None, PLACE, {**PLACE, "name": "Lowmere", "lat": 46.5},
          {"name": "Farfield", "country": "Vale", "lat": 40.0, "lon": 20.0, "precision": "district"}]
TAGS = ["flood", "rescue", "relief", "storm"]


def _initial() -> dict:
    """The site as data: slug -> fields of its event (and the theme and settings)."""
    events = {}
    for i, slug in enumerate(["rain", "levee", "rescue", "dam"]):
        events[slug] = {"title": slug.title(), "date": DATES[i + 1], "place": PLACES[1 + i % 2],
                        "tags": [TAGS[i % 3]], "in_response_to": [], "part_of": None, "sources": [],
                        "draft": False, "body": f"About the {slug}.\n"}
    events["levee"]["in_response_to"] = ["rain"]
    events["levee"]["body"] = "After [the rain](rain.md).\n"
    return {"events": events, "title": "Edits", "home_years": 3, "template": None, "about": "About.\n"}


def _valid(state: dict) -> None:
    """Drop relations that no longer hold (a cause must be published and not later; a parent
    earlier), and links from bodies to files that are gone or drafts: every state builds."""
    events = state["events"]
    published = {s for s, e in events.items() if not e["draft"]}
    first = lambda s: DATES.index(events[s]["date"]) if events[s]["date"] != "2024-01" else 1.5  # noqa: E731
    for slug, e in events.items():
        e["in_response_to"] = [c for c in e["in_response_to"]
                               if c in published and c != slug and first(c) < first(slug)]
        if e["part_of"] and not (e["part_of"] in published and first(e["part_of"]) < first(slug)):
            e["part_of"] = None
        if "](" in e["body"]:
            target = e["body"].split("](", 1)[1].split(".md", 1)[0]
            if target not in published:
                e["body"] = "No link now.\n"


def _files(state: dict) -> dict[str, str]:
    files = {"pyproject.toml": PYPROJECT.format(title=state["title"], home_years=state["home_years"]),
             "content/pages/about.md": page(title="About", body=state["about"])}
    for slug, e in state["events"].items():
        fields = {k: v for k, v in e.items() if k != "body" and v not in (None, [], False)}
        files[f"content/{slug}.md"] = event(body=e["body"], **fields)
    if state["template"]:
        files["templates/term.html"] = (REPO / "templates/term.html").read_text().replace(
            "<h1", f"<h1 data-edit=\"{state['template']}\"", 1)
    return files


EDIT = st.sampled_from(["body", "title", "date", "tags", "relation", "part_of", "place", "sources",
                        "new", "delete", "rename", "draft", "template", "config", "page"])


def _apply(state: dict, edit: str, pick: int, n: int) -> None:
    events = state["events"]
    slugs = sorted(events)
    slug = slugs[pick % len(slugs)]
    other = slugs[(pick + 1) % len(slugs)]
    e = events[slug]
    if edit == "body":
        e["body"] = f"Edited body {n}, see [{other}]({other}.md).\n"
    elif edit == "title":
        e["title"] = f"{slug.title()} {n}"
    elif edit == "date":
        e["date"] = DATES[(DATES.index(e["date"]) + 1 + pick) % len(DATES)]
    elif edit == "tags":
        e["tags"] = sorted({TAGS[(pick + n) % len(TAGS)], TAGS[n % len(TAGS)]})
    elif edit == "relation":
        e["in_response_to"] = [] if e["in_response_to"] else [other]
    elif edit == "part_of":
        e["part_of"] = None if e["part_of"] else other
    elif edit == "place":
        e["place"] = PLACES[(PLACES.index(e["place"]) + 1) % len(PLACES)]
    elif edit == "sources":
        e["sources"] = [] if e["sources"] else [source(note=f"Note {n} on [the {other}]({other}.md).")]
    elif edit == "new":
        events[f"new-{n}"] = {**_initial()["events"]["dam"], "title": f"New {n}", "date": DATES[n % len(DATES)]}
    elif edit == "delete" and len(events) > 2:
        del events[slug]
    elif edit == "rename":
        events[f"{slug}-moved"] = events.pop(slug)
    elif edit == "draft":
        e["draft"] = not e["draft"]
    elif edit == "template":
        state["template"] = None if state["template"] else f"t{n}"
    elif edit == "config":
        state["title"], state["home_years"] = f"Edits {n}", 1 + n % 3
    elif edit == "page":
        state["about"] = f"About, take {n}.\n"
    _valid(state)


def _write(root: Path, state: dict) -> set[Path]:
    """The project as `state` says: files written where their text changed, removed where gone.
    The files that changed."""
    wanted = _files(state)
    changed = set()
    for folder in ("content", "templates"):
        for path in sorted((root / folder).rglob("*.md" if folder == "content" else "*.html")):
            rel = path.relative_to(root).as_posix()
            if rel not in wanted:
                path.unlink()
                changed.add(path)
    for rel, text in wanted.items():
        path = root / rel
        if not path.exists() or path.read_text() != text:
            write_files(root, {rel: text}, None)
            changed.add(path)
    return changed


def _same_as_clean(root: Path, out: Path) -> None:
    clean = root.parent / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    result = build(load_config(root, {"output": str(clean)}), cache=False)
    assert not result.errors, result.errors
    assert list_files(out) == list_files(clean)
    differing = [rel for rel in list_files(clean) if (out / rel).read_bytes() != (clean / rel).read_bytes()]
    assert not differing, differing


def _mtimes(out: Path) -> dict[str, tuple[int, bytes]]:
    return {rel: ((out / rel).stat().st_mtime_ns, (out / rel).read_bytes()) for rel in list_files(out)}


STEPS = st.lists(st.tuples(EDIT, st.integers(0, 7)), min_size=2, max_size=4)
SETTINGS = settings(max_examples=6, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(steps=STEPS)
def test_a_build_after_edits_equals_a_clean_build(tmp_path_factory, steps):
    root = tmp_path_factory.mktemp("project")
    state = _initial()
    _write(root, state)
    config = load_config(root)
    assert not build(config).errors
    for n, (edit, pick) in enumerate(steps):
        before = _mtimes(root / "site")
        _apply(state, edit, pick, n)
        _write(root, state)
        result = build(load_config(root))
        assert not result.errors, (edit, result.errors)
        _same_as_clean(root, root / "site")
        after = _mtimes(root / "site")
        rewritten = [rel for rel, (mtime, data) in after.items()
                     if rel in before and before[rel][1] == data and before[rel][0] != mtime]
        assert not rewritten, (edit, rewritten)


@SETTINGS
@given(steps=STEPS)
def test_serve_after_edits_equals_a_clean_build(tmp_path_factory, steps):
    root = tmp_path_factory.mktemp("project")
    state = _initial()
    _write(root, state)
    live = LiveSite(load_config(root))
    assert not live.full().errors
    for n, (edit, pick) in enumerate(steps):
        _apply(state, edit, pick, n)
        changed = _write(root, state)
        if live.patchable(changed):
            patched = live.patch(changed)
            assert not patched.errors, (edit, patched.errors)
            assert live.finish(lambda: False) is not None
        else:
            live.config = load_config(root)
            assert not live.full().errors
        _same_as_clean(root, root / "site")


def test_one_edit_in_a_new_process_renders_only_what_changed(tmp_path):
    """The cache on disk carries the route keys into the next process: after a body edit, the
    entry's own page and the exports that carry bodies are rendered, nothing else."""
    root = tmp_path / "project"
    state = _initial()
    _write(root, state)

    def build_py() -> str:
        run = subprocess.run([sys.executable, str(BUILD_PY), "build", "--root", str(root)], capture_output=True,
                             text=True, timeout=120, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
        assert run.returncode == 0, run.stderr
        return run.stdout

    build_py()
    state["events"]["dam"]["body"] = "The dam held, they say.\n"
    _write(root, state)
    line = build_py()
    assert "; 8 of" in line, line   # the page and the seven exports
    _same_as_clean(root, root / "site")
