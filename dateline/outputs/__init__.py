"""Outputs beyond the HTML pages: maps (drawn into pages) and the data exports."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

from ..config import Config
from ..model import Timeline
from . import feeds, geo, ics, sitemap, table, timelinejs


def exports(config: Config, timeline: Timeline, bodies: dict[str, str],
            pages: Mapping[str, bytes] | None = None) -> dict[str, bytes]:
    """Every data export as {output path: bytes}: feed.xml, feed.json (feeds.py), events.ics
    (ics.py), events.geojson (geo.py), events.csv and reports.csv (table.py), timeline.json
    (timelinejs.py); with the rendered `pages` also sitemap.xml (when base_url has a host) and
    robots.txt (sitemap.py), which list the HTML pages among them. No I/O, no clock, no network:
    the same model gives the same bytes."""
    files: dict[str, bytes] = {}
    for job in export_jobs(config, timeline, bodies):
        files.update(job())
    if pages is not None:
        files.update(sitemap.sitemap(config, pages))
    return files


def export_jobs(config: Config, timeline: Timeline, bodies: dict[str, str]) -> list[Callable[[], dict]]:
    """The exports but the sitemap, as independent jobs (each gives {path: bytes}), in order."""
    return [
        partial(feeds.feeds, config, timeline, bodies),
        lambda: {"events.ics": ics.calendar(config, timeline)},
        lambda: {"events.geojson": geo.geojson(config, timeline)},
        partial(table.tables, config, timeline),
        lambda: {"timeline.json": timelinejs.timelinejs(config, timeline)},
    ]


__all__ = ["exports", "export_jobs"]
