"""Strict, line-aware YAML for front matter.

PyYAML's safe loader forgets where each key was, keeps the last of two duplicate keys, and
follows YAML 1.1: `2024-01-16` becomes a date object, `04:05` the integer 245 and `no` False.
Editors deserve better: dates and times stay the text they wrote, duplicates are errors, and
every key and list item remembers its line so errors can point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
import yaml.reader
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from . import characters, yamlslips

Path = tuple  # a path into the document: ("reports", 0, "killed")

_MAX_NODES = 50_000  # an alias bomb ("billion laughs") expands far past this
_MAX_DEPTH = 50
_MAX_DIGITS = 30
_PLAIN_COLLECTIONS = (BaseResolver.DEFAULT_MAPPING_TAG, BaseResolver.DEFAULT_SEQUENCE_TAG)


class StrictResolver(BaseResolver):
    def resolve(self, kind, value, implicit):
        # BaseResolver.resolve for what this class has (implicit resolvers keyed by first
        # character; no wildcard or path resolvers): it runs for every scalar, and took a tenth
        # of the time an entry's parsing took
        if kind is ScalarNode:
            if implicit[0]:
                for tag, pattern in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is SequenceNode else self.DEFAULT_MAPPING_TAG


StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"), list("-+0123456789."))
StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


class _Loader(Reader, Scanner, Parser, Composer, StrictResolver):
    def __init__(self, stream: str):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        StrictResolver.__init__(self)


try:   # PyYAML's binding to libyaml: the same nodes and marks, ten times faster
    from yaml._yaml import CParser

    class _FastLoader(CParser, StrictResolver):
        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            StrictResolver.__init__(self)
except ImportError:   # PyYAML built without libyaml
    _FastLoader = None


def _compose(text: str):
    """The document's node tree. libyaml when present; on any problem the pure-Python parser
    runs again, so a mistake is always reported with the same line and wording."""
    if _FastLoader is not None:
        loader = _FastLoader(text)
        try:
            return loader.get_single_node()
        except yaml.YAMLError:
            pass
        finally:
            loader.dispose()
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


@dataclass
class YamlError(Exception):
    line: int  # 1-based, in the file (see `first_line` of load())
    message: str


@dataclass
class Document:
    value: object
    lines: dict  # Path -> 1-based line in the YAML text
    # Path -> (line, the line from the value on) of each unquoted text value followed by what
    # looks like more of it, not a comment: `title: Attack #2` is the title "Attack"
    comments: dict = field(default_factory=dict)

    def line(self, *path) -> int:
        """The line of the deepest part of `path` that has one (falls back to the parent)."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def load(text: str, first_line: int = 1) -> Document:
    """`first_line`: the file line `text` starts on (front matter starts on line 2), so that an
    error, and any other line its message names, counts lines as the editor shows them.
    Document.lines count from 1 within `text` either way."""
    shift = first_line - 1
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        if "tab" in (exc.problem or "") or "\\t" in (exc.problem or ""):
            mark = exc.problem_mark or exc.context_mark
            raise YamlError((mark.line + 1 if mark else 1) + shift,
                            "a tab character is used for indentation: YAML needs spaces") from None
        raise YamlError(*yamlslips.explain(exc, text, shift)) from None
    except yaml.reader.ReaderError as exc:  # control characters and the like
        line = text[: exc.position].count("\n") + 1
        what, hint = characters.describe(chr(exc.character) if isinstance(exc.character, int) else exc.character)
        raise YamlError(line + shift, f"this line holds {what}: {hint}") from None
    except yaml.YAMLError as exc:
        raise YamlError(first_line, f"YAML cannot be read: {exc}") from None
    except RecursionError:   # PyYAML composes nested brackets recursively: '[[[[…' thousands deep
        raise YamlError(first_line, "the front matter is nested far too deeply: "
                                    "look for unclosed or repeated brackets") from None
    lines: dict = {}
    if node is None:
        return Document(None, {(): 1})
    lines[()] = node.start_mark.line + 1
    converter = _Converter(lines, shift, text.split("\n") if " #" in text or "\t#" in text else None)
    return Document(converter.convert(node, ()), lines, converter.comments)


class _Converter:
    def __init__(self, lines: dict, shift: int = 0, text_lines: list[str] | None = None):
        self.lines = lines
        self.shift = shift   # added to the lines of errors only
        self.count = 0
        self.text_lines = text_lines   # the text, when it has a comment after something
        self.comments: dict = {}

    def convert(self, node: Node, path: Path, depth: int = 0):
        self.count += 1
        if self.count > _MAX_NODES or depth > _MAX_DEPTH:
            raise YamlError(node.start_mark.line + 1 + self.shift,
                            "the front matter is too deeply nested or expands too far (aliases?)")
        if isinstance(node, (MappingNode, SequenceNode)) and node.tag not in _PLAIN_COLLECTIONS:
            raise YamlError(node.start_mark.line + 1 + self.shift,
                            f"unsupported YAML tag {node.tag}: write plain values")
        if isinstance(node, MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines[path + (index,)] = item.start_mark.line + 1
                items.append(self.convert(item, path + (index,), depth + 1))
            return items
        value = self._scalar(node)
        if self.text_lines is not None and not node.style and isinstance(value, str):
            end = node.end_mark
            rest = self.text_lines[end.line][end.column:]
            comment = rest.lstrip(" \t")
            # `value  # a note` (two spaces, as the files `new` writes have) is meant as a comment
            gap = rest[:len(rest) - len(comment)]
            meant = (len(gap) >= 2 or "\t" in gap) and comment[1:2] in ("", " ", "\t")
            if comment.startswith("#") and not meant:
                start = node.start_mark
                whole = self.text_lines[start.line][start.column:] if start.line == end.line else value + rest
                self.comments[path] = (end.line + 1, whole.rstrip())
        return value

    def _mapping(self, node: MappingNode, path: Path, depth: int) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError(line + self.shift, "a key must be a plain name")
            key = key_node.value
            if key in result:
                first = self.lines[path + (key,)] + self.shift
                raise YamlError(line + self.shift, f"duplicate key '{key}' (first on line {first})")
            self.lines[path + (key,)] = line
            result[key] = self.convert(value_node, path + (key,), depth + 1)
        return result

    def _scalar(self, node: ScalarNode):
        tag, text = node.tag, node.value
        if tag == "tag:yaml.org,2002:str":
            return text
        if tag == "tag:yaml.org,2002:int":
            if len(text) > _MAX_DIGITS:   # Python refuses to convert more than 4,300 digits anyway
                raise YamlError(node.start_mark.line + 1 + self.shift,
                                f"a number {len(text):,} digits long: no field takes one (quote it if it is text)")
            return int(text)
        if tag == "tag:yaml.org,2002:float":
            return float(text)
        if tag == "tag:yaml.org,2002:bool":
            return text.lower() == "true"
        if tag == "tag:yaml.org,2002:null":
            return None
        raise YamlError(node.start_mark.line + 1 + self.shift, f"unsupported YAML tag {tag}: write plain values")
