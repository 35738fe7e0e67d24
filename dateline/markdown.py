"""Markdown bodies -> HTML, with the engine the site chose (engines.py: cmark-gfm, GitHub
Flavored Markdown, or Python-Markdown with the site's extensions). Whatever the engine, links to
other content files (`[x](other-event.md)`) become links to their pages; a link to a missing file
is an error with its line. Images and other files saved in the content folder (`![x](photo.jpg)`,
relative to the entry's file, or else in content/media/) are published under /media/ at their
path in the content folder, and the link rewritten to it; a missing one, or an image missing from the theme's /static/, is an
error. The HTML goes through the allow-list sanitizer (sanitize.py) before it reaches a page or a
feed."""

from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import quote, unquote, urlsplit

from .engines import Engine, engine_for
from .errors import ContentError, error
from .sanitize import Sanitizer, external_images

# In the sanitizer's output, every attribute is double-quoted and escaped.
_HREF = re.compile(r'(<a\s[^>]*?\bhref=")([^"]*)"')
_SRC = re.compile(r'(<img\s[^>]*?\bsrc=")([^"]*)"')

MEDIA = "media"              # the output folder of the files published from the content folder
MAX_MEDIA_BYTES = 10_000_000  # an image for a web page; a larger file is a mistake, or a download
_NOT_FILES = (".html", ".htm", ".php", ".asp", ".aspx")   # a link to a page of some site, not a file


def media_url(rel: str) -> str:
    """The address a file of the content folder is published at ("2024/a b.jpg" ->
    "/media/2024/a%20b.jpg")."""
    return f"/{MEDIA}/" + quote(rel)


def media_urls(files: dict[str, int], static: list[str] | tuple[str, ...] = ()) -> dict[str, str]:
    """What links in bodies may point at besides entries, as MarkdownRenderer's `urls_by_file`
    holds them: the files of the content folder small enough to publish (relative path ->
    /media/ address) and the theme's static files ("/static/x.png" -> itself)."""
    urls = {rel: media_url(rel) for rel, size in files.items() if size <= MAX_MEDIA_BYTES}
    urls.update(("/" + path, "/" + path) for path in static)
    return urls


_MEDIA_LINK = re.compile(r'(?:href|src)="/' + MEDIA + r'/([^"#?]*)"')


def media_in(html_texts) -> set[str]:
    """The content files (relative paths) the rendered HTML links to under /media/."""
    return {unquote(html.unescape(found)) for text in html_texts if f"/{MEDIA}/" in text
            for found in _MEDIA_LINK.findall(text)}
_IMG = re.compile(r"<img\s(?![^>]*\bloading=)")
_PARAGRAPH = re.compile(r"<p(?:\s[^>]*)?>(.*?)</p>", re.S)
_BLOCK = re.compile(r"<(ul|ol|table|blockquote|pre|hr|dl|div|h[1-6]|figure|details|section)\b", re.I)
_BLOCKS = {"ul": "a list", "ol": "a numbered list", "table": "a table", "blockquote": "a quotation",
           "pre": "a code block", "hr": "a rule", "dl": "a definition list", "div": "a block (an admonition, "
           "footnotes)", "figure": "a figure", "details": "a details block", "section": "a section",
           **{f"h{n}": "a heading" for n in range(1, 7)}}


def _as_inline(converted: str) -> tuple[str, str | None]:
    """A snippet's HTML for a place that holds text, not blocks (a note inside a sentence): its
    paragraphs without their <p>, joined with <br> (raw inline HTML, which Markdown leaves outside
    any paragraph, as it is). (the HTML, None), or (the HTML, what block it has) when it has
    another kind of block."""
    pieces, at = [], 0
    for found in [*_PARAGRAPH.finditer(converted), None]:
        between = converted[at:found.start() if found else len(converted)]
        block = _BLOCK.search(between)
        if block:
            return converted, _BLOCKS[block.group(1).lower()]
        pieces += [between.strip()] if between.strip() else []
        if found:
            pieces.append(found.group(1).strip())
            at = found.end()
    return "<br>".join(pieces), None


class MarkdownRenderer:
    """Converts bodies for one site: `urls_by_file` maps content paths ("a.md",
    "pages/about.md") to page URLs ("/events/a/"), and the other files a body may link to to
    theirs (media_urls); `drafts` are the paths of unpublished entries; `files`: every other
    file of the content folder, with its size (load.Listing.files)."""

    def __init__(self, urls_by_file: dict[str, str], drafts: frozenset[str] = frozenset(),
                 sanitizer: Sanitizer | None = None, files: dict[str, int] | None = None,
                 engine: Engine | None = None):
        self.urls_by_file = urls_by_file
        self.engine = engine or engine_for()
        self.drafts = drafts
        self.sanitizer = sanitizer or Sanitizer()
        self.files = files or {}
        self._current: str = ""
        # (what was written, the error's message)
        self._missing: list[tuple[str, str]] = []
        self.links: dict[str, str] = {}    # content files the last render linked to -> their URL

    def resolve(self, href: str, image: bool = False) -> str:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("#"):
            return href
        if href.startswith("/"):
            return self._rooted(href, parts.path, image)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self._current), unquote(parts.path)))
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        if parts.path.endswith(".md") and not image:
            url = self.urls_by_file.get(target)
            self.links[target] = url
            if url is None:
                self._miss(parts.path, "which is a draft: publish it or remove the link"
                           if target in self.drafts else "but there is no such content file" + self._elsewhere(target))
                return href
            return url + fragment
        if not parts.path:
            return href
        if target not in self.files and not parts.path.startswith("../"):
            # an image named as `media:` names one: beside the entry, else in content/media/
            shared = posixpath.normpath(posixpath.join(MEDIA, unquote(parts.path)))
            target = shared if shared in self.files else target
        url = self.urls_by_file.get(target) if target in self.files else None
        self.links[target] = url
        if url is not None:
            return url + fragment
        if target in self.files:
            size = self.files[target]
            self._miss(parts.path, f"which is {size:,} bytes; a file published with an entry may be "
                                   f"at most {MAX_MEDIA_BYTES:,}: make it smaller", image)
            return href
        entry = target.rstrip("/") + ".md"
        self.links[entry] = self.urls_by_file.get(entry)
        fix = f": write ({parts.path.rstrip('/')}.md)" if entry in self.urls_by_file else \
            self._elsewhere(entry) if "." not in parts.path.rpartition("/")[2] else ""
        if not image and fix:
            self._miss(parts.path, f"which is an entry written without '.md', a page that does not exist{fix}")
            return href
        name = parts.path.rpartition("/")[2]
        if image or ("." in name and not name.lower().endswith(_NOT_FILES)):
            where = posixpath.dirname(self._current)
            self._miss(parts.path, f"but there is no such file in the content folder "
                                   f"(looked for content/{target}): save it "
                                   f"{'in content/' + where if where else 'beside the entry'} "
                                   f"or in content/{MEDIA}/, or correct the name", image)
        return href

    def _elsewhere(self, target: str) -> str:
        """The fix for a link to an entry that is in another folder than the link says: ": write
        (../2023/b.md)", or ""."""
        name = "/" + target.rpartition("/")[2]
        found = [path for path in self.urls_by_file if path.endswith(".md") and ("/" + path).endswith(name)]
        if len(found) != 1:
            return ""
        return f": write ({posixpath.relpath(found[0], posixpath.dirname(self._current) or '.')})"

    def _miss(self, written: str, problem: str, image: bool = False) -> None:
        self._missing.append((written, f"{'image' if image else 'link to'} '{written}', {problem}"))

    def _rooted(self, href: str, path: str, image: bool) -> str:
        """A link from the root of the site: the theme's static files and the published
        content files are checked (the rest are pages of the site, checked by nobody)."""
        path = unquote(path)
        if path.startswith("/static/") and "." in path.rpartition("/")[2]:
            self.links[path] = self.urls_by_file.get(path)
            if path not in self.urls_by_file:
                self._miss(path, f"but the theme has no file {path[1:]}: save it in the site's "
                                 f"templates/static/ folder, or correct the name", image)
        elif path.startswith(f"/{MEDIA}/"):
            rel = path[len(MEDIA) + 2:]
            self.links[rel] = self.urls_by_file.get(rel) if rel in self.files else None
            if self.links[rel] is None:
                self._miss(path, f"but there is no file content/{rel} to publish there: "
                                 f"link the file by its path from the entry instead", image)
        return href

    def _convert(self, path: str, text: str) -> str:
        self._current, self._missing, self.links = path, [], {}
        clean = self.sanitizer.clean(self.engine.to_html(text))
        clean = _HREF.sub(lambda m: f'{m.group(1)}{html.escape(self.resolve(html.unescape(m.group(2))))}"', clean)
        if "<img" in clean:
            clean = _SRC.sub(lambda m: f'{m.group(1)}{html.escape(self.resolve(html.unescape(m.group(2)), True))}"',
                             clean)
        # images load as the reader scrolls to them
        return _IMG.sub('<img loading="lazy" ', clean)

    def render(self, path: str, text: str, first_line: int) -> tuple[str, list[ContentError]]:
        """A body: its HTML and its errors (links to missing or draft files, images from other
        sites), each at its line in the file (the body starts at `first_line`)."""
        result = self._convert(path, text)
        return result, self._problems(path, text, result, lambda offset: first_line + offset)

    def render_inline(self, path: str, text: str, line: int) -> tuple[str, list[ContentError]]:
        """A snippet of front matter (a note, a discrepancy, a correction), checked as a body is,
        as text to go inside a sentence or a list item: its paragraphs without their <p>, joined
        with <br>. Any other block (a list, a table, a heading) is an error; its errors are at the
        field's `line`."""
        result, block = _as_inline(self._convert(path, text).strip())
        problems = self._problems(path, text, result, lambda offset: line)
        if block:
            problems.append(error(path, line, f"this text makes {block}, which cannot be shown inside a line: "
                                              "write it as one or more paragraphs (in Markdown a line that "
                                              "starts with '- ', '1. ', '# ' or '> ' starts a block: reword "
                                              "its start), or move it to the body"))
        return result, problems

    def _problems(self, path: str, text: str, result: str, at) -> list[ContentError]:
        """The errors of the last conversion; `at(offset)`: the file line of the text's line
        number `offset` (0 for its first line)."""
        errors, searched_from = [], {}
        for target, message in self._missing:
            start = searched_from.get(target, 0)
            index = text.find(f"({target}", start)
            index = index if index >= 0 else text.find(target, start)
            searched_from[target] = index + 1 if index >= 0 else start
            offset = text[:index].count("\n") if index >= 0 else 0
            errors.append(error(path, at(offset), message))
        for src in external_images(result):
            index = text.find(src)
            offset = text[:index].count("\n") if index >= 0 else 0
            errors.append(error(path, at(offset),
                                f"image {src} is on another site, and pages load nothing from other sites "
                                "(their Content-Security-Policy refuses it): save it in the site's "
                                "templates/static/ folder and write ![…](/static/<file name>)"))
        return errors
