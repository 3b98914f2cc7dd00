"""The "/" menus Telegram shows: every listed command exists, is described in both languages,
and each audience sees only what it may use."""

from __future__ import annotations

from telegram.ext import CommandHandler

from bot import commands, i18n
from bot.app import build_application
from bot.settings import load_settings
from storage.models import Role


def _registered_commands() -> set[str]:
    app = build_application(
        load_settings(bot_token="1:x", database_url="sqlite+aiosqlite:///:memory:")
    )
    found: set[str] = set()
    for handlers in app.handlers.values():
        for handler in handlers:
            if isinstance(handler, CommandHandler):
                found |= set(handler.commands)
    return found


def test_every_menu_command_is_handled_and_described() -> None:
    registered = _registered_commands()
    for name, key in commands.ALL:
        assert name in registered, f"/{name} is in a menu but no handler answers it"
        for locale in i18n.SUPPORTED_LOCALES:
            assert i18n.has(key, locale), f"{key} missing in {locale}"
            assert 3 <= len(i18n.t(key, locale)) <= 256  # Telegram's limits for descriptions


def test_residents_are_not_shown_police_commands() -> None:
    resident = {name for name, _ in commands.for_roles(set())}
    moderator = {name for name, _ in commands.for_roles({Role.MODERATOR})}
    police = {name for name, _ in commands.for_roles({Role.POLICE})}
    assert "hopthu" not in resident and "duyet" not in resident
    assert "duyet" in moderator and "hopthu" not in moderator
    assert {"hopthu", "phatcanhbao", "duyet", "thongke"} <= police
    assert resident < moderator < police
