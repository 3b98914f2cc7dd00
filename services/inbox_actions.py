"""Acting on a tip from the inbox: every action is checked again when it arrives (rights on
the tip's current area, its status, the version on the button; refusals audited as
``denied``: :mod:`services.inbox_guard`), then verify / handled / reject, escalation to the
area above, confirming a fraud tip's indicators one by one, and sending to review.
"""

from __future__ import annotations

import logging
from typing import Any

from services.access import Profile
from services.categories import label_key
from services.errors import InvalidInput, NotFound
from services.inbox_guard import InboxGuard
from services.inbox_model import (
    ACTIONS,
    ActOutcome,
    ScamChoices,
    Scams,
    notification_buttons,
)
from services.police import police_of, store_for_police
from services.ports import L10n, OutgoingMessage
from services.reach import PersonReacher
from services.text_input import clip
from services.tip_card_tracker import CardTracker, UntrackedCards
from services.tip_exposure import queue_for_moderators
from services.tip_followup import StatusConflict, TipFollowUp
from storage.dto import AreaDTO
from storage.dto_tips import ReportDTO
from storage.models import AreaKind, ReportKind, ReportStatus
from storage.repositories.areas import AreaRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.inbox import InboxRepository
from storage.repositories.indicators import IndicatorRepository
from storage.repositories.outbox import OutboxDTO
from storage.repositories.tips import StaleReport, TipRepository
from storage.uow import Sessions, transaction

logger = logging.getLogger(__name__)


class InboxActions:
    """An officer's actions on a tip, each checked by the :class:`InboxGuard` first."""

    def __init__(
        self,
        sessions: Sessions,
        reacher: PersonReacher,
        guard: InboxGuard,
        follow_up: TipFollowUp,
        scams: Scams | None,
        *,
        default_language: str,
        cards: CardTracker | None = None,
    ) -> None:
        self._sessions = sessions
        self._reacher = reacher
        self._cards: CardTracker = cards or UntrackedCards()
        self._guard = guard
        self._follow_up = follow_up
        self._scams = scams
        self._default_language = default_language

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
        checked = await self._guard.check(profile, action, report_id, version, chat_id=chat_id)
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
                after = await self._follow_up.change_status(
                    report.id, status, profile, note=note, expected_version=expected
                )
            except StatusConflict:
                await self._guard.deny(profile, action, report_id, report.area_id, "stale")
                raise await self._guard.stale_notice(report_id) from None
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
        checked = await self._guard.check(profile, "scam", report_id, version, chat_id=chat_id)
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
            await self._guard.deny(profile, "scam", report_id, choices.report.area_id, "indicator")
            raise NotFound("tipact-indicator-not-on-tip")
        assert self._scams is not None
        outcome = await self._scams.confirm(indicator_id, profile, confirmed=confirmed)
        self._cards.changed(report_id)
        return await self.scam_choices(profile, report_id, chat_id=chat_id), outcome

    async def send_to_review(self, profile: Profile, report: ReportDTO) -> None:
        """An officer asks the moderators to look at a tip (services.tip_exposure decides
        whether they may)."""
        async with transaction(self._sessions) as session:
            if await InboxRepository(session).open_review_ids([report.id]):
                raise InvalidInput("tipact-already-in-review")
            queued = await queue_for_moderators(session, report, ("officer",))
            if queued is not None:
                await AuditRepository(session).add_for_report(
                    "report.review",
                    report,
                    actor_user_id=profile.user.id,
                    after={"reason": "officer"},
                )
        if queued is None:
            await self._guard.deny(profile, "review", report.id, report.area_id, "police_only")
            raise InvalidInput(
                "tipact-review-police-only", category=L10n(label_key(report.category))
            )
        self._cards.changed(report.id)

    async def _restore(self, profile: Profile, report: ReportDTO, expected: int) -> ReportDTO:
        """Undo a moderator's rejection (or merge): the tip is open again (verifying), the
        reporter is told as for any status change, the decision stays on record as undone."""
        async with transaction(self._sessions) as session:
            closing = (await InboxRepository(session).review_closings([report.id])).get(report.id)
        if closing is None:
            await self._guard.deny(profile, "restore", report.id, report.area_id, "not_by_review")
            raise InvalidInput("tipact-restore-not-review", code=report.code)
        try:
            after = await self._follow_up.change_status(
                report.id, ReportStatus.VERIFYING, profile, expected_version=expected
            )
        except StatusConflict:
            await self._guard.deny(profile, "restore", report.id, report.area_id, "stale")
            raise await self._guard.stale_notice(report.id) from None
        async with transaction(self._sessions) as session:
            await InboxRepository(session).undo_review_closing(report.id, closing)
            await AuditRepository(session).add_for_report(
                "report.restore",
                report,
                actor_user_id=profile.user.id,
                before={"status": report.status.value, "review_item": closing.item_id},
                after={"status": after.status.value, "undone": closing.resolution},
            )
        logger.info("report %s restored after a review %s", report.id, closing.resolution)
        self._cards.changed(report.id)
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
        moved = await self._move(actor, report.id, level, expected_version)
        if moved is None:
            await self._guard.deny(actor, "escalate", report.id, report.area_id, "stale")
            raise await self._guard.stale_notice(report.id)
        after, parent, notices = moved
        logger.info("report %s escalated to area %s", report.id, parent.id)
        for notice in notices:  # through the outbox: a 502 delays it, never loses it
            await self._reacher.deliver(notice)
        self._cards.changed(after.id)
        return after, parent

    async def _move(
        self, actor: Profile, report_id: int, level: AreaDTO, expected_version: int
    ) -> tuple[ReportDTO, AreaDTO, list[OutboxDTO | None]] | None:
        try:
            return await self._move_in_transaction(actor, report_id, level, expected_version)
        except StaleReport:
            return None

    async def _move_in_transaction(
        self, actor: Profile, report_id: int, level: AreaDTO, expected_version: int
    ) -> tuple[ReportDTO, AreaDTO, list[OutboxDTO | None]] | None:
        """The move, its history and audit, and its notices (the police above: the tip's
        card, recorded as such once sent; the reporter) stored in one transaction."""
        async with transaction(self._sessions) as session:
            parent = (
                await AreaRepository(session).get(level.parent_id) if level.parent_id else None
            )
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
            card = self._escalated_card(after, area_name=parent.name, from_area=level.name)
            police = await police_of(session, parent, self._default_language)
            notices = await store_for_police(
                self._reacher,
                session,
                police,
                card,
                what="tip-escalated",
                report_id=after.id,
                shows_the_tip=True,
            )
            notice = await self._reacher.store(
                session,
                after.reporter_user_id,
                OutgoingMessage(
                    "tipact-reporter-escalated", {"code": after.code, "area": parent.name}
                ),
                what="tip-escalated",
                report_id=after.id,
            )
        return after, parent, [*notices, notice]

    @staticmethod
    def _escalated_card(after: ReportDTO, *, area_name: str, from_area: str) -> OutgoingMessage:
        return OutgoingMessage(
            "tipact-escalated-police",
            {
                "code": after.code,
                "category": L10n(label_key(after.category)),
                "from_area": from_area,
                "to_area": area_name,
                "summary": clip(after.text, 1500).text,
            },
            buttons=notification_buttons(after.id),
        )
