"""Schedules of advisories: the data (:class:`Schedule`), when they fire next, what Vietnamese
people type for a date or a time ("07:30 25/12/2026", "7h30", "25/12"), and how a schedule
reads back in plain words ("07:30 thứ Hai hằng tuần").

Pure functions: no database, no Telegram. The catalogue is reached through a ``translate``
callable the caller passes (services do not import the bot layer).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

from services.errors import InvalidInput
from storage.models import Recurrence

Translate = Callable[..., str]
"""``translate(key, **args) -> str`` in the reader's language."""

_TIME = re.compile(
    r"(?<![\d/.-])(\d{1,2})\s*(?:(?::|giờ|gio|h|g)\s*(\d{1,2})?\s*(?:p|ph|phút|phut|')?)"
    r"(?![\d/.-])",
    re.IGNORECASE,
)
_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2,4}))?(?!\d)")
_WORDS_TO_DROP = re.compile(r"\b(lúc|luc|ngày|ngay|vào|vao|at|on)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Schedule:
    recurrence: Recurrence
    run_at: datetime | None = None
    """ONCE: aware UTC datetime."""
    time_of_day: str | None = None
    """Recurring: "HH:MM" local."""
    weekdays: tuple[int, ...] = field(default=())
    """WEEKLY: 0 = Monday … 6 = Sunday."""
    month_day: int | None = None
    until: date | None = None

    def validate(self) -> Schedule:
        if self.recurrence is Recurrence.ONCE:
            if self.run_at is None or self.run_at.tzinfo is None:
                raise InvalidInput("sched-invalid")
            return self
        if self.time_of_day is None or parse_time(self.time_of_day) is None:
            raise InvalidInput("sched-invalid")
        if self.recurrence is Recurrence.WEEKLY and (
            not self.weekdays or any(d not in range(7) for d in self.weekdays)
        ):
            raise InvalidInput("sched-weekdays-missing")
        if self.recurrence is Recurrence.MONTHLY and (
            self.month_day is None or not 1 <= self.month_day <= 31
        ):
            raise InvalidInput("sched-month-day-invalid")
        return self

    def trigger(self, tz: ZoneInfo) -> BaseTrigger:
        """The APScheduler trigger that wakes the scheduler for this schedule."""
        if self.recurrence is Recurrence.ONCE:
            assert self.run_at is not None
            return DateTrigger(run_date=self.run_at, timezone=tz)
        assert self.time_of_day is not None
        hour, minute = self.time_of_day.split(":")
        end = (
            datetime.combine(self.until, time(23, 59, 59), tzinfo=tz)
            if self.until is not None
            else None
        )
        fields: dict[str, Any] = {"hour": int(hour), "minute": int(minute), "second": 0}
        if self.recurrence is Recurrence.WEEKLY:
            fields["day_of_week"] = ",".join(str(d) for d in sorted(set(self.weekdays)))
        elif self.recurrence is Recurrence.MONTHLY:
            fields["day"] = str(self.month_day)
        return CronTrigger(timezone=tz, end_date=end, **fields)

    def next_after(
        self, moment: datetime, tz: ZoneInfo, *, inclusive: bool = False
    ) -> datetime | None:
        """The first run strictly after ``moment`` (at or after, when ``inclusive``), in UTC;
        None when the schedule has no more runs."""
        if self.recurrence is Recurrence.ONCE:
            assert self.run_at is not None
            due = self.run_at >= moment if inclusive else self.run_at > moment
            return self.run_at if due else None
        start = moment if inclusive else moment + timedelta(microseconds=1)
        found = self.trigger(tz).get_next_fire_time(None, start.astimezone(tz))
        return found.astimezone(UTC) if found is not None else None


def parse_time(text: str) -> tuple[int, int] | None:
    """ "07:30", "7h30", "7h", "7 giờ 30", "19g" -> (hour, minute); None if there is none."""
    match = _TIME.search(_WORDS_TO_DROP.sub(" ", text.strip()))
    if match is None:
        bare = re.fullmatch(r"\s*(\d{1,2})\s*", text)
        if bare is None:
            return None
        hour, minute = int(bare.group(1)), 0
    else:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return hour, minute


def parse_date(text: str, today: date) -> date | None:
    """ "25/12/2026", "25-12", "25.12.26" -> a date; a day/month without a year is its next
    occurrence from ``today``. None if there is no (valid) date."""
    match = _DATE.search(text)
    if match is None:
        return None
    day, month = int(match.group(1)), int(match.group(2))
    year_text = match.group(3)
    try:
        if year_text:
            year = int(year_text)
            year = year + 2000 if year < 100 else year
            return date(year, month, day)
        found = date(today.year, month, day)
        return found if found >= today else date(today.year + 1, month, day)
    except ValueError:
        return None


def parse_moment(text: str, now: datetime, tz: ZoneInfo) -> datetime:
    """A typed date and time, in the order people write it ("07:30 25/12/2026",
    "25/12 lúc 7h30", "7h30" = today, or tomorrow if that time has passed). Returns aware UTC.
    Raises InvalidInput with a hint when nothing sensible is found or it is in the past."""
    local_now = now.astimezone(tz)
    cleaned = text.strip()
    if not cleaned or len(cleaned) > 64:
        raise InvalidInput("sched-datetime-invalid", text=cleaned[:64])
    day = parse_date(cleaned, local_now.date())
    rest = _DATE.sub(" ", cleaned)
    hm = parse_time(rest)
    if hm is None or (day is None and _DATE.search(cleaned)):
        raise InvalidInput("sched-datetime-invalid", text=cleaned)
    if day is None:
        candidate = datetime.combine(local_now.date(), time(*hm), tzinfo=tz)
        if candidate <= local_now:
            candidate += timedelta(days=1)
    else:
        candidate = datetime.combine(day, time(*hm), tzinfo=tz)
    if candidate <= local_now:
        raise InvalidInput("sched-datetime-past", text=cleaned)
    return candidate.astimezone(UTC)


def format_hm(hour: int, minute: int) -> str:
    return f"{hour:02d}:{minute:02d}"


def describe(schedule: Schedule, tz: ZoneInfo, translate: Translate) -> str:
    """The schedule in plain words, e.g. "07:30 thứ Hai hằng tuần, đến hết 31/12/2026"."""
    if schedule.recurrence is Recurrence.ONCE:
        assert schedule.run_at is not None
        local = schedule.run_at.astimezone(tz)
        return translate(
            "sched-once", time=local.strftime("%H:%M"), date=local.strftime("%d/%m/%Y")
        )
    hm = schedule.time_of_day or ""
    if schedule.recurrence is Recurrence.DAILY:
        text = translate("sched-daily", time=hm)
    elif schedule.recurrence is Recurrence.WEEKLY:
        names = [translate(f"sched-weekday-{d}") for d in sorted(set(schedule.weekdays))]
        text = translate("sched-weekly", time=hm, days=", ".join(names))
    else:
        text = translate("sched-monthly", time=hm, day=str(schedule.month_day))
    if schedule.until is not None:
        text = translate("sched-until", schedule=text, date=schedule.until.strftime("%d/%m/%Y"))
    return text
