"""One error handler: domain errors become a polite message in the user's language; anything
else is logged with its traceback and answered with a generic apology."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError

from bot.context import AnninhContext
from handlers.common import identify, reply
from services.errors import AnninhError, StorageUnavailable

logger = logging.getLogger(__name__)


async def on_error(update: object, context: AnninhContext) -> None:
    error = context.error
    if not isinstance(update, Update):
        logger.warning("error outside an update: %r", error)
        return
    if context.profile is None and not isinstance(error, StorageUnavailable):
        # PTB hands the error handler a fresh context: find the sender again, so the message
        # is in their language (without it, the default language).
        with contextlib.suppress(Exception):
            await identify(update, context)
    try:
        if isinstance(error, AnninhError):
            await _answer(update, context, error.message_key, **error.args_for_message)
        elif isinstance(error, StorageUnavailable):
            logger.error("database unavailable while handling update %s", update.update_id)
            await _answer(update, context, "error-database-unavailable")
        elif isinstance(error, Forbidden):
            logger.info("user unreachable (blocked the bot or left): %s", error.message)
        elif isinstance(error, NetworkError):
            logger.warning("network error talking to the Bot API: %s", error)
        else:
            logger.error("unhandled error in update %s", update.update_id, exc_info=error)
            await _answer(update, context, "error-generic")
    except Exception:  # the apology itself failed (chat gone, API down): nothing more to do
        logger.warning("could not tell the user about an error", exc_info=True)


async def tell(update: Update, context: AnninhContext, error: AnninhError) -> None:
    """Answer a domain error as the error handler would, for a handler that must stop the
    update's other handlers itself (an exception that reaches PTB lets them run on)."""
    await _answer(update, context, error.message_key, **error.args_for_message)


async def _answer(
    update: Update, context: AnninhContext, key: str, /, **args: object
) -> None:
    # Positional-only: an error's own arguments may be called "key" or "update".
    if update.callback_query is not None:
        try:
            await update.callback_query.answer(context.text(key, **args)[:190], show_alert=True)
            return
        except BadRequest:
            pass  # the handler already answered the press, or it is too old: say it in the chat
    await reply(update, context, key, **args)
