"""Grouped counts behind statistics and exports: everything is counted in SQL, so a year of a
province's tips costs a handful of small result sets, never the rows themselves.

Every query takes the scope as materialised paths (an area and its subtree is a prefix match on
``areas.path``) and a half-open UTC interval ``[since, until)``. The two dialect-specific bits
(a duration in seconds, a local calendar date) are built per dialect; the rest is plain Core.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, false, func, literal_column, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dto import ChatDTO
from storage.models import (
    AdvisoryDelivery,
    AdvisoryRun,
    Area,
    Chat,
    ChatPurpose,
    DeliveryState,
    HelpfulReport,
    Report,
    ReportKind,
    ReportStatus,
    ReportStatusChange,
    ScamIndicator,
)
from storage.repositories.chats import to_dto as chat_dto

EXPORT_LIMIT = 200_000
"""Most tips one export lists (a safety net; a province's year is far below it)."""


@dataclass(frozen=True, slots=True)
class GroupCount:
    """Reports of one (kind, category, status, merged or not) in the scope and period."""

    kind: ReportKind
    category: str
    status: ReportStatus
    count: int
    merged: bool = False
    """Duplicates merged into another tip: counted as tips, not as cases."""


@dataclass(frozen=True, slots=True)
class MedianDuration:
    seconds: float | None
    """Median seconds from a report's arrival to its first change away from ``received``;
    None when no report of the period has been acted on."""
    acted: int
    """How many reports of the period have been acted on at all."""


@dataclass(frozen=True, slots=True)
class Reach:
    broadcasts: int
    """Advisory runs that reached at least one group of the scope."""
    groups: int
    """Distinct residents' groups of the scope that received at least one advisory."""
    deliveries: int
    """Messages delivered (one per run and group)."""


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One tip for an export. Deliberately nothing about who sent it."""

    code: str
    created_at: datetime
    kind: ReportKind
    category: str
    status: str
    area_code: str
    area_name: str
    first_action_at: datetime | None
    handled_at: datetime | None
    text: str


def _scope(paths: Sequence[str]) -> ColumnElement[bool]:
    if not paths:
        return false()
    return or_(*(Area.path.startswith(p, autoescape=True) for p in paths))


def _area_ids(paths: Sequence[str]) -> Any:
    """Ids of the scope's areas, as a subquery: ``x.area_id IN (…)`` then walks the
    ``(area_id, created_at)`` index once per area instead of scanning the table."""
    return select(Area.id).where(_scope(paths))


def _first_change(status_clause: Any) -> Any:
    """Per report (correlated): when a status change matching ``status_clause`` first came.
    Evaluated only for the reports of the period, through the report_id index."""
    change = ReportStatusChange
    return (
        select(func.min(change.created_at))
        .where(change.report_id == Report.id, status_clause)
        .correlate(Report)
        .scalar_subquery()
    )


def _first_action() -> Any:
    """Leaving ``received`` (an escalation keeps the status, so it is not an action): kept on
    the report itself by a trigger (migration 0022), so a province's year is read from the
    report index alone instead of one history look-up per tip."""
    return Report.first_action_at


def _first_handled() -> Any:
    return _first_change(ReportStatusChange.new_status == ReportStatus.HANDLED)


class StatsRepository:
    def __init__(
        self, session: AsyncSession, *, hidden_categories: frozenset[str] = frozenset()
    ) -> None:
        """``hidden_categories``: tips of these categories are left out of every figure (a
        reader who may not see them: services.tip_exposure)."""
        self._session = session
        self._hidden = hidden_categories

    @property
    def _dialect(self) -> str:
        return self._session.get_bind().dialect.name

    def _seconds_between(self, later: Any, earlier: Any) -> ColumnElement[float]:
        if self._dialect == "sqlite":
            return (func.julianday(later) - func.julianday(earlier)) * 86400.0
        return func.extract("epoch", later - earlier)

    def _local_date(self, column: Any, offset_minutes: int) -> ColumnElement[Any]:
        minutes = int(offset_minutes)  # an int, so formatting it into SQL is safe
        if self._dialect == "sqlite":
            return func.date(column, f"{minutes:+d} minutes")
        return func.date(column + literal_column(f"interval '{minutes} minutes'"))

    def _reports_in(self, paths: Sequence[str], since: datetime, until: datetime) -> list[Any]:
        """WHERE clauses: the scope's reports created in ``[since, until)``."""
        clauses = [
            Report.area_id.in_(_area_ids(paths)),
            Report.created_at >= since,
            Report.created_at < until,
        ]
        if self._hidden:
            clauses.append(Report.category.not_in(sorted(self._hidden)))
        return clauses

    async def first_report_at(self) -> datetime | None:
        """When the first tip of all was received: figures before it are not zeros but unknown
        (the service was not running yet, or the data was imported from that day on)."""
        first = await self._session.scalar(select(func.min(Report.created_at)))
        if first is None:
            return None
        return first if first.tzinfo is not None else first.replace(tzinfo=UTC)

    async def report_counts(
        self, paths: Sequence[str], since: datetime, until: datetime
    ) -> list[GroupCount]:
        merged = Report.merged_into_id.is_not(None)
        query = (
            select(Report.kind, Report.category, Report.status, merged, func.count(Report.id))
            .where(*self._reports_in(paths, since, until))
            .group_by(Report.kind, Report.category, Report.status, merged)
        )
        rows = await self._session.execute(query)
        return [
            GroupCount(
                ReportKind(_value(kind)),
                str(category),
                ReportStatus(_value(status)),
                int(n),
                bool(is_merged),
            )
            for kind, category, status, is_merged, n in rows
        ]

    async def daily_counts(
        self, paths: Sequence[str], since: datetime, until: datetime, offset_minutes: int
    ) -> list[tuple[date, int]]:
        """Reports per local calendar day (local = UTC + ``offset_minutes``)."""
        day = self._local_date(Report.created_at, offset_minutes).label("day")
        query = (
            select(day, func.count(Report.id))
            .where(*self._reports_in(paths, since, until))
            .group_by(day)
            .order_by(day)
        )
        rows = await self._session.execute(query)
        return [(_as_date(d), int(n)) for d, n in rows]

    async def counts_by_area(
        self, paths: Sequence[str], since: datetime, until: datetime
    ) -> dict[str, int]:
        """Reports per area, keyed by the area's path (every area of the scope that has any):
        the caller rolls them up into child areas by prefix."""
        counts = (
            select(Report.area_id, func.count(Report.id).label("n"))
            .where(*self._reports_in(paths, since, until))
            .group_by(Report.area_id)
            .subquery()
        )
        rows = await self._session.execute(
            select(Area.path, counts.c.n).join(counts, counts.c.area_id == Area.id)
        )
        return {str(path): int(n) for path, n in rows}

    async def median_first_action(
        self, paths: Sequence[str], since: datetime, until: datetime
    ) -> MedianDuration:
        """Read with window functions (both SQLite and PostgreSQL have them): the durations
        are computed once, and only the one or two middle values leave the database."""
        seconds = self._seconds_between(_first_action(), Report.created_at).label("seconds")
        durations = (
            select(seconds).where(*self._reports_in(paths, since, until)).subquery("durations")
        )
        ranked = (
            select(
                durations.c.seconds.label("s"),
                func.row_number().over(order_by=durations.c.seconds).label("rn"),
                func.count().over().label("n"),
            )
            .where(durations.c.seconds.is_not(None))
            .subquery("ranked")
        )
        rows = (
            await self._session.execute(
                select(ranked.c.s, ranked.c.n).where(
                    or_(ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.rn == (ranked.c.n + 2) // 2)
                )
            )
        ).all()
        if not rows:
            return MedianDuration(None, 0)
        median = sum(float(s) for s, _ in rows) / len(rows)
        return MedianDuration(max(0.0, median), int(rows[0][1]))

    async def indicators_confirmed(
        self, paths: Sequence[str], since: datetime, until: datetime
    ) -> int:
        query = select(func.count(ScamIndicator.id)).where(
            ScamIndicator.area_id.in_(_area_ids(paths)),
            ScamIndicator.confirmed_at >= since,
            ScamIndicator.confirmed_at < until,
        )
        return int(await self._session.scalar(query) or 0)

    async def advisory_reach(
        self, paths: Sequence[str], since: datetime, until: datetime
    ) -> Reach:
        """Advisory runs due in the period and what they delivered to the scope's groups."""
        query = (
            select(
                func.count(func.distinct(AdvisoryDelivery.run_id)),
                func.count(func.distinct(AdvisoryDelivery.chat_id)),
                func.count(AdvisoryDelivery.id),
            )
            .join(AdvisoryRun, AdvisoryRun.id == AdvisoryDelivery.run_id)
            .join(Chat, Chat.id == AdvisoryDelivery.chat_id)
            .join(Area, Area.id == Chat.area_id)
            .where(
                _scope(paths),
                AdvisoryDelivery.status == DeliveryState.SENT,
                AdvisoryRun.scheduled_for >= since,
                AdvisoryRun.scheduled_for < until,
            )
        )
        row = (await self._session.execute(query)).one()
        return Reach(int(row[0] or 0), int(row[1] or 0), int(row[2] or 0))

    async def helpful(self, paths: Sequence[str], since: datetime, until: datetime) -> int:
        query = select(func.count(HelpfulReport.id)).where(
            HelpfulReport.area_id.in_(_area_ids(paths)),
            HelpfulReport.created_at >= since,
            HelpfulReport.created_at < until,
        )
        if self._hidden:
            query = query.join(Report, Report.id == HelpfulReport.report_id).where(
                Report.category.not_in(sorted(self._hidden))
            )
        return int(await self._session.scalar(query) or 0)

    async def export_rows(
        self, paths: Sequence[str], since: datetime, until: datetime, *, limit: int = EXPORT_LIMIT
    ) -> list[ExportRow]:
        """The period's tips, oldest first, with no reporter column of any kind."""
        query = (
            select(
                Report.code,
                Report.created_at,
                Report.kind,
                Report.category,
                Report.status,
                Area.code,
                Area.name,
                _first_action(),
                _first_handled(),
                Report.text,
            )
            .join(Area, Area.id == Report.area_id)
            .where(*self._reports_in(paths, since, until))
            .order_by(Report.created_at, Report.id)
            .limit(limit)
        )
        rows = await self._session.execute(query)
        return [
            ExportRow(
                code=code,
                created_at=created,
                kind=ReportKind(_value(kind)),
                category=category,
                status=str(_value(status)),
                area_code=area_code,
                area_name=area_name,
                first_action_at=_aware(first_at),
                handled_at=_aware(handled_at),
                text=text or "",
            )
            for (
                code,
                created,
                kind,
                category,
                status,
                area_code,
                area_name,
                first_at,
                handled_at,
                text,
            ) in rows
        ]

    async def police_chats(self) -> list[ChatDTO]:
        """Every active police work chat linked to an area (few: one per ward or so)."""
        rows = await self._session.scalars(
            select(Chat)
            .where(
                Chat.purpose == ChatPurpose.POLICE,
                Chat.active.is_(True),
                Chat.area_id.is_not(None),
            )
            .order_by(Chat.id)
        )
        return [chat_dto(c) for c in rows]


def _value(member: Any) -> Any:
    return getattr(member, "value", member)


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _aware(value: Any) -> datetime | None:
    """Aggregates over a UTC column come back through its type, but be explicit about it."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value
