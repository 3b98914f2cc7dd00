"""The notice outbox (storage/models/outbox.py): add, claim, settle, defer.

Claims are one conditional UPDATE, as the police routing's are (storage/repositories/tips.py):
of two claimers (the sender right after storing, a sweep, another instance) exactly one wins,
on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select, update

from storage.models.outbox import OutboxMessage, OutboxState
from storage.uow import Session


@dataclass(frozen=True, slots=True)
class OutboxDTO:
    id: int
    user_id: int | None
    what: str
    report_id: int | None
    message: dict[str, Any]
    state: OutboxState
    attempts: int
    after_sent: tuple[str, int | None] | None = None
    """What to record once sent: a step's name and its reference (the reader of a tip's card
    or nothing, a relayed message's id)."""
    chat_id: int | None = None
    """A notice to a chat (``user_id`` empty), in ``locale``."""
    locale: str | None = None


def _dto(row: OutboxMessage) -> OutboxDTO:
    after = (row.after_sent, row.after_sent_ref) if row.after_sent is not None else None
    return OutboxDTO(
        row.id,
        row.user_id,
        row.what,
        row.report_id,
        dict(row.message),
        row.state,
        row.attempts,
        after,
        row.chat_id,
        row.locale,
    )


def _claimable(now: datetime) -> tuple[ColumnElement[bool], ...]:
    """Pending, due, and nobody holds an unexpired lease."""
    free = OutboxMessage.claimed_until.is_(None) | (OutboxMessage.claimed_until < now)
    return (OutboxMessage.state == OutboxState.PENDING, OutboxMessage.due_at <= now, free)


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    async def add(
        self,
        *,
        user_id: int | None,
        what: str,
        report_id: int | None,
        message: dict[str, Any],
        now: datetime,
        claimed_until: datetime | None,
        after_sent: tuple[str, int | None] | None = None,
        chat_id: int | None = None,
        locale: str | None = None,
    ) -> OutboxDTO:
        """Store a notice due now, for a person (``user_id``) or a chat (``chat_id``, in
        ``locale``); ``claimed_until`` set: the caller sends it right away and holds the lease
        meanwhile."""
        row = OutboxMessage(
            user_id=user_id,
            chat_id=chat_id,
            locale=locale,
            what=what[:40],
            report_id=report_id,
            message=message,
            state=OutboxState.PENDING,
            attempts=0,
            due_at=now,
            claimed_until=claimed_until,
            created_at=now,
            after_sent=after_sent[0] if after_sent else None,
            after_sent_ref=after_sent[1] if after_sent else None,
        )
        self._session.add(row)
        await self._session.flush()
        return _dto(row)

    async def claim_next_due(self, *, now: datetime, until: datetime) -> OutboxDTO | None:
        """Take the lease on the oldest due notice nobody holds; None when there is none."""
        due = (
            select(OutboxMessage.id)
            .where(*_claimable(now))
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
            .limit(1)
            # Postgres: a row another instance is claiming now is passed over, not waited for.
            .with_for_update(skip_locked=True)
        )
        result = await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == due.scalar_subquery(), *_claimable(now))
            .values(claimed_until=until)
            .returning(OutboxMessage.id),
            execution_options={"synchronize_session": False},
        )
        claimed = result.scalar_one_or_none()
        if claimed is None:
            return None
        row = await self._session.get(OutboxMessage, claimed, populate_existing=True)
        assert row is not None
        return _dto(row)

    async def settle(
        self,
        notice_id: int,
        state: OutboxState,
        *,
        now: datetime,
        attempts: int,
        message_id: int | None = None,
        error: str | None = None,
    ) -> None:
        """Sent or given up: never sent again."""
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == notice_id)
            .values(
                state=state,
                attempts=attempts,
                claimed_until=None,
                sent_at=now if state is OutboxState.SENT else None,
                message_id=message_id,
                error=error[:200] if error else None,
            ),
            execution_options={"synchronize_session": False},
        )

    async def defer(self, notice_id: int, *, due_at: datetime, attempts: int, error: str) -> None:
        """A transient failure: still pending, tried again from ``due_at``."""
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == notice_id, OutboxMessage.state == OutboxState.PENDING)
            .values(due_at=due_at, attempts=attempts, claimed_until=None, error=error[:200])
            .execution_options(synchronize_session=False)
        )
