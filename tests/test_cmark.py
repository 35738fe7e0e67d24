"""dateline/cmark.py: cmark-gfm's HTML, as cmarkgfm gives it, without the memory cmarkgfm leaks."""

from __future__ import annotations

import cmarkgfm
import pytest

from dateline.cmark import to_html
from dateline.engines import EXTENSIONS, OPTIONS

DOCUMENTS = [
    "",
    "Plain text.",
    "# Heading\n\nA *paragraph* with **emphasis**, `code` and a [link](other.md#x).\n",
    "- one\n- two\n  1. nested\n\n> quoted \"smart\" -- dashes...\n",
    "| a | b |\n|---|:-:|\n| 1 | 2 |\n",
    "A note.[^1]\n\n[^1]: The note, with ~~struck~~ text and www.example.com.\n",
    "<script>alert(1)</script><div onclick=x>raw</div>\n",
    "NUL \x00 in text, and right-to-left: دریا پور میں سیلاب\n",
    "```python\ncode = 'block'\n```\n",
    "word " * 3000,
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_the_same_html_as_cmarkgfm(text):
    assert to_html(text, OPTIONS, EXTENSIONS) == cmarkgfm.markdown_to_html_with_extensions(text, OPTIONS, EXTENSIONS)


def _resident_mb() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


def test_rendering_many_documents_does_not_grow_memory():
    # cmarkgfm's own function keeps each document's syntax tree and HTML: about 16 KB for a
    # document like this one, 50 MB over these 3,000 renders
    document = "\n\n".join(["## A heading\n\nSome *text* with a [link](https://example.org/) and more words."
                            " - A list item\n- another, with `code`"] * 12)
    to_html(document, OPTIONS, EXTENSIONS)
    before = _resident_mb()
    for _ in range(3000):
        to_html(document, OPTIONS, EXTENSIONS)
    assert _resident_mb() - before < 10
