"""Different chats' updates overlap; one chat's updates never overlap and keep their order."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update

from bot.update_processor import PerChatUpdateProcessor, chat_key


def message(update_id: int, chat_id: int) -> Update:
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": {"id": chat_id, "type": "private"},
                "from": {"id": chat_id, "is_bot": False, "first_name": "Lan"},
                "text": f"tin {update_id}",
            },
        },
        None,  # type: ignore[arg-type]
    )


async def test_one_chat_in_order_different_chats_at_once() -> None:
    processor = PerChatUpdateProcessor(8)
    running: dict[int, int] = {}
    most_at_once = 0
    seen: dict[int, list[int]] = {}

    async def handle(update: Update) -> None:
        nonlocal most_at_once
        key = chat_key(update)
        assert key is not None
        running[key] = running.get(key, 0) + 1
        assert running[key] == 1, "two updates of one chat at once"
        most_at_once = max(most_at_once, sum(running.values()))
        await asyncio.sleep(0.01 * (update.update_id % 3))  # uneven work: order must hold
        seen.setdefault(key, []).append(update.update_id)
        running[key] -= 1

    updates = [message(i, 100 + i % 4) for i in range(40)]
    await asyncio.gather(*(processor.process_update(u, handle(u)) for u in updates))
    for key, ids in seen.items():
        assert ids == sorted(ids), f"chat {key} out of order: {ids}"
    assert sum(len(v) for v in seen.values()) == 40
    assert most_at_once > 1  # four chats were handled side by side
    assert processor.chats_in_flight == 0  # nothing kept once a chat is idle


async def test_a_failing_update_releases_its_chat() -> None:
    processor = PerChatUpdateProcessor(2)

    async def fail() -> Any:
        raise RuntimeError("boom")

    async def ok() -> str:
        return "ok"

    first = asyncio.ensure_future(processor.process_update(message(1, 7), fail()))
    second = asyncio.ensure_future(processor.process_update(message(2, 7), ok()))
    results = await asyncio.gather(first, second, return_exceptions=True)
    assert isinstance(results[0], RuntimeError) and results[1] is None
    assert processor.chats_in_flight == 0


def test_updates_without_a_chat_are_not_ordered() -> None:
    assert chat_key(object()) is None
    assert chat_key(Update(update_id=1)) is None
