"""Strict, line-aware YAML for front matter.

PyYAML's safe loader forgets where each key was, keeps the last of two duplicate keys, and
follows YAML 1.1: `2024-01-16` becomes a date object, `04:05` the integer 245 and `no` False.
Editors deserve better: dates and times stay the text they wrote, duplicates are errors, and
every key and list item remembers its line so errors can point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
import yaml.reader
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

Path = tuple  # a path into the document: ("reports", 0, "killed")

_MAX_NODES = 50_000  # an alias bomb ("billion laughs") expands far past this
_MAX_DEPTH = 50


class StrictResolver(BaseResolver):
    pass


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


@dataclass
class YamlError(Exception):
    line: int  # 1-based, within the YAML text
    message: str


@dataclass
class Document:
    value: object
    lines: dict  # Path -> 1-based line in the YAML text

    def line(self, *path) -> int:
        """The line of the deepest part of `path` that has one (falls back to the parent)."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def load(text: str) -> Document:
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlError((mark.line + 1) if mark else 1, _explain(exc)) from None
    except yaml.reader.ReaderError as exc:  # control characters and the like
        line = text[: exc.position].count("\n") + 1
        raise YamlError(line, f"a character YAML does not allow here: {exc.character!r}") from None
    except yaml.YAMLError as exc:
        raise YamlError(1, f"YAML cannot be read: {exc}") from None
    lines: dict = {}
    if node is None:
        return Document(None, {(): 1})
    lines[()] = node.start_mark.line + 1
    converter = _Converter(lines)
    return Document(converter.convert(node, ()), lines)


def _explain(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or str(exc)).strip()
    if "\\t" in problem or "'\\t'" in problem or "tab" in problem:
        return "a tab character is used for indentation: YAML needs spaces"
    if exc.context:
        return f"YAML syntax error: {problem} ({exc.context.strip()})"
    return f"YAML syntax error: {problem}"


class _Converter:
    def __init__(self, lines: dict):
        self.lines = lines
        self.count = 0

    def convert(self, node: Node, path: Path, depth: int = 0):
        self.count += 1
        if self.count > _MAX_NODES or depth > _MAX_DEPTH:
            raise YamlError(node.start_mark.line + 1,
                            "the front matter is too deeply nested or expands too far (aliases?)")
        if isinstance(node, MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines[path + (index,)] = item.start_mark.line + 1
                items.append(self.convert(item, path + (index,), depth + 1))
            return items
        return self._scalar(node)

    def _mapping(self, node: MappingNode, path: Path, depth: int) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError(line, "a key must be a plain name")
            key = key_node.value
            if key in result:
                raise YamlError(line, f"duplicate key '{key}' (first on line {self.lines[path + (key,)]})")
            self.lines[path + (key,)] = line
            result[key] = self.convert(value_node, path + (key,), depth + 1)
        return result

    @staticmethod
    def _scalar(node: ScalarNode):
        tag, text = node.tag, node.value
        if tag == "tag:yaml.org,2002:str":
            return text
        if tag == "tag:yaml.org,2002:int":
            return int(text)
        if tag == "tag:yaml.org,2002:float":
            return float(text)
        if tag == "tag:yaml.org,2002:bool":
            return text.lower() == "true"
        if tag == "tag:yaml.org,2002:null":
            return None
        raise YamlError(node.start_mark.line + 1, f"unsupported YAML tag {tag}: write plain values")
