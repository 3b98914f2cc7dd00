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

Pacing: the sender's Bot is the token's one Bot; its rate limiter (bot/send_limiter.py) holds
each call until the bot's send budget (overall, per group) has a slot that interactive replies
leave, evenly spaced, shared by every instance through Redis. A 429 pauses that budget; here
the row waits ``retry_after`` and goes again; 5xx and timeouts are retried with exponential
backoff; a group that removed or blocked the bot is marked inactive by the service.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable

from services.advisory_runs import AdvisoryRuns
from services.advisory_types import RunPlan
from services.domain import DeliveryDTO
from services.ports import DeliveryResult, DeliveryStatus, Recipient, Sender

logger = logging.getLogger(__name__)


class DeliveryEngine:
    def __init__(
        self,
        service: AdvisoryRuns,
        sender: Sender,
        *,
        may_send: Callable[[], bool],
        workers: int = 4,
        max_attempts: int = 6,
        backoff_base: float = 1.0,
        serial_writes: bool = True,
    ) -> None:
        self._service = service
        self._sender = sender
        self._may_send = may_send
        self._workers = workers
        self._max_attempts = max_attempts
        self._backoff = backoff_base
        self._writes: asyncio.Lock | contextlib.nullcontext[None] = (
            asyncio.Lock() if serial_writes else contextlib.nullcontext()
        )
        """On SQLite ledger writes go one at a time: concurrent writers wait in the busy
        handler's sleeps (tens of ms each), which cost more than queueing here. PostgreSQL
        takes them side by side (one at a time, they held a 500-group run to ~17/s)."""

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
            # The budget's slot is taken inside the call (the Bot's rate limiter), after the
            # ledger write, so the calls reach Telegram spaced as the budget spaced them.
            result = await self._send(plan, row)
            if result.status is DeliveryStatus.RETRY_LATER and attempts < self._max_attempts:
                if result.retry_after:
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
