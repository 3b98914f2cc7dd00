"""The commands Telegram shows in its "/" menu, per audience.

Residents see resident commands; groups see group commands; a police officer or moderator gets
their own private-chat menu (set when they /start), so nobody is shown commands they can't use.
"""

from __future__ import annotations

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
)

from bot.i18n import SUPPORTED_LOCALES, t
from services.domain import Role

# (command, catalogue key of its description)
RESIDENT: list[tuple[str, str]] = [
    ("start", "command-start"),
    ("baotin", "tip-command-baotin"),
    ("canhbaolua", "tip-command-canhbaolua"),
    ("tincuatoi", "mytips-command"),
    ("kiemtra", "scam-command-kiemtra"),
    ("lienhe", "contact-command"),
    ("thutuc", "faq-command"),
    ("khuvuc", "onb-command-area"),
    ("dangky", "onb-command-subscribe"),
    ("huy", "tip-command-huy"),
    ("lienkettaikhoan", "zalo-link-command"),
    ("language", "command-language"),
    ("help", "command-help"),
]
MODERATOR: list[tuple[str, str]] = [
    ("duyet", "review-command"),
    ("nhatky", "audit-command"),
    ("thongke", "stats-command"),
    ("web", "web-command"),
]
POLICE: list[tuple[str, str]] = [
    ("hopthu", "inbox-command"),
    ("phatcanhbao", "adv-command"),
    ("lichphat", "adv-command-schedules"),
    ("thuhoi", "adv-command-retract"),
]
GROUP: list[tuple[str, str]] = [
    ("kiemtra", "scam-command-kiemtra"),
    ("baocao", "mod-command-report"),
    ("lienket", "group-command-link"),
    ("canhbaotudong", "scam-command-canhbaotudong"),
    ("baocaotuan", "stats-command-digest"),
    ("help", "command-help"),
]

ALL: list[tuple[str, str]] = list(dict.fromkeys(RESIDENT + MODERATOR + POLICE + GROUP))

ENGLISH_NAMES: dict[str, str] = {
    "baotin": "tip",
    "canhbaolua": "scam",
    "tincuatoi": "mytips",
    "kiemtra": "check",
    "lienhe": "contacts",
    "thutuc": "faq",
    "khuvuc": "area",
    "dangky": "subscribe",
    "huy": "cancel",
    "lienkettaikhoan": "linkaccount",
    "duyet": "review",
    "nhatky": "audit",
    "thongke": "stats",
    "hopthu": "inbox",
    "phatcanhbao": "broadcast",
    "lichphat": "schedules",
    "thuhoi": "retract",
    "baocao": "report",
    "lienket": "link",
    "canhbaotudong": "autowarn",
    "baocaotuan": "digest",
}
"""The English alias of each Vietnamese command (every one is registered under both names):
the English menu shows these, as English texts do."""


def menu(commands: list[tuple[str, str]], locale: str) -> list[BotCommand]:
    """A "/" menu in ``locale``: English names and descriptions in English."""
    return [
        BotCommand(ENGLISH_NAMES.get(name, name) if locale == "en" else name, t(key, locale))
        for name, key in commands
    ]


def for_roles(roles: set[Role]) -> list[tuple[str, str]]:
    """A private-chat menu: the resident's commands plus those of the user's roles."""
    commands = list(RESIDENT)
    if roles & {Role.MODERATOR, Role.POLICE, Role.ADMIN}:
        commands[1:1] = MODERATOR
    if roles & {Role.POLICE, Role.ADMIN}:
        commands[1:1] = POLICE
    return commands


async def _set(bot: Bot, commands: list[tuple[str, str]], scope: BotCommandScope) -> None:
    for locale in SUPPORTED_LOCALES:
        await bot.set_my_commands(
            menu(commands, locale),
            scope=scope,
            language_code=None if locale == "vi" else locale,
        )


async def publish(bot: Bot) -> None:
    """The menus everyone gets: residents' in private chats, the group one in groups."""
    await _set(bot, RESIDENT, BotCommandScopeAllPrivateChats())
    await _set(bot, GROUP, BotCommandScopeAllGroupChats())


async def publish_for_user(bot: Bot, chat_id: int, roles: set[Role]) -> None:
    """A privileged user's own private-chat menu."""
    await _set(bot, for_roles(roles), BotCommandScopeChat(chat_id))
