"""The residents' tip intake: a guided draft, stored before answering, routed to the police
of the area, and followed by the reporter as its status changes.

The parts, each a class that names what it needs: the draft model (:mod:`services.tip_drafts`),
the conversation's steps (:class:`services.tip_steps.TipSteps`), police routing
(:class:`services.tip_routing.TipRouter`), status changes with the reporter's views
(:class:`services.tip_followup.TipFollowUp`), and here :class:`TipIntake`: starting and
submitting a tip, both held to the hourly intake limit (and each tip counted against its
ward's), with the screening hooks run on each stored tip.

Each method is one short transaction; notifications go out only after the commit.
Identity rule: an anonymous tip shows nobody the reporter's name, username or id; a named tip
shows the reporter's *name* to the police only. Logs name reports by id, never people.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from services.categories import Category, parse_category
from services.conversation import drop_in, read_in
from services.errors import InvalidInput, RateLimited
from services.indicators import Indicator, extract_indicators
from services.text_input import clip
from services.tip_drafts import MAX_TEXT, TIP, Draft, DraftAttachment, Step, expect
from services.tip_routing import Routing, TipRouter
from services.tip_steps import load_draft, save_draft
from storage.dto_tips import AttachmentDTO, NewReport, ReportDTO
from storage.models import ReportKind, ReportStatus
from storage.repositories.indicators import IndicatorRepository
from storage.repositories.tips import TipRepository
from storage.types import utcnow
from storage.uow import Session, Sessions, transaction

AfterStore = Callable[[ReportDTO], Awaitable[object]]

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
    tip: NewReport,
    *,
    given: Sequence[Indicator],
    attachments: Sequence[AttachmentDTO] = (),
    now: datetime,
) -> ReportDTO:
    """Store a resident's tip as received, with its attachments and (for fraud) its scam
    indicators: the one way a tip enters the database, for the chat intake and the demo's
    history alike, so whatever the intake records (what /kiemtra may show) the demo has too."""
    category = Category(tip.category)
    kind = ReportKind.FRAUD if category.is_fraud else ReportKind.TIP
    repo = TipRepository(session)
    tip = replace(tip, category=category.value)
    report = await repo.add(tip, kind=kind, code_prefix=CODE_PREFIX[kind], now=now)
    await repo.add_attachments(report.id, list(attachments))
    await repo.add_status_change(report.id, None, ReportStatus.RECEIVED, None, None, at=now)
    if kind is ReportKind.FRAUD:
        await link_fraud_indicators(session, report, given)
    return report


@dataclass(frozen=True, slots=True)
class Submitted:
    report: ReportDTO
    routing: Routing


class TipIntake:
    """Starting and submitting tips (the hourly limit), then screening and routing each."""

    def __init__(
        self,
        sessions: Sessions,
        router: TipRouter,
        *,
        tips_per_hour: int,
        after_store: Sequence[AfterStore] = (),
    ) -> None:
        self._sessions = sessions
        self._router = router
        self._tips_per_hour = tips_per_hour
        self._after_store = tuple(after_store)
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
                held = await read_in(session, TIP, user_id)
                if held is not None and held.draft.step is Step.OFFER:
                    offered = held.draft  # a message or photo sent with no tip open
                    text, attachments = offered.text, offered.attachments
            body = clip(text or "", MAX_TEXT).text
            draft = Draft(
                step=Step.DESCRIPTION if preset else Step.CATEGORY,
                category=preset,
                text=body,
                attachments=attachments,
                started=secrets.token_hex(4),
            )
            return await save_draft(session, user_id, draft)

    async def submit(self, user_id: int, *, route: bool = True) -> Submitted:
        """Store the tip (committed before anyone is told), then route it to the police.

        ``route=False``: the caller routes it with :meth:`TipRouter.route` itself (the chat
        surface does it in the background, so the resident's confirmation and everybody else's
        updates never wait for the police chat's flood limit of 20 messages a minute). If the
        process dies before that, the report is still due and :meth:`TipRouter.route_pending`
        routes it."""
        async with transaction(self._sessions) as session:
            draft = await load_draft(session, user_id)
            expect(draft, Step.CONFIRM)
            if not draft.has_content:
                raise InvalidInput("tip-empty")
            await self._check_rate(session, user_id)
            tip = NewReport(
                category=draft.category or Category.OTHER,
                text=draft.text,
                area_id=draft.area_id,
                reporter_user_id=user_id,
                anonymous=bool(draft.anonymous) if draft.anonymous is not None else True,
                latitude=draft.latitude,
                longitude=draft.longitude,
                address=draft.address,
                fraud_details=draft.fraud_details,
            )
            report = await store_report(
                session,
                tip,
                given=draft.given,
                attachments=[
                    AttachmentDTO(a.kind.value, a.file_id, a.file_unique_id, a.mime_type)
                    for a in draft.attachments
                ],
                now=utcnow(),
            )
            await drop_in(session, TIP, user_id)
        logger.info("report %s stored (%s)", report.id, report.code)
        try:
            await self._router.watch_ward_flood(report)
        except Exception:
            logger.exception("report %s: ward flood check failed", report.id)
        for hook in self._after_store:
            try:
                await hook(report)
            except Exception:
                logger.exception("report %s: after-store hook failed", report.id)
        if not route:
            return Submitted(report, Routing(0, False))
        routing = await self._router.route(report)
        return Submitted(report, routing)
