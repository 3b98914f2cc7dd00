"""What the services that change a tip, and the surfaces that show one, need of the tip
cards (:class:`services.tip_cards.TipCards`): its own module, so the services that change a
tip depend on this protocol and not on the cards' drawing (which reads those services)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from services.inbox_model import InboxPage
from services.ports import CardKind, DeliveryResult, Recipient
from storage.uow import Session

TELEGRAM = "telegram"
SHOWS_TIP = "tip-card"
"""The outbox's after-sent step of a notice that shows a tip (an escalated tip's card): once
sent, at once or by a later sweep, it is recorded as the tip's card (:func:`shows_tip`)."""


def shows_tip(viewer_user_id: int | None = None) -> tuple[str, int | None]:
    """The after-sent step (services/reach.py) of a notice showing a tip, to a police chat or
    to ``viewer_user_id``'s own chat (drawn with that officer's rights)."""
    return SHOWS_TIP, viewer_user_id


@dataclass(frozen=True, slots=True)
class ShownAt:
    """A message showing a tip: where, which kind, and for whom it is drawn."""

    report_id: int
    to: Recipient
    """Its chat, in the language and on the channel it was sent."""
    message_id: int
    kind: CardKind
    viewer_user_id: int | None = None
    """Whose rights it is drawn with (an officer's private card, the reporter's view)."""
    view: str | None = None
    """A /hopthu page's filter."""
    version: int | None = None
    """The tip's version the message shows. A change between the send and the record finds
    no card to redraw, so a recorded card whose version is not the tip's is redrawn then;
    None (not known: a notice drawn when it was stored) is redrawn once recorded."""

    @classmethod
    def sent(
        cls,
        report_id: int | None,
        to: Recipient,
        result: DeliveryResult,
        kind: CardKind | None = None,
        viewer_user_id: int | None = None,
        version: int | None = None,
    ) -> ShownAt | None:
        """A card the services sent (a police chat's, or an officer's when the area has no
        police chat; ``kind`` by default: a group's is the police chat's, a private chat's
        a detail card). A card in a private chat is drawn with its reader's rights: without
        ``viewer_user_id`` it is not recorded (None), nor is a send that failed."""
        if report_id is None or not result.ok or not isinstance(result.message_id, int):
            return None
        if to.chat_id > 0 and viewer_user_id is None:
            return None
        kind = kind or (CardKind.POLICE if to.chat_id < 0 else CardKind.DETAIL)
        return cls(report_id, to, result.message_id, kind, viewer_user_id, version=version)


class CardTracker(Protocol):
    """What the services that change a tip, and the surfaces that show one, need of
    :class:`TipCards` (:class:`UntrackedCards` where nothing is shown)."""

    def changed(self, report_id: int) -> None: ...

    async def record(self, shown: ShownAt | None, session: Session | None = None) -> bool:
        """Remember a message showing the tip (None: nothing to remember), in ``session``'s
        transaction when given (the outbox's, marking it sent) or its own. In its own, a card
        the tip has moved past is redrawn at once; in ``session``'s, True says so and the
        caller calls :meth:`changed` after its commit (a redraw before it would not see the
        card)."""

    async def record_listing(
        self, page: InboxPage, chat_id: int, message_id: int, locale: str, viewer_user_id: int
    ) -> None: ...

    async def settled(self) -> None: ...


class UntrackedCards:
    """No cards are recorded or redrawn (offline commands, unit tests of one service)."""

    def changed(self, report_id: int) -> None:
        return None

    async def record(self, shown: ShownAt | None, session: Session | None = None) -> bool:
        return False

    async def record_listing(
        self, page: InboxPage, chat_id: int, message_id: int, locale: str, viewer_user_id: int
    ) -> None:
        return None

    async def settled(self) -> None:
        return None
