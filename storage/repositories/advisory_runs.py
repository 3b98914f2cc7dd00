"""An advisory's runs (one per scheduled moment, at most once: the unique key) and each
run's delivery ledger (one row per chat: pending → sending → sent/failed/retracted). What a
crash leaves behind is in :meth:`RunRepository.reclaim_interrupted`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import dialect_insert
from storage.models import AdvisoryDelivery, AdvisoryRun, Chat, DeliveryState, RunStatus
from storage.types import is_row_id


@dataclass(frozen=True, slots=True)
class RunDTO:
    id: int
    advisory_id: int
    scheduled_for: datetime
    status: RunStatus
    summary: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class DeliveryDTO:
    id: int
    run_id: int
    chat_id: int
    telegram_chat_id: int
    status: DeliveryState
    message_id: int | None
    attempts: int
    uncertain: bool
    error: str | None


def run_dto(row: AdvisoryRun) -> RunDTO:
    return RunDTO(row.id, row.advisory_id, row.scheduled_for, row.status, row.summary)


def delivery_dto(row: AdvisoryDelivery) -> DeliveryDTO:
    return DeliveryDTO(
        row.id,
        row.run_id,
        row.chat_id,
        row.telegram_chat_id,
        row.status,
        row.message_id,
        row.attempts,
        row.uncertain,
        row.error,
    )


class RunRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get_run(self, run_id: int) -> RunDTO | None:
        if not is_row_id(run_id):
            return None
        row = await self._session.get(AdvisoryRun, run_id)
        return run_dto(row) if row else None

    async def find_run(self, advisory_id: int, scheduled_for: datetime) -> RunDTO | None:
        row = await self._session.scalar(
            select(AdvisoryRun).where(
                AdvisoryRun.advisory_id == advisory_id,
                AdvisoryRun.scheduled_for == scheduled_for,
            )
        )
        return run_dto(row) if row else None

    async def add_run(
        self, advisory_id: int, scheduled_for: datetime, status: RunStatus
    ) -> RunDTO | None:
        """Insert the run; None when (advisory, scheduled_for) already has one — the unique
        key is what makes a run happen at most once."""
        # ON CONFLICT, not a savepoint: on SQLite (pysqlite) releasing a savepoint commits
        # the whole transaction early.
        run_id = await self._session.scalar(
            dialect_insert(self._session, AdvisoryRun)
            .values(advisory_id=advisory_id, scheduled_for=scheduled_for, status=status)
            .on_conflict_do_nothing(
                index_elements=[AdvisoryRun.advisory_id, AdvisoryRun.scheduled_for]
            )
            .returning(AdvisoryRun.id)
        )
        if run_id is None:
            return None
        return run_dto(await self._session.get_one(AdvisoryRun, run_id))

    async def runs_with_status(self, status: RunStatus) -> list[RunDTO]:
        rows = await self._session.scalars(
            select(AdvisoryRun).where(AdvisoryRun.status == status).order_by(AdvisoryRun.id)
        )
        return [run_dto(r) for r in rows]

    async def runs_of(self, advisory_id: int) -> list[RunDTO]:
        rows = await self._session.scalars(
            select(AdvisoryRun)
            .where(AdvisoryRun.advisory_id == advisory_id)
            .order_by(AdvisoryRun.id)
        )
        return [run_dto(r) for r in rows]

    async def finish_run(self, run_id: int, summary: dict[str, Any], at: datetime) -> bool:
        """Mark the run done; False when it already was (the summary goes out once)."""
        result = await self._session.execute(
            update(AdvisoryRun)
            .where(AdvisoryRun.id == run_id, AdvisoryRun.status == RunStatus.RUNNING)
            .values(status=RunStatus.DONE, summary=summary, finished_at=at)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    # -- deliveries -------------------------------------------------------------
    async def add_deliveries(self, run_id: int, chats: list[tuple[int, int]]) -> None:
        for chat_id, telegram_chat_id in chats:
            self._session.add(
                AdvisoryDelivery(
                    run_id=run_id,
                    chat_id=chat_id,
                    telegram_chat_id=telegram_chat_id,
                    status=DeliveryState.PENDING,
                    attempts=0,
                    uncertain=False,
                )
            )
        await self._session.flush()

    async def deliveries(
        self, run_id: int, statuses: tuple[DeliveryState, ...] | None = None
    ) -> list[DeliveryDTO]:
        query = select(AdvisoryDelivery).where(AdvisoryDelivery.run_id == run_id)
        if statuses:
            query = query.where(AdvisoryDelivery.status.in_(statuses))
        rows = await self._session.scalars(query.order_by(AdvisoryDelivery.id))
        return [delivery_dto(r) for r in rows]

    async def sent_deliveries_of(self, advisory_id: int) -> list[DeliveryDTO]:
        rows = await self._session.scalars(
            select(AdvisoryDelivery)
            .join(AdvisoryRun, AdvisoryRun.id == AdvisoryDelivery.run_id)
            .where(
                AdvisoryRun.advisory_id == advisory_id,
                AdvisoryDelivery.status == DeliveryState.SENT,
                AdvisoryDelivery.message_id.is_not(None),
            )
            .order_by(AdvisoryDelivery.id)
        )
        return [delivery_dto(r) for r in rows]

    async def reclaim_interrupted(self, run_id: int) -> int:
        """Rows left "sending" by a process that died: back to pending, flagged uncertain."""
        result = await self._session.execute(
            update(AdvisoryDelivery)
            .where(
                AdvisoryDelivery.run_id == run_id,
                AdvisoryDelivery.status == DeliveryState.SENDING,
            )
            .values(status=DeliveryState.PENDING, uncertain=True)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def claim_delivery(self, delivery_id: int, attempts: int) -> bool:
        """pending → sending; False when the row is no longer pending (stopped by a retract)."""
        return await self._change_if(
            delivery_id, DeliveryState.PENDING, status=DeliveryState.SENDING, attempts=attempts
        )

    async def settle_delivery(self, delivery_id: int, **fields: Any) -> bool:
        """A sending row's outcome; False when a retract stopped the row while in flight."""
        return await self._change_if(delivery_id, DeliveryState.SENDING, **fields)

    async def _change_if(self, delivery_id: int, state: DeliveryState, **fields: Any) -> bool:
        result = await self._session.execute(
            update(AdvisoryDelivery)
            .where(AdvisoryDelivery.id == delivery_id, AdvisoryDelivery.status == state)
            .values(**fields)
        )
        return int(result.rowcount) == 1  # type: ignore[attr-defined]

    async def stop_unsent(self, advisory_id: int) -> int:
        """The advisory's rows not sent yet (pending, or in flight) in runs still going:
        retracted without a copy. A copy in flight is deleted when its send returns."""
        running = select(AdvisoryRun.id).where(
            AdvisoryRun.advisory_id == advisory_id, AdvisoryRun.status == RunStatus.RUNNING
        )
        result = await self._session.execute(
            update(AdvisoryDelivery)
            .where(
                AdvisoryDelivery.run_id.in_(running),
                AdvisoryDelivery.status.in_((DeliveryState.PENDING, DeliveryState.SENDING)),
            )
            .values(status=DeliveryState.RETRACTED, error="stopped")
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def copies_count(self, run_id: int) -> int:
        """Copies the run put in groups (sent, and sent then retracted)."""
        return int(
            await self._session.scalar(
                select(func.count()).where(
                    AdvisoryDelivery.run_id == run_id,
                    AdvisoryDelivery.status.in_((DeliveryState.SENT, DeliveryState.RETRACTED)),
                    AdvisoryDelivery.message_id.is_not(None),
                )
            )
            or 0
        )

    async def set_delivery(self, delivery_id: int, **fields: Any) -> None:
        await self._session.execute(
            update(AdvisoryDelivery).where(AdvisoryDelivery.id == delivery_id).values(**fields)
        )

    async def counts(self, run_id: int) -> dict[str, int]:
        rows = await self._session.execute(
            select(AdvisoryDelivery.status, func.count())
            .where(AdvisoryDelivery.run_id == run_id)
            .group_by(AdvisoryDelivery.status)
        )
        return {str(status): int(n) for status, n in rows}

    async def failed_with_titles(self, run_id: int) -> list[tuple[str, str | None, bool]]:
        """(title, error, chat still active) of each failed delivery of the run."""
        rows = await self._session.execute(
            select(Chat.title, AdvisoryDelivery.error, Chat.active)
            .join(Chat, Chat.id == AdvisoryDelivery.chat_id)
            .where(
                AdvisoryDelivery.run_id == run_id,
                AdvisoryDelivery.status == DeliveryState.FAILED,
            )
            .order_by(AdvisoryDelivery.id)
        )
        return [(title or "?", error, bool(active)) for title, error, active in rows]

    async def uncertain_count(self, run_id: int) -> int:
        return int(
            await self._session.scalar(
                select(func.count()).where(
                    AdvisoryDelivery.run_id == run_id, AdvisoryDelivery.uncertain.is_(True)
                )
            )
            or 0
        )
