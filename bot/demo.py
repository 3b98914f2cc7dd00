"""`anninh demo`: the local Bot API server, the real bot against it, and demo data.

Nothing here needs Telegram or the internet. The demo uses its own database file unless told
otherwise, so demo data never lands in a real deployment's database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from bot.app import build_application, start_in_loop, stop_in_loop
from bot.settings import load_settings
from sandbox.client import SandboxClient
from sandbox.server import SandboxServer
from services.demo import DemoService, chats, personas

logger = logging.getLogger(__name__)

DEMO_TOKEN = "7000000001:DEMO-anninh-sandbox-token"


async def populate_sandbox(client: SandboxClient, bot_id: int) -> None:
    """Make the demo's groups exist in the sandbox with their members and the bot as admin."""
    people = {p.telegram_id: p for p in personas()}
    for chat in chats():
        members = [
            {"id": uid, "first_name": people[uid].first_name, "username": people[uid].username}
            for uid in chat.member_ids
        ]
        await client.members(
            chat.chat_id,
            joined=[*members, {"id": bot_id, "first_name": "Anninh", "is_bot": True}],
            chat_type="supergroup",
            title=chat.title,
        )
        await client.set_admins(chat.chat_id, [chat.member_ids[-1]], bot_is_admin=True)


async def run_demo(host: str, port: int, database_url: str) -> None:
    async with SandboxServer(host=host, port=port) as server:
        settings = load_settings(
            bot_token=DEMO_TOKEN,
            bot_api_base_url=server.bot_api_url,
            database_url=database_url,
            webhook_url=None,
        )
        app = build_application(settings)
        await start_in_loop(app)
        try:
            counts = await DemoService(app.bot_data["services"].sessions).load()
            client = SandboxClient(server.base_url)
            await populate_sandbox(client, app.bot.id)
            await client.aclose()
            print(f"anninh demo: loaded {counts}")
            print(f"  Bot API server: {server.bot_api_url}")
            print(f"  Control API:    {server.base_url}/sandbox/")
            print(f"  Web chat:       {server.base_url}/")
            print("  Ctrl-C to stop.", flush=True)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError):
                    loop.add_signal_handler(sig, stop.set)
            await stop.wait()
        finally:
            await stop_in_loop(app)
