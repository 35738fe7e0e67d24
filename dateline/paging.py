"""Long lists split into numbered pages, so that a page stays light however many events a list
holds (a tag on 3,000 events is 150 pages of 20, not one page of 3,000 cards).

A list's first page keeps the list's own address ("/tags/attack/"); page n is under it at
"page/n/" ("/tags/attack/page/2/"), as Hugo and most blogs do, so addresses stay stable as
long as the list does. Events are split by rows, as a list page shows them: an event with its
sub-events is one row, never cut across two pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import Event

# Page numbers shown around the current one in a pager; the first and last are always shown.
_WINDOW = 2


def page_url(first: str, number: int) -> str:
    """The address of page `number` of the list whose first page is at `first`."""
    return first if number == 1 else f"{first}page/{number}/"


def split_events(events: Sequence[Event], children: dict, size: int) -> list[tuple[str, ...]]:
    """The slugs on each page of a list of `events` (in timeline order), at most `size` a page
    unless one row alone is longer. `children`: the timeline's slug -> sub-event slugs."""
    chosen = {e.slug for e in events}

    def row(slug: str, into: list[str]) -> None:
        into.append(slug)
        for child in children.get(slug, ()):
            if child in chosen:
                row(child, into)

    pages: list[list[str]] = [[]]
    for event in events:
        if event.part_of and event.part_of in chosen:
            continue                               # listed under its parent, on its page
        members: list[str] = []
        row(event.slug, members)
        if pages[-1] and len(pages[-1]) + len(members) > size:
            pages.append([])
        pages[-1].extend(members)
    return [tuple(page) for page in pages]


def split_count(total: int, size: int) -> list[range]:
    """Positions 0..total-1 cut into pages of `size` (at least one page, maybe empty)."""
    return [range(start, min(total, start + size)) for start in range(0, total, size)] or [range(0)]


@dataclass(frozen=True)
class Pager:
    """Where a page is in its list: what templates draw the pager and rel links from."""
    number: int          # 1-based
    count: int           # pages in the list
    first: str           # the root path of the list's first page
    total: int           # items in the whole list

    @property
    def previous(self) -> str | None:
        return page_url(self.first, self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return page_url(self.first, self.number + 1) if self.number < self.count else None

    def links(self) -> list[tuple[int, str] | None]:
        """(number, url) of the pages a pager names, None where it skips some: the first, the
        last, and a few around this one."""
        shown = sorted({1, self.count, *range(max(1, self.number - _WINDOW),
                                               min(self.count, self.number + _WINDOW) + 1)})
        out: list[tuple[int, str] | None] = []
        for before, number in zip([0, *shown], shown):
            if before and number - before > 1:
                out.append(None)
            out.append((number, page_url(self.first, number)))
        return out


__all__ = ["Pager", "page_url", "split_events", "split_count"]
