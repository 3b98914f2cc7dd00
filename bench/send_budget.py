"""One send budget, two instances: an advisory to 500 groups while 200 residents write, on
PostgreSQL with Redis, under the local Bot API server's Telegram limits (30 messages/s, 1/s
per private chat, 20/min per group). The scenario is tests/e2e/two_instances.py (its short
form is tests/e2e/test_send_budget.py): one instance holds the advisory lease and sends, the
other answers the residents; only the budget in Redis is shared.

    .venv/bin/python -m bench.send_budget              # 500 groups, 200 residents, PostgreSQL
    .venv/bin/python -m bench.send_budget --short      # 100 groups, 40 residents
    .venv/bin/python -m bench.send_budget --sqlite

Targets: zero 429s at the server, every group one copy, replies' p95 under 1 s during the
run, the broadcast at ≥ 85% of what the replies leave of the budget (TELEGRAM_SEND_RATE, 28).
The residents write once every 15-25 s each (200 of them: about 10 messages a second); the
Bot API server runs in its own process.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from dataclasses import dataclass
from typing import Any

from bench.common import database, sandbox_process
from sandbox.client import SandboxClient
from storage import migrate
from storage.db import create_engine
from tests.e2e import two_instances


@dataclass(frozen=True)
class _Server:
    """What BotHarness needs of the sandbox when it runs in another process."""

    base_url: str

    @property
    def bot_api_url(self) -> str:
        return f"{self.base_url}/bot"


def pauses(residents: int, messages_per_second: float = 10.0) -> tuple[float, float]:
    """A resident's pause between an answer and the next message, for about
    ``messages_per_second`` from all of them together."""
    mean = residents / messages_per_second
    return (mean * 0.75, mean * 1.25)


async def run(groups: int, residents: int, backend: str) -> two_instances.Outcome:
    async with database(backend) as url:
        engine = create_engine(url)
        try:
            await migrate.upgrade(engine)
        finally:
            await engine.dispose()
        with sandbox_process() as base:
            async with SandboxClient(base) as client:
                return await two_instances.run(
                    _Server(base),  # type: ignore[arg-type]
                    client,
                    url,
                    groups=groups,
                    residents=residents,
                    pause=pauses(residents),
                )


def verdict(o: two_instances.Outcome) -> dict[str, Any]:
    return {
        "no 429": o.served_429 == 0,
        "one copy each": o.lost == 0 and o.duplicates == 0,
        "p95 < 1 s": o.p95 < 1.0,
        "≥ 85% of what is left": o.share >= 0.85,
    }


def describe(o: two_instances.Outcome) -> str:
    return (
        f"{o.groups} groups in {o.seconds:.1f} s = {o.broadcast_rate:.1f}/s while "
        f"{o.residents} residents got {o.reply_rate:.1f} replies/s: {o.share:.0%} of the "
        f"{o.left_for_broadcast:.1f}/s the replies leave of {o.budget}/s; replies p50 "
        f"{o.p50 * 1000:.0f} ms, p95 {o.p95 * 1000:.0f} ms; 429s {o.served_429}, lost "
        f"{o.lost}, dupes {o.duplicates}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="100 groups, 40 residents")
    parser.add_argument("--groups", type=int, default=None)
    parser.add_argument("--residents", type=int, default=None)
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    groups = args.groups or (100 if args.short else 500)
    residents = args.residents or (40 if args.short else 200)
    outcome = asyncio.run(run(groups, residents, "sqlite" if args.sqlite else "postgresql"))
    print(describe(outcome))
    checks = verdict(outcome)
    print(", ".join(f"{name}: {'OK' if ok else 'MISSED'}" for name, ok in checks.items()))
    sys.exit(0 if checks["no 429"] and checks["one copy each"] else 1)


if __name__ == "__main__":
    main()
