"""The data exports: each file of routes.EXPORTS is a document made of one piece of text per
event (an Atom entry, a JSON Feed item, a VEVENT, a GeoJSON feature, CSV rows, a TimelineJS
slide). A piece depends on its event alone (and its body, and the configuration), so a build
after an edit makes the edited events' pieces and joins the others' from the build cache.
No I/O, no clock, no network: the same model gives the same bytes. sitemap.xml and robots.txt
(sitemap.py) list the rendered pages, so they come after them (pipeline.after_pages)."""

from __future__ import annotations

from collections.abc import Callable

from ..config import Config
from ..model import Event, Timeline
from . import feeds, geo, ics, table, timelinejs

Piece = Callable[[Config, Event, dict[str, str]], str]
Document = Callable[[Config, Timeline, dict[str, str]], bytes]

EXPORTERS: dict[str, tuple[Piece, Document]] = {
    "feed.xml": (feeds.atom_entry, feeds.atom),
    "feed.json": (feeds.json_feed_item, feeds.json_feed),
    "events.ics": (ics.vevent_item, ics.calendar),
    "events.geojson": (geo.feature_item, geo.geojson),
    "events.csv": (table.event_row, table.events_csv),
    "reports.csv": (table.report_rows, table.reports_csv),
    "timeline.json": (timelinejs.slide_item, timelinejs.timelinejs),
}


def pieces(config: Config, event: Event, bodies: dict[str, str]) -> tuple[str, ...]:
    """Every export's piece for one event, in the order of EXPORTERS."""
    return tuple(piece(config, event, bodies) for piece, _ in EXPORTERS.values())


def export(name: str, config: Config, timeline: Timeline, pieces_by_slug: dict[str, tuple[str, ...]]) -> bytes:
    """The bytes of export file `name`, of every event's pieces (by slug, as `pieces` gives them)."""
    index = list(EXPORTERS).index(name)
    return EXPORTERS[name][1](config, timeline, {slug: p[index] for slug, p in pieces_by_slug.items()})


__all__ = ["EXPORTERS", "export", "pieces"]
