"""Front matter in YAML (between '---'), TOML (between '+++') and JSON (an object from a line '{'
to a line '}'): python-frontmatter's handlers find and split it; the same entry gives the same
page in each; every mistake is reported at its `path:line`."""

from __future__ import annotations

import pytest

from dateline import frontmatter
from dateline.importers.writer import existing
from helpers import assert_error, build_site

YAML = """\
---
title: "River floods the lower town"
date: 2025-03-14
time: "04:05"
end: 2025-03-16
summary: "The river rose two metres overnight."
place:
  name: Millbrook
  lat: 52.2
  lon: 0.12
  precision: town
  country: Nowhere
actors: [Millbrook fire service, River Authority]
tags: [flood]
in_response_to: [{event: heavy-rain, source: gazette}]
sources:
  - id: gazette
    publisher: The Millbrook Gazette
    title: "Lower town under water"
    date: 2025-03-15
    url: https://example.org/news/river-peaks
reports:
  - as_of: 2025-03-15
    by: Millbrook fire service
    source: gazette
    killed: {civilians: 2}
    injured: {}
    at_least: true
corrections: [{date: 2025-03-20, text: "An earlier version gave the wrong day."}]
extra: {photo_credit: Reuters}
---
The water came in at night. It followed [the rain](heavy-rain.md).
"""

TOML = """\
+++
title = "River floods the lower town"
date = 2025-03-14
time = "04:05"
end = 2025-03-16
summary = "The river rose two metres overnight."
actors = ["Millbrook fire service", "River Authority"]
tags = ["flood"]
in_response_to = [{event = "heavy-rain", source = "gazette"}]
corrections = [{date = 2025-03-20, text = "An earlier version gave the wrong day."}]
extra = {photo_credit = "Reuters"}

[place]
name = "Millbrook"
lat = 52.2
lon = 0.12
precision = "town"
country = "Nowhere"

[[sources]]
id = "gazette"
publisher = "The Millbrook Gazette"
title = "Lower town under water"
date = 2025-03-15
url = "https://example.org/news/river-peaks"

[[reports]]
as_of = 2025-03-15
by = "Millbrook fire service"
source = "gazette"
killed = {civilians = 2}
injured = {}
at_least = true
+++
The water came in at night. It followed [the rain](heavy-rain.md).
"""

JSON = """\
{
  "title": "River floods the lower town",
  "date": "2025-03-14",
  "time": "04:05",
  "end": "2025-03-16",
  "summary": "The river rose two metres overnight.",
  "place": {
    "name": "Millbrook",
    "lat": 52.2,
    "lon": 0.12,
    "precision": "town",
    "country": "Nowhere"
  },
  "actors": ["Millbrook fire service", "River Authority"],
  "tags": ["flood"],
  "in_response_to": [{"event": "heavy-rain", "source": "gazette"}],
  "sources": [
    {
      "id": "gazette",
      "publisher": "The Millbrook Gazette",
      "title": "Lower town under water",
      "date": "2025-03-15",
      "url": "https://example.org/news/river-peaks"
    }
  ],
  "reports": [
    {"as_of": "2025-03-15", "by": "Millbrook fire service", "source": "gazette",
     "killed": {"civilians": 2}, "injured": {}, "at_least": true}
  ],
  "corrections": [{"date": "2025-03-20", "text": "An earlier version gave the wrong day."}],
  "extra": {"photo_credit": "Reuters"}
}
The water came in at night. It followed [the rain](heavy-rain.md).
"""

RAIN = """\
---
title: Heavy rain in the hills
date: 2025-03-13
place: {name: Millbrook, lat: 52.2, lon: 0.12, precision: town}
---
It rained.
"""


def test_the_same_entry_in_yaml_toml_and_json_gives_the_same_pages(tmp_path):
    pages = {}
    for name, text in (("yaml", YAML), ("toml", TOML), ("json", JSON)):
        files = {"content/river-floods.md": text, "content/heavy-rain.md": RAIN}
        result = build_site(tmp_path / name, files, "build", "--no-search")
        assert result.exit_code == 0, result
        pages[name] = {rel: result.read(rel) for rel in
                       ("events/river-floods/index.html", "events/heavy-rain/index.html", "timeline.json", "events.csv",
                                    "reports.csv", "feed.json")}
    assert pages["toml"] == pages["yaml"]
    assert pages["json"] == pages["yaml"]
    page = pages["yaml"]["events/river-floods/index.html"]
    # the page shows what every field gave, so equal pages are equal events
    for shown in ("River floods the lower town", "14", "16 March 2025", "04:05", "Millbrook fire service",
                  "The Millbrook Gazette", "An earlier version gave the wrong day.", "heavy-rain/\""):
        assert shown in page, shown


def test_toml_dates_are_read_as_the_text_written(tmp_path):
    whole = "+++\ntitle = \"A\"\ndate = 2024-01-16\n+++\nBody.\n"
    month = "+++\ntitle = \"B\"\ndate = \"2024-01\"\n+++\nBody.\n"
    result = build_site(tmp_path, {"content/a.md": whole, "content/b.md": month}, "build", "--no-search")
    assert result.exit_code == 0, result
    assert "16 January 2024" in result.read("events/a/index.html")
    assert "January 2024" in result.read("events/b/index.html")
    assert "1 January 2024" not in result.read("events/b/index.html")
    document = frontmatter.load(frontmatter.split("+++\ndate = 2024-01-16\nt = 04:05:00\n"
                                                  "w = 2024-01-16 04:05:00\n+++\n"))
    assert document.value == {"date": "2024-01-16", "t": "04:05:00", "w": "2024-01-16 04:05:00"}


# A bad value at a known line: the same check, the same message, at the line of the key.
BAD_VALUE = {
    "yaml": ("---\ntitle: A\ndate: 2024-13-01\n---\nBody.\n", 3),
    "toml": ('+++\ntitle = "A"\n\ndate = "2024-13-01"\n+++\nBody.\n', 4),
    "json": ('{\n  "title": "A",\n  "summary": "x",\n  "date": "2024-13-01"\n}\nBody.\n', 4),
}


@pytest.mark.parametrize("fmt", BAD_VALUE)
def test_a_bad_value_is_reported_at_its_line_in_every_format(tmp_path, fmt):
    text, line = BAD_VALUE[fmt]
    assert_error(build_site(tmp_path, {"content/a.md": text}), "content/a.md", line, "has no month 13")


# A bad figure inside the second report: nested tables and lists keep their lines too.
NESTED = {
    "yaml": ("---\ntitle: A\ndate: 2024-01-02\nsources:\n  - id: s\n    publisher: P\n    title: T\n"
             "    date: 2024-01-02\nreports:\n  - as_of: 2024-01-02\n    by: X\n    source: s\n"
             "    killed: {civilians: 1}\n  - as_of: 2024-01-03\n    by: Y\n    source: s\n"
             "    killed:\n      civilians: -4\n---\n", 18),
    "toml": ('+++\ntitle = "A"\ndate = 2024-01-02\n\n[[sources]]\nid = "s"\npublisher = "P"\ntitle = "T"\n'
             'date = 2024-01-02\n\n[[reports]]\nas_of = 2024-01-02\nby = "X"\nsource = "s"\n'
             'killed = {civilians = 1}\n\n[[reports]]\nas_of = 2024-01-03\nby = "Y"\nsource = "s"\n'
             '[reports.killed]\ncivilians = -4\n+++\n', 22),
    "json": ('{\n "title": "A",\n "date": "2024-01-02",\n "sources": [{"id": "s", "publisher": "P",\n'
             '   "title": "T", "date": "2024-01-02"}],\n "reports": [\n'
             '  {"as_of": "2024-01-02", "by": "X", "source": "s", "killed": {"civilians": 1}},\n'
             '  {"as_of": "2024-01-03", "by": "Y", "source": "s",\n   "killed": {\n'
             '     "civilians": -4}}\n ]\n}\n', 10),
}


@pytest.mark.parametrize("fmt", NESTED)
def test_a_nested_bad_value_is_reported_at_its_line_in_every_format(tmp_path, fmt):
    text, line = NESTED[fmt]
    result = build_site(tmp_path, {"content/a.md": text})
    assert_error(result, "content/a.md", line, "civilians", count=None)


SYNTAX = {
    "toml unquoted text": ('+++\ntitle = "A"\nsummary = Water everywhere\ndate = 2024-01-02\n+++\n', 3,
                           'TOML cannot be read: text must be in quotes: summary = "Water everywhere"'),
    "toml month date": ('+++\ntitle = "A"\ndate = 2024-01\n+++\n', 3,
                        'write it in quotes: date = "2024-01"'),
    "toml no such day": ('+++\ntitle = "A"\ndate = 2024-02-30\n+++\n', 3,
                         "TOML cannot be read: '2024-02-30' does not exist: February 2024 has 29 days"),
    "toml null": ('+++\ntitle = "A"\ndate = 2024-01-02\nsummary = null\n+++\n', 4, "TOML has no null"),
    "toml key twice": ('+++\ntitle = "A"\ndate = 2024-01-02\ntitle = "B"\n+++\n', 4, "'title' is set twice"),
    "toml list never closed": ('+++\ntitle = "A"\ndate = 2024-01-02\ntags = ["a",\n  "b"\n+++\n', 4,
                               "the '[' that starts this list is never closed"),
    "toml not a number": ('+++\ntitle = "A"\ndate = 2024-01-02\n\n[place]\nname = "M"\nlat = nan\n+++\n', 7,
                          "nan is not a number a field can take"),
    "toml never closed": ('+++\ntitle = "A"\ndate = 2024-01-02\n', 1, "never closed: add a line '+++'"),
    "json trailing comma": ('{\n  "title": "A",\n  "date": "2024-01-02",\n}\n', 4,
                            "JSON allows no comma after the last field"),
    "json unquoted": ('{\n  "title": "A",\n  "date": 2024-01-02\n}\n', 3, "JSON cannot be read"),
    "json bare word": ('{\n  "title": A flood,\n  "date": "2024-01-02"\n}\n', 2, "text must be in double quotes"),
    "json key twice": ('{\n  "title": "A",\n  "date": "2024-01-02",\n  "title": "B"\n}\n', 4,
                       "duplicate key 'title' (first on line 2)"),
    "json never closed": ('{\n  "title": "A",\n  "date": "2024-01-02"\n', 1, "never closed: add a line '}'"),
    "json brace alone": ('{\n  "title": "A",\n  "place": {\n    "name": "M", "lat": 1, "lon": 2, '
                         '"precision": "town"\n}\n}\nBody\n', 5, "indent the '}'"),
}


@pytest.mark.parametrize("case", SYNTAX)
def test_syntax_errors_name_their_line(tmp_path, case):
    text, line, message = SYNTAX[case]
    assert_error(build_site(tmp_path, {"content/a.md": text}), "content/a.md", line, message)


def test_a_file_with_no_front_matter_is_told_the_three_formats(tmp_path):
    result = build_site(tmp_path, {"content/a.md": "title = 'A'\n"})
    assert_error(result, "content/a.md", 1, "or TOML between two '+++' lines, or a JSON object")


def test_line_maps_of_toml_and_json():
    toml = frontmatter.load(frontmatter.split(
        '+++\ntitle = "A"   # a comment\nnote = """\nx = 1\n"""\ntags = [\n  "a", # one\n  "b",\n]\n'
        'a.b = 1\n\n[place]\nname = "M"\n\n[[sources]]\nid = "s"\n\n[[sources]]\nid = "t"\n'
        '[sources.extra]\nk = 1\n+++\n'))
    assert toml.line("title") == 1 and toml.line("note") == 2 and toml.line("tags", 1) == 7
    assert toml.line("a", "b") == 9 and toml.line("place", "name") == 12
    assert toml.line("sources", 0, "id") == 15 and toml.line("sources", 1) == 17
    assert toml.line("sources", 1, "extra", "k") == 20
    json = frontmatter.load(frontmatter.split(
        '{\n "title": "A \\" }",\n "tags": [\n  "a",\n  "b"\n ],\n "reports": [\n  {"by": "X"},\n'
        '  {\n   "by": "Y"\n  }\n ]\n}\n'))
    assert json.line("title") == 2 and json.line("tags", 1) == 5
    assert json.line("reports", 0, "by") == 8 and json.line("reports", 1) == 9
    assert json.line("reports", 1, "by") == 10


def test_import_finds_import_ids_in_toml_and_json_entries(tmp_path):
    (tmp_path / "a.md").write_text('+++\ntitle = "A"\ndate = 2024-01-02\nimport_id = "acled:X1"\n+++\n')
    (tmp_path / "b.md").write_text('{\n "title": "B", "date": "2024-01-02", "import_id": "acled:X2",\n'
                                   ' "slug": "bee"\n}\n')
    found = existing(tmp_path)
    assert found.by_id == {"acled:X1": "a.md", "acled:X2": "b.md"}
    assert "bee" in found.slugs


def test_the_three_give_the_same_fields_and_the_json_schema_describes_them():
    import json

    import jsonschema

    from dateline import schema
    values = {name: frontmatter.load(frontmatter.split(text)).value
              for name, text in (("yaml", YAML), ("toml", TOML), ("json", JSON))}
    assert values["toml"] == values["yaml"] and values["json"] == values["yaml"]
    event_schema = json.loads(schema.schema_files()["schema/event.json"])
    for value in values.values():
        jsonschema.validate(value, event_schema)
    assert "TOML" in event_schema["description"] and "JSON" in event_schema["description"]


@pytest.mark.parametrize("text", ['+++\ntitle = "Flood"\ndate = 2024-01-02\n+++\n',
                                  '{\n "title": "Flood", "date": "2024-01-02"\n}\n'])
def test_a_txt_file_with_toml_or_json_front_matter_is_an_error(tmp_path, text):
    files = {"content/flood.txt": text, "content/notes.txt": "{not front matter}\n"}
    assert_error(build_site(tmp_path, files), "content/flood.txt", 1, "rename it to flood.md")


# -- the line readers, against generated documents ----------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TEXT = st.text(alphabet="ab #=[]{},.\"'\\:~", max_size=8)
_SCALAR = st.one_of(
    st.integers(-10**6, 10**6).map(str),
    st.sampled_from(["true", "false", "1.5", "2024-01-16", "2024-01-16T04:05:00", "04:05:00", "-1_000"]),
    # a basic string, with escapes (~ becomes an escaped newline)
    _TEXT.map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"').replace("~", "\\n") + '"'),
    _TEXT.filter(lambda t: "'" not in t).map(lambda t: f"'{t}'"),
)


def _toml_value(draw, depth=0):
    kind = draw(st.sampled_from(["scalar", "scalar", "array", "table"] if depth < 2 else ["scalar"]))
    if kind == "scalar":
        return draw(_SCALAR)
    if kind == "array":
        items = [_toml_value(draw, depth + 1) for _ in range(draw(st.integers(0, 3)))]
        return "[" + ", ".join(items) + "]"
    keys = draw(st.lists(st.sampled_from(["x", "y", "z-1", '"q k"']), unique=True, max_size=3))
    return "{" + ", ".join(f"{k} = {_toml_value(draw, depth + 1)}" for k in keys) + "}"


@st.composite
def toml_documents(draw):
    lines, expected = [], {}
    for index in range(draw(st.integers(1, 6))):
        for _ in range(draw(st.integers(0, 2))):
            lines.append(draw(st.sampled_from(["", "# a comment", "   "])))
        key = f"k{index}"
        expected[(key,)] = len(lines) + 1
        if draw(st.booleans()):
            lines.append(f"{key} = {_toml_value(draw)}  # after")
        else:   # a list over several lines, a comment inside
            items = [_toml_value(draw, 1) for _ in range(draw(st.integers(1, 3)))]
            lines.append(f"{key} = [")
            for number, item in enumerate(items):
                expected[(key, number)] = len(lines) + 1
                lines.append(f"  {item}, # item {number}")
            lines.append("]")
    for index in range(draw(st.integers(0, 3))):
        lines.append("[[rows]]")
        expected[("rows", index)] = len(lines)
        expected[("rows", index, "id")] = len(lines) + 1
        lines.append(f"id = {index}")
        lines += ['note = """', "x = 1", "[not a table]", '"""']
    return "\n".join(lines) + "\n", expected


@settings(max_examples=150, deadline=None)
@given(toml_documents())
def test_toml_lines_of_generated_documents(case):
    text, expected = case
    import tomllib
    tomllib.loads(text)
    document = frontmatter.BY_NAME["toml"].load(text)
    assert {path: document.lines[path] for path in expected} == expected, text


@settings(max_examples=150, deadline=None)
@given(st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5)),
                    lambda inner: st.one_of(st.lists(inner, max_size=3),
                                            st.dictionaries(st.text(max_size=3), inner, max_size=3)),
                    max_leaves=12),
       st.sampled_from([None, 1, 2]))
def test_json_lines_of_generated_documents(value, indent):
    import json
    fields = {"k": value, "z": [value]}
    text = json.dumps(fields, indent=indent)
    document = frontmatter.BY_NAME["json"].load(text)
    assert document.value == fields
    lines = text.split("\n")
    for path, line in document.lines.items():   # each key is on the line it names
        if path and isinstance(path[-1], str):
            assert json.dumps(path[-1]) + ":" in lines[line - 1], (path, text)
