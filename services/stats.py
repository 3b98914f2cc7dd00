"""Statistics of an area: tips by category and status, fraud alerts, confirmed scam indicators,
how fast tips are first acted on, advisories sent and the groups they reached — for a period,
each figure next to the previous period and the same period last year.

The counting happens in SQL (storage.repositories.stats); this module holds the calendar
(periods in local time, turned into UTC bounds), the pure aggregation over the grouped rows and
the comparisons, so all of it is tested without a database. Wording lives in
``services.stats_text`` and the catalogue (``stats-`` keys).
"""

from __future__ import annotations

import asyncio
import calendar
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from services import charts, stats_text
from services.access import Profile
from services.categories import CATEGORIES, Category, parse_category
from services.errors import InvalidInput, NotFound, PermissionDenied
from services.ports import DeliveryStatus, Html, OutgoingMessage, Recipient, Sender
from storage.dto import AreaDTO
from storage.models import ReportKind, ReportStatus, Role
from storage.repositories.areas import AreaRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.chats import ChatRepository
from storage.repositories.stats import (
    ExportRow,
    GroupCount,
    MedianDuration,
    Reach,
    StatsRepository,
)
from storage.uow import Session, Sessions, transaction

logger = logging.getLogger(__name__)

DIGEST_SETTING = "weekly_digest"
"""chats.settings flag: send the weekly digest to this police work chat."""
DIGEST_SENT_SETTING = "weekly_digest_sent"
"""chats.settings: local Monday (ISO date) of the last week whose digest went out, so a
restart or a second run the same Monday never sends it twice."""
DIGEST_WEEKDAY = 0
"""Monday (``date.weekday()``)."""
DIGEST_TIME = time(7, 30)
"""Local time the digest is due."""

MAX_RANGE_DAYS = 3 * 366 + 1
"""Longest typed date range: beyond that the daily series and comparisons stop meaning much."""
MAX_BREAKDOWN_AREAS = 40
"""Most child areas listed (and offered as buttons) in one breakdown."""

STATUSES: tuple[ReportStatus, ...] = tuple(ReportStatus)


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
            return Period(kind, *_shift_range_months(self.start, self.end, -months))
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


# -- figures and comparisons --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figures:
    total: int = 0
    by_category: Mapping[str, int] = field(default_factory=dict)
    """Every category code in display order (unknown codes counted as "other")."""
    by_status: Mapping[str, int] = field(default_factory=dict)
    fraud: int = 0
    indicators: int = 0
    median_first_action: float | None = None
    """Seconds; None when nothing of the period has been acted on."""
    acted: int = 0
    broadcasts: int = 0
    groups_reached: int = 0
    deliveries: int = 0
    helpful: int = 0


def aggregate(
    counts: Iterable[GroupCount],
    *,
    indicators: int = 0,
    median: MedianDuration | None = None,
    reach: Reach | None = None,
    helpful: int = 0,
) -> Figures:
    by_category = {c.value: 0 for c in CATEGORIES}
    by_status = {s.value: 0 for s in STATUSES}
    total = fraud = 0
    for row in counts:
        total += row.count
        code = (parse_category(row.category) or Category.OTHER).value
        by_category[code] += row.count
        if row.status in by_status:
            by_status[row.status] += row.count
        if row.kind == ReportKind.FRAUD.value:
            fraud += row.count
    return Figures(
        total=total,
        by_category=by_category,
        by_status=by_status,
        fraud=fraud,
        indicators=indicators,
        median_first_action=median.seconds if median else None,
        acted=median.acted if median else 0,
        broadcasts=reach.broadcasts if reach else 0,
        groups_reached=reach.groups if reach else 0,
        deliveries=reach.deliveries if reach else 0,
        helpful=helpful,
    )


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    SAME = "same"
    NO_BASE = "nobase"
    """Nothing to compare with (the base period counted 0, or has no figure)."""


@dataclass(frozen=True, slots=True)
class Change:
    direction: Direction
    diff: float = 0
    """Absolute difference (a count, or seconds for durations)."""
    pct: Decimal | None = None
    """Absolute percentage of the base, rounded half-up to one decimal."""


_TENTH = Decimal("0.1")


def compare(current: int, base: int | None) -> Change:
    """``current`` against ``base``: 0 → n has no base; n → 0 is down 100%; 0 → 0 is equal."""
    if base is None:
        return Change(Direction.NO_BASE)
    if current == base:
        return Change(Direction.SAME)
    if base == 0:
        return Change(Direction.NO_BASE, diff=current)
    diff = abs(current - base)
    pct = (Decimal(diff) * 100 / Decimal(base)).quantize(_TENTH, rounding=ROUND_HALF_UP)
    return Change(Direction.UP if current > base else Direction.DOWN, diff=diff, pct=pct)


def compare_duration(current: float | None, base: float | None) -> Change:
    """Durations compared to the minute: UP means slower."""
    if current is None or base is None:
        return Change(Direction.NO_BASE)
    if round(current / 60) == round(base / 60):
        return Change(Direction.SAME)
    return Change(
        Direction.UP if current > base else Direction.DOWN, diff=abs(current - base), pct=None
    )


# -- results ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatsReport:
    scope: tuple[AreaDTO, ...]
    area_id: int
    """The area asked for, or 0 for "all of the caller's areas"."""
    period: Period
    previous: Period | None
    last_year: Period
    current: Figures
    before: Figures | None
    year_ago: Figures
    granularity: Granularity
    series: tuple[tuple[date, int], ...]
    series_last_year: tuple[tuple[date, int], ...]
    can_break_down: bool

    @property
    def scope_names(self) -> str:
        return ", ".join(a.name for a in self.scope)


@dataclass(frozen=True, slots=True)
class Rendered:
    report: StatsReport
    html: str
    chart: bytes
    """PNG."""


@dataclass(frozen=True, slots=True)
class AreaLine:
    area: AreaDTO
    count: int
    change: Change
    has_children: bool


@dataclass(frozen=True, slots=True)
class Breakdown:
    scope: tuple[AreaDTO, ...]
    area_id: int
    period: Period
    base: Period
    base_key: str
    lines: tuple[AreaLine, ...]
    more: int
    """Areas left out of ``lines`` (beyond MAX_BREAKDOWN_AREAS, all with the fewest tips)."""


@dataclass(frozen=True, slots=True)
class DigestOutcome:
    enabled: bool
    changed: bool
    area: AreaDTO


@dataclass(frozen=True, slots=True)
class DigestRun:
    sent: int = 0
    failed: int = 0
    skipped: int = 0


@dataclass(frozen=True, slots=True)
class Export:
    report: StatsReport
    rows: tuple[ExportRow, ...]


Translate = Callable[..., str]
"""``bot.i18n.t``: (key, locale, **args) -> plain text."""


def _default_translate(key: str, locale: str | None = None, **args: Any) -> str:
    return key


class StatsService:
    def __init__(
        self,
        sessions: Sessions,
        *,
        tz: ZoneInfo,
        sender: Sender | None = None,
        translate: Translate = _default_translate,
        default_language: str = "vi",
    ) -> None:
        self._sessions = sessions
        self._tz = tz
        self._sender = sender
        self._t = translate
        self._default_language = default_language

    # -- time --------------------------------------------------------------------------
    def today(self, now: datetime | None = None) -> date:
        return (now or datetime.now(UTC)).astimezone(self._tz).date()

    def period(self, kind: PeriodKind, now: datetime | None = None) -> Period:
        return Period.current(kind, self.today(now))

    def _offset_minutes(self, period: Period) -> int:
        """UTC offset at the period's start (Asia/Ho_Chi_Minh has no DST: +420)."""
        start = datetime.combine(period.start, time(12), tzinfo=self._tz)
        offset = start.utcoffset() or timedelta()
        return int(offset.total_seconds() // 60)

    # -- rights --------------------------------------------------------------------------
    async def _scope(
        self, session: Session, profile: Profile | None, area_id: int
    ) -> tuple[AreaDTO, ...]:
        """The areas the figures cover. ``profile`` None is the operator (CLI)."""
        areas = AreaRepository(session)
        if area_id:
            area = await areas.get(area_id)
            if area is None:
                raise NotFound("stats-area-not-found")
            if profile is not None and not profile.can(Role.MODERATOR, area):
                raise PermissionDenied("stats-not-allowed")
            return (area,)
        if profile is None:
            raise InvalidInput("stats-area-not-found")
        mine = profile.areas_for(Role.MODERATOR)
        if not mine and profile.is_superadmin:
            mine = await areas.children(None)
        if not mine:
            raise PermissionDenied("stats-not-allowed")
        return tuple(sorted(mine, key=lambda a: a.path))

    def check_allowed(self, profile: Profile) -> None:
        if not profile.has_any(Role.MODERATOR):
            raise PermissionDenied("stats-not-allowed")

    # -- figures ---------------------------------------------------------------------------
    async def _figures(self, repo: StatsRepository, paths: list[str], period: Period) -> Figures:
        since, until = period.utc_bounds(self._tz)
        return aggregate(
            await repo.report_counts(paths, since, until),
            indicators=await repo.indicators_confirmed(paths, since, until),
            median=await repo.median_first_action(paths, since, until),
            reach=await repo.advisory_reach(paths, since, until),
            helpful=await repo.helpful(paths, since, until),
        )

    async def _series(
        self, repo: StatsRepository, paths: list[str], period: Period, granularity: Granularity
    ) -> tuple[tuple[date, int], ...]:
        since, until = period.utc_bounds(self._tz)
        daily = await repo.daily_counts(paths, since, until, self._offset_minutes(period))
        return series(period, granularity, daily)

    async def _build(
        self, session: Session, scope: tuple[AreaDTO, ...], area_id: int, period: Period
    ) -> StatsReport:
        repo = StatsRepository(session)
        paths = [a.path for a in scope]
        previous = period.previous()
        last_year = period.last_year()
        if previous is not None and (previous.start, previous.end) == (
            last_year.start,
            last_year.end,
        ):
            previous = None  # a typed twelve months: "the previous period" is last year
        granularity = period.granularity
        if len(scope) > 1:
            can_break_down = True
        else:
            can_break_down = bool(await AreaRepository(session).children(scope[0].id))
        return StatsReport(
            scope=scope,
            area_id=area_id,
            period=period,
            previous=previous,
            last_year=last_year,
            current=await self._figures(repo, paths, period),
            before=await self._figures(repo, paths, previous) if previous else None,
            year_ago=await self._figures(repo, paths, last_year),
            granularity=granularity,
            series=await self._series(repo, paths, period, granularity),
            series_last_year=await self._series(repo, paths, last_year, granularity),
            can_break_down=can_break_down,
        )

    async def report(
        self, profile: Profile | None, period: Period, area_id: int = 0
    ) -> StatsReport:
        """The figures of ``area_id`` (0: all the caller's areas) for ``period``."""
        if profile is not None:
            self.check_allowed(profile)
        async with transaction(self._sessions) as session:
            scope = await self._scope(session, profile, area_id)
            return await self._build(session, scope, area_id, period)

    async def breakdown(self, profile: Profile, period: Period, area_id: int = 0) -> Breakdown:
        """Each child area (or each of the caller's areas) with its count and change."""
        self.check_allowed(profile)
        base = period.previous() or period.last_year()
        base_key = period.previous_key if period.previous() else "stats-base-last-year"
        async with transaction(self._sessions) as session:
            scope = await self._scope(session, profile, area_id)
            areas = AreaRepository(session)
            units = list(scope) if len(scope) > 1 else await areas.children(scope[0].id)
            repo = StatsRepository(session)
            paths = [a.path for a in scope]
            now_counts = await repo.counts_by_area(paths, *period.utc_bounds(self._tz))
            base_counts = await repo.counts_by_area(paths, *base.utc_bounds(self._tz))
            with_children = {
                a.id for a in units if a.kind.depth < 3 and await areas.children(a.id)
            }
        current = roll_up(units, now_counts)
        before = roll_up(units, base_counts)
        lines = sorted(
            (
                AreaLine(
                    a, current[a.id], compare(current[a.id], before[a.id]), a.id in with_children
                )
                for a in units
            ),
            key=lambda line: (-line.count, line.area.name),
        )
        shown = tuple(lines[:MAX_BREAKDOWN_AREAS])
        return Breakdown(
            scope=scope,
            area_id=area_id,
            period=period,
            base=base,
            base_key=base_key,
            lines=shown,
            more=len(lines) - len(shown),
        )

    async def chart(self, report: StatsReport, locale: str) -> bytes:
        """The PNG chart, drawn in a worker thread so the bot keeps answering meanwhile."""
        spec = stats_text.chart_spec(report, locale, self._t)
        return await asyncio.to_thread(charts.render_png, spec)

    async def render(self, profile: Profile, period: Period, area_id: int = 0) -> Rendered:
        """The figures, in words (HTML) and as a chart, in the caller's language."""
        report = await self.report(profile, period, area_id)
        return Rendered(
            report,
            stats_text.report_html(report, profile.locale, self._t),
            await self.chart(report, profile.locale),
        )

    async def scope_names(self, profile: Profile) -> str:
        self.check_allowed(profile)
        async with transaction(self._sessions) as session:
            scope = await self._scope(session, profile, 0)
        return ", ".join(a.name for a in scope)

    # -- export (operator, CLI) --------------------------------------------------------
    async def export(self, area_code: str, start: date, end: date) -> Export:
        if end < start:
            raise InvalidInput("stats-dates-reversed")
        if (end - start).days >= MAX_RANGE_DAYS:
            raise InvalidInput("stats-range-too-long", days=MAX_RANGE_DAYS - 1)
        period = Period(PeriodKind.CUSTOM, start, end)
        async with transaction(self._sessions) as session:
            area = await AreaRepository(session).get_by_code(area_code.strip().upper())
            if area is None:
                raise NotFound("stats-area-not-found")
            report = await self._build(session, (area,), area.id, period)
            rows = await StatsRepository(session).export_rows(
                [area.path], *period.utc_bounds(self._tz)
            )
        return Export(report, tuple(rows))

    # -- weekly digest -------------------------------------------------------------------
    async def set_digest(
        self, telegram_chat_id: int, enabled: bool | None, actor: Profile
    ) -> DigestOutcome:
        """Turn the weekly digest of a police work chat on or off (None: just tell)."""
        async with transaction(self._sessions) as session:
            chats = ChatRepository(session)
            chat = await chats.get(telegram_chat_id)
            if chat is None or chat.area_id is None or chat.purpose.value != "police":
                raise InvalidInput("stats-digest-not-police-chat")
            area = await AreaRepository(session).get(chat.area_id)
            if area is None:
                raise InvalidInput("stats-digest-not-police-chat")
            if not actor.can(Role.POLICE, area):
                raise PermissionDenied("stats-digest-denied")
            current = bool(chat.settings.get(DIGEST_SETTING, False))
            if enabled is None or enabled == current:
                return DigestOutcome(current, False, area)
            await chats.update(
                telegram_chat_id, settings={**chat.settings, DIGEST_SETTING: enabled}
            )
            await AuditRepository(session).add(
                "stats.weekly_digest",
                actor_user_id=actor.user.id,
                target_type="chat",
                target_id=chat.id,
                area_id=area.id,
                before={DIGEST_SETTING: current},
                after={DIGEST_SETTING: enabled},
            )
            return DigestOutcome(enabled, True, area)

    def last_week_start(self, now: datetime) -> date:
        """The Monday of the last complete week (local time)."""
        local = now.astimezone(self._tz)
        return local.date() - timedelta(days=local.weekday() + 7)

    def catch_up_due(self, now: datetime) -> bool:
        """At start-up: only on a Monday, once 07:30 has passed (the bot was down then)."""
        local = now.astimezone(self._tz)
        return local.weekday() == DIGEST_WEEKDAY and local.time() >= DIGEST_TIME

    async def send_weekly_digests(
        self, now: datetime | None = None, *, catch_up: bool = False
    ) -> DigestRun:
        """Send the last complete week's figures to every police work chat that asked for
        them and has not had that week's digest yet (at most once per chat and week, even
        across restarts). ``catch_up``: the start-up run, which only acts on a Monday after
        the digest time."""
        if self._sender is None:
            raise RuntimeError("the weekly digest needs a sender")
        now = now or datetime.now(UTC)
        if catch_up and not self.catch_up_due(now):
            return DigestRun()
        week_start = self.last_week_start(now)
        period = Period(PeriodKind.LAST_WEEK, week_start, week_start + timedelta(days=6))
        marker = week_start.isoformat()
        async with transaction(self._sessions) as session:
            wanted = [
                c
                for c in await StatsRepository(session).police_chats()
                if c.settings.get(DIGEST_SETTING) is True
            ]
        sent = failed = skipped = 0
        for chat in wanted:
            outcome = await self._digest_one(chat.telegram_chat_id, period, marker)
            if outcome is None:
                skipped += 1
            elif outcome:
                sent += 1
            else:
                failed += 1
        if wanted:
            logger.info(
                "weekly digest %s: sent %d, failed %d, skipped %d", marker, sent, failed, skipped
            )
        return DigestRun(sent, failed, skipped)

    async def _digest_one(self, telegram_chat_id: int, period: Period, marker: str) -> bool | None:
        assert self._sender is not None
        async with transaction(self._sessions) as session:
            chats = ChatRepository(session)
            chat = await chats.get(telegram_chat_id)
            if (
                chat is None
                or chat.area_id is None
                or chat.settings.get(DIGEST_SETTING) is not True
                or chat.settings.get(DIGEST_SENT_SETTING) == marker
            ):
                return None
            area = await AreaRepository(session).get(chat.area_id)
            if area is None:
                return None
            report = await self._build(session, (area,), area.id, period)
            # Marked before sending: a crash mid-send loses one digest rather than doubling it.
            await chats.update(
                telegram_chat_id, settings={**chat.settings, DIGEST_SENT_SETTING: marker}
            )
            locale = str(chat.settings.get("language") or self._default_language)
        body = stats_text.report_html(report, locale, self._t, digest=True)
        result = await self._sender.send(
            Recipient(telegram_chat_id, locale),
            OutgoingMessage("stats-digest", {"body": Html(body)}, silent=True),
        )
        if result.status is not DeliveryStatus.SENT:
            logger.warning("weekly digest to a police chat failed: %s", result.status.value)
            return False
        return True


def roll_up(units: Sequence[AreaDTO], counts_by_path: Mapping[str, int]) -> dict[int, int]:
    """Counts per area path summed into the unit (disjoint subtrees) that contains each path."""
    by_path = {u.path: u.id for u in units}
    totals = dict.fromkeys((u.id for u in units), 0)
    for path, count in counts_by_path.items():
        parts = path.strip("/").split("/")
        for depth in range(len(parts), 0, -1):
            prefix = "/" + "/".join(parts[:depth]) + "/"
            if prefix in by_path:
                totals[by_path[prefix]] += count
                break
    return totals
