"""The console's reads at country scale, on a database filled by ``bench.country``.

Times the service calls the pages make (nothing of HTTP or HTML), as the officers the
generator made: a ward's police and a province's police.

* inbox — the first page of the inbox as it opens (open tips), and of every tip (all
  statuses, three years), with its count;
* map — the map's points and area labels for the last 30 days;
* statistics — a province's figures for a year (with last year's, the daily series and the
  breakdown by ward): what the Thống kê page shows;
* /kiemtra — ``bench.scam_lookup``'s look-up over the 1,000,000 indicators.

    .venv/bin/python -m bench.console_scale --db anninh_country
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import date

from bench import scam_lookup
from bench.common import PG_ADMIN_URL
from bench.country import PROVINCES, WARDS
from bot.sender import OfflineSender
from bot.settings import load_settings
from bot.wiring import build_services
from services.console_model import ConsoleFilter
from services.console_stats import StatsChoice
from services.stats_period import Period, PeriodKind

TARGETS_MS = {
    "inbox, ward": 300,
    "inbox, province": 1000,
    "inbox all statuses, ward": 300,
    "inbox all statuses, province": 1000,
    "map 30 days, ward": 300,
    "map 30 days, province": 1000,
    "statistics of a year, province": 2000,
    "statistics of a year, province (first read)": 2000,
}
TODAY = date(2026, 12, 1)
"""The generated history ends here."""


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def timed(fn: Callable[[], Awaitable[object]]) -> float:
    start = time.perf_counter()
    await fn()
    return (time.perf_counter() - start) * 1000


async def measure(url: str, officers: int, repeat: int, seed: int) -> dict[str, list[float]]:
    settings = load_settings(database_url=url, bot_token="1:bench", webhook_url=None)
    services = build_services(settings, OfflineSender())
    rng = random.Random(seed)
    out: dict[str, list[float]] = {k: [] for k in TARGETS_MS}
    try:
        first = await _first_officer(services)
        wards = [first + rng.randrange(WARDS) for _ in range(officers)]
        picked = rng.sample(range(PROVINCES), min(officers, PROVINCES))
        provinces = [first + WARDS + p for p in picked]
        console, stats = services.console, services.console_stats
        open_inbox, all_inbox = ConsoleFilter(), ConsoleFilter(status="all")
        year = StatsChoice(Period.current(PeriodKind.YEAR, TODAY), 0)
        for label, ids in (("ward", wards), ("province", provinces)):
            for user_id in ids:
                profile = await services.users.profile_of(user_id)
                assert profile is not None
                await console.inbox(profile, open_inbox)  # warm this officer's pages
                for _ in range(repeat):
                    out[f"inbox, {label}"].append(
                        await timed(lambda p=profile: console.inbox(p, open_inbox))
                    )
                    out[f"inbox all statuses, {label}"].append(
                        await timed(lambda p=profile: console.inbox(p, all_inbox))
                    )
                    out[f"map 30 days, {label}"].append(
                        await timed(
                            lambda p=profile: console.map(
                                p, ConsoleFilter(), TODAY, with_areas=False
                            )
                        )
                    )
                if label == "province":
                    # The first read of a province's year finds its pages on disk; the
                    # officer's next ones (another period, the export) find them in memory.
                    out["statistics of a year, province (first read)"].append(
                        await timed(lambda p=profile: stats.page(p, year))
                    )
                    for _ in range(repeat):
                        out["statistics of a year, province"].append(
                            await timed(lambda p=profile: stats.page(p, year))
                        )
    finally:
        await services.close()
    return out


async def _first_officer(services: object) -> int:
    from sqlalchemy import text

    async with services.engine.connect() as conn:  # type: ignore[attr-defined]
        return int(
            (
                await conn.execute(
                    text("SELECT min(id) FROM users WHERE telegram_id >= 900000000")
                )
            ).scalar_one()
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="anninh_country")
    parser.add_argument("--officers", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lookups", type=int, default=5000)
    parser.add_argument("--indicators", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--lookups-only", action="store_true", help="only /kiemtra")
    args = parser.parse_args()
    base, _, _ = PG_ADMIN_URL.rpartition("/")
    url = f"{base}/{args.db}"
    results: dict[str, list[float]] = {}
    if not args.lookups_only:
        results = asyncio.run(measure(url, args.officers, args.repeat, args.seed))
    rows = []
    for name, samples in results.items():
        if samples:
            rows.append(
                {
                    "what": name,
                    "n": len(samples),
                    "median_ms": round(statistics.median(samples), 1),
                    "p95_ms": round(pct(samples, 0.95), 1),
                    "max_ms": round(max(samples), 1),
                    "target_ms": TARGETS_MS[name],
                }
            )
    for row in rows:
        print(json.dumps(row, ensure_ascii=False), flush=True)
    rows = []
    lookups = asyncio.run(scam_lookup.measure(url, args.indicators, args.lookups, args.seed))
    lookups.append(
        (
            "driver only",
            asyncio.run(scam_lookup.measure_driver(url, args.indicators, args.lookups, args.seed)),
        )
    )
    for name, samples in lookups:
        rows.append(
            {
                "what": f"/kiemtra {name}",
                "n": len(samples),
                "median_ms": round(statistics.median(samples), 3),
                "p95_ms": round(pct(samples, 0.95), 3),
                "p99_ms": round(pct(samples, 0.99), 3),
                "target_ms": 1,
            }
        )
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
