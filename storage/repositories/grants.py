"""Role grants on areas."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dto import AreaDTO, GrantDTO
from storage.models import Area, Role, RoleGrant
from storage.repositories.areas import to_dto as area_dto


class GrantRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self, user_id: int, role: Role, area: AreaDTO, granted_by: int | None
    ) -> GrantDTO | None:
        """Returns None when the same grant already exists."""
        existing = await self._session.scalar(
            select(RoleGrant).where(
                RoleGrant.user_id == user_id, RoleGrant.role == role, RoleGrant.area_id == area.id
            )
        )
        if existing:
            return None
        grant = RoleGrant(
            user_id=user_id, role=role, area_id=area.id, granted_by_user_id=granted_by
        )
        self._session.add(grant)
        await self._session.flush()
        return GrantDTO(grant.id, user_id, role, area, grant.created_at)

    async def remove(self, user_id: int, role: Role, area_id: int) -> bool:
        result = await self._session.execute(
            delete(RoleGrant).where(
                RoleGrant.user_id == user_id, RoleGrant.role == role, RoleGrant.area_id == area_id
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def for_user(self, user_id: int) -> list[GrantDTO]:
        rows = await self._session.execute(
            select(RoleGrant, Area)
            .join(Area, Area.id == RoleGrant.area_id)
            .where(RoleGrant.user_id == user_id)
            .order_by(Area.path)
        )
        return [GrantDTO(g.id, g.user_id, g.role, area_dto(a), g.created_at) for g, a in rows]

    async def all(self) -> list[GrantDTO]:
        rows = await self._session.execute(
            select(RoleGrant, Area)
            .join(Area, Area.id == RoleGrant.area_id)
            .order_by(Area.path, RoleGrant.role, RoleGrant.user_id)
        )
        return [GrantDTO(g.id, g.user_id, g.role, area_dto(a), g.created_at) for g, a in rows]

    async def holders_covering(self, area: AreaDTO, role: Role) -> list[GrantDTO]:
        """Grants of ``role`` on this area or any ancestor (a grant covers its subtree)."""
        rows = await self._session.execute(
            select(RoleGrant, Area)
            .join(Area, Area.id == RoleGrant.area_id)
            .where(RoleGrant.role == role, RoleGrant.area_id.in_(area.ancestor_ids))
        )
        return [GrantDTO(g.id, g.user_id, g.role, area_dto(a), g.created_at) for g, a in rows]
