"""SVG text: numbers in integer tenths, path data, escaping, deterministic id prefixes."""

from __future__ import annotations

import re
import unicodedata

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def num(v: int) -> str:
    """Integer tenths as the shortest SVG number: 5 -> '.5', -12 -> '-1.2'."""
    if v % 10 == 0:
        return str(v // 10)
    sign = "-" if v < 0 else ""
    a = abs(v)
    whole = a // 10
    return f"{sign}{whole if whole else ''}.{a % 10}"


def fmt(v: float) -> str:
    """A coordinate rounded to a tenth."""
    return num(round(v * 10))


def _can_join(prev: str, nxt: str) -> bool:
    # a following number may start without a separator when it begins with
    # '-', or with '.' and the previous number already has a '.'
    return nxt[0] == "-" or (nxt[0] == "." and "." in prev)


def _pair(dx: int, dy: int, prev_tail: str | None) -> str:
    """Two numbers, with separators only where the grammar needs them."""
    sx, sy = num(dx), num(dy)
    s1 = sx if prev_tail is None or _can_join(prev_tail, sx) else " " + sx
    s2 = sy if _can_join(sx, sy) else " " + sy
    return s1 + s2


def path_data(pieces: list[list[tuple[int, int]]], closed: bool) -> str:
    """'M x y l dx dy ...' per piece (z-closed for rings); points in integer tenths, relative
    steps so the numbers stay small."""
    out: list[str] = []
    for pts in pieces:
        x, y = pts[0]
        sx, sy = num(x), num(y)
        out.append("M" + sx + (sy if _can_join(sx, sy) else " " + sy))
        if len(pts) > 1:
            out.append("l")
            tail = None
            for px, py in pts[1:]:
                out.append(_pair(px - x, py - y, tail))
                tail = num(py - y)
                x, y = px, py
        if closed:
            out.append("z")
    return "".join(out)


def text(s: str) -> str:
    s = _XML_BAD.sub("", s)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(s: str) -> str:
    return text(s).replace('"', "&quot;")


def _slug(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii").lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:48].strip("-")


def prefix(title: str, id_prefix: str | None) -> str:
    """The start of every id in a map: `id_prefix` made safe, or map- and a slug of the title."""
    if id_prefix is not None:
        p = re.sub(r"[^A-Za-z0-9_-]+", "-", id_prefix).strip("-")
        if not p or not p[0].isalpha():
            p = "map-" + p
        return p
    slug = _slug(title)
    return "map-" + slug if slug else "map"


__all__ = ["num", "fmt", "path_data", "text", "attr", "prefix"]
