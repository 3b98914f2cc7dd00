"""Starting the console in the running event loop: the bot's own (``anninh run`` with WEB_PORT
set, ``anninh demo``), or its own (``anninh web``, bot.app.run_console_alone)."""

from __future__ import annotations

import logging
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
