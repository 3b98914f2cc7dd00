"""The record of handled Telegram updates: statements on the hot path (one each, committed by
itself), since every update is checked and recorded."""

from __future__ import annotations

from datetime import datetime

from storage.hotpath import HotPath, Statement

_LATEST = Statement.of("SELECT max(update_id) FROM handled_updates WHERE bot_id = :bot_id")
_FIND = Statement.of(
    "SELECT 1 FROM handled_updates WHERE bot_id = :bot_id AND update_id = :update_id"
)
_RECORD = Statement.of(
    "INSERT INTO handled_updates (bot_id, update_id, handled_at)"
    " VALUES (:bot_id, :update_id, :now) ON CONFLICT (bot_id, update_id) DO NOTHING"
)
_FORGET = Statement.of("DELETE FROM handled_updates WHERE handled_at < :before")


async def latest_handled(hot: HotPath, bot_id: int) -> int | None:
    rows = await hot.fetch(_LATEST, bot_id=bot_id)
    return int(rows[0][0]) if rows and rows[0][0] is not None else None


async def was_handled(hot: HotPath, bot_id: int, update_id: int) -> bool:
    return bool(await hot.fetch(_FIND, bot_id=bot_id, update_id=update_id))


async def record_handled(hot: HotPath, bot_id: int, update_id: int, now: datetime) -> None:
    await hot.fetch(_RECORD, bot_id=bot_id, update_id=update_id, now=now)


async def forget_handled(hot: HotPath, before: datetime) -> None:
    await hot.fetch(_FORGET, before=before)
