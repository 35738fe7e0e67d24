"""Stage 3: parsed entries -> Timeline. Cross-file checks (duplicate slugs, relations, cycles,
dates of causes), the order of the timeline, the reverse links and the taxonomies."""

from __future__ import annotations

import heapq
from collections import defaultdict

from .errors import ContentError, error
from .model import Era, Event, Page, Term, Timeline
from .routes import event_url, page_url
from .slugs import term_slug

def _relation_line(event: Event, key: str, slug: str) -> int:
    values = getattr(event, key)
    if isinstance(values, tuple) and slug in values:
        return event.line(key, values.index(slug))
    return event.line(key)


def _check_unique(events: list[Event], pages: list[Page]) -> list[ContentError]:
    """Slugs are the keys relations link by: one entry per slug of each kind. (Where two
    different kinds of output would share an address is the routes' check: routes.plan.)"""
    errors, owner = [], {}
    for item in [*events, *pages]:
        url = event_url(item) if isinstance(item, Event) else page_url(item)
        if item.slug in owner and isinstance(item, Event) == isinstance(owner[item.slug], Event):
            errors.append(error(item.path, item.line("slug"),
                                f"slug '{item.slug}' is already used by {owner[item.slug].path}: "
                                f"both would write {url}: rename one of the files, or give one a 'slug:'"))
            continue
        owner.setdefault(item.slug, item)
    return errors


def _check_relations(events: dict[str, Event], drafts: dict[str, Event], broken: set[str]) -> list[ContentError]:
    errors = []

    def target(event: Event, key: str, slug: str) -> Event | None:
        line = _relation_line(event, key, slug)
        if slug in broken:   # its own file's errors are already reported
            return None
        if slug == event.slug:
            errors.append(error(event.path, line, f"'{key}' points at the event itself"))
            return None
        if slug in drafts:
            errors.append(error(event.path, line, f"'{key}' points at '{slug}', which is a draft: "
                                                  "publish it or remove the link"))
            return None
        if slug not in events:
            errors.append(error(event.path, line, f"'{key}' points at '{slug}', but no event has that "
                                                  f"slug (no file content/{slug}.md)"))
            return None
        return events[slug]

    for event in events.values():
        for slug in event.in_response_to:
            cause = target(event, "in_response_to", slug)
            if cause and cause.date.first_day() > event.date.last_day():
                errors.append(error(event.path, _relation_line(event, "in_response_to", slug),
                                    f"this event ({event.date}) cannot respond to '{slug}', "
                                    f"which happened later ({cause.date})"))
        if event.part_of:
            target(event, "part_of", event.part_of)
        for slug in event.related:
            target(event, "related", slug)
    return errors


def _find_cycles(events: dict[str, Event], *keys: str) -> list[ContentError]:
    """Depth-first search for a cycle along `in_response_to` or `part_of` (or both: a response
    that is also a part of what it answers); one error per cycle."""
    def edges(event: Event) -> tuple[str, ...]:
        result = []
        for key in keys:
            value = getattr(event, key)
            result += [value] if isinstance(value, str) else list(value or ())
        return tuple(result)

    def line(event: Event, nxt: str) -> int:
        for key in keys:
            value = getattr(event, key)
            if nxt == value or (isinstance(value, tuple) and nxt in value):
                return _relation_line(event, key, nxt)
        return event.line(keys[0])

    what = " and ".join(f"'{k}'" for k in keys) + (" together form" if len(keys) > 1 else " forms")

    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    errors, seen_cycles = [], set()

    def visit(slug: str, path: list[str]) -> None:
        state[slug] = 1
        path.append(slug)
        for nxt in edges(events[slug]):
            if nxt not in events or nxt == slug:   # a self-reference is reported on its own
                continue
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):]
                if frozenset(cycle) not in seen_cycles:
                    seen_cycles.add(frozenset(cycle))
                    first = events[cycle[0]]
                    chain = " → ".join(cycle + [nxt])
                    step = cycle[1] if len(cycle) > 1 else nxt
                    errors.append(error(first.path, line(first, step), f"{what} a cycle: {chain}"))
            elif state.get(nxt) is None:
                visit(nxt, path)
        path.pop()
        state[slug] = 2

    for slug in sorted(events):
        if slug not in state:
            visit(slug, [])
    return errors


def order_key(e: Event) -> tuple:
    """What orders events (before causes and parents are put first)."""
    return (e.date.sort_key(), e.time or "", e.order is None, e.order or 0, e.title.casefold(), e.slug)


def _order(events: dict[str, Event]) -> list[Event]:
    """Date order, except that a cause always comes before its response and a parent before its
    parts (a response dated "January 2024" still follows the 3 January event it answers)."""
    key = order_key

    before = defaultdict(set)  # slug -> slugs that must come after it
    waiting = {slug: 0 for slug in events}
    for event in events.values():
        for cause in set(event.in_response_to) | ({event.part_of} if event.part_of else set()):
            if cause in events and event.slug not in before[cause]:
                before[cause].add(event.slug)
                waiting[event.slug] += 1
    heap = [(key(e), e.slug) for e in events.values() if waiting[e.slug] == 0]
    heapq.heapify(heap)
    ordered = []
    while heap:
        _, slug = heapq.heappop(heap)
        ordered.append(events[slug])
        for nxt in before[slug]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                heapq.heappush(heap, (key(events[nxt]), nxt))
    return ordered


def _terms(events: list[Event]) -> tuple[dict, list[ContentError]]:
    errors, terms = [], {}
    for kind in ("tags", "actors", "places"):
        members: dict[str, list[str]] = defaultdict(list)
        names: dict[str, tuple[str, Event]] = {}
        for event in events:
            values = (event.place.name,) if kind == "places" and event.place else \
                () if kind == "places" else getattr(event, kind)
            for index, name in enumerate(values):
                slug = term_slug(name)
                if slug in names and names[slug][0] != name:
                    other_name, other = names[slug]
                    where = ("place", "name") if kind == "places" else (kind, index)
                    errors.append(error(event.path, event.line(*where),
                                        f"'{name}' and '{other_name}' ({other.path}) would share the page "
                                        f"/{kind}/{slug}/: spell them the same"))
                    continue
                names.setdefault(slug, (name, event))
                members[slug].append(event.slug)
        terms[kind] = tuple(sorted((Term(kind, names[s][0], s, tuple(members[s])) for s in members),
                                   key=lambda t: (t.name.casefold(), t.slug)))
    return terms, errors


def link(events: list[Event], pages: list[Page], eras: tuple[Era, ...],
         broken: set[str] = frozenset(), drafts_too: bool = False) -> tuple[Timeline | None, list[ContentError]]:
    """`broken`: slugs of entries that failed to parse, so links to them are not reported twice.
    `drafts_too`: entries marked draft are published with the others, still marked (serve
    --drafts), and links to them are links like any other."""
    errors = _check_unique(events, pages)
    withheld = set() if drafts_too else {item.path for item in [*events, *pages] if item.draft}
    published = {e.slug: e for e in events if e.path not in withheld}
    drafts = {e.slug: e for e in events if e.path in withheld and e.slug not in published}
    errors += _check_relations(published, drafts, set(broken))
    # No cycle along both relations together means none along either: one walk, usually. Only
    # when there is one are they walked apart, to say which relation forms it.
    together = _find_cycles(published, "in_response_to", "part_of")
    if together:
        apart = _find_cycles(published, "in_response_to") + _find_cycles(published, "part_of")
        errors += apart or ([] if errors else together)
    if errors:
        return None, errors
    ordered = _order(published)
    led_to, children = defaultdict(list), defaultdict(list)
    for event in ordered:
        for cause in event.in_response_to:
            led_to[cause].append(event.slug)
        if event.part_of:
            children[event.part_of].append(event.slug)
    terms, errors = _terms(ordered)
    if errors:
        return None, errors
    timeline = Timeline(
        events=tuple(ordered),
        pages=tuple(sorted((p for p in pages if p.path not in withheld), key=lambda p: p.slug)),
        eras=eras,
        led_to={k: tuple(v) for k, v in led_to.items()},
        children={k: tuple(v) for k, v in children.items()},
        terms=terms,
        drafts=frozenset(withheld),
    )
    return timeline, []
