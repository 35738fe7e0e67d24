#!/usr/bin/env python3
"""Regenerate ``countries-50m.json`` (the boundaries the map drawer reads).

The source is the npm package ``world-atlas`` (Natural Earth Admin 0
countries, 1:50m, as TopoJSON). Install it somewhere outside the repo and
point this script at it::

    mkdir -p /tmp/mapwork && cd /tmp/mapwork && npm init -y
    npm install world-atlas@2.0.2
    python3 templates/static/map/derive.py \\
        /tmp/mapwork/node_modules/world-atlas/countries-50m.json \\
        templates/static/map/countries-50m.json

What it does (standard library only, deterministic):

1. decodes the quantized, delta-encoded TopoJSON arcs into lon/lat;
2. simplifies every arc on its own with Douglas-Peucker (tolerance
   ``TOLERANCE_DEG``, distances measured with longitude scaled by
   cos(latitude) so shapes keep their proportions away from the equator).
   Arcs are shared by the countries on both sides of a border, so
   simplifying arcs (not rings) keeps neighbours meeting exactly: no gaps
   or slivers;
3. rounds coordinates to ``DECIMALS`` decimals and drops consecutive
   duplicate points;
4. drops rings that collapse to fewer than three distinct points (islands
   far below a pixel at the map scales dateline draws) and arcs nobody uses
   any more;
5. computes a label point per country (an interior point of its largest
   polygon, far from its edges) for the optional country names.

Output format (JSON, see ``dateline/graphics/topology.py: load_boundaries``)::

    {
      "format": "dateline-boundaries/1",
      "source": {...provenance...},
      "arcs": [[[lon, lat], [lon, lat], ...], ...],
      "countries": [
        {"name": "Pakistan", "id": "586", "label": [lon, lat],
         "polygons": [[[arc, arc, ...], [hole arcs...]], ...]},
        ...
      ]
    }

Arc references follow TopoJSON: ``i`` is arc ``i`` forwards, ``~i`` (that
is ``-i - 1``) is arc ``i`` reversed. A ring is its arcs concatenated, the
first point of each following arc dropped (it repeats the previous arc's
last point). Outer rings run clockwise, holes anticlockwise (on the map,
north up).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

SOURCE_PACKAGE = "world-atlas"
SOURCE_VERSION = "2.0.2"
SOURCE_FILE = "countries-50m.json"
TOLERANCE_DEG = 0.02
DECIMALS = 2


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def _dp(pts: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative, longitude scaled by cos(mean latitude)."""
    n = len(pts)
    if n <= 2:
        return list(pts)
    k = math.cos(math.radians(sum(p[1] for p in pts) / n))
    xy = [(p[0] * k, p[1]) for p in pts]
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    tol2 = tol * tol
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        ax, ay = xy[a]
        bx, by = xy[b]
        dx, dy = bx - ax, by - ay
        seg2 = dx * dx + dy * dy
        best, best_i = -1.0, -1
        for i in range(a + 1, b):
            px, py = xy[i]
            if seg2 == 0:
                d2 = (px - ax) ** 2 + (py - ay) ** 2
            else:
                t = ((px - ax) * dx + (py - ay) * dy) / seg2
                t = 0.0 if t < 0 else 1.0 if t > 1 else t
                qx, qy = ax + t * dx, ay + t * dy
                d2 = (px - qx) ** 2 + (py - qy) ** 2
            if d2 > best:
                best, best_i = d2, i
        if best > tol2:
            keep[best_i] = True
            stack.append((a, best_i))
            stack.append((best_i, b))
    return [p for p, k_ in zip(pts, keep) if k_]


def simplify_arc(pts, tol, decimals):
    simp = _dp(pts, tol)
    out = []
    for lon, lat in simp:
        p = (round(lon, decimals), round(lat, decimals))
        if not out or out[-1] != p:
            out.append(p)
    if len(out) == 1:
        out.append(out[0])
    return out


def ring_points(refs, arcs):
    pts = []
    for r in refs:
        a = arcs[r] if r >= 0 else arcs[~r][::-1]
        pts.extend(a if not pts else a[1:])
    return pts


def ring_area(pts) -> float:
    """Planar shoelace area in degrees², lon scaled by cos(lat)."""
    if len(pts) < 3:
        return 0.0
    k = math.cos(math.radians(sum(p[1] for p in pts) / len(pts)))
    s = 0.0
    for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1]):
        s += x1 * y2 - x2 * y1
    return abs(s) * k / 2


def _point_in_ring(x, y, ring) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _dist_to_ring(x, y, ring, k) -> float:
    best = float("inf")
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        ax, ay, bx, by, px = x1 * k, y1, x2 * k, y2, x * k
        dx, dy = bx - ax, by - ay
        seg2 = dx * dx + dy * dy
        t = 0.0 if seg2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (y - ay) * dy) / seg2))
        d = math.hypot(px - (ax + t * dx), y - (ay + t * dy))
        best = min(best, d)
    return best


def label_point(rings) -> tuple[float, float]:
    """Interior point of a polygon (outer ring + holes) far from its edges.

    A coarse grid search refined twice: good enough for placing a name.
    """
    outer = rings[0]
    xs = [p[0] for p in outer]
    ys = [p[1] for p in outer]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    k = math.cos(math.radians((y0 + y1) / 2))
    best = None
    cx, cy, wx, wy = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
    for _ in range(3):
        for i in range(17):
            for j in range(17):
                x = cx - wx + 2 * wx * i / 16
                y = cy - wy + 2 * wy * j / 16
                if not _point_in_ring(x, y, outer):
                    continue
                if any(_point_in_ring(x, y, h) for h in rings[1:]):
                    continue
                d = min(_dist_to_ring(x, y, r, k) for r in rings)
                if best is None or d > best[0]:
                    best = (d, x, y)
        if best is None:
            break
        cx, cy = best[1], best[2]
        wx, wy = wx / 4, wy / 4
    if best is None:  # degenerate: fall back to the bbox centre
        return (round((x0 + x1) / 2, 2), round((y0 + y1) / 2, 2))
    return (round(best[1], 2), round(best[2], 2))


def derive(topo: dict) -> dict:
    raw = decode_arcs(topo)
    arcs = [simplify_arc(a, TOLERANCE_DEG, DECIMALS) for a in raw]

    countries = []
    for geom in topo["objects"]["countries"]["geometries"]:
        if geom["type"] == "Polygon":
            polys = [geom["arcs"]]
        elif geom["type"] == "MultiPolygon":
            polys = geom["arcs"]
        else:
            continue
        kept = []
        for poly in polys:
            rings = []
            for i, refs in enumerate(poly):
                pts = ring_points(refs, arcs)
                if len(set(pts)) < 3:
                    if i == 0:
                        break  # outer ring collapsed: drop the polygon
                    continue  # hole collapsed: drop the hole
                rings.append(refs)
            if rings:
                kept.append(rings)
        if not kept:
            continue
        # label point: largest polygon by area
        biggest = max(kept, key=lambda p: ring_area(ring_points(p[0], arcs)))
        lp = label_point([ring_points(r, arcs) for r in biggest])
        countries.append(
            {
                "name": geom["properties"]["name"],
                "id": geom.get("id"),
                "label": list(lp),
                "polygons": kept,
            }
        )

    # renumber: keep only arcs still referenced
    used = sorted({r if r >= 0 else ~r for c in countries for p in c["polygons"] for ring in p for r in ring})
    remap = {old: new for new, old in enumerate(used)}
    for c in countries:
        c["polygons"] = [
            [[remap[r] if r >= 0 else ~remap[~r] for r in ring] for ring in p] for p in c["polygons"]
        ]
    countries.sort(key=lambda c: c["name"])
    return {
        "format": "dateline-boundaries/1",
        "source": {
            "package": f"{SOURCE_PACKAGE}@{SOURCE_VERSION}",
            "file": SOURCE_FILE,
            "data": "Natural Earth Admin 0 countries, 1:50m (v4.1.0)",
            "licence": "public domain (Natural Earth)",
            "simplification": f"Douglas-Peucker per arc, {TOLERANCE_DEG} deg; rounded to {DECIMALS} decimals",
        },
        "arcs": [[list(p) for p in arcs[old]] for old in used],
        "countries": countries,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    src, dst = Path(argv[1]), Path(argv[2])
    topo = json.loads(src.read_text(encoding="utf-8"))
    out = derive(topo)
    text = json.dumps(out, separators=(",", ":"), ensure_ascii=False)
    dst.write_text(text + "\n", encoding="utf-8")
    npts = sum(len(a) for a in out["arcs"])
    print(f"{dst}: {len(text)} bytes, {len(out['arcs'])} arcs, {npts} points, {len(out['countries'])} countries")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
