"""TimelineJS: the Google Sheets template exported as CSV, and the `timeline.json` format
(https://timeline.knightlab.com/docs/json-format.html).

Both are read into the same flat slide (the sheet's columns), then into an event:

* Year, Month, Day (start_date) -> `date`, as precise as the cells given (a Year alone is a
  year); End Year, End Month, End Day (end_date) -> `end`; Time (hour, minute) -> `time`, on a
  day only.
* Headline -> `title` (plain text); Text -> the body, its HTML as Markdown (htmltext.py).
* Media (a link), with Media Caption (or Alt Text) and Media Credit -> a line of the body linking
  to it: pages load nothing from other sites.
* Group -> a tag. A Display Date starting "c." or "circa" -> `approximate: true` (dateline writes
  its own display dates from the date).
* Type `title` -> the site title and description, printed as a suggestion for the configuration;
  Type `era` -> an era in content/eras.yaml.
* The id an update matches: the JSON's unique_id; a sheet row has none, so its date and headline.

Not imported, for dateline has no place for them: Media Thumbnail, Background, End Time.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..scaffold import slugify
from .csvrows import FileError, read_rows, read_text
from .entry import Imported, Problem, Reading
from .htmltext import markdown_of, plain_text
from .values import CellError, date_from_parts, time_of

COLUMNS = ("Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date",
           "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Alt Text",
           "Type", "Group", "Background")
IGNORED = ("Media Thumbnail", "Background", "End Time")
_APPROXIMATE = re.compile(r"^\s*(c\.|circa\b|ca\.)", re.I)


def _media(values: dict) -> str:
    url = values.get("Media", "").strip()
    if not url:
        return ""
    label = " ".join((values.get("Media Caption") or values.get("Alt Text") or "").split())
    credit = " ".join(values.get("Media Credit", "").split())
    if re.match(r"^https?://\S+$", url, re.I):
        text = markdown_of(label) if label else "Media"
        line = f"[{text}]({url})"
    else:           # a quotation, or HTML, shown as the slide's media
        line = markdown_of(url)
    return line + (f" ({markdown_of(credit)})" if credit else "")


def _dates(values: dict, names: dict) -> tuple:
    start = date_from_parts((names["Year"], names["Month"], names["Day"]),
                            values.get("Year", ""), values.get("Month", ""), values.get("Day", ""))
    end = None
    end_parts = (values.get("End Year", ""), values.get("End Month", ""), values.get("End Day", ""))
    if any(p.strip() for p in end_parts):
        end = date_from_parts((names["End Year"], names["End Month"], names["End Day"]), *end_parts)
    return start, end


def _event(values: dict, names: dict, where: str, line: int, unique_id: str | None) -> Imported:
    title = plain_text(values.get("Headline", ""))
    if not title:
        raise CellError(names["Headline"], "no headline: dateline needs a title for every event; give it one")
    date, end = _dates(values, names)
    fields: dict = {"title": title, "date": date}
    if values.get("Time", "").strip():
        fields["time"] = time_of(names["Time"], values["Time"])
    if end and end != date:
        fields["end"] = end
    if _APPROXIMATE.match(values.get("Display Date", "")):
        fields["approximate"] = True
    group = " ".join(plain_text(values.get("Group", "")).split())
    if group:
        fields["tags"] = [group]
    text = values.get("Text", "")
    if unique_id:   # dateline's own export links each slide to its page: a link to itself here
        text = re.sub(r'<p>\s*<a href="[^"]*events/' + re.escape(unique_id) + r'/">[^<]*</a>\s*</p>', "", text)
    body = "\n\n".join(part for part in (markdown_of(text), _media(values)) if part)
    import_id = f"timelinejs:{unique_id}" if unique_id else f"timelinejs:{date}:{slugify(title) or title}"
    return Imported(import_id, where, line, fields, body, slug=unique_id)


def _era(values: dict, names: dict) -> dict:
    title = plain_text(values.get("Headline", ""))
    if not title:
        raise CellError(names["Headline"], "an era needs a headline: it is the era's name")
    start, end = _dates(values, names)
    if end is None:
        raise CellError(names["End Year"], "an era needs an end date (End Year, and Month and Day if known)")
    era = {"title": title, "start": start, "end": end}
    summary = plain_text(values.get("Text", ""))
    if summary:
        era["summary"] = summary
    return era


def _at(where: str, column: str | None) -> str:
    """'row 5, column Year' in a sheet; 'events[3].start_date.year' in JSON."""
    if not column:
        return where
    return f"{where}, column {column}" if where.startswith("row") else f"{where}.{column}"


def _take(reading: Reading, values: dict, names: dict, kind: str, where: str, line: int,
          unique_id: str | None = None) -> None:
    """One slide (row or JSON object) into `reading`, or its problem."""
    try:
        if kind == "title":
            reading.title = plain_text(values.get("Headline", "")) or reading.title
            reading.description = plain_text(values.get("Text", "")) or reading.description
        elif kind == "era":
            reading.eras.append(_era(values, names))
        else:
            reading.events.append(_event(values, names, where, line, unique_id))
    except CellError as exc:
        reading.problems.append(Problem(line, _at(where, exc.column), exc.message))


def read_sheet(path: Path) -> Reading:
    reading = Reading()
    header, rows, reading.blank = read_rows(path, reading.problems)
    actual = {h.casefold(): h for h in header}
    missing = [c for c in ("Year", "Headline") if c.casefold() not in actual]
    if missing:
        raise FileError(f"{path}:1: not a TimelineJS sheet: no column {', '.join(missing)} (the template's "
                        f"columns are {', '.join(COLUMNS)})")
    names = {c: c for c in COLUMNS}
    used = set()
    for row in rows:
        values = {c: row.cells.get(actual.get(c.casefold(), ""), "") for c in COLUMNS}
        used |= {c for c in IGNORED if values[c].strip()}
        _take(reading, values, names, values["Type"].strip().casefold(), row.where, row.line)
    if used:
        reading.notes.append(f"not imported (dateline has no place for them): {', '.join(sorted(used))}")
    unknown = [h for h in header if h and h.casefold() not in {c.casefold() for c in COLUMNS}]
    if unknown:
        reading.notes.append(f"columns that are not TimelineJS's were passed over: {', '.join(unknown)}")
    return reading


_JSON_NAMES = {"Year": "start_date.year", "Month": "start_date.month", "Day": "start_date.day",
               "Time": "start_date.hour", "End Year": "end_date.year", "End Month": "end_date.month",
               "End Day": "end_date.day", "Headline": "text.headline", "Text": "text.text"}


def _text(value) -> str:
    return "" if value is None or isinstance(value, (dict, list, bool)) else str(value)


def _slide_values(slide: dict, where: str) -> dict:
    """A JSON slide in the sheet's columns."""
    if not isinstance(slide, dict):
        raise CellError(None, "not a slide (an object with start_date and text)")
    values: dict[str, str] = {}
    for key, prefix in (("start_date", ""), ("end_date", "End ")):
        date = slide.get(key) or {}
        if not isinstance(date, dict):
            raise CellError(key, "must be an object such as {\"year\": 2024, \"month\": 1}")
        for part in ("year", "month", "day"):
            values[prefix + part.title()] = _text(date.get(part))
        if key == "start_date" and date.get("hour") not in (None, ""):
            values["Time"] = f"{_text(date.get('hour'))}:{(_text(date.get('minute')) or '0').zfill(2)}"
        if key == "start_date" and date.get("display_date"):
            values["Display Date"] = _text(date.get("display_date"))
    text = slide.get("text") or {}
    media = slide.get("media") or {}
    if not isinstance(text, dict) or not isinstance(media, dict):
        raise CellError("text" if not isinstance(text, dict) else "media", "must be an object")
    values.update({"Headline": _text(text.get("headline")), "Text": _text(text.get("text")),
                   "Media": _text(media.get("url")), "Media Caption": _text(media.get("caption")),
                   "Media Credit": _text(media.get("credit")), "Alt Text": _text(media.get("alt")),
                   "Group": _text(slide.get("group"))})
    if slide.get("display_date"):
        values["Display Date"] = _text(slide.get("display_date"))
    return values


def read_json(path: Path) -> Reading:
    reading = Reading()
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise FileError(f"{path}:{exc.lineno}: not JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise FileError(f"{path}: not a TimelineJS timeline: it must be an object with an \"events\" list")
    names = {c: _JSON_NAMES.get(c, c) for c in COLUMNS}
    title = data.get("title")
    if isinstance(title, dict):
        try:
            _take(reading, _slide_values(title, "title"), names, "title", "title", 0)
        except CellError:
            pass
    for kind, key in (("event", "events"), ("era", "eras")):
        slides = data.get(key) or []
        if not isinstance(slides, list):
            raise FileError(f"{path}: \"{key}\" must be a list")
        for index, slide in enumerate(slides):
            where = f"{key}[{index}]"
            try:
                values = _slide_values(slide, where)
            except CellError as exc:
                reading.problems.append(Problem(0, _at(where, exc.column), exc.message))
                continue
            unique_id = _text(slide.get("unique_id")).strip() or None if kind == "event" else None
            _take(reading, values, names, kind, where, 0, unique_id)
    return reading
