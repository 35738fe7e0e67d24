"""Which characters an entry's text may hold, and why the others are refused.

Every text is published in formats that cannot carry every code point: XML 1.0 (the Atom feed, the
sitemap) has no NUL, no other C0 control but tab and newlines, and no lone surrogate; HTML makes a
parse error of every control and noncharacter; an encoder raises on a lone surrogate (a YAML or
JSON escape such as "\\ud800" makes one). Stripping them in each output would publish text the
editor did not write, differently per format, so they are refused where they are written, at
`path:line`, with what to do. They are never typed on purpose: a terminal's escape codes or a
PDF's control characters come along with pasted text, invisible in most editors.

Refused, in any text of the front matter (keys included) and in any line of a body:

* C0 controls but tab and newline (U+0000-U+0008, U+000B-U+001F; a carriage return too, which a
  file's line ends never leave in the text: only an escape does), DEL and the C1 controls
  (U+007F-U+009F);
* surrogates (U+D800-U+DFFF), which are halves of UTF-16 pairs, not characters;
* the 66 noncharacters (U+FDD0-U+FDEF and the last two code points of every plane);
* explicit direction formatting that is not closed in the same text: an embedding or override
  (U+202A-U+202E, closed by U+202C) or an isolate (U+2066-U+2069, closed by U+2069) left open
  reverses or reorders whatever a page, a feed reader or a spreadsheet shows after the text (the
  "Trojan Source" spoof, CVE-2021-42574); a closing one with nothing to close ends an isolate
  the reader's software opened around the text. Balanced ones are kept, as are the marks
  (U+200E, U+200F, U+061C), which set direction without a scope and are what Urdu and Persian
  editors use. A body is checked line by line, each line balanced on its own.

Notes, discrepancies, corrections and bodies are Markdown, which turns a numeric character
reference (`&#x1b;`) into its character: a reference to a refused character is refused too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# what XML 1.0, HTML and UTF-8 cannot carry (tab and newline are the only controls kept)
_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                      "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
                      "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
                      "\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
                      "\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]")
_DIRECTION = re.compile("[\u202a-\u202e\u2066-\u2069]")
_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));")

OPENERS = {
    "\u202a": "a left-to-right embedding (U+202A)",
    "\u202b": "a right-to-left embedding (U+202B)",
    "\u202d": "a left-to-right override (U+202D)",
    "\u202e": "a right-to-left override (U+202E)",
    "\u2066": "a left-to-right isolate (U+2066)",
    "\u2067": "a right-to-left isolate (U+2067)",
    "\u2068": "a first-strong isolate (U+2068)",
}
POP_DIRECTIONAL_FORMATTING, POP_DIRECTIONAL_ISOLATE = "\u202c", "\u2069"
_ISOLATES = ("\u2066", "\u2067", "\u2068")

_CONTROL_NAMES = {"\x00": "NUL", "\x1b": "ESCAPE", "\r": "CARRIAGE RETURN", "\x0c": "FORM FEED",
                  "\x0b": "LINE TABULATION", "\x08": "BACKSPACE", "\x7f": "DELETE", "\x85": "NEXT LINE"}


def code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def describe(char: str) -> tuple[str, str]:
    """What a refused character is, and what to do about it, for an error message."""
    point = code_point(char)
    if "\ud800" <= char <= "\udfff":
        return (f"{point}, half of a UTF-16 pair (a surrogate), which is not a character",
                "write the character itself, or one escape for it (\\U0001F600 in YAML, not \\ud83d\\ude00)")
    if "\ufdd0" <= char <= "\ufdef" or (ord(char) & 0xFFFE) == 0xFFFE:
        return f"{point}, a noncharacter (a program's marker, never text)", "delete it"
    name = _CONTROL_NAMES.get(char)
    return (f"{point}{f' ({name})' if name else ''}, a control character, which a page or a feed cannot show",
            "delete it (most editors do not show it; it comes with text pasted from a terminal or a PDF)")


def _decoded_references(text: str) -> Iterator[tuple[int, str]]:
    """(offset, character) of each numeric character reference Markdown would turn into a
    refused or direction-formatting character."""
    for match in _REFERENCE.finditer(text):
        number = int(match[1], 16) if match[1] else int(match[2])
        if number > 0x10FFFF:
            continue   # Markdown shows U+FFFD for it
        char = chr(number)
        # &#0; is U+FFFD in Markdown; a surrogate too
        if number and not "\ud800" <= char <= "\udfff" and (_REFUSED.match(char) or _DIRECTION.match(char)):
            yield match.start(), char


def problem(text: str, markdown: bool = False) -> str | None:
    """Why `text` cannot be published, or None. `markdown`: the text is rendered as Markdown, so
    its numeric character references count as the characters they name."""
    found = _REFUSED.search(text)
    if found:
        what, hint = describe(found.group())
        return f"holds {what}, at character {found.start() + 1}: {hint}"
    if markdown and "&#" in text:
        for offset, char in _decoded_references(text):
            if _REFUSED.match(char):
                what, hint = describe(char)
                return f"has a character reference ({text[offset:text.index(';', offset) + 1]}) to {what}: {hint}"
        text = _REFERENCE.sub(lambda m: _referenced(m), text)
    if _DIRECTION.search(text):
        return direction_problem(text)
    return None


def _referenced(match: re.Match) -> str:
    number = int(match[1], 16) if match[1] else int(match[2])
    char = chr(number) if number <= 0x10FFFF else ""
    return char if _DIRECTION.match(char) else match.group()


def direction_problem(text: str) -> str | None:
    """Why the explicit direction formatting of `text` would reach past it, or None: every
    embedding, override and isolate closed in the text, in the order they were opened."""
    stack: list[str] = []
    for char in _DIRECTION.findall(text):
        if char in OPENERS:
            stack.append(char)
            continue
        want_isolate = char == POP_DIRECTIONAL_ISOLATE
        if not stack or (stack[-1] in _ISOLATES) != want_isolate:
            closer = "U+2069 (pop directional isolate)" if want_isolate else "U+202C (pop directional formatting)"
            if stack:
                return (f"closes {OPENERS[stack[-1]]} with {closer}, which does not close it: close it with "
                        f"{'U+2069' if stack[-1] in _ISOLATES else 'U+202C'}")
            return (f"has {closer} with nothing open to close: delete it (it would end the reader's own "
                    "direction setting around the text)")
        stack.pop()
    if stack:
        opened = stack[-1]
        closer = "U+2069" if opened in _ISOLATES else "U+202C"
        return (f"opens {OPENERS[opened]} and never closes it, so it would reverse or reorder what is shown "
                f"after the text: close it with {closer} in the same text, or delete it (to set the "
                "direction of a few words, the marks U+200E and U+200F are enough)")
    return None


def body_problems(body: str) -> Iterator[tuple[int, str]]:
    """(0-based line of the body, why) for each line of a Markdown body that cannot be published."""
    if not (_REFUSED.search(body) or _DIRECTION.search(body) or "&#" in body):
        return
    for number, line in enumerate(body.split("\n")):
        why = problem(line, markdown=True)
        if why:
            yield number, why


def shown(text: str) -> str:
    """`text` safe to print on a terminal: refused and direction-formatting characters as escapes."""
    return _DIRECTION.sub(_escape, _REFUSED.sub(_escape, text))


def _escape(match: re.Match) -> str:
    point = ord(match.group())
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}" if point < 0x10000 else f"\\U{point:08x}"


# front-matter keys whose text is rendered as Markdown (inline): source and report notes,
# discrepancies, corrections
MARKDOWN_KEYS = frozenset({"note", "discrepancies", "text"})


def document_problems(value, line_of) -> list[tuple[int, str]]:
    """(line, why) for each key or text in a front-matter value (YAML, TOML or JSON, as loaded)
    that cannot be published; `line_of(*path)` is the line of a path in it."""
    found: list[tuple[int, str]] = []

    def walk(item, path: tuple, markdown: bool) -> None:
        if isinstance(item, str):
            why = problem(item, markdown)
            if why:
                found.append((line_of(*path), f"{_field(path)} {why}"))
        elif isinstance(item, dict):
            for key, inner in item.items():
                if isinstance(key, str) and problem(key):
                    found.append((line_of(*path, key), f"the key '{shown(key)}' {problem(key)}"))
                    continue
                walk(inner, (*path, key), markdown or key in MARKDOWN_KEYS)
        elif isinstance(item, list):
            for index, inner in enumerate(item):
                walk(inner, (*path, index), markdown)

    walk(value, (), False)
    return found


def _field(path: tuple) -> str:
    """'title', 'sources' item 2 'note', 'tags' item 3: how an error names a value."""
    words = []
    for part in path:
        if isinstance(part, int):
            words.append(f"item {part + 1}")
        else:
            words.append(f"'{shown(str(part))}'")
    return " ".join(words) if words else "the text"
