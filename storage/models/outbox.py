"""Notices a person must get, stored before they are sent (services/reach.py).

A row is ``pending`` until a send settles it: ``sent`` (with the channel's message id) or
``failed`` (the person blocked the bot, the message was refused, or the retries ran out). A
transient failure leaves it pending with a later ``due_at``; whoever sends it holds a lease
(``claimed_until``) so two instances never send one row at the same time.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, CreatedAtMixin
from storage.types import UTCDateTime, str_enum


class OutboxState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(CreatedAtMixin, Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_state_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    """Who is told: the channel is chosen when it is sent (services.channels.recipient_for),
    so a person who links or unlinks an account meanwhile is reached where they are. Empty
    for a notice to a chat (``chat_id``)."""
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    """A chat told rather than a person (a police chat; services.channels keys)."""
    locale: Mapped[str | None] = mapped_column(String(8))
    """The language a chat's notice is written in (a person's is their own)."""
    what: Mapped[str] = mapped_column(String(40))
    """What kind of notice (for logs): never the person, never the text."""
    report_id: Mapped[int | None] = mapped_column(Integer)
    """The tip it is about, if any (for logs; no foreign key: the notice outlives nothing)."""
    message: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The OutgoingMessage, encoded by services.outbox_codec."""
    state: Mapped[OutboxState] = mapped_column(
        str_enum(OutboxState, 16), default=OutboxState.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(String(200))
    after_sent: Mapped[str | None] = mapped_column(String(40))
    """What to record once it is sent (e.g. the relay question's message id, so a reply to it
    threads back), by name: services/reach.py looks the step up."""
    after_sent_ref: Mapped[int | None] = mapped_column(Integer)
