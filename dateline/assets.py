"""The theme's stylesheets and scripts as published: the same rules and statements, without the
comments and indentation that are there for whoever edits them.

Why: a first visit loads the home page's HTML with the whole stylesheet and script, and the
bundled site holds that under 60,000 bytes (tests/browser/test_pages.py); about a sixth of the
two files was comments and indentation. The compaction is deliberately conservative, not a
minifier: it never looks inside a line of script, nor joins or splits a CSS string (the default
theme's strings hold no brace, semicolon or comma, nor a colon before a space: the space after a
declaration's colon goes too), so what the browser runs is unchanged."""

from __future__ import annotations

import re

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_SPACE = re.compile(r"\s+")
_CSS_AROUND = re.compile(r"\s*([{};])\s*")
_CSS_AFTER_COMMA = re.compile(r",\s+")
_CSS_AFTER_COLON = re.compile(r":\s+")      # "color: red", "(max-width: 40rem)"; no selector has one
_JS_COMMENT_LINE = re.compile(r"^[ \t]*//[^\n]*\n", re.M)
_JS_INDENT = re.compile(r"^[ \t]+", re.M)


def compact_css(text: str) -> str:
    text = _CSS_COMMENT.sub("", text)
    text = _CSS_SPACE.sub(" ", text)
    text = _CSS_AROUND.sub(r"\1", text)
    text = _CSS_AFTER_COLON.sub(":", text)
    return _CSS_AFTER_COMMA.sub(",", text).strip() + "\n"


def compact_js(text: str) -> str:
    """Whole-line // comments and leading indentation only: a script whose strings span lines
    (template literals, a backslash at a line's end) is published as it is."""
    if "`" in text or re.search(r"\\\n", text):
        return text
    return _JS_INDENT.sub("", _JS_COMMENT_LINE.sub("", text))


def published(path: str, data: bytes, ours: bool = True) -> bytes:
    """A theme file's bytes as the site publishes them. `ours`: the file is the default theme's;
    a site's own files are published as written (their strings may hold what compaction would
    change)."""
    if not ours:
        return data
    if path.endswith(".css"):
        return compact_css(data.decode("utf-8")).encode("utf-8")
    if path.endswith(".js"):
        return compact_js(data.decode("utf-8")).encode("utf-8")
    return data
