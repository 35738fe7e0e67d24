"""The editors' JSON Schema (dateline/schema.py): valid draft 2020-12, generated from parse.py's key
tables (so they cannot drift), accepting every valid file and rejecting the common mistakes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator   # a test dependency: missing, this file fails

from dateline import frontmatter, parse, schema, yamlload
from dateline.load import split_front_matter
from helpers import PLACE, REPO, Raw, build_site, event, page, source, valid_timeline

EVENT, PAGE, ERAS = schema.event_schema(), schema.page_schema(), schema.eras_schema()
CONTENT_DIRS = [REPO / "content", REPO / "tests" / "golden" / "content"]


def front(text: str):
    """The front matter as the parser sees it (dates and times stay text), via dateline's loader."""
    parts, errors = split_front_matter(text, "x.md")
    assert parts is not None, errors
    return frontmatter.load(parts).value


def problems(validator_schema: dict, instance) -> list[str]:
    validator = Draft202012Validator(validator_schema)
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(instance)]


# -- a valid schema, published with the site ---------------------------------------------------

@pytest.mark.parametrize("name", ["event", "page", "eras"])
def test_the_schemas_are_valid_draft_2020_12(name):
    document = getattr(schema, f"{name}_schema")()
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert json.loads(schema.dumps(document)) == document


def test_every_object_is_closed_and_described():
    def walk(node, where):
        if isinstance(node, dict):
            if node.get("additionalProperties") is True:   # open on purpose: the site's own fields
                assert where.endswith(".properties.extra"), where
            elif "object" in (node["type"] if isinstance(node.get("type"), list) else [node.get("type")]):
                assert node.get("additionalProperties") is False, where
                for name, prop in node["properties"].items():
                    assert prop.get("description"), f"{where}.{name} has no description"
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}[{index}]")
    for document in (EVENT, PAGE, ERAS):
        walk(document, document["title"])
    assert EVENT["properties"]["place"]["additionalProperties"] is False       # inlined, still closed
    assert EVENT["$defs"]["report"]["properties"]["killed"]["additionalProperties"] is False


def test_every_ref_resolves():
    def refs(node):
        if isinstance(node, dict):
            if "$ref" in node:
                yield node["$ref"]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)
    for document in (EVENT, PAGE, ERAS):
        for ref in refs(document):
            assert ref.startswith("#/$defs/") and ref.removeprefix("#/$defs/") in document.get("$defs", {}), ref


def test_a_build_publishes_the_schemas(tmp_path):
    result = build_site(tmp_path, {"content/a.md": event(title="A", place=PLACE)})
    assert result.exit_code == 0, result
    assert json.loads(result.read("schema/event.json")) == EVENT
    assert json.loads(result.read("schema/page.json")) == PAGE
    assert json.loads(result.read("schema/eras.json")) == ERAS


# -- generated from the parser's tables ----------------------------------------------------------

TABLES = [
    (parse.EVENT_KEYS, lambda: EVENT),
    (parse.PAGE_KEYS, lambda: PAGE),
    (parse.PLACE_KEYS, lambda: EVENT["properties"]["place"]),
    (parse.SOURCE_KEYS, lambda: EVENT["$defs"]["source"]),
    (parse.REPORT_KEYS, lambda: EVENT["$defs"]["report"]),
    (parse.COUNT_KEYS, lambda: EVENT["$defs"]["report"]["properties"]["killed"]),
    (parse.ERA_KEYS, lambda: ERAS["items"]),
]


@pytest.mark.parametrize("table,part", TABLES, ids=["event", "page", "place", "source", "report", "counts", "era"])
def test_every_key_of_the_parser_is_in_the_schema_and_nothing_else(table, part):
    node = part()
    assert list(node["properties"]) == list(table)
    assert node.get("required", []) == [name for name, key in table.items() if key.required]
    for name, key in table.items():
        assert node["properties"][name]["description"] == key.doc


def test_every_table_value_is_a_typed_key():
    for table, _ in TABLES:
        for name, key in table.items():
            assert isinstance(key, parse.Key), name
            Draft202012Validator.check_schema({"$defs": {"place": {}, "source": {}, "report": {}, "counts": {}},
                                               **key.schema})


# -- it accepts what the parser accepts --------------------------------------------------------------

def content_files():
    for folder in CONTENT_DIRS:
        # translations (<name>.<language>.md) hold words only: tests/test_languages.py checks them
        for path in sorted(p for p in folder.glob("*.md") if "." not in p.stem):
            yield pytest.param(path, EVENT, id=f"{folder.parent.name}/{path.name}")
        for path in sorted(p for p in (folder / "pages").glob("*.md") if "." not in p.stem):
            yield pytest.param(path, PAGE, id=f"{folder.parent.name}/pages/{path.name}")


@pytest.mark.parametrize("path,document", list(content_files()))
def test_every_bundled_content_file_validates(path, document):
    assert problems(document, front(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("folder", CONTENT_DIRS, ids=lambda p: p.parent.name)
def test_bundled_eras_validate(folder):
    eras = folder / "eras.yaml"
    assert eras.is_file(), f"{eras} is gone: the bundled sites have eras, and this test checks them"
    assert problems(ERAS, yamlload.load(eras.read_text(encoding="utf-8")).value) == []


def test_valid_odd_files_validate_too(tmp_path):
    """What the parser accepts the schema must accept, or editors would see false warnings."""
    files = {
        "content/a.md": event(title=Raw("1984"), date=Raw("2024"), summary=Raw(""), place=Raw(""),
                              actors=Raw("[]"), tags=[2024, "floods"], time=None, draft=False),
        "content/b.md": event(title="B", date=Raw("2024-01-16"), time=Raw("04:05"), end=Raw("2024-01-17"),
                              approximate=True, place=PLACE, related=["a"], part_of="a",
                              sources=[source("s1", url="HTTPS://example.org/x"), source(7)],
                              reports=[{"as_of": "2024-01", "by": "Police", "source": "s1", "at_least": True,
                                        "killed": {"civilians": 0, "security": None}, "injured": {}},
                                       {"as_of": 2024, "by": "A group", "source": 7, "unverified": True,
                                        "note": "Claimed losses without a figure."}],
                              discrepancies=["One says Monday."], aliases=["/old/b/"], slug="b"),
        "content/pages/about.md": page(title="About", summary=Raw(""), draft=None),
    }
    valid_timeline(tmp_path, files)
    for name, text in files.items():
        document = PAGE if "/pages/" in name else EVENT
        assert problems(document, front(text)) == [], name


# -- and rejects the usual mistakes ---------------------------------------------------------------------

GOOD = {"title": "A", "date": "2024-01-16",
        "place": {"name": "Quetta", "lat": 30.2, "lon": 67.0, "precision": "town"},
        "sources": [{"id": "s1", "publisher": "P", "title": "T", "date": "2024-01-16"}],
        "reports": [{"as_of": "2024-01-16", "by": "Police", "source": "s1", "killed": {"civilians": 2}}]}


def changed(path: tuple, value=None, delete=False) -> dict:
    data = json.loads(json.dumps(GOOD))
    node = data
    for key in path[:-1]:
        node = node[key]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


def test_the_good_example_validates():
    assert problems(EVENT, GOOD) == []


@pytest.mark.parametrize("path,value,fragment", [
    (("dat",), "2024-01-16", "Additional properties"),                    # unknown key
    (("place", "precision"), "city", "is not one of"),                   # bad precision
    (("date",), "16/01/2024", "does not match"),                         # bad date
    (("date",), "2024-1-16", "does not match"),
    (("end",), 20240116, "maximum"),
    (("time",), "4:05", "does not match"),
    (("time",), 245, "is not of type"),                                   # 04:05 read by YAML 1.1
    (("title",), "  ", "does not match"),
    (("title",), True, "is not of type"),
    (("approximate",), "yes", "is not of type"),
    (("place", "lat"), 91, "maximum"),
    (("place", "town"), "x", "Additional properties"),
    (("sources", 0, "url"), "ftp://example.org/", "does not match"),
    (("sources", 0, "publsher"), "P", "Additional properties"),
    (("reports", 0, "killed", "civilians"), -1, "minimum"),
    (("reports", 0, "killed", "civilians"), 2.5, "is not of type"),
    (("reports", 0, "killed", "children"), 2, "Additional properties"),
    (("actors",), "Police", "is not of type"),
    (("tags",), ["a", "a"], "non-unique"),
    (("part_of",), ["a", "b"], "is not of type"),
])
def test_mistakes_fail(path, value, fragment):
    found = problems(EVENT, changed(path, value))
    assert found and any(fragment in text for text in found), found


@pytest.mark.parametrize("path", [("title",), ("date",), ("place", "lat"), ("sources", 0, "id"),
                                  ("reports", 0, "source")])
def test_missing_required_keys_fail(path):
    found = problems(EVENT, changed(path, delete=True))
    assert any("is a required property" in text for text in found), found


def test_required_keys_may_not_be_empty():
    assert problems(EVENT, changed(("title",), None))
    assert problems(EVENT, changed(("place", "precision"), None))


def test_a_page_with_an_event_field_fails():
    assert problems(PAGE, {"title": "About", "date": "2024-01-01"})


def test_eras_need_their_fields():
    assert problems(ERAS, [{"slug": "x", "title": "X", "start": "2024-01-01"}])
    assert problems(ERAS, {"slug": "x"})
    assert problems(ERAS, [{"slug": "x", "title": "X", "start": "2024", "end": "2025", "colour": "red"}])
