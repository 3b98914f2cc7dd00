"""Tips: stored reports with their attachments and status history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from storage.dto_tips import AttachmentDTO, NewReport, ReportDTO, StatusChangeDTO
from storage.models import (
    Report,
    ReportAttachment,
    ReportKind,
    ReportStatus,
    ReportStatusChange,
)
from storage.types import is_row_id


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


class TipRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self, tip: NewReport, *, kind: ReportKind, code_prefix: str, now: datetime
    ) -> ReportDTO:
        """Insert the report and give it its reference code ``<prefix>-<yymm>-<id>``: built
        from the row id, so it is unique without a counter and says nothing about the
        reporter."""
        report = Report(
            code=f"tmp-{now.timestamp():.6f}"[:20],
            kind=kind,
            status=ReportStatus.RECEIVED,
            created_at=now,
            updated_at=now,
            **asdict(tip),
        )
        self._session.add(report)
        await self._session.flush()
        code = f"{code_prefix}-{now:%y%m}-{report.id:04d}"
        # A Core UPDATE, so the new report keeps version 1 (the ORM would count this as an edit).
        # routed_at NULL: due for routing, the police are told after the commit (the column's
        # default, "routed", is for rows stored any other way; the ORM applies it to a None).
        await self._session.execute(
            update(Report).where(Report.id == report.id).values(code=code, routed_at=None)
        )
        set_committed_value(report, "code", code)
        set_committed_value(report, "routed_at", None)
        return report_dto(report)

    async def add_attachments(
        self, report_id: int, items: Sequence[AttachmentDTO], *, first: int = 0
    ) -> None:
        """Store ``items`` in order at positions ``first``, ``first + 1``…"""
        for position, item in enumerate(items, start=first):
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
        if not is_row_id(report_id):
            return None
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
        """(before, after), or None when the report does not exist; see :meth:`change`."""
        return await self.change(
            report_id, expected_version, status=status, **({"updated_at": at} if at else {})
        )

    async def change(
        self, report_id: int, expected_version: int, **columns: Any
    ) -> tuple[ReportDTO, ReportDTO] | None:
        """Set ``columns`` of the report if it is still at ``expected_version``: (before,
        after), or None when the report does not exist. Raises :class:`StaleReport` when
        ``expected_version`` is not the current one, or another transaction changed the row
        in the meantime."""
        row = await self._session.get(Report, report_id)
        if row is None:
            return None
        if row.version != expected_version:
            raise StaleReport(report_id)
        before = report_dto(row)
        for name, value in columns.items():
            setattr(row, name, value)
        try:
            await self._session.flush()
        except StaleDataError as exc:
            raise StaleReport(report_id) from exc
        return before, report_dto(row)

    # -- the routing outbox (reports.routed_at, reports.routing_claimed_until) -------------
    async def claim_for_routing(self, report_id: int, *, now: datetime, until: datetime) -> bool:
        """Take the routing lease on one report. False when it is routed already or another
        process holds an unexpired lease (it is telling the police right now)."""
        return bool(await self._claim(Report.id == report_id, now=now, until=until))

    async def claim_next_unrouted(
        self, *, stored_before: datetime, now: datetime, until: datetime
    ) -> ReportDTO | None:
        """Take the routing lease on the oldest report stored before ``stored_before``, never
        routed and not leased by anyone; None when there is none."""
        due = (
            select(Report.id)
            .where(Report.created_at <= stored_before, *_routable(now))
            .order_by(Report.id)
            .limit(1)
            # Postgres: a row another instance is claiming at this moment is passed over, not
            # waited for (SQLite has one writer at a time and renders no FOR UPDATE).
            .with_for_update(skip_locked=True)
        )
        # "id = (subquery)", not "id IN (subquery)": Postgres runs a scalar subquery once,
        # while an IN may be re-run per row and claim more than one report.
        ids = await self._claim(Report.id == due.scalar_subquery(), now=now, until=until)
        if not ids:
            return None
        row = await self._session.get(Report, ids[0])
        assert row is not None
        return report_dto(row)

    async def _claim(
        self, which: ColumnElement[bool], *, now: datetime, until: datetime
    ) -> list[int]:
        # One conditional UPDATE: the routable test is re-checked on the row itself, so of two
        # claimers (another instance, the sweep and the background task) exactly one wins, on
        # SQLite (one writer at a time) and on Postgres (the loser re-reads the row it waited
        # for). A Core UPDATE leaves ``version`` alone (routing is not an officer's edit), and
        # updated_at is kept for the same reason.
        result = await self._session.execute(
            update(Report)
            .where(which, *_routable(now))
            .values(routing_claimed_until=until, updated_at=Report.updated_at)
            .returning(Report.id),
            execution_options={"synchronize_session": False},
        )
        return list(result.scalars())

    async def defer_routing(self, report_id: int, until: datetime) -> None:
        """Keep the report due but leave it alone until ``until`` (nobody could be reached:
        the next sweep after that tries again)."""
        await self._session.execute(
            update(Report)
            .where(Report.id == report_id, Report.routed_at.is_(None))
            .values(routing_claimed_until=until, updated_at=Report.updated_at),
            execution_options={"synchronize_session": False},
        )

    async def mark_routed(self, report_id: int, at: datetime) -> bool:
        """The police (or the admins) were told: never route this report again."""
        result = await self._session.execute(
            update(Report)
            .where(Report.id == report_id, Report.routed_at.is_(None))
            .values(routed_at=at, routing_claimed_until=None, updated_at=Report.updated_at),
            execution_options={"synchronize_session": False},
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def _routable(now: datetime) -> tuple[ColumnElement[bool], ...]:
    """Not routed yet, and nobody holds an unexpired routing lease."""
    free = Report.routing_claimed_until.is_(None) | (Report.routing_claimed_until < now)
    return (Report.routed_at.is_(None), free)
