"""Two instances of the bot on one database and one Redis, one token: an advisory to N groups
while R residents write. The measurement of the one send budget (no tests here):
tests/e2e/test_send_budget.py runs it short, bench/send_budget.py in full.

Each resident writes ``/start`` in their private chat, waits for the answer (its latency is
recorded) and writes again after a human pause; the advisory starts once everyone writes.
One instance takes the advisory lease and sends the advisory; the other receives every update
and answers the residents: all they share is the budget in Redis.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.send_limiter import telegram_limits
from sandbox.client import SandboxClient
from sandbox.server import SandboxServer
from services.advisory_types import AdvisoryDraft
from services.schedule_text import Schedule
from storage.models import AdvisoryDelivery, Recurrence
from storage.uow import transaction
from tests.e2e.harness import BotHarness, user
from tests.e2e.test_advisories_support import copies, officer, seed_groups, seed_tree
from tests.redis_support import REDIS_URL

MARKER = "Cảnh báo: thủ đoạn giả danh công an gọi điện"


@dataclass(frozen=True, slots=True)
class Outcome:
    groups: int
    residents: int
    budget: int
    """The configured messages per second (TELEGRAM_SEND_RATE)."""
    seconds: float
    """From the advisory's first delivery to its last."""
    broadcast_rate: float
    reply_rate: float
    """Replies per second while the advisory went out."""
    replies: int
    p50: float
    p95: float
    served_429: int
    lost: int
    duplicates: int

    @property
    def left_for_broadcast(self) -> float:
        return self.budget - self.reply_rate

    @property
    def share(self) -> float:
        """The broadcast's rate as a fraction of what the replies left of the budget."""
        return self.broadcast_rate / self.left_for_broadcast


async def run(
    server: SandboxServer,
    client: SandboxClient,
    database_url: str,
    *,
    groups: int,
    residents: int,
    pause: tuple[float, float],
    send_rate: int = 28,
    redis_url: str = REDIS_URL,
) -> Outcome:
    """``pause``: seconds a resident waits between an answer and their next message."""
    # A bot id of its own: the budget's keys in Redis are per bot, and other runs share Redis.
    token = f"{random.randint(5_000_000, 9_999_999)}:BUDGET-{uuid.uuid4().hex[:10]}"
    limits = telegram_limits(send_rate)
    # The sender of the advisory starts first and takes the lease; it receives no updates
    # (two pollers of one token would both answer each update; Telegram refuses the second
    # one's getUpdates), like an instance behind a webhook that sends them to the other.
    sender = BotHarness(
        server, client, database_url, token=token, send_limits=limits, polling=False
    )
    first = BotHarness(server, client, database_url, token=token, send_limits=limits)
    await sender.start(redis_url=redis_url)
    try:
        await _lease_taken(sender)
        await first.start(redis_url=redis_url)
        wards = max(1, groups // 50)
        per_ward = -(-groups // wards)
        await seed_tree(first, wards=wards, groups_per_ward=per_ward)
        profile = await officer(first, "ND-TP")
        codes = [f"ND-W{w}-{g:02d}" for w in range(1, wards + 1) for g in range(1, per_ward + 1)]
        chat_ids = await seed_groups(first, codes[:groups], admin=False)
        await client.limits(True)
        before = (await client.stats())["429_served"]
        writing = asyncio.Event()
        stop = asyncio.Event()
        answers: list[tuple[float, float]] = []  # (answered at, latency)
        people = [user(700_000 + i, f"Dân {i}") for i in range(residents)]
        tasks = [
            asyncio.create_task(_resident(first, who, pause, answers, writing, stop))
            for who in people
        ]
        await writing.wait()
        await asyncio.sleep(pause[1])  # everyone is writing by now
        area = await first.services.areas.get("ND-TP")
        # Created where the lease is held, so that it starts at once.
        await sender.services.advisories.create(
            profile,
            AdvisoryDraft(
                text=MARKER,
                schedule=Schedule(Recurrence.ONCE, run_at=datetime.now(UTC)),
                area_id=area.id,
            ),
        )
        await _settled(first, len(chat_ids), within=max(120.0, groups))
        stop.set()
        await asyncio.gather(*tasks)
        began, ended = await _ledger_span(first)
        span = ended - began
        during = [lat for at, lat in answers if began <= at <= ended]
        found = []
        for start in range(0, len(chat_ids), 50):
            chunk = chat_ids[start : start + 50]
            found += await asyncio.gather(*(copies(first, c, MARKER) for c in chunk))
        served = (await client.stats())["429_served"] - before
    finally:
        await first.stop()
        await sender.stop()
    return Outcome(
        groups=len(chat_ids),
        residents=residents,
        budget=send_rate,
        seconds=span,
        broadcast_rate=(len(chat_ids) - 1) / span,
        reply_rate=len(during) / span,
        replies=len(during),
        p50=statistics.median(during) if during else 0.0,
        p95=_percentile(during, 0.95),
        served_429=served,
        lost=sum(1 for f in found if not f),
        duplicates=sum(1 for f in found if len(f) > 1),
    )


async def _resident(
    h: BotHarness,
    who: dict[str, object],
    pause: tuple[float, float],
    answers: list[tuple[float, float]],
    writing: asyncio.Event,
    stop: asyncio.Event,
) -> None:
    await asyncio.sleep(random.uniform(0, pause[1]))  # not all at once
    while not stop.is_set():
        asked = time.time()  # wall clock: compared with the ledger's times
        await h.say(who, "/start", timeout=30)
        answered = time.time()
        answers.append((answered, answered - asked))
        writing.set()
        await asyncio.sleep(random.uniform(*pause))


async def _lease_taken(*instances: BotHarness) -> None:
    for _ in range(300):
        if any(h.app.bot_data["advisory_scheduler"].lease.held for h in instances if h.app):
            return
        await asyncio.sleep(0.1)
    raise TimeoutError("no instance took the advisory lease")


async def _settled(h: BotHarness, groups: int, within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        async with transaction(h.services.sessions) as session:
            rows = list(await session.scalars(select(AdvisoryDelivery.status)))
        if len(rows) == groups and all(str(s) in ("sent", "failed") for s in rows):
            return
        await asyncio.sleep(0.2)
    raise TimeoutError("the advisory did not reach every group in time")


async def _ledger_span(h: BotHarness) -> tuple[float, float]:
    """The first and the last delivery's times (Unix): the sending itself, without the run's
    start (the plan, the ledger's rows), which a short run would be dominated by."""
    async with transaction(h.services.sessions) as session:
        first = await session.scalar(select(func.min(AdvisoryDelivery.updated_at)))
        last = await session.scalar(select(func.max(AdvisoryDelivery.updated_at)))
    assert first is not None and last is not None
    return _unix(first), _unix(last)


def _unix(moment: datetime) -> float:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else 0.0
