"""``events.ics``: every published event as a VEVENT of one iCalendar file (RFC 5545).

Written by hand (the format is small): CRLF line ends, lines folded at 75 octets without
splitting a UTF-8 character, TEXT values escaped (backslash, semicolon, comma, newline).

Dates keep their precision
--------------------------
* A day (``2024-01-16``) is an all-day event: ``DTSTART;VALUE=DATE:20240116`` and
  ``DTEND;VALUE=DATE:20240117`` (DTEND is exclusive). With ``end``, DTEND is the day after it.
* A month (``2024-01``) spans the whole month, a year the whole year; the DESCRIPTION says
  "Date known to the month." / "Date known to the year." so a calendar's block is not read as
  "happened all month". An ``end`` that is itself partial extends to its last day.
* An event with a ``time`` starts at that local time as a *floating* DATE-TIME (no time zone:
  the content gives local times without zones, and a floating time shows as written wherever
  the calendar is opened). It lasts one hour (``DURATION:PT1H``), or, with an ``end``, until the
  end of its end day (``DTEND`` at 00:00 of the following day).
* ``approximate: true`` adds "Date approximate." to the DESCRIPTION.

Stable values
-------------
* ``UID`` is ``<slug>@<host of base_url>`` (``<slug>@dateline`` without a host).
* ``DTSTAMP`` comes from the content, not the clock: the newest date the event carries (its date,
  end, sources, reports) at 00:00 UTC. It changes only when the event's own dates change.
* ``URL`` (and the address in DESCRIPTION) only when base_url has a host: the property needs an
  absolute URI.
"""

from __future__ import annotations

import datetime as dt

from ..config import Config
from ..model import Event, Timeline
from .feeds import clean, event_dates, event_path, host

CRLF = "\r\n"
PRODID = "-//dateline//dateline timeline export//EN"


def escape_text(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped."""
    text = clean(text).replace("\r\n", "\n").replace("\r", "\n")
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1): continuation lines start with a space,
    and no UTF-8 character is split. Cut in the encoded bytes, each piece as long as it can be:
    a character at a time, folding took most of the calendar's time."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    pieces, start, room = [], 0, 75
    while len(data) - start > room:
        end = start + room
        while data[end] & 0xC0 == 0x80:   # a continuation byte: the character starts before
            end -= 1
        pieces.append(data[start:end].decode("utf-8"))
        start, room = end, 74                 # after the space that starts a continuation line
    pieces.append(data[start:].decode("utf-8"))
    return (CRLF + " ").join(pieces)


def _date(day: dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"   # strftime writes the year 1 as "1"


def _day_after(day: dt.date) -> dt.date | None:
    """iCalendar's exclusive end; none after 9999-12-31 (10000-01-01 cannot be written)."""
    return None if day == dt.date.max else day + dt.timedelta(days=1)


def _number(value: float) -> str:
    text = f"{round(value, 5):.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _timing(event: Event) -> list[str]:
    after = _day_after((event.end or event.date).last_day())
    if event.time and event.date.precision == "day":
        hours, minutes = event.time.split(":")
        start = f"{_date(event.date.first_day())}T{hours}{minutes}00"
        if event.end and after:
            return [f"DTSTART:{start}", f"DTEND:{_date(after)}T000000"]
        return [f"DTSTART:{start}", "DURATION:PT1H"]
    start = f"DTSTART;VALUE=DATE:{_date(event.date.first_day())}"
    return [start, f"DTEND;VALUE=DATE:{_date(after)}"] if after else [start]


def _description(config: Config, event: Event) -> str:
    parts = []
    if event.summary:
        parts.append(event.summary)
    notes = []
    if event.date.precision != "day":
        notes.append(f"Date known to the {event.date.precision}.")
    if event.approximate:
        notes.append("Date approximate.")
    if event.time and event.time_approximate:
        notes.append("Time approximate.")
    if notes:
        parts.append(" ".join(notes))
    if config.absolute:
        parts.append(config.absolute_url(event_path(event)))
    return "\n\n".join(parts)


def _location(event: Event) -> str:
    place = event.place
    if place.country and place.country not in place.name:
        return f"{place.name}, {place.country}"
    return place.name


def vevent(config: Config, event: Event, domain: str) -> list[str]:
    lines = ["BEGIN:VEVENT",
             f"UID:{escape_text(event.slug)}@{domain}",
             f"DTSTAMP:{_date(max(event_dates(event)))}T000000Z",
             *_timing(event),
             f"SUMMARY:{escape_text(event.title)}"]
    description = _description(config, event)
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if event.place:
        lines.append(f"LOCATION:{escape_text(_location(event))}")
        lines.append(f"GEO:{_number(event.place.lat)};{_number(event.place.lon)}")
    if event.tags:
        lines.append("CATEGORIES:" + ",".join(escape_text(t) for t in event.tags))
    if config.absolute:
        lines.append(f"URL:{config.absolute_url(event_path(event))}")
    lines.append("TRANSP:TRANSPARENT")
    lines.append("END:VEVENT")
    return lines


def vevent_item(config: Config, event: Event, bodies: dict[str, str]) -> str:
    """One event's VEVENT, folded, each line ended."""
    return "".join(fold(line) + CRLF for line in vevent(config, event, host(config) or "dateline"))


def calendar(config: Config, timeline: Timeline, vevents: dict[str, str]) -> bytes:
    """The calendar, of each event's vevent_item (by slug)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"NAME:{escape_text(config.title)}",
             f"X-WR-CALNAME:{escape_text(config.title)}"]
    if config.description:
        lines.append(f"X-WR-CALDESC:{escape_text(config.description)}")
    head = "".join(fold(line) + CRLF for line in lines)
    return "".join([head, *(vevents[e.slug] for e in timeline.events), "END:VCALENDAR" + CRLF]).encode("utf-8")


__all__ = ["calendar", "escape_text", "fold"]
