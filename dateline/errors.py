"""Content errors are values: collected across a whole run, printed as `path:line: message`."""

from __future__ import annotations

import difflib
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


def did_you_mean(word: str, choices) -> str:
    """A hint for a near miss: " — did you mean 'date'?" or ""."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" — did you mean '{close[0]}'?" if close else ""
