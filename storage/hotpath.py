"""The hot path: single statements on one held driver connection.

Why this exists: on our 2-core machines an SQLAlchemy session transaction costs 1–2 ms of CPU
even for a one-row SELECT (pool checkout and pre-ping, the ORM, the greenlet bridge, five or
six thread hops with aiosqlite), while the same statement on a held driver connection costs
about 0.1 ms (`bench/RESULTS.md`). Every update reads who sent it and what they are in the
middle of, a step of a tip conversation writes its draft, and `/kiemtra` must answer within
1 ms at p99 — so those few statements, each a :class:`Statement` defined next to its
repository, run here.

Only single statements belong here, and each one commits by itself (autocommit): a read sees
everything committed before it and holds no snapshot between updates; a write is one
conditional UPDATE (the draft's version check), atomic on its own. Anything that must change
several rows together stays in :func:`storage.uow.transaction`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.uow import Sessions, StorageUnavailable, transaction

logger = logging.getLogger(__name__)

CHECKPOINT_EVERY = 1000
"""Rows changed on the loop thread's SQLite connection between WAL checkpoints (that
connection never checkpoints itself; without these the WAL would grow while only
conversation steps write)."""

_PARAM = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement, written once with ``:name`` parameters (SQLite's and SQLAlchemy's
    style) and prepared here in PostgreSQL's ``$n`` style too."""

    sql: str
    postgres: str
    names: tuple[str, ...]

    @classmethod
    def of(cls, sql: str) -> Statement:
        names: list[str] = []

        def number(match: re.Match[str]) -> str:
            if match.group(1) not in names:
                names.append(match.group(1))
            return f"${names.index(match.group(1)) + 1}"

        return cls(sql, _PARAM.sub(number, sql), tuple(names))


Row = Sequence[Any]


class HotPath(Protocol):
    async def fetch(self, statement: Statement, **params: Any) -> list[Row]: ...

    async def close(self) -> None: ...


def utc(value: Any) -> datetime | None:
    """A stored (naive UTC) time as SQLite (text) or PostgreSQL (datetime) hands it back."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]


def from_json(value: Any) -> Any:
    """A JSON column: text from the drivers, already decoded through SQLAlchemy on PG."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def _bind(value: Any, *, sqlite: bool) -> Any:
    """A parameter as our column types store it (storage.types): times as naive UTC — on
    SQLite as the text SQLAlchemy writes, so stored times keep one format and order — and
    JSON documents as text."""
    if isinstance(value, datetime):
        naive = value.astimezone(UTC).replace(tzinfo=None)
        return naive.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else naive
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


def _binds(params: dict[str, Any], *, sqlite: bool) -> dict[str, Any]:
    return {k: _bind(v, sqlite=sqlite) for k, v in params.items()}


class SessionHotPath:
    """The same statements through a short session: for an in-memory SQLite database (a
    second connection would see another, empty database) and for services built without
    wiring."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def fetch(self, statement: Statement, **params: Any) -> list[Row]:
        async with transaction(self._sessions) as session:
            sqlite = session.get_bind().dialect.name == "sqlite"
            result = await session.execute(text(statement.sql), _binds(params, sqlite=sqlite))
            return [tuple(row) for row in result] if result.returns_rows else []

    async def close(self) -> None:
        return None


class DriverHotPath:
    """One connection of the database's own driver (aiosqlite or asyncpg), opened on first use
    and reopened after it breaks; a broken or locked database is :class:`StorageUnavailable`,
    exactly as on the session path.

    On SQLite, statements skip even aiosqlite's thread when SQLite can answer at once: in
    WAL mode a reader never waits, and a single-row write waits only while another
    connection writes. On the event loop's own thread such a statement takes tens of
    microseconds — less than handing it to a thread and back (two wake-ups, ~0.2 ms on our
    VMs). The connection used there never waits (busy timeout 0) and never checkpoints (the
    pool's connections do): when SQLite answers "busy", nothing was done, and the statement
    goes through aiosqlite, which may wait.
    """

    def __init__(self, url: str, *, busy_timeout_s: float) -> None:
        parsed = make_url(url)
        self._sqlite_path = parsed.database if parsed.get_backend_name() == "sqlite" else None
        self._dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        self._busy_ms = max(1, int(busy_timeout_s * 1000))
        self._conn: Any = None
        self._here: sqlite3.Connection | None = None
        self._checkpointed = 0
        self._checkpoint: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        """Opening is guarded on both drivers; asyncpg also refuses two queries at once on
        one connection, so PostgreSQL statements hold it throughout (aiosqlite queues them)."""

    async def _open(self) -> Any:
        if self._sqlite_path is not None:
            import aiosqlite

            conn = await aiosqlite.connect(
                self._sqlite_path, timeout=self._busy_ms / 1000, isolation_level=None
            )
            await conn.execute(f"PRAGMA busy_timeout={self._busy_ms}")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA synchronous=NORMAL")  # as the pool's (storage/db.py)
            return conn
        import asyncpg

        return await asyncpg.connect(self._dsn, timeout=self._busy_ms / 1000)

    async def _connection(self) -> Any:
        """The held connection, opened now if needed (caller holds the lock)."""
        if self._conn is None:
            try:
                self._conn = await self._open()
            except Exception as exc:  # no server, no such database, no file: not there
                raise StorageUnavailable(type(exc).__name__) from exc
        return self._conn

    def _run_here(self, statement: Statement, binds: dict[str, Any]) -> list[Row] | None:
        """The statement on this thread; None when SQLite is busy (then nothing was done)."""
        if self._here is None:
            # mode=rw: never create a database that is not there.
            here = sqlite3.connect(
                f"file:{self._sqlite_path}?mode=rw", uri=True, isolation_level=None, timeout=0
            )
            here.execute("PRAGMA foreign_keys=ON")
            here.execute("PRAGMA wal_autocheckpoint=0")
            # As the pool's connections (storage/db.py): in WAL mode a commit survives the
            # process being killed; only a power cut may lose the last ones.
            here.execute("PRAGMA synchronous=NORMAL")
            self._here = here
        try:
            rows = self._here.execute(statement.sql, binds).fetchall()
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                return None
            raise
        if self._here.total_changes - self._checkpointed >= CHECKPOINT_EVERY:
            self._checkpointed = self._here.total_changes
            if self._checkpoint is None or self._checkpoint.done():
                self._checkpoint = asyncio.ensure_future(self._checkpoint_wal())
        return rows

    async def _checkpoint_wal(self) -> None:
        """What SQLite's auto-checkpoint would have done after these writes, on aiosqlite's
        thread (it may wait for readers and write the database file)."""
        try:
            async with self._lock:
                conn = await self._connection()
            await conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except Exception:  # the next writes try again; a failed checkpoint loses nothing
            logger.warning("WAL checkpoint after hot-path writes failed", exc_info=True)

    async def fetch(self, statement: Statement, **params: Any) -> list[Row]:
        try:
            if self._sqlite_path is not None:
                binds = _binds(params, sqlite=True)
                rows = self._run_here(statement, binds)
                if rows is not None:
                    return rows
                if self._conn is None:
                    async with self._lock:
                        await self._connection()
                return list(await self._conn.execute_fetchall(statement.sql, binds))
            async with self._lock:
                conn = await self._connection()
                binds = _binds(params, sqlite=False)
                return list(await conn.fetch(statement.postgres, *map(binds.get, statement.names)))
        except StorageUnavailable:
            raise
        except (sqlite3.OperationalError, OSError, ConnectionError, TimeoutError) as exc:
            await self._drop()
            raise StorageUnavailable(type(exc).__name__) from exc
        except Exception as exc:
            if _is_pg_connection_error(exc):
                await self._drop()
                raise StorageUnavailable(type(exc).__name__) from exc
            raise

    async def _drop(self) -> None:
        here, self._here = self._here, None
        if here is not None:
            here.close()
        if self._checkpoint is not None and not self._checkpoint.done():
            with contextlib.suppress(BaseException):
                await self._checkpoint
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):  # already broken: nothing more to release
                await asyncio.wait_for(conn.close(), 2)

    async def close(self) -> None:
        await self._drop()


def _is_pg_connection_error(exc: Exception) -> bool:
    try:
        import asyncpg
    except ImportError:  # SQLite-only installs
        return False
    return isinstance(
        exc,
        asyncpg.PostgresConnectionError
        | asyncpg.InterfaceError
        | asyncpg.InternalClientError  # e.g. a query on a connection the server just ended
        | asyncpg.CannotConnectNowError
        | asyncpg.TooManyConnectionsError,
    )


def open_hot_path(url: str, sessions: Sessions, *, busy_timeout_s: float) -> HotPath:
    """A held driver connection where it can see the same database, else the session path."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and (
        parsed.database in (None, "", ":memory:") or "mode=memory" in str(parsed)
    ):
        return SessionHotPath(sessions)
    return DriverHotPath(url, busy_timeout_s=busy_timeout_s)
