"""Relay messages between officers and reporters, and the hot-path check for a "next message"
the bot waits for (those are drafts of the conversation engine's ``relay-input`` flow:
services/relay_model.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.hotpath import HotPath, Statement
from storage.models import RelayDirection, RelayMessage
from storage.types import is_row_id


@dataclass(frozen=True, slots=True)
class RelayDTO:
    id: int
    report_id: int
    direction: RelayDirection
    author_user_id: int | None
    text: str
    media_kind: str | None
    media_file_id: str | None
    police_chat_id: int | None
    police_message_id: int | None
    thread_message_id: int | None
    reporter_chat_id: int | None
    reporter_message_id: int | None
    created_at: datetime


def _relay(row: RelayMessage) -> RelayDTO:
    return RelayDTO(
        id=row.id,
        report_id=row.report_id,
        direction=row.direction,
        author_user_id=row.author_user_id,
        text=row.text or "",
        media_kind=row.media_kind,
        media_file_id=row.media_file_id,
        police_chat_id=row.police_chat_id,
        police_message_id=row.police_message_id,
        thread_message_id=row.thread_message_id,
        reporter_chat_id=row.reporter_chat_id,
        reporter_message_id=row.reporter_message_id,
        created_at=row.created_at,
    )


class RelayRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        report_id: int,
        direction: RelayDirection,
        author_user_id: int | None,
        text: str,
        media_kind: str | None = None,
        media_file_id: str | None = None,
        police_chat_id: int | None = None,
        police_message_id: int | None = None,
        thread_message_id: int | None = None,
        reporter_chat_id: int | None = None,
        reporter_message_id: int | None = None,
    ) -> RelayDTO:
        row = RelayMessage(
            report_id=report_id,
            direction=direction,
            author_user_id=author_user_id,
            text=text,
            media_kind=media_kind,
            media_file_id=media_file_id,
            police_chat_id=police_chat_id,
            police_message_id=police_message_id,
            thread_message_id=thread_message_id,
            reporter_chat_id=reporter_chat_id,
            reporter_message_id=reporter_message_id,
        )
        self._session.add(row)
        await self._session.flush()
        return _relay(row)

    async def set_delivered(
        self,
        relay_id: int,
        *,
        police_message_id: int | None = None,
        reporter_message_id: int | None = None,
    ) -> None:
        values: dict[str, int] = {}
        if police_message_id is not None:
            values["police_message_id"] = police_message_id
        if reporter_message_id is not None:
            values["reporter_message_id"] = reporter_message_id
        if values:
            await self._session.execute(
                update(RelayMessage)
                .where(RelayMessage.id == relay_id)
                .values(**values)
                .execution_options(synchronize_session=False)
            )

    async def get(self, relay_id: int) -> RelayDTO | None:
        if not is_row_id(relay_id):
            return None
        row = await self._session.get(RelayMessage, relay_id)
        return _relay(row) if row else None

    async def by_reporter_message(self, chat_id: int, message_id: int) -> RelayDTO | None:
        row = await self._session.scalar(
            select(RelayMessage)
            .where(
                RelayMessage.reporter_chat_id == chat_id,
                RelayMessage.reporter_message_id == message_id,
            )
            .order_by(RelayMessage.id.desc())
            .limit(1)
        )
        return _relay(row) if row else None

    async def by_police_message(self, chat_id: int, message_id: int) -> RelayDTO | None:
        row = await self._session.scalar(
            select(RelayMessage)
            .where(
                RelayMessage.police_chat_id == chat_id,
                RelayMessage.police_message_id == message_id,
            )
            .order_by(RelayMessage.id.desc())
            .limit(1)
        )
        return _relay(row) if row else None

    async def latest_question(self, report_id: int) -> RelayDTO | None:
        row = await self._session.scalar(
            select(RelayMessage)
            .where(
                RelayMessage.report_id == report_id,
                RelayMessage.direction == RelayDirection.TO_REPORTER,
            )
            .order_by(RelayMessage.id.desc())
            .limit(1)
        )
        return _relay(row) if row else None

    async def for_report(self, report_id: int) -> list[RelayDTO]:
        rows = await self._session.scalars(
            select(RelayMessage)
            .where(RelayMessage.report_id == report_id)
            .order_by(RelayMessage.id)
        )
        return [_relay(r) for r in rows]


INPUT_FLOW = "relay-input"
"""The conversation engine's flow (compose_drafts.flow) of a "next message" the bot waits for."""
INPUT_CHAT = "chat"
"""The key of the chat the input was asked in, in that flow's stored draft."""
WAITING = (
    "SELECT count(*) FROM compose_drafts w"
    " WHERE w.user_id = {user} AND w.flow = '" + INPUT_FLOW + "'"
    " AND CAST(w.data ->> '" + INPUT_CHAT + "' AS BIGINT) = :chat_id"
)
"""Whether the bot waits for this person's next message in this chat: one row by primary key
(a person has at most one such draft), its chat read from the draft (``->>`` reads JSON on
PostgreSQL and SQLite alike). ``{user}``: the person's id, a parameter or a column. Expired
drafts count too; the engine drops them when it reads them."""

_HAS_PENDING = Statement.of(WAITING.format(user=":user_id"))


async def has_pending(hot: HotPath, chat_id: int, user_id: int) -> bool:
    """Whether the bot waits for this person's next message in this chat (one read; most
    messages are not such an answer, and then nothing needs a transaction)."""
    rows = await hot.fetch(_HAS_PENDING, chat_id=chat_id, user_id=user_id)
    return bool(rows and rows[0][0])
