"""Migration 0012 (the police routing outbox): reports stored before it count as routed, so
an upgrade never tells the police about old tips again, and its downgrade keeps every report
and what hangs off it."""

from __future__ import annotations

from datetime import datetime

from alembic.script import ScriptDirectory
from sqlalchemy import text

from storage import migrate
from storage.db import create_engine
from tests.storage.test_migrations import empty_url  # noqa: F401 - fixture

CREATED = datetime(2026, 11, 20, 8, 30)
"""Naive UTC, as UTCDateTime stores it."""


async def test_old_reports_are_backfilled_as_routed_and_a_downgrade_keeps_them(
    empty_url: str,  # noqa: F811 - the imported fixture
) -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    before = script.get_revision("0012").down_revision
    assert isinstance(before, str)
    engine = create_engine(empty_url)
    try:
        await migrate.upgrade(engine, before)
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO reports (id, code, kind, category, text, status, anonymous, "
                    "version, created_at, updated_at) VALUES (1, 'TB-2611-0001', 'tip', "
                    "'crime', 'Trộm xe', 'received', true, 1, :at, :at)"
                ),
                {"at": CREATED},
            )
            await conn.execute(
                text(
                    "INSERT INTO report_attachments (report_id, position, kind, file_id, "
                    "created_at) VALUES (1, 0, 'photo', 'file-1', :at)"
                ),
                {"at": CREATED},
            )

        await migrate.upgrade(engine, "0012")
        async with engine.connect() as conn:
            row = (
                await conn.execute(text("SELECT routed_at, routing_claimed_until FROM reports"))
            ).one()
        routed_at = row[0] if isinstance(row[0], datetime) else datetime.fromisoformat(row[0])
        assert routed_at == CREATED and row[1] is None

        await migrate.downgrade(engine, before)
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM reports"))).scalar() == 1
            attachments = await conn.execute(text("SELECT count(*) FROM report_attachments"))
            assert attachments.scalar() == 1
    finally:
        await engine.dispose()
