"""Control API details: SSE, multipart uploads, listings, reset, shutdown."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
import pytest
from telegram import Bot

from sandbox.client import SandboxClient
from sandbox.server import SandboxServer
from tests.sandbox.conftest import GROUP_ID, LAN, TOKEN

pytestmark = pytest.mark.asyncio


async def test_events_stream_reports_messages(
    server: SandboxServer, bot: Bot, client: SandboxClient
) -> None:
    events: list[dict[str, Any]] = []

    async def listen() -> None:
        async with httpx.AsyncClient(timeout=5) as http, http.stream(
            "GET", f"{server.base_url}/sandbox/events", params={"chat_id": LAN["id"]}
        ) as resp:
            async for line in resp.aiter_lines():
                if line.startswith("data: "):
                    events.append(json.loads(line.removeprefix("data: ")))
                    if any(e["type"] == "deleted" for e in events):
                        return

    task = asyncio.create_task(listen())
    await asyncio.sleep(0.1)  # let the subscription open before acting
    sent = await client.send_message(LAN["id"], LAN, "hi")
    reply = await bot.send_message(LAN["id"], "chào")
    await bot.delete_message(LAN["id"], sent["message_id"])
    async with asyncio.timeout(5):
        await task
    kinds = [e["type"] for e in events]
    assert "message" in kinds and kinds[-1] == "deleted"
    assert all(e["chat_id"] == LAN["id"] for e in events)
    assert any(e.get("message", {}).get("message_id") == reply.message_id for e in events)


async def test_multipart_upload_like_the_demo_page(
    server: SandboxServer, bot: Bot, client: SandboxClient
) -> None:
    async with httpx.AsyncClient() as http:
        resp = await http.post(
            f"{server.base_url}/sandbox/chats/{GROUP_ID}/messages",
            data={"from": json.dumps(LAN), "chat": json.dumps({"type": "group", "title": "T5"}),
                  "caption": "ảnh"},
            files={"photo": ("scene.jpg", b"\xff\xd8not-really-a-jpeg", "image/jpeg")},
        )
    assert resp.status_code == 200, resp.text
    message = resp.json()
    assert message["chat"]["type"] == "group" and message["caption"] == "ảnh"
    assert await client.download(message["photo"][-1]["file_id"]) == b"\xff\xd8not-really-a-jpeg"
    update = (await bot.get_updates())[0]
    assert update.message is not None and update.message.photo


async def test_bot_api_accepts_json_bodies_and_query_strings(
    server: SandboxServer, client: SandboxClient
) -> None:
    await client.send_message(LAN["id"], LAN, "hi")
    async with httpx.AsyncClient() as http:
        by_json = await http.post(f"{server.bot_api_url}{TOKEN}/sendMessage",
                                  json={"chat_id": LAN["id"], "text": "json"})
        by_query = await http.get(f"{server.bot_api_url}{TOKEN}/sendmessage",
                                  params={"chat_id": LAN["id"], "text": "123"})
    assert by_json.json()["result"]["text"] == "json"
    assert by_query.json()["result"]["text"] == "123"  # numeric text stays text


async def test_chat_listing_and_reset(bot: Bot, client: SandboxClient) -> None:
    await client.send_message(GROUP_ID, LAN, "hi", chat_type="supergroup", chat_title="Tổ 5")
    chats = await client.chats()
    assert [(c["id"], c["title"], c["message_count"]) for c in chats] == [(GROUP_ID, "Tổ 5", 1)]
    detail = await client.chat(GROUP_ID)
    assert {m["user"]["id"]: m["status"] for m in detail["members"]}[LAN["id"]] == "member"
    await client.reset()
    assert await client.chats() == []
    assert (await client.stats())["calls"] == {}


async def test_stop_is_prompt_while_a_long_poll_is_pending() -> None:
    server = await SandboxServer().start()
    async with httpx.AsyncClient(timeout=60) as http:
        poll = asyncio.create_task(
            http.post(f"{server.bot_api_url}{TOKEN}/getUpdates", data={"timeout": "50"})
        )
        await asyncio.sleep(0.1)
        started = time.monotonic()
        await server.stop()
        assert time.monotonic() - started < 3
        response = await poll
        assert response.json() == {"ok": True, "result": []}
