"""Conversation drafts (storage/models/compose.py): read, start, write over a version, end.

A step of a conversation is a read and a conditional write of one row: those two run as
single statements on the hot path (storage/hotpath.py), as every message of a tip does;
starting and ending a conversation, and steps that change other rows with the draft, use a
session (:class:`ComposeDraftRepository`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import dialect_insert
from storage.hotpath import HotPath, Statement, from_json, utc
from storage.models import ComposeDraft
from storage.types import utcnow


@dataclass(frozen=True, slots=True)
class ConversationRow:
    user_id: int
    flow: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)
    version: int = 1
    prompt_chat_id: int | None = None
    prompt_message_id: int | None = None
    updated_at: datetime | None = None


def conversation_row(
    user_id: int, flow: str, step: str, data: Any, version: int, *rest: Any
) -> ConversationRow:
    """A row as the hot path hands it back (``rest``: prompt chat, prompt message, updated)."""
    chat_id, message_id, updated_at = rest
    return ConversationRow(
        user_id,
        flow,
        step,
        dict(from_json(data) or {}),
        version,
        chat_id,
        message_id,
        utc(updated_at),
    )


_READ = Statement.of(
    "SELECT step, data, version, prompt_chat_id, prompt_message_id, updated_at"
    " FROM compose_drafts WHERE user_id = :user_id AND flow = :flow"
)
_WRITE_OVER = Statement.of(
    "UPDATE compose_drafts SET step = :step, data = :data, updated_at = :now,"
    " version = version + 1"
    " WHERE user_id = :user_id AND flow = :flow AND version = :version"
    " RETURNING version"
)
_SHOW = Statement.of(
    "UPDATE compose_drafts SET prompt_chat_id = :chat_id, prompt_message_id = :message_id"
    " WHERE user_id = :user_id AND flow = :flow AND version = :version"
    " RETURNING version"
)


async def read_conversation(hot: HotPath, user_id: int, flow: str) -> ConversationRow | None:
    """The person's draft of ``flow`` as last committed (one statement)."""
    rows = await hot.fetch(_READ, user_id=user_id, flow=flow)
    return conversation_row(user_id, flow, *rows[0]) if rows else None


async def write_conversation_over(
    hot: HotPath, user_id: int, flow: str, version: int, step: str, data: dict[str, Any]
) -> datetime | None:
    """A step's answer, only over ``version`` (one statement, committed by itself); the time
    written, or None when another step wrote first."""
    now = utcnow()
    rows = await hot.fetch(
        _WRITE_OVER, step=step, data=data, now=now, user_id=user_id, flow=flow, version=version
    )
    return now if rows else None


async def show_conversation(
    hot: HotPath, user_id: int, flow: str, version: int, chat_id: int, message_id: int
) -> bool:
    """Record the message asking the step reached at ``version`` (one statement)."""
    rows = await hot.fetch(
        _SHOW, chat_id=chat_id, message_id=message_id, user_id=user_id, flow=flow, version=version
    )
    return bool(rows)


def _at(user_id: int, flow: str, version: int) -> Any:
    """An update of the person's draft of ``flow`` only if it is still at ``version``."""
    return update(ComposeDraft).where(
        ComposeDraft.user_id == user_id,
        ComposeDraft.flow == flow,
        ComposeDraft.version == version,
    )


class ComposeDraftRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int, flow: str) -> ConversationRow | None:
        row = await self._session.scalar(
            select(ComposeDraft).where(ComposeDraft.user_id == user_id, ComposeDraft.flow == flow)
        )
        if row is None:
            return None
        return ConversationRow(
            user_id,
            flow,
            row.step,
            dict(row.data or {}),
            row.version,
            row.prompt_chat_id,
            row.prompt_message_id,
            row.updated_at,
        )

    async def start(self, user_id: int, flow: str, step: str, data: dict[str, Any]) -> None:
        """A new conversation, replacing whatever was there (its version still rises, so a
        step of the replaced one cannot write over the new one). The replaced one's step
        message stays recorded until the new one shows its first, which then takes its
        buttons off."""
        now = utcnow()
        insert = dialect_insert(self._session, ComposeDraft).values(
            user_id=user_id,
            flow=flow,
            step=step,
            data=data,
            version=1,
            created_at=now,
            updated_at=now,
        )
        await self._session.execute(
            insert.on_conflict_do_update(
                index_elements=["user_id", "flow"],
                set_={
                    "step": step,
                    "data": data,
                    "version": ComposeDraft.version + 1,
                    "created_at": now,
                    "updated_at": now,
                },
            )
        )

    async def write_over(
        self, user_id: int, flow: str, version: int, step: str, data: dict[str, Any]
    ) -> bool:
        """The step's answer, only over ``version`` (False: another step wrote first)."""
        result = await self._session.execute(
            _at(user_id, flow, version).values(
                step=step, data=data, version=version + 1, updated_at=utcnow()
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def drop(self, user_id: int, flow: str, version: int | None = None) -> bool:
        """End the conversation (only at ``version`` when given); False: nothing ended."""
        statement = delete(ComposeDraft).where(
            ComposeDraft.user_id == user_id, ComposeDraft.flow == flow
        )
        if version is not None:
            statement = statement.where(ComposeDraft.version == version)
        result = await self._session.execute(statement)
        return bool(result.rowcount)  # type: ignore[attr-defined]
