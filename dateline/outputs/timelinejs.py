"""``timeline.json``: the timeline in Knight Lab's TimelineJS 3 JSON format
(https://timeline.knightlab.com/docs/json-format.html), to load with
``new TL.Timeline(id, "timeline.json")``.

* ``title``: a slide with the site's title and description.
* ``events``: one slide per published event, in timeline order. Date objects carry only what is
  known: ``{"year": 2024}`` for a year, ``{"year": 2024, "month": 1}`` for a month, the day for a
  day, and ``hour``/``minute`` for an event with a local time (TimelineJS draws it as written).
  ``end_date`` comes from ``end``. ``display_date`` is the date as the site writes it
  ("29–30 January 2024", "c. January 2024"), so TimelineJS never shows a made-up first day.
  ``text.headline`` is the title and ``text.text`` the summary, the place and a link to the
  event's page (both HTML, escaped). ``group`` is the event's first tag (TimelineJS puts a group
  on its own row); ``unique_id`` is the slug, so ``#event-<slug>`` bookmarks stay stable.
  ``autolink`` is off: the text carries its own link. There is no location field in the
  TimelineJS format (that is StoryMapJS); the place is named in the text instead.
* ``eras``: the timeline's eras, with their titles.
"""

from __future__ import annotations

from . import jsontext
from html import escape as _escape

from ..config import Config
from ..dates import PartialDate
from ..model import Event, Timeline
from ..views import event_date
from .feeds import clean, event_path


def escape(text: str) -> str:
    """Text for TimelineJS's HTML fields."""
    return _escape(clean(text), quote=False)


def date_object(date: PartialDate, time: str | None = None) -> dict:
    value = {"year": date.year}
    if date.month:
        value["month"] = date.month
    if date.day:
        value["day"] = date.day
        if time:
            hours, minutes = time.split(":")
            value["hour"], value["minute"] = int(hours), int(minutes)
    return value


def slide(config: Config, event: Event) -> dict:
    text = []
    if event.summary:
        text.append(f"<p>{escape(event.summary)}</p>")
    if event.place:
        text.append(f"<p>{escape(event.place.name)}</p>")
    text.append(f'<p><a href="{_escape(config.export_url(event_path(event)))}">Read more</a></p>')
    value = {"start_date": date_object(event.date, event.time)}
    if event.end and event.end != event.date:
        value["end_date"] = date_object(event.end)
    value["display_date"] = event_date(event)
    value["text"] = {"headline": escape(event.title), "text": "".join(text)}
    if event.tags:
        value["group"] = clean(event.tags[0])
    value["unique_id"] = event.slug
    value["autolink"] = False
    return value


def slide_item(config: Config, event: Event, bodies: dict[str, str]) -> str:
    return jsontext.dumps(slide(config, event), 1, depth=2)


def timelinejs(config: Config, timeline: Timeline, slides: dict[str, str]) -> bytes:
    """The TimelineJS document, of each event's slide_item (by slug)."""
    data = {
        "title": {"text": {"headline": escape(config.title),
                           "text": f"<p>{escape(config.description)}</p>" if config.description else ""}},
        "events": [jsontext.Encoded(slides[e.slug]) for e in timeline.events],
        "eras": [{"start_date": date_object(era.start), "end_date": date_object(era.end),
                  "text": {"headline": escape(era.title)}} for era in timeline.eras],
        "scale": "human",
    }
    return (jsontext.dumps(data, 1) + "\n").encode("utf-8")


__all__ = ["timelinejs", "date_object", "slide"]
