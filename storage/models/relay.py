"""The police side of tips: the anonymous two-way relay between officers and reporters (the
"next message" an officer or reporter was asked for is a draft of the conversation engine:
services/relay_model.py).

Relay rows keep the Telegram message ids of both sides so that a reply on either side threads
back to the right tip without either side ever learning who the other one is.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, CreatedAtMixin
from storage.types import NFCText, str_enum


class RelayDirection(StrEnum):
    TO_REPORTER = "to_reporter"
    """An officer's question, delivered to the reporter by the bot."""
    TO_POLICE = "to_police"
    """The reporter's answer, delivered to the officer's chat labelled only by the tip code."""


class RelayMessage(CreatedAtMixin, Base):
    __tablename__ = "tip_relay_messages"
    __table_args__ = (
        Index("ix_tip_relay_messages_reporter_msg", "reporter_chat_id", "reporter_message_id"),
        Index("ix_tip_relay_messages_police_msg", "police_chat_id", "police_message_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), index=True
    )
    direction: Mapped[RelayDirection] = mapped_column(str_enum(RelayDirection, 16))
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(NFCText(), default="")
    media_kind: Mapped[str | None] = mapped_column(String(16))
    media_file_id: Mapped[str | None] = mapped_column(String(255))
    police_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    """Where the officer asked (their private chat or a police group)."""
    police_message_id: Mapped[int | None] = mapped_column(Integer)
    """The message on the police side: the officer's question, or the relayed answer."""
    thread_message_id: Mapped[int | None] = mapped_column(Integer)
    """The tip card in the police chat that answers reply to (keeps the thread together)."""
    reporter_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    reporter_message_id: Mapped[int | None] = mapped_column(Integer)
    """The message on the reporter's side: the relayed question, or their answer."""
