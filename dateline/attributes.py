"""Rewriting the values of link attributes in rendered HTML (relative links on pages, absolute
links in feeds).

The values are found by a pattern that starts with a literal ('="'), which the regular
expression engine searches for quickly, and the attribute's name is checked after: a pattern
starting with the name's whitespace took five times as long over a page."""

from __future__ import annotations

import re
from collections.abc import Callable


def sub_values(pattern: re.Pattern, names: tuple[str, ...], html: str, rewrite: Callable[[str], str]) -> str:
    """`html` with rewrite(value) for each value `pattern` matches (its group 1; the pattern
    starts with '="' and ends with '"') that belongs to an attribute named in `names`, written
    after whitespace. Other matches are left as they are."""
    def fix(match: re.Match) -> str:
        start, text = match.start(), match.string
        for name in names:
            at = start - len(name)
            if text.startswith(name, at) and text[at - 1:at].isspace():
                return f'="{rewrite(match.group(1))}"'
        return match.group(0)

    return pattern.sub(fix, html)


__all__ = ["sub_values"]
