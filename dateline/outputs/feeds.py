"""The Atom 1.0 feed (``feed.xml``) and the JSON Feed 1.1 (``feed.json``).

One item per published event, sub-events included, newest first (the timeline's order, reversed:
a response still follows its cause). Everything comes from the model, so two builds of the same
content give the same bytes: there is no build time anywhere.

Decisions
---------
* **Ids.** An item's id is the event's absolute address (``config.absolute_url``). When
  ``base_url`` has no host that address is only a path, which is not a valid id (Atom wants an
  absolute IRI), so the id becomes a ``tag:`` URI (RFC 4151) built from the site's title:
  ``tag:<title-slug>,2024:events/<slug>/``. The date part is fixed (the year the scheme was set),
  so an id depends only on the title and the slug, never on the rest of the content. Setting a
  ``base_url`` with a host changes every id once: readers will see the items as new.
* **Dates.** ``published`` / ``date_published`` is the event's date; a partial date (``2024`` or
  ``2024-01``) is given as its first day. A local ``time`` is not used: the time zone is not
  known, so it cannot be made an instant. ``published`` is written at 00:00 UTC.
  ``updated`` / ``date_modified`` of an item is the newest date the event carries (its date, its
  end, its sources' and reports' dates, its corrections' dates and its ``updated`` date), so a
  correction shows in a reader as an update of the entry; the feed's ``updated`` is the newest
  over all items. Days have no time of their own, and many entries change on one day (a batch of
  corrections lands together), so ``updated`` is not midnight but a second of that day drawn from
  the slug (``_second_of``): two entries do not share an ``updated`` instant by accident, and
  an entry's instant still depends on nothing but the entry.
* **Content.** ``content_html`` is the event's rendered body. Bodies link other pages with root
  paths (``/events/x/``) and footnotes with fragments (``#fn-1``): both are made absolute for
  the feed, since a feed reader shows the HTML away from the site.
* **Links without a host.** Atom resolves relative references against the feed's own address,
  so when ``base_url`` has no host its links are paths from the site's root (``events/x/``),
  where the feed lives: they hold under any subpath the site is moved to. JSON Feed has
  no such rule: ``home_page_url``, ``feed_url`` and item ``url`` are left out unless they are
  absolute.
* **Escaping.** The Atom document is built with ``xml.etree`` (which escapes ``& < > "``); control
  characters that XML 1.0 cannot carry are stripped from every text, in both feeds. The entries
  and settings refuse them already (``characters.py``); ``clean`` keeps the feeds whole whatever
  text reaches them (test_every_character's exports property fails without it).
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
import zlib
from functools import lru_cache
import xml.etree.ElementTree as ET
from urllib.parse import urljoin, urlsplit

from ..attributes import sub_values
from ..config import Config
from ..routes import event_url
from ..dates import PartialDate
from ..model import Event, Timeline
from . import jsontext

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
TAG_DATE = "2024"

# C0 controls but tab, newline and carriage return; DEL and C1; the two non-characters XML forbids.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_VALUE = re.compile(r'="([^"]*)"')
_LINK_ATTRIBUTES = ("href", "src")


# -- shared by the other exports ---------------------------------------------------------------

def event_path(event: Event) -> str:
    """The event page's root path (routes.py declares it)."""
    return event_url(event)


def clean(text: str | None) -> str:
    """Text without the control characters XML 1.0 cannot carry (tab and newlines kept)."""
    return _CONTROL.sub("", text or "")


def event_dates(event: Event) -> list[dt.date]:
    """Every date an event carries (first days of partial dates): its own, its end, its sources',
    its reports', its corrections' and its `updated`. The newest of them stands for "last
    updated" wherever a format needs one."""
    dates = [event.date.first_day()]
    if event.end:
        dates.append(event.end.first_day())
    dates += [s.date.first_day() for s in event.sources]
    dates += [r.as_of.first_day() for r in event.reports]
    dates += [c.date.first_day() for c in event.corrections]
    if event.updated:
        dates.append(event.updated.first_day())
    return dates


def revised(event: Event) -> PartialDate | None:
    """The day the entry was last changed in substance: its latest correction or its `updated`."""
    days = [c.date for c in event.corrections] + ([event.updated] if event.updated else [])
    return max(days, key=lambda d: d.first_day()) if days else None


def _second_of(slug: str) -> int:
    return zlib.crc32(slug.encode("utf-8")) % 86400


def updated_instant(event: Event) -> str:
    """RFC 3339: the event's newest date, at a second of that day drawn from its slug."""
    second = _second_of(event.slug)
    return (f"{max(event_dates(event)).isoformat()}T{second // 3600:02d}:{second // 60 % 60:02d}:"
            f"{second % 60:02d}Z")


def host(config: Config) -> str | None:
    """The host of base_url, or None when it is only a path."""
    return urlsplit(config.base_url).hostname if config.absolute else None


@lru_cache(maxsize=8)   # every item's tag: URI has it
def title_slug(title: str) -> str:
    """The title as a DNS-like name for tag: URIs: ASCII letters, digits and single hyphens."""
    letters = "".join(c for c in unicodedata.normalize("NFKD", title) if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", letters.lower()).strip("-")[:63].strip("-")
    return slug or "dateline"


def item_id(config: Config, path: str) -> str:
    """The absolute address of a root path, or a tag: URI when base_url has no host."""
    if config.absolute:
        return config.absolute_url(path)
    return f"tag:{title_slug(config.title)},{TAG_DATE}:{path.lstrip('/')}"


def absolute_links(config: Config, body: str, page: str) -> str:
    """Make the links of a rendered body absolute: root paths through base_url, anything else
    relative (fragments, plain files) against the page's own address. Full URLs are kept."""
    page_url = config.export_url(page)

    def fix(value: str) -> str:
        if value.startswith(("https://", "http://")):   # most links: kept, nothing to parse
            return value
        target = html.unescape(value)
        if urlsplit(target).scheme or target.startswith("//"):
            return value
        if target.startswith("/"):
            target = config.export_url(target)
        else:
            target = urljoin(page_url, target)
        return html.escape(target)

    return sub_values(_VALUE, _LINK_ATTRIBUTES, body, fix)


def instant(day: dt.date) -> str:
    """RFC 3339, at 00:00 UTC."""
    return f"{day.isoformat()}T00:00:00Z"


def _newest_first(timeline: Timeline) -> list[Event]:
    return list(reversed(timeline.events))


def _content(config: Config, event: Event, bodies: dict[str, str]) -> str:
    return clean(absolute_links(config, bodies.get(event.path, ""), event_path(event)).strip())


# -- Atom --------------------------------------------------------------------------------------

def atom_entry(config: Config, event: Event, bodies: dict[str, str]) -> str:
    """One event's <entry>, as it stands in the feed (indented at level 1)."""
    # an entry not yet translated into the feed's language is in the default language's words
    entry = ET.Element("entry", {XML_LANG: event.fallback} if event.fallback else {})

    def sub(tag: str, text: str | None = None, **attrs: str) -> None:
        element = ET.SubElement(entry, tag, {k: clean(v) for k, v in attrs.items()})
        if text is not None:
            element.text = clean(text)

    sub("id", item_id(config, event_path(event)))
    sub("title", event.title)
    sub("link", rel="alternate", type="text/html", href=config.export_url(event_path(event)))
    sub("published", instant(event.date.first_day()))
    sub("updated", updated_instant(event))
    if event.summary:
        sub("summary", event.summary)
    sub("content", _content(config, event, bodies), type="html")
    for tag in event.tags:
        sub("category", term=tag)
    ET.indent(entry, space="  ", level=1)
    return ET.tostring(entry, encoding="unicode", short_empty_elements=True) + "\n  "


def atom(config: Config, timeline: Timeline, entries: dict[str, str]) -> bytes:
    """The feed, of each event's atom_entry (by slug)."""
    def sub(parent: ET.Element | None, tag: str, text: str | None = None, **attrs) -> ET.Element:
        attrs = {k: clean(v) for k, v in attrs.items()}
        element = ET.Element(tag, attrs) if parent is None else ET.SubElement(parent, tag, attrs)
        if text is not None:
            element.text = clean(text)
        return element

    feed = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: config.language})
    sub(feed, "id", item_id(config, "/"))
    sub(feed, "title", config.title)
    if config.description:
        sub(feed, "subtitle", config.description)
    newest = max((updated_instant(e) for e in timeline.events), default=None)
    sub(feed, "updated", newest or instant(dt.date(1970, 1, 1)))
    author = sub(feed, "author")
    sub(author, "name", config.author or config.title)
    sub(feed, "link", rel="self", type="application/atom+xml", href=config.export_url("/feed.xml"))
    sub(feed, "link", rel="alternate", type="text/html", href=config.export_url("/"))
    sub(feed, "generator", "dateline")
    ET.indent(feed, space="  ")
    entries = [entries[event.slug].encode("utf-8") for event in _newest_first(timeline)]
    if entries:   # the last entry closes the feed's indentation, the header's last element does not
        feed[-1].tail = "\n  "
        entries[-1] = entries[-1].removesuffix(b"\n  ") + b"\n"
    head = ET.tostring(feed, encoding="unicode", short_empty_elements=True).removesuffix("</feed>")
    return b"".join([f'<?xml version="1.0" encoding="utf-8"?>\n{head}'.encode("utf-8"), *entries, b"</feed>\n"])


# -- JSON Feed ---------------------------------------------------------------------------------

def json_feed_item(config: Config, event: Event, bodies: dict[str, str]) -> str:
    """One event's item, encoded as it stands in the feed."""
    item: dict = {"id": item_id(config, event_path(event))}
    if config.absolute:
        item["url"] = config.absolute_url(event_path(event))
    item["title"] = clean(event.title)
    if event.summary:
        item["summary"] = clean(event.summary)
    item["content_html"] = _content(config, event, bodies)
    if event.fallback:
        item["language"] = event.fallback
    item["date_published"] = instant(event.date.first_day())
    item["date_modified"] = updated_instant(event)
    if event.tags:
        item["tags"] = [clean(t) for t in event.tags]
    return jsontext.dumps(item, 2, depth=2)


def json_feed(config: Config, timeline: Timeline, items: dict[str, str]) -> bytes:
    """The feed, of each event's json_feed_item (by slug)."""
    feed: dict = {"version": JSON_FEED_VERSION, "title": clean(config.title)}
    if config.absolute:
        feed["home_page_url"] = config.absolute_url("/")
        feed["feed_url"] = config.absolute_url("/feed.json")
    if config.description:
        feed["description"] = clean(config.description)
    feed["language"] = config.language
    feed["authors"] = [{"name": clean(config.author or config.title)}]
    feed["items"] = [jsontext.Encoded(items[event.slug]) for event in _newest_first(timeline)]
    return (jsontext.dumps(feed, 2) + "\n").encode("utf-8")
