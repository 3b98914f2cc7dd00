"""All benchmarks in one run, against the same local Bot API server kind, printing one table:

1. update throughput: the full bot (tip conversation steps, stored) vs a bare PTB echo bot;
2. advisory fan-out to 500 groups under Telegram-like limits (bench/fanout.py);
3. /kiemtra look-up p50/p99 over 1,000,000 indicators (bench/scam_lookup.py);
4. resident memory of the bot idle and after 100,000 stored tips;
5. the same on PostgreSQL (throughput, look-up, memory; when it is reachable);
6. one send budget: two instances on PostgreSQL and Redis, a 500-group advisory while 200
   residents write (bench/send_budget.py; when both are reachable).

    .venv/bin/python -m bench            # full sizes (several minutes)
    .venv/bin/python -m bench --short    # CI sizes (about a minute): keeps the scripts alive
    .venv/bin/python -m bench --sqlite-only

Exit status 1 if a correctness check fails (lost or duplicated messages); missed speed or
memory targets are reported in the table, not as failures (the machine may be loaded).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from bench import fanout, memory, scam_lookup, send_budget, throughput
from bench.common import PG_ADMIN_URL, postgres_reachable
from tests.redis_support import redis_reachable

Row = tuple[str, str, str, str, str]


def machine() -> str:
    load = os.getloadavg()
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return (
        f"{os.cpu_count()} CPUs, {mem_kb / 1024 / 1024:.1f} GiB RAM, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


async def scam(n: int, queries: int, postgres: bool) -> dict[str, float]:
    """bench/scam_lookup.py's load and measurement, returning the percentiles."""
    from storage.db import create_engine

    n_reports = max(1, n // 2)
    n_users = max(1, n // 4)  # as bench/scam_lookup.py: several reports per resident
    if postgres:
        name = f"anninh_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        url = f"{PG_ADMIN_URL.rpartition('/')[0]}/{name}"
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        async with admin.connect() as conn:
            await conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    else:
        tmp = Path(tempfile.mkdtemp(prefix="anninh_bench_"))
        path = tmp / "scam.db"
        url = f"sqlite+aiosqlite:///{path}"
    try:
        await scam_lookup._create_schema(url)
        began = time.perf_counter()
        if postgres:
            await scam_lookup.load_postgres(url, n, n_reports, n_users)
        else:
            await asyncio.to_thread(scam_lookup.load_sqlite, path, n, n_reports, n_users)
        load_s = time.perf_counter() - began
        rows = dict(await scam_lookup.measure(url, n, queries, 4))
        driver = await scam_lookup.measure_driver(url, n, queries, 4)
    finally:
        if postgres:
            async with admin.connect() as conn:
                await conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.dispose()
        else:
            path.unlink(missing_ok=True)
    repo, svc = rows["repo (all)"], rows["service.lookup"]
    return {
        "n": n,
        "load_s": load_s,
        "repo_p50": scam_lookup._pct(repo, 0.5),
        "repo_p99": scam_lookup._pct(repo, 0.99),
        "svc_p50": scam_lookup._pct(svc, 0.5),
        "svc_p99": scam_lookup._pct(svc, 0.99),
        "svc_mean": statistics.fmean(svc),
        "drv_p50": scam_lookup._pct(driver, 0.5),
        "drv_p99": scam_lookup._pct(driver, 0.99),
    }


def ok(flag: bool) -> str:
    return "OK" if flag else "MISSED"


async def run_all(short: bool, with_pg: bool) -> tuple[list[Row], bool]:
    sizes = {
        "updates": 300 if short else 2000,
        "rounds": 1 if short else 3,
        "groups": 100 if short else 500,
        "indicators": 20_000 if short else 1_000_000,
        "queries": 1000 if short else 5000,
        "tips": 10_000 if short else 100_000,
        "residents": 40 if short else 200,
    }
    backends = ["sqlite", *(["postgresql"] if with_pg else [])]
    rows: list[Row] = []
    correct = True
    for backend in backends:
        t = await throughput.run(
            sizes["updates"], min(200, sizes["updates"]), backend, sizes["rounds"]
        )
        ratio = t["anninh"]["rate"] / t["echo"]["rate"]
        rows.append(
            (
                "1. throughput, updates/s",
                backend,
                f"echo {t['echo']['rate']:.0f}, anninh {t['anninh']['rate']:.0f} ({ratio:.0%}); "
                f"concurrent echo {t['echo-concurrent']['rate']:.0f}, anninh one-by-one "
                f"{t['anninh-sequential']['rate']:.0f}; median of {sizes['rounds']} x "
                f"{sizes['updates']} updates",
                "≥ 50% of echo",
                ok(ratio >= 0.5),
            )
        )
    f = await fanout.run(sizes["groups"])
    correct &= f["lost"] == 0 and f["duplicates"] == 0
    rows.append(
        (
            "2. fan-out, msg/s",
            "sqlite",
            f"{f['groups']} groups in {f['seconds']:.1f}s = {f['rate']:.1f}/s "
            f"({f['ceiling']:.0%} of 30/s), lost {f['lost']}, dupes {f['duplicates']}, "
            f"429s {f['429s']}",
            "≥ 90%, 0 lost",
            ok(f["ceiling"] >= 0.9 and f["lost"] == 0),
        )
    )
    for backend in backends:
        s = await scam(sizes["indicators"], sizes["queries"], backend == "postgresql")
        rows.append(
            (
                "3. /kiemtra look-up, ms",
                backend,
                f"{s['n']:,} indicators: repository p50 {s['repo_p50']:.3f} p99 "
                f"{s['repo_p99']:.3f}; service p50 {s['svc_p50']:.3f} p99 {s['svc_p99']:.3f}; "
                f"bare driver p50 {s['drv_p50']:.3f} p99 {s['drv_p99']:.3f}",
                "p99 < 1 ms",
                ok(s["repo_p99"] < 1.0),
            )
        )
    for backend in backends:
        m = await memory.run(sizes["tips"], backend)
        rows.append(
            (
                "4. memory (RSS), MB",
                backend,
                f"idle {m['idle']:.1f}, after {m['tips']:,.0f} tips {m['loaded']:.1f} "
                f"(peak {m['peak']:.1f})",
                "< 150 MB",
                ok(m["loaded"] < 150),
            )
        )
    if with_pg and redis_reachable():
        o = await send_budget.run(sizes["groups"], sizes["residents"], "postgresql")
        checks = send_budget.verdict(o)
        correct &= checks["no 429"] and checks["one copy each"]
        rows.append(
            (
                "6. one send budget, 2 instances",
                "postgresql",
                send_budget.describe(o),
                "0 429s, p95 < 1 s, ≥ 85% of what replies leave",
                ok(all(checks.values())),
            )
        )
    return rows, correct


def render(rows: list[Row]) -> str:
    head = ("benchmark", "database", "result", "target", "")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(5)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(head, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="CI sizes (about a minute)")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    with_pg = not args.sqlite_only and postgres_reachable()
    print(f"machine: {machine()}", flush=True)
    began = time.monotonic()
    rows, correct = asyncio.run(run_all(args.short, with_pg))
    print(render(rows))
    print(
        f"({'short' if args.short else 'full'} run, {time.monotonic() - began:.0f}s; "
        f"PostgreSQL {'included' if with_pg else 'not reachable: skipped'}; "
        f"after the run: {machine().split('load average ')[1]})"
    )
    raise SystemExit(0 if correct else 1)


if __name__ == "__main__":
    main()
