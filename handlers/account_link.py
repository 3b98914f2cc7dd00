"""/lienkettaikhoan (/linkaccount): link this Telegram account with the person's Zalo account.

Without an argument it shows a 6-digit code valid for 10 minutes, to be typed on Zalo
("lienket 123456"); with a code (shown on Zalo by "lienket") it asks to link the other way
round. Either way both sides confirm, each seeing the other account's name
(``acct:yes|no:<request>`` buttons; services/zalo.py checks who presses). Private chat only:
a code must not be seen by a group.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import AnninhContext
from bot.render import keyboard
from handlers.common import profile_of, reply
from services.zalo import LINK_PREFIX, link_buttons

TELEGRAM = "telegram"


async def link_account(update: Update, context: AnninhContext) -> None:
    profile = profile_of(context)
    chat = update.effective_chat
    if chat is None or chat.type != "private":
        await reply(update, context, "error-private-only")
        return
    zalo = context.services.zalo
    if not context.args:
        code = await zalo.issue_code(profile.user.id, TELEGRAM)
        await reply(
            update, context, "zalo-link-code-telegram", code=code.code, minutes=code.minutes
        )
        return
    proposal = await zalo.redeem(profile.user.id, TELEGRAM, " ".join(context.args))
    await reply(
        update,
        context,
        "zalo-link-confirm-claim",
        name=proposal.name,
        channel=proposal.channel,
        reply_markup=keyboard(link_buttons(proposal.request_id), context.locale),
    )


async def on_button(update: Update, context: AnninhContext) -> None:
    """Yes or no to a link request, from the account that typed the code or its owner."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _prefix, choice, raw_id = query.data.split(":")
    profile = profile_of(context)
    answer = await context.services.zalo.answer(profile.user.id, int(raw_id), choice == "yes")
    await query.answer()
    if answer.outcome == "waiting":
        await reply(update, context, "zalo-link-waiting", channel=answer.channel)
    elif answer.outcome == "linked":
        assert answer.user is not None
        await reply(update, context, "zalo-link-done", name=answer.user.display_name)
    else:
        await reply(update, context, "zalo-link-cancelled")


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["lienkettaikhoan", "linkaccount"], link_account))
    app.add_handler(
        CallbackQueryHandler(on_button, pattern=rf"^{LINK_PREFIX}:(yes|no):\d{{1,12}}$")
    )
