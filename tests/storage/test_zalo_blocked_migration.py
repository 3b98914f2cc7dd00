"""Migration 0020: a Zalo-only resident marked "blocked" (by a Zalo 403, which the platform
documents as an internal server error) is reachable again; a Telegram user who blocked the bot
stays blocked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from storage import migrate
from storage.db import create_engine
from tests.storage.test_migrations import empty_url  # noqa: F401 - fixture

AT = datetime(2026, 11, 20, 8, 30)
USER = (
    "INSERT INTO users (id, telegram_id, first_name, blocked_bot, created_at, updated_at)"
    " VALUES (:id, :tg, :name, :blocked, :at, :at)"
)


async def test_only_zalo_users_flags_are_cleared(
    empty_url: str,  # noqa: F811 - the imported fixture
) -> None:
    engine = create_engine(empty_url)
    try:
        await migrate.upgrade(engine, "0019")
        async with engine.begin() as conn:
            await conn.execute(
                text(USER),
                [
                    {"id": 1, "tg": None, "name": "Lan (Zalo)", "blocked": True, "at": AT},
                    {"id": 2, "tg": 2002, "name": "Bình", "blocked": True, "at": AT},
                    {"id": 3, "tg": None, "name": "Mai (Zalo)", "blocked": False, "at": AT},
                ],
            )
        await migrate.upgrade(engine, "0020")
        async with engine.connect() as conn:
            query = text("SELECT id, blocked_bot FROM users ORDER BY id")
            rows = (await conn.execute(query)).all()
        assert [(row[0], bool(row[1])) for row in rows] == [(1, False), (2, True), (3, False)]
        await migrate.downgrade(engine, "0019")  # nothing to restore, and it runs
    finally:
        await engine.dispose()
