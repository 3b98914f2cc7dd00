"""Ward police advisories: composing and targeting, schedules, runs and the delivery ledger.

The service owns every rule and every transaction; the scheduler (scheduler/advisories.py)
only decides *when* to call it, and the delivery engine (scheduler/delivery.py) only paces the
API calls and reports each result back here.

:class:`AdvisoryService` composes and manages advisories. Beside it, each a class that names
what it needs: the value types and the draft's limits (:mod:`services.advisory_types`), rights
and targets (:class:`services.advisory_targets.AdvisoryTargets`) and the scheduler side with
the delivery ledger (:class:`services.advisory_runs.AdvisoryRuns`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from services.access import Profile
from services.advisory_targets import AdvisoryTargets
from services.advisory_types import (
    MEDIA_KINDS,
    SEND_NOW_SLACK,
    TEXT_LIMIT,
    TIME,
    AdvisoryDraft,
    RetractResult,
    ScheduleListener,
    _title,
    message_of,
    schedule_of,
)
from services.errors import InvalidInput, NotFound, PermissionDenied
from services.ports import DeliveryResult, OutgoingMessage, Recipient, Sender
from storage.dto import AreaDTO
from storage.models import AdvisoryStatus, DeliveryState, Recurrence, Role
from storage.repositories.advisories import AdvisoryDTO, AdvisoryRepository
from storage.repositories.advisory_runs import RunRepository
from storage.repositories.areas import AreaRepository
from storage.repositories.audit import AuditRepository
from storage.types import nfc
from storage.uow import Sessions, transaction


class AdvisoryService:
    """An officer's advisories: preview, create, list, pause, resume, edit, retract."""

    def __init__(
        self,
        sessions: Sessions,
        sender: Sender,
        targets: AdvisoryTargets,
        *,
        tz: ZoneInfo,
        changes: ScheduleListener | None = None,
    ) -> None:
        self._sessions = sessions
        self._sender = sender
        self._targets = targets
        self.tz = tz
        self._changes = changes
        """Told of each created or changed advisory (the scheduler of this process)."""

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
        message = await self.preview_message(profile, draft)
        preview = OutgoingMessage(message.key, message.args, media=message.media)
        assert profile.user.telegram_id is not None
        return await self._sender.send(
            Recipient(profile.user.telegram_id, profile.locale), preview
        )

    async def preview_message(self, profile: Profile, draft: AdvisoryDraft) -> OutgoingMessage:
        """Exactly what residents will get, as of the first send (the chat sends it to the
        officer; the console shows it on the page)."""
        self._targets.require_police(profile)
        advisory = self._draft_dto(draft)
        now = datetime.now(UTC)
        try:  # shown at the first send's time
            first = draft.schedule.next_after(now, self.tz, inclusive=True) or now
        except InvalidInput:
            first = now
        async with transaction(self._sessions) as session:
            unit = await self._targets.issuing_unit(session, advisory)
        return message_of(advisory, unit, max(first, now).astimezone(self.tz).strftime(TIME))

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
        self._targets.require_police(profile)
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
                await self._targets.check_chats(session, profile, draft.chat_ids)
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
        if self._changes is not None:
            await self._changes.advisory_changed(advisory_id)

    # -- managing --------------------------------------------------------------
    async def managed(self, profile: Profile) -> list[AdvisoryDTO]:
        """The advisories of the areas the caller polices now, whoever wrote them."""
        self._targets.require_police(profile)
        async with transaction(self._sessions) as session:
            return await self._targets.managed_by(session, profile)

    async def _editable(self, session: Any, profile: Profile, advisory_id: int) -> AdvisoryDTO:
        """The advisory, if the caller polices its area now (being its author is not enough:
        an officer transferred or revoked no longer manages the old ward's warnings)."""
        self._targets.require_police(profile)
        advisory = await AdvisoryRepository(session).get(advisory_id)
        if advisory is None or advisory.status is AdvisoryStatus.DELETED:
            raise NotFound("adv-not-found", id=str(advisory_id))
        if not await self._targets.may_manage(session, profile, advisory):
            raise PermissionDenied("adv-not-yours")
        return advisory

    async def get_editable(self, profile: Profile, advisory_id: int) -> AdvisoryDTO:
        """The advisory, if this person may change or retract it."""
        async with transaction(self._sessions) as session:
            return await self._editable(session, profile, advisory_id)

    async def reach(self, profile: Profile, advisory_id: int) -> int:
        """How many groups hold a copy of the advisory now (told before /thuhoi deletes)."""
        async with transaction(self._sessions) as session:
            await self._editable(session, profile, advisory_id)
            copies = await RunRepository(session).sent_deliveries_of(advisory_id)
        return len({c.chat_id for c in copies})

    async def ever_run(self, advisory_ids: list[int]) -> set[int]:
        """Those of ``advisory_ids`` that have gone out at least once (/lichphat tells an
        advisory still waiting for its first send from one that repeats)."""
        async with transaction(self._sessions) as session:
            runs = RunRepository(session)
            return {i for i in advisory_ids if await runs.runs_of(i)}

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
        self._targets.require_police(profile)
        async with transaction(self._sessions) as session:
            advisory = await self._editable(session, profile, advisory_id)
            runs = RunRepository(session)
            stopped = await runs.stop_unsent(advisory_id)
            copies = await runs.sent_deliveries_of(advisory_id)
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
                await RunRepository(session).set_delivery(
                    copy.id,
                    status=DeliveryState.RETRACTED,
                    error=None if ok else "delete failed",
                )
            deleted += int(ok)
        return RetractResult(deleted, len(copies), stopped)
