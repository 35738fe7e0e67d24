"""Clipping in integer tenths: rings against a box (Sutherland-Hodgman), polylines against a
box (Liang-Barsky per segment)."""

from __future__ import annotations


def _clip(pts, inside, cross):
    out = []
    for i in range(len(pts)):
        cur, prev = pts[i], pts[i - 1]
        ci, pi = inside(cur), inside(prev)
        if ci:
            if not pi:
                out.append(cross(prev, cur))
            out.append(cur)
        elif pi:
            out.append(cross(prev, cur))
    return out


def _at_x(x):
    def f(p, q):
        t = (x - p[0]) / (q[0] - p[0])
        return (x, round(p[1] + t * (q[1] - p[1])))
    return f


def _at_y(y):
    def f(p, q):
        t = (y - p[1]) / (q[1] - p[1])
        return (round(p[0] + t * (q[0] - p[0])), y)
    return f


def clip_ring(ring: list[tuple[int, int]], x0: int, y0: int, x1: int, y1: int) -> list[tuple[int, int]]:
    pts = ring
    for inside, cross in ((lambda p: p[0] >= x0, _at_x(x0)), (lambda p: p[0] <= x1, _at_x(x1)),
                          (lambda p: p[1] >= y0, _at_y(y0)), (lambda p: p[1] <= y1, _at_y(y1))):
        if not pts:
            break
        pts = _clip(pts, inside, cross)
    out: list[tuple[int, int]] = []
    for p in pts:
        if not out or out[-1] != p:
            out.append(p)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def clip_line(pts: list[tuple[int, int]], x0: int, y0: int, x1: int, y1: int) -> list[list[tuple[int, int]]]:
    """The runs of a polyline inside a box."""
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


__all__ = ["clip_ring", "clip_line"]
