"""Webhook mode: the receiver Telegram posts updates to.

Our own small aiohttp receiver rather than PTB's (``Updater.start_webhook``): PTB compares the
``X-Telegram-Bot-Api-Secret-Token`` header with ``!=`` and skips the check entirely when the
secret is empty, and here the secret is what stands between the internet and updates forged
in an admin's name. The header is compared in constant time, a request without the right
secret is refused with 403 before its body is read, and the secret is always required
(:meth:`bot.settings.Settings.require_channel` refuses to start without one). Accepted updates
go to the Application's update queue, the same path polling uses.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.ext import Application

logger = logging.getLogger(__name__)

# How long a stop waits for requests in flight before cutting them (aiohttp's default is 60 s,
# which held shutdowns, and a test's teardown, for a minute under load). A cut webhook request
# got no 200, so the platform delivers it again; a console page is simply reloaded.
SHUTDOWN_GRACE_S = 5.0

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 1024 * 1024
"""An update is a few kilobytes; anything much larger is not from Telegram."""


class WebhookUnavailable(Exception):
    """The receiver could not listen on WEBHOOK_LISTEN:WEBHOOK_PORT (port taken, no right)."""


def secret_matches(given: str | None, expected: str) -> bool:
    """Constant-time comparison; an empty expected secret matches nothing."""
    if not expected or given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class WebhookReceiver:
    def __init__(
        self,
        app: Application[Any, Any, Any, Any, Any, Any],
        *,
        listen: str,
        port: int,
        path: str,
        secret: str,
    ) -> None:
        if not secret:
            raise ValueError("a webhook needs a secret")
        self._app = app
        self._listen = listen
        self._port = port
        self._path = "/" + path.lstrip("/")
        self._secret = secret
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        server = web.Application(client_max_size=MAX_UPDATE_BYTES)
        server.router.add_post(self._path, self._receive)
        self._runner = web.AppRunner(server, access_log=None, shutdown_timeout=SHUTDOWN_GRACE_S)
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, self._listen, self._port).start()
        except OSError as exc:
            await self.stop()
            raise WebhookUnavailable(
                f"{self._listen}:{self._port}: {exc.strerror or exc}"
            ) from None

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _receive(self, request: web.Request) -> web.Response:
        if not secret_matches(request.headers.get(SECRET_HEADER), self._secret):
            return web.Response(status=403)
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, self._app.bot) if isinstance(data, dict) else None
        except (ValueError, TypeError, KeyError):
            update = None
        if update is None:
            return web.Response(status=400)
        await self._app.update_queue.put(update)
        return web.Response(status=200)


async def start_webhook(
    app: Application[Any, Any, Any, Any, Any, Any],
    *,
    url: str,
    secret: str,
    listen: str,
    port: int,
) -> WebhookReceiver:
    """Listen on ``listen:port`` at the path of ``url`` (where Telegram is told to post), then
    tell Telegram the address and the secret."""
    receiver = WebhookReceiver(
        app, listen=listen, port=port, path=urlsplit(url).path or "/", secret=secret
    )
    await receiver.start()
    try:
        await app.bot.set_webhook(url, secret_token=secret, allowed_updates=Update.ALL_TYPES)
    except BaseException:
        await receiver.stop()
        raise
    logger.info("webhook set; listening on %s:%s", listen, port)
    return receiver
