"""Plain-language views of the model for templates and exports: dates, casualty lines,
the figures of a report. No HTML here beyond what Markdown gives back."""

from __future__ import annotations

from .dates import human_span
from .model import Counts, Event, Report

GROUP_LABELS = {"civilians": "civilians", "security": "security forces",
                "militants": "militants", "unspecified": "people"}
GROUP_SINGULAR = {"civilians": "civilian", "security": "member of the security forces",
                  "militants": "militant", "unspecified": "person"}


def group_count(group: str, n: int) -> str:
    """'1 civilian', '4 civilians'."""
    return f"{n} {GROUP_SINGULAR[group] if n == 1 else GROUP_LABELS[group]}"
GROUP_SHORT = {"civilians": "Civilians", "security": "Security forces",
               "militants": "Militants", "unspecified": "Not specified"}


def event_date(event: Event) -> str:
    return human_span(event.date, event.end, event.approximate)


def datetime_attr(event: Event) -> str:
    """Value for <time datetime>: the date to its own precision, with the time when known."""
    text = str(event.date)
    return f"{text}T{event.time}" if event.time and event.date.precision == "day" else text


def describe_counts(counts: Counts, verb: str, at_least: bool = False) -> str:
    """'at least 4 security forces and 2 civilians killed'."""
    parts = [group_count(g, n) for g, n in counts.items()]
    if not parts:
        return ""
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{'at least ' if at_least else ''}{text} {verb}"


def describe_report(report: Report) -> str:
    bits = [describe_counts(report.killed, "killed", report.at_least),
            describe_counts(report.injured, "injured", report.at_least)]
    return "; ".join(b for b in bits if b)


def casualty_line(event: Event) -> str:
    """One compact, attributed line: the latest figures and who gave them; never a merged number.
    The event page shows every report."""
    with_figures = [r for r in event.reports if r.killed or r.injured]
    if not with_figures:
        return ""
    # Prefer the latest confirmed figure; an unverified claim leads only when it is all there is.
    latest = max(with_figures, key=lambda r: (not r.unverified, r.as_of.sort_key(), event.reports.index(r)))
    text = describe_report(latest)
    text = text[0].upper() + text[1:]
    claim = " (unverified claim)" if latest.unverified else ""
    line = f"{text}, according to {latest.by}{claim}, {latest.as_of.human()}"
    others = len(event.reports) - 1
    if others:
        line += f"; {others} other report{'s' if others > 1 else ''}"
    return line
