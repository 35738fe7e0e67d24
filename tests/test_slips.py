"""A new user's slips: nothing they write is dropped without a word, and every error says, at the
line of the mistake, what is wrong and what to write instead."""

from __future__ import annotations

import pytest
from PIL import Image

from helpers import PLACE, assert_error, build_site, event, jpeg, page

GOOD = "---\ntitle: A flood\ndate: 2024-01-15\n---\nBody.\n"


def check(tmp_path, files):
    return build_site(tmp_path, files, "check")


# -- files and folders ---------------------------------------------------------------------------

def test_events_in_any_folder_are_read_and_keep_their_addresses(tmp_path):
    files = {"content/2024/jan/levee.md": event(title="Levee breaks", place=PLACE),
             "content/2023/dam.md": event(title="Dam holds", date="2023-05-01", place=PLACE),
             "content/pages/team/who.md": page(title="Who we are")}
    result = build_site(tmp_path, files)
    assert result.exit_code == 0, result
    assert "Levee breaks" in result.read("events/levee/index.html")
    assert "Dam holds" in result.read("events/dam/index.html")
    assert "Who we are" in result.read("who/index.html")


def test_two_events_with_one_slug_in_two_folders_name_both_files(tmp_path):
    files = {"content/2024/flood.md": GOOD, "content/2025/flood.md": GOOD}
    assert_error(check(tmp_path, files), "content/2025/flood.md", 1,
                 "slug 'flood' is already used by 2024/flood.md: both would write /events/flood/: "
                 "rename one of the files, or give one a 'slug:'")


@pytest.mark.parametrize("name, stem", [
    ("flood.markdown", "flood"), ("flood.MD", "flood"), ("flood.Md", "flood"), ("flood.md.txt", "flood"),
    ("flood.mdown", "flood"), ("flood.mkd", "flood"), ("2024/flood.markdown", "flood"),
    ("pages/about.MD", "about"),
])
def test_a_file_named_almost_like_an_entry_is_an_error(tmp_path, name, stem):
    result = check(tmp_path, {"content/a.md": GOOD, f"content/{name}": GOOD})
    assert_error(result, f"content/{name}", 1, f"not read: entries are read only from files whose names "
                                               f"end in '.md' (lower case): rename it to {stem}.md")


def test_a_txt_file_with_front_matter_is_an_error_and_a_note_is_not(tmp_path):
    files = {"content/a.md": GOOD, "content/flood.txt": GOOD, "content/notes.txt": "to do: ask the mayor\n"}
    assert_error(check(tmp_path, files), "content/flood.txt", 1, "rename it to flood.md")


def test_a_misnamed_eras_file_is_an_error(tmp_path):
    files = {"content/a.md": GOOD, "content/eras.yml": "- slug: wet\n"}
    assert_error(check(tmp_path, files), "content/eras.yml", 1, "rename it to eras.yaml")


def test_hidden_files_and_editors_files_stay_ignored(tmp_path):
    files = {"content/a.md": GOOD, "content/.a.md.swp": "x", "content/#a.md#": "x", "content/a.md~": "x",
             "content/.git/b.md": "x", "content/2024/.c.md": "x", "content/4913": "", "content/photo.jpg": b"\xff"}
    result = check(tmp_path, files)
    assert result.exit_code == 0, result


# -- ' #' in a value -----------------------------------------------------------------------------

def test_a_title_cut_by_a_comment_is_an_error_with_the_quoted_title(tmp_path):
    text = "---\ntitle: Attack #2 on a convoy\ndate: 2024-01-15\n---\n"
    assert_error(check(tmp_path, {"content/a.md": text}), "content/a.md", 2,
                 "the text after ' #' is read as a comment, leaving the title 'Attack': put the title in "
                 "quotes: title: \"Attack #2 on a convoy\"")


def test_a_summary_or_a_source_note_cut_by_a_comment_is_an_error(tmp_path):
    text = ('---\ntitle: A\ndate: 2024-01-15\nsummary: The "second" #2 strike\nsources:\n  - id: s1\n'
            '    publisher: P\n    title: T\n    date: 2024-01-15\n    note: page #4\n---\n')
    result = check(tmp_path, {"content/a.md": text})
    assert_error(result, "content/a.md", 4, "put the summary in quotes: summary: 'The \"second\" #2 strike'",
                 count=2)
    assert_error(result, "content/a.md", 10, 'put the note in quotes: note: "page #4"', count=2)


def test_an_era_title_cut_by_a_comment_is_an_error(tmp_path):
    eras = "- slug: wet\n  title: Wet #1\n  start: 2024-01\n  end: 2024-03\n"
    assert_error(check(tmp_path, {"content/a.md": GOOD, "content/eras.yaml": eras}), "content/eras.yaml", 2,
                 'put the title in quotes: title: "Wet #1"')


def test_comments_after_numbers_lists_and_quoted_text_and_alone_are_fine(tmp_path):
    text = ('---\n# the first strike\ntitle: "Attack #2" # the name the press used\ndate: 2024-01-15 # about\n'
            'tags: [flood, river] # both\nplace:\n  name: Riverton\n  country: Vale\n  lat: 46.2 # centre\n'
            '  lon: 7.4\n  precision: town\n---\n')
    result = build_site(tmp_path, {"content/a.md": text})
    assert result.exit_code == 0, result
    assert "Attack #2" in result.read("events/a/index.html")


# -- YAML syntax ---------------------------------------------------------------------------------

@pytest.mark.parametrize("front, line, message", [
    # an unclosed quote: PyYAML notices it lines later
    ('title: A\ndate: 2024-01-15\nsummary: "never closed\ntags: [a]\nactors: [b]\nplace:\n  name: x\n', 4,
     'the " that starts this value is never closed: end the value with " on this line (summary: "never closed")'),
    ("title: A\nsummary: 'never closed\ndate: 2024-01-15\n", 3,
     "the ' that starts this value is never closed"),
    # no space after a colon: PyYAML notices it at the next key
    ("title: A\ndate:2025-03\ntags: [a]\n", 3,
     "no space after the ':' of 'date', so YAML does not read a field here: write date: 2025-03"),
    ("title: A\ndate:2025-03\n", 3, "write date: 2025-03"),
    ("date:2025-03\n", 2, "write date: 2025-03"),
    # unclosed brackets: PyYAML notices them at the next line
    ("title: A\ndate: 2024-01-15\ntags: [a, b\nactors: [c]\nsummary: x\n", 4,
     "the '[' that starts this list is never closed: end the list with ']' on this line (tags: [a, b])"),
    ("title: A\ndate: 2024-01-15\nplace: {name: x, lat: 3\nactors: [c]\n", 4,
     "the '{' that starts this group of fields is never closed: end the group of fields with '}' on this line"),
    # indentation
    ("title: A\n  date: 2024-01-15\n", 3,
     "this line is indented further than 'title' on line 2, which already has a value: line it up with 'title'"),
    ("title: A\ndate: 2024-01-15\nplace:\n  name: x\n country: Vale\n", 6,
     "this line is indented by 1 space, which lines up with no field above it: indent it by 2 spaces, "
     "to line it up with 'name' on line 5"),
    ("title: A\ndate: 2024-01-15\nsources:\n  - id: a\n   title: b\n", 6,
     "indent it by 4 spaces, to line it up with 'id' on line 5"),
    ("  title: A\ndate: 2024-01-15\n", 2, "the first field is indented by 2 spaces: start it at the beginning"),
    # quotes inside quotes
    ('title: "He said "no""\ndate: 2024-01-15\n', 2,
     "a quote inside a quoted value ends it; quote the whole value with the other kind of quote: title: 'He said \"no\"'"),
    ("title: 'It's here'\ndate: 2024-01-15\n", 2, "title: \"It's here\""),
    # a colon in a value
    ("title: Flood: day two\ndate: 2024-01-15\n", 2,
     "a ':' inside the value of 'title': a value with ': ' in it needs quotes: title: \"Flood: day two\""),
    # characters that start something else in YAML
    ("title: @home\ndate: 2024-01-15\n", 2, "a value cannot start with '@' unquoted: put the whole value in "
                                           "quotes: title: \"@home\""),
    ("title: *x\ndate: 2024-01-15\n", 2, "a value cannot start with '*' unquoted"),
    ('title: "C:\\path"\ndate: 2024-01-15\n', 2, "a backslash inside double quotes starts an escape code"),
    ("title: A\ndate: 2024-01-15\ntags: [a]]\n", 4, "a ']' that closes nothing: remove it"),
], ids=["unclosed double quote", "unclosed single quote", "no space after colon", "no space on the last line",
        "no space alone", "unclosed [", "unclosed {", "over-indented", "under-indented",
        "list item misaligned", "first line indented", "double quotes in double quotes",
        "single quote in single quotes", "colon in value", "at sign", "asterisk", "backslash", "extra ]"])
def test_yaml_slips_are_reported_at_their_line_with_the_fix(tmp_path, front, line, message):
    result = check(tmp_path, {"content/a.md": f"---\n{front}---\nBody.\n"})
    assert_error(result, "content/a.md", line, message)
    for jargon in ("<block", "scalar", "token", "expected", "stream"):
        assert jargon not in result.stderr, result


def test_the_eras_file_gets_the_same_yaml_diagnosis(tmp_path):
    eras = '- slug: wet\n  title: "Wet season\n  start: 2024-01\n  end: 2024-03\n'
    assert_error(check(tmp_path, {"content/a.md": GOOD, "content/eras.yaml": eras}), "content/eras.yaml", 2,
                 'the " that starts this value is never closed')


# -- links and images in bodies ------------------------------------------------------------------

def test_a_link_to_an_entry_without_md_is_an_error_with_the_fix(tmp_path):
    files = {"content/coordinated-attacks-2026.md": GOOD,
             "content/a.md": GOOD.replace("Body.", "Intro.\n\nSee [the attacks](coordinated-attacks-2026).")}
    assert_error(check(tmp_path, files), "content/a.md", 7,
                 "link to 'coordinated-attacks-2026', which is an entry written without '.md', a page that "
                 "does not exist: write (coordinated-attacks-2026.md)")


def test_a_link_to_an_entry_in_another_folder_without_md_is_an_error(tmp_path):
    files = {"content/2024/b.md": GOOD, "content/2024/a.md": GOOD.replace("Body.", "See [b](b/).")}
    assert_error(check(tmp_path, files), "content/2024/a.md", 5, "write (b.md)")


def test_a_missing_image_is_an_error_at_its_line(tmp_path):
    files = {"content/a.md": GOOD.replace("Body.", "Text.\n\n![The levee](photo.jpg)")}
    assert_error(check(tmp_path, files), "content/a.md", 7,
                 "image 'photo.jpg', but there is no such file in the content folder (looked for "
                 "content/photo.jpg): save it beside the entry or in content/media/, or correct the name")


def test_a_missing_static_image_is_an_error_at_its_line(tmp_path):
    files = {"content/a.md": GOOD.replace("Body.", "![x](/static/missing.png)")}
    assert_error(check(tmp_path, files), "content/a.md", 5,
                 "image '/static/missing.png', but the theme has no file static/missing.png: save it in the "
                 "site's templates/static/ folder, or correct the name")


def test_an_image_in_the_sites_static_folder_is_fine(tmp_path):
    files = {"content/a.md": GOOD.replace("Body.", "![x](/static/map.png)"),
             "templates/static/map.png": b"\x89PNG"}
    assert check(tmp_path, files).exit_code == 0


def test_a_missing_file_linked_from_a_body_is_an_error(tmp_path):
    files = {"content/a.md": GOOD.replace("Body.", "[the report](report.pdf)")}
    assert_error(check(tmp_path, files), "content/a.md", 5, "link to 'report.pdf', but there is no such file")


def test_an_image_beside_an_entry_is_published_and_linked_from_every_page(tmp_path):
    image = jpeg(width=12, height=9)
    files = {"content/2024/a.md": event(body="![The levee](photo%20one.jpg)\n\n[report](docs/report.pdf)\n",
                                        place=PLACE),
             "content/2024/photo one.jpg": image, "content/2024/docs/report.pdf": b"%PDF-1.4",
             "content/2024/unused.jpg": b"not linked"}
    result = build_site(tmp_path, files)
    assert result.exit_code == 0, result
    with Image.open(result.out_dir / "media/2024/photo one.jpg") as published:   # re-encoded, metadata stripped
        assert (published.format, published.size) == ("JPEG", (12, 9))
    assert (result.out_dir / "media/2024/docs/report.pdf").read_bytes() == b"%PDF-1.4"
    assert not result.exists("media/2024/unused.jpg")
    html = result.read("events/a/index.html")
    assert 'src="../../media/2024/photo%20one.jpg"' in html and 'href="../../media/2024/docs/report.pdf"' in html


def test_a_published_image_works_under_a_subpath(tmp_path):
    from helpers import PYPROJECT
    pyproject = PYPROJECT.replace('base_url = "/"', 'base_url = "https://example.org/timeline/"')
    files = {"content/a.md": event(body="![The levee](photo.jpg)\n", place=PLACE), "content/photo.jpg": jpeg()}
    result = build_site(tmp_path, files, pyproject=pyproject)
    assert result.exit_code == 0, result
    assert 'src="../../media/photo.jpg"' in result.read("events/a/index.html")
    assert "https://example.org/timeline/media/photo.jpg" in result.read("feed.xml")


def test_an_image_too_large_to_publish_is_an_error(tmp_path):
    from dateline.markdown import MAX_MEDIA_BYTES
    files = {"content/a.md": GOOD.replace("Body.", "![x](big.jpg)"), "content/big.jpg": b"0" * (MAX_MEDIA_BYTES + 1)}
    assert_error(check(tmp_path, files), "content/a.md", 5, "image 'big.jpg', which is 10,000,001 bytes")


def test_an_image_removed_after_a_build_is_an_error_the_next_time(tmp_path):
    files = {"content/a.md": event(body="![x](photo.jpg)\n", place=PLACE), "content/photo.jpg": jpeg()}
    assert build_site(tmp_path, files).exit_code == 0
    (tmp_path / "content/photo.jpg").unlink()
    assert_error(build_site(tmp_path, {}), "content/a.md", 6, "image 'photo.jpg', but there is no such file")


def test_a_link_to_an_entry_in_another_folder_names_its_path(tmp_path):
    files = {"content/2023/b.md": GOOD, "content/2024/a.md": GOOD.replace("Body.", "See [b](b.md).")}
    assert_error(check(tmp_path, files), "content/2024/a.md", 5,
                 "link to 'b.md', but there is no such content file: write (../2023/b.md)")


def test_a_page_title_cut_by_a_comment_is_an_error(tmp_path):
    files = {"content/a.md": GOOD, "content/pages/about.md": "---\ntitle: About us #1\n---\nText.\n"}
    assert_error(check(tmp_path, files), "content/pages/about.md", 2, 'title: "About us #1"')


def test_links_to_a_misnamed_file_are_not_reported_twice(tmp_path):
    files = {"content/a.md": event(in_response_to=["flood"]), "content/flood.md.txt": GOOD}
    assert_error(check(tmp_path, files), "content/flood.md.txt", 1, "rename it to flood.md")


@pytest.mark.parametrize("line, cut", [("title: Attack # on a convoy", True), ("title: Attack  #2", True),
                                       ("title: Strike on #Quetta", True), ("title: Attack   # the press's name", False),
                                       ("title: Attack\t# a note", False)])
def test_a_comment_two_spaces_after_a_value_is_meant_and_a_hash_after_one_is_a_slip(tmp_path, line, cut):
    result = check(tmp_path, {"content/a.md": f"---\n{line}\ndate: 2024-01-15\n---\n"})
    assert (result.exit_code == 1 and "read as a comment" in result.stderr) is cut, result


def test_a_link_without_md_to_an_entry_in_another_folder_names_its_path(tmp_path):
    files = {"content/other.md": GOOD, "content/2024/jan/a.md": GOOD.replace("Body.", "See [the other](other).")}
    assert_error(check(tmp_path, files), "content/2024/jan/a.md", 5,
                 "link to 'other', which is an entry written without '.md', a page that does not exist: "
                 "write (../../other.md)")
