"""The theme's stylesheets and scripts are published compacted (dateline/assets.py), never changed
in what they do."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dateline.assets import compact_css, compact_js, published

THEME = Path(__file__).parent.parent / "templates" / "static"


def test_css_loses_comments_and_whitespace_only():
    css = '/* why */\n.a,\n.b  >  .c {\n  color: red;\n  content: "· ";\n}\n@media (max-width: 40rem) {\n  .d { margin: 0 auto; }\n}\n'
    assert compact_css(css) == '.a,.b > .c{color:red;content:"· ";}@media (max-width:40rem){.d{margin:0 auto;}}\n'


def test_the_theme_css_strings_hold_nothing_compaction_would_change():
    for sheet in THEME.glob("*.css"):
        strings = re.findall(r'"[^"]*"|\'[^\']*\'', re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.S))
        assert not [s for s in strings if re.search(r"[{};,]|\s\s|:\s", s)], sheet.name


def test_the_theme_css_keeps_every_rule():
    source = (THEME / "dateline.css").read_text(encoding="utf-8")
    compact = compact_css(source)
    assert len(compact) < len(source) * 0.92
    strip = lambda text: re.sub(r"\s+", "", re.sub(r"/\*.*?\*/", "", text, flags=re.S))
    assert strip(compact) == strip(source)        # only whitespace and comments went


def test_js_loses_whole_line_comments_and_indentation():
    js = '// why\n(function () {\n  var a = "x // not a comment";  // kept\n    return a;\n})();\n'
    assert compact_js(js) == '(function () {\nvar a = "x // not a comment";  // kept\nreturn a;\n})();\n'


@pytest.mark.parametrize("text", ["var a = `line\n  two`;\n", 'var a = "line \\\n  two";\n'])
def test_js_with_strings_across_lines_is_left_alone(text):
    assert compact_js(text) == text


@pytest.mark.parametrize("name", ["dateline.js", "across.js"])
def test_the_theme_scripts_still_parse(tmp_path, name):
    assert shutil.which("node"), "node parses the script: `make test` installs it (Debian: apt-get install nodejs)"
    source = THEME / name
    out = tmp_path / (name.removesuffix(".js") + ".mjs")
    out.write_bytes(published(name, source.read_bytes()))
    result = subprocess.run(["node", "--check", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_other_files_are_published_as_they_are():
    assert published("static/favicon.svg", b"<svg>  </svg>") == b"<svg>  </svg>"
    assert published("static/dateline.css", b"a { b: c }\n", ours=False) == b"a { b: c }\n"   # a site's own
