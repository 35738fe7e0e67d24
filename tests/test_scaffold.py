"""`build.py new "Title"`: the file it writes passes `check` as written, explains every field,
names the JSON Schema for editors' YAML tooling, and is never written over an existing file."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from dateline import schema
from dateline.parse import EVENT_KEYS
from helpers import PLACE, build_site, event, jpeg


def new(tmp_path, *args, files=None):
    return build_site(tmp_path, files or {}, "new", *args)


def test_new_writes_an_event_that_passes_check_and_builds(tmp_path):
    result = new(tmp_path, "Pakistan strikes targets near Saravan, Iran", "--date", "2024-01-18")
    assert result.exit_code == 0, result.stderr
    path = tmp_path / "content/pakistan-strikes-targets-near-saravan-iran.md"
    assert path.is_file(), result.stdout
    assert "content/pakistan-strikes-targets-near-saravan-iran.md" in result.stdout
    check = build_site(tmp_path, {}, "check")
    assert check.exit_code == 0, check.stderr
    built = build_site(tmp_path, {}, "build")
    assert built.exit_code == 0, built.stderr
    page = (tmp_path / "site/events/pakistan-strikes-targets-near-saravan-iran/index.html").read_text()
    assert "Pakistan strikes targets near Saravan, Iran" in page and "18 January 2024" in page


def test_every_field_is_present_and_explained(tmp_path):
    assert new(tmp_path, "Levee breaks", "--date", "2024-01-03").exit_code == 0
    text = (tmp_path / "content/levee-breaks.md").read_text()
    front = text.split("---\n")[1]
    for key, spec in EVENT_KEYS.items():
        assert f"\n{key}:" in front or f"\n# {key}:" in front, f"field {key!r} is missing"
        first_words = " ".join(spec.doc.split()[:4])
        assert first_words in " ".join(front.replace("# ", " ").split()), f"no explanation for {key!r}"


def test_uncommented_examples_are_valid(tmp_path):
    """The commented-out place, source and report, once the '# ' is removed, still pass check."""
    assert new(tmp_path, "Levee breaks", "--date", "2024-01-03").exit_code == 0
    path = tmp_path / "content/levee-breaks.md"
    lines = path.read_text().split("\n")
    out, block = [], False
    for line in lines:
        if line in ("# place:", "# sources:", "# reports:"):
            block = True
        elif block and not line.startswith("#   ") and not line.startswith("#  -"):
            block = False
        out.append(line[2:] if block else line)
    path.write_text("\n".join(out))
    check = build_site(tmp_path, {}, "check")
    assert check.exit_code == 0, check.stderr + "\n" + "\n".join(out)


def test_the_file_names_the_json_schema_and_validates_against_it(tmp_path):
    assert new(tmp_path, "Levee breaks", "--date", "2024-01-03").exit_code == 0
    text = (tmp_path / "content/levee-breaks.md").read_text()
    assert text.split("\n")[1] == "# yaml-language-server: $schema=../site/schema/event.json"
    import yaml   # plain YAML is enough here: the schema is what editors' tools apply to the text
    data = yaml.safe_load(text.split("---\n")[1])
    data = {key: str(value) if key == "date" else value for key, value in data.items()}
    event_schema = json.loads(schema.schema_files()["schema/event.json"])
    jsonschema.validate(data, event_schema)


def test_new_refuses_to_overwrite(tmp_path):
    files = {"content/levee-breaks.md": event(title="Levee breaks", date="2024-01-03", place=PLACE)}
    result = new(tmp_path, "Levee breaks", files=files)
    assert result.exit_code == 1
    assert "already exists" in result.stderr and "nothing was written" in result.stderr
    before = (tmp_path / "content/levee-breaks.md").read_text()
    assert before == files["content/levee-breaks.md"]


def test_new_refuses_a_name_an_event_in_another_folder_has(tmp_path):
    # content/2024/flood.md is the event at /events/flood/: a content/flood.md would clash with it
    result = new(tmp_path, "Flood", files={"content/2024/flood.md": event(title="Old flood", place=PLACE)})
    assert result.exit_code == 1, result
    assert "content/2024/flood.md already exists, an event with the same name and address (/events/flood/)" \
        in result.stderr and "nothing was written" in result.stderr
    assert not (tmp_path / "content" / "flood.md").exists()


@pytest.mark.parametrize("title, slug", [
    ("Café attack in Zürich", "cafe-attack-in-zurich"),
    ("کوئٹہ میں دھماکہ", None),      # Urdu: the slug keeps its own letters
])
def test_slugs_from_titles(tmp_path, title, slug):
    result = new(tmp_path, title, "--date", "2024-01-03")
    assert result.exit_code == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "content").glob("*.md"))
    assert len(written) == 1
    if slug:
        assert written == [f"{slug}.md"]
    assert build_site(tmp_path, {}, "check").exit_code == 0


@pytest.mark.parametrize("args, message", [
    (["Levee", "--date", "2024-02-30"], "February 2024 has 29 days"),
    (["!!!"], "cannot make a file name"),
    (["   "], "the title is empty"),
])
def test_unusable_titles_and_dates_are_usage_errors(tmp_path, args, message):
    result = new(tmp_path, *args)
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert not list((tmp_path / "content").glob("*.md"))   # nothing written (an absent folder globs empty)


def test_new_format_toml_writes_toml_that_passes_check_and_builds(tmp_path):
    result = new(tmp_path, "Levee breaks", "--date", "2024-01-03", "--format", "toml")
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "content/levee-breaks.md").read_text()
    assert text.startswith("+++\n") and "\ndate = 2024-01-03\n" in text
    import tomllib
    front = text.split("+++\n")[1]
    assert tomllib.loads(front)["title"] == "Levee breaks"
    for key, spec in EVENT_KEYS.items():
        assert f"\n{key} =" in front or f"\n# {key} =" in front or f"\n# [{key}]" in front \
            or f"\n# [[{key}]]" in front, f"field {key!r} is missing"
        first_words = " ".join(spec.doc.split()[:4])
        assert first_words in " ".join(front.replace("# ", " ").split()), f"no explanation for {key!r}"
    check = build_site(tmp_path, {}, "check")
    assert check.exit_code == 0, check.stderr
    built = build_site(tmp_path, {}, "build", "--no-search")
    assert built.exit_code == 0, built.stderr
    assert "3 January 2024" in (tmp_path / "site/events/levee-breaks/index.html").read_text()


def test_new_format_toml_with_a_month_quotes_it(tmp_path):
    assert new(tmp_path, "Levee breaks", "--date", "2024-01", "--format", "toml").exit_code == 0
    assert '\ndate = "2024-01"\n' in (tmp_path / "content/levee-breaks.md").read_text()
    assert build_site(tmp_path, {}, "check").exit_code == 0


def test_uncommented_toml_examples_are_valid(tmp_path):
    """Every commented-out field of the TOML file, once its '# ' is removed, still passes check."""
    assert new(tmp_path, "Levee breaks", "--date", "2024-01-03", "--format", "toml").exit_code == 0
    path = tmp_path / "content/levee-breaks.md"
    out = []
    for line in path.read_text().split("\n"):
        field = line[2:]
        if line.startswith("# ") and (re.match(r"[a-z_]+ = ", field) or re.match(r"\[\[?[a-z]+\]\]?$", field)):
            line = field
        out.append(line)
    text = "\n".join(out)
    path.write_text(text)
    whole = {"content/spring-floods-2025.md": event(title="Spring floods", date="2024-01", place=PLACE),
             "content/levee.jpg": jpeg()}     # the picture the [[media]] example names
    check = build_site(tmp_path, whole, "check")
    assert "\n[place]\n" in text and "\n[[reports]]\n" in text and "\nimport_id = " in text
    assert check.exit_code == 0, check.stderr + "\n" + text


def test_format_is_only_for_new(tmp_path):
    result = build_site(tmp_path, {}, "check", "--format", "toml")
    assert result.exit_code == 2 and "--format is only for 'new'" in result.stderr


@pytest.mark.parametrize("args", [("--date", "2024-03-01", "Levee holds"), ("--format", "toml", "Levee holds"),
                                  ("Levee holds", "--date", "2024-03-01")])
def test_options_go_before_or_after_the_title(tmp_path, args):
    result = new(tmp_path, *args)
    assert result.exit_code == 0, result
    assert (tmp_path / "content/levee-holds.md").exists()
