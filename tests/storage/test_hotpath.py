"""The hot path (storage/hotpath.py) and what is built on them: they see every commit at once,
answer like the session path, survive a broken connection, and the conversation steps that
read through them never lose an answer to a concurrent step.

Each test runs with both executors (the ``hot`` fixture): the held driver connection the
bot uses and the session path."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import insert, text

from services.areas import AreaService
from services.conversation import Conversations
from services.grants import GrantService
from services.reach import PersonReacher
from services.relay_model import RELAY_INPUT, PendingAction, RelayInput
from services.tip_drafts import Step, WrongStep
from services.users import IncomingUser, UserService
from storage.hotpath import CHECKPOINT_EVERY, DriverHotPath, HotPath, Statement
from storage.models import Report
from storage.repositories.compose import ComposeDraftRepository, read_conversation
from storage.repositories.grants import GrantRepository
from storage.repositories.relay import has_pending
from storage.repositories.senders import read_sender
from storage.types import utcnow
from storage.uow import Sessions, StorageUnavailable, transaction
from tests.conftest import BACKEND
from tests.tip_parts import TipParts, build_tips

AREAS = """code,name,kind,parent_code
ND,Tỉnh Nam Định,province,
ND-TP,Thành phố Nam Định,district,ND
ND-TN,Phường Thống Nhất,ward,ND-TP
ND-TN-01,Tổ dân phố 1,residential_group,ND-TN
ND-VH,Phường Vị Hoàng,ward,ND-TP
"""


class Nobody:
    async def send(self, to: object, message: object) -> object:
        raise AssertionError("nothing is sent in these tests")


def tip_service(sessions: Sessions, hot: HotPath) -> TipParts:
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset(), hot=hot)
    return build_tips(
        sessions,
        PersonReacher(sessions, Nobody(), users, default_language="vi"),  # type: ignore[arg-type]
        tips_per_hour=100,
        hot=hot,
    )


def test_one_statement_for_both_drivers() -> None:
    q = Statement.of("SELECT 1 FROM t WHERE a = :a AND b = :b OR a = :a AND c = '::x'")
    assert q.names == ("a", "b")
    assert q.postgres == "SELECT 1 FROM t WHERE a = $1 AND b = $2 OR a = $1 AND c = '::x'"


async def test_profile_read_matches_the_session_path(sessions: Sessions, hot: HotPath) -> None:
    await AreaService(sessions).import_csv(AREAS)
    grants = GrantService(sessions)
    await grants.grant(target_telegram_id=77, role="police", area_code="ND-VH")
    await grants.grant(target_telegram_id=77, role="moderator", area_code="ND-TN")
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset(), hot=hot)

    assert await read_sender(hot, 12345, None, "tip") is None
    # NFD name (an iPhone keyboard): stored NFC, and the next identical update writes nothing.
    profile = await users.identify(IncomingUser(77, "Hu\u0300ng", "Lê", "csqk"))
    assert profile.user.first_name == "Hùng"
    found = await read_sender(hot, 77, None, "tip")
    assert found is not None
    user, read_grants = found.user, found.grants
    async with transaction(sessions) as s:
        expected = await GrantRepository(s).for_user(user.id)
    assert read_grants == expected  # same grants, same (tree) order, same types
    assert [g.area.code for g in read_grants] == ["ND-TN", "ND-VH"]
    assert read_grants[0].created_at.tzinfo is not None

    again = await users.identify(IncomingUser(77, "Hu\u0300ng", "Lê", "csqk"))
    assert again == profile
    # A change of name, or a message after blocking the bot, is written.
    await users.mark_blocked(user.id)
    renamed = await users.identify(IncomingUser(77, "Hùng", None, "csqk_nd"))
    assert renamed.user.last_name is None and renamed.user.username == "csqk_nd"
    assert not renamed.user.blocked_bot
    found = await read_sender(hot, 77, None, "tip")
    assert found is not None and found.user == renamed.user


async def test_the_arrival_says_what_the_sender_is_in_the_middle_of(
    sessions: Sessions, hot: HotPath
) -> None:
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset(), hot=hot)
    tips = tip_service(sessions, hot)
    first = await users.arrive(IncomingUser(8, "Lan"), 8)
    assert first.profile.user.telegram_id == 8 and not first.waiting and first.draft is None
    uid = first.profile.user.id
    await tips.tip_intake.begin(uid, category="crime")
    await tips.tip_steps.add_text(uid, "xe lạ")
    async with transaction(sessions) as s:  # a police question waits for their answer
        report_id = await s.scalar(
            insert(Report.__table__)
            .values(
                code="TB-2611-0001",
                kind="tip",
                category="crime",
                text="x",
                status="received",
                anonymous=True,
                version=1,
                created_at=utcnow(),
                updated_at=utcnow(),
            )
            .returning(Report.__table__.c.id)
        )
    await Conversations(sessions).begin(
        RELAY_INPUT, uid, RelayInput(PendingAction.RELAY_ANSWER, report_id, chat_id=8)
    )
    here = await users.arrive(IncomingUser(8, "Lan"), 8)
    elsewhere = await users.arrive(IncomingUser(8, "Lan"), -100123)
    assert here.waiting and not elsewhere.waiting
    assert await has_pending(hot, 8, uid) and not await has_pending(hot, -100123, uid)
    # An officer asked in a police group (a chat id beyond 32 bits): waited for there only.
    await Conversations(sessions).begin(
        RELAY_INPUT, uid, RelayInput(PendingAction.HANDLED_NOTE, report_id, -1001234567890)
    )
    assert (await users.arrive(IncomingUser(8, "Lan"), -1001234567890)).waiting
    assert not (await users.arrive(IncomingUser(8, "Lan"), 8)).waiting
    assert not await has_pending(hot, 8, uid)
    here = await users.arrive(IncomingUser(8, "Lan"), 8)
    assert here.draft is not None and here.draft.data["text"] == "xe lạ"
    assert here.draft.version == 2 and here.profile == first.profile  # begun at 1, one step


async def test_reads_see_every_commit_at_once(sessions: Sessions, hot: HotPath) -> None:
    tips = tip_service(sessions, hot)
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset(), hot=hot)
    uid = (await users.identify(IncomingUser(5, "Lan"))).user.id
    assert await tips.tip_steps.current(uid) is None
    assert not await has_pending(hot, 5, uid)
    for n in range(20):  # each write is visible to the very next read
        await tips.tip_intake.begin(uid, category="crime")
        draft = await tips.tip_steps.add_text(uid, f"lần {n}")
        row = await read_conversation(hot, uid, "tip")
        assert row is not None and row.data["text"] == f"lần {n}"
        assert row.version == draft.draft.version and row.updated_at == draft.draft.updated_at


async def test_concurrent_steps_keep_both_answers(sessions: Sessions, hot: HotPath) -> None:
    """Two messages of one description written at the same moment (two bot instances, or a
    double send): both are kept, neither overwrites the other."""
    tips = tip_service(sessions, hot)
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset(), hot=hot)
    uid = (await users.identify(IncomingUser(6, "Lan"))).user.id
    await tips.tip_intake.begin(uid, category="crime")
    texts = [f"chi tiết {i}" for i in range(6)]
    await asyncio.gather(*(tips.tip_steps.add_text(uid, t) for t in texts))
    draft = await tips.tip_steps.current(uid)
    assert draft is not None
    assert sorted(draft.text.split("\n")) == sorted(texts)
    assert draft.version == 1 + len(texts)  # begin stored version 1; one write per message


async def test_a_stale_write_is_refused_not_applied(sessions: Sessions, hot: HotPath) -> None:
    tips = tip_service(sessions, hot)
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset(), hot=hot)
    uid = (await users.identify(IncomingUser(7, "Lan"))).user.id
    first = await tips.tip_intake.begin(uid, category="crime")
    await tips.tip_steps.add_text(uid, "một")
    async with transaction(sessions) as s:
        stale = await ComposeDraftRepository(s).write_over(
            uid, "tip", first.version, Step.LOCATION.value, first.to_data()
        )
    assert not stale
    draft = await tips.tip_steps.current(uid)
    assert draft is not None and draft.step is Step.DESCRIPTION and draft.text == "một"
    # The in-transaction steps say which step the draft is really at.
    with pytest.raises(WrongStep) as refused:
        await tips.tip_steps.choose_area(uid, 1)
    assert refused.value.draft.step is Step.DESCRIPTION


@pytest.mark.skipif(BACKEND != "postgres", reason="a server that drops the connection")
async def test_a_dropped_connection_is_unavailable_then_reopened(
    sessions: Sessions, database_url: str
) -> None:
    hot = DriverHotPath(database_url, busy_timeout_s=5)
    try:
        assert await read_sender(hot, 1, None, "tip") is None  # opens the connection
        async with transaction(sessions) as s:
            await s.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    " AND application_name = ''"
                )
            )
        with pytest.raises(StorageUnavailable):
            await read_sender(hot, 1, None, "tip")
        assert await read_sender(hot, 1, None, "tip") is None  # reopened by itself
    finally:
        await hot.close()


async def test_a_missing_database_is_unavailable(tmp_path: object) -> None:
    if BACKEND == "postgres":
        hot = DriverHotPath(
            "postgresql+asyncpg://postgres@127.0.0.1:5432/anninh_no_such_db", busy_timeout_s=5
        )
    else:
        hot = DriverHotPath(f"sqlite+aiosqlite:///{tmp_path}/nowhere/x.db", busy_timeout_s=1)
    try:
        with pytest.raises(StorageUnavailable):
            await read_sender(hot, 1, None, "tip")
    finally:
        await hot.close()


@pytest.mark.skipif(BACKEND == "postgres", reason="SQLite's write-ahead log")
async def test_the_wal_is_checkpointed_while_only_steps_write(
    sessions: Sessions, database_url: str
) -> None:
    hot = DriverHotPath(database_url, busy_timeout_s=5)
    try:
        tips = tip_service(sessions, hot)
        users = UserService(sessions, default_language="vi", superadmin_ids=frozenset(), hot=hot)
        uid = (await users.identify(IncomingUser(9, "Lan"))).user.id
        await tips.tip_intake.begin(uid, category="crime")
        wal = Path(database_url.split(":///", 1)[1] + "-wal")
        sizes = []
        for n in range(3 * CHECKPOINT_EVERY):  # only steps write (the text stays clipped)
            await tips.tip_steps.add_text(uid, f"chi tiết {n} " * 20)
            if n % CHECKPOINT_EVERY == CHECKPOINT_EVERY - 1:
                await asyncio.sleep(0.2)  # let the checkpoint run
                sizes.append((await asyncio.to_thread(wal.stat)).st_size)
        # A checkpoint lets the log be rewritten from its start: it stops growing.
        assert sizes[-1] <= sizes[0] * 1.5, sizes
    finally:
        await hot.close()
