"""Faults survived by a build that writes a whole new site beside the output and swaps it in
(write.Staging), and by the kills of any build inside its commit; and a cache that cannot be
read or written. The matrix is explained in fault_matrix.py."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

import faults
from faults import Disk
from fault_matrix import (A, B, CODES, but_most_of_a_removal, STATES, changes_of, check_failure, contents, folder, forget_the_last_build,  # noqa: F401
                          leftovers, matrix, no_site_nor_cache, one_writer, project, reference, use)
from helpers import REPO, build_site, write_files
from dateline import write

TEST_DIR = Path(__file__).resolve().parent


# -- the fault matrix --------------------------------------------------------------------------

def test_every_change_of_a_build_that_swaps_a_new_site_in_fails_in_turn(project, reference):
    """Every change, except that of the removal of the previous site (shutil.rmtree, a hundred
    and more changes of one kind, whose faults are all survived) only the first ten and the
    last two are made to fail."""
    def wanted(log):
        return but_most_of_a_removal(log, next(i for i, (call, _) in enumerate(log) if call in ("exchange", "rename")))
    counts = matrix(project, reference, forget_the_last_build, wanted)
    assert counts["points"] > 200 and counts["failed"] > 100 and counts["survived"] > 10, counts


def test_every_change_of_a_first_build_from_its_commit_on_fails_in_turn(folder, reference):
    """The first build (no site yet, no cache) writes what the others do, then renames its
    folder into place: each change from that rename on fails in turn."""
    root = write_files(folder / "project", A)

    def wanted(log):
        commit = next(i for i, (call, path) in enumerate(log) if call == "rename" and path == str(root / "site"))
        return range(commit + 1, len(log) + 1)
    counts = matrix(root, reference, no_site_nor_cache, wanted, states=(1,))
    assert counts["failed"] > 0 and counts["points"] >= 5, counts


@pytest.mark.parametrize("code", CODES, ids=list(faults.KINDS.values()))
@pytest.mark.parametrize("exchange", ["exchange", "two renames"])
def test_each_change_of_the_commit_fails_with_each_kind(project, reference, monkeypatch, code, exchange):
    """The swap of the new site for the old, by renameat2's exchange or, where the file system
    has none, by two renames (the old site aside as .site.old-PID, the new one in): each of its
    changes fails with each kind, and the previous site stays, or the new one is in."""
    if exchange == "two renames":
        monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    log = changes_of(project, forget_the_last_build)
    swap = next(i for i, (call, _) in enumerate(log) if call == "exchange")
    cache = next(i for i, (_, path) in enumerate(log) if i > swap and ".cache" in path)
    # the swap, the first changes after it (the second rename, the previous site's removal
    # begun) and the last before the cache is written (its removal ended)
    for n in sorted({*range(swap + 1, swap + 8), cache - 1, cache}):
        forget_the_last_build(project)
        before = contents(project / "site")
        target = STATES[0] if before == reference[1] else STATES[1]
        use(project, target)
        disk = Disk(fail_at=n, code=code)
        with disk.active():
            result = build_site(project, {})
        check_failure(result, disk, before, reference[STATES.index(target)], project / "site")
        assert build_site(project, {}).exit_code == 0
        assert contents(project / "site") == reference[STATES.index(target)]
        assert leftovers(project) == []


# -- faults that leave work for the next build -------------------------------------------------

def test_a_failed_swap_whose_undoing_fails_too_is_put_back_by_the_next_build(project, reference, monkeypatch):
    """Two renames: the old site aside, then the new one in fails, and so does putting the old
    one back. The build says the next one puts it back; it does, from .site.old-PID."""
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    forget_the_last_build(project)
    use(project, B)
    disk = Disk(fail_at={1, 2}, code=errno.EIO, counting_from=(("rename",), str(project / "site")))
    with disk.active():
        result = build_site(project, {})
    assert result.exit_code == 2 and "the next build puts the previous site back first" in result.stderr, result
    assert not (project / "site").exists()
    old = [p for p in project.iterdir() if p.name.startswith(".site.old-")]
    assert len(old) == 1 and contents(old[0]) == reference[0]
    with write.Staging(project / "site"):    # what the next build does first
        pass
    assert contents(project / "site") == reference[0] and leftovers(project) == []
    assert build_site(project, {}).exit_code == 0 and contents(project / "site") == reference[1]


# -- kills inside the commit -------------------------------------------------------------------

def killed_build(root: Path, n: int, start: tuple[tuple[str, ...], str], exchange: bool) -> subprocess.CompletedProcess:
    """`build.py build` in a process of its own, killed (SIGKILL) at its n-th change from `start`."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": f"{REPO}{os.pathsep}{TEST_DIR}",
           "DATELINE_JOBS": "1", "FAULTS_NO_EXCHANGE": "" if exchange else "1"}
    return subprocess.run([sys.executable, str(TEST_DIR / "faults.py"), str(n), ",".join(start[0]), start[1],
                           "build", "--root", str(root)], cwd=root, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two renames"])
@pytest.mark.parametrize("how", ["swap", "patch"])
def test_a_build_killed_at_each_change_of_its_commit_loses_no_site(project, reference, monkeypatch, exchange, how):
    """kill -9 at each change from the swap (or the first move of a build after an edit) on,
    until the cache is written: the site is the previous one or the new one, whole, or (killed
    between the two renames) is put back by the next build; which then builds the new one."""
    prepare = forget_the_last_build if how == "swap" else (lambda root: None)
    if not exchange:
        monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    site = str(project / "site")
    start = (("exchange", "rename"), site) if how == "swap" else (("replace",), site + os.sep)
    log = changes_of(project, prepare)
    first = next(i for i, (call, path) in enumerate(log) if call in start[0] and path.startswith(start[1]))
    last = next(i for i, (_, path) in enumerate(log) if i > first and ".cache" in path)
    points = sorted({*range(1, min(last - first, 6) + 1), last - first, last - first + 1})
    target = 0
    for n in points:
        prepare(project)
        before = contents(project / "site")
        use(project, STATES[target])
        killed = killed_build(project, n, start, exchange)
        at = log[first + n - 1]
        assert killed.returncode == -9, f"change {n} from the commit ({at}) was not reached: {killed.stderr}"
        after = contents(project / "site")
        if after not in (before, reference[target]):   # killed between two renames, or amid a patch's moves
            with write.Staging(project / "site") if how == "swap" else write.Patch(project / "site"):
                pass                                   # what the next build does first
            assert contents(project / "site") == before, f"killed at {at}: the previous site is lost"
        again = build_site(project, {})
        assert again.exit_code == 0, again
        assert contents(project / "site") == reference[target] and leftovers(project) == [], at
        target = 1 - target


# -- the cache ---------------------------------------------------------------------------------

@pytest.mark.parametrize("code", [errno.EIO, errno.EACCES], ids=["EIO", "EACCES"])
def test_a_cache_that_cannot_be_read_is_built_around(project, reference, code):
    use(project, B)
    disk = Disk(code=code, reads_under=project / ".cache")
    with disk.active():
        result = build_site(project, {})
    assert result.exit_code == 0, result
    assert contents(project / "site") == reference[1]


def test_a_cache_that_cannot_be_written_is_no_error(project, reference):
    """Every change under .cache fails (a read-only cache folder): the site is built all the same."""
    use(project, B)
    cache = str(project / ".cache")
    disk = Disk(code=errno.EROFS)
    real = disk.change

    def change(call, path):
        if isinstance(path, (str, os.PathLike)) and os.fspath(path).startswith(cache):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(path))
        real(call, path)
    disk.change = change
    with disk.active():
        result = build_site(project, {})
    assert result.exit_code == 0, result
    assert contents(project / "site") == reference[1]
