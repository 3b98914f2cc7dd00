"""Updates of different chats at once, each chat's updates one at a time and in order.

PTB's default handles one update after another, so one resident waiting on the database or on
Telegram holds up every other resident and group; its ``concurrent_updates(True)`` would let
two messages of one tip conversation overtake each other. This keeps the order where it
matters (within a chat: a conversation, a group's flood counter) and overlaps the rest.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


def chat_key(update: object) -> int | None:
    """The chat an update belongs to (a private chat is its person); None for updates that
    belong to no chat (polls, for instance), which are not ordered."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._turns: dict[int, tuple[asyncio.Lock, int]] = {}
        """Per chat with updates in flight: its lock (FIFO, so arrival order is kept) and how
        many of its updates hold or wait for it; dropped when that reaches zero."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            await coroutine
            return
        lock, users = self._turns.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._turns[key] = (lock, users + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, users = self._turns[key]
            if users <= 1:
                del self._turns[key]
            else:
                self._turns[key] = (lock, users - 1)

    @property
    def chats_in_flight(self) -> int:
        return len(self._turns)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
