"""Every file the site will have, declared once: its output path, its URL, what renders it and
what it is about. Templates, feeds, exports, the sitemap and search all take URLs from here
(`url_for`); nothing else spells an address.

A new page type or export is one entry in KINDS and one place in `plan` that adds its routes
(and, for a page, one context function in pages.py; for an export, one function in outputs/).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from .errors import ContentError, error
from .graphics.clusters import Atlas, atlas_of
from .model import Event, Page, Term, Timeline
from .paging import page_url as nth_page, split_count, split_events
from .slugs import term_slug

# A terms index (/tags/, /places/) lists this many times page_size terms a page: a term is a
# line, an event a card.
TERMS_PER_EVENT = 10


@dataclass(frozen=True)
class Kind:
    """A kind of output. `claims`: the first path segment its routes live under, which no
    standalone page may take (a pattern); `folder`: it writes files there, so no alias may
    write into it either."""
    name: str
    claims: str | None = None
    folder: bool = False
    page: bool = True          # an HTML page rendered from a template (else a file built by code)


KINDS = {k.name: k for k in [
    Kind("home", "index|page"),                      # /, /page/2/ ...
    Kind("event", "events"),
    Kind("page"),                                    # a standalone page: content/pages/<slug>.md
    Kind("terms", "tags|actors|places"),             # /tags/, /actors/, /places/
    Kind("term", "tags|actors|places"),              # /tags/<slug>/ ...
    Kind("year", r"\d{4}"),
    Kind("month", r"\d{4}"),
    Kind("map", "map"),
    Kind("zoom", "map"),                             # /map/<z>/<x>/<y>/: a cell of the map
    Kind("tile", "maps", folder=True, page=False),   # maps/tiles/<z>/<x>/<y>.svg: land drawn once
    Kind("search", "search"),
    Kind("not-found", "404"),
    Kind("redirect"),                                # an alias: a page that sends readers on
    Kind("export", "feed", page=False),              # feed.xml, feed.json, events.ics, ...
    Kind("static", "static", folder=True, page=False),
    Kind("media", "media", folder=True, page=False),  # media/<path>: a file of content/, or its variants (media.py)
    Kind("card", "cards", folder=True, page=False),   # cards/<slug>.png: an event's preview card (cards.py)
    Kind("schema", "schema", folder=True, page=False),
    Kind("search-index", "pagefind", folder=True, page=False),
    Kind("sitemap", page=False),
]}

# Route kinds made of the rendered pages, after them (pipeline.after_pages), not rendered alone.
MADE_AFTER = ("sitemap", "search-index")

# The data exports, each one file at the root, in the order they are rendered.
EXPORTS = ("feed.xml", "feed.json", "events.ics", "events.geojson", "events.csv", "reports.csv",
           "timeline.json")
SCHEMAS = ("schema/event.json", "schema/page.json", "schema/eras.json")
# The exports made once per language (/ur/feed.xml): those a reader reads, in words. The data
# files (GeoJSON, CSV) hold facts and are made once.
LANGUAGE_EXPORTS = ("feed.xml", "feed.json", "events.ics", "timeline.json")


@dataclass(frozen=True)
class Route:
    path: str                    # the output file: "events/kerman-bombing/index.html"
    kind: str                    # a key of KINDS
    subject: Any = None          # what it is about: an Event, Page, Term, year, (year, month)...
    source: str | None = field(default=None, compare=False)   # the content file that asked for it
    line: int = field(default=1, compare=False)
    part: tuple[int, int] = (1, 1)   # a list's page: (number, of how many)
    # what a list's page shows: event slugs, or for a terms index the positions of its terms
    items: tuple = field(default=(), compare=False, repr=False)
    lang: str = ""               # the page's language code ("" for files in no language)

    @property
    def url(self) -> str:
        return url_of(self.path)


# -- URLs -------------------------------------------------------------------------------------

def event_url(event: Event) -> str:
    return f"/events/{event.slug}/"


def page_url(page: Page) -> str:
    return f"/{page.slug}/"


def term_url(kind: str, name: str) -> str:
    return f"/{kind}/{term_slug(name)}/"


def archive_url(year: int, month: int | None = None) -> str:
    return f"/{year}/" if month is None else f"/{year}/{month:02d}/"


NAMED = {"home": "/", "map": "/map/", "search": "/search/", "tags": "/tags/", "actors": "/actors/",
         "places": "/places/", **{name: f"/{name}" for name in EXPORTS}}


def url_for(thing, *args) -> str:
    """The root path of anything the site has a page or file for: an Event or Page, a Term,
    ("tags", name), a year, (year, month), a named page ("home", "map", "feed.xml") or a
    theme file ("static/dateline.css")."""
    if isinstance(thing, Event):
        return event_url(thing)
    if isinstance(thing, Page):
        return page_url(thing)
    if isinstance(thing, Term):
        return f"/{thing.kind}/{thing.slug}/"
    if isinstance(thing, int):
        return archive_url(thing, *args)
    if isinstance(thing, str):
        if args:
            return term_url(thing, args[0])
        if thing in NAMED:
            return NAMED[thing]
        if thing.startswith("static/"):
            return "/" + thing
    raise ValueError(f"url_for: no page or file for {thing!r}{args!r}")


def file_of(url: str) -> str:
    """The output file of a root path: "/events/x/" -> "events/x/index.html"."""
    path = url.lstrip("/")
    return path + "index.html" if not path or path.endswith("/") else path


def url_of(path: str) -> str:
    """The root path of an output file: "events/x/index.html" -> "/events/x/"."""
    if path == "index.html" or path.endswith("/index.html"):
        return "/" + path[: -len("index.html")]
    return "/" + path


def card_url(event: Event) -> str:
    """The address of an event's preview card (cards.py), in the page's language's folder."""
    return f"/cards/{event.slug}.png"


def content_urls(timeline: Timeline) -> dict[str, str]:
    """Content path -> the address of its page: what links between entries resolve to."""
    urls = {e.path: event_url(e) for e in timeline.events}
    urls.update({p.path: page_url(p) for p in timeline.pages})
    return urls


def map_atlas(events) -> Atlas:
    """The maps' spots (one per place, coordinates and name, of the located events, in
    timeline order, weighed by their events) and what the maps make of them: the zoom pages
    and the tiles (graphics/clusters.py). Made once per state of the site."""
    spots: dict[tuple, int] = {}
    for e in events:
        if e.place:
            key = (e.place.lat, e.place.lon, e.place.name)
            spots[key] = spots.get(key, 0) + 1
    return atlas_of(tuple((lat, lon) for lat, lon, _ in spots), tuple(spots.values()))


# -- the plan ---------------------------------------------------------------------------------

def home_events(timeline: Timeline, home_years: int) -> tuple[list[Event], list[int]]:
    """The events the home page lists (the `home_years` newest years), and the older years."""
    years = sorted({e.date.year for e in timeline.events})
    full_years = years[-home_years:] if home_years > 0 else years
    return [e for e in timeline.events if e.date.year in full_years], [y for y in years if y not in full_years]


def _pages(first: str, kind: str, subject, slices: list[tuple]) -> list[Route]:
    """The routes of a list cut into `slices`: the first at `first`, the others under it."""
    return [Route(file_of(nth_page(first, number)), kind, subject, part=(number, len(slices)), items=items)
            for number, items in enumerate(slices, 1)]


def sitemap_files(config) -> tuple[str, ...]:
    """What outputs/sitemap.py writes for this configuration: robots.txt where crawlers read it
    (at a domain's root), sitemap.xml where it can give full URLs (base_url has a host)."""
    if config.offline:   # a copy read from disk: no crawler reads it
        return ()
    return (("robots.txt",) if config.base_path == "/" else ()) + (("sitemap.xml",) if config.absolute else ())


def plan(timeline: Timeline, config, static: list[str]) -> tuple[dict[str, Route], list[ContentError]]:
    """Every route of the site, by output path, or the errors: two routes with one path (naming
    both files), a standalone page in a folder the generator writes, an alias into a folder of
    files. `static`: the theme's files, as output paths ("static/dateline.css")."""
    events = timeline.events
    size, children = config.page_size, timeline.children
    routes: list[Route] = _pages("/", "home", None, split_events(home_events(timeline, config.home_years)[0],
                                                                 children, size))
    routes += [Route(file_of(event_url(e)), "event", e, e.path, e.line("slug")) for e in events]
    for kind, terms in timeline.terms.items():
        routes += _pages(NAMED[kind], "terms", kind, [tuple(part) for part in
                                                      split_count(len(terms), size * TERMS_PER_EVENT)])
        for term in terms:
            routes += _pages(url_for(term), "term", term,
                             split_events([timeline.event(s) for s in term.events], children, size))
    by_year: dict[int, list[Event]] = {}
    by_month: dict[tuple[int, int], list[Event]] = {}
    for e in events:
        by_year.setdefault(e.date.year, []).append(e)
        if e.date.month:
            by_month.setdefault((e.date.year, e.date.month), []).append(e)
    for year in sorted(by_year):
        routes += _pages(archive_url(year), "year", year, split_events(by_year[year], children, size))
        for (y, month) in sorted(key for key in by_month if key[0] == year):
            routes += _pages(archive_url(year, month), "month", (year, month),
                             split_events(by_month[(year, month)], children, size))
    routes.append(Route("map/index.html", "map"))
    atlas = map_atlas(events)
    routes += [Route(cell.path, "zoom", cell) for cell in sorted(atlas.members)]
    routes += [Route(tile.path, "tile", tile) for tile in atlas.tiles()]
    errors = _reserved(timeline.pages)
    routes += [Route(file_of(page_url(p)), "page", p, p.path, p.line("slug")) for p in timeline.pages
               if not _CLAIMED.fullmatch(p.slug)]
    if config.search:
        routes.append(Route("search/index.html", "search"))
    routes.append(Route("404.html", "not-found"))
    routes += [Route(name, "export", name) for name in EXPORTS]
    routes += [Route(name, "static", name) for name in static]
    routes += [Route(name, "schema", name) for name in SCHEMAS]
    # made of the rendered pages, after them (pipeline.after_pages)
    routes += [Route(name, "sitemap") for name in sitemap_files(config)]
    if config.search:
        routes.append(Route("pagefind/", "search-index"))
    generated = {route.path: route for route in routes}
    table: dict[str, Route] = {}
    for route in routes:
        if route.path in table:
            first = table[route.path]
            errors.append(error(route.source or first.source or "", route.line,
                                f"{route.url} would be written twice: by {first.source or 'the generator'} "
                                f"and by {route.source or 'the generator'}"))
        else:
            table[route.path] = route
    for item in [*events, *timeline.pages]:
        for index, alias in enumerate(item.aliases):
            line = item.line("aliases", index)
            path = file_of(alias)
            taken = table.get(path)
            if taken is not None and taken.source is not None and taken.kind != "redirect":
                errors.append(error(item.path, line, f"alias {alias} is the address of an existing page "
                                                     f"({taken.source}): both would write {alias}"))
            elif taken is not None and taken.kind == "redirect":
                errors.append(error(item.path, line, f"alias {alias} is also claimed by {taken.source}"))
            elif alias.strip("/").split("/", 1)[0] in config.codes[1:]:
                errors.append(error(item.path, line, f"alias {alias} is in the folder of the site's language "
                                                     f"'{alias.strip('/').split('/', 1)[0]}': choose another"))
            elif taken is not None or _into_files(alias, generated):
                errors.append(error(item.path, line, f"alias {alias} is an address the generator writes "
                                                     "itself: choose another, or remove it"))
            else:
                table[path] = Route(path, "redirect", item, item.path, line)
    if len(config.codes) > 1:
        errors += _language_folders(timeline.pages, config.codes)
        table = in_languages(table, config)
    return table, errors


def in_languages(table: dict[str, Route], config) -> dict[str, Route]:
    """The routes of a site in several languages: today's, in the default language, and every
    page (but the redirects of aliases) and every export in words again in each other
    language, under /<code>/."""
    default = config.language
    routes = {path: replace(route, lang=default) if KINDS[route.kind].page or route.kind == "export" else route
              for path, route in table.items()}
    for code in config.codes[1:]:
        for path, route in table.items():
            if (KINDS[route.kind].page and route.kind != "redirect") or (
                    route.kind == "export" and route.subject in LANGUAGE_EXPORTS):
                routes[f"{code}/{path}"] = replace(route, path=f"{code}/{path}", lang=code)
    return routes


def language_path(path: str, lang: str, config) -> str:
    """The output path of the page at default-language path `path` in language `lang`."""
    return path if lang == config.codes[0] else f"{lang}/{path}"


def default_path(route: Route, config) -> str:
    """The default language's output path of a route in any language."""
    if route.lang and route.lang != config.codes[0]:
        return route.path[len(route.lang) + 1:]
    return route.path


def _language_folders(pages, codes) -> list[ContentError]:
    """A page whose slug is a language code would be that language's home."""
    return [error(p.path, p.line("slug"), f"the page slug '{p.slug}' is the folder of the site's language "
                                          f"'{p.slug}' (/{p.slug}/): choose another")
            for p in pages if p.slug in codes]


_FOLDERS = [k.claims for k in KINDS.values() if k.folder]


def _into_files(alias: str, generated: dict[str, Route]) -> bool:
    """Whether an alias would write into a folder of files, or make a folder of a file the
    generator writes at the root (/feed.xml/)."""
    parts = alias.strip("/").split("/")
    return ((len(parts) == 1 and _CLAIMED.fullmatch(parts[0]) is not None) or any(re.fullmatch(claim, parts[0]) for claim in _FOLDERS) or parts[0] in generated
            or "index.html" in parts or any(p.startswith(".") for p in parts))


_CLAIMED = re.compile("|".join(f"(?:{k.claims})" for k in KINDS.values() if k.claims))


def _reserved(pages) -> list[ContentError]:
    """A standalone page may not take a first path segment the generator's own routes live
    under, even where this site has no such page yet (a year, a tag folder)."""
    return [error(p.path, p.line("slug"), f"the page slug '{p.slug}' is reserved for the generator's own "
                                          "pages: choose another")
            for p in pages if _CLAIMED.fullmatch(p.slug)]


__all__ = ["Route", "KINDS", "plan", "url_for", "event_url", "page_url", "term_url", "archive_url",
           "file_of", "url_of", "card_url", "content_urls", "map_atlas", "in_languages", "language_path",
           "default_path", "LANGUAGE_EXPORTS"]
