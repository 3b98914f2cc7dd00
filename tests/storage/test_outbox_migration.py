"""Migration 0023 (the notice outbox): the table takes a notice for an existing person, the
person's removal takes their pending notices with it, and a downgrade removes only the table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import migrate
from storage.db import create_engine
from tests.storage.test_migrations import empty_url  # noqa: F401 - fixture

AT = datetime(2026, 12, 3, 1, 0)


async def _a_person_at(engine: AsyncEngine, revision: str) -> None:
    """The database at ``revision`` with one person (users.id 1)."""
    await migrate.upgrade(engine, revision)
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO users (id, telegram_id, first_name, blocked_bot, created_at, "
                "updated_at) VALUES (1, 1001, 'Lan', false, :at, :at)"
            ),
            {"at": AT},
        )


async def test_outbox_round_trip(empty_url: str) -> None:  # noqa: F811 - the imported fixture
    engine = create_engine(empty_url)
    try:
        await _a_person_at(engine, "0022")
        await migrate.upgrade(engine, "0023")
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO outbox_messages (user_id, what, message, state, attempts, "
                    "due_at, created_at) VALUES (1, 'status', '{\"key\": \"k\"}', 'pending', "
                    "0, :at, :at)"
                ),
                {"at": AT},
            )
            count = await conn.execute(text("SELECT count(*) FROM outbox_messages"))
            assert count.scalar() == 1

        await migrate.downgrade(engine, "0022")
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
            users = (await conn.execute(text("SELECT count(*) FROM users"))).scalar()
        assert "outbox_messages" not in tables and users == 1
    finally:
        await engine.dispose()


async def test_outbox_chat_notices_round_trip(empty_url: str) -> None:  # noqa: F811
    """0026: a notice for a chat (no person); the downgrade drops those, keeps the others."""
    engine = create_engine(empty_url)
    try:
        await _a_person_at(engine, "0025")
        await migrate.upgrade(engine, "0026")
        async with engine.begin() as conn:
            for user_id, chat_id in ((1, None), (None, -100500)):
                await conn.execute(
                    text(
                        "INSERT INTO outbox_messages (user_id, chat_id, locale, what, message, "
                        "state, attempts, due_at, created_at) VALUES (:user_id, :chat_id, 'vi', "
                        "'relay-answer', '{\"key\": \"k\"}', 'pending', 0, :at, :at)"
                    ),
                    {"at": AT, "user_id": user_id, "chat_id": chat_id},
                )
        await migrate.downgrade(engine, "0025")
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT user_id FROM outbox_messages"))).all()
            columns = await conn.run_sync(
                lambda sync: [c["name"] for c in inspect(sync).get_columns("outbox_messages")]
            )
        assert rows == [(1,)] and "chat_id" not in columns
    finally:
        await engine.dispose()
