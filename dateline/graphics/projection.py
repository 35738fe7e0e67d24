"""Web Mercator, as map tiles use it: a point's "world" position at zoom 0 is in a square of
256 units (x east from the antimeridian, y south from about 85°N); zoom z multiplies it by 2**z.
A View is what a map shows: a zoom (fractional ones too) and the world position of its top left
corner, for a width and height in SVG units."""

from __future__ import annotations

import math
from dataclasses import dataclass

WORLD = 256.0
MAX_LAT = 85.0511287798


def world(lat: float, lon: float) -> tuple[float, float]:
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    s = math.sin(math.radians(lat))
    return ((lon + 180.0) / 360.0 * WORLD, (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * WORLD)


def lon_of(x: float) -> float:
    return x / WORLD * 360.0 - 180.0


def lat_of(y: float) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / WORLD))))


@dataclass(frozen=True)
class View:
    zoom: float
    left: float       # world x of the left edge (may run past 256 across the antimeridian)
    top: float
    width: int
    height: int

    @property
    def scale(self) -> float:
        return 2.0 ** self.zoom

    @property
    def right(self) -> float:
        return self.left + self.width / self.scale

    @property
    def bottom(self) -> float:
        return self.top + self.height / self.scale

    def xy(self, wx: float, wy: float) -> tuple[float, float]:
        """A world position on the map: of the world's copies east and west, the one nearest
        the middle of the view."""
        middle = (self.left + self.right) / 2
        wx += WORLD * round((middle - wx) / WORLD)
        s = self.scale
        return (wx - self.left) * s, (wy - self.top) * s

    def shows(self, x: float, y: float, inset: float = 0.0) -> bool:
        return inset <= x <= self.width - inset and inset <= y <= self.height - inset


def centred(wx: float, wy: float, zoom: float, width: int, height: int) -> View:
    s = 2.0 ** zoom
    return View(zoom, wx - width / 2 / s, wy - height / 2 / s, width, height)


def fitted(x0: float, y0: float, x1: float, y1: float, width: int, height: int, pad: float = 0.0,
           max_zoom: float = 10.0) -> View:
    """The view showing the world box (x0, y0)-(x1, y1) as large as it fits, `pad` units inside
    each edge, at most at `max_zoom`; the view stays between the poles where the world is taller
    than it."""
    w, h = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
    zoom = min(max_zoom, math.log2(min((width - 2 * pad) / w, (height - 2 * pad) / h)))
    zoom = round(zoom, 3)
    s = 2.0 ** zoom
    top = (y0 + y1) / 2 - height / 2 / s
    span = height / s
    top = (WORLD - span) / 2 if span >= WORLD else max(0.0, min(WORLD - span, top))
    return View(zoom, round((x0 + x1) / 2 - width / 2 / s, 6), round(top, 6), width, height)


def x_span(xs: list[float]) -> tuple[float, float]:
    """The shortest stretch of world x holding all `xs`, maybe across the antimeridian (its
    east end then runs past 256)."""
    xs = sorted(x % WORLD for x in xs)
    lo, hi = xs[0], xs[-1]
    best_gap, best_i = xs[0] + WORLD - xs[-1], -1
    for i in range(len(xs) - 1):
        if xs[i + 1] - xs[i] > best_gap + 1e-9:
            best_gap, best_i = xs[i + 1] - xs[i], i
    if best_i >= 0:
        lo, hi = xs[best_i + 1], xs[best_i] + WORLD
    return lo, hi


def simplify(pts: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Douglas-Peucker."""
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


__all__ = ["View", "world", "lon_of", "lat_of", "centred", "fitted", "x_span", "simplify", "WORLD"]
