"""Starting the console: inside the bot's process and event loop (``anninh run`` with
WEB_PORT set, ``anninh demo``), or alone (``anninh web``) beside a bot running elsewhere on
the same database."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import TYPE_CHECKING

from telegram import Bot

from web.app import ConsoleConfig, ConsoleServer, build_console
from web.media import BotFiles

if TYPE_CHECKING:
    from bot.settings import Settings
    from bot.wiring import Services

logger = logging.getLogger(__name__)


async def start_console(
    services: Services,
    bot: Bot | None,
    settings: Settings,
    *,
    port: int | None = None,
    demo: bool = False,
) -> ConsoleServer:
    """Serve the console on ``port`` (default WEB_PORT) until ``stop()``."""
    config = ConsoleConfig.from_settings(
        settings, bot_username=bot.username if bot is not None else None, demo=demo
    )
    app = build_console(services, BotFiles(bot), config)
    server = ConsoleServer(app, settings.web_listen, port or settings.web_port or 8080)
    await server.start()
    return server


async def run_alone(settings: Settings) -> None:
    """``anninh web``: the console and nothing else until interrupted. Actions still tell
    reporters and police on Telegram (through the same bot token); Zalo reporters are told
    by the bot process, which runs the Zalo channel."""
    from bot.sender import TelegramSender
    from bot.wiring import build_services
    from storage import migrate
    from zalo.sender import ChannelRouter

    bot = Bot(
        settings.require_token(),
        base_url=settings.bot_api_base_url,
        base_file_url=settings.bot_api_file_url,
    )
    await bot.initialize()
    services = build_services(settings, ChannelRouter(TelegramSender(bot), None))
    await migrate.upgrade(services.engine)
    server = await start_console(services, bot, settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    logger.info("console ready at %s", settings.console_url)
    try:
        await stop.wait()
    finally:
        await server.stop()
        await services.close()
        await bot.shutdown()
