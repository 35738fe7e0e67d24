"""``events.csv`` and ``reports.csv``: the timeline as spreadsheet tables.

Both are UTF-8 (no byte-order mark), with a header row, RFC 4180 quoting and CRLF row ends.
Missing values are empty cells (a group nobody reported is not zero).

Spreadsheet formula injection is neutralised: a cell whose text starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading ``'`` (so ``=HYPERLINK(...)`` is shown as text),
except a real number such as ``-12.5``.

events.csv: one row per published event, ACLED-style columns
--------------------------------------------------------------
``event_id`` (the slug), ``title``, ``event_date`` (always a full ISO day, ``2024-01-16``: the first
day of what is known, so a month-precision event's is ``2024-01-01``, as ACLED writes a date
with a precision code beside it; one event known only to its month would otherwise turn the
whole column into text in spreadsheets and GDAL), ``time_precision`` (ACLED's codes: 1 the day
is known; 2 within a few days: an event with an ``end``, or an approximate day; 3 a month or
coarser), ``event_type`` (from the tags, see ``EVENT_TYPES``), ``actor1``, ``actor2`` (the first
two actors), ``location``, ``country``, ``latitude``, ``longitude``, ``geo_precision`` (ACLED's
codes: 1 town, 2 district, 3 province or country), ``source`` (the publishers, in order, joined
with "; "), ``fatalities``, ``notes`` (the summary), ``url``, then ``date_text`` (the date as the
entry gives it, to its own precision: ``2024-01-16``, ``2024-01`` or ``2024``) and
``date_precision`` (day, month or year).

``fatalities`` is the most conservative reported total: the smallest number killed among the
event's reports that count the whole event, leaving out unverified claims; empty when no report
qualifies. A report's total is the sum of the groups it gives, and it counts the whole event
when it gives an ``unspecified`` figure (a headcount not split by group) or a figure for every
group that any of the event's confirmed reports counts. A report of some groups only (an
interior minister's 10 security personnel, on a day whose other reports also count civilians
and attackers) is a partial count, not a total: the most conservative total is not the count
that looked at the fewest people.

event_type
----------
Derived from the tags conservatively: only a tag whose meaning fixes an ACLED event type counts
(``EVENT_TYPES``, compared case-insensitively, ACLED's own type names among them, as
``dateline import acled`` writes them); anything else adds nothing. If the mapped tags
point to one type, that is the type; a bombing that targets civilians (Explosions/Remote violence
and Violence against civilians) is Explosions/Remote violence, as ACLED codes it; any other mix
leaves the cell empty rather than guess. Broad tags such as "BLA attack", "counter-insurgency",
"sabotage", "prison attack", "diplomacy" or "politics" are deliberately not mapped: they do not
say whether there was a clash, a blast or neither.

reports.csv: one row per casualty report
----------------------------------------
``event_id``, ``as_of``, ``reported_by``, ``source_publisher``, ``source_title``, ``source_url``,
``source_archive_url``, ``source_archived`` (the source's archived copy and the day it was made),
``at_least``, ``unverified`` (``true``/``false``), ``killed_civilians``, ``killed_security``,
``killed_militants``, ``killed_unspecified``, ``injured_civilians``, ``injured_security``,
``injured_militants``, ``injured_unspecified``, ``note`` (the Markdown as written).
"""

from __future__ import annotations

import csv
import io
import re

from ..config import Config
from ..model import GROUPS, Event, Timeline
from .feeds import clean, event_path

EXPLOSIONS = "Explosions/Remote violence"
CIVILIANS = "Violence against civilians"
BATTLES = "Battles"
PROTESTS = "Protests"
RIOTS = "Riots"
STRATEGIC = "Strategic developments"

EVENT_TYPES = {
    "cross-border strike": EXPLOSIONS, "air strike": EXPLOSIONS, "airstrike": EXPLOSIONS,
    "missile strike": EXPLOSIONS, "drone strike": EXPLOSIONS, "shelling": EXPLOSIONS,
    "bombing": EXPLOSIONS, "suicide bombing": EXPLOSIONS, "ied": EXPLOSIONS,
    "attack on civilians": CIVILIANS, "massacre": CIVILIANS, "abduction": CIVILIANS,
    "armed clash": BATTLES, "clash": BATTLES, "battle": BATTLES,
    "protest": PROTESTS, "demonstration": PROTESTS,
    "riot": RIOTS,
    "explosions/remote violence": EXPLOSIONS, "violence against civilians": CIVILIANS, "battles": BATTLES,
    "protests": PROTESTS, "riots": RIOTS, "strategic developments": STRATEGIC,
}

GEO_PRECISION = {"town": 1, "district": 2, "province": 3, "country": 3}

EVENT_COLUMNS = ["event_id", "title", "event_date", "time_precision", "event_type", "actor1", "actor2",
                 "location", "country", "latitude", "longitude", "geo_precision", "source",
                 "fatalities", "notes", "url", "date_text", "date_precision"]
REPORT_COLUMNS = (["event_id", "as_of", "reported_by", "source_publisher", "source_title",
                   "source_url", "source_archive_url", "source_archived", "at_least", "unverified"]
                  + [f"killed_{g}" for g in GROUPS] + [f"injured_{g}" for g in GROUPS] + ["note"])

_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_RISKY = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A cell's text, neutralised against formula injection (real numbers kept as they are)."""
    if value is None:
        return ""
    if type(value) is int:     # most cells: a number is what it says, nothing to neutralise
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    text = clean(str(value))
    if text.startswith(_RISKY) and not _NUMBER.match(text):
        return "'" + text
    return text


def event_type(event: Event) -> str:
    types = {EVENT_TYPES[t.casefold()] for t in event.tags if t.casefold() in EVENT_TYPES}
    if len(types) == 1:
        return types.pop()
    if types == {EXPLOSIONS, CIVILIANS}:
        return EXPLOSIONS
    return ""


def time_precision(event: Event) -> int:
    if event.date.precision != "day":
        return 3
    if (event.end and event.end != event.date) or event.approximate:
        return 2
    return 1


def fatalities(event: Event) -> int | None:
    confirmed = [r for r in event.reports if not r.unverified and r.killed]
    counted = {g for r in confirmed for g, _ in r.killed.items()} - {"unspecified"}
    whole = [r.killed.total() for r in confirmed
             if r.killed.unspecified is not None or counted <= {g for g, _ in r.killed.items()}]
    return min(whole) if whole else None


def _number(value: float) -> str:
    text = f"{round(value, 5):.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _publishers(event: Event) -> str:
    seen: list[str] = []
    for source in event.sources:
        if source.publisher not in seen:
            seen.append(source.publisher)
    return "; ".join(seen)


def _rows(columns: list[str], rows: list[dict]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows([safe_cell(row.get(k)) for k in columns] for row in rows)
    return buffer.getvalue()


def _table(columns: list[str], timeline: Timeline, rows: dict[str, str]) -> bytes:
    header = ",".join(columns) + "\r\n"   # the columns' names need no quoting
    return "".join([header, *(rows[e.slug] for e in timeline.events)]).encode("utf-8")


def event_row(config: Config, event: Event, bodies: dict[str, str]) -> str:
    """One event's row of events.csv."""
    place = event.place
    return _rows(EVENT_COLUMNS, [{
        "event_id": event.slug,
        "title": event.title,
        "event_date": event.date.first_day().isoformat(),
        "time_precision": time_precision(event),
        "event_type": event_type(event),
        "actor1": event.actors[0] if event.actors else None,
        "actor2": event.actors[1] if len(event.actors) > 1 else None,
        "location": place.name if place else None,
        "country": place.country if place else None,
        "latitude": _number(place.lat) if place else None,
        "longitude": _number(place.lon) if place else None,
        "geo_precision": GEO_PRECISION[place.precision] if place else None,
        "source": _publishers(event),
        "fatalities": fatalities(event),
        "notes": event.summary,
        "url": config.export_url(event_path(event)),
        "date_text": str(event.date),
        "date_precision": event.date.precision,
    }])


def report_rows(config: Config, event: Event, bodies: dict[str, str]) -> str:
    """One event's rows of reports.csv, one per casualty report."""
    rows = []
    for report in event.reports:
        source = event.source(report.source)
        row = {
            "event_id": event.slug, "as_of": str(report.as_of), "reported_by": report.by,
            "source_publisher": source.publisher if source else None,
            "source_title": source.title if source else None,
            "source_url": source.url if source else None,
            "source_archive_url": source.archive_url if source else None,
            "source_archived": str(source.archived) if source and source.archived else None,
            "at_least": report.at_least, "unverified": report.unverified, "note": report.note,
        }
        for group in GROUPS:
            row[f"killed_{group}"] = getattr(report.killed, group)
            row[f"injured_{group}"] = getattr(report.injured, group)
        rows.append(row)
    return _rows(REPORT_COLUMNS, rows)


def events_csv(config: Config, timeline: Timeline, rows: dict[str, str]) -> bytes:
    return _table(EVENT_COLUMNS, timeline, rows)


def reports_csv(config: Config, timeline: Timeline, rows: dict[str, str]) -> bytes:
    return _table(REPORT_COLUMNS, timeline, rows)


__all__ = ["events_csv", "event_row", "report_rows", "reports_csv", "safe_cell", "event_type", "fatalities",
           "EVENT_TYPES"]
