"""Which spots a map draws as markers and which it gathers into counts, so that no map grows
with the number of events it covers.

Spots are grouped in the cells of one global grid: the tiles of the Web Mercator pyramid
(clusters.Cell, at zoom `z`, x and y as tile numbers). The map page (/map/) shows every spot:
when there are more than LEAF, those of each cell of a level (a zoom in PAGE_LEVELS, chosen so
a cell is a fair size on the map) are drawn as one count that links to that cell's zoom page
(/map/<z>/<x>/<y>/), unless the cell holds FEW spots or fewer, which are drawn as markers. A
zoom page shows its cell in the same way, with the cells two zooms deeper, down to pages of at
most LEAF spots, drawn all. The levels are fixed, so a cell's address stays as long as it
holds enough spots to have a page.

A locator map (on an event page) shows its event, the NEAREST spots nearest to it, and gathers
the other spots in its view by cells of LOCATOR_LEVEL into counts that link to the smallest
zoom page holding them.

Everything here is made of the spots' positions and weights (events per spot) and nothing
else: the routes (routes.plan) need the same pages and tiles as the renderer draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from .projection import WORLD, View, centred, fitted, lat_of, world, x_span
from .tiles import Tile, touched

PAGE_LEVELS = tuple(range(2, 19, 2))
LEAF = 64                 # a map page with at most this many spots draws them all
FEW = 3                   # a cell with at most this many spots shows them, not a count
NEAREST = 12              # spots a locator map draws besides its own
LOCATOR_ZOOM = 5
LOCATOR_SIZE = (320, 220)
LOCATOR_LEVEL = 6         # cells a locator map gathers into counts: 128 units at LOCATOR_ZOOM
MAP_SIZE = (960, 600)
MAP_PAD = 40              # units between the outermost spots and the edge of the map page
MAX_CELL = 480            # the map page's cells are at most this wide on the map
_NEAR_LEVELS = (15, 13, 11, 9, LOCATOR_LEVEL)


@dataclass(frozen=True, order=True)
class Cell:
    z: int
    x: int
    y: int

    @property
    def url(self) -> str:
        return f"/map/{self.z}/{self.x}/{self.y}/"

    @property
    def path(self) -> str:
        return f"map/{self.z}/{self.x}/{self.y}/index.html"

    def up(self, z: int) -> "Cell":
        return Cell(z, self.x >> (self.z - z), self.y >> (self.z - z))

    @property
    def km_across(self) -> int:
        """How wide the cell is on the ground, at its middle, in round kilometres."""
        n = 1 << self.z
        lat = lat_of((self.y + 0.5) * WORLD / n)
        km = 40_075 * math.cos(math.radians(lat)) / n
        digits = max(0, len(str(int(km))) - 1)
        return max(1, round(km, -digits))


def cell_of(wx: float, wy: float, z: int) -> Cell:
    n = 1 << z
    return Cell(z, int(wx / WORLD * n) % n, min(n - 1, max(0, int(wy / WORLD * n))))


@dataclass(frozen=True)
class Cluster:
    """Spots drawn as one count: at the mean of their positions (world units), linking to
    `page`'s zoom page (None: the map page)."""
    x: float
    y: float
    spots: int
    events: int
    top: int                  # the spot with the most events (the first of them): names it
    page: Cell | None


@dataclass(frozen=True)
class Layout:
    """What one map draws: its view, the spots drawn as markers (in the spots' order), the
    counts; on a zoom page its cell, on a locator map its own spot."""
    view: View
    markers: tuple[int, ...]
    clusters: tuple[Cluster, ...]
    cell: Cell | None = None
    here: int | None = None


class Atlas:
    """The maps of a site with these spots: `points` (lat, lon), one per spot in the site's
    order, and `weights`, the number of events at each."""

    def __init__(self, points: list[tuple[float, float]], weights: list[int] | None = None):
        self.points = list(points)
        self.weights = list(weights) if weights is not None else [1] * len(self.points)
        self.xy = [world(lat, lon) for lat, lon in self.points]
        self.layouts: dict[Cell | None, Layout] = {}
        self.members: dict[Cell, tuple[int, ...]] = {}    # a zoom page's spots
        self._grids: dict[int, dict[tuple[int, int], list[int]]] = {}
        self._cell_sums: dict | None = None
        self._cell_pages: dict[tuple[int, int], Cell | None] = {}
        self._names: dict[Cell, int] = {}
        self._locators: dict[int, Layout] = {}
        self._pages()

    # -- the map page and zoom pages ---------------------------------------------------------
    def _pages(self) -> None:
        ids = list(range(len(self.xy)))
        width, height = MAP_SIZE
        if ids:
            x0, x1 = x_span([self.xy[i][0] for i in ids])
            ys = [self.xy[i][1] for i in ids]
            view = fitted(x0, min(ys), x1, max(ys), width, height, MAP_PAD)
        else:
            view = fitted(0.0, 0.0, WORLD, WORLD, width, height)
        level = next((z for z in PAGE_LEVELS if 256 * 2 ** (view.zoom - z) <= MAX_CELL), PAGE_LEVELS[-1])
        todo = [(None, ids, view, level)]
        while todo:
            cell, members, view, level = todo.pop()
            layout, children = self._layout(cell, members, view, level)
            self.layouts[cell] = layout
            for child, spots in children:
                self.members[child] = spots
                todo.append((child, spots, self._cell_view(child), child.z + 2))

    @staticmethod
    def _cell_view(cell: Cell) -> View:
        side = WORLD / (1 << cell.z)
        return fitted(cell.x * side, cell.y * side, (cell.x + 1) * side, (cell.y + 1) * side, *MAP_SIZE,
                      max_zoom=99)

    def _layout(self, cell, members, view, level):
        if len(members) <= LEAF or level > PAGE_LEVELS[-1]:
            return Layout(view, tuple(members), (), cell), []
        groups: dict[Cell, list[int]] = {}
        for i in members:
            groups.setdefault(cell_of(*self.xy[i], level), []).append(i)
        markers, clusters, children = [], [], []
        for child in sorted(groups):
            spots = groups[child]
            if len(spots) <= FEW:
                markers += spots
            else:
                clusters.append(self._cluster(spots, child))
                children.append((child, tuple(spots)))
        return Layout(view, tuple(sorted(markers)), tuple(clusters), cell), children

    def _cluster(self, spots, page: Cell | None) -> Cluster:
        xs = [self.xy[i][0] for i in spots]
        # the mean of positions across the antimeridian: taken on the side of the first
        first = xs[0]
        x = sum(v + WORLD * round((first - v) / WORLD) for v in xs) / len(xs)
        y = sum(self.xy[i][1] for i in spots) / len(spots)
        top = max(spots, key=lambda i: (self.weights[i], -i))
        return Cluster(round(x % WORLD, 6), round(y, 6), len(spots), sum(self.weights[i] for i in spots), top, page)

    def page_of(self, cell: Cell | None) -> Layout:
        return self.layouts[cell]

    def trail(self, cell: Cell) -> list[Cell]:
        """The zoom pages above a cell's, shallowest first."""
        return [cell.up(z) for z in PAGE_LEVELS if z < cell.z and cell.up(z) in self.members]

    def name(self, cell: Cell) -> int:
        """The spot that names a zoom page: the one with the most events (asked for by every
        page under it, for its trail)."""
        found = self._names.get(cell)
        if found is None:
            found = self._names[cell] = max(self.members[cell], key=lambda i: (self.weights[i], -i))
        return found

    def smallest_page(self, cell: Cell) -> Cell | None:
        """The deepest zoom page whose cell holds `cell` (None: the map page)."""
        for z in reversed(PAGE_LEVELS):
            if z <= cell.z and cell.up(z) in self.members:
                return cell.up(z)
        return None

    # -- locator maps ------------------------------------------------------------------------
    def _grid(self, level: int) -> dict[tuple[int, int], list[int]]:
        grid = self._grids.get(level)
        if grid is None:
            grid = self._grids[level] = {}
            n = 1 << level
            for i, (x, y) in enumerate(self.xy):
                grid.setdefault((int(x / WORLD * n) % n, min(n - 1, int(y / WORLD * n))), []).append(i)
        return grid

    def locator_view(self, i: int) -> View:
        return centred(*self.xy[i], LOCATOR_ZOOM, *LOCATOR_SIZE)

    def locator(self, i: int) -> Layout:
        """Spot i's locator map, worked out once for every state of the site with these spots
        (serve: an edit that moves no event keeps them, and every event page's key asks)."""
        found = self._locators.get(i)
        if found is None:
            found = self._locators[i] = self._locator(i)
        return found

    def _locator(self, i: int) -> Layout:
        """Spot i's locator map: the spots nearest it, by the finest cells whose block of 3 by 3
        around it holds more than NEAREST of them (a fair guess at the nearest, found in a
        few lookups), and the others in view gathered by cells."""
        view = self.locator_view(i)
        wx, wy = self.xy[i]
        for level in _NEAR_LEVELS:
            n = 1 << level
            cx, cy = int(wx / WORLD * n) % n, int(wy / WORLD * n)
            grid = self._grid(level)
            near = [j for dx in (-1, 0, 1) for dy in (-1, 0, 1) for j in grid.get(((cx + dx) % n, cy + dy), ())]
            if len(near) > NEAREST:
                break
        else:   # few spots around: all those in view are candidates
            n = 1 << LOCATOR_LEVEL
            side = WORLD / n
            near = [j for cy in range(max(0, int(view.top / side)), min(n - 1, int(view.bottom / side)) + 1)
                    for cx in range(math.floor(view.left / side), math.floor(view.right / side) + 1)
                    for j in grid.get((cx % n, cy), ())]
        scale = view.scale
        half_w, half_h = view.width / 2 / scale, view.height / 2 / scale
        ranked = []
        for j in near:
            if j == i:
                continue
            x, y = self.xy[j]
            dx, dy = (x - wx + WORLD / 2) % WORLD - WORLD / 2, y - wy
            if -half_w <= dx <= half_w and -half_h <= dy <= half_h:
                ranked.append((dx * dx + dy * dy, j))
        ranked.sort()
        shown = sorted(j for _, j in ranked[:NEAREST])
        excluded = {i, *shown}
        left_out: dict[tuple[int, int], list[int]] = {}
        for j in excluded:
            left_out.setdefault(self._key(j), []).append(j)
        clusters, singles = [], []
        sums = self._sums()
        n = 1 << LOCATOR_LEVEL
        side = WORLD / n
        for cy in range(max(0, int(view.top / side)), min(n - 1, int(view.bottom / side)) + 1):
            for cx in range(math.floor(view.left / side), math.floor(view.right / side) + 1):
                found = sums.get((cx % n, cy))
                if found is None:
                    continue
                spots, events, sx, sy, order = found
                out = left_out.get((cx % n, cy), ())
                count = len(spots) - len(out)
                if count == 1:
                    j = next(j for j in spots if j not in excluded)
                    x, y = view.xy(*self.xy[j])
                    if view.shows(x, y):
                        singles.append(j)
                elif count > 1:
                    x = (sx - sum(self.xy[j][0] for j in out)) / count
                    y = (sy - sum(self.xy[j][1] for j in out)) / count
                    if view.shows(*view.xy(x, y), 6):
                        top = next(j for j in order if j not in excluded)
                        clusters.append(Cluster(round(x, 6), round(y, 6), count,
                                                events - sum(self.weights[j] for j in out), top,
                                                self._page_of_cell(cx % n, cy)))
        return Layout(view, tuple(sorted(shown + singles)), tuple(clusters), None, i)

    def _page_of_cell(self, x: int, y: int) -> Cell | None:
        key = (x, y)
        if key not in self._cell_pages:
            self._cell_pages[key] = self.smallest_page(Cell(LOCATOR_LEVEL, x, y))
        return self._cell_pages[key]

    def _key(self, j: int) -> tuple[int, int]:
        n = 1 << LOCATOR_LEVEL
        x, y = self.xy[j]
        return int(x / WORLD * n) % n, min(n - 1, int(y / WORLD * n))

    def _sums(self) -> dict:
        """Cell of LOCATOR_LEVEL -> its spots, their events, the sums of their positions, and
        as many of them as a locator can leave out, most events first: a locator's count is
        the cell's less the few spots it draws, not a pass over the cell."""
        if self._cell_sums is None:
            self._cell_sums = {}
            for key, spots in self._grid(LOCATOR_LEVEL).items():
                order = sorted(spots, key=lambda j: (-self.weights[j], j))[:NEAREST + 2]
                self._cell_sums[key] = (spots, sum(self.weights[j] for j in spots),
                                        sum(self.xy[j][0] for j in spots), sum(self.xy[j][1] for j in spots), order)
        return self._cell_sums

    # -- tiles -------------------------------------------------------------------------------
    def tiles(self) -> list[Tile]:
        """Every tile a map of the site shows: the map page, the zoom pages, the locators."""
        found: set[Tile] = set()
        for layout in self.layouts.values():
            found.update(touched(layout.view))
        seen: set[tuple[float, float]] = set()
        for i, xy in enumerate(self.xy):
            if xy not in seen:
                seen.add(xy)
                found.update(touched(self.locator_view(i)))
        return sorted(found)


@lru_cache(maxsize=4)
def atlas_of(points: tuple[tuple[float, float], ...], weights: tuple[int, ...]) -> Atlas:
    """The Atlas of these spots, made once for the routes and the renderer of one state."""
    return Atlas(list(points), list(weights))


__all__ = ["Atlas", "Cell", "Cluster", "Layout", "atlas_of", "cell_of", "LEAF", "FEW", "NEAREST",
           "LOCATOR_ZOOM", "LOCATOR_SIZE", "MAP_SIZE", "PAGE_LEVELS"]
