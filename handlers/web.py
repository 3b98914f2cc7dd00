"""/web (/console): a one-time link to the police console, in a private chat only."""

from __future__ import annotations

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CommandHandler

from bot.context import AnninhContext
from handlers.common import profile_of, reply
from services.web_signin import LINK_TTL


async def web_command(update: Update, context: AnninhContext) -> None:
    """Send the link (police and admins); a group is told to ask in private."""
    profile = profile_of(context)
    chat = update.effective_chat
    if chat is None or chat.type != "private":
        await reply(update, context, "web-private-only")
        return
    base = context.services.settings.console_url
    if base is None:
        await reply(update, context, "web-not-configured")
        return
    link = await context.services.web_signin.issue_link(profile)
    await context.bot.send_message(
        chat.id,
        context.text(
            "web-link",
            url=f"{base}/login/{link.token}",
            minutes=int(LINK_TTL.total_seconds() // 60),
        ),
        parse_mode=ParseMode.HTML,
        # No preview: the link is for the officer, not for a preview fetcher.
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["web", "console"], web_command))
