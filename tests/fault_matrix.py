"""The fault matrix's ground, for test_faults.py and test_faults_in_place.py: two states of a
small site, what a clean build writes of each, and the matrix itself.

Faults survived: every change a build makes to the disk (tests/faults.py counts them: files
created, written, closed, folders made, renames, the exchange, links, removals, modes) fails in
turn, for every n along a build, as ENOSPC, EACCES, EIO or EROFS (in turn: the n-th change
fails with the (n mod 4)-th kind; the commit fails with all four). After each:

- the previous site is as it was, byte for byte, or the new one is complete (a fault the build
  may survive: a cache it cannot write, a previous site it cannot remove once the new one is in);
- a failed build says what failed, on which file, in one line, no traceback, and exits 2;
- the next build, with no fault, succeeds and writes the site a clean build writes, and leaves
  nothing beside the output nor a temporary file in the cache.

The builds run in this process, the disk's faults injected into it; their writer threads are
one (write.WRITERS), so that the n-th change is the same change every time."""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from pathlib import Path

import pytest

import faults
from faults import Disk
from helpers import PLACE, build_site, event, page, source, write_files
from dateline import cache, write

CODES = list(faults.KINDS)

# Two states of a small site that has every kind of output (pages, tags, maps, feeds, exports,
# search) and between which a build creates, replaces and removes files.
A = {"content/a.md": event(title="First", date="2024-01-02", place=PLACE, tags=["x"], sources=[source()]),
     "content/b.md": event(title="Second", date="2024-01-05", place=PLACE, tags=["x", "y"]),
     "content/pages/about.md": page(title="About")}
B = {"content/a.md": event(title="First, renamed", date="2024-01-02", place=PLACE, tags=["z"], sources=[source()]),
     "content/b.md": A["content/b.md"],
     "content/c.md": event(title="Third", date="2024-02-01", place=PLACE, tags=["y"], in_response_to=["b"])}
STATES = (A, B)


@pytest.fixture(autouse=True)
def one_writer(monkeypatch):
    monkeypatch.setattr(write, "WRITERS", 1)
    # dateline's source does not change between the matrix's thousand builds: hashed once, not
    # once a build (a tenth of the time of a build of this small site)
    monkeypatch.setattr(cache, "code_fingerprint", functools.cache(cache.code_fingerprint))


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[dict, dict]:
    """The sites a clean build writes of A and of B, {path: bytes}."""
    sites = []
    for files in STATES:
        built = build_site(tmp_path_factory.mktemp("reference"), files, "--no-cache")
        assert built.exit_code == 0, built
        sites.append(contents(built.out_dir))
    return tuple(sites)


def contents(out: Path) -> dict[str, bytes] | None:
    if not out.exists():
        return None
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def use(root: Path, files: dict[str, str]) -> None:
    """The content folder holds `files` and nothing else."""
    for path in (root / "content").rglob("*.md"):
        if path.relative_to(root).as_posix() not in files:
            path.unlink()
    write_files(root, files)


def leftovers(root: Path) -> list[str]:
    """What a build left beside the output, or as a temporary file in the cache."""
    beside = [p.name for p in root.iterdir() if p.name.startswith(".site.")]
    cache = root / ".cache"
    temporary = [p.relative_to(root).as_posix() for p in (cache.rglob("*") if cache.exists() else ())
                 if p.is_file() and (p.name.startswith(".") or p.name.endswith((".tmp", ".part")))]
    return beside + temporary


def check_failure(result, disk: Disk, before, after, out: Path) -> str:
    """A build whose change `disk.failed` failed: what it left and said. Returns "survived" or
    "failed"."""
    left, call = contents(out), f"{disk.failed[0]} {disk.failed[1]} with {faults.KINDS[disk.code]}"
    if result.exit_code == 0:      # a fault the build may survive: the new site is whole
        assert left == after, f"{call}: the build succeeded, but the site is not the new one"
        return "survived"
    assert result.exit_code == 2, f"{call}: {result}"
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: could not write the site: "), f"{call}: {result}"
    assert os.strerror(disk.code) in lines[0] and Path(disk.failed[1]).name in lines[0], f"{call}: {lines}"
    assert "Traceback" not in result.output
    if "the previous site is untouched" in lines[0]:
        assert left == before, f"{call}: the previous site changed"
    else:
        assert "the next build puts the previous site back first" in lines[0], f"{call}: {lines}"
    return "failed"


def matrix(root: Path, reference, prepare=lambda root: None, wanted=lambda log: range(1, len(log) + 1),
           states=(0, 1)) -> dict[str, int]:
    """Fail the n-th change of a build, for every n that `wanted(log)` picks from the changes
    a build makes (all of them by default), each n once, going from one of `states` to the
    other and back; after each, the next build without a fault. The outcomes counted."""
    out = root / "site"
    order = states[1:] + states[:1]          # from the state the site is in (the first) to the next
    todo = {target: set(wanted(changes_of(root, prepare, target))) for target in order}
    state = order[-1]                          # what changes_of left built
    counts = {"failed": 0, "survived": 0, "points": 0}
    for n in sorted(set().union(*todo.values())):
        after = states[(states.index(state) + 1) % len(states):] + states
        target = next(t for t in after if n in todo[t])
        prepare(root)
        before = contents(out)
        use(root, STATES[target])
        disk = Disk(fail_at=n, code=CODES[n % len(CODES)])
        with disk.active():
            result = build_site(root, {})
        if disk.failed is None:   # fewer changes than when counted (a cache that had less to write)
            assert result.exit_code == 0 and contents(out) == reference[target], result
            state = target
            continue
        counts[check_failure(result, disk, before, reference[target], out)] += 1
        again = build_site(root, {})
        assert again.exit_code == 0, f"after {disk.failed}: {again}"
        assert contents(out) == reference[target], f"after {disk.failed}: the next build's site is wrong"
        assert leftovers(root) == [], f"after {disk.failed}"
        counts["points"] += 1
        state = target
    print(counts)
    return counts


def changes_of(root: Path, prepare=lambda root: None, target: int = 1) -> list[tuple[str, str]]:
    """The changes a build to STATES[target] from the state the site is in makes, without a
    fault (it leaves that state built)."""
    prepare(root)
    use(root, STATES[target])
    disk = Disk()
    with disk.active():
        assert build_site(root, {}).exit_code == 0
    return disk.log


def forget_the_last_build(root: Path) -> None:
    """The cache without its record of the site: the next build writes a whole new site and
    swaps it in (write.Staging), where with it, a build after an edit moves its changes in
    (write.Patch)."""
    (root / ".cache/dateline/site.pickle").unlink(missing_ok=True)


def no_site_nor_cache(root: Path) -> None:
    shutil.rmtree(root / "site", ignore_errors=True)
    shutil.rmtree(root / ".cache", ignore_errors=True)


@pytest.fixture
def folder(tmp_path):
    """A folder in memory where there is one (Linux's /dev/shm): the matrix runs a thousand
    builds, each removing a site's folders, and an ext4 disk took 3 ms to remove each."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    made = Path(tempfile.mkdtemp(prefix="dateline-faults-", dir=shm))
    yield made
    shutil.rmtree(made, ignore_errors=True)


@pytest.fixture
def project(folder) -> Path:
    root = folder / "project"
    assert build_site(root, A).exit_code == 0
    return root


def removal(log, after: int) -> list[int]:
    """The changes (numbered from 1) from the one after change `after` (0-based) to the first in
    the cache: what removes the previous site after a swap, or a patch's undo folder."""
    cache = next(i for i, (_, path) in enumerate(log) if i > after and ".cache" in path)
    return list(range(after + 2, cache + 1))


def but_most_of_a_removal(log, after: int) -> set[int]:
    """Every change but those of a removal (one shutil.rmtree, a hundred changes of one kind,
    whose faults are all survived) past its first ten and before its last two."""
    gone = removal(log, after)
    return set(range(1, len(log) + 1)) - set(gone[10:-2])
