"""Every notice a reporter can get reaches them on the channel they use: each test runs once
for a reporter on Telegram and once for a reporter reached only on Zalo, through the real bot
(PTB and the Zalo poller) against the sandbox's Telegram and Zalo Bot APIs.

The notices a reporter gets without having written first: a status change (from the card,
with a note or a reason typed after the card, from the console), an escalation (from the card
or by review), a closure by review (rejected or merged), a restore after review, a relay
question (from the card or the console), and the private thank-you for a valuable tip.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from bot.i18n import t
from sandbox.client import SandboxClient
from sandbox.server import SandboxServer
from services.access import Profile
from services.users import IncomingUser
from storage.dto_tips import ReportDTO
from storage.models import OutboxMessage, OutboxState
from storage.repositories.relay import RelayRepository
from storage.uow import transaction
from tests.e2e.harness import FAST_OUTBOX, BotHarness, buttons, user
from tests.e2e.test_police_inbox import message
from tests.e2e.test_zalo import zalo_bot, zmark, zsay, zuser

JSON = dict[str, Any]
AREAS = (
    "code,name,kind,parent_code\n"
    "ND,Nam Định,province,\n"
    "ND-TP,TP Nam Định,district,ND\n"
    "ND-TN,Phường Thống Nhất,ward,ND-TP\n"
    "ND-TN-01,Tổ dân phố số 1,residential_group,ND-TN\n"
)
HUNG = user(2001, "Hùng")
TUAN = user(2002, "Tuấn")
THAO = user(4001, "Thảo")
LAN_TG = user(1001, "Lan", "lan_nd")
LAN_ZALO = zuser("6ede9afa66b88fe6d6a9", "Lan Zalo")


@dataclass
class Reporter:
    """The person who sends the tips, on one channel."""

    h: BotHarness
    channel: str
    user_id: int

    async def mark(self) -> int:
        if self.channel == "zalo":
            return await zmark(self.h, LAN_ZALO["id"])
        history = await self.h.client.history(LAN_TG["id"])
        return max((m["message_id"] for m in history), default=0)

    async def told(self, after: int, count: int = 1) -> list[str]:
        """The next ``count`` messages the bot sent the reporter after ``after``."""
        if self.channel == "zalo":
            got = await self.h.client.zalo_wait_for_bot(
                LAN_ZALO["id"], after_seq=after, count=count
            )
            return [m.get("text", "") for m in got]
        got = await self.h.client.wait_for_bot_messages(
            LAN_TG["id"], after_message_id=after, count=count
        )
        return [m.get("text") or m.get("caption") or "" for m in got]

    async def sent_since(self, after: int) -> list[str]:
        if self.channel == "zalo":
            got = await self.h.client.zalo_history(LAN_ZALO["id"], after=after, from_bot=True)
            return [m.get("text", "") for m in got]
        got = await self.h.client.history(LAN_TG["id"], after=after, from_bot=True)
        return [m.get("text") or m.get("caption") or "" for m in got]


@dataclass
class World:
    h: BotHarness
    reporter: Reporter
    officer: Profile
    moderator: Profile


async def _profile(h: BotHarness, telegram_user: JSON) -> Profile:
    await h.say(telegram_user, "/start")  # the private chat exists once they wrote
    return await h.services.users.identify(
        IncomingUser(telegram_user["id"], telegram_user["first_name"])
    )


async def _reporter(h: BotHarness, channel: str) -> Reporter:
    if channel == "zalo":
        await zsay(h, LAN_ZALO, "help")
        profile = await h.services.zalo.identify(LAN_ZALO["id"], LAN_ZALO["display_name"])
        assert profile.user.telegram_id is None
    else:
        profile = await _profile(h, LAN_TG)
    return Reporter(h, channel, profile.user.id)


async def start_world(h: BotHarness, channel: str) -> World:
    await h.services.areas.import_csv(AREAS)
    for who, role, area in (
        (HUNG, "police", "ND-TN"),
        (TUAN, "police", "ND-TP"),
        (THAO, "moderator", "ND-TN"),
    ):
        await h.services.grants.grant(target_telegram_id=who["id"], role=role, area_code=area)
    officer = await _profile(h, HUNG)
    await _profile(h, TUAN)
    moderator = await _profile(h, THAO)
    return World(h, await _reporter(h, channel), officer, moderator)


@pytest.fixture(params=["telegram", "zalo"])
async def world(
    request: pytest.FixtureRequest,
    sandbox: SandboxServer,
    client: SandboxClient,
    database_url: str,
) -> AsyncIterator[World]:
    h = zalo_bot(sandbox, client, database_url, **FAST_OUTBOX)
    await h.start()
    try:
        yield await start_world(h, request.param)
    finally:
        await h.stop()


async def file_tip(w: World, text: str, *, category: str = "order") -> ReportDTO:
    """A named tip of Tổ dân phố số 1, stored and routed by the tips service step by step."""
    tips, uid = w.h.services, w.reporter.user_id
    await tips.tip_intake.begin(uid, category=category, text=text)
    await tips.tip_steps.finish_description(uid)
    await tips.tip_steps.skip_location(uid)
    area = await w.h.services.areas.get("ND-TN-01")
    await tips.tip_steps.choose_area(uid, area.id)
    await tips.tip_steps.set_anonymous(uid, False)
    return (await tips.tip_intake.submit(uid)).report


async def open_card(w: World, report_id: int) -> JSON:
    [listing] = await w.h.say(HUNG, "/hopthu")
    _, [card] = await w.h.press(HUNG, listing, f"inbox:o:{report_id}", expect=1)
    return card


def data_of(message: JSON, prefix: str) -> str:
    found = [d for _, d in buttons(message) if d.startswith(prefix)]
    assert found, f"no button {prefix!r} in {buttons(message)}"
    return found[0]


async def review_item(w: World, report_id: int) -> int:
    after = 0
    while (card := await w.h.services.review.next_card(w.moderator, after)) is not None:
        if card.item.report_id == report_id:
            return card.item.id
        after = card.item.id
    raise AssertionError(f"report {report_id} is not in review")


async def test_officer_takes_the_tip_from_its_card(world: World) -> None:
    tip = await file_tip(world, "Có người lạ cạy khóa xe máy ở ngõ 5 lúc 2 giờ sáng.")
    card = await open_card(world, tip.id)
    mark = await world.reporter.mark()
    await world.h.press(HUNG, card, data_of(card, "tip:verify:"), expect=1)
    [told] = await world.reporter.told(mark)
    assert tip.code in told and "Đang xác minh" in told


async def test_officer_closes_the_tip_with_a_note_typed_after_the_card(world: World) -> None:
    tip = await file_tip(world, "Nhóm thanh niên tụ tập nẹt pô ở ngõ 12 mỗi đêm.")
    card = await open_card(world, tip.id)
    await world.h.press(HUNG, card, data_of(card, "tip:handled:"), expect=1)
    mark = await world.reporter.mark()
    await world.h.say(HUNG, "Đã mời nhóm thanh niên lên làm việc.")
    [told] = await world.reporter.told(mark)
    assert tip.code in told and "Đã xử lý" in told and "mời nhóm thanh niên" in told


async def test_officer_rejects_the_tip_with_a_reason(world: World) -> None:
    tip = await file_tip(world, "Hàng xóm mở nhạc to sau 11 giờ đêm nhiều hôm liền.")
    card = await open_card(world, tip.id)
    await world.h.press(HUNG, card, data_of(card, "tip:reject:"), expect=1)
    mark = await world.reporter.mark()
    await world.h.say(HUNG, "Việc này thuộc tổ hoà giải, không phải công an.")
    [told] = await world.reporter.told(mark)
    assert tip.code in told and "Không xác thực" in told and "tổ hoà giải" in told


async def test_officer_changes_the_status_from_the_console(world: World) -> None:
    tip = await file_tip(world, "Xe tải đỗ chắn lối thoát hiểm chung cư suốt đêm.")
    mark = await world.reporter.mark()
    await world.h.services.inbox_actions.act(
        world.officer,
        "handled",
        tip.id,
        tip.version,
        note="Đã yêu cầu chủ xe di chuyển.",
        chat_id=HUNG["id"],
    )
    [told] = await world.reporter.told(mark)
    assert tip.code in told and "Đã xử lý" in told and "chủ xe" in told


async def test_officer_escalates_the_tip_from_its_card(world: World) -> None:
    tip = await file_tip(world, "Đường dây cờ bạc lớn, nhiều phường cũng có người tham gia.")
    card = await open_card(world, tip.id)
    mark = await world.reporter.mark()
    await world.h.press(HUNG, card, data_of(card, "tip:escalate:"), expect=1)
    [told] = await world.reporter.told(mark)
    assert tip.code in told and "TP Nam Định" in told


async def test_moderator_escalates_the_tip_in_review(world: World) -> None:
    tip = await file_tip(world, "Có người bán hàng cấm ở chợ đêm, nhiều quận bị ảnh hưởng.")
    await world.h.services.inbox_actions.send_to_review(world.officer, tip)
    mark = await world.reporter.mark()
    await world.h.services.review.act(
        world.moderator, await review_item(world, tip.id), "escalate"
    )
    [told] = await world.reporter.told(mark)
    assert tip.code in told and "TP Nam Định" in told


async def test_moderator_closes_the_tip_in_review(world: World) -> None:
    tip = await file_tip(world, "Có người lạ hỏi thăm nhà tôi, không rõ là ai.")
    await world.h.services.inbox_actions.send_to_review(world.officer, tip)
    mark = await world.reporter.mark()
    await world.h.services.review.act(world.moderator, await review_item(world, tip.id), "reject")
    [told] = await world.reporter.told(mark)
    assert tip.code in told and "chưa đủ thông tin" in told

    # The officer undoes the closing: the reporter is told it is open again.
    mark = await world.reporter.mark()
    stored = await world.h.services.tip_followup.get(tip.id)
    assert stored is not None
    await world.h.services.inbox_actions.act(
        world.officer, "restore", tip.id, stored.version, chat_id=HUNG["id"]
    )
    [told] = await world.reporter.told(mark)
    assert tip.code in told and "Đang xác minh" in told


async def test_moderator_merges_a_duplicate_tip(world: World) -> None:
    kept = await file_tip(world, "Đêm qua có hai thanh niên đi xe Wave đỏ đua xe ở ngõ 12.")
    again = await file_tip(world, "Dem qua co hai thanh nien di xe wave do dua xe o ngo 12!")
    mark = await world.reporter.mark()
    await world.h.services.review.act(world.moderator, await review_item(world, again.id), "merge")
    [told] = await world.reporter.told(mark)
    assert again.code in told and kept.code in told and "trùng" in told


async def test_officer_asks_the_reporter_from_the_card(world: World) -> None:
    tip = await file_tip(world, "Có xe lạ đỗ trước cổng trường tiểu học mấy hôm nay.")
    card = await open_card(world, tip.id)
    await world.h.press(HUNG, card, data_of(card, "tip:reply:"), expect=1)
    mark = await world.reporter.mark()
    await world.h.say(HUNG, "Anh chị thấy biển số xe không?")
    [asked] = await world.reporter.told(mark)
    assert tip.code in asked and "biển số" in asked and "Hùng" not in asked


async def test_officer_asks_the_reporter_from_the_console(world: World) -> None:
    tip = await file_tip(world, "Có người đốt rác gây khói cả khu tập thể.")
    mark = await world.reporter.mark()
    reply = await world.h.services.relay.ask_from_console(
        world.officer, tip.id, "Việc này xảy ra vào giờ nào?"
    )
    assert reply.key == "relay-question-sent"
    [asked] = await world.reporter.told(mark)
    assert tip.code in asked and "giờ nào" in asked


async def test_reporter_is_thanked_for_a_valuable_tip(world: World) -> None:
    tip = await file_tip(world, "Có người lạ trộm xe đạp ở ngõ 5, tôi chụp được mặt.")
    mark = await world.reporter.mark()
    await world.h.services.inbox_actions.act(
        world.officer, "nonote", tip.id, None, chat_id=HUNG["id"]
    )
    await world.reporter.told(mark)  # told it was handled
    card = await open_card(world, tip.id)
    mark = await world.reporter.mark()
    await world.h.press(HUNG, card, data_of(card, "tip:helpful:"), expect=1)
    [thanks] = await world.reporter.told(mark)
    assert tip.code in thanks and "cảm ơn" in thanks


async def test_a_status_notice_that_meets_a_502_still_arrives_exactly_once(world: World) -> None:
    tip = await file_tip(world, "Có người lạ đứng nhìn vào nhà tôi mấy tối liền.")
    mark = await world.reporter.mark()
    if world.reporter.channel == "zalo":
        await world.h.client.zalo_fault("sendMessage", status=502, count=1)
    else:
        # Three: the send limiter itself retries a reply twice (bot/send_limiter.py); the
        # outbox is what is left when those fail too.
        await world.h.client.fault("sendMessage", status=502, count=3)
    after = await world.h.services.inbox_actions.act(
        world.officer, "verify", tip.id, tip.version, chat_id=HUNG["id"]
    )
    assert after.report.status.value == "verifying"
    [told] = await world.reporter.told(mark)
    assert tip.code in told and "Đang xác minh" in told
    # Several sweeps later, still once: the retry settled it.
    await asyncio.sleep(1.5)
    assert len(await world.reporter.sent_since(mark)) == 1
    async with transaction(world.h.services.sessions) as session:
        rows = list(await session.scalars(select(OutboxMessage)))
    [row] = [r for r in rows if r.report_id == tip.id]
    assert row.state is OutboxState.SENT and row.attempts == 2


async def test_a_relay_question_that_meets_a_502_arrives_once_and_still_threads(
    world: World,
) -> None:
    tip = await file_tip(world, "Có xe lạ đỗ trước cổng trường tiểu học mấy hôm nay.")
    card = await open_card(world, tip.id)
    await world.h.press(HUNG, card, data_of(card, "tip:reply:"), expect=1)
    mark = await world.reporter.mark()
    if world.reporter.channel == "zalo":
        await world.h.client.zalo_fault("sendMessage", status=502, count=1)
    else:
        # Three: the send limiter itself retries a reply twice (bot/send_limiter.py); the
        # outbox is what is left when those fail too.
        await world.h.client.fault("sendMessage", status=502, count=3)
    [queued] = await world.h.say(HUNG, "Anh chị thấy biển số xe không?")
    assert queued["text"] == t("relay-question-queued", "vi", code=tip.code)
    [asked] = await world.reporter.told(mark)
    assert tip.code in asked and "biển số" in asked
    await asyncio.sleep(1.5)
    assert len(await world.reporter.sent_since(mark)) == 1
    # Its message id was recorded when it went out: a reply to it threads back to the tip.
    async with transaction(world.h.services.sessions) as session:
        [question] = await RelayRepository(session).for_report(tip.id)
    assert question.reporter_message_id is not None


async def _bot_messages_to(h: BotHarness, chat_id: int, after: int) -> list[JSON]:
    return await h.client.history(chat_id, after=after, from_bot=True)


async def _last_id(h: BotHarness, chat_id: int) -> int:
    return max((m["message_id"] for m in await h.client.history(chat_id)), default=0)


async def test_an_escalation_that_meets_a_502_reaches_the_police_above_once(
    world: World,
) -> None:
    tip = await file_tip(world, "Đường dây cờ bạc lớn, nhiều phường cũng có người tham gia.")
    card = await open_card(world, tip.id)
    above = await _last_id(world.h, TUAN["id"])
    # Three: the send limiter retries twice itself; the outbox is what is left after that.
    await world.h.client.fault("sendMessage", status=502, count=3)
    await world.h.press(HUNG, card, data_of(card, "tip:escalate:"), expect=1)
    [told] = await world.h.client.wait_for_bot_messages(TUAN["id"], after_message_id=above)
    assert tip.code in told["text"] and "TP Nam Định" in told["text"]
    await asyncio.sleep(1.5)
    assert len(await _bot_messages_to(world.h, TUAN["id"], above)) == 1
    async with transaction(world.h.services.sessions) as session:
        rows = list(await session.scalars(select(OutboxMessage)))
    [row] = [r for r in rows if r.what == "tip-escalated" and r.chat_id == TUAN["id"]]
    assert row.state is OutboxState.SENT and row.attempts == 2 and row.user_id is None
    # Delivered by the outbox, it is still the tip's card: Tuấn taking the tip redraws it.
    await _take_and_see_redrawn(world, tip.id, TUAN["id"], told["message_id"])


async def test_an_escalation_a_502_held_back_is_the_district_chats_card_once_sent(
    world: World,
) -> None:
    if world.reporter.channel == "zalo":
        pytest.skip("the escalation's way to the police chat does not depend on the reporter's")
    district_chat = -100911
    await world.h.client.members(district_chat, joined=[TUAN], title="CA TP Nam Định")
    await world.h.services.groups.link(None, district_chat, "ND-TP", "police", title="CA TP")
    tip = await file_tip(world, "Đường dây cờ bạc lớn, nhiều phường cũng có người tham gia.")
    card = await open_card(world, tip.id)
    above = await _last_id(world.h, district_chat)
    await world.h.client.fault("sendMessage", status=502, count=3)
    await world.h.press(HUNG, card, data_of(card, "tip:escalate:"), expect=1)
    [told] = await world.h.client.wait_for_bot_messages(district_chat, after_message_id=above)
    assert f"tip:verify:{tip.id}" in [d for _, d in buttons(told)]
    await _take_and_see_redrawn(world, tip.id, district_chat, told["message_id"])


async def _take_and_see_redrawn(w: World, report_id: int, chat_id: int, message_id: int) -> None:
    """Tuấn takes the tip: the escalation's message shows it taken, without "take"."""
    tuan = await w.h.services.users.profile_by_telegram_id(TUAN["id"])
    assert tuan is not None
    await w.h.services.inbox_actions.act(tuan, "verify", report_id, None, chat_id=TUAN["id"])
    await w.h.services.tip_cards.settled()
    shown = await message(w.h, chat_id, message_id)
    assert t("tip-status-verifying", "vi") in (shown.get("text") or "")
    assert not [d for _, d in buttons(shown) if d.startswith("tip:verify:")]


async def test_a_relay_answer_that_meets_a_502_reaches_the_officer_once_and_threads(
    world: World,
) -> None:
    if world.reporter.channel == "zalo":
        pytest.skip("the answer's way to the police chat does not depend on the reporter's")
    tip = await file_tip(world, "Có xe lạ đỗ trước cổng trường tiểu học mấy hôm nay.")
    card = await open_card(world, tip.id)
    await world.h.press(HUNG, card, data_of(card, "tip:reply:"), expect=1)
    mark = await world.reporter.mark()
    await world.h.say(HUNG, "Anh chị thấy biển số xe không?")
    [question] = await world.h.client.wait_for_bot_messages(LAN_TG["id"], after_message_id=mark)
    police = await _last_id(world.h, HUNG["id"])
    await world.h.client.fault("sendMessage", status=502, count=3)
    [kept] = await world.h.say(
        LAN_TG, "Biển 18B1-234.56, xe màu đỏ", reply_to_message_id=question["message_id"]
    )
    assert kept["text"] == t("relay-answer-queued", "vi", code=tip.code)
    [answer] = await world.h.client.wait_for_bot_messages(HUNG["id"], after_message_id=police)
    assert tip.code in answer["text"] and "18B1" in answer["text"]
    await asyncio.sleep(1.5)
    assert len(await _bot_messages_to(world.h, HUNG["id"], police)) == 1
    # Its message id was recorded when it went out: the officer's reply to it asks again.
    async with transaction(world.h.services.sessions) as session:
        relayed = await RelayRepository(session).for_report(tip.id)
    assert relayed[-1].police_message_id == answer["message_id"]
