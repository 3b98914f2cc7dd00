"""Fan-out of one advisory run through the delivery ledger.

Guarantee (documented in the report and README):

* Every row is ``pending`` until an API call for it starts; it is committed as ``sending``
  just before the call and as ``sent`` (with the Telegram message id) / ``failed`` right
  after. A clean stop (``Application.stop``) stops taking rows and waits for the calls in
  flight, so after a clean stop and restart every group gets exactly one copy.
* The Bot API has no way to ask "did this message arrive?", so a *crash* (kill -9, power
  loss) between Telegram accepting a message and the ``sent`` commit cannot be reconciled.
  Those rows (at most ``workers`` of them) are found ``sending`` at restart and are sent again,
  flagged ``uncertain`` and counted in the author's summary: at-least-once for that window,
  because a missing police warning costs more than a duplicate, and the author is told.
  The same holds for a timeout after Telegram accepted the message.

Pacing: our own sliding-window limiter (``rate`` per second overall, Telegram's 20 per minute
per group), tighter than PTB's AIORateLimiter, which is a leaky bucket (it lets a burst of 30
through at once and a strict 1-second window then answers 429). A 429 pauses every worker
for ``retry_after``; 5xx and timeouts are retried with exponential backoff; a group that
removed or blocked the bot is marked inactive by the service.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import random
import time
from collections.abc import Callable

from services.advisories import AdvisoryService, RunPlan
from services.domain import DeliveryDTO
from services.ports import DeliveryResult, DeliveryStatus, Recipient, Sender

logger = logging.getLogger(__name__)


class Pacer:
    """At most ``rate`` sends in any ``window`` seconds overall and ``per_chat`` per
    ``chat_window`` seconds in one chat; ``pause`` holds everyone back after a 429."""

    def __init__(
        self,
        rate: int,
        *,
        window: float = 1.0,
        per_chat: int = 20,
        chat_window: float = 60.0,
    ) -> None:
        self.rate, self.window = rate, window
        self.per_chat, self.chat_window = per_chat, chat_window
        self._stamps: collections.deque[float] = collections.deque()
        self._chats: dict[int, collections.deque[float]] = {}
        self._paused_until = 0.0
        self._tat = 0.0
        self._lock = asyncio.Lock()

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)

    def _wait(self, chat_id: int, now: float) -> float:
        while self._stamps and self._stamps[0] <= now - self.window:
            self._stamps.popleft()
        chat = self._chats.setdefault(chat_id, collections.deque())
        while chat and chat[0] <= now - self.chat_window:
            chat.popleft()
        wait = self._paused_until - now
        # Evenly spaced (GCRA): bursts are what network jitter squeezes into 429s. The
        # theoretical time advances by one interval per send, so a late wake-up is caught
        # up rather than lost.
        wait = max(wait, self._tat - self.window / self.rate - now)
        if len(self._stamps) >= self.rate:
            wait = max(wait, self._stamps[0] + self.window - now)
        if len(chat) >= self.per_chat:
            wait = max(wait, chat[0] + self.chat_window - now)
        return wait

    async def acquire(self, chat_id: int, keep_going: Callable[[], bool] = lambda: True) -> bool:
        """Wait for a slot; False if ``keep_going`` turned false meanwhile."""
        async with self._lock:
            while True:
                if not keep_going():
                    return False
                now = time.monotonic()
                wait = self._wait(chat_id, now)
                if wait <= 0:
                    self._tat = max(self._tat, now) + self.window / self.rate
                    self._stamps.append(now)
                    self._chats[chat_id].append(now)
                    return True
                await asyncio.sleep(min(wait, 0.5))


class DeliveryEngine:
    def __init__(
        self,
        service: AdvisoryService,
        sender: Sender,
        pacer: Pacer,
        *,
        may_send: Callable[[], bool],
        workers: int = 4,
        max_attempts: int = 6,
        backoff_base: float = 1.0,
    ) -> None:
        self._service = service
        self._sender = sender
        self.pacer = pacer
        self._may_send = may_send
        self._workers = workers
        self._max_attempts = max_attempts
        self._backoff = backoff_base
        self._writes = asyncio.Lock()
        """Ledger writes go one at a time: on SQLite, concurrent writers wait in the busy
        handler's sleeps (tens of ms each), which cost more than queueing here."""

    async def deliver(self, run_id: int) -> bool:
        """Work through the run's pending rows; True when the run was completed (and its
        author told), False when stopped early (the rows stay pending for the next start)."""
        plan = await self._service.plan(run_id)
        if plan is None:
            return False
        queue: asyncio.Queue[tuple[DeliveryDTO, int]] = asyncio.Queue()
        for row in plan.pending:
            queue.put_nowait((row, row.attempts))
        waiting = [0]  # rows sleeping before a retry
        stopped = [False]
        await asyncio.gather(
            *(self._worker(plan, queue, waiting, stopped) for _ in range(self._workers))
        )
        if stopped[0]:
            logger.info("run %s paused with rows pending; it resumes at the next start", run_id)
            return False
        summary = await self._service.finish(run_id)
        if summary is not None:
            await self._service.notify(summary.author, summary.message)
        return True

    async def _worker(
        self,
        plan: RunPlan,
        queue: asyncio.Queue[tuple[DeliveryDTO, int]],
        waiting: list[int],
        stopped: list[bool],
    ) -> None:
        while True:
            if not self._may_send():
                stopped[0] = True
                return
            try:
                row, attempts = queue.get_nowait()
            except asyncio.QueueEmpty:
                if waiting[0] == 0:
                    return
                await asyncio.sleep(0.05)
                continue
            attempts += 1
            async with self._writes:
                if not await self._service.mark_sending(row.id, attempts):
                    continue  # retracted meanwhile: not sent
            # The slot is taken right before the call, after the ledger write, so the
            # calls reach Telegram spaced as the pacer spaced them.
            if not await self.pacer.acquire(row.telegram_chat_id, self._may_send):
                await self._service.record(
                    row, DeliveryResult(DeliveryStatus.RETRY_LATER, error="stopped")
                )
                stopped[0] = True
                return
            result = await self._send(plan, row)
            if result.status is DeliveryStatus.RETRY_LATER and attempts < self._max_attempts:
                if result.retry_after:
                    self.pacer.pause(result.retry_after)
                    delay = result.retry_after
                else:
                    delay = self._backoff * 2 ** (attempts - 1) * random.uniform(0.8, 1.2)
                async with self._writes:
                    await self._service.record(row, result)
                waiting[0] += 1
                asyncio.get_running_loop().call_later(
                    delay, self._requeue, queue, waiting, row, attempts
                )
                continue
            async with self._writes:
                await self._service.record(row, result, give_up=True)

    @staticmethod
    def _requeue(
        queue: asyncio.Queue[tuple[DeliveryDTO, int]],
        waiting: list[int],
        row: DeliveryDTO,
        attempts: int,
    ) -> None:
        waiting[0] -= 1
        queue.put_nowait((row, attempts))

    async def _send(self, plan: RunPlan, row: DeliveryDTO) -> DeliveryResult:
        try:
            return await self._sender.send(
                Recipient(row.telegram_chat_id, plan.locale), plan.message
            )
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # an unexpected error must not lose the rest of the run
            logger.warning("delivery %s: unexpected %s", row.id, type(exc).__name__)
            return DeliveryResult(DeliveryStatus.RETRY_LATER, error=type(exc).__name__)
