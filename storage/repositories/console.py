"""The police console's reads: the inbox with its filters, the map's points and a tip's
duplicates. The scope is always a list of area paths the service has checked (an area and
its subtree are a prefix match on ``areas.path``), as in the chat's inbox and statistics.

Sized for a country (bench/country.py, bench/RESULTS.md): the filters and the order by time
run on the ``(area_id, created_at)`` index, which on PostgreSQL also carries the columns the
counts and the map read (migration 0022), so they never visit the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dto import AreaDTO
from storage.dto_tips import ReportDTO
from storage.models import Area, AreaKind, Report, ReportAttachment, ReportStatus, User
from storage.person_names import person_name
from storage.repositories.areas import to_dto as area_dto
from storage.repositories.tips import report_dto

MAP_LIMIT = 20_000
"""Most points one map shows (a province's month is well under it)."""


@dataclass(frozen=True, slots=True)
class InboxQuery:
    paths: Sequence[str] | None
    """None: every area (a super-admin)."""
    statuses: Sequence[ReportStatus] = ()
    category: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    code: str | None = None
    words: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class InboxRow:
    report: ReportDTO
    attachments: int
    reporter_name: str | None
    """Only for tips that are not anonymous; an anonymous tip's reporter is never read."""


@dataclass(frozen=True, slots=True)
class MapPoint:
    id: int
    latitude: float
    longitude: float
    category: str
    status: str
    area_id: int | None


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _area_ids(paths: Sequence[str]) -> object:
    if not paths:
        return select(Area.id).where(false())
    return select(Area.id).where(or_(*(Area.path.startswith(p, autoescape=True) for p in paths)))


def _where(q: InboxQuery) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if q.paths is not None:
        clauses.append(Report.area_id.in_(_area_ids(q.paths)))  # type: ignore[arg-type]
    if q.statuses:
        clauses.append(Report.status.in_(list(q.statuses)))
    if q.category:
        clauses.append(Report.category == q.category)
    if q.since is not None:
        clauses.append(Report.created_at >= q.since)
    if q.until is not None:
        clauses.append(Report.created_at < q.until)
    if q.code:
        clauses.append(Report.code == q.code)
    for word in q.words:
        clauses.append(Report.text.ilike(f"%{_escape_like(word)}%", escape="\\"))
    return clauses


class ConsoleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def inbox(self, q: InboxQuery, *, offset: int, limit: int) -> list[InboxRow]:
        """Newest first. The page's ids are found first, from the (area, time) index alone,
        then only those rows are read: a province's three years are never fetched to be
        sorted, and no plan walks the whole table by time hoping to meet a ward's tips."""
        ids = list(
            await self._session.scalars(
                select(Report.id)
                .where(*_where(q))
                .order_by(Report.created_at.desc(), Report.id.desc())
                .offset(offset)
                .limit(limit)
            )
        )
        found = {
            r.id: r
            for r in (
                await self._session.scalars(select(Report).where(Report.id.in_(ids)))
                if ids
                else []
            )
        }
        rows = [found[i] for i in ids if i in found]
        ids = [r.id for r in rows]
        counts: dict[int, int] = {}
        if ids:
            counted = await self._session.execute(
                select(ReportAttachment.report_id, func.count(ReportAttachment.id))
                .where(ReportAttachment.report_id.in_(ids))
                .group_by(ReportAttachment.report_id)
            )
            counts = {int(i): int(n) for i, n in counted}
        named = {r.reporter_user_id for r in rows if not r.anonymous and r.reporter_user_id}
        names: dict[int, str] = {}
        if named:
            people = await self._session.execute(
                select(User.id, User.first_name, User.last_name).where(User.id.in_(named))
            )
            names = {int(uid): person_name(first, last) or "?" for uid, first, last in people}
        return [
            InboxRow(
                report_dto(r),
                counts.get(r.id, 0),
                None
                if r.anonymous or r.reporter_user_id is None
                else names.get(r.reporter_user_id),
            )
            for r in rows
        ]

    async def count(self, q: InboxQuery, *, cap: int | None = None) -> int:
        """How many tips match (counting stops at ``cap`` when given: "10,000+" is enough
        to page through)."""
        inner = select(Report.id).where(*_where(q))
        if cap is not None:
            inner = inner.limit(cap)
        return int(
            await self._session.scalar(select(func.count()).select_from(inner.subquery())) or 0
        )

    async def map_points(
        self,
        paths: Sequence[str] | None,
        *,
        since: datetime,
        until: datetime,
        category: str | None,
        limit: int = MAP_LIMIT,
    ) -> list[MapPoint]:
        """Tips with a map pin, newest first."""
        q = InboxQuery(paths, category=category, since=since, until=until)
        rows = await self._session.execute(
            select(
                Report.id,
                Report.latitude,
                Report.longitude,
                Report.category,
                Report.status,
                Report.area_id,
            )
            .where(*_where(q), Report.latitude.is_not(None), Report.longitude.is_not(None))
            .order_by(Report.created_at.desc())
            .limit(limit)
        )
        return [
            MapPoint(int(i), float(lat), float(lon), str(cat), str(getattr(st, "value", st)), a)
            for i, lat, lon, cat, st, a in rows
        ]

    async def counts_by_area(
        self,
        paths: Sequence[str] | None,
        *,
        since: datetime,
        until: datetime,
        category: str | None,
    ) -> dict[int, tuple[str, int]]:
        """Tips per area (pinned or not) for the map's labels: area id → (its path, count).
        The path comes with the count, so thousands of areas are not looked up one by one."""
        q = InboxQuery(paths, category=category, since=since, until=until)
        counts = (
            select(Report.area_id, func.count(Report.id).label("n"))
            .where(*_where(q), Report.area_id.is_not(None))
            .group_by(Report.area_id)
            .subquery()
        )
        rows = await self._session.execute(
            select(Area.id, Area.path, counts.c.n).join(counts, counts.c.area_id == Area.id)
        )
        return {int(a): (str(path), int(n)) for a, path, n in rows}

    async def duplicates(self, report_id: int) -> list[ReportDTO]:
        """Tips merged into this one, oldest first."""
        rows = await self._session.scalars(
            select(Report).where(Report.merged_into_id == report_id).order_by(Report.id)
        )
        return [report_dto(r) for r in rows]

    async def merged_into(self, report_id: int) -> ReportDTO | None:
        """The tip this one was merged into, if any."""
        kept = select(Report.merged_into_id).where(Report.id == report_id).scalar_subquery()
        row = await self._session.scalar(select(Report).where(and_(Report.id == kept)))
        return report_dto(row) if row is not None else None

    async def areas_under(
        self, paths: Sequence[str] | None, kinds: Sequence[AreaKind]
    ) -> list[AreaDTO]:
        """Areas of the scope of these kinds, in tree order."""
        query = select(Area).where(Area.kind.in_(list(kinds))).order_by(Area.path)
        if paths is not None:
            query = query.where(Area.id.in_(_area_ids(paths)))  # type: ignore[arg-type]
        return [area_dto(a) for a in await self._session.scalars(query)]
