"""Small SVG drawings made at build time: the chain of cause and response around an event,
and how the reported toll changed from one report to the next. Colours come from CSS classes
(the page's Content-Security-Policy allows no inline style), so dark mode and print just work."""

from __future__ import annotations

import textwrap
from functools import lru_cache
from html import escape

from .. import catalogs
from ..model import GROUPS, Event, Timeline
from ..views import GROUP_SHORT, event_date

DEPTH = 3            # steps each way in the chain


def _esc(text: str) -> str:
    return escape(text, quote=True)


def chain_levels(timeline: Timeline, slug: str, depth: int = DEPTH) -> list[list[str]]:
    """Generations from the furthest cause (first) to the furthest response (last)."""
    def walk(start: str, step) -> list[list[str]]:
        levels, seen, frontier = [], {start}, [start]
        for _ in range(depth):
            nxt = []
            for s in frontier:
                for other in step(s):
                    if other not in seen:
                        seen.add(other)
                        nxt.append(other)
            if not nxt:
                break
            levels.append(nxt)
            frontier = nxt
        return levels

    causes = walk(slug, lambda s: timeline.event(s).in_response_to)
    responses = walk(slug, lambda s: timeline.led_to.get(s, ()))
    return list(reversed(causes)) + [[slug]] + responses


def chain_svg(timeline: Timeline, slug: str, href) -> str:
    """Nodes are links to the events; the current one is marked. `href(event)` gives the URL."""
    levels = chain_levels(timeline, slug)
    if len(levels) == 1:
        return ""
    width, node_h, gap, pad = 360, 54, 26, 4   # narrow, like the toll chart, to stay legible on phones
    rtl = catalogs.is_rtl(catalogs.current())
    # Arabic script (Urdu's Nastaliq above all) needs taller lines than Latin at the same size
    # (and the baselines of the date and of the title's first line, from the box's top)
    line, node_h, date_at, title_at = (22, 72, 18, 40) if rtl else (15, node_h, 15, 32)
    height = len(levels) * node_h + (len(levels) - 1) * gap + 2 * pad
    boxes: dict[str, tuple[float, float, float]] = {}
    out = []
    for row, level in enumerate(levels):
        n = len(level)
        node_w = min(300.0, (width - 2 * pad - (n - 1) * 12) / n)
        total = n * node_w + (n - 1) * 12
        x0 = (width - total) / 2
        y = pad + row * (node_h + gap)
        for i, s in enumerate(level):
            boxes[s] = (x0 + i * (node_w + 12), y, node_w)
    edges = []
    for s, (x, y, w) in boxes.items():
        for cause in timeline.event(s).in_response_to:
            if cause in boxes:
                cx, cy, cw = boxes[cause]
                edges.append(f'<path class="chain-edge" d="M{cx + cw / 2:.1f} {cy + node_h:.1f} '
                             f'L{x + w / 2:.1f} {y - 3:.1f}" marker-end="url(#chain-arrow)"/>')
    out.append('<defs><marker id="chain-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
               'markerHeight="7" orient="auto-start-reverse"><path class="chain-arrowhead" '
               'd="M0 0L10 5L0 10z"/></marker></defs>')
    out.extend(edges)
    for s, (x, y, w) in boxes.items():
        event = timeline.event(s)
        lines = _title_lines(event.title, max(12, int(w / 7.2)))
        current = s == slug
        # right to left: the text starts at the box's right edge and runs leftwards
        tx, tdir = (x + w - 8, ' direction="rtl"') if rtl else (x + 8, "")
        # The box reads as its name does (WCAG 2.5.3, axe's label-content-name-mismatch): the date
        # first, then the title's lines, a space between each, so what is seen ("16 January 2024
        # Iran's strike in…", cut after a whole word) is the start of the name, which has the
        # whole title. Someone who speaks a link's visible words to select it reaches it.
        date = f'<text class="chain-date" x="{tx:.1f}" y="{y + date_at:.1f}"{tdir}>{_esc(event_date(event))}</text>'
        texts = " ".join(f'<text class="chain-title" x="{tx:.1f}" y="{y + title_at + i * line:.1f}"'
                         f'{tdir}>{_esc(t)}</text>' for i, t in enumerate(lines))
        rect = (f'<rect class="chain-node{" is-current" if current else ""}" x="{x:.1f}" y="{y:.1f}" '
                f'width="{w:.1f}" height="{node_h}" rx="6"/>')
        if current:
            out.append(f'<g>{rect}{date} {texts}</g>')
        else:
            label = catalogs._("%(date)s: %(title)s", title=event.title, date=event_date(event))
            out.append(f'<a href="{_esc(href(event))}" aria-label="{_esc(label)}">'
                       f'{rect}{date} {texts}</a>')
    name = catalogs._("Chain of events: causes above, responses below")
    return (f'<svg class="chain" viewBox="0 0 {width} {height}" role="group" '
            f'aria-label="{_esc(name)}">{"".join(out)}</svg>')


@lru_cache(maxsize=1 << 14)
def _title_lines(title: str, chars: int) -> tuple[str, ...]:
    """At most two lines of `chars`, cut after a whole word with an ellipsis (a word cut in two
    would not be a word of the link's name). Cached: an event's title is drawn in the chains of
    each of its neighbours."""
    lines = textwrap.wrap(title, chars, break_long_words=False)
    if len(lines) > 2:
        lines[1] = textwrap.shorten(" ".join(lines[1:]), chars, placeholder="…", break_long_words=False)
    return tuple(lines[:2])


def toll_chart_svg(event: Event) -> str:
    """Stacked bars of reported deaths, one row per report, in the order the figures came."""
    reports = [r for r in event.reports if r.killed]
    if len(reports) < 2:
        return ""
    largest = max(r.killed.total() or 0 for r in reports) or 1
    # Drawn narrow on purpose: the SVG scales with the column, and 12-unit type must stay
    # legible on a 320 px phone (CSS caps the chart's width on large screens).
    bar_w, row_h, top = 320, 44, 26
    width = bar_w + 60
    height = top + len(reports) * row_h
    out = []
    # right to left, the chart is mirrored: bars grow leftwards from the right edge, text runs
    # leftwards from where it starts (x measured from the start edge, flipped here)
    rtl = catalogs.is_rtl(catalogs.current())
    def at(x: float, w: float = 0.0) -> float:
        return width - x - w if rtl else x
    tdir = ' direction="rtl"' if rtl else ""
    x = 0.0
    for group in (g for g in GROUPS if any(getattr(r.killed, g) for r in reports)):
        name = catalogs._(GROUP_SHORT[group])
        out.append(f'<rect class="bar-{group}" x="{at(x, 12):.1f}" y="4" width="12" height="12"/>'
                   f'<text class="chart-legend" x="{at(x + 16):.1f}" y="14"{tdir}>{_esc(name)}</text>')
        x += 28 + len(name) * 7
    for row, report in enumerate(reports):
        y = top + row * row_h
        label = f"{report.as_of.human()} · {report.by}"
        if len(label) > 56:
            label = label[:55].rstrip() + "…"
        out.append(f'<text class="chart-label" x="{at(0):g}" y="{y + 12}"{tdir}>{_esc(label)}</text>')
        x = 0.0
        for group in GROUPS:
            n = getattr(report.killed, group)
            if not n:
                continue
            w = bar_w * n / largest
            out.append(f'<rect class="bar-{group}" x="{at(x, w):.1f}" y="{y + 17}" width="{w:.1f}" height="16"/>')
            x += w
        total = report.killed.total()
        prefix = "≥" if report.at_least else ""
        mark = " ?" if report.unverified else ""
        out.append(f'<text class="chart-total" x="{at(x + 6):.1f}" y="{y + 30}"{tdir}>{prefix}{catalogs.number(total)}{mark}</text>')
    if catalogs.current() == catalogs.SOURCE:
        summary = "; ".join(f"{r.as_of.human()}, {r.by}: {r.killed.total()} killed" for r in reports)
        name = f"Reported deaths by report: {summary}"
    else:
        summary = catalogs._("; ").join(
            catalogs._("%(date)s, %(by)s: %(num)s killed", date=r.as_of.human(), by=r.by, num=r.killed.total())
            for r in reports)
        name = catalogs._("Reported deaths by report: %(summary)s", summary=summary)
    return (f'<svg class="toll-chart" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{_esc(name)}">{"".join(out)}</svg>')
