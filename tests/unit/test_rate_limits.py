"""The rate limits hold across instances: two bot processes counting in the same database,
or in the same Redis (REDIS_URL), see one count."""

from __future__ import annotations

import uuid

import pytest

from bot.sender import OfflineSender
from bot.settings import load_settings
from bot.wiring import build_services
from services import rate_limits
from services.errors import RateLimited
from storage.hotpath import open_hot_path
from storage.rate_limits import DatabaseRateLimiter, RedisRateLimiter
from storage.uow import Sessions
from tests.redis_support import REDIS_URL, redis_reachable


async def _one_count_for_two(first: object, second: object) -> None:
    limit = rate_limits.LOOKUPS
    subject = f"user:{uuid.uuid4().hex}"
    for n in range(limit.amount):
        instance = first if n % 3 else second
        assert await rate_limits.allowed(instance, limit, subject), n  # type: ignore[arg-type]
    for instance in (first, second):
        with pytest.raises(RateLimited) as refused:
            await rate_limits.require(instance, limit, subject)  # type: ignore[arg-type]
        assert refused.value.message_key == "scam-check-wait"
        assert refused.value.args_for_message == {"minutes": 10}
    # Another person's count is their own.
    assert await rate_limits.allowed(first, limit, f"user:{uuid.uuid4().hex}")  # type: ignore[arg-type]


async def test_two_instances_share_the_count_in_the_database(
    sessions: Sessions, database_url: str
) -> None:
    hot_a = open_hot_path(database_url, sessions, busy_timeout_s=5)
    hot_b = open_hot_path(database_url, sessions, busy_timeout_s=5)
    try:
        await _one_count_for_two(DatabaseRateLimiter(hot_a), DatabaseRateLimiter(hot_b))
    finally:
        await hot_a.close()
        await hot_b.close()


@pytest.mark.skipif(not redis_reachable(), reason="no Redis at 127.0.0.1:6379")
async def test_two_instances_share_the_count_in_redis() -> None:
    prefix = f"anninh-test-{uuid.uuid4().hex}"
    await _one_count_for_two(
        RedisRateLimiter(REDIS_URL, prefix=prefix), RedisRateLimiter(REDIS_URL, prefix=prefix)
    )


async def test_redis_url_puts_the_counts_in_redis(database_url: str) -> None:
    with_redis = build_services(
        load_settings(database_url=database_url, redis_url=REDIS_URL), OfflineSender()
    )
    without = build_services(load_settings(database_url=database_url), OfflineSender())
    try:
        assert isinstance(with_redis.limiter, RedisRateLimiter)
        assert isinstance(without.limiter, DatabaseRateLimiter)
    finally:
        await with_redis.close()
        await without.close()
