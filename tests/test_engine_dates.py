"""dates.py: partial dates keep their precision; spans and <time datetime> values read right."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dateline.dates import DateError, PartialDate, human_span, parse_time
from dateline.model import Event
from dateline.views import datetime_attr, event_date


def d(text: str) -> PartialDate:
    return PartialDate.parse(text)


@pytest.mark.parametrize("text,human,precision", [
    ("2024", "2024", "year"),
    ("2024-01", "January 2024", "month"),
    ("2024-01-05", "5 January 2024", "day"),
    ("2024-02-29", "29 February 2024", "day"),
    ("0001-12-31", "31 December 1", "day"),
])
def test_human_and_precision(text, human, precision):
    assert (d(text).human(), d(text).precision, str(d(text))) == (human, precision, text)


@pytest.mark.parametrize("text", ["2024-02-30", "2023-02-29", "2024-13", "2024-00", "2024-01-00", "0000",
                                  "24", "2024-1", "2024-01-1", "20240115", "x2024", "2024-01-15T00:00"])
def test_invalid(text):
    with pytest.raises(DateError):
        PartialDate.parse(text)


def test_first_and_last_day():
    assert (d("2024").first_day(), d("2024").last_day()) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert (d("2024-02").first_day(), d("2024-02").last_day()) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert d("2023-02").last_day() == dt.date(2023, 2, 28)


def test_coarse_dates_sort_before_the_days_they_contain():
    assert sorted([d("2024-01-01"), d("2024-01"), d("2024"), d("2023-12-31")], key=PartialDate.sort_key) == [
        d("2023-12-31"), d("2024"), d("2024-01"), d("2024-01-01")]


@pytest.mark.parametrize("start,end,approximate,text", [
    ("2024-01-29", None, False, "29 January 2024"),
    ("2024-01-29", "2024-01-29", False, "29 January 2024"),
    ("2024-01-29", "2024-01-30", False, "29–30 January 2024"),
    ("2024-01-29", "2024-02-02", False, "29 January – 2 February 2024"),
    ("2023-12-30", "2024-01-02", False, "30 December 2023 – 2 January 2024"),
    ("2024-01", "2024-03", False, "January 2024 – March 2024"),
    ("2024-01", None, True, "c. January 2024"),
    ("2024", None, True, "c. 2024"),
])
def test_human_span(start, end, approximate, text):
    assert human_span(d(start), d(end) if end else None, approximate) == text


@pytest.mark.parametrize("text,ok", [("04:05", True), ("00:00", True), ("23:59", True), ("24:00", False),
                                     ("4:05", False), ("04:5", False), ("04:05:00", False), (" 04:05 ", True)])
def test_parse_time(text, ok):
    if ok:
        assert parse_time(text) == text.strip()
    else:
        with pytest.raises(DateError, match="is not a time"):
            parse_time(text)


def test_datetime_attribute_keeps_precision():
    day = Event("a", "a.md", "A", d("2024-01-15"), "", 5, time="04:05")
    month = Event("b", "b.md", "B", d("2024-01"), "", 5)
    assert (datetime_attr(day), event_date(day)) == ("2024-01-15T04:05", "15 January 2024")
    assert (datetime_attr(month), event_date(month)) == ("2024-01", "January 2024")


@given(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)), st.sampled_from([1, 2, 3]))
def test_round_trip(date, parts):
    text = date.isoformat()[: {1: 4, 2: 7, 3: 10}[parts]]
    parsed = PartialDate.parse(text)
    assert str(parsed) == text
    assert parsed.first_day() <= date <= parsed.last_day()
