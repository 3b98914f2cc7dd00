"""Conversations of the police side that outlive a restart (see services/compose_drafts.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, TimestampMixin


class ComposeDraft(TimestampMixin, Base):
    """What an officer has answered so far in a multi-step flow (an advisory being composed),
    one per person and flow."""

    __tablename__ = "compose_drafts"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    flow: Mapped[str] = mapped_column(String(24), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
