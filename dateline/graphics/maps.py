"""The maps drawn into pages: an event's locator map, the map page and its zoom pages. A map
is an inline ``<svg>``: the land comes from shared tile images (tiles.py), the markers, counts
and names are its own (see the package's docstring for the markup)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from .. import catalogs
from . import labels as text_layout
from .clusters import Atlas, Cluster, Layout
from .labels import COUNTRY_LABEL_PX, LABEL_PX
from .projection import WORLD, world
from .svg import attr, fmt, prefix, text
from .tiles import covering
from .topology import Boundaries, as_boundaries

MARKER_R = 4.5
MARKER_R_CURRENT = 7.0
AUTO_LABEL_MAX = 12       # without short `place` labels, label at most this many markers


@dataclass(frozen=True)
class Marker:
    """A spot on a map.

    ``label`` is the accessible name (and tooltip), e.g. "Kerman bombing,
    3 January 2024". ``place`` is an optional short visible label drawn on
    the map (e.g. "Kerman"); without it the map draws ``label`` when it
    draws labels at all. ``href`` is used as given (root paths are made
    relative with the rest of the page); None draws a marker without a link.
    ``count``: the events at the spot.
    """

    lat: float
    lon: float
    label: str
    href: str | None
    emphasis: bool = False
    place: str | None = None
    count: int = 1


def atlas_for(markers: Sequence[Marker]) -> Atlas:
    return Atlas([(m.lat, m.lon) for m in markers], [m.count for m in markers])


def cluster_name(cluster: Cluster, spots: Sequence[Marker]) -> str:
    """What a count says it holds: "312 events at 24 places around Panjgur"."""
    top = spots[cluster.top]
    where = (top.place or top.label).strip()
    if catalogs.current() != catalogs.SOURCE:
        if cluster.spots != cluster.events:
            return catalogs._("%(events)s events at %(places)s places around %(where)s", events=cluster.events,
                              places=cluster.spots, where=where)
        return catalogs.ngettext("%(num)s event around %(where)s", "%(num)s events around %(where)s",
                                 cluster.events, where=where)
    places = f" at {cluster.spots:,} places" if cluster.spots != cluster.events else ""
    return f"{cluster.events:,} events{places} around {where}"


def cluster_href(cluster: Cluster) -> str:
    return cluster.page.url if cluster.page is not None else "/map/"


def _marker(mk, x: float, y: float, cls: str, r: float, has_links: bool) -> str:
    """A marker: a link named by its <title> when it has a page; in a map with links, an image
    named by its label; else a circle with a tooltip."""
    circle = f'<circle class="{cls}" cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(r)}"'
    if mk.href:
        return f'<a class="map-marker-link" href="{attr(mk.href)}"><title>{text(mk.label)}</title>{circle}/></a>'
    if has_links:
        return f'{circle} role="img" aria-label="{attr(mk.label)}"><title>{text(mk.label)}</title></circle>'
    return f"{circle}><title>{text(mk.label)}</title></circle>"


def _short(n: int) -> str:
    if n >= 10_000:
        return f"{n // 1000}k"
    if n >= 1000:
        return f"{n / 1000:.1f}k"
    return str(n)


def _country_points(b: Boundaries) -> list[tuple[str, float, float, float]]:
    """Each country's name, the world position of its label and the world width of its
    largest part."""
    found = b.projected.get("countries")
    if found is None:
        found = []
        for c in b.countries:
            x, y = world(c.label[1], c.label[0])
            big = max(c.bboxes, key=lambda bb: (bb[2] - bb[0]) * (bb[3] - bb[1]))
            found.append((c.name, x, y, (big[2] - big[0]) / 360 * WORLD))
        b.projected["countries"] = found
    return found


def draw(layout: Layout, spots: Sequence[Marker], boundaries: Boundaries | object, *, kind: str, title: str,
         id_prefix: str | None = None, here: Marker | None = None, labels: bool | None = None,
         country_labels: bool = True) -> str:
    """The ``<svg>`` of a layout (clusters.Layout) whose spots are `spots` (the site's markers,
    by index); `here`: the locator's own marker, drawn emphasised and labelled."""
    b = as_boundaries(boundaries)
    view = layout.view
    W, H = view.width, view.height
    ids = prefix(title, id_prefix)

    placed: list[tuple[Marker, float, float]] = []
    for i in layout.markers:
        mk = spots[i]
        x, y = view.xy(*world(mk.lat, mk.lon))
        if -0.5 <= x <= W + 0.5 and -0.5 <= y <= H + 0.5:
            placed.append((mk, round(x, 1), round(y, 1)))
    counts = []
    for c in layout.clusters:
        x, y = view.xy(c.x, c.y)
        counts.append((c, round(x, 1), round(y, 1), round(min(20.0, 8.0 + 3.0 * math.log10(c.events)), 1)))
    current = None
    if here is not None:
        x, y = view.xy(*world(here.lat, here.lon))
        current = (here, round(x, 1), round(y, 1))

    dots = [(x - MARKER_R, y - MARKER_R, x + MARKER_R, y + MARKER_R) for _, x, y in placed]
    dots += [(x - r, y - r, x + r, y + r) for _, x, y, r in counts]
    if current is not None:
        dots.append((current[1] - MARKER_R_CURRENT, current[2] - MARKER_R_CURRENT,
                     current[1] + MARKER_R_CURRENT, current[2] + MARKER_R_CURRENT))
    if labels is None:
        labels = here is None and (all(mk.place for mk, _, _ in placed) or len(placed) <= AUTO_LABEL_MAX)
    wanted = []
    if current is not None:
        mk, x, y = current
        wanted.append((mk.place or mk.label, x, y, MARKER_R_CURRENT, True))
    if labels:
        wanted += [(mk.place or mk.label, x, y, MARKER_R, False) for mk, x, y in placed]
    label_out, occupied = text_layout.place(wanted, dots, W, H)
    names = []
    if country_labels:
        scale = view.scale
        near = []
        top, bottom = view.top, view.bottom
        for name, wx, wy, wide in _country_points(b):
            if not top <= wy <= bottom:
                continue
            x, y = view.xy(wx, wy)
            if 0 <= x <= W and 0 <= y <= H:
                near.append((name, x, y, wide * scale))
        names = text_layout.countries(near, occupied, dots, W, H)

    has_links = bool(counts) or any(mk.href for mk, _, _ in placed) or bool(here is not None and here.href)
    tid, did = f"{ids}-title", f"{ids}-desc"
    head = f'<svg xmlns="http://www.w3.org/2000/svg" class="map map-{kind}" viewBox="0 0 {W} {H}" width="{W}" height="{H}"'
    parts: list[str] = []
    if has_links:
        parts.append(f'{head} role="group" aria-labelledby="{tid}"><title id="{tid}">{text(title)}</title>')
    else:
        parts.append(f'{head} role="img" aria-labelledby="{tid}" aria-describedby="{did}">'
                     f'<title id="{tid}">{text(title)}</title>')
        marked = [mk.label for mk, _, _ in placed] + ([current[0].label] if current else [])
        desc = (catalogs._("Marked: %(places)s.", places=catalogs._("; ").join(marked)) if marked
                else catalogs._("No places marked."))
        parts.append(f'<desc id="{did}">{text(desc)}</desc>')

    parts.append(f'<g aria-hidden="true"><rect class="map-sea" width="{W}" height="{H}"/>')
    for tile in covering(view):
        parts.append(f'<image href="{tile.tile.url}" x="{fmt(tile.x)}" y="{fmt(tile.y)}" width="{fmt(tile.size)}" '
                     f'height="{fmt(tile.size)}"/>')
    if layout.cell is not None:
        # dim what lies outside a zoom page's cell: its spots are another page's
        side = WORLD / (1 << layout.cell.z)
        x0, y0 = view.xy(layout.cell.x * side + side / 2, layout.cell.y * side + side / 2)
        half = side * view.scale / 2
        parts.append(f'<path class="map-outside" fill-rule="evenodd" d="M-1-1H{W + 1}V{H + 1}H-1z'
                     f'M{fmt(x0 - half)} {fmt(y0 - half)}H{fmt(x0 + half)}V{fmt(y0 + half)}H{fmt(x0 - half)}z"/>')
    if names:
        parts.append(f'<g font-size="{COUNTRY_LABEL_PX}" text-anchor="middle">')
        parts += [f'<text class="map-country-label" x="{fmt(x)}" y="{fmt(y)}">{text(name)}</text>' for name, x, y in names]
        parts.append("</g>")
    parts.append("</g>")

    parts.append('<g class="map-markers">')
    parts += [_marker(mk, x, y, "map-marker", MARKER_R, has_links) for mk, x, y in placed]
    for c, x, y, r in counts:
        zoom = catalogs._("%(name)s: zoom in", name=cluster_name(c, spots))
        parts.append(f'<a class="map-cluster-link" href="{attr(cluster_href(c))}"><title>{text(zoom)}'
                     f'</title><circle class="map-cluster" cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(r)}"/>'
                     f'<text class="map-cluster-count" x="{fmt(x)}" y="{fmt(y + 3.5)}" aria-hidden="true">'
                     f'{catalogs.digits(_short(c.events))}</text></a>')
    if current is not None:
        parts.append(_marker(*current, "map-marker is-current", MARKER_R_CURRENT, has_links))
    parts.append("</g>")

    if label_out:
        parts.append(f'<g class="map-labels" aria-hidden="true" font-size="{LABEL_PX}" pointer-events="none">')
        for label, lx, ly, anchor, emphasis in label_out:
            cls = "map-label is-current" if emphasis else "map-label"
            anchor_attr = "" if anchor == "start" else f' text-anchor="{anchor}"'
            parts.append(f'<text class="{cls}" x="{fmt(lx)}" y="{fmt(ly)}"{anchor_attr}>{text(label)}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def overview_map(markers: Sequence[Marker], boundaries, *, title: str, id_prefix: str | None = None,
                 labels: bool | None = None, country_labels: bool = True) -> str:
    """All ``markers`` on the map page's map, gathered into counts when there are many."""
    pts = [m for m in markers if math.isfinite(m.lat) and math.isfinite(m.lon)]
    atlas = atlas_for(pts)
    return draw(atlas.page_of(None), pts, boundaries, kind="overview", title=title, id_prefix=id_prefix,
                labels=labels, country_labels=country_labels)


def locator_map(marker: Marker, boundaries, *, title: str, others: Sequence[Marker] = (),
                id_prefix: str | None = None, country_labels: bool = True) -> str:
    """A small map centred on ``marker`` (drawn emphasised, and labelled), with the
    ``others`` nearest it as markers and the rest in view as counts."""
    if not (math.isfinite(marker.lat) and math.isfinite(marker.lon)):
        raise ValueError("locator_map needs a marker with finite coordinates")
    same = (marker.lat, marker.lon, marker.label, marker.href)
    rest = [o for o in others if (o.lat, o.lon, o.label, o.href) != same
            and math.isfinite(o.lat) and math.isfinite(o.lon)]
    atlas = atlas_for([*rest, marker])
    return draw(atlas.locator(len(rest)), rest + [marker], boundaries, kind="locator", title=title,
                id_prefix=id_prefix, here=marker, country_labels=country_labels)


# A marker label no title contains (escaping leaves it as it is), to draw a map once and fill in
# the label of its marker after: a marker's label is text and attributes only, never placement.
LABEL_SLOT = "dateline-label-slot-1f0b"


def fill_label(svg: str, label: str) -> str:
    """A map drawn with a marker labelled LABEL_SLOT, as if drawn with `label` instead."""
    return svg.replace(f'"{LABEL_SLOT}"', f'"{attr(label)}"').replace(LABEL_SLOT, text(label))


__all__ = ["Marker", "draw", "overview_map", "locator_map", "atlas_for", "cluster_name", "cluster_href",
           "LABEL_SLOT", "fill_label"]
