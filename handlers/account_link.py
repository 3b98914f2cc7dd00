"""/lienkettaikhoan (/linkaccount): link this Telegram account with the person's Zalo account.

Without an argument it shows a 6-digit code valid for 10 minutes, to be typed on Zalo
("lienket 123456"); with a code (shown on Zalo by "lienket") it links the other way round.
Private chat only: a code must not be seen by a group.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import AnninhContext
from handlers.common import profile_of, reply
from handlers.start import HELP_LINES

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
    linked = await zalo.redeem(profile.user.id, TELEGRAM, " ".join(context.args))
    await reply(update, context, "zalo-link-done", name=linked.user.display_name)


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["lienkettaikhoan", "linkaccount"], link_account))
    if "zalo-link-help" not in HELP_LINES:
        HELP_LINES.append("zalo-link-help")
