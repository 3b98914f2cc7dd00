"""New members' pending verifications (the "I am a person" button in a group)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import PendingVerification


@dataclass(frozen=True, slots=True)
class PendingVerificationDTO:
    chat_id: int
    telegram_user_id: int
    deadline: datetime
    prompt_message_id: int | None


class VerificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @staticmethod
    def _dto(row: PendingVerification) -> PendingVerificationDTO:
        return PendingVerificationDTO(
            row.chat_id, row.telegram_user_id, row.deadline, row.prompt_message_id
        )

    async def put(
        self, chat_id: int, telegram_user_id: int, deadline: datetime
    ) -> PendingVerificationDTO:
        row = await self._session.scalar(
            select(PendingVerification).where(
                PendingVerification.chat_id == chat_id,
                PendingVerification.telegram_user_id == telegram_user_id,
            )
        )
        if row is None:
            row = PendingVerification(
                chat_id=chat_id, telegram_user_id=telegram_user_id, deadline=deadline
            )
            self._session.add(row)
        else:
            row.deadline = deadline
            row.prompt_message_id = None
        await self._session.flush()
        return self._dto(row)

    async def set_prompt(self, chat_id: int, telegram_user_id: int, message_id: int) -> None:
        await self._session.execute(
            update(PendingVerification)
            .where(
                PendingVerification.chat_id == chat_id,
                PendingVerification.telegram_user_id == telegram_user_id,
            )
            .values(prompt_message_id=message_id)
            .execution_options(synchronize_session=False)
        )

    async def pop(self, chat_id: int, telegram_user_id: int) -> PendingVerificationDTO | None:
        """Remove and return the pending verification (None: already settled)."""
        row = await self._session.scalar(
            select(PendingVerification).where(
                PendingVerification.chat_id == chat_id,
                PendingVerification.telegram_user_id == telegram_user_id,
            )
        )
        if row is None:
            return None
        dto = self._dto(row)
        await self._session.execute(
            delete(PendingVerification).where(PendingVerification.id == row.id)
        )
        return dto

    async def all(self) -> list[PendingVerificationDTO]:
        rows = await self._session.scalars(
            select(PendingVerification).order_by(PendingVerification.deadline)
        )
        return [self._dto(r) for r in rows]
