"""Hot read-only look-ups on one held driver connection.

Why this exists: on our 2-core machines an SQLAlchemy session transaction costs 1–2 ms of CPU
for a one-row SELECT (pool checkout and pre-ping, ORM, the greenlet bridge, four thread hops
with aiosqlite), while the same SELECT on a held driver connection costs 0.07–0.09 ms
(`bench/RESULTS.md`). Every update reads who sent it and what they are in the middle of, and
`/kiemtra` must answer within 1 ms at p99, so those few statements — each a :class:`Query`
defined next to its repository — run here. Writes never do: they stay in
:func:`storage.uow.transaction`.

Every statement is its own read (autocommit): it sees everything committed before it, and
holds no snapshot open between updates.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.uow import Sessions, StorageUnavailable, transaction

_PARAM = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")


@dataclass(frozen=True, slots=True)
class Query:
    """One read-only statement, written once with ``:name`` parameters (SQLite's and
    SQLAlchemy's style) and prepared here in PostgreSQL's ``$n`` style too."""

    sql: str
    postgres: str
    names: tuple[str, ...]

    @classmethod
    def of(cls, sql: str) -> Query:
        names: list[str] = []

        def number(match: re.Match[str]) -> str:
            if match.group(1) not in names:
                names.append(match.group(1))
            return f"${names.index(match.group(1)) + 1}"

        return cls(sql, _PARAM.sub(number, sql), tuple(names))


Row = Sequence[Any]


class Reads(Protocol):
    async def fetch(self, query: Query, **params: Any) -> list[Row]: ...

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


class SessionReads:
    """The same queries through a short session: for an in-memory SQLite database (a second
    connection would see another, empty database) and for services built without wiring."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def fetch(self, query: Query, **params: Any) -> list[Row]:
        async with transaction(self._sessions) as session:
            return [tuple(row) for row in await session.execute(text(query.sql), params)]

    async def close(self) -> None:
        return None


class DriverReads:
    """One connection of the database's own driver (aiosqlite or asyncpg), opened on first use
    and reopened after it breaks; a broken or locked database is :class:`StorageUnavailable`,
    exactly as on the session path."""

    def __init__(self, url: str, *, busy_timeout_s: float) -> None:
        parsed = make_url(url)
        self._sqlite_path = parsed.database if parsed.get_backend_name() == "sqlite" else None
        self._dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        self._busy_ms = max(1, int(busy_timeout_s * 1000))
        self._conn: Any = None
        self._lock = asyncio.Lock()
        """Opening is guarded on both drivers; asyncpg also refuses two queries at once on
        one connection, so PostgreSQL reads hold it for the query too (aiosqlite queues)."""

    async def _open(self) -> Any:
        if self._sqlite_path is not None:
            import aiosqlite

            conn = await aiosqlite.connect(
                self._sqlite_path, timeout=self._busy_ms / 1000, isolation_level=None
            )
            await conn.execute(f"PRAGMA busy_timeout={self._busy_ms}")
            await conn.execute("PRAGMA query_only=ON")  # this connection never writes
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

    async def fetch(self, query: Query, **params: Any) -> list[Row]:
        try:
            if self._sqlite_path is not None:
                if self._conn is None:
                    async with self._lock:
                        await self._connection()
                return list(await self._conn.execute_fetchall(query.sql, params))
            async with self._lock:
                conn = await self._connection()
                return list(await conn.fetch(query.postgres, *map(params.get, query.names)))
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


def open_reads(url: str, sessions: Sessions, *, busy_timeout_s: float) -> Reads:
    """A held driver connection where it can see the same database, else the session path."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and (
        parsed.database in (None, "", ":memory:") or "mode=memory" in str(parsed)
    ):
        return SessionReads(sessions)
    return DriverReads(url, busy_timeout_s=busy_timeout_s)
