"""Scam indicators and their links to reports.

An indicator is stored once per ``(kind, value)`` and linked to every report that mentions it.
Writes use ``INSERT .. ON CONFLICT DO NOTHING`` (PostgreSQL and SQLite) so two reports naming
the same number at the same moment cannot trip over the unique key.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from storage.db import dialect_insert
from storage.hotpath import HotPath, Statement, utc
from storage.models import Report, ReportStatus
from storage.models.indicators import (
    MAX_VALUE_BYTES,
    Indicator,
    IndicatorKind,
    ReportIndicator,
    ScamIndicator,
)
from storage.types import is_row_id, utcnow


@dataclass(frozen=True, slots=True)
class IndicatorDTO:
    id: int
    kind: IndicatorKind
    value: str
    display: str
    area_id: int | None
    first_seen: datetime
    last_seen: datetime
    report_count: int
    confirmed_at: datetime | None
    confirmed_by_user_id: int | None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


@dataclass(frozen=True, slots=True)
class AreaReports:
    """How many (not rejected) reports from one area mention an indicator."""

    area_id: int | None
    reports: int
    first_seen: datetime
    last_seen: datetime
    area_path: str | None = None
    """The area's place in the tree ("/1/5/23/"), when the query had it at hand."""


@dataclass(frozen=True, slots=True)
class IndicatorSummary:
    indicator: IndicatorDTO
    areas: tuple[AreaReports, ...]
    """Per report area, most reports first; rejected reports are not counted."""

    @property
    def reports(self) -> int:
        return sum(a.reports for a in self.areas)

    @property
    def first_seen(self) -> datetime | None:
        return min((a.first_seen for a in self.areas), default=None)

    @property
    def last_seen(self) -> datetime | None:
        return max((a.last_seen for a in self.areas), default=None)


def to_dto(row: Any) -> IndicatorDTO:
    return IndicatorDTO(
        id=row.id,
        kind=IndicatorKind(row.kind),
        value=row.value,
        display=row.display,
        area_id=row.area_id,
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        report_count=row.report_count,
        confirmed_at=row.confirmed_at,
        confirmed_by_user_id=row.confirmed_by_user_id,
    )


def storable(indicator: Indicator) -> bool:
    return 0 < len(indicator.value.encode("utf-8", "surrogatepass")) <= MAX_VALUE_BYTES


def _keys_clause(keys: Iterable[tuple[IndicatorKind, str]]) -> ColumnElement[bool]:
    by_kind: dict[IndicatorKind, set[str]] = {}
    for kind, value in keys:
        by_kind.setdefault(IndicatorKind(kind), set()).add(value)
    return or_(
        *(
            and_(ScamIndicator.kind == kind, ScamIndicator.value.in_(sorted(values)))
            for kind, values in by_kind.items()
        )
    )


_TABLE = ScamIndicator.__table__
_LINKS = ReportIndicator.__table__

_SUMMARY = Statement.of(
    "SELECT i.id, i.kind, i.value, i.display, i.area_id, i.first_seen, i.last_seen,"
    " i.report_count, i.confirmed_at, i.confirmed_by_user_id,"
    " r.area_id, ra.path, count(r.id), min(r.created_at), max(r.created_at)"
    " FROM indicators i"
    " LEFT JOIN report_indicators ri ON ri.indicator_id = i.id"
    " LEFT JOIN reports r ON r.id = ri.report_id AND r.status != :rejected"
    " LEFT JOIN areas ra ON ra.id = r.area_id"
    " WHERE i.kind = :kind AND i.value = :value"
    " GROUP BY i.id, r.area_id, ra.path"
)
"""The unique ``(kind, value)`` index, then the link table's primary key and the reports' and
areas' ones: one statement, one round trip."""


async def read_summary(hot: HotPath, kind: IndicatorKind, value: str) -> IndicatorSummary | None:
    """The indicator and how many live (not rejected) reports from which areas mention it,
    most reports first; None when nobody reported it.  This is `/kiemtra`'s whole query."""
    if not value or len(value.encode("utf-8", "surrogatepass")) > MAX_VALUE_BYTES:
        return None  # never stored: no need to ask
    rows = await hot.fetch(
        _SUMMARY, rejected=ReportStatus.REJECTED.value, kind=kind.value, value=value
    )
    if not rows:
        return None
    first = rows[0]
    indicator = IndicatorDTO(
        id=first[0],
        kind=IndicatorKind(first[1]),
        value=first[2],
        display=first[3],
        area_id=first[4],
        first_seen=utc(first[5]),  # type: ignore[arg-type]
        last_seen=utc(first[6]),  # type: ignore[arg-type]
        report_count=first[7],
        confirmed_at=utc(first[8]),
        confirmed_by_user_id=first[9],
    )
    areas = [
        AreaReports(r[10], int(r[12]), utc(r[13]), utc(r[14]), r[11])  # type: ignore[arg-type]
        for r in rows
        if r[12]
    ]
    areas.sort(key=lambda a: (-a.reports, a.area_id is None, a.area_id or 0))
    return IndicatorSummary(indicator, tuple(areas))


class IndicatorRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def link_report(
        self,
        report_id: int,
        area_id: int | None,
        indicators: Sequence[Indicator],
        *,
        seen_at: datetime | None = None,
    ) -> None:
        """Store each indicator once and link it to the report (idempotent per pair)."""
        unique: dict[tuple[IndicatorKind, str], Indicator] = {}
        for ind in indicators:
            if storable(ind):
                unique.setdefault((IndicatorKind(ind.kind), ind.value), ind)
        if not unique:
            return
        now = seen_at or utcnow()
        await self._session.execute(
            dialect_insert(self._session, _TABLE)
            .values(
                [
                    {
                        "kind": kind,
                        "value": value,
                        "display": ind.display[:1000] or value[:1000],
                        "area_id": area_id,
                        "first_seen": now,
                        "last_seen": now,
                        "report_count": 0,
                        "created_at": now,
                    }
                    for (kind, value), ind in unique.items()
                ]
            )
            .on_conflict_do_nothing(index_elements=["kind", "value"])
        )
        ids = list(
            await self._session.scalars(select(ScamIndicator.id).where(_keys_clause(unique)))
        )
        already = set(
            await self._session.scalars(
                select(ReportIndicator.indicator_id).where(
                    ReportIndicator.report_id == report_id, ReportIndicator.indicator_id.in_(ids)
                )
            )
        )
        new_ids = sorted(set(ids) - already)
        if not new_ids:
            return
        await self._session.execute(
            dialect_insert(self._session, _LINKS)
            .values(
                [{"indicator_id": i, "report_id": report_id, "created_at": now} for i in new_ids]
            )
            .on_conflict_do_nothing(index_elements=["indicator_id", "report_id"])
        )
        values: dict[str, Any] = {
            "report_count": ScamIndicator.report_count + 1,
            "last_seen": case((ScamIndicator.last_seen < now, now), else_=ScamIndicator.last_seen),
            "first_seen": case(
                (ScamIndicator.first_seen > now, now), else_=ScamIndicator.first_seen
            ),
        }
        if area_id is not None:
            values["area_id"] = area_id
        await self._session.execute(
            update(ScamIndicator)
            .where(ScamIndicator.id.in_(new_ids))
            .values(**values)
            .execution_options(synchronize_session=False)
        )

    async def get(self, kind: IndicatorKind, value: str) -> IndicatorDTO | None:
        row = (
            await self._session.execute(
                select(*_TABLE.c).where(ScamIndicator.kind == kind, ScamIndicator.value == value)
            )
        ).first()
        return to_dto(row) if row is not None else None

    async def get_by_id(self, indicator_id: int) -> IndicatorDTO | None:
        if not is_row_id(indicator_id):
            return None
        row = (
            await self._session.execute(select(*_TABLE.c).where(ScamIndicator.id == indicator_id))
        ).first()
        return to_dto(row) if row is not None else None

    async def area_reports(self, indicator_id: int) -> tuple[AreaReports, ...]:
        rows = await self._session.execute(
            select(
                Report.area_id,
                func.count(),
                func.min(Report.created_at),
                func.max(Report.created_at),
            )
            .select_from(ReportIndicator)
            .join(Report, Report.id == ReportIndicator.report_id)
            .where(
                ReportIndicator.indicator_id == indicator_id,
                Report.status != ReportStatus.REJECTED,
            )
            .group_by(Report.area_id)
        )
        found = [AreaReports(a, int(n), lo, hi) for a, n, lo, hi in rows]
        found.sort(key=lambda a: (-a.reports, a.area_id is None, a.area_id or 0))
        return tuple(found)

    async def report_area_ids(self, indicator_id: int) -> list[int | None]:
        """Areas of every report (any status) that mentions the indicator."""
        rows = await self._session.scalars(
            select(Report.area_id)
            .select_from(ReportIndicator)
            .join(Report, Report.id == ReportIndicator.report_id)
            .where(ReportIndicator.indicator_id == indicator_id)
            .distinct()
        )
        return list(rows)

    async def for_report(self, report_id: int) -> list[IndicatorDTO]:
        rows = await self._session.execute(
            select(*_TABLE.c)
            .join(_LINKS, _LINKS.c.indicator_id == ScamIndicator.id)
            .where(_LINKS.c.report_id == report_id)
            .order_by(ScamIndicator.id)
        )
        return [to_dto(r) for r in rows]

    async def confirmed_among(self, indicators: Sequence[Indicator]) -> list[IndicatorDTO]:
        """Which of these indicators police confirmed as scams (one query)."""
        keys = [(IndicatorKind(i.kind), i.value) for i in indicators if storable(i)]
        if not keys:
            return []
        rows = await self._session.execute(
            select(*_TABLE.c).where(_keys_clause(keys), ScamIndicator.confirmed_at.is_not(None))
        )
        by_key = {(r.kind, r.value): to_dto(r) for r in rows}
        return [by_key[k] for k in dict.fromkeys(keys) if k in by_key]

    async def set_confirmed(
        self, indicator_id: int, *, at: datetime | None, by_user_id: int | None
    ) -> IndicatorDTO:
        """Mark (``at`` given) or unmark (``at=None``) an indicator as police-confirmed."""
        await self._session.execute(
            update(ScamIndicator)
            .where(ScamIndicator.id == indicator_id)
            .values(confirmed_at=at, confirmed_by_user_id=by_user_id if at else None)
            .execution_options(synchronize_session=False)
        )
        dto = await self.get_by_id(indicator_id)
        if dto is None:
            raise LookupError(f"unknown indicator {indicator_id}")
        return dto

    async def count(self) -> int:
        return int(await self._session.scalar(select(func.count(ScamIndicator.id))) or 0)
