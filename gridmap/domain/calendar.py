"""Working calendar: time limits of cases are counted in working hours.

A working day has fixed working periods (e.g. 08:30-12:00 and 14:00-17:30);
Saturdays and Sundays are off unless listed as adjusted working days (调休), and
listed public holidays are off. Times are local city time, naive datetimes.

The calendar maps a moment to its *working-minute ordinal* (working minutes since
the calendar's epoch), so adding N working hours or measuring working time
between two moments is arithmetic, and works on numpy arrays of many cases at once.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np

from gridmap.domain.errors import CalendarError

#: Case times are Beijing time (UTC+8, no daylight saving), as the centre and the devices record them,
#: whatever time zone the machine running gridmap is set to.
CITY_TZ = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def city_now(timespec: str = "seconds") -> dt.datetime:
    """The current Beijing time as a naive datetime, to the second (how case times are stored) or, with
    ``timespec="milliseconds"``, to the millisecond (grid versions, which may follow each other fast)."""
    now = dt.datetime.now(CITY_TZ).replace(tzinfo=None)
    return now.replace(microsecond=now.microsecond // 1000 * 1000 if timespec == "milliseconds" else 0)


def city_today() -> dt.date:
    """Today's date in Beijing."""
    return city_now().date()


_EPOCH = dt.date(2000, 1, 1)
_DAYS = 100 * 366  # 2000 .. ~2100
_MIN_PER_DAY = 1440


def _parse_hhmm(text: str, where: str) -> int:
    try:
        hours, minutes = text.strip().split(":")
        value = int(hours) * 60 + int(minutes)
    except ValueError:
        raise CalendarError(f"{where}: {text!r} is not a time HH:MM") from None
    if not 0 <= value <= _MIN_PER_DAY:
        raise CalendarError(f"{where}: {text!r} is not a time of day")
    return value


class WorkingCalendar:
    """Working days and hours; see the module docstring."""

    def __init__(
        self,
        periods: list[tuple[int, int]],
        holidays: set[dt.date] = frozenset(),
        workdays: set[dt.date] = frozenset(),
    ):
        """``periods`` are (start, end) minutes of the day, sorted and not overlapping."""
        if not periods:
            raise CalendarError("a working day needs at least one working period")
        last_end = -1
        for start, end in periods:
            if not (0 <= start < end <= _MIN_PER_DAY) or start < last_end:
                raise CalendarError(f"working periods {periods} must be sorted and not overlap")
            last_end = end
        self.periods = np.array(periods, dtype=np.int64)
        self.minutes_per_day = int((self.periods[:, 1] - self.periods[:, 0]).sum())
        days = np.arange(_DAYS)
        weekday = (np.datetime64(_EPOCH, "D") + days).astype("datetime64[D]").view("int64")
        weekday = (weekday + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
        working = weekday < 5
        for day in holidays:
            k = (day - _EPOCH).days
            if 0 <= k < _DAYS:
                working[k] = False
        for day in workdays:
            k = (day - _EPOCH).days
            if 0 <= k < _DAYS:
                working[k] = True
        self._working = working
        per_day = np.where(working, self.minutes_per_day, 0)
        self._cum = np.concatenate([[0], np.cumsum(per_day)])  # minutes before day k
        # period k covers [starts[k], ends[k]) within a working day; cum_in_day before it
        self._starts = self.periods[:, 0]
        self._ends = self.periods[:, 1]
        self._cum_in_day = np.concatenate([[0], np.cumsum(self._ends - self._starts)])

    @classmethod
    def from_files(cls, hours_csv: Path | str, holidays_csv: Path | str | None) -> WorkingCalendar:
        """Read working periods and holidays from CSV files (see data/calendar/).

        Raises CalendarError naming the file and row when a row is malformed.
        """
        periods = []
        for lineno, row in _rows(hours_csv):
            where = f"{hours_csv}, row {lineno}"
            periods.append((_parse_hhmm(row.get("start", ""), where),
                            _parse_hhmm(row.get("end", ""), where)))
        holidays: set[dt.date] = set()
        workdays: set[dt.date] = set()
        if holidays_csv is not None:
            for lineno, row in _rows(holidays_csv):
                where = f"{holidays_csv}, row {lineno}"
                try:
                    day = dt.date.fromisoformat(row.get("date", ""))
                except ValueError:
                    raise CalendarError(f"{where}: {row.get('date')!r} is not a date") from None
                kind = row.get("kind")
                if kind == "holiday":
                    holidays.add(day)
                elif kind == "workday":
                    workdays.add(day)
                else:
                    raise CalendarError(f"{where}: kind must be 'holiday' or 'workday', not {kind!r}")
        return cls(periods, holidays, workdays)

    @classmethod
    def shipped(cls) -> WorkingCalendar:
        """Return the calendar shipped in data/calendar (PRC holidays, 7-hour day)."""
        from gridmap.paths import HOLIDAYS_CSV, WORKING_HOURS_CSV  # noqa: PLC0415

        return cls.from_files(WORKING_HOURS_CSV, HOLIDAYS_CSV)

    # --- single moments -----------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        """Return True when ``day`` is a working day."""
        return bool(self._working[self._day_index(day)])

    def add_working_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        """Return the moment ``hours`` working hours after ``start`` (the deadline)."""
        minutes = np.array([_to_minutes(start)], dtype=np.int64)
        ordinal = self.to_ordinal(minutes) + round(hours * 60)
        return _from_minutes(int(self.from_ordinal(ordinal)[0]))

    def working_hours_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Return the working hours from ``start`` to ``end`` (negative when end is earlier)."""
        a, b = self.to_ordinal(np.array([_to_minutes(start), _to_minutes(end)], dtype=np.int64))
        return float(b - a) / 60.0

    # --- arrays ---------------------------------------------------------------

    def to_ordinal(self, minutes: np.ndarray) -> np.ndarray:
        """Map minutes since 2000-01-01 00:00 to working-minute ordinals."""
        minutes = np.asarray(minutes, dtype=np.int64)
        day = minutes // _MIN_PER_DAY
        if day.size and (day.min() < 0 or day.max() >= _DAYS):
            raise CalendarError("a time lies outside the calendar's years (2000-2099)")
        of_day = minutes - day * _MIN_PER_DAY
        done = np.clip(of_day[:, None] - self._starts[None, :], 0, self._ends - self._starts)
        return self._cum[day] + np.where(self._working[day], done.sum(axis=1), 0)

    def from_ordinal(self, ordinals: np.ndarray) -> np.ndarray:
        """Map working-minute ordinals back to minutes since 2000-01-01: the earliest such moment."""
        ordinals = np.asarray(ordinals, dtype=np.int64)
        # the day k with cum[k] < w <= cum[k+1]; w == 0 means the first working moment
        day = np.searchsorted(self._cum, ordinals, side="left") - 1
        day = np.clip(day, 0, _DAYS - 1)
        rest = ordinals - self._cum[day]
        zero = ordinals <= 0
        period = np.clip(np.searchsorted(self._cum_in_day, rest, side="left") - 1, 0, len(self._starts) - 1)
        of_day = self._starts[period] + (rest - self._cum_in_day[period])
        out = day * _MIN_PER_DAY + of_day
        if zero.any():
            first = int(np.argmax(self._working))
            out[zero] = first * _MIN_PER_DAY + self._starts[0]
        return out

    def _day_index(self, day: dt.date) -> int:
        k = (day - _EPOCH).days
        if not 0 <= k < _DAYS:
            raise CalendarError(f"{day} lies outside the calendar's years (2000-2099)")
        return k


def _rows(path):
    try:
        with Path(path).open(encoding="utf-8", newline="") as f:
            lines = [line for line in f if not line.startswith("#")]
    except OSError as exc:
        raise CalendarError(f"{path}: cannot read: {exc}") from exc
    return enumerate(csv.DictReader(lines), start=2)


def _to_minutes(moment: dt.datetime) -> int:
    delta = moment - dt.datetime(_EPOCH.year, _EPOCH.month, _EPOCH.day)
    return delta.days * _MIN_PER_DAY + delta.seconds // 60


def _from_minutes(minutes: int) -> dt.datetime:
    return dt.datetime(_EPOCH.year, _EPOCH.month, _EPOCH.day) + dt.timedelta(minutes=minutes)


def to_minutes(moment: dt.datetime) -> int:
    """Return minutes since 2000-01-01 00:00 (the calendar's array unit)."""
    return _to_minutes(moment)


def from_minutes(minutes: int) -> dt.datetime:
    """Return the moment ``minutes`` after 2000-01-01 00:00."""
    return _from_minutes(minutes)
