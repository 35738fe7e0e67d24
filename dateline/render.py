"""Stage 4: the site -> (output path, bytes) for each of its routes. It reads the theme, and
the exports read and keep their pieces in the build cache (cache.py); the site itself is
written only by the writer (write.py).

Templates link with root paths ("/events/x/", from `url_for`); a last pass makes every such link
relative to the page, so the site works from any folder of any host (and from disk), whatever
base_url says. Only 404.html, which a host serves at any depth, gets base-prefixed links instead."""

from __future__ import annotations

import json
import math
import posixpath
import re
from dataclasses import replace
from functools import cached_property, lru_cache
from html import escape
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import assets, cards, catalogs, colours, early, images, languages, media, schema, views
from .catalogs import N_
from .attributes import sub_values
from .cache import digest
from .config import SECTIONS
from .dates import MONTHS, month_name, month_year, solar_hijri
from .model import Event, Page, Term
from .graphics import axis, maps, tiles
from .images import Variant
from .graphics.topology import Boundaries, load_boundaries
from .outputs import citation, export, jsonld
from .pages import CONTEXTS, Gap, Node, Row
from .parallel import ordered_map
from .routes import KINDS, Route, archive_url, event_url, home_events, map_atlas, term_url, url_for
from .site import Site
from .theme import THEME

KIND_TITLES = catalogs.Translated({"tags": N_("Tags"), "actors": N_("Actors"), "places": N_("Places")})
KIND_SINGULAR = catalogs.Translated({"tags": N_("Tag"), "actors": N_("Actor"), "places": N_("Place")})
# the navigation's default labels (config.SECTIONS), translated where base.html shows them
_SECTION_LABELS = (N_("Timeline"), N_("Map"), N_("Search"))

# Root links: a value starting with one "/" of an attribute that links (href, src, action,
# xlink:href), and a redirect page's refresh.
_ROOT_VALUE = re.compile(r'="(/(?!/)[^"]*)"')
_LINK_ATTRIBUTES = ("href", "src", "action", "xlink:href")
_PATH_REST = re.compile(r"([^?#]*)(.*)", re.S)
_SRCSET = re.compile(r'(\ssrcset=")([^"]*)"')
_REFRESH = re.compile(r'(\scontent="0; url=)(/(?!/)[^"]*)"')

# How long routes take, in event pages, roughly: enough for the parallel map to start the
# longest first (a page lists events at about a tenth of an event page each, an export takes
# about a fifth of an event page per event).
ROW_WEIGHT = 0.1
EXPORT_WEIGHT = 0.2

# A filter lists its choices (tags, actors, places) up to this many; past it, one per place
# of a dense province would outweigh the page.
FILTER_CHOICES = 100


def relativize(html: str, page: str, base_path: str, anchored: bool, offline: bool = False) -> str:
    """Rewrite root links for the page at output path `page` ("events/x/index.html"). `offline`:
    links to folders name their index.html, which a browser opening files from disk does not
    look for (it lists the folder instead)."""
    here = posixpath.dirname(page)
    # Most links share nothing with the page's folder ("/tags/x/" from "events/y/"): they only
    # climb to the root, no path arithmetic needed. The rest go through _relative.
    up = "../" * (here.count("/") + 1)
    folder = here.split("/", 1)[0] + "/"

    def relink(target: str) -> str:
        if offline:
            path, rest = _PATH_REST.match(target[1:]).groups()
            if path.endswith("/") or not path:
                path += "index.html"
            return _relative(path, here) + rest
        if anchored:
            return base_path + target[1:]
        if here and not target.startswith(folder, 1) and "/." not in target and "//" not in target:
            return up + target[1:]
        path, sep, rest = target[1:].partition("#") if "#" in target else (target[1:], "", "")
        return _relative(path, here) + sep + rest

    html = sub_values(_ROOT_VALUE, _LINK_ATTRIBUTES, html, relink)
    if ' srcset="' in html:   # a list of "url width" candidates: each url relinked
        html = _SRCSET.sub(lambda m: m.group(1) + ", ".join(
            relink(url) + rest if url.startswith("/") and not url.startswith("//") else url + rest
            for url, rest in (_candidate(c) for c in m.group(2).split(", "))) + '"', html)
    if '; url=/' in html:
        html = _REFRESH.sub(lambda m: f'{m.group(1)}{relink(m.group(2))}"', html)
    return html


def _candidate(text: str) -> tuple[str, str]:
    """A srcset candidate: its url and the rest (" 960w")."""
    url, space, rest = text.strip().partition(" ")
    return url, space + rest


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
        label = catalogs.ngettext("%(num)s year later", "%(num)s years later", years)
    else:
        months = round(days / 30.44)
        label = catalogs.ngettext("%(num)s month later", "%(num)s months later", months)
    return Gap(label, min(4, max(1, int(math.log2(days / 30)))))


class Renderer:
    """Renders the routes of one state of the site. What several pages need is worked out once
    (map markers and layouts, eras by date, each event's card); the theme's templates, once
    compiled, and the boundaries are kept across states (serve)."""

    def __init__(self, site: Site, boundaries: Boundaries | None = None, cards: dict | None = None,
                 cache=None, lang: str | None = None):
        """`lang`: a renderer of the pages in another language than the default (made by the
        default language's renderer, which hands them their routes), of `site` in that
        language (languages.site_in)."""
        self.lang = lang or site.config.language
        self._term_names = site.term_names.get(self.lang, {})
        self.site, self.config, self.timeline = site, site.config, site.timeline
        self.boundaries = boundaries or load_boundaries(site.theme.map_data())
        t = self.timeline
        self.position = {e.slug: i for i, e in enumerate(t.events)}
        self.by_year: dict[int, list[Event]] = {}
        for e in t.events:
            self.by_year.setdefault(e.date.year, []).append(e)
        home, older = home_events(t, site.config.home_years)
        self.home_count, self.home_from = len(home), home[0].date.year if home else None
        self.older_years = [(year, len(self.by_year[year])) for year in older]
        self.spots = spots(t.events)
        self.spot_list = list(self.spots.values())
        self._spot_index = {key: i for i, key in enumerate(self.spots)}
        self._spot_text: dict[int, str] = {}
        self.atlas = map_atlas(t.events)                # the same spots, in the same order
        self._palette = None
        self.cards: dict[tuple[str, str], tuple[Event, str]] = {} if cards is None else cards
        self._locators: dict[tuple, str] = {}
        self._eras: dict[object, object] = {}   # date -> its era: asked for each row of each list
        self.nav = self._nav()
        # what every page reads: the navigation, the standalone pages' titles, the eras
        self.nav_key = repr((self.nav, [(p.slug, p.title) for p in t.pages], t.eras, site.footer, self._term_names))
        self._export_key: str | None = None
        self._piece_keys: dict[str, str] | None = None
        self.cache = cache                      # a BuildCache: the exports' pieces of unchanged events
        self.env = site.theme.env if lang is None else languages.environment(site.theme.env)
        self.locale_folders = catalogs.locale_folders(site.theme.folders)   # a site's own catalogs first
        self.env.globals.update(
            site=self.config, views=views, months=catalogs.Months(MONTHS, month_name), kind_titles=KIND_TITLES,
            month_year=month_year, digits=catalogs.digits, number=catalogs.number, own_dir=catalogs.own_dir,
            translate=catalogs._, solar_hijri=self.solar_hijri, script_strings=catalogs.script_strings,
            kind_singular=KIND_SINGULAR, ui_lang=self.lang, term_name=self.term_name, place_name=self.place_name,
            url_for=url_for, event_url=event_url, term_url=term_url, timeline_axis=self.timeline_axis,
            inline=self.inline, nav=self.nav, pages=t.pages, event_card=self.event_card,
            early_script=early.early_script, script_hashes=early.SCRIPT_HASHES,
            **self._footer(), **self._accent(),
            jsonld=lambda e, parent=None, image=None: jsonld.script(self.config, e, parent, image),   # schema.org JSON-LD
            citation_tags=lambda e: citation.highwire(self.config, e, self.config.language),
            citation_bibtex=lambda e: citation.bibtex(self.config, e), citation_author=citation.author(self.config),
            citation_date=citation.page_date, citation_url=lambda e: citation.page_url(self.config, e),
            access_placeholder=citation.ACCESS_PLACEHOLDER)
        self.env.filters["tojson_attr"] = lambda v: json.dumps(v, ensure_ascii=False)
        # the renderers of the other languages, and what their pages link to in their language
        self.languages: dict[str, Renderer] = {}
        self.canonical_terms = t.terms
        self.canonical_site = site               # the default language's (set on the others below)
        if lang is None:
            for code in site.config.codes[1:]:
                other = self.languages[code] = Renderer(languages.site_in(site, code), self.boundaries, None,
                                                        cache, code)
                other.canonical_terms = t.terms
                other.canonical_site = site
        self.moved = languages.moved_urls(site.routes, self.lang) if lang is not None else frozenset()

    # -- what templates call -----------------------------------------------------------------
    def term_name(self, kind: str, name: str) -> str:
        """A tag's, actor's, place's or country's name in the page's language (terms.<code>.yaml)."""
        return self._term_names.get(kind, {}).get(name, name)

    def place_name(self, event: Event) -> str:
        """The event's place as its translation names it, or as the terms file does."""
        t = event.translation(self.lang) if event.translations else None
        return (t.place_name if t and t.place_name else None) or self.term_name("places", event.place.name)

    def timeline_axis(self, events, casualties: bool | None = None, width: float = axis.WIDTH) -> Markup:
        """The time axis of `events` (graphics/axis.py), with the timeline's eras; the casualty
        strip as the `axis_casualties` setting says unless `casualties` is given."""
        strip = self.config.axis_casualties if casualties is None else casualties
        return Markup(axis.timeline_axis(events, self.timeline.eras, href=event_url, period_href=archive_url,
                                         casualties=strip, width=width))

    def inline(self, text: str) -> str:
        """A note or discrepancy as HTML: rendered and checked with the bodies (site.py)."""
        return self.site.snippets[text]

    def _nav(self) -> list[tuple[str, str]]:
        """The `nav` setting's sections and pages, in its order and with its labels, less the
        sections with nothing in them (no tags, no events with a place, search turned off)."""
        t, config = self.timeline, self.config
        labels = dict(config.nav_labels)
        pages = {p.slug: p for p in t.pages}
        items = []
        for name in config.nav:
            if name == "pages":
                items += [(url_for(p), labels.get(p.slug, p.title)) for p in t.pages if p.slug not in config.nav]
            elif name in SECTIONS:
                if self._shown(name):
                    items.append((url_for("home" if name == "timeline" else name), labels.get(name, SECTIONS[name])))
            elif name in pages:
                items.append((url_for(pages[name]), labels.get(name, pages[name].title)))
        return items

    def _shown(self, section: str) -> bool:
        if section in ("tags", "actors", "places"):
            return bool(self.timeline.terms[section])
        if section == "map":
            return bool(self.spots)
        if section == "search":
            return self.config.search
        return True

    def _footer(self) -> dict:
        """`footer`, the `footer` setting's HTML, and `footer_blocks`: whether it is more than one
        paragraph. One paragraph is given without its <p>: base.html puts the pages' links in it."""
        html = self.site.footer.strip()
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1 and "<p " not in html:
            return dict(footer=html[3:-4], footer_blocks=False)
        return dict(footer=html, footer_blocks=bool(html))

    def _accent(self) -> dict:
        """`accent_css`, the <style> base.html adds for the `accent` setting, and `accent_hash`,
        the Content-Security-Policy source that allows it (the policy allows no other inline
        style)."""
        config = self.config
        dark = config.accent_dark or (colours.for_dark(config.accent) if config.accent else "")
        css = colours.accent_css(config.accent, dark)
        return dict(accent_css=css, accent_hash=colours.style_hash(css) if css else "")

    def _card_macro(self):
        return self.env.get_template("_macros.html").module.card

    def event_card(self, event: Event, children: tuple = (), heading: str = "h3"):
        """The theme's `card` macro (_macros.html), remembered: an event's card is the same on
        every list page it appears on (its tags, its places, its year and month, the home
        page), and rendering them was most of the time those pages took. Cards with sub-events
        depend on which of them the page lists, so they are not kept."""
        if children:
            return self._card_macro()(event, children, heading)
        key = (event.slug, heading, catalogs.current())
        kept = self.cards.get(key)
        if kept is not None and kept[0] is event:      # not an older state of the entry (serve)
            return kept[1]
        html = self._card_macro()(event, children, heading)
        self.cards[key] = (event, html)
        return html

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

    def search_filters(self) -> dict:
        """The choices of the search page's filters: the values Pagefind indexes (tag, actor, year)."""
        events = self.timeline.events
        return {"tag": sorted({tag for e in events for tag in e.tags}, key=str.casefold),
                "actor": sorted({a for e in events for a in e.actors}, key=str.casefold),
                "year": sorted({e.date.year for e in events}, reverse=True)}

    @cached_property
    def filter_options(self) -> dict:
        """Each filter's choices, or None where there are too many to list on every page (the
        filter is then a box to type into)."""
        # the canonical names, in every language: the filters match them against the cards' data-tags
        terms = self.canonical_terms
        return {kind: [(term.slug, term.name) for term in terms[kind]] if len(terms[kind]) <= FILTER_CHOICES
                else None for kind in ("tags", "actors", "places")}

    # -- maps --------------------------------------------------------------------------------
    def spot_text(self, i: int) -> str:
        text = self._spot_text.get(i)
        if text is None:
            text = self._spot_text[i] = repr(self.spot_list[i])
        return text

    def map_page(self, cell) -> dict:
        """The map page's (cell None) or a zoom page's map and lists."""
        atlas, spots = self.atlas, self.spot_list
        layout = atlas.page_of(cell)
        name = self.area_name
        _ = catalogs._
        heading = _("Map of events") if cell is None else _("Map: around %(place)s (%(km)s km across)",
                                                               place=name(cell), km=_km(cell.km_across))
        title = _("Map of every event: %(title)s", title=self.config.title) if cell is None else heading
        svg = maps.draw(layout, spots, self.boundaries, kind="overview" if cell is None else "zoom",
                        title=title, id_prefix="overview")
        return dict(heading=heading, svg=svg, cell=cell, area=name(cell) if cell is not None else None,
                    area_km=_km(cell.km_across) if cell is not None else None,
                    trail=[(c.url, _("Around %(place)s (%(km)s km)", place=name(c), km=_km(c.km_across))) for c in (atlas.trail(cell) if cell is not None else ())],
                    clusters=[(maps.cluster_href(c), maps.cluster_name(c, spots)) for c in layout.clusters],
                    markers=[spots[i] for i in layout.markers])

    def solar_hijri(self, event: Event) -> str:
        """The event's date in the Solar Hijri calendar, for a language whose `languages` entry
        sets `solar_hijri = true` (Persian); "" otherwise."""
        language = catalogs.current()
        if not catalogs.language_setting(self.config, language, "solar_hijri", False):
            return ""
        return solar_hijri(event.date, event.end, language)

    def direction(self, language: str) -> str:
        """The language's direction: the `languages` setting's word for it where there is one."""
        return catalogs.direction(language, catalogs.language_setting(self.config, language, "direction"))

    def area_name(self, cell) -> str:
        """A zoom page's cell, by its spot with the most events."""
        spot = self.spot_list[self.atlas.name(cell)]
        return (spot.place or spot.label).strip()

    def map_page_reads(self, cell) -> str:
        atlas = self.atlas
        layout = atlas.page_of(cell)
        trail = atlas.trail(cell) if cell is not None else []
        named = [atlas.name(c) for c in (*trail, *([cell] if cell is not None else []))]
        return repr((self.config.title, layout, [self.spot_text(i) for i in layout.markers],
                     [self.spot_text(c.top) for c in layout.clusters], trail, [self.spot_text(i) for i in named]))

    def _layout(self, event: Event):
        return self.atlas.locator(self._spot_index[(event.place.lat, event.place.lon, event.place.name)])

    def locator(self, event: Event) -> str:
        if not event.place:
            return ""
        label = catalogs._("%(title)s (this event)", title=event.title)
        spot = (event.place.lat, event.place.lon, event.place.name)
        shared = self.spots.get(spot)
        if shared is None or shared.count == 1 or not event.place.name.split(",")[0].strip():
            return self._draw_locator(event, label)
        # every event at a shared spot has the same map but for its own marker's label: drawn
        # once per spot, the label filled in
        drawn = self._locators.get(spot)
        if drawn is None:
            drawn = self._locators[spot] = self._draw_locator(event, maps.LABEL_SLOT)
        return maps.fill_label(drawn, label)

    def _draw_locator(self, event: Event, label: str) -> str:
        here = maps.Marker(event.place.lat, event.place.lon, label, None,
                           emphasis=True, place=event.place.name.split(",")[0])
        return maps.draw(self._layout(event), self.spot_list, self.boundaries, kind="locator",
                         title=catalogs._("Where: %(place)s", place=event.place.name), id_prefix="locator", here=here)

    def locator_reads(self, event: Event) -> str:
        """What an event's locator map shows besides the event: the spots it draws as markers,
        its counts and where they link, the same for every event at one spot."""
        if not event.place:
            return ""
        layout = self._layout(event)
        return repr((layout, [self.spot_text(i) for i in layout.markers],
                     [self.spot_text(c.top) for c in layout.clusters]))

    def tile(self, route: Route) -> bytes:
        if self._palette is None:
            theme = self.site.theme
            css = theme.static_file("static/dateline.css") if "static/dateline.css" in theme.static_paths() else None
            self._palette = tiles.palette_of(css.read_text(encoding="utf-8")) if css else tiles.DEFAULT_PALETTE
        return tiles.draw(self.boundaries, route.subject, self._palette)

    # -- routes ------------------------------------------------------------------------------
    def key(self, route: Route) -> str:
        """A digest of everything the route's file is made of (pages.py: `reads`): the same key
        as the last build's, the same bytes. Code, configuration and templates are not in it:
        a change to any of them empties the build cache (cache.py)."""
        other = self._other(route)
        if other is not None:
            return other.key(route)
        route = self._subject_here(route)
        kind = route.kind
        if kind in CONTEXTS:
            return digest(kind, route.path, repr(CONTEXTS[kind][1](self, route)), self.nav_key)
        if kind == "export":
            if self._export_key is None:   # every export reads every event, body included
                self._export_key = digest(repr(list(self.piece_keys().items())), repr(self.timeline.eras))
            return digest(route.path, self._export_key)
        if kind == "tile":   # made of the boundaries and the code alone, which salt the cache
            return digest(route.path)
        if kind == "media" and isinstance(route.subject, Variant):   # never decoded to be compared
            return digest(route.path, repr(route.subject))
        if kind == "card":
            return digest(route.path, self.card(route).key)
        return digest(route.path, self.render(route))   # static and schema files: cheap to make

    def render(self, route: Route) -> bytes:
        """The bytes of one route's file."""
        other = self._other(route)
        if other is not None:
            return other.render(route)
        route = self._subject_here(route)
        kind = route.kind
        if kind in CONTEXTS:
            language = getattr(route, "lang", None) or self.lang
            with catalogs.speaking(language, self.locale_folders):
                template, context = CONTEXTS[kind][0](self, route)
                # templates link with the default language's addresses; the page's language is
                # given by moving its links at the end (languages.move_links)
                here = languages.default_url(route, self.config)
                context.setdefault("canonical", here)
                if len(self.config.codes) > 1:
                    context.update(languages.page_languages(self.site.routes, route, self.config))
                context.setdefault("page_lang", language)
                context.setdefault("page_dir", self.direction(language))
                html = self.env.get_template(template).render(page_path=route.path, **context)
            if self.moved:
                html = languages.move_links(html, self.lang, self.moved)
            anchored = route.path.endswith("404.html")
            return relativize(html, route.path, self.config.base_path, anchored,
                              self.config.offline).encode("utf-8")
        if kind == "export":
            # each export keeps its pieces in a file of its own, read and written here, in
            # the process that renders it: the pieces never travel between processes
            kept = self.cache.export_pieces(route.path) if self.cache is not None else {}
            data, made = export(route.subject, self.config, self.timeline, self.site.bodies, self.piece_keys(), kept)
            if self.cache is not None and made.keys() != kept.keys():
                self.cache.keep_export_pieces(route.path, made)
            return data
        if kind == "tile":
            return self.tile(route)
        if kind == "static":
            file = self.site.theme.static_file(route.path)
            return assets.published(route.path, file.read_bytes(), ours=file.is_relative_to(THEME))
        if kind == "card":
            return cards.drawn(self.card(route), self.site.image_store)
        if kind == "media":   # a file of the content folder: an image made fit to publish, else as it is
            data = (Path(self.config.content) / getattr(route.subject, "rel", route.subject)).read_bytes()
            return self.site.image_store.variant(data, route.subject) if isinstance(route.subject, Variant) else data
        if kind == "schema":
            return schema.schema_file(route.path)
        raise ValueError(f"no renderer for {route.kind} ({route.path})")

    def card(self, route: Route) -> cards.Card:
        """What the preview card of a route's event shows (`route`: as _subject_here gives it),
        in the page's language, or in the default's where that language's letters cannot be
        drawn as they are read (cards.can_draw)."""
        event = route.subject
        with catalogs.speaking(self.lang, self.locale_folders):
            when, separator = views.event_date(event), catalogs._(" · ")
        card = cards.Card(self.config.title, event.title, when, self.place_name(event) if event.place else "",
                          self.lang, self.direction(self.lang) == "rtl", self.config.accent or cards.ACCENT, separator)
        if cards.can_draw(card):
            return card
        base = self.canonical_site
        event, lang = base.timeline.event(event.slug), base.config.language
        with catalogs.speaking(lang, self.locale_folders):
            when, separator = views.event_date(event), catalogs._(" · ")
        return cards.Card(base.config.title, event.title, when, event.place.name if event.place else "", lang,
                          self.direction(lang) == "rtl", self.config.accent or cards.ACCENT, separator)

    def stored(self, routes) -> set[str]:
        """The names in the image store of what `routes` are made of (images.ImageStore.prune)."""
        names = set()
        for route in routes:
            if route.kind == "media" and isinstance(route.subject, Variant):
                names.add(images.file_name(route.subject))
                names.add(route.subject.digest)          # its size (info.pickle)
            elif route.kind == "card":
                other = self._other(route) or self
                names.add(cards.file_name(other.card(other._subject_here(route))))
        return names

    def _other(self, route: Route):
        """The renderer of the route's language, if it is not this one's."""
        if route.lang and route.lang != self.lang and route.lang in self.languages:
            return self.languages[route.lang]
        return None

    def _subject_here(self, route: Route) -> Route:
        """The route with its entry as this renderer's language shows it."""
        subject = route.subject
        if self.lang == self.config.codes[0] or not isinstance(subject, (Event, Page, Term)):
            return route
        if isinstance(subject, Term):
            return replace(route, subject=next(t for t in self.timeline.terms[subject.kind] if t.slug == subject.slug))
        if isinstance(subject, Event):
            return replace(route, subject=self.timeline.event(subject.slug))
        return replace(route, subject=next(p for p in self.timeline.pages if p.slug == subject.slug))

    def prepare(self, routes: list[Route]) -> None:
        """Compile the templates and index the boundaries first, so that the pages, rendered
        in separate processes, each find them ready."""
        for other in self.languages.values():
            other.prepare([])
        env = self.env
        for name in env.list_templates(filter_func=lambda n: n.endswith(".html")):
            if name.startswith(("static/", "default/")):
                continue                      # published as they are, not templates; or the default theme's, compiled when extended
            try:
                env.get_template(name)
            except jinja2.TemplateError:      # unused, or it fails where it is used, as before
                pass
        if any(route.kind == "tile" for route in routes):
            self.boundaries.index

    def piece_keys(self) -> dict[str, str]:
        """Event slug -> a digest of what its pieces of the exports are made of, in order."""
        if self._piece_keys is None:
            bodies, versions = self.site.bodies, self.site.versions
            self._piece_keys = {e.slug: digest(versions[e.path], bodies[e.path]) for e in self.timeline.events}
        return self._piece_keys

    def render_all(self, routes: list[Route], progress=None, send=None, also: list | None = None) -> dict:
        """The files of `routes`, rendered on every core (in order: the result is the same as
        one by one), with `also` (jobs that give no file) run among them. With `send(path,
        data)`, each file is given to it where it was rendered, and what it returns is kept
        instead of the bytes."""
        self.prepare(routes)
        also = list(also or [])
        if progress:
            progress.stage("Rendering pages", len(routes) + len(also))

        def run(index: int) -> dict:
            if index >= len(routes):
                also[index - len(routes)]()
                return {}
            route = routes[index]
            data = self.render(route)
            return {route.path: data if send is None else send(route.path, data)}

        files: dict = {}
        for done in ordered_map(run, range(len(routes) + len(also)), advance=progress and progress.advance,
                                weight=lambda i: self._weight(routes[i]) if i < len(routes) else 1.0):
            files.update(done)
        return files

    def _weight(self, route: Route) -> float:
        kind = route.kind
        if kind == "export":
            return EXPORT_WEIGHT * len(self.timeline.events)
        if kind == "map":
            return ROW_WEIGHT * len(self.timeline.events)
        if kind in ("home", "term", "year", "month"):
            return ROW_WEIGHT * len(route.items)
        return 1.0


def _km(km: int) -> str:
    """A distance as the map pages always wrote it in English ("1,200"), by CLDR in others."""
    return f"{km:,}" if catalogs.current() == catalogs.SOURCE else catalogs.number(km)


def spots(events) -> dict[tuple, maps.Marker]:
    """One map marker per spot (same coordinates and place name), in timeline order: an event
    alone at its spot links to its page; several share one marker that links to their place's
    page. Stacked markers would hide each other and make a map grow with every event at a place.
    The same spots, in the same order, as routes.map_atlas."""
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
                                       place=short, count=len(group))
    return markers


def escape_json_for_script(data) -> str:
    """JSON safe inside <script>: no '</' can close the element."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


__all__ = ["Renderer", "relativize", "escape", "escape_json_for_script", "THEME", "KINDS"]
