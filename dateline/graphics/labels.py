"""Where a map's text goes: the markers' labels placed greedily beside them, never over each
other, kept clear of other markers and inside the map; country names where there is room."""

from __future__ import annotations

LABEL_PX = 12             # font-size of marker labels (SVG units)
COUNTRY_LABEL_PX = 11
CHAR_W = 0.58             # average glyph advance as a fraction of the font size
LABEL_MARKER_GAP = 8.0    # a label keeps this far from markers not its own


def text_box(x: float, y: float, text: str, px: float, anchor: str) -> tuple[float, float, float, float]:
    w = len(text) * px * CHAR_W
    x0 = x - w if anchor == "end" else x - w / 2 if anchor == "middle" else x
    return (x0, y - px * 0.8, x0 + w, y + px * 0.25)


def overlaps(a, b, pad: float = 1.0) -> bool:
    return not (a[2] + pad <= b[0] or b[2] + pad <= a[0] or a[3] + pad <= b[1] or b[3] + pad <= a[1])


def place(wanted: list[tuple[str, float, float, float, bool]], dots: list[tuple[float, float, float, float]],
          width: float, height: float) -> tuple[list[tuple[str, float, float, str, bool]], list]:
    """Labels for `wanted` (text, x, y, marker radius, emphasis; the emphasised first), and
    the boxes they take. One label per spot, and the same text is not repeated close by. The
    current event is labelled whenever it fits at all: failing the rule of keeping clear of
    markers, it takes the place touching the fewest (labels let clicks through)."""
    occupied: list[tuple[float, float, float, float]] = []
    out: list[tuple[str, float, float, str, bool]] = []
    seen: list[tuple[str, float, float]] = []
    for text, x, y, r, emphasis in wanted:
        text = text.strip()
        if not text or any((abs(x - sx) < 1 and abs(y - sy) < 1) or (t == text and abs(x - sx) < 20 and abs(y - sy) < 20)
                           for t, sx, sy in seen):
            continue
        gap = r + 3
        base = y + LABEL_PX * 0.35
        candidates = ((x + gap, base, "start"), (x - gap, base, "end"), (x, y - gap - 1, "middle"),
                      (x, y + gap + LABEL_PX * 0.8, "middle"))
        others = [d for d in dots if abs((d[0] + d[2]) / 2 - x) > 1 or abs((d[1] + d[3]) / 2 - y) > 1]
        choice = fallback = None
        for lx, ly, anchor in candidates:
            box = text_box(lx, ly, text, LABEL_PX, anchor)
            if box[0] < 1 or box[1] < 1 or box[2] > width - 1 or box[3] > height - 1:
                continue
            if any(overlaps(box, o) for o in occupied):
                continue
            if not any(overlaps(box, d, LABEL_MARKER_GAP) for d in others):
                choice = (lx, ly, anchor, box)
                break
            touching = sum(1 for d in others if overlaps(box, d, 1.0))
            if emphasis and (fallback is None or touching < fallback[0]):
                fallback = (touching, (lx, ly, anchor, box))
        if choice is None and fallback is not None:
            choice = fallback[1]
        if choice is not None:
            lx, ly, anchor, box = choice
            occupied.append(box)
            out.append((text, lx, ly, anchor, emphasis))
            seen.append((text, x, y))
    return out, occupied


def countries(named: list[tuple[str, float, float, float]], occupied: list, dots: list, width: float,
              height: float) -> list[tuple[str, float, float]]:
    """Country names (name, x, y, width of the country's largest part on the map) that fit
    the map, crowd nothing and have room in their country."""
    out = []
    for name, x, y, wide in named:
        if not (0 <= x <= width and 0 <= y <= height):
            continue
        box = text_box(x, y, name, COUNTRY_LABEL_PX, "middle")
        if box[0] < 2 or box[2] > width - 2 or box[1] < 2 or box[3] > height - 2:
            continue
        if wide < (box[2] - box[0]) * 1.2:
            continue
        if any(overlaps(box, o, 3) for o in occupied) or any(overlaps(box, d, 3) for d in dots):
            continue
        occupied.append(box)
        out.append((name, x, y))
    return out


__all__ = ["place", "countries", "text_box", "overlaps", "LABEL_PX", "COUNTRY_LABEL_PX"]
