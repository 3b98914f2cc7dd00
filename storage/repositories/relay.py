"""Relay messages between officers and reporters, and pending "next message" requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.hotpath import HotPath, Statement
from storage.models import PendingAction, PendingInput, RelayDirection, RelayMessage
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


@dataclass(frozen=True, slots=True)
class PendingDTO:
    chat_id: int
    user_id: int
    action: PendingAction
    report_id: int
    version: int | None
    anchor_message_id: int | None
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


def _pending(row: PendingInput) -> PendingDTO:
    return PendingDTO(
        chat_id=row.chat_id,
        user_id=row.user_id,
        action=row.action,
        report_id=row.report_id,
        version=row.version,
        anchor_message_id=row.anchor_message_id,
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


_HAS_PENDING = Statement.of(
    "SELECT 1 FROM tip_pending_inputs WHERE chat_id = :chat_id AND user_id = :user_id"
)


async def has_pending(hot: HotPath, chat_id: int, user_id: int) -> bool:
    """Whether the bot waits for this person's next message in this chat (one read; most
    messages are not such an answer, and then nothing needs a transaction)."""
    return bool(await hot.fetch(_HAS_PENDING, chat_id=chat_id, user_id=user_id))


class PendingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def put(
        self,
        *,
        chat_id: int,
        user_id: int,
        action: PendingAction,
        report_id: int,
        version: int | None,
        anchor_message_id: int | None,
    ) -> PendingDTO:
        """Replace whatever the bot was waiting for from this person in this chat."""
        await self.pop(chat_id, user_id)
        row = PendingInput(
            chat_id=chat_id,
            user_id=user_id,
            action=action,
            report_id=report_id,
            version=version,
            anchor_message_id=anchor_message_id,
        )
        self._session.add(row)
        await self._session.flush()
        return _pending(row)

    async def get(self, chat_id: int, user_id: int) -> PendingDTO | None:
        row = await self._session.scalar(
            select(PendingInput).where(
                PendingInput.chat_id == chat_id, PendingInput.user_id == user_id
            )
        )
        return _pending(row) if row else None

    async def pop(self, chat_id: int, user_id: int) -> PendingDTO | None:
        found = await self.get(chat_id, user_id)
        if found is not None:
            await self._session.execute(
                delete(PendingInput).where(
                    PendingInput.chat_id == chat_id, PendingInput.user_id == user_id
                )
            )
        return found
