"""Helpers shared by the hardening tests: watching the error handler, counting stored tips,
bringing drafts to the last step quickly, and raw Bot API updates for ``process_update``."""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import text

from services.users import IncomingUser
from storage.repositories.users import UserRepository
from storage.uow import transaction
from tests.e2e.harness import BotHarness

JSON = dict[str, Any]


class LogWatch(logging.Handler):
    """Collects log records (all loggers) so a test can assert on them afterwards."""

    def __init__(self, level: int = logging.INFO) -> None:
        super().__init__(level)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def unhandled(self) -> list[str]:
        """Records from the error handler's "anything else" path, plus any ERROR from our
        own packages that is not a reported database outage."""
        found = []
        for r in self.records:
            msg = r.getMessage()
            if r.name == "handlers.errors" and msg.startswith("unhandled error"):
                found.append(f"{r.name}: {msg}\n{self.format_exc(r)}")
            elif r.levelno >= logging.ERROR and r.name.split(".")[0] in OURS:
                if "database unavailable" in msg:
                    continue
                found.append(f"{r.name}: {msg}\n{self.format_exc(r)}")
        return found

    def bot_text(self) -> str:
        """Everything the bot's own side logged (the sandbox plays Telegram: not the bot)."""
        lines = []
        for r in self.records:
            if r.name.split(".")[0] in ("sandbox", "aiohttp"):
                continue
            lines.append(f"{r.name} {r.getMessage()} {self.format_exc(r)}")
        return "\n".join(lines)

    @staticmethod
    def format_exc(record: logging.LogRecord) -> str:
        if record.exc_info:
            return logging.Formatter().formatException(record.exc_info)
        return record.exc_text or ""


OURS = {"bot", "handlers", "services", "scheduler", "storage"}


async def wait_until(
    check: Callable[[], Awaitable[bool]], timeout: float = 15.0, interval: float = 0.05
) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"condition not met within {timeout}s")
        await asyncio.sleep(interval)


async def scalar(h: BotHarness, sql: str, **params: Any) -> Any:
    async with transaction(h.services.sessions) as session:
        return (await session.execute(text(sql), params)).scalar()


async def all_handled(h: BotHarness) -> None:
    """Wait until the bot has fetched every update queued for it and handled each to the end
    (each one is recorded after its handler returns: services/updates.py). Counting only the
    fetched ones returned early while the bot's long poll had not yet taken the last
    message (a flood of three read as two)."""

    async def done() -> bool:
        stats = await h.client.stats()
        if stats["updates_waiting"]:
            return False
        handled = int(await scalar(h, "SELECT count(*) FROM handled_updates"))
        return handled >= stats["updates_delivered"]

    await wait_until(done, timeout=30)


async def user_db_id(h: BotHarness, telegram_id: int, name: str = "Dân") -> int:
    """Their users row id; created (as the bot would on their first update) if new. A known
    person keeps their name and username (a test may name them by @username later)."""
    async with transaction(h.services.sessions) as session:
        known = await UserRepository(session).get_by_telegram_id(telegram_id)
    if known is not None:
        return known.id
    profile = await h.services.users.identify(IncomingUser(telegram_id, name, None, None))
    return profile.user.id


async def tips_of(h: BotHarness, telegram_id: int) -> int:
    return int(
        await scalar(
            h,
            "SELECT count(*) FROM reports r JOIN users u ON u.id = r.reporter_user_id "
            "WHERE u.telegram_id = :tid",
            tid=telegram_id,
        )
    )


async def draft_ready(
    h: BotHarness, telegram_id: int, area_code: str, body: str, *, anonymous: bool = True
) -> int:
    """Bring a resident's draft to the last step (confirm) through the service, as the
    conversation would; returns their DB id."""
    intake = h.services.tip_intake
    steps = h.services.tip_steps
    uid = await user_db_id(h, telegram_id)
    area = await h.services.areas.get(area_code)
    await intake.begin(uid)
    await steps.choose_category(uid, "crime")
    await steps.add_text(uid, body)
    await steps.finish_description(uid)
    await steps.skip_location(uid)
    await steps.choose_area(uid, area.id)
    await steps.set_anonymous(uid, anonymous)
    return uid


_ids = itertools.count(900_000_000)


def next_update_id() -> int:
    return next(_ids)


def message_update(
    who: JSON, text: str | None = None, *, chat: JSON | None = None, **extra: Any
) -> JSON:
    """A raw ``message`` update as Telegram would send it."""
    chat = chat or {"id": who["id"], "type": "private", "first_name": who.get("first_name", "")}
    msg: JSON = {
        "message_id": next_update_id() % 1_000_000,
        "date": int(time.time()),
        "chat": chat,
        "from": who,
    }
    if text is not None:
        msg["text"] = text
        if text.startswith("/"):
            length = len(text.split()[0].encode("utf-16-le")) // 2 if text.split() else 1
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    msg.update(extra)
    return {"update_id": next_update_id(), "message": msg}


def callback_update(
    who: JSON, data: str, *, chat_id: int | None = None, message_id: int = 1
) -> JSON:
    chat_id = who["id"] if chat_id is None else chat_id
    chat: JSON = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
    bot_message = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": chat,
        "from": {"id": 123456, "is_bot": True, "first_name": "anninh"},
        "text": "…",
    }
    return {
        "update_id": next_update_id(),
        "callback_query": {
            "id": str(next_update_id()),
            "from": who,
            "chat_instance": "1",
            "data": data,
            "message": bot_message,
        },
    }


async def say_and_find(
    h: BotHarness,
    who: JSON,
    text: str,
    startswith: str,
    *,
    chat_id: int | None = None,
    timeout: float = 30.0,
) -> JSON:
    """Send ``text`` and return the first later bot message starting with ``startswith``
    (answers to earlier updates still in flight may arrive first)."""
    chat = who["id"] if chat_id is None else chat_id
    sent = await h.client.send_message(chat, who, text)
    found: list[JSON] = []

    async def seen() -> bool:
        history = await h.client.history(chat, after=sent["message_id"], from_bot=True)
        found[:] = [m for m in history if (m.get("text") or "").startswith(startswith)]
        return bool(found)

    await wait_until(seen, timeout=timeout, interval=0.1)
    return found[0]
