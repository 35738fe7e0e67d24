"""Faults on the disk, injected into this process: every change a build makes to the file system
(a file created, written or closed, a folder made, a rename, an exchange, a link, a removal, a
change of mode or time) is counted, and the n-th fails with the errno asked for, as a full disk
(ENOSPC), a refused permission (EACCES), a failing disk (EIO) or a read-only one (EROFS) would
make it fail. With `kill_at`, the n-th change kills the process instead (SIGKILL, as `kill -9`):
for a build run as a separate process (`python tests/faults.py N ARGS...`).

Reads can fail too (`reads_under`): every file opened for reading under that folder, e.g. the
build cache, fails.

Not a mock of the build: the real build runs on the real disk, and only the call chosen fails,
raising what the operating system would raise: with the path it was given, or, for a write, flush
or close on an open file, with none, as the system's errors have none."""

from __future__ import annotations

import builtins
import errno
import io
import os
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

KINDS = {errno.ENOSPC: "ENOSPC", errno.EACCES: "EACCES", errno.EIO: "EIO", errno.EROFS: "EROFS"}

_PATH_CALLS = ("mkdir", "rmdir", "unlink", "remove", "chmod", "utime", "truncate")
_TWO_PATH_CALLS = ("rename", "replace", "link", "symlink")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


class Disk:
    """Count (and fail, or kill at) the changes made to the file system while it is active.
    `log` holds every change seen, as (call, path)."""

    def __init__(self, fail_at: int | set[int] | None = None, code: int = errno.EIO, kill_at: int | None = None,
                 reads_under: Path | None = None, counting_from: tuple[tuple[str, ...], str] | None = None):
        self.fail_at = {fail_at} if isinstance(fail_at, int) else set(fail_at or ())
        self.code, self.kill_at = code, kill_at
        self.reads_under = str(reads_under) + os.sep if reads_under is not None else None
        # (calls, path prefix): changes are numbered from the first of these calls on such a path
        self.counting_from = counting_from
        self.log: list[tuple[str, str]] = []
        self.failed: tuple[str, str] | None = None   # the (first) change that was made to fail
        self._counted = 0
        self._lock = threading.Lock()

    def change(self, call: str, path) -> None:
        """One change about to be made: fail it, or kill the process, if it is the one asked for."""
        shown = os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike)) else f"fd {path}"
        with self._lock:
            self.log.append((call, shown))
            if self._counted or self.counting_from is None or (
                    call in self.counting_from[0] and shown.startswith(self.counting_from[1])):
                self._counted += 1
            n = self._counted
        if n and n == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        if n in self.fail_at:
            self.failed = self.failed or (call, shown)
            if call in ("write", "flush", "close"):   # on an open file: the system names no file
                raise OSError(self.code, os.strerror(self.code))
            raise OSError(self.code, os.strerror(self.code), shown)

    def read(self, path) -> None:
        if self.reads_under and isinstance(path, (str, os.PathLike)) \
                and os.path.abspath(os.fspath(path)).startswith(self.reads_under):
            raise OSError(self.code, os.strerror(self.code), os.fspath(path))

    @contextmanager
    def active(self):
        """Every call below replaced, in the modules that make them (os, builtins, io,
        the writer's exchange), for as long as the block runs."""
        from dateline import write
        real = {name: getattr(os, name) for name in (*_PATH_CALLS, *_TWO_PATH_CALLS, "open")}
        real_open, real_exchange = builtins.open, write._exchange
        disk = self

        def one_path(name):
            def call(path, *args, **kwargs):
                disk.change(name, path)
                return real[name](path, *args, **kwargs)
            return call

        def two_paths(name):
            def call(src, dst, *args, **kwargs):
                disk.change(name, dst)
                return real[name](src, dst, *args, **kwargs)
            return call

        def os_open(path, flags, *args, **kwargs):
            if flags & _WRITE_FLAGS and path != os.devnull:   # /dev/null: a child's stdin, no disk
                disk.change("open", path)
            else:
                disk.read(path)
            return real["open"](path, flags, *args, **kwargs)

        def open_(file, mode="r", *args, **kwargs):
            if not _writes(mode):
                disk.read(file)
                return real_open(file, mode, *args, **kwargs)
            if not isinstance(file, int):   # a descriptor (os.fdopen): made by os.open, counted there
                disk.change("open", file)
            return _Writes(real_open(file, mode, *args, **kwargs), disk, _name(file))

        def exchange(a, b):
            disk.change("exchange", b)
            return real_exchange(a, b)

        replaced = [(os, name, one_path(name)) for name in _PATH_CALLS]
        replaced += [(os, name, two_paths(name)) for name in _TWO_PATH_CALLS]
        replaced += [(os, "open", os_open), (builtins, "open", open_),
                     (io, "open", open_), (write, "_exchange", exchange)]
        saved = [(module, name, getattr(module, name)) for module, name, _ in replaced]
        for module, name, function in replaced:
            setattr(module, name, function)
        try:
            yield self
        finally:
            for module, name, function in saved:
                setattr(module, name, function)


def _name(file):
    """The path of a file, or of the file a descriptor is open on (for the error's message)."""
    if isinstance(file, int):
        try:
            return os.readlink(f"/proc/self/fd/{file}")
        except OSError:
            return f"fd {file}"
    return file


def _writes(mode: str) -> bool:
    return any(c in mode for c in "wax+")


class _Writes:
    """A file open for writing whose every write, flush and close is a change that can fail."""

    def __init__(self, stream, disk: Disk, path):
        self._stream, self._disk, self._path = stream, disk, path

    def write(self, data):
        self._disk.change("write", self._path)
        return self._stream.write(data)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        self._disk.change("flush", self._path)
        return self._stream.flush()

    def close(self):
        if self._stream.closed:
            return None
        try:
            self._disk.change("close", self._path)
        except OSError:
            self._stream.close()    # a failed close still releases the descriptor, as close(2) does
            raise
        return self._stream.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __iter__(self):
        return iter(self._stream)

    def __getattr__(self, name):
        return getattr(self._stream, name)


if __name__ == "__main__":
    # python tests/faults.py KILL_AT CALLS PREFIX build.py-arguments...: a build killed at its
    # KILL_AT-th change, counted from the first of CALLS (comma-separated) on a path under PREFIX
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from dateline import cli, write as _write
    _write.WRITERS = 1
    if os.environ.get("FAULTS_NO_EXCHANGE"):   # a file system without renameat2's exchange
        _write._exchange = lambda a, b: False
    kill_at, calls, prefix = int(sys.argv[1]), tuple(sys.argv[2].split(",")), sys.argv[3]
    with Disk(kill_at=kill_at, counting_from=(calls, prefix)).active():
        code = cli.main(sys.argv[4:])
    sys.exit(code)
