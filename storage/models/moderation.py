"""Group moderation: the review queue, warnings and pending join verifications.

Per-group rows carry the Telegram chat id (``chat_id``) so one group's data never leaks into
another's queries. Flood windows are counted in memory, not here: they last seconds and losing
them on a restart costs nothing.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, CreatedAtMixin, TimestampMixin
from storage.types import NFCString, NFCText, UTCDateTime, str_enum


class ReviewKind(StrEnum):
    REPORT = "report"
    """A resident's tip or fraud alert waiting for a decision (queued by the tips feature)."""
    GROUP_MESSAGE = "group_message"
    """A group message or member flagged by residents, the flood guard or the join check."""


class ReviewStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    """Someone acted on it; ``resolution`` says what they did."""
    DISMISSED = "dismissed"


class ReviewItem(TimestampMixin, Base):
    """One thing for a moderator (or officer) to look at. Generic over ``kind``."""

    __tablename__ = "review_items"
    __table_args__ = (
        Index("ix_review_items_area_status", "area_id", "status"),
        Index("ix_review_items_chat_message", "chat_id", "message_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ReviewKind] = mapped_column(str_enum(ReviewKind, 24))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(32))
    """Why it is queued: reported, flood, bot_account, suspicious_name, new_tip, ..."""
    status: Mapped[ReviewStatus] = mapped_column(
        str_enum(ReviewStatus, 16), default=ReviewStatus.OPEN
    )
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    """Telegram chat id of the group (group_message items)."""
    message_id: Mapped[int | None] = mapped_column(Integer)
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), index=True
    )
    subject_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    """The member whose message or profile is under review (never the person who flagged)."""
    subject_name: Mapped[str | None] = mapped_column(NFCString(255))
    text: Mapped[str] = mapped_column(NFCText(), default="")
    """A copy of the message: kept even after the message is deleted from the group."""
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    """The message was deleted from the group pending review."""
    flag_count: Mapped[int] = mapped_column(Integer, default=0)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    resolution: Mapped[str | None] = mapped_column(String(32))
    resolved_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReviewFlag(CreatedAtMixin, Base):
    """One member flagging one item: distinct members are counted, repeats are not."""

    __tablename__ = "review_flags"
    __table_args__ = (UniqueConstraint("item_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


class MemberWarning(CreatedAtMixin, Base):
    __tablename__ = "member_warnings"
    __table_args__ = (
        Index("ix_member_warnings_chat_user", "chat_id", "user_id"),
        Index("uq_member_warnings_source", "chat_id", "source_message_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    issued_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    reason: Mapped[str | None] = mapped_column(NFCString(500))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    """False once removed with /unwarn or reset after the mute it caused."""
    source_message_id: Mapped[int | None] = mapped_column(Integer)
    """The /canhcao message that issued it (migration 0016): the same command handled twice
    (Telegram's redelivery after a crash) is one warning, not two towards a mute."""
    removed_by_message_id: Mapped[int | None] = mapped_column(Integer)
    """The /gocanhcao message that lifted it: handled twice, it lifts one warning, not two."""


class PendingVerification(CreatedAtMixin, Base):
    """A new member restricted until they press "I am human"; re-armed after a restart."""

    __tablename__ = "pending_verifications"
    __table_args__ = (UniqueConstraint("chat_id", "telegram_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    prompt_message_id: Mapped[int | None] = mapped_column(Integer)
