"""The messages that show a tip (storage/models/cards.py): record, list, replace, drop."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, update

from storage.db import insert_new
from storage.models.cards import TipCardMessage
from storage.uow import Session


@dataclass(frozen=True, slots=True)
class TipCardDTO:
    id: int
    report_id: int
    channel: str
    chat_id: int
    message_id: int
    kind: str
    locale: str
    viewer_user_id: int | None
    view: str | None


def _dto(row: TipCardMessage) -> TipCardDTO:
    return TipCardDTO(
        row.id,
        row.report_id,
        row.channel,
        row.chat_id,
        row.message_id,
        row.kind,
        row.locale,
        row.viewer_user_id,
        row.view,
    )


class TipCardRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    async def record(
        self,
        report_id: int,
        channel: str,
        chat_id: int,
        message_id: int,
        kind: str,
        locale: str,
        viewer_user_id: int | None = None,
        view: str | None = None,
    ) -> None:
        """Record a message showing the tip; the same message recorded again (a redraw that
        was sent anew) is left as it is."""
        await insert_new(
            self._session,
            TipCardMessage,
            (TipCardMessage.report_id, TipCardMessage.chat_id, TipCardMessage.message_id),
            report_id=report_id,
            channel=channel,
            chat_id=chat_id,
            message_id=message_id,
            kind=kind,
            locale=locale,
            viewer_user_id=viewer_user_id,
            view=view,
        )

    async def of_report(self, report_id: int) -> list[TipCardDTO]:
        rows = await self._session.scalars(
            select(TipCardMessage)
            .where(TipCardMessage.report_id == report_id)
            .order_by(TipCardMessage.id)
        )
        return [_dto(r) for r in rows]

    async def of_message(self, chat_id: int, message_id: int) -> list[TipCardDTO]:
        """Every tip one message shows (a listing shows several)."""
        rows = await self._session.scalars(
            select(TipCardMessage)
            .where(TipCardMessage.chat_id == chat_id, TipCardMessage.message_id == message_id)
            .order_by(TipCardMessage.id)
        )
        return [_dto(r) for r in rows]

    async def move(self, card_id: int, message_id: int) -> None:
        """The card now lives in another message of the same chat (sent anew)."""
        await self._session.execute(
            update(TipCardMessage)
            .where(TipCardMessage.id == card_id)
            .values(message_id=message_id)
        )

    async def drop_message(self, chat_id: int, message_id: int) -> int:
        """Forget a message (every tip it shows): it can no longer be edited, or it was
        redrawn into something else."""
        result = await self._session.execute(
            delete(TipCardMessage).where(
                TipCardMessage.chat_id == chat_id, TipCardMessage.message_id == message_id
            )
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
