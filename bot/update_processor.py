"""Updates of different chats at once, each chat's updates one at a time and in order.

PTB's default handles one update after another, so one resident waiting on the database or on
Telegram holds up every other resident and group; its ``concurrent_updates(True)`` would let
two messages of one tip conversation overtake each other. This keeps the order where it
matters (within a chat: a conversation, a group's flood counter) and overlaps the rest.

It also skips an update Telegram delivers again after it was handled (services/updates.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from services.updates import HandledUpdates


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
        self._handled: HandledUpdates | None = None
        self._bot_id = 0

    def skip_handled(self, handled: HandledUpdates | None, bot_id: int = 0) -> None:
        """Skip updates ``bot_id`` has handled already (set once the services exist: until
        then, and after ``None``, nothing is skipped)."""
        self._handled, self._bot_id = handled, bot_id

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            await self._once(update, coroutine)
            return
        lock, users = self._turns.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._turns[key] = (lock, users + 1)
        try:
            async with lock:
                await self._once(update, coroutine)
        finally:
            lock, users = self._turns[key]
            if users <= 1:
                del self._turns[key]
            else:
                self._turns[key] = (lock, users - 1)

    async def _once(self, update: object, coroutine: Awaitable[Any]) -> None:
        handled, bot_id = self._handled, self._bot_id
        if handled is None or not isinstance(update, Update):
            await coroutine
            return
        if await handled.already_handled(bot_id, update.update_id):
            if isinstance(coroutine, Coroutine):
                coroutine.close()  # never started: nothing to undo
            return
        await coroutine  # handler errors are caught inside (PTB's error handlers)
        await handled.handled(bot_id, update.update_id)

    @property
    def chats_in_flight(self) -> int:
        return len(self._turns)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
