"""Property tests (hypothesis): whatever bytes, text or YAML-ish structure an entry holds, load,
parse and link return either a valid value or content errors (`path:line: message`), never
another exception; rendered bodies never carry script. Small example counts keep the whole file
to a few seconds; every run draws new examples, and a failure prints the one to keep."""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dateline import yamlload
from dateline.errors import ContentError
from dateline.link import link
from dateline.load import load_entry
from dateline.markdown import MarkdownRenderer
from dateline.model import Event, Page
from dateline.parse import EVENT_KEYS, PLACE_KEYS, REPORT_KEYS, SOURCE_KEYS, parse_event, parse_page
from helpers import injected_markup

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CONTENT = Path(tempfile.mkdtemp(prefix="dateline-properties-"))
atexit.register(shutil.rmtree, CONTENT, True)


def load_and_parse(data: bytes, name: str = "a.md", kind: str = "event"):
    """load + parse of one file holding `data`: (Event | Page | None, errors)."""
    path = CONTENT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    entry, errors = load_entry(path, kind, CONTENT)
    assert all(isinstance(e, ContentError) for e in errors)
    if entry is None:
        assert errors, "a file that does not load must say why"
        return None, errors
    item, errors = (parse_event if kind == "event" else parse_page)(entry)
    assert all(isinstance(e, ContentError) and e.path == name and e.line >= 1 and e.message for e in errors)
    assert (item is None) == bool(errors)
    return item, errors


# -- any bytes, any text --------------------------------------------------------------------------

@SETTINGS
@given(st.binary(max_size=2_000))
def test_any_bytes_load_or_give_content_errors(data):
    load_and_parse(data)


@SETTINGS
@given(st.binary(max_size=500))
def test_any_bytes_after_a_valid_head(data):
    load_and_parse(b"---\ntitle: A\ndate: 2024-01-02\n" + data)


@SETTINGS
@given(st.text(max_size=1_000), st.sampled_from(["event", "page"]))
def test_any_text_inside_the_fences(text, kind):
    load_and_parse(f"---\n{text}\n---\nBody.\n".encode("utf-8"), "pages/a.md" if kind == "page" else "a.md",
                   kind)


@SETTINGS
@given(st.lists(st.sampled_from(["---", "\n", "\r\n", "\ufeff", "title: A", "date: 2024-01-02", "  ", "\t",
                                 "- x", "[", "]", "{", "}", ":", "'", '"', "&a", "*a", "!!str", "#", "|", ">",
                                 "? ", "%YAML 1.2", "...", "tags: [a, b]", "x: &a [*a]"]), max_size=40))
def test_yaml_punctuation_soup(pieces):
    load_and_parse("".join(pieces).encode("utf-8"))


# -- YAML-ish structures ----------------------------------------------------------------------------

KEYS = sorted({*EVENT_KEYS, *PLACE_KEYS, *SOURCE_KEYS, *REPORT_KEYS, "civilians", "killed", "x", "<<"})
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["2024-01-02", "2024-02-30", "2024-13", "0000", "2024", "04:05", "25:61", "yes", "a.md",
                     "https://example.org/", "javascript:alert(1)", "../x", "-", "", " ", "s1", "town"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)), max_leaves=25)
FRONT = st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=10)


def as_yaml(front: dict) -> str:
    """JSON is YAML (flow style); NaN and infinities written the YAML way."""
    text = json.dumps(front, ensure_ascii=False, allow_nan=True)
    return text.replace("NaN", ".nan").replace("-Infinity", "-.inf").replace("Infinity", ".inf")


@SETTINGS
@given(FRONT, st.sampled_from(["event", "page"]))
def test_any_structure_of_known_keys_parses_or_gives_content_errors(front, kind):
    name = "pages/a.md" if kind == "page" else "a.md"
    item, _ = load_and_parse(f"---\n{as_yaml(front)}\n---\nBody.\n".encode("utf-8"), name, kind)
    assert item is None or isinstance(item, Event if kind == "event" else Page)


@SETTINGS
@given(FRONT)
def test_the_loader_keeps_what_it_is_given(front):
    """Plain values come back as written (no YAML 1.1 surprises), or the loader says why not."""
    try:
        document = yamlload.load(as_yaml(front))
    except yamlload.YamlError as exc:
        assert exc.line >= 1 and exc.message
        return
    assert isinstance(document.value, dict)
    assert set(document.value) == set(front)


# -- link, for small sets -----------------------------------------------------------------------------

SLUGS = ["a", "b", "c", "d"]
SMALL_EVENT = st.fixed_dictionaries({
    "title": st.sampled_from(["A", "B"]),
    "date": st.sampled_from(["2024", "2024-01", "2024-01-02", "2024-01-03", "2023-12-31"]),
}, optional={
    "in_response_to": st.lists(st.sampled_from(SLUGS + ["missing"]), max_size=3, unique=True),
    "part_of": st.sampled_from(SLUGS + ["missing"]),
    "related": st.lists(st.sampled_from(SLUGS), max_size=2, unique=True),
    "draft": st.booleans(),
    "slug": st.sampled_from(SLUGS),
    "aliases": st.lists(st.sampled_from(["/old/", "/events/a/", "/2024/", "/tags/x/", "/x/"]), max_size=2,
                        unique=True),
    "tags": st.lists(st.sampled_from(["x", "X", "y"]), max_size=2, unique=True),
})


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(SLUGS), SMALL_EVENT, min_size=1, max_size=4))
def test_any_small_set_of_events_links_or_gives_content_errors(entries):
    events = []
    for slug, front in entries.items():
        item, _ = load_and_parse(f"---\n{as_yaml(front)}\n---\n".encode("utf-8"), f"{slug}.md")
        if item is not None:
            events.append(item)
    timeline, errors = link(events, [], ())
    assert all(isinstance(e, ContentError) and e.line >= 1 for e in errors)
    assert (timeline is None) == bool(errors)
    if timeline:
        order = [e.slug for e in timeline.events]
        for event in timeline.events:
            for cause in (*event.in_response_to, *([event.part_of] if event.part_of else [])):
                assert order.index(cause) < order.index(event.slug)


# -- bodies ----------------------------------------------------------------------------------------------

HTMLISH = st.lists(st.one_of(st.text(max_size=20), st.sampled_from([
    "<script>", "</script>", "<img src=x onerror=alert(1)>", "<a href='javascript:alert(1)'>", "[x](",
    "javascript:alert(1))", "<iframe src=//evil.example>", "<svg onload=alert(1)>", "<!--", "-->", "`", "\n\n",
    "<style>", "data:text/html,", "<div>", "</div>", "&lt;", "[^1]", "[^1]: ", "{: onclick=x}", "*", "> "])),
    max_size=30).map("".join)


@SETTINGS
@given(HTMLISH)
def test_any_body_renders_without_script_or_handlers(text):
    html, errors = MarkdownRenderer({}).render("a.md", text, 5)
    assert all(isinstance(e, ContentError) for e in errors)
    assert not injected_markup(html, allowed_script=lambda attributes: False), html
    assert "<script" not in html.lower() and "<svg" not in html.lower()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30)


@SETTINGS
@given(JSON_VALUES, st.sampled_from([1, 2]))
def test_indented_json_is_what_json_dumps_writes(value, indent):
    from dateline.outputs.jsontext import dumps
    assert dumps(value, indent) == json.dumps(value, ensure_ascii=False, indent=indent)


@SETTINGS
@given(st.lists(JSON_VALUES, max_size=4), JSON_VALUES, st.sampled_from([1, 2]))
def test_json_of_pieces_encoded_apart_is_what_json_dumps_writes(pieces, other, indent):
    from dateline.outputs.jsontext import Encoded, dumps
    document = {"other": other, "items": pieces}
    encoded = {"other": other, "items": [Encoded(dumps(piece, indent, depth=2)) for piece in pieces]}
    assert dumps(encoded, indent) == json.dumps(document, ensure_ascii=False, indent=indent)


def _fold_by_character(line: str) -> str:
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


@SETTINGS
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_ics_folding_cuts_each_line_as_long_as_it_can_be(line):
    # RFC 5545 3.1: at most 75 octets a line, never inside a UTF-8 character
    from dateline.outputs.ics import fold
    folded = fold(line)
    assert folded == _fold_by_character(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))


@SETTINGS
@given(st.text(st.sampled_from("aZ09-_ ./\t"), max_size=12))
def test_an_ascii_slug_is_checked_as_any_other(text):
    from dateline.slugs import _ASCII_SHAPE, _shape
    assert (_ASCII_SHAPE.fullmatch(text) is not None) == _shape(text)
