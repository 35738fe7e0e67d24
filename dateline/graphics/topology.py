"""The boundaries: the Natural Earth derived file in the theme's static folder
(``templates/static/map/countries-50m.json``; see ``PROVENANCE.md`` and ``derive.py`` beside
it), a topology of arcs shared by the countries that border along them, and a coarse grid of
where each arc and polygon lies, so that drawing one tile looks at the few near it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path

#: Where the derived file lives inside a theme's static folder.
DEFAULT_BOUNDARIES_FILE = Path("map") / "countries-50m.json"

CELL_DEG = 10.0   # the grid of the spatial index, in degrees


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
    file: str | None = field(default=None, compare=False)    # the file it was read from
    # zoom -> {arc or ring: its points projected and simplified at that zoom}, filled by tiles.py
    projected: dict = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def index(self) -> tuple[dict, dict]:
        """Grid cell -> arcs meeting it, and grid cell -> (country, polygon, longitude shift)
        of the polygons meeting it (a polygon made continuous across the antimeridian meets
        cells on both sides, shifted by 360°)."""
        arcs: dict[tuple[int, int], list[int]] = {}
        for i, bb in enumerate(self.arc_bboxes):
            for cell in _cells(bb):
                arcs.setdefault(cell, []).append(i)
        polys: dict[tuple[int, int], list[tuple[int, int, float]]] = {}
        for c, country in enumerate(self.countries):
            for p, bb in enumerate(country.bboxes):
                for shift in (0.0, 360.0, -360.0):
                    moved = (bb[0] + shift, bb[1], bb[2] + shift, bb[3])
                    if moved[2] < -180 or moved[0] > 180:
                        continue
                    for cell in _cells(moved):
                        polys.setdefault(cell, []).append((c, p, shift))
        return arcs, polys

    def near(self, lon0: float, lat0: float, lon1: float, lat1: float) -> tuple[list[int], list[tuple[int, int, float]]]:
        """The arcs and polygons whose grid cells meet the box, each once, in order."""
        arcs, polys = self.index
        found_arcs: set[int] = set()
        found_polys: set[tuple[int, int, float]] = set()
        for cell in _cells((lon0, lat0, lon1, lat1)):
            found_arcs.update(arcs.get(cell, ()))
            found_polys.update(polys.get(cell, ()))
        return sorted(found_arcs), sorted(found_polys)


def _cells(bb):
    i0, i1 = int((max(bb[0], -180) + 180) // CELL_DEG), int((min(bb[2], 180) + 180) // CELL_DEG)
    j0, j1 = int((max(bb[1], -90) + 90) // CELL_DEG), int((min(bb[3], 90) + 90) // CELL_DEG)
    return [(i, j) for i in range(i0, i1 + 1) for j in range(j0, j1 + 1)]


def default_boundaries_path() -> Path:
    """The derived file in the default theme (templates/static/map/ in this source tree)."""
    from ..theme import THEME
    return THEME / "static" / DEFAULT_BOUNDARIES_FILE


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


def as_boundaries(b: Boundaries | Path | str) -> Boundaries:
    return b if isinstance(b, Boundaries) else load_boundaries(b)


@lru_cache(maxsize=4)
def _load_boundaries_cached(path: str) -> Boundaries:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    return replace(boundaries_from_json(data), file=path)


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


def boundaries_from_json(data: dict) -> Boundaries:
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
        countries.append(Country(name=str(c["name"]), id=c.get("id"), label=(float(lab[0]), float(lab[1])),
                                 polygons=polys, bboxes=tuple(bbs), unwrapped=tuple(unwrapped)))
    return Boundaries(arcs=arcs, arc_bboxes=arc_bboxes, arc_pieces=arc_pieces,
                      arc_is_border=tuple(u >= 2 for u in users), countries=tuple(countries),
                      source=dict(data.get("source") or {}))


__all__ = ["Boundaries", "Country", "DEFAULT_BOUNDARIES_FILE", "default_boundaries_path", "load_boundaries",
           "as_boundaries", "boundaries_from_json"]
