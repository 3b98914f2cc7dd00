"""Webhook delivery to a small aiohttp receiver."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import Conflict

from sandbox.client import SandboxClient
from tests.sandbox.conftest import LAN

pytestmark = pytest.mark.asyncio


class Receiver:
    def __init__(self) -> None:
        self.received: list[tuple[str | None, dict[str, Any]]] = []
        self.fail_next = 0
        self.arrived = asyncio.Event()
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        if self.fail_next > 0:
            self.fail_next -= 1
            return web.Response(status=500)
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        self.received.append((secret, await request.json()))
        self.arrived.set()
        return web.Response(text="ok")

    async def wait_for(self, count: int) -> None:
        async with asyncio.timeout(5):
            while len(self.received) < count:
                self.arrived.clear()
                await self.arrived.wait()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    recv = Receiver()
    app = web.Application()
    app.router.add_post("/hook", recv.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    recv.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    yield recv
    await runner.cleanup()


async def test_updates_are_posted_in_order_with_secret(
    bot: Bot, client: SandboxClient, receiver: Receiver
) -> None:
    receiver.fail_next = 2  # the first attempt fails twice, then is retried
    await bot.set_webhook(receiver.url, secret_token="s3cr3t")
    for text in ("một", "hai", "ba"):
        await client.send_message(LAN["id"], LAN, text)
    await receiver.wait_for(3)
    assert [secret for secret, _ in receiver.received] == ["s3cr3t"] * 3
    assert [u["message"]["text"] for _, u in receiver.received] == ["một", "hai", "ba"]
    ids = [u["update_id"] for _, u in receiver.received]
    assert ids == [ids[0], ids[0] + 1, ids[0] + 2]
    info = await bot.get_webhook_info()
    assert info.url == receiver.url and info.pending_update_count == 0
    assert info.last_error_message  # the two failures were recorded
    with pytest.raises(Conflict):
        await bot.get_updates()
    await bot.delete_webhook()
    await client.send_message(LAN["id"], LAN, "bốn")
    updates = await bot.get_updates()
    assert [u.message.text for u in updates if u.message] == ["bốn"]
