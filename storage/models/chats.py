"""Chats the bot is in: residents' groups, police work chats, private chats."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, TimestampMixin
from storage.types import NFCString, str_enum


class ChatPurpose(StrEnum):
    RESIDENTS = "residents"
    """A residents' group of an area: advisories go here."""
    POLICE = "police"
    """The police work chat of an area: new tips arrive here."""
    NONE = "none"


class Chat(TimestampMixin, Base):
    __tablename__ = "chats"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    type: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(NFCString(255))
    area_id: Mapped[int | None] = mapped_column(
        ForeignKey("areas.id", ondelete="SET NULL"), index=True
    )
    purpose: Mapped[ChatPurpose] = mapped_column(
        str_enum(ChatPurpose, 16),
        default=ChatPurpose.NONE,
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    bot_is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
