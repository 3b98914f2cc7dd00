"""Following a tip up: an officer moves it on (with a note the reporter sees), and the
reporter looks back at their tips and each one's history.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from services.access import Profile
from services.errors import AnninhError, InvalidInput, NotFound, PermissionDenied
from services.ports import InlineButton, L10n, OutgoingMessage
from services.reach import PersonReacher
from services.text_input import clip
from services.tip_card_tracker import CardTracker, UntrackedCards
from storage.dto import AreaDTO
from storage.dto_tips import ReportDTO, StatusChangeDTO
from storage.models import ReportStatus, Role
from storage.repositories.areas import AreaRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.tips import StaleReport, TipRepository
from storage.uow import Sessions, transaction

logger = logging.getLogger(__name__)

MAX_NOTE = 1000
PAGE_SIZE = 5

ALLOWED_TRANSITIONS: dict[ReportStatus, frozenset[ReportStatus]] = {
    ReportStatus.RECEIVED: frozenset(
        {ReportStatus.VERIFYING, ReportStatus.HANDLED, ReportStatus.REJECTED}
    ),
    ReportStatus.VERIFYING: frozenset(
        {ReportStatus.HANDLED, ReportStatus.REJECTED, ReportStatus.RECEIVED}
    ),
    ReportStatus.HANDLED: frozenset({ReportStatus.VERIFYING}),
    ReportStatus.REJECTED: frozenset({ReportStatus.VERIFYING}),
}
"""Closed reports can be reopened (back to verifying), never silently flipped."""


class StatusConflict(AnninhError):
    message_key = "tip-status-conflict"


@dataclass(frozen=True, slots=True)
class ReportPage:
    items: tuple[ReportDTO, ...]
    page: int
    pages: int
    total: int


@dataclass(frozen=True, slots=True)
class ReportDetail:
    report: ReportDTO
    area: AreaDTO | None
    history: tuple[StatusChangeDTO, ...]
    attachments: int


class TipFollowUp:
    """A tip's status changes (told to the reporter) and the reporter's views of their tips."""

    def __init__(
        self,
        sessions: Sessions,
        reacher: PersonReacher,
        *,
        tz: ZoneInfo,
        cards: CardTracker | None = None,
    ) -> None:
        self._sessions = sessions
        self._reacher = reacher
        self._tz = tz
        self._cards: CardTracker = cards or UntrackedCards()

    def local_time(self, moment: datetime) -> str:
        """A moment as residents read it (the surfaces show a tip's times so)."""
        return moment.astimezone(self._tz).strftime("%H:%M %d/%m/%Y")

    async def list_mine(self, user_id: int, page: int = 0) -> ReportPage:
        page = max(0, page)
        async with transaction(self._sessions) as session:
            items, total = await TipRepository(session).for_reporter(
                user_id, offset=page * PAGE_SIZE, limit=PAGE_SIZE
            )
        pages = max(1, -(-total // PAGE_SIZE))
        if page >= pages and total:
            return await self.list_mine(user_id, pages - 1)
        return ReportPage(tuple(items), page, pages, total)

    async def detail_for_reporter(self, user_id: int, report_id: int) -> ReportDetail:
        """A report with its history, for the person who sent it (nobody else)."""
        async with transaction(self._sessions) as session:
            repo = TipRepository(session)
            report = await repo.get(report_id)
            if report is None or report.reporter_user_id != user_id:
                raise NotFound("mytips-not-found")
            area = await AreaRepository(session).get(report.area_id) if report.area_id else None
            history = await repo.history(report_id)
            attachments = await repo.attachments(report_id)
        return ReportDetail(report, area, tuple(history), len(attachments))

    async def get(self, report_id: int) -> ReportDTO | None:
        async with transaction(self._sessions) as session:
            return await TipRepository(session).get(report_id)

    async def change_status(
        self,
        report_id: int,
        new_status: ReportStatus | str,
        actor: Profile,
        note: str | None = None,
        expected_version: int | None = None,
    ) -> ReportDTO:
        """An officer moves a report on (received → verifying → handled / rejected), with a
        public note the reporter sees. Optimistic lock on ``reports.version``: pass the version
        the officer was looking at; if someone acted first, :class:`StatusConflict`. Audited,
        recorded in the history, and pushed to the reporter in their language."""
        try:
            status = ReportStatus(new_status)
        except ValueError:
            raise InvalidInput("tip-status-invalid") from None
        clean_note = clip(note or "", MAX_NOTE).text or None
        async with transaction(self._sessions) as session:
            repo = TipRepository(session)
            current = await repo.get(report_id)
            if current is None:
                raise NotFound("tip-report-not-found")
            area = await AreaRepository(session).get(current.area_id) if current.area_id else None
            allowed = actor.can(Role.POLICE, area) if area is not None else actor.is_superadmin
            if not allowed:
                raise PermissionDenied()
            if expected_version is not None and expected_version != current.version:
                # Someone acted since the officer's card was drawn: say who, not that the
                # (already changed) status cannot move that way.
                raise StatusConflict(code=current.code)
            if status not in ALLOWED_TRANSITIONS[current.status]:
                raise InvalidInput(
                    "tip-status-transition",
                    old=L10n(f"tip-status-{current.status.value}"),
                    new=L10n(f"tip-status-{status.value}"),
                )
            version = expected_version if expected_version is not None else current.version
            try:
                changed = await repo.set_status(report_id, status, version)
            except StaleReport:
                raise StatusConflict(code=current.code) from None
            assert changed is not None
            before, after = changed
            await repo.add_status_change(
                report_id, before.status, status, actor.user.id, clean_note
            )
            await AuditRepository(session).add(
                "report.status",
                actor_user_id=actor.user.id,
                target_type="report",
                target_id=report_id,
                area_id=after.area_id,
                before={"status": before.status.value, "version": before.version},
                after={"status": status.value, "version": after.version, "note": clean_note},
            )
            # Stored with the change (the notice outbox): a 502, a timeout or a crash delays
            # the reporter's notice, never loses it.
            notice = await self._reacher.store(
                session,
                after.reporter_user_id,
                self._status_notice(after, clean_note),
                what="tip-status",
                report_id=report_id,
            )
        logger.info("report %s: %s -> %s", report_id, before.status.value, status.value)
        await self._reacher.deliver(notice)
        self._cards.changed(report_id)
        return after

    @staticmethod
    def _status_notice(report: ReportDTO, note: str | None) -> OutgoingMessage:
        return OutgoingMessage(
            "tip-status-changed",
            {
                "code": report.code,
                "status": L10n(f"tip-status-{report.status.value}"),
                "note": note or "",
                "has_note": "yes" if note else "no",
            },
            buttons=((InlineButton("mytips-open", f"mytips:show:{report.id}"),),),
        )
