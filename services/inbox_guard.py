"""Every inbox action is checked again when it arrives (buttons can be forged or replayed):
the presser's police rights on the tip's *current* area, the chat the tip would show in, the
tip's status and, when the button carries one, the version the officer was looking at.
Refusals are audited as ``denied``.
"""

from __future__ import annotations

import logging

from services.access import Profile, record_refusal
from services.errors import NotFound, PermissionDenied
from services.inbox_model import AlreadyHandled, Checked
from services.ports import L10n
from storage.dto import AreaDTO
from storage.dto_tips import ReportDTO
from storage.models import ChatPurpose, ReportStatus, Role
from storage.repositories.areas import AreaRepository
from storage.repositories.chats import ChatRepository
from storage.repositories.inbox import OPEN_STATUSES, InboxRepository
from storage.uow import Session, Sessions, transaction

logger = logging.getLogger(__name__)


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


class InboxGuard:
    """The checks every inbox surface (chat, console, relay) makes before showing or acting."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    # -- checks ------------------------------------------------------------------------------
    async def check(
        self, profile: Profile, action: str, report_id: int, version: int | None, *, chat_id: int
    ) -> Checked:
        """Rights on the tip's area, the chat it would show in (``chat_id``), the tip's state
        and (if given) the version; a refusal is audited as ``denied`` and raised."""
        async with transaction(self._sessions) as session:
            repo = InboxRepository(session)
            report = await repo.get(report_id)
            area = None
            if report is not None and report.area_id is not None:
                area = await AreaRepository(session).get(report.area_id)
            last = await repo.last_change(report_id) if report is not None else None
            chat_area = await self.police_chat_area(session, profile, chat_id)
        if report is None:
            await self.deny(profile, action, report_id, None, "missing")
            raise NotFound("tipact-not-found")
        allowed = profile.is_superadmin or (area is not None and profile.can(Role.POLICE, area))
        if not allowed:
            await self.deny(profile, action, report_id, report.area_id, "rights")
            raise PermissionDenied("tipact-denied")
        if chat_area is not PRIVATE and (
            chat_area is None or area is None or not chat_area.contains(area)
        ):
            await self.deny(profile, action, report_id, report.area_id, "chat")
            raise PermissionDenied("inbox-wrong-chat")
        stale = version is not None and version != report.version
        if action != "open" and (stale or not _status_allows(action, report.status)):
            await self.deny(profile, action, report_id, report.area_id, "stale")
            raise self.already(report, last)
        return Checked(report, area)

    @staticmethod
    async def police_chat_area(
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
    def already(report: ReportDTO, last: tuple[ReportStatus, str | None] | None) -> AlreadyHandled:
        status = last[0] if last else report.status
        officer = last[1] if last and last[1] else L10n("tipact-someone")
        return AlreadyHandled(
            code=report.code, officer=officer, status=L10n(f"tip-status-{status.value}")
        )

    async def deny(
        self, profile: Profile, action: str, report_id: int, area_id: int | None, why: str
    ) -> None:
        logger.info("tip action refused: report %s action %s (%s)", report_id, action, why)
        target = ("report", report_id)
        await record_refusal(
            self._sessions, profile, "denied", target, area_id, action=action[:32], why=why
        )

    async def stale_notice(self, report_id: int) -> AlreadyHandled:
        """The "already handled by …" refusal for a tip (used when a late note arrives)."""
        async with transaction(self._sessions) as session:
            repo = InboxRepository(session)
            report = await repo.get(report_id)
            last = await repo.last_change(report_id)
        if report is None:
            return AlreadyHandled(code="?", officer=L10n("tipact-someone"), status="?")
        return self.already(report, last)
