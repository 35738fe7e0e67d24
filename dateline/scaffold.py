"""`dateline new "Title"`: write content/<slug>.md with every field present and explained.

The comments come from parse.py's key tables (the same text as the editors' JSON Schema), and
the file passes `check` as written: optional fields are empty, or commented out where an empty
value would not make sense (a place, a source). The first line of the front matter names the
JSON Schema for editors' YAML tooling, as a path relative to the new file (tools resolve it
against the file's folder): `# yaml-language-server: $schema=../site/schema/event.json`.
`new --format toml` writes the same fields and explanations as TOML front matter between `+++`
lines (JSON has no comments to explain them in).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import textwrap
import unicodedata
from pathlib import Path

from .config import Config
from .dates import DateError, PartialDate
from .load import scan
from .parse import EVENT_KEYS, MEDIA_KEYS, PLACE_KEYS, REPORT_KEYS, SOURCE_KEYS, valid_slug

MAX_SLUG = 80
WIDTH = 100


class ScaffoldError(Exception):
    """A usage problem: no usable slug, a bad date (exit 2)."""


class ExistsError(Exception):
    """The file is there already; it is never overwritten (exit 1)."""


# Latin letters that NFKD does not split into a base letter and an accent.
_LATIN = str.maketrans({"ß": "ss", "ẞ": "SS", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "Ø": "O", "ø": "o",
                        "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Þ": "TH", "þ": "th", "Ł": "L", "ł": "l",
                        "ı": "i", "Ħ": "H", "ħ": "h"})


def slugify(title: str) -> str:
    """'Pakistan strikes Saravan, Iran' -> 'pakistan-strikes-saravan-iran'. Latin letters lose their
    accents (NFKD, then ASCII); a title with nothing ASCII left keeps its own letters (NFC), so an
    Urdu title gets an Urdu slug. '' when the title has no letter or digit at all."""
    latin = title.translate(_LATIN)
    ascii_text = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    if not words:
        text = unicodedata.normalize("NFC", title).lower()
        # Combining marks (Arabic short vowels, Devanagari vowel signs) are dropped rather than
        # splitting a word: a slug is letters, digits and single hyphens (parse.valid_slug).
        text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("M"))
        words = re.findall(r"[^\W_]+", text)
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > MAX_SLUG:
            break
        slug = longer
    if not slug and words:
        slug = words[0][:MAX_SLUG]
    slug = unicodedata.normalize("NFC", slug)
    return slug if valid_slug(slug) else ""


def schema_path(target: Path, output: Path) -> str:
    """The schema's path relative to the new file's folder, with forward slashes."""
    return Path(os.path.relpath(output.absolute() / "schema" / "event.json", target.parent.absolute())).as_posix()


def _comment(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(text, WIDTH - len(indent) - 2, initial_indent=f"{indent}# ",
                         subsequent_indent=f"{indent}# ", break_on_hyphens=False)


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)     # a JSON string is a YAML string


# Each optional field: its line as written (None: the key is written commented out, with the
# example after it), and an example shown in the comment.
_VALUES = {
    "time": (None, '"04:05"'),
    "time_approximate": ("false", None),
    "end": (None, "{date}"),
    "approximate": ("false", None),
    "order": (None, "1"),
    "summary": ('""', None),
    "place": (None, None),
    "actors": ("[]", "[Millbrook fire service, River Authority]"),
    "tags": ("[]", "[flood]"),
    "in_response_to": ("[]", "[{{event: heavy-rain-in-the-hills, source: gazette}}]"),
    "part_of": (None, "spring-floods-2025"),
    "related": ("[]", "[old-bridge-closed]"),
    "sources": (None, None),
    "reports": (None, None),
    "discrepancies": ("[]", None),
    "corrections": ("[]", '[{{date: 2026-12-05, text: "An earlier version gave the wrong day."}}]'),
    "updated": (None, "{date}"),
    "slug": (None, "{slug}"),
    "draft": ("false", None),
    "aliases": ("[]", "[/old/address/]"),
    "extra": (None, '{{photo_credit: "Reuters"}}'),
    "import_id": (None, '"acled:PAK12345"'),
}

# The nested fields, as a commented-out example: remove the '# ' in front of each line to use it.
_PLACE = {"name": "Millbrook", "country": "the country's name", "lat": "52.20", "lon": "0.12",
          "precision": "town"}
_SOURCE = {"id": "gazette", "publisher": "The Millbrook Gazette", "title": '"Lower town under water as the river peaks"',
           "date": "{date}",
           "url": "https://example.org/news/river-peaks",
           "author": "the writer's name, when the source gives one",
           "note": "Anything a reader should know about this source.",
           "archive_url": "https://web.archive.org/web/2024/https://example.org/news/river-peaks",
           "archived": "{date}"}
_REPORT = {"as_of": "{date}", "by": "Millbrook fire service", "source": "gazette", "killed": "{{civilians: 2}}",
           "injured": "{{}}", "at_least": "true", "unverified": "false", "note": "Two people swept away at the ford."}

_MEDIA = {"src": "levee.jpg", "alt": "The breached levee seen from the bridge", "caption": "The levee at noon",
          "credit": "A. Photographer", "licence": "CC BY 4.0", "sensitive": "false"}


def _example_block(key: str, table: dict, example: dict, listed: bool, fill: dict) -> list[str]:
    """`# key:` then one commented line per sub-field, each with its description when it fits."""
    lines = [f"# {key}:"]
    for index, (name, spec) in enumerate(table.items()):
        lead = ("  - " if index == 0 else "    ") if listed else "  "
        value = f"# {lead}{name}: {example[name].format(**fill)}"
        line = f"{value.ljust(42)}  # {spec.doc}"
        if len(line) <= WIDTH:
            lines.append(line)
        else:    # the description on its own line above; still a comment once the '# ' is removed
            lines += _comment(spec.doc, "# " + ("  " if lead.endswith("- ") else lead))
            lines.append(value)
    return lines


def event_text(title: str, date: PartialDate, slug: str, schema: str) -> str:
    fill = {"date": str(date), "slug": slug}
    lines = ["---",
             f"# yaml-language-server: $schema={schema}",
             *_comment("A new event. Only title and date are required: fill in what you know, leave the rest "
                       "empty, or delete it. A line starting with # is a comment; to use a commented-out "
                       "field, remove the '# ' in front of it (and of the lines under it). Check your work "
                       "with: dateline check  (or preview it as you edit: dateline serve). Each field is "
                       "explained above it; to preview an entry marked draft: true, run dateline serve --drafts."),
             ""]
    for key, spec in EVENT_KEYS.items():
        lines += _comment(spec.doc)
        if key == "title":
            lines.append(f"title: {_quote(title)}")
        elif key == "date":
            lines.append(f"date: {date}")
        elif key == "place":
            lines += _example_block("place", PLACE_KEYS, _PLACE, listed=False, fill=fill)
        elif key == "sources":
            lines += _comment("One entry per source; a report cites one by its id.")
            lines += _example_block("sources", SOURCE_KEYS, _SOURCE, listed=True, fill=fill)
        elif key == "media":
            lines += _comment("One entry per picture, saved beside this file or in content/media/.")
            lines += _example_block("media", MEDIA_KEYS, _MEDIA, listed=True, fill=fill)
        elif key == "reports":
            lines += _comment("One entry per claim: who said it, when, and the figure as they gave it. "
                              "Never average or merge figures; add another entry for another claim. Groups: "
                              "civilians, security, militants, unspecified; leave out a group with no figure.")
            lines += _example_block("reports", REPORT_KEYS, _REPORT, listed=True, fill=fill)
        else:
            value, example = _VALUES[key]
            example = example.format(**fill) if example else None
            if value is None:
                lines.append(f"# {key}: {example}")
            else:
                lines.append(f"{key}: {value}" + (f"   # e.g. {example}" if example else ""))
        lines.append("")
    return _closed(lines, "---")


# The same in TOML: text in double quotes, a whole date bare (TOML's own date; dateline reads it
# as the text written), a month or a year in quotes.
_TOML_VALUES = {
    "time": (None, '"04:05"'),
    "time_approximate": ("false", None),
    "end": (None, "{date}"),
    "approximate": ("false", None),
    "order": (None, "1"),
    "summary": ('""', None),
    "actors": ("[]", '["Millbrook fire service", "River Authority"]'),
    "tags": ("[]", '["flood"]'),
    "in_response_to": ("[]", '[{{event = "heavy-rain-in-the-hills", source = "gazette"}}]'),
    "part_of": (None, '"spring-floods-2025"'),
    "related": ("[]", '["old-bridge-closed"]'),
    "discrepancies": ("[]", None),
    "corrections": ("[]", '[{{date = 2026-12-05, text = "An earlier version gave the wrong day."}}]'),
    "updated": (None, "{date}"),
    "slug": (None, '"{slug}"'),
    "draft": ("false", None),
    "aliases": ("[]", '["/old/address/"]'),
    "extra": (None, '{{photo_credit = "Reuters"}}'),
    "import_id": (None, '"acled:PAK12345"'),
}
# Tables: after every other field, since each line under a `[table]` line belongs to the table.
_TOML_TABLES = ("place", "sources", "reports", "media")
_TOML_PLACE = {"name": '"Millbrook"', "country": '"the country\'s name"', "lat": "52.20", "lon": "0.12",
               "precision": '"town"'}
_TOML_SOURCE = {"id": '"gazette"', "publisher": '"The Millbrook Gazette"',
                "title": '"Lower town under water as the river peaks"', "date": "{date}",
                "url": '"https://example.org/news/river-peaks"',
                "author": '"the writer\'s name, when the source gives one"',
                "note": '"Anything a reader should know about this source."',
                "archive_url": '"https://web.archive.org/web/2024/https://example.org/news/river-peaks"',
                "archived": "{date}"}
_TOML_REPORT = {"as_of": "{date}", "by": '"Millbrook fire service"', "source": '"gazette"',
                "killed": "{{civilians = 2}}", "injured": "{{}}", "at_least": "true", "unverified": "false",
                "note": '"Two people swept away at the ford."'}
_TOML_MEDIA = {"src": '"levee.jpg"', "alt": '"The breached levee seen from the bridge"', "caption": '"The levee at noon"',
               "credit": '"A. Photographer"', "licence": '"CC BY 4.0"', "sensitive": "false"}


def _toml_block(header: str, table: dict, example: dict, fill: dict) -> list[str]:
    """`# [header]` then one commented `name = value` line per sub-field, with its description."""
    lines = [f"# {header}"]
    for name, spec in table.items():
        value = f"# {name} = {example[name].format(**fill)}"
        line = f"{value.ljust(44)}  # {spec.doc}"
        if len(line) <= WIDTH:
            lines.append(line)
        else:
            lines += _comment(spec.doc, "# ")
            lines.append(value)
    return lines


def toml_event_text(title: str, date: PartialDate, slug: str) -> str:
    """The event file `new --format toml` writes: the same fields and explanations as
    event_text, as TOML front matter between `+++` lines."""
    when = str(date) if date.precision == "day" else _quote(str(date))
    fill = {"date": when, "slug": slug}
    lines = ["+++",
             *_comment("A new event, its fields in TOML. Only title and date are required: fill in what you "
                       "know, leave the rest empty, or delete it. A line starting with # is a comment; to use "
                       "a commented-out field, remove the '# ' in front of it (and of the lines under it). "
                       "Text goes in double quotes; a whole date may stand bare (2025-03-14), a month or a "
                       "year goes in quotes (\"2025-03\"). The tables ([place], [[sources]], [[reports]], [[media]]) "
                       "come last: every line under a [table] line belongs to that table. Check your work "
                       "with: dateline check  (or preview it as you edit: dateline serve)."),
             ""]
    for key, spec in [*((k, v) for k, v in EVENT_KEYS.items() if k not in _TOML_TABLES),
                      *((k, EVENT_KEYS[k]) for k in _TOML_TABLES)]:
        lines += _comment(spec.doc)
        if key == "title":
            lines.append(f"title = {_quote(title)}")
        elif key == "date":
            lines.append(f"date = {when}")
        elif key == "place":
            lines += _toml_block("[place]", PLACE_KEYS, _TOML_PLACE, fill)
        elif key == "sources":
            lines += _comment("One [[sources]] block per source (repeat it, that line and all); a report "
                              "cites one by its id.")
            lines += _toml_block("[[sources]]", SOURCE_KEYS, _TOML_SOURCE, fill)
        elif key == "reports":
            lines += _comment("One [[reports]] block per claim: who said it, when, and the figure as they "
                              "gave it. Never average or merge figures; add another block for another "
                              "claim. Groups: civilians, security, militants, unspecified; leave out a "
                              "group with no figure.")
            lines += _toml_block("[[reports]]", REPORT_KEYS, _TOML_REPORT, fill)
        elif key == "media":
            lines += _comment("One [[media]] block per picture, saved beside this file or in content/media/.")
            lines += _toml_block("[[media]]", MEDIA_KEYS, _TOML_MEDIA, fill)
        else:
            value, example = _TOML_VALUES[key]
            example = example.format(**fill) if example else None
            if value is None:
                lines.append(f"# {key} = {example}")
            else:
                lines.append(f"{key} = {value}" + (f"   # e.g. {example}" if example else ""))
        lines.append("")
    return _closed(lines, "+++")


def _closed(lines: list[str], fence: str) -> str:
    """The front matter's lines, closed by `fence`, then the body to replace (both formats)."""
    lines = lines + _comment("Below the closing line comes the text of the event page, in Markdown. Link "
                             "another event by its file name: [the rain before it](heavy-rain-in-the-hills.md).")
    body = ("What happened, in your own words: who did what, where, and what followed. Say where each "
            "fact comes from.")
    return "\n".join([*lines, fence]) + "\n" + textwrap.fill(body, WIDTH, break_on_hyphens=False) + "\n"


FORMATS = ("yaml", "toml")


def create(config: Config, title: str, date: str | None = None, fmt: str = "yaml") -> Path:
    """Write the new event file and return its path; ScaffoldError or ExistsError otherwise."""
    title = unicodedata.normalize("NFC", title).strip()
    if not title:
        raise ScaffoldError("the title is empty: dateline new \"What happened\"")
    try:
        when = PartialDate.parse(date) if date else PartialDate.parse(dt.date.today().isoformat())
    except DateError as exc:
        raise ScaffoldError(f"--date {exc}") from None
    slug = slugify(title)
    if not slug:
        raise ScaffoldError(f"cannot make a file name from the title {title!r}: "
                            "use letters or digits in it")
    target = config.content / f"{slug}.md"
    # Events are read from any folder of content/: a file of the same name in another folder
    # would take the same address
    same = [path for path, kind in scan(config.content).found if kind == "event" and path.name == target.name]
    if same and target not in same:
        raise ExistsError(f"{_display(same[0])} already exists, an event with the same name and address "
                          f"(/events/{slug}/): nothing was written. Edit that file, or choose another title")
    if fmt == "toml":
        text = toml_event_text(title, when, slug)
    else:
        text = event_text(title, when, slug, schema_path(target, config.output))
    config.content.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "x", encoding="utf-8", newline="\n") as handle:   # "x": never overwrite
            handle.write(text)
    except FileExistsError:
        raise ExistsError(f"{target} already exists: nothing was written. Edit that file, or choose "
                          "another title") from None
    return target


def run(config: Config, title: str, date: str | None, fmt: str = "yaml") -> int:
    """The `new` command: 0 written, 1 the file exists already, 2 unusable title or date."""
    try:
        path = create(config, title, date, fmt)
    except ExistsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    shown = _display(path)
    print(f"Wrote {shown}\n"
          f"Fill it in (every field is explained in it), then check it with: dateline check\n"
          f"or watch it as you edit with: dateline serve")
    return 0


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


__all__ = ["run", "create", "slugify", "event_text", "toml_event_text", "schema_path", "FORMATS", "ScaffoldError",
           "ExistsError"]
