"""``events.geojson``: the events as an RFC 7946 FeatureCollection.

One Feature per published event, in timeline order. An event with a place is a Point at
``[longitude, latitude]`` (longitude first, as RFC 7946 requires; rounded to 5 decimals, about a
metre, which is already finer than any place precision the content allows). An event without a
place is still a Feature, with ``"geometry": null`` (RFC 7946 3.2: an "unlocated" feature), so
the file lists the whole timeline and a client can tell "no place" from "missing".

Properties: ``slug``, ``title``, ``date`` (always a full ISO day: the first day of what is known,
``2024-01-01`` for January 2024, so that GDAL and spreadsheets read the column as dates even
when one event is known only to its month), ``date_text`` (the date as the entry gives it, to
its precision: ``2024``, ``2024-01`` or ``2024-01-16``), ``date_precision`` (day, month, year),
``end`` (the last day of the span, a full ISO day, or null) and ``end_text`` (as written),
``time`` (local HH:MM or null), ``approximate``, ``url``, ``place`` (the name, or null),
``country``, ``place_precision`` (town, district, province, country), ``tags``, ``actors``,
``summary``.
"""

from __future__ import annotations

from . import jsontext

from ..config import Config
from ..model import Event, Timeline
from .feeds import clean, event_path


def _coordinate(value: float) -> float:
    rounded = round(value, 5)
    return 0.0 if rounded == 0 else rounded


def feature(config: Config, event: Event) -> dict:
    place = event.place
    geometry = None
    if place:
        geometry = {"type": "Point", "coordinates": [_coordinate(place.lon), _coordinate(place.lat)]}
    return {
        "type": "Feature",
        "id": event.slug,
        "geometry": geometry,
        "properties": {
            "slug": event.slug,
            "title": clean(event.title),
            "date": event.date.first_day().isoformat(),
            "date_text": str(event.date),
            "date_precision": event.date.precision,
            "end": event.end.last_day().isoformat() if event.end else None,
            "end_text": str(event.end) if event.end else None,
            "time": event.time,
            "time_approximate": event.time_approximate,
            "approximate": event.approximate,
            "url": config.export_url(event_path(event)),
            "place": clean(place.name) if place else None,
            "country": clean(place.country) if place and place.country else None,
            "place_precision": place.precision if place else None,
            "tags": [clean(t) for t in event.tags],
            "actors": [clean(a) for a in event.actors],
            "summary": clean(event.summary) if event.summary else None,
        },
    }


def feature_item(config: Config, event: Event, bodies: dict[str, str]) -> str:
    return jsontext.dumps(feature(config, event), 1, depth=2)


def geojson(config: Config, timeline: Timeline, features: dict[str, str]) -> bytes:
    """The collection, of each event's feature_item (by slug)."""
    collection = {"type": "FeatureCollection",
                  "features": [jsontext.Encoded(features[e.slug]) for e in timeline.events]}
    return (jsontext.dumps(collection, 1) + "\n").encode("utf-8")


__all__ = ["geojson", "feature"]
