"""Statistics of an area: tips by category and status, fraud alerts, confirmed scam indicators,
how fast tips are first acted on, advisories sent and the groups they reached — for a period,
each figure next to the previous period and the same period last year.

The counting happens in SQL (storage.repositories.stats); the calendar is in
``services.stats_period``, the pure aggregation and comparisons in ``services.stats_figures``
(all tested without a database), the wording in ``services.stats_text`` and the catalogue
(``stats-`` keys). This module is the service: rights and transactions; the weekly digest
to police work chats is :mod:`services.stats_digest`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from services import charts, stats_text
from services.access import Profile
from services.categories import CATEGORIES
from services.errors import InvalidInput, NotFound, PermissionDenied
from services.stats_figures import (
    AreaLine,
    Breakdown,
    Export,
    Figures,
    Rendered,
    StatsReport,
    aggregate,
    compare,
    roll_up,
)
from services.stats_period import MAX_RANGE_DAYS, Granularity, Period, PeriodKind, series
from services.text_input import clean
from services.tip_exposure import hidden_categories
from storage.dto import AreaDTO
from storage.models import Role
from storage.repositories.areas import AreaRepository
from storage.repositories.stats import StatsRepository
from storage.uow import Session, Sessions, transaction

MAX_BREAKDOWN_AREAS = 40
"""Most child areas listed (and offered as buttons) in one breakdown."""


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
        translate: Translate = _default_translate,
    ) -> None:
        self._sessions = sessions
        self._tz = tz
        self._t = translate

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

    async def build_in(
        self,
        session: Session,
        scope: tuple[AreaDTO, ...],
        area_id: int,
        period: Period,
        hidden: frozenset[str] = frozenset(),
    ) -> StatsReport:
        """The report of ``scope``, read in the caller's ``session``. ``hidden``: categories
        the reader may not see (services.tip_exposure)."""
        repo = StatsRepository(session, hidden_categories=hidden)
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
        before = await self._figures(repo, paths, previous) if previous else None
        year_ago = await self._figures(repo, paths, last_year)
        first = await repo.first_report_at()

        def comparable(base: Period | None, figures: Figures | None) -> bool:
            """Like with like: the data covers the whole base period, which counted something."""
            if base is None or figures is None or first is None:
                return False
            return first.astimezone(self._tz).date() <= base.start and figures.total > 0

        return StatsReport(
            scope=scope,
            area_id=area_id,
            period=period,
            previous=previous,
            last_year=last_year,
            current=await self._figures(repo, paths, period),
            before=before,
            year_ago=year_ago,
            previous_comparable=comparable(previous, before),
            last_year_comparable=comparable(last_year, year_ago),
            granularity=granularity,
            series=await self._series(repo, paths, period, granularity),
            series_last_year=await self._series(repo, paths, last_year, granularity),
            can_break_down=can_break_down,
            categories=tuple(c for c in CATEGORIES if c.value not in hidden),
        )

    async def report(
        self, profile: Profile | None, period: Period, area_id: int = 0
    ) -> StatsReport:
        """The figures of ``area_id`` (0: all the caller's areas) for ``period``."""
        if profile is not None:
            self.check_allowed(profile)
        async with transaction(self._sessions) as session:
            scope = await self._scope(session, profile, area_id)
            hidden = hidden_categories(profile, scope)
            return await self.build_in(session, scope, area_id, period, hidden)

    async def breakdown(self, profile: Profile, period: Period, area_id: int = 0) -> Breakdown:
        """Each child area (or each of the caller's areas) with its count and change."""
        self.check_allowed(profile)
        base = period.previous() or period.last_year()
        base_key = period.previous_key if period.previous() else "stats-base-last-year"
        async with transaction(self._sessions) as session:
            scope = await self._scope(session, profile, area_id)
            areas = AreaRepository(session)
            units = list(scope) if len(scope) > 1 else await areas.children(scope[0].id)
            repo = StatsRepository(session, hidden_categories=hidden_categories(profile, scope))
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
            area = await AreaRepository(session).get_by_code(clean(area_code).upper())
            if area is None:
                raise NotFound("stats-area-not-found")
            report = await self.build_in(session, (area,), area.id, period)
            rows = await StatsRepository(session).export_rows(
                [area.path], *period.utc_bounds(self._tz)
            )
        return Export(report, tuple(rows))
