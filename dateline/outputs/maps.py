"""Maps drawn as inline SVG at build time.

Standard library only, no network, no JavaScript. The boundaries are the
derived Natural Earth file in the theme's static folder
(``templates/static/map/countries-50m.json``; see ``PROVENANCE.md`` and
``derive.py`` beside it).

Public interface::

    load_boundaries(path) -> Boundaries          # cached per resolved path
    overview_map(markers, boundaries, *, title, ...) -> str   # "<svg ...>...</svg>"
    locator_map(marker, boundaries, *, title, others=(), ...) -> str

How a map is drawn
------------------
* The view is a lon/lat box: the markers plus ``padding_deg`` (or a forced
  ``extent``) for the overview, ``span_deg`` around the marker for a locator.
  It is widened to the width/height aspect ratio.
* Projection: equirectangular, longitudes scaled by cos(centre latitude), so
  shapes keep their proportions near the centre; north is up.
* Only arcs whose bounding box meets the view are projected; each is
  simplified (Douglas-Peucker, ``_SIMPLIFY_PX``) in pixel space, rounded to
  0.1 unit and stripped of consecutive duplicates. Because the data is a
  topology (countries share arcs), the land fill, the coastline and the
  borders are all built from the same simplified arcs and meet exactly.
* Land rings are clipped to the view rectangle (Sutherland-Hodgman, with a
  small margin outside the view); coast and border lines are clipped as
  polylines. Paths use relative coordinates to stay small.

Markup
------
No ``style`` attribute and no script anywhere (a Content-Security-Policy can
forbid both). Colours and strokes come from CSS classes the theme styles:

    svg.map (+ map-overview | map-locator)   the map
    rect.map-sea                             the background (water)
    path.map-land                            all land, fill only
    path.map-coast                           coastlines, stroke only
    path.map-border                          land borders, stroke only
    text.map-country-label                   faint country names
    a.map-marker-link                        a linked marker (focusable)
    circle.map-marker                        a marker
    circle.map-marker.is-current             the current event (emphasis)
    g.map-labels                             the marker labels (pointer-events none)
    text.map-label (+ is-current)            a marker's visible label

Label size and anchoring are given as presentation attributes (``font-size``
on the label groups, ``text-anchor``) because the label placement depends on
them, labels carry ``pointer-events="none"`` so markers under them stay
clickable, and the line paths carry ``fill="none"`` so an unstyled line never
fills as a black blob; these are not inline styles (a CSP allows them) and
any CSS rule overrides them.

Accessibility: an SVG with at least one link is ``role="group"`` named by its
``<title>``; each linked marker is an ``<a href>`` (keyboard focusable) whose
first child is a ``<title>`` holding the marker's label, its accessible name.
A map without links is ``role="img"``, named by its ``<title>`` and described
by a ``<desc>`` listing what is marked. Land, lines and visible text labels
are ``aria-hidden`` (the names are already on the markers).

IDs: every ID starts with ``id_prefix`` (default: ``map-`` + a slug of the
title), so output is deterministic; give distinct prefixes (or titles) to
maps that share a page.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Sequence

__all__ = [
    "Boundaries",
    "Country",
    "DEFAULT_BOUNDARIES_FILE",
    "Marker",
    "default_boundaries_path",
    "load_boundaries",
    "locator_map",
    "overview_map",
]

#: Where the derived file lives inside a theme's static folder.
DEFAULT_BOUNDARIES_FILE = Path("map") / "countries-50m.json"

_SIMPLIFY_PX = 0.4  # Douglas-Peucker tolerance at draw time, in SVG units
_BACKGROUNDS_KEPT = 512  # views whose drawn background is kept (see _background)
_CLIP_MARGIN = 3.0  # clip this far outside the view so strokes don't show seams
_MARKER_R = 4.5
_MARKER_R_CURRENT = 7.0
_LABEL_PX = 12  # font-size of marker labels (SVG units)
_COUNTRY_LABEL_PX = 11
_CHAR_W = 0.58  # average glyph advance as a fraction of the font size
_LABEL_MARKER_GAP = 8.0  # a label keeps this far from markers not its own
_AUTO_LABEL_MAX = 12  # without short `place` labels, label at most this many markers


# --------------------------------------------------------------------------
# data


@dataclass(frozen=True)
class Marker:
    """A point on a map.

    ``label`` is the accessible name (and tooltip), e.g. "Kerman bombing,
    3 January 2024". ``place`` is an optional short visible label drawn on
    the map (e.g. "Kerman"); without it the map draws ``label`` when it
    draws labels at all. ``href`` is used as given (already relative or
    base-prefixed by the caller); None draws a marker without a link.
    """

    lat: float
    lon: float
    label: str
    href: str | None
    emphasis: bool = False
    place: str | None = None


@dataclass(frozen=True, eq=False)
class Country:
    name: str
    id: str | None
    label: tuple[float, float]  # (lon, lat) interior point for the name
    polygons: tuple[tuple[tuple[int, ...], ...], ...]  # rings of arc refs
    bboxes: tuple[tuple[float, float, float, float], ...]  # per polygon
    # per polygon, per ring: None, or the ring's points made continuous
    # across the antimeridian (longitudes may then run past +-180)
    unwrapped: tuple[tuple[tuple[tuple[float, float], ...] | None, ...], ...] = ()


@dataclass(frozen=True, eq=False)
class Boundaries:
    """Decoded boundaries: shared arcs plus countries referencing them."""

    arcs: tuple[tuple[tuple[float, float], ...], ...]  # (lon, lat) points
    arc_bboxes: tuple[tuple[float, float, float, float], ...]
    # arcs split where they jump across the antimeridian (for lines)
    arc_pieces: tuple[tuple[tuple[tuple[float, float], ...], ...], ...]
    arc_is_border: tuple[bool, ...]  # True: between two countries; False: coast
    countries: tuple[Country, ...]
    source: dict = field(default_factory=dict, compare=False)
    # view -> (land, coast, border) path data, filled by _background()
    drawn: dict = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def lon_extent(self) -> tuple[float, float]:
        """The westmost and eastmost longitude of any arc or polygon box (past +-180 where a
        ring is made continuous across the antimeridian)."""
        boxes = [*self.arc_bboxes, *(bb for c in self.countries for bb in c.bboxes)]
        return min(bb[0] for bb in boxes), max(bb[2] for bb in boxes)


def default_boundaries_path() -> Path:
    """The derived file in this source tree (templates/static/map/)."""
    return Path(__file__).resolve().parents[2] / "templates" / "static" / DEFAULT_BOUNDARIES_FILE


def load_boundaries(path: Path | str) -> Boundaries:
    """Read the derived boundaries file once (cached per resolved path).

    ``path`` may be the JSON file itself, the theme's static folder (the
    file is then ``map/countries-50m.json`` inside it) or the ``map`` folder.
    """
    p = Path(path)
    if p.is_dir():
        cand = p / DEFAULT_BOUNDARIES_FILE
        p = cand if cand.is_file() else p / DEFAULT_BOUNDARIES_FILE.name
    return _load_boundaries_cached(str(p.resolve()))


@lru_cache(maxsize=4)
def _load_boundaries_cached(path: str) -> Boundaries:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    return _boundaries_from_json(data)


def _bbox(points) -> tuple[float, float, float, float]:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def _split_at_jumps(pts):
    pieces, cur = [], [pts[0]]
    for p in pts[1:]:
        if abs(p[0] - cur[-1][0]) > 180:
            pieces.append(tuple(cur))
            cur = []
        cur.append(p)
    pieces.append(tuple(cur))
    return tuple(pc for pc in pieces if len(pc) >= 2)


def _unwrap(pts):
    out = [pts[0]]
    off = 0.0
    for lon, lat in pts[1:]:
        x = lon + off
        prev = out[-1][0]
        if x - prev > 180:
            off -= 360
        elif x - prev < -180:
            off += 360
        out.append((lon + off, lat))
    mid = (min(p[0] for p in out) + max(p[0] for p in out)) / 2
    shift = 360.0 if mid < -180 else -360.0 if mid > 180 else 0.0
    return tuple((x + shift, y) for x, y in out)


def _boundaries_from_json(data: dict) -> Boundaries:
    arcs = tuple(tuple((float(x), float(y)) for x, y in arc) for arc in data["arcs"])
    arc_bboxes = tuple(_bbox(a) for a in arcs)
    arc_pieces = tuple(_split_at_jumps(a) for a in arcs)
    jumps = [len(pc) != 1 or len(pc[0]) != len(a) for pc, a in zip(arc_pieces, arcs)]
    users: list[int] = [0] * len(arcs)
    countries = []
    for c in data["countries"]:
        polys = tuple(tuple(tuple(ring) for ring in poly) for poly in c["polygons"])
        bbs = []
        unwrapped = []
        for poly in polys:
            uw = []
            for ring in poly:
                for r in ring:
                    users[r if r >= 0 else ~r] += 1
                if any(jumps[r if r >= 0 else ~r] for r in ring):
                    pts: list[tuple[float, float]] = []
                    for r in ring:
                        a = arcs[r] if r >= 0 else arcs[~r][::-1]
                        pts.extend(a if not pts else a[1:])
                    uw.append(_unwrap(pts))
                else:
                    uw.append(None)
            unwrapped.append(tuple(uw))
            if uw[0] is not None:
                bbs.append(_bbox(uw[0]))
            else:
                bs = [arc_bboxes[r if r >= 0 else ~r] for r in poly[0]]
                bbs.append((min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs)))
        lab = c.get("label") or [0.0, 0.0]
        countries.append(
            Country(
                name=str(c["name"]),
                id=c.get("id"),
                label=(float(lab[0]), float(lab[1])),
                polygons=polys,
                bboxes=tuple(bbs),
                unwrapped=tuple(unwrapped),
            )
        )
    return Boundaries(
        arcs=arcs,
        arc_bboxes=arc_bboxes,
        arc_pieces=arc_pieces,
        arc_is_border=tuple(u >= 2 for u in users),
        countries=tuple(countries),
        source=dict(data.get("source") or {}),
    )


def _as_boundaries(b: Boundaries | Path | str) -> Boundaries:
    return b if isinstance(b, Boundaries) else load_boundaries(b)


# --------------------------------------------------------------------------
# view and projection


@dataclass(frozen=True)
class _View:
    lon0: float
    lat0: float
    lon1: float
    lat1: float
    width: int
    height: int
    k: float  # cos(centre latitude)
    s: float  # SVG units per degree of latitude

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        return ((lon - self.lon0) * self.k * self.s, (self.lat1 - lat) * self.s)

    def meets(self, bb: tuple[float, float, float, float], margin_deg: float = 0.0) -> bool:
        return not (
            bb[2] < self.lon0 - margin_deg
            or bb[0] > self.lon1 + margin_deg
            or bb[3] < self.lat0 - margin_deg
            or bb[1] > self.lat1 + margin_deg
        )


def _make_view(lon0: float, lat0: float, lon1: float, lat1: float, width: int, height: int) -> _View:
    if width <= 0 or height <= 0:
        raise ValueError("width and height must be positive")
    if lon1 < lon0:
        lon0, lon1 = lon1, lon0
    if lat1 < lat0:
        lat0, lat1 = lat1, lat0
    # never a degenerate box
    if lon1 - lon0 < 1e-6:
        lon0, lon1 = lon0 - 0.5, lon1 + 0.5
    if lat1 - lat0 < 1e-6:
        lat0, lat1 = lat0 - 0.5, lat1 + 0.5
    clat = max(-80.0, min(80.0, (lat0 + lat1) / 2))
    k = math.cos(math.radians(clat))
    w_units = (lon1 - lon0) * k  # in degrees of latitude
    h_units = lat1 - lat0
    aspect = width / height
    if w_units / h_units < aspect:  # too tall: widen
        extra = (h_units * aspect - w_units) / k / 2
        lon0, lon1 = lon0 - extra, lon1 + extra
    else:  # too wide: heighten
        extra = (w_units / aspect - h_units) / 2
        lat0, lat1 = lat0 - extra, lat1 + extra
    s = height / (lat1 - lat0)
    return _View(lon0, lat0, lon1, lat1, width, height, k, s)


# --------------------------------------------------------------------------
# geometry


def _simplify(pts: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    n = len(pts)
    if n <= 2:
        return pts
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    tol2 = tol * tol
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        ax, ay = pts[a]
        bx, by = pts[b]
        dx, dy = bx - ax, by - ay
        seg2 = dx * dx + dy * dy
        best, best_i = -1.0, -1
        for i in range(a + 1, b):
            px, py = pts[i]
            if seg2 == 0.0:
                d2 = (px - ax) ** 2 + (py - ay) ** 2
            else:
                t = ((px - ax) * dx + (py - ay) * dy) / seg2
                t = 0.0 if t < 0.0 else 1.0 if t > 1.0 else t
                d2 = (px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2
            if d2 > best:
                best, best_i = d2, i
        if best > tol2:
            keep[best_i] = True
            stack.append((a, best_i))
            stack.append((best_i, b))
    return [p for p, k in zip(pts, keep) if k]


class _ArcCache:
    """Arcs projected, simplified and rounded to integer tenths, on demand."""

    def __init__(self, b: Boundaries, view: _View):
        self.b = b
        self.view = view
        self.cache: dict[tuple[int, float], list[tuple[int, int]]] = {}

    def points(self, pts: Sequence[tuple[float, float]], shift: float = 0.0) -> list[tuple[int, int]]:
        """Project (lon + shift, lat) points, simplify, round to tenths."""
        project = self.view.project
        simp = _simplify([project(lon + shift, lat) for lon, lat in pts], _SIMPLIFY_PX)
        out: list[tuple[int, int]] = []
        for x, y in simp:
            p = (round(x * 10), round(y * 10))
            if not out or out[-1] != p:
                out.append(p)
        return out

    def get(self, i: int, shift: float = 0.0) -> list[tuple[int, int]]:
        got = self.cache.get((i, shift))
        if got is None:
            got = self.cache[(i, shift)] = self.points(self.b.arcs[i], shift)
        return got

    def ring(self, refs: Sequence[int], shift: float = 0.0) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for r in refs:
            a = self.get(r, shift) if r >= 0 else self.get(~r, shift)[::-1]
            for p in a:
                if not out or out[-1] != p:
                    out.append(p)
        if len(out) > 1 and out[0] == out[-1]:
            out.pop()
        return out


def _clip_ring(ring: list[tuple[int, int]], x0: int, y0: int, x1: int, y1: int) -> list[tuple[int, int]]:
    """Sutherland-Hodgman against an axis-aligned box (integer tenths)."""

    def clip(pts, inside, cross):
        out = []
        n = len(pts)
        for i in range(n):
            cur, prev = pts[i], pts[i - 1]
            ci, pi = inside(cur), inside(prev)
            if ci:
                if not pi:
                    out.append(cross(prev, cur))
                out.append(cur)
            elif pi:
                out.append(cross(prev, cur))
        return out

    def at_x(x):
        def f(p, q):
            t = (x - p[0]) / (q[0] - p[0])
            return (x, round(p[1] + t * (q[1] - p[1])))

        return f

    def at_y(y):
        def f(p, q):
            t = (y - p[1]) / (q[1] - p[1])
            return (round(p[0] + t * (q[0] - p[0])), y)

        return f

    pts = ring
    for inside, cross in (
        (lambda p: p[0] >= x0, at_x(x0)),
        (lambda p: p[0] <= x1, at_x(x1)),
        (lambda p: p[1] >= y0, at_y(y0)),
        (lambda p: p[1] <= y1, at_y(y1)),
    ):
        if not pts:
            break
        pts = clip(pts, inside, cross)
    out: list[tuple[int, int]] = []
    for p in pts:
        if not out or out[-1] != p:
            out.append(p)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def _clip_line(pts: list[tuple[int, int]], x0: int, y0: int, x1: int, y1: int) -> list[list[tuple[int, int]]]:
    """Clip a polyline to a box (Liang-Barsky per segment); returns runs."""
    runs: list[list[tuple[int, int]]] = []
    cur: list[tuple[int, int]] = []
    for (ax, ay), (bx, by) in zip(pts, pts[1:]):
        dx, dy = bx - ax, by - ay
        t0, t1 = 0.0, 1.0
        ok = True
        for p, q in ((-dx, ax - x0), (dx, x1 - ax), (-dy, ay - y0), (dy, y1 - ay)):
            if p == 0:
                if q < 0:
                    ok = False
                    break
            else:
                r = q / p
                if p < 0:
                    if r > t1:
                        ok = False
                        break
                    t0 = max(t0, r)
                else:
                    if r < t0:
                        ok = False
                        break
                    t1 = min(t1, r)
        if not ok:
            if cur:
                runs.append(cur)
                cur = []
            continue
        a = (ax, ay) if t0 == 0.0 else (round(ax + t0 * dx), round(ay + t0 * dy))
        b = (bx, by) if t1 == 1.0 else (round(ax + t1 * dx), round(ay + t1 * dy))
        if cur and cur[-1] != a:
            runs.append(cur)
            cur = []
        if not cur:
            cur.append(a)
        if b != cur[-1]:
            cur.append(b)
        if t1 != 1.0:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return [r for r in runs if len(r) >= 2]


def _num(v: int) -> str:
    """Integer tenths as the shortest SVG number: 5 -> '.5', -12 -> '-1.2'."""
    if v % 10 == 0:
        return str(v // 10)
    sign = "-" if v < 0 else ""
    a = abs(v)
    whole = a // 10
    return f"{sign}{whole if whole else ''}.{a % 10}"


def _pair(dx: int, dy: int, prev_tail: str | None) -> str:
    """Two numbers, with separators only where the grammar needs them."""
    sx, sy = _num(dx), _num(dy)
    s1 = sx if prev_tail is None or _can_join(prev_tail, sx) else " " + sx
    s2 = sy if _can_join(sx, sy) else " " + sy
    return s1 + s2


def _can_join(prev: str, nxt: str) -> bool:
    # a following number may start without a separator when it begins with
    # '-', or with '.' and the previous number already has a '.'
    return nxt[0] == "-" or (nxt[0] == "." and "." in prev)


def _path_data(pieces: list[list[tuple[int, int]]], closed: bool) -> str:
    """'M x y l dx dy ...' per piece (z-closed for rings)."""
    out: list[str] = []
    for pts in pieces:
        x, y = pts[0]
        sx, sy = _num(x), _num(y)
        out.append("M" + sx + (sy if _can_join(sx, sy) else " " + sy))
        if len(pts) > 1:
            out.append("l")
            tail = None
            for px, py in pts[1:]:
                s = _pair(px - x, py - y, tail)
                out.append(s)
                tail = _num(py - y)
                x, y = px, py
        if closed:
            out.append("z")
    return "".join(out)


# --------------------------------------------------------------------------
# markup helpers

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _text(s: str) -> str:
    s = _XML_BAD.sub("", s)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(s: str) -> str:
    return _text(s).replace('"', "&quot;")


# A marker label no title contains (escaping leaves it as it is), to draw a map once and fill in
# the label of its marker after: a marker's label is text and attributes only, never placement.
LABEL_SLOT = "dateline-label-slot-1f0b"


def fill_label(svg: str, label: str) -> str:
    """A map drawn with a marker labelled LABEL_SLOT, as if drawn with `label` instead."""
    return svg.replace(f'"{LABEL_SLOT}"', f'"{_attr(label)}"').replace(LABEL_SLOT, _text(label))


def _slug(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii").lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:48].strip("-")


def _prefix(title: str, id_prefix: str | None) -> str:
    if id_prefix is not None:
        p = re.sub(r"[^A-Za-z0-9_-]+", "-", id_prefix).strip("-")
        if not p or not p[0].isalpha():
            p = "map-" + p
        return p
    slug = _slug(title)
    return "map-" + slug if slug else "map"


def _fmt(v: float) -> str:
    return _num(round(v * 10))


def _text_box(x: float, y: float, text: str, px: float, anchor: str) -> tuple[float, float, float, float]:
    w = len(text) * px * _CHAR_W
    if anchor == "end":
        x0 = x - w
    elif anchor == "middle":
        x0 = x - w / 2
    else:
        x0 = x
    return (x0, y - px * 0.8, x0 + w, y + px * 0.25)


def _overlaps(a, b, pad: float = 1.0) -> bool:
    return not (a[2] + pad <= b[0] or b[2] + pad <= a[0] or a[3] + pad <= b[1] or b[3] + pad <= a[1])


# --------------------------------------------------------------------------
# drawing


def _background(boundaries: Boundaries, view: _View) -> tuple[str, str, str]:
    """The path data of land, coast and borders for a view. It depends on nothing else, and many
    locator maps share a view (every event at one place), so it is drawn once per view."""
    found = boundaries.drawn.get(view)
    if found is None:
        if len(boundaries.drawn) >= _BACKGROUNDS_KEPT:   # bounded: a site with a spot per event
            del boundaries.drawn[next(iter(boundaries.drawn))]
        found = boundaries.drawn[view] = _draw_background(boundaries, view)
    return found


def _draw_background(boundaries: Boundaries, view: _View) -> tuple[str, str, str]:
    W, H = view.width, view.height
    m = round(_CLIP_MARGIN * 10)
    cx0, cy0, cx1, cy1 = -m, -m, W * 10 + m, H * 10 + m
    margin_deg = (_CLIP_MARGIN + 1) / view.s

    arcs = _ArcCache(boundaries, view)

    # land: every polygon meeting the view, clipped
    # The world repeats every 360 degrees of longitude: a view running past
    # +-180 also shows geometry shifted by 360 (and a ring made continuous
    # across the antimeridian may run past +-180 itself).
    # (A shift that the whole world's extent, shifted, does not bring into view is left out
    # before testing each of thousands of boxes with it.)
    west, east = boundaries.lon_extent
    shifts = tuple(sh for sh in (0.0, 360.0, -360.0)
                   if sh == 0.0 or view.meets((west + sh, -90.0, east + sh, 90.0), margin_deg))

    def shifted(bb, sh):
        return (bb[0] + sh, bb[1], bb[2] + sh, bb[3])

    land: list[list[tuple[int, int]]] = []
    for c in boundaries.countries:
        for n, (poly, bb) in enumerate(zip(c.polygons, c.bboxes)):
            uw = c.unwrapped[n] if c.unwrapped else (None,) * len(poly)
            for sh in shifts:
                if not view.meets(shifted(bb, sh), margin_deg):
                    continue
                for ring_refs, ring_pts in zip(poly, uw):
                    if ring_pts is not None:
                        ring = arcs.points(ring_pts, sh)
                        if len(ring) > 1 and ring[0] == ring[-1]:
                            ring.pop()
                    else:
                        ring = arcs.ring(ring_refs, sh)
                    if len(ring) < 3:
                        continue
                    xs = [p[0] for p in ring]
                    ys = [p[1] for p in ring]
                    if max(xs) < cx0 or min(xs) > cx1 or max(ys) < cy0 or min(ys) > cy1:
                        continue
                    clipped = _clip_ring(ring, cx0, cy0, cx1, cy1)
                    if len(clipped) >= 3:
                        land.append(clipped)

    # lines: each arc once, coast or border
    coast: list[list[tuple[int, int]]] = []
    border: list[list[tuple[int, int]]] = []
    for i, bb in enumerate(boundaries.arc_bboxes):
        pieces = boundaries.arc_pieces[i]
        for sh in shifts:
            if not view.meets(shifted(bb, sh), margin_deg):
                continue
            if len(pieces) == 1 and len(pieces[0]) == len(boundaries.arcs[i]):
                lines = [arcs.get(i, sh)]
            else:  # jumps across the antimeridian: draw the pieces apart
                lines = [arcs.points(pc, sh) for pc in pieces]
            for line in lines:
                runs = _clip_line(line, cx0, cy0, cx1, cy1)
                (border if boundaries.arc_is_border[i] else coast).extend(runs)

    return (_path_data(land, True) if land else "", _path_data(coast, False) if coast else "",
            _path_data(border, False) if border else "")


def _draw(
    *,
    kind: str,
    markers: Sequence[Marker],
    boundaries: Boundaries,
    view: _View,
    title: str,
    id_prefix: str | None,
    label_markers: Sequence[Marker],
    country_labels: bool,
) -> str:
    W, H = view.width, view.height
    prefix = _prefix(title, id_prefix)
    land_d, coast_d, border_d = _background(boundaries, view)

    # marker positions (inside the view only)
    placed: list[tuple[Marker, float, float]] = []
    # y depends on latitude alone: markers well outside the view's band are skipped before
    # projecting (a locator map is given every spot of the site; most lie far away)
    lat_low, lat_high = view.lat0 - 1 / view.s, view.lat1 + 1 / view.s
    for mk in markers:
        if not (lat_low <= mk.lat <= lat_high and math.isfinite(mk.lon)):
            continue
        for sh in (0.0, 360.0, -360.0):
            x, y = view.project(mk.lon + sh, mk.lat)
            if -0.5 <= x <= W + 0.5 and -0.5 <= y <= H + 0.5:
                placed.append((mk, round(x, 1), round(y, 1)))
                break

    # marker labels: greedy, no overlaps, inside the view, each text once per spot
    dots: list[tuple[float, float, float, float]] = []
    for mk, x, y in placed:
        r = _MARKER_R_CURRENT if mk.emphasis else _MARKER_R
        dots.append((x - r, y - r, x + r, y + r))
    occupied: list[tuple[float, float, float, float]] = []  # labels drawn
    label_out: list[tuple[str, float, float, str, bool]] = []
    seen_text: list[tuple[str, float, float]] = []
    wanted = {id(mk) for mk in label_markers}
    for mk, x, y in sorted(placed, key=lambda t: not t[0].emphasis):  # stable: current first
        if id(mk) not in wanted:
            continue
        text = (mk.place or mk.label).strip()
        if not text:
            continue
        # one label per spot: markers at the same place (sub-events in one
        # town) share it; the same text close by is not repeated either
        if any(
            (abs(x - sx) < 1 and abs(y - sy) < 1) or (t == text and abs(x - sx) < 20 and abs(y - sy) < 20)
            for t, sx, sy in seen_text
        ):
            continue
        r = _MARKER_R_CURRENT if mk.emphasis else _MARKER_R
        gap = r + 3
        base = y + _LABEL_PX * 0.35
        candidates = (
            (x + gap, base, "start"),
            (x - gap, base, "end"),
            (x, y - gap - 1, "middle"),
            (x, y + gap + _LABEL_PX * 0.8, "middle"),
        )
        # a label must fit in the view, overlap no other label and keep clear
        # of other markers (so it reads as its own marker's). The current
        # event is labelled whenever it fits at all: failing that rule, it
        # takes the place touching the fewest markers (labels let clicks
        # through, so markers under them stay reachable).
        others = [d for d in dots if abs((d[0] + d[2]) / 2 - x) > 1 or abs((d[1] + d[3]) / 2 - y) > 1]
        choice = None
        fallback = None
        for lx, ly, anchor in candidates:
            box = _text_box(lx, ly, text, _LABEL_PX, anchor)
            if box[0] < 1 or box[1] < 1 or box[2] > W - 1 or box[3] > H - 1:
                continue
            if any(_overlaps(box, o) for o in occupied):
                continue
            if not any(_overlaps(box, d, _LABEL_MARKER_GAP) for d in others):
                choice = (lx, ly, anchor, box)
                break
            touching = sum(1 for d in others if _overlaps(box, d, 1.0))
            if mk.emphasis and (fallback is None or touching < fallback[0]):
                fallback = (touching, (lx, ly, anchor, box))
        if choice is None and fallback is not None:
            choice = fallback[1]
        if choice is not None:
            lx, ly, anchor, box = choice
            occupied.append(box)
            label_out.append((text, lx, ly, anchor, mk.emphasis))
            seen_text.append((text, x, y))

    # country names: label point in view, not crowding anything else
    country_out: list[tuple[str, float, float]] = []
    if country_labels:
        for c in boundaries.countries:
            if not lat_low <= c.label[1] <= lat_high:
                continue
            lx, ly = view.project(*c.label)
            if not (0 <= lx <= W and 0 <= ly <= H):
                continue
            name = c.name
            box = _text_box(lx, ly, name, _COUNTRY_LABEL_PX, "middle")
            if box[0] < 2 or box[2] > W - 2 or box[1] < 2 or box[3] > H - 2:
                continue
            # the country must be wide enough on screen to hold its name
            big = max(
                (bb for bb in c.bboxes),
                key=lambda bb: (bb[2] - bb[0]) * (bb[3] - bb[1]),
            )
            if (big[2] - big[0]) * view.k * view.s < (box[2] - box[0]) * 1.2:
                continue
            if any(_overlaps(box, o, 3) for o in occupied) or any(_overlaps(box, d, 3) for d in dots):
                continue
            occupied.append(box)
            country_out.append((name, lx, ly))

    has_links = any(mk.href for mk, _, _ in placed)
    tid = f"{prefix}-title"
    did = f"{prefix}-desc"

    parts: list[str] = []
    if has_links:
        parts.append(
            f'<svg xmlns="http://www.w3.org/2000/svg" class="map map-{kind}" viewBox="0 0 {W} {H}"'
            f' width="{W}" height="{H}" role="group" aria-labelledby="{tid}">'
        )
        parts.append(f'<title id="{tid}">{_text(title)}</title>')
    else:
        parts.append(
            f'<svg xmlns="http://www.w3.org/2000/svg" class="map map-{kind}" viewBox="0 0 {W} {H}"'
            f' width="{W}" height="{H}" role="img" aria-labelledby="{tid}" aria-describedby="{did}">'
        )
        parts.append(f'<title id="{tid}">{_text(title)}</title>')
        names = [mk.label for mk, _, _ in placed]
        desc = ("Marked: " + "; ".join(names) + ".") if names else "No places marked."
        parts.append(f'<desc id="{did}">{_text(desc)}</desc>')

    parts.append('<g aria-hidden="true">')
    parts.append(f'<rect class="map-sea" width="{W}" height="{H}"/>')
    if land_d:
        parts.append(f'<path class="map-land" d="{land_d}"/>')
    if coast_d:
        parts.append(f'<path class="map-coast" fill="none" d="{coast_d}"/>')
    if border_d:
        parts.append(f'<path class="map-border" fill="none" d="{border_d}"/>')
    if country_out:
        parts.append(f'<g font-size="{_COUNTRY_LABEL_PX}" text-anchor="middle">')
        for name, lx, ly in country_out:
            parts.append(f'<text class="map-country-label" x="{_fmt(lx)}" y="{_fmt(ly)}">{_text(name)}</text>')
        parts.append("</g>")
    parts.append("</g>")

    # markers: input order, the current one last so it is drawn on top
    ordered = [t for t in placed if not t[0].emphasis] + [t for t in placed if t[0].emphasis]
    parts.append('<g class="map-markers">')
    for mk, x, y in ordered:
        cls = "map-marker is-current" if mk.emphasis else "map-marker"
        r = _MARKER_R_CURRENT if mk.emphasis else _MARKER_R
        circle = f'<circle class="{cls}" cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(r)}"'
        if mk.href:
            parts.append(
                f'<a class="map-marker-link" href="{_attr(mk.href)}"><title>{_text(mk.label)}</title>{circle}/></a>'
            )
        elif has_links:
            parts.append(f'{circle} role="img" aria-label="{_attr(mk.label)}"><title>{_text(mk.label)}</title></circle>')
        else:
            parts.append(f"{circle}><title>{_text(mk.label)}</title></circle>")
    parts.append("</g>")

    if label_out:
        parts.append(f'<g class="map-labels" aria-hidden="true" font-size="{_LABEL_PX}" pointer-events="none">')
        for text, lx, ly, anchor, current in label_out:
            cls = "map-label is-current" if current else "map-label"
            anchor_attr = "" if anchor == "start" else f' text-anchor="{anchor}"'
            parts.append(f'<text class="{cls}" x="{_fmt(lx)}" y="{_fmt(ly)}"{anchor_attr}>{_text(text)}</text>')
        parts.append("</g>")

    parts.append("</svg>")
    return "".join(parts)


# --------------------------------------------------------------------------
# public


def _lon_span(lons: Sequence[float]) -> tuple[float, float]:
    """Smallest longitude interval holding all ``lons``, possibly crossing
    the antimeridian (then the upper end runs past 180)."""
    xs = sorted(((x + 180.0) % 360.0) - 180.0 for x in lons)
    lo, hi = xs[0], xs[-1]
    # the widest gap between neighbours; if it is not the one across
    # +-180, the markers are tighter seen from the other side
    best_gap, best_i = (xs[0] + 360.0) - xs[-1], -1
    for i in range(len(xs) - 1):
        gap = xs[i + 1] - xs[i]
        if gap > best_gap + 1e-9:
            best_gap, best_i = gap, i
    if best_i >= 0:
        lo, hi = xs[best_i + 1], xs[best_i] + 360.0
    return lo, hi


def overview_map(
    markers: Sequence[Marker],
    boundaries: Boundaries | Path,
    *,
    title: str,
    width: int = 960,
    height: int = 600,
    padding_deg: float = 2.0,
    extent: tuple[float, float, float, float] | None = None,
    id_prefix: str | None = None,
    labels: bool | None = None,
    country_labels: bool = True,
) -> str:
    """All ``markers`` on one map; returns an ``<svg>`` element string.

    The view is the markers' bounding box plus ``padding_deg`` (or
    ``extent`` = (min_lon, min_lat, max_lon, max_lat) when given; markers
    outside a forced extent are left out), widened to width:height.
    ``labels``: None draws visible labels when the markers carry short
    ``place`` names or there are at most 12 markers; True/False force it.
    Labels are placed greedily and skipped where they would overlap.
    """
    b = _as_boundaries(boundaries)
    pts = [mk for mk in markers if math.isfinite(mk.lat) and math.isfinite(mk.lon)]
    if extent is not None:
        lon0, lat0, lon1, lat1 = extent
    elif pts:
        lon0, lon1 = _lon_span([mk.lon for mk in pts])
        lon0, lon1 = lon0 - padding_deg, lon1 + padding_deg
        lat0 = max(-89.0, min(mk.lat for mk in pts) - padding_deg)
        lat1 = min(89.0, max(mk.lat for mk in pts) + padding_deg)
    else:
        lon0, lat0, lon1, lat1 = -180.0, -60.0, 180.0, 84.0
    view = _make_view(lon0, lat0, lon1, lat1, width, height)
    if labels is None:
        labels = all(mk.place for mk in pts) or len(pts) <= _AUTO_LABEL_MAX
    return _draw(
        kind="overview",
        markers=pts,
        boundaries=b,
        view=view,
        title=title,
        id_prefix=id_prefix,
        label_markers=pts if labels else (),
        country_labels=country_labels,
    )


def locator_view(marker: Marker, width: int = 320, height: int = 220, span_deg: float = 8.0) -> _View:
    """The view of locator_map(marker, ...) with the same size arguments."""
    lat = max(-85.0, min(85.0, marker.lat))
    k = math.cos(math.radians(lat))
    if width >= height:
        half_lat = span_deg / 2
        half_lon = span_deg * width / height / 2 / k
    else:
        half_lon = span_deg / 2 / k
        half_lat = span_deg * height / width / 2
    return _make_view(marker.lon - half_lon, lat - half_lat, marker.lon + half_lon, lat + half_lat, width, height)


def missing_backgrounds(markers: Sequence[Marker], boundaries: Boundaries, **size) -> list[_View]:
    """The locator views of `markers` whose background is not drawn yet, each once, in order:
    draw them with draw_background (on several cores if you like) and add them with
    keep_backgrounds before drawing the maps."""
    views = dict.fromkeys(locator_view(m, **size) for m in markers
                          if math.isfinite(m.lat) and math.isfinite(m.lon))
    return [v for v in views if v not in boundaries.drawn]


def draw_background(boundaries: Boundaries, view: _View) -> tuple[str, str, str]:
    return _draw_background(boundaries, view)


def keep_backgrounds(boundaries: Boundaries, drawn: dict) -> None:
    for view, paths in drawn.items():
        if view not in boundaries.drawn and len(boundaries.drawn) >= _BACKGROUNDS_KEPT:
            del boundaries.drawn[next(iter(boundaries.drawn))]
        boundaries.drawn[view] = paths


def locator_map(
    marker: Marker,
    boundaries: Boundaries | Path,
    *,
    title: str,
    others: Sequence[Marker] = (),
    width: int = 320,
    height: int = 220,
    span_deg: float = 8.0,
    id_prefix: str | None = None,
    country_labels: bool = True,
) -> str:
    """A small map centred on ``marker`` (drawn emphasised, and labelled).

    The shorter side of the map covers ``span_deg`` degrees of latitude (the
    longer side the same ground distance). ``others`` inside that view are
    drawn as plain markers, without labels; those outside are left out.
    """
    b = _as_boundaries(boundaries)
    if not (math.isfinite(marker.lat) and math.isfinite(marker.lon)):
        raise ValueError("locator_map needs a marker with finite coordinates")
    if span_deg <= 0:
        raise ValueError("span_deg must be positive")
    view = locator_view(marker, width, height, span_deg)
    current = marker if marker.emphasis else Marker(
        marker.lat, marker.lon, marker.label, marker.href, True, marker.place
    )
    same = (marker.lat, marker.lon, marker.label, marker.href)
    rest = [
        Marker(o.lat, o.lon, o.label, o.href, False, o.place) if o.emphasis else o
        for o in others
        if (o.lat, o.lon, o.label, o.href) != same
    ]
    return _draw(
        kind="locator",
        markers=[*rest, current],
        boundaries=b,
        view=view,
        title=title,
        id_prefix=id_prefix,
        label_markers=(current,),
        country_labels=country_labels,
    )
