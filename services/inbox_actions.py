"""Acting on a tip from the inbox: every action is checked again when it arrives (rights on
the tip's current area, its status, the version on the button; refusals audited as
``denied``), then verify / handled / reject, escalation to the area above, confirming a fraud
tip's indicators one by one, and sending to review.

Mixed into :class:`services.inbox.InboxService`, which sets the attributes declared below.
"""

from __future__ import annotations

import logging
from typing import Any

from services.access import Profile
from services.categories import label_key
from services.errors import InvalidInput, NotFound, PermissionDenied
from services.inbox_model import (
    ACTIONS,
    ActOutcome,
    AlreadyHandled,
    Checked,
    ScamChoices,
    Scams,
    notification_buttons,
)
from services.police import police_of
from services.ports import L10n, OutgoingMessage, Recipient
from services.reach import PersonReacher
from services.text_input import clip
from services.tip_exposure import queue_for_moderators
from services.tips import StatusConflict, TipService
from storage.dto import AreaDTO
from storage.dto_tips import ReportDTO
from storage.models import AreaKind, ChatPurpose, ReportKind, ReportStatus, Role
from storage.repositories.areas import AreaRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.chats import ChatRepository
from storage.repositories.inbox import OPEN_STATUSES, InboxRepository
from storage.repositories.indicators import IndicatorRepository
from storage.repositories.outbox import OutboxDTO
from storage.repositories.tips import StaleReport, TipRepository
from storage.uow import Session, Sessions, transaction

logger = logging.getLogger("services.inbox")
"""Logged under the service's name, as before the split: log lines and searches for
``services.inbox:`` stay the same."""


class _Private:
    """The person's own private chat with the bot."""


PRIVATE = _Private()


def _status_allows(action: str, status: ReportStatus) -> bool:
    if action == "verify":
        return status is ReportStatus.RECEIVED
    if action in ("handled", "reject", "nonote", "escalate", "review"):
        return status in OPEN_STATUSES
    if action == "restore":
        return status is ReportStatus.REJECTED
    return True  # reply, scam: fine whatever the status


class InboxActions:
    """The checks and actions part of :class:`services.inbox.InboxService`."""

    _sessions: Sessions
    _reacher: PersonReacher
    _tips: TipService
    _scams: Scams | None
    _default_language: str

    # -- checks ------------------------------------------------------------------------------
    async def check(
        self, profile: Profile, action: str, report_id: int, version: int | None, *, chat_id: int
    ) -> Checked:
        """Rights on the tip's area, the chat it would show in (``chat_id``), the tip's state
        and (if given) the version; a refusal is audited as ``denied`` and raised."""
        return await self._check(profile, action, report_id, version, chat_id=chat_id)

    async def _check(
        self,
        profile: Profile,
        action: str,
        report_id: int,
        version: int | None,
        *,
        chat_id: int,
    ) -> Checked:
        async with transaction(self._sessions) as session:
            repo = InboxRepository(session)
            report = await repo.get(report_id)
            area = None
            if report is not None and report.area_id is not None:
                area = await AreaRepository(session).get(report.area_id)
            last = await repo.last_change(report_id) if report is not None else None
            chat_area = await self._police_chat_area(session, profile, chat_id)
        if report is None:
            await self._deny(profile, action, report_id, None, "missing")
            raise NotFound("tipact-not-found")
        allowed = profile.is_superadmin or (area is not None and profile.can(Role.POLICE, area))
        if not allowed:
            await self._deny(profile, action, report_id, report.area_id, "rights")
            raise PermissionDenied("tipact-denied")
        if chat_area is not PRIVATE and (
            chat_area is None or area is None or not chat_area.contains(area)
        ):
            await self._deny(profile, action, report_id, report.area_id, "chat")
            raise PermissionDenied("inbox-wrong-chat")
        stale = version is not None and version != report.version
        if action != "open" and (stale or not _status_allows(action, report.status)):
            await self._deny(profile, action, report_id, report.area_id, "stale")
            raise self._already(report, last)
        return Checked(report, area)

    @staticmethod
    async def _police_chat_area(
        session: Session, profile: Profile, chat_id: int
    ) -> AreaDTO | _Private | None:
        """Where a tip may show: the person's own private chat (:data:`PRIVATE`), or a police
        work chat (its area: tips of that area only); anywhere else (a residents' group,
        an unlinked group) nothing of a tip is shown (None)."""
        if profile.user.telegram_id is not None and chat_id == profile.user.telegram_id:
            return PRIVATE
        chat = await ChatRepository(session).get(chat_id)
        if (
            chat is None
            or not chat.active
            or chat.purpose is not ChatPurpose.POLICE
            or chat.area_id is None
        ):
            return None
        return await AreaRepository(session).get(chat.area_id)

    @staticmethod
    def _already(
        report: ReportDTO, last: tuple[ReportStatus, str | None] | None
    ) -> AlreadyHandled:
        status = last[0] if last else report.status
        officer = last[1] if last and last[1] else L10n("tipact-someone")
        return AlreadyHandled(
            code=report.code, officer=officer, status=L10n(f"tip-status-{status.value}")
        )

    async def _deny(
        self, profile: Profile, action: str, report_id: int, area_id: int | None, why: str
    ) -> None:
        logger.info("tip action refused: report %s action %s (%s)", report_id, action, why)
        async with transaction(self._sessions) as session:
            await AuditRepository(session).add(
                "denied",
                actor_user_id=profile.user.id,
                target_type="report",
                target_id=report_id,
                area_id=area_id,
                after={"action": action[:32], "why": why},
            )

    async def stale_notice(self, report_id: int) -> AlreadyHandled:
        """The "already handled by …" refusal for a tip (used when a late note arrives)."""
        async with transaction(self._sessions) as session:
            repo = InboxRepository(session)
            report = await repo.get(report_id)
            last = await repo.last_change(report_id)
        if report is None:
            return AlreadyHandled(code="?", officer=L10n("tipact-someone"), status="?")
        return self._already(report, last)

    # -- actions -----------------------------------------------------------------------------
    async def act(
        self,
        profile: Profile,
        action: str,
        report_id: int,
        version: int | None,
        note: str | None = None,
        *,
        chat_id: int,
    ) -> ActOutcome:
        """verify / handled / nonote / reject / escalate / restore / review, checked again
        ("scam" opens :meth:`scam_choices` instead: a tip's indicators are confirmed one by
        one); the confirmation and the redrawn card show in ``chat_id``, so it is checked too."""
        if action not in ACTIONS or action in ("reply", "helpful", "scam"):
            raise InvalidInput("tipact-unknown")
        checked = await self._check(profile, action, report_id, version, chat_id=chat_id)
        report = checked.report
        expected = version if version is not None else report.version
        if action in ("verify", "handled", "nonote", "reject"):
            status = {
                "verify": ReportStatus.VERIFYING,
                "handled": ReportStatus.HANDLED,
                "nonote": ReportStatus.HANDLED,
                "reject": ReportStatus.REJECTED,
            }[action]
            try:
                after = await self._tips.change_status(
                    report.id, status, profile, note=note, expected_version=expected
                )
            except StatusConflict:
                await self._deny(profile, action, report_id, report.area_id, "stale")
                raise await self.stale_notice(report_id) from None
            return ActOutcome(after, action)
        if action == "escalate":
            after, parent = await self.escalate(profile, report, expected, checked.area)
            return ActOutcome(after, action, parent.name)
        if action == "restore":
            return ActOutcome(await self._restore(profile, report, expected), action)
        # review
        await self.send_to_review(profile, report)
        return ActOutcome(report, action)

    async def scam_choices(
        self, profile: Profile, report_id: int, version: int | None = None, *, chat_id: int
    ) -> ScamChoices:
        """A fraud tip's phones, accounts and links for its area's police, each to confirm on
        its own: a tip often names the victim's own number next to the scammer's. They show
        in ``chat_id``, which is checked as a card's chat is."""
        checked = await self._check(profile, "scam", report_id, version, chat_id=chat_id)
        report = checked.report
        if report.kind is not ReportKind.FRAUD or self._scams is None:
            raise InvalidInput("tipact-not-fraud")
        async with transaction(self._sessions) as session:
            links = await IndicatorRepository(session).links_of_report(report.id)
        if not links:
            raise InvalidInput("tipact-no-indicators")
        return ScamChoices(report, tuple(links))

    async def confirm_indicator(
        self,
        profile: Profile,
        report_id: int,
        indicator_id: int,
        *,
        chat_id: int,
        confirmed: bool = True,
    ) -> tuple[ScamChoices, Any]:
        """Confirm one indicator of the tip as a scam (or take it back); returns the tip's
        choices as they are now and the scam service's outcome."""
        choices = await self.scam_choices(profile, report_id, chat_id=chat_id)
        if indicator_id not in {link.indicator.id for link in choices.links}:
            await self._deny(profile, "scam", report_id, choices.report.area_id, "indicator")
            raise NotFound("tipact-indicator-not-on-tip")
        assert self._scams is not None
        outcome = await self._scams.confirm(indicator_id, profile, confirmed=confirmed)
        return await self.scam_choices(profile, report_id, chat_id=chat_id), outcome

    async def send_to_review(self, profile: Profile, report: ReportDTO) -> None:
        """An officer asks the moderators to look at a tip (services.tip_exposure decides
        whether they may)."""
        async with transaction(self._sessions) as session:
            if await InboxRepository(session).open_review_ids([report.id]):
                raise InvalidInput("tipact-already-in-review")
            queued = await queue_for_moderators(session, report, ("officer",))
            if queued is not None:
                await AuditRepository(session).add(
                    "report.review",
                    actor_user_id=profile.user.id,
                    target_type="report",
                    target_id=report.id,
                    area_id=report.area_id,
                    after={"reason": "officer"},
                )
        if queued is None:
            await self._deny(profile, "review", report.id, report.area_id, "police_only")
            raise InvalidInput(
                "tipact-review-police-only", category=L10n(label_key(report.category))
            )

    async def _restore(self, profile: Profile, report: ReportDTO, expected: int) -> ReportDTO:
        """Undo a moderator's rejection (or merge): the tip is open again (verifying), the
        reporter is told as for any status change, the decision stays on record as undone."""
        async with transaction(self._sessions) as session:
            closing = (await InboxRepository(session).review_closings([report.id])).get(report.id)
        if closing is None:
            await self._deny(profile, "restore", report.id, report.area_id, "not_by_review")
            raise InvalidInput("tipact-restore-not-review", code=report.code)
        try:
            after = await self._tips.change_status(
                report.id, ReportStatus.VERIFYING, profile, expected_version=expected
            )
        except StatusConflict:
            await self._deny(profile, "restore", report.id, report.area_id, "stale")
            raise await self.stale_notice(report.id) from None
        async with transaction(self._sessions) as session:
            await InboxRepository(session).undo_review_closing(report.id, closing)
            await AuditRepository(session).add(
                "report.restore",
                actor_user_id=profile.user.id,
                target_type="report",
                target_id=report.id,
                area_id=report.area_id,
                before={"status": report.status.value, "review_item": closing.item_id},
                after={"status": after.status.value, "undone": closing.resolution},
            )
        logger.info("report %s restored after a review %s", report.id, closing.resolution)
        return after

    async def escalate(
        self,
        actor: Profile,
        report: ReportDTO,
        expected_version: int,
        area: AreaDTO | None,
    ) -> tuple[ReportDTO, AreaDTO]:
        """Move the tip to the parent area; the parent's police and the reporter are told.
        The caller has checked the actor's rights."""
        if area is None:
            raise InvalidInput("tipact-no-parent")
        # A tip of a tổ dân phố is handled by its ward: "up" is the level above the ward.
        async with transaction(self._sessions) as session:
            lineage = await AreaRepository(session).get_many(area.ancestor_ids)
        units = [a for a in lineage if a.kind.depth <= AreaKind.WARD.depth]
        level = units[-1] if units else area
        if level.parent_id is None:
            raise InvalidInput("tipact-no-parent")
        moved = await self._move(actor, report.id, level.parent_id, expected_version)
        if moved is None:
            await self._deny(actor, "escalate", report.id, report.area_id, "stale")
            raise await self.stale_notice(report.id)
        after, parent, recipients, notice = moved
        logger.info("report %s escalated to area %s", report.id, parent.id)
        message = OutgoingMessage(
            "tipact-escalated-police",
            {
                "code": after.code,
                "category": L10n(label_key(after.category)),
                "from_area": level.name,
                "to_area": parent.name,
                "summary": clip(after.text, 1500).text,
            },
            buttons=notification_buttons(after.id),
        )
        for recipient in recipients:  # through the outbox: a 502 delays it, never loses it
            await self._reacher.notify_chat(
                recipient, message, what="tip-escalated", report_id=after.id
            )
        await self._reacher.deliver(notice)
        return after, parent

    async def _move(
        self, actor: Profile, report_id: int, parent_id: int, expected_version: int
    ) -> tuple[ReportDTO, AreaDTO, list[Recipient], OutboxDTO | None] | None:
        try:
            return await self._move_in_transaction(actor, report_id, parent_id, expected_version)
        except StaleReport:
            return None

    async def _move_in_transaction(
        self, actor: Profile, report_id: int, parent_id: int, expected_version: int
    ) -> tuple[ReportDTO, AreaDTO, list[Recipient], OutboxDTO | None] | None:
        async with transaction(self._sessions) as session:
            parent = await AreaRepository(session).get(parent_id)
            if parent is None:
                raise InvalidInput("tipact-no-parent")
            moved = await InboxRepository(session).move_area(
                report_id, parent.id, expected_version
            )
            if moved is None:
                return None
            before, after = moved
            await TipRepository(session).add_status_change(
                report_id, after.status, after.status, actor.user.id, f"→ {parent.name}"
            )
            await AuditRepository(session).add(
                "report.escalate",
                actor_user_id=actor.user.id,
                target_type="report",
                target_id=report_id,
                area_id=parent.id,
                before={"area_id": before.area_id, "version": before.version},
                after={"area_id": parent.id, "version": after.version},
            )
            recipients = await self._police_of(session, parent)
            notice = await self._reacher.store(
                session,
                after.reporter_user_id,
                OutgoingMessage(
                    "tipact-reporter-escalated", {"code": after.code, "area": parent.name}
                ),
                what="tip-escalated",
                report_id=after.id,
            )
        return after, parent, recipients, notice

    async def _police_of(self, session: Session, area: AreaDTO) -> list[Recipient]:
        """Who polices the area (services.police): its chats, else its officers."""
        police = await police_of(session, area, self._default_language)
        return list(police.chats) or [recipient for _, recipient in police.officers]
