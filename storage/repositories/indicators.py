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
from storage.dto import from_row
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
class PublicReports:
    """One person's live (not rejected) reports from one area that give the indicator as the
    scammer's."""

    area_id: int | None
    area_path: str | None
    """The area's place in the tree ("/1/5/23/"), to name its ward without another query."""
    person: int
    """The reporter's users row (a linked Telegram and Zalo account share one); a report
    whose reporter is gone counts as its own person."""
    reports: int


@dataclass(frozen=True, slots=True)
class IndicatorSummary:
    indicator: IndicatorDTO
    reports: tuple[PublicReports, ...]
    """Only links the reporter gave as the scammer's: a number found only in a description
    is not counted here (it may be the victim's own)."""

    @property
    def people(self) -> int:
        return len({r.person for r in self.reports})


@dataclass(frozen=True, slots=True)
class ReportLink:
    """An indicator of one report, as the police see it on the tip."""

    indicator: IndicatorDTO
    public: bool
    """The reporter gave it as the scammer's (else it was only found in the text)."""

    @property
    def state(self) -> str:
        """``confirmed`` by an officer, ``given`` as the scammer's by the reporter, or
        ``private``: only found in the text, perhaps the victim's own."""
        if self.indicator.confirmed:
            return "confirmed"
        return "given" if self.public else "private"


def to_dto(row: Any) -> IndicatorDTO:
    return from_row(IndicatorDTO, row, kind=IndicatorKind(row.kind))


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
    " r.area_id, ra.path, coalesce(r.reporter_user_id, -r.id), count(r.id)"
    " FROM indicators i"
    " LEFT JOIN report_indicators ri ON ri.indicator_id = i.id AND ri.public"
    " LEFT JOIN reports r ON r.id = ri.report_id AND r.status != :rejected"
    " LEFT JOIN areas ra ON ra.id = r.area_id"
    " WHERE i.kind = :kind AND i.value = :value"
    " GROUP BY i.id, r.area_id, ra.path, coalesce(r.reporter_user_id, -r.id)"
)
"""The unique ``(kind, value)`` index, then the link table's primary key and the reports' and
areas' ones: one statement, one round trip, one row per (area, person)."""


async def read_summary(hot: HotPath, kind: IndicatorKind, value: str) -> IndicatorSummary | None:
    """The indicator and who gave it as the scammer's in live (not rejected) reports, per
    area and person; None when it was never stored.  This is `/kiemtra`'s whole query."""
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
    reports = tuple(PublicReports(r[10], r[11], int(r[12]), int(r[13])) for r in rows if r[13])
    return IndicatorSummary(indicator, reports)


class IndicatorRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def link_report(
        self,
        report_id: int,
        area_id: int | None,
        indicators: Sequence[Indicator],
        *,
        public: Sequence[Indicator] = (),
        seen_at: datetime | None = None,
    ) -> None:
        """Store each indicator once and link it to the report (idempotent per pair).
        ``public``: those the reporter gave as the scammer's (linked too, and marked so);
        the others are linked for the police only."""
        unique: dict[tuple[IndicatorKind, str], Indicator] = {}
        for ind in (*public, *indicators):
            if storable(ind):
                unique.setdefault((IndicatorKind(ind.kind), ind.value), ind)
        given = {(IndicatorKind(i.kind), i.value) for i in public if storable(i)}
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
        found = (
            await self._session.execute(
                select(ScamIndicator.id, ScamIndicator.kind, ScamIndicator.value).where(
                    _keys_clause(unique)
                )
            )
        ).all()
        ids = [row.id for row in found]
        public_ids = {row.id for row in found if (IndicatorKind(row.kind), row.value) in given}
        already = set(
            await self._session.scalars(
                select(ReportIndicator.indicator_id).where(
                    ReportIndicator.report_id == report_id, ReportIndicator.indicator_id.in_(ids)
                )
            )
        )
        if public_ids & already:  # linked before for the police only, now given: public
            await self._session.execute(
                update(ReportIndicator)
                .where(
                    ReportIndicator.report_id == report_id,
                    ReportIndicator.indicator_id.in_(sorted(public_ids & already)),
                )
                .values(public=True)
                .execution_options(synchronize_session=False)
            )
        new_ids = sorted(set(ids) - already)
        if not new_ids:
            return
        await self._session.execute(
            dialect_insert(self._session, _LINKS)
            .values(
                [
                    {
                        "indicator_id": i,
                        "report_id": report_id,
                        "public": i in public_ids,
                        "created_at": now,
                    }
                    for i in new_ids
                ]
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

    async def links_of_report(self, report_id: int) -> list[ReportLink]:
        """The report's indicators and whether its reporter gave each as the scammer's."""
        rows = await self._session.execute(
            select(*_TABLE.c, _LINKS.c.public.label("given"))
            .join(_LINKS, _LINKS.c.indicator_id == ScamIndicator.id)
            .where(_LINKS.c.report_id == report_id)
            .order_by(_LINKS.c.public.desc(), ScamIndicator.id)
        )
        return [ReportLink(to_dto(r), bool(r.given)) for r in rows]

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
