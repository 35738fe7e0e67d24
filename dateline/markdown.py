"""Markdown bodies -> HTML. Links to other content files (`[x](other-event.md)`) become links
to their pages; a link to a missing file is an error with its line. The HTML goes through the
allow-list sanitizer (sanitize.py) before it reaches a page or a feed."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

import markdown as md
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .errors import ContentError, error
from .sanitize import Sanitizer, external_images

EXTENSIONS = ["footnotes", "tables", "attr_list", "abbr", "smarty", "sane_lists"]


class _LinkRewriter(Treeprocessor):
    def __init__(self, md_instance, owner: "MarkdownRenderer"):
        super().__init__(md_instance)
        self.owner = owner

    def run(self, root):
        for element in root.iter("a"):
            href = element.get("href")
            if href:
                element.set("href", self.owner.resolve(href))
        for element in root.iter("img"):
            # Images need explicit text alternatives; Markdown gives alt="" for ![](x) which is fine.
            element.set("loading", "lazy")


class _Hook(Extension):
    def __init__(self, owner):
        super().__init__()
        self.owner = owner

    def extendMarkdown(self, md_instance):
        md_instance.treeprocessors.register(_LinkRewriter(md_instance, self.owner), "dateline-links", 1)


class MarkdownRenderer:
    """One configured Markdown converter, reused across documents (reset between them)."""

    def __init__(self, urls_by_file: dict[str, str], drafts: frozenset[str] = frozenset(),
                 sanitizer: Sanitizer | None = None):
        self.urls_by_file = urls_by_file   # content path ("a.md", "pages/about.md") -> "/events/a/"
        self.drafts = drafts               # content paths of unpublished entries
        self.sanitizer = sanitizer or Sanitizer()
        self._md = md.Markdown(extensions=[*EXTENSIONS, _Hook(self)],
                               extension_configs={"footnotes": {"BACKLINK_TITLE": "Back to text %d"}},
                               output_format="html")
        self._current: str = ""
        self._missing: list[str] = []
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

    def render(self, path: str, text: str, first_line: int) -> tuple[str, list[ContentError]]:
        self._current, self._missing, self.links = path, [], {}
        html = self.sanitizer.clean(self._md.reset().convert(text))
        errors, searched_from = [], {}
        for target, is_draft in self._missing:
            start = searched_from.get(target, 0)
            index = text.find(f"({target}", start)
            index = index if index >= 0 else text.find(target, start)
            searched_from[target] = index + 1 if index >= 0 else start
            line = text[:index].count("\n") + 1 if index >= 0 else 1
            problem = "which is a draft: publish it or remove the link" if is_draft \
                else "but there is no such content file"
            errors.append(error(path, first_line + line - 1, f"link to '{target}', {problem}"))
        for src in external_images(html):
            index = text.find(src)
            line = text[:index].count("\n") + 1 if index >= 0 else 1
            errors.append(error(path, first_line + line - 1,
                                f"image {src} is on another site, and pages load nothing from other sites "
                                "(their Content-Security-Policy refuses it): save it in the site's "
                                "templates/static/ folder and write ![…](/static/<file name>)"))
        return html, errors

    def inline(self, text: str) -> str:
        """A one-line snippet (a note, a discrepancy) without the surrounding <p>. Links in it
        resolve from the content folder, whichever body was rendered last."""
        self._current, self._missing, self.links = "", [], {}
        html = self.sanitizer.clean(self._md.reset().convert(text))
        return re.sub(r"^<p>(.*)</p>$", r"\1", html.strip(), flags=re.S)

