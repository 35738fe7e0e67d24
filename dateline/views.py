"""Plain-language views of the model for templates and exports: dates, casualty lines,
the figures of a report. No HTML here beyond what Markdown gives back."""

from __future__ import annotations

from . import catalogs
from .dates import human_span
from .model import Counts, Event, Report

GROUP_LABELS = {"civilians": "civilians", "security": "security forces",
                "militants": "militants", "unspecified": "people"}
GROUP_SINGULAR = {"civilians": "civilian", "security": "member of the security forces",
                  "militants": "militant", "unspecified": "person"}


def group_count(group: str, n: int) -> str:
    """'1 civilian', '4 civilians' (in the page's language, by its plural rule)."""
    if catalogs.current() != catalogs.SOURCE:
        return catalogs.ngettext(*_GROUP_MSGIDS[group], n)
    return f"{n} {GROUP_SINGULAR[group] if n == 1 else GROUP_LABELS[group]}"


_GROUP_MSGIDS = {"civilians": catalogs.Nn_("%(num)s civilian", "%(num)s civilians"),
                 "security": catalogs.Nn_("%(num)s member of the security forces", "%(num)s security forces"),
                 "militants": catalogs.Nn_("%(num)s militant", "%(num)s militants"),
                 "unspecified": catalogs.Nn_("%(num)s person", "%(num)s people")}
GROUP_SHORT = {"civilians": catalogs.N_("Civilians"), "security": catalogs.N_("Security forces"),
               "militants": catalogs.N_("Militants"), "unspecified": catalogs.N_("Not specified")}


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
    if catalogs.current() != catalogs.SOURCE:
        _ = catalogs._
        text = parts[0] if len(parts) == 1 else _("%(list)s and %(last)s", list=_(", ").join(parts[:-1]), last=parts[-1])
        return _(_VERBS[(verb, at_least)], counts=text)
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{'at least ' if at_least else ''}{text} {verb}"


_VERBS = {("killed", False): catalogs.N_("%(counts)s killed"), ("killed", True): catalogs.N_("at least %(counts)s killed"),
          ("injured", False): catalogs.N_("%(counts)s injured"), ("injured", True): catalogs.N_("at least %(counts)s injured")}


def describe_report(report: Report) -> str:
    bits = [describe_counts(report.killed, "killed", report.at_least),
            describe_counts(report.injured, "injured", report.at_least)]
    return catalogs._("; ").join(b for b in bits if b) if catalogs.current() != catalogs.SOURCE \
        else "; ".join(b for b in bits if b)


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
    if catalogs.current() != catalogs.SOURCE:
        _ = catalogs._
        line = _("%(figures)s, according to %(by)s, %(date)s", figures=text, by=latest.by, date=latest.as_of.human()) \
            if not latest.unverified else \
            _("%(figures)s, according to %(by)s (unverified claim), %(date)s", figures=text, by=latest.by,
              date=latest.as_of.human())
        others = len(event.reports) - 1
        if others:
            line += catalogs.ngettext("; %(num)s other report", "; %(num)s other reports", others)
        return line
    claim = " (unverified claim)" if latest.unverified else ""
    line = f"{text}, according to {latest.by}{claim}, {latest.as_of.human()}"
    others = len(event.reports) - 1
    if others:
        line += f"; {others} other report{'s' if others > 1 else ''}"
    return line
