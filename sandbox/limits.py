"""Fault injection, Telegram-like flood limits and call statistics."""

from __future__ import annotations

import collections
import math
import time
from dataclasses import dataclass, field
from typing import Any

# Methods that create messages and therefore count against flood limits.
MESSAGE_METHODS = frozenset(
    {
        "sendmessage", "sendphoto", "senddocument", "sendvideo", "sendvoice", "sendaudio",
        "sendanimation", "sendmediagroup", "sendlocation", "sendvenue", "sendcontact",
        "sendsticker", "sendpoll", "senddice", "copymessage", "forwardmessage",
        "copymessages", "forwardmessages",
    }
)


@dataclass
class Fault:
    method: str  # lower-cased Bot API method name, or "*" for any method
    status: int = 500
    count: int = 1
    retry_after: int | None = None
    delay_s: float | None = None
    drop: bool = False
    description: str | None = None
    every: int = 1
    """It hits one matching call in ``every`` (the ``every``-th, ``2·every``-th, ...): a
    share of the calls, the same share at every run."""
    seen: int = 0

    def error_description(self) -> str:
        if self.description:
            return self.description
        if self.status == 429:
            return f"Too Many Requests: retry after {self.retry_after or 1}"
        return {
            400: "Bad Request: injected fault",
            401: "Unauthorized",
            403: "Forbidden: injected fault",
            404: "Not Found",
            409: "Conflict: injected fault",
            502: "Bad Gateway",
        }.get(self.status, "Internal Server Error")


class FaultTable:
    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        fault.method = fault.method.lower()
        self._faults.append(fault)

    def clear(self) -> None:
        self._faults.clear()

    def take(self, method: str) -> Fault | None:
        """Consume one use of the first fault matching ``method`` (FIFO)."""
        for fault in list(self._faults):
            if fault.method in (method, "*"):
                fault.seen += 1
                if fault.seen % max(1, fault.every):
                    continue
                fault.count -= 1
                if fault.count <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    def pending(self) -> list[dict[str, Any]]:
        return [dict(vars(f)) for f in self._faults]


@dataclass
class RateLimiter:
    """Sliding windows per bot: overall, per private chat and per group.

    Telegram does not publish its algorithm; these are its documented
    guidance numbers, applied exactly so tests can predict the 429s.
    """

    enabled: bool = False
    global_per_s: int = 30
    private_per_s: int = 1
    group_per_min: int = 20
    _windows: dict[tuple[int, str], collections.deque[float]] = field(default_factory=dict)

    def configure(self, **options: Any) -> None:
        self.enabled = bool(options.get("enabled", True))
        for name in ("global_per_s", "private_per_s", "group_per_min"):
            if options.get(name) is not None:
                setattr(self, name, int(options[name]))
        self._windows.clear()

    def check(
        self, bot_id: int, chat_id: int, is_group: bool, now: float | None = None
    ) -> int | None:
        """Record one message; return retry_after seconds if it must be refused."""
        if not self.enabled:
            return None
        now = time.monotonic() if now is None else now
        rules = [((bot_id, "global"), self.global_per_s, 1.0)]
        if is_group:
            rules.append(((bot_id, f"chat:{chat_id}"), self.group_per_min, 60.0))
        else:
            rules.append(((bot_id, f"chat:{chat_id}"), self.private_per_s, 1.0))
        wait = 0.0
        for key, limit, window in rules:
            stamps = self._windows.setdefault(key, collections.deque())
            while stamps and stamps[0] <= now - window:
                stamps.popleft()
            if len(stamps) >= limit:
                # The window frees when the limit-th most recent call expires.
                wait = max(wait, stamps[-limit] + window - now)
        if wait > 0:
            return max(1, math.ceil(wait))
        for key, _, _ in rules:
            self._windows[key].append(now)
        return None


@dataclass
class Stats:
    calls: collections.Counter[str] = field(default_factory=collections.Counter)
    errors: dict[str, collections.Counter[int]] = field(default_factory=dict)
    served_429: int = 0
    messages_per_chat: collections.Counter[int] = field(default_factory=collections.Counter)
    updates_delivered: int = 0
    updates_redelivered: int = 0
    """Updates handed out again because no later offset confirmed them (as Telegram does)."""

    def error(self, method: str, status: int) -> None:
        self.errors.setdefault(method, collections.Counter())[status] += 1
        if status == 429:
            self.served_429 += 1

    def to_json(self) -> dict[str, Any]:
        return {
            "calls": dict(self.calls),
            "errors": {m: {str(s): n for s, n in c.items()} for m, c in self.errors.items()},
            "429_served": self.served_429,
            "messages_per_chat": {str(c): n for c, n in self.messages_per_chat.items()},
            "updates_delivered": self.updates_delivered,
            "updates_redelivered": self.updates_redelivered,
        }
