"""Reads of the console's part 2 pages that no chat command needed: the per-group delivery
report of an advisory's runs, and when each group was last active."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AdvisoryDelivery, Chat, DeliveryState, ReviewItem

GROUP_TYPES = ("group", "supergroup")
"""Chats whose title may be shown; a delivery to anything else is a resident's private chat
(a direct-message subscriber) and is counted, never named."""


@dataclass(frozen=True, slots=True)
class DeliveryLine:
    run_id: int
    chat_id: int
    is_group: bool
    title: str | None
    status: DeliveryState
    error: str | None
    attempts: int
    uncertain: bool
    at: datetime


class ConsolePagesRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def delivery_lines(self, run_ids: Sequence[int]) -> list[DeliveryLine]:
        """Every delivery of these runs with its chat, groups by title."""
        if not run_ids:
            return []
        rows = await self._session.execute(
            select(AdvisoryDelivery, Chat.type, Chat.title)
            .join(Chat, Chat.id == AdvisoryDelivery.chat_id)
            .where(AdvisoryDelivery.run_id.in_(list(run_ids)))
            .order_by(AdvisoryDelivery.run_id, Chat.title, AdvisoryDelivery.id)
        )
        out = []
        for delivery, chat_type, title in rows:
            is_group = chat_type in GROUP_TYPES
            out.append(
                DeliveryLine(
                    run_id=delivery.run_id,
                    chat_id=delivery.chat_id,
                    is_group=is_group,
                    title=title if is_group else None,
                    status=delivery.status,
                    error=delivery.error,
                    attempts=delivery.attempts,
                    uncertain=delivery.uncertain,
                    at=delivery.updated_at,
                )
            )
        return out

    async def last_activity(self, chats: Sequence[tuple[int, int]]) -> dict[int, datetime]:
        """For (chats.id, Telegram chat id) pairs: the latest of an advisory delivered there,
        a message flagged there, or the bot seeing the group change (title, membership)."""
        if not chats:
            return {}
        ids = [c for c, _ in chats]
        by_key = {key: c for c, key in chats}
        found: dict[int, datetime] = {}

        def keep(chat_id: int, when: datetime | None) -> None:
            if when is not None and (chat_id not in found or when > found[chat_id]):
                found[chat_id] = when

        for chat_id, when in await self._session.execute(
            select(Chat.id, Chat.updated_at).where(Chat.id.in_(ids))
        ):
            keep(chat_id, when)
        for chat_id, when in await self._session.execute(
            select(AdvisoryDelivery.chat_id, func.max(AdvisoryDelivery.updated_at))
            .where(
                AdvisoryDelivery.chat_id.in_(ids),
                AdvisoryDelivery.status == DeliveryState.SENT,
            )
            .group_by(AdvisoryDelivery.chat_id)
        ):
            keep(chat_id, when)
        for key, when in await self._session.execute(
            select(ReviewItem.chat_id, func.max(ReviewItem.created_at))
            .where(ReviewItem.chat_id.in_(list(by_key)))
            .group_by(ReviewItem.chat_id)
        ):
            if key in by_key:
                keep(by_key[key], when)
        return found
