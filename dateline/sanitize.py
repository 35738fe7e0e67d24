"""The HTML of Markdown bodies and notes, through an allow-list (nh3, a binding of Rust's ammonia).

Entries come from many hands and the site is public the moment it is built, so raw HTML in a
body keeps only what news text needs: structure, emphasis, links, images, tables, footnotes.
Everything else is dropped: script and style with their content; iframe, object, embed and forms;
every `on…` handler and `style` attribute (the Content-Security-Policy would refuse them anyway);
any URL that is not http(s), mailto or relative (no javascript:, no data:). Iframes are kept only
from the origins a site lists in `allow_iframes_from`, and the page's CSP then allows them.
"""

from __future__ import annotations

import html
import re

import nh3

TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code",
    "a", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup",
    "abbr", "cite", "q", "kbd", "samp", "var", "time", "bdi", "bdo", "span", "div",
    "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
    "img", "figure", "figcaption", "details", "summary",
}
# Dropped with everything inside them (other unknown tags lose only the tag, keeping their text).
DROPPED_WITH_CONTENT = {"script", "style", "template", "noscript", "textarea", "select", "math", "svg"}

# `id` and `class` are what footnotes are made of (see markdown.py).
GENERIC_ATTRIBUTES = {"id", "class", "title", "dir", "lang", "role"}
ATTRIBUTES = {
    "a": {"href", "hreflang", "aria-label"},   # aria-label: the footnotes' "Back to reference 1"
    "img": {"src", "alt", "width", "height", "loading"},
    "time": {"datetime"},
    "ol": {"start", "reversed", "type"}, "li": {"value"},
    "th": {"colspan", "rowspan", "scope", "headers"}, "td": {"colspan", "rowspan", "headers"},
    "col": {"span"}, "colgroup": {"span"}, "details": {"open"},
}
IFRAME_ATTRIBUTES = {"src", "width", "height", "allow", "allowfullscreen", "loading", "referrerpolicy"}
URL_SCHEMES = {"http", "https", "mailto"}
_IMAGE_SOURCE = re.compile(r'<img\s[^>]*?\bsrc="([^"]*)"')   # in nh3's output: attributes double-quoted


class Sanitizer:
    """`iframes_from`: origins such as "https://www.youtube-nocookie.com" whose iframes are kept."""

    def __init__(self, iframes_from: tuple[str, ...] = ()):
        self.iframe_prefixes = tuple(origin.rstrip("/") + "/" for origin in iframes_from)
        self.tags = TAGS | ({"iframe"} if iframes_from else set())
        self.attributes = {"*": GENERIC_ATTRIBUTES, **ATTRIBUTES}
        if iframes_from:
            self.attributes["iframe"] = IFRAME_ATTRIBUTES
        # built once: nh3.clean builds ammonia's sanitizer anew for every call, half its time
        self._cleaner = nh3.Cleaner(tags=self.tags, clean_content_tags=DROPPED_WITH_CONTENT,
                                    attributes=self.attributes, attribute_filter=self._attribute,
                                    url_schemes=URL_SCHEMES, strip_comments=True, link_rel=None)

    def _attribute(self, tag: str, name: str, value: str) -> str | None:
        if name == "role":   # only the roles of footnote markup: no fake buttons or dialogs
            return value if value.startswith("doc-") else None
        if tag == "iframe" and name == "src":
            return value if value.startswith(self.iframe_prefixes) else None
        return value

    def clean(self, fragment: str) -> str:
        return self._cleaner.clean(fragment)


def external_images(clean_html: str) -> list[str]:
    """The sources of images on other sites in sanitized HTML: the pages' CSP would refuse them."""
    sources = (html.unescape(src) for src in _IMAGE_SOURCE.findall(clean_html))
    return [src for src in sources if re.match(r"^(?:[a-z][a-z0-9+.-]*:|//)", src, re.I)]
