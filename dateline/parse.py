"""Stage 2: RawEntry -> Event or Page, every field checked; errors carry path:line.

The allowed keys below are the schema in one place: parsing checks against them and the
editors' JSON Schema is generated from them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath

from .dates import DateError, PartialDate, parse_time
from .errors import ContentError, closest, did_you_mean, error
from .load import RawEntry, RawEras
from .model import GROUPS, PRECISIONS, Correction, Counts, Era, Event, Media, Page, Place, Report, Source
from .slugs import MAX_NAME_BYTES, MAX_SLUG, normalise_slug, valid_slug
from .yamlslips import quoted as _quoted


@dataclass(frozen=True)
class Key:
    """One allowed key: what it means (for error hints, the editors' JSON Schema and the comments
    `new` writes), the JSON Schema (draft 2020-12) of the values the readers below accept, and
    whether it is required. The schema describes the parser; it never decides anything here."""
    doc: str
    schema: dict
    required: bool = False


# JSON Schema of what each reader of _Fields accepts (a YAML number is read as text, a year as a date).
_TEXT = {"type": ["string", "number"]}
_REQUIRED_TEXT = {"type": ["string", "number"], "pattern": r"\S"}
_DATE = {"type": ["string", "integer"], "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$", "minimum": 1, "maximum": 9999}
_FLAG = {"type": "boolean"}
_NAMES = {"type": "array", "items": {"type": ["string", "number"], "pattern": r"\S"}, "uniqueItems": True}


def _many(definition: str) -> dict:
    return {"type": "array", "items": {"$ref": f"#/$defs/{definition}"}}


EVENT_KEYS = {
    "title": Key("Headline of the event (required).", _REQUIRED_TEXT, required=True),
    "date": Key("When it happened: YYYY, YYYY-MM or YYYY-MM-DD (required). The precision is kept.",
                _DATE, required=True),
    "time": Key('Local time, "HH:MM" in quotes.', {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$"}),
    "time_approximate": Key("true when the sources give the time as approximate (shown as 'about 15:00').", _FLAG),
    "end": Key("Last day, for events that span days; not before `date`.", _DATE),
    "approximate": Key("true when the date is approximate (shown as 'c.').", _FLAG),
    "order": Key("Place among events of the same day and time, lower first (e.g. as the reporting lists "
                 "them); without it they go by title.", {"type": "integer", "minimum": 0}),
    "summary": Key("One sentence for lists, feeds and the meta description.", _TEXT),
    "place": Key("Where: name, lat, lon, precision (town | district | province | country), country.",
                 {"$ref": "#/$defs/place"}),
    "actors": Key("Who acted: a list of names; each gets a page.", _NAMES),
    "tags": Key("Topics: a list of names; each gets a page.", _NAMES),
    "in_response_to": Key("Earlier events this one answers: slugs, or {event: slug, source: id} naming the "
                          "source of this event that states the motive.",
                          {"type": "array", "items": {"anyOf": [_NAMES["items"], {"$ref": "#/$defs/cause"}]}}),
    "part_of": Key("Slug of the larger event this is a part of.", {"type": "string"}),
    "related": Key("Slugs of other related events.", _NAMES),
    "sources": Key("Sources: id, publisher, title, date, and optional url, author, note, archive_url, archived.",
                   _many("source")),
    "reports": Key("Casualty figures as reported: as_of, by, source, killed, injured, at_least, unverified, note.",
                   _many("report")),
    "discrepancies": Key("Where sources disagree or err, said plainly (a list of sentences).", _NAMES),
    "corrections": Key("What earlier versions of this entry got wrong: date (YYYY-MM-DD, the day the fix was "
                       "published) and text, in plain words.", _many("correction")),
    "media": Key("Images the entry shows: src (a file beside the entry, or in content/media/), alt (required), "
                 "caption, credit, licence, sensitive (true: hidden until the reader opens it).", _many("media")),
    "updated": Key("The day the entry last changed in substance, YYYY-MM-DD (feeds show it as an update).",
                   _DATE),
    "slug": Key("URL name; defaults to the file name.", _TEXT),
    "draft": Key("true keeps the entry out of the published site.", _FLAG),
    "aliases": Key("Old URLs that redirect here.", _NAMES),
    "extra": Key("The site's own fields, for its templates (event.extra.<name>): a mapping of any values, "
                 "never checked.", {"type": "object", "additionalProperties": True}),
    "import_id": Key("Written by `dateline import`: where the entry came from and its id there (e.g. "
                     "acled:PAK12345). Importing again skips the entry; `import --update` rewrites it (edits "
                     "to it are lost). Leave it out of entries you write.", _TEXT),
}
PAGE_KEYS = {k: EVENT_KEYS[k] for k in ("title", "summary", "slug", "draft", "aliases", "extra")}
PLACE_KEYS = {
    "name": Key("Place name as readers know it (required).", _REQUIRED_TEXT, required=True),
    "lat": Key("Latitude in degrees, -90 to 90 (required).", {"type": "number", "minimum": -90, "maximum": 90},
               required=True),
    "lon": Key("Longitude in degrees, -180 to 180 (required).",
               {"type": "number", "minimum": -180, "maximum": 180}, required=True),
    "precision": Key("How exact the point is: town | district | province | country (required).",
                     {"type": "string", "enum": list(PRECISIONS)}, required=True),
    "country": Key("Country name.", _TEXT),
}
SOURCE_KEYS = {
    "id": Key("Short id, unique within the file; reports cite it (required).", _REQUIRED_TEXT, required=True),
    "publisher": Key("Who published it (required).", _REQUIRED_TEXT, required=True),
    "title": Key("Title of the article or statement (required).", _REQUIRED_TEXT, required=True),
    "date": Key("Publication date, YYYY[-MM[-DD]] (required).", _DATE, required=True),
    "url": Key("Address, http(s) only.", {"type": "string", "pattern": r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/$.?#]\S*$"}),
    "author": Key("Byline.", _TEXT),
    "note": Key("Anything a reader should know about this source.", _TEXT),
    "archive_url": Key("Address of an archived copy (Wayback Machine, archive.today), http(s) only; shown "
                       "beside the original so the source survives when its page goes.",
                       {"type": "string", "pattern": r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/$.?#]\S*$"}),
    "archived": Key("The day the archived copy was made, YYYY-MM-DD; needs archive_url.",
                    {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
}
REPORT_KEYS = {
    "as_of": Key("When the figure was given (required).", _DATE, required=True),
    "by": Key("Who gave the figure (required).", _REQUIRED_TEXT, required=True),
    "source": Key("Id of a source of this event (required).", _REQUIRED_TEXT, required=True),
    "killed": Key("Deaths per group: civilians, security, militants, unspecified.", {"$ref": "#/$defs/counts"}),
    "injured": Key("Injured per group: civilians, security, militants, unspecified.", {"$ref": "#/$defs/counts"}),
    "at_least": Key("true where the source says 'at least'.", _FLAG),
    "unverified": Key("true for a claim nobody has confirmed.", _FLAG),
    "note": Key("What else the report says (scope, caveats).", _TEXT),
}
_GROUP_DOCS = {"civilians": "Civilians.", "security": "Security forces: soldiers, police, paramilitaries.",
               "militants": "Militants and attackers.", "unspecified": "People the report puts in no group."}
COUNT_KEYS = {group: Key(_GROUP_DOCS[group] + " A whole number; leave the group out when the report gives "
                         "no figure for it (0 means none).", {"type": "integer", "minimum": 0}) for group in GROUPS}
CAUSE_KEYS = {
    "event": Key("Slug of the earlier event this one answers (required).", _REQUIRED_TEXT, required=True),
    "source": Key("Id of a source of this event that states the motive (required).", _REQUIRED_TEXT,
                  required=True),
}
CORRECTION_KEYS = {
    "date": Key("The day the correction was made, YYYY-MM-DD (required).", _DATE, required=True),
    "text": Key("What was wrong and what it says now, in plain words (required).", _REQUIRED_TEXT, required=True),
}
MEDIA_KEYS = {
    "src": Key("The image file: its name beside the entry's file (content/<slug>/index.md with its images "
               "beside it), or in content/media/ (required). JPEG, PNG or WebP.", _REQUIRED_TEXT, required=True),
    "alt": Key("What the image shows, for readers who cannot see it (required).", _REQUIRED_TEXT, required=True),
    "caption": Key("What the picture is of, shown under it.", _TEXT),
    "credit": Key("Who made the picture (photographer, agency).", _TEXT),
    "licence": Key("Under what terms it is published (e.g. CC BY 4.0, or 'used with permission').", _TEXT),
    "sensitive": Key("true for a distressing image (bodies, wounded people): hidden behind a notice the reader "
                     "opens, and never used as the page's preview image.", _FLAG),
}
ERA_KEYS = {
    "slug": Key("URL-safe name (required).", _REQUIRED_TEXT, required=True),
    "title": Key("Name of the span (required).", _REQUIRED_TEXT, required=True),
    "start": Key("First day, YYYY[-MM[-DD]] (required).", _DATE, required=True),
    "end": Key("Last day (required).", _DATE, required=True),
    "summary": Key("One sentence.", _TEXT),
}

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


class _Fields:
    """Typed reads from one YAML mapping, with every problem recorded against its line."""

    def __init__(self, entry_path: str, mapping: dict, line, where: tuple, errors: list):
        self.path, self.mapping, self._line, self.where, self.errors = entry_path, mapping, line, where, errors
        self.suggested: set[str] = set()   # allowed keys an unknown key looked like

    def line(self, *keys) -> int:
        return self._line(*(self.where + keys))

    def fail(self, key, message: str) -> None:
        self.errors.append(error(self.path, self.line(key) if key is not None else self.line(), message))

    def check_keys(self, allowed: dict, what: str, elsewhere: tuple[dict, str] | None = None) -> None:
        """`elsewhere`: keys that belong to another kind of entry, named as such ('date' in a page)."""
        for key in self.mapping:
            if key not in allowed:
                if elsewhere and key in elsewhere[0]:
                    self.fail(key, f"'{key}' is for {elsewhere[1]}; {what} has only: {', '.join(allowed)}")
                    continue
                meant = closest(str(key), allowed)
                if meant:
                    self.suggested.add(meant)
                hint = did_you_mean(str(key), allowed) or f" (allowed: {', '.join(allowed)})"
                self.fail(key, f"unknown key '{key}' in {what}{hint}")

    def missing(self, key, detail: str = "") -> None:
        """A required key is absent: one error, unless a misspelling of it is there, whose own
        error already says "did you mean '<key>'?" (one problem, one message)."""
        if key not in self.suggested:
            self.fail(None, f"missing required key '{key}'{detail}")

    def has(self, key) -> bool:
        return self.mapping.get(key) is not None

    def text(self, key, required=False) -> str | None:
        value = self.mapping.get(key)
        if value is None:
            if required:
                self.missing(key)
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.fail(key, f"'{key}' must be text, not {_kind(value)}")
            return None
        value = unicodedata.normalize("NFC", value).strip()
        if required and not value:
            self.fail(key, f"'{key}' is empty")
            return None
        return value or None

    def flag(self, key) -> bool:
        value = self.mapping.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.fail(key, f"'{key}' must be true or false, not {value!r}")
            return False
        return value

    def date(self, key, required=False) -> PartialDate | None:
        value = self.mapping.get(key)
        if value is None:
            if required:
                self.missing(key, " (YYYY, YYYY-MM or YYYY-MM-DD)")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.fail(key, f"'{key}' must be a date like 2024-01-16, not {_kind(value)}")
            return None
        try:
            return PartialDate.parse(str(value))
        except DateError as exc:
            self.fail(key, f"'{key}': {exc}")
            return None

    def number(self, key, low: float, high: float, required=True) -> float | None:
        value = self.mapping.get(key)
        if value is None:
            if required:
                self.missing(key)
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(key, f"'{key}' must be a number, not {_kind(value)}")
            return None
        if not low <= value <= high:
            self.fail(key, f"'{key}' is {value}, outside {low:g} to {high:g}")
            return None
        return float(value)

    def names(self, key) -> tuple[str, ...]:
        value = self.mapping.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(key, f"'{key}' must be a list, e.g. {key}: [first, second]")
            return ()
        result = []
        for index, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, (str, int, float)) or not str(item).strip():
                kind = _ITEM_KIND.get(key, "a name")
                self.errors.append(error(self.path, self.line(key, index),
                                         f"'{key}' item {index + 1} must be {kind} (text)"))
                continue
            name = unicodedata.normalize("NFC", str(item)).strip()
            if name in result:
                self.errors.append(error(self.path, self.line(key, index), f"'{name}' is listed twice in '{key}'"))
                continue
            result.append(name)
        return tuple(result)

    def slugs(self, key) -> tuple[str, ...]:
        result = []
        for index, name in enumerate(self.names(key)):
            slug = _strip_md(normalise_slug(name))
            if not valid_slug(slug):
                self.errors.append(error(self.path, self.line(key, index),
                                         f"'{name}' in '{key}' is not a valid slug"))
                continue
            result.append(slug)
        return tuple(result)

    def mappings(self, key) -> list[tuple[int, dict]]:
        value = self.mapping.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(key, f"'{key}' must be a list of entries, each starting with '- '")
            return []
        result = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.errors.append(error(self.path, self.line(key, index),
                                         f"'{key}' item {index + 1} must be fields (key: value), not {_kind(item)}"))
                continue
            result.append((index, item))
        return result

    def sub(self, *keys) -> "_Fields":
        value = self.mapping
        for key in keys:
            value = value[key]
        return _Fields(self.path, value, self._line, self.where + keys, self.errors)


_ITEM_KIND = {"discrepancies": "a sentence", "aliases": "a path"}


def _kind(value) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if value is None:
        return "nothing"
    return repr(value)


def _strip_md(slug: str) -> str:
    return slug[:-3] if slug.endswith(".md") else slug


def file_slug(rel: str) -> str:
    """The name a content file gives its entry: its stem, or for content/<slug>/index.md (an
    entry in a folder of its own, with its images beside it) its folder's name."""
    path = PurePosixPath(rel)
    return path.parent.name if path.name == "index.md" and path.parent.name else path.stem


def _slug_of(entry: RawEntry, fields: _Fields) -> str | None:
    given = fields.text("slug")
    slug = normalise_slug(given if given else file_slug(entry.path))
    if not valid_slug(slug):
        where = "slug" if given else None
        shown = slug if len(slug) <= 60 else slug[:57] + "…"
        fields.fail(where, f"'{shown}' is not a usable slug: use letters, digits and single hyphens, "
                           f"at most {MAX_SLUG} characters (rename the file or set 'slug:')")
        return None
    return slug


def _aliases(fields: _Fields) -> tuple[str, ...]:
    result = []
    for index, alias in enumerate(fields.names("aliases")):
        clean = "/" + alias.strip("/") + "/"
        parts = [p for p in clean.split("/") if p]
        if not parts or any(p in (".", "..") or not re.match(r"^[\w.~-]+$", p)
                            or len(p.encode("utf-8")) > MAX_NAME_BYTES for p in parts):
            fields.errors.append(error(fields.path, fields.line("aliases", index),
                                       f"alias '{alias[:80]}' must be a site path like /old/name/ (letters, "
                                       f"digits, '.', '-', '~'; each part at most {MAX_NAME_BYTES} bytes)"))
            continue
        result.append(clean)
    return tuple(result)


def _extra(fields: _Fields) -> dict:
    """The site's own fields: whatever the mapping holds, as YAML read it."""
    value = fields.mapping.get("extra")
    if value is None:
        return {}
    if not isinstance(value, dict):
        fields.fail("extra", f"'extra' must be a mapping of the site's own fields (lines of 'name: value' "
                             f"indented under 'extra:'), not {_kind(value)}")
        return {}
    return value


def _place(fields: _Fields) -> Place | None:
    if not fields.has("place"):
        return None
    if not isinstance(fields.mapping["place"], dict):
        fields.fail("place", "'place' must be fields: name, lat, lon, precision")
        return None
    place = fields.sub("place")
    place.check_keys(PLACE_KEYS, "place")
    name = place.text("name", required=True)
    lat = place.number("lat", -90, 90)
    lon = place.number("lon", -180, 180)
    precision = place.text("precision", required=True)
    if precision and precision not in PRECISIONS:
        place.fail("precision", f"precision '{precision}' must be one of: {', '.join(PRECISIONS)}"
                                + did_you_mean(precision, PRECISIONS))
        precision = None
    country = place.text("country")
    if None in (name, lat, lon, precision):
        return None
    return Place(name, lat, lon, precision, country)


def _sources(fields: _Fields) -> tuple[Source, ...]:
    result: list[Source] = []
    for index, _ in fields.mappings("sources"):
        item = fields.sub("sources", index)
        item.check_keys(SOURCE_KEYS, "a source")
        sid = item.text("id", required=True)
        publisher = item.text("publisher", required=True)
        title = item.text("title", required=True)
        date = item.date("date", required=True)
        url = item.text("url")
        if url and not _URL.match(url):
            item.fail("url", f"source url '{url}' must start with http:// or https://")
            url = None
        archive_url, archived = _archive(item, date)
        if sid and any(s.id == sid for s in result):
            item.fail("id", f"source id '{sid}' is used twice in this file")
            continue
        if None not in (sid, publisher, title, date):
            result.append(Source(sid, publisher, title, date, url, item.text("author"), item.text("note"),
                                 archive_url, archived))
    return tuple(result)


def _archive(item: _Fields, published: PartialDate | None) -> tuple[str | None, PartialDate | None]:
    """A source's `archive_url` and `archived` (the day the copy was made), checked together."""
    archive_url = item.text("archive_url")
    if archive_url and not _URL.match(archive_url):
        item.fail("archive_url", f"archive_url '{archive_url}' must start with http:// or https:// "
                                 "(the address of the copy, e.g. https://web.archive.org/web/2024.../...)")
        archive_url = None
    archived = item.date("archived")
    if archived is None:
        return archive_url, None
    if not item.has("archive_url"):
        item.fail("archived", "'archived' dates an archived copy, but this source has no 'archive_url': "
                              "add the copy's address, or remove 'archived'")
        return archive_url, None
    if archived.precision != "day":
        item.fail("archived", f"'archived' needs the full day the copy was made (YYYY-MM-DD), not '{archived}'")
        return archive_url, None
    if published and archived.last_day() < published.first_day():
        item.fail("archived", f"archived {archived}, before the source was published ({published}): "
                              "a copy cannot predate its page; check both dates")
        return archive_url, None
    return archive_url, archived


def _counts(fields: _Fields, key: str) -> Counts:
    if not fields.has(key):
        return Counts()
    if not isinstance(fields.mapping[key], dict):
        fields.fail(key, f"'{key}' must be counts per group, e.g. {key}: {{civilians: 2, security: 1}}")
        return Counts()
    counts = fields.sub(key)
    counts.check_keys(COUNT_KEYS, f"'{key}'")
    values = {}
    for group in GROUPS:
        value = counts.mapping.get(group)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            counts.fail(group, f"'{key}.{group}' must be a whole number of people (0 or more), not {value!r}")
            continue
        values[group] = value
    return Counts(**values)


def _causes(fields: _Fields, sources: tuple[Source, ...]) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """`in_response_to`: each item a slug, or {event: slug, source: id} naming the source (of this
    event) that states the motive. Returns the slugs, and (slug, source id) for the cited ones."""
    value = fields.mapping.get("in_response_to")
    if value is None:
        return (), ()
    if not isinstance(value, list):
        fields.fail("in_response_to", "'in_response_to' must be a list, e.g. in_response_to: [first, second]")
        return (), ()
    declared = _declared_source_ids(fields)
    slugs, cited = [], []
    for index, item in enumerate(value):
        where = fields.line("in_response_to", index)
        source = None
        if isinstance(item, dict):
            cause = fields.sub("in_response_to", index)
            cause.check_keys(CAUSE_KEYS, "an 'in_response_to' item")
            name, source = cause.text("event", required=True), cause.text("source", required=True)
            if source and source not in declared:
                ids = [s.id for s in sources]
                cause.fail("source", f"'in_response_to' cites source '{source}', which is not among this "
                                     "event's sources" + (did_you_mean(source, ids) or f" ({', '.join(ids) or 'none'})"))
            if name is None:
                continue
        elif isinstance(item, bool) or not isinstance(item, (str, int, float)) or not str(item).strip():
            fields.errors.append(error(fields.path, where, f"'in_response_to' item {index + 1} must be a slug, "
                                                           "or {event: slug, source: id}"))
            continue
        else:
            name = str(item)
        slug = _strip_md(normalise_slug(unicodedata.normalize("NFC", name).strip()))
        if not valid_slug(slug):
            fields.errors.append(error(fields.path, where, f"'{name}' in 'in_response_to' is not a valid slug"))
            continue
        if slug in slugs:
            fields.errors.append(error(fields.path, where, f"'{slug}' is listed twice in 'in_response_to'"))
            continue
        slugs.append(slug)
        if source:
            cited.append((slug, source))
    return tuple(slugs), tuple(cited)


def _corrections(fields: _Fields, date: PartialDate | None) -> tuple[Correction, ...]:
    result = []
    for index, _ in fields.mappings("corrections"):
        item = fields.sub("corrections", index)
        item.check_keys(CORRECTION_KEYS, "a correction")
        when, text = item.date("date", required=True), item.text("text", required=True)
        if when and when.precision != "day":
            item.fail("date", f"a correction needs the full day it was made (YYYY-MM-DD), not '{when}'")
            continue
        if when and date and when.first_day() < date.first_day():
            item.fail("date", f"correction dated {when}, before the event itself ({date})")
            continue
        if when and text:
            result.append(Correction(when, text))
    return tuple(result)


def _media(fields: _Fields) -> tuple[Media, ...]:
    result = []
    for index, _ in fields.mappings("media"):
        item = fields.sub("media", index)
        item.check_keys(MEDIA_KEYS, "an image")
        src, alt = item.text("src", required=True), item.text("alt", required=True)
        if src and alt:
            result.append(Media(src, alt, item.text("caption"), item.text("credit"), item.text("licence"),
                                item.flag("sensitive"), item.line("src")))
    return tuple(result)


def _declared_source_ids(fields: _Fields) -> set[str]:
    """Every source id written in the file, valid source or not (its own errors are reported)."""
    raw = fields.mapping.get("sources")
    items = raw if isinstance(raw, list) else []
    return {str(item["id"]).strip() for item in items
            if isinstance(item, dict) and item.get("id") is not None}


def _reports(fields: _Fields, sources: tuple[Source, ...]) -> tuple[Report, ...]:
    result = []
    declared = _declared_source_ids(fields)
    for index, _ in fields.mappings("reports"):
        item = fields.sub("reports", index)
        already = len(fields.errors)
        item.check_keys(REPORT_KEYS, "a report")
        as_of = item.date("as_of", required=True)
        by = item.text("by", required=True)
        source = item.text("source", required=True)
        killed, injured = _counts(item, "killed"), _counts(item, "injured")
        note = item.text("note")
        if source and fields.has("sources") and not any(s.id == source for s in sources):
            if source not in declared:
                ids = [s.id for s in sources]
                item.fail("source", f"report cites source '{source}', which is not among this event's sources"
                                    + (did_you_mean(source, ids) or f" ({', '.join(ids) or 'none'})"))
            continue
        if source and not fields.has("sources"):
            item.fail("source", f"report cites source '{source}' but this event lists no sources")
            continue
        if not killed and not injured and not note:
            if len(fields.errors) == already:   # a misspelt or invalid figure says so already
                item.fail(None, "a report needs figures (killed/injured) or a note saying what was claimed")
            continue
        if None not in (as_of, by, source):
            result.append(Report(as_of, by, source, killed, injured, item.flag("at_least"),
                                 item.flag("unverified"), note, item.line()))
    return tuple(result)


# Text fields where `value # more` is a slip, never a comment: a title, a name, a note.
_PROSE_KEYS = frozenset({"title", "summary", "note", "text", "publisher", "name", "discrepancies"})


def _cut_by_comments(path: str, document, shift: int) -> list[ContentError]:
    """An unquoted text value with ` #` in it: YAML keeps what is before the `#` and drops the
    rest as a comment (`title: Attack #2 on a convoy` is the title "Attack")."""
    errors = []
    for where, (line, whole) in document.comments.items():
        key = where[-1] if isinstance(where[-1], str) else where[-2] if len(where) > 1 else None
        if key not in _PROSE_KEYS:
            continue
        kept = document.value
        for part in where:
            kept = kept[part]
        what = "value" if key == "discrepancies" else key
        fix = ("- " + _quoted("", whole)[2:]) if isinstance(where[-1], int) else _quoted(key, whole)
        errors.append(error(path, line + shift, f"the text after ' #' is read as a comment, leaving the "
                                                f"{what} '{kept}': put the {what} in quotes: {fix}"))
    return errors


def parse_event(entry: RawEntry) -> tuple[Event | None, list[ContentError]]:
    errors: list[ContentError] = _cut_by_comments(entry.path, entry.front, entry.front_line - 1)
    fields = _Fields(entry.path, entry.front.value, entry.line, (), errors)
    fields.check_keys(EVENT_KEYS, "an event")
    slug = _slug_of(entry, fields)
    title = fields.text("title", required=True)
    date = fields.date("date", required=True)
    time = fields.text("time")
    if time:
        try:
            time = parse_time(time)
        except DateError as exc:
            fields.fail("time", str(exc))
    if fields.has("time") and date and date.precision != "day":
        fields.fail("time", f"a time needs a full date (YYYY-MM-DD); the date is only '{date}'")
    time_approximate = fields.flag("time_approximate")
    if time_approximate and not fields.has("time"):
        fields.fail("time_approximate", "'time_approximate' qualifies a time: add 'time', or remove this")
    order = fields.mapping.get("order")
    if order is not None and (isinstance(order, bool) or not isinstance(order, int) or order < 0):
        fields.fail("order", f"'order' must be a whole number (0 or more), not {order!r}")
        order = None
    updated = fields.date("updated")
    if updated and date and updated.last_day() < date.first_day():
        fields.fail("updated", f"updated {updated} is before the event itself ({date})")
    end = fields.date("end")
    if date and end and end.last_day() < date.first_day():
        fields.fail("end", f"end {end} is before the start {date}")
    if fields.has("part_of") and not isinstance(fields.mapping["part_of"], str):
        fields.fail("part_of", "'part_of' must be one slug")
    part_of = fields.text("part_of") if isinstance(fields.mapping.get("part_of"), str) else None
    part_of = _strip_md(normalise_slug(part_of)) if part_of else None
    sources = _sources(fields)
    reports = _reports(fields, sources)
    causes, motive_sources = _causes(fields, sources)
    fields.text("import_id")   # checked as text, not kept: only `dateline import` reads it, from the file
    event = Event(
        slug=slug or "", path=entry.path, title=title or "", date=date or PartialDate(1),
        body=entry.body, body_line=entry.body_line, time=time,
        time_approximate=time_approximate, end=end,
        approximate=fields.flag("approximate"), order=order, summary=fields.text("summary"),
        place=_place(fields), actors=fields.names("actors"), tags=fields.names("tags"),
        in_response_to=causes, motive_sources=motive_sources, part_of=part_of,
        related=fields.slugs("related"), sources=sources, reports=reports,
        discrepancies=fields.names("discrepancies"), corrections=_corrections(fields, date),
        media=_media(fields), updated=updated, draft=fields.flag("draft"),
        aliases=_aliases(fields), extra=_extra(fields), lines=_lines(entry),
    )
    return (None if errors else event), errors


# Every entry has about the same few dozen field paths (("place", "name"), ("sources", 0, "url")):
# one tuple each for all of them, not a copy per entry, keeps a large site's model much smaller.
_PATHS: dict[tuple, tuple] = {}


def _lines(entry: RawEntry) -> dict:
    """Where each field was written, in file lines."""
    shift = entry.front_line - 1
    return {_PATHS.setdefault(path, path): line + shift for path, line in entry.front.lines.items()}


def share_paths(lines: dict) -> None:
    """Make the keys of an item's `lines` the shared path tuples (in place: an item that comes
    from another process, or from the cache, has copies of its own)."""
    shared = [(_PATHS.setdefault(path, path), line) for path, line in lines.items()]
    lines.clear()
    lines.update(shared)


def parse_page(entry: RawEntry) -> tuple[Page | None, list[ContentError]]:
    errors: list[ContentError] = _cut_by_comments(entry.path, entry.front, entry.front_line - 1)
    fields = _Fields(entry.path, entry.front.value, entry.line, (), errors)
    fields.check_keys(PAGE_KEYS, "a page", (EVENT_KEYS, "events"))
    slug = _slug_of(entry, fields)
    title = fields.text("title", required=True)
    page = Page(slug or "", entry.path, title or "", entry.body, entry.body_line,
                fields.text("summary"), fields.flag("draft"), _aliases(fields), _extra(fields),
                lines=_lines(entry))
    return (None if errors else page), errors


def parse_eras(raw: RawEras | None) -> tuple[tuple[Era, ...], list[ContentError]]:
    if raw is None or raw.document.value is None:
        return (), []
    errors: list[ContentError] = _cut_by_comments(raw.path, raw.document, 0)
    top = _Fields(raw.path, {"eras": raw.document.value}, lambda *k: raw.document.line(*k[1:]), (), errors)
    if not isinstance(raw.document.value, list):
        top.fail(None, "eras.yaml must be a list of eras, each starting with '- slug: ...'")
        return (), errors
    eras = []
    for index, _ in top.mappings("eras"):
        item = top.sub("eras", index)
        item.check_keys(ERA_KEYS, "an era")
        slug = item.text("slug", required=True)
        if slug and not valid_slug(normalise_slug(slug)):
            item.fail("slug", f"'{slug}' is not a valid slug")
            slug = None
        title = item.text("title", required=True)
        start, end = item.date("start", required=True), item.date("end", required=True)
        if start and end and end.last_day() < start.first_day():
            item.fail("end", f"end {end} is before the start {start}")
            continue
        if slug and any(e.slug == normalise_slug(slug) for e in eras):
            item.fail("slug", f"era slug '{slug}' is used twice")
            continue
        if None not in (slug, title, start, end):
            eras.append(Era(normalise_slug(slug), title, start, end, item.text("summary")))
    return tuple(sorted(eras, key=lambda e: (e.start.sort_key(), e.slug))), errors
