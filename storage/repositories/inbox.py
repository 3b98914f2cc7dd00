"""Queries of the police inbox: tips in an officer's areas, their review marks, escalation,
near-duplicate candidates and merging a duplicate into the tip that is kept."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dto_tips import ReportDTO
from storage.models import (
    Area,
    Report,
    ReportAttachment,
    ReportIndicator,
    ReportStatus,
    ReportStatusChange,
    ReviewItem,
    ReviewKind,
    ReviewStatus,
    User,
)
from storage.person_names import person_name
from storage.repositories.tips import TipRepository, report_dto
from storage.types import is_row_id

OPEN_STATUSES = (ReportStatus.RECEIVED, ReportStatus.VERIFYING)
REVIEW_CLOSINGS = ("reject", "merge")
"""Review decisions that close a tip (a moderator's, which the police may undo)."""
UNDONE = "_undone"
"""Suffix a closing decision's resolution gets once the police restored the tip."""


@dataclass(frozen=True, slots=True)
class ReviewClosing:
    """A moderator closed the tip from the review queue (and the police have not undone it)."""

    item_id: int
    resolution: str
    """``reject`` or ``merge``."""
    moderator_name: str | None
    at: datetime | None


def _under(paths: Sequence[str] | None) -> object:
    """Reports whose area lies under one of ``paths``; None means everywhere (super-admins)."""
    if paths is None:
        return True
    if not paths:
        return False
    return or_(*(Area.path.startswith(p) for p in paths))


class InboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def page(
        self,
        paths: Sequence[str] | None,
        *,
        status: ReportStatus | None,
        category: str | None,
        offset: int,
        limit: int,
    ) -> tuple[list[ReportDTO], int]:
        """Newest first, and how many match in all."""
        query = select(Report).outerjoin(Area, Area.id == Report.area_id)
        if paths is not None:
            query = query.where(_under(paths))  # type: ignore[arg-type]
        if status is not None:
            query = query.where(Report.status == status)
        if category is not None:
            query = query.where(Report.category == category)
        total = int(
            await self._session.scalar(select(func.count()).select_from(query.subquery())) or 0
        )
        rows = await self._session.scalars(
            query.order_by(Report.created_at.desc(), Report.id.desc()).offset(offset).limit(limit)
        )
        return [report_dto(r) for r in rows], total

    async def get(self, report_id: int) -> ReportDTO | None:
        if not is_row_id(report_id):
            return None
        row = await self._session.get(Report, report_id)
        return report_dto(row) if row else None

    async def get_by_code(self, code: str) -> ReportDTO | None:
        row = await self._session.scalar(select(Report).where(Report.code == code))
        return report_dto(row) if row else None

    async def open_review_ids(self, report_ids: Sequence[int]) -> set[int]:
        if not report_ids:
            return set()
        rows = await self._session.scalars(
            select(ReviewItem.report_id).where(
                ReviewItem.report_id.in_(report_ids),
                ReviewItem.kind == ReviewKind.REPORT,
                ReviewItem.status == ReviewStatus.OPEN,
            )
        )
        return {int(r) for r in rows if r is not None}

    async def review_closings(self, report_ids: Sequence[int]) -> dict[int, ReviewClosing]:
        """Tips among ``report_ids`` that are rejected because a moderator closed them from
        the review queue, with who did it (the newest such decision per tip)."""
        if not report_ids:
            return {}
        rows = await self._session.execute(
            select(ReviewItem, User.first_name, User.last_name)
            .join(Report, Report.id == ReviewItem.report_id)
            .outerjoin(User, User.id == ReviewItem.resolved_by_user_id)
            .where(
                ReviewItem.report_id.in_(report_ids),
                ReviewItem.kind == ReviewKind.REPORT,
                ReviewItem.status == ReviewStatus.RESOLVED,
                ReviewItem.resolution.in_(REVIEW_CLOSINGS),
                Report.status == ReportStatus.REJECTED,
            )
            .order_by(ReviewItem.id)
        )
        found: dict[int, ReviewClosing] = {}
        for item, first, last in rows:
            name = person_name(first, last) or None
            found[int(item.report_id)] = ReviewClosing(
                item.id, str(item.resolution), name, item.resolved_at
            )
        return found

    async def undo_review_closing(self, report_id: int, closing: ReviewClosing) -> None:
        """The police restored the tip: the moderator's decision stays on record, marked
        undone, and a merged duplicate counts as its own tip again."""
        await self._session.execute(
            update(ReviewItem)
            .where(ReviewItem.id == closing.item_id)
            .values(resolution=f"{closing.resolution}{UNDONE}")
            .execution_options(synchronize_session=False)
        )
        await self._session.execute(
            update(Report)
            .where(Report.id == report_id)
            .values(merged_into_id=None)
            .execution_options(synchronize_session=False)
        )

    async def last_change(self, report_id: int) -> tuple[ReportStatus, str | None] | None:
        """The latest status change and the display name of the officer who made it."""
        row = (
            await self._session.execute(
                select(ReportStatusChange.new_status, User.first_name, User.last_name)
                .outerjoin(User, User.id == ReportStatusChange.actor_user_id)
                .where(ReportStatusChange.report_id == report_id)
                .order_by(ReportStatusChange.id.desc())
                .limit(1)
            )
        ).first()
        if row is None:
            return None
        status, first, last = row
        name = person_name(first, last) or None
        return status, name

    async def move_area(
        self, report_id: int, area_id: int, expected_version: int
    ) -> tuple[ReportDTO, ReportDTO] | None:
        """Escalation: the report now belongs to ``area_id``. (before, after); None when the
        report is gone; :class:`StaleReport` when someone changed it first."""
        return await TipRepository(self._session).change(
            report_id, expected_version, area_id=area_id
        )

    async def open_in_area(
        self, area_id: int | None, *, exclude_id: int, since: datetime, limit: int = 300
    ) -> list[ReportDTO]:
        """Open tips of the same area (the near-duplicate candidates), newest first."""
        where = and_(
            Report.id != exclude_id,
            Report.status.in_(OPEN_STATUSES),
            Report.created_at >= since,
            Report.area_id.is_(None) if area_id is None else Report.area_id == area_id,
        )
        rows = await self._session.scalars(
            select(Report).where(where).order_by(Report.id.desc()).limit(limit)
        )
        return [report_dto(r) for r in rows]

    async def sharing_indicators(self, report_id: int, area_id: int | None) -> list[ReportDTO]:
        """Other open tips of the same area that name one of this tip's indicators."""
        mine = select(ReportIndicator.indicator_id).where(ReportIndicator.report_id == report_id)
        other = (
            select(ReportIndicator.report_id)
            .where(ReportIndicator.indicator_id.in_(mine), ReportIndicator.report_id != report_id)
            .distinct()
        )
        query = select(Report).where(Report.id.in_(other), Report.status.in_(OPEN_STATUSES))
        query = query.where(
            Report.area_id.is_(None) if area_id is None else Report.area_id == area_id
        )
        rows = await self._session.scalars(query.order_by(Report.id.desc()).limit(20))
        return [report_dto(r) for r in rows]

    async def link_to_kept(self, duplicate_id: int, kept_id: int) -> tuple[int, int]:
        """Mark the duplicate as merged into the kept tip (one case in the statistics) and
        copy its attachments and indicator links onto the kept tip (the duplicate keeps its
        own). Returns (attachments copied, indicators linked)."""
        await self._session.execute(
            update(Report).where(Report.id == duplicate_id).values(merged_into_id=kept_id)
        )
        position = int(
            await self._session.scalar(
                select(func.coalesce(func.max(ReportAttachment.position), -1)).where(
                    ReportAttachment.report_id == kept_id
                )
            )
            or 0
        )
        tips = TipRepository(self._session)
        have = {a.file_id for a in await tips.attachments(kept_id)}
        copies = [a for a in await tips.attachments(duplicate_id) if a.file_id not in have]
        await tips.add_attachments(kept_id, copies, first=position + 1)
        kept_indicators = set(
            await self._session.scalars(
                select(ReportIndicator.indicator_id).where(ReportIndicator.report_id == kept_id)
            )
        )
        linked = 0
        for indicator_id in await self._session.scalars(
            select(ReportIndicator.indicator_id).where(ReportIndicator.report_id == duplicate_id)
        ):
            if indicator_id in kept_indicators:
                continue
            linked += 1
            # For the police only: the kept tip's reporter did not give it as the scammer's.
            self._session.add(
                ReportIndicator(indicator_id=indicator_id, report_id=kept_id, public=False)
            )
        await self._session.flush()
        return len(copies), linked
