"""The audit log: append-only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dto import AuditDTO
from storage.models import Area, AuditLog, RoleGrant, User
from storage.person_names import person_name


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
            query = query.join(Area, Area.id == AuditLog.area_id).where(_under(area_paths))
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
            query = query.join(Area, Area.id == AuditLog.area_id).where(_under(area_paths))
        rows = await self._session.execute(query.limit(500))
        found = [(uid, person_name(first, last) or f"#{uid}") for uid, first, last in rows]
        return sorted(found, key=lambda pair: pair[1])


def _under(paths: list[str]) -> Any:
    return or_(*(Area.path.startswith(p) for p in paths))
