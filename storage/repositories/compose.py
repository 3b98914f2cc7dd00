"""An officer's flow answered so far (storage/models/compose.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import dialect_insert
from storage.models import ComposeDraft
from storage.types import utcnow


class ComposeDraftRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int, flow: str) -> dict[str, Any] | None:
        data = await self._session.scalar(
            select(ComposeDraft.data).where(
                ComposeDraft.user_id == user_id, ComposeDraft.flow == flow
            )
        )
        return dict(data) if data is not None else None

    async def put(self, user_id: int, flow: str, data: dict[str, Any]) -> None:
        now = utcnow()
        insert = dialect_insert(self._session, ComposeDraft).values(
            user_id=user_id, flow=flow, data=data, created_at=now, updated_at=now
        )
        await self._session.execute(
            insert.on_conflict_do_update(
                index_elements=["user_id", "flow"], set_={"data": data, "updated_at": now}
            )
        )

    async def drop(self, user_id: int, flow: str) -> None:
        await self._session.execute(
            delete(ComposeDraft).where(ComposeDraft.user_id == user_id, ComposeDraft.flow == flow)
        )
