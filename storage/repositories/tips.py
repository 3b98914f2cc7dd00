"""Tips: drafts being written, stored reports with their attachments and status history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from storage.dto_tips import AttachmentDTO, DraftRow, ReportDTO, StatusChangeDTO
from storage.models import (
    Report,
    ReportAttachment,
    ReportKind,
    ReportStatus,
    ReportStatusChange,
    TipDraft,
)


class StaleReport(Exception):
    """Someone else changed the report first (optimistic lock on ``reports.version``)."""


def report_dto(r: Report) -> ReportDTO:
    return ReportDTO(
        id=r.id,
        code=r.code,
        kind=r.kind,
        category=r.category,
        text=r.text,
        status=r.status,
        area_id=r.area_id,
        reporter_user_id=r.reporter_user_id,
        anonymous=r.anonymous,
        latitude=r.latitude,
        longitude=r.longitude,
        address=r.address,
        fraud_details=r.fraud_details,
        version=r.version,
        created_at=r.created_at,
        updated_at=r.updated_at,
    )


class TipDraftRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int) -> DraftRow | None:
        row = await self._session.scalar(select(TipDraft).where(TipDraft.user_id == user_id))
        if row is None:
            return None
        return DraftRow(row.user_id, row.step, dict(row.data or {}), row.updated_at)

    async def save(self, user_id: int, step: str, data: dict[str, Any]) -> DraftRow:
        row = await self._session.scalar(select(TipDraft).where(TipDraft.user_id == user_id))
        if row is None:
            row = TipDraft(user_id=user_id, step=step, data=dict(data))
            self._session.add(row)
        else:
            row.step = step
            row.data = dict(data)  # a new object, so the JSON column is seen as changed
        await self._session.flush()
        return DraftRow(row.user_id, row.step, dict(row.data), row.updated_at)

    async def delete(self, user_id: int) -> bool:
        result = await self._session.execute(delete(TipDraft).where(TipDraft.user_id == user_id))
        return bool(result.rowcount)  # type: ignore[attr-defined]


class TipRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        kind: ReportKind,
        category: str,
        text: str,
        area_id: int | None,
        reporter_user_id: int,
        anonymous: bool,
        latitude: float | None,
        longitude: float | None,
        address: str | None,
        fraud_details: str | None,
        code_prefix: str,
        now: datetime,
    ) -> ReportDTO:
        """Insert the report and give it its reference code ``<prefix>-<yymm>-<id>``: built
        from the row id, so it is unique without a counter and says nothing about the
        reporter."""
        report = Report(
            code=f"tmp-{now.timestamp():.6f}"[:20],
            kind=kind,
            category=category,
            text=text,
            status=ReportStatus.RECEIVED,
            area_id=area_id,
            reporter_user_id=reporter_user_id,
            anonymous=anonymous,
            latitude=latitude,
            longitude=longitude,
            address=address,
            fraud_details=fraud_details,
            created_at=now,
            updated_at=now,
        )
        self._session.add(report)
        await self._session.flush()
        code = f"{code_prefix}-{now:%y%m}-{report.id:04d}"
        # A Core UPDATE, so the new report keeps version 1 (the ORM would count this as an edit).
        await self._session.execute(update(Report).where(Report.id == report.id).values(code=code))
        set_committed_value(report, "code", code)
        return report_dto(report)

    async def add_attachments(self, report_id: int, items: Sequence[AttachmentDTO]) -> None:
        for position, item in enumerate(items):
            self._session.add(
                ReportAttachment(
                    report_id=report_id,
                    position=position,
                    kind=item.kind,
                    file_id=item.file_id,
                    file_unique_id=item.file_unique_id,
                    mime_type=item.mime_type,
                )
            )
        await self._session.flush()

    async def attachments(self, report_id: int) -> list[AttachmentDTO]:
        rows = await self._session.scalars(
            select(ReportAttachment)
            .where(ReportAttachment.report_id == report_id)
            .order_by(ReportAttachment.position, ReportAttachment.id)
        )
        return [AttachmentDTO(r.kind, r.file_id, r.file_unique_id, r.mime_type) for r in rows]

    async def add_status_change(
        self,
        report_id: int,
        old: ReportStatus | None,
        new: ReportStatus,
        actor_user_id: int | None,
        note: str | None,
        *,
        at: datetime | None = None,
    ) -> StatusChangeDTO:
        """``at`` backdates the change (imports, demo history); default: now."""
        row = ReportStatusChange(
            report_id=report_id,
            old_status=old,
            new_status=new,
            actor_user_id=actor_user_id,
            note=note,
        )
        if at is not None:
            row.created_at = at
        self._session.add(row)
        await self._session.flush()
        return StatusChangeDTO(old, new, actor_user_id, note, row.created_at)

    async def history(self, report_id: int) -> list[StatusChangeDTO]:
        rows = await self._session.scalars(
            select(ReportStatusChange)
            .where(ReportStatusChange.report_id == report_id)
            .order_by(ReportStatusChange.id)
        )
        return [
            StatusChangeDTO(r.old_status, r.new_status, r.actor_user_id, r.note, r.created_at)
            for r in rows
        ]

    async def get(self, report_id: int) -> ReportDTO | None:
        row = await self._session.get(Report, report_id)
        return report_dto(row) if row else None

    async def count_by_reporter_since(self, reporter_user_id: int, since: datetime) -> int:
        return int(
            await self._session.scalar(
                select(func.count(Report.id)).where(
                    Report.reporter_user_id == reporter_user_id, Report.created_at >= since
                )
            )
            or 0
        )

    async def oldest_by_reporter_since(
        self, reporter_user_id: int, since: datetime
    ) -> datetime | None:
        return await self._session.scalar(
            select(func.min(Report.created_at)).where(
                Report.reporter_user_id == reporter_user_id, Report.created_at >= since
            )
        )

    async def for_reporter(
        self, reporter_user_id: int, *, offset: int, limit: int
    ) -> tuple[list[ReportDTO], int]:
        """The reporter's reports, newest first, and how many there are in all."""
        where = Report.reporter_user_id == reporter_user_id
        total = int(await self._session.scalar(select(func.count(Report.id)).where(where)) or 0)
        rows = await self._session.scalars(
            select(Report)
            .where(where)
            .order_by(Report.created_at.desc(), Report.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return [report_dto(r) for r in rows], total

    async def set_status(
        self,
        report_id: int,
        status: ReportStatus,
        expected_version: int,
        *,
        at: datetime | None = None,
    ) -> tuple[ReportDTO, ReportDTO] | None:
        """(before, after), or None when the report does not exist. Raises
        :class:`StaleReport` when ``expected_version`` is not the current one, or another
        transaction changed the row in the meantime."""
        row = await self._session.get(Report, report_id)
        if row is None:
            return None
        if row.version != expected_version:
            raise StaleReport(report_id)
        before = report_dto(row)
        row.status = status
        if at is not None:
            row.updated_at = at
        try:
            await self._session.flush()
        except StaleDataError as exc:
            raise StaleReport(report_id) from exc
        return before, report_dto(row)
