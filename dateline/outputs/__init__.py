"""Outputs beyond the HTML pages: maps (drawn into pages) and the data exports."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from ..config import Config
from ..model import Timeline
from . import feeds, geo, ics, table, timelinejs


def export_jobs(config: Config, timeline: Timeline, bodies: dict[str, str]) -> list[Callable[[], dict]]:
    """Every data export as an independent job giving {output path: bytes}, in order: feed.xml,
    feed.json (feeds.py), events.ics (ics.py), events.geojson (geo.py), events.csv and reports.csv
    (table.py), timeline.json (timelinejs.py). sitemap.xml and robots.txt (sitemap.py) list the
    rendered pages, so they come after them (render.complete). No I/O, no clock, no network: the
    same model gives the same bytes."""
    return [
        lambda: {"feed.xml": feeds.atom(config, timeline, bodies)},      # apart: two cores can
        lambda: {"feed.json": feeds.json_feed(config, timeline, bodies)},   # share them
        lambda: {"events.ics": ics.calendar(config, timeline)},
        lambda: {"events.geojson": geo.geojson(config, timeline)},
        partial(table.tables, config, timeline),
        lambda: {"timeline.json": timelinejs.timelinejs(config, timeline)},
    ]


__all__ = ["export_jobs"]
