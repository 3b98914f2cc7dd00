"""The calendar of statistics: periods as local dates (this week, month, quarter, year, typed
ranges), their previous period and the same period last year, their UTC bounds (local
midnights in settings.tz), and the buckets of a time series (per day, week or month)."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from services.errors import InvalidInput

MAX_RANGE_DAYS = 3 * 366 + 1
"""Longest typed date range: beyond that the daily series and comparisons stop meaning much."""


class PeriodKind(StrEnum):
    WEEK = "w"
    """This week so far (Monday to today)."""
    MONTH = "m"
    QUARTER = "q"
    YEAR = "y"
    LAST_WEEK = "lw"
    """The last full week, Monday to Sunday (the weekly digest)."""
    LAST_MONTH = "lm"
    CUSTOM = "c"
    """Dates typed by the officer."""


MENU_PERIODS: tuple[PeriodKind, ...] = (
    PeriodKind.WEEK,
    PeriodKind.MONTH,
    PeriodKind.QUARTER,
    PeriodKind.YEAR,
    PeriodKind.LAST_MONTH,
)
"""Offered as buttons, in this order."""


class Granularity(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


# -- the calendar -------------------------------------------------------------------------


def last_day(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def add_months(d: date, months: int) -> date:
    """Same day ``months`` later (or earlier), clamped to the month's length (31/3 → 28/2)."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _shift_range_months(start: date, end: date, months: int) -> tuple[date, date]:
    new_start = add_months(start, months)
    new_end = (
        last_day(add_months(end, months)) if end == last_day(end) else add_months(end, months)
    )
    return new_start, new_end


@dataclass(frozen=True, slots=True)
class Period:
    """Local calendar dates, both ends included."""

    kind: PeriodKind
    start: date
    end: date

    @classmethod
    def current(cls, kind: PeriodKind, today: date) -> Period:
        if kind is PeriodKind.WEEK:
            return cls(kind, today - timedelta(days=today.weekday()), today)
        if kind is PeriodKind.MONTH:
            return cls(kind, today.replace(day=1), today)
        if kind is PeriodKind.QUARTER:
            first_month = (today.month - 1) // 3 * 3 + 1
            return cls(kind, date(today.year, first_month, 1), today)
        if kind is PeriodKind.YEAR:
            return cls(kind, date(today.year, 1, 1), today)
        if kind is PeriodKind.LAST_WEEK:
            monday = today - timedelta(days=today.weekday() + 7)
            return cls(kind, monday, monday + timedelta(days=6))
        if kind is PeriodKind.LAST_MONTH:
            start = add_months(today.replace(day=1), -1)
            return cls(kind, start, last_day(start))
        raise ValueError(f"{kind} needs explicit dates")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def whole_months(self) -> int | None:
        """How many calendar months it covers exactly, or None if it is not whole months."""
        if self.start.day != 1 or self.end != last_day(self.end):
            return None
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def utc_bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """[local midnight starting ``start``, local midnight after ``end``) in UTC."""
        since = datetime.combine(self.start, time(), tzinfo=tz).astimezone(UTC)
        until = datetime.combine(self.end + timedelta(days=1), time(), tzinfo=tz).astimezone(UTC)
        return since, until

    def previous(self) -> Period | None:
        """The period just before, of the same shape; None for a year (that is "last year")."""
        kind = self.kind
        if kind is PeriodKind.YEAR:
            return None
        if kind in (PeriodKind.WEEK, PeriodKind.LAST_WEEK):
            step = timedelta(days=7)
            return Period(kind, self.start - step, self.end - step)
        months = {PeriodKind.MONTH: 1, PeriodKind.LAST_MONTH: 1, PeriodKind.QUARTER: 3}.get(kind)
        if months is None:
            months = self.whole_months
        if months is not None:
            start, end = _shift_range_months(self.start, self.end, -months)
            if self.whole_months is None:  # a period in progress: as many days, no more
                end = min(start + timedelta(days=self.days - 1), self.start - timedelta(days=1))
            return Period(kind, start, end)
        end = self.start - timedelta(days=1)
        return Period(kind, end - timedelta(days=self.days - 1), end)

    def last_year(self) -> Period:
        """The same dates a year earlier (29/2 becomes 28/2)."""
        return Period(self.kind, *_shift_range_months(self.start, self.end, -12))

    @property
    def granularity(self) -> Granularity:
        if self.days <= 31:
            return Granularity.DAY
        if self.days <= 190:
            return Granularity.WEEK
        return Granularity.MONTH

    @property
    def previous_key(self) -> str:
        """Catalogue key naming the previous period ("tháng trước")."""
        return {
            PeriodKind.WEEK: "stats-base-week",
            PeriodKind.LAST_WEEK: "stats-base-week",
            PeriodKind.MONTH: "stats-base-month",
            PeriodKind.LAST_MONTH: "stats-base-month",
            PeriodKind.QUARTER: "stats-base-quarter",
        }.get(self.kind, "stats-base-previous")

    def token(self) -> str:
        """Compact, for callback data: the kind and both dates (``m.20261101.20261126``)."""
        return f"{self.kind.value}.{self.start:%Y%m%d}.{self.end:%Y%m%d}"

    @classmethod
    def from_token(cls, token: str) -> Period | None:
        match = re.fullmatch(r"([a-z]{1,2})\.(\d{8})\.(\d{8})", token)
        if match is None:
            return None
        try:
            kind = PeriodKind(match.group(1))
            start = datetime.strptime(match.group(2), "%Y%m%d").date()
            end = datetime.strptime(match.group(3), "%Y%m%d").date()
        except ValueError:
            return None
        if end < start or (end - start).days >= MAX_RANGE_DAYS:
            return None
        return cls(kind, start, end)


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


def parse_day(text: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def parse_range(args: Sequence[str]) -> Period:
    """``/thongke 01/10/2026 31/10/2026`` (also ``01/10/2026-31/10/2026``)."""
    words = [w for a in args for w in re.split(r"\s+|(?<=\d)[–—](?=\d)|\s-\s", a) if w]
    if len(words) == 1 and words[0].count("-") == 1 and "/" in words[0]:
        words = words[0].split("-")
    if len(words) != 2:
        raise InvalidInput("stats-bad-dates")
    start, end = parse_day(words[0][:20]), parse_day(words[1][:20])
    if start is None or end is None:
        raise InvalidInput("stats-bad-dates")
    if end < start:
        raise InvalidInput("stats-dates-reversed")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise InvalidInput("stats-range-too-long", days=MAX_RANGE_DAYS - 1)
    return Period(PeriodKind.CUSTOM, start, end)


def bucket_of(day: date, granularity: Granularity) -> date:
    if granularity is Granularity.DAY:
        return day
    if granularity is Granularity.WEEK:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def buckets(period: Period, granularity: Granularity) -> list[date]:
    out: list[date] = []
    current = bucket_of(period.start, granularity)
    last = bucket_of(period.end, granularity)
    while current <= last:
        out.append(current)
        if granularity is Granularity.DAY:
            current += timedelta(days=1)
        elif granularity is Granularity.WEEK:
            current += timedelta(days=7)
        else:
            current = add_months(current, 1)
    return out


def series(
    period: Period, granularity: Granularity, daily: Iterable[tuple[date, int]]
) -> tuple[tuple[date, int], ...]:
    """Daily counts summed into buckets, every bucket of the period present (zeros too)."""
    totals = dict.fromkeys(buckets(period, granularity), 0)
    for day, count in daily:
        if period.start <= day <= period.end:
            key = bucket_of(day, granularity)
            totals[key] = totals.get(key, 0) + count
    return tuple(totals.items())
