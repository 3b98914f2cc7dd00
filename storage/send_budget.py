"""One send budget per bot account, drawn on by every outgoing message of every instance.

A messaging platform limits a bot account, not a process: Telegram allows about 30 messages a
second overall, one a second in a private chat and 20 a minute in a group, whichever process
sends them. :class:`SendBudget` counts every send of one account in moving windows (exact
sliding windows) of the ``limits`` library: in Redis with REDIS_URL (its Lua scripts make each
check-and-count atomic, so every instance draws on the same budget), else in this process's
memory (one instance, as before).

Priority: an interactive reply (the answer to what a person just did) takes any free slot; a
bulk send (an advisory to hundreds of groups) takes only what the replies leave: a slot only
while the sends of the last second (replies and bulk, every instance) stay below the budget
minus :attr:`SendLimits.headroom`, and never while a reply of this process waits. The last
``headroom`` slots of every second, and every slot that frees while the window is that full,
go to replies only: the bulk share shrinks as soon as residents write, in every instance, and
grows back when they stop.

Spacing: within a process, sends are granted evenly spaced (one every ``1/per_second``), not
in bursts: network jitter squeezes a burst into a shorter window at the server than it had
here, which is a 429. The per-chat windows keep :data:`CHAT_MARGIN` beyond the window when a
send had to wait for its chat, for the same reason.

A 429 pauses sends for ``retry_after`` (:meth:`SendBudget.pause`): in every instance when
they share Redis (the pause's end is stored beside the count and read before each grant),
else in this process. Whose limit it was decides what pauses (:meth:`SendBudget.flood`):
Telegram's answer does not say (``Too Many Requests: retry after N``, for the account's 30 a
second and for a chat's own 1 a second or 20 a minute alike; the local Bot API server in
sandbox/ answers the same), so the budget judges by what it counted. When the account's
window of the last second was not full (fewer than ``per_second`` − ``headroom`` sends of
every instance, and no send of this process waited for it within the last second), the
account's limit was not what was hit: only that chat pauses, and replies to other chats go
on. When it was full, or the call names no chat, the whole account pauses. A chat pause
holds that chat's sends, edits included, and never bulk sends to other chats.
"""

from __future__ import annotations

import asyncio
import enum
import math
import time
from dataclasses import dataclass
from typing import NamedTuple

from limits.aio.storage import MemoryStorage, RedisStorage

CHAT_MARGIN = 0.25
"""Seconds added to a chat window's end when a send waited for it (jitter allowance)."""
MAX_NAP = 0.25
"""Longest sleep between two looks at the budget (a pause or a bulk wait is re-checked)."""
CATCH_UP = 1
"""Intervals a late process may catch up on at once (a burst of at most this many)."""
BULK_NAP = 0.02
"""How long a bulk send waits before looking again while replies take every slot."""


class Priority(enum.Enum):
    """Passed as ``rate_limit_args`` to the Bot's methods (no value: interactive)."""

    INTERACTIVE = "interactive"
    """The answer to what a person just did: any free slot."""
    BULK = "bulk"
    """An advisory's copy: what the replies leave."""


class Window(NamedTuple):
    """At most ``amount`` sends within any ``seconds``."""

    amount: int
    seconds: int


@dataclass(frozen=True, slots=True)
class SendLimits:
    per_second: int
    """Sends per second for the account overall (every instance together)."""
    private_chat: Window | None
    group_chat: Window | None
    headroom: int = 1
    """Slots of each second's window that only replies may take, so that a new reply finds
    one at once while an advisory runs (more replies at once wait for the next freed slot,
    which goes to a reply first: 1/per_second later)."""


def account_of(channel: str, token: str) -> str:
    """A bot account's name in the budget's keys: the channel and the token's public part
    (the bot id before the colon), never the secret."""
    return f"{channel}:{token.split(':', 1)[0]}"


class SendBudget:
    def __init__(
        self,
        account: str,
        limits: SendLimits,
        *,
        redis_url: str | None = None,
        namespace: str = "anninh",
    ) -> None:
        """``account`` names the bot account (its public id, never its token)."""
        self.limits = limits
        if redis_url:
            uri = redis_url if redis_url.startswith("async+") else f"async+{redis_url}"
            self._storage: MemoryStorage | RedisStorage = RedisStorage(
                uri, implementation="redispy", key_prefix=namespace
            )
        else:
            self._storage = MemoryStorage()
        self._overall = f"send/{account}/all"
        self._chat = f"send/{account}/chat/"
        self._pause = f"send/{account}/pause"
        self._spacing = 1.0 / limits.per_second
        self._next_grant = 0.0
        self._full_at = -math.inf
        """When a send of this process last found the account's window full (monotonic)."""
        self._paused_until: dict[str, float] = {}
        """Pauses this process knows of, by key (the account's, a chat's): monotonic end."""
        self._turn = asyncio.Lock()
        self._bulk_turn = asyncio.Lock()
        self._replies_waiting = 0
        self._no_reply_waiting = asyncio.Event()
        self._no_reply_waiting.set()

    @property
    def shared(self) -> bool:
        return isinstance(self._storage, RedisStorage)

    async def flood(self, chat: str | None, seconds: float) -> str:
        """The platform answered 429 to a call for ``chat``: pause that chat, or the whole
        account when its own window was full (see the module's docstring). Returns which
        (for logs): ``"chat"`` or ``"account"``."""
        if chat is not None and time.monotonic() - self._full_at > 1:
            _, count = await self._storage.get_moving_window(
                self._overall, self.limits.per_second, 1
            )
            if count < self.limits.per_second - self.limits.headroom:
                await self.pause(seconds, chat)
                return "chat"
        await self.pause(seconds)
        return "account"

    async def pause(self, seconds: float, chat: str | None = None) -> None:
        """Nothing from this account (or to ``chat``, if given) until ``seconds`` passed, in
        this process at once and, through Redis, in every instance sharing the budget."""
        key = self._pause_key(chat)
        now = time.monotonic()
        self._paused_until = {k: end for k, end in self._paused_until.items() if end > now}
        self._paused_until[key] = max(self._paused_until.get(key, 0.0), now + seconds)
        if not self.shared:
            return
        until = time.time() + seconds
        if await self._shared_pause_end(key) >= until:
            return
        # The value is the pause's end (ms since the epoch); the key expires with it. Two
        # instances pausing at once: the later write wins, both ends are about the same.
        await self._storage.clear(key)
        await self._storage.incr(key, math.ceil(seconds), int(until * 1000))

    def _pause_key(self, chat: str | None) -> str:
        return self._pause if chat is None else f"{self._pause}/{chat}"

    async def _shared_pause_end(self, key: str) -> float:
        """When the pause another instance stored ends (epoch seconds; 0: none)."""
        if not self.shared:
            return 0.0
        return await self._storage.get(key) / 1000

    async def _paused_for(self, chat: str | None = None) -> float:
        """Seconds left of this process's pause or the shared one (0 or less: none), of the
        account or of ``chat``."""
        key = self._pause_key(chat)
        local = self._paused_until.get(key, 0.0) - time.monotonic()
        shared = await self._shared_pause_end(key) - time.time()
        return max(local, shared)

    async def until_unpaused(self, chat: str | None = None) -> None:
        """Wait out a pause of the account and of ``chat`` (for calls that are not counted:
        edits, answers, reads)."""
        wait = await self._held_for(chat)
        while wait > 0:
            await asyncio.sleep(wait)
            wait = await self._held_for(chat)

    async def _held_for(self, chat: str | None) -> float:
        wait = await self._paused_for()
        return max(wait, await self._paused_for(chat)) if chat is not None else wait

    async def acquire(self, chat: str | None, window: Window | None, priority: Priority) -> None:
        """Wait for a slot for one send to ``chat`` (held to ``window``, if any) and take it."""
        if priority is Priority.INTERACTIVE:
            await self._acquire_reply(chat, window)
            return
        while True:
            await self._no_reply_waiting.wait()
            # Bulk sends look at the budget one at a time: a single poller instead of every
            # advisory worker asking Redis every few milliseconds.
            async with self._bulk_turn:
                while True:
                    async with self._turn:
                        wait, chat_full = await self._try(chat, window, interactive=False)
                    if wait <= 0:
                        return
                    if chat_full:
                        break  # its chat's window: wait without holding up the others
                    await asyncio.sleep(min(wait, MAX_NAP))
            await asyncio.sleep(min(wait, MAX_NAP))

    async def _acquire_reply(self, chat: str | None, window: Window | None) -> None:
        """A reply holds bulk sends back only while it waits for the budget itself, not
        while it waits for its own chat's window."""
        holding_bulk = False
        try:
            while True:
                async with self._turn:
                    wait, chat_full = await self._try(chat, window, interactive=True)
                if wait <= 0:
                    return
                if not chat_full and not holding_bulk:
                    holding_bulk = True
                    self._replies_waiting += 1
                    self._no_reply_waiting.clear()
                elif chat_full and holding_bulk:
                    holding_bulk = False
                    self._replies_waiting -= 1
                    self._bulk_may_go()
                await asyncio.sleep(min(wait, MAX_NAP))
        finally:
            if holding_bulk:
                self._replies_waiting -= 1
                self._bulk_may_go()

    def _bulk_may_go(self) -> None:
        if not self._replies_waiting:
            self._no_reply_waiting.set()

    async def _try(
        self, chat: str | None, window: Window | None, interactive: bool
    ) -> tuple[float, bool]:
        """Take a slot and return 0, or return how long to wait before trying again (and
        whether it is the chat's own window that is full)."""
        if not interactive and self._replies_waiting:
            return BULK_NAP, False
        now = time.monotonic()
        wait = max(await self._paused_for(), self._next_grant - now)
        if wait > 0:
            return wait, False
        if chat is not None and (held := await self._paused_for(chat)) > 0:
            return held, True  # a 429 for this chat's own limit: the others go on
        storage, rate = self._storage, self.limits.per_second
        chat_key = self._chat + chat if chat is not None and window is not None else None
        if chat_key is not None and window is not None:
            start, count = await storage.get_moving_window(chat_key, window.amount, window.seconds)
            if count >= window.amount:
                return max(start + window.seconds - time.time(), 0.0) + CHAT_MARGIN, True
        cap = rate if interactive else rate - self.limits.headroom
        # One key for every priority: a bulk send counts against a smaller cap on the same
        # window (the Lua script only trims entries that are already out of the window).
        if not await storage.acquire_entry(self._overall, cap, 1):
            self._full_at = now
            start, _ = await storage.get_moving_window(self._overall, rate, 1)
            return max(start + 1 - time.time(), 0.005 if interactive else BULK_NAP), False
        if (
            chat_key is not None
            and window is not None
            and not await storage.acquire_entry(chat_key, window.amount, window.seconds)
        ):
            return CHAT_MARGIN, True  # another instance took the chat's slot; ours is spent
        # A grant that came late (the event loop was busy) is caught up with by the next
        # ones, up to CATCH_UP intervals: the shared moving window still caps every second.
        self._next_grant = max(self._next_grant, now - CATCH_UP * self._spacing) + self._spacing
        return 0.0, False

    async def close(self) -> None:
        """redis-py's pool closes with the process; the memory storage needs nothing."""
