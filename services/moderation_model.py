"""Group moderation's plain parts: the chat platform's hands (:class:`GroupActions`), the
member and outcome types, the flood counter and how a flagged group message reads in the
review queue. No storage here: :mod:`services.moderation` lists the services.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from services.ports import L10n
from storage.dto import AreaDTO
from storage.repositories.moderation import ReviewItemDTO


class GroupActions(Protocol):
    """What moderation needs from the chat platform. Each returns False when the platform
    refused (typically: the bot is not an admin of the group)."""

    async def delete_message(self, chat_id: int, message_id: int) -> bool: ...

    async def restrict(self, chat_id: int, user_id: int, until: datetime | None) -> bool: ...

    async def unrestrict(self, chat_id: int, user_id: int) -> bool: ...

    async def ban(self, chat_id: int, user_id: int) -> bool: ...

    async def unban(self, chat_id: int, user_id: int) -> bool: ...

    async def kick(self, chat_id: int, user_id: int) -> bool: ...


class NoGroupActions:
    """A process without a bot (offline CLI commands, the console alone, Zalo alone): it
    must not moderate, and any attempt is a programming error worth a loud failure."""

    @property
    def impl(self) -> GroupActions:
        raise RuntimeError("no chat platform here: this process cannot moderate")

    async def delete_message(self, chat_id: int, message_id: int) -> bool:
        return await self.impl.delete_message(chat_id, message_id)

    async def restrict(self, chat_id: int, user_id: int, until: datetime | None) -> bool:
        return await self.impl.restrict(chat_id, user_id, until)

    async def unrestrict(self, chat_id: int, user_id: int) -> bool:
        return await self.impl.unrestrict(chat_id, user_id)

    async def ban(self, chat_id: int, user_id: int) -> bool:
        return await self.impl.ban(chat_id, user_id)

    async def unban(self, chat_id: int, user_id: int) -> bool:
        return await self.impl.unban(chat_id, user_id)

    async def kick(self, chat_id: int, user_id: int) -> bool:
        return await self.impl.kick(chat_id, user_id)


@dataclass(frozen=True, slots=True)
class Member:
    """A group member as the platform describes them."""

    telegram_id: int
    name: str
    is_bot: bool = False
    username: str | None = None


@dataclass(frozen=True, slots=True)
class FlaggedMessage:
    message_id: int
    sender: Member
    text: str


@dataclass(frozen=True, slots=True)
class FlagOutcome:
    item_id: int
    count: int
    threshold: int
    new_flag: bool
    hidden: bool
    """The message was deleted from the group by this flag."""
    to_police: bool = False
    """The sender is protected (services.protection): the police of the area were told
    instead; nothing was hidden or queued."""


@dataclass(frozen=True, slots=True)
class WarnOutcome:
    count: int
    limit: int
    muted_until: datetime | None
    mute_failed: bool = False
    repeated: bool = False
    """The command was handled before (redelivered after a crash): nothing was added."""


@dataclass(frozen=True, slots=True)
class FloodOutcome:
    muted_until: datetime
    item_id: int


class FloodTracker:
    """Messages per (chat, member) in a sliding window, in memory.

    Memory stays bounded: a member's deque holds at most ``limit`` timestamps, and members
    silent for longer than the window are dropped every ``SWEEP_EVERY`` calls.
    """

    SWEEP_EVERY = 1000

    def __init__(self) -> None:
        self._seen: dict[tuple[int, int], collections.deque[float]] = {}
        self._calls = 0

    def hit(self, chat_id: int, user_id: int, limit: int, window_s: float, now: float) -> bool:
        """Record one message; True when this makes ``limit`` messages within the window."""
        self._calls += 1
        if self._calls % self.SWEEP_EVERY == 0:
            self._sweep(now, window_s)
        stamps = self._seen.setdefault((chat_id, user_id), collections.deque(maxlen=limit))
        if stamps.maxlen != limit:
            stamps = collections.deque(stamps, maxlen=limit)
            self._seen[(chat_id, user_id)] = stamps
        stamps.append(now)
        return len(stamps) >= limit and now - stamps[0] <= window_s

    def reset(self, chat_id: int, user_id: int) -> None:
        self._seen.pop((chat_id, user_id), None)

    def _sweep(self, now: float, window_s: float) -> None:
        stale = [k for k, v in self._seen.items() if not v or now - v[-1] > max(window_s, 60)]
        for key in stale:
            del self._seen[key]

    def __len__(self) -> int:
        return len(self._seen)


def describe_group_item(item: ReviewItemDTO, area: AreaDTO | None) -> tuple[str, dict[str, Any]]:
    return "review-card-group", {
        "id": item.id,
        "group": str(item.details.get("chat_title") or item.chat_id or "?"),
        "area": area.name if area else "?",
        "reason": L10n("review-reason", {"reason": item.reason}),
        "name": item.subject_name or "?",
        "count": item.flag_count,
        "hidden": "yes" if item.hidden else "no",
        "text": item.text[:1500] or "—",
        "indicators": ", ".join(item.details.get("indicators", [])) or "—",
    }
