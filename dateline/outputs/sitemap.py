"""``sitemap.xml`` and ``robots.txt``.

The sitemap lists every HTML page the build rendered (it takes the rendered files, so a new page
type is listed without a change here), except ``404.html`` and pages marked
``<meta name="robots" content="noindex">`` (the alias redirect pages). URLs are sorted, and
``index.html`` is dropped (``events/x/index.html`` is ``<base_url>events/x/``). An event's page
(in every language) has a ``lastmod``: the entry's last change in substance, its latest
correction's date or its ``updated`` date (``lastmod``), the date the feeds and the JSON-LD give.
Other pages, and entries never revised, have none: the build does not know when they last
changed, and a guessed date would mislead crawlers.

The sitemap protocol wants absolute URLs, so ``sitemap.xml`` is written only when ``base_url`` has
a host. Crawlers read ``robots.txt`` at a domain's root only, so it is written (allow everything,
with a ``Sitemap:`` line when there is a sitemap) only when the site is published there; a site
under a subpath has its sitemap given to search engines another way (README).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from ..config import Config
from ..model import Event
from ..routes import event_url, sitemap_files
from .feeds import revised

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"   # a page's versions in other languages (hreflang)
_NOINDEX = re.compile(rb'<meta\s+name="robots"\s+content="[^"]*noindex', re.I)


def listed(name: str, data: bytes) -> bool:
    """Whether the rendered file `name` is a page the sitemap lists."""
    return name.endswith(".html") and name.rpartition("/")[2] != "404.html" and not _NOINDEX.search(data[:4096])


def page_path(name: str) -> str:
    """The root path of the page in file `name` ("events/x/index.html" -> "/events/x/")."""
    index = name == "index.html" or name.endswith("/index.html")
    return "/" + (name[: -len("index.html")] if index else name)


def page_paths(files: Mapping[str, bytes]) -> list[str]:
    """Root paths of the indexable HTML pages among the rendered files."""
    return sorted(page_path(name) for name, data in files.items() if listed(name, data))


def lastmod(events) -> dict[str, str]:
    """Root path of each revised event's page -> the day of its last change (W3C date)."""
    return {event_url(e): revised(e).first_day().isoformat() for e in events if revised(e)}


def sitemap(config: Config, paths: list[str], changed: Mapping[str, str] | None = None) -> dict[str, bytes]:
    """sitemap.xml (with a host) and robots.txt (at a domain's root), for the pages at root
    paths `paths`; `changed`: root path (in the default language) -> lastmod (see lastmod())."""
    out: dict[str, bytes] = {}
    lines = ["User-agent: *", "Allow: /"]
    changed = changed or {}
    if config.absolute:
        versions = _versions(config, paths)
        urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS, **({"xmlns:xhtml": XHTML_NS} if versions else {})})
        for path in sorted(paths):
            url = ET.SubElement(urlset, "url")
            ET.SubElement(url, "loc").text = config.absolute_url(path)
            day = changed.get(_unprefixed(config, path))
            if day:
                ET.SubElement(url, "lastmod").text = day
            same = versions.get(path, [])
            if len(same) > 1:   # the page in each language, itself included, and x-default
                for code, other in [*same, ("x-default", same[0][1])]:
                    ET.SubElement(url, "xhtml:link", {"rel": "alternate", "hreflang": code,
                                                      "href": config.absolute_url(other)})
        ET.indent(urlset, space="  ")
        text = ET.tostring(urlset, encoding="unicode")
        out["sitemap.xml"] = ('<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n").encode("utf-8")
        lines.append(f"Sitemap: {config.absolute_url('/sitemap.xml')}")
    if "robots.txt" in sitemap_files(config):
        out["robots.txt"] = ("\n".join(lines) + "\n").encode("utf-8")
    return out


def _unprefixed(config: Config, path: str) -> str:
    """A root path without its language's folder ("/ur/events/x/" -> "/events/x/")."""
    first = path.strip("/").split("/", 1)[0]
    return path[len(first) + 1:] if first in config.codes[1:] else path


def _versions(config: Config, paths: list[str]) -> dict[str, list[tuple[str, str]]]:
    """Root path -> every language's version of that page, as (code, root path), the default
    language's first; {} for a site in one language."""
    if len(config.codes) < 2:
        return {}
    others = config.codes[1:]
    pages: dict[str, dict[str, str]] = {}
    for path in paths:
        first = path.strip("/").split("/", 1)[0]
        code = first if first in others else config.codes[0]
        base = path[len(code) + 1:] if code != config.codes[0] else path
        pages.setdefault(base, {})[code] = path
    order = {code: i for i, code in enumerate(config.codes)}
    return {path: sorted(found.items(), key=lambda item: order[item[0]])
            for found in pages.values() for path in found.values()}


__all__ = ["sitemap", "lastmod", "page_paths", "page_path", "listed"]
