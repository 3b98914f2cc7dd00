"""PersonReacher: the one rule for where a person is reached, the one send path, and the
notice outbox's retries (services/reach.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import select, update

from services.channels import ZALO, zalo_dm_key
from services.ports import (
    DeliveryResult,
    DeliveryStatus,
    InlineButton,
    L10n,
    OutgoingMessage,
    Recipient,
)
from services.reach import PersonReacher
from services.users import IncomingUser, UserService
from storage.models import OutboxMessage, OutboxState
from storage.repositories.users import UserRepository
from storage.repositories.zalo import ZaloRepository
from storage.types import utcnow
from storage.uow import Sessions, transaction

NOTICE = OutgoingMessage(
    "tip-status-changed",
    {"code": "TB-2612-0001", "status": L10n("tip-status-verifying"), "note": L10n("tip-none")},
    buttons=((InlineButton("mytips-open", "mytips:show:1"),),),
)


class ScriptedSender:
    """Answers each send with the next scripted status (then SENT), recording who got what."""

    def __init__(self, script: Iterable[DeliveryStatus] = ()) -> None:
        self.script = list(script)
        self.sent: list[tuple[Recipient, OutgoingMessage]] = []

    async def send(self, to: Recipient, message: OutgoingMessage) -> DeliveryResult:
        status = self.script.pop(0) if self.script else DeliveryStatus.SENT
        if status is DeliveryStatus.SENT:
            self.sent.append((to, message))
            return DeliveryResult(status, message_id=len(self.sent))
        return DeliveryResult(status, error="scripted")

    async def delete(self, chat_id: int, message_id: int, channel: str = "telegram") -> bool:
        return False


def reacher(sessions: Sessions, sender: ScriptedSender, **kw: object) -> PersonReacher:
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset())
    return PersonReacher(
        sessions,
        sender,
        users,
        default_language="vi",
        retry_seconds=60.0,
        **kw,  # type: ignore[arg-type]
    )


async def telegram_person(sessions: Sessions, telegram_id: int = 1001) -> int:
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset())
    return (await users.identify(IncomingUser(telegram_id, "Lan"))).user.id


async def outbox(sessions: Sessions) -> list[OutboxMessage]:
    async with transaction(sessions) as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def make_due(sessions: Sessions) -> None:
    async with transaction(sessions) as session:
        await session.execute(update(OutboxMessage).values(due_at=utcnow() - timedelta(seconds=1)))


async def test_a_zalo_only_person_is_reached_on_zalo_a_linked_one_on_telegram(
    sessions: Sessions,
) -> None:
    sender = ScriptedSender()
    reach = reacher(sessions, sender)
    async with transaction(sessions) as session:
        zalo_user = await ZaloRepository(session).upsert_account("zl-1", "Lan Zalo")
    telegram_id = await telegram_person(sessions)
    for user_id in (zalo_user.id, telegram_id):
        result = await reach.notify(user_id, NOTICE, what="tip-status", report_id=1)
        assert result.ok
    assert [to for to, _ in sender.sent] == [
        Recipient(zalo_dm_key(zalo_user.id), "vi", ZALO),
        Recipient(1001, "vi", "telegram"),
    ]


async def test_a_notice_that_meets_a_transient_failure_is_sent_once_by_the_sweep(
    sessions: Sessions,
) -> None:
    sender = ScriptedSender([DeliveryStatus.RETRY_LATER])
    reach = reacher(sessions, sender)
    user_id = await telegram_person(sessions)
    result = await reach.notify(user_id, NOTICE, what="tip-status", report_id=1)
    assert result.status is DeliveryStatus.RETRY_LATER and sender.sent == []
    [row] = await outbox(sessions)
    assert row.state is OutboxState.PENDING and row.attempts == 1
    assert row.due_at > utcnow() + timedelta(seconds=50)  # backoff: not before it is due
    assert await reach.deliver_due() == 0
    await make_due(sessions)
    # Two instances sweep at once: one takes it.
    other = reacher(sessions, sender)
    assert await reach.deliver_due() + await other.deliver_due() == 1
    [(to, message)] = sender.sent
    assert to.chat_id == 1001 and message == NOTICE  # stored and read back unchanged
    [row] = await outbox(sessions)
    assert row.state is OutboxState.SENT and row.attempts == 2 and row.message_id == 1
    await make_due(sessions)
    assert await reach.deliver_due() == 0


async def test_retries_end_and_a_person_who_blocked_the_bot_is_not_tried_again(
    sessions: Sessions,
) -> None:
    sender = ScriptedSender([DeliveryStatus.RETRY_LATER] * 3)
    reach = reacher(sessions, sender, max_attempts=3)
    user_id = await telegram_person(sessions)
    await reach.notify(user_id, NOTICE, what="tip-status", report_id=1)
    for _ in range(3):
        await make_due(sessions)
        await reach.deliver_due()
    [row] = await outbox(sessions)
    assert row.state is OutboxState.FAILED and row.attempts == 3 and sender.sent == []

    blocked = ScriptedSender([DeliveryStatus.BLOCKED])
    reach = reacher(sessions, blocked)
    result = await reach.notify(user_id, NOTICE, what="tip-status", report_id=2)
    assert result.status is DeliveryStatus.BLOCKED
    async with transaction(sessions) as session:
        user = await UserRepository(session).get(user_id)
    assert user is not None and user.blocked_bot
    # Blocked: nothing stored, nothing sent any more.
    result = await reach.notify(user_id, NOTICE, what="tip-status", report_id=3)
    assert result.status is DeliveryStatus.BLOCKED
    assert [r.report_id for r in await outbox(sessions)] == [1, 2]
    assert blocked.sent == []


async def test_a_notice_to_a_chat_is_retried_to_that_chat_in_its_language(
    sessions: Sessions,
) -> None:
    recorded: list[tuple[int, int | None]] = []

    async def remember(_session: object, ref: int, message_id: int | None) -> None:
        recorded.append((ref, message_id))

    sender = ScriptedSender([DeliveryStatus.RETRY_LATER])
    reach = reacher(sessions, sender, after_sent={"answer": remember})
    police_chat = Recipient(-100777, "en")
    result = await reach.notify_chat(
        police_chat, NOTICE, what="relay-answer", report_id=1, after_sent=("answer", 5)
    )
    assert result.status is DeliveryStatus.RETRY_LATER and sender.sent == []
    [row] = await outbox(sessions)
    assert row.user_id is None and row.chat_id == -100777 and row.locale == "en"
    await make_due(sessions)
    assert await reach.deliver_due() == 1
    [(to, message)] = sender.sent
    assert to == Recipient(-100777, "en", "telegram") and message == NOTICE
    assert recorded == [(5, 1)]
    [row] = await outbox(sessions)
    assert row.state is OutboxState.SENT and row.attempts == 2
