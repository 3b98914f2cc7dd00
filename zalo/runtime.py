"""Running the Zalo channel: long polling (getUpdates) or a webhook receiver, started beside
the Telegram application (bot/app.py post_init) or alone (bot.app.run_zalo_only)."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from zalo.client import ZaloApiError, ZaloClient, ZaloNetworkError
from zalo.sender import ChannelRouter, ZaloSender
from zalo.surface import ZaloSurface

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Bot-Api-Secret-Token"
MAX_BACKOFF = 30.0


class ZaloRuntime:
    def __init__(self, services: Any, client: ZaloClient, sender: ZaloSender) -> None:
        self.services = services
        self.settings = services.settings
        self.client = client
        self.surface = ZaloSurface(services, sender)
        self._task: asyncio.Task[None] | None = None
        self._runner: web.AppRunner | None = None
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.bot_name: str | None = None
        self._secret = ""
        self._retry: asyncio.Task[None] | None = None

    async def start(self) -> None:
        try:
            me = await self.client.get_me()
            self.bot_name = str(me.get("account_name") or me.get("id") or "")
        except (ZaloApiError, ZaloNetworkError) as exc:
            # The bot keeps trying: a Zalo outage must not stop the Telegram side.
            logger.warning("Zalo getMe failed (%s); will keep polling", type(exc).__name__)
        settings = self.settings
        if settings.zalo_webhook_url:
            await self._start_webhook()
            self._task = asyncio.get_running_loop().create_task(self._work(), name="zalo-work")
        else:
            with contextlib.suppress(ZaloApiError, ZaloNetworkError):
                await self.client.delete_webhook()
            self._task = asyncio.get_running_loop().create_task(self._poll(), name="zalo-poll")
        logger.info(
            "Zalo channel started (%s)", "webhook" if settings.zalo_webhook_url else "poll"
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
                await self.surface.handle(update)

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
        try:
            await self.client.set_webhook(settings.zalo_webhook_url, secret)
        except (ZaloApiError, ZaloNetworkError) as exc:
            # The receiver is up; Zalo is told again in the background (a Zalo outage must
            # not stop the Telegram side from starting).
            logger.warning("Zalo setWebhook failed (%s); retrying", type(exc).__name__)
            self._retry = asyncio.get_running_loop().create_task(self._set_webhook_later())

    async def _set_webhook_later(self) -> None:
        backoff = 1.0
        while True:
            await asyncio.sleep(backoff)
            try:
                await self.client.set_webhook(self.settings.zalo_webhook_url, self._secret)
                logger.info("Zalo webhook set")
                return
            except (ZaloApiError, ZaloNetworkError):
                backoff = min(backoff * 2, MAX_BACKOFF)

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
            await self.surface.handle(update)


async def start_zalo(services: Any, router: ChannelRouter) -> ZaloRuntime | None:
    """Start the Zalo channel when ZALO_BOT_TOKEN is set (None otherwise)."""
    settings = services.settings
    if settings.zalo_bot_token is None or not settings.zalo_bot_token.get_secret_value().strip():
        return None
    client = ZaloClient(
        settings.zalo_bot_token.get_secret_value().strip(), settings.zalo_api_base_url
    )
    sender = ZaloSender(client, services.zalo)
    router.zalo = sender
    runtime = ZaloRuntime(services, client, sender)
    await runtime.start()
    return runtime
