"""Last in line: commands nobody handled get a clear answer instead of silence."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

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


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, unknown_command))
    app.add_handler(CallbackQueryHandler(stale_button))
