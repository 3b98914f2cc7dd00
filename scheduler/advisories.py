"""Advisory schedules on PTB's JobQueue (APScheduler 3), with the database as the truth.

Schedules are data in ``advisories`` (recurrence, time, weekdays, ``next_run_at``). At start
(and whenever this process takes the lease) every active advisory gets one APScheduler job
with a stable id ``advisory:<id>`` (``replace_existing``) whose trigger is built from that
data; the job is only a wake-up call: :meth:`AdvisoryRuns.advance` decides from
``next_run_at`` what is due, creates the run row (unique per advisory and time, so nothing is
sent twice) and records runs missed beyond the grace window. We did not use APScheduler's
SQLAlchemyJobStore: it pickles jobs (PTB jobs hold the Application, which does not pickle),
needs a second, synchronous engine and driver next to our async one, and would keep the
schedule in two places.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

from telegram.ext import Application, ContextTypes

from bot.sender import TelegramSender
from scheduler.delivery import DeliveryEngine
from services.advisory_runs import AdvisoryRuns
from services.advisory_types import ScheduleChanges, schedule_of
from services.domain import AdvisoryDTO, AdvisoryStatus, Priority
from services.lease import Lease
from services.ports import Sender

logger = logging.getLogger(__name__)

BOT_DATA_KEY = "advisory_scheduler"


def job_id(advisory_id: int) -> str:
    return f"advisory:{advisory_id}"


class AdvisoryScheduler:
    def __init__(
        self,
        app: Application[Any, Any, Any, Any, Any, Any],
        service: AdvisoryRuns,
        changes: ScheduleChanges,
        sender: Sender,
        lease: Lease,
        *,
        max_attempts: int,
        workers: int = 16,
        serial_writes: bool = True,
    ) -> None:
        self.app = app
        self.service = service
        self.changes = changes
        self.lease = lease
        self.engine = DeliveryEngine(
            service,
            sender,
            may_send=self.may_send,
            workers=workers,
            max_attempts=max_attempts,
            serial_writes=serial_writes,
        )
        self._runs: set[int] = set()
        self._lock = asyncio.Lock()

    def may_send(self) -> bool:
        return self.app.running and self.lease.held

    @property
    def _jobs(self) -> Any:
        assert self.app.job_queue is not None, "python-telegram-bot[job-queue] is required"
        return self.app.job_queue

    # -- lifecycle ---------------------------------------------------------------
    def start(self) -> None:
        """Called from post_init: the first tick runs as soon as the JobQueue starts."""
        self.changes.listen(self)
        period = max(1.0, self.lease.ttl / 3)
        self._jobs.run_once(self._tick_job, when=0, name="advisories:boot")
        self._jobs.run_repeating(
            self._tick_job,
            interval=period,
            first=period,
            name="advisories:lease",
            job_kwargs={"id": "advisories:lease", "replace_existing": True},
        )

    async def stop(self) -> None:
        """Called after the Application stopped (runs drained): let another instance in."""
        self.changes.listen(None)
        await self.lease.release()

    async def _tick_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.tick()

    async def tick(self) -> None:
        """Renew or take the lease; the holder re-registers and catches up, others idle."""
        async with self._lock:
            had = self.lease.held
            if not await self.lease.acquire():
                if had:
                    logger.warning("lost the advisory lease; stopping advisory jobs")
                self._drop_jobs()
                return
            if not had:
                logger.info("holding the advisory lease as %s", self.lease.owner)
                for run in await self.service.interrupted_runs():
                    self._spawn(run.id)
            for advisory in await self.service.active():
                await self._sync(advisory)

    # -- jobs ------------------------------------------------------------------
    async def advisory_changed(self, advisory_id: int) -> None:
        """The service created or changed an advisory (this process, or seen at resync)."""
        if not self.lease.held:
            return  # the holder picks it up at its next tick
        advisory = await self.service.get(advisory_id)
        if advisory is None or advisory.status is not AdvisoryStatus.ACTIVE:
            self._remove_job(advisory_id)
            return
        await self._sync(advisory)

    async def _sync(self, advisory: AdvisoryDTO) -> None:
        if advisory.next_run_at is None:
            self._remove_job(advisory.id)
            return
        if advisory.next_run_at <= datetime.now(UTC):
            await self.fire(advisory.id)
            advisory = await self.service.get(advisory.id) or advisory
            if advisory.status is not AdvisoryStatus.ACTIVE or advisory.next_run_at is None:
                self._remove_job(advisory.id)
                return
        self._jobs.run_custom(
            self._fire_job,
            job_kwargs={
                "trigger": schedule_of(advisory).trigger(self.service.tz),
                "id": job_id(advisory.id),
                "replace_existing": True,
                "coalesce": True,
                "misfire_grace_time": int(self.service.grace.total_seconds()) or None,
            },
            data=advisory.id,
            name=job_id(advisory.id),
        )

    def _remove_job(self, advisory_id: int) -> None:
        scheduler = self._jobs.scheduler
        if scheduler.get_job(job_id(advisory_id)) is not None:
            scheduler.remove_job(job_id(advisory_id))

    def _drop_jobs(self) -> None:
        for job in self._jobs.scheduler.get_jobs():
            if job.id.startswith("advisory:"):
                job.remove()

    async def _fire_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert context.job is not None
        if self.lease.held:
            await self.fire(int(context.job.data))  # type: ignore[arg-type]

    async def fire(self, advisory_id: int) -> None:
        """A wake-up: let the service decide what is due, then deliver it."""
        outcome = await self.service.advance(advisory_id)
        if outcome.missed:
            await self.service.notify(
                outcome.author, self.service.missed_message(advisory_id, outcome.missed)
            )
        if outcome.run is not None:
            self._spawn(outcome.run.id)

    def _spawn(self, run_id: int) -> None:
        if run_id in self._runs or not self.app.running:
            return
        self._runs.add(run_id)
        # Application.create_task: Application.stop() waits for it, and the engine stops
        # taking rows once the application is no longer running (a clean drain).
        self.app.create_task(self._deliver(run_id), name=f"advisory-run:{run_id}")

    async def _deliver(self, run_id: int) -> None:
        try:
            await self.engine.deliver(run_id)
        except Exception:
            logger.exception("advisory run %s failed; it resumes at the next start", run_id)
        finally:
            self._runs.discard(run_id)


async def start_advisory_scheduler(
    app: Application[Any, Any, Any, Any, Any, Any], services: Any
) -> AdvisoryScheduler:
    """post_init: build the scheduler from the settings and start its lease ticks.

    Advisories go out through the Application's Bot, the only one for the token, marked
    :attr:`Priority.BULK`: its rate limiter (bot/send_limiter.py) gives them what the replies
    leave of the bot's one send budget, evenly spaced, and leaves their retries to the
    delivery ledger."""
    settings = services.settings
    runtime = AdvisoryScheduler(
        app,
        services.advisory_runs,
        services.advisory_changes,
        _with_other_channels(services.sender, TelegramSender(app.bot, Priority.BULK)),
        services.advisory_lease,
        max_attempts=settings.advisory_max_attempts,
        serial_writes=services.engine.dialect.name == "sqlite",
    )
    runtime.start()
    return runtime


def _with_other_channels(services_sender: Any, telegram: Sender) -> Sender:
    """The bulk Telegram sender for Telegram chats; Zalo chat keys still go through the
    services' channel router (zalo/sender.py ChannelRouter)."""
    with_telegram = getattr(services_sender, "with_telegram", None)
    return with_telegram(telegram) if with_telegram is not None else telegram
