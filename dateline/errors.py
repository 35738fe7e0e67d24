"""Content errors are values: collected across a whole run, printed as `path:line: message`."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class ContentError:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def error(path: Path | str, line: int, message: str) -> ContentError:
    return ContentError(str(path), max(int(line), 1), message)


def closest(word: str, choices) -> str | None:
    """The choice a near miss most likely meant ('dat' -> 'date'), or None."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices) -> str:
    """A hint for a near miss: " — did you mean 'date'?" or ""."""
    meant = closest(word, choices)
    return f" — did you mean '{meant}'?" if meant else ""


def shown(err: ContentError, content: Path) -> str:
    """`path:line: message` as the person at the terminal can open it: a content file's path
    (relative to the content folder) under that folder, any other file (a template) relative to
    the current folder."""
    path = Path(err.path) if os.path.isabs(err.path) else Path(content) / err.path
    try:
        where = os.path.relpath(path)
    except ValueError:   # another drive (Windows)
        where = str(path)
    return f"{where}:{err.line}: {err.message}"


def disk_failure(exc: OSError) -> str:
    """"No space left on device: site/events/index.html": what failed on the disk, and on which
    file (relative to the current folder when it is below it), for `build` and `serve` alike."""
    what = exc.strerror or str(exc)
    if not exc.filename:
        return what
    path = os.path.abspath(os.fsdecode(exc.filename))
    relative = os.path.relpath(path)
    return f"{what}: {path if relative.startswith('..') else relative}"
