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


def export(name: str, config: Config, timeline: Timeline, bodies: dict[str, str],
           keys: dict[str, str], kept: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """The bytes of export file `name`, and its pieces by key. `keys`: each event's key (slug
    -> a digest of what its pieces are made of); `kept`: pieces made before, by key, used
    where an event's key is there."""
    piece, document = EXPORTERS[name]
    made = {}
    for event in timeline.events:
        key = keys[event.slug]
        made[key] = kept[key] if key in kept else piece(config, event, bodies)
    return document(config, timeline, {e.slug: made[keys[e.slug]] for e in timeline.events}), made


__all__ = ["EXPORTERS", "export"]
