"""The police side of tips called directly: inbox scoping, re-checked actions, the relay and the
review screening rules, on a real database with a recording sender."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.message_args import plain_args
from bot.settings import load_settings
from bot.wiring import Services, build_services
from services.access import Profile
from services.errors import InvalidInput, NotFound, PermissionDenied
from services.inbox import InboxQueries
from services.inbox_actions import InboxActions
from services.inbox_model import AlreadyHandled, card_buttons, categories_cycle, parse_callback
from services.ports import (
    DeliveryResult,
    DeliveryStatus,
    MediaKind,
    MediaRef,
    OutgoingMessage,
    Recipient,
)
from services.relay import InputTaken
from services.relay_model import PENDING_TTL, RELAY_INPUT, Incoming, PendingAction
from services.tip_drafts import Step
from services.tip_review import count_links, fold, similarity
from services.users import IncomingUser
from storage.db import create_engine
from storage.models import ComposeDraft, ReportStatus, ReviewKind, ReviewStatus
from storage.repositories.audit import AuditRepository
from storage.repositories.moderation import ReviewRepository
from storage.repositories.tips import TipRepository
from storage.types import utcnow
from storage.uow import transaction

AREAS = (
    "code,name,kind,parent_code\nND,Nam Định,province,\nND-TP,TP Nam Định,district,ND\n"
    "ND-TN,Phường Thống Nhất,ward,ND-TP\nND-TN-01,Tổ dân phố 1,residential_group,ND-TN\n"
    "ND-VX,Phường Vị Xuyên,ward,ND-TP\nND-VX-01,Tổ dân phố 3,residential_group,ND-VX\n"
)


@dataclass
class RecordingSender:
    sent: list[tuple[Recipient, OutgoingMessage]] = field(default_factory=list)
    next_id: int = 100

    async def send(self, to: Recipient, message: OutgoingMessage) -> DeliveryResult:
        self.sent.append((to, message))
        self.next_id += 1
        return DeliveryResult(DeliveryStatus.SENT, message_id=self.next_id)

    async def delete(self, chat_id: int, message_id: int, channel: str = "telegram") -> bool:
        return True

    def to(self, chat_id: int) -> list[OutgoingMessage]:
        return [m for r, m in self.sent if r.chat_id == chat_id]


@dataclass
class World:
    s: Services
    sender: RecordingSender
    lan: Profile
    binh: Profile
    hung: Profile
    khoa: Profile

    @property
    def inbox(self) -> InboxQueries:
        return self.s.inbox

    @property
    def actions(self) -> InboxActions:
        return self.s.inbox_actions


@pytest.fixture
async def w(database_url: str) -> AsyncIterator[World]:
    sender = RecordingSender()
    settings = load_settings(bot_token="1:x", database_url=database_url, webhook_url=None)
    services = build_services(settings, sender, create_engine(database_url))
    await services.areas.import_csv(AREAS)
    await services.grants.grant(target_telegram_id=2001, role="police", area_code="ND-TN")
    await services.grants.grant(target_telegram_id=3001, role="police", area_code="ND-VX")
    users = services.users
    profiles = [
        await users.identify(IncomingUser(tid, name, None, username))
        for tid, name, username in (
            (1001, "Lan", "lan_nd"),
            (1002, "Bình", None),
            (2001, "Hùng", None),
            (3001, "Khoa", None),
        )
    ]
    yield World(services, sender, *profiles)
    await services.close()


async def tip(
    w: World,
    who: Profile,
    text: str,
    *,
    area: str = "ND-TN-01",
    category: str = "crime",
    fraud: str | None = None,
):
    intake = w.s.tip_intake
    steps = w.s.tip_steps
    uid = who.user.id
    await intake.begin(uid, category=category, text=text)
    await steps.finish_description(uid)
    if category == "online_fraud":
        accepted = await steps.set_fraud_details(uid, fraud)
        if accepted.draft.step is Step.FRAUD_PICK:
            await steps.finish_picks(uid)  # all of it is the scammer's
    await steps.skip_location(uid)
    await steps.choose_area(uid, (await w.s.areas.get(area)).id)
    await steps.set_anonymous(uid, True)
    return (await intake.submit(uid)).report


async def denied(w: World) -> list[dict[str, object]]:
    async with transaction(w.s.sessions) as session:
        rows = await AuditRepository(session).recent(limit=100)
    return [r.after or {} for r in rows if r.action == "denied"]


# -- pure helpers ---------------------------------------------------------------------------


def test_callback_data_is_parsed_strictly_and_stays_short() -> None:
    assert parse_callback("tip:verify:42") == ("verify", 42, None)
    assert parse_callback("tip:handled:42:7") == ("handled", 42, 7)
    bad_ones = ("tip:unknown:42", "tip:verify:x", "tip:verify:1:2:3", "tip:verify:-1", "tip::1")
    for bad in (*bad_ones, "tip:verify:¹", "tip:verify:4:²", "tip:verify:"):
        assert parse_callback(bad) is None
    assert len(b"tip:escalate:999999999:999999999") <= 64


@given(st.text(max_size=80))
def test_parse_callback_never_crashes(data: str) -> None:
    parsed = parse_callback(data)
    assert parsed is None or parsed[1] >= 0


def test_accents_are_folded_and_near_duplicates_score_high() -> None:
    assert fold("Trộm CẮP ở Đường Trần Hưng Đạo!") == "trom cap o duong tran hung dao"
    a = "Đêm qua có hai thanh niên trộm xe đạp ở ngõ 12"
    assert similarity(a, "dem qua co hai thanh nien trom xe dap o ngo 12!!") == 100
    assert similarity(a, "Cháy nhà ở phố Hàng Sắt sáng nay") < 60


def test_links_are_counted() -> None:
    text = "vao https://a.com/x, www.b.vn va shopee-sale.xyz/y ngay"
    assert count_links(text) == 3
    assert count_links("gọi 0912 345 678, không có link") == 0


def test_category_filter_cycles_back_to_all() -> None:
    assert categories_cycle("all", ["crime", "order"]) == "crime"
    assert categories_cycle("order", ["crime", "order"]) == "all"
    assert categories_cycle("bogus", ["crime"]) == "all"


# -- inbox and actions ----------------------------------------------------------------------


async def test_the_inbox_shows_only_the_officers_areas_newest_first(w: World) -> None:
    first = await tip(w, w.lan, "Tin thứ nhất ở Thống Nhất")
    second = await tip(w, w.binh, "Tin thứ hai ở Thống Nhất")
    other = await tip(w, w.lan, "Tin ở Vị Xuyên", area="ND-VX-01")
    page = await w.inbox.page(w.hung, chat_id=w.hung.user.telegram_id)
    assert [e.report.id for e in page.entries] == [second.id, first.id]
    assert not any(e.needs_review for e in page.entries)  # a first tip is no reason
    page = await w.inbox.page(w.khoa, chat_id=w.khoa.user.telegram_id)
    assert [e.report.id for e in page.entries] == [other.id]
    with pytest.raises(PermissionDenied):
        await w.inbox.page(w.lan, chat_id=w.lan.user.telegram_id)
    page = await w.inbox.page(w.hung, chat_id=w.hung.user.telegram_id, status="v")
    assert page.total == 0 and page.entries == ()


async def test_a_card_never_names_an_anonymous_reporter(w: World) -> None:
    report = await tip(w, w.lan, "Có người lạ")
    card = await w.inbox.card(w.hung, report.id, chat_id=w.hung.user.telegram_id)
    assert card.reporter_name is None
    assert [a.code for a in card.lineage] == ["ND", "ND-TP", "ND-TN", "ND-TN-01"]
    data = [b.data for row in card_buttons(card) for b in row]
    assert f"tip:verify:{report.id}:{report.version}" in data
    assert all(d is not None and len(d.encode()) <= 64 for d in data)


async def test_another_area_is_refused_and_audited(w: World) -> None:
    report = await tip(w, w.lan, "Có người lạ")
    with pytest.raises(PermissionDenied):
        await w.actions.act(w.khoa, "verify", report.id, None, chat_id=w.khoa.user.telegram_id)
    with pytest.raises(PermissionDenied):
        await w.inbox.card(w.khoa, report.id, chat_id=w.khoa.user.telegram_id)
    with pytest.raises(NotFound):
        await w.inbox.find_code(w.khoa, report.code)
    with pytest.raises(NotFound):
        await w.actions.act(w.hung, "verify", 999_999, None, chat_id=w.hung.user.telegram_id)
    reasons = [d["why"] for d in await denied(w)]
    assert sorted(reasons) == ["missing", "rights", "rights", "rights"]


async def test_a_stale_version_names_the_officer_who_acted_first(w: World) -> None:
    report = await tip(w, w.lan, "Có người lạ")
    await w.actions.act(
        w.hung, "verify", report.id, report.version, chat_id=w.hung.user.telegram_id
    )
    with pytest.raises(AlreadyHandled) as caught:
        await w.actions.act(
            w.hung, "reject", report.id, report.version, chat_id=w.hung.user.telegram_id
        )
    assert caught.value.args_for_message["officer"] == "Hùng"
    # Without a version (a new-tip notification), the state itself is checked.
    with pytest.raises(AlreadyHandled):
        await w.actions.act(w.hung, "verify", report.id, None, chat_id=w.hung.user.telegram_id)
    done = await w.actions.act(
        w.hung, "handled", report.id, None, note="Đã xử lý xong", chat_id=w.hung.user.telegram_id
    )
    assert done.report.status is ReportStatus.HANDLED
    assert any(m.key == "tip-status-changed" for m in w.sender.to(1001))


async def test_escalation_goes_above_the_ward(w: World) -> None:
    report = await tip(w, w.lan, "Đường dây lớn")
    outcome = await w.actions.act(
        w.hung, "escalate", report.id, report.version, chat_id=w.hung.user.telegram_id
    )
    assert outcome.detail == "TP Nam Định"
    assert outcome.report.area_id == (await w.s.areas.get("ND-TP")).id
    with pytest.raises(PermissionDenied):  # the ward officer no longer covers it
        await w.inbox.card(w.hung, report.id, chat_id=w.hung.user.telegram_id)
    assert any(m.key == "tipact-reporter-escalated" for m in w.sender.to(1001))


async def test_officer_can_send_a_tip_to_review_once(w: World) -> None:
    report = await tip(w, w.lan, "Đèn đường ngõ 3 hỏng", category="order")
    hung = w.hung.user.telegram_id
    assert not (await w.inbox.card(w.hung, report.id, chat_id=hung)).needs_review
    await w.actions.act(w.hung, "review", report.id, report.version, chat_id=hung)
    assert (await w.inbox.card(w.hung, report.id, chat_id=hung)).needs_review
    with pytest.raises(InvalidInput):
        await w.actions.act(
            w.hung, "review", report.id, report.version, chat_id=w.hung.user.telegram_id
        )


@pytest.mark.parametrize("category", ["crime", "social_evils", "reintegration"])
async def test_a_police_only_tip_is_never_sent_to_review(w: World, category: str) -> None:
    report = await tip(w, w.lan, "Có người lạ", category=category)
    hung = w.hung.user.telegram_id
    card = await w.inbox.card(w.hung, report.id, chat_id=hung)
    assert not [b for row in card_buttons(card) for b in row if b.data.startswith("tip:review")]
    with pytest.raises(InvalidInput):
        await w.actions.act(w.hung, "review", report.id, report.version, chat_id=hung)
    assert not (await w.inbox.card(w.hung, report.id, chat_id=hung)).needs_review
    assert {"action": "review", "why": "police_only"} in await denied(w)


async def test_scam_indicators_are_confirmed_one_by_one(w: World) -> None:
    report = await tip(
        w,
        w.lan,
        "Họ gọi vào số của tôi 0987 000 111, giả công an đòi chuyển tiền",
        category="online_fraud",
        fraud="số 0912 345 678",
    )
    card = await w.inbox.card(w.hung, report.id, chat_id=w.hung.user.telegram_id)
    assert card.can_confirm_scam
    hung = w.hung.user.telegram_id
    assert [(link.indicator.display, link.state) for link in card.indicators] == [
        ("0912 345 678", "given"),
        ("0987 000 111", "private"),
    ]
    with pytest.raises(InvalidInput):  # never every number of the tip at once
        await w.actions.act(w.hung, "scam", report.id, report.version, chat_id=hung)
    choices = await w.actions.scam_choices(w.hung, report.id, report.version, chat_id=hung)
    scammer, victim = (link.indicator for link in choices.links)
    with pytest.raises(PermissionDenied):  # police of another ward
        await w.actions.scam_choices(w.khoa, report.id, chat_id=w.khoa.user.telegram_id)
    after, outcome = await w.actions.confirm_indicator(w.hung, report.id, scammer.id, chat_id=hung)
    assert outcome.changed and [link.state for link in after.links] == ["confirmed", "private"]
    assert (await w.s.scams.lookup("0912345678", by=w.hung.user.id)).confirmed  # type: ignore[union-attr]
    assert not (await w.s.scams.lookup("0987000111", by=w.hung.user.id)).known  # type: ignore[union-attr]
    other = await tip(w, w.binh, "Số 0911 222 333 gọi", category="online_fraud")
    [elsewhere] = (await w.actions.scam_choices(w.hung, other.id, chat_id=hung)).links
    with pytest.raises(NotFound):  # an indicator of another tip, through this tip's button
        await w.actions.confirm_indicator(w.hung, report.id, elsewhere.indicator.id, chat_id=hung)
    undone, _ = await w.actions.confirm_indicator(
        w.hung, report.id, scammer.id, chat_id=hung, confirmed=False
    )
    assert [link.state for link in undone.links] == ["given", "private"]
    assert victim.confirmed_at is None
    plain = await tip(w, w.lan, "Không phải lừa đảo")
    with pytest.raises(InvalidInput):
        await w.actions.scam_choices(w.hung, plain.id, chat_id=hung)


# -- relay ----------------------------------------------------------------------------------


async def test_relay_round_trip_and_identity_never_crosses(w: World) -> None:
    report = await tip(w, w.lan, "Có người lạ")
    await w.s.relay.request(
        w.hung, PendingAction.RELAY_QUESTION, report.id, None, chat_id=2001, anchor_message_id=7
    )
    reply = await w.s.relay.on_message(w.hung, Incoming(2001, 8, "Họ mặc áo gì?"))
    assert reply is not None and reply.key == "relay-question-sent"
    [question] = [m for m in w.sender.to(1001) if m.key == "relay-question"]
    assert plain_args(question.args, "vi")["unit"] == "phường Thống Nhất"
    assert plain_args(question.args, "en")["unit"] == "Thống Nhất Ward"
    assert "Hùng" not in str(question.args)
    question_id = w.sender.next_id
    # Someone else replying to the reporter's copy cannot answer in their name.
    with pytest.raises(PermissionDenied):
        await w.s.relay.on_message(
            w.binh,
            Incoming(1001, 50, "xen vào", reply_to_message_id=question_id, reply_to_bot=True),
        )
    photo = MediaRef(MediaKind.PHOTO, "file-1")
    reply = await w.s.relay.on_message(
        w.lan,
        Incoming(
            1001, 51, "Áo xanh", media=photo, reply_to_message_id=question_id, reply_to_bot=True
        ),
    )
    assert reply is not None and reply.key == "relay-answer-sent"
    [answer] = [m for m in w.sender.to(2001) if m.key == "relay-answer"]
    assert answer.reply_to_message_id == 7 and answer.media == (photo,)
    assert "Lan" not in str(answer.args) and "1001" not in str(answer.args)
    thread = await w.s.relay.thread(w.hung, report.id)
    assert [r.direction.value for r in thread] == ["to_reporter", "to_police"]
    with pytest.raises(PermissionDenied):
        await w.s.relay.thread(w.khoa, report.id)


async def test_a_relayed_message_handled_again_is_not_sent_twice(w: World) -> None:
    """Telegram delivers an update again when the bot died before confirming it."""
    report = await tip(w, w.lan, "Có người lạ")
    for _ in range(2):
        await w.s.relay.request(
            w.hung,
            PendingAction.RELAY_QUESTION,
            report.id,
            None,
            chat_id=2001,
            anchor_message_id=7,
        )
        reply = await w.s.relay.on_message(w.hung, Incoming(2001, 8, "Họ mặc áo gì?"))
        assert reply is not None and reply.key == "relay-question-sent"
    assert len([m for m in w.sender.to(1001) if m.key == "relay-question"]) == 1
    question_id = w.sender.next_id
    answer = Incoming(1001, 51, "Áo xanh", reply_to_message_id=question_id, reply_to_bot=True)
    for _ in range(2):
        reply = await w.s.relay.on_message(w.lan, answer)
        assert reply is not None and reply.key == "relay-answer-sent"
    assert len([m for m in w.sender.to(2001) if m.key == "relay-answer"]) == 1
    assert len(await w.s.relay.thread(w.hung, report.id)) == 2


async def test_an_old_pending_request_is_forgotten(w: World) -> None:
    report = await tip(w, w.lan, "Có người lạ")
    await w.s.relay.request(
        w.hung, PendingAction.HANDLED_NOTE, report.id, None, chat_id=2001, anchor_message_id=None
    )
    async with transaction(w.s.sessions) as session:
        from sqlalchemy import update

        await session.execute(
            update(ComposeDraft).values(updated_at=utcnow() - PENDING_TTL - timedelta(1))
        )
    assert await w.s.relay.on_message(w.hung, Incoming(2001, 9, "ghi chú muộn")) is None
    assert await w.s.conversations.current(RELAY_INPUT, w.hung.user.id) is None
    async with transaction(w.s.sessions) as session:
        assert (await TipRepository(session).get(report.id)).status is ReportStatus.RECEIVED


async def test_an_answer_typed_after_a_restart_still_lands(w: World, database_url: str) -> None:
    """The reporter pressed "Trả lời", the bot restarted, then they typed: the request was
    stored (the engine's draft), so the answer reaches the officer's chat."""
    report = await tip(w, w.lan, "Có người lạ")
    await w.s.relay.request(
        w.hung, PendingAction.RELAY_QUESTION, report.id, None, chat_id=2001, anchor_message_id=7
    )
    await w.s.relay.on_message(w.hung, Incoming(2001, 8, "Họ mặc áo gì?"))
    [question] = await w.s.relay.thread(w.hung, report.id)
    assert await w.s.relay.start_answer(w.lan, question.id, 1001) == report.code
    settings = load_settings(bot_token="1:x", database_url=database_url, webhook_url=None)
    sender = RecordingSender()
    restarted = build_services(settings, sender, create_engine(database_url))
    try:
        arrival = await restarted.users.arrive(IncomingUser(1001, "Lan", None, "lan_nd"), 1001)
        assert arrival.waiting
        reply = await restarted.relay.on_message(
            arrival.profile, Incoming(1001, 60, "Áo xanh"), waiting=arrival.waiting
        )
        assert reply is not None and reply.key == "relay-answer-sent"
        [answer] = [m for m in sender.to(2001) if m.key == "relay-answer"]
        assert answer.reply_to_message_id == 7
        assert await restarted.relay.on_message(w.lan, Incoming(1001, 61, "thêm")) is None
    finally:
        await restarted.close()


@pytest.mark.parametrize("action", [PendingAction.HANDLED_NOTE, PendingAction.RELAY_QUESTION])
async def test_of_two_messages_read_against_one_request_only_one_lands(
    w: World, monkeypatch: pytest.MonkeyPatch, action: PendingAction
) -> None:
    """Two messages that both found the request waiting (two bot instances, a double send):
    the first to take it acts, the other is refused; the tip is handled, or the reporter
    asked, once."""
    report = await tip(w, w.lan, "Có người lạ")
    await w.s.relay.request(w.hung, action, report.id, None, chat_id=2001, anchor_message_id=7)
    both_read = asyncio.Barrier(2)
    read = w.s.conversations.current

    async def current(flow, user_id):  # type: ignore[no-untyped-def]
        turn = await read(flow, user_id)
        await both_read.wait()  # neither takes the request before both have read it
        return turn

    monkeypatch.setattr(w.s.conversations, "current", current)
    results = await asyncio.gather(
        w.s.relay.on_message(w.hung, Incoming(2001, 9, "Đã bắt được"), waiting=True),
        w.s.relay.on_message(w.hung, Incoming(2001, 10, "Đã bắt được 2 người"), waiting=True),
        return_exceptions=True,
    )
    assert sorted(type(r).__name__ for r in results) == ["InputTaken", "Reply"]
    [taken] = [r for r in results if isinstance(r, InputTaken)]
    assert taken.message_key == "relay-input-taken"
    async with transaction(w.s.sessions) as session:
        after = await TipRepository(session).get(report.id)
    if action is PendingAction.HANDLED_NOTE:
        assert after.status is ReportStatus.HANDLED and after.version == report.version + 1
    else:
        assert len([m for m in w.sender.to(1001) if m.key == "relay-question"]) == 1


async def test_a_second_request_replaces_the_first_in_any_chat(w: World) -> None:
    """One request per officer (the engine's draft is per person): asked for a note in the
    police group, then for a question in their private chat, only the private chat waits."""
    report = await tip(w, w.lan, "Có người lạ")
    group = -1001234567890
    await w.s.groups.link(None, group, "ND-TN", "police", title="Công an Thống Nhất")
    await w.s.relay.request(
        w.hung, PendingAction.HANDLED_NOTE, report.id, None, chat_id=group, anchor_message_id=5
    )
    await w.s.relay.request(
        w.hung, PendingAction.RELAY_QUESTION, report.id, None, chat_id=2001, anchor_message_id=7
    )
    assert await w.s.relay.on_message(w.hung, Incoming(group, 9, "chuyện khác")) is None
    assert await w.s.relay.cancel(group, w.hung.user.id) is None  # nothing awaited there
    reply = await w.s.relay.on_message(w.hung, Incoming(2001, 10, "Họ mặc áo gì?"))
    assert reply is not None and reply.key == "relay-question-sent"
    async with transaction(w.s.sessions) as session:
        assert (await TipRepository(session).get(report.id)).status is ReportStatus.RECEIVED


async def test_a_note_asked_in_a_police_group_is_taken_there(w: World) -> None:
    report = await tip(w, w.lan, "Có người lạ")
    group = -1001234567890
    await w.s.groups.link(None, group, "ND-TN", "police", title="Công an Thống Nhất")
    await w.s.relay.request(
        w.hung, PendingAction.REJECT_REASON, report.id, None, chat_id=group, anchor_message_id=5
    )
    assert await w.s.relay.on_message(w.hung, Incoming(2001, 9, "riêng tư")) is None
    reply = await w.s.relay.on_message(w.hung, Incoming(group, 10, "Không có thật"))
    assert reply is not None and reply.key == "tipact-done"
    assert await w.s.conversations.current(RELAY_INPUT, w.hung.user.id) is None


async def test_an_empty_question_keeps_the_request(w: World) -> None:
    report = await tip(w, w.lan, "Có người lạ")
    await w.s.relay.request(
        w.hung, PendingAction.RELAY_QUESTION, report.id, None, chat_id=2001, anchor_message_id=7
    )
    with pytest.raises(InvalidInput, match="relay-empty"):
        await w.s.relay.on_message(w.hung, Incoming(2001, 8, " \u200b "))
    reply = await w.s.relay.on_message(w.hung, Incoming(2001, 9, "Họ mặc áo gì?"))
    assert reply is not None and reply.key == "relay-question-sent"


async def test_a_note_without_words_is_asked_again(w: World) -> None:
    report = await tip(w, w.lan, "Có người lạ")
    await w.s.relay.request(
        w.hung, PendingAction.REJECT_REASON, report.id, None, chat_id=2001, anchor_message_id=None
    )
    photo = MediaRef(MediaKind.PHOTO, "f")
    reply = await w.s.relay.on_message(w.hung, Incoming(2001, 9, "  \u200b ", media=photo))
    assert reply is not None and reply.key == "tipact-note-empty"
    reply = await w.s.relay.on_message(w.hung, Incoming(2001, 10, "Không có thật"))
    assert reply is not None and reply.key == "tipact-done"


# -- review screening and decisions ---------------------------------------------------------


async def _items(w: World) -> list:
    async with transaction(w.s.sessions) as session:
        repo = ReviewRepository(session)
        out = []
        item = await repo.next_open(None, kinds=[ReviewKind.REPORT])
        while item is not None and item not in out:
            out.append(item)
            item = await repo.next_open(None, after_id=item.id, kinds=[ReviewKind.REPORT])
        return out


async def test_screening_rules(w: World) -> None:
    """Only what a moderator can judge is queued: many links, a near duplicate, a flood of
    tips from one person; never a first tip as such, never a police-only category."""
    event = "Đêm qua có hai thanh niên trộm xe đạp ở ngõ 12 phố Hàng Tiện"
    first = await tip(w, w.lan, event, category="order")
    links = await tip(
        w, w.binh, "Xem https://a.com, https://b.com và www.c.vn để nhận quà", category="order"
    )
    dup = await tip(w, w.binh, event.lower(), category="order")
    plain = await tip(w, w.khoa, "Một tin bình thường không có gì lạ cả", category="order")
    other_area = await tip(w, w.khoa, event, area="ND-VX-01", category="order")
    police_only = await tip(w, w.hung, event + "!", category="crime")
    spam_crime = await tip(w, w.hung, "Ma túy https://a.com https://b.com www.c.vn")
    await tip(w, w.lan, "Tin thứ hai của Lan", category="order")
    flood = await tip(w, w.lan, "Tin thứ ba của Lan trong một giờ", category="order")
    items = {i.report_id: i for i in await _items(w)}
    assert items[links.id].details["rules"] == ["many_links"]
    assert items[dup.id].details["rules"] == ["near_duplicate"]
    assert items[dup.id].details["duplicate_of"] == first.id
    assert items[flood.id].details["rules"] == ["flood"]
    for stays in (first, plain, other_area, police_only, spam_crime):
        assert stays.id not in items


async def test_merge_closes_the_duplicate_politely_and_links_indicators(w: World) -> None:
    kept = await tip(
        w,
        w.lan,
        "Lừa đảo qua số 0912 345 678",
        category="online_fraud",
        fraud="0912 345 678, https://x.com/a",
    )
    dup = await tip(
        w,
        w.binh,
        "Lại số 0912345678 gọi lừa",
        category="online_fraud",
        fraud="0912345678, https://y.com/b",
    )
    item = next(i for i in await _items(w) if i.report_id == dup.id)
    assert "same_indicators" in item.details["rules"]
    await w.s.grants.grant(target_telegram_id=4001, role="moderator", area_code="ND-TN")
    mod = await w.s.users.identify(IncomingUser(4001, "Thảo"))
    outcome = await w.s.review.act(mod, item.id, "merge")
    assert outcome.item.id == item.id
    async with transaction(w.s.sessions) as session:
        tips = TipRepository(session)
        closed = await tips.get(dup.id)
        history = await tips.history(dup.id)
        from storage.repositories.indicators import IndicatorRepository

        kept_links = {i.value for i in await IndicatorRepository(session).for_report(kept.id)}
        copied = {
            link.indicator.value: link.public
            for link in await IndicatorRepository(session).links_of_report(kept.id)
        }
        dup_links = {i.value for i in await IndicatorRepository(session).for_report(dup.id)}
    assert closed.status is ReportStatus.REJECTED
    assert history[-1].note == f"trùng với {kept.code}"
    assert dup_links <= kept_links
    # Copied for the police; the kept tip's reporter never named y.com/b, so it is not theirs.
    assert copied == {"+84912345678": True, "x.com/a": True, "y.com/b": False}
    assert any(m.key == "inbox-review-reporter-merged" for m in w.sender.to(1002))
    # Replaying the decision is refused (the item is closed).
    with pytest.raises(InvalidInput):
        await w.s.review.act(mod, item.id, "merge")
    async with transaction(w.s.sessions) as session:
        assert (await ReviewRepository(session).get(item.id)).status is ReviewStatus.RESOLVED


async def test_a_moderator_of_another_area_cannot_decide(w: World) -> None:
    report = await tip(
        w, w.lan, "Nhận quà: https://a.com https://b.com www.c.vn", category="order"
    )
    item = next(i for i in await _items(w) if i.report_id == report.id)
    with pytest.raises(PermissionDenied):
        await w.s.review.act(w.khoa, item.id, "reject")
    await w.s.review.act(w.hung, item.id, "reject")
    async with transaction(w.s.sessions) as session:
        assert (await TipRepository(session).get(report.id)).status is ReportStatus.REJECTED
    assert any(m.key == "inbox-review-reporter-rejected" for m in w.sender.to(1001))


async def test_an_item_about_a_police_only_tip_is_decided_by_police_only(w: World) -> None:
    """An item queued before the rule (or written by hand): its buttons refuse a moderator
    who is not police of the area, before anything is claimed."""
    report = await tip(w, w.lan, "Nhà số 9 có người bán ma túy", category="social_evils")
    async with transaction(w.s.sessions) as session:
        item = await ReviewRepository(session).add(
            kind=ReviewKind.REPORT,
            area_id=report.area_id,
            reason="first_tip",
            report_id=report.id,
            text=report.text,
            details={"rules": ["first_tip"], "code": report.code},
        )
    await w.s.grants.grant(target_telegram_id=4001, role="moderator", area_code="ND-TN")
    mod = await w.s.users.identify(IncomingUser(4001, "Thảo"))
    for action in ("reject", "approve", "merge", "escalate"):
        with pytest.raises(PermissionDenied):
            await w.s.review.act(mod, item.id, action)
    async with transaction(w.s.sessions) as session:
        assert (await ReviewRepository(session).get(item.id)).status is ReviewStatus.OPEN
        assert (await TipRepository(session).get(report.id)).status is ReportStatus.RECEIVED
    await w.s.review.act(w.hung, item.id, "approve")
