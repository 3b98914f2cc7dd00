"""Telling the police about a stored tip: who covers its area, the message they get, and the
routing outbox that makes sure they are told once, even across crashes and instances.

Routing is an outbox: a report is stored due for routing (reports.routed_at NULL) and marked
routed once told; whoever tells the police first takes a lease on the report
(reports.routing_claimed_until), so the background routing, the periodic sweep
(route_pending) and other instances never tell them twice at the same time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from services import rate_limits
from services.categories import label_key
from services.police import AreaPolice, PoliceNotices, police_of
from services.ports import (
    CardKind,
    DeliveryStatus,
    InlineButton,
    L10n,
    MediaKind,
    MediaRef,
    OutgoingMessage,
    RateLimiter,
    Recipient,
)
from services.rate_limits import WARD_TIPS, WARD_TIPS_ALERT
from services.reach import PersonReacher
from services.text_input import clip
from services.tip_card_tracker import CardTracker, ShownAt, UntrackedCards, shows_tip
from storage.dto import UserDTO
from storage.dto_tips import AttachmentDTO, ReportDTO
from storage.models import AreaKind, ReportKind
from storage.repositories.areas import AreaRepository
from storage.repositories.tips import TipRepository
from storage.repositories.users import UserRepository
from storage.types import utcnow
from storage.uow import Sessions, transaction

logger = logging.getLogger(__name__)

POLICE_SUMMARY = 2500
POLICE_ACTIONS = ("verify", "handled", "reject", "escalate", "reply")


@dataclass(frozen=True, slots=True)
class Routing:
    delivered: int
    police_found: bool
    retry: bool = False
    """Nobody was reached and a channel said to try again later (flood limit, timeout,
    server error): the report stays due and a later routing sweep tries again."""


class TipRouter:
    """Tells the police of a stored tip's area (else the admins), once."""

    def __init__(
        self,
        sessions: Sessions,
        reacher: PersonReacher,
        limiter: RateLimiter,
        *,
        admin_ids: frozenset[int],
        default_language: str,
        tz: ZoneInfo,
        grace_seconds: float = 30.0,
        lease_seconds: float = 600.0,
        enabled: bool = True,
        cards: CardTracker | None = None,
        police: PoliceNotices | None = None,
    ) -> None:
        self._sessions = sessions
        self._reacher = reacher
        self._police = police or PoliceNotices(
            sessions, reacher, admin_ids=admin_ids, default_language=default_language
        )
        """Tells the police what is not a tip's card (a flood of tips), through the outbox."""
        self._limiter = limiter
        self._admin_ids = admin_ids
        self._default_language = default_language
        self._tz = tz
        self._cards: CardTracker = cards or UntrackedCards()
        self.routing_grace_seconds = grace_seconds
        """The sweep leaves a report alone this long after it was stored: the surface's own
        routing, started right after the commit, normally takes it first."""
        self.routing_lease_seconds = lease_seconds
        """How long a routing lease holds: longer than one delivery can take behind the police
        chat's flood limit, since another process may take the report over after that (a
        holder that died mid-delivery)."""
        self.routing_enabled = enabled
        """False in a process that cannot reach the police at all (Zalo alone, no Telegram):
        its tips stay due and the Telegram process's sweep routes them."""

    async def route(self, report: ReportDTO) -> Routing:
        """Tell the police about a stored report (never raises: it is already stored).
        Nothing is sent when it is routed already or someone else is routing it."""
        return await self._route(report)

    async def route_pending(self, limit: int = 20) -> int:
        """Route reports stored more than the grace period ago and still not routed (the
        process died between storing a tip and telling the police, or nobody could be
        reached). Returns how many it took on."""
        if not self.routing_enabled:
            return 0
        taken = 0
        # One report per claim: each lease covers one delivery, not a batch queued behind
        # the police chat's flood limit.
        while taken < limit:
            now = utcnow()
            async with transaction(self._sessions) as session:
                report = await TipRepository(session).claim_next_unrouted(
                    stored_before=now - timedelta(seconds=self.routing_grace_seconds),
                    now=now,
                    until=now + timedelta(seconds=self.routing_lease_seconds),
                )
            if report is None:
                break
            logger.warning("report %s was stored but not routed; routing it now", report.id)
            await self._route_claimed(report)
            taken += 1
        return taken

    async def _route(self, report: ReportDTO) -> Routing:
        """Take the routing lease, then route. A failure to take it is logged, never raised:
        the report stays due and the sweep routes it."""
        if not self.routing_enabled:
            return Routing(0, False)
        now = utcnow()
        try:
            async with transaction(self._sessions) as session:
                claimed = await TipRepository(session).claim_for_routing(
                    report.id, now=now, until=now + timedelta(seconds=self.routing_lease_seconds)
                )
        except Exception:
            logger.exception("report %s: routing lease not taken; the sweep routes it", report.id)
            return Routing(0, False)
        if not claimed:
            logger.info("report %s: routed already or being routed elsewhere", report.id)
            return Routing(0, False)
        return await self._route_claimed(report)

    async def _route_claimed(self, report: ReportDTO) -> Routing:
        """Tell the police covering the area: the nearest area up the tree with police (a
        police chat linked to it, else each officer there); nobody → the admins. Delivery
        problems are logged, never raised: the tip is already safely stored, and stays due
        (retried once the lease runs out) when routing failed."""
        try:
            return await self._deliver(report)
        except Exception:
            logger.exception("routing report %s failed; it stays stored and due", report.id)
            return Routing(0, False)

    async def _settle(self, report: ReportDTO, routing: Routing) -> None:
        """Mark the report routed, or (nobody reached, try later) leave it due until the
        grace period has passed, so the next sweep after that retries it."""
        now = utcnow()
        try:
            async with transaction(self._sessions) as session:
                repo = TipRepository(session)
                if routing.retry:
                    retry_at = now + timedelta(seconds=self.routing_grace_seconds)
                    await repo.defer_routing(report.id, retry_at)
                else:
                    await repo.mark_routed(report.id, now)
        except Exception:
            # The at-least-once window: once the lease runs out it may be sent again.
            logger.exception("report %s: routing outcome not recorded", report.id)

    async def _tell_police(
        self, police: AreaPolice, message: OutgoingMessage, report: ReportDTO
    ) -> tuple[int, set[DeliveryStatus]]:
        """The police chats, else each officer (marking those who blocked the bot); the
        tip's card (``message``, drawn from ``report``) is recorded where it went, to be kept
        current."""
        report_id, version = report.id, report.version
        delivered = 0
        statuses: set[DeliveryStatus] = set()
        later: list[tuple[int | None, Recipient]] = []
        for recipient in police.chats:
            result = await self._reacher.send(recipient, message, what="police chat")
            shown = ShownAt.sent(report_id, recipient, result, CardKind.POLICE, version=version)
            await self._cards.record(shown)
            delivered += result.ok
            statuses.add(result.status)
            if result.status is DeliveryStatus.RETRY_LATER:
                later.append((None, recipient))
        if delivered == 0:
            later = []
            for officer_id, recipient in police.officers:
                result = await self._reacher.send(
                    recipient, message, what="police officer", user_id=officer_id
                )
                shown = ShownAt.sent(
                    report_id, recipient, result, CardKind.DETAIL, officer_id, version
                )
                await self._cards.record(shown)
                delivered += result.ok
                statuses.add(result.status)
                if result.status is DeliveryStatus.RETRY_LATER:
                    later.append((officer_id, recipient))
        if delivered and later:
            # Told somewhere, so the routing is settled: a second police chat (or officer)
            # that met a 502 or its flood limit gets the card from the outbox instead.
            await self._send_later(later, message, report_id)
        return delivered, statuses

    async def _send_later(
        self, readers: list[tuple[int | None, Recipient]], message: OutgoingMessage, report_id: int
    ) -> None:
        async with transaction(self._sessions) as session:
            notices = [
                await self._reacher.store_for_chat(
                    session,
                    to,
                    message,
                    what="police card, again",
                    report_id=report_id,
                    after_sent=shows_tip(viewer),
                )
                for viewer, to in readers
            ]
        for notice in notices:
            await self._reacher.deliver(notice)

    async def watch_ward_flood(self, report: ReportDTO) -> None:
        """Count the tip against its ward's hourly limit; the first tip over it alerts the
        ward's police (once per window). The tip itself is stored and routed as any other:
        many accounts flooding one inbox is for the police to see, not for us to drop."""
        if report.area_id is None:
            return
        async with transaction(self._sessions) as session:
            areas = AreaRepository(session)
            area = await areas.get(report.area_id)
            lineage = await areas.get_many(area.ancestor_ids) if area is not None else []
        wards = [a for a in lineage if a.kind.depth <= AreaKind.WARD.depth]
        ward = wards[-1] if wards else area
        if ward is None:
            return
        subject = f"area:{ward.id}"
        if await rate_limits.allowed(self._limiter, WARD_TIPS, subject):
            return
        if not await rate_limits.allowed(self._limiter, WARD_TIPS_ALERT, subject):
            return
        alert = OutgoingMessage(
            "tips-ward-flood",
            {"area": ward.name, "count": WARD_TIPS.amount, "minutes": WARD_TIPS.minutes},
        )
        # Through the outbox: a 502 delays the alert, never loses it (the window's one alert
        # is spent already).
        delivered = await self._police.tell(ward, alert)
        logger.warning("ward %s over its hourly tips; police told now: %s", ward.id, delivered)

    async def _deliver(self, report: ReportDTO) -> Routing:
        async with transaction(self._sessions) as session:
            areas = AreaRepository(session)
            area = await areas.get(report.area_id) if report.area_id else None
            police = (
                await police_of(session, area, self._default_language)
                if area is not None
                else AreaPolice()
            )
            reporter = (
                await UserRepository(session).get(report.reporter_user_id)
                if report.reporter_user_id and not report.anonymous
                else None
            )
            attachments = await TipRepository(session).attachments(report.id)
            lineage = await areas.get_many(area.ancestor_ids) if area else []
        # "Phường Thống Nhất › Tổ dân phố số 1": the ward and below is what officers recognise.
        area_label = " › ".join(
            a.name for a in lineage if a.kind.depth >= AreaKind.WARD.depth
        ) or (area.name if area else None)
        police_found = police.found
        message = self._police_message(report, area_label, reporter, attachments, police_found)
        delivered, statuses = await self._tell_police(police, message, report)
        if delivered == 0:
            unrouted = self._police_message(report, area_label, reporter, attachments, False)
            for admin_id in sorted(self._admin_ids):
                result = await self._reacher.send(
                    Recipient(admin_id, self._default_language), unrouted, what="unrouted tip"
                )
                delivered += result.ok
                statuses.add(result.status)
            logger.warning("report %s: no police reached; admins told", report.id)
        # Finding nobody is a routing outcome (the admins were the fallback); only a
        # temporary failure with nobody told at all is worth another try.
        retry = delivered == 0 and DeliveryStatus.RETRY_LATER in statuses
        routing = Routing(delivered, police_found, retry=retry)
        await self._settle(report, routing)
        return routing

    def _police_message(
        self,
        report: ReportDTO,
        area_label: str | None,
        reporter: UserDTO | None,
        attachments: list[AttachmentDTO],
        police_found: bool,
    ) -> OutgoingMessage:
        summary = clip(report.text, POLICE_SUMMARY)
        media = []
        for item in attachments:
            try:
                media.append(MediaRef(MediaKind(item.kind), item.file_id))
            except ValueError:
                continue
        location = (
            (report.latitude, report.longitude)
            if report.latitude is not None and report.longitude is not None
            else None
        )
        args: dict[str, Any] = {
            "header": L10n("tip-police-header" if police_found else "tip-police-header-unrouted"),
            "code": report.code,
            "category": L10n(label_key(report.category)),
            "summary": summary.text + ("…" if summary.truncated else ""),
            "area": area_label or L10n("tip-area-unknown"),
            "time": self.local_time(report.created_at),
            "address": report.address or L10n("tip-none"),
            "pin": L10n("tip-pin-yes" if location else "tip-none"),
            "fraud": report.fraud_details or L10n("tip-none"),
            "is_fraud": "yes" if report.kind is ReportKind.FRAUD else "no",
            "attachments": len(media),
            "reporter": (
                reporter.display_name
                if reporter is not None and not report.anonymous
                else L10n("tip-reporter-anonymous")
            ),
        }
        buttons = (
            (
                InlineButton("tip-action-verify", f"tip:verify:{report.id}"),
                InlineButton("tip-action-handled", f"tip:handled:{report.id}"),
            ),
            (
                InlineButton("tip-action-reject", f"tip:reject:{report.id}"),
                InlineButton("tip-action-escalate", f"tip:escalate:{report.id}"),
            ),
            (InlineButton("tip-action-reply", f"tip:reply:{report.id}"),),
        )
        return OutgoingMessage(
            "tip-police-new", args, buttons=buttons, media=tuple(media), location=location
        )

    def local_time(self, moment: datetime) -> str:
        """A moment as residents and officers read it (the surfaces show tips' times so too)."""
        return moment.astimezone(self._tz).strftime("%H:%M %d/%m/%Y")
