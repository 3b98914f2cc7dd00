"""Statistics on a big area: a year of ``--n`` tips (default 100,000) in one ward's 20 tổ dân
phố, half of them acted on, and the time the real service takes to count them.

Fills a fresh SQLite file (or, with ``--postgres``, a private PostgreSQL database) through
bulk Core inserts, then times:

* ``year``  — ``StatsService.report`` for the whole year (this year, the previous one: three
  periods of figures, two daily series — everything counted in SQL);
* ``month`` — the same for one month;
* ``breakdown`` — the year by tổ dân phố;
* ``chart`` — drawing the PNG for the year (Matplotlib, Agg).

    .venv/bin/python -m bench.stats_report                 # 100,000 tips, SQLite
    .venv/bin/python -m bench.stats_report --postgres      # same on PostgreSQL
    .venv/bin/python -m bench.stats_report --n 10000       # quicker

Target: a year's report under 1 s on SQLite at 100,000 tips, with memory flat (no row loads).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, text

from bot.i18n import t
from services.access import Profile
from services.areas import AreaService
from services.stats import StatsService
from services.stats_period import Period, PeriodKind
from storage import migrate
from storage.db import create_engine, create_sessionmaker
from storage.dto import UserDTO
from storage.models import Area, Report, ReportStatusChange
from storage.uow import transaction

PG_ADMIN_URL = os.environ.get(
    "ANNINH_BENCH_PG_URL",
    os.environ.get("ANNINH_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"),
)
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CATEGORIES = ["crime", "social_evils", "property_fire", "order", "reintegration", "other"]
STATUSES = ["received", "verifying", "handled", "rejected"]
BATCH = 20_000


def areas_csv(groups: int = 20) -> str:
    lines = [
        "code,name,kind,parent_code",
        "P,Tỉnh,province,",
        "D,Thành phố,district,P",
        "W,Phường Thống Nhất,ward,D",
    ]
    lines += [f"W-{i:02d},Tổ dân phố {i},residential_group,W" for i in range(1, groups + 1)]
    return "\n".join(lines) + "\n"


async def fill(sessions, n: int) -> None:  # type: ignore[no-untyped-def]
    await AreaService(sessions).import_csv(areas_csv())
    async with transaction(sessions) as session:
        group_ids = list(await session.scalars(select(Area.id).where(Area.code.like("W-%"))))
    rng = random.Random(7)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    done = 0
    while done < n:
        size = min(BATCH, n - done)
        reports = []
        for i in range(done, done + size):
            created = start + timedelta(seconds=rng.randrange(365 * 86400))
            reports.append(
                {
                    "id": i + 1,
                    "code": f"TB-{i + 1}",
                    "kind": "tip",
                    "category": rng.choice(CATEGORIES),
                    "text": "Tin báo thử",
                    "status": rng.choice(STATUSES),
                    "area_id": rng.choice(group_ids),
                    "anonymous": False,
                    "version": 1,
                    "created_at": created,
                    "updated_at": created,
                }
            )
        changes = [
            {
                "report_id": r["id"],
                "old_status": "received",
                "new_status": "verifying",
                "created_at": r["created_at"] + timedelta(minutes=rng.randrange(5, 3000)),
            }
            for r in reports
            if r["id"] % 2
        ]
        async with transaction(sessions) as session:
            await session.execute(insert(Report), reports)
            await session.execute(insert(ReportStatusChange), changes)
        done += size


async def timed(label: str, coro) -> object:  # type: ignore[no-untyped-def]
    began = time.perf_counter()
    result = await coro
    print(f"{label:<10} {1000 * (time.perf_counter() - began):8.1f} ms")
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()

    tmp = None
    admin = None
    if args.postgres:
        name = f"anninh_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = PG_ADMIN_URL.rpartition("/")[0] + f"/{name}"
    else:
        tmp = tempfile.TemporaryDirectory()
        url = f"sqlite+aiosqlite:///{Path(tmp.name) / 'bench.db'}"
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        sessions = create_sessionmaker(engine)
        began = time.perf_counter()
        await fill(sessions, args.n)
        print(
            f"filled {args.n:,} tips in {time.perf_counter() - began:.1f} s ({url.split(':')[0]})"
        )
        stats = StatsService(sessions, tz=TZ, translate=t)
        operator = Profile(
            user=UserDTO(1, 1, "bench", None, None, "vi", None, False),
            locale="vi",
            is_superadmin=True,
        )
        year = Period(PeriodKind.CUSTOM, date(2026, 1, 1), date(2026, 12, 31))
        month = Period(PeriodKind.CUSTOM, date(2026, 10, 1), date(2026, 10, 31))
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        report = await timed("year", stats.report(operator, year))
        await timed("year", stats.report(operator, year))  # warm
        await timed("month", stats.report(operator, month))
        await timed("breakdown", stats.breakdown(operator, year))
        await timed("chart", stats.chart(report, "vi"))  # type: ignore[arg-type]  # cold import
        png = await timed("chart", stats.chart(report, "vi"))  # type: ignore[arg-type]
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"total counted {report.current.total:,}; chart {len(png):,} bytes")  # type: ignore[attr-defined]
        print(f"peak RSS grew {(rss_after - rss_before) / 1024:.1f} MiB during the reports")
    finally:
        await engine.dispose()
        if admin is not None:
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await admin.dispose()
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
