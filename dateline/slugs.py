"""Slugs: the names in a site's addresses and file names.

A slug is letters and digits of any script (with their combining marks: Devanagari vowel signs,
Arabic vowel marks) joined by single hyphens, Unicode NFC and lower case, so that `Flood.md`,
`flood.md` and a decomposed `flood.md` are one address. Nothing else gets in: no '/', '.', space,
underscore or invisible control, so a slug is always one safe path segment. File names end at
255 bytes; Urdu takes two bytes a letter and Chinese three, so bytes are limited too.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_SLUG = 120          # characters, so addresses stay readable
MAX_NAME_BYTES = 200    # of a file name's 255 bytes, leaving room to spare
TERM_SLUG_BYTES = 150   # tag, actor and place names are cut to this (clashes are reported)


def _letter(char: str) -> bool:
    return char.isalnum() and char != "_"


def _part_of_word(char: str) -> bool:
    return _letter(char) or unicodedata.category(char).startswith("M")


def normalise_slug(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().lower()


_ASCII_SHAPE = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")


def _shape(slug: str) -> bool:
    return (bool(slug) and _letter(slug[0]) and slug[-1] != "-" and "--" not in slug
            and all(char == "-" or _part_of_word(char) for char in slug))


def valid_slug(slug: str) -> bool:
    # most slugs are ASCII, whose letters and digits a pattern checks at once (character by
    # character, checking slugs took a sixth of the time an entry's fields took)
    shape = _ASCII_SHAPE.fullmatch(slug) is not None if slug.isascii() else _shape(slug)
    return shape and len(slug) <= MAX_SLUG and len(slug.encode("utf-8")) <= MAX_NAME_BYTES


@lru_cache(maxsize=1 << 14)
def term_slug(name: str) -> str:
    """The slug of a tag, actor or place name: its words joined by hyphens, cut to a safe length.
    (Cached: a few hundred names recur on every one of thousands of events.)"""
    text = unicodedata.normalize("NFC", name).lower()
    words, word = [], ""
    for char in text:
        if _part_of_word(char) and (word or _letter(char)):
            word += char
        elif word:
            words.append(word)
            word = ""
    text = "-".join(words + ([word] if word else []))
    while len(text.encode("utf-8")) > TERM_SLUG_BYTES:
        text = text[:-1]
    return text.strip("-") or "term"
