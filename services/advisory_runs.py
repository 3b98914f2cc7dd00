"""The scheduler side of advisories: a wake-up turns due occurrences into runs (or records
them as missed), a run is planned and resumed after a crash, each delivery is recorded in the
ledger, and the finished run is summed up for its author.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from services.access import Profile
from services.advisory_targets import AdvisoryTargets
from services.advisory_types import (
    MAX_OCCURRENCES_SCANNED,
    TIME,
    Advance,
    RunPlan,
    RunSummary,
    TargetSource,
    message_of,
    schedule_of,
)
from services.channels import QUOTA_ERROR, WINDOW_ERROR, recipient_for
from services.ports import DeliveryResult, DeliveryStatus, OutgoingMessage, Recipient, Sender
from services.reach import PersonReacher
from storage.models import AdvisoryStatus, DeliveryState, RunStatus
from storage.repositories.advisories import AdvisoryDTO, AdvisoryRepository
from storage.repositories.advisory_runs import DeliveryDTO, RunDTO, RunRepository
from storage.repositories.areas import AreaRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.chats import ChatRepository
from storage.repositories.grants import GrantRepository
from storage.repositories.users import UserRepository
from storage.uow import Sessions, transaction

logger = logging.getLogger(__name__)


class AdvisoryRuns:
    """What the scheduler asks of advisories: due runs, their ledger, the author's reports."""

    def __init__(
        self,
        sessions: Sessions,
        sender: Sender,
        targets: AdvisoryTargets,
        *,
        tz: ZoneInfo,
        grace_seconds: int,
        default_locale: str = "vi",
        superadmin_ids: frozenset[int] = frozenset(),
        target_sources: Sequence[TargetSource] = (),
        reacher: PersonReacher,
    ) -> None:
        self._sessions = sessions
        self._sender = sender
        self._reacher = reacher
        """Tells the author (a run's summary, missed runs) through the outbox."""
        self._targeting = targets
        self.tz = tz
        self.grace = timedelta(seconds=grace_seconds)
        self._locale = default_locale
        self._superadmins = superadmin_ids
        self._target_sources = tuple(target_sources)
        """More chats an area advisory reaches, found inside the run's transaction (e.g.
        subscribers by direct message, on Telegram or Zalo): (chats.id, chat key) pairs."""

    # -- scheduler side --------------------------------------------------------
    async def active(self) -> list[AdvisoryDTO]:
        async with transaction(self._sessions) as session:
            return await AdvisoryRepository(session).active()

    async def get(self, advisory_id: int) -> AdvisoryDTO | None:
        async with transaction(self._sessions) as session:
            return await AdvisoryRepository(session).get(advisory_id)

    async def interrupted_runs(self) -> list[RunDTO]:
        async with transaction(self._sessions) as session:
            return await RunRepository(session).runs_with_status(RunStatus.RUNNING)

    async def runs_of(self, advisory_id: int) -> list[RunDTO]:
        async with transaction(self._sessions) as session:
            return await RunRepository(session).runs_of(advisory_id)

    async def advance(self, advisory_id: int, now: datetime | None = None) -> Advance:
        """Called when an advisory may be due (its job fired, the bot restarted, a resync).

        Every occurrence up to ``now`` gets a run row, unique per (advisory, scheduled_for):
        the latest one is delivered if it is within the grace window, the others are recorded
        as missed. ``next_run_at`` moves past ``now``. One transaction, so a crash leaves
        either nothing or the run with its full delivery ledger."""
        now = now or datetime.now(UTC)
        async with transaction(self._sessions) as session:
            repo = AdvisoryRepository(session)
            runs = RunRepository(session)
            advisory = await repo.get(advisory_id, for_update=True)
            if (
                advisory is None
                or advisory.status is not AdvisoryStatus.ACTIVE
                or advisory.next_run_at is None
                or advisory.next_run_at > now
            ):
                return Advance()
            schedule = schedule_of(advisory)
            occurrences: list[datetime] = []
            cursor: datetime | None = advisory.next_run_at
            while cursor is not None and cursor <= now:
                occurrences.append(cursor)
                cursor = schedule.next_after(cursor, self.tz)
            occurrences = occurrences[-MAX_OCCURRENCES_SCANNED:]
            run: RunDTO | None = None
            missed: list[datetime] = []
            for moment in occurrences:
                if moment == occurrences[-1] and now - moment <= self.grace:
                    run = await runs.add_run(advisory_id, moment, RunStatus.RUNNING)
                    if run is not None:
                        await runs.add_deliveries(run.id, await self._targets(session, advisory))
                elif await runs.add_run(advisory_id, moment, RunStatus.MISSED) is not None:
                    missed.append(moment)
            await repo.update(
                advisory_id,
                next_run_at=cursor,
                status=AdvisoryStatus.ACTIVE if cursor is not None else AdvisoryStatus.DONE,
            )
            if missed:
                await AuditRepository(session).add(
                    "advisory.missed",
                    actor_user_id=None,
                    target_type="advisory",
                    target_id=advisory_id,
                    area_id=advisory.area_id,
                    after={"missed": [m.isoformat() for m in missed]},
                )
            author = await self._author(session, advisory)
        return Advance(run, tuple(missed), author)

    async def _targets(self, session: Any, advisory: AdvisoryDTO) -> list[tuple[int, int]]:
        extra: list[tuple[int, int]] = []
        if advisory.area_id is not None:
            area = await AreaRepository(session).get(advisory.area_id)
            chats = await self._targeting.area_chats(session, area) if area is not None else []
            for source in self._target_sources if area is not None else ():
                extra += await source(session, area)
        else:
            chats = await AdvisoryRepository(session).chats(list(advisory.chat_ids))
        # One ledger row per chat, whichever source found it.
        return list(dict.fromkeys([(c.id, c.telegram_chat_id) for c in chats] + extra))

    async def _author(self, session: Any, advisory: AdvisoryDTO) -> Recipient | None:
        """Who hears about the runs: the author, while they still police the advisory's area
        (a run report names the area's groups; a former officer no longer gets it)."""
        if advisory.author_user_id is None:
            return None
        user = await UserRepository(session).get(advisory.author_user_id)
        if user is None or user.telegram_id is None or user.blocked_bot:
            return None
        author = Profile(
            user=user,
            locale=user.language or self._locale,
            grants=tuple(await GrantRepository(session).for_user(user.id)),
            is_superadmin=user.telegram_id in self._superadmins,
        )
        if not await self._targeting.may_manage(session, author, advisory):
            return None
        return recipient_for(user, self._locale)

    async def plan(self, run_id: int) -> RunPlan | None:
        """Resume a run: rows a dead process left "sending" go back to pending (flagged
        uncertain), and every pending row is returned, in order."""
        async with transaction(self._sessions) as session:
            runs = RunRepository(session)
            run = await runs.get_run(run_id)
            if run is None or run.status is not RunStatus.RUNNING:
                return None
            advisory = await AdvisoryRepository(session).get(run.advisory_id)
            if advisory is None:
                return None
            reclaimed = await runs.reclaim_interrupted(run_id)
            if reclaimed:
                logger.warning(
                    "run %s: %s deliveries were in flight at a crash", run_id, reclaimed
                )
            pending = await runs.deliveries(run_id, (DeliveryState.PENDING,))
            unit = await self._targeting.issuing_unit(session, advisory)
        time = run.scheduled_for.astimezone(self.tz).strftime(TIME)
        message = message_of(advisory, unit, time)
        return RunPlan(run, advisory, message, self._locale, pending)

    async def mark_sending(self, delivery_id: int, attempts: int) -> bool:
        """Take a pending row for sending; False when a retract stopped it (skip it)."""
        async with transaction(self._sessions) as session:
            return await RunRepository(session).claim_delivery(delivery_id, attempts)

    async def record(
        self, delivery: DeliveryDTO, result: DeliveryResult, *, give_up: bool = False
    ) -> None:
        """Write one API call's outcome into the ledger; a group that removed or blocked the
        bot is marked inactive so later runs skip it."""
        fields: dict[str, Any]
        if result.status is DeliveryStatus.SENT:
            fields = {"status": DeliveryState.SENT, "message_id": result.message_id, "error": None}
        elif result.status in (DeliveryStatus.BLOCKED, DeliveryStatus.NOT_FOUND):
            fields = {"status": DeliveryState.FAILED, "error": result.status.value}
        elif result.status is DeliveryStatus.RETRY_LATER and not give_up:
            fields = {"status": DeliveryState.PENDING, "error": (result.error or "")[:200]}
        else:
            fields = {"status": DeliveryState.FAILED, "error": (result.error or "failed")[:200]}
        async with transaction(self._sessions) as session:
            settled = await RunRepository(session).settle_delivery(delivery.id, **fields)
            if result.status in (DeliveryStatus.BLOCKED, DeliveryStatus.NOT_FOUND):
                chats = ChatRepository(session)
                if await chats.get(delivery.telegram_chat_id) is not None:
                    await chats.update(delivery.telegram_chat_id, active=False)
        if not settled and result.status is DeliveryStatus.SENT and result.message_id:
            await self._delete_late_copy(delivery, result.message_id)

    async def _delete_late_copy(self, delivery: DeliveryDTO, message_id: int) -> None:
        """The advisory was retracted while this copy was on its way: delete it now."""
        ok = await self._sender.delete(delivery.telegram_chat_id, message_id)
        async with transaction(self._sessions) as session:
            await RunRepository(session).set_delivery(
                delivery.id, message_id=message_id, error=None if ok else "delete failed"
            )

    async def finish(self, run_id: int, now: datetime | None = None) -> RunSummary | None:
        """Close the run once every row is settled; the summary for the author, or None if
        the run was already closed (so it is sent once)."""
        now = now or datetime.now(UTC)
        async with transaction(self._sessions) as session:
            repo = RunRepository(session)
            counts = await repo.counts(run_id)
            if counts.get(DeliveryState.PENDING.value) or counts.get(DeliveryState.SENDING.value):
                return None
            run = await repo.get_run(run_id)
            assert run is not None
            advisory = await AdvisoryRepository(session).get(run.advisory_id)
            assert advisory is not None
            # Followers the OA could not reach for its quota or its 7-day window are counted
            # on their own lines; the others are failed chats, named.
            everything = await repo.failed_with_titles(run_id)
            quota = sum(1 for _t, error, _a in everything if error == QUOTA_ERROR)
            held = sum(1 for _t, error, _a in everything if error == WINDOW_ERROR)
            failures = [f for f in everything if f[1] not in (QUOTA_ERROR, WINDOW_ERROR)]
            uncertain = await repo.uncertain_count(run_id)
            total = sum(counts.values())
            sent = await repo.copies_count(run_id)
            inactive = [title for title, _error, active in failures if not active]
            summary = {
                "total": total,
                "sent": sent,
                "failed": len(failures),
                "inactive": len(inactive),
                "uncertain": uncertain,
                "quota": quota,
                "held": held,
            }
            if not await repo.finish_run(run_id, summary, now):
                return None
            author = await self._author(session, advisory)
        message = OutgoingMessage(
            "adv-summary",
            {
                "id": str(advisory.id),
                "sent": sent,
                "total": total,
                "failed": len(failures),
                "groups": ", ".join(title for title, _e, _a in failures)[:1500],
                "inactive": len(inactive),
                "inactive_groups": ", ".join(inactive)[:1500],
                "uncertain": uncertain,
                "quota": quota,
                "held": held,
            },
        )
        return RunSummary(author, message)

    async def notify(self, to: Recipient | None, message: OutgoingMessage) -> None:
        """Tell an author something, through the outbox (a 502 delays it, never loses it); a
        blocked bot is not an error here."""
        if to is not None:
            await self._reacher.notify_chat(to, message, what=message.key, report_id=None)

    def missed_message(self, advisory_id: int, missed: tuple[datetime, ...]) -> OutgoingMessage:
        times = ", ".join(m.astimezone(self.tz).strftime("%H:%M %d/%m/%Y") for m in missed[-5:])
        return OutgoingMessage(
            "adv-missed", {"id": str(advisory_id), "count": len(missed), "times": times}
        )
