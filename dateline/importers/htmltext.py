"""The HTML of TimelineJS headlines and texts as Markdown, and plain text as Markdown that shows
it as written.

Only the tags TimelineJS sheets use are converted: p, br, a, b/strong, i/em, ul/ol/li (div acts
as a paragraph). Anything else is kept as raw HTML, which dateline's sanitizer judges at build
time like any raw HTML in a body, with two exceptions that would otherwise fail `check`: an
image from another site becomes a link to it (pages load nothing from other sites), and a link
that is not http(s), mailto or relative keeps its text only."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

_BLOCKS = {"p", "div"}
_STRONG = {"b", "strong"}
_EMPHASIS = {"i", "em"}
_VOID = {"br", "img", "hr", "wbr", "input", "meta", "link", "source", "col", "area", "embed"}
_SAFE_SCHEMES = {"", "http", "https", "mailto"}

# Markdown that plain text could start by accident.
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^(\s*)(#|>|[-+*](?=\s)|=+\s*$|-+\s*$|(\d+)([.)])(?=\s))", re.M)


def escape_markdown(text: str) -> str:
    """Plain text -> Markdown that renders as that text (no emphasis, links, HTML or lists)."""
    text = _ENTITY.sub("&amp;", _INLINE.sub(r"\\\1", text))

    def line_start(match: re.Match) -> str:
        lead, mark, digits, dot = match.group(1), match.group(2), match.group(3), match.group(4)
        return f"{lead}{digits}\\{dot}" if digits else f"{lead}\\{mark}"
    return _LINE_START.sub(line_start, text)


def plain_text(fragment: str) -> str:
    """An HTML fragment's text, tags dropped and entities decoded, on one line (a title)."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", fragment)).split())


def _safe_href(href: str) -> bool:
    try:
        return urlsplit(href.strip()).scheme.lower() in _SAFE_SCHEMES
    except ValueError:
        return False


def _link_target(href: str) -> str:
    href = href.strip()
    return f"<{href}>" if re.search(r"[\s()<>]", href) else href


class _Converter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []       # finished paragraphs and lists
        self.line: list[str] = []         # the inline text being gathered
        self.lists: list[list] = []       # open lists: [kind, next number]
        self.links: list[tuple[str | None, int]] = []   # open <a>: href (None: text only), start
        self.raw: list[str] = []          # open tags kept as raw HTML

    # -- inline text
    def handle_data(self, data: str) -> None:
        text = re.sub(r"\s+", " ", data)
        if not "".join(self.line).strip():
            text = text.lstrip()
        self.line.append(escape_markdown(text))

    def _flush(self) -> None:
        text = "".join(self.line).strip()
        text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
        self.line = []
        if not text:
            return
        if self.lists:
            kind, number = self.lists[-1]
            marker = f"{number}." if kind == "ol" else "-"
            if kind == "ol":
                self.lists[-1][1] += 1
            indent = "   " * (len(self.lists) - 1)
            text = text.replace("\n", "\n" + indent + " " * (len(marker) + 1))
            self.blocks.append(f"{indent}{marker} {text}")
        else:
            self.blocks.append(text)

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = dict(attrs)
        if tag in _BLOCKS or tag in ("ul", "ol", "li"):
            self._flush()
            if tag in ("ul", "ol"):
                self.lists.append([tag, 1])
        elif tag == "br":
            self.line.append("\\\n")
        elif tag in _STRONG:
            self.line.append("**")
        elif tag in _EMPHASIS:
            self.line.append("*")
        elif tag == "a":
            href = attributes.get("href") or ""
            self.links.append((href if href.strip() and _safe_href(href) else None, len(self.line)))
        elif tag == "img":
            src, alt = attributes.get("src") or "", attributes.get("alt") or ""
            if urlsplit(src).scheme.lower() in ("http", "https"):
                self.line.append(f"[{escape_markdown(alt) or 'Image'}]({_link_target(src)})")
            else:
                self.line.append(self.get_starttag_text() or "")
        else:
            self.line.append(self.get_starttag_text() or "")
            if tag not in _VOID:
                self.raw.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS or tag == "li":
            self._flush()
        elif tag in ("ul", "ol"):
            self._flush()
            if self.lists:
                self.lists.pop()
            if not self.lists:
                self.blocks.append("")      # a list ends before the next paragraph
        elif tag in _STRONG:
            self.line.append("**")
        elif tag in _EMPHASIS:
            self.line.append("*")
        elif tag == "a":
            if self.links:
                href, start = self.links.pop()
                if href is not None:
                    text = "".join(self.line[start:]).strip() or escape_markdown(href)
                    self.line[start:] = [f"[{text}]({_link_target(href)})"]
        elif tag in self.raw:
            self.raw.remove(tag)
            self.line.append(f"</{tag}>")

    def result(self) -> str:
        self._flush()
        text = "\n\n".join(b for b in self.blocks if b is not None)
        text = re.sub(r"\n{3,}", "\n\n", text)
        # items of one list are one block: no blank line between them
        text = re.sub(r"(?m)^((?: {3})*(?:-|\d+\.) .*)\n\n(?=(?: {3})*(?:-|\d+\.) )", r"\1\n", text)
        return text.strip()


def markdown_of(fragment: str) -> str:
    """TimelineJS HTML -> Markdown; text without tags is taken as text (entities decoded)."""
    converter = _Converter()
    converter.feed(fragment.replace("\r\n", "\n"))
    converter.close()
    return converter.result()
