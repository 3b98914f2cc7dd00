"""Update throughput: the full bot (tip conversation steps, each stored) against a bare PTB
echo bot, same local Bot API server, same updates, separate tokens.

N text messages from R residents are queued in the sandbox first (every resident has a tip
being written, at the description step); then each bot, alone, in its own process, polls
and answers them. The rate is answers per second between the first update handed out and
the N-th answer (as the sandbox sees it). Both bots run without PTB's AIORateLimiter: this
measures processing capacity; on Telegram both would be capped at 30 messages/s overall.

    .venv/bin/python -m bench.throughput [--updates 2000] [--postgres]

Target: the full bot at ≥ 50% of the echo bot's rate.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from typing import Any

import httpx

from bench.common import ROOT, database, sandbox_process

ECHO_TOKEN = "111111:ECHO-bench"
FULL_TOKEN = "222222:FULL-bench"


# -- the two bots (run with --child) ----------------------------------------------------------
async def _echo(message_update: Any, context: Any) -> None:
    await message_update.effective_message.reply_text(message_update.effective_message.text)


def run_echo(base: str) -> None:
    from telegram.ext import ApplicationBuilder, MessageHandler, filters

    app = (
        ApplicationBuilder()
        .token(ECHO_TOKEN)
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, _echo))
    print("ready", flush=True)
    app.run_polling(poll_interval=0.0, timeout=1)


def run_full(base: str, database_url: str, per_user: int = 0) -> None:
    from bot.app import build_application
    from bot.settings import load_settings

    settings = load_settings(
        bot_token=FULL_TOKEN,
        bot_api_base_url=f"{base}/bot",
        database_url=database_url,
        webhook_url=None,
        log_level="WARNING",
        tips_per_hour=1000,
    )
    app = build_application(settings, rate_limit=False)
    if per_user:  # experiment: different people's updates concurrently, one person in order
        app._update_processor = PerUserProcessor(per_user)  # type: ignore[attr-defined]
    print("ready", flush=True)
    app.run_polling(poll_interval=0.0, timeout=1)


def _processor_class() -> type:
    from telegram.ext import BaseUpdateProcessor

    class _PerUser(BaseUpdateProcessor):
        """Updates of different people run concurrently (up to ``max_concurrent``); one
        person's updates stay in order (a FIFO lock per user)."""

        def __init__(self, max_concurrent: int) -> None:
            super().__init__(max_concurrent)
            self._locks: dict[object, asyncio.Lock] = {}

        async def do_process_update(self, update: object, coroutine: Any) -> None:
            user = getattr(update, "effective_user", None)
            chat = getattr(update, "effective_chat", None)
            key = user.id if user else (chat.id if chat else None)
            lock = self._locks.setdefault(key, asyncio.Lock())
            async with lock:
                await coroutine

        async def initialize(self) -> None:
            return None

        async def shutdown(self) -> None:
            return None

    return _PerUser


def PerUserProcessor(n: int) -> Any:
    return _processor_class()(n)


# -- the measurement --------------------------------------------------------------------------
def _user(uid: int) -> dict[str, Any]:
    return {"id": uid, "first_name": f"Dân {uid}", "is_bot": False, "language_code": "vi"}


async def _prepare_drafts(database_url: str, users: list[int]) -> None:
    from bot.settings import load_settings
    from bot.wiring import OfflineSender, build_services
    from services.users import IncomingUser
    from storage import migrate

    settings = load_settings(bot_token=FULL_TOKEN, database_url=database_url, webhook_url=None)
    services = build_services(settings, OfflineSender())  # type: ignore[arg-type]
    try:
        await migrate.upgrade(services.engine)
        for uid in users:
            profile = await services.users.identify(IncomingUser(uid, f"Dân {uid}"))
            await services.tips.begin(profile.user.id, category="crime")
    finally:
        await services.close()


async def _sent(http: httpx.AsyncClient) -> tuple[int, int]:
    stats = (await http.get("/sandbox/stats")).json()
    return stats["calls"].get("sendMessage", 0), stats["updates_delivered"]


async def _measure(
    http: httpx.AsyncClient, cmd: list[str], env: dict[str, str], n: int, timeout: float
) -> dict[str, float]:
    sent0, delivered0 = await _sent(http)
    with tempfile.TemporaryFile() as errors:  # the bot's stderr, shown if it dies
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            first = None
            deadline = time.monotonic() + timeout
            while True:
                sent, delivered = await _sent(http)
                now = time.monotonic()
                if first is None and delivered > delivered0:
                    first = now
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
            return {"updates": n, "seconds": seconds, "rate": n / seconds}
        finally:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()


async def run(updates: int, residents: int, backend: str) -> dict[str, dict[str, float]]:
    users = [500_000 + i for i in range(residents)]
    with sandbox_process() as base:
        async with database(backend) as url, httpx.AsyncClient(base_url=base, timeout=30) as http:
            await _prepare_drafts(url, users)
            for token in (ECHO_TOKEN, FULL_TOKEN):  # both bots "seen": both get every update
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

            await asyncio.gather(*(say(i) for i in range(updates)))
            env = {**os.environ, "PYTHONUNBUFFERED": "1"}
            me = [sys.executable, "-m", "bench.throughput"]
            echo = await _measure(
                http, [*me, "--child", "echo", "--base", base], env, updates, timeout=600
            )
            full = await _measure(
                http,
                [*me, "--child", "full", "--base", base, "--database-url", url],
                env,
                updates,
                timeout=1800,
            )
    return {"echo": echo, "full": full}


def table(result: dict[str, dict[str, float]], backend: str) -> list[str]:
    echo, full = result["echo"], result["full"]
    ratio = full["rate"] / echo["rate"]
    return [
        f"{'bot':<32} {'updates':>8} {'seconds':>8} {'updates/s':>10}",
        f"{'bare PTB echo bot':<32} {echo['updates']:>8.0f} {echo['seconds']:>8.2f} "
        f"{echo['rate']:>10.1f}",
        f"{'anninh, tip steps (' + backend + ')':<32} {full['updates']:>8.0f} "
        f"{full['seconds']:>8.2f} {full['rate']:>10.1f}",
        f"full bot at {ratio:.0%} of the echo bot — target ≥ 50%: "
        f"{'OK' if ratio >= 0.5 else 'MISSED'}",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--short", action="store_true", help="300 updates (CI)")
    parser.add_argument("--child", choices=["echo", "full"], help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--per-user", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "echo":
        run_echo(args.base)
        return
    if args.child == "full":
        run_full(args.base, args.database_url, args.per_user)
        return
    updates = 300 if args.short else args.updates
    backend = "postgresql" if args.postgres else "sqlite"
    result = asyncio.run(run(updates, min(args.residents, updates), backend))
    print("\n".join(table(result, backend)))


if __name__ == "__main__":
    main()
