"""Outputs beyond the HTML pages: maps (drawn into pages) and the data exports."""

from __future__ import annotations

from collections.abc import Mapping

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
    files.update(feeds.feeds(config, timeline, bodies))
    files["events.ics"] = ics.calendar(config, timeline)
    files["events.geojson"] = geo.geojson(config, timeline)
    files.update(table.tables(config, timeline))
    files["timeline.json"] = timelinejs.timelinejs(config, timeline)
    if pages is not None:
        files.update(sitemap.sitemap(config, pages))
    return files


__all__ = ["exports"]
