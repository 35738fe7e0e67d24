"""The land, coasts and borders of maps, drawn once per tile of a Web Mercator tile pyramid
(XYZ: at zoom z, 2**z by 2**z tiles of 256 units) and published as a file each,
``maps/tiles/<z>/<x>/<y>.svg``. A map on a page places the tiles it shows as ``<image>``s, so
the browser fetches each tile once for every page it appears on, and a build draws each once
however many maps show it.

A tile is an image to the page that shows it: it cannot see the page's CSS, so it carries its
own ``<style>`` (the theme's land, sea and border colours, light and dark) and nothing that
loads anything. Each tile draws ``MARGIN`` units past its edges and its neighbours overlap
it there with the same lines, so no seam shows where they meet. Natural Earth's 1:50m data has
nothing more to show past ``MAX_ZOOM``: a map displayed deeper scales up the tiles of that zoom.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from .clip import clip_line, clip_ring
from .projection import WORLD, View, lat_of, lon_of, simplify, world
from .svg import path_data, num
from .topology import Boundaries

MAX_ZOOM = 7
MARGIN = 2            # tile units drawn past each edge
SIMPLIFY = 0.3        # Douglas-Peucker tolerance, in tile units
FOLDER = "maps/tiles"

# the default theme's colours (templates/static/dateline.css), for a theme without them
DEFAULT_PALETTE = ({"land": "#ece8df", "sea": "#dfe9f0", "border": "#9d968a"},
                   {"land": "#2a2926", "sea": "#172029", "border": "#77736b"})


@dataclass(frozen=True, order=True)
class Tile:
    z: int
    x: int
    y: int

    @property
    def path(self) -> str:
        return f"{FOLDER}/{self.z}/{self.x}/{self.y}.svg"

    @property
    def url(self) -> str:
        return "/" + self.path


@dataclass(frozen=True)
class Placed:
    """A tile where a map shows it: the top left corner and side of its drawing, margin
    included, in the map's units."""
    tile: Tile
    x: float
    y: float
    size: float


def tile_zoom(zoom: float) -> int:
    return max(0, min(MAX_ZOOM, math.floor(zoom + 1e-9)))


def covering(view: View) -> list[Placed]:
    """The tiles a view shows, placed."""
    z = tile_zoom(view.zoom)
    n = 1 << z
    side = WORLD / n                  # a tile in world units
    s = view.scale
    placed = []
    for ty in range(max(0, math.floor(view.top / side)), min(n - 1, math.floor((view.bottom - 1e-9) / side)) + 1):
        for tx in range(math.floor(view.left / side), math.floor((view.right - 1e-9) / side) + 1):
            unit = side * s / 256     # one tile unit in map units
            placed.append(Placed(Tile(z, tx % n, ty), round((tx * side - view.left) * s - MARGIN * unit, 2),
                                 round((ty * side - view.top) * s - MARGIN * unit, 2),
                                 round((256 + 2 * MARGIN) * unit, 2)))
    return placed


def touched(view: View) -> list[Tile]:
    return [p.tile for p in covering(view)]


# -- drawing ----------------------------------------------------------------------------------

def _project(points, z: int, shift: float = 0.0) -> list[tuple[int, int]]:
    """(lon, lat) points at zoom z in integer tenths of a unit, simplified, without repeats."""
    k = (1 << z) * 10
    pts = []
    for lon, lat in points:
        x, y = world(lat, lon + shift)
        pts.append((x * k, y * k))
    out: list[tuple[int, int]] = []
    for x, y in simplify(pts, SIMPLIFY * 10):
        p = (round(x), round(y))
        if not out or out[-1] != p:
            out.append(p)
    return out


def _arc(b: Boundaries, z: int, i: int) -> list[tuple[int, int]]:
    cache = b.projected.setdefault(z, {})
    got = cache.get(i)
    if got is None:
        got = cache[i] = _project(b.arcs[i], z)
    return got


def _ring(b: Boundaries, z: int, c: int, p: int, r: int) -> tuple[list[tuple[int, int]], tuple[int, int, int, int]]:
    """A ring of a polygon at zoom z (unshifted), with its box: made of the arcs simplified
    once for every ring and line that shares them, so land and lines meet exactly."""
    cache = b.projected.setdefault(z, {})
    key = (c, p, r)
    got = cache.get(key)
    if got is None:
        country = b.countries[c]
        unwrapped = country.unwrapped[p][r] if country.unwrapped else None
        if unwrapped is not None:
            ring = _project(unwrapped, z)
        else:
            ring = []
            for ref in country.polygons[p][r]:
                for pt in (_arc(b, z, ref) if ref >= 0 else _arc(b, z, ~ref)[::-1]):
                    if not ring or ring[-1] != pt:
                        ring.append(pt)
        if len(ring) > 1 and ring[0] == ring[-1]:
            ring.pop()
        xs, ys = [q[0] for q in ring] or [0], [q[1] for q in ring] or [0]
        got = cache[key] = (ring, (min(xs), min(ys), max(xs), max(ys)))
    return got


def _lines(b: Boundaries, z: int, i: int) -> list[list[tuple[int, int]]]:
    pieces = b.arc_pieces[i]
    if len(pieces) == 1 and len(pieces[0]) == len(b.arcs[i]):
        return [_arc(b, z, i)]
    cache = b.projected.setdefault(z, {})
    key = ("pieces", i)
    if key not in cache:   # jumps across the antimeridian: drawn apart
        cache[key] = [_project(pc, z) for pc in pieces]
    return cache[key]


def paths(b: Boundaries, tile: Tile) -> tuple[str, str, str]:
    """The path data of land, coasts and borders of a tile, in tile units: drawn ahead up to
    SHIPPED_ZOOM (see shipped), drawn here past it."""
    if tile.z <= SHIPPED_ZOOM:
        ahead = shipped(b)
        if ahead is not None:
            return tuple(ahead.get(f"{tile.z}/{tile.x}/{tile.y}", ("", "", "")))
    return drawn(b, tile)


def drawn(b: Boundaries, tile: Tile) -> tuple[str, str, str]:
    """paths(), drawn from the boundaries."""
    z = tile.z
    ox, oy = tile.x * 2560, tile.y * 2560          # the tile's corner in tenths at zoom z
    m = (MARGIN + 1) * 10
    x0, y0, x1, y1 = -m, -m, 2560 + m, 2560 + m
    margin = (MARGIN + 1) / 256 * WORLD / (1 << z)   # world units
    side = WORLD / (1 << z)
    lon0, lon1 = lon_of(tile.x * side - margin), lon_of((tile.x + 1) * side + margin)
    lat1, lat0 = lat_of(max(0.0, tile.y * side - margin)), lat_of(min(WORLD, (tile.y + 1) * side + margin))
    arcs, polys = b.near(lon0, lat0 - 0.01, lon1, lat1 + 0.01)
    whole = (1 << z) * 2560                       # the world's width in tenths at zoom z

    land = []
    for c, p, shift in polys:
        bb = b.countries[c].bboxes[p]
        if bb[2] + shift < lon0 or bb[0] + shift > lon1 or bb[3] < lat0 - 0.01 or bb[1] > lat1 + 0.01:
            continue
        dx = ox - round(shift / 360 * whole)
        for r in range(len(b.countries[c].polygons[p])):
            ring, (rx0, ry0, rx1, ry1) = _ring(b, z, c, p, r)
            if len(ring) < 3 or rx1 - dx < x0 or rx0 - dx > x1 or ry1 - oy < y0 or ry0 - oy > y1:
                continue
            clipped = clip_ring([(x - dx, y - oy) for x, y in ring], x0, y0, x1, y1)
            if len(clipped) >= 3:
                land.append(clipped)
    coast, border = [], []
    for i in arcs:
        bb = b.arc_bboxes[i]
        if bb[2] < lon0 or bb[0] > lon1 or bb[3] < lat0 - 0.01 or bb[1] > lat1 + 0.01:
            continue
        for line in _lines(b, z, i):
            runs = clip_line([(x - ox, y - oy) for x, y in line], x0, y0, x1, y1)
            (border if b.arc_is_border[i] else coast).extend(runs)
    return (path_data(land, True) if land else "", path_data(coast, False) if coast else "",
            path_data(border, False) if border else "")


# -- drawn ahead -----------------------------------------------------------------------------
# The tiles of the first zooms show the whole world: drawing one projects and simplifies every
# coast and border of the world, about a second of a small build's time, though they depend on
# nothing but the boundaries and this file. They are drawn once, ahead, into a file beside the
# boundaries (`python -m dateline.graphics.tiles`; tests/test_maps.py holds it to what `drawn`
# gives), and read from it by every build.

SHIPPED_ZOOM = 4
SHIPPED = "tiles-0-4.json.gz"


def _stamp(b: Boundaries) -> str:
    """What the tiles drawn ahead were drawn from: the boundaries file and the drawing settings."""
    data = Path(b.file).read_bytes() if b.file else b""
    return hashlib.sha256(data + repr((MARGIN, SIMPLIFY, SHIPPED_ZOOM)).encode()).hexdigest()


def shipped(b: Boundaries) -> dict | None:
    """"z/x/y" -> the paths of every tile up to SHIPPED_ZOOM with anything on it, or None when
    there is no such file beside the boundaries, or it was drawn from other ones."""
    if "shipped" not in b.projected:
        found = None
        ahead = Path(b.file).with_name(SHIPPED) if b.file else None
        if ahead is not None and ahead.is_file():
            data = json.loads(gzip.decompress(ahead.read_bytes()))
            found = data["tiles"] if data.get("stamp") == _stamp(b) else None
        b.projected["shipped"] = found
    return b.projected["shipped"]


def draw_ahead(b: Boundaries) -> bytes:
    """The file `shipped` reads."""
    tiles = {}
    for z in range(SHIPPED_ZOOM + 1):
        for x in range(1 << z):
            for y in range(1 << z):
                found = drawn(b, Tile(z, x, y))
                if any(found):
                    tiles[f"{z}/{x}/{y}"] = found
    text = json.dumps({"stamp": _stamp(b), "tiles": tiles}, sort_keys=True, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), 9, mtime=0)


def style(palette=DEFAULT_PALETTE) -> str:
    light, dark = palette
    lines = ".c,.b{fill:none;stroke-width:.8px;vector-effect:non-scaling-stroke;stroke-linejoin:round;stroke-linecap:round}"
    return (f".s{{fill:{light['sea']}}}.l{{fill:{light['land']}}}{lines}.c,.b{{stroke:{light['border']}}}"
            f"@media (prefers-color-scheme:dark){{.s{{fill:{dark['sea']}}}.l{{fill:{dark['land']}}}"
            f".c,.b{{stroke:{dark['border']}}}}}")


def draw(b: Boundaries, tile: Tile, palette=DEFAULT_PALETTE) -> bytes:
    """A tile as a standalone SVG file."""
    land, coast, border = paths(b, tile)
    lo, side = num(-MARGIN * 10), num((256 + 2 * MARGIN) * 10)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{lo} {lo} {side} {side}" width="{side}" '
             f'height="{side}"><style>{style(palette)}</style>',
             f'<rect class="s" x="{lo}" y="{lo}" width="{side}" height="{side}"/>']
    if land:
        parts.append(f'<path class="l" d="{land}"/>')
    if coast:
        parts.append(f'<path class="c" d="{coast}"/>')
    if border:
        parts.append(f'<path class="b" d="{border}"/>')
    parts.append("</svg>\n")
    return "".join(parts).encode("utf-8")


_COLOUR = re.compile(r"--(land|sea|border):\s*(#[0-9a-fA-F]{3,8}|[a-z]+)\s*;")


def palette_of(css: str) -> tuple[dict, dict]:
    """The land, sea and border colours a stylesheet gives its maps, light (the first it sets)
    and dark (those it sets under prefers-color-scheme: dark); the default theme's where it
    sets none. Only plain colours are taken: a tile has no page to resolve anything else."""
    found: tuple[dict, dict] = ({}, {})
    cut = css.find("prefers-color-scheme: dark")
    for m in _COLOUR.finditer(css):
        found[0 <= cut < m.start()].setdefault(m.group(1), m.group(2))
    return {**DEFAULT_PALETTE[0], **found[0]}, {**DEFAULT_PALETTE[1], **found[1]}

if __name__ == "__main__":       # python -m dateline.graphics.tiles: draw the first zooms ahead
    from .topology import default_boundaries_path, load_boundaries
    boundaries = load_boundaries(default_boundaries_path())
    target = Path(boundaries.file).with_name(SHIPPED)
    target.write_bytes(draw_ahead(boundaries))
    print(f"wrote {target} ({target.stat().st_size:,} bytes)")


__all__ = ["Tile", "Placed", "MAX_ZOOM", "covering", "touched", "tile_zoom", "draw", "paths", "drawn", "shipped", "draw_ahead", "palette_of", "style"]
