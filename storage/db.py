"""Engine and session factory.

SQLite gets foreign keys, WAL and a busy timeout on every connection, because the bot and the
scheduler write concurrently and SQLite's defaults would surface that as "database is locked".
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import event, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import InstrumentedAttribute

M = TypeVar("M")

SQLITE_BUSY_TIMEOUT_S = 15.0
"""How long an SQLite writer waits for another's lock before giving up (the user is then told
the tip was not stored); settings.database_busy_timeout overrides it."""


class DatabaseUnreachable(Exception):
    """The database could not be opened at all (server down, wrong host, port, password or
    database name, an SQLite file in a missing folder): nothing ran. ``reason`` is the
    driver's one-line explanation."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def check_reachable(engine: AsyncEngine) -> None:
    """Open (and give back) one connection, or raise :class:`DatabaseUnreachable`."""
    try:
        async with engine.connect():
            pass
    except (OSError, TimeoutError, DBAPIError) as exc:
        if engine.dialect.name == "sqlite":
            # aiosqlite's worker thread still answers its stop request after a failed
            # connect; a caller that ends the event loop at once would make that thread
            # die with a traceback on stderr ("Event loop is closed").
            await asyncio.sleep(0.1)
        raise DatabaseUnreachable(_reason(exc)) from exc


def _reason(exc: BaseException) -> str:
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    text = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
    return text[:200]


def safe_url(url: str) -> str:
    """The URL with its password masked, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(not a database URL)"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(
    url: str, *, busy_timeout_s: float = SQLITE_BUSY_TIMEOUT_S, **kwargs: Any
) -> AsyncEngine:
    busy_ms = max(1, int(busy_timeout_s * 1000))
    # Error messages (and so logged tracebacks) never carry the statement's values: they are
    # residents' names, ids and tips.
    kwargs.setdefault("hide_parameters", True)
    if is_sqlite(url):
        kwargs.setdefault("connect_args", {"timeout": busy_timeout_s})
    else:
        kwargs.setdefault("pool_pre_ping", True)
        # Short reads whose cost swings with the area (a ward's or a whole province's tips):
        # plan each with its own values (a cached generic plan cannot use areas.path's prefix
        # index), and no JIT compilation (~0.8 s spent on a statement that runs in 0.1 s).
        kwargs.setdefault(
            "connect_args",
            {"server_settings": {"jit": "off", "plan_cache_mode": "force_custom_plan"}},
        )
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):

        def pragmas(dbapi_connection: Any, _record: Any) -> None:
            _sqlite_pragmas(dbapi_connection, busy_ms)

        event.listen(engine.sync_engine, "connect", pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, busy_ms: int) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def dialect_insert(session: AsyncSession, table: Any) -> Any:
    """``INSERT`` with ``ON CONFLICT`` support for the session's database (PostgreSQL or
    SQLite): rows that two writers may create at once are inserted with
    ``.on_conflict_do_nothing(...)`` instead of failing one of them."""
    dialect = session.get_bind().dialect.name
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(table)


async def insert_new(
    session: AsyncSession, model: Any, key: Sequence[InstrumentedAttribute[Any]], **values: Any
) -> bool:
    """Insert a row of ``model`` unless one with the same unique ``key`` columns is there
    (True: inserted). Two writers creating it at once both succeed, one of them inserting:
    ``INSERT .. ON CONFLICT DO NOTHING`` (no savepoint: on SQLite releasing one commits the
    whole transaction early)."""
    result = await session.execute(
        dialect_insert(session, model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=list(key))
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def insert_or_read(
    session: AsyncSession,
    model: type[M],
    key: InstrumentedAttribute[Any],
    value: Any,
    **values: Any,
) -> M:
    """The row of ``model`` whose unique ``key`` is ``value``, inserted with ``values`` if
    there is none yet (:func:`insert_new`)."""
    await insert_new(session, model, [key], **{key.key: value}, **values)
    row = await session.scalar(select(model).where(key == value))
    assert row is not None
    return row


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
