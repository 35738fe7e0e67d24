"""The one typed model every stage shares. Immutable: stages build new values, never edit."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .dates import PartialDate

GROUPS = ("civilians", "security", "militants", "unspecified")
PRECISIONS = ("town", "district", "province", "country")


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float
    precision: str
    country: str | None = None


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    title: str
    date: PartialDate
    url: str | None = None
    author: str | None = None
    note: str | None = None
    archive_url: str | None = None       # a copy kept by an archive (Wayback Machine, archive.today)
    archived: PartialDate | None = None  # the day that copy was made


@dataclass(frozen=True)
class Counts:
    """Figures per group; a missing group was not reported (which is not the same as zero)."""
    civilians: int | None = None
    security: int | None = None
    militants: int | None = None
    unspecified: int | None = None

    def items(self) -> list[tuple[str, int]]:
        return [(g, getattr(self, g)) for g in GROUPS if getattr(self, g) is not None]

    def total(self) -> int | None:
        values = [n for _, n in self.items()]
        return sum(values) if values else None

    def __bool__(self) -> bool:
        return bool(self.items())


@dataclass(frozen=True)
class Report:
    as_of: PartialDate
    by: str
    source: str
    killed: Counts = Counts()
    injured: Counts = Counts()
    at_least: bool = False
    unverified: bool = False
    note: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Media:
    """An image the entry shows (`media:` in the front matter), with what a reader is told of it."""
    src: str                       # as written: a file beside the entry, or in content/media/
    alt: str                       # what the image shows, for readers who cannot see it
    caption: str | None = None
    credit: str | None = None
    licence: str | None = None
    sensitive: bool = False        # shown only when the reader opens it; never a preview image
    line: int = 0
    path: str = ""                 # the file, relative to the content folder (site.py resolves it)


@dataclass(frozen=True)
class Correction:
    """A dated note saying what an earlier version of the entry got wrong and what changed."""
    date: PartialDate
    text: str                      # Markdown, inline


class _Lines:
    """`line(*key path)`: where in its file a field was written (the `lines` map parse fills),
    or the nearest enclosing field's line, or 1."""

    def line(self, *path) -> int:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1


@dataclass(frozen=True)
class Translation(_Lines):
    """What an entry says in another language (content/<stem>.<lang>.md): its words only. The
    facts (dates, places, figures, sources, relations) are the canonical entry's."""
    lang: str
    path: str                      # the translation's file, relative to the content folder
    title: str
    body: str
    body_line: int
    summary: str | None = None
    place_name: str | None = None
    discrepancies: tuple[str, ...] = ()
    source_notes: tuple[tuple[str, str], ...] = ()   # (source id, note)
    report_notes: tuple[str | None, ...] = ()        # by position among the canonical reports
    lines: dict = field(default_factory=dict, compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class Event(_Lines):
    slug: str
    path: str                      # content file, relative to the content folder
    title: str
    date: PartialDate
    body: str                      # Markdown source
    body_line: int                 # line of the body's first line in the file
    time: str | None = None
    time_approximate: bool = False   # the sources give the time as "about"
    end: PartialDate | None = None
    approximate: bool = False
    order: int | None = None       # among events of the same day and time: lower first
    summary: str | None = None
    place: Place | None = None
    actors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    in_response_to: tuple[str, ...] = ()
    motive_sources: tuple[tuple[str, str], ...] = ()   # (cause slug, id of the source stating the motive)
    part_of: str | None = None
    related: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    reports: tuple[Report, ...] = ()
    discrepancies: tuple[str, ...] = ()
    corrections: tuple[Correction, ...] = ()
    media: tuple[Media, ...] = ()
    updated: PartialDate | None = None
    draft: bool = False
    aliases: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict, hash=False)   # the site's own fields, any YAML values
    lines: dict = field(default_factory=dict, compare=False, hash=False, repr=False)
    translations: tuple[Translation, ...] = ()
    # On a page in another language with no translation of it: the language its words are in
    # (the default's), for the "not yet translated" notice and the element's `lang`.
    fallback: str | None = None

    def translation(self, lang: str) -> Translation | None:
        return next((t for t in self.translations if t.lang == lang), None)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def motive_source(self, cause: str) -> Source | None:
        """The source this entry cites for why it answers `cause`, if it cites one."""
        return next((self.source(sid) for slug, sid in self.motive_sources if slug == cause), None)


@dataclass(frozen=True)
class Page(_Lines):
    slug: str
    path: str
    title: str
    body: str
    body_line: int
    summary: str | None = None
    draft: bool = False
    aliases: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict, hash=False)   # as Event.extra
    lines: dict = field(default_factory=dict, compare=False, hash=False, repr=False)   # as Event.lines
    translations: tuple[Translation, ...] = ()                   # as Event's
    fallback: str | None = None

    def translation(self, lang: str) -> Translation | None:
        return next((t for t in self.translations if t.lang == lang), None)


@dataclass(frozen=True)
class Era:
    slug: str
    title: str
    start: PartialDate
    end: PartialDate
    summary: str | None = None
    fallback: str | None = None    # on a page in another language: the language of its words


@dataclass(frozen=True)
class Term:
    """A tag, actor or place name, with the events that carry it (in timeline order)."""
    kind: str                      # "tags" | "actors" | "places"
    name: str
    slug: str
    events: tuple[str, ...]


@dataclass(frozen=True)
class Timeline:
    events: tuple[Event, ...]                  # published events in timeline order
    pages: tuple[Page, ...]
    eras: tuple[Era, ...]
    led_to: dict                               # slug -> tuple of slugs that answer it
    children: dict                             # slug -> tuple of sub-event slugs
    terms: dict                                # kind -> tuple[Term, ...] sorted by name
    drafts: frozenset = frozenset()            # content paths of unpublished entries

    def event(self, slug: str) -> Event:
        return self._by_slug[slug]

    def replacing(self, entries) -> "Timeline":
        """This timeline with new versions of some of its entries (Events and Pages, matched
        by slug; those it does not publish are left out), each where the old one was: serve,
        after an edit that changes no link and no place in the order (live.py). What the old
        one had looked up is carried over, not built again from every event."""
        positions = self._positions
        events, pages = list(self.events), {p.slug: p for p in entries if isinstance(p, Page)}
        index = dict(self._by_slug)
        for item in entries:
            if isinstance(item, Event) and item.slug in positions:
                events[positions[item.slug]] = index[item.slug] = item
        timeline = replace(self, events=tuple(events), pages=tuple(pages.get(p.slug, p) for p in self.pages))
        object.__setattr__(timeline, "_index", index)
        object.__setattr__(timeline, "_at", positions)
        return timeline

    @property
    def _positions(self) -> dict:
        return self._lookup("_at", lambda: {e.slug: i for i, e in enumerate(self.events)})

    @property
    def _by_slug(self) -> dict:
        return self._lookup("_index", lambda: {e.slug: e for e in self.events})

    def _lookup(self, name: str, build) -> dict:
        """A lookup table built from the events on first use, and kept (the instance is frozen)."""
        table = self.__dict__.get(name)
        if table is None:
            table = build()
            object.__setattr__(self, name, table)
        return table
