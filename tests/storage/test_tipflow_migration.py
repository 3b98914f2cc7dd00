"""Migration 0028: a tip being written when the bot is upgraded is the engine's "tip"
conversation afterwards (same step, answers and version), and back again on a downgrade."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import text

from storage import migrate
from storage.db import create_engine
from tests.storage.test_migrations import empty_url  # noqa: F401 - fixture

AT = datetime(2026, 12, 2, 8, 30)
DATA = {"category": "crime", "text": "Xe lạ đỗ trước ngõ 3", "started": "a1b2c3d4"}


async def test_a_tip_being_written_moves_to_the_engine_and_back(
    empty_url: str,  # noqa: F811 - the imported fixture
) -> None:
    engine = create_engine(empty_url)
    try:
        await migrate.upgrade(engine, "0027")
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO users (id, telegram_id, first_name, blocked_bot, created_at,"
                    " updated_at) VALUES (1, 1001, 'Lan', false, :at, :at)"
                ),
                {"at": AT},
            )
            await conn.execute(
                text(
                    "INSERT INTO tip_drafts (user_id, step, data, version, created_at,"
                    " updated_at) VALUES (1, 'description', :data, 4, :at, :at)"
                ),
                {"data": json.dumps(DATA), "at": AT},
            )
        await migrate.upgrade(engine, "0028_tipflow")
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    text("SELECT user_id, flow, step, data, version FROM compose_drafts")
                )
            ).all()
        [(user_id, flow, step, data, version)] = rows
        data = json.loads(data) if isinstance(data, str) else data
        assert (user_id, flow, step, data, version) == (1, "tip", "description", DATA, 4)
        await migrate.downgrade(engine, "0027")
        async with engine.connect() as conn:
            back = (await conn.execute(text("SELECT step, version FROM tip_drafts"))).all()
            left = (await conn.execute(text("SELECT count(*) FROM compose_drafts"))).scalar()
        assert [tuple(r) for r in back] == [("description", 4)] and left == 0
    finally:
        await engine.dispose()
