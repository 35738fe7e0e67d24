"""What a long build shows while it runs: a progress line on a terminal, nothing otherwise (a
pipe, a log file, CI). The one-line summary at the end is the command line's, always printed."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

SHOW_AFTER = 1000     # entries: smaller builds are over before a progress line would help


class Progress:
    """Stages of a build on one rewritten line of `stream` (stderr, so stdout stays the summary)."""

    WIDTH = 30

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.started = time.perf_counter()
        self.shown = False
        self.name, self.total, self.done_items = "", 0, 0

    @classmethod
    def for_terminal(cls, stream: TextIO | None = None) -> "Progress | None":
        """A Progress when stdout and `stream` are terminals and this is not CI; else None."""
        stream = stream or sys.stderr
        if os.environ.get("CI") or os.environ.get("DATELINE_QUIET"):
            return None
        try:
            if not (sys.stdout.isatty() and stream.isatty()):
                return None
        except (AttributeError, ValueError):
            return None
        return cls(stream)

    def stage(self, name: str, items: int) -> None:
        """A stage begins; `items`: how many entries it works on (0 when not counted)."""
        if not self.shown and items < SHOW_AFTER:
            return
        self.shown = True
        self.name, self.total, self.done_items = name, items, 0
        self._draw()

    def advance(self, n: int) -> None:
        self.done_items += n
        if self.shown:
            self._draw()

    def _draw(self) -> None:
        elapsed = time.perf_counter() - self.started
        if self.total:
            filled = self.WIDTH * min(self.done_items, self.total) // self.total
            bar = f" [{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.done_items:,}/{self.total:,}"
        else:
            bar = "…"
        self.stream.write(f"\r\033[K{self.name}{bar} {elapsed:.1f} s")
        self.stream.flush()

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
