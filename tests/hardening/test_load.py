"""Many users at once, and two bot instances on one database.

* N residents (1,000 with ANNINH_LOAD_RESIDENTS=1000; 200 by default so CI stays quick) each
  open their finished tip and press Send at the same time, through the sandbox: every tip
  is stored exactly once, each resident gets exactly one confirmation, the police chat gets
  one message per tip; the time is printed.
* Two instances in webhook mode behind a round-robin proxy (the sandbox, like Telegram,
  delivers to one URL per token): residents' conversations alternate between instances
  without duplicate processing, and the advisory scheduler runs on exactly one of them (the
  database lease): every group gets each advisory once. PostgreSQL only (two processes on
  one SQLite file is not a supported deployment).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import socket
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.app import AnninhApplication, build_application, stop_in_loop
from bot.settings import load_settings
from bot.webhook import start_webhook
from sandbox.client import SandboxClient
from sandbox.server import SandboxServer
from services.advisory_types import AdvisoryDraft
from services.schedule_text import Schedule
from services.users import IncomingUser
from storage.models import Recurrence
from tests.conftest import BACKEND
from tests.e2e.harness import TEST_TOKEN, BotHarness, user
from tests.e2e.test_advisories_support import copies, ledger, seed_groups, seed_tree
from tests.e2e.test_tips import HUNG, seed
from tests.hardening.support import draft_ready, scalar, wait_until

pytestmark = pytest.mark.slow

RESIDENTS = int(os.environ.get("ANNINH_LOAD_RESIDENTS", "200"))
SECRET = "proxy-secret-1"


async def _gather_limited(coros: list[Any], limit: int = 64) -> list[Any]:
    gate = asyncio.Semaphore(limit)

    async def one(c: Any) -> Any:
        async with gate:
            return await c

    return await asyncio.gather(*(one(c) for c in coros))


@pytest.mark.timeout(120 + 2 * RESIDENTS)
async def test_many_residents_send_tips_at_once(harness: BotHarness) -> None:
    h = harness
    # The officer is told privately: a police *group* takes only 20 messages a minute, which
    # would make this a test of Telegram's limit (tips are routed in the background anyway).
    await seed(h, police_chat=False)
    await h.say(HUNG, "/start")
    people = [user(200_000 + i, f"Dân {i}") for i in range(RESIDENTS)]
    await _gather_limited(
        [
            draft_ready(h, p["id"], "ND-TN-01", f"Tin báo số {i}: có trộm")
            for i, p in enumerate(people)
        ],
        limit=8,
    )
    prompts = await _gather_limited([h.say(p, "/baotin", timeout=120) for p in people])

    started = time.monotonic()
    await _gather_limited(
        [
            h.client.press_button(p["id"], p, prompt[0]["message_id"], "tipf:send", forged=True)
            for p, prompt in zip(people, prompts, strict=True)
        ]
    )

    async def all_stored() -> bool:
        return int(await scalar(h, "SELECT count(*) FROM reports")) >= RESIDENTS

    await wait_until(all_stored, timeout=600, interval=0.5)
    stored_s = time.monotonic() - started

    # The last confirmation is sent after the last commit: wait for them all.
    async def all_told() -> bool:
        told = await _gather_limited([_confirmations(h, p["id"]) for p in people])
        return all(n >= 1 for n in told)

    await wait_until(all_told, timeout=300, interval=0.5)
    total_s = time.monotonic() - started
    print(
        f"\n{RESIDENTS} residents: all tips stored in {stored_s:.1f}s, "
        f"all confirmed in {total_s:.1f}s ({RESIDENTS / total_s:.1f} tips/s)"
    )
    assert int(await scalar(h, "SELECT count(*) FROM reports")) == RESIDENTS
    per_user = int(
        await scalar(
            h,
            "SELECT count(*) FROM (SELECT reporter_user_id FROM reports "
            "GROUP BY reporter_user_id HAVING count(*) = 1) AS once",
        )
    )
    assert per_user == RESIDENTS
    told = await _gather_limited([_confirmations(h, p["id"]) for p in people])
    assert set(told) == {1}

    async def police_told() -> bool:
        return len(await _codes_told(h)) >= RESIDENTS

    await wait_until(police_told, timeout=300, interval=0.5)
    codes = await _codes_told(h)
    assert len(codes) == len(set(codes)) == RESIDENTS


async def _codes_told(h: BotHarness) -> list[str]:
    police = [m for m in await h.client.history(HUNG["id"]) if m["from"].get("is_bot")]
    return [w for m in police for w in (m.get("text") or "").split() if w.startswith("TB-")]


async def _confirmations(h: BotHarness, chat_id: int) -> int:
    history = await h.client.history(chat_id, from_bot=True)
    return sum("Đã gửi tin báo" in (m.get("text") or "") for m in history)


# -- two instances ----------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RoundRobinProxy:
    """The one webhook URL; forwards each POST to the next instance, headers and all."""

    def __init__(self, targets: list[str]) -> None:
        self.targets = itertools.cycle(targets)
        self.forwarded: dict[str, int] = {t: 0 for t in targets}
        self.port = _free_port()
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._session is not None
        target = next(self.targets)
        self.forwarded[target] += 1
        headers = {
            k: v
            for k, v in request.headers.items()
            if k.lower() in ("content-type", "x-telegram-bot-api-secret-token")
        }
        async with self._session.post(target, data=await request.read(), headers=headers) as r:
            return web.Response(status=r.status, body=await r.read())

    async def start(self) -> None:
        self._session = aiohttp.ClientSession()
        app = web.Application()
        app.router.add_post("/hook", self._forward)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()


RECEIVER = "test_webhook_receiver"


async def _start_instance(
    server: SandboxServer, database_url: str, proxy_url: str, port: int
) -> AnninhApplication:
    """One instance started as `anninh run` starts it in webhook mode (bot/webhook.py), but
    listening on its own port behind the shared URL."""
    settings = load_settings(
        bot_token=TEST_TOKEN,
        bot_api_base_url=server.bot_api_url,
        database_url=database_url,
        webhook_url=proxy_url,
        webhook_secret=SECRET,
        advisory_lease_seconds=3,
    )
    app = build_application(settings)
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    app.bot_data[RECEIVER] = await start_webhook(
        app, url=proxy_url, secret=SECRET, listen="127.0.0.1", port=port
    )
    await app.start()
    return app


async def _stop_instance(app: AnninhApplication) -> None:
    receiver = app.bot_data.pop(RECEIVER, None)
    if receiver is not None:
        await receiver.stop()
    await stop_in_loop(app)


@pytest.fixture
async def two_instances(
    sandbox: SandboxServer, client: SandboxClient, database_url: str
) -> AsyncIterator[tuple[BotHarness, list[AnninhApplication], RoundRobinProxy]]:
    ports = [_free_port(), _free_port()]
    proxy = RoundRobinProxy([f"http://127.0.0.1:{p}/hook" for p in ports])
    await proxy.start()
    apps: list[AnninhApplication] = []
    try:
        for port in ports:
            apps.append(await _start_instance(sandbox, database_url, proxy.url, port))
        h = BotHarness(sandbox, client, database_url)
        h.app = apps[0]  # services of instance 1, for seeding and checks
        yield h, apps, proxy
    finally:
        for app in apps:
            await _stop_instance(app)
        await proxy.stop()


@pytest.mark.skipif(BACKEND != "postgres", reason="two instances share a PostgreSQL database")
async def test_two_instances_behind_one_webhook_never_double_process_or_double_schedule(
    two_instances: tuple[BotHarness, list[AnninhApplication], RoundRobinProxy],
) -> None:
    h, apps, proxy = two_instances
    await seed(h)
    await seed_tree(h, wards=1, groups_per_ward=20)
    await h.services.grants.grant(target_telegram_id=3001, role="police", area_code="ND-TP")
    chat_ids = await seed_groups(h, [f"ND-W1-{g:02d}" for g in range(1, 21)], admin=False)

    # Exactly one instance holds the scheduler lease.
    async def one_holder() -> bool:
        held = [a.bot_data["advisory_scheduler"].lease.held for a in apps]
        return held.count(True) == 1

    await wait_until(one_holder, timeout=30)

    # Residents talk; their updates alternate between the instances.
    people = [user(300_000 + i, f"Dân {i}") for i in range(20)]
    for i, p in enumerate(people):
        await draft_ready(h, p["id"], "ND-TN-01", f"Tin qua hai máy số {i}")
    prompts = [await h.say(p, "/baotin", timeout=30) for p in people]
    await asyncio.gather(
        *(
            h.client.press_button(p["id"], p, pr[0]["message_id"], "tipf:send", forged=True)
            for p, pr in zip(people, prompts, strict=True)
        )
    )

    async def stored() -> bool:
        return int(await scalar(h, "SELECT count(*) FROM reports")) >= len(people)

    await wait_until(stored, timeout=60)

    async def confirmed() -> bool:
        # Stored comes before the confirmation is sent: a /start sent in between would get
        # the confirmation as its "next message".
        for p in people[:5]:
            texts = [m.get("text") or "" for m in await h.client.history(p["id"])]
            if not any(text.startswith("✅") for text in texts):
                return False
        return True

    await wait_until(confirmed, timeout=60)
    # Every update was processed once: one answer per /start, in order.
    for p in people[:5]:
        [hello] = await h.say(p, "/start", timeout=30)
        assert hello["text"].startswith("Xin chào")
    assert min(proxy.forwarded.values()) >= 10, proxy.forwarded

    # An advisory for all 20 groups, created through instance 2's services.
    author = await apps[1].bot_data["services"].users.identify(IncomingUser(3001, "Hùng"))
    marker = "Hai máy chủ: cảnh báo chỉ một lần"
    await (
        apps[1]
        .bot_data["services"]
        .advisories.create(
            author,
            AdvisoryDraft(
                text=marker,
                schedule=Schedule(Recurrence.ONCE, run_at=datetime.now(UTC)),
                area_id=(await h.services.areas.get("ND-TP")).id,
            ),
        )
    )

    async def settled() -> bool:
        rows = await ledger(h)
        return len(rows) == len(chat_ids) and all(s == "sent" for s, _ in rows)

    await wait_until(settled, timeout=60, interval=0.2)
    await asyncio.sleep(1.5)  # a second sender, if there were one, would show up by now
    counts = [len(await copies(h, c, marker)) for c in chat_ids]
    assert counts == [1] * len(chat_ids)
    assert int(await scalar(h, "SELECT count(*) FROM reports")) == len(people)
    confirmations = [
        sum("Đã gửi tin báo" in (m.get("text") or "") for m in await h.client.history(p["id"]))
        for p in people
    ]
    assert confirmations == [1] * len(people)
    assert HUNG  # the officer of the ward (seeded) received the tips in the police chat
