"""Stage 5, the only side effect: the one writer.

- A whole site (Staging) is written as a new folder beside the output and swapped in at once;
  files whose bytes did not change are hard links to the previous ones, so they keep their
  modification time.
- The changes of a build after an edit (Patch) are written beside the output, then moved into it
  all together, the files they replace kept aside until every move is done.

Either way a failed or killed build leaves the previous site as it was: one killed before the
swap or the moves changed nothing, and one killed during the moves is undone by the next build
before it does anything else."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import glob
import os
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# What shows that a folder is a site dateline built, so that a build never replaces anything
# else: the editors' schema every build publishes (no marker file of our own is published).
SIGNATURE = ("schema/event.json", b'"title": "dateline event"')
LEGACY_MARKER = ".dateline"   # what builds before 2026-12 left in the output instead


class OutputError(Exception):
    pass


class Unfinished(OSError):
    """A build's changes failed midway and could not be undone at once: the site is part old,
    part new until the next build, which puts the previous one back before anything else."""


@dataclass(frozen=True)
class WriteStats:
    written: int      # files whose bytes are new
    unchanged: int    # files kept from the previous build


def built_by_dateline(out: Path) -> bool:
    path, mark = SIGNATURE
    try:
        with open(out / path, "rb") as stream:
            if mark in stream.read(512):
                return True
    except OSError:
        pass
    return (out / LEGACY_MARKER).is_file()


@contextmanager
def build_lock(out: Path):
    """One build at a time per output folder; a second one waits and says so. The lock is taken
    on the folder that holds the output (it is never swapped, unlike the output itself), so no
    lock file is left in the project."""
    handle = os.open(out.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"Another build is writing {out}; waiting for it to finish…", file=sys.stderr)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where the system or
    the file system cannot (then two renames do it). Any other failure is raised: a disk that
    is full, read-only or failing would fail the renames too."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name or not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    if libc.renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _recover(out: Path) -> None:
    """Tidy up after builds that were killed. One killed between two renames (no renameat2) left
    the old site beside the output: put it back. One killed while moving a Patch's files in left
    an `.undo-*` folder: undo its moves. Others left a half-written `.new-*` folder, or a
    previous site not yet deleted: remove them (we hold the lock, so no build is using them)."""
    prefix = glob.escape(f".{out.name}")
    for undo in sorted(out.parent.glob(f"{prefix}.undo-*")):
        _undo(out, undo)
    leftovers = sorted(out.parent.glob(f"{prefix}.old-*"))
    if leftovers and not out.exists():
        os.rename(leftovers.pop(), out)
    for stale in leftovers + sorted(out.parent.glob(f"{prefix}.new-*")):
        shutil.rmtree(stale, ignore_errors=True)


def tidy(out: Path) -> None:
    """What `_recover` does, for a build that writes nothing (its inputs and output are as the
    last build left them): only what a failed build could not remove may be beside the output."""
    prefix = glob.escape(f".{out.name}")
    if any(out.parent.glob(f"{prefix}.*-*")):
        with build_lock(out):
            _recover(out)


JOURNAL, DONE = ".journal", ".done"


def _undo(out: Path, undo: Path) -> None:
    """Put the site back as it was before the Patch whose moves `undo` recorded, unless they
    were all done (then only the folder is left to remove)."""
    try:
        entries = (undo / JOURNAL).read_text("utf-8").splitlines()
    except OSError:
        entries = []   # killed before the journal was whole: nothing was moved yet
    if not (undo / DONE).exists():
        for entry in reversed(entries):
            mark, rel = entry[0], entry[2:]
            kept, target = undo / rel, out / rel
            if mark == "C":                      # a file the patch created
                target.unlink(missing_ok=True)
                _prune(out, target.parent)
            elif os.path.lexists(kept):          # replaced or removed: the old file was kept
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(kept, target)
    _remove_journal_then(undo)


def _prune(out: Path, folder: Path) -> None:
    """Remove `folder` and its parents up to `out` while they are empty."""
    while folder != out and out in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _check_replaceable(out: Path) -> None:
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not built_by_dateline(out))):
        raise OutputError(f"{out} exists and was not made by dateline: refusing to replace it "
                          "(empty it, or choose another --out)")


def _same(path: str, data: bytes) -> bool:
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as stream:
            return stream.read() == data
    except OSError:
        return False


WRITERS = 2   # threads: the time goes in the kernel (folders, files, pages to write back)


class _BesideOutput:
    """A folder beside the output that files are written into (by threads and forked worker
    processes alike), under the output's build lock; removed on exit unless taken in."""

    def __init__(self, out: Path):
        self.out = out.absolute()
        self.fresh: Path | None = None
        self._lock = build_lock(self.out)
        self._made: set[str] = set()

    def _check(self) -> None:
        """Raise OutputError if the output may not be written this way."""

    def __enter__(self):
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self._lock.__enter__()
        try:
            _recover(self.out)
            self._check()
            self.fresh = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))
        except BaseException:
            self._lock.__exit__(None, None, None)
            raise
        self._made = {str(self.fresh)}
        return self

    def _target(self, rel: str) -> str:
        """Where file `rel` goes in the folder, its own folder made."""
        target = os.path.join(self.fresh, rel)
        folder = os.path.dirname(target)
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)    # another thread or worker may make it first
            self._made.add(folder)
        return target

    def _write(self, rel: str, data: bytes) -> None:
        write_file(self._target(rel), data)

    def __exit__(self, *exc) -> None:
        try:
            if self.fresh is not None:
                shutil.rmtree(self.fresh, ignore_errors=True)
                self.fresh = None
        finally:
            self._lock.__exit__(None, None, None)


class Staging(_BesideOutput):
    """A new site folder beside the output, filled file by file and swapped in at once by
    commit(); without commit, removed."""

    def _check(self) -> None:
        _check_replaceable(self.out)

    def put(self, rel: str, data: bytes) -> bool:
        """Write one file: a hard link to the previous site's file if its bytes are the same
        (it keeps its modification time), else a new file. True if new."""
        target, previous = self._target(rel), os.path.join(self.out, rel)
        if _same(previous, data):
            try:
                os.link(previous, target)
            except OSError:
                shutil.copy2(previous, target)
            return False
        self._write(rel, data)
        return True

    def put_all(self, files: dict[str, bytes]) -> int:
        """Every file of `files`, on WRITERS threads: the number of new ones."""
        pool = ThreadPoolExecutor(WRITERS)
        try:
            return sum(pool.map(lambda rel: self.put(rel, files[rel]), sorted(files)))
        finally:   # interrupted: what is not started is not written (__exit__ removes the folder)
            pool.shutdown(wait=True, cancel_futures=True)

    def commit(self) -> None:
        """Swap the new folder in for the output. Once it is in, nothing can fail the build:
        the previous site is removed if it can be, else by the next build (_recover)."""
        fresh, out = self.fresh, self.out
        os.chmod(fresh, 0o755)
        if not out.exists():
            os.rename(fresh, out)
        elif _exchange(fresh, out):
            self.fresh = None
            shutil.rmtree(fresh, ignore_errors=True)      # now holds the previous site
        else:
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            os.rename(out, old)
            try:
                os.rename(fresh, out)
            except OSError as exc:
                try:
                    os.rename(old, out)
                except OSError:         # the next build does it (_recover)
                    raise Unfinished(exc.errno, exc.strerror, exc.filename) from exc
                raise
            shutil.rmtree(old, ignore_errors=True)
        self.fresh = None


class Patch(_BesideOutput):
    """Changes to a site in place, all at once or not at all. `put` writes a file whose bytes
    are new into a folder beside the output; `commit(removed)` moves them in, and removes the
    files of `removed`, keeping every file it replaces or removes in an undo folder (with a
    journal of what it does) until all is done."""

    def __init__(self, out: Path):
        super().__init__(out)
        self.changed: list[str] = []     # what commit() wrote or removed

    def _check(self) -> None:
        if not built_by_dateline(self.out):
            raise OutputError(f"{self.out} is not a site dateline built; run a full build")

    def put(self, rel: str, data: bytes) -> bool:
        """Stage one file unless the site has it with these bytes already. True if new."""
        if _same(os.path.join(self.out, rel), data):
            return False
        self._write(rel, data)
        return True

    def commit(self, removed: list[str] = ()) -> None:
        """Move the staged files in and remove `removed`, as one change: see _undo."""
        fresh, out = self.fresh, self.out
        staged = sorted(path[len(str(fresh)) + 1:].replace(os.sep, "/")
                        for folder, _, names in os.walk(fresh) for path in
                        (os.path.join(folder, name) for name in names))
        removed = sorted(rel for rel in set(removed) if os.path.lexists(out / rel) and rel not in staged)
        self.changed = staged + removed
        if not staged and not removed:
            return
        undo = Path(tempfile.mkdtemp(prefix=f".{out.name}.undo-", dir=out.parent))
        lines = [f"{'R' if os.path.lexists(out / rel) else 'C'} {rel}" for rel in staged]
        lines += [f"D {rel}" for rel in removed]
        try:
            _write_whole(undo / JOURNAL, ("\n".join(lines) + "\n").encode("utf-8"))
            for rel in staged:
                target = out / rel
                if os.path.lexists(target):
                    (undo / rel).parent.mkdir(parents=True, exist_ok=True)
                    os.link(target, undo / rel)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                os.chmod(fresh / rel, 0o644)
                os.replace(fresh / rel, target)
            for rel in removed:
                (undo / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(out / rel, undo / rel)
                _prune(out, (out / rel).parent)
            (undo / DONE).touch()
        except BaseException as exc:
            try:   # put the site back now; if that fails too, the next build does (_recover)
                _undo(out, undo)
            except OSError:
                if isinstance(exc, OSError):
                    raise Unfinished(exc.errno, exc.strerror, exc.filename) from exc
            raise
        _remove_journal_then(undo)


def _remove_journal_then(undo: Path) -> None:
    """Remove a finished patch's undo folder, its journal first: a folder left with its
    journal but without its `.done` would have the next build undo the finished patch."""
    try:
        os.unlink(undo / JOURNAL)
    except FileNotFoundError:
        pass
    except OSError:
        return     # the next build undoes the moves again (each undone already is skipped), or, if all
                   # were done, only removes the folder

    shutil.rmtree(undo, ignore_errors=True)


def _write_whole(path: Path, data: bytes) -> None:
    """A file that is either whole or absent: written beside, then renamed."""
    temporary = path.with_name(path.name + ".part")
    write_file(temporary, data)
    os.replace(temporary, path)


def write_file(path, data: bytes) -> None:
    """Write a file; a write or close that fails (a full disk) names it, as the system does not."""
    try:
        with open(path, "wb") as stream:
            stream.write(data)
    except OSError as exc:
        if exc.filename is None:
            exc.filename = os.fspath(path)
        raise


def write_site(files: dict[str, bytes], out: Path) -> WriteStats:
    with Staging(out) as staging:
        written = staging.put_all(files)
        staging.commit()
    return WriteStats(written, len(files) - written)


def write_in_place(changes: dict[str, bytes | None], out: Path) -> int:
    """`serve` after an edit: write the files whose bytes changed (None: remove the file) straight
    into the output folder, each one atomically (a temporary file renamed over it), so that the
    page an editor is looking at is on disk at once. The site as a whole is not swapped in at
    once as by write_site: a build killed here leaves some files new and some old, which the
    next build mends (its cache sees the output changed). The number of files written."""
    out = out.absolute()
    with build_lock(out):
        if not built_by_dateline(out):
            raise OutputError(f"{out} is not a site dateline built; run a build first")
        written = 0
        for rel, data in sorted(changes.items(), key=lambda item: item[0]):
            target = out / rel
            if data is None:
                target.unlink(missing_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".new-", dir=target.parent)
            try:
                try:
                    with os.fdopen(handle, "wb") as stream:
                        stream.write(data)
                except OSError as exc:
                    exc.filename = exc.filename or temporary
                    raise
                os.chmod(temporary, 0o644)
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            written += 1
    return written
