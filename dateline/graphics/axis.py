"""The time axis: a list of events drawn along a line to scale, at build time, as inline SVG.

`lay_out` works out where everything goes (pure geometry, in left-to-right coordinates);
`draw` writes it as markup, mirrored when the page's language runs right to left.

* Time runs to scale within each drawn segment (one scale for the whole axis); an empty
  stretch longer than `break_days` is not drawn to scale but as a break labelled with its
  length ("22 months").
* An event is a mark, a link to its page. A wave (an event with sub-events in the list) is one
  mark with its size written on it. Marks go in up to LANES rows, MIN_GAP apart (touch
  targets); a month whose marks find no room becomes one count linking to the month's page,
  and a year whose counts find no room one count linking to the year's page. The axis widens
  only when the years themselves find no room.
* Eras are bands behind the marks, named where the name fits.
* Ticks are days, months or years: for each segment the finest whose labels all fit.
* The casualty strip (optional): per marked event, a line from the lowest to the highest total
  of killed among its reports, never one figure merged from them.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache

from .. import catalogs
from ..dates import PartialDate, month_name, month_year
from ..model import Era, Event
from .labels import overlaps, text_box
from .svg import attr, fmt, text as esc

WIDTH = 960          # px: the content column of the default theme at 1280 px; narrower screens scroll
PAD = 14             # px between a segment's first or last day and its edge
LANE = 26            # px between rows of marks
LANES = 5
MIN_GAP = 24         # px between the centres of two marks in a row: touch targets
FONT = 11            # tick and break labels
LABEL_GAP = 6        # px kept between two labels
BREAK_MIN_DAYS = 60  # an empty stretch shorter than this is always drawn to scale
ERA_H = 18           # the era names' row
STRIP_H = 36         # the casualty strip's height


@dataclass(frozen=True)
class Segment:
    start: int           # first day (ordinal)
    end: int             # last day (ordinal)
    x0: float            # x of the start of `start`

    def x(self, t: float, scale: float) -> float:
        return self.x0 + (t - self.start) * scale


@dataclass(frozen=True)
class Break:
    days: int            # the empty days it stands for
    x0: float
    x1: float
    label: str


@dataclass(frozen=True)
class Mark:
    x: float
    lane: int
    href: str
    name: str            # its accessible name
    text: str            # its visible text ("" for a single event)
    kind: str            # "event", "wave" or "count"
    half: float          # half its width
    slugs: tuple[str, ...]   # the events it stands for (directly, or counted)
    toll: tuple[int, int] | None = None   # (lowest, highest) reported killed
    period: tuple[int, int | None] | None = None   # a count's (year, month or None)
    when: str = ""       # its month ("2024-01") or year ("2019"): the first mark of each is its anchor


@dataclass(frozen=True)
class Axis:
    width: float
    height: float
    scale: float                     # px per day
    segments: tuple[Segment, ...]
    breaks: tuple[Break, ...]
    marks: tuple[Mark, ...]
    eras: tuple[tuple[float, float, str], ...]   # (x0, x1, visible name or "")
    ticks: tuple[tuple[float, str], ...]         # (x, label or "")
    line_y: float
    strip: bool

    def x_of(self, t: float) -> float:
        """x of time `t` (an ordinal day, fractions within it): to scale within a segment,
        proportionally across a break."""
        segs, k = self.segments, self.scale
        if t <= segs[0].start:
            return segs[0].x0
        for i, seg in enumerate(segs):
            if t <= seg.end + 1:
                if t >= seg.start:
                    return seg.x(t, k)
                prev = segs[i - 1]
                a, b = prev.x(prev.end + 1, k), seg.x0
                return a + (b - a) * (t - prev.end - 1) / (seg.start - prev.end - 1)
        last = segs[-1]
        return last.x(last.end + 1, k)


@lru_cache(maxsize=1 << 16)
def _day(date: PartialDate) -> int:
    """The date's first day, as an ordinal (kept: thousands of events share a few thousand dates)."""
    return date.first_day().toordinal()


@lru_cache(maxsize=1 << 16)
def _end_day(date: PartialDate) -> int:
    return date.last_day().toordinal()


def _last(event: Event) -> int:
    return _end_day(event.end) if event.end else _day(event.date)


def _length_label(days: int) -> str:
    if days >= 730:
        years = round(days / 365.25)
        return catalogs.ngettext("%(num)s year", "%(num)s years", years)
    months = max(1, round(days / 30.44))
    return catalogs.ngettext("%(num)s month", "%(num)s months", months)


def _label_w(label: str) -> float:
    box = text_box(0, 0, label, FONT, "middle")
    return box[2] - box[0]


def _spans(events: list[Event], break_days: int) -> list[tuple[int, int]]:
    """The drawn stretches of time: the days with events, joined where less than `break_days`
    lie empty between them."""
    days = sorted((_day(e.date), _last(e)) for e in events)
    spans = [list(days[0])]
    for start, end in days[1:]:
        if start - spans[-1][1] - 1 >= break_days:
            spans.append([start, end])
        else:
            spans[-1][1] = max(spans[-1][1], end)
    return [(a, b) for a, b in spans]


def _toll(event: Event) -> tuple[int, int] | None:
    totals = [r.killed.total() for r in event.reports if r.killed]
    totals = [t for t in totals if t is not None]
    return (min(totals), max(totals)) if totals else None


def lay_out(events, eras=(), *, href, period_href, casualties: bool = False, width: float = WIDTH,
            break_days: int | None = None) -> Axis | None:
    """Where everything goes. `href(event)`: an event's address; `period_href(year, month)`:
    a month's (or, month None, a year's) list. None for no events."""
    events = sorted(events, key=lambda e: (_day(e.date), e.date.sort_key()))
    if not events:
        return None
    first, last = _day(events[0].date), max(_last(e) for e in events)
    if break_days is None:
        break_days = max(BREAK_MIN_DAYS, (last - first + 1) // 20)
    spans = _spans(events, break_days)
    gaps = [(spans[i + 1][0] - spans[i][1] - 1) for i in range(len(spans) - 1)]
    labels = [_length_label(g) for g in gaps]
    widths = [max(48.0, _label_w(label) + 16) for label in labels]
    days_drawn = sum(b - a + 1 for a, b in spans)
    while True:   # ends: wider, the years' counts find room at last
        axis = _try(events, eras, spans, gaps, labels, widths, days_drawn, width, href, period_href, casualties)
        if axis is not None:
            return axis
        width *= 1.5


def _try(events, eras, spans, gaps, labels, widths, days_drawn, width, href, period_href, casualties):
    scale = (width - sum(widths) - 2 * PAD * len(spans)) / days_drawn
    if scale <= 0:
        return None
    segments, breaks, x = [], [], 0.0
    for i, (a, b) in enumerate(spans):
        seg = Segment(a, b, x + PAD)
        segments.append(seg)
        x = seg.x(b + 1, scale) + PAD
        if i < len(gaps):
            breaks.append(Break(gaps[i], x, x + widths[i], labels[i]))
            x += widths[i]
    axis = Axis(width, 0, scale, tuple(segments), tuple(breaks), (), (), (), 0, casualties)
    placed = _marks(axis, events, href, period_href, casualties)
    if placed is None:
        return None
    lanes = 1 + max(m.lane for m in placed)
    top = ERA_H + 4 if eras else 4
    line_y = top + lanes * LANE + 4
    coarsest: dict[int, str] = {}
    starts = [s.start for s in segments]
    for e in events:
        seg = starts[bisect_right(starts, _day(e.date)) - 1]
        if _UNITS.index(e.date.precision) > _UNITS.index(coarsest.get(seg, "day")):
            coarsest[seg] = e.date.precision
    ticks = _ticks(axis, line_y, coarsest)
    height = line_y + 26 + (STRIP_H + 8 if casualties else 0)
    return Axis(width, height, scale, tuple(segments), tuple(breaks), tuple(placed), _eras(axis, eras),
                ticks, line_y, casualties)


# -- marks ------------------------------------------------------------------------------------------

def _units(events: list[Event], by_slug: dict) -> list[tuple[Event, int]]:
    """Top-level events (their parent not in the list) with the size of their wave."""
    size = {e.slug: 1 for e in events}
    top = {}
    for e in events:
        root, seen = e, {e.slug}
        while root.part_of in by_slug and root.part_of not in seen:
            seen.add(root.part_of)
            root = by_slug[root.part_of]
        top[e.slug] = root.slug
        if root is not e:
            size[root.slug] += 1
    return [(e, size[e.slug]) for e in events if top[e.slug] == e.slug]


def _marks(axis: Axis, events, href, period_href, casualties) -> list[Mark] | None:
    """Marks for the units, with months and then years counted where the marks find no room;
    None when even the years find none."""
    by_slug = {e.slug: e for e in events}
    units = _units(events, by_slug)
    sizes = {e.slug: size for e, size in units}
    by_period: dict[tuple, list[Event]] = {}
    for e in events:
        by_period.setdefault((e.date.year, e.date.month), []).append(e)
        if e.date.month:
            by_period.setdefault((e.date.year, None), []).append(e)
    counted: set[tuple] = set()      # (year, month), or (year, None) for a whole year
    while True:
        items = [_event_mark(axis, e, size, href) for e, size in units
                 if (e.date.year, e.date.month) not in counted and (e.date.year, None) not in counted]
        items += [_count_mark(axis, period, by_period[period], period_href) for period in counted
                  if period[1] is None or (period[0], None) not in counted]
        placed, over = _place(items)
        if not over:
            return [m if m.kind == "count" else _named(m, by_slug[m.slugs[0]], sizes[m.slugs[0]], href, casualties)
                    for m in placed]
        for m in over:
            if m.period is None:
                e = by_slug[m.slugs[0]]
                counted.add((e.date.year, e.date.month))
            elif m.period[1] is not None:
                counted.add((m.period[0], None))
            else:
                return None


def _event_mark(axis: Axis, e: Event, size: int, href) -> Mark:
    """A mark as placing needs it: where, how wide; its words are added once placed (_named)."""
    text = catalogs.number(size) if size > 1 else ""
    half = max(10.0, len(text) * 3.6 + 5) if text else 7.0
    return Mark(axis.x_of(_day(e.date) + 0.5), 0, "", "", text, "wave" if size > 1 else "event", half, (e.slug,),
                when=_when(e.date.year, e.date.month))


def _when(year: int, month: int | None) -> str:
    return f"{year:04d}-{month:02d}" if month else f"{year:04d}"


def _named(m: Mark, e: Event, size: int, href, casualties: bool) -> Mark:
    name = catalogs._("%(title)s, %(date)s", title=e.title, date=_event_when(e))
    if size > 1:
        name = catalogs.ngettext("%(title)s (a wave of %(num)s events)", "%(title)s (a wave of %(num)s events)",
                                 size, title=name)
    toll = _toll(e) if casualties else None
    if toll:
        low, high = (catalogs.number(n) for n in toll)
        name = catalogs._("%(name)s; killed, as reported: %(range)s", name=name,
                          range=low if toll[0] == toll[1] else catalogs._("%(low)s to %(high)s", low=low, high=high))
    return replace(m, href=href(e), name=name, toll=toll)


def _event_when(e: Event) -> str:
    from ..views import event_date
    return event_date(e)


def _count_mark(axis: Axis, period: tuple[int, int | None], events: list[Event], period_href) -> Mark:
    year, month = period
    when = month_year(year, month) if month else catalogs.digits(year)
    n = len(events)
    name = catalogs.ngettext("%(num)s event, %(when)s", "%(num)s events, %(when)s", n, when=when)
    xs = [axis.x_of(_day(e.date) + 0.5) for e in events]
    text = catalogs.number(n)
    return Mark((min(xs) + max(xs)) / 2, 0, period_href(year, month), name, text, "count", len(text) * 3.6 + 6,
                tuple(e.slug for e in events), period=period, when=_when(year, month))


def _place(items: list[Mark]) -> tuple[list[Mark], list[Mark]]:
    """Each mark into the first row where it keeps clear of the last one; those with no room."""
    items.sort(key=lambda m: (m.x, m.kind != "count"))
    ends: list[Mark | None] = [None] * LANES
    placed, over = [], []
    for m in items:
        for lane, prev in enumerate(ends):
            if prev is None or m.x - prev.x >= max(MIN_GAP, prev.half + m.half + 4):
                m = replace(m, lane=lane)
                ends[lane] = m
                placed.append(m)
                break
        else:
            over.append(m)
    return placed, over


# -- eras, ticks ----------------------------------------------------------------------------------

def _eras(axis: Axis, eras) -> tuple[tuple[float, float, str], ...]:
    out, taken = [], []
    left = axis.segments[0].x0 - PAD
    last = axis.segments[-1]
    right = last.x(last.end + 1, axis.scale) + PAD
    for era in eras:
        x0 = axis.x_of(_day(era.start))
        x1 = axis.x_of(era.end.last_day().toordinal() + 1)
        if x1 <= left or x0 >= right or x1 - x0 < 1:
            continue
        x0, x1 = max(x0, left), min(x1, right)
        name = _fitted(era.title, x1 - x0 - 6)
        if name:
            box = text_box((x0 + x1) / 2, 13, name, FONT, "middle")
            if any(overlaps(box, b, LABEL_GAP) for b in taken):
                name = ""
            else:
                taken.append(box)
        out.append((x0, x1, name))
    return tuple(out)


def _fitted(title: str, room: float) -> str:
    if _label_w(title) <= room:
        return title
    for n in range(len(title) - 1, 2, -1):
        cut = title[:n].rstrip() + "…"
        if _label_w(cut) <= room:
            return cut
    return ""


def _date(t: int) -> dt.date:
    return dt.date.fromordinal(t)


def _candidates():
    """(unit, step, starts a unit at day `d`?) from the finest to the coarsest."""
    yield "day", 1, lambda d: True
    yield "day", 5, lambda d: d.day in (1, 6, 11, 16, 21, 26)
    yield "day", 15, lambda d: d.day in (1, 16)
    for step in (1, 3, 6):
        yield "month", step, lambda d, s=step: d.day == 1 and (d.month - 1) % s == 0
    for step in (1, 2, 5, 10, 25, 50, 100, 250):
        yield "year", step, lambda d, s=step: d.day == 1 and d.month == 1 and d.year % s == 0


def _tick_label(unit: str, d: dt.date, first: bool) -> str:
    if unit == "day":
        if first or d.day == 1:
            return PartialDate(d.year, d.month, d.day).human()
        return catalogs.digits(d.day)
    if unit == "month":
        return month_year(d.year, d.month) if first or d.month == 1 else month_name(d.month)
    return catalogs.digits(d.year)


_UNITS = ("day", "month", "year")


def _ticks(axis: Axis, line_y: float, coarsest: dict[int, str]) -> tuple[tuple[float, str], ...]:
    """For each segment the finest ticks whose labels all fit, clear of the last segment's, and
    never finer than its coarsest date: an event known to its year gets no day ticks."""
    k, out, taken = axis.scale, [], []
    y = line_y + 20
    for seg in axis.segments:
        lo, hi = seg.start - PAD / k, seg.end + 1 + PAD / k
        chosen = None
        days = range(max(1, int(lo)), int(hi) + 1)
        finest = _UNITS.index(coarsest.get(seg.start, "day"))
        for unit, step, starts in _candidates():
            if _UNITS.index(unit) < finest:
                continue
            if hi - lo > 40000:                # a century or more: no day-by-day walk
                times = _years(lo, hi, step) if unit == "year" else []
            else:
                times = [t for t in days if lo <= t + (0.5 if unit == "day" else 0) <= hi and starts(_date(t))]
            if not times:
                continue
            ticks, boxes = [], []
            for t in times:
                x = seg.x(t + 0.5 if unit == "day" else t, k)
                label = _tick_label(unit, _date(t), not boxes)
                box = text_box(x, y, label, FONT, "middle")
                if box[0] < 0 or box[2] > axis.width:     # past the drawing's edge: a tick without a label
                    ticks.append((x, ""))
                    continue
                if any(overlaps(box, b, LABEL_GAP) for b in (*taken, *boxes)):
                    break
                ticks.append((x, label))
                boxes.append(box)
            else:
                if not boxes:
                    continue
                chosen = (ticks, boxes)
                break
        if chosen is None:
            chosen = _one_label(axis, seg, y, taken, finest)
        out += chosen[0]
        taken += chosen[1]
    return tuple(out)


def _years(lo: float, hi: float, step: int) -> list[int]:
    first, last = _date(max(1, int(lo))).year, _date(int(hi)).year
    return [dt.date(y, 1, 1).toordinal() for y in range(first, last + 1) if y % step == 0
            and lo <= dt.date(y, 1, 1).toordinal() <= hi]


def _one_label(axis: Axis, seg: Segment, y: float, taken: list, finest: int) -> tuple[list, list]:
    """A segment too short for any tick of its own: one label at its first day, as long as fits
    and no finer than its dates."""
    d = _date(seg.start)
    x = axis.x_of(seg.start + 0.5)
    labels = (PartialDate(d.year, d.month, d.day).human(), month_year(d.year, d.month), catalogs.digits(d.year))
    for label in labels[finest:]:
        box = text_box(x, y, label, FONT, "middle")
        if box[0] >= 0 and box[2] <= axis.width and not any(overlaps(box, b, LABEL_GAP) for b in taken):
            return [(x, label)], [box]
    return [], []


# -- markup ---------------------------------------------------------------------------------------

def draw(axis: Axis, name: str, legend: str = "") -> str:
    """The axis as an SVG in its scrolling box; x mirrored right to left."""
    rtl = catalogs.is_rtl(catalogs.current())
    W = axis.width
    X = (lambda x: fmt(W - x)) if rtl else fmt
    out = []
    top = ERA_H + 4 if axis.eras else 4
    if axis.eras:
        bands = "".join(f'<rect x="{X(x1 if rtl else x0)}" width="{fmt(x1 - x0)}" height="{fmt(axis.line_y)}"/>'
                        for x0, x1, _ in axis.eras)
        names = "".join(f'<text x="{X((x0 + x1) / 2)}" y="13">{esc(n)}</text>' for x0, x1, n in axis.eras if n)
        out.append(f'<g class="axis-eras">{bands}</g><g class="axis-era-names" font-size="{FONT}" '
                   f'text-anchor="middle">{names}</g>')
    y, k = axis.line_y, axis.scale
    line = "".join(f"M{X(s.x0 - PAD)} {fmt(y)}H{X(s.x(s.end + 1, k) + PAD)}" for s in axis.segments)
    ticks = "".join(f"M{X(x)} {fmt(y)}v5" for x, _ in axis.ticks)
    out.append(f'<path class="axis-line" d="{line}{ticks}"/>')
    if axis.breaks:
        zig = "".join(f"M{X(b.x0 + 2)} {fmt(y + 5)}l{'-' if rtl else ''}6 -10M{X(b.x1 - 8)} {fmt(y + 5)}"
                      f"l{'-' if rtl else ''}6 -10" for b in axis.breaks)
        out.append(f'<path class="axis-break" d="{zig}"/>')
    labels = "".join(f'<text x="{X(x)}" y="{fmt(y + 20)}">{esc(t)}</text>' for x, t in axis.ticks if t)
    labels += "".join(f'<text class="axis-gap" x="{X((b.x0 + b.x1) / 2)}" y="{fmt(y + 4)}">{esc(b.label)}</text>'
                      for b in axis.breaks)
    out.append(f'<g class="axis-labels" font-size="{FONT}" text-anchor="middle" aria-hidden="true">{labels}</g>')
    marks, anchored = [], set()
    for m in axis.marks:
        # the first mark of each month (or year) is its anchor: /#axis-2024-01 scrolls the axis
        # there (an id in SVG is an XML name: it cannot start with a digit)
        anchor = "" if m.when in anchored else f' id="axis-{m.when}"'
        anchored.add(m.when)
        cy = fmt(top + LANE / 2 + m.lane * LANE)
        if m.kind == "event":
            shape = f'<circle cx="{X(m.x)}" cy="{cy}" r="7"/>'
        else:
            shape = (f'<rect x="{X(m.x + m.half if rtl else m.x - m.half)}" y="{fmt(top + 4 + m.lane * LANE)}" '
                     f'width="{fmt(2 * m.half)}" height="18" rx="{"9" if m.kind == "wave" else "3"}"/>'
                     f'<text x="{X(m.x)}" y="{fmt(top + 17 + m.lane * LANE)}">{esc(m.text)}</text>')
        cls = "" if m.kind == "event" else f' class="axis-{m.kind}"'
        marks.append(f'<a href="{attr(m.href)}"{anchor}{cls}><title>{esc(m.name)}</title>{shape}</a>')
    out.append(f'<g class="axis-marks">{"".join(marks)}</g>')
    if axis.strip:
        out.append(_strip(axis, X))
    svg = (f'<svg class="axis" width="{fmt(W)}" height="{fmt(axis.height)}" viewBox="0 0 {fmt(W)} '
           f'{fmt(axis.height)}" role="group" aria-label="{attr(name)}">{"".join(out)}</svg>')
    legend = f'<p class="axis-legend">{esc(legend)}</p>' if legend else ""
    return f'<div class="axis-box">{svg}</div>{legend}'


def _strip(axis: Axis, X) -> str:
    """Per marked event, a line from its lowest to its highest reported total killed."""
    tolls = [(m.x, m.toll) for m in axis.marks if m.toll]
    base = axis.line_y + 26 + STRIP_H
    segs = axis.segments
    out = [f'<path class="axis-toll-base" d="M{X(segs[0].x0 - PAD)} {fmt(base)}'
           f'H{X(segs[-1].x(segs[-1].end + 1, axis.scale) + PAD)}"/>']
    if tolls:
        top = max(high for _, (_, high) in tolls) or 1
        h = lambda n: STRIP_H * (n / top) ** 0.5   # noqa: E731 (square root: small tolls stay visible)
        d = "".join(f"M{X(x)} {fmt(base - h(low))}V{fmt(min(base - h(low) - 2, base - h(high)))}" for x, (low, high) in tolls)
        out.append(f'<path class="axis-toll" d="{d}"/>')
    return f'<g aria-hidden="true">{"".join(out)}</g>'


def timeline_axis(events, eras=(), *, href, period_href, casualties: bool = False, width: float = WIDTH) -> str:
    """The axis of `events` as markup for a page ("" for none): the drawing, and with the
    casualty strip the legend that says what it shows."""
    events = list(events)
    axis = lay_out(events, eras, href=href, period_href=period_href, casualties=casualties, width=width)
    if axis is None:
        return ""
    first, last = events[0].date.year, events[-1].date.year
    years = catalogs.digits(first) if first == last else catalogs._(
        "%(start)s – %(end)s", start=catalogs.digits(first), end=catalogs.digits(last))
    name = catalogs._("Time axis, %(years)s: each mark links to its event; a number counts a period's events",
                      years=years)
    legend = catalogs._("Under the axis, deaths as reported, for each event marked on its own: a line from the "
                        "lowest to the highest total among its reports (square-root scale; the figures are in "
                        "each mark's name); never one merged figure.") \
        if axis.strip and any(m.toll for m in axis.marks) else ""
    return draw(axis, name, legend)


__all__ = ["lay_out", "draw", "timeline_axis", "Axis", "Mark", "Segment", "Break", "WIDTH", "MIN_GAP"]
