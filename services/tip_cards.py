"""Tip cards kept current: every message that shows a tip is recorded where it was sent, and
redrawn after each change of the tip (status and its note, escalation, review, merge,
restore, a confirmed scam indicator, a question to the reporter or their answer). Each
change calls :meth:`TipCards.changed` once, after its commit, from the one place it is made.

Prior art: an advisory records each group's copy (``advisory_deliveries``: chat and message
id) so that /thuhoi can delete them all (services/advisories.py). Here the record is
``tip_cards`` (storage/models/cards.py) and the action is a redraw.

- The surface draws (a :class:`services.ports.TipCardRenderer`, handlers/tip_card_render.py);
  this service decides what each message may show now and delivers through
  :meth:`services.ports.Sender.edit`.
- A card is drawn with the rights of whoever it shows to: a police chat's card while the
  chat's area still covers the tip, an officer's card while the officer still polices the
  tip's area, the reporter's view for the reporter. A card whose viewer lost the right (the
  tip was escalated out of their area) is redrawn once as "moved on", without buttons, and
  forgotten: nothing new of the tip reaches them, and no old button lies.
- A card that can no longer be edited (deleted, too old) is sent anew only in a police chat,
  where people work from it; elsewhere it is forgotten (the person opens the tip again).
- A /hopthu page shows several tips: it keeps the tips it listed, each line redrawn as its
  tip is now (a tip the reader may no longer see leaves the page); the filter is applied
  anew when the inbox is opened again.
- Zalo messages cannot be edited (the Zalo Bot API has no such method): they are not recorded.

Redraws run in the background after the change is committed, so an officer's answer never
waits for the police chat's flood limit (20 messages a minute). A redraw lost to a crash
leaves a card one change behind; its buttons are still checked when pressed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from services.access import Profile
from services.inbox_model import InboxPage
from services.ports import (
    CardKind,
    DeliveryStatus,
    OutgoingMessage,
    Recipient,
    Sender,
    TipCardRenderer,
)
from services.tip_card_data import listing_entries, listing_page, listing_view, load_tip_card
from services.tip_card_tracker import TELEGRAM, ShownAt
from services.tip_followup import ReportDetail
from services.users import UserService
from storage.dto import AreaDTO
from storage.models import ChatPurpose, Role
from storage.repositories.areas import AreaRepository
from storage.repositories.chats import ChatRepository
from storage.repositories.tip_cards import TipCardDTO, TipCardRepository
from storage.repositories.tips import TipRepository
from storage.uow import Session, Sessions, transaction

logger = logging.getLogger(__name__)


class TipCards:
    def __init__(
        self,
        sessions: Sessions,
        sender: Sender,
        renderer: TipCardRenderer,
        users: UserService,
        *,
        default_language: str,
    ) -> None:
        self._sessions = sessions
        self._sender = sender
        self._renderer = renderer
        self._users = users
        self._default_language = default_language
        self._running: dict[int, asyncio.Task[None]] = {}
        self._again: set[int] = set()

    # -- recording ---------------------------------------------------------------------------
    async def record(self, shown: ShownAt | None, session: Session | None = None) -> None:
        """Remember a message showing the tip, in ``session``'s transaction (the outbox's,
        which marks the notice sent) or its own; never raises: the message is sent already.
        Other channels' messages cannot be edited: they are not recorded."""
        if shown is None or shown.to.channel != TELEGRAM:
            return False
        if session is not None:
            return await _record_in(session, shown)
        try:
            async with transaction(self._sessions) as own:
                behind = await _record_in(own, shown)
        except Exception:
            logger.exception(
                "report %s: card not recorded; it will not be redrawn", shown.report_id
            )
            return False
        if behind:
            self.changed(shown.report_id)
        return False

    async def record_listing(
        self, page: InboxPage, chat_id: int, message_id: int, locale: str, viewer_user_id: int
    ) -> None:
        """Remember a /hopthu page (the message now shows these tips and no others)."""
        to = Recipient(chat_id, locale, TELEGRAM)
        view = listing_view(page)
        try:
            async with transaction(self._sessions) as session:
                await TipCardRepository(session).drop_message(chat_id, message_id)
                for entry in page.entries:
                    shown = ShownAt(
                        entry.report.id, to, message_id, CardKind.LISTING, viewer_user_id, view
                    )
                    await _record_in(session, shown)
        except Exception:
            logger.exception("an inbox page not recorded; it will not be redrawn")

    # -- redrawing ---------------------------------------------------------------------------
    def changed(self, report_id: int) -> None:
        """The tip changed (committed): redraw its cards in the background. Changes that
        come while a redraw runs are folded into one more redraw after it."""
        if report_id in self._running:
            self._again.add(report_id)
            return
        self._running[report_id] = asyncio.get_running_loop().create_task(
            self._redraw_until_settled(report_id), name=f"tip-cards-{report_id}"
        )

    async def settled(self) -> None:
        """Wait for every redraw under way (shutdown, and tests that read the cards)."""
        while self._running:
            await asyncio.gather(*self._running.values(), return_exceptions=True)

    async def _redraw_until_settled(self, report_id: int) -> None:
        try:
            while True:
                self._again.discard(report_id)
                try:
                    await self.redraw(report_id)
                except Exception:
                    logger.exception("report %s: cards not redrawn", report_id)
                if report_id not in self._again:
                    return
        finally:
            self._running.pop(report_id, None)

    async def redraw(self, report_id: int) -> int:
        """Redraw every recorded message of the tip now; returns how many were redrawn."""
        async with transaction(self._sessions) as session:
            report = await TipRepository(session).get(report_id)
            cards = await TipCardRepository(session).of_report(report_id)
            if report is None or not cards:
                return 0
            area = await AreaRepository(session).get(report.area_id) if report.area_id else None
            card = await load_tip_card(session, report, area)
            history = await TipRepository(session).history(report_id)
            place = " › ".join(a.name for a in card.lineage) or None
            chat_areas = await self._chat_areas(session, {c.chat_id for c in cards})
        detail = ReportDetail(report, area, tuple(history), len(card.attachments))
        viewers = await self._viewers(c.viewer_user_id for c in cards)
        redrawn = 0
        for recorded in cards:
            kind = CardKind(recorded.kind)
            if kind is CardKind.LISTING:
                redrawn += await self._redraw_listing(recorded.chat_id, recorded.message_id)
                continue
            if kind is CardKind.REPORTER:
                message = (
                    self._renderer.reporter(detail, place, recorded.locale)
                    if recorded.viewer_user_id == report.reporter_user_id
                    else None
                )
            elif _may_see(recorded, area, chat_areas, viewers):
                message = self._renderer.card(card, recorded.locale)
            else:
                message = None
            redrawn += await self._deliver(recorded, kind, message, report.code)
        return redrawn

    async def _redraw_listing(self, chat_id: int, message_id: int) -> int:
        """A /hopthu page showing the tip: its lines as its tips are now (the page keeps its
        tips; opening the inbox again lists by the filter anew). Tips the reader may no
        longer see leave the page."""
        async with transaction(self._sessions) as session:
            shown = await TipCardRepository(session).of_message(chat_id, message_id)
            if not shown:
                return 0
            entries = await listing_entries(session, [c.report_id for c in shown])
            chat_areas = await self._chat_areas(session, {chat_id})
        first = shown[0]
        viewers = await self._viewers([first.viewer_user_id])
        visible = tuple(e for e, area in entries if _may_see(first, area, chat_areas, viewers))
        page = listing_page(first.view or "a:0:1:0:all", visible)
        to = Recipient(chat_id, first.locale, first.channel)
        result = await self._sender.edit(to, message_id, self._renderer.listing(page, to.locale))
        if result.status in (DeliveryStatus.NOT_FOUND, DeliveryStatus.BLOCKED):
            async with transaction(self._sessions) as session:
                await TipCardRepository(session).drop_message(chat_id, message_id)
        return int(result.ok)

    async def _deliver(
        self, recorded: TipCardDTO, kind: CardKind, message: OutgoingMessage | None, code: str
    ) -> int:
        to = Recipient(recorded.chat_id, recorded.locale, recorded.channel)
        gone = message is None
        if message is None:
            message = OutgoingMessage("tipcard-moved", {"code": code})
        result = await self._sender.edit(to, recorded.message_id, message)
        if result.ok and not gone:
            return 1
        if result.status is DeliveryStatus.RETRY_LATER or result.status is DeliveryStatus.FAILED:
            logger.warning(
                "report %s: a card not redrawn (%s)", recorded.report_id, result.status.value
            )
            return 0
        if result.status is DeliveryStatus.NOT_FOUND and not gone and kind is CardKind.POLICE:
            return await self._send_anew(recorded, to, message)
        async with transaction(self._sessions) as session:
            await TipCardRepository(session).drop_message(recorded.chat_id, recorded.message_id)
        return int(result.ok)

    async def _send_anew(
        self, recorded: TipCardDTO, to: Recipient, message: OutgoingMessage
    ) -> int:
        """A police chat's card that can no longer be edited: the chat gets a fresh one."""
        result = await self._sender.send(to, message)
        if not result.ok or not isinstance(result.message_id, int):
            logger.warning("report %s: a police chat's card not sent anew", recorded.report_id)
            return 0
        async with transaction(self._sessions) as session:
            await TipCardRepository(session).move(recorded.id, result.message_id)
        logger.info("report %s: a police chat's card was sent anew", recorded.report_id)
        return 1

    async def _viewers(self, user_ids: Iterable[int | None]) -> dict[int, Profile]:
        found: dict[int, Profile] = {}
        for user_id in {u for u in user_ids if u is not None}:
            profile = await self._users.profile_of(user_id)
            if profile is not None:
                found[user_id] = profile
        return found

    @staticmethod
    async def _chat_areas(session: Session, chat_ids: set[int]) -> dict[int, AreaDTO]:
        """The area of each active police chat among ``chat_ids``."""
        found: dict[int, AreaDTO] = {}
        areas = AreaRepository(session)
        for chat_id in chat_ids:
            if chat_id >= 0:
                continue
            chat = await ChatRepository(session).get(chat_id)
            if chat is None or not chat.active or chat.purpose is not ChatPurpose.POLICE:
                continue
            if chat.area_id is not None and (area := await areas.get(chat.area_id)) is not None:
                found[chat_id] = area
        return found


async def _record_in(session: Session, shown: ShownAt) -> bool:
    """Record the card; True when the tip is no longer as it shows it (or that is not known)."""
    to = shown.to
    await TipCardRepository(session).record(
        shown.report_id, to.channel, to.chat_id, shown.message_id, shown.kind.value, to.locale,
        viewer_user_id=shown.viewer_user_id, view=shown.view,
    )  # fmt: skip
    if shown.kind is CardKind.LISTING:
        return False  # a page is redrawn with its tips, each recorded by itself
    if shown.version is None:
        return True
    report = await TipRepository(session).get(shown.report_id)
    return report is not None and report.version != shown.version


def _may_see(
    recorded: TipCardDTO,
    area: AreaDTO | None,
    chat_areas: dict[int, AreaDTO],
    viewers: dict[int, Profile],
) -> bool:
    """Whether an officer's message may still show a tip of ``area``: its reader (if it has
    one) polices the area, and a group is the police chat of an area covering it."""
    if recorded.viewer_user_id is not None:
        viewer = viewers.get(recorded.viewer_user_id)
        if viewer is None:
            return False
        if not viewer.is_superadmin and (area is None or not viewer.can(Role.POLICE, area)):
            return False
    if recorded.chat_id < 0:
        chat_area = chat_areas.get(recorded.chat_id)
        if chat_area is None or area is None or not chat_area.contains(area):
            return False
    return True
