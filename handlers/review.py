"""/duyet (/review): the moderators' queue, one item at a time, in a private chat."""

from __future__ import annotations

import contextlib

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import AnninhContext
from bot.i18n import has
from bot.render import keyboard, render_html, truncate
from handlers.common import profile_of, reply
from services.errors import AnninhError
from services.ports import Html
from services.review import CALLBACK_PREFIX, NEXT_ACTION, ReviewCard
from services.text_input import whole_number


def _card_text(context: AnninhContext, card: ReviewCard) -> str:
    return truncate(render_html(card.key, context.locale, card.args))


async def _send_card(update: Update, context: AnninhContext, card: ReviewCard | None) -> None:
    chat = update.effective_chat
    assert chat is not None
    if card is None:
        await reply(update, context, "review-empty")
        return
    await context.bot.send_message(
        chat.id,
        _card_text(context, card),
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard(card.buttons, context.locale),
    )


async def review(update: Update, context: AnninhContext) -> None:
    """Queue counts per area, then the first item."""
    profile = profile_of(context)
    chat = update.effective_chat
    if chat is None or chat.type != "private":
        await reply(update, context, "error-private-only")
        return
    overview = await context.services.review.overview(profile)
    lines = "\n".join(
        context.text("review-count-line", area=c.area.name, count=c.count) for c in overview.counts
    )
    await reply(
        update,
        context,
        "review-overview",
        total=sum(c.count for c in overview.counts),
        lines=Html(lines),
    )
    await _send_card(update, context, overview.card)


async def review_button(update: Update, context: AnninhContext) -> None:
    """rv:<item>:<action>. Rights and status are checked again by the service."""
    profile = profile_of(context)
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":")
    item_id = whole_number(parts[1]) if len(parts) == 3 else None
    if item_id is None or not parts[2].isascii():
        await query.answer(context.text("error-button-expired"), show_alert=True)
        return
    action = parts[2]
    if action == NEXT_ACTION:
        await query.answer()
        await _send_card(
            update, context, await context.services.review.next_card(profile, item_id)
        )
        return
    try:
        outcome = await context.services.review.act(profile, item_id, action)
    except AnninhError as error:
        await query.answer(
            context.text(error.message_key, **error.args_for_message)[:190], show_alert=True
        )
        return
    await query.answer(context.text("review-done"))
    if query.message is not None:
        # The message may be too old to edit or deleted: the outcome is recorded anyway.
        with contextlib.suppress(BadRequest):
            await query.edit_message_reply_markup(reply_markup=None)
    await reply(
        update,
        context,
        "review-acted",
        id=outcome.item.id,
        action=context.text(
            f"review-action-{action}" if has(f"review-action-{action}") else "review-action-other"
        ),
    )
    await _send_card(update, context, outcome.next_card)


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["duyet", "review"], review))
    app.add_handler(CallbackQueryHandler(review_button, pattern=rf"^{CALLBACK_PREFIX}:"))
