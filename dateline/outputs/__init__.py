"""The data exports: each file of routes.EXPORTS made by one function of the model. No I/O, no
clock, no network: the same model gives the same bytes. sitemap.xml and robots.txt (sitemap.py)
list the rendered pages, so they come after them (pipeline.py)."""

from __future__ import annotations

from collections.abc import Callable

from ..config import Config
from ..model import Timeline
from . import feeds, geo, ics, table, timelinejs

EXPORTERS: dict[str, Callable[[Config, Timeline, dict[str, str]], bytes]] = {
    "feed.xml": feeds.atom,
    "feed.json": feeds.json_feed,
    "events.ics": lambda config, timeline, bodies: ics.calendar(config, timeline),
    "events.geojson": lambda config, timeline, bodies: geo.geojson(config, timeline),
    "events.csv": lambda config, timeline, bodies: table.events_csv(config, timeline),
    "reports.csv": lambda config, timeline, bodies: table.reports_csv(config, timeline),
    "timeline.json": lambda config, timeline, bodies: timelinejs.timelinejs(config, timeline),
}


def export(name: str, config: Config, timeline: Timeline, bodies: dict[str, str]) -> bytes:
    """The bytes of export file `name` (a key of EXPORTERS)."""
    return EXPORTERS[name](config, timeline, bodies)


__all__ = ["EXPORTERS", "export"]
