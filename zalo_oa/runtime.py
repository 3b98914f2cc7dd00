"""Running the Official Account surface: the webhook receiver, the worker that processes
stored events (woken by each new one, and sweeping every few seconds for events a crash or
another instance left), and the token refresher. Started beside the Telegram application
(bot/app.py) when ZALO_OA_APP_ID is set."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from pydantic import SecretStr

from bot.settings import Settings
from bot.webhook import SHUTDOWN_GRACE_S
from services.domain import SendBudget, account_of
from services.errors import StorageUnavailable
from services.zalo_oa import ZaloOaServices
from services.zalo_oa_inbox import StoredEvent
from zalo_oa.client import OaClient
from zalo_oa.dispatch import Bookkeeping, Dispatcher, EventHandler
from zalo_oa.events import parse
from zalo_oa.sender import OA_LIMITS, ChatMenus, OaSender
from zalo_oa.signature import Scheme
from zalo_oa.surface import OaSurface
from zalo_oa.webhook import WebhookReceiver

logger = logging.getLogger(__name__)

FORGET_EVERY = 3600.0
"""Seconds between two clean-ups of old event keys."""
MAX_REFRESH_WAIT = 1800.0
"""Seconds between refresh attempts at most while they keep failing."""


@dataclass(frozen=True, slots=True)
class OaConfig:
    app_id: str
    secret_key: str
    scheme: Scheme
    listen: str
    port: int
    sweep_every: float = 10.0
    """Seconds between sweeps for stored events nobody is processing."""
    refresh_every: float = 60.0
    """Seconds between two looks at whether the tokens are due for a refresh."""


class OaRuntime:
    def __init__(
        self,
        oa: ZaloOaServices,
        client: OaClient,
        config: OaConfig,
        surface: EventHandler | None = None,
    ) -> None:
        self.oa = oa
        self.client = client
        self.config = config
        self.dispatcher = Dispatcher(Bookkeeping(oa.followers), surface)
        self.receiver = WebhookReceiver(
            oa.inbox,
            app_id=config.app_id,
            secret_key=config.secret_key,
            scheme=config.scheme,
            on_stored=lambda _event_id: self._wake.set(),
        )
        self._wake = asyncio.Event()
        self._stopping = False
        self._runner: web.AppRunner | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._held: dict[int, StoredEvent] = {}
        """Events claimed and not finished: given back when the runtime stops, so the next
        start (or another instance) takes them at once rather than after the claim runs out."""
        self.port = config.port

    async def start(self) -> None:
        self._stopping = False
        try:
            await self.oa.tokens.load()
        except StorageUnavailable:
            logger.warning("Zalo OA tokens not loaded (database unavailable); will retry")
        self._runner = web.AppRunner(
            self.receiver.application(), access_log=None, shutdown_timeout=SHUTDOWN_GRACE_S
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.config.listen, self.config.port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self._work(), name="zalo-oa-work"),
            loop.create_task(self._refresh(), name="zalo-oa-refresh"),
        ]
        logger.info("Zalo OA surface started (webhook on port %s)", self.port)

    async def stop(self) -> None:
        # The flag as well as the cancel: a cancel that lands as the worker's wait ends may be
        # lost, and then the worker would run on and this stop wait for it for good.
        self._stopping = True
        self._wake.set()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task  # the loops catch their errors; a task never ends with one
        self._tasks = []
        for event_id in list(self._held):
            with contextlib.suppress(StorageUnavailable):
                await self.oa.inbox.give_back(event_id)
        self._held.clear()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.client.aclose()

    # -- processing ---------------------------------------------------------------------
    async def _work(self) -> None:
        loop = asyncio.get_running_loop()
        forgotten = loop.time()
        while not self._stopping:
            self._wake.clear()
            try:
                events = await self._claim()
                for event in events:
                    await self._process(event)
                if loop.time() - forgotten > FORGET_EVERY:
                    await self.oa.inbox.forget_old()
                    forgotten = loop.time()
            except StorageUnavailable:
                logger.warning("Zalo OA events not read (database unavailable); will retry")
                events = []
            except Exception:  # a bug must not stop the worker for good
                logger.exception("Zalo OA worker error; will retry")
                events = []
            if not events and not self._stopping:
                # asyncio.timeout, not wait_for: on Python 3.11 wait_for loses a cancel that
                # arrives as the event is set (CI saw a stop wait on the worker for good).
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.config.sweep_every):
                        await self._wake.wait()

    async def _claim(self) -> list[StoredEvent]:
        """Claim a batch; a stop arriving meanwhile still learns what was claimed."""
        claiming = asyncio.ensure_future(self.oa.inbox.claim())
        try:
            events = await asyncio.shield(claiming)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                self._held.update({e.id: e for e in await claiming})
            raise
        self._held.update({e.id: e for e in events})
        return events

    async def _process(self, stored: StoredEvent) -> None:
        try:
            body = json.loads(stored.body)
            await self.dispatcher.dispatch(parse(body if isinstance(body, dict) else {}))
        except (asyncio.CancelledError, StorageUnavailable):
            # An outage is not the event's fault: no attempt counted; it stays claimed and is
            # taken again once the claim runs out.
            raise
        except Exception as exc:  # a bug must not stop the worker
            # The type only: an exception's text may quote what the resident wrote.
            logger.warning(
                "Zalo OA event %s failed (%s)", stored.id, type(exc).__name__, exc_info=False
            )
            await self.oa.inbox.failed(stored, type(exc).__name__)
            self._held.pop(stored.id, None)
            return
        await self.oa.inbox.done(stored.id)
        self._held.pop(stored.id, None)

    async def _refresh(self) -> None:
        wait = self.config.refresh_every
        while not self._stopping:
            try:
                outcome = await self.oa.tokens.refresh(self.client)
                failed = not outcome.refreshed and self.oa.tokens.refresh_due()
            except StorageUnavailable:
                logger.warning("Zalo OA token refresh skipped (database unavailable)")
                failed = True
            except Exception:  # a bug must not stop the refresher for good
                logger.exception("Zalo OA token refresher error; will retry")
                failed = True
            # After a failure, try again less and less often (up to MAX_REFRESH_WAIT).
            wait = min(wait * 2, MAX_REFRESH_WAIT) if failed else self.config.refresh_every
            await asyncio.sleep(wait)


def start_settings(settings: Settings) -> OaConfig:
    """The runtime's configuration from the settings (the OA's secrets included)."""
    return OaConfig(
        app_id=(settings.zalo_oa_app_id or "").strip(),
        secret_key=_secret(settings.zalo_oa_secret_key),
        scheme=Scheme(settings.zalo_oa_signature),
        listen=settings.webhook_listen,
        port=settings.zalo_oa_webhook_port,
    )


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value().strip() if value is not None else ""


def oa_client(settings: Settings, oa: ZaloOaServices) -> OaClient:
    return OaClient(
        settings.zalo_oa_api_base_url,
        settings.zalo_oa_oauth_base_url,
        app_id=(settings.zalo_oa_app_id or "").strip(),
        app_secret=_secret(settings.zalo_oa_app_secret),
        tokens=oa.tokens,
    )


async def start_zalo_oa(
    settings: Settings,
    oa: ZaloOaServices | None,
    surface: EventHandler | None = None,
    client: OaClient | None = None,
) -> OaRuntime | None:
    """Start the OA surface when ZALO_OA_APP_ID is set (None otherwise)."""
    if oa is None or not settings.has_zalo_oa:
        return None
    runtime = OaRuntime(oa, client or oa_client(settings, oa), start_settings(settings), surface)
    await runtime.start()
    return runtime


def oa_budget(settings: Settings) -> SendBudget:
    """The OA's send budget, shared through Redis when REDIS_URL is set."""
    redis_url = settings.redis_url.get_secret_value().strip() if settings.redis_url else ""
    account = account_of("zalo_oa", (settings.zalo_oa_app_id or "").strip())
    return SendBudget(account, OA_LIMITS, redis_url=redis_url or None)


class OaChannel:
    """The Official Account as a channel of this process: its API client and its sender,
    each made once (the router sends through the sender; the surface answers through it)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._client: OaClient | None = None
        self._sender: OaSender | None = None

    def client(self, oa: ZaloOaServices) -> OaClient:
        if self._client is None:
            self._client = oa_client(self._settings, oa)
        return self._client

    def sender(self, oa: ZaloOaServices, chats: ChatMenus) -> OaSender:
        if self._sender is None:
            self._sender = OaSender(
                self.client(oa),
                oa.followers,
                oa.groups,
                oa.held,
                chats,
                oa_budget(self._settings),
            )
        return self._sender


def oa_channel(settings: Settings) -> OaChannel | None:
    """The OA channel when ZALO_OA_APP_ID is set (None otherwise)."""
    return OaChannel(settings) if settings.has_zalo_oa else None


async def start_oa_channel(services: Any, channel: OaChannel | None) -> OaRuntime | None:
    """The OA as a channel: the resident's conversation over it (its sender is already in
    the services' channel router: people reached on Zalo without the Zalo bot, OA groups).
    None when ZALO_OA_APP_ID is not set."""
    oa: ZaloOaServices | None = services.zalo_oa
    if channel is None or oa is None:
        return None
    sender = channel.sender(oa, services.zalo_chats)
    client = channel.client(oa)
    surface = OaSurface(services, sender, oa.followers, client)
    return await start_zalo_oa(services.settings, oa, surface, client)
