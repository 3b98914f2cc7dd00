"""The police inbox: tips of an officer's areas, one card per tip, and the officer's actions on
them (take, close with a note, reject with a reason, escalate, confirm a scam, send to review).

Every action is checked again when it arrives (buttons can be forged or replayed): the
presser's police rights on the tip's *current* area, the tip's current status and, when the
button carries one, the version the officer was looking at. Refusals are audited as
``denied``. Status changes go through :meth:`services.tips.TipService.change_status`, which
records the history and tells the reporter.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from services.access import Profile
from services.categories import label_key
from services.errors import AnninhError, InvalidInput, NotFound, PermissionDenied
from services.ports import (
    DeliveryStatus,
    InlineButton,
    L10n,
    OutgoingMessage,
    Recipient,
    Sender,
)
from services.review import enqueue_in
from services.text_input import clean, clip, whole_number
from services.tips import StatusConflict, TipService
from storage.dto import AreaDTO, UserDTO
from storage.dto_tips import AttachmentDTO, ReportDTO
from storage.models import AreaKind, ChatPurpose, ReportKind, ReportStatus, ReviewKind, Role
from storage.repositories.areas import AreaRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.chats import ChatRepository
from storage.repositories.grants import GrantRepository
from storage.repositories.inbox import OPEN_STATUSES, InboxRepository
from storage.repositories.indicators import IndicatorDTO, IndicatorRepository
from storage.repositories.relay import RelayDTO, RelayRepository
from storage.repositories.tips import StaleReport, TipRepository
from storage.repositories.users import UserRepository
from storage.uow import Session, Sessions, transaction

logger = logging.getLogger(__name__)

PAGE_SIZE = 5
MAX_NOTE = 1000
ACTIONS = (
    "verify",
    "handled",
    "reject",
    "escalate",
    "reply",
    "scam",
    "review",
    "nonote",
    "helpful",
)
"""Callback actions ``tip:<action>:<report id>[:<version>]`` (the first five are also on the
new-tip notifications of the tips feature)."""
STATUS_CODES: dict[str, ReportStatus | None] = {
    "a": None,
    "r": ReportStatus.RECEIVED,
    "v": ReportStatus.VERIFYING,
    "h": ReportStatus.HANDLED,
    "x": ReportStatus.REJECTED,
}
"""Short status codes of the inbox filter buttons (``a`` = all)."""


class Scams(Protocol):
    async def confirm(
        self, target: int | str, actor: Profile, *, confirmed: bool = True
    ) -> Any: ...


class AlreadyHandled(AnninhError):
    """Someone acted on the tip first (or the button is older than the tip's state)."""

    message_key = "tipact-already"


@dataclass(frozen=True, slots=True)
class InboxEntry:
    report: ReportDTO
    area_name: str | None
    needs_review: bool


@dataclass(frozen=True, slots=True)
class InboxPage:
    entries: tuple[InboxEntry, ...]
    page: int
    pages: int
    total: int
    status: str
    """Short status code (see :data:`STATUS_CODES`)."""
    category: str
    """Category code, or ``all``."""


@dataclass(frozen=True, slots=True)
class HistoryLine:
    status: ReportStatus
    actor_name: str | None
    note: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class TipCard:
    report: ReportDTO
    lineage: tuple[AreaDTO, ...]
    history: tuple[HistoryLine, ...]
    attachments: tuple[AttachmentDTO, ...]
    needs_review: bool
    indicators: tuple[IndicatorDTO, ...]
    relay: tuple[RelayDTO, ...]
    reporter_name: str | None
    """Only for tips that are not anonymous (officers may see a named reporter's name)."""

    @property
    def can_confirm_scam(self) -> bool:
        return self.report.kind is ReportKind.FRAUD and any(
            not i.confirmed for i in self.indicators
        )


@dataclass(frozen=True, slots=True)
class ActOutcome:
    report: ReportDTO
    action: str
    detail: Any = None
    """Escalation: the new area's name; scam confirmation: how many indicators changed."""


@dataclass(frozen=True, slots=True)
class Checked:
    report: ReportDTO
    area: AreaDTO | None


def _status_allows(action: str, status: ReportStatus) -> bool:
    if action == "verify":
        return status is ReportStatus.RECEIVED
    if action in ("handled", "reject", "nonote", "escalate", "review"):
        return status in OPEN_STATUSES
    return True  # reply, scam: fine whatever the status


class InboxService:
    def __init__(
        self,
        sessions: Sessions,
        sender: Sender,
        tips: TipService,
        scams: Scams | None,
        *,
        tz: ZoneInfo,
        default_language: str,
    ) -> None:
        self._sessions = sessions
        self._sender = sender
        self._tips = tips
        self._scams = scams
        self._tz = tz
        self._default_language = default_language

    def local_time(self, moment: datetime) -> str:
        return moment.astimezone(self._tz).strftime("%H:%M %d/%m/%Y")

    @staticmethod
    def _paths(profile: Profile) -> list[str] | None:
        if profile.is_superadmin:
            return None
        return [a.path for a in profile.areas_for(Role.POLICE)]

    # -- listing -----------------------------------------------------------------------------
    async def page(
        self, profile: Profile, *, status: str = "a", category: str = "all", page: int = 0
    ) -> InboxPage:
        if not profile.has_any(Role.POLICE):
            raise PermissionDenied("inbox-not-police")
        if status not in STATUS_CODES:
            status = "a"
        category = (category or "all")[:32]
        page = max(0, page)
        async with transaction(self._sessions) as session:
            repo = InboxRepository(session)
            items, total = await repo.page(
                self._paths(profile),
                status=STATUS_CODES[status],
                category=None if category == "all" else category,
                offset=page * PAGE_SIZE,
                limit=PAGE_SIZE,
            )
            pages = max(1, -(-total // PAGE_SIZE))
            if page >= pages and total:
                page = pages - 1
                items, total = await repo.page(
                    self._paths(profile),
                    status=STATUS_CODES[status],
                    category=None if category == "all" else category,
                    offset=page * PAGE_SIZE,
                    limit=PAGE_SIZE,
                )
            review = await repo.open_review_ids([r.id for r in items])
            areas = {
                a.id: a
                for a in await AreaRepository(session).get_many(
                    sorted({r.area_id for r in items if r.area_id is not None})
                )
            }
        entries = tuple(
            InboxEntry(
                r,
                areas[r.area_id].name if r.area_id in areas else None,
                r.id in review,
            )
            for r in items
        )
        return InboxPage(entries, page, pages, total, status, category)

    async def find_code(self, profile: Profile, code: str) -> int:
        """The id of the tip with this code, if the officer may see it. Another area's tip
        reads as "not found" (and the attempt is audited)."""
        if not profile.has_any(Role.POLICE):
            raise PermissionDenied("inbox-not-police")
        async with transaction(self._sessions) as session:
            report = await InboxRepository(session).get_by_code(clean(code).upper())
            area = (
                await AreaRepository(session).get(report.area_id)
                if report is not None and report.area_id is not None
                else None
            )
        if report is None:
            raise NotFound("inbox-code-not-found", code=code)
        if not (profile.is_superadmin or (area is not None and profile.can(Role.POLICE, area))):
            await self._deny(profile, "open", report.id, report.area_id, "rights")
            raise NotFound("inbox-code-not-found", code=code)
        return report.id

    # -- one tip -----------------------------------------------------------------------------
    async def card(self, profile: Profile, report_id: int) -> TipCard:
        """The whole tip for an officer of its area (anyone else is refused and audited)."""
        checked = await self._check(profile, "open", report_id, None)
        report = checked.report
        async with transaction(self._sessions) as session:
            tips = TipRepository(session)
            areas = AreaRepository(session)
            lineage: list[AreaDTO] = []
            if checked.area is not None:
                lineage = await areas.get_many(checked.area.ancestor_ids)
            history = await tips.history(report.id)
            users = UserRepository(session)
            names: dict[int, str] = {}
            for change in history:
                if change.actor_user_id is not None and change.actor_user_id not in names:
                    actor = await users.get(change.actor_user_id)
                    names[change.actor_user_id] = actor.display_name if actor else "?"
            attachments = await tips.attachments(report.id)
            review = await InboxRepository(session).open_review_ids([report.id])
            indicators = await IndicatorRepository(session).for_report(report.id)
            relay = await RelayRepository(session).for_report(report.id)
            reporter_name = None
            if not report.anonymous and report.reporter_user_id is not None:
                reporter = await users.get(report.reporter_user_id)
                reporter_name = reporter.display_name if reporter else None
        return TipCard(
            report=report,
            lineage=tuple(lineage),
            history=tuple(
                HistoryLine(
                    c.new_status,
                    names.get(c.actor_user_id) if c.actor_user_id is not None else None,
                    c.note,
                    c.created_at,
                )
                for c in history
            ),
            attachments=tuple(attachments),
            needs_review=report.id in review,
            indicators=tuple(indicators),
            relay=tuple(relay),
            reporter_name=reporter_name,
        )

    # -- checks ------------------------------------------------------------------------------
    async def check(
        self, profile: Profile, action: str, report_id: int, version: int | None
    ) -> Checked:
        """Rights on the tip's area, the tip's state and (if given) the version; a refusal
        is audited as ``denied`` and raised."""
        return await self._check(profile, action, report_id, version)

    async def _check(
        self, profile: Profile, action: str, report_id: int, version: int | None
    ) -> Checked:
        async with transaction(self._sessions) as session:
            repo = InboxRepository(session)
            report = await repo.get(report_id)
            area = None
            if report is not None and report.area_id is not None:
                area = await AreaRepository(session).get(report.area_id)
            last = await repo.last_change(report_id) if report is not None else None
        if report is None:
            await self._deny(profile, action, report_id, None, "missing")
            raise NotFound("tipact-not-found")
        allowed = profile.is_superadmin or (area is not None and profile.can(Role.POLICE, area))
        if not allowed:
            await self._deny(profile, action, report_id, report.area_id, "rights")
            raise PermissionDenied("tipact-denied")
        stale = version is not None and version != report.version
        if action != "open" and (stale or not _status_allows(action, report.status)):
            await self._deny(profile, action, report_id, report.area_id, "stale")
            raise self._already(report, last)
        return Checked(report, area)

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
    ) -> ActOutcome:
        """verify / handled / nonote / reject / escalate / scam / review, checked again."""
        if action not in ACTIONS or action in ("reply", "helpful"):
            raise InvalidInput("tipact-unknown")
        checked = await self._check(profile, action, report_id, version)
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
        if action == "scam":
            return ActOutcome(report, action, await self._confirm_scam(profile, report))
        # review
        await self.send_to_review(profile, report)
        return ActOutcome(report, action)

    async def _confirm_scam(self, profile: Profile, report: ReportDTO) -> int:
        if report.kind is not ReportKind.FRAUD or self._scams is None:
            raise InvalidInput("tipact-not-fraud")
        async with transaction(self._sessions) as session:
            indicators = await IndicatorRepository(session).for_report(report.id)
        if not indicators:
            raise InvalidInput("tipact-no-indicators")
        changed = 0
        for indicator in indicators:
            outcome = await self._scams.confirm(indicator.id, profile)
            changed += bool(getattr(outcome, "changed", True))
        return changed

    async def send_to_review(self, profile: Profile, report: ReportDTO) -> None:
        async with transaction(self._sessions) as session:
            if await InboxRepository(session).open_review_ids([report.id]):
                raise InvalidInput("tipact-already-in-review")
            await enqueue_in(
                session,
                kind=ReviewKind.REPORT,
                area_id=report.area_id,
                reason="officer",
                report_id=report.id,
                text=report.text[:2000],
                details={"rules": ["officer"], "code": report.code},
            )
            await AuditRepository(session).add(
                "report.review",
                actor_user_id=profile.user.id,
                target_type="report",
                target_id=report.id,
                area_id=report.area_id,
                after={"reason": "officer"},
            )

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
        after, parent, recipients, reporter = moved
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
        for recipient in recipients:
            await self._safe_send(recipient, message, after.id)
        if reporter is not None:
            await self._safe_send(
                reporter,
                OutgoingMessage(
                    "tipact-reporter-escalated", {"code": after.code, "area": parent.name}
                ),
                after.id,
            )
        return after, parent

    async def _move(
        self, actor: Profile, report_id: int, parent_id: int, expected_version: int
    ) -> tuple[ReportDTO, AreaDTO, list[Recipient], Recipient | None] | None:
        try:
            return await self._move_in_transaction(actor, report_id, parent_id, expected_version)
        except StaleReport:
            return None

    async def _move_in_transaction(
        self, actor: Profile, report_id: int, parent_id: int, expected_version: int
    ) -> tuple[ReportDTO, AreaDTO, list[Recipient], Recipient | None] | None:
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
            reporter = await self._reporter(session, after)
        return after, parent, recipients, reporter

    async def _police_of(self, session: Session, area: AreaDTO) -> list[Recipient]:
        """The police chat(s) of the area, else each officer holding police rights there."""
        chats = await ChatRepository(session).for_areas([area.id], ChatPurpose.POLICE)
        if chats:
            return [Recipient(c.telegram_chat_id, self._default_language) for c in chats]
        out = []
        users = UserRepository(session)
        for grant in await GrantRepository(session).holders_covering(area, Role.POLICE):
            officer = await users.get(grant.user_id)
            if officer and officer.telegram_id and not officer.blocked_bot:
                out.append(self.recipient(officer))
        return out

    async def _reporter(self, session: Session, report: ReportDTO) -> Recipient | None:
        if report.reporter_user_id is None:
            return None
        user = await UserRepository(session).get(report.reporter_user_id)
        if user is None or not user.telegram_id or user.blocked_bot:
            return None
        return self.recipient(user)

    def recipient(self, user: UserDTO) -> Recipient:
        assert user.telegram_id is not None
        return Recipient(user.telegram_id, user.language or self._default_language)

    async def _safe_send(self, to: Recipient, message: OutgoingMessage, report_id: int) -> bool:
        try:
            result = await self._sender.send(to, message)
        except Exception:
            logger.exception("report %s: a notification failed", report_id)
            return False
        if result.status is not DeliveryStatus.SENT:
            logger.warning("report %s: notification not delivered (%s)", report_id, result.status)
        return result.ok


def notification_buttons(report_id: int) -> tuple[tuple[InlineButton, ...], ...]:
    """The same buttons as the tips feature's new-tip notification (no version: the state
    is checked when pressed)."""
    return (
        (
            InlineButton("tip-action-verify", f"tip:verify:{report_id}"),
            InlineButton("tip-action-handled", f"tip:handled:{report_id}"),
        ),
        (
            InlineButton("tip-action-reject", f"tip:reject:{report_id}"),
            InlineButton("tip-action-escalate", f"tip:escalate:{report_id}"),
        ),
        (InlineButton("tip-action-reply", f"tip:reply:{report_id}"),),
    )


def card_buttons(card: TipCard) -> tuple[tuple[InlineButton, ...], ...]:
    """Buttons of an inbox card: each carries the version the officer is looking at."""
    r = card.report
    tail = f"{r.id}:{r.version}"
    rows: list[tuple[InlineButton, ...]] = []
    if r.status is ReportStatus.RECEIVED:
        rows.append((InlineButton("tipact-button-verify", f"tip:verify:{tail}"),))
    if r.status in OPEN_STATUSES:
        rows.append(
            (
                InlineButton("tipact-button-handled", f"tip:handled:{tail}"),
                InlineButton("tipact-button-reject", f"tip:reject:{tail}"),
            )
        )
        rows.append((InlineButton("tipact-button-escalate", f"tip:escalate:{tail}"),))
    rows.append((InlineButton("tipact-button-reply", f"tip:reply:{tail}"),))
    extra: list[InlineButton] = []
    if card.can_confirm_scam:
        extra.append(InlineButton("tipact-button-scam", f"tip:scam:{tail}"))
    if r.status in OPEN_STATUSES and not card.needs_review:
        extra.append(InlineButton("tipact-button-review", f"tip:review:{tail}"))
    if r.status is ReportStatus.HANDLED:
        extra.append(InlineButton("tipact-button-helpful", f"tip:helpful:{tail}"))
    if extra:
        rows.append(tuple(extra))
    return tuple(rows)


def parse_callback(data: str) -> tuple[str, int, int | None] | None:
    """``tip:<action>:<id>[:<version>]`` → (action, id, version); None when malformed."""
    parts = data.split(":")
    if len(parts) not in (3, 4) or parts[0] != "tip" or parts[1] not in ACTIONS:
        return None
    if any(len(p) > 9 for p in parts[2:]):
        return None
    report_id = whole_number(parts[2])
    version = whole_number(parts[3]) if len(parts) == 4 else None
    if report_id is None or (len(parts) == 4 and version is None):
        return None
    return parts[1], report_id, version


def categories_cycle(current: str, codes: Sequence[str]) -> str:
    """The next category of the inbox filter button (``all`` first)."""
    order = ["all", *codes]
    try:
        return order[(order.index(current) + 1) % len(order)]
    except ValueError:
        return "all"
