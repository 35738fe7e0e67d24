"""Indented JSON, json.dumps(value, ensure_ascii=False, indent=n), made of pieces encoded apart:
an export encodes each event's piece once (kept in the build cache) and the document puts the
pieces in as they are."""

from __future__ import annotations

import json


class Encoded(str):
    """JSON text already encoded (by `dumps` at its depth), written as it is."""


def dumps(value, indent: int, depth: int = 0) -> str:
    """json.dumps(value, ensure_ascii=False, indent=indent), character for character; with
    `depth`, as it is written that many containers deep (to be put in as Encoded). Encoded
    pieces may stand in a list of `value`, or in a list in a dict of it."""
    pad = "\n" + " " * (indent * depth)
    inner = pad + " " * indent
    if isinstance(value, list) and value and all(isinstance(item, Encoded) for item in value):
        return "[" + inner + ("," + inner).join(value) + pad + "]"
    if isinstance(value, dict) and value and any(isinstance(item, list) and item and isinstance(item[0], Encoded)
                                                 for item in value.values()):
        return "{" + inner + ("," + inner).join(
            json.dumps(key, ensure_ascii=False) + ": " + dumps(item, indent, depth + 1)
            for key, item in value.items()) + pad + "}"
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return text.replace("\n", pad) if depth else text


__all__ = ["dumps", "Encoded"]
