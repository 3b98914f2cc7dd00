"""Where rate-limit hits are counted, so that every instance of the bot sees the same counts:
in the database (the default), or in Redis when REDIS_URL is set.

Both count fixed windows: a hit is allowed while the key's hits in the current window are at
most ``amount``. The database backend is one statement on the hot path's held connection (an
upsert that returns the new count: atomic however many instances hit at once); the Redis
backend is the ``limits`` library's fixed-window limiter (INCR and EXPIRE in Redis).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from storage.hotpath import HotPath, Statement


@dataclass(frozen=True, slots=True)
class RateHit:
    allowed: bool
    retry_after: int
    """Seconds until the window ends (when a refused hit may be tried again)."""


_HIT = Statement.of(
    "INSERT INTO rate_limit_hits (key, window_start, window_end, hits)"
    " VALUES (:key, :window_start, :window_end, 1)"
    " ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_hits.hits + 1"
    " RETURNING hits"
)
_FORGET = Statement.of("DELETE FROM rate_limit_hits WHERE window_end < :now")
FORGET_EVERY = 500
"""Hits between two clean-ups of the windows that are over."""


class DatabaseRateLimiter:
    def __init__(self, hot: HotPath) -> None:
        self._hot = hot
        self._hits = 0

    async def hit(self, key: str, amount: int, window_seconds: int) -> RateHit:
        now = int(time.time())
        start = now - now % window_seconds
        end = start + window_seconds
        rows = await self._hot.fetch(
            _HIT, key=key[:200], window_start=start, window_end=end
        )
        self._hits += 1
        if self._hits % FORGET_EVERY == 0:
            await self._hot.fetch(_FORGET, now=now)
        return RateHit(int(rows[0][0]) <= amount, max(1, end - now))

    async def close(self) -> None:
        """The hot path belongs to the caller."""


class RedisRateLimiter:
    def __init__(self, url: str, *, prefix: str = "anninh") -> None:
        from limits.aio.storage import RedisStorage
        from limits.aio.strategies import FixedWindowRateLimiter

        uri = url if url.startswith("async+") else f"async+{url}"
        self._storage = RedisStorage(uri, implementation="redispy", key_prefix=prefix)
        self._limiter = FixedWindowRateLimiter(self._storage)

    async def hit(self, key: str, amount: int, window_seconds: int) -> RateHit:
        from limits import RateLimitItemPerSecond

        item = RateLimitItemPerSecond(amount, window_seconds)
        if await self._limiter.hit(item, key):
            return RateHit(True, 0)
        stats = await self._limiter.get_window_stats(item, key)
        return RateHit(False, max(1, int(stats.reset_time - time.time()) + 1))

    async def close(self) -> None:
        """redis-py's pool closes with the process; nothing held per request."""
