"""Shared pieces of the benchmarks: a sandbox process, PostgreSQL scratch databases, RSS."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get(
    "ANNINH_BENCH_PG_URL",
    os.environ.get("ANNINH_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"),
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def sandbox_process() -> Iterator[str]:
    """The local Bot API server in its own process (so it does not share the bots' CPU
    time slices); yields its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/sandbox/stats", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the sandbox did not start") from None
                time.sleep(0.05)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


@contextlib.asynccontextmanager
async def database(backend: str) -> AsyncIterator[str]:
    """A fresh, empty database URL (a temp SQLite file, or a private PostgreSQL database)."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="anninh_bench_") as tmp:
            yield f"sqlite+aiosqlite:///{tmp}/bench.db"
        return
    from storage.db import create_engine

    name = f"anninh_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    base = PG_ADMIN_URL.rpartition("/")[0]
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        async with admin.connect() as conn:
            await conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.dispose()


def postgres_reachable() -> bool:
    async def check() -> None:
        import asyncpg

        dsn = PG_ADMIN_URL.replace("postgresql+asyncpg://", "postgresql://")
        conn = await asyncio.wait_for(asyncpg.connect(dsn), 5)
        await conn.close()

    try:
        asyncio.run(check())
    except Exception:
        return False
    return True


def rss_mb(pid: int) -> float:
    """Resident set size of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")
