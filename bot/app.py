"""Composition root: the only place that builds the Application, the engine and the services."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults, ExtBot

from bot import commands
from bot.context import AnninhContext
from bot.group_actions import TelegramGroupActions
from bot.send_limiter import BudgetRateLimiter, telegram_limits
from bot.sender import TelegramSender
from bot.settings import Settings
from bot.update_processor import PerChatUpdateProcessor
from bot.webhook import WebhookReceiver, start_webhook
from bot.wiring import build_services
from handlers.registry import register_handlers
from handlers.tip_card_render import TelegramCardRenderer
from scheduler import verification as verification_timers
from scheduler.advisories import BOT_DATA_KEY as ADVISORY_SCHEDULER_KEY
from scheduler.advisories import start_advisory_scheduler
from scheduler.digest import register_digest_jobs
from scheduler.outbox import register_outbox_jobs
from scheduler.tips import register_tip_routing_jobs
from storage import migrate
from storage.send_budget import SendBudget, SendLimits, account_of
from zalo.runtime import channels, start_zalo, zalo_channel
from zalo.sender import ChannelRouter
from zalo_oa.runtime import oa_channel, start_oa_channel

logger = logging.getLogger(__name__)
ZALO_KEY = "zalo_runtime"
ZALO_OA_KEY = "zalo_oa_runtime"
CONSOLE_KEY = "console_server"

# Time periods from the Bot API (RetryAfter.retry_after, durations) as timedelta, which PTB
# will make the default: our code reads both forms, and this silences the deprecation warning
# PTB gives on every 429 otherwise.
os.environ.setdefault("PTB_TIMEDELTA", "1")

AnninhApplication = Application[Any, AnninhContext, Any, Any, Any, Any]


def send_limiter(settings: Settings, limits: SendLimits | None = None) -> BudgetRateLimiter:
    """The rate limiter of the token's Bot: its send budget, shared through Redis with every
    instance when REDIS_URL is set."""
    redis_url = settings.redis_url.get_secret_value().strip() if settings.redis_url else None
    budget = SendBudget(
        account_of("telegram", settings.require_token()),
        limits or telegram_limits(settings.telegram_send_rate),
        redis_url=redis_url or None,
    )
    return BudgetRateLimiter(budget)


def build_application(
    settings: Settings, *, send_limits: SendLimits | None = None
) -> AnninhApplication:
    """Build the PTB Application. Resources (engine, migrations, services) are created in
    ``post_init`` so that nothing happens at import time and tests build their own.

    Its Bot is the only one for the token: replies, notifications and advisories all go
    through it and its :class:`BudgetRateLimiter` (``send_limits``: Telegram's, at
    TELEGRAM_SEND_RATE overall, unless given)."""
    builder = (
        ApplicationBuilder()
        .token(settings.require_token())
        .base_url(settings.bot_api_base_url)
        .base_file_url(settings.bot_api_file_url)
        .context_types(ContextTypes(context=AnninhContext))
        # A reply to a message deleted meanwhile is still delivered, just without the quote.
        .defaults(Defaults(tzinfo=settings.tz, allow_sending_without_reply=True))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .concurrent_updates(PerChatUpdateProcessor(settings.update_concurrency))
        .rate_limiter(send_limiter(settings, send_limits))
    )
    app = builder.build()
    app.bot_data["settings"] = settings
    register_handlers(app)
    return app  # type: ignore[return-value]


async def _post_init(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Every part of the bot process, started in order: the services (built once, frozen),
    the database schema, the Zalo bot and Official Account, the FAQ seed, the verification
    deadlines, the advisory scheduler, the digest, tip-routing and outbox jobs, the console,
    the command menus. :func:`_post_shutdown` stops what runs, in reverse."""
    settings: Settings = app.bot_data["settings"]
    zalo, oa = zalo_channel(settings), oa_channel(settings)
    services = build_services(
        settings,
        None,
        channels=channels(TelegramSender(app.bot), zalo, oa),
        group_actions=TelegramGroupActions(app.bot),  # moderation's hands
        card_renderer=TelegramCardRenderer(settings.tz),
    )
    app.bot_data["services"] = services  # closed by _post_shutdown even if migrating fails
    await migrate.upgrade(services.engine)
    if isinstance(app.update_processor, PerChatUpdateProcessor):
        app.update_processor.skip_handled(services.handled_updates, app.bot.id)
    app.bot_data[ZALO_KEY] = await start_zalo(services, zalo)
    app.bot_data[ZALO_OA_KEY] = await start_oa_channel(services, oa)
    await services.faq.seed_if_empty()
    await verification_timers.rearm_all(app)
    app.bot_data[ADVISORY_SCHEDULER_KEY] = await start_advisory_scheduler(app, services)
    register_digest_jobs(app)
    register_tip_routing_jobs(app)
    register_outbox_jobs(app)
    if settings.web_port:
        from web.server import start_console

        app.bot_data[CONSOLE_KEY] = await start_console(services, app.bot, settings)
    await _publish_commands(app)
    logger.info("anninh ready as @%s", app.bot.username)


async def _publish_commands(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await commands.publish(app.bot)


async def _post_shutdown(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Stop what :func:`_post_init` started (the jobs stop with the Application's JobQueue)."""
    services = app.bot_data.get("services")
    console = app.bot_data.pop(CONSOLE_KEY, None)
    if console is not None:
        await console.stop()
    zalo = app.bot_data.pop(ZALO_KEY, None)
    if zalo is not None:
        await zalo.stop()
    zalo_oa = app.bot_data.pop(ZALO_OA_KEY, None)
    if zalo_oa is not None:
        await zalo_oa.stop()
    advisories = app.bot_data.get(ADVISORY_SCHEDULER_KEY)
    if advisories is not None:
        await advisories.stop()
    if isinstance(app.update_processor, PerChatUpdateProcessor):
        app.update_processor.skip_handled(None)
    if services is not None:
        await services.close()


def run(settings: Settings) -> None:
    """Run until interrupted: webhook mode when WEBHOOK_URL is set, else long polling."""
    asyncio.run(serve(settings))


async def serve(settings: Settings) -> None:
    """Start, run until SIGINT/SIGTERM, stop. Our own sequence rather than PTB's
    ``run_polling``/``run_webhook``: a start-up failure (wrong token, Bot API or database out
    of reach) reaches the caller as its exception, for a one-line message (bot/startup.py),
    instead of being logged with a traceback on the way; and the webhook is ours
    (bot/webhook.py)."""
    app = build_application(settings)
    stop = _stop_event()
    receiver: WebhookReceiver | None = None
    try:
        await app.initialize()  # getMe: the token and the Bot API address are tried here
        if app.post_init:
            await app.post_init(app)
        if settings.webhook_url:
            assert settings.webhook_secret is not None  # Settings.require_channel
            receiver = await start_webhook(
                app,
                url=settings.webhook_url,
                secret=settings.webhook_secret.get_secret_value(),
                listen=settings.webhook_listen,
                port=settings.webhook_port,
            )
        else:
            assert app.updater is not None
            await app.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        await app.start()
        await stop.wait()
    finally:
        if receiver is not None:
            await receiver.stop()
        await _stop(app)


def _stop_event() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    return stop


async def _stop(app: AnninhApplication) -> None:
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.shutdown()
    # A failed initialize leaves the Bot API connections open (PTB's shutdown skips them).
    await app.bot.shutdown()
    if app.post_shutdown:
        await app.post_shutdown(app)


async def start_in_loop(
    app: AnninhApplication, *, poll_timeout: float = 1.0, poll: bool = True
) -> None:
    """Start polling inside an already running event loop (tests, `anninh demo`), running the
    same post_init that ``run_polling`` would. ``poll=False``: an instance that receives no
    updates (as one behind a webhook that sends them all to another) but runs its jobs."""
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    assert app.updater is not None
    if poll:
        await app.updater.start_polling(
            poll_interval=0.0, timeout=int(poll_timeout), allowed_updates=Update.ALL_TYPES
        )
    await app.start()


async def stop_in_loop(app: AnninhApplication) -> None:
    await _stop(app)


async def run_zalo_only(settings: Settings) -> None:
    """`anninh run` without BOT_TOKEN: the Zalo channels alone until interrupted — the Zalo bot
    (ZALO_BOT_TOKEN) and/or the Official Account (ZALO_OA_APP_ID). Without Telegram there is
    no police side and no advisory scheduler; tips are stored and reach the police once the
    Telegram bot runs."""
    zalo, oa = zalo_channel(settings), oa_channel(settings)
    # Every police recipient is on Telegram: leave the tips due for its routing sweep.
    services = build_services(
        settings, None, channels=channels(None, zalo, oa), police_reachable=False
    )
    runtimes: list[Any] = []
    try:
        await migrate.upgrade(services.engine)
        for started in (await start_zalo(services, zalo), await start_oa_channel(services, oa)):
            if started is not None:
                runtimes.append(started)
        stop = _stop_event()
        logger.info("anninh ready on Zalo only")
        await stop.wait()
    finally:
        for runtime in reversed(runtimes):
            await runtime.stop()
        await services.close()


async def run_console_alone(settings: Settings) -> None:
    """``anninh web``: the police console and nothing else until interrupted, beside a bot
    that runs elsewhere on the same database. Actions still tell reporters and police on
    Telegram (through the same bot token); Zalo reporters are told by the bot process,
    which runs the Zalo channel."""
    from web.server import start_console

    # The token's Bot in this process, on the same send budget as the bot's instances.
    bot: ExtBot[None] = ExtBot(
        settings.require_token(),
        base_url=settings.bot_api_base_url,
        base_file_url=settings.bot_api_file_url,
        rate_limiter=send_limiter(settings),
    )
    await bot.initialize()
    services = build_services(
        settings,
        ChannelRouter(TelegramSender(bot), None),
        card_renderer=TelegramCardRenderer(settings.tz),
    )
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
