"""Rows that two writers may create at once (an OA follower, an advisory's run, the scheduler
lease) are created inside the caller's transaction: nobody else sees them before it commits,
and a rollback takes them back. On SQLite a savepoint broke this: pysqlite does not open the
transaction before ``SAVEPOINT``, so releasing it was a COMMIT (CI saw an OA follower read as
not following while its follow was still being written)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storage.models import (
    Advisory,
    AdvisoryRun,
    Recurrence,
    RunStatus,
    SchedulerLease,
    ZaloOaFollower,
)
from storage.repositories.advisories import AdvisoryRepository
from storage.repositories.advisory_runs import RunRepository
from storage.repositories.leases import LeaseRepository
from storage.repositories.zalo_oa import OaFollowerRepository
from storage.types import utcnow
from storage.uow import Sessions, transaction


class _Rollback(Exception):
    pass


async def _count(sessions: Sessions, model: type) -> int:
    async with transaction(sessions) as s:
        return int(await s.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_follower_is_seen_only_when_its_transaction_commits(sessions: Sessions) -> None:
    async with transaction(sessions) as s:
        repo = OaFollowerRepository(s)
        await repo.get_or_create("5001")
        assert await _count(sessions, ZaloOaFollower) == 0  # another connection: not yet
        await repo.update("5001", following=True)
    async with transaction(sessions) as s:
        row = await OaFollowerRepository(s).get("5001")
    assert row is not None and row.following
    with pytest.raises(_Rollback):
        async with transaction(sessions) as s:
            await OaFollowerRepository(s).get_or_create("5002")
            raise _Rollback
    assert await _count(sessions, ZaloOaFollower) == 1


async def test_a_follower_made_twice_is_one_follower_with_one_person(sessions: Sessions) -> None:
    async with transaction(sessions) as s:
        first = await OaFollowerRepository(s).get_or_create("5003")
    async with transaction(sessions) as s:
        again = await OaFollowerRepository(s).get_or_create("5003")
    assert again.user_id == first.user_id


async def test_a_run_and_the_lease_are_seen_only_when_their_transaction_commits(
    sessions: Sessions,
) -> None:
    now = utcnow()
    async with transaction(sessions) as s:
        advisory = await AdvisoryRepository(s).add(
            text="Cảnh giác lừa đảo", recurrence=Recurrence.ONCE, run_at=now
        )
    with pytest.raises(_Rollback):
        async with transaction(sessions) as s:
            runs = RunRepository(s)
            assert await runs.add_run(advisory.id, now, RunStatus.RUNNING) is not None
            assert await runs.add_run(advisory.id, now, RunStatus.RUNNING) is None  # once
            assert await LeaseRepository(s).try_acquire("advisories", "a", now, now)
            assert await _count(sessions, AdvisoryRun) == 0
            assert await _count(sessions, SchedulerLease) == 0
            raise _Rollback
    assert await _count(sessions, AdvisoryRun) == 0
    assert await _count(sessions, SchedulerLease) == 0
    async with transaction(sessions) as s:
        assert await RunRepository(s).add_run(advisory.id, now, RunStatus.DONE)
        assert await LeaseRepository(s).try_acquire(
            "advisories", "a", now, now + timedelta(seconds=30)
        )
    async with transaction(sessions) as s:
        assert not await LeaseRepository(s).try_acquire(
            "advisories", "b", now, now + timedelta(seconds=30)
        )
    assert await _count(sessions, AdvisoryRun) == 1
    assert await _count(sessions, Advisory) == 1
