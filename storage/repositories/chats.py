"""Chats the bot knows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import insert_or_read
from storage.dto import ChatDTO
from storage.models import Chat, ChatPurpose


def to_dto(chat: Chat) -> ChatDTO:
    return ChatDTO(
        id=chat.id,
        telegram_chat_id=chat.telegram_chat_id,
        type=chat.type,
        title=chat.title,
        area_id=chat.area_id,
        purpose=chat.purpose,
        active=chat.active,
        bot_is_admin=chat.bot_is_admin,
        settings=dict(chat.settings or {}),
    )


class ChatRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _get_row(self, telegram_chat_id: int) -> Chat | None:
        return await self._session.scalar(
            select(Chat).where(Chat.telegram_chat_id == telegram_chat_id)
        )

    async def upsert(self, telegram_chat_id: int, type_: str, title: str | None) -> ChatDTO:
        chat = await self._get_row(telegram_chat_id)
        if chat is None:
            # Two updates about a new chat handled at once (chats are handled concurrently,
            # and by several instances) must not fail one.
            chat = await insert_or_read(
                self._session,
                Chat,
                Chat.telegram_chat_id,
                telegram_chat_id,
                type=type_,
                title=title,
                purpose=ChatPurpose.NONE,
                active=True,
                bot_is_admin=False,
                settings={},
            )
        if chat.title != title:
            chat.title = title
        if chat.type != type_:
            chat.type = type_
        await self._session.flush()
        return to_dto(chat)

    async def get(self, telegram_chat_id: int) -> ChatDTO | None:
        chat = await self._get_row(telegram_chat_id)
        return to_dto(chat) if chat else None

    async def update(self, telegram_chat_id: int, **fields: Any) -> ChatDTO:
        chat = await self._get_row(telegram_chat_id)
        if chat is None:
            raise LookupError(f"unknown chat {telegram_chat_id}")
        for key, value in fields.items():
            setattr(chat, key, value)
        await self._session.flush()
        return to_dto(chat)

    async def for_areas(
        self, area_ids: list[int], purpose: ChatPurpose, *, active_only: bool = True
    ) -> list[ChatDTO]:
        query = select(Chat).where(Chat.area_id.in_(area_ids), Chat.purpose == purpose)
        if active_only:
            query = query.where(Chat.active.is_(True))
        rows = await self._session.scalars(query.order_by(Chat.id))
        return [to_dto(c) for c in rows]


async def all_chats(session: AsyncSession) -> list[ChatDTO]:
    """Every chat the bot knows, groups first (for the operator's listing)."""
    rows = await session.scalars(select(Chat).order_by(Chat.telegram_chat_id))
    return [to_dto(c) for c in rows]
