"""Fixtures: a real sandbox server on a free port, its control client and a PTB Bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Bot

from sandbox.client import SandboxClient
from sandbox.server import SandboxServer

TOKEN = "123456:ABC-sandbox-test"
BOT_ID = 123456
LAN: dict[str, Any] = {"id": 1001, "first_name": "Lan", "username": "lan", "language_code": "vi"}
MINH: dict[str, Any] = {"id": 1002, "first_name": "Minh", "username": "minh"}
GROUP_ID = -100500


@pytest.fixture
async def server() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(port=0) as srv:
        yield srv


@pytest.fixture
async def client(server: SandboxServer) -> AsyncIterator[SandboxClient]:
    async with SandboxClient(server.base_url) as sandbox_client:
        yield sandbox_client


@pytest.fixture
async def bot(server: SandboxServer) -> AsyncIterator[Bot]:
    ptb_bot = Bot(TOKEN, base_url=server.bot_api_url, base_file_url=server.file_url)
    async with ptb_bot:  # initialize() calls getMe, which registers the bot
        yield ptb_bot
