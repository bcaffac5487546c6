import datetime as dt

import numpy as np
import pytest

from gridmap.domain.calendar import WorkingCalendar, from_minutes, to_minutes
from gridmap.domain.errors import CalendarError

T = dt.datetime.fromisoformat


@pytest.fixture(scope="module")
def calendar():
    return WorkingCalendar.shipped()


@pytest.mark.parametrize(("start", "hours", "deadline"), [
    ("2025-03-07 11:00", 1, "2025-03-07 12:00"),      # inside the morning
    ("2025-03-07 11:00", 1.5, "2025-03-07 14:30"),    # over the lunch break
    ("2025-03-07 16:30", 2, "2025-03-10 09:30"),      # Friday afternoon to Monday
    ("2025-03-08 10:00", 1, "2025-03-10 09:30"),      # reported on a Saturday
    ("2025-03-07 19:00", 1, "2025-03-10 09:30"),      # after hours on Friday
    ("2025-01-27 17:00", 1, "2025-02-05 09:00"),      # into the Spring Festival holiday
    ("2025-01-24 17:00", 1, "2025-01-26 09:00"),      # Sunday 26 Jan 2025 was a working day (调休)
])
def test_deadlines_count_working_hours(calendar, start, hours, deadline):
    assert calendar.add_working_hours(T(start), hours) == T(deadline)


def test_working_hours_between(calendar):
    assert calendar.working_hours_between(T("2025-03-07 16:00"), T("2025-03-10 09:30")) == 2.5
    assert calendar.working_hours_between(T("2025-03-10 09:30"), T("2025-03-07 16:00")) == -2.5


def test_working_days(calendar):
    assert calendar.is_working_day(dt.date(2025, 3, 7))
    assert not calendar.is_working_day(dt.date(2025, 3, 8))
    assert not calendar.is_working_day(dt.date(2025, 10, 3))  # National Day
    assert calendar.is_working_day(dt.date(2025, 9, 28))  # a Sunday worked for National Day


def test_arrays_round_trip_on_working_moments(calendar):
    start = to_minutes(T("2024-01-01 00:00"))
    minutes = np.arange(start, start + 60 * 24 * 30, 17, dtype=np.int64)
    ordinals = calendar.to_ordinal(minutes)
    assert np.all(np.diff(ordinals) >= 0)
    back = calendar.from_ordinal(ordinals)
    # the earliest moment with the same ordinal is never later, and maps to the same ordinal
    assert np.all(back <= minutes)
    assert np.array_equal(calendar.to_ordinal(back), ordinals)
    assert from_minutes(to_minutes(T("2024-05-06 08:31"))) == T("2024-05-06 08:31")


def test_bad_calendar_files_name_the_row(tmp_path):
    hours = tmp_path / "hours.csv"
    hours.write_text("start,end\n08:30,12:00\n14:00,25:99\n", encoding="utf-8")
    with pytest.raises(CalendarError, match="row 3"):
        WorkingCalendar.from_files(hours, None)
    hours.write_text("start,end\n08:30,12:00\n", encoding="utf-8")
    holidays = tmp_path / "holidays.csv"
    holidays.write_text("date,kind,name\n2025-13-01,holiday,x\n", encoding="utf-8")
    with pytest.raises(CalendarError, match="not a date"):
        WorkingCalendar.from_files(hours, holidays)


def test_overlapping_periods_are_refused():
    with pytest.raises(CalendarError):
        WorkingCalendar([(600, 720), (700, 800)])
