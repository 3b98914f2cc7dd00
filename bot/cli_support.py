"""What every `anninh` command shares: the settings, a start-up failure as one line, and the
services opened on the database for one command."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click

from bot.i18n import t
from bot.message_args import plain_args
from bot.settings import Settings, SettingsError, load_settings
from services.errors import AnninhError
from storage.uow import StorageUnavailable

T = TypeVar("T")


def settings_or_exit() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


def started(settings: Settings, start: Callable[[], T]) -> T:
    """Run ``start``; a start-up failure (database, Bot API, token, webhook port) becomes one
    line saying what to set, with a non-zero exit status, instead of a traceback."""
    try:
        return start()
    except Exception as exc:
        from bot.startup import explain  # only now: it imports the Telegram library

        message = explain(exc, settings)
        if message is None:
            raise
        raise click.ClickException(message) from None


def with_services(fn: Callable[..., Awaitable[T]], *, migrate_first: bool = True) -> T:
    """Open the database (migrated to head unless told otherwise), run ``fn(services)``,
    close it."""
    from bot.sender import OfflineSender
    from bot.wiring import build_services
    from storage import migrate

    settings = settings_or_exit()

    async def main() -> T:
        services = build_services(settings, OfflineSender())
        try:
            if migrate_first:
                await migrate.upgrade(services.engine)
            return await fn(services)
        finally:
            await services.close()

    try:
        return started(settings, lambda: asyncio.run(main()))
    except AnninhError as exc:
        raise click.ClickException(
            t(
                exc.message_key,
                settings.default_language,
                **plain_args(exc.args_for_message, settings.default_language),
            )
        ) from None
    except StorageUnavailable as exc:
        raise click.ClickException(f"database unavailable: {exc}") from None
