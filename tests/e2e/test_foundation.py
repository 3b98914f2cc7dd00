"""The spine, end to end: a user talks to the real bot through the local Bot API server."""

from __future__ import annotations

from bot.i18n import t
from tests.e2e.harness import BotHarness, buttons, keyboard_labels, user

LAN = user(1001, "Lan", "lan")


async def test_start_in_private_greets_in_vietnamese_with_the_main_keyboard(
    harness: BotHarness,
) -> None:
    [reply] = await harness.say(LAN, "/start")
    assert reply["text"].startswith("Xin chào Lan!")
    assert "113" in reply["text"] and "gửi tin báo" in reply["text"]
    assert t("button-help", "vi") in keyboard_labels(reply)


async def test_start_tells_police_which_areas_they_cover(harness: BotHarness) -> None:
    await harness.services.areas.import_csv(
        "code,name,kind,parent_code\nND,Nam Định,province,\nND-TP,TP Nam Định,district,ND\n"
        "ND-TN,Phường Thống Nhất,ward,ND-TP\n"
    )
    await harness.services.grants.grant(target_telegram_id=2001, role="police", area_code="ND-TN")
    [reply] = await harness.say(user(2001, "Hùng"), "/start")
    assert "cảnh sát khu vực của: Phường Thống Nhất" in reply["text"]


async def test_language_switch_is_remembered_across_a_restart(harness: BotHarness) -> None:
    [offer] = await harness.say(LAN, "/language")
    assert ("English", "lang:en") in buttons(offer)
    answer, [confirmation] = await harness.press(LAN, offer, "lang:en", expect=1)
    assert answer is not None
    assert confirmation["text"] == "Switched to English."
    await harness.restart()
    [reply] = await harness.say(LAN, "/help")
    assert reply["text"].startswith("How to use")
    [reply] = await harness.say(LAN, "/language vi")
    assert reply["text"] == "Đã chuyển sang Tiếng Việt."


async def test_bad_input_gets_a_clear_answer(harness: BotHarness) -> None:
    [reply] = await harness.say(LAN, "/khongcolenh abc")
    assert reply["text"] == t("error-unknown-command", "vi", command="/khongcolenh")
    [reply] = await harness.say(LAN, "/language fr")
    assert "fr" in reply["text"] and "vi" in reply["text"]
    [reply] = await harness.say(LAN, "/start <b>" + "\u0301" * 50 + "\u200b")
    assert reply["text"].startswith("Xin chào")


async def test_a_stale_button_after_restart_is_answered_not_ignored(harness: BotHarness) -> None:
    await harness.say(LAN, "/start")
    sent = await harness.client.send_message(LAN["id"], LAN, "/language")
    [lang] = await harness.client.wait_for_bot_messages(
        LAN["id"], after_message_id=sent["message_id"]
    )
    answer, _ = await harness.press(LAN, lang, "tip:unknown:42", forged=True)
    assert answer is not None and answer.get("show_alert")
    assert answer["text"] == t("error-button-expired", "vi")


async def test_group_start_explains_how_to_reach_the_bot_privately(harness: BotHarness) -> None:
    [reply] = await harness.say(LAN, "/start", chat_id=-100500, chat_title="An ninh TDP 1")
    assert "nhắn riêng" in reply["text"]


async def test_a_reply_to_a_message_deleted_meanwhile_is_still_delivered(
    harness: BotHarness,
) -> None:
    await harness.say(LAN, "/start")
    assert harness.app is not None
    sent = await harness.app.bot.send_message(LAN["id"], "ok", reply_to_message_id=999_999)
    assert sent.text == "ok" and sent.reply_to_message is None
