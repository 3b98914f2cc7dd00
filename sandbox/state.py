"""The in-memory world: bots, chats, messages, update queues and events.

Everything runs on one event loop, so plain data structures suffice; waiters
(long polling, history waits, callback answers) sleep on a generation event
that every mutation replaces, which keeps waking logic in one place.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from sandbox.errors import chat_not_found
from sandbox.files import FileStore
from sandbox.limits import FaultTable, RateLimiter, Stats
from sandbox.models import (
    JSON,
    BotRecord,
    CallbackRecord,
    Chat,
    StoredMessage,
    first_update_id,
)
from sandbox.zalo_api import ZaloWorld

# Update kinds Telegram leaves out unless a bot asks for them explicitly.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


def now_ts() -> int:
    return int(time.time())


def bot_user(bot_id: int) -> JSON:
    return {
        "id": bot_id,
        "is_bot": True,
        "first_name": "Anninh Sandbox Bot",
        "username": f"anninh_sandbox_{bot_id}_bot",
    }


def update_kind(update: JSON) -> str:
    return next(k for k in update if k != "update_id")


class SandboxState:
    def __init__(self) -> None:
        self._changed = asyncio.Event()
        self._subscribers: set[asyncio.Queue[JSON | None]] = set()
        self.closing = False
        self.personas: list[JSON] = []
        """Who the web chat page may act as (PUT /sandbox/personas); survives reset."""
        self._clear()

    def _clear(self) -> None:
        issued = max((b.next_update_id for b in getattr(self, "bots", {}).values()), default=0)
        self.first_update_id = max(first_update_id(), issued)
        """Every bot's first update id until the next reset (never an id given out before)."""
        self.bots: dict[int, BotRecord] = {}
        self.chats: dict[int, Chat] = {}
        self.files = FileStore()
        self.callbacks: dict[str, CallbackRecord] = {}
        self.blocked: set[int] = set()
        self.users: dict[int, JSON] = {}
        self.faults = FaultTable()
        self.limits = RateLimiter()
        self.stats = Stats()
        self._callback_counter = 0
        self.zalo = ZaloWorld(self.notify, self.publish)
        """The Zalo Bot API side (sandbox/zalo_api.py)."""

    def reset(self) -> None:
        for bot in self.bots.values():
            if bot.webhook_task is not None:
                bot.webhook_task.cancel()
        self.zalo.close()
        self._clear()
        self.publish("reset", None)

    async def close(self) -> None:
        """Wake every long poll and end SSE streams so the server stops quickly."""
        self.closing = True
        tasks = [b.webhook_task for b in self.bots.values() if b.webhook_task is not None]
        for task in tasks:
            task.cancel()
        self.zalo.close()
        await asyncio.gather(*tasks, return_exceptions=True)
        for queue in self._subscribers:
            queue.put_nowait(None)
        self.notify()

    # -- waiting and events -------------------------------------------------
    def notify(self) -> None:
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    async def wait_until(self, predicate: Callable[[], bool], wait_s: float | None) -> bool:
        """Wait until ``predicate()`` holds (re-checked after each mutation)."""
        loop = asyncio.get_running_loop()
        deadline = None if wait_s is None else loop.time() + wait_s
        while True:
            if predicate():
                return True
            if self.closing:
                return False
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                return False
            event = self._changed
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return predicate()

    def subscribe(self) -> asyncio.Queue[JSON | None]:
        queue: asyncio.Queue[JSON | None] = asyncio.Queue()
        self._subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[JSON | None]) -> None:
        self._subscribers.discard(queue)

    def publish(self, kind: str, chat_id: int | None, **data: Any) -> None:
        event = {"type": kind, "chat_id": chat_id, "time": time.time(), **data}
        for queue in self._subscribers:
            queue.put_nowait(event)
        self.notify()

    # -- bots -----------------------------------------------------------------
    def bot_for_token(self, token: str) -> BotRecord:
        bot_id = int(token.split(":", 1)[0])
        bot = self.bots.get(bot_id)
        if bot is None or bot.token != token:
            bot = BotRecord(
                id=bot_id,
                token=token,
                user=bot_user(bot_id),
                next_update_id=self.first_update_id,
            )
            self.bots[bot_id] = bot
        return bot

    def is_bot_id(self, user_id: int) -> bool:
        return user_id in self.bots

    def remember_user(self, user: JSON) -> JSON:
        """Normalise a control-API user and remember it for later lookups by id."""
        if user.get("id") is None:
            raise ValueError("user needs an id")
        clean: JSON = {"id": int(user["id"]), "is_bot": bool(user.get("is_bot", False))}
        clean["first_name"] = user.get("first_name") or f"User {clean['id']}"
        for key in ("last_name", "username", "language_code"):
            if user.get(key):
                clean[key] = user[key]
        if clean["id"] in self.bots:
            return self.bots[clean["id"]].user
        self.users[clean["id"]] = clean
        return clean

    def user_by_id(self, user_id: int) -> JSON:
        if user_id in self.bots:
            return self.bots[user_id].user
        return self.users.get(user_id) or {
            "id": user_id,
            "is_bot": False,
            "first_name": f"User {user_id}",
        }

    # -- chats and messages ----------------------------------------------------
    def get_chat(self, chat_id: int) -> Chat:
        chat = self.chats.get(chat_id)
        if chat is None:
            raise chat_not_found()
        return chat

    def ensure_chat(
        self,
        chat_id: int,
        chat_type: str | None = None,
        title: str | None = None,
        user: JSON | None = None,
    ) -> Chat:
        chat = self.chats.get(chat_id)
        if chat is None:
            # Negative ids default to supergroups: that is what real neighbourhood
            # groups become, and restrictChatMember only works there.
            kind = chat_type or ("private" if chat_id > 0 else "supergroup")
            chat = Chat(id=chat_id, type=kind, title=title)
            if kind == "private":
                chat.private_user = user or {"id": chat_id, "first_name": f"User {chat_id}"}
            self.chats[chat_id] = chat
            self.publish("chat_created", chat_id, chat=chat.to_json())
        elif title and chat.is_group:
            chat.title = title
        if chat_type and chat_type != chat.type and chat.is_group and chat_type != "private":
            chat.type = chat_type  # a group upgraded to a supergroup keeps the sandbox id
        return chat

    def add_message(
        self,
        chat: Chat,
        sender: JSON,
        fields: JSON,
        *,
        sender_bot: int | None = None,
        markup: JSON | None = None,
    ) -> StoredMessage:
        message_id = chat.next_message_id
        chat.next_message_id += 1
        data: JSON = {
            "message_id": message_id,
            "from": sender,
            "chat": chat.to_json(),
            "date": now_ts(),
        }
        data.update(fields)
        if markup is not None and "inline_keyboard" in markup:
            data["reply_markup"] = markup
        stored = StoredMessage(data=data, sender_bot=sender_bot, markup=markup)
        chat.messages[message_id] = stored
        self.stats.messages_per_chat[chat.id] += 1
        self.publish("message", chat.id, message=stored.history_view())
        return stored

    def bot_status(self, chat: Chat, bot_id: int) -> str:
        """Bots count as members of every group until removed (sandbox convenience)."""
        member = chat.members.get(bot_id)
        if member is not None:
            return member.status
        if not chat.is_group:
            return "member"
        return "administrator" if chat.bot_admin else "member"

    def bot_present(self, chat: Chat, bot_id: int) -> bool:
        return self.bot_status(chat, bot_id) not in ("left", "kicked")

    def recipients(self, chat: Chat) -> list[BotRecord]:
        return [bot for bot in self.bots.values() if self.bot_present(chat, bot.id)]

    # -- updates --------------------------------------------------------------
    def enqueue(self, bot: BotRecord, kind: str, payload: JSON) -> None:
        bot.updates.append({"update_id": bot.next_update_id, kind: payload})
        bot.next_update_id += 1
        self.notify()

    def broadcast(self, chat: Chat, kind: str, payload: JSON) -> None:
        for bot in self.recipients(chat):
            self.enqueue(bot, kind, payload)

    def allowed(self, bot: BotRecord, update: JSON) -> bool:
        kind = update_kind(update)
        if not bot.allowed_updates:
            return kind not in OPT_IN_UPDATES
        return kind in bot.allowed_updates

    def pending_updates(self, bot: BotRecord) -> list[JSON]:
        """Queued updates the bot wants; unwanted ones are discarded like Telegram."""
        kept = [u for u in bot.updates if self.allowed(bot, u)]
        if len(kept) != len(bot.updates):
            bot.updates.clear()
            bot.updates.extend(kept)
        return kept

    def waiting_updates(self) -> int:
        """Updates queued for a bot and never handed out yet (a long poll about to take
        them): "every update handled" means none of these, as well as every handed-out one
        handled."""
        return sum(
            1
            for bot in self.bots.values()
            for update in self.pending_updates(bot)
            if update["update_id"] > bot.max_handed_out
        )

    def mark_delivered(self, bot: BotRecord, updates: list[JSON]) -> None:
        for update in updates:
            if update["update_id"] > bot.max_handed_out:
                bot.max_handed_out = update["update_id"]
                self.stats.updates_delivered += 1
            else:
                self.stats.updates_redelivered += 1

    # -- callbacks --------------------------------------------------------------
    def new_callback(
        self, bot_id: int, chat_id: int, message_id: int, data: str, user: JSON
    ) -> CallbackRecord:
        self._callback_counter += 1
        cb_id = f"{bot_id}{self._callback_counter:08d}"
        record = CallbackRecord(cb_id, bot_id, chat_id, message_id, data, user)
        self.callbacks[cb_id] = record
        return record
