"""One transaction per service call: ``async with transaction(sessions) as session``.

Commits once on success, rolls back on error, and turns "the database is not there" into
:class:`StorageUnavailable` so the surface can tell the user their data was *not* stored.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

Sessions = async_sessionmaker[AsyncSession]


class StorageUnavailable(Exception):
    """The database could not be reached or is locked; nothing was written."""


@asynccontextmanager
async def transaction(sessions: Sessions) -> AsyncIterator[AsyncSession]:
    try:
        async with sessions.begin() as session:
            yield session
    except (OperationalError, InterfaceError, ConnectionError, TimeoutError) as exc:
        raise StorageUnavailable(type(exc).__name__) from exc
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise StorageUnavailable(type(exc).__name__) from exc
        raise


Session = AsyncSession
"""Re-exported so services can type a session without importing SQLAlchemy."""
