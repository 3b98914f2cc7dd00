"""The sandbox's Zalo Bot API answers as the Zalo Bot Platform's docs say (sandbox/zalo_api.py):
a bot cannot get more out of it than out of the real server."""

from __future__ import annotations

from typing import Any

import httpx

from sandbox.client import SandboxClient
from sandbox.server import SandboxServer

TOKEN = "424242:zalo-sandbox-test"
LAN = {"id": "6ede9afa66b88fe6d6a9", "display_name": "Lan"}
GROUP = "g-11223344556677889900"


async def call(server: SandboxServer, method: str, **params: Any) -> dict[str, Any]:
    async with httpx.AsyncClient() as http:
        resp = await http.post(f"{server.base_url}/zalo/bot{TOKEN}/{method}", json=params)
    body: dict[str, Any] = resp.json()
    return body


async def test_set_webhook_takes_only_https_and_an_8_to_256_character_secret(
    server: SandboxServer,
) -> None:
    refused = [
        ("http://bot.example.vn/hook", "s3cret-token"),
        ("https://bot.example.vn/hook", "1234567"),
        ("https://bot.example.vn/hook", "x" * 257),
    ]
    for url, secret in refused:
        answer = await call(server, "setWebhook", url=url, secret_token=secret)
        assert answer["ok"] is False and answer["error_code"] == 400, (url, answer)
    answer = await call(server, "setWebhook", url="https://bot.example.vn/hook",
                        secret_token="12345678")  # fmt: skip
    assert answer["ok"] is True and answer["result"]["url"] == "https://bot.example.vn/hook"


async def test_403_means_internal_server_error_even_for_a_user_who_blocked_the_bot(
    server: SandboxServer, client: SandboxClient
) -> None:
    await client.zalo_send(LAN["id"], LAN, "chào")
    await client.zalo_block(LAN["id"])
    blocked = await call(server, "sendMessage", chat_id=LAN["id"], text="xin chào")
    assert (blocked["error_code"], blocked["description"]) == (403, "Internal server error")
    await client.zalo_block(LAN["id"], blocked=False)
    await client.zalo_fault("sendMessage", status=403)
    outage = await call(server, "sendMessage", chat_id=LAN["id"], text="xin chào")
    assert outage == blocked
    assert (await call(server, "sendMessage", chat_id=LAN["id"], text="xin chào"))["ok"]


async def test_a_group_message_reaches_the_bot_only_by_its_display_name_or_a_reply(
    server: SandboxServer, client: SandboxClient
) -> None:
    me = (await call(server, "getMe"))["result"]
    assert me["display_name"].startswith("Bot ") and " " in me["display_name"][4:]
    for text in (f"@{me['account_name']} kiemtra 0912", "@anninh kiemtra 0912", "chào cả nhà"):
        await client.zalo_send(GROUP, LAN, text, chat_type="GROUP")
    assert (await call(server, "getUpdates"))["error_code"] == 408
    await client.zalo_send(GROUP, LAN, f"@{me['display_name']} kiemtra 0912", chat_type="GROUP")
    got = (await call(server, "getUpdates"))["result"]
    assert got["message"]["text"] == "@Bot An Ninh kiemtra 0912"
    await client.zalo_send(GROUP, LAN, "kiemtra 0913", chat_type="GROUP", mention=True)
    assert (await call(server, "getUpdates"))["result"]["message"]["text"] == "kiemtra 0913"


async def test_an_update_can_be_handed_out_again_and_events_carry_their_documented_names(
    server: SandboxServer, client: SandboxClient
) -> None:
    await call(server, "getMe")
    sent = await client.zalo_send(LAN["id"], LAN, "help")
    first = (await call(server, "getUpdates", offset=99))["result"]  # offset: not documented
    assert (await call(server, "getUpdates"))["error_code"] == 408
    await client.zalo_redeliver(sent["message_id"])
    assert (await call(server, "getUpdates"))["result"] == first
    await client.zalo_send(LAN["id"], LAN, voice=True)
    voice = (await call(server, "getUpdates"))["result"]
    assert voice["event_name"] == "message.voice.received" and voice["message"]["voice_url"]
    await client.zalo_send(LAN["id"], LAN, "❤️", event_name="message.reaction.received")
    reaction = (await call(server, "getUpdates"))["result"]
    assert reaction["event_name"] == "message.reaction.received"
