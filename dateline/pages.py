"""What each kind of page is given, and what it reads.

For every page kind, `context(r, route)` is the template and its variables (docs/templates.md
lists them), and `reads(r, route)` is what those variables are made of, as text: the entries it
shows (by digest: an entry's whole text for its own page, its head for every other page), their
order and grouping. What every page reads (the navigation, the eras, the configuration and the
templates) is in every key (render.Renderer.key, and the cache's salt). A page whose reads are as the last build recorded
renders the same bytes, so a build renders only pages whose reads changed (pipeline.py). The two
functions of a kind sit side by side: a variable added to one and not the other is stale pages,
and the incremental-equals-clean tests (tests/test_incremental.py) are there to catch it.

`r` is the Renderer (render.py): the site, and what is worked out once per state of it (eras by
date, map markers, rows of a list).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import cards, media
from .graphics.chain import chain_levels, chain_svg, toll_chart_svg
from .cache import digest
from .model import Event
from .paging import Pager
from .routes import Route, card_url, event_url, url_for


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


def _heads(r, events) -> str:
    """The heads of `events` (None left out), in order, as one string."""
    heads = r.site.heads
    return " ".join([heads[e.slug] for e in events if e is not None])


# -- home, years, months, tags, actors and places: lists of events ----------------------------
# A long list is cut into pages (paging.py, routes.plan): a page's route holds its slugs, and
# every page of a list reads where it is among them (its number, how many, how many events).

def pager(route: Route, total: int) -> Pager:
    """Where the route's page is in its list (the list's first page is the address of its subject)."""
    subject = route.subject
    first = url_for("home") if subject is None else url_for(*subject) if isinstance(subject, tuple) \
        else url_for(subject)
    return Pager(*route.part, first, total)


def _shown(r, route: Route) -> list[Event]:
    event = r.site.timeline.event
    return [event(slug) for slug in route.items]


def home_context(r, route: Route):
    shown = _shown(r, route)
    return "index.html", dict(
        groups=r.grouped(shown), older_years=r.older_years, filters=r.filter_options,
        pager=pager(route, r.home_count), from_year=r.home_from, axis_events=_home_axis(r, route))


def _home_axis(r, route: Route):
    """The home page's axis: the whole timeline, on the first page."""
    return r.site.timeline.events if route.part[0] == 1 else ()


def home_reads(r, route: Route):
    return (_heads(r, _shown(r, route)), route.part, r.home_count, r.older_years, r.filter_options,
            _heads(r, _home_axis(r, route)))


def _archive_total(r, route: Route) -> int:
    if route.kind == "year":
        return len(r.by_year.get(route.subject, ()))
    year, month = route.subject
    return sum(1 for e in r.by_year.get(year, ()) if e.date.month == month)


def archive_context(r, route: Route):
    year, month = (route.subject, None) if route.kind == "year" else route.subject
    total = _archive_total(r, route)
    return "archive.html", dict(year=year, month=month, groups=r.grouped(_shown(r, route)), count=total,
                                pager=pager(route, total), axis_events=_year_axis(r, route))


def _year_axis(r, route: Route):
    """A year page's axis: the year's events, on its first page; none on a month's page."""
    return r.by_year.get(route.subject, ()) if route.kind == "year" and route.part[0] == 1 else ()


def archive_reads(r, route: Route):
    return _heads(r, _shown(r, route)), route.part, _archive_total(r, route), _heads(r, _year_axis(r, route))


def term_context(r, route: Route):
    term = route.subject
    return "term.html", dict(kind=term.kind, term=term, groups=r.grouped(_shown(r, route)),
                             count=len(term.events), pager=pager(route, len(term.events)))


def term_reads(r, route: Route):
    term = route.subject
    return term.name, _heads(r, _shown(r, route)), route.part, len(term.events)


def _terms_shown(r, route: Route):
    terms = r.site.timeline.terms[route.subject]
    return [terms[i] for i in route.items]


def terms_context(r, route: Route):
    kind = route.subject
    total = len(r.site.timeline.terms[kind])
    return "terms.html", dict(kind=kind, terms=_terms_shown(r, route), count=total, pager=pager(route, total))


def terms_reads(r, route: Route):
    return ([(t.name, t.slug, len(t.events)) for t in _terms_shown(r, route)], route.part,
            len(r.site.timeline.terms[route.subject]))


# -- an event, a standalone page ---------------------------------------------------------------

def neighbours(r, event: Event) -> dict:
    t, index = r.site.timeline, r.position[event.slug]
    events = t.events
    return dict(
        previous=events[index - 1] if index else None,
        next=events[index + 1] if index + 1 < len(events) else None,
        parent=t.event(event.part_of) if event.part_of else None,
        children=[t.event(c) for c in t.children.get(event.slug, ())],
        led_to=[t.event(s) for s in t.led_to.get(event.slug, ())],
        causes=[t.event(s) for s in event.in_response_to],
        related=[t.event(s) for s in event.related])


def share_image(r, e: Event) -> dict:
    """What a shared link to the event shows (og:image, JSON-LD image): its first image that is
    not sensitive, else its preview card (cards.py)."""
    shown = media.preview(e, r.site.images)
    if shown is not None:
        return dict(url=shown.largest, width=shown.largest_width, height=shown.largest_height, alt=shown.media.alt)
    return dict(url=card_url(e), width=cards.WIDTH, height=cards.HEIGHT, alt=e.title)


def event_context(r, route: Route):
    e, t = route.subject, r.site.timeline
    return "event.html", dict(
        e=e, body=r.site.bodies[e.path], **neighbours(r, e),
        chain=chain_svg(t, e.slug, event_url),
        toll_chart=toll_chart_svg(e),
        locator=r.locator(e),
        era=r.era_of(e),
        figures=media.figures(e, r.site.images), share_image=share_image(r, e))


def event_reads(r, route: Route):
    e = route.subject
    t = r.site.timeline
    near = [_heads(r, value if isinstance(value, list) else [value]) or "-" for value in neighbours(r, e).values()]
    levels = chain_levels(t, e.slug)
    chain = "/".join([_heads(r, map(t.event, level)) for level in levels]) if len(levels) > 1 else ""
    era = r.era_of(e)
    return (r.site.versions[e.path], digest(r.site.bodies[e.path]), *near, chain, r.locator_reads(e),
            era.slug if era else "", repr(media.figures(e, r.site.images)))


def page_context(r, route: Route):
    p = route.subject
    return "page.html", dict(p=p, body=r.site.bodies[p.path])


def page_reads(r, route: Route):
    p = route.subject
    return r.site.versions[p.path], digest(r.site.bodies[p.path])


def redirect_context(r, route: Route):
    item = route.subject
    target = url_for(item)
    return "redirect.html", dict(target=target, title=item.title, canonical=target)


def redirect_reads(r, route: Route):
    return url_for(route.subject), route.subject.title


# -- the map, search, the page for a missing address --------------------------------------------

def map_context(r, route: Route):
    return "map.html", r.map_page(None)


def map_reads(r, route: Route):
    return r.map_page_reads(None)


def zoom_context(r, route: Route):
    return "map.html", r.map_page(route.subject)


def zoom_reads(r, route: Route):
    return r.map_page_reads(route.subject)


def search_context(r, route: Route):
    return "search.html", dict(search_filters=r.search_filters())


def search_reads(r, route: Route):
    return r.search_filters()


def not_found_context(r, route: Route):
    return "404.html", dict(canonical=None)


def not_found_reads(r, route: Route):
    return ()


CONTEXTS = {"home": (home_context, home_reads), "year": (archive_context, archive_reads),
            "month": (archive_context, archive_reads), "term": (term_context, term_reads),
            "terms": (terms_context, terms_reads), "event": (event_context, event_reads),
            "page": (page_context, page_reads), "redirect": (redirect_context, redirect_reads),
            "map": (map_context, map_reads), "zoom": (zoom_context, zoom_reads), "search": (search_context, search_reads),
            "not-found": (not_found_context, not_found_reads)}


__all__ = ["CONTEXTS", "Row", "Node", "Gap"]
