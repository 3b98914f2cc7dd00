"""The scheduler lease: which process may send advisories now (services/lease.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import dialect_insert
from storage.models import SchedulerLease


class LeaseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def try_acquire(self, name: str, owner: str, now: datetime, until: datetime) -> bool:
        """Take or renew the lease: succeeds if nobody holds it, we hold it, or the holder's
        time ran out. The conditional UPDATE is atomic on both databases."""
        result = await self._session.execute(
            update(SchedulerLease)
            .where(
                SchedulerLease.name == name,
                (SchedulerLease.owner == owner) | (SchedulerLease.expires_at < now),
            )
            .values(owner=owner, expires_at=until)
        )
        if result.rowcount:  # type: ignore[attr-defined]
            return True
        if await self._session.get(SchedulerLease, name) is not None:
            return False
        taken = await self._session.scalar(
            dialect_insert(self._session, SchedulerLease)
            .values(name=name, owner=owner, expires_at=until)
            .on_conflict_do_nothing(index_elements=[SchedulerLease.name])
            .returning(SchedulerLease.name)
        )
        return taken is not None

    async def release(self, name: str, owner: str, now: datetime) -> None:
        await self._session.execute(
            update(SchedulerLease)
            .where(SchedulerLease.name == name, SchedulerLease.owner == owner)
            .values(expires_at=now)
        )

    async def holder(self, name: str) -> tuple[str, datetime] | None:
        row = await self._session.get(SchedulerLease, name)
        return (row.owner, row.expires_at) if row else None
