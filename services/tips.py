"""The residents' tip intake: a guided draft, stored before answering, routed to the police
of the area, and followed by the reporter as its status changes.

:class:`TipService` is the one entry point the surfaces use. Its parts, one concern each:
the draft model (:mod:`services.tip_drafts`), the conversation's steps
(:mod:`services.tip_steps`), police routing (:mod:`services.tip_routing`) and status changes
with the reporter's views (:mod:`services.tip_followup`). Starting and submitting a tip, both
held to the hourly intake limit (and each tip counted against its ward's), are here.

Each method is one short transaction; notifications go out only after the commit.
Identity rule: an anonymous tip shows nobody the reporter's name, username or id; a named tip
shows the reporter's *name* to the police only. Logs name reports by id, never people.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from services.categories import Category, parse_category
from services.errors import InvalidInput, RateLimited
from services.indicators import Indicator, extract_indicators
from services.ports import RateLimiter
from services.reach import PersonReacher
from services.text_input import clip
from services.tip_cards import CardTracker, UntrackedCards
from services.tip_drafts import (
    EDITABLE,
    MAX_ADDRESS,
    MAX_ATTACHMENTS,
    MAX_FRAUD_DETAILS,
    MAX_TEXT,
    STEP_ATTEMPTS,
    TAKEN_KEPT,
    AttachmentAccepted,
    Draft,
    DraftAttachment,
    Step,
    TextAccepted,
    WrongStep,
    editable_steps,
    expect,
    pick_buttons,
)
from services.tip_followup import (
    ALLOWED_TRANSITIONS,
    MAX_NOTE,
    PAGE_SIZE,
    ReportDetail,
    ReportPage,
    StatusConflict,
    TipFollowUp,
)
from services.tip_routing import POLICE_ACTIONS, POLICE_SUMMARY, Routing, TipRouting
from services.tip_steps import TipDraftSteps
from storage.dto_tips import AttachmentDTO, ReportDTO
from storage.hotpath import HotPath, SessionHotPath
from storage.models import ReportKind, ReportStatus
from storage.rate_limits import DatabaseRateLimiter
from storage.repositories.indicators import IndicatorRepository
from storage.repositories.tips import TipDraftRepository, TipRepository
from storage.types import utcnow
from storage.uow import Session, Sessions, transaction

# The names importers have always taken from here, whichever part now defines them.
__all__ = [
    "ALLOWED_TRANSITIONS",
    "CODE_PREFIX",
    "EDITABLE",
    "MAX_ADDRESS",
    "MAX_ATTACHMENTS",
    "MAX_FRAUD_DETAILS",
    "MAX_NOTE",
    "MAX_TEXT",
    "PAGE_SIZE",
    "POLICE_ACTIONS",
    "POLICE_SUMMARY",
    "STEP_ATTEMPTS",
    "TAKEN_KEPT",
    "AttachmentAccepted",
    "Draft",
    "DraftAttachment",
    "ReportDetail",
    "ReportPage",
    "Routing",
    "StatusConflict",
    "Step",
    "Submitted",
    "TextAccepted",
    "TipService",
    "WrongStep",
    "editable_steps",
    "link_fraud_indicators",
    "pick_buttons",
    "store_report",
]

logger = logging.getLogger(__name__)

CODE_PREFIX = {ReportKind.TIP: "TB", ReportKind.FRAUD: "LD"}


async def link_fraud_indicators(
    session: Session, report: ReportDTO, given: Sequence[Indicator]
) -> None:
    """Link a stored fraud tip to every phone, account and link it names (the police see them
    all); only ``given`` — what the resident left ticked as the scammer's at the fraud-details
    step — may be shown by /kiemtra. A number found only in the text may be the victim's."""
    found = extract_indicators(f"{report.text}\n{report.fraud_details or ''}")
    await IndicatorRepository(session).link_report(
        report.id, report.area_id, found, public=given, seen_at=report.created_at
    )


async def store_report(
    session: Session,
    *,
    category: Category,
    text: str,
    area_id: int | None,
    reporter_user_id: int,
    anonymous: bool,
    latitude: float | None,
    longitude: float | None,
    address: str | None,
    fraud_details: str | None,
    given: Sequence[Indicator],
    attachments: Sequence[AttachmentDTO] = (),
    now: datetime,
) -> ReportDTO:
    """Store a resident's tip as received, with its attachments and (for fraud) its scam
    indicators: the one way a tip enters the database, for the chat intake and the demo's
    history alike, so whatever the intake records (what /kiemtra may show) the demo has too."""
    kind = ReportKind.FRAUD if category.is_fraud else ReportKind.TIP
    repo = TipRepository(session)
    report = await repo.add(
        kind=kind,
        category=category.value,
        text=text,
        area_id=area_id,
        reporter_user_id=reporter_user_id,
        anonymous=anonymous,
        latitude=latitude,
        longitude=longitude,
        address=address,
        fraud_details=fraud_details,
        code_prefix=CODE_PREFIX[kind],
        now=now,
    )
    await repo.add_attachments(report.id, list(attachments))
    await repo.add_status_change(report.id, None, ReportStatus.RECEIVED, None, None, at=now)
    if kind is ReportKind.FRAUD:
        await link_fraud_indicators(session, report, given)
    return report


@dataclass(frozen=True, slots=True)
class Submitted:
    report: ReportDTO
    routing: Routing


class TipService(TipDraftSteps, TipRouting, TipFollowUp):
    """Tips from draft to closing; the parts it mixes in each say what they cover."""

    def __init__(
        self,
        sessions: Sessions,
        reacher: PersonReacher,
        *,
        tips_per_hour: int,
        admin_ids: frozenset[int],
        default_language: str,
        tz: ZoneInfo,
        hot: HotPath | None = None,
        limiter: RateLimiter | None = None,
        cards: CardTracker | None = None,
    ) -> None:
        self._cards = cards or UntrackedCards()
        self._sessions = sessions
        self._hot = hot or SessionHotPath(sessions)
        self._limiter = limiter or DatabaseRateLimiter(self._hot)
        self._reacher = reacher
        self._tips_per_hour = tips_per_hour
        self._admin_ids = admin_ids
        self._default_language = default_language
        self._tz = tz
        self.after_store: list[Callable[[ReportDTO], Awaitable[object]]] = []
        """Called with each newly stored tip before it is routed (the police side screens
        it for review there); a failing hook is logged, never blocks the tip."""

    async def _check_rate(self, session: Session, user_id: int) -> None:
        now = utcnow()
        since = now - timedelta(hours=1)
        repo = TipRepository(session)
        if await repo.count_by_reporter_since(user_id, since) < self._tips_per_hour:
            return
        oldest = await repo.oldest_by_reporter_since(user_id, since) or now
        minutes = max(1, int((oldest + timedelta(hours=1) - now).total_seconds() // 60) + 1)
        raise RateLimited("tip-rate-limited", limit=self._tips_per_hour, minutes=minutes)

    async def begin(
        self, user_id: int, *, category: str | None = None, text: str | None = None
    ) -> Draft:
        """Start a new tip (replacing any draft). ``category`` presets it (fraud alerts);
        ``text`` is a description already written (a free message accepted as a tip)."""
        async with transaction(self._sessions) as session:
            await self._check_rate(session, user_id)
            preset = parse_category(category) if category else None
            attachments: tuple[DraftAttachment, ...] = ()
            if text is None:
                row = await TipDraftRepository(session).get(user_id)
                if row is not None and row.step == Step.OFFER:
                    offered = Draft.from_row(row)  # a message or photo sent with no tip open
                    text, attachments = offered.text, offered.attachments
            body = clip(text or "", MAX_TEXT).text
            draft = Draft(
                step=Step.DESCRIPTION if preset else Step.CATEGORY,
                category=preset,
                text=body,
                attachments=attachments,
                started=secrets.token_hex(4),
            )
            return await self._save(session, user_id, draft)

    async def submit(self, user_id: int, *, route: bool = True) -> Submitted:
        """Store the tip (committed before anyone is told), then route it to the police.

        ``route=False``: the caller routes it with :meth:`route` itself (the chat surface does
        it in the background, so the resident's confirmation and everybody else's updates never
        wait for the police chat's flood limit of 20 messages a minute). If the process dies
        before that, the report is still due and :meth:`route_pending` routes it."""
        async with transaction(self._sessions) as session:
            draft = await self._load(session, user_id)
            expect(draft, Step.CONFIRM)
            if not draft.has_content:
                raise InvalidInput("tip-empty")
            await self._check_rate(session, user_id)
            report = await store_report(
                session,
                category=draft.category or Category.OTHER,
                text=draft.text,
                area_id=draft.area_id,
                reporter_user_id=user_id,
                anonymous=bool(draft.anonymous) if draft.anonymous is not None else True,
                latitude=draft.latitude,
                longitude=draft.longitude,
                address=draft.address,
                fraud_details=draft.fraud_details,
                given=draft.given,
                attachments=[
                    AttachmentDTO(a.kind.value, a.file_id, a.file_unique_id, a.mime_type)
                    for a in draft.attachments
                ],
                now=utcnow(),
            )
            await TipDraftRepository(session).delete(user_id)
        logger.info("report %s stored (%s)", report.id, report.code)
        try:
            await self.watch_ward_flood(report)
        except Exception:
            logger.exception("report %s: ward flood check failed", report.id)
        for hook in self.after_store:
            try:
                await hook(report)
            except Exception:
                logger.exception("report %s: after-store hook failed", report.id)
        if not route:
            return Submitted(report, Routing(0, False))
        routing = await self._route(report)
        return Submitted(report, routing)
