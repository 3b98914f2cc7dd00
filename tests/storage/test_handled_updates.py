"""The record of handled Telegram updates (services/updates.py): a handled update is known
again after a restart, an unfinished one is not, ids beyond what was recorded at start-up are
not looked up, and old records are forgotten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.updates import FORGET_EVERY, KEEP, HandledUpdates
from storage.hotpath import HotPath, Statement

BOT = 123456


class CountingHot:
    """The real executor, counting the statements that go through it."""

    def __init__(self, inner: HotPath) -> None:
        self.inner = inner
        self.statements: list[str] = []

    async def fetch(self, statement: Statement, **params: object) -> list:  # type: ignore[type-arg]
        self.statements.append(statement.sql.split()[0])
        return await self.inner.fetch(statement, **params)

    async def close(self) -> None:
        await self.inner.close()


async def test_a_handled_update_is_known_after_a_restart_an_unfinished_one_is_not(
    hot: HotPath,
) -> None:
    before = HandledUpdates(hot)
    assert not await before.already_handled(BOT, 500)
    for update_id in (500, 501, 503):  # 502 was in progress when the process died
        await before.handled(BOT, update_id)

    after = HandledUpdates(hot)  # a new process
    assert await after.already_handled(BOT, 500)
    assert await after.already_handled(BOT, 503)
    assert not await after.already_handled(BOT, 502)  # handled again: at least once
    assert not await after.already_handled(BOT, 504)
    await after.handled(BOT, 503)  # recording twice is harmless
    assert await HandledUpdates(hot).already_handled(BOT, 503)


async def test_each_bot_numbers_its_own_updates(hot: HotPath) -> None:
    await HandledUpdates(hot).handled(BOT, 7)
    fresh = HandledUpdates(hot)
    assert await fresh.already_handled(BOT, 7)
    assert not await fresh.already_handled(999, 7)  # another token on the same database


async def test_new_ids_are_not_looked_up(hot: HotPath) -> None:
    await HandledUpdates(hot).handled(BOT, 10)
    counting = CountingHot(hot)
    ledger = HandledUpdates(counting)  # type: ignore[arg-type]
    assert await ledger.already_handled(BOT, 9) is False
    looked = len(counting.statements)
    for update_id in range(11, 61):
        assert not await ledger.already_handled(BOT, update_id)
        await ledger.handled(BOT, update_id)
    assert counting.statements[looked:] == ["INSERT"] * 50  # no SELECT per update


async def test_old_records_are_forgotten(hot: HotPath) -> None:
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    clock = [now - KEEP - timedelta(hours=1)]
    old = HandledUpdates(hot, clock=lambda: clock[0])
    await old.handled(BOT, 1)
    clock[0] = now
    for update_id in range(2, FORGET_EVERY + 1):
        await old.handled(BOT, update_id)  # the FORGET_EVERY-th record cleans up
    fresh = HandledUpdates(hot, clock=lambda: now)
    assert not await fresh.already_handled(BOT, 1)
    assert await fresh.already_handled(BOT, 2)


async def test_an_unreachable_database_means_handle_it_again() -> None:
    class Down:
        async def fetch(self, statement: Statement, **params: object) -> list:  # type: ignore[type-arg]
            from storage.uow import StorageUnavailable

            raise StorageUnavailable("down")

        async def close(self) -> None:
            return None

    ledger = HandledUpdates(Down())  # type: ignore[arg-type]
    assert await ledger.already_handled(BOT, 1) is False
    await ledger.handled(BOT, 1)  # logged, not raised
