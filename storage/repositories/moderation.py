"""Review queue, warnings, pending verifications and audit reading for moderation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dto import ChatDTO
from storage.models import (
    Area,
    AuditLog,
    Chat,
    MemberWarning,
    PendingVerification,
    ReviewFlag,
    ReviewItem,
    ReviewKind,
    ReviewStatus,
    RoleGrant,
    User,
)
from storage.person_names import person_name
from storage.repositories.chats import to_dto as chat_dto
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


@dataclass(frozen=True, slots=True)
class PendingVerificationDTO:
    chat_id: int
    telegram_user_id: int
    deadline: datetime
    prompt_message_id: int | None


@dataclass(frozen=True, slots=True)
class AuditRowDTO:
    """An audit entry with the names needed to show it."""

    id: int
    action: str
    created_at: datetime
    actor_user_id: int | None
    actor_name: str | None
    actor_telegram_id: int | None
    actor_has_role: bool
    area_id: int | None
    area_code: str | None
    area_name: str | None
    target_type: str | None
    target_id: str | None
    before: dict[str, Any] | None = field(default=None)
    after: dict[str, Any] | None = field(default=None)


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

    @staticmethod
    def _in_areas(paths: list[str] | None) -> Any:
        if paths is None:
            return True
        if not paths:
            return False
        return or_(*(Area.path.startswith(p) for p in paths))

    async def open_counts(self, paths: list[str] | None) -> list[tuple[int, int]]:
        """(area id, open items) for areas under any of ``paths`` (None: everywhere)."""
        rows = await self._session.execute(
            select(ReviewItem.area_id, func.count(ReviewItem.id))
            .join(Area, Area.id == ReviewItem.area_id)
            .where(ReviewItem.status == ReviewStatus.OPEN, self._in_areas(paths))
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
            .where(ReviewItem.status == ReviewStatus.OPEN, self._in_areas(paths))
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
        if source_message_id is not None:
            issued = await self._session.scalar(
                select(MemberWarning.id).where(
                    MemberWarning.chat_id == chat_id,
                    MemberWarning.source_message_id == source_message_id,
                )
            )
            if issued is not None:
                return None
        self._session.add(
            MemberWarning(
                chat_id=chat_id,
                user_id=user_id,
                issued_by_user_id=issued_by,
                reason=reason,
                active=True,
                source_message_id=source_message_id,
            )
        )
        await self._session.flush()
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


class VerificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @staticmethod
    def _dto(row: PendingVerification) -> PendingVerificationDTO:
        return PendingVerificationDTO(
            row.chat_id, row.telegram_user_id, row.deadline, row.prompt_message_id
        )

    async def put(
        self, chat_id: int, telegram_user_id: int, deadline: datetime
    ) -> PendingVerificationDTO:
        row = await self._session.scalar(
            select(PendingVerification).where(
                PendingVerification.chat_id == chat_id,
                PendingVerification.telegram_user_id == telegram_user_id,
            )
        )
        if row is None:
            row = PendingVerification(
                chat_id=chat_id, telegram_user_id=telegram_user_id, deadline=deadline
            )
            self._session.add(row)
        else:
            row.deadline = deadline
            row.prompt_message_id = None
        await self._session.flush()
        return self._dto(row)

    async def set_prompt(self, chat_id: int, telegram_user_id: int, message_id: int) -> None:
        await self._session.execute(
            update(PendingVerification)
            .where(
                PendingVerification.chat_id == chat_id,
                PendingVerification.telegram_user_id == telegram_user_id,
            )
            .values(prompt_message_id=message_id)
            .execution_options(synchronize_session=False)
        )

    async def pop(self, chat_id: int, telegram_user_id: int) -> PendingVerificationDTO | None:
        """Remove and return the pending verification (None: already settled)."""
        row = await self._session.scalar(
            select(PendingVerification).where(
                PendingVerification.chat_id == chat_id,
                PendingVerification.telegram_user_id == telegram_user_id,
            )
        )
        if row is None:
            return None
        dto = self._dto(row)
        await self._session.execute(
            delete(PendingVerification).where(PendingVerification.id == row.id)
        )
        return dto

    async def all(self) -> list[PendingVerificationDTO]:
        rows = await self._session.scalars(
            select(PendingVerification).order_by(PendingVerification.deadline)
        )
        return [self._dto(r) for r in rows]


class AuditReader:
    """Reading the audit log with actor and area names (the log itself is append-only and
    written through :class:`storage.repositories.audit.AuditRepository`)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def page(
        self,
        *,
        area_paths: list[str] | None,
        since: datetime | None = None,
        until: datetime | None = None,
        offset: int = 0,
        limit: int = 50,
        report_paths: list[str] | None = None,
        action: str | None = None,
        actor_user_id: int | None = None,
    ) -> list[AuditRowDTO]:
        """Newest first. ``area_paths`` None means every entry (including ones without an
        area); otherwise entries whose area lies under one of the paths. ``report_paths``
        narrows entries about tips (target ``report``) further the same way. ``action``: that
        code, or every code under it when it ends with a dot ("advisory.");
        ``actor_user_id``: that person's entries, only while they hold a role (a resident's
        entries are never picked out by who they are)."""
        has_role = select(RoleGrant.id).where(RoleGrant.user_id == AuditLog.actor_user_id).exists()
        query = (
            select(AuditLog, User, Area, has_role)
            .outerjoin(User, User.id == AuditLog.actor_user_id)
            .outerjoin(Area, Area.id == AuditLog.area_id)
        )
        if action:
            query = query.where(
                AuditLog.action.startswith(action, autoescape=True)
                if action.endswith(".")
                else AuditLog.action == action
            )
        if actor_user_id is not None:
            query = query.where(AuditLog.actor_user_id == actor_user_id, has_role)
        if area_paths is not None:
            if not area_paths:
                return []
            query = query.where(
                and_(AuditLog.area_id.is_not(None), ReviewRepository._in_areas(area_paths))
            )
        if report_paths is not None:
            query = query.where(
                or_(
                    AuditLog.target_type.is_distinct_from("report"),
                    and_(
                        AuditLog.area_id.is_not(None),
                        ReviewRepository._in_areas(report_paths),
                    ),
                )
            )
        if since is not None:
            query = query.where(AuditLog.created_at >= since)
        if until is not None:
            query = query.where(AuditLog.created_at < until)
        rows = await self._session.execute(
            query.order_by(AuditLog.id.desc()).offset(offset).limit(limit)
        )
        out = []
        for log, user, area, role in rows:
            out.append(
                AuditRowDTO(
                    id=log.id,
                    action=log.action,
                    created_at=log.created_at,
                    actor_user_id=log.actor_user_id,
                    actor_name=(person_name(user.first_name, user.last_name) or None)
                    if user
                    else None,
                    actor_telegram_id=user.telegram_id if user else None,
                    actor_has_role=bool(role),
                    area_id=log.area_id,
                    area_code=area.code if area else None,
                    area_name=area.name if area else None,
                    target_type=log.target_type,
                    target_id=log.target_id,
                    before=log.before,
                    after=log.after,
                )
            )
        return out


async def all_chats(session: AsyncSession) -> list[ChatDTO]:
    """Every chat the bot knows, groups first (for the operator's listing)."""
    rows = await session.scalars(select(Chat).order_by(Chat.telegram_chat_id))
    return [chat_dto(c) for c in rows]
