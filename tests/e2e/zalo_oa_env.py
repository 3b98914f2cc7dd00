"""The OA surface running for real: the services the wiring builds, on a real database, its
webhook receiver on a free port, the sandbox playing Zalo (webhooks in, OA API and OAuth
out) and Telegram (admins' messages). Tests drive residents through the sandbox's control
API and look at the database through the services."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from telegram import Bot

from bot.sender import TelegramSender
from bot.settings import Settings, load_settings
from bot.wiring import Services, build_services
from sandbox.server import SandboxServer
from services.zalo_oa import ZaloOaServices
from storage import migrate
from zalo.sender import ChannelRouter
from zalo_oa.events import OaEvent
from zalo_oa.runtime import OaRuntime, start_zalo_oa

JSON = dict[str, Any]
TELEGRAM_TOKEN = "123456:TEST-anninh"
ADMIN_ID = 9001


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RecordingSurface:
    """Stands in for the tip conversation: records what reaches it; can fail on demand."""

    def __init__(self) -> None:
        self.events: list[OaEvent] = []
        self.fail_next = 0
        self.block: asyncio.Event | None = None

    async def handle(self, event: OaEvent) -> None:
        if self.block is not None:
            await self.block.wait()
        if self.fail_next:
            self.fail_next -= 1
            raise RuntimeError("the surface failed")
        self.events.append(event)


@dataclass
class OaEnv:
    sandbox: SandboxServer
    database_url: str
    http: httpx.AsyncClient
    config: JSON = field(default_factory=dict)
    surface: RecordingSurface = field(default_factory=RecordingSurface)
    services: Services | None = None
    runtime: OaRuntime | None = None
    bot: Bot | None = None
    port: int = 0

    async def control(self, method: str, path: str, **body: Any) -> Any:
        resp = await self.http.request(method, f"/sandbox/zalo-oa{path}", json=body or None)
        resp.raise_for_status()
        return resp.json()

    @property
    def oa(self) -> ZaloOaServices:
        assert self.runtime is not None, "OA surface not started"
        return self.runtime.oa

    def settings(self, pair: JSON | None, **overrides: Any) -> Settings:
        base = self.sandbox.base_url
        values: JSON = {
            "bot_token": TELEGRAM_TOKEN,
            "bot_api_base_url": self.sandbox.bot_api_url,
            "database_url": self.database_url,
            "admin_ids": str(ADMIN_ID),
            "webhook_listen": "127.0.0.1",
            "zalo_oa_app_id": self.config["app_id"],
            "zalo_oa_app_secret": self.config["app_secret"],
            "zalo_oa_secret_key": self.config["secret_key"],
            "zalo_oa_api_base_url": f"{base}/zalo-oa/openapi",
            "zalo_oa_oauth_base_url": f"{base}/zalo-oa/oauth",
            "zalo_oa_webhook_port": self.port,
        }
        if pair is not None:
            values["zalo_oa_access_token"] = pair["access_token"]
            values["zalo_oa_refresh_token"] = pair["refresh_token"]
        values.update(overrides)
        return load_settings(**values)

    async def start(self, pair: JSON | None, **overrides: Any) -> OaRuntime:
        """Start (or restart) the OA surface as `anninh run` does, with ``pair`` as the
        settings' first tokens."""
        if not self.config:
            self.config = await self.control("GET", "/config")
            self.port = free_port()
        settings = self.settings(pair, **overrides)
        self.bot = Bot(TELEGRAM_TOKEN, base_url=self.sandbox.bot_api_url)
        await self.bot.initialize()
        self.services = build_services(settings, ChannelRouter(TelegramSender(self.bot), None))
        await migrate.upgrade(self.services.engine)
        self.runtime = await start_zalo_oa(settings, self.services.zalo_oa, self.surface)
        assert self.runtime is not None
        url = f"http://127.0.0.1:{self.runtime.port}/zalo-oa/webhook"
        await self.control("POST", "/webhook", url=url, retry_delays=[0.3, 0.6], timeout=2.0)
        return self.runtime

    async def stop(self) -> None:
        if self.runtime is not None:
            await self.runtime.stop()
            self.runtime = None
        if self.services is not None:
            await self.services.close()
            self.services = None
        if self.bot is not None:
            await self.bot.shutdown()
            self.bot = None

    async def deliveries(self) -> list[JSON]:
        result: list[JSON] = await self.control("GET", "/deliveries")
        return result


async def eventually(
    check: Callable[[], Awaitable[Any]], timeout: float = 30.0, what: str = "condition"
) -> Any:
    """``check()``'s first truthy result, polled until ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not reached within {timeout}s")
        await asyncio.sleep(0.05)


class Oa:
    """The sandbox's OA side: residents writing, and what the OA sent them."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def call(self, method: str, path: str, **body: Any) -> Any:
        resp = await self.http.request(method, path, json=body or None)
        resp.raise_for_status()
        return resp.json()

    async def mark(self, user: str) -> int:
        return len(await self.call("GET", f"/users/{user}/messages"))

    async def sent(self, user: str, after: int, count: int = 1) -> list[JSON]:
        found: list[JSON] = await self.call(
            "GET", f"/users/{user}/messages?after={after}&from_oa=1&wait=15&min={count}"
        )
        assert len(found) >= count, f"{count} OA messages expected, got {found}"
        return found

    async def say(self, user: str, expect: int = 1, **body: Any) -> list[JSON]:
        """A follower writes to the OA; the OA's next ``expect`` messages to them."""
        mark = await self.mark(user)
        await self.call("POST", f"/users/{user}/messages", **body)
        return (await self.sent(user, mark, expect))[:expect] if expect else []
