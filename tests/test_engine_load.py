"""Stage 1 (load.py, yamlload.py): the file itself — encoding, the `---` fences, YAML syntax —
and that every problem is reported as `content/<file>:<line>: message` with the editor's line."""

from __future__ import annotations

import os

import pytest

from dateline import yamlload
from dateline.load import MAX_BYTES
from helpers import PLACE, assert_error, build_site, event, valid_timeline

GOOD = "---\ntitle: A flood\ndate: 2024-01-15\n---\nBody.\n"


def check(tmp_path, files):
    return build_site(tmp_path, files, "check")


# -- the fences ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "\n\n", "   \n"], ids=["empty", "newlines", "spaces"])
def test_empty_file(tmp_path, text):
    assert_error(check(tmp_path, {"content/a.md": text}), "content/a.md", 1, "empty file")


def test_file_without_front_matter(tmp_path):
    result = check(tmp_path, {"content/a.md": "# A flood\n\ntitle: A flood\n"})
    assert_error(result, "content/a.md", 1, "no front matter: the file must start with a line '---'")


def test_front_matter_never_closed(tmp_path):
    result = check(tmp_path, {"content/a.md": "---\ntitle: A flood\ndate: 2024-01-15\n\nBody.\n"})
    assert_error(result, "content/a.md", 1, "never closed: add a line '---'")


def test_front_matter_that_is_not_fields(tmp_path):
    result = check(tmp_path, {"content/a.md": "---\n- title\n- date\n---\n"})
    assert_error(result, "content/a.md", 2, "must be fields like 'title: ...'")


def test_empty_front_matter_reports_the_missing_fields(tmp_path):
    result = check(tmp_path, {"content/a.md": "---\n---\nBody.\n"})
    assert_error(result, "content/a.md", 2, "front matter must be fields")


# -- encodings ----------------------------------------------------------------------------------

def test_invalid_utf8_names_the_line(tmp_path):
    data = b"---\ntitle: A flood\ndate: 2024-01-15\nsummary: caf\xe9\n---\nBody.\n"
    result = check(tmp_path, {"content/a.md": data})
    assert_error(result, "content/a.md", 4, "not valid UTF-8 (byte 0xe9 at column 13)")


def test_invalid_utf8_in_the_body(tmp_path):
    data = GOOD.encode() + b"\nSecond paragraph.\n\nLatin-1: \xff\n"
    result = check(tmp_path, {"content/a.md": data})
    assert_error(result, "content/a.md", 9, "not valid UTF-8 (byte 0xff at column 10)")


def test_nul_byte(tmp_path):
    data = b"---\ntitle: A flood\ndate: 2024-01-15\n---\nBody\x00text\n"
    assert_error(check(tmp_path, {"content/a.md": data}), "content/a.md", 5, "binary data (a NUL byte at column 5)")


def test_control_character_in_yaml(tmp_path):
    data = "---\ntitle: A flood\ndate: 2024-01-15\nsummary: bell\x07\n---\n"
    assert_error(check(tmp_path, {"content/a.md": data}), "content/a.md", 4, "holds U+0007, a control character")


def test_bom_and_crlf_build_and_keep_their_lines(tmp_path):
    crlf = event(title="Crlf flood", place=PLACE, body="Line one\n\nSee [the other](bom.md).\n")
    files = {
        "content/bom.md": "\ufeff" + event(title="Bom flood", place=PLACE),
        "content/crlf.md": crlf.replace("\n", "\r\n"),
    }
    result = build_site(tmp_path, files)
    assert result.exit_code == 0, result
    assert "<h1 dir=\"auto\">Bom flood</h1>" in result.read("events/bom/index.html")
    page = result.read("events/crlf/index.html")
    assert "<h1 dir=\"auto\">Crlf flood</h1>" in page and "\r" not in page
    assert '<a href="../bom/">the other</a>' in page


def test_bom_does_not_shift_error_lines(tmp_path):
    result = check(tmp_path, {"content/a.md": "\ufeff" + event(date="2024-02-30")})
    assert_error(result, "content/a.md", 3, "'2024-02-30' does not exist")


def test_crlf_error_lines(tmp_path):
    text = ("---\ntitle: A flood\ndate: 2024-01-15\nsources:\n  - id: s1\n    publisher: The Courier\n"
            "    title: Water rises\n    date: 2024-01-15\nreports:\n  - as_of: 2024-01-15\n"
            "    by: The mayor\n    source: s2\n    killed: {civilians: 1}\n---\nBody.\n")
    result = check(tmp_path, {"content/a.md": text.replace("\n", "\r\n")})
    assert_error(result, "content/a.md", 12, "report cites source 's2'")


def test_crlf_body_line_numbers(tmp_path):
    text = event(body="One.\n\nTwo [x](missing.md).\n").replace("\n", "\r\n")
    assert_error(check(tmp_path, {"content/a.md": text}), "content/a.md", 7, "link to 'missing.md'")


def test_oversized_file(tmp_path):
    big = GOOD + "x" * (MAX_BYTES + 1)
    assert_error(check(tmp_path, {"content/a.md": big}), "content/a.md", 1, "an entry may be at most")


def test_symlink_out_of_the_content_folder_is_refused(tmp_path):
    (tmp_path / "outside.md").write_text(GOOD)
    (tmp_path / "content").mkdir()
    os.symlink(tmp_path / "outside.md", tmp_path / "content" / "a.md")
    assert_error(check(tmp_path, {}), "content/a.md", 1, "outside the content folder")


def test_a_pages_folder_linked_from_outside_the_content_folder_is_refused(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "about.md").write_text("---\ntitle: About\n---\nPrivate.\n")
    (tmp_path / "content").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "content" / "pages")
    assert_error(check(tmp_path, {"content/a.md": GOOD}), "content/pages/about.md", 1,
                 "outside the content folder")


# -- YAML -----------------------------------------------------------------------------------------

def test_an_unclosed_bracket_is_reported_where_it_opens(tmp_path):
    text = "---\ntitle: A flood\ndate: 2024-01-15\ntags: [rain, river\nactors: [mayor]\n---\n"
    result = check(tmp_path, {"content/a.md": text})
    assert_error(result, "content/a.md", 4, "the '[' that starts this list is never closed: end the list "
                                            "with ']' on this line (tags: [rain, river])")


def test_unquoted_colon_in_a_value_says_to_quote_it(tmp_path):
    text = "---\ntitle: Flood: day two\ndate: 2024-01-15\n---\n"
    assert_error(check(tmp_path, {"content/a.md": text}), "content/a.md", 2, "needs quotes")


def test_unclosed_quote(tmp_path):
    text = '---\ntitle: A flood\nsummary: "never closed\ndate: 2024-01-15\ntags: [a]\n---\n'
    result = check(tmp_path, {"content/a.md": text})
    assert_error(result, "content/a.md", 3, 'the " that starts this value is never closed: end the value '
                                            'with " on this line (summary: "never closed")')


def test_tab_indentation(tmp_path):
    text = "---\ntitle: A flood\ndate: 2024-01-15\nplace:\n\tname: Riverton\n---\n"
    assert_error(check(tmp_path, {"content/a.md": text}), "content/a.md", 5, "a tab character")


def test_duplicate_key_names_both_lines_as_the_editor_counts_them(tmp_path):
    text = "---\ntitle: A flood\ndate: 2024-01-15\ntitle: Another\n---\n"
    result = check(tmp_path, {"content/a.md": text})
    assert_error(result, "content/a.md", 4, "duplicate key 'title' (first on line 2)")


def test_duplicate_key_inside_place(tmp_path):
    text = "---\ntitle: A flood\ndate: 2024-01-15\nplace:\n  name: Riverton\n  name: Lowtown\n---\n"
    result = check(tmp_path, {"content/a.md": text})
    assert_error(result, "content/a.md", 6, "duplicate key 'name' (first on line 5)")


def test_python_tags_are_refused(tmp_path):
    text = "---\ntitle: !!python/object/apply:os.system [echo hi]\ndate: 2024-01-15\n---\n"
    assert_error(check(tmp_path, {"content/a.md": text}), "content/a.md", 2, "unsupported YAML tag")


def test_merge_keys_are_not_merged(tmp_path):
    text = "---\ntitle: A flood\ndate: 2024-01-15\nplace:\n  <<: {name: Riverton}\n---\n"
    result = check(tmp_path, {"content/a.md": text})
    assert_error(result, "content/a.md", 5, "unknown key '<<' in place", count=None)
    assert_error(result, "content/a.md", 4, "missing required key 'name'", count=None)


def test_tagged_collections_are_refused(tmp_path):
    text = "---\ntitle: A flood\ndate: 2024-01-15\ntags: !!set {rain, river}\n---\n"
    assert_error(check(tmp_path, {"content/a.md": text}), "content/a.md", 4, "unsupported YAML tag")


def test_alias_bomb_is_stopped():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]" for i in range(1, 9)]
    with pytest.raises(yamlload.YamlError, match="expands too far"):
        yamlload.load("\n".join(lines))


def test_yaml_keeps_dates_times_and_yes_as_text():
    doc = yamlload.load("date: 2024-01-16\ntime: 04:05\nflag: yes\nnone: no\nn: 7\nb: true\nz: ~\n")
    assert doc.value == {"date": "2024-01-16", "time": "04:05", "flag": "yes", "none": "no",
                         "n": 7, "b": True, "z": None}


def test_yaml_lines_within_the_text_and_errors_in_the_file():
    doc = yamlload.load("title: A\nplace:\n  name: B\ntags:\n  - x\n  - y\n", first_line=2)
    assert doc.line("place", "name") == 3 and doc.line("tags", 1) == 6
    assert doc.line("tags", 7) == 4      # falls back to the nearest parent
    with pytest.raises(yamlload.YamlError) as info:
        yamlload.load("a: 1\nb: 2\na: 3\n", first_line=2)
    assert (info.value.line, info.value.message) == (4, "duplicate key 'a' (first on line 2)")


# -- eras.yaml ----------------------------------------------------------------------------------

def test_eras_yaml_syntax_error(tmp_path):
    files = {"content/a.md": GOOD, "content/eras.yaml": "- slug: wet\n  title: [Wet\n  start: 2024\n"}
    result = check(tmp_path, files)
    assert result.exit_code == 1 and result.errors()[0][0] == "content/eras.yaml", result


def test_eras_yaml_with_bom_and_a_tab(tmp_path):
    files = {"content/a.md": GOOD, "content/eras.yaml": "\ufeff- slug: wet\n\ttitle: Wet\n"}
    assert_error(check(tmp_path, files), "content/eras.yaml", 2, "a tab character")


def test_eras_yaml_with_bom_loads(tmp_path):
    eras = "\ufeff- slug: wet\n  title: Wet season\n  start: 2024-01\n  end: 2024-03\n"
    timeline = valid_timeline(tmp_path, {"content/a.md": GOOD, "content/eras.yaml": eras})
    assert [e.title for e in timeline.eras] == ["Wet season"]
