"""Fan-out of one advisory to N residents' groups under the sandbox's Telegram limits
(30 messages/s overall, 20/min per group), through the real bot, scheduler and ledger.

    .venv/bin/python bench/fanout.py            # 500 groups
    .venv/bin/python bench/fanout.py --short    # 100 groups, for CI

Prints a table: groups, seconds, messages/s, fraction of the 30 msg/s ceiling (target ≥ 90%),
429s served by the sandbox, lost and duplicated copies (both must be 0).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sandbox.client import SandboxClient
from sandbox.server import SandboxServer
from services.advisory_types import AdvisoryDraft
from services.schedule_text import Schedule
from storage.models import Recurrence
from tests.e2e.harness import BotHarness
from tests.e2e.test_advisories_support import (
    copies,
    ledger,
    officer,
    seed_groups,
    seed_tree,
    wait_until,
)

CEILING = 30.0
MARKER = "Bench: cảnh báo thủ đoạn lừa đảo mới"


async def run(groups: int) -> dict[str, float]:
    wards = max(1, groups // 50)
    per_ward = groups // wards
    with tempfile.TemporaryDirectory() as tmp:
        async with SandboxServer(port=0) as server, SandboxClient(server.base_url) as client:
            h = BotHarness(server, client, f"sqlite+aiosqlite:///{tmp}/bench.db")
            await h.start()
            try:
                await seed_tree(h, wards=wards, groups_per_ward=per_ward)
                profile = await officer(h, "ND-TP")
                codes = [
                    f"ND-W{w}-{g:02d}" for w in range(1, wards + 1) for g in range(1, per_ward + 1)
                ]
                chat_ids = await seed_groups(h, codes, admin=False)
                runtime = h.app.bot_data["advisory_scheduler"]  # type: ignore[union-attr]

                async def held() -> bool:
                    return bool(runtime.lease.held)

                await wait_until(held)
                await client.limits(True)
                before = (await client.stats())["429_served"]
                started = time.monotonic()
                await h.services.advisories.create(
                    profile,
                    AdvisoryDraft(
                        text=MARKER,
                        schedule=Schedule(Recurrence.ONCE, run_at=datetime.now(UTC)),
                        area_id=(await h.services.areas.get("ND-TP")).id,
                    ),
                )

                async def settled() -> bool:
                    rows = await ledger(h)
                    return len(rows) == len(chat_ids) and all(
                        s in ("sent", "failed") for s, _ in rows
                    )

                await wait_until(settled, within=600, interval=0.5)
                elapsed = time.monotonic() - started
                # Precise span from the ledger: the run's start to its last delivery.
                span = await ledger_span(h)
                found = []
                for start in range(0, len(chat_ids), 50):
                    chunk = chat_ids[start : start + 50]
                    found += await asyncio.gather(*(copies(h, c, MARKER) for c in chunk))
                served = (await client.stats())["429_served"] - before
            finally:
                await h.stop()
    elapsed = span or elapsed
    rate = len(chat_ids) / elapsed
    return {
        "groups": len(chat_ids),
        "seconds": elapsed,
        "rate": rate,
        "ceiling": rate / CEILING,
        "429s": served,
        "lost": sum(1 for f in found if not f),
        "duplicates": sum(1 for f in found if len(f) > 1),
    }


async def ledger_span(h: BotHarness) -> float | None:
    from sqlalchemy import func, select

    from storage.models import AdvisoryDelivery, AdvisoryRun
    from storage.uow import transaction

    async with transaction(h.services.sessions) as session:
        started = await session.scalar(select(func.min(AdvisoryRun.created_at)))
        last = await session.scalar(select(func.max(AdvisoryDelivery.updated_at)))
    if started is None or last is None:
        return None
    return (last - started).total_seconds()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="100 groups instead of 500")
    parser.add_argument("--groups", type=int, default=None)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    groups = args.groups or (100 if args.short else 500)
    result = asyncio.run(run(groups))
    header = (
        f"{'groups':>7} {'seconds':>8} {'msg/s':>7} {'of 30/s':>8} {'429s':>5} "
        f"{'lost':>5} {'dupes':>6}"
    )
    print(header)
    print("-" * len(header))
    print(
        f"{result['groups']:>7} {result['seconds']:>8.2f} {result['rate']:>7.2f} "
        f"{result['ceiling']:>8.1%} {result['429s']:>5} {result['lost']:>5} "
        f"{result['duplicates']:>6}"
    )
    ok = result["lost"] == 0 and result["duplicates"] == 0
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
