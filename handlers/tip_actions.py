"""The buttons on a tip: ``tip:<action>:<report id>[:<version>]``, on inbox cards (with the
version the officer was looking at) and on the tips feature's new-tip notifications in police
chats (without). Rights are those of the person who pressed, never of the chat."""

from __future__ import annotations

import contextlib

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler

from bot.context import AnninhContext
from bot.render import keyboard
from handlers.common import profile_of, reply
from handlers.inbox import card_view
from handlers.recognition import thanks_reply_key
from services.inbox import ACTIONS, parse_callback
from services.ports import InlineButton, L10n
from storage.models import PendingAction

ASKS = {
    "handled": (PendingAction.HANDLED_NOTE, "tipact-ask-note"),
    "reject": (PendingAction.REJECT_REASON, "tipact-ask-reason"),
    "reply": (PendingAction.RELAY_QUESTION, "tipact-ask-question"),
}


async def on_tip_button(update: Update, context: AnninhContext) -> None:
    """Check again, then act (or ask for the note / reason / question first)."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    parsed = parse_callback(query.data)
    if parsed is None:
        await query.answer(context.text("error-button-expired"), show_alert=True)
        return
    action, report_id, version = parsed
    profile = profile_of(context)
    chat_id = query.message.chat.id
    if action in ASKS:
        pending, key = ASKS[action]
        prompt = await context.services.relay.request(
            profile,
            pending,
            report_id,
            version,
            chat_id=chat_id,
            anchor_message_id=query.message.message_id,
        )
        await query.answer()
        row = [InlineButton("tipact-button-cancel", f"relay:cancel:{report_id}")]
        if action == "handled":
            tail = f"{report_id}:{version}" if version is not None else str(report_id)
            row.insert(0, InlineButton("tipact-button-nonote", f"tip:nonote:{tail}"))
        await reply(
            update, context, key, reply_markup=keyboard([row], context.locale), code=prompt.code
        )
        return
    if action == "helpful":
        thanked = await context.services.recognition.mark_helpful(report_id, profile)
        await query.answer()
        await reply(update, context, thanks_reply_key(thanked), code=thanked.report_code)
        return
    outcome = await context.services.inbox.act(
        profile, action, report_id, version, chat_id=chat_id
    )
    if action == "nonote":
        await context.services.relay.cancel(chat_id, profile.user.id)
    report = outcome.report
    await query.answer(
        context.text("tipact-done-short", status=L10n(f"tip-status-{report.status.value}"))[:190]
    )
    if action != "escalate":  # an escalated tip may have left the officer's areas
        await refresh_card(update, context, report.id, version)
    if action == "escalate":
        await reply(
            update,
            context,
            "tipact-escalated",
            code=report.code,
            area=outcome.detail,
            officer=profile.user.display_name,
        )
    elif action == "scam":
        await reply(
            update, context, "tipact-scam-confirmed", code=report.code, count=outcome.detail
        )
    elif action == "review":
        await reply(update, context, "tipact-review-queued", code=report.code)
    else:
        await reply(
            update,
            context,
            "tipact-done",
            code=report.code,
            status=L10n(f"tip-status-{report.status.value}"),
            officer=profile.user.display_name,
        )


async def refresh_card(
    update: Update, context: AnninhContext, report_id: int, version: int | None
) -> None:
    """An inbox card (its buttons carry a version) is redrawn in place with the new state;
    a new-tip notification keeps its own text."""
    query = update.callback_query
    if query is None or query.message is None or version is None:
        return
    card = await context.services.inbox.card(
        profile_of(context), report_id, chat_id=query.message.chat.id
    )
    text, markup = card_view(context, card)
    # Unchanged or too old to edit: the confirmation message is enough.
    with contextlib.suppress(BadRequest):
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)


def register(app: Application) -> None:  # type: ignore[type-arg]
    actions = "|".join(ACTIONS)
    app.add_handler(
        CallbackQueryHandler(on_tip_button, pattern=rf"^tip:({actions}):\d{{1,9}}(:\d{{1,9}})?$")
    )
