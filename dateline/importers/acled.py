"""ACLED CSV exports (the codebook's columns; older files without disorder_type,
civilian_targeting and tags are read the same way).

* `event_id_cnty` is the id an update matches.
* `event_date` (YYYY-MM-DD, DD-MM-YYYY or '16 May 2025') with `time_precision`, mirroring
  events.csv (outputs/table.py): 1 the day; 2 a day within a week or weekend ACLED codes at its
  middle, so `approximate: true`; 3 only the month is known, so a month-precision date.
* The title: the sub-event type and the location ("Armed clash in Quetta").
* `location` (with `admin1`), `country`, `latitude`, `longitude`, `geo_precision` -> `place`;
  geo_precision 1 town, 2 district (near the town), 3 province, as events.csv writes them. A row
  without coordinates has no place.
* `actor1`, `assoc_actor_1`, `actor2`, `assoc_actor_2` (semicolon-separated) -> `actors`;
  `event_type`, `sub_event_type` and a `civilian_targeting` mark -> `tags`.
* `notes` -> the body, as text; the disorder type, source scale and ACLED's own tags follow it.
* Sources: ACLED itself (the row, dated by `timestamp`), then each name in `source`, with no
  title, address or date invented: the title says it is a source ACLED cites, the date is the
  event's, and a note says so.
* `fatalities` -> one report by ACLED as of `timestamp`: the count as `unspecified` (ACLED does
  not split it), with a note that it is ACLED's conservative coding. ACLED codes 0 when no
  fatalities are reported, so 0 gives no figure, only a note saying that it is not "nobody died".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..dates import PartialDate
from .csvrows import FileError, Row, read_rows
from .entry import Imported, Problem, Reading
from .htmltext import escape_markdown
from .values import CellError, count_of, date_of, names_of, number_of

REQUIRED = ("event_id_cnty", "event_date")
GEO_PRECISION = {"1": "town", "2": "district", "3": "province"}
ACLED = "ACLED (Armed Conflict Location & Event Data)"
FIGURE_NOTE = ("ACLED's fatality count, a conservative estimate coded from the sources it lists; "
               "ACLED does not split it by group.")
ZERO_NOTE = ("ACLED codes 0 fatalities: in ACLED's data that means no fatalities were reported, "
             "not that nobody died.")


def _date(row: Row) -> tuple[PartialDate, bool]:
    """The event's date and whether it is approximate, from event_date and time_precision."""
    date = date_of("event_date", row.cells["event_date"], day_only=True)
    precision = row.cells.get("time_precision", "").strip() or "1"
    if precision not in ("1", "2", "3"):
        raise CellError("time_precision", f"'{precision}' is not one of ACLED's codes 1, 2, 3")
    if precision == "3":
        return PartialDate(date.year, date.month), False
    return date, precision == "2"


def _as_of(row: Row, date: PartialDate) -> PartialDate:
    """The day ACLED last changed the row (timestamp, Unix seconds), or the event's date."""
    stamp = row.cells.get("timestamp", "").strip()
    if not stamp:
        return date
    if stamp.isdigit():
        try:
            day = dt.datetime.fromtimestamp(int(stamp), dt.timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            raise CellError("timestamp", f"'{stamp}' is not a Unix time") from None
        return PartialDate(day.year, day.month, day.day)
    return date_of("timestamp", stamp)


def _place(row: Row) -> dict | None:
    cells = row.cells
    lat_text, lon_text = cells.get("latitude", "").strip(), cells.get("longitude", "").strip()
    if not lat_text and not lon_text:
        return None
    if not lat_text or not lon_text:
        raise CellError("latitude" if not lat_text else "longitude", "one coordinate without the other")
    lat = number_of("latitude", lat_text, -90, 90)
    lon = number_of("longitude", lon_text, -180, 180)
    code = cells.get("geo_precision", "").strip()
    if code not in GEO_PRECISION:
        raise CellError("geo_precision", f"'{code}' is not one of ACLED's codes 1, 2, 3")
    location, admin1 = " ".join(cells.get("location", "").split()), " ".join(cells.get("admin1", "").split())
    country = " ".join(cells.get("country", "").split())
    name = location or admin1 or country
    if location and admin1 and admin1 != location:
        name = f"{location}, {admin1}"
    if not name:
        raise CellError("location", "coordinates without a location, admin1 or country to name them")
    place = {"name": name, "lat": lat, "lon": lon, "precision": GEO_PRECISION[code]}
    if country:
        place["country"] = country
    return place


def _event(row: Row) -> Imported:
    cells = row.cells
    event_id = cells["event_id_cnty"].strip()
    if not event_id:
        raise CellError("event_id_cnty", "no event id")
    date, approximate = _date(row)
    as_of = _as_of(row, date)
    kind = " ".join((cells.get("sub_event_type") or cells.get("event_type") or "Event").split())
    where = " ".join((cells.get("location") or cells.get("admin1") or cells.get("country") or "").split())
    fields: dict = {"title": f"{kind} in {where}" if where else kind, "date": date}
    if approximate:
        fields["approximate"] = True
    place = _place(row)
    if place:
        fields["place"] = place
    actors: list[str] = []
    for column in ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2"):
        actors += [a for a in names_of(cells.get(column, "")) if a not in actors]
    fields["actors"] = actors
    tags = [t for t in (" ".join(cells.get(c, "").split()) for c in ("event_type", "sub_event_type")) if t]
    if cells.get("civilian_targeting", "").strip():
        tags.append("Civilian targeting")
    fields["tags"] = list(dict.fromkeys(tags))
    sources = [{"id": "acled", "publisher": ACLED, "title": f"ACLED event {event_id}", "date": as_of,
                "note": "The event as ACLED coded it" + (" (row last changed on this date)."
                                                         if cells.get("timestamp", "").strip() else ".")}]
    for number, name in enumerate(names_of(cells.get("source", "")), 1):
        sources.append({"id": f"s{number}", "publisher": name, "title": f"Cited by ACLED for event {event_id}",
                        "date": date, "note": "ACLED names this source; it gives no title, address or "
                                              "publication date (the date is the event's)."})
    fields["sources"] = sources
    fatalities = cells.get("fatalities", "").strip()
    if fatalities:
        count = count_of("fatalities", fatalities)
        report = {"as_of": as_of, "by": "ACLED", "source": "acled"}
        report.update({"killed": {"unspecified": count}, "note": FIGURE_NOTE} if count else {"note": ZERO_NOTE})
        fields["reports"] = [report]
    coding = [f"{label}: {' '.join(cells[column].split())}" for column, label in
              (("disorder_type", "disorder type"), ("source_scale", "source scale"), ("tags", "ACLED tags"))
              if cells.get(column, "").strip()]
    body = escape_markdown(cells.get("notes", "").strip())
    if coding:
        body += "\n\n" + escape_markdown(f"ACLED's coding: {'; '.join(coding)}.")
    return Imported(f"acled:{event_id}", row.where, row.line, fields, body)


def read(path: Path) -> Reading:
    reading = Reading()
    header, rows, reading.blank = read_rows(path, reading.problems)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise FileError(f"{path}:1: not an ACLED export: no column {', '.join(missing)} (an ACLED file "
                        "names its columns in lower case: event_id_cnty, event_date, ...)")
    placeless = 0
    for row in rows:
        try:
            item = _event(row)
        except CellError as exc:
            column = f", column {exc.column}" if exc.column else ""
            reading.problems.append(Problem(row.line, f"{row.where}{column}", exc.message))
            continue
        placeless += "place" not in item.fields
        reading.events.append(item)
    if placeless:
        reading.notes.append(f"{placeless} event{'s' if placeless != 1 else ''} without coordinates: "
                             "imported without a place")
    return reading
