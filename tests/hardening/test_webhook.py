"""Webhook mode of the real process (``anninh run`` with WEBHOOK_URL): the secret header is
checked (a POST without it or with a wrong one is refused and not processed), the sandbox's
deliveries (which carry it) are answered, and neither the bot token nor the webhook secret
from `.env` ever appears in the logs, even at DEBUG."""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path

import httpx
import pytest

from sandbox.client import SandboxClient
from sandbox.server import SandboxServer
from tests.e2e.harness import user
from tests.hardening.procbot import ProcessHarness
from tests.hardening.support import message_update

pytestmark = pytest.mark.slow

TOKEN = "7654321:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
SECRET = "wh-Secret_9f8e7d6c5b4a"
LAN = user(1701, "Lan", "lan_wh")


async def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.05)
            continue
        writer.close()
        await writer.wait_closed()
        return


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_webhook_refuses_requests_without_the_secret_and_logs_no_secrets(
    sandbox: SandboxServer, client: SandboxClient, database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    # Configured like an operator does: a .env file in the working directory.
    h = ProcessHarness(
        sandbox,
        client,
        database_url,
        tmp_path,
        token=TOKEN,
        dotenv={
            "BOT_TOKEN": TOKEN,
            "WEBHOOK_URL": url,
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
            "WEBHOOK_SECRET": SECRET,
            "LOG_LEVEL": "DEBUG",
        },
    )
    try:
        await h.start()
        # "anninh ready" is logged in post_init, just before PTB opens the webhook port.
        await wait_for_port(port)
        async with httpx.AsyncClient(timeout=10) as http:
            forged = message_update(LAN, "/start")
            no_header = await http.post(url, json=forged)
            wrong = await http.post(
                url,
                json=message_update(LAN, "/start"),
                headers={"X-Telegram-Bot-Api-Secret-Token": "wrong-secret"},
            )
        assert no_header.status_code == 403
        assert wrong.status_code == 403

        # The real path: the sandbox delivers with the secret, and the bot answers.
        [hello] = await h.say(LAN, "/help", timeout=30)
        assert hello["text"]
        history = await client.history(LAN["id"])
        bot_replies = [m for m in history if m["from"].get("is_bot")]
        assert len(bot_replies) == 1, "a refused POST was processed"
    finally:
        await h.close()
    logs = h.logs()
    assert "anninh ready" in logs
    assert TOKEN not in logs and TOKEN.split(":")[1] not in logs
    assert SECRET not in logs
