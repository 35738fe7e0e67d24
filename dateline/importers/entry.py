"""What every importer produces, and its text as a content file.

An `Imported` is one event read from another tool's file: its front matter as plain values
(str, int, float, bool, PartialDate, lists and dicts of those), in the keys of parse.py's
EVENT_KEYS, and its Markdown body. `entry_text` writes it as `dateline new` writes an entry:
the editors' schema modeline, the fields in the order of docs/front-matter.md, strings
double-quoted (a JSON string is a YAML string, so no value is read as a number, a date or a
boolean by mistake), then the body."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from ..dates import PartialDate
from ..parse import EVENT_KEYS, PLACE_KEYS, REPORT_KEYS, SOURCE_KEYS


@dataclass
class Imported:
    import_id: str                  # "<format>:<id in the file>", e.g. "acled:PAK12345"
    where: str                      # "row 14", "events[3]": for messages
    line: int                       # the file line it starts on (1 when unknown)
    fields: dict                    # front matter, EVENT_KEYS' names
    body: str = ""
    slug: str | None = None         # the slug the source gives (TimelineJS unique_id), if any


@dataclass
class Problem:
    """Why a row (or the file) was not imported: `path:line: where: message`."""
    line: int
    where: str
    message: str


@dataclass
class Reading:
    """All an importer read from one file."""
    events: list[Imported] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    eras: list[dict] = field(default_factory=list)      # ERA_KEYS' names
    title: str | None = None                            # a title slide: a suggestion for the configuration
    description: str | None = None
    blank: int = 0                                      # empty rows, passed over
    notes: list[str] = field(default_factory=list)      # said once in the summary (ignored columns)


# Characters YAML does not allow written as they are, even in a double-quoted string (C0 and C1
# controls, line and paragraph separators, a BOM, non-characters): escaped \uXXXX.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def quote(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(round(value, 6))
    if isinstance(value, PartialDate):
        return str(value)
    return quote(str(value))


def _flow(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return scalar(value)


def _mapping_lines(mapping: dict, order: dict, indent: str, first: str) -> list[str]:
    lines = []
    for index, key in enumerate(k for k in order if k in mapping):
        lead = first if index == 0 else indent
        lines.append(f"{lead}{key}: {_flow(mapping[key])}")
    return lines


def front_matter(fields: dict) -> list[str]:
    lines = []
    for key in EVENT_KEYS:
        if key not in fields or fields[key] in (None, [], {}, ""):
            continue
        value = fields[key]
        if key == "place":
            lines.append("place:")
            lines += _mapping_lines(value, PLACE_KEYS, "  ", "  ")
        elif key in ("sources", "reports"):
            lines.append(f"{key}:")
            for item in value:
                lines += _mapping_lines(item, SOURCE_KEYS if key == "sources" else REPORT_KEYS, "    ", "  - ")
        else:
            lines.append(f"{key}: {_flow(value)}")
    return lines


def entry_text(item: Imported, schema: str, origin: str) -> str:
    """The content file for `item`; `origin`: a comment line saying where it came from."""
    lines = ["---", f"# yaml-language-server: $schema={schema}", f"# {origin}",
             "# Importing again skips it; `dateline import --update` rewrites it from the source (and your edits).",
             *front_matter(item.fields)]
    body = item.body.strip()
    return "\n".join(lines) + "\n---\n" + (body + "\n" if body else "")
