"""Ward police advisories: composing and targeting, schedules, runs and the delivery ledger.

The service owns every rule and every transaction; the scheduler (scheduler/advisories.py)
only decides *when* to call it, and the delivery engine (scheduler/delivery.py) only paces the
API calls and reports each result back here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from services.access import Profile
from services.errors import InvalidInput, NotFound, PermissionDenied
from services.ports import (
    DeliveryResult,
    DeliveryStatus,
    Html,
    MediaKind,
    MediaRef,
    OutgoingMessage,
    Recipient,
    Sender,
)
from services.schedule_text import Schedule
from storage.dto import AreaDTO, ChatDTO
from storage.models import (
    AdvisoryStatus,
    ChatPurpose,
    DeliveryState,
    Recurrence,
    Role,
    RunStatus,
)
from storage.repositories.advisories import AdvisoryDTO, AdvisoryRepository, DeliveryDTO, RunDTO
from storage.repositories.areas import AreaRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.chats import ChatRepository
from storage.repositories.users import UserRepository
from storage.types import nfc
from storage.uow import Sessions, transaction

logger = logging.getLogger(__name__)

__all__ = ["AdvisoryDTO", "AdvisoryDraft", "AdvisoryService", "DeliveryDTO", "RunDTO"]

TEXT_LIMIT = 4000
"""Telegram allows 4096 UTF-16 units; keep room for the entities' markup."""
SEND_NOW_SLACK = timedelta(minutes=5)
MEDIA_KINDS = {MediaKind.PHOTO.value, MediaKind.DOCUMENT.value}
MAX_OCCURRENCES_SCANNED = 400
"""Catching up after a long outage: older occurrences than this many are not even recorded."""


class ScheduleListener(Protocol):
    async def advisory_changed(self, advisory_id: int) -> None: ...


TargetSource = Callable[[Any, AreaDTO], Awaitable[list[tuple[int, int]]]]


@dataclass(frozen=True, slots=True)
class AdvisoryDraft:
    text: str
    schedule: Schedule
    area_id: int | None = None
    chat_ids: tuple[int, ...] = ()
    media_kind: str | None = None
    media_file_id: str | None = None
    pin: bool = False
    silent: bool = False


@dataclass(frozen=True, slots=True)
class AreaLevel:
    parent: AreaDTO | None
    """None: the officer's own top areas."""
    areas: list[AreaDTO]
    up_allowed: bool


@dataclass(frozen=True, slots=True)
class Advance:
    """What a wake-up found: a run to deliver now, and occurrences recorded as missed."""

    run: RunDTO | None = None
    missed: tuple[datetime, ...] = ()
    author: Recipient | None = None


@dataclass(frozen=True, slots=True)
class RunPlan:
    run: RunDTO
    advisory: AdvisoryDTO
    message: OutgoingMessage
    locale: str
    pending: list[DeliveryDTO] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RunSummary:
    author: Recipient | None
    message: OutgoingMessage


@dataclass(frozen=True, slots=True)
class RetractResult:
    deleted: int
    total: int
    stopped: int = 0
    """Copies of a run still going that were not sent (or are deleted as their send returns)."""


def schedule_of(advisory: AdvisoryDTO) -> Schedule:
    return Schedule(
        recurrence=advisory.recurrence,
        run_at=advisory.run_at,
        time_of_day=advisory.time_of_day,
        weekdays=advisory.weekdays,
        month_day=advisory.month_day,
        until=date.fromisoformat(advisory.until) if advisory.until else None,
    )


def message_of(advisory: AdvisoryDTO) -> OutgoingMessage:
    """Exactly what residents see (the preview uses it too)."""
    media: tuple[MediaRef, ...] = ()
    if advisory.media_kind and advisory.media_file_id:
        media = (MediaRef(MediaKind(advisory.media_kind), advisory.media_file_id),)
    return OutgoingMessage(
        "adv-message",
        {"text": Html(advisory.text)},
        media=media,
        silent=advisory.silent,
        pin=advisory.pin,
    )


def _title(text: str) -> str:
    plain = re.sub(r"<[^>]+>", "", text)
    plain = " ".join(plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").split())
    return plain[:60] + ("…" if len(plain) > 60 else "")


class AdvisoryService:
    def __init__(
        self,
        sessions: Sessions,
        sender: Sender,
        *,
        tz: ZoneInfo,
        grace_seconds: int,
        default_locale: str = "vi",
    ) -> None:
        self._sessions = sessions
        self._sender = sender
        self.tz = tz
        self.grace = timedelta(seconds=grace_seconds)
        self._locale = default_locale
        self.listener: ScheduleListener | None = None
        self.target_sources: list[TargetSource] = []
        """More chats an area advisory reaches, found inside the run's transaction (e.g.
        subscribers by direct message, on Telegram or Zalo): (chats.id, chat key) pairs."""

    # -- rights and targets ------------------------------------------------------
    @staticmethod
    def require_police(profile: Profile) -> None:
        if not profile.has_any(Role.POLICE):
            raise PermissionDenied("adv-police-only")

    async def level(self, profile: Profile, parent_id: int | None) -> AreaLevel:
        """One level of the target picker, never outside the officer's areas."""
        self.require_police(profile)
        async with transaction(self._sessions) as session:
            areas = AreaRepository(session)
            if parent_id is None:
                if profile.is_superadmin:
                    return AreaLevel(None, await areas.children(None), False)
                tops = sorted(profile.areas_for(Role.POLICE), key=lambda a: a.name)
                if len(tops) == 1:
                    return AreaLevel(tops[0], await areas.children(tops[0].id), False)
                return AreaLevel(None, tops, False)
            parent = await areas.get(parent_id)
            if parent is None or not profile.can(Role.POLICE, parent):
                raise PermissionDenied("adv-area-not-yours")
            up = parent.parent_id is not None and profile.is_superadmin
            if not up and parent.parent_id is not None:
                above = await areas.get(parent.parent_id)
                up = above is not None and profile.can(Role.POLICE, above)
            tops = profile.areas_for(Role.POLICE)
            up = up or (len(tops) > 1 and not profile.is_superadmin)
            return AreaLevel(parent, await areas.children(parent.id), up)

    async def area_target(self, profile: Profile, area_id: int) -> tuple[AreaDTO, int]:
        """The chosen area and how many residents' groups it reaches."""
        self.require_police(profile)
        async with transaction(self._sessions) as session:
            area = await AreaRepository(session).get(area_id)
            if area is None or not profile.can(Role.POLICE, area):
                raise PermissionDenied("adv-area-not-yours")
            chats = await self._area_chats(session, area)
        return area, len(chats)

    async def groups_for(self, profile: Profile) -> list[ChatDTO]:
        """Residents' groups the officer may write to, for choosing them one by one."""
        self.require_police(profile)
        async with transaction(self._sessions) as session:
            areas = AreaRepository(session)
            roots = (
                await areas.children(None)
                if profile.is_superadmin
                else profile.areas_for(Role.POLICE)
            )
            found: dict[int, ChatDTO] = {}
            for root in roots:
                for chat in await self._area_chats(session, root):
                    found[chat.id] = chat
        return sorted(found.values(), key=lambda c: (c.title or "", c.id))

    @staticmethod
    async def _area_chats(session: Any, area: AreaDTO) -> list[ChatDTO]:
        ids = [a.id for a in await AreaRepository(session).subtree(area)]
        return await ChatRepository(session).for_areas(ids, ChatPurpose.RESIDENTS)

    async def _check_chats(
        self, session: Any, profile: Profile, chat_ids: tuple[int, ...]
    ) -> None:
        chats = await AdvisoryRepository(session).chats(list(chat_ids))
        if len(chats) != len(set(chat_ids)):
            raise InvalidInput("adv-groups-gone")
        area_ids = [c.area_id for c in chats if c.area_id is not None]
        areas = {a.id: a for a in await AreaRepository(session).get_many(area_ids)}
        for chat in chats:
            area = areas.get(chat.area_id) if chat.area_id is not None else None
            if area is None or not profile.can(Role.POLICE, area):
                raise PermissionDenied("adv-area-not-yours")

    # -- composing -------------------------------------------------------------
    def check_text(self, text: str) -> str:
        text = nfc(text or "").strip()
        if not text:
            raise InvalidInput("adv-text-empty")
        length = len(text.encode("utf-16-le")) // 2
        if length > TEXT_LIMIT:
            raise InvalidInput("error-text-too-long", length=length, limit=TEXT_LIMIT)
        return text

    async def preview(self, profile: Profile, draft: AdvisoryDraft) -> DeliveryResult:
        """Send the officer exactly what residents will get (pin aside)."""
        self.require_police(profile)
        advisory = self._draft_dto(draft)
        message = message_of(advisory)
        preview = OutgoingMessage(message.key, message.args, media=message.media)
        assert profile.user.telegram_id is not None
        return await self._sender.send(
            Recipient(profile.user.telegram_id, profile.locale), preview
        )

    @staticmethod
    def _draft_dto(draft: AdvisoryDraft) -> AdvisoryDTO:
        now = datetime.now(UTC)
        return AdvisoryDTO(
            0, None, draft.area_id, draft.chat_ids, draft.text, draft.media_kind,
            draft.media_file_id, draft.pin, draft.silent, draft.schedule.recurrence, None,
            None, (), None, None, AdvisoryStatus.ACTIVE, None, "", now,
        )  # fmt: skip

    async def create(
        self, profile: Profile, draft: AdvisoryDraft, now: datetime | None = None
    ) -> AdvisoryDTO:
        """Store the advisory with its schedule (audited) and hand it to the scheduler."""
        self.require_police(profile)
        now = now or datetime.now(UTC)
        text = self.check_text(draft.text)
        schedule = draft.schedule.validate()
        if draft.media_kind is not None and draft.media_kind not in MEDIA_KINDS:
            raise InvalidInput("adv-media-unsupported")
        if (draft.area_id is None) == (not draft.chat_ids):
            raise InvalidInput("adv-target-missing")
        first = schedule.next_after(now, self.tz, inclusive=True)
        if schedule.recurrence is Recurrence.ONCE and schedule.run_at is not None:
            # "Now" was stamped when the officer pressed the button, a moment ago.
            first = schedule.run_at if schedule.run_at >= now - SEND_NOW_SLACK else None
        if first is None:
            raise InvalidInput("sched-no-future-run")
        async with transaction(self._sessions) as session:
            area: AreaDTO | None = None
            if draft.area_id is not None:
                area = await AreaRepository(session).get(draft.area_id)
                if area is None or not profile.can(Role.POLICE, area):
                    raise PermissionDenied("adv-area-not-yours")
            else:
                await self._check_chats(session, profile, draft.chat_ids)
            advisory = await AdvisoryRepository(session).add(
                author_user_id=profile.user.id,
                area_id=draft.area_id,
                chat_ids=list(draft.chat_ids),
                text=text,
                media_kind=draft.media_kind,
                media_file_id=draft.media_file_id,
                pin=draft.pin,
                silent=draft.silent,
                recurrence=schedule.recurrence,
                run_at=schedule.run_at,
                time_of_day=schedule.time_of_day,
                weekdays=list(schedule.weekdays),
                month_day=schedule.month_day,
                until=schedule.until.isoformat() if schedule.until else None,
                status=AdvisoryStatus.ACTIVE,
                next_run_at=first,
                title=_title(text),
            )
            await AuditRepository(session).add(
                "advisory.create",
                actor_user_id=profile.user.id,
                target_type="advisory",
                target_id=advisory.id,
                area_id=area.id if area else None,
                after=self._audit_view(advisory),
            )
        await self._changed(advisory.id)
        return advisory

    @staticmethod
    def _audit_view(advisory: AdvisoryDTO) -> dict[str, Any]:
        return {
            "status": advisory.status.value,
            "recurrence": advisory.recurrence.value,
            "time_of_day": advisory.time_of_day,
            "weekdays": list(advisory.weekdays),
            "month_day": advisory.month_day,
            "until": advisory.until,
            "area_id": advisory.area_id,
            "chat_ids": list(advisory.chat_ids),
            "pin": advisory.pin,
            "silent": advisory.silent,
            "text_length": len(advisory.text),
        }

    async def _changed(self, advisory_id: int) -> None:
        if self.listener is not None:
            await self.listener.advisory_changed(advisory_id)

    # -- managing --------------------------------------------------------------
    async def mine(self, profile: Profile) -> list[AdvisoryDTO]:
        self.require_police(profile)
        async with transaction(self._sessions) as session:
            return await AdvisoryRepository(session).by_author(profile.user.id)

    async def _editable(self, session: Any, profile: Profile, advisory_id: int) -> AdvisoryDTO:
        advisory = await AdvisoryRepository(session).get(advisory_id)
        if advisory is None or advisory.status is AdvisoryStatus.DELETED:
            raise NotFound("adv-not-found", id=str(advisory_id))
        if advisory.author_user_id == profile.user.id or profile.is_superadmin:
            return advisory
        if advisory.area_id is not None:
            area = await AreaRepository(session).get(advisory.area_id)
            if area is not None and profile.can(Role.ADMIN, area):
                return advisory
        raise PermissionDenied("adv-not-yours")

    async def get_editable(self, profile: Profile, advisory_id: int) -> AdvisoryDTO:
        """The advisory, if this person may change or retract it."""
        self.require_police(profile)
        async with transaction(self._sessions) as session:
            return await self._editable(session, profile, advisory_id)

    async def _change(
        self, profile: Profile, advisory_id: int, action: str, **fields: Any
    ) -> AdvisoryDTO:
        async with transaction(self._sessions) as session:
            before = await self._editable(session, profile, advisory_id)
            after = await AdvisoryRepository(session).update(advisory_id, **fields)
            await AuditRepository(session).add(
                action,
                actor_user_id=profile.user.id,
                target_type="advisory",
                target_id=advisory_id,
                area_id=before.area_id,
                before=self._audit_view(before),
                after=self._audit_view(after),
            )
        await self._changed(advisory_id)
        return after

    async def pause(self, profile: Profile, advisory_id: int) -> AdvisoryDTO:
        async with transaction(self._sessions) as session:
            advisory = await self._editable(session, profile, advisory_id)
        if advisory.status is not AdvisoryStatus.ACTIVE:
            raise InvalidInput("sched-not-active")
        return await self._change(
            profile, advisory_id, "advisory.pause", status=AdvisoryStatus.PAUSED
        )

    async def resume(
        self, profile: Profile, advisory_id: int, now: datetime | None = None
    ) -> AdvisoryDTO:
        """Resume from now on: runs that fell in the pause are skipped, not caught up."""
        now = now or datetime.now(UTC)
        async with transaction(self._sessions) as session:
            advisory = await self._editable(session, profile, advisory_id)
        if advisory.status is not AdvisoryStatus.PAUSED:
            raise InvalidInput("sched-not-paused")
        following = schedule_of(advisory).next_after(now, self.tz)
        if following is None:
            raise InvalidInput("sched-no-future-run")
        return await self._change(
            profile,
            advisory_id,
            "advisory.resume",
            status=AdvisoryStatus.ACTIVE,
            next_run_at=following,
        )

    async def delete(self, profile: Profile, advisory_id: int) -> AdvisoryDTO:
        return await self._change(
            profile, advisory_id, "advisory.delete", status=AdvisoryStatus.DELETED
        )

    async def edit_text(self, profile: Profile, advisory_id: int, text: str) -> AdvisoryDTO:
        text = self.check_text(text)
        return await self._change(
            profile, advisory_id, "advisory.edit_text", text=text, title=_title(text)
        )

    async def retract(self, profile: Profile, advisory_id: int) -> RetractResult:
        """Delete every delivered copy of the advisory from the groups, and stop a run that is
        still sending it (audited). Its schedule is left as it is (/lichphat pauses or deletes)."""
        self.require_police(profile)
        async with transaction(self._sessions) as session:
            advisory = await self._editable(session, profile, advisory_id)
            repo = AdvisoryRepository(session)
            stopped = await repo.stop_unsent(advisory_id)
            copies = await repo.sent_deliveries_of(advisory_id)
            await AuditRepository(session).add(
                "advisory.retract",
                actor_user_id=profile.user.id,
                target_type="advisory",
                target_id=advisory_id,
                area_id=advisory.area_id,
                after={"copies": len(copies), "stopped": stopped},
            )
        deleted = 0
        for copy in copies:
            assert copy.message_id is not None
            ok = await self._sender.delete(copy.telegram_chat_id, copy.message_id)
            async with transaction(self._sessions) as session:
                await AdvisoryRepository(session).set_delivery(
                    copy.id,
                    status=DeliveryState.RETRACTED,
                    error=None if ok else "delete failed",
                )
            deleted += int(ok)
        return RetractResult(deleted, len(copies), stopped)

    # -- scheduler side --------------------------------------------------------
    async def active(self) -> list[AdvisoryDTO]:
        async with transaction(self._sessions) as session:
            return await AdvisoryRepository(session).active()

    async def get(self, advisory_id: int) -> AdvisoryDTO | None:
        async with transaction(self._sessions) as session:
            return await AdvisoryRepository(session).get(advisory_id)

    async def interrupted_runs(self) -> list[RunDTO]:
        async with transaction(self._sessions) as session:
            return await AdvisoryRepository(session).runs_with_status(RunStatus.RUNNING)

    async def runs_of(self, advisory_id: int) -> list[RunDTO]:
        async with transaction(self._sessions) as session:
            return await AdvisoryRepository(session).runs_of(advisory_id)

    async def advance(self, advisory_id: int, now: datetime | None = None) -> Advance:
        """Called when an advisory may be due (its job fired, the bot restarted, a resync).

        Every occurrence up to ``now`` gets a run row, unique per (advisory, scheduled_for):
        the latest one is delivered if it is within the grace window, the others are recorded
        as missed. ``next_run_at`` moves past ``now``. One transaction, so a crash leaves
        either nothing or the run with its full delivery ledger."""
        now = now or datetime.now(UTC)
        async with transaction(self._sessions) as session:
            repo = AdvisoryRepository(session)
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
                    run = await repo.add_run(advisory_id, moment, RunStatus.RUNNING)
                    if run is not None:
                        await repo.add_deliveries(run.id, await self._targets(session, advisory))
                elif await repo.add_run(advisory_id, moment, RunStatus.MISSED) is not None:
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
            chats = await self._area_chats(session, area) if area is not None else []
            for source in self.target_sources if area is not None else ():
                extra += await source(session, area)
        else:
            chats = await AdvisoryRepository(session).chats(list(advisory.chat_ids))
        # One ledger row per chat, whichever source found it.
        return list(dict.fromkeys([(c.id, c.telegram_chat_id) for c in chats] + extra))

    async def _author(self, session: Any, advisory: AdvisoryDTO) -> Recipient | None:
        if advisory.author_user_id is None:
            return None
        user = await UserRepository(session).get(advisory.author_user_id)
        if user is None or user.telegram_id is None or user.blocked_bot:
            return None
        return Recipient(user.telegram_id, user.language or self._locale)

    async def plan(self, run_id: int) -> RunPlan | None:
        """Resume a run: rows a dead process left "sending" go back to pending (flagged
        uncertain), and every pending row is returned, in order."""
        async with transaction(self._sessions) as session:
            repo = AdvisoryRepository(session)
            run = await repo.get_run(run_id)
            if run is None or run.status is not RunStatus.RUNNING:
                return None
            advisory = await repo.get(run.advisory_id)
            if advisory is None:
                return None
            reclaimed = await repo.reclaim_interrupted(run_id)
            if reclaimed:
                logger.warning(
                    "run %s: %s deliveries were in flight at a crash", run_id, reclaimed
                )
            pending = await repo.deliveries(run_id, (DeliveryState.PENDING,))
        return RunPlan(run, advisory, message_of(advisory), self._locale, pending)

    async def mark_sending(self, delivery_id: int, attempts: int) -> bool:
        """Take a pending row for sending; False when a retract stopped it (skip it)."""
        async with transaction(self._sessions) as session:
            return await AdvisoryRepository(session).claim_delivery(delivery_id, attempts)

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
            settled = await AdvisoryRepository(session).settle_delivery(delivery.id, **fields)
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
            await AdvisoryRepository(session).set_delivery(
                delivery.id, message_id=message_id, error=None if ok else "delete failed"
            )

    async def finish(self, run_id: int, now: datetime | None = None) -> RunSummary | None:
        """Close the run once every row is settled; the summary for the author, or None if
        the run was already closed (so it is sent once)."""
        now = now or datetime.now(UTC)
        async with transaction(self._sessions) as session:
            repo = AdvisoryRepository(session)
            counts = await repo.counts(run_id)
            if counts.get(DeliveryState.PENDING.value) or counts.get(DeliveryState.SENDING.value):
                return None
            run = await repo.get_run(run_id)
            assert run is not None
            advisory = await repo.get(run.advisory_id)
            assert advisory is not None
            failures = await repo.failed_with_titles(run_id)
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
            },
        )
        return RunSummary(author, message)

    async def notify(self, to: Recipient | None, message: OutgoingMessage) -> None:
        """Tell an author something; a blocked bot is not an error here."""
        if to is None:
            return
        result = await self._sender.send(to, message)
        if not result.ok:
            logger.info("could not reach an advisory author: %s", result.status.value)

    def missed_message(self, advisory_id: int, missed: tuple[datetime, ...]) -> OutgoingMessage:
        times = ", ".join(m.astimezone(self.tz).strftime("%H:%M %d/%m/%Y") for m in missed[-5:])
        return OutgoingMessage(
            "adv-missed", {"id": str(advisory_id), "count": len(missed), "times": times}
        )
