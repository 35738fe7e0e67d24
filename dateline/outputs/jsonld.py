"""JSON-LD for event pages: a schema.org ``Event`` in ``<script type="application/ld+json">``.

The template calls ``jsonld(e)`` (a global of the Renderer), which returns the JSON ready to sit
between the script tags: every ``<`` is written ``\\u003c``, so no ``</script>`` or ``<!--`` in a
title or summary can end or disturb the element (JSON readers decode it back).

What is said: ``name``, ``description`` (the summary), ``startDate`` / ``endDate`` to their own
precision (``2024``, ``2024-01``, ``2024-01-16``; ISO 8601 allows reduced precision, and a local
time is added as ``2024-01-29T21:00`` without a zone, as written), ``location`` (a ``Place`` with
``geo`` ``GeoCoordinates`` and ``address`` ``PostalAddress.addressCountry`` when the country is
known), ``url`` (only when base_url has a host, like the canonical link), ``keywords`` (the tags), ``superEvent`` for a sub-event (the parent's name and
url), and the sources as ``citation``: ``CreativeWork`` with ``name``, ``publisher``
(``Organization``), ``author`` (``Person``) when known, ``datePublished`` (to its precision),
``url`` when known and ``archivedAt`` (the archived copy's address) when there is one. Each of the entry's ``corrections`` is a ``correction``: a
``CorrectionComment`` with its ``datePublished`` and ``text`` (the Markdown as written), the
property schema.org gives a work for "a correction to a previous version"; ``dateModified`` is
the day of the latest correction or the ``updated`` date, when there is one. ``image`` is the
picture a shared link shows (the event's first image that is not sensitive, else its preview
card), an ``ImageObject`` with its ``width`` and ``height``, when base_url has a host.
"""

from __future__ import annotations

import json

from markupsafe import Markup

from ..config import Config
from ..model import Event, Source
from ..views import datetime_attr
from .feeds import clean, event_path, revised


def _citation(source: Source) -> dict:
    work = {"@type": "CreativeWork", "name": clean(source.title),
            "publisher": {"@type": "Organization", "name": clean(source.publisher)}}
    if source.author:
        work["author"] = {"@type": "Person", "name": clean(source.author)}
    work["datePublished"] = str(source.date)
    if source.url:
        work["url"] = source.url
    if source.archive_url:
        work["archivedAt"] = source.archive_url
    return work


def event_data(config: Config, event: Event, parent: Event | None = None, image: dict | None = None) -> dict:
    data: dict = {"@context": "https://schema.org", "@type": "Event", "name": clean(event.title)}
    if event.summary:
        data["description"] = clean(event.summary)
    data["startDate"] = datetime_attr(event)
    if event.end and event.end != event.date:
        data["endDate"] = str(event.end)
    if event.place:
        place = {"@type": "Place", "name": clean(event.place.name),
                 "geo": {"@type": "GeoCoordinates", "latitude": round(event.place.lat, 5),
                         "longitude": round(event.place.lon, 5)}}
        if event.place.country:
            place["address"] = {"@type": "PostalAddress", "addressCountry": clean(event.place.country)}
        data["location"] = place
    if config.absolute:
        data["url"] = config.absolute_url(event_path(event))
    if config.languages:   # a site in several languages: the language of this version's words
        data["inLanguage"] = event.fallback or config.language
    if event.tags:
        data["keywords"] = ", ".join(clean(t) for t in event.tags)
    if parent is not None:
        data["superEvent"] = {"@type": "Event", "name": clean(parent.title)}
        if config.absolute:
            data["superEvent"]["url"] = config.absolute_url(event_path(parent))
    if event.sources:
        data["citation"] = [_citation(s) for s in event.sources]
    if event.corrections:
        data["correction"] = [{"@type": "CorrectionComment", "datePublished": str(c.date), "text": clean(c.text)}
                              for c in event.corrections]
    if image is not None and config.absolute:
        data["image"] = {"@type": "ImageObject", "url": config.absolute_url(image["url"]),
                         "width": image["width"], "height": image["height"]}
    modified = revised(event)
    if modified:
        data["dateModified"] = str(modified)
    return data


def to_script(data: dict) -> str:
    """JSON for the inside of a <script> element: '<' escaped, so '</' cannot close it."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def script(config: Config, event: Event, parent: Event | None = None, image: dict | None = None) -> Markup:
    """The JSON-LD of an event page (`parent`: the event it is part of; `image`: its share
    image, pages.share_image), marked safe for the (autoescaping) template."""
    return Markup(to_script(event_data(config, event, parent, image)))


__all__ = ["script", "event_data", "to_script"]
