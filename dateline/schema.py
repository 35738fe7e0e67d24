"""JSON Schema (draft 2020-12) of the front matter, for editors' YAML tooling.

Generated from parse.py's key tables, the same ones the parser checks, so the two cannot drift:
every key's description, type, pattern or enum, and whether it is required, is read from its
`Key`. The schema is published with every build as `schema/event.json`, `schema/page.json` and
`schema/eras.json`; `python build.py new` points a new event at the first with a modeline:

    # yaml-language-server: $schema=../site/schema/event.json

The schema is a helper for editors, never the judge: `check` may still reject what it accepts
(a source id cited by no source, an `end` before the `date`, a link to a missing event), but
it accepts everything the parser accepts (an empty optional key, a number where text is
expected) so an editor never warns about a valid file.
"""

from __future__ import annotations

import json

from .parse import (CAUSE_KEYS, CORRECTION_KEYS, COUNT_KEYS, ERA_KEYS, EVENT_KEYS, MEDIA_KEYS, PAGE_KEYS,
                    PLACE_KEYS, REPORT_KEYS, SOURCE_KEYS, Key)

DIALECT = "https://json-schema.org/draft/2020-12/schema"

# The nested objects the tables refer to with {"$ref": "#/$defs/<name>"}.
DEFINITIONS: dict[str, tuple[dict[str, Key], str]] = {
    "place": (PLACE_KEYS, "Where the event happened, as one point on the map."),
    "source": (SOURCE_KEYS, "A source the event's text and figures rest on."),
    "report": (REPORT_KEYS, "One casualty claim, dated and attributed: one entry per claim, never averaged. "
                            "Needs figures (killed or injured) or a note."),
    "counts": (COUNT_KEYS, "People per group, as the report gives them."),
    "cause": (CAUSE_KEYS, "An earlier event this one answers, with the source (of this event) that states "
                          "the motive."),
    "media": (MEDIA_KEYS, "An image the entry shows, with its alt text, caption, credit and licence."),
    "correction": (CORRECTION_KEYS, "A dated note of what an earlier version of the entry got wrong."),
}


def _property(key: Key) -> dict:
    """A key's schema with its description; optional keys may also be left empty (null), which
    the parser reads as absent."""
    schema = dict(key.schema)
    if not key.required:
        if set(schema) == {"$ref"}:
            # Inlined rather than wrapped in anyOf [$ref, null], which would hide the real
            # problem ("not valid under any of the given schemas") from the editor.
            table, _ = DEFINITIONS[schema["$ref"].removeprefix("#/$defs/")]
            schema = object_schema(table)
            schema["type"] = ["object", "null"]
        else:
            kinds = schema["type"]
            kinds = [kinds] if isinstance(kinds, str) else list(kinds)
            schema["type"] = kinds + ["null"]
    return {"description": key.doc, **schema}


def object_schema(table: dict[str, Key], description: str = "") -> dict:
    schema: dict = {"type": "object"}
    if description:
        schema["description"] = description
    schema["properties"] = {name: _property(key) for name, key in table.items()}
    required = [name for name, key in table.items() if key.required]
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    return schema


def _referenced(schema) -> set[str]:
    """Names of the $defs a schema refers to, however deep."""
    found: set[str] = set()
    if isinstance(schema, dict):
        ref = schema.get("$ref", "")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            found.add(ref.removeprefix("#/$defs/"))
        for value in schema.values():
            found |= _referenced(value)
    elif isinstance(schema, list):
        for value in schema:
            found |= _referenced(value)
    return found


def _document(title: str, description: str, body: dict) -> dict:
    """A whole schema: the dialect, a title, the body, and the $defs it needs (transitively)."""
    needed, todo = set(), _referenced(body)
    while todo:
        name = todo.pop()
        if name not in needed:
            needed.add(name)
            todo |= _referenced(object_schema(DEFINITIONS[name][0]))
    schema = {"$schema": DIALECT, "title": title, "description": description, **body}
    if needed:
        schema["$defs"] = {name: object_schema(*DEFINITIONS[name]) for name in DEFINITIONS if name in needed}
    return schema


def event_schema() -> dict:
    return _document("dateline event",
                     "The front matter of one event: content/<slug>.md, YAML between two '---' lines, TOML "
                     "between two '+++' lines or a JSON object; the fields are the same in each.",
                     object_schema(EVENT_KEYS))


def page_schema() -> dict:
    return _document("dateline page",
                     "The front matter of a standalone page: content/pages/<slug>.md (YAML, TOML or JSON).",
                     object_schema(PAGE_KEYS))


def eras_schema() -> dict:
    return _document("dateline eras",
                     "content/eras.yaml: the named date spans drawn as bands on the timeline.",
                     {"type": "array", "items": object_schema(ERA_KEYS, "One named span of dates.")})


def dumps(schema: dict) -> bytes:
    return (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


SCHEMAS = {"schema/event.json": event_schema, "schema/page.json": page_schema, "schema/eras.json": eras_schema}


def schema_file(path: str) -> bytes:
    """The bytes of the published schema at site path `path`."""
    return dumps(SCHEMAS[path]())


def schema_files() -> dict[str, bytes]:
    """{site path: bytes} of the published schemas."""
    return {path: schema_file(path) for path in SCHEMAS}


__all__ = ["event_schema", "page_schema", "eras_schema", "schema_file", "schema_files", "object_schema", "DIALECT"]
