"""Update throughput: the full bot (tip conversation steps, each stored) against a bare PTB
echo bot, same local Bot API server, same updates, separate tokens.

N text messages from R residents are queued in the sandbox first (every resident has a tip
being written, at the description step); then each bot, alone, in its own process, polls
and answers them. The rate is answers per second between the first update handed out and
the N-th answer (as the sandbox sees it). This measures processing capacity: anninh's send
budget is raised far above Telegram's (its limiter still runs, its cost counted), the echo bot
has no limiter; on Telegram every bot is capped at 30 messages/s overall.

Four bots are measured, in turn, each round (rates vary by ±30% between runs on a shared
2-core VM, so the result is the median over rounds):

* the bare PTB echo bot with PTB's defaults (one update after another) — the reference;
* the same echo bot with PTB's ``concurrent_updates(8)``, for comparison;
* anninh as deployed (``UPDATE_CONCURRENCY=8``: different chats at once, each chat in order);
* anninh with ``UPDATE_CONCURRENCY=1`` (one update after another), for comparison.

    .venv/bin/python -m bench.throughput [--updates 2000] [--rounds 3] [--postgres]

Target: the full bot at ≥ 50% of the (default) echo bot's rate.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.common import ROOT, database, sandbox_process

TOKENS = {
    "echo": "111111:ECHO-bench",
    "echo-concurrent": "111112:ECHO-CONCURRENT-bench",
    "anninh": "222222:FULL-bench",
    "anninh-sequential": "222223:FULL-SEQUENTIAL-bench",
}
LABELS = {
    "echo": "bare PTB echo bot",
    "echo-concurrent": "echo bot, concurrent_updates(8)",
    "anninh": "anninh, tip steps",
    "anninh-sequential": "anninh, UPDATE_CONCURRENCY=1",
}


# -- the bots (run with --child) --------------------------------------------------------------
async def _echo(message_update: Any, context: Any) -> None:
    await message_update.effective_message.reply_text(message_update.effective_message.text)


def run_echo(base: str, token: str, concurrent: bool) -> None:
    from telegram.ext import ApplicationBuilder, MessageHandler, filters

    builder = ApplicationBuilder().token(token).base_url(f"{base}/bot")
    app = builder.base_file_url(f"{base}/file/bot").concurrent_updates(8 if concurrent else 1)
    app = app.build()
    app.add_handler(MessageHandler(filters.TEXT, _echo))
    print("ready", flush=True)
    app.run_polling(poll_interval=0.0, timeout=1)


RAISED_BUDGET = 100_000
"""Messages per second: processing capacity, not Telegram's limits, is what is measured."""


def run_full(base: str, token: str, database_url: str, concurrency: int | None) -> None:
    from bot.app import build_application
    from bot.settings import load_settings
    from storage.send_budget import SendLimits

    overrides: dict[str, Any] = {"update_concurrency": concurrency} if concurrency else {}
    settings = load_settings(
        bot_token=token,
        bot_api_base_url=f"{base}/bot",
        database_url=database_url,
        webhook_url=None,
        log_level="WARNING",
        tips_per_hour=1000,
        **overrides,  # none: as deployed (the settings' default)
    )
    raised = SendLimits(RAISED_BUDGET, private_chat=None, group_chat=None)
    app = build_application(settings, send_limits=raised)
    print("ready", flush=True)
    app.run_polling(poll_interval=0.0, timeout=1)


# -- the measurement --------------------------------------------------------------------------
def _user(uid: int) -> dict[str, Any]:
    return {"id": uid, "first_name": f"Dân {uid}", "is_bot": False, "language_code": "vi"}


async def _prepare_drafts(database_url: str, users: list[int]) -> None:
    from bot.sender import OfflineSender
    from bot.settings import load_settings
    from bot.wiring import build_services
    from services.users import IncomingUser
    from storage import migrate

    settings = load_settings(
        bot_token=TOKENS["anninh"], database_url=database_url, webhook_url=None
    )
    services = build_services(settings, OfflineSender())  # type: ignore[arg-type]
    try:
        await migrate.upgrade(services.engine)
        for uid in users:
            profile = await services.users.identify(IncomingUser(uid, f"Dân {uid}"))
            await services.tip_intake.begin(profile.user.id, category="crime")
    finally:
        await services.close()


async def _sent(http: httpx.AsyncClient) -> tuple[int, int]:
    stats = (await http.get("/sandbox/stats")).json()
    return stats["calls"].get("sendMessage", 0), stats["updates_delivered"]


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, from /proc (NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _measure(
    http: httpx.AsyncClient, cmd: list[str], env: dict[str, str], n: int, timeout: float
) -> dict[str, float]:
    sent0, delivered0 = await _sent(http)
    with tempfile.TemporaryFile() as errors:  # the bot's stderr, shown if it dies
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            first, cpu0 = None, 0.0
            deadline = time.monotonic() + timeout
            while True:
                sent, delivered = await _sent(http)
                now = time.monotonic()
                if first is None and delivered > delivered0:
                    first, cpu0 = now, _cpu_seconds(proc.pid)  # start-up is not counted
                if sent - sent0 >= n:
                    break
                if now > deadline or proc.poll() is not None:
                    errors.seek(0)
                    tail = errors.read()[-3000:].decode(errors="replace")
                    raise RuntimeError(
                        f"only {sent - sent0}/{n} answers (bot exit {proc.poll()}):\n{tail}"
                    )
                await asyncio.sleep(0.02)
            assert first is not None
            seconds = max(now - first, 1e-6)
            cpu = _cpu_seconds(proc.pid) - cpu0
            return {"updates": n, "seconds": seconds, "rate": n / seconds, "cpu": cpu}
        finally:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()


async def run(
    updates: int, residents: int, backend: str, rounds: int = 1
) -> dict[str, dict[str, float]]:
    """Per bot: the median rate over the rounds, and each round's rate."""
    users = [500_000 + i for i in range(residents)]
    rates: dict[str, list[float]] = {bot: [] for bot in TOKENS}
    cpu_ms: dict[str, list[float]] = {bot: [] for bot in TOKENS}
    with sandbox_process() as base:
        async with database(backend) as url, httpx.AsyncClient(base_url=base, timeout=30) as http:
            for token in TOKENS.values():  # every bot "seen": each gets every update
                await http.post(f"/bot{token}/getMe")
            gate = asyncio.Semaphore(32)

            async def say(i: int) -> None:
                uid = users[i % residents]
                async with gate:
                    r = await http.post(
                        f"/sandbox/chats/{uid}/messages",
                        json={
                            "from": _user(uid),
                            "chat": {"type": "private"},
                            "text": f"Chi tiết {i}: người lạ đi xe máy biển 18B1-{i:05d}",
                        },
                    )
                    r.raise_for_status()

            env = {**os.environ, "PYTHONUNBUFFERED": "1"}
            me = [sys.executable, "-m", "bench.throughput", "--base", base]
            commands = {
                "echo": [*me, "--child", "echo"],
                "echo-concurrent": [*me, "--child", "echo", "--concurrency", "8"],
                "anninh": [*me, "--child", "full", "--database-url", url],
                "anninh-sequential": [
                    *[*me, "--child", "full", "--database-url", url],
                    *["--concurrency", "1"],
                ],
            }
            for _ in range(rounds):
                await _prepare_drafts(url, users)  # every round starts at the same drafts
                await asyncio.gather(*(say(i) for i in range(updates)))
                for bot, token in TOKENS.items():
                    if bot.startswith("anninh"):
                        await _prepare_drafts(url, users)
                    cmd = [*commands[bot], "--token", token]
                    timeout = 1800 if bot.startswith("anninh") else 600
                    measured = await _measure(http, cmd, env, updates, timeout=timeout)
                    rates[bot].append(measured["rate"])
                    cpu_ms[bot].append(measured["cpu"] * 1000 / updates)
    return {
        bot: {
            "rate": statistics.median(r),
            "rounds": len(r),
            "min": min(r),
            "max": max(r),
            "cpu_ms": statistics.median(cpu_ms[bot]),
        }
        for bot, r in rates.items()
    }


def table(result: dict[str, dict[str, float]], backend: str) -> list[str]:
    echo = result["echo"]["rate"]
    lines = [
        f"{'bot (' + backend + ')':<36} {'median/s':>9} {'min':>7} {'max':>7} {'of echo':>8}"
        f" {'CPU ms/update':>14}"
    ]
    for bot, r in result.items():
        lines.append(
            f"{LABELS[bot]:<36} {r['rate']:>9.1f} {r['min']:>7.1f} {r['max']:>7.1f} "
            f"{r['rate'] / echo:>8.0%} {r['cpu_ms']:>14.2f}"
        )
    ratio = result["anninh"]["rate"] / echo
    lines.append(
        f"anninh at {ratio:.0%} of the bare echo bot — target ≥ 50%: "
        f"{'OK' if ratio >= 0.5 else 'MISSED'}"
    )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--short", action="store_true", help="300 updates, one round (CI)")
    parser.add_argument("--child", choices=["echo", "full"], help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--concurrency", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "echo":
        run_echo(args.base, args.token, concurrent=bool(args.concurrency))
        return
    if args.child == "full":
        run_full(args.base, args.token, args.database_url, args.concurrency)
        return
    updates = 300 if args.short else args.updates
    rounds = 1 if args.short else args.rounds
    backend = "postgresql" if args.postgres else "sqlite"
    result = asyncio.run(run(updates, min(args.residents, updates), backend, rounds))
    print("\n".join(table(result, backend)))


if __name__ == "__main__":
    main()
