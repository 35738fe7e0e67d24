"""Markdown bodies -> HTML, with cmark-gfm (GitHub Flavored Markdown: CommonMark plus tables,
strikethrough, autolinks and footnotes, with smart punctuation). Links to other content files
(`[x](other-event.md)`) become links to their pages; a link to a missing file is an error with
its line. The HTML goes through the allow-list sanitizer (sanitize.py) before it reaches a page
or a feed.

cmark-gfm is GitHub's C implementation of the specification; it renders a 300-word body in
about 0.1 ms, where Python-Markdown took 4.4 ms (a third of a cold build of 10,000 events)."""

from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import unquote, urlsplit

from cmarkgfm.cmark import Options

from .cmark import to_html
from .errors import ContentError, error
from .sanitize import Sanitizer, external_images

# Raw HTML is kept for the sanitizer to judge (UNSAFE), rather than cmark's own filters: one
# policy, in one place. GitHub's "tagfilter" would show <script> as text; nh3 drops it.
OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_SMART | Options.CMARK_OPT_FOOTNOTES
EXTENSIONS = ["table", "strikethrough", "autolink"]

# In the sanitizer's output, every attribute is double-quoted and escaped.
_HREF = re.compile(r'(<a\s[^>]*?\bhref=")([^"]*)"')
_IMG = re.compile(r"<img\s(?![^>]*\bloading=)")
_FOOTNOTES = '<section class="footnotes" data-footnotes>'
_ONE_PARAGRAPH = re.compile(r"^<p>(.*)</p>$", re.S)


def _footnotes_as_div(converted: str) -> str:
    """cmark puts the footnotes in a <section> (always last), and a section without a heading is
    a finding of the HTML checker; in the body of an event page they are a plain block."""
    head, found, notes = converted.partition(_FOOTNOTES)
    if not found:
        return converted
    notes, _, tail = notes.rpartition("</section>")
    return f'{head}<div class="footnotes">{notes}</div>{tail}'


class MarkdownRenderer:
    """Converts bodies for one site: `urls_by_file` maps content paths ("a.md",
    "pages/about.md") to page URLs ("/events/a/"); `drafts` are the paths of unpublished entries."""

    def __init__(self, urls_by_file: dict[str, str], drafts: frozenset[str] = frozenset(),
                 sanitizer: Sanitizer | None = None):
        self.urls_by_file = urls_by_file
        self.drafts = drafts
        self.sanitizer = sanitizer or Sanitizer()
        self._current: str = ""
        self._missing: list[tuple[str, bool]] = []
        self.links: dict[str, str] = {}    # content files the last render linked to -> their URL

    def resolve(self, href: str) -> str:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith(("#", "/")):
            return href
        if not parts.path.endswith(".md"):
            return href
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self._current), unquote(parts.path)))
        url = self.urls_by_file.get(target)
        self.links[target] = url
        if url is None:
            self._missing.append((parts.path, target in self.drafts))
            return href
        return url + (f"#{parts.fragment}" if parts.fragment else "")

    def _convert(self, path: str, text: str) -> str:
        self._current, self._missing, self.links = path, [], {}
        converted = to_html(text, OPTIONS, EXTENSIONS)
        clean = self.sanitizer.clean(_footnotes_as_div(converted))
        clean = _HREF.sub(lambda m: f'{m.group(1)}{html.escape(self.resolve(html.unescape(m.group(2))))}"', clean)
        # images load as the reader scrolls to them
        return _IMG.sub('<img loading="lazy" ', clean)

    def render(self, path: str, text: str, first_line: int) -> tuple[str, list[ContentError]]:
        """A body: its HTML and its errors (links to missing or draft files, images from other
        sites), each at its line in the file (the body starts at `first_line`)."""
        result = self._convert(path, text)
        return result, self._problems(path, text, result, lambda offset: first_line + offset)

    def render_inline(self, path: str, text: str, line: int) -> tuple[str, list[ContentError]]:
        """A one-line snippet of front matter (a note, a discrepancy) without the surrounding
        <p>, checked as a body is; its errors are at the field's `line`."""
        result = _ONE_PARAGRAPH.sub(r"\1", self._convert(path, text).strip())
        return result, self._problems(path, text, result, lambda offset: line)

    def _problems(self, path: str, text: str, result: str, at) -> list[ContentError]:
        """The errors of the last conversion; `at(offset)`: the file line of the text's line
        number `offset` (0 for its first line)."""
        errors, searched_from = [], {}
        for target, is_draft in self._missing:
            start = searched_from.get(target, 0)
            index = text.find(f"({target}", start)
            index = index if index >= 0 else text.find(target, start)
            searched_from[target] = index + 1 if index >= 0 else start
            offset = text[:index].count("\n") if index >= 0 else 0
            problem = "which is a draft: publish it or remove the link" if is_draft \
                else "but there is no such content file"
            errors.append(error(path, at(offset), f"link to '{target}', {problem}"))
        for src in external_images(result):
            index = text.find(src)
            offset = text[:index].count("\n") if index >= 0 else 0
            errors.append(error(path, at(offset),
                                f"image {src} is on another site, and pages load nothing from other sites "
                                "(their Content-Security-Policy refuses it): save it in the site's "
                                "templates/static/ folder and write ![…](/static/<file name>)"))
        return errors
