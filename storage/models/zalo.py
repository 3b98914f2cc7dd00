"""The Zalo channel: who a Zalo account is (a row in ``users``), the Zalo groups the bot is
in, the numbered choices last shown in a Zalo chat, and one-time codes that link a Telegram
and a Zalo account of the same person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, CreatedAtMixin, TimestampMixin
from storage.types import NFCString, UTCDateTime


class ZaloUser(TimestampMixin, Base):
    """A Zalo account. Its person is ``users.id``: a Zalo-only resident has a users row with
    no telegram_id; after linking, the row is the Telegram one."""

    __tablename__ = "zalo_users"

    zalo_user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    display_name: Mapped[str] = mapped_column(NFCString(128), default="")


class ZaloGroup(CreatedAtMixin, Base):
    """A Zalo group the bot was mentioned in; ``chat_id`` is its row in ``chats`` (type
    ``zalo_group``), so advisories and their ledger treat it like any residents' group."""

    __tablename__ = "zalo_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    zalo_chat_id: Mapped[str] = mapped_column(String(64), unique=True)
    chat_id: Mapped[int | None] = mapped_column(
        ForeignKey("chats.id", ondelete="SET NULL"), unique=True
    )


class AccountLinkCode(CreatedAtMixin, Base):
    """A 6-digit code shown on one channel and typed on the other (valid 10 minutes)."""

    __tablename__ = "account_link_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE")
    )
    """The account that typed the code (on the other channel); linking waits for both."""
    claim_confirmed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """The account that typed the code confirmed; the code's owner confirms last."""


class AccountLinkFailure(CreatedAtMixin, Base):
    """A wrong code typed: a few per ten minutes, then the person must wait (a 6-digit code
    must not be guessable by trying)."""

    __tablename__ = "account_link_failures"
    __table_args__ = (Index("ix_account_link_failures_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
