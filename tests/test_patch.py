"""A build after an edit moves its changed files into the site together (write.Patch): one that
fails while moving them puts the previous site back at once, byte for byte; one killed while
moving them (or whose undoing failed too) leaves an undo folder, and the next build puts the
previous site back before it does anything else."""

from __future__ import annotations

import os

import pytest

from helpers import PLACE, build_site, event, snapshot
from dateline import write

SITE = {"content/a.md": event(title="First", date="2024-01-02", place=PLACE, tags=["x"]),
        "content/b.md": event(title="Second", date="2024-01-05", place=PLACE, tags=["x", "y"])}
EDITED = {"content/a.md": event(title="First, renamed", date="2024-01-02", place=PLACE, tags=["z"])}


def digests(root) -> dict:
    return {path: state[0] for path, state in snapshot(root).items()}


@pytest.mark.parametrize("moves_before_failing", [0, 1, 3, 6])
def test_a_patch_that_fails_while_moving_is_undone_at_once(tmp_path, monkeypatch, moves_before_failing):
    root = tmp_path / "project"
    assert build_site(root, SITE).exit_code == 0
    before = digests(root / "site")
    real, calls = os.replace, []

    def failing(src, dst, *args, **kwargs):   # the move after `moves_before_failing` fails, once
        if not str(dst).startswith(str(root / ".site.")) and not str(dst).startswith(str(root / "site")):
            return real(src, dst, *args, **kwargs)   # the build cache's own files
        calls.append(dst)
        if len(calls) == moves_before_failing + 1:
            raise OSError(28, "No space left on device")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(write.os, "replace", failing)
    failed = build_site(root, EDITED)
    monkeypatch.setattr(write.os, "replace", real)
    assert failed.exit_code == 2 and "No space left" in failed.stderr, failed
    assert digests(root / "site") == before
    assert not [p.name for p in root.iterdir() if p.name.startswith((".site.new-", ".site.undo-"))]
    again = build_site(root, {})
    assert again.exit_code == 0 and "First, renamed" in again.read("events/a/index.html")
    assert "tags/z/index.html" in digests(root / "site")


def test_a_patch_killed_while_moving_is_undone_by_the_next_build(tmp_path):
    root = tmp_path / "project"
    assert build_site(root, SITE).exit_code == 0
    before = digests(root / "site")
    out = root / "site"
    # what a kill after two of three moves leaves: the journal, two files moved, the third not
    with write.Patch(out) as patch:
        patch.put("events/a/index.html", b"new a")
        patch.put("events/new/index.html", b"new page")
        patch.put("feed.xml", b"new feed")
        undo = out.parent / ".site.undo-killed"
        undo.mkdir()
        (undo / write.JOURNAL).write_text("R events/a/index.html\nC events/new/index.html\nR feed.xml\n")
        (undo / "events/a").mkdir(parents=True)
        os.link(out / "events/a/index.html", undo / "events/a/index.html")
        os.replace(patch.fresh / "events/a/index.html", out / "events/a/index.html")
        (out / "events/new").mkdir()
        os.replace(patch.fresh / "events/new/index.html", out / "events/new/index.html")
    assert digests(out) != before
    with write.Patch(out):      # what the next build does first
        pass
    assert digests(out) == before
    assert not undo.exists()


def test_a_patch_removes_the_files_of_routes_that_are_gone_and_their_folders(tmp_path):
    root = tmp_path / "project"
    assert build_site(root, SITE).exit_code == 0
    assert (root / "site/tags/y/index.html").exists()
    edited = build_site(root, {"content/b.md": event(title="Second", date="2024-01-05", place=PLACE, tags=["x"])})
    assert edited.exit_code == 0, edited
    assert not (root / "site/tags/y").exists()
    assert (root / "site/tags/x/index.html").exists()
