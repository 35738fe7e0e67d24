"""Faults survived by a build after an edit, which moves its changed files into the site
(write.Patch), and by `serve`, which writes them in place as the editor saves (live.py). The
matrix is explained in fault_matrix.py."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

from faults import Disk
from fault_matrix import (A, B, CODES, but_most_of_a_removal, STATES, contents, folder, leftovers, matrix, one_writer, project,  # noqa: F401
                          reference, use)
from helpers import build_site, write_files
from dateline import serve, write
from dateline.config import load_config
from dateline.live import LiveSite


def test_every_change_of_a_build_after_an_edit_fails_in_turn(project, reference):
    """Every change, but of the removal of the undo folder once all is moved (a hundred changes
    of one kind, all survived) only the first ten and the last two."""
    def wanted(log):
        return but_most_of_a_removal(log, next(i for i, (call, path) in enumerate(log)
                                              if call == "unlink" and path.endswith("/.journal")))
    counts = matrix(project, reference, wanted=wanted)
    assert counts["points"] > 200 and counts["failed"] > 100, counts


def test_a_patch_whose_moves_and_undoing_both_fail_is_put_back_by_the_next_build(project, reference):
    """The fourth file moved in fails, and so does putting back the first of those moved."""
    use(project, B)
    disk = Disk(fail_at={4, 5}, code=errno.ENOSPC, counting_from=(("replace",), str(project / "site") + os.sep))
    with disk.active():
        result = build_site(project, {})
    assert result.exit_code == 2 and "the next build puts the previous site back first" in result.stderr, result
    assert contents(project / "site") not in (reference[0], reference[1])
    assert [p for p in project.iterdir() if p.name.startswith(".site.undo-")]
    with write.Patch(project / "site"):     # what the next build does first
        pass
    assert contents(project / "site") == reference[0]
    assert build_site(project, {}).exit_code == 0 and contents(project / "site") == reference[1]


# -- serve -------------------------------------------------------------------------------------

class Served:
    """`serve` in this process, without its server and watcher: a save is handled as its work
    thread handles one (serve.update, then the rest of the site, then the search index), and
    what it would show in the browser is kept (state.errors)."""

    def __init__(self, root: Path):
        self.root, self.said = root, []
        config = load_config(root, {"output": str(root / "site")})
        self.live, self.state = LiveSite(config), serve.State(config)
        serve.rebuild(self.state, self.live, self.log)
        assert not self.state.errors, self.state.errors

    def log(self, *args, **kwargs) -> None:
        self.said.append(" ".join(map(str, args)))

    def edit(self, files: dict[str, str]) -> set[Path]:
        """The content becomes `files`: the files added, changed or removed (or, if none, all of
        them: saved again unchanged), as the watcher reports them."""
        content = self.root / "content"
        before = {p: p.read_bytes() for p in content.rglob("*.md")}
        use(self.root, files)
        after = {p: p.read_bytes() for p in content.rglob("*.md")}
        return {p for p in {*before, *after} if before.get(p) != after.get(p)} or set(after)

    def save(self, paths: set[Path]) -> None:
        """What serve does after the watcher reported `paths`."""
        serve.update(self.state, self.live, paths, self.log)
        while self.live.tail is not None and not self.state.errors:
            serve.finish(self.state, self.live, lambda: False, self.log)
        if self.live.search_due():
            done, box = threading.Event(), []
            self.live.start_search(lambda version, index: (box.append((version, index)), done.set()))
            assert done.wait(120)
            try:
                self.live.apply_search(*box[0])
            except Exception as exc:   # as serve.work does
                serve._failed(self.state, serve._describe(exc), 0.0, self.log)


def test_every_change_serve_makes_after_a_save_fails_in_turn(folder, reference):
    """serve writes each file in place (the page being looked at is on disk at once), so a
    fault leaves some files new and some old: what it must do is say what failed, in one line,
    in the browser and the console, keep serving, and write the whole site again at the next
    save, which is then what a clean build writes. Every third change of a save's handling
    fails (the kinds in turn), each followed by the full build of the next save."""
    root = write_files(folder / "project", A)
    served = Served(root)
    disk, saved = Disk(), served.edit(B)
    with disk.active():
        served.save(saved)
    assert not served.state.errors and contents(root / "site") == reference[1]
    counted, failed, survived, target = len(disk.log), 0, 0, 0
    for n in range(1, counted + 1, 3):     # every third: each point ends in a whole new build
        disk, saved = Disk(fail_at=n, code=CODES[n % len(CODES)]), served.edit(STATES[target])
        with disk.active():
            served.save(saved)
        if disk.failed is None or not served.state.errors:   # no fault, or one survived
            assert not served.state.errors and contents(root / "site") == reference[target], disk.failed
            survived += disk.failed is not None
        else:
            failed += 1
            errors = served.state.errors
            assert len(errors) == 1 and errors[0].startswith("could not write the site: "), (disk.failed, errors)
            assert os.strerror(disk.code) in errors[0] and Path(disk.failed[1]).name in errors[0], errors
            assert "Traceback" not in "\n".join(served.said)
            served.save(served.edit(STATES[target]))   # the next save (the same text: the editor saves again)
            assert not served.state.errors, (disk.failed, served.state.errors)
            assert contents(root / "site") == reference[target], f"after {disk.failed}"
            assert not [p for p in leftovers(root) if p.startswith(".site.")], disk.failed
        target = 1 - target
    assert failed > 40, (failed, survived)
