"""The console's statistics: the figures of /thongke (the same :class:`StatsService` calls, so
the same rights and numbers), their breakdown by area, and an export of them for the
officer's own areas (CSV or XLSX through :mod:`services.stats_export`, the one writer that
neutralises spreadsheet formulas; no reporter column of any kind)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from services.access import Profile
from services.stats import StatsService
from services.stats_figures import Breakdown, Export, StatsReport
from services.stats_period import MAX_RANGE_DAYS, Period, PeriodKind, parse_day
from storage.repositories.stats import StatsRepository
from storage.uow import Sessions, transaction

PERIOD_CHOICES: tuple[PeriodKind, ...] = (
    PeriodKind.WEEK,
    PeriodKind.MONTH,
    PeriodKind.QUARTER,
    PeriodKind.YEAR,
    PeriodKind.LAST_WEEK,
    PeriodKind.LAST_MONTH,
)


@dataclass(frozen=True, slots=True)
class StatsChoice:
    """What the statistics page was asked for."""

    period: Period
    area_id: int
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StatsPage:
    report: StatsReport
    breakdown: Breakdown


class ConsoleStats:
    def __init__(self, sessions: Sessions, stats: StatsService, *, tz: ZoneInfo) -> None:
        self._sessions = sessions
        self._stats = stats
        self._tz = tz

    def choice(self, query: Mapping[str, str], today: date | None = None) -> StatsChoice:
        """The period (a menu one, or typed dates) and area from the page's parameters; what
        was not understood is named and replaced by this month / all areas."""
        problems: list[str] = []
        today = today or self._stats.today()
        raw_area = (query.get("area") or "0").strip()
        area_id = int(raw_area) if raw_area.isdigit() and len(raw_area) <= 10 else 0
        if raw_area and not (raw_area.isdigit() and len(raw_area) <= 10):
            problems.append("web-filter-bad-area")
        start, end = parse_day(query.get("from") or ""), parse_day(query.get("to") or "")
        if query.get("from") or query.get("to"):
            if start is None or end is None:
                problems.append("web-filter-bad-date")
            elif end < start:
                problems.append("web-filter-dates-reversed")
            elif (end - start).days >= MAX_RANGE_DAYS:
                problems.append("web-filter-range-too-long")
            else:
                return StatsChoice(Period(PeriodKind.CUSTOM, start, end), area_id, ())
        code = (query.get("period") or "m").strip()
        try:
            kind = PeriodKind(code)
        except ValueError:
            kind = PeriodKind.MONTH
            problems.append("web-filter-bad-period")
        if kind is PeriodKind.CUSTOM:
            kind = PeriodKind.MONTH
        return StatsChoice(Period.current(kind, today), area_id, tuple(problems))

    async def page(self, profile: Profile, choice: StatsChoice) -> StatsPage:
        """The figures and the breakdown, read side by side (two connections): a province's
        year is a second of counting either way, and the page waits for the longer only."""
        report, breakdown = await asyncio.gather(
            self._stats.report(profile, choice.period, choice.area_id),
            self._stats.breakdown(profile, choice.period, choice.area_id),
        )
        return StatsPage(report, breakdown)

    async def export(self, profile: Profile, choice: StatsChoice) -> Export:
        """The figures and the period's tips of the chosen scope, checked as the page is."""
        report = await self._stats.report(profile, choice.period, choice.area_id)
        since, until = choice.period.utc_bounds(self._tz)
        async with transaction(self._sessions) as session:
            rows = await StatsRepository(session).export_rows(
                [a.path for a in report.scope], since, until
            )
        return Export(report, tuple(rows))
