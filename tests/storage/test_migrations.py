"""Migrations: the head matches the models, and every step downgrades and re-applies."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from storage import migrate
from storage.db import create_engine
from storage.models import Base
from tests.conftest import BACKEND, _pg_admin, _pg_url


@pytest.fixture
async def empty_url(tmp_path: Path) -> str:
    if BACKEND == "postgres":
        name = f"anninh_mig_{tmp_path.name[-20:].replace('-', '_').lower()}"
        await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await _pg_admin(f'CREATE DATABASE "{name}"')
        yield _pg_url(name)
        await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        yield f"sqlite+aiosqlite:///{tmp_path / 'mig.db'}"


async def test_upgrade_from_empty_matches_the_models(empty_url: str) -> None:
    engine = create_engine(empty_url)
    try:
        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata
                )
            )
        assert diff == [], f"models and migrations disagree: {diff}"
    finally:
        await engine.dispose()


async def test_stairway_every_revision_downgrades_and_reapplies(empty_url: str) -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    revisions = list(reversed(list(script.walk_revisions())))
    engine = create_engine(empty_url)
    try:
        for revision in revisions:
            await migrate.upgrade(engine, revision.revision)
            if revision.is_merge_point:
                continue  # joins branches, changes no schema; "-1" from here is ambiguous
            # "rev@-1" steps back one revision and leaves sibling branches untouched.
            await migrate.downgrade(engine, f"{revision.revision}@-1")
            await migrate.upgrade(engine, revision.revision)
        await migrate.upgrade(engine, "heads")
        assert await migrate.current_revision(engine) == ",".join(sorted(script.get_heads()))
        await migrate.downgrade(engine, "base")
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        assert set(tables) <= {"alembic_version"}
    finally:
        await engine.dispose()


async def test_0015_recovers_earlier_merges_from_the_audit_log(empty_url: str) -> None:
    """Tips merged before 0015 count as one case too: their merge is read back from the audit
    log, whose ``after`` holds the kept tip."""
    engine = create_engine(empty_url)
    report = (
        "INSERT INTO reports (id, code, kind, category, text, status, anonymous, version,"
        " created_at, updated_at) VALUES (:id, :code, 'tip', 'crime', 'x', :status, false, 1,"
        " '2026-11-01 00:00:00', '2026-11-01 00:00:00')"
    )
    try:
        await migrate.upgrade(engine, "0014")
        async with engine.begin() as conn:
            for id_, status in ((1, "received"), (2, "rejected"), (3, "rejected")):
                await conn.execute(text(report), {"id": id_, "code": f"T-{id_}", "status": status})
            await conn.execute(
                text(
                    "INSERT INTO audit_log (action, target_type, target_id, after, created_at)"
                    " VALUES (:action, 'report', :target, :after, '2026-11-02 00:00:00')"
                ),
                [
                    {"action": "report.merge", "target": "2", "after": '{"kept": 1}'},
                    {"action": "report.review_reject", "target": "3", "after": '{"kept": null}'},
                ],
            )
        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            rows = await conn.execute(text("SELECT id, merged_into_id FROM reports ORDER BY id"))
            assert [tuple(r) for r in rows] == [(1, None), (2, 1), (3, None)]
    finally:
        await engine.dispose()


async def test_0017_clears_shared_usernames_and_dismisses_what_moderators_may_not_see(
    empty_url: str,
) -> None:
    """A name two rows hold is nobody's until its holder writes again; open review items of
    police-only tips, or queued only as a first tip, leave the moderators' queue."""
    engine = create_engine(empty_url)
    stamp = "'2026-11-01 00:00:00'"
    user = (
        "INSERT INTO users (id, telegram_id, first_name, username, blocked_bot, created_at,"
        f" updated_at) VALUES (:id, :tid, 'x', :name, false, {stamp}, {stamp})"
    )
    report = (
        "INSERT INTO reports (id, code, kind, category, text, status, anonymous, version,"
        f" created_at, updated_at) VALUES (:id, :code, 'tip', :category, 'x', 'received',"
        f" false, 1, {stamp}, {stamp})"
    )
    item = (
        "INSERT INTO review_items (id, kind, reason, status, report_id, text, hidden,"
        " flag_count, details, created_at, updated_at) VALUES (:id, 'report', 'x', 'open',"
        f" :report, 'x', false, 0, :details, {stamp}, {stamp})"
    )
    try:
        await migrate.upgrade(engine, "0016")
        async with engine.begin() as conn:
            for id_, name in ((1, "hoa"), (2, "Hoa"), (3, "lan"), (4, None)):
                await conn.execute(text(user), {"id": id_, "tid": id_, "name": name})
            for id_, category in ((1, "crime"), (2, "order"), (3, "order"), (4, "reintegration")):
                await conn.execute(
                    text(report), {"id": id_, "code": f"T-{id_}", "category": category}
                )
            for id_, rules in (
                (1, '["first_tip", "many_links"]'),
                (2, '["first_tip"]'),
                (3, '["first_tip", "near_duplicate"]'),
                (4, '["officer"]'),
            ):
                await conn.execute(
                    text(item), {"id": id_, "report": id_, "details": f'{{"rules": {rules}}}'}
                )
        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            users = await conn.execute(text("SELECT id, username FROM users ORDER BY id"))
            assert [tuple(r) for r in users] == [(1, None), (2, None), (3, "lan"), (4, None)]
            items = await conn.execute(
                text("SELECT id, status, resolution FROM review_items ORDER BY id")
            )
            assert [tuple(r) for r in items] == [
                (1, "dismissed", "police_only"),
                (2, "dismissed", "first_tip"),
                (3, "open", None),
                (4, "dismissed", "police_only"),
            ]
    finally:
        await engine.dispose()


async def test_0029_carries_what_the_bot_waits_for_onto_the_engine_and_back(
    empty_url: str,
) -> None:
    """A "next message" awaited when the release lands is still awaited after it (each
    person's latest request, the engine keeps one per person), and again after a downgrade."""
    engine = create_engine(empty_url)
    stamp = "'2026-12-01 00:00:00'"
    pending = (
        "INSERT INTO tip_pending_inputs (chat_id, user_id, action, report_id, version,"
        " anchor_message_id, created_at) VALUES (:chat, :user, :action, 1, :version, :anchor,"
        " :at)"
    )
    try:
        await migrate.upgrade(engine, "0028_tipflow")
        async with engine.begin() as conn:
            for id_ in (1, 2):
                await conn.execute(
                    text(
                        "INSERT INTO users (id, telegram_id, first_name, blocked_bot, created_at,"
                        f" updated_at) VALUES (:id, :tid, 'x', false, {stamp}, {stamp})"
                    ),
                    {"id": id_, "tid": id_},
                )
            await conn.execute(
                text(
                    "INSERT INTO reports (id, code, kind, category, text, status, anonymous,"
                    f" version, created_at, updated_at) VALUES (1, 'T-1', 'tip', 'crime', 'x',"
                    f" 'received', false, 3, {stamp}, {stamp})"
                )
            )
            for chat, user, action, version, anchor, at in (
                (-1001234567890, 1, "handled_note", 3, 40, "2026-12-01 01:00:00"),
                (1, 1, "relay_question", 3, None, "2026-12-01 02:00:00"),  # the latest
                (2, 2, "relay_answer", None, 77, "2026-12-01 03:00:00"),
            ):
                await conn.execute(
                    text(pending),
                    {
                        "chat": chat,
                        "user": user,
                        "action": action,
                        "version": version,
                        "anchor": anchor,
                        "at": datetime.fromisoformat(at),
                    },
                )
        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            assert "tip_pending_inputs" not in await conn.run_sync(
                lambda sync: inspect(sync).get_table_names()
            )
            rows = await conn.execute(
                text(
                    "SELECT user_id, step, data FROM compose_drafts"
                    " WHERE flow = 'relay-input' ORDER BY user_id"
                )
            )
            drafts = [(u, s, d if isinstance(d, dict) else json.loads(d)) for u, s, d in rows]
        assert drafts == [
            (1, "relay_question", {"report": 1, "chat": 1, "version": 3, "anchor": None}),
            (2, "relay_answer", {"report": 1, "chat": 2, "version": None, "anchor": 77}),
        ]
        await migrate.downgrade(engine, "0028_tipflow")
        async with engine.connect() as conn:
            back = await conn.execute(
                text(
                    "SELECT chat_id, user_id, action, version, anchor_message_id"
                    " FROM tip_pending_inputs ORDER BY user_id"
                )
            )
            assert [tuple(r) for r in back] == [
                (1, 1, "relay_question", 3, None),
                (2, 2, "relay_answer", None, 77),
            ]
            left = await conn.scalar(text("SELECT count(*) FROM compose_drafts"))
            assert left == 0
    finally:
        await engine.dispose()
