from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from sandbox.client import SandboxClient
from sandbox.server import SandboxServer
from tests.e2e.harness import BotHarness


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(port=0) as server:
        yield server


@pytest.fixture
async def client(sandbox: SandboxServer) -> AsyncIterator[SandboxClient]:
    async with SandboxClient(sandbox.base_url) as c:
        yield c


@pytest.fixture
async def harness(
    sandbox: SandboxServer, client: SandboxClient, database_url: str
) -> AsyncIterator[BotHarness]:
    """A running bot; tests may stop/restart it. Always stopped at the end."""
    h = BotHarness(sandbox, client, database_url)
    await h.start()
    yield h
    await h.stop()
