"""The send budget (storage/send_budget.py) in memory and in Redis: spacing, per-chat
windows, a 429's pause, replies before bulk sends, and two instances drawing on one count."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable

import pytest

from storage.send_budget import CATCH_UP, Priority, SendBudget, SendLimits, Window
from tests.redis_support import REDIS_URL, needs_redis

BACKENDS = ["memory", pytest.param("redis", marks=needs_redis)]


def _factory(backend: str) -> Callable[[SendLimits], SendBudget]:
    """Budgets of one fresh account (a unique one in Redis, which other runs share)."""
    account = f"test:{uuid.uuid4().hex[:8]}"
    url = REDIS_URL if backend == "redis" else None
    return lambda limits: SendBudget(account, limits, redis_url=url)


async def _stamps(
    budget: SendBudget, n: int, chat: str | None = None, **kw: object
) -> list[float]:
    window = kw.get("window")
    priority = kw.get("priority", Priority.INTERACTIVE)
    out = []
    for i in range(n):
        key = chat if chat is not None else f"-{i}"
        await budget.acquire(key, window, priority)  # type: ignore[arg-type]
        out.append(time.monotonic())
    return out


@pytest.mark.parametrize("backend", BACKENDS)
async def test_never_more_than_the_rate_in_any_second(backend: str) -> None:
    budget = _factory(backend)(SendLimits(20, None, None))
    stamps = await _stamps(budget, 30)
    # The grants are spaced (bursts of at most CATCH_UP + 1 after a late one; the clock read
    # after each await adds the event loop's lag, so spacing is not asserted to the ms), and
    # the window holds whatever the lag: never 21 in a second.
    for i in range(20, 30):
        assert stamps[i] - stamps[i - 20] >= 0.95
    assert stamps[CATCH_UP + 1] - stamps[0] > 0


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_private_chat_gets_one_message_a_second_and_a_pause_holds(backend: str) -> None:
    budget = _factory(backend)(SendLimits(100, Window(1, 1), None))
    stamps = await _stamps(budget, 3, chat="42", window=Window(1, 1))
    assert stamps[1] - stamps[0] >= 1.0 and stamps[2] - stamps[1] >= 1.0
    await budget.pause(0.3)
    paused = time.monotonic()
    await budget.acquire("43", None, Priority.INTERACTIVE)
    assert time.monotonic() - paused >= 0.29


@pytest.mark.parametrize("backend", BACKENDS)
async def test_bulk_sends_take_only_what_the_replies_leave(backend: str) -> None:
    """At 20/s with 10 replies a second (a little less: each waits for its slot), bulk sends
    get about 8/s (20 - 10 - headroom 2), and no reply waits for them."""
    budget = _factory(backend)(SendLimits(20, None, None, headroom=2))
    bulk_sent: list[float] = []
    waits: list[float] = []

    async def bulk() -> None:
        i = 0
        while True:
            await budget.acquire(f"-{i}", None, Priority.BULK)
            bulk_sent.append(time.monotonic())
            i += 1

    async def replies() -> None:
        for i in range(30):
            asked = time.monotonic()
            await budget.acquire(str(i + 1), None, Priority.INTERACTIVE)
            waits.append(time.monotonic() - asked)
            await asyncio.sleep(0.1)

    workers = [asyncio.create_task(bulk()) for _ in range(4)]
    await asyncio.sleep(1.0)  # bulk alone first: it may take almost everything
    alone = len(bulk_sent)
    began = time.monotonic()
    await replies()
    span = time.monotonic() - began
    for w in workers:
        w.cancel()
    during = [s for s in bulk_sent if s >= began + 1.0]  # after the first second of replies
    bulk_rate = len(during) / (span - 1.0)
    assert alone >= 15  # close to 20/s with nobody writing
    assert 5 <= bulk_rate <= 11, bulk_rate
    assert sorted(waits)[int(len(waits) * 0.95)] < 0.2


@needs_redis
async def test_two_instances_share_one_budget_through_redis() -> None:
    make = _factory("redis")
    first, second = make(SendLimits(10, None, None)), make(SendLimits(10, None, None))
    began = time.monotonic()
    await asyncio.gather(_stamps(first, 10), _stamps(second, 10))
    # 20 sends at 10/s for the account: the second ten wait for the first ones' window.
    assert time.monotonic() - began >= 1.0


ACCOUNT = SendLimits(3, None, Window(20, 60))
"""Three a second: two sends fill what the budget judges the account's window by."""


async def _send_meeting_429(limiter: object, retry_after: int, *, full: bool = True) -> None:
    """A message to group -100 the server refuses once with 429 ``retry_after`` (a bulk send:
    not retried); ``full``: the account's window was full (another send to another chat
    went just before), so it was the account's limit, not the group's."""
    from telegram.error import RetryAfter

    async def refused(*_: object) -> bool:
        raise RetryAfter(retry_after)

    if full:
        await _time_to_send(limiter, 99)
    with pytest.raises(RetryAfter):
        await limiter.process_request(  # type: ignore[attr-defined]
            refused, (), {}, "sendMessage", {"chat_id": -100}, Priority.BULK
        )


async def _time_to_send(limiter: object, chat_id: int) -> float:
    async def sent(*_: object) -> bool:
        return True

    began = time.monotonic()
    await limiter.process_request(  # type: ignore[attr-defined]
        sent, (), {}, "sendMessage", {"chat_id": chat_id}, None
    )
    return time.monotonic() - began


@needs_redis
async def test_a_429_pauses_every_instance_sharing_redis() -> None:
    from bot.send_limiter import BudgetRateLimiter

    make = _factory("redis")
    first = BudgetRateLimiter(make(ACCOUNT))
    second = BudgetRateLimiter(make(ACCOUNT))
    await _send_meeting_429(first, 1)
    # The other instance's next message to another chat waits for the pause, and so does
    # a call that is not counted (an edit).
    assert await _time_to_send(second, 77) >= 0.9
    assert await _time_to_send(second, 78) < 0.5  # and then it is over


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_429_pauses_this_process_and_no_other_without_redis(backend: str) -> None:
    from bot.send_limiter import BudgetRateLimiter

    make = _factory(backend)
    limiter = BudgetRateLimiter(make(ACCOUNT))
    await _send_meeting_429(limiter, 1)
    assert await _time_to_send(limiter, 77) >= 0.9
    other = BudgetRateLimiter(make(ACCOUNT))
    await _send_meeting_429(limiter, 1)
    shared = backend == "redis"
    assert (await _time_to_send(other, 78) >= 0.9) is shared


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_groups_own_429_pauses_that_group_and_no_other_chat(backend: str) -> None:
    """The account's window far from full: the 429 was the group's 20 a minute. The group
    waits out retry_after; a private reply and another group go at once, in this process
    and (through Redis) in another."""
    from bot.send_limiter import BudgetRateLimiter

    make = _factory(backend)
    limiter = BudgetRateLimiter(make(ACCOUNT))
    other = BudgetRateLimiter(make(ACCOUNT))
    await _send_meeting_429(limiter, 1, full=False)
    assert await _time_to_send(limiter, 77) < 0.5
    assert await _time_to_send(limiter, -101) < 0.5
    here, there = await asyncio.gather(_time_to_send(limiter, -100), _time_to_send(other, -100))
    assert here >= 0.5
    assert (there >= 0.5) is (backend == "redis")
