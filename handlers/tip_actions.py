"""The buttons on a tip: ``tip:<action>:<report id>[:<version>]``, on inbox cards (with the
version the officer was looking at) and on the tips feature's new-tip notifications in police
chats (without), and ``tipscam:<report id>:<indicator id>:<1|0>`` under the list of a fraud
tip's indicators, to confirm each on its own. Rights are those of the person who pressed,
never of the chat."""

from __future__ import annotations

import contextlib

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler

from bot.context import AnninhContext
from bot.i18n import t
from bot.render import keyboard
from handlers.common import edit_in_place, profile_of, reply, valid_press
from handlers.conversation import show_step
from handlers.inbox import card_view
from handlers.recognition import thanks_reply_key
from services.inbox_model import (
    ACTIONS,
    SCAM_CHOICE_PREFIX,
    ScamChoices,
    parse_callback,
    parse_scam_choice,
    scam_choice_buttons,
)
from services.ports import Html, InlineButton, L10n
from services.relay_model import RELAY_INPUT, PendingAction

ASKS = {
    "handled": (PendingAction.HANDLED_NOTE, "tipact-ask-note"),
    "reject": (PendingAction.REJECT_REASON, "tipact-ask-reason"),
    "reply": (PendingAction.RELAY_QUESTION, "tipact-ask-question"),
}


async def on_tip_button(update: Update, context: AnninhContext) -> None:
    """Check again, then act (or ask for the note / reason / question first)."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    action, report_id, version = valid_press(parse_callback(query.data))
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
        sent = await reply(
            update, context, key, reply_markup=keyboard([row], context.locale), code=prompt.code
        )
        # The prompt of an earlier request (now replaced) loses its buttons.
        await show_step(context, RELAY_INPUT, profile.user.id, prompt.turn, sent)
        return
    if action == "scam":
        choices = await context.services.inbox_actions.scam_choices(
            profile, report_id, version, chat_id=chat_id
        )
        await query.answer()
        text, markup = scam_choices_view(context, choices)
        await context.bot.send_message(
            chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup
        )
        return
    if action == "helpful":
        thanked = await context.services.recognition.mark_helpful(report_id, profile)
        await query.answer()
        await reply(update, context, thanks_reply_key(thanked), code=thanked.report_code)
        return
    outcome = await context.services.inbox_actions.act(
        profile, action, report_id, version, chat_id=chat_id
    )
    if action == "nonote":
        await context.services.relay.cancel(
            chat_id, profile.user.id, pressed=query.message.message_id
        )
    report = outcome.report
    # The toast says what this press did (not merely the status the tip now has).
    await query.answer(context.text(f"tipact-done-{action}", code=report.code)[:190])
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
    elif action == "review":
        await reply(update, context, "tipact-review-queued", code=report.code)
    elif action == "restore":
        await reply(update, context, "tipact-restored", code=report.code)
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
    """The pressed inbox card (its buttons carry a version) is redrawn in place at once, for
    the presser; every recorded message showing the tip, this one included, is redrawn by
    services.tip_cards after the change."""
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


def scam_choices_view(
    context: AnninhContext, choices: ScamChoices
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The tip's indicators, what is known of each, and one button each."""
    lines = "\n".join(
        context.text("inbox-card-indicator", display=link.indicator.display, state=link.state)
        for link in choices.links
    )
    text = context.text("tipact-scam-choose", code=choices.report.code, lines=Html(lines))
    return text, keyboard(scam_choice_buttons(choices), context.locale)


async def on_scam_choice(update: Update, context: AnninhContext) -> None:
    """An officer confirms one indicator of a fraud tip (or takes it back)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    report_id, indicator_id, confirm = valid_press(parse_scam_choice(query.data))
    profile = profile_of(context)
    assert query.message is not None
    choices, outcome = await context.services.inbox_actions.confirm_indicator(
        profile, report_id, indicator_id, chat_id=query.message.chat.id, confirmed=confirm
    )
    if confirm:
        key = "scam-confirm-done" if outcome.changed else "scam-confirm-already"
    else:
        key = "scam-unconfirm-done"
    await query.answer(t(key, profile.locale, display=outcome.indicator.display)[:190])
    text, markup = scam_choices_view(context, choices)
    await edit_in_place(query, text, markup)


def register(app: Application) -> None:  # type: ignore[type-arg]
    actions = "|".join(ACTIONS)
    app.add_handler(
        CallbackQueryHandler(on_tip_button, pattern=rf"^tip:({actions}):\d{{1,9}}(:\d{{1,9}})?$")
    )
    app.add_handler(
        CallbackQueryHandler(
            on_scam_choice, pattern=rf"^{SCAM_CHOICE_PREFIX}:\d{{1,9}}:\d{{1,9}}:[01]$"
        )
    )
