"""Rate limits: which ones exist and what a refusal says, in one place for every feature.

The counting is shared by every instance of the bot (the :class:`services.ports.RateLimiter`
port: the database by default, Redis with REDIS_URL), so a limit holds however many
instances run. A limit never loses data: a refused look-up or answer is simply not done
(the person is told when to try again), and a tip over the ward's limit is still stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.errors import RateLimited
from services.ports import RateLimiter


@dataclass(frozen=True, slots=True)
class Limit:
    name: str
    amount: int
    """Hits allowed per window; the next one is refused until the window ends."""
    window_seconds: int
    wait_key: str = "error-flood"
    """The catalogue message of a refusal; it gets ``minutes`` (and the caller's args)."""

    @property
    def minutes(self) -> int:
        return max(1, self.window_seconds // 60)


LOOKUPS = Limit("lookup", 30, 10 * 60, "scam-check-wait")
"""/kiemtra per person (Telegram, groups and Zalo together): enough for anyone checking the
numbers that called them, too few to walk through a phone-number range."""
RELAY_ANSWERS = Limit("relay-answer", 10, 60 * 60, "relay-answer-wait")
"""A reporter's answers relayed to the police, per tip: a conversation, not a flood."""
WARD_TIPS = Limit("ward-tips", 30, 60 * 60)
"""Tips into one ward an hour before its police are alerted (the tips are still stored)."""
WARD_TIPS_ALERT = Limit("ward-tips-alert", 1, 60 * 60)
"""One alert per ward per window, not one per tip over the limit."""


async def allowed(limiter: RateLimiter, limit: Limit, subject: str) -> bool:
    """Count one hit of ``subject`` (e.g. ``"user:12"``) against ``limit``."""
    hit = await limiter.hit(f"{limit.name}:{subject}", limit.amount, limit.window_seconds)
    return hit.allowed


async def require(limiter: RateLimiter, limit: Limit, subject: str, **args: object) -> None:
    """Count one hit; over the limit, raise :class:`RateLimited` with the limit's message
    (the minutes of its window, and ``args``)."""
    hit = await limiter.hit(f"{limit.name}:{subject}", limit.amount, limit.window_seconds)
    if not hit.allowed:
        raise RateLimited(limit.wait_key, minutes=limit.minutes, **args)
