"""The audit log: append-only; written with :class:`AuditRepository`, read with the names
needed to show it with :class:`AuditReader`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dto import AuditDTO
from storage.models import Area, AuditLog, RoleGrant, User
from storage.person_names import person_name
from storage.repositories.areas import under_any


class ReportRef(Protocol):
    """What an audit entry about a tip needs of it."""

    @property
    def id(self) -> int: ...

    @property
    def area_id(self) -> int | None: ...


def to_dto(row: AuditLog) -> AuditDTO:
    return AuditDTO(
        id=row.id,
        actor_user_id=row.actor_user_id,
        action=row.action,
        target_type=row.target_type,
        target_id=row.target_id,
        area_id=row.area_id,
        before=row.before,
        after=row.after,
        created_at=row.created_at,
    )


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        action: str,
        *,
        actor_user_id: int | None,
        target_type: str | None = None,
        target_id: str | int | None = None,
        area_id: int | None = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> AuditDTO:
        row = AuditLog(
            action=action,
            actor_user_id=actor_user_id,
            target_type=target_type,
            target_id=None if target_id is None else str(target_id),
            area_id=area_id,
            before=before,
            after=after,
        )
        self._session.add(row)
        await self._session.flush()
        return to_dto(row)

    async def add_for_report(
        self,
        action: str,
        report: ReportRef,
        *,
        actor_user_id: int | None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> AuditDTO:
        """An entry about a tip (its area too, so the area's police see it in the log)."""
        return await self.add(
            action,
            actor_user_id=actor_user_id,
            target_type="report",
            target_id=report.id,
            area_id=report.area_id,
            before=before,
            after=after,
        )

    async def recent(
        self,
        *,
        area_ids: list[int] | None = None,
        since: datetime | None = None,
        limit: int = 50,
    ) -> list[AuditDTO]:
        query = select(AuditLog)
        if area_ids is not None:
            query = query.where(AuditLog.area_id.in_(area_ids))
        if since is not None:
            query = query.where(AuditLog.created_at >= since)
        rows = await self._session.scalars(query.order_by(AuditLog.id.desc()).limit(limit))
        return [to_dto(r) for r in rows]


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


class AuditReader:
    """Reading the audit log with actor and area names (the log itself is append-only and
    written through :class:`AuditRepository`)."""

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
            query = query.where(and_(AuditLog.area_id.is_not(None), under_any(area_paths)))
        if report_paths is not None:
            query = query.where(
                or_(
                    AuditLog.target_type.is_distinct_from("report"),
                    and_(
                        AuditLog.area_id.is_not(None),
                        under_any(report_paths),
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


class AuditChoiceReader:
    """What the console's log filters offer: the action codes and the people holding a role
    found in the entries of some areas (None: everywhere)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def actions(self, *, area_paths: list[str] | None) -> list[str]:
        query = select(AuditLog.action).distinct()
        if area_paths is not None:
            if not area_paths:
                return []
            query = query.join(Area, Area.id == AuditLog.area_id).where(under_any(area_paths))
        return sorted(await self._session.scalars(query.limit(500)))

    async def actors(self, *, area_paths: list[str] | None) -> list[tuple[int, str]]:
        """(user id, name) of people with a role (never a resident) who wrote entries."""
        has_role = select(RoleGrant.id).where(RoleGrant.user_id == User.id).exists()
        query = (
            select(User.id, User.first_name, User.last_name)
            .join(AuditLog, AuditLog.actor_user_id == User.id)
            .where(has_role)
            .distinct()
        )
        if area_paths is not None:
            if not area_paths:
                return []
            query = query.join(Area, Area.id == AuditLog.area_id).where(under_any(area_paths))
        rows = await self._session.execute(query.limit(500))
        found = [(uid, person_name(first, last) or f"#{uid}") for uid, first, last in rows]
        return sorted(found, key=lambda pair: pair[1])
