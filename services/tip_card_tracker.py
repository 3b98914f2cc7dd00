"""What the services that change a tip, and the surfaces that show one, need of the tip
cards (:class:`services.tip_cards.TipCards`): its own module, so the services that change a
tip depend on this protocol and not on the cards' drawing (which reads those services)."""

from __future__ import annotations

from typing import Protocol

from services.inbox_model import InboxPage
from services.ports import CardKind, DeliveryResult, Recipient

TELEGRAM = "telegram"


class CardTracker(Protocol):
    """What the services that change a tip, and the surfaces that show one, need of
    :class:`TipCards` (:class:`UntrackedCards` where nothing is shown)."""

    def changed(self, report_id: int) -> None: ...

    async def record(
        self,
        report_id: int,
        chat_id: int,
        message_id: int,
        kind: CardKind,
        locale: str,
        *,
        viewer_user_id: int | None = None,
        view: str | None = None,
        channel: str = TELEGRAM,
    ) -> None: ...

    async def record_sent(
        self,
        report_id: int | None,
        to: Recipient,
        result: DeliveryResult,
        kind: CardKind,
        viewer_user_id: int | None = None,
    ) -> None: ...

    async def record_listing(
        self, page: InboxPage, chat_id: int, message_id: int, locale: str, viewer_user_id: int
    ) -> None: ...

    async def settled(self) -> None: ...


class UntrackedCards:
    """No cards are recorded or redrawn (offline commands, unit tests of one service)."""

    def changed(self, report_id: int) -> None:
        return None

    async def record(
        self,
        report_id: int,
        chat_id: int,
        message_id: int,
        kind: CardKind,
        locale: str,
        *,
        viewer_user_id: int | None = None,
        view: str | None = None,
        channel: str = TELEGRAM,
    ) -> None:
        return None

    async def record_sent(
        self,
        report_id: int | None,
        to: Recipient,
        result: DeliveryResult,
        kind: CardKind,
        viewer_user_id: int | None = None,
    ) -> None:
        return None

    async def record_listing(
        self, page: InboxPage, chat_id: int, message_id: int, locale: str, viewer_user_id: int
    ) -> None:
        return None

    async def settled(self) -> None:
        return None
