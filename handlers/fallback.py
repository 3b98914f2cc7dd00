"""Last in line: commands nobody handled get a clear answer instead of silence."""

from __future__ import annotations

import contextlib

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot.context import AnninhContext
from handlers.common import reply


async def unknown_command(update: Update, context: AnninhContext) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    command = message.text.split()[0].split("@")[0][:64]
    await reply(update, context, "error-unknown-command", command=command)


async def stale_button(update: Update, context: AnninhContext) -> None:
    """A button from an old message (e.g. sent before a restart) that no handler knows."""
    assert update.callback_query is not None
    await update.callback_query.answer(context.text("error-button-expired"), show_alert=True)


async def empty_button(update: Update, context: AnninhContext) -> None:
    """A callback query no button of ours makes: without data (PTB would hand it to the first
    pattern handler, which then fails parsing it) or from an inline message (no chat; the bot
    has no inline mode). Registered right after ``identify``; answered as expired, stopped."""
    query = update.callback_query
    if query is None or (query.data and query.message is not None):
        return
    with contextlib.suppress(TelegramError):  # whatever happens, no feature sees it
        await query.answer(context.text("error-button-expired"), show_alert=True)
    raise ApplicationHandlerStop


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, unknown_command))
    app.add_handler(CallbackQueryHandler(stale_button))
