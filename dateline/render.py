"""Stage 4: Timeline -> {output path: bytes}. Every page, no I/O besides reading the theme.

Templates link with root paths ("/events/x/"); a last pass makes every such link relative to
the page, so the site works from any folder of any host (and from disk), whatever base_url says.
Only 404.html, which a host serves at any depth, gets base-prefixed links instead."""

from __future__ import annotations

import json
import math
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import NamedTuple
from html import escape
from pathlib import Path

import jinja2

from . import graphics, schema, views
from .outputs import export_jobs, jsonld, maps, search
from .outputs.sitemap import listed, page_path, page_paths, sitemap
from .config import Config
from .attributes import sub_values
from .dates import MONTHS
from .link import term_slug
from .model import Event, Timeline
from . import parallel
from .parallel import ordered_map

THEME = Path(__file__).resolve().parent.parent / "templates"
KIND_TITLES = {"tags": "Tags", "actors": "Actors", "places": "Places"}
KIND_SINGULAR = {"tags": "Tag", "actors": "Actor", "places": "Place"}

# Root links: a value starting with one "/" of an attribute that links (href, src, action,
# xlink:href), and a redirect page's refresh.
_ROOT_VALUE = re.compile(r'="(/(?!/)[^"]*)"')
_LINK_ATTRIBUTES = ("href", "src", "action", "xlink:href")
_REFRESH = re.compile(r'(\scontent="0; url=)(/(?!/)[^"]*)"')


@dataclass(frozen=True)
class Gap:
    label: str
    size: int   # 1..4, drawn by CSS


@dataclass(frozen=True)
class Node:
    """An event with its sub-events (and theirs), as listed on a page."""
    event: Event
    children: tuple["Node", ...]


@dataclass(frozen=True)
class Row:
    """One top-level event on a list page, with its sub-events and what precedes it."""
    event: Event
    children: tuple[Node, ...]
    gap: Gap | None
    era_start: object | None     # the Era that begins at this row, if any
    era: object | None           # the Era the row belongs to


# How long jobs take, in event pages, roughly: enough for the parallel map to start the longest
# first (measured at 10,000 events: a page lists events at about a tenth of an event page each,
# an export takes about a fifth of an event page per event).
ROW_WEIGHT = 0.1
EXPORT_WEIGHT = 0.2


def _weighed(weight: float, task, *args) -> partial:
    job = partial(task, *args)
    job.weight = weight
    return job


def event_url(event: Event) -> str:
    return f"/events/{event.slug}/"


def relativize(html: str, page: str, base_path: str, anchored: bool) -> str:
    """Rewrite root links for the page at output path `page` ("events/x/index.html")."""
    here = posixpath.dirname(page)
    # Most links share nothing with the page's folder ("/tags/x/" from "events/y/"): they only
    # climb to the root, no path arithmetic needed. The rest go through _relative.
    up = "../" * (here.count("/") + 1)
    folder = here.split("/", 1)[0] + "/"

    def relink(target: str) -> str:
        if anchored:
            return base_path + target[1:]
        if here and not target.startswith(folder, 1) and "/." not in target and "//" not in target:
            return up + target[1:]
        path, sep, rest = target[1:].partition("#") if "#" in target else (target[1:], "", "")
        return _relative(path, here) + sep + rest

    html = sub_values(_ROOT_VALUE, _LINK_ATTRIBUTES, html, relink)
    if '; url=/' in html:
        html = _REFRESH.sub(lambda m: f'{m.group(1)}{relink(m.group(2))}"', html)
    return html


@lru_cache(maxsize=1 << 16)
def _relative(path: str, here: str) -> str:
    """Site path `path` ("events/x/") as seen from folder `here`; the same links recur on
    thousands of pages, hence the cache. posixpath.relpath would do, but it asks the system for
    the current folder on every call (a third of the time of rendering a page)."""
    target = [part for part in posixpath.normpath("/" + path).split("/") if part]
    start = [part for part in posixpath.normpath("/" + here).split("/") if part]
    common = 0
    while common < min(len(target), len(start)) and target[common] == start[common]:
        common += 1
    rel = "/".join([".."] * (len(start) - common) + target[common:]) or "."
    if path.endswith("/") or not path:
        rel = "./" if rel == "." else rel + "/"
    return rel


def _gap(previous: Event | None, current: Event) -> Gap | None:
    if previous is None:
        return None
    days = (current.date.first_day() - (previous.end or previous.date).last_day()).days
    if days < 60:
        return None
    if days >= 365:
        years = round(days / 365.25)
        label = f"{years} year{'s' if years != 1 else ''} later"
    else:
        months = round(days / 30.44)
        label = f"{months} months later"
    return Gap(label, min(4, max(1, int(math.log2(days / 30)))))


class Renderer:
    def __init__(self, config: Config, timeline: Timeline, bodies: dict[str, str], inline):
        self.config, self.timeline, self.bodies, self.inline = config, timeline, bodies, inline
        loaders = []
        if config.templates.resolve() != THEME:
            loaders.append(jinja2.FileSystemLoader(config.templates))
        loaders.append(jinja2.FileSystemLoader(THEME))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders), autoescape=True, undefined=jinja2.StrictUndefined,
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
            auto_reload=False)   # a changed template is a new build, with a new Renderer
        self.env.globals.update(
            site=config, views=views, months=MONTHS, kind_titles=KIND_TITLES,
            kind_singular=KIND_SINGULAR, event_url=event_url, term_url=self.term_url, inline=inline)
        self.env.filters["tojson_attr"] = lambda v: json.dumps(v, ensure_ascii=False)
        self.boundaries = maps.load_boundaries(map_data(config))
        self.retarget(timeline, bodies)

    def retarget(self, timeline: Timeline, bodies: dict[str, str]) -> None:
        """Render another state of the same site from now on: `serve` after an edit, keeping the
        compiled templates and the drawn maps."""
        self.timeline, self.bodies = timeline, bodies
        self.env.globals.update(timeline=timeline, event=timeline.event, nav=self.nav())
        self.env.globals["jsonld"] = lambda e: jsonld.script(self.config, e, timeline)   # schema.org JSON-LD
        self.env.globals["event_card"] = self.event_card
        self.spots = spots(timeline.events, self.term_url)
        self._cards: dict[tuple[str, str], tuple[Event, str]] = {}
        self._locators: dict[tuple, str] = {}
        self._eras: dict[object, object] = {}   # date -> its era: asked for each row of each list

    def _card_macro(self):
        return self.env.get_template("_macros.html").module.card

    def event_card(self, event: Event, children: tuple = (), heading: str = "h3"):
        """The theme's `card` macro (_macros.html), remembered: an event's card is the same on
        every list page it appears on (its tags, its places, its year and month, the home
        page), and rendering them was most of the time those pages took. Cards with sub-events
        depend on which of them the page lists, so they are not kept."""
        if children:
            return self._card_macro()(event, children, heading)
        kept = self._cards.get((event.slug, heading))
        if kept is not None and kept[0] is event:      # not an older state of the entry (serve)
            return kept[1]
        html = self._card_macro()(event, children, heading)
        self._cards[(event.slug, heading)] = (event, html)
        return html

    # -- URLs ------------------------------------------------------------------------------
    @staticmethod
    def term_url(kind: str, name: str) -> str:
        return f"/{kind}/{term_slug(name)}/"

    def nav(self) -> list[tuple[str, str]]:
        items = [("/", "Timeline"), ("/map/", "Map"), ("/tags/", "Tags"), ("/actors/", "Actors"),
                 ("/places/", "Places")]
        return items + [(f"/{p.slug}/", p.title) for p in self.timeline.pages]

    # -- lists -------------------------------------------------------------------------------
    def era_of(self, event: Event):
        date = event.date
        if date not in self._eras:
            day = date.first_day()
            self._eras[date] = next((era for era in self.timeline.eras
                                     if era.start.first_day() <= day <= era.end.last_day()), None)
        return self._eras[date]

    def rows(self, events: list[Event]) -> list[Row]:
        """Top-level rows for a list of events: parents carry their sub-events."""
        chosen = {e.slug for e in events}
        rows, previous, previous_era = [], None, None
        for event in events:
            if event.part_of and event.part_of in chosen:
                continue
            era = self.era_of(event)
            children = self.nodes(event.slug, chosen)
            rows.append(Row(event, children, _gap(previous, event),
                            era if era and era != previous_era else None, era))
            previous, previous_era = event, era
        return rows

    def nodes(self, slug: str, chosen: set[str]) -> tuple[Node, ...]:
        return tuple(Node(self.timeline.event(c), self.nodes(c, chosen))
                     for c in self.timeline.children.get(slug, ()) if c in chosen)

    def grouped(self, events: list[Event]) -> list[tuple[int, list[tuple[int | None, list[Row]]]]]:
        """[(year, [(month, rows)])] in timeline order; month None for year-precision events."""
        years: dict[int, dict] = {}
        for row in self.rows(events):
            months = years.setdefault(row.event.date.year, {})
            months.setdefault(row.event.date.month, []).append(row)
        return [(y, list(m.items())) for y, m in years.items()]

    # -- pages -------------------------------------------------------------------------------
    def page(self, template: str, out: str, **context) -> tuple[str, bytes]:
        html = self.env.get_template(template).render(page_path=out, **context)
        anchored = out == "404.html"
        return out, relativize(html, out, self.config.base_path, anchored).encode("utf-8")

    def render(self, progress=None, extra: list | None = None, send=None) -> dict:
        """Every page, and the files of the `extra` jobs (each gives {path: bytes}). They are
        independent of each other, so they are rendered on every core (in order: the result is
        the same as one by one). With `send(path, data)`, each file is given to it where it
        was rendered, and what it returns is kept instead of the bytes."""
        self.prepare()
        jobs = self.jobs()
        self._render_cards(jobs)
        pages = len(jobs)
        jobs += extra or []
        if progress:
            progress.stage("Rendering pages", len(jobs))

        def run(index: int) -> dict:
            files = dict([jobs[index]()]) if index < pages else jobs[index]()
            return files if send is None else {path: send(path, data) for path, data in files.items()}

        export_weight = EXPORT_WEIGHT * len(self.timeline.events)
        files: dict = {}
        for done in ordered_map(run, range(len(jobs)), advance=progress and progress.advance,
                                weight=lambda i: getattr(jobs[i], "weight", 1.0) if i < pages else export_weight):
            files.update(done)
        return files

    def _render_cards(self, jobs: list) -> None:
        """Every event's card, rendered on every core before the pages are: each process that
        renders list pages then finds all of them, where each rendered nearly all of them itself.
        Which headings the theme's lists give cards is learnt from the shortest archive page,
        rendered once for that (a card in another heading is still rendered where needed)."""
        archives = [job for job in jobs if getattr(job, "func", None) == self.archive_page]
        if not archives:
            return
        min(archives, key=lambda job: len(job.args[2]))()
        for heading in sorted({heading for _, heading in self._cards}):   # none: a theme without cards
            card = self._card_macro()
            todo = [e for e in self.timeline.events if (e.slug, heading) not in self._cards]
            for event, html in zip(todo, ordered_map(lambda e: card(e, (), heading), todo)):
                self._cards[(event.slug, heading)] = (event, html)

    def jobs(self) -> list:
        """Every page as a job that gives (path, bytes)."""
        t = self.timeline
        events = list(t.events)
        jobs: list = [_weighed(ROW_WEIGHT * len(events), self.index_page)]
        jobs += [partial(self.event_page, events, index) for index in range(len(events))]
        for kind, terms in t.terms.items():
            jobs.append(partial(self.page, "terms.html", f"{kind}/index.html", canonical=f"/{kind}/",
                                kind=kind, terms=terms))
            jobs += [_weighed(ROW_WEIGHT * len(term.events), self.term_page, kind, term) for term in terms]
        years = sorted({e.date.year for e in events})
        for year in years:
            in_year = [e for e in events if e.date.year == year]
            jobs.append(_weighed(ROW_WEIGHT * len(in_year), self.archive_page, year, None, in_year))
            for month in sorted({e.date.month for e in in_year if e.date.month}):
                in_month = [e for e in in_year if e.date.month == month]
                jobs.append(_weighed(ROW_WEIGHT * len(in_month), self.archive_page, year, month, in_month))
        jobs.append(_weighed(ROW_WEIGHT * len(events), self.map_page))
        jobs += [partial(self.own_page, page) for page in t.pages]
        if self.config.search:
            jobs.append(partial(self.page, "search.html", "search/index.html", canonical="/search/",
                                search_filters=self.search_filters()))
        jobs.append(partial(self.page, "404.html", "404.html", canonical=None))
        for item in [*t.events, *t.pages]:
            target = event_url(item) if isinstance(item, Event) else f"/{item.slug}/"
            for alias in item.aliases:
                jobs.append(partial(self.page, "redirect.html", alias.strip("/") + "/index.html",
                                    canonical=target, target=target, title=item.title))
        return jobs

    def own_page(self, item) -> tuple[str, bytes]:
        """The page of one event or standalone page (an Event or Page of this timeline)."""
        if isinstance(item, Event):
            events = list(self.timeline.events)
            return self.event_page(events, next(i for i, e in enumerate(events) if e.slug == item.slug))
        return self.page("page.html", f"{item.slug}/index.html", canonical=f"/{item.slug}/",
                         p=item, body=self.bodies[item.path])

    def prepare(self, events: list[Event] | None = None) -> None:
        """Compile the templates and draw the land of every locator map's view (on every core)
        first, so that the pages, rendered in separate processes, each find them ready. With
        `events`, only their views (serve, after an edit)."""
        for name in self.env.list_templates(filter_func=lambda n: n.endswith(".html")):
            if name.startswith("static/"):
                continue                      # published as they are, not templates
            try:
                self.env.get_template(name)
            except jinja2.TemplateError:      # unused, or it fails where it is used, as before
                pass
        chosen = self.timeline.events if events is None else events
        here = [maps.Marker(e.place.lat, e.place.lon, "", None) for e in chosen if e.place]
        views = maps.missing_backgrounds(here, self.boundaries)
        drawn = ordered_map(partial(maps.draw_background, self.boundaries), views,
                            min_items=min(8, parallel.MIN_ITEMS))   # each view takes a while
        maps.keep_backgrounds(self.boundaries, dict(zip(views, drawn)))

    def index_page(self) -> tuple[str, bytes]:
        t = self.timeline
        years = sorted({e.date.year for e in t.events})
        full_years = years[-self.config.home_years:] if self.config.home_years > 0 else years
        return self.page("index.html", "index.html", canonical="/",
                         groups=self.grouped([e for e in t.events if e.date.year in full_years]),
                         older_years=[(y, sum(1 for e in t.events if e.date.year == y))
                                      for y in years if y not in full_years],
                         filters=self.filter_options())

    def event_page(self, events: list[Event], index: int) -> tuple[str, bytes]:
        t, event = self.timeline, events[index]
        return self.page(
            "event.html", f"events/{event.slug}/index.html", canonical=event_url(event), e=event,
            body=self.bodies[event.path],
            previous=events[index - 1] if index else None,
            next=events[index + 1] if index + 1 < len(events) else None,
            parent=t.event(event.part_of) if event.part_of else None,
            children=[t.event(c) for c in t.children.get(event.slug, ())],
            led_to=[t.event(s) for s in t.led_to.get(event.slug, ())],
            causes=[t.event(s) for s in event.in_response_to],
            related=[t.event(s) for s in event.related],
            chain=graphics.chain_svg(t, event.slug, event_url),
            toll_chart=graphics.toll_chart_svg(event),
            locator=self.locator(event),
            era=self.era_of(event))

    def term_page(self, kind: str, term) -> tuple[str, bytes]:
        chosen = [self.timeline.event(s) for s in term.events]
        return self.page("term.html", f"{kind}/{term.slug}/index.html", canonical=f"/{kind}/{term.slug}/",
                         kind=kind, term=term, groups=self.grouped(chosen), count=len(chosen))

    def archive_page(self, year: int, month: int | None, chosen: list[Event]) -> tuple[str, bytes]:
        out = f"{year}/index.html" if month is None else f"{year}/{month:02d}/index.html"
        return self.page("archive.html", out, canonical="/" + out.removesuffix("index.html"), year=year,
                         month=month, groups=self.grouped(chosen), count=len(chosen))

    def map_page(self) -> tuple[str, bytes]:
        return self.page("map.html", "map/index.html", canonical="/map/", svg=maps.overview_map(
            list(self.spots.values()), self.boundaries, title=f"Map of every event: {self.config.title}",
            id_prefix="overview"), places=self.timeline.terms["places"])

    def locator(self, event: Event) -> str:
        if not event.place:
            return ""
        label = f"{event.title} (this event)"
        spot = (event.place.lat, event.place.lon, event.place.name)
        shared = self.spots.get(spot)
        if shared is None or shared.href == event_url(event) or not event.place.name.split(",")[0].strip():
            return self._draw_locator(event, label)
        # every event at a shared spot has the same map but for its own marker's label: drawn
        # once per spot (most of an event page's time on a large site), the label filled in
        drawn = self._locators.get(spot)
        if drawn is None:
            drawn = self._locators[spot] = self._draw_locator(event, maps.LABEL_SLOT)
        return maps.fill_label(drawn, label)

    def _draw_locator(self, event: Event, label: str) -> str:
        here = maps.Marker(event.place.lat, event.place.lon, label, None,
                           emphasis=True, place=event.place.name.split(",")[0])
        others = [marker for marker in self.spots.values()
                  if marker.href != event_url(event)]   # a spot of several stays, under this one
        return maps.locator_map(here, self.boundaries, title=f"Where: {event.place.name}",
                                others=others, id_prefix="locator")

    def search_filters(self) -> dict:
        """The choices of the search page's filters: the values Pagefind indexes (tag, actor, year)."""
        events = self.timeline.events
        return {"tag": sorted({tag for e in events for tag in e.tags}, key=str.casefold),
                "actor": sorted({a for e in events for a in e.actors}, key=str.casefold),
                "year": sorted({e.date.year for e in events}, reverse=True)}

    def filter_options(self) -> dict:
        t = self.timeline
        return {kind: [(term.slug, term.name) for term in t.terms[kind]] for kind in ("tags", "actors", "places")}


def spots(events: list[Event], term_url) -> dict[tuple, maps.Marker]:
    """One map marker per spot (same coordinates and place name), in timeline order: an event
    alone at its spot links to its page; several share one marker that links to their place's
    page. Stacked markers would hide each other and make a map grow with every event at a place
    (each page's locator map repeated thousands of them on a large site)."""
    groups: dict[tuple, list[Event]] = {}
    for e in events:
        if e.place:
            groups.setdefault((e.place.lat, e.place.lon, e.place.name), []).append(e)
    markers = {}
    for key, group in groups.items():
        lat, lon, name = key
        short = name.split(",")[0]
        if len(group) == 1:
            e = group[0]
            markers[key] = maps.Marker(lat, lon, f"{e.title}, {views.event_date(e)}", event_url(e), place=short)
        else:
            markers[key] = maps.Marker(lat, lon, f"{name}: {len(group)} events", term_url("places", name),
                                       place=short)
    return markers


def render_site(config: Config, renderer: "Renderer", progress=None) -> dict[str, bytes]:
    # feeds, calendar, GeoJSON, CSV, TimelineJS: rendered with the pages, on every core
    files = renderer.render(progress, export_jobs(config, renderer.timeline, renderer.bodies))
    if config.search:
        files.update(search.search_index(config, files))   # Pagefind, from the pages in memory
    return complete(config, files)


class Sent(NamedTuple):
    """What stream_site keeps of a file once it is written."""
    new: bool                  # not the same bytes as in the previous site
    listed: bool               # a page the sitemap lists
    indexed: bytes | None      # what Pagefind reads of it, if search indexes it


def stream_site(config: Config, renderer: "Renderer", staging, progress=None,
                also: list | None = None) -> tuple[int, int]:
    """render_site, but each file goes to `staging` (write.Staging) in the process that
    rendered it: the pages are never all in one process's memory, and they are written on
    every core while others are still being rendered. `also`: jobs run with them that give
    no file. (written, unchanged)."""
    def send(path: str, data: bytes) -> Sent:
        indexed = search.what_pagefind_reads(data) if config.search and search.indexes(path, data) else None
        return Sent(staging.put(path, data), listed(path, data), indexed)

    sent = renderer.render(progress, export_jobs(config, renderer.timeline, renderer.bodies) + (also or []), send)
    more = {}
    if config.search:
        more.update(search.search_index(config, {path: s.indexed for path, s in sent.items() if s.indexed},
                                        cut=True))
    more.update(site_files(config, [page_path(path) for path, s in sent.items() if s.listed]))
    written = sum(s.new for s in sent.values()) + staging.put_all(more)
    return written, len(sent) + len(more) - written


def complete(config: Config, files: dict[str, bytes]) -> dict[str, bytes]:
    """The pages and exports (and search index), with what every site has besides."""
    files.update(site_files(config, page_paths(files)))
    return files


def site_files(config: Config, pages: list[str]) -> dict[str, bytes]:
    """What every site has besides its pages, exports and search index: the theme's static
    files, the sitemap and robots.txt (of the `pages`, by root path, and any static page), and
    the editors' JSON Schema (schema/event.json, page.json, eras.json)."""
    files = static_files(config)
    files.update(sitemap(config, [*pages, *page_paths(files)]))
    files.update(schema.schema_files())
    return files


def static_files(config: Config) -> dict[str, bytes]:
    """The theme's static/ folder, overridden file by file by the site's own templates/static/."""
    files: dict[str, bytes] = {}
    for theme in (THEME, config.templates.resolve()):
        static = theme / "static"
        if not static.is_dir():
            continue
        for path in sorted(static.rglob("*")):
            if path.is_file() and not _private(path.relative_to(static)):
                files["static/" + path.relative_to(static).as_posix()] = path.read_bytes()
    return files


def map_data(config: Config) -> Path:
    own = config.templates / "static" / "map"
    return own if own.is_dir() else THEME / "static" / "map"


def _private(rel: Path) -> bool:
    """Build inputs kept beside the assets are not published: the map boundaries (drawn into
    pages as SVG at build time), their derivation script and notes, hidden files."""
    return rel.parts[0] == "map" or rel.suffix in (".py", ".mjs", ".md") \
        or any(part.startswith(".") for part in rel.parts)


def escape_json_for_script(data) -> str:
    """JSON safe inside <script>: no '</' can close the element."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


__all__ = ["render_site", "relativize", "escape", "escape_json_for_script"]
