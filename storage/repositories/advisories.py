"""Advisories: what an officer wrote, to whom and on which schedule. Their runs and delivery
ledger are :mod:`storage.repositories.advisory_runs`."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dto import ChatDTO
from storage.models import Advisory, AdvisoryStatus, Chat, ChatPurpose, Recurrence
from storage.repositories.chats import to_dto as chat_dto
from storage.types import is_row_id


@dataclass(frozen=True, slots=True)
class AdvisoryDTO:
    id: int
    author_user_id: int | None
    area_id: int | None
    chat_ids: tuple[int, ...]
    text: str
    media_kind: str | None
    media_file_id: str | None
    pin: bool
    silent: bool
    recurrence: Recurrence
    run_at: datetime | None
    time_of_day: str | None
    weekdays: tuple[int, ...]
    month_day: int | None
    until: str | None
    status: AdvisoryStatus
    next_run_at: datetime | None
    title: str
    created_at: datetime


_COLUMNS = tuple(f.name for f in fields(AdvisoryDTO))
"""Each field of the DTO is the row's column of that name (the lists become tuples)."""


def advisory_dto(row: Advisory) -> AdvisoryDTO:
    values = {name: getattr(row, name) for name in _COLUMNS}
    values["chat_ids"] = tuple(row.chat_ids or ())
    values["weekdays"] = tuple(row.weekdays or ())
    return AdvisoryDTO(**values)


class AdvisoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, **fields: Any) -> AdvisoryDTO:
        row = Advisory(**fields)
        self._session.add(row)
        await self._session.flush()
        return advisory_dto(row)

    async def get(self, advisory_id: int, *, for_update: bool = False) -> AdvisoryDTO | None:
        if not is_row_id(advisory_id):
            return None
        query = select(Advisory).where(Advisory.id == advisory_id)
        if for_update:
            query = query.with_for_update()
        row = await self._session.scalar(query)
        return advisory_dto(row) if row else None

    async def update(self, advisory_id: int, **fields: Any) -> AdvisoryDTO:
        row = await self._session.get_one(Advisory, advisory_id)
        for key, value in fields.items():
            setattr(row, key, value)
        await self._session.flush()
        return advisory_dto(row)

    async def by_author(self, author_user_id: int | None) -> list[AdvisoryDTO]:
        """Live advisories (not deleted); every author's when ``author_user_id`` is None."""
        query = select(Advisory).where(Advisory.status != AdvisoryStatus.DELETED)
        if author_user_id is not None:
            query = query.where(Advisory.author_user_id == author_user_id)
        rows = await self._session.scalars(query.order_by(Advisory.id.desc()).limit(50))
        return [advisory_dto(r) for r in rows]

    async def live_for_areas(self, area_ids: list[int], limit: int = 50) -> list[AdvisoryDTO]:
        """Live advisories (newest first) of these areas, and those sent to groups chosen one
        by one (their groups' areas are for the caller to check)."""
        live = select(Advisory).where(Advisory.status != AdvisoryStatus.DELETED)
        newest = Advisory.id.desc()
        by_area = await self._session.scalars(
            live.where(Advisory.area_id.in_(area_ids)).order_by(newest).limit(limit)
        )
        by_groups = await self._session.scalars(
            live.where(Advisory.area_id.is_(None)).order_by(newest).limit(limit)
        )
        rows = sorted([*by_area, *by_groups], key=lambda r: r.id, reverse=True)
        return [advisory_dto(r) for r in rows[:limit]]

    async def active(self) -> list[AdvisoryDTO]:
        rows = await self._session.scalars(
            select(Advisory).where(Advisory.status == AdvisoryStatus.ACTIVE).order_by(Advisory.id)
        )
        return [advisory_dto(r) for r in rows]

    async def chats(self, chat_ids: list[int]) -> list[ChatDTO]:
        """Active residents' groups among ``chat_ids`` (our ids)."""
        if not chat_ids:
            return []
        rows = await self._session.scalars(
            select(Chat)
            .where(
                Chat.id.in_(chat_ids),
                Chat.purpose == ChatPurpose.RESIDENTS,
                Chat.active.is_(True),
            )
            .order_by(Chat.id)
        )
        return [chat_dto(c) for c in rows]
