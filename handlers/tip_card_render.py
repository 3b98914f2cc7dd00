"""How Telegram shows a tip when services.tip_cards redraws it: an officer's card (as
/hopthu opens it) and the reporter's /tincuatoi view, each as the one message it is."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.inbox import CardWriter, card_text, listing_parts
from handlers.mytips import PREFIX as MYTIPS
from handlers.mytips import detail_view
from services.advisory_types import TIME
from services.inbox_model import InboxPage, TipCard, card_buttons
from services.ports import Html, InlineButton, OutgoingMessage
from services.tip_followup import ReportDetail

BODY = "tipcard-body"
"""A catalogue message that is its one argument: the text is drawn here, in the surface."""


class TelegramCardRenderer:
    """:class:`services.ports.TipCardRenderer` for Telegram."""

    def __init__(self, tz: ZoneInfo) -> None:
        self._tz = tz

    def _writer(self, locale: str) -> CardWriter:
        return CardWriter(locale, self._local_time)

    def _local_time(self, moment: datetime) -> str:
        return moment.astimezone(self._tz).strftime(TIME)

    def card(self, card: TipCard, locale: str) -> OutgoingMessage:
        text = card_text(self._writer(locale), card)
        return OutgoingMessage(BODY, {"body": Html(text)}, buttons=card_buttons(card))

    def listing(self, page: InboxPage, locale: str) -> OutgoingMessage:
        text, buttons = listing_parts(self._writer(locale), page)
        return OutgoingMessage(BODY, {"body": Html(text)}, buttons=buttons)

    def reporter(self, detail: ReportDetail, place: str | None, locale: str) -> OutgoingMessage:
        text = detail_view(self._writer(locale), detail, place)
        back = ((InlineButton("mytips-back", f"{MYTIPS}:page:0"),),)
        return OutgoingMessage(BODY, {"body": Html(text)}, buttons=back)
