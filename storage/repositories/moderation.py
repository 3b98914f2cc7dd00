"""The review queue and members' warnings (pending verifications: verification.py; reading
the audit log: audit.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import insert_new
from storage.models import (
    Area,
    MemberWarning,
    ReviewFlag,
    ReviewItem,
    ReviewKind,
    ReviewStatus,
)
from storage.repositories.areas import under_any
from storage.types import is_row_id, utcnow


@dataclass(frozen=True, slots=True)
class ReviewItemDTO:
    id: int
    kind: ReviewKind
    area_id: int | None
    reason: str
    status: ReviewStatus
    chat_id: int | None
    message_id: int | None
    report_id: int | None
    subject_user_id: int | None
    subject_name: str | None
    text: str
    hidden: bool
    flag_count: int
    details: dict[str, Any]
    resolution: str | None
    resolved_by_user_id: int | None
    created_at: datetime

    @property
    def subject_telegram_id(self) -> int | None:
        value = self.details.get("subject_telegram_id")
        return int(value) if value is not None else None


def item_dto(row: ReviewItem) -> ReviewItemDTO:
    return ReviewItemDTO(
        id=row.id,
        kind=row.kind,
        area_id=row.area_id,
        reason=row.reason,
        status=row.status,
        chat_id=row.chat_id,
        message_id=row.message_id,
        report_id=row.report_id,
        subject_user_id=row.subject_user_id,
        subject_name=row.subject_name,
        text=row.text or "",
        hidden=row.hidden,
        flag_count=row.flag_count,
        details=dict(row.details or {}),
        resolution=row.resolution,
        resolved_by_user_id=row.resolved_by_user_id,
        created_at=row.created_at,
    )


class ReviewRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        kind: ReviewKind,
        area_id: int | None,
        reason: str,
        chat_id: int | None = None,
        message_id: int | None = None,
        report_id: int | None = None,
        subject_user_id: int | None = None,
        subject_name: str | None = None,
        text: str = "",
        details: dict[str, Any] | None = None,
        status: ReviewStatus = ReviewStatus.OPEN,
        resolution: str | None = None,
    ) -> ReviewItemDTO:
        """A new item; one added closed (``status``/``resolution``) is a record only."""
        row = ReviewItem(
            kind=kind,
            area_id=area_id,
            reason=reason,
            status=status,
            resolution=resolution,
            resolved_at=utcnow() if status is not ReviewStatus.OPEN else None,
            chat_id=chat_id,
            message_id=message_id,
            report_id=report_id,
            subject_user_id=subject_user_id,
            subject_name=subject_name,
            text=text,
            hidden=False,
            flag_count=0,
            details=details or {},
        )
        self._session.add(row)
        await self._session.flush()
        return item_dto(row)

    async def get(self, item_id: int) -> ReviewItemDTO | None:
        if not is_row_id(item_id):
            return None
        row = await self._session.get(ReviewItem, item_id)
        return item_dto(row) if row else None

    async def open_for_message(
        self, chat_id: int, message_id: int, reason: str
    ) -> ReviewItemDTO | None:
        return await self.for_message(chat_id, message_id, reason, only_open=True)

    async def for_message(
        self, chat_id: int, message_id: int, reason: str, *, only_open: bool = False
    ) -> ReviewItemDTO | None:
        """The newest item of a group message for ``reason`` (open or not, unless told)."""
        row = await self._session.scalar(
            select(ReviewItem)
            .where(
                ReviewItem.chat_id == chat_id,
                ReviewItem.message_id == message_id,
                ReviewItem.kind == ReviewKind.GROUP_MESSAGE,
                ReviewItem.reason == reason,
                *((ReviewItem.status == ReviewStatus.OPEN,) if only_open else ()),
            )
            .order_by(ReviewItem.id.desc())
            .limit(1)
        )
        return item_dto(row) if row else None

    async def add_flag(self, item_id: int, user_id: int) -> tuple[bool, int]:
        """Record that ``user_id`` flagged the item; returns (new flag?, distinct flaggers)."""
        exists = await self._session.scalar(
            select(ReviewFlag.id).where(
                ReviewFlag.item_id == item_id, ReviewFlag.user_id == user_id
            )
        )
        if exists is None:
            self._session.add(ReviewFlag(item_id=item_id, user_id=user_id))
            await self._session.flush()
        count = int(
            await self._session.scalar(
                select(func.count(ReviewFlag.id)).where(ReviewFlag.item_id == item_id)
            )
            or 0
        )
        row = await self._session.get_one(ReviewItem, item_id)
        row.flag_count = count
        await self._session.flush()
        return exists is None, count

    async def set_hidden(self, item_id: int, hidden: bool = True) -> None:
        row = await self._session.get_one(ReviewItem, item_id)
        row.hidden = hidden
        await self._session.flush()

    async def claim(
        self, item_id: int, status: ReviewStatus, resolution: str, actor_user_id: int | None
    ) -> bool:
        """Close an open item; False when someone else closed it first (the conditional
        UPDATE makes two simultaneous presses safe)."""
        result = await self._session.execute(
            update(ReviewItem)
            .where(ReviewItem.id == item_id, ReviewItem.status == ReviewStatus.OPEN)
            .values(
                status=status,
                resolution=resolution,
                resolved_by_user_id=actor_user_id,
                resolved_at=utcnow(),
                updated_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def reopen(self, item_id: int) -> None:
        await self._session.execute(
            update(ReviewItem)
            .where(ReviewItem.id == item_id)
            .values(
                status=ReviewStatus.OPEN,
                resolution=None,
                resolved_by_user_id=None,
                resolved_at=None,
                updated_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        )

    async def open_counts(self, paths: list[str] | None) -> list[tuple[int, int]]:
        """(area id, open items) for areas under any of ``paths`` (None: everywhere)."""
        rows = await self._session.execute(
            select(ReviewItem.area_id, func.count(ReviewItem.id))
            .join(Area, Area.id == ReviewItem.area_id)
            .where(ReviewItem.status == ReviewStatus.OPEN, under_any(paths))
            .group_by(ReviewItem.area_id)
        )
        return [(int(a), int(n)) for a, n in rows]

    async def next_open(
        self,
        paths: list[str] | None,
        *,
        after_id: int = 0,
        kinds: list[ReviewKind] | None = None,
    ) -> ReviewItemDTO | None:
        """The oldest open item after ``after_id`` in the given areas (wrapping around)."""
        base = (
            select(ReviewItem)
            .join(Area, Area.id == ReviewItem.area_id)
            .where(ReviewItem.status == ReviewStatus.OPEN, under_any(paths))
        )
        if kinds is not None:
            base = base.where(ReviewItem.kind.in_(kinds))
        row = await self._session.scalar(
            base.where(ReviewItem.id > after_id).order_by(ReviewItem.id).limit(1)
        )
        if row is None and after_id:
            row = await self._session.scalar(base.order_by(ReviewItem.id).limit(1))
        return item_dto(row) if row else None


class WarningRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        chat_id: int,
        user_id: int,
        issued_by: int | None,
        reason: str | None,
        source_message_id: int | None = None,
    ) -> int | None:
        """The member's active warnings after adding one; None when the command message
        ``source_message_id`` already issued its warning (the same update handled again)."""
        issued = await insert_new(
            self._session,
            MemberWarning,
            (MemberWarning.chat_id, MemberWarning.source_message_id),
            chat_id=chat_id,
            user_id=user_id,
            issued_by_user_id=issued_by,
            reason=reason,
            active=True,
            source_message_id=source_message_id,
        )
        if not issued:
            return None
        return await self.count(chat_id, user_id)

    async def count(self, chat_id: int, user_id: int) -> int:
        return int(
            await self._session.scalar(
                select(func.count(MemberWarning.id)).where(
                    MemberWarning.chat_id == chat_id,
                    MemberWarning.user_id == user_id,
                    MemberWarning.active.is_(True),
                )
            )
            or 0
        )

    async def lifted_by(self, chat_id: int, message_id: int) -> bool:
        """Whether the /gocanhcao message ``message_id`` of the group already lifted one."""
        found = await self._session.scalar(
            select(MemberWarning.id).where(
                MemberWarning.chat_id == chat_id,
                MemberWarning.removed_by_message_id == message_id,
            )
        )
        return found is not None

    async def remove_latest(
        self, chat_id: int, user_id: int, source_message_id: int | None = None
    ) -> int | None:
        """Deactivate the newest active warning; returns the remaining count, None if none."""
        row = await self._session.scalar(
            select(MemberWarning)
            .where(
                MemberWarning.chat_id == chat_id,
                MemberWarning.user_id == user_id,
                MemberWarning.active.is_(True),
            )
            .order_by(MemberWarning.id.desc())
            .limit(1)
        )
        if row is None:
            return None
        row.active = False
        row.removed_by_message_id = source_message_id
        await self._session.flush()
        return await self.count(chat_id, user_id)

    async def reset(self, chat_id: int, user_id: int) -> None:
        await self._session.execute(
            update(MemberWarning)
            .where(MemberWarning.chat_id == chat_id, MemberWarning.user_id == user_id)
            .values(active=False)
            .execution_options(synchronize_session=False)
        )
