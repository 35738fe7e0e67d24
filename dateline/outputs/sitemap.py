"""``sitemap.xml`` and ``robots.txt``.

The sitemap lists every HTML page the build rendered (it takes the rendered files, so a new page
type is listed without a change here), except ``404.html`` and pages marked
``<meta name="robots" content="noindex">`` (the alias redirect pages). URLs are sorted, and
``index.html`` is dropped (``events/x/index.html`` is ``<base_url>events/x/``). No ``lastmod``:
the build does not know when a page last changed, and a guessed date would mislead crawlers.

The sitemap protocol wants absolute URLs, so ``sitemap.xml`` is written only when ``base_url`` has
a host; ``robots.txt`` is always written (allow everything), with a ``Sitemap:`` line when there
is a sitemap.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from ..config import Config

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_NOINDEX = re.compile(rb'<meta\s+name="robots"\s+content="[^"]*noindex', re.I)


def page_paths(files: Mapping[str, bytes]) -> list[str]:
    """Root paths of the indexable HTML pages among the rendered files."""
    paths = []
    for name, data in files.items():
        if not name.endswith(".html") or name == "404.html" or _NOINDEX.search(data[:4096]):
            continue
        index = name == "index.html" or name.endswith("/index.html")
        path = "/" + (name[: -len("index.html")] if index else name)
        paths.append(path)
    return sorted(paths)


def sitemap(config: Config, files: Mapping[str, bytes]) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    lines = ["User-agent: *", "Allow: /"]
    if config.absolute:
        urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS})
        for path in page_paths(files):
            ET.SubElement(ET.SubElement(urlset, "url"), "loc").text = config.absolute_url(path)
        ET.indent(urlset, space="  ")
        text = ET.tostring(urlset, encoding="unicode")
        out["sitemap.xml"] = ('<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n").encode("utf-8")
        lines.append(f"Sitemap: {config.absolute_url('/sitemap.xml')}")
    out["robots.txt"] = ("\n".join(lines) + "\n").encode("utf-8")
    return out


__all__ = ["sitemap", "page_paths"]
