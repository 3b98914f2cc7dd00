"""`anninh demo`: the local Bot API server with its web chat page, the real bot against it, and
demo data (services/demo.py).

Nothing here needs Telegram or the internet. The demo uses its own database file unless told
otherwise, and refuses — before migrating or writing anything — a database that holds data
which is not the demo's, so demo data never lands in a real deployment's database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx

from bot.app import AnninhApplication, build_application, start_in_loop, stop_in_loop
from bot.i18n import t
from bot.settings import load_settings
from bot.wiring import Services
from sandbox.client import SandboxClient
from sandbox.server import SandboxServer
from services.demo import (
    MODERATOR_ID,
    OA_PERSONA_AREA,
    OA_PERSONA_ID,
    DemoService,
    NotADemoDatabase,
    Persona,
    chats,
    personas,
    zalo_personas,
)
from services.demo_showcase import SCAM_CONFIRMED, SCAM_ONE_REPORT, SCAM_REPORTED, SCAM_UNKNOWN
from storage import migrate
from storage.db import create_engine, create_sessionmaker
from web.server import start_console

logger = logging.getLogger(__name__)

DEMO_TOKEN = "7000000001:DEMO-anninh-sandbox-token"
DEMO_ZALO_TOKEN = "7000000002:DEMO-anninh-zalo-token"
BOT_FIRST_NAME = "Trợ lý An ninh"


async def populate_sandbox(
    client: SandboxClient, bot_id: int, console_url: str | None = None
) -> None:
    """Tell the sandbox who the personas are (for the web page), each with a link to open the
    police console as them, and make the demo's groups exist there with their members and the
    bot as admin."""
    people = {p.telegram_id: p for p in personas()}
    listed = []
    for person in people.values():
        entry = person.page_json()
        entry["hint"] = persona_hint(person, people)
        if console_url:
            entry["link"] = {
                "url": f"{console_url}/demo/enter/{person.telegram_id}",
                "label": t("web-demo-open", "vi"),
            }
        listed.append(entry)
    await client.set_personas([*listed, *zalo_personas()])
    for chat in chats():
        members = [
            {
                "id": uid,
                "first_name": people[uid].first_name,
                "last_name": people[uid].last_name,
                "username": people[uid].username,
                "language_code": "vi",
            }
            for uid in chat.member_ids
        ]
        await client.members(
            chat.chat_id,
            joined=[*members, {"id": bot_id, "first_name": BOT_FIRST_NAME, "is_bot": True}],
            chat_type="supergroup",
            title=chat.title,
        )
        # The last member (the ward's officer; the admin in a police chat) and the moderator
        # run the group, as they would on Telegram.
        admins = [chat.member_ids[-1], *(m for m in chat.member_ids if m == MODERATOR_ID)]
        await client.set_admins(chat.chat_id, admins, bot_is_admin=True)


SHOWN_CAST = (1001, 2001, MODERATOR_ID, 9001)
"""Whom the page's hint suggests trying: the first resident, her ward's officer (who gets her
tips), the moderator of her groups, the admin."""


def persona_hint(person: Persona, people: dict[int, Persona], locale: str = "vi") -> str:
    """The page's hint for ``person``: the other roles to try, and a number in each state
    /kiemtra knows (services/demo_showcase.py)."""
    others = [
        t("demo-hint-person", locale, name=people[uid].display_name, role=people[uid].role_name)
        for uid in SHOWN_CAST
        if uid != person.telegram_id
    ]
    numbers = t(
        "demo-hint-numbers",
        locale,
        confirmed=SCAM_CONFIRMED,
        reported=SCAM_REPORTED,
        one=SCAM_ONE_REPORT,
        unknown=SCAM_UNKNOWN,
    )
    return f"{t('demo-hint-others', locale, people=', '.join(others))}\n{numbers}"


async def preflight(database_url: str) -> None:
    """Refuse a database that holds non-demo data, before the bot migrates or writes it."""
    engine = create_engine(database_url)
    try:
        if await migrate.current_revision(engine) is None:
            return  # an empty database: nothing to protect
        await DemoService(create_sessionmaker(engine)).check()
    finally:
        await engine.dispose()


@dataclass
class DemoRun:
    server: SandboxServer
    app: AnninhApplication
    counts: dict[str, int]
    console_url: str = ""

    @property
    def services(self) -> Services:
        return self.app.bot_data["services"]  # type: ignore[no-any-return]

    @property
    def page_url(self) -> str:
        return f"{self.server.base_url}/"


@contextlib.asynccontextmanager
async def running_demo(
    database_url: str,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    token: str = DEMO_TOKEN,
    web_port: int = 0,
    tile_url: str | None = None,
) -> AsyncIterator[DemoRun]:
    """The whole demo in this event loop (``anninh demo``, and the browser tests), with the
    police console on ``web_port`` (0: a free port)."""
    await preflight(database_url)
    web_port = web_port or _free_port(host)
    console_url = f"http://{host}:{web_port}"
    async with SandboxServer(host=host, port=port) as server:
        oa_port = _free_port(host)
        settings = load_settings(
            **await _oa_settings(server, host, oa_port),
            bot_token=token,
            bot_api_base_url=server.bot_api_url,
            database_url=database_url,
            webhook_url=None,
            zalo_bot_token=DEMO_ZALO_TOKEN,
            zalo_api_base_url=f"{server.base_url}/zalo",
            zalo_webhook_url=None,
            zalo_poll_timeout=5,
            web_base_url=console_url,
            **({"web_tile_url": tile_url} if tile_url is not None else {}),
        )
        app = build_application(settings)
        await start_in_loop(app)
        console = None
        try:
            run = DemoRun(server, app, {}, console_url)
            run.counts = await DemoService(run.services.sessions).load()
            console = await start_console(
                run.services, app.bot, settings, port=web_port, demo=True
            )
            async with SandboxClient(server.base_url) as client:
                await populate_sandbox(client, app.bot.id, console_url)
            await _follow_the_oa(server, f"http://{host}:{oa_port}/zalo-oa/webhook")
            yield run
        finally:
            if console is not None:
                await console.stop()
            await stop_in_loop(app)


async def _oa_settings(server: SandboxServer, host: str, port: int) -> dict[str, Any]:
    """The demo runs the ward police's Zalo Official Account against the sandbox's OA API."""
    async with httpx.AsyncClient(base_url=f"{server.base_url}/sandbox/zalo-oa") as http:
        config = (await http.get("/config")).json()
        pair = (await http.post("/tokens", json={})).json()
    return {
        "zalo_oa_app_id": config["app_id"],
        "zalo_oa_app_secret": config["app_secret"],
        "zalo_oa_secret_key": config["secret_key"],
        "zalo_oa_access_token": pair["access_token"],
        "zalo_oa_refresh_token": pair["refresh_token"],
        "zalo_oa_api_base_url": f"{server.base_url}/zalo-oa/openapi",
        "zalo_oa_oauth_base_url": f"{server.base_url}/zalo-oa/oauth",
        "zalo_oa_webhook_port": port,
        "webhook_listen": host,
    }


async def _follow_the_oa(server: SandboxServer, webhook_url: str) -> None:
    """Point the OA's webhooks at the bot; the OA persona follows by the QR poster of their
    tổ dân phố (the follow's source is its area code)."""
    async with httpx.AsyncClient(base_url=f"{server.base_url}/sandbox/zalo-oa") as http:
        await http.post("/webhook", json={"url": webhook_url})
        name = {"display_name": "Nguyễn Văn Tâm", "source": OA_PERSONA_AREA}
        await http.post(f"/users/{OA_PERSONA_ID}/follow", json=name)


def _free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


async def run_demo(host: str, port: int, database_url: str, web_port: int = 0) -> None:
    try:
        async with running_demo(database_url, host=host, port=port, web_port=web_port) as run:
            server = run.server
            loaded = ", ".join(f"{k} {v}" for k, v in run.counts.items())
            print(f"anninh demo: database {database_url} (added: {loaded})")
            print(f"  Web chat (open in a browser): {run.page_url}")
            print(f"  Police console:               {run.console_url}/login")
            print(f"  Bot API server: {server.bot_api_url}")
            print(f"  Control API:    {server.base_url}/sandbox/")
            print("  Ctrl-C to stop.", flush=True)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError):
                    loop.add_signal_handler(sig, stop.set)
            await stop.wait()
    except NotADemoDatabase as exc:
        print(t(exc.message_key, "vi", **exc.args_for_message), file=sys.stderr)
        print(t(exc.message_key, "en", **exc.args_for_message), file=sys.stderr)
        raise SystemExit(2) from None
