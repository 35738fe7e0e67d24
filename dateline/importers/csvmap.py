"""Any CSV, with a mapping from dateline's fields to the file's columns, given on the command
line (`--map title=Headline --map date=When`, `--default precision=town`) or in a small TOML
file (`--mapping map.toml`; the command line adds to it and wins):

    separator = ";"            # between names in a tags, actors cell (default ";")
    body_format = "text"       # the body column is text (default), markdown or html
    [columns]
    id = "ID"                  # a stable id: what --update matches (default: the date and title)
    title = "Headline"         # required
    date = "When"              # required: YYYY[-MM[-DD]], DD-MM-YYYY, "16 May 2025" or "May 2025"
    tags = ["Topic", "Region"] # a list field may gather several columns
    [defaults]
    precision = "town"         # a value for every row, where no column gives one

Fields: id, title, date, end, time, approximate, summary, body, place, country, lat, lon,
precision, tags, actors. A place needs place, lat, lon and precision (a column or a default).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from ..errors import did_you_mean
from ..model import PRECISIONS
from ..scaffold import slugify
from .csvrows import FileError, Row, read_rows
from .entry import Imported, Problem, Reading
from .htmltext import escape_markdown, markdown_of
from .values import CellError, date_of, names_of, number_of, time_of

FIELDS = ("id", "title", "date", "end", "time", "approximate", "summary", "body", "place", "country", "lat",
          "lon", "precision", "tags", "actors")
LISTS = ("tags", "actors")
BODY_FORMATS = ("text", "markdown", "html")
_TRUE, _FALSE = {"true", "yes", "y", "1", "x"}, {"false", "no", "n", "0", ""}


class MappingError(Exception):
    """A mapping that cannot be used (exit 2)."""


class Mapping:
    def __init__(self):
        self.columns: dict[str, list[str]] = {}
        self.defaults: dict[str, str] = {}
        self.separator = ";"
        self.body_format = "text"

    def _field(self, name: str, where: str) -> str:
        if name not in FIELDS:
            raise MappingError(f"{where}: '{name}' is not a field dateline imports"
                               + (did_you_mean(name, FIELDS) or f" (fields: {', '.join(FIELDS)})"))
        return name

    def add(self, name: str, columns, where: str, replace: bool = False) -> None:
        name = self._field(name.strip(), where)
        columns = [columns] if isinstance(columns, str) else columns
        if not isinstance(columns, list) or not all(isinstance(c, str) and c.strip() for c in columns):
            raise MappingError(f"{where}: '{name}' must name a column, or a list of columns")
        if len(columns) > 1 and name not in LISTS:
            raise MappingError(f"{where}: only {', '.join(LISTS)} may gather several columns, not '{name}'")
        have = [] if replace else self.columns.get(name, [])
        if have and name not in LISTS:
            raise MappingError(f"{where}: '{name}' is mapped twice")
        self.columns[name] = have + [c.strip() for c in columns]

    def default(self, name: str, value, where: str) -> None:
        name = self._field(name.strip(), where)
        if isinstance(value, list) and name in LISTS:
            value = self.separator.join(str(v) for v in value)
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            value = str(value).lower() if isinstance(value, bool) else None
        if value is None:
            raise MappingError(f"{where}: the default for '{name}' must be text")
        self.defaults[name] = str(value)

    @classmethod
    def build(cls, mapping_file: Path | None, maps: list[str], defaults: list[str]) -> "Mapping":
        mapping = cls()
        if mapping_file:
            mapping.read_toml(mapping_file)
        given: dict[str, list[str]] = {}       # the command line's, which replace the file's
        for text in maps:
            name, sep, column = text.partition("=")
            if not sep or not column.strip():
                raise MappingError(f"--map {text}: write --map FIELD=COLUMN, e.g. --map title=Headline")
            given.setdefault(name.strip(), []).append(column)
        for name, columns in given.items():
            mapping.add(name, columns, f"--map {name}=", replace=True)
        for text in defaults:
            name, sep, value = text.partition("=")
            if not sep:
                raise MappingError(f"--default {text}: write --default FIELD=VALUE, e.g. --default precision=town")
            mapping.default(name, value, f"--default {text}")
        for required in ("title", "date"):
            if required not in mapping.columns:
                raise MappingError(f"no column for '{required}': add --map {required}=COLUMN "
                                   f"(or {required} = \"COLUMN\" under [columns] in the mapping file)")
        return mapping

    def read_toml(self, path: Path) -> None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise MappingError(f"{path}: no such file") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise MappingError(f"{path}: {exc}") from None
        unknown = set(data) - {"separator", "body_format", "columns", "defaults"}
        if unknown:
            raise MappingError(f"{path}: unknown setting '{sorted(unknown)[0]}' (settings: separator, "
                               "body_format, [columns], [defaults])")
        self.separator = data.get("separator", ";")
        if not isinstance(self.separator, str) or not self.separator:
            raise MappingError(f"{path}: separator must be a character such as \";\"")
        self.body_format = data.get("body_format", "text")
        if self.body_format not in BODY_FORMATS:
            raise MappingError(f"{path}: body_format must be one of {', '.join(BODY_FORMATS)}")
        for table in ("columns", "defaults"):
            if not isinstance(data.get(table, {}), dict):
                raise MappingError(f"{path}: [{table}] must be a table")
        for name, columns in data.get("columns", {}).items():
            self.add(name, columns, f"{path}: [columns]")
        for name, value in data.get("defaults", {}).items():
            self.default(name, value, f"{path}: [defaults]")


def _values(row: Row, mapping: Mapping, name: str) -> list[tuple[str, str]]:
    """(column, text) of each column mapped to `name` that has text; else the default."""
    found = [(c, row.cells.get(c, "")) for c in mapping.columns.get(name, []) if row.cells.get(c, "").strip()]
    if not found and name in mapping.defaults:
        found = [(f"default {name}", mapping.defaults[name])]
    return found


def _one(row: Row, mapping: Mapping, name: str) -> tuple[str, str] | tuple[None, None]:
    found = _values(row, mapping, name)
    return (found[0][0], found[0][1].strip()) if found else (None, None)


def _event(row: Row, mapping: Mapping) -> Imported:
    column, title = _one(row, mapping, "title")
    if not title:
        raise CellError(mapping.columns["title"][0], "no title")
    column, text = _one(row, mapping, "date")
    if not text:
        raise CellError(mapping.columns["date"][0], "no date")
    date = date_of(column, text)
    fields: dict = {"title": " ".join(title.split()), "date": date}
    column, text = _one(row, mapping, "end")
    if text:
        fields["end"] = date_of(column, text)
    column, text = _one(row, mapping, "time")
    if text:
        fields["time"] = time_of(column, text)
    column, text = _one(row, mapping, "approximate")
    if text is not None:
        if text.casefold() not in _TRUE | _FALSE:
            raise CellError(column, f"'{text}' is not yes or no (true/false, 1/0)")
        if text.casefold() in _TRUE:
            fields["approximate"] = True
    column, text = _one(row, mapping, "summary")
    if text:
        fields["summary"] = " ".join(text.split())
    place = {}
    for name in ("place", "lat", "lon", "precision", "country"):
        column, text = _one(row, mapping, name)
        if not text:
            continue
        if name in ("lat", "lon"):
            place[name] = number_of(column, text, -90 if name == "lat" else -180, 90 if name == "lat" else 180)
        elif name == "precision":
            if text.casefold() not in PRECISIONS:
                raise CellError(column, f"'{text}' is not a place precision: {', '.join(PRECISIONS)}")
            place[name] = text.casefold()
        else:
            place["name" if name == "place" else name] = " ".join(text.split())
    located = {"name", "lat", "lon"} & set(place)
    if located and located != {"name", "lat", "lon"}:
        lacking = [n for n in ("place", "lat", "lon") if ("name" if n == "place" else n) not in place]
        raise CellError(mapping.columns.get(lacking[0], [None])[0] or lacking[0],
                        f"a place needs a name, lat and lon; this row has no {lacking[0]}")
    if located:
        if "precision" not in place:
            raise CellError("precision", "a place needs a precision: map a column to it, or give one to every "
                                         "row with --default precision=town (town, district, province, country)")
        fields["place"] = place
    for name in LISTS:
        names: list[str] = []
        for _, text in _values(row, mapping, name):
            names += [n for n in names_of(text, mapping.separator) if n not in names]
        fields[name] = names
    column, text = _one(row, mapping, "body")
    body = ""
    if text:
        body = {"text": escape_markdown, "html": markdown_of, "markdown": str}[mapping.body_format](text)
    column, key = _one(row, mapping, "id")
    key = key or f"{date}:{slugify(fields['title']) or fields['title']}"
    return Imported(f"csv:{key}", row.where, row.line, fields, body)


def read(path: Path, mapping: Mapping) -> Reading:
    reading = Reading()
    header, rows, reading.blank = read_rows(path, reading.problems)
    absent = sorted({c for columns in mapping.columns.values() for c in columns if c not in header})
    if absent:
        raise FileError(f"{path}:1: no column {absent[0]!r}" + did_you_mean(absent[0], header)
                        + f" (the columns are: {', '.join(header)})")
    for row in rows:
        try:
            reading.events.append(_event(row, mapping))
        except CellError as exc:
            reading.problems.append(Problem(row.line, f"{row.where}, column {exc.column}" if exc.column
                                            else row.where, exc.message))
    return reading
