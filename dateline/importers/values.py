"""Reading the cells of other tools' files: dates in the ways they write them, times, numbers,
lists. Each reader returns a value or raises CellError with a message that says what was found
and what would do; the importer adds the row and the column."""

from __future__ import annotations

import re

from ..dates import MONTHS, DateError, PartialDate


class CellError(ValueError):
    """A value that cannot be used: `column` is where it was (None: the row as a whole)."""

    def __init__(self, column: str | None, message: str):
        super().__init__(message)
        self.column, self.message = column, message


_MONTH_NUMBERS = {name.casefold(): i for i, name in enumerate(MONTHS, 1)}
_MONTH_NUMBERS.update({name[:3].casefold(): i for i, name in enumerate(MONTHS, 1)})
_MONTH_NUMBERS["sept"] = 9
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")                 # 16-05-2025
_WRITTEN = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-z]+)\.?,?\s+(\d{4})$")         # 16 May 2025, May 2025
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp]\.?[Mm]\.?)?$")

DATE_FORMATS = "YYYY-MM-DD, DD-MM-YYYY or '16 May 2025' (or YYYY, YYYY-MM, 'May 2025' for a coarser date)"


def date_of(column: str, text: str, day_only: bool = False) -> PartialDate:
    """A date written YYYY[-MM[-DD]], DD-MM-YYYY, '16 May 2025' or 'May 2025', to the precision
    it is written with. `day_only`: only a full day will do (ACLED's event_date)."""
    text = text.strip()
    match = _DAY_MONTH_YEAR.match(text)
    written = _WRITTEN.match(text)
    try:
        if match:
            day, month, year = match.groups()
            value = PartialDate.parse(f"{year}-{int(month):02d}-{int(day):02d}")
        elif written:
            day, name, year = written.groups()
            month = _MONTH_NUMBERS.get(name.casefold())
            if month is None:
                raise CellError(column, f"'{text}': '{name}' is not a month name")
            value = PartialDate.parse(f"{year}-{month:02d}" + (f"-{int(day):02d}" if day else ""))
        else:
            value = PartialDate.parse(text)
    except DateError as exc:
        if not (match or written or re.match(r"^\d{4}(-\d{1,2}){0,2}$", text)):
            raise CellError(column, f"'{text}' is not a date: write {DATE_FORMATS}") from None
        raise CellError(column, str(exc)) from None
    if day_only and value.precision != "day":
        raise CellError(column, f"'{text}' is not a full date: write YYYY-MM-DD, DD-MM-YYYY or '16 May 2025'")
    return value


def date_from_parts(columns: tuple[str, str, str], year: str, month: str, day: str) -> PartialDate:
    """TimelineJS's Year, Month, Day cells: as precise as the cells given (a Year alone is a
    year). dateline's years run from 1 to 9999."""
    year_column, month_column, day_column = columns
    numbers = []
    for column, text in zip(columns, (year, month, day)):
        text = text.strip()
        if not text:
            numbers.append(None)
            continue
        if not re.match(r"^-?\d+$", text):
            raise CellError(column, f"'{text}' is not a whole number")
        numbers.append(int(text))
    y, m, d = numbers
    if y is None:
        raise CellError(year_column, "no year: every event needs at least a Year")
    if not 1 <= y <= 9999:
        raise CellError(year_column, f"year {y} is outside 1 to 9999, the years dateline can show")
    if d is not None and m is None:
        raise CellError(day_column, f"a Day ({d}) without a Month: give the month too, or leave the day out")
    if m is not None and not 1 <= m <= 12:
        raise CellError(month_column, f"month {m} does not exist: months run from 1 to 12")
    text = f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if d is not None else "")
    try:
        return PartialDate.parse(text)
    except DateError as exc:
        raise CellError(day_column, str(exc)) from None


def time_of(column: str, text: str) -> str:
    """'13:45', '9:30', '13:45:00' or '1:45 PM' -> '13:45' (seconds are dropped: dateline
    keeps minutes)."""
    match = _TIME.match(text.strip())
    if not match:
        raise CellError(column, f"'{text}' is not a time: write HH:MM, e.g. 13:45 or 1:45 PM")
    hours, minutes, _, half = match.groups()
    hours, minutes = int(hours), int(minutes)
    if half:
        if not 1 <= hours <= 12:
            raise CellError(column, f"'{text}': with AM or PM the hour runs from 1 to 12")
        hours = hours % 12 + (12 if half[0] in "Pp" else 0)
    if hours > 23 or minutes > 59:
        raise CellError(column, f"'{text}' is not a time of day")
    return f"{hours:02d}:{minutes:02d}"


def number_of(column: str, text: str, low: float, high: float) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise CellError(column, f"'{text}' is not a number") from None
    if not low <= value <= high:       # also refuses nan and inf
        raise CellError(column, f"{text.strip()} is outside {low:g} to {high:g}")
    return value


def count_of(column: str, text: str) -> int:
    text = text.strip()
    if not re.match(r"^\d+$", text):
        raise CellError(column, f"'{text}' is not a whole number of people (0 or more)")
    return int(text)


def names_of(text: str, separator: str = ";") -> list[str]:
    """'Dawn; The Balochistan Post' -> ['Dawn', 'The Balochistan Post'], blanks and repeats dropped."""
    result: list[str] = []
    for part in text.split(separator):
        part = " ".join(part.split())
        if part and part not in result:
            result.append(part)
    return result
