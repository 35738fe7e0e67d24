"""Front matter in YAML, TOML or JSON, found and split by python-frontmatter's handlers.

python-frontmatter knows the three conventions: YAML between `---` lines, TOML between `+++`
lines (Hugo's) and a JSON object whose `{` and `}` stand alone on the first line and a later
line. Its handlers detect the format and split the file; each handler here loads its text the
way dateline needs, into a yamlload.Document: every key and list item with its line, duplicate
keys refused, dates kept as the text the editor wrote (PartialDate reads them), and every
mistake a FrontError at its line in the file.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import math
import re
import tomllib
from typing import NamedTuple

from frontmatter import detect_format
from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler

from . import yamlload
from .dates import DateError, PartialDate

_MAX_DEPTH = 50   # as yamlload's


class FrontError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(line, message)
        self.line = line        # in the file
        self.message = message


class Front(NamedTuple):
    """A file split by its handler: the front matter's text and the file line it starts on, and
    the body and the line it starts on (in the order of the tuple load.split_front_matter
    returned before there were handlers), and the handler that split it."""
    text: str
    line: int
    body: str
    body_line: int
    handler: "Handler"

    @property
    def format(self) -> str:
        return self.handler.name


class Handler:
    """What the three handlers share beside python-frontmatter's detect and split."""
    name = ""
    fence = ""          # how the front matter ends, for the error when it does not

    def document(self, text: str, first_line: int) -> yamlload.Document:
        raise NotImplementedError


class YamlHandler(Handler, YAMLHandler):
    name, fence = "yaml", "---"

    def load(self, fm: str, first_line: int = 1) -> yamlload.Document:
        """dateline's strict loader in place of PyYAML's safe one (see yamlload)."""
        try:
            return yamlload.load(fm, first_line)
        except yamlload.YamlError as exc:
            raise FrontError(exc.line, exc.message) from None

    document = load


class TomlHandler(Handler, BaseHandler):
    """python-frontmatter's TOMLHandler exists only when the third-party `toml` package is
    installed; this is the same handler (its fence, detection and splitting) on the standard
    library's tomllib."""
    name, fence = "toml", "+++"
    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, first_line: int = 1) -> yamlload.Document:
        try:
            value = tomllib.loads(fm)
        except tomllib.TOMLDecodeError as exc:
            raise FrontError(*_toml_error(str(exc), fm, first_line)) from None
        except RecursionError:
            raise FrontError(first_line, "the front matter is nested far too deeply: "
                                         "look for unclosed or repeated brackets") from None
        try:
            lines, raw = _TomlLines(fm, first_line).scan()
        except (IndexError, AttributeError, ValueError, KeyError):   # TOML this reader does not know
            lines, raw = _top_lines(fm, _TOML_TOP), {}
        return yamlload.Document(_as_text(value, (), raw, lines, first_line), lines)

    document = load


class JsonHandler(Handler, JSONHandler):
    name, fence = "json", "}"

    def load(self, fm: str, first_line: int = 1) -> yamlload.Document:
        try:
            value = json.loads(fm, parse_constant=_no_constant)
        except json.JSONDecodeError as exc:
            raise FrontError(first_line + exc.lineno - 1, _json_message(exc, fm)) from None
        except ValueError as exc:       # NaN, Infinity, or a number of thousands of digits
            raise FrontError(first_line, f"JSON cannot be read: {exc}") from None
        except RecursionError:
            raise FrontError(first_line, "the front matter is nested far too deeply: "
                                         "look for unclosed or repeated brackets") from None
        try:
            lines = _json_lines(fm, first_line)
        except (IndexError, ValueError):    # JSON this reader does not know
            lines = _top_lines(fm, _JSON_TOP)
        return yamlload.Document(value, lines)

    document = load


# In the order python-frontmatter tries its own.
HANDLERS: list[Handler] = [YamlHandler(), TomlHandler(), JsonHandler()]
BY_NAME = {handler.name: handler for handler in HANDLERS}


class NotClosed(Exception):
    def __init__(self, handler: Handler):
        super().__init__(handler.name)
        self.handler = handler


def split(text: str) -> Front | None:
    """The front matter and body of `text` (newlines as \\n), None if the file does not start
    with front matter in any of the formats; NotClosed if it starts but never ends."""
    handler = detect_format(text, HANDLERS)
    if handler is None:
        return None
    try:
        fm, content = handler.split(text)
    except ValueError:     # one fence only
        raise NotClosed(handler) from None
    if handler is BY_NAME["json"]:
        # `{` + what is between the lines `{` and `}` + `}`: the object, from the file's line 1
        return Front(fm, 1, *_body(text, content), handler)
    start = handler.FM_BOUNDARY.match(text).end()
    line = text.count("\n", 0, start) + 1
    if fm.startswith("\n") and text[start - 1] != "\n":   # the end of the fence's line
        fm, line = fm[1:], line + 1
    if fm.endswith("\n"):       # the closing fence starts a line
        fm = fm[:-1]
    return Front(fm, line, *_body(text, content), handler)


def _body(text: str, content: str) -> tuple[str, int]:
    """The body from the line after the closing fence, and that line."""
    start = len(text) - len(content)
    if content.startswith("\n") and text[start - 1] != "\n":   # the end of the fence's line
        content, start = content[1:], start + 1
    return content, text.count("\n", 0, start) + 1


def load(front: Front) -> yamlload.Document:
    """The front matter's fields, each with its line; FrontError at the line of a mistake."""
    return front.handler.document(front.text, front.line)


_TOML_TOP = re.compile(r"^([A-Za-z0-9_-]+)[ \t]*=", re.M)
_JSON_TOP = re.compile(r'^[ \t]*"([^"\\]+)"[ \t]*:', re.M)


def _top_lines(text: str, pattern: re.Pattern) -> dict:
    """The first line of each name `pattern` finds: what remains when the full reader fails."""
    lines: dict = {(): 1}
    for match in pattern.finditer(text):
        lines.setdefault((match[1],), text.count("\n", 0, match.start()) + 1)
    return lines


# -- TOML -----------------------------------------------------------------------------------

_TOML_AT = re.compile(r"^(?P<message>.*?) \((?:at line (?P<line>\d+), column (?P<column>\d+)|at end of document)\)$",
                      re.S)
_TOML_FIELD = re.compile(r"""^\s*(?P<key>[A-Za-z0-9_."'-]+?)\s*=\s*(?P<value>.*?)\s*(?:#.*)?$""")
_TOML_OPENS = re.compile(r"""^\s*[A-Za-z0-9_."'-]+\s*=\s*(?P<open>\[|\{|\"\"\"|''')""")
_PARTIAL = re.compile(r"^\d{4}(?:-\d{1,2}){0,2}$|^\d{1,2}:\d{2}(?::\d{2})?$|^\d{4}-\d{1,2}-\d{1,2}[T ].*$")


def _toml_error(text: str, fm: str, first_line: int) -> tuple[int, str]:
    """(file line, message) for tomllib's "Invalid value (at line 3, column 9)"."""
    found = _TOML_AT.match(text)
    message = found["message"] if found else text
    lines = fm.split("\n")
    if found and found["line"]:
        index = int(found["line"]) - 1
    else:    # at the end: something opened on an earlier line is never closed
        index = next((i for i in range(len(lines) - 1, -1, -1) if _TOML_OPENS.match(lines[i])), len(lines) - 1)
        opened = _TOML_OPENS.match(lines[index])
        if opened:
            closing = {"[": "]", "{": "}"}.get(opened["open"], opened["open"])
            what = {"[": "list", "{": "group of fields"}.get(opened["open"], "text")
            return (first_line + index, f"the '{opened['open']}' that starts this {what} is never closed: "
                                        f"end the {what} with '{closing}'")
    source = lines[index] if 0 <= index < len(lines) else ""
    field = _TOML_FIELD.match(source)
    key, value = (field["key"], field["value"]) if field else ("", "")
    if message == "Cannot overwrite a value":
        hint = f"'{key}' is set twice: keep one" if key else "a key set twice: keep one"
    elif message.startswith("Cannot declare"):
        hint = f"the table {source.strip()} is declared twice: keep one, with all its fields"
    elif field and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and _no_such_day(value):
        hint = _no_such_day(value)
    elif field and _PARTIAL.match(value):
        hint = (f"a date or time TOML cannot read as one of its own (only whole dates like 2024-01-16 "
                f"are): write it in quotes: {key} = \"{value}\"")
    elif field and value.lower() in ("null", "nil", "none", "~"):
        hint = f"TOML has no null: leave the field out (delete the line '{source.strip()}')"
    elif field and value and value[0] not in "\"'[{+-.0123456789" and value not in ("true", "false"):
        hint = f"text must be in quotes: {key} = {json.dumps(value, ensure_ascii=False)}"
    else:
        hint = message[:1].lower() + message[1:]
        if found and found["column"]:
            hint += f" at column {found['column']}"
    return first_line + index, f"TOML cannot be read: {hint}"


def _no_such_day(text: str) -> str | None:
    try:
        PartialDate.parse(text)
    except DateError as exc:
        return str(exc)
    return None


def _as_text(value, path: tuple, raw: dict, lines: dict, first_line: int):
    """tomllib's value with its dates and times back as the text written (dateline reads dates
    from text, as YAML gives them), and a float that is not a number refused."""
    if isinstance(value, dict):
        return {key: _as_text(item, path + (key,), raw, lines, first_line) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_text(item, path + (index,), raw, lines, first_line) for index, item in enumerate(value)]
    if isinstance(value, (dt.date, dt.time)):
        return raw.get(path) or value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        where = yamlload.Document(None, lines).line(*path) + first_line - 1
        raise FrontError(where, f"{raw.get(path, value)} is not a number a field can take: write a number")
    return value


_T_SPACE = re.compile(r"[ \t]*")
_T_GAP = re.compile(r"(?:[ \t\n]|#[^\n]*)*")      # in a list: spaces, newlines, comments
_T_BARE = re.compile(r"[A-Za-z0-9_-]+")
_T_STRING = {
    '"""': re.compile(r'"""(?:[^"\\]|\\.|"{1,2}(?!"))*"{3,5}', re.S),
    "'''": re.compile(r"'''(?:[^']|'{1,2}(?!'))*'{3,5}", re.S),
    '"': re.compile(r'"(?:[^"\\\n]|\\.)*"'),
    "'": re.compile(r"'[^'\n]*'"),
}
_T_SCALAR = re.compile(r"[^,\]}\n#]+")


class _TomlLines:
    """The line of every key, table and list item of valid TOML (tomllib has read it already,
    so this reads only what it needs: keys, headers, brackets, strings), and the text of each
    scalar that looks like a date or a time."""

    def __init__(self, text: str, first_line: int):
        self.text, self.pos, self.first_line = text, 0, first_line
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.lines: dict = {(): 1}
        self.raw: dict = {}
        self.arrays: dict = {}       # [[path]] -> how many so far

    def line(self) -> int:
        return bisect.bisect_right(self.starts, self.pos)

    def scan(self) -> tuple[dict, dict]:
        text, table = self.text, ()
        while True:
            self.pos = _T_GAP.match(text, self.pos).end()
            if self.pos >= len(text):
                return self.lines, self.raw
            line = self.line()
            if text.startswith("[[", self.pos):
                self.pos += 2
                parts = self.key()
                parent = self.resolve(parts[:-1], line)
                path = parent + (parts[-1],)
                index = self.arrays.get(path, 0)
                self.arrays[path] = index + 1
                self.lines.setdefault(path, line)
                table = path + (index,)
                self.lines[table] = line
                self.pos = text.index("]]", self.pos) + 2
            elif text.startswith("[", self.pos):
                self.pos += 1
                table = self.resolve(self.key(), line)
                self.pos = text.index("]", self.pos) + 1
            else:
                self.keyvalue(table, 0)

    def resolve(self, parts: list, line: int) -> tuple:
        """A table header's path: through the last item of each array of tables on the way."""
        path: tuple = ()
        for part in parts:
            path += (part,)
            self.lines.setdefault(path, line)
            if path in self.arrays:
                path += (self.arrays[path] - 1,)
        return path

    def key(self) -> list:
        text, parts = self.text, []
        while True:
            self.pos = _T_SPACE.match(text, self.pos).end()
            quote = text[self.pos]
            if quote in "\"'":
                token = _T_STRING[quote].match(text, self.pos).group()
                parts.append(tomllib.loads(f"k = {token}")["k"] if "\\" in token else token[1:-1])
            else:
                token = _T_BARE.match(text, self.pos).group()
                parts.append(token)
            self.pos = _T_SPACE.match(text, self.pos + len(token)).end()
            if text.startswith(".", self.pos):
                self.pos += 1
                continue
            return parts

    def keyvalue(self, table: tuple, depth: int) -> None:
        line = self.line()
        parts = self.key()
        path = table
        for part in parts:
            path += (part,)
            self.lines.setdefault(path, line)
        self.pos = _T_SPACE.match(self.text, self.pos + 1).end()    # past the '='
        self.value(path, depth + 1)

    def value(self, path: tuple, depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise FrontError(self.line() + self.first_line - 1, "the front matter is too deeply nested")
        text = self.text
        start = text[self.pos]
        if start == "[":
            self.pos += 1
            index = 0
            while True:
                self.pos = _T_GAP.match(text, self.pos).end()
                if text[self.pos] == "]":
                    self.pos += 1
                    return
                self.lines[path + (index,)] = self.line()
                self.value(path + (index,), depth + 1)
                self.pos = _T_GAP.match(text, self.pos).end()
                if text[self.pos] == ",":
                    self.pos += 1
                index += 1
        elif start == "{":
            self.pos += 1
            while True:
                self.pos = _T_GAP.match(text, self.pos).end()
                if text[self.pos] == "}":
                    self.pos += 1
                    return
                self.keyvalue(path, depth)
                self.pos = _T_GAP.match(text, self.pos).end()
                if text[self.pos] == ",":
                    self.pos += 1
        elif start in "\"'":
            quote = text[self.pos:self.pos + 3] if text.startswith(start * 3, self.pos) else start
            self.pos = _T_STRING[quote].match(text, self.pos).end()
        else:
            token = _T_SCALAR.match(text, self.pos).group()
            self.pos += len(token)
            self.raw[path] = token.strip()


# -- JSON -----------------------------------------------------------------------------------

def _no_constant(name: str):
    raise ValueError(f"{name} is not a number a field can take: write a number")


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,\n]|[^\s{}\[\]:,"]+')


def _json_lines(text: str, first_line: int) -> dict:
    """The line of every key and list item of valid JSON `text`; a key given twice in one
    object is a FrontError (json keeps the last silently)."""
    tokens = []
    line = 1
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token == "\n":
            line += 1
        elif token != ":":
            tokens.append((token, line))
    lines: dict = {(): 1}
    at = 0

    def value(path: tuple, depth: int) -> None:
        nonlocal at
        token, line = tokens[at]
        at += 1
        if token not in ("{", "["):
            return
        if depth >= _MAX_DEPTH:
            raise FrontError(line + first_line - 1, "the front matter is too deeply nested")
        close = "}" if token == "{" else "]"
        if tokens[at][0] == close:
            at += 1
            return
        index = 0
        while True:
            if token == "{":
                key_token, key_line = tokens[at]
                at += 1
                key = json.loads(key_token) if "\\" in key_token else key_token[1:-1]
                if path + (key,) in lines:
                    first = lines[path + (key,)] + first_line - 1
                    raise FrontError(key_line + first_line - 1, f"duplicate key '{key}' (first on line {first})")
                item = path + (key,)
                lines[item] = key_line
            else:
                item = path + (index,)
                lines[item] = tokens[at][1]
            value(item, depth + 1)
            index += 1
            at += 1
            if tokens[at - 1][0] == close:
                return

    value((), 0)
    return lines


def _json_message(exc: json.JSONDecodeError, text: str) -> str:
    message = f"JSON cannot be read: {exc.msg[:1].lower() + exc.msg[1:]} at column {exc.colno}"
    before = text[:exc.pos].rstrip()
    if exc.msg.startswith("Expecting property name") and before.endswith(","):
        return message + ": JSON allows no comma after the last field; remove it"
    if exc.msg.startswith("Expecting ',' delimiter") and exc.pos >= len(text.rstrip()) - 1:
        return message + (": the front matter ends at the first line that is only '}': indent the '}' "
                          "of a group of fields inside it")
    if exc.msg.startswith("Expecting value") and text[exc.pos:exc.pos + 1].isalpha():
        return message + ": text must be in double quotes"
    return message


__all__ = ["Front", "FrontError", "NotClosed", "HANDLERS", "BY_NAME", "split", "load"]
