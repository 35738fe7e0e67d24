"""Counts in messages: "1 event", "2 events", "1,204 files"."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


__all__ = ["counted"]
