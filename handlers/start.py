"""/start, /help and /language: the first things a user meets."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from types import MappingProxyType

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler

from bot import commands
from bot.context import AnninhContext
from bot.i18n import t
from handlers import onboarding
from handlers.common import profile_of, reply
from handlers.menu import button_filter, keyboard_for
from services.access import Profile
from services.domain import Role
from services.ports import Html

HELP_LINES: tuple[str, ...] = (
    "help-command-start",
    "help-command-help",
    "help-command-language",
    "tip-help-baotin",
    "tip-help-canhbaolua",
    "mytips-help",
    "tip-help-huy",
    "scam-help-kiemtra",
    "scam-help-canhbaotudong",
    "mod-help-report",
    "mod-help-moderate",
    "group-help-link",
    "group-help-grant",
    "review-help",
    "audit-help",
    "help-adv",
    "help-adv-schedules",
    "help-adv-retract",
    "inbox-help",
    "onb-help-area",
    "onb-help-subscribe",
    "contact-help",
    "faq-help",
    "stats-help",
    "stats-help-digest",
    "zalo-link-help",
    "web-help",
)
"""Catalogue keys of the /help lines, in the order /help shows them: one declared table, as
the main keyboard's (handlers/menu.MENU), not lines each feature appends when it registers."""

HELP_ROLES: dict[str, Role] = {
    "scam-help-canhbaotudong": Role.MODERATOR,
    "mod-help-moderate": Role.MODERATOR,
    "review-help": Role.MODERATOR,
    "audit-help": Role.MODERATOR,
    "stats-help": Role.MODERATOR,
    "stats-help-digest": Role.POLICE,
    "inbox-help": Role.POLICE,
    "help-adv": Role.POLICE,
    "help-adv-schedules": Role.POLICE,
    "help-adv-retract": Role.POLICE,
    "group-help-link": Role.POLICE,
    "group-help-grant": Role.POLICE,
    "web-help": Role.POLICE,
}
"""/help lines only some people can use, and the role they need (any other line is for
everyone). The same audiences as the "/" menus of :mod:`bot.commands`."""


def help_keys(profile: Profile) -> list[str]:
    """The /help lines of the commands this person can use (roles imply weaker ones)."""
    return [key for key in HELP_LINES if key not in HELP_ROLES or profile.has_any(HELP_ROLES[key])]


StartPayloadHandler = Callable[[Update, AnninhContext, str], Awaitable[None]]
START_PAYLOADS: Mapping[str, StartPayloadHandler] = MappingProxyType(
    {"baotin": onboarding.tip_payload, "*": onboarding.offer_from_payload}
)
"""Deep links ``t.me/<bot>?start=<payload>``, by payload word (lower case); ``"*"`` takes any
other payload (onboarding: an area code from a QR poster). The handler runs after the
greeting, which every /start gets."""


def _role_text(profile: Profile, context: AnninhContext) -> str:
    parts = []
    if profile.is_superadmin or Role.ADMIN in profile.roles:
        parts.append(context.text("start-role-admin"))
    for role, key in (
        (Role.POLICE, "start-role-police"),
        (Role.MODERATOR, "start-role-moderator"),
    ):
        if role in profile.roles:
            names = ", ".join(a.name for a in profile.areas_for(role))
            parts.append(context.text(key, areas=names))
    if not parts:
        parts.append(context.text("start-role-resident"))
    return "\n\n".join(parts)


async def start(update: Update, context: AnninhContext) -> None:
    """Greet the user and explain what the bot does for their role."""
    profile = profile_of(context)
    chat = update.effective_chat
    if chat is not None and chat.type != "private":
        await reply(update, context, "start-group")
        return
    text = "\n\n".join(
        [
            context.text("start-greeting", name=profile.user.first_name or ""),
            _role_text(profile, context),
            context.text("start-emergency"),
            context.text("start-menu-hint"),
        ]
    )
    assert update.effective_message is not None
    await update.effective_message.reply_html(text, reply_markup=keyboard_for(profile))
    if profile.roles:
        await commands.publish_for_user(
            context.bot, update.effective_message.chat_id, profile.roles
        )
    if context.args:
        payload = context.args[0]
        handler = START_PAYLOADS.get(payload.lower()) or START_PAYLOADS.get("*")
        if handler is not None:
            await handler(update, context, payload)


async def help_command(update: Update, context: AnninhContext) -> None:
    """List the commands."""
    lines = "\n".join(context.text(key) for key in help_keys(profile_of(context)))
    await reply(update, context, "help-text", commands=Html(lines))


async def language(update: Update, context: AnninhContext) -> None:
    """/language [vi|en]: set the language, or offer buttons."""
    profile = profile_of(context)
    if context.args:
        chosen = await context.services.users.set_language(profile.user.id, context.args[0])
        await _confirm_language(update, context, chosen)
        return
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(t("language-name-vi", "vi"), callback_data="lang:vi"),
                InlineKeyboardButton(t("language-name-en", "en"), callback_data="lang:en"),
            ]
        ]
    )
    await reply(update, context, "language-current", reply_markup=buttons)


async def language_button(update: Update, context: AnninhContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    profile = profile_of(context)
    chosen = await context.services.users.set_language(profile.user.id, query.data.split(":")[1])
    await query.answer()
    await _confirm_language(update, context, chosen)


async def _confirm_language(update: Update, context: AnninhContext, chosen: str) -> None:
    profile = profile_of(context)
    context.profile = await context.services.users.profile_of(profile.user.id)
    new_profile = profile_of(context)
    chat = update.effective_chat
    markup = keyboard_for(new_profile) if chat is not None and chat.type == "private" else None
    await reply(update, context, "language-set", reply_markup=markup)


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler(["help", "huongdan", "trogiup"], help_command))
    app.add_handler(MessageHandler(button_filter("button-help"), help_command))
    app.add_handler(CommandHandler(["language", "ngonngu"], language))
    app.add_handler(MessageHandler(button_filter("button-language"), language))
    app.add_handler(CallbackQueryHandler(language_button, pattern=r"^lang:(vi|en)$"))
