"""Dates that keep their precision: 2024, 2024-01 or 2024-01-16, never padded to a fake day."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from . import catalogs

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class DateError(ValueError):
    pass


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        match = _DATE.match(text.strip())
        if not match:
            raise DateError(f"'{text}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else None for g in match.groups())
        if year < 1:
            raise DateError(f"'{text}' has no year 0: years run from 0001 to 9999")
        if month is not None and not 1 <= month <= 12:
            raise DateError(f"'{text}' has no month {month}: months run from 01 to 12")
        if day is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise DateError(f"'{text}' does not exist: {MONTHS[month - 1]} {year} has {last} days")
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text

    def human(self) -> str:
        if catalogs.current() != catalogs.SOURCE:
            return cldr_date(self, catalogs.current())
        if self.day:
            return f"{self.day} {MONTHS[self.month - 1]} {self.year}"
        if self.month:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return str(self.year)

    def sort_key(self) -> tuple[int, int, int]:
        # A coarse date sorts before the finer dates it contains: "January 2024" heads its month.
        return (self.year, self.month or 0, self.day or 0)


def parse_time(text: str) -> str:
    if not _TIME.match(text.strip()):
        raise DateError(f"'{text}' is not a time: write local 24-hour HH:MM in quotes, e.g. \"04:05\"")
    return text.strip()


def human_span(start: PartialDate, end: PartialDate | None, approximate: bool = False) -> str:
    """'3 January 2024', '29–30 January 2024', 'c. January 2024'; in another language, by CLDR."""
    if catalogs.current() != catalogs.SOURCE:
        return cldr_span(start, end, approximate, catalogs.current())
    prefix = "c. " if approximate else ""
    if end is None or end == start:
        return prefix + start.human()
    if start.day and end.day and (start.year, start.month) == (end.year, end.month):
        return f"{prefix}{start.day}–{end.day} {MONTHS[start.month - 1]} {start.year}"
    if start.day and end.day and start.year == end.year:
        return f"{prefix}{start.day} {MONTHS[start.month - 1]} – {end.human()}"
    return f"{prefix}{start.human()} – {end.human()}"


# -- other languages: CLDR's pattern for each precision (Babel), digits of the language ------------
# The skeletons name what is known of the date and nothing more: a month is never given a day.
SKELETONS = {"day": "yMMMMd", "month": "yMMMM", "year": "y"}


def cldr_date(date: PartialDate, language: str) -> str:
    from babel.dates import format_skeleton
    text = format_skeleton(SKELETONS[date.precision], date.first_day(), locale=_locale(language))
    return catalogs.digits(text, language)


def cldr_span(start: PartialDate, end: PartialDate | None, approximate: bool, language: str) -> str:
    """A date or a span in the language: CLDR's interval pattern when both ends are known to
    the same precision (it drops what they share: "16–18 جنوری 2024"), else the two dates
    around the language's range separator."""
    from babel.dates import format_interval
    if end is None or end == start:
        text = cldr_date(start, language)
    elif start.precision == end.precision:
        text = catalogs.digits(format_interval(start.first_day(), end.first_day(), SKELETONS[start.precision],
                                               locale=_locale(language)), language)
    else:
        text = catalogs.translations(language).gettext("%(start)s – %(end)s") % {
            "start": cldr_date(start, language), "end": cldr_date(end, language)}
    if approximate:
        text = catalogs.translations(language).gettext("c. %(date)s") % {"date": text}
    return text


def month_name(month: int, language: str | None = None) -> str:
    """The month's name standing alone (a breadcrumb), in the language."""
    language = language or catalogs.current()
    if language == catalogs.SOURCE:
        return MONTHS[month - 1]
    from babel.dates import get_month_names
    return get_month_names("wide", context="stand-alone", locale=_locale(language))[month]


def month_year(year: int, month: int, language: str | None = None) -> str:
    """'January 2024', a month's heading, in the language."""
    language = language or catalogs.current()
    if language == catalogs.SOURCE:
        return f"{MONTHS[month - 1]} {year}"
    return cldr_date(PartialDate(year, month), language)


def _locale(language: str):
    return language.replace("-", "_")


def solar_hijri(start: PartialDate, end: PartialDate | None = None, language: str = "fa") -> str:
    """The Solar Hijri (Persian calendar) dates that a Gregorian date or span covers, to its
    precision, with the Solar months' own names and the language's digits: a day "۲۶ دی ۱۴۰۲",
    a Gregorian month the two Solar months it straddles "دی–بهمن ۱۴۰۲", a year "۱۴۰۲–۱۴۰۳".
    Shown beside the Gregorian date, never instead of it (jdatetime converts)."""
    import jdatetime
    names = jdatetime.date.j_months_fa
    end = end or start
    first = jdatetime.date.fromgregorian(date=start.first_day())
    last = jdatetime.date.fromgregorian(date=end.last_day())
    if start.day and end.day:
        last = jdatetime.date.fromgregorian(date=end.first_day())
        one = lambda d: f"{d.day} {names[d.month - 1]} {d.year}"
        text = one(first) if first == last else f"{one(first)} – {one(last)}"
    elif start.month and end.month:
        if first.year != last.year:
            text = f"{names[first.month - 1]} {first.year} – {names[last.month - 1]} {last.year}"
        elif first.month != last.month:
            text = f"{names[first.month - 1]}–{names[last.month - 1]} {first.year}"
        else:
            text = f"{names[first.month - 1]} {first.year}"
    else:
        text = f"{first.year}–{last.year}" if first.year != last.year else str(first.year)
    return catalogs.digits(text, language)
