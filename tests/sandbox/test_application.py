"""A full, unmodified PTB Application polling the sandbox."""

from __future__ import annotations

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from sandbox.client import SandboxClient
from sandbox.server import SandboxServer
from tests.sandbox.conftest import LAN, TOKEN

pytestmark = pytest.mark.asyncio


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_user is not None
    await update.effective_message.reply_text(
        f"Chào {update.effective_user.first_name}! args={context.args}",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("OK", callback_data="ok")]]),
    )


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    # Edit first so that, once the answer is visible, the edit is too.
    await query.edit_message_text("Đã xác nhận")
    await query.answer("Đã bấm")


async def test_application_answers_start_over_polling(
    server: SandboxServer, client: SandboxClient
) -> None:
    app = (
        ApplicationBuilder().token(TOKEN).base_url(server.bot_api_url)
        .base_file_url(server.file_url).build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(on_button))
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=5)
        await app.start()
        try:
            sent = await client.send_message(LAN["id"], LAN, "/start to-5")
            (reply,) = await client.wait_for_bot_messages(
                LAN["id"], after_message_id=sent["message_id"]
            )
            assert reply["text"] == "Chào Lan! args=['to-5']"
            pressed = await client.press_button(LAN["id"], LAN, reply["message_id"], "ok")
            answer = await client.callback_answer(pressed["callback_query_id"], wait=5)
            assert answer is not None and answer["text"] == "Đã bấm"
            history = await client.history(LAN["id"], from_bot=True)
            assert history[-1]["text"] == "Đã xác nhận" and "edit_date" in history[-1]
            assert "reply_markup" not in history[-1]
        finally:
            await app.updater.stop()
            await app.stop()
