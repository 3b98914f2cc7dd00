"""Sending, keyboards, callbacks, edits, deletions and Telegram's 400/403 checks."""

from __future__ import annotations

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from sandbox.client import SandboxClient
from tests.sandbox.conftest import GROUP_ID, LAN, MINH

pytestmark = pytest.mark.asyncio


def _keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d)] for t, d in pairs])


async def test_button_press_delivers_callback_and_answer_is_readable(
    bot: Bot, client: SandboxClient
) -> None:
    await client.send_message(LAN["id"], LAN, "/start")
    sent = await bot.send_message(LAN["id"], "Xác nhận?", reply_markup=_keyboard(("Có", "yes")))
    pressed = await client.press_button(LAN["id"], LAN, sent.message_id, "yes")
    updates = await bot.get_updates()
    query = updates[-1].callback_query
    assert query is not None
    assert query.data == "yes" and query.from_user.id == LAN["id"]
    assert query.message is not None and query.message.message_id == sent.message_id
    assert query.id == pressed["callback_query_id"]
    assert await client.callback_answer(query.id, wait=0.05) is None
    await query.answer("Đã ghi nhận", show_alert=True)
    answer = await client.callback_answer(query.id)
    assert answer is not None
    assert answer["text"] == "Đã ghi nhận" and answer["show_alert"] is True


async def test_pressing_missing_button_is_refused(bot: Bot, client: SandboxClient) -> None:
    await client.send_message(LAN["id"], LAN, "hi")
    sent = await bot.send_message(LAN["id"], "x", reply_markup=_keyboard(("A", "a")))
    with pytest.raises(Exception, match=r"(?i)no button"):
        await client.press_button(LAN["id"], LAN, sent.message_id, "zzz")


async def test_history_shows_edits_deletions_markup_and_pins(
    bot: Bot, client: SandboxClient
) -> None:
    await client.send_message(LAN["id"], LAN, "hi")
    first = await bot.send_message(LAN["id"], "v1", reply_markup=_keyboard(("A", "a")))
    await bot.edit_message_text("v2", chat_id=LAN["id"], message_id=first.message_id)
    second = await bot.send_message(
        LAN["id"], "menu", reply_markup=ReplyKeyboardMarkup([["Báo cáo"]])
    )
    await bot.pin_chat_message(LAN["id"], second.message_id)
    await bot.delete_message(LAN["id"], second.message_id)
    history = await client.history(LAN["id"])
    by_id = {m["message_id"]: m for m in history}
    assert by_id[first.message_id]["text"] == "v2"
    assert "edit_date" in by_id[first.message_id]
    assert "reply_markup" not in by_id[first.message_id]  # edit without markup drops it
    assert by_id[second.message_id]["deleted"] is True
    assert by_id[second.message_id]["pinned"] is True
    assert by_id[second.message_id]["reply_markup"]["keyboard"][0][0]["text"] == "Báo cáo"
    bot_only = await client.history(LAN["id"], from_bot=True)
    assert [m["message_id"] for m in bot_only] == [first.message_id, second.message_id]


async def test_edit_with_identical_content_is_not_modified(
    bot: Bot, client: SandboxClient
) -> None:
    await client.send_message(LAN["id"], LAN, "hi")
    sent = await bot.send_message(LAN["id"], "same", reply_markup=_keyboard(("A", "a")))
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text(
            "same", chat_id=LAN["id"], message_id=sent.message_id,
            reply_markup=_keyboard(("A", "a")),
        )
    edited = await bot.edit_message_reply_markup(LAN["id"], sent.message_id)
    assert not isinstance(edited, bool) and edited.reply_markup is None


async def test_missing_messages_and_chats(bot: Bot, client: SandboxClient) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(424242, "anyone?")
    await client.send_message(LAN["id"], LAN, "hi")
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=LAN["id"], message_id=99)
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(LAN["id"], 99)
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(LAN["id"], "x", reply_parameters=ReplyParameters(99))


async def test_reply_parameters_embed_the_replied_message(
    bot: Bot, client: SandboxClient
) -> None:
    original = await client.send_message(LAN["id"], LAN, "có trộm")
    reply = await bot.send_message(
        LAN["id"], "Đã nhận", reply_parameters=ReplyParameters(original["message_id"])
    )
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.text == "có trộm"


async def test_validation_of_text_markup_and_callback_data(
    bot: Bot, client: SandboxClient
) -> None:
    await client.send_message(LAN["id"], LAN, "hi")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(LAN["id"], "<b>unclosed", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(LAN["id"], "a < b", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)reserved"):
        await bot.send_message(LAN["id"], "Hết hạn.", parse_mode=ParseMode.MARKDOWN_V2)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(LAN["id"], "😀" * 2049)  # 4098 UTF-16 units
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(LAN["id"], "   ")
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(LAN["id"], "x", reply_markup=_keyboard(("A", "đ" * 33)))
    ok = await bot.send_message(
        LAN["id"], '<b>Cảnh báo</b> &amp; <a href="https://x.vn">link</a>', parse_mode="HTML"
    )
    assert ok.text == "Cảnh báo & link"
    assert ok.text_html == '<b>Cảnh báo</b> &amp; <a href="https://x.vn">link</a>'


async def test_blocked_user_gives_forbidden(bot: Bot, client: SandboxClient) -> None:
    await client.send_message(LAN["id"], LAN, "hi")
    await client.block_bot(LAN["id"])
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(LAN["id"], "still there?")
    updates = await bot.get_updates(allowed_updates=["message", "my_chat_member"])
    member_update = updates[-1].my_chat_member
    assert member_update is not None and member_update.new_chat_member.status == "kicked"
    await client.unblock_bot(LAN["id"])
    assert (await bot.send_message(LAN["id"], "welcome back")).text == "welcome back"


async def test_forward_and_copy(bot: Bot, client: SandboxClient) -> None:
    await client.send_message(MINH["id"], MINH, "hi")
    source = await client.send_message(
        GROUP_ID, LAN, "Mất xe ở chợ", chat_type="supergroup", chat_title="Tổ 5"
    )
    forwarded = await bot.forward_message(MINH["id"], GROUP_ID, source["message_id"])
    assert forwarded.text == "Mất xe ở chợ"
    assert forwarded.forward_origin is not None
    copied = await bot.copy_message(MINH["id"], GROUP_ID, source["message_id"])
    history = await client.history(MINH["id"])
    assert history[-1]["message_id"] == copied.message_id
    assert history[-1]["text"] == "Mất xe ở chợ" and "forward_origin" not in history[-1]


async def test_wait_for_bot_messages_timeout_lists_chat(client: SandboxClient) -> None:
    await client.send_message(LAN["id"], LAN, "is anyone there")
    with pytest.raises(TimeoutError, match=r"(?i)is anyone there"):
        await client.wait_for_bot_messages(LAN["id"], timeout=0.2)
