"""Scam look-up latency with a million indicators.

Fills a fresh database (a SQLite file, or with ``--postgres`` a private PostgreSQL database)
with ``--n`` indicators linked to reports of a quarter as many residents (bulk-loaded with the
raw driver in big batches, not through the ORM; some links only found in a description, so
private), then times the real code paths over random queries, half hits, half misses:

* ``repo``    — ``read_summary`` on the held driver connection (storage/hotpath.py), the one
  statement ``lookup`` runs for the indicator;
* ``service`` — ``ScamService.lookup(raw)`` end to end (parse, that statement, then one more
  for the ward names when two people or more reported it, cached for a minute).

    .venv/bin/python -m bench.scam_lookup                 # 1,000,000 indicators, SQLite
    .venv/bin/python -m bench.scam_lookup --postgres      # same on PostgreSQL
    .venv/bin/python -m bench.scam_lookup --short         # 20,000 indicators (CI)

Target: p99 under 1 ms for the look-up (reported for the repository statement and for the
whole service call).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from services.scams import ScamService
from storage.db import create_engine, create_sessionmaker
from storage.hotpath import open_hot_path
from storage.models import Base
from storage.models.indicators import IndicatorKind
from storage.repositories.indicators import read_summary

PG_ADMIN_URL = os.environ.get(
    "ANNINH_BENCH_PG_URL",
    os.environ.get("ANNINH_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"),
)
TABLES = ["areas", "users", "reports", "indicators", "report_indicators", "rate_limit_hits"]
BATCH = 50_000
WARDS = 200
EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
BANKS = [  # (canonical code, how people write it)
    ("VCB", "Vietcombank"),
    ("TCB", "Techcombank"),
    ("MB", "MBBank"),
    ("ACB", "ACB"),
    ("BIDV", "BIDV"),
    ("CTG", "Vietinbank"),
    ("VBA", "Agribank"),
    ("VPB", "VPBank"),
]


# -- synthetic data: indicator i has a value computed from i, so queries can aim at hits -------


def indicator(i: int) -> tuple[str, str, str, str]:
    """(kind, value, display, what a user would type) for indicator number ``i``."""
    bucket = i % 20
    if bucket < 10:
        digits = f"{900_000_000 + i:09d}"[-9:]
        prefix = "9" if i < 100_000_000 else "3"
        national = f"0{prefix}{digits[1:]}"
        return (
            IndicatorKind.PHONE.value,
            f"+84{prefix}{digits[1:]}",
            f"{national[:4]} {national[4:7]} {national[7:]}",
            f"{national[:4]}.{national[4:7]}.{national[7:]}",
        )
    if bucket < 15:
        code, name = BANKS[i % len(BANKS)]
        account = f"{1_000_000_000 + i}"
        return (
            IndicatorKind.BANK_ACCOUNT.value,
            f"{code}:{account}",
            f"{name} {account}",
            f"{name} {account}",
        )
    if bucket < 19:
        host = f"scam-{i}.top"
        return (
            IndicatorKind.URL.value,
            f"{host}/xac-nhan",
            host,
            f"https://www.{host}/xac-nhan?x=1",
        )
    return (
        IndicatorKind.SOCIAL.value,
        f"facebook:lua.dao.{i}",
        f"facebook.com/lua.dao.{i}",
        f"https://facebook.com/lua.dao.{i}",
    )


def _ts(i: int) -> datetime:
    return EPOCH + timedelta(minutes=(i * 7919) % (700 * 24 * 60))


def user_rows(n_users: int) -> Iterator[tuple[object, ...]]:
    for u in range(1, n_users + 1):
        yield (u, 100_000 + u, f"Dân {u}", False, EPOCH, EPOCH)


def report_rows(n_reports: int, n_users: int) -> Iterator[tuple[object, ...]]:
    for r in range(1, n_reports + 1):
        at = _ts(r)
        reporter = (r * 7) % n_users + 1
        yield (
            r, f"B{r:09d}", "fraud", "fraud", "", "received", 2 + r % WARDS, reporter, False, 1,
            at, at,
        )  # fmt: skip


def indicator_rows(n: int, n_reports: int) -> Iterator[tuple[object, ...]]:
    for i in range(n):
        kind, value, display, _ = indicator(i)
        at = _ts(i % n_reports + 1)
        count = 2 if i % 10 == 0 else 1
        yield (i + 1, kind, value, display, 2 + i % WARDS, at, at, count, at)


def link_rows(n: int, n_reports: int) -> Iterator[tuple[object, ...]]:
    for i in range(n):
        first = i % n_reports + 1
        yield (i + 1, first, _ts(first), True)  # given as the scammer's
        if i % 10 == 0:  # one in ten indicators is named by a second report
            second = (i * 31 + 7) % n_reports + 1
            if second != first:  # half of them only in its description: private
                yield (i + 1, second, _ts(second), i % 20 == 0)


def _batches(rows: Iterator[tuple[object, ...]]) -> Iterator[list[tuple[object, ...]]]:
    batch: list[tuple[object, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


INSERTS = {
    "users": (
        "users", ["id", "telegram_id", "first_name", "blocked_bot", "created_at", "updated_at"]
    ),
    "reports": (
        "reports",
        [
            "id", "code", "kind", "category", "text", "status", "area_id", "reporter_user_id",
            "anonymous", "version", "created_at", "updated_at",
        ],
    ),
    "indicators": (
        "indicators",
        [
            "id", "kind", "value", "display", "area_id", "first_seen", "last_seen",
            "report_count", "created_at",
        ],
    ),
    "report_indicators": (
        "report_indicators", ["indicator_id", "report_id", "created_at", "public"]
    ),
}  # fmt: skip


def area_rows() -> list[tuple[object, ...]]:
    now = EPOCH
    rows: list[tuple[object, ...]] = [(1, "P", "Tỉnh Thử", "province", None, "/1/", now)]
    for w in range(WARDS):
        aid = 2 + w
        rows.append((aid, f"W{w}", f"Phường {w}", "ward", 1, f"/1/{aid}/", now))
    return rows


AREA_COLS = ["id", "code", "name", "kind", "parent_id", "path", "created_at"]


# -- loading ---------------------------------------------------------------------------------


async def _create_schema(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(
            lambda sync: Base.metadata.create_all(
                sync, tables=[Base.metadata.tables[t] for t in TABLES]
            )
        )
        if "postgresql" in url:  # as migration 0019 makes it
            await conn.exec_driver_sql("ALTER TABLE rate_limit_hits SET UNLOGGED")
    await engine.dispose()


def _naive(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    # Columns are UTCDateTime: naive UTC in the database.
    return [
        tuple(v.replace(tzinfo=None) if isinstance(v, datetime) else v for v in row)
        for row in rows
    ]


def load_sqlite(path: Path, n: int, n_reports: int, n_users: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA foreign_keys=OFF")

    def insert(table: str, cols: list[str], rows: Iterator[tuple[object, ...]]) -> None:
        sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        for batch in _batches(rows):
            conn.executemany(sql, [tuple(_sqlite_value(v) for v in r) for r in batch])

    insert("areas", AREA_COLS, iter(area_rows()))
    for key, rows in (
        ("users", user_rows(n_users)),
        ("reports", report_rows(n_reports, n_users)),
        ("indicators", indicator_rows(n, n_reports)),
        ("report_indicators", link_rows(n, n_reports)),
    ):
        table, cols = INSERTS[key]
        insert(table, cols, rows)
    conn.commit()
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("ANALYZE")
    conn.close()


def _sqlite_value(v: object) -> object:
    if isinstance(v, datetime):
        return v.replace(tzinfo=None).isoformat(sep=" ")
    return v


async def load_postgres(url: str, n: int, n_reports: int, n_users: int) -> None:
    import asyncpg  # the raw driver: COPY is the fast path

    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(dsn)
    try:
        await conn.copy_records_to_table("areas", records=_naive(area_rows()), columns=AREA_COLS)
        for key, rows in (
            ("users", user_rows(n_users)),
            ("reports", report_rows(n_reports, n_users)),
            ("indicators", indicator_rows(n, n_reports)),
            ("report_indicators", link_rows(n, n_reports)),
        ):
            table, cols = INSERTS[key]
            for batch in _batches(rows):
                await conn.copy_records_to_table(table, records=_naive(batch), columns=cols)
        for table in ("areas", "users", "reports", "indicators"):
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


# -- measuring -------------------------------------------------------------------------------


SUMMARY_SQL = (
    "SELECT i.*, r.area_id, ra.path, coalesce(r.reporter_user_id, -r.id), count(r.id) "
    "FROM indicators i LEFT JOIN report_indicators ri ON ri.indicator_id = i.id AND ri.public "
    "LEFT JOIN reports r ON r.id = ri.report_id AND r.status != {p1} "
    "LEFT JOIN areas ra ON ra.id = r.area_id "
    "WHERE i.kind = {p2} AND i.value = {p3} "
    "GROUP BY i.id, r.area_id, ra.path, coalesce(r.reporter_user_id, -r.id)"
)
"""The statement ``read_summary`` issues, for timing the bare driver."""


async def measure_driver(url: str, n: int, queries: int, seed: int) -> list[float]:
    """The same look-up through the bare driver (no asyncio bridge, no SQLAlchemy): what the
    database itself costs, to tell it apart from the async stack's overhead."""
    rng = random.Random(seed)
    picks = [(rng.random() < 0.5, rng.randrange(n)) for _ in range(queries)]
    out: list[float] = []
    if "postgresql" in url:
        import asyncpg

        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        stmt = await conn.prepare(SUMMARY_SQL.format(p1="$1", p2="$2", p3="$3"))
        for hit, i in picks:
            kind, value, _, _ = indicator(i if hit else n + i)
            start = time.perf_counter()
            await stmt.fetch("rejected", kind, value)
            out.append((time.perf_counter() - start) * 1000)
        await conn.close()
        return out
    conn = sqlite3.connect(url.split(":///", 1)[1])
    sql = SUMMARY_SQL.format(p1="?", p2="?", p3="?")
    for hit, i in picks:
        kind, value, _, _ = indicator(i if hit else n + i)
        start = time.perf_counter()
        conn.execute(sql, ("rejected", kind, value)).fetchall()
        out.append((time.perf_counter() - start) * 1000)
    conn.close()
    return out


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def measure(url: str, n: int, queries: int, seed: int) -> list[tuple[str, list[float]]]:
    engine = create_engine(url, pool_size=1) if "postgresql" in url else create_engine(url)
    sessions = create_sessionmaker(engine)
    hot = open_hot_path(url, sessions, busy_timeout_s=15)
    rng = random.Random(seed)
    picks = [(rng.random() < 0.5, rng.randrange(n)) for _ in range(queries)]
    service = ScamService(sessions, hot=hot)
    repo_hit: list[float] = []
    repo_miss: list[float] = []
    svc: list[float] = []
    try:
        # Warm-up: connection, statement caches.
        for i in range(min(200, n)):
            kind, value, _, raw = indicator(i)
            await read_summary(hot, IndicatorKind(kind), value)
            await service.lookup(raw, by=i)
        # Each look-up by another person: the per-person limit (30 per 10 minutes) is counted
        # (its write is part of the service's time) but never reached.
        for person, (hit, i) in enumerate(picks, start=n + 1):
            target = i if hit else n + i  # indicators >= n were never stored
            kind, value, _, raw = indicator(target)
            start = time.perf_counter()
            summary = await read_summary(hot, IndicatorKind(kind), value)
            elapsed = (time.perf_counter() - start) * 1000
            if (summary is not None) != hit:
                raise AssertionError(f"indicator {target}: expected hit={hit}")
            (repo_hit if hit else repo_miss).append(elapsed)
            start = time.perf_counter()
            result = await service.lookup(raw, by=person)
            svc.append((time.perf_counter() - start) * 1000)
            if result is None or result.known != hit:
                raise AssertionError(f"lookup({raw!r}): expected known={hit}")
            if hit and not result.people:
                raise AssertionError(f"lookup({raw!r}): a hit without the people who gave it")
    finally:
        await hot.close()
        await engine.dispose()
    return [
        ("repo (hit)", repo_hit),
        ("repo (miss)", repo_miss),
        ("repo (all)", repo_hit + repo_miss),
        ("service.lookup", svc),
    ]


async def run(args: argparse.Namespace) -> None:
    n = 20_000 if args.short and args.n is None else (args.n or 1_000_000)
    n_reports = max(1, n // 2)
    n_users = max(1, n // 4)
    queries = args.queries
    if args.postgres:
        name = f"anninh_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        base = PG_ADMIN_URL.rpartition("/")[0]
        url = f"{base}/{name}"
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        async with admin.connect() as conn:
            await conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        backend = "postgresql"
    else:
        tmp = Path(args.sqlite_dir or tempfile.mkdtemp(prefix="anninh_bench_"))
        path = tmp / "scam_bench.db"
        path.unlink(missing_ok=True)
        url = f"sqlite+aiosqlite:///{path}"
        backend = "sqlite"
    try:
        await _create_schema(url)
        start = time.perf_counter()
        if args.postgres:
            await load_postgres(url, n, n_reports, n_users)
        else:
            await asyncio.to_thread(load_sqlite, path, n, n_reports, n_users)
        load_s = time.perf_counter() - start
        rows = await measure(url, n, queries, args.seed)
        rows.append(("driver only", await measure_driver(url, n, queries, args.seed)))
    finally:
        if args.postgres:
            async with admin.connect() as conn:
                await conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.dispose()
        elif not args.keep:
            path.unlink(missing_ok=True)

    links = sum(1 for _ in link_rows(n, n_reports)) if n <= 100_000 else int(n * 1.1)
    print(
        f"\nscam look-up — {backend}: {n:,} indicators, {n_reports:,} reports of "
        f"{n_users:,} residents, "
        f"~{links:,} links; bulk load {load_s:.1f}s ({n / load_s:,.0f} indicators/s); "
        f"{queries:,} queries (half hits)\n"
    )
    print(f"{'path':<16}{'n':>7}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}{'mean ms':>10}")
    for label, samples in rows:
        print(
            f"{label:<16}{len(samples):>7}{_pct(samples, 0.50):>10.3f}"
            f"{_pct(samples, 0.99):>10.3f}{max(samples):>10.3f}{statistics.fmean(samples):>10.3f}"
        )
    for label, samples in (("repository", rows[2][1]), ("whole /kiemtra look-up", rows[3][1])):
        p99 = _pct(samples, 0.99)
        print(f"{label} p99 {p99:.3f} ms — target < 1 ms: {'OK' if p99 < 1 else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=None, help="indicators (default 1,000,000)")
    parser.add_argument("--short", action="store_true", help="20,000 indicators (CI)")
    parser.add_argument("--queries", type=int, default=5_000)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--sqlite-dir", default=None, help="where to put the SQLite file")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file")
    parser.add_argument("--seed", type=int, default=4)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
