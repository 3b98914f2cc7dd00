"""/kiemtra end to end: residents check numbers in private and in groups, police confirm, and
linked groups get a warning when a confirmed scam number is posted."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from bot.i18n import t
from storage.models import ChatPurpose, ComposeDraft
from storage.repositories.chats import ChatRepository
from storage.uow import transaction
from tests.e2e.harness import BotHarness, buttons, keyboard_labels, user
from tests.e2e.test_police_inbox import seed_tip

LAN = user(1001, "Lan", "lan")
HUNG = user(2001, "Hùng", "hung_ca")  # ward police
RESIDENT = user(1002, "Mai", "mai")
GROUP = -100777
CSV = (
    "code,name,kind,parent_code\nND,Nam Định,province,\nND-TP,Thành phố Nam Định,district,ND\n"
    "ND-TN,Phường Thống Nhất,ward,ND-TP\nND-TN-01,Tổ dân phố 1,residential_group,ND-TN\n"
)
FRAUD = "Có người gọi 0912.345.678 tự xưng công an, bảo chuyển tiền vào STK 0123456789 VCB"


async def _seed(harness: BotHarness) -> int:
    """A resident's fraud tip naming the scammer's phone and account at the fraud-details
    step (both left ticked as the scammer's)."""
    await harness.services.areas.import_csv(CSV)
    await seed_tip(
        harness, RESIDENT, "Bị gọi lừa chuyển tiền", category="online_fraud", fraud=FRAUD
    )
    return (await harness.services.areas.get("ND-TN-01")).id


async def _link_group(harness: BotHarness, area_id: int) -> None:
    await harness.client.members(GROUP, joined=[LAN, HUNG], title="An ninh TDP 1")
    async with transaction(harness.services.sessions) as s:
        chats = ChatRepository(s)
        await chats.upsert(GROUP, "supergroup", "An ninh TDP 1")
        await chats.update(GROUP, area_id=area_id, purpose=ChatPurpose.RESIDENTS)


def _assert_found(text: str) -> None:
    assert "0912 345 678" in text
    assert "1 báo cáo chưa xác minh" in text
    assert "Phường Thống Nhất" not in text  # one person's report: no ward, no date
    assert "113" in text
    assert "Công an chưa xác nhận" in text
    assert "Mai" not in text and "1002" not in text  # reporters never shown


async def test_check_finds_a_reported_number_in_every_written_form(harness: BotHarness) -> None:
    await _seed(harness)
    for query in ("/kiemtra +84912345678", "/kiemtra 0912 345 678", "/check 0912-345-678"):
        [reply] = await harness.say(LAN, query)
        _assert_found(reply["text"])
        assert buttons(reply) == []  # residents get no confirm button
    [reply] = await harness.say(LAN, "/kiemtra Vietcombank 0123 456 789")
    assert "Số tài khoản" in reply["text"] and "1 báo cáo chưa xác minh" in reply["text"]
    # In a group too, answered as a reply to the question.
    [reply] = await harness.say(LAN, "/kiemtra +84912345678", chat_id=GROUP, chat_title="TDP 1")
    _assert_found(reply["text"])
    assert reply.get("reply_to_message") is not None
    bot_name = reply["from"]["username"]
    [reply] = await harness.say(LAN, f"/kiemtra@{bot_name} 0912 345 678", chat_id=GROUP)
    _assert_found(reply["text"])


async def test_unknown_and_bad_input(harness: BotHarness) -> None:
    await _seed(harness)
    [reply] = await harness.say(LAN, "/kiemtra 0987 000 111")
    assert "chưa có ai báo" in reply["text"]
    assert "KHÔNG có nghĩa là an toàn" in reply["text"] and "113" in reply["text"]
    [reply] = await harness.say(LAN, "/kiemtra xin chào bà con")
    assert reply["text"] == t("scam-check-unparseable", "vi").replace("<b>", "").replace(
        "</b>", ""
    )
    [reply] = await harness.say(LAN, "/kiemtra " + "<b>" * 2000 + "\u200b\u0301")
    assert "không nhận ra" in reply["text"]
    [reply] = await harness.say(LAN, "/kiemtra", chat_id=GROUP, chat_title="An ninh TDP 1")
    assert "/kiemtra 0912 345 678" in reply["text"]


async def test_menu_button_asks_then_checks_the_answer(harness: BotHarness) -> None:
    await _seed(harness)
    [welcome] = await harness.say(LAN, "/start")
    assert t("scam-button", "vi") in keyboard_labels(welcome)
    [ask] = await harness.say(LAN, t("scam-button", "vi"))
    assert ask["text"].startswith("Bạn muốn kiểm tra gì?")
    assert ask["reply_markup"].get("force_reply") is True
    [reply] = await harness.say(LAN, "0912 345 678", reply_to_message_id=ask["message_id"])
    _assert_found(reply["text"])
    # /kiemtra without an argument asks too; the next message (even without "reply") answers it.
    [ask] = await harness.say(LAN, "/kiemtra")
    assert ask["text"].startswith("Bạn muốn kiểm tra gì?")
    [reply] = await harness.say(LAN, "+84 912 345 678")
    _assert_found(reply["text"])


async def test_police_confirm_and_group_warning(harness: BotHarness) -> None:
    area_id = await _seed(harness)
    await _link_group(harness, area_id)
    await harness.services.grants.grant(
        target_telegram_id=HUNG["id"], role="police", area_code="ND-TN"
    )

    # Before confirmation nothing is said in the group; a later confirmed number is warned about.
    quiet = await harness.client.send_message(
        GROUP, LAN, "Ai biết số 0912 345 678 không?", chat_type="supergroup"
    )
    # A barrier: the group's updates are handled in order, so once this is answered the quiet
    # message was read before the confirmation below (under load it could be read after).
    await harness.say(LAN, "/kiemtra 0123 000 111", chat_id=GROUP)

    [result] = await harness.say(HUNG, "/kiemtra 0912345678")
    [(label, data)] = buttons(result)
    assert label == t("scam-confirm-button", "vi") and data.startswith("scam:ok:")
    answer, [done] = await harness.press(HUNG, result, data, expect=1)
    assert answer is not None and "Đã xác nhận" in answer["text"]
    assert "0912 345 678" in done["text"]

    # A resident pressing a forged confirm button is refused.
    [mine] = await harness.say(LAN, "/kiemtra 0123456789 VCB")
    denied, _ = await harness.press(LAN, mine, data.replace(data.split(":")[-1], "2"), forged=True)
    assert denied is not None and denied.get("show_alert")

    [reply] = await harness.say(LAN, "/kiemtra 0912 345 678")
    assert "Công an đã xác nhận đây là lừa đảo" in reply["text"]

    loud = await harness.client.send_message(
        GROUP, LAN, "Cẩn thận nhé, số +84 912.345.678 gọi mình", chat_type="supergroup"
    )
    [warning] = await harness.client.wait_for_bot_messages(
        GROUP, after_message_id=loud["message_id"], count=1
    )
    assert warning["reply_to_message"]["message_id"] == loud["message_id"]
    assert "Cảnh báo lừa đảo" in warning["text"] and "0912 345 678" in warning["text"]
    assert "113" in warning["text"]
    history = await harness.client.history(GROUP)
    assert not any(
        (m.get("reply_to_message") or {}).get("message_id") == quiet["message_id"]
        for m in history
        if m["from"]["is_bot"]
    )

    # An unconfirmed account in the group: no warning (the next bot message answers the toggle).
    plain = await harness.client.send_message(
        GROUP, LAN, "STK 0123456789 VCB có ai biết không", chat_type="supergroup"
    )
    [refused] = await harness.say(LAN, "/canhbaotudong tat", chat_id=GROUP)
    assert refused["text"] == t("scam-toggle-denied", "vi")
    assert refused["message_id"] == plain["message_id"] + 2  # nothing came in between

    [off] = await harness.say(HUNG, "/canhbaotudong tắt", chat_id=GROUP)
    assert off["text"] == t("scam-toggle-off", "vi")
    silent = await harness.client.send_message(
        GROUP, LAN, "số 0912345678 lại gọi", chat_type="supergroup"
    )
    [status] = await harness.say(HUNG, "/canhbaotudong", chat_id=GROUP)
    assert "TẮT" in status["text"]
    assert status["message_id"] == silent["message_id"] + 2
    [on] = await harness.say(HUNG, "/canhbaotudong bat", chat_id=GROUP)
    assert on["text"].startswith("Đã bật")


async def test_a_fraud_tip_submitted_through_the_tip_service_is_findable(
    harness: BotHarness,
) -> None:
    await harness.services.areas.import_csv(CSV)
    fraud = "SĐT 0912.345.678, link vcb-hotro.com/xac-nhan"
    await seed_tip(
        harness, RESIDENT, "Bị gọi mạo danh ngân hàng", category="online_fraud", fraud=fraud
    )

    [reply] = await harness.say(LAN, "/kiemtra 0912 345 678")
    _assert_found(reply["text"])
    [reply] = await harness.say(LAN, "/kiemtra https://www.vcb-hotro.com/xac-nhan?ref=zalo")
    assert "Đường link" in reply["text"] and "1 báo cáo chưa xác minh" in reply["text"]


async def test_the_wait_for_a_number_outlives_a_restart_and_ends_after_ten_minutes(
    harness: BotHarness,
) -> None:
    """The wait is a conversation of the engine (stored, not in process memory)."""
    h = harness
    await _seed(h)
    await h.say(LAN, "/start")
    [ask] = await h.say(LAN, "/kiemtra")
    assert ask["text"].startswith("Bạn muốn kiểm tra gì?")
    await h.stop()
    await h.start()
    [reply] = await h.say(LAN, "0912 345 678")  # not a reply to the question: the wait counts
    _assert_found(reply["text"])
    [ask] = await h.say(LAN, "/kiemtra")
    async with transaction(h.services.sessions) as session:
        await session.execute(
            update(ComposeDraft).values(updated_at=datetime.now(UTC) - timedelta(minutes=11))
        )
    [other] = await h.say(LAN, "0912 345 678")
    assert not other["text"].startswith(reply["text"][:40]), other["text"]


async def test_an_awaited_number_over_the_limit_is_refused_and_not_offered_as_a_tip(
    harness: BotHarness,
) -> None:
    """The answer to "what would you like to check?" is the check's, even when refused."""
    h = harness
    await _seed(h)
    await h.say(LAN, "/start")
    for _ in range(30):  # the limit: 30 look-ups in 10 minutes
        await h.say(LAN, "/kiemtra 0912 345 678")
    await h.say(LAN, "/kiemtra")
    [refused] = await h.say(LAN, "0912 345 678", expect=1)
    assert refused["text"].startswith(t("scam-check-wait", "vi", minutes=10)[:30])
    await asyncio.sleep(1.0)  # nothing else answers it (no "send this as a tip?")
    after = await h.client.history(LAN["id"], after=refused["message_id"])
    assert after == [], [m.get("text") for m in after]
