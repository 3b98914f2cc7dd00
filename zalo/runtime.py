"""Running the Zalo channel: long polling (getUpdates) or a webhook receiver, started beside
the Telegram application (bot/app.py post_init) or alone (bot.app.run_zalo_only).

From the Zalo Bot Platform's docs (bot.zaloplatforms.com/docs; verbatim copy in
lamdt1/ckvn-bot ``docs/zalo-bot-doc.md`` @f307749), confirmed: getUpdates takes only
``timeout``, has no offset and is meant for local development ("với môi trường production, bạn
nên thiết lập Webhook để tránh bỏ lỡ event"); getUpdates and a webhook exclude each other;
setWebhook wants an HTTPS ``url`` and an 8-256 character ``secret_token``, sent back in
``X-Bot-Api-Secret-Token``. Unconfirmed: whether and how often Zalo pushes an event again; so
every event is recorded as handled under its message id (services/updates.py, the table the
Telegram side uses) and one that comes again, to this process or another on the same database,
is skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
from typing import Any, Protocol
from urllib.parse import urlsplit

from aiohttp import web

from services.domain import SendBudget, account_of
from services.ports import Sender
from zalo.client import ZaloApiError, ZaloClient, ZaloNetworkError
from zalo.incoming import BotNames, update_key
from zalo.sender import ZALO_LIMITS, ChannelRouter, ChatDirectory, ZaloSender
from zalo.surface import ZaloSurface

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Bot-Api-Secret-Token"
MAX_BACKOFF = 30.0
NAME_RETRY_S = 60.0
"""How often getMe is asked again while the bot's display name is unknown."""


def bot_key(token: str) -> int:
    """The Zalo bot's id in the handled-updates table: negative (Telegram bot ids are
    positive), from the token's public part ("12345689:abc-xyz")."""
    public = token.split(":", 1)[0]
    digest = hashlib.sha256(public.encode()).hexdigest()
    value = int(public) if public.isdigit() else int(digest, 16)
    return -(value % 2**62 + 1)


def _reason(exc: Exception) -> str:
    """What to log about a failed call: Zalo's code and description (never the URL, which
    holds the token)."""
    if isinstance(exc, ZaloApiError):
        return f"{exc.code} {exc.description[:200]}"
    return type(exc).__name__


class ZaloRuntime:
    def __init__(self, services: Any, client: ZaloClient, sender: ZaloSender) -> None:
        self.services = services
        self.settings = services.settings
        self.client = client
        self.bot_names = BotNames()
        self.surface = ZaloSurface(services, sender, self.bot_names)
        self._bot_key = bot_key(self.settings.zalo_bot_token.get_secret_value().strip())
        self._task: asyncio.Task[None] | None = None
        self._runner: web.AppRunner | None = None
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._secret = ""
        self._retry: asyncio.Task[None] | None = None
        self._name_asked = 0.0

    async def start(self) -> None:
        await self._learn_name()
        settings = self.settings
        if settings.zalo_webhook_url:
            await self._start_webhook()
            self._task = asyncio.get_running_loop().create_task(self._work(), name="zalo-work")
        else:
            with contextlib.suppress(ZaloApiError, ZaloNetworkError):
                await self.client.delete_webhook()
            self._task = asyncio.get_running_loop().create_task(self._poll(), name="zalo-poll")
        if settings.zalo_webhook_url:
            logger.info("Zalo channel started (webhook)")
        else:
            logger.info(
                "Zalo channel started (long polling; Zalo advises a webhook in production: "
                "ZALO_WEBHOOK_URL)"
            )

    async def stop(self) -> None:
        if self._retry is not None:
            self._retry.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._retry
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.client.aclose()

    async def _learn_name(self) -> None:
        """The display name residents mention the bot by in groups (getMe)."""
        self._name_asked = asyncio.get_running_loop().time()
        try:
            self.bot_names.learn(await self.client.get_me())
        except (ZaloApiError, ZaloNetworkError) as exc:
            # The bot keeps trying: a Zalo outage must not stop the Telegram side.
            logger.warning("Zalo getMe failed (%s); will keep trying", _reason(exc))

    async def _handle_once(self, update: dict[str, Any]) -> None:
        """Handle an event unless it was handled already (here or by another instance)."""
        since = asyncio.get_running_loop().time() - self._name_asked
        if not self.bot_names.names and since > NAME_RETRY_S:
            await self._learn_name()
        key = update_key(update)
        handled = self.services.handled_updates
        if key is not None and await handled.already_handled(self._bot_key, key, ordered=False):
            logger.info("a Zalo event delivered again was skipped")
            return
        await self.surface.handle(update)
        if key is not None:
            await handled.handled(self._bot_key, key)

    # -- polling --------------------------------------------------------------------------
    async def _poll(self) -> None:
        backoff = 1.0
        timeout = self.settings.zalo_poll_timeout
        while True:
            try:
                updates = await self.client.get_updates(timeout=timeout)
            except (ZaloApiError, ZaloNetworkError) as exc:
                logger.warning("Zalo getUpdates failed (%s); retrying", exc.__class__.__name__)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            backoff = 1.0
            for update in updates:
                await self._handle_once(update)

    # -- webhook --------------------------------------------------------------------------
    async def _start_webhook(self) -> None:
        settings = self.settings
        secret = (
            settings.zalo_webhook_secret.get_secret_value() if settings.zalo_webhook_secret else ""
        )
        path = urlsplit(settings.zalo_webhook_url).path or "/"
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post(path, self._receive)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, settings.webhook_listen, settings.zalo_webhook_port)
        await site.start()
        self._secret = secret
        if not await self._set_webhook(1.0):
            # The receiver is up; Zalo is told again in the background (a Zalo outage must
            # not stop the Telegram side from starting).
            self._retry = asyncio.get_running_loop().create_task(self._set_webhook_later())

    async def _set_webhook(self, retry_in: float) -> bool:
        """One setWebhook; a refusal is logged with Zalo's reason, every time (settings
        already refuse what the docs say Zalo refuses, so this is Zalo's side or the network)."""
        try:
            await self.client.set_webhook(self.settings.zalo_webhook_url, self._secret)
        except (ZaloApiError, ZaloNetworkError) as exc:
            logger.warning(
                "Zalo setWebhook refused (%s); trying again in %.0f s", _reason(exc), retry_in
            )
            return False
        logger.info("Zalo webhook set")
        return True

    async def _set_webhook_later(self) -> None:
        backoff = 1.0
        while True:
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)
            if await self._set_webhook(backoff):
                return

    async def _receive(self, request: web.Request) -> web.StreamResponse:
        given = request.headers.get(SECRET_HEADER, "")
        if not self._secret or not hmac.compare_digest(given, self._secret):
            return web.json_response({"ok": False}, status=403)
        try:
            body = json.loads(await request.text())
        except ValueError:
            return web.json_response({"ok": False}, status=400)
        if isinstance(body, dict):
            update = body.get("result") if isinstance(body.get("result"), dict) else body
            self._queue.put_nowait(update)
        return web.json_response({"ok": True})

    async def _work(self) -> None:
        while True:
            update = await self._queue.get()
            await self._handle_once(update)


def zalo_budget(settings: Any) -> SendBudget:
    """The Zalo bot's send budget, shared through Redis when REDIS_URL is set."""
    redis_url = settings.redis_url.get_secret_value().strip() if settings.redis_url else ""
    token = settings.zalo_bot_token.get_secret_value().strip()
    return SendBudget(account_of("zalo", token), ZALO_LIMITS, redis_url=redis_url or None)


class ZaloChannel:
    """The Zalo bot's client and send budget, made before the services: the services' sender
    sends through it (:meth:`sender`, on their Zalo chat directory) and the runtime, started
    after them, receives through it."""

    def __init__(self, settings: Any) -> None:
        self.client = ZaloClient(
            settings.zalo_bot_token.get_secret_value().strip(), settings.zalo_api_base_url
        )
        self.budget = zalo_budget(settings)

    def sender(self, chats: ChatDirectory) -> ZaloSender:
        return ZaloSender(self.client, chats, self.budget)


def zalo_channel(settings: Any) -> ZaloChannel | None:
    """The Zalo channel when ZALO_BOT_TOKEN is set (None otherwise)."""
    if settings.zalo_bot_token is None or not settings.zalo_bot_token.get_secret_value().strip():
        return None
    return ZaloChannel(settings)


class OaChannelPart(Protocol):
    """The Official Account's side of the router (zalo_oa.runtime.OaChannel)."""

    def sender(self, oa: Any, chats: ChatDirectory) -> Sender: ...


class Channels:
    """How build_services makes the process's one sender: Telegram chats to ``telegram``,
    Zalo chat keys to the Zalo bot (when it is configured), Zalo people the bot does not know
    and OA groups to the Official Account (when it is)."""

    def __init__(
        self,
        telegram: Sender | None,
        zalo: ZaloChannel | None,
        oa: OaChannelPart | None = None,
    ) -> None:
        self.telegram = telegram
        self._zalo = zalo
        self._oa = oa

    def __call__(self, chats: ChatDirectory, oa: Any) -> Sender:
        return ChannelRouter(
            self.telegram,
            self._zalo.sender(chats) if self._zalo is not None else None,
            self._oa.sender(oa, chats) if self._oa is not None and oa is not None else None,
        )


def channels(
    telegram: Sender | None, zalo: ZaloChannel | None, oa: OaChannelPart | None = None
) -> Channels:
    return Channels(telegram, zalo, oa)


async def start_zalo(services: Any, channel: ZaloChannel | None) -> ZaloRuntime | None:
    """Start receiving on the Zalo channel (None when it is not configured)."""
    if channel is None:
        return None
    runtime = ZaloRuntime(services, channel.client, channel.sender(services.zalo_chats))
    await runtime.start()
    return runtime
