"""Resident memory (RSS) of the bot process: idle, and after 100,000 stored tips with the
police and residents using it (inbox, statistics, their own tips, new tips).

The bot runs as `python -m bot.cli run` against the local Bot API server (its own process);
the tips are bulk-loaded into its database while it runs; RSS and its peak (VmHWM) come from
/proc.

    .venv/bin/python -m bench.memory [--tips 100000] [--postgres]

Target: < 150 MB after 100,000 tips.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.common import ROOT, database, rss_mb, sandbox_process

TOKEN = "333333:MEM-bench"
OFFICER = 700_001
RESIDENTS = [710_000 + i for i in range(50)]


def _user(uid: int, name: str = "Dân") -> dict[str, Any]:
    return {"id": uid, "first_name": f"{name} {uid}", "is_bot": False, "language_code": "vi"}


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _seed(url: str) -> None:
    from bench.stats_report import areas_csv
    from bot.sender import OfflineSender
    from bot.settings import load_settings
    from bot.wiring import build_services
    from storage import migrate

    settings = load_settings(bot_token=TOKEN, database_url=url, webhook_url=None)
    services = build_services(settings, OfflineSender())  # type: ignore[arg-type]
    try:
        await migrate.upgrade(services.engine)
        await services.areas.import_csv(areas_csv())
        await services.grants.grant(target_telegram_id=OFFICER, role="police", area_code="W")
    finally:
        await services.close()


async def _fill(url: str, n: int) -> float:
    from bench.stats_report import fill
    from storage.db import create_engine, create_sessionmaker

    engine = create_engine(url)
    started = time.monotonic()
    try:
        await fill(create_sessionmaker(engine), n)
    finally:
        await engine.dispose()
    return time.monotonic() - started


async def _say(http: httpx.AsyncClient, uid: int, text: str, name: str = "Dân") -> None:
    sent = (
        await http.post(
            f"/sandbox/chats/{uid}/messages",
            json={"from": _user(uid, name), "chat": {"type": "private"}, "text": text},
        )
    ).json()
    r = await http.get(
        f"/sandbox/chats/{uid}/messages",
        params={"after": sent["message_id"], "from_bot": 1, "wait": 60, "min": 1},
        timeout=80,
    )
    r.raise_for_status()


async def _activity(http: httpx.AsyncClient) -> None:
    for cmd in ("/start", "/hopthu", "/thongke", "/nhatky"):
        await _say(http, OFFICER, cmd, "Cán bộ")
    for uid in RESIDENTS:
        await _say(http, uid, "/start")
        await _say(http, uid, "/tincuatoi")
        await _say(http, uid, "Có người lạ đứng trước cổng nhà tôi từ chiều.")


async def run(tips: int, backend: str) -> dict[str, float]:
    with sandbox_process() as base, tempfile.TemporaryDirectory() as tmp:
        async with database(backend) as url, httpx.AsyncClient(base_url=base, timeout=30) as http:
            await _seed(url)
            log = Path(tmp) / "bot.log"
            env = {
                **os.environ,
                "BOT_TOKEN": TOKEN,
                "BOT_API_BASE_URL": f"{base}/bot",
                "DATABASE_URL": url,
                "WEBHOOK_URL": "",
                "LOG_LEVEL": "WARNING",
                "TIPS_PER_HOUR": "1000",
                "PYTHONUNBUFFERED": "1",
            }
            with log.open("wb") as out:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "bot.cli", "run"],
                    cwd=ROOT,
                    env=env,
                    stdout=out,
                    stderr=out,
                )
            try:
                deadline = time.monotonic() + 120
                while (await http.get("/sandbox/stats")).json()["calls"].get("getUpdates", 0) == 0:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(log.read_text()[-2000:])
                    await asyncio.sleep(0.1)
                await _say(http, OFFICER, "/start", "Cán bộ")
                await asyncio.sleep(2)
                idle = rss_mb(proc.pid)
                fill_s = await _fill(url, tips)
                await _activity(http)
                await asyncio.sleep(1)
                loaded = rss_mb(proc.pid)
                peak = _peak_mb(proc.pid)
            finally:
                proc.terminate()
                proc.wait(30)
    return {"tips": tips, "idle": idle, "loaded": loaded, "peak": peak, "fill_s": fill_s}


def table(result: dict[str, float], backend: str) -> list[str]:
    return [
        f"{'database':<12} {'tips':>8} {'idle MB':>8} {'after MB':>9} {'peak MB':>8}",
        f"{backend:<12} {result['tips']:>8,.0f} {result['idle']:>8.1f} {result['loaded']:>9.1f} "
        f"{result['peak']:>8.1f}",
        f"RSS after {result['tips']:,.0f} tips: {result['loaded']:.1f} MB — target < 150 MB: "
        f"{'OK' if result['loaded'] < 150 else 'MISSED'}",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tips", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--short", action="store_true", help="10,000 tips (CI)")
    args = parser.parse_args(argv)
    tips = 10_000 if args.short else args.tips
    backend = "postgresql" if args.postgres else "sqlite"
    print("\n".join(table(asyncio.run(run(tips, backend)), backend)))


if __name__ == "__main__":
    main()
