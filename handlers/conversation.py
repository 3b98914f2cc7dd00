"""The Telegram side of the conversation engine (services/conversation.py): after a step's
message is sent it is recorded as the current step's, and the previous step's message loses
its buttons, so only the current step's buttons are live."""

from __future__ import annotations

import contextlib
from typing import Any

from telegram import Message
from telegram.error import TelegramError

from bot.context import AnninhContext
from services.conversation import Flow, Prompt, Turn


def may_converse(context: AnninhContext) -> bool:
    """False when the sender, as read at the start of the update, is in no conversation of
    the engine: then there is no draft to read."""
    return context.arrival is None or context.arrival.conversing


async def show_step(
    context: AnninhContext,
    flow: Flow[Any],
    user_id: int,
    turn: Turn[Any],
    sent: Message | None,
    *,
    closed: Message | None = None,
) -> None:
    """Record ``sent`` as the message asking ``turn``'s step and take the buttons off the
    one before it (unless that is ``closed``, a message the caller has just edited without)."""
    if sent is None:
        return
    old = await context.services.conversations.shown(
        flow, user_id, turn, sent.chat_id, sent.message_id
    )
    await take_buttons_off(context, old, closed=closed)


async def take_buttons_off(
    context: AnninhContext, old: Prompt | None, *, closed: Message | None = None
) -> None:
    """The previous step's message loses its buttons (unless it is ``closed``, a message the
    caller has just edited without them)."""
    if old is None or (closed is not None and closed.message_id == old.message_id):
        return
    with contextlib.suppress(TelegramError):  # too old to edit, deleted: nothing left to press
        await context.bot.edit_message_reply_markup(old.chat_id, old.message_id, reply_markup=None)
