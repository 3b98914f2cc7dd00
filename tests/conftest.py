"""Shared fixtures.

The database backend for the whole run is chosen by ``ANNINH_TEST_DB`` (``sqlite``, the
default, or ``postgres``); `.ci/run` runs the suite once with each. Every test gets an empty,
migrated database: on SQLite a copy of a migrated template file, on PostgreSQL a private
database (so parallel runs on one server never meet) truncated before each test.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text

from storage import migrate
from storage.db import create_engine, create_sessionmaker
from storage.hotpath import DriverHotPath, HotPath, SessionHotPath
from storage.models import Base
from storage.uow import Sessions

BACKEND = os.environ.get("ANNINH_TEST_DB", "sqlite")

# `pytest --hypothesis-profile=long` for long local fuzzing runs (tests/hardening reads
# settings.default.max_examples to size its bot-driving fuzzers; CI keeps them short).
hypothesis_settings.register_profile(
    "long",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# CI (CI=true) replays the same examples on every run: a submission's result must not depend on
# which random inputs a run happened to draw. New inputs are explored by local and long runs
# (random by default); what they find is fixed and kept as a named example or a unit test.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    hypothesis_settings.load_profile("ci")
PG_ADMIN_URL = os.environ.get(
    "ANNINH_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


def _pg_url(database: str) -> str:
    base, _, _ = PG_ADMIN_URL.rpartition("/")
    return f"{base}/{database}"


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()


async def _pg_admin(statement: str) -> None:
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database made once per run: a SQLite file, or a private PG database."""
    if BACKEND == "postgres":
        name = f"anninh_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
        url = _pg_url(name)
        asyncio.run(_migrate(url))
        yield url
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    else:
        path = tmp_path_factory.mktemp("template") / "template.db"
        asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}"))
        yield str(path)


async def _truncate_all(url: str) -> None:
    engine = create_engine(url)
    try:
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()


@pytest.fixture
async def database_url(_migrated_template: str, tmp_path: Path) -> str:
    """URL of an empty database at the head migration, private to this test."""
    if BACKEND == "postgres":
        await _truncate_all(_migrated_template)
        return _migrated_template
    path = tmp_path / "anninh.db"
    shutil.copyfile(_migrated_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[Sessions]:
    engine = create_engine(database_url)
    yield create_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture(params=["driver", "session"])
async def hot(
    request: pytest.FixtureRequest, sessions: Sessions, database_url: str
) -> AsyncIterator[HotPath]:
    """The hot-read executor both ways: the held driver connection the bot uses, and the
    session path (in-memory databases, services built without wiring)."""
    executor: HotPath = (
        DriverHotPath(database_url, busy_timeout_s=5)
        if request.param == "driver"
        else SessionHotPath(sessions)
    )
    yield executor
    await executor.close()
