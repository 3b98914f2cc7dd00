"""Conversations that outlive a restart (services/conversation.py): one row per person and
flow, with the step reached, the typed draft's answers, a version every step writes over, and
the message that shows the current step (the only one whose buttons still act)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, TimestampMixin


class ComposeDraft(TimestampMixin, Base):
    """What a person has answered so far in a multi-step flow, one per person and flow."""

    __tablename__ = "compose_drafts"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    flow: Mapped[str] = mapped_column(String(24), primary_key=True)
    step: Mapped[str] = mapped_column(String(24), default="", server_default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """Raised by every write; a step writes only over the version it read, so a double press
    or a second instance cannot both advance the same step."""
    prompt_chat_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    prompt_message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    """The message that asks the current step: its buttons are the only live ones."""
