"""Police advisories ("cảnh báo", "khuyến cáo") broadcast to residents' groups, their schedules,
runs, the per-chat delivery ledger, and the scheduler lease."""

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


class Recurrence(StrEnum):
    ONCE = "once"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class AdvisoryStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    DONE = "done"
    """A one-off that has run, or a recurring one past its end date."""
    DELETED = "deleted"


class RunStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"
    MISSED = "missed"
    """The bot was down when the run was due, and came back after the grace window."""


class DeliveryState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    """The API call may have reached Telegram; see scheduler/delivery.py for the guarantee."""
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
    RETRACTED = "retracted"


class Advisory(TimestampMixin, Base):
    __tablename__ = "advisories"
    __table_args__ = (Index("ix_advisories_status_next", "status", "next_run_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    author_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="SET NULL"))
    """The chosen area: its whole subtree's residents' groups are the target."""
    chat_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    """Or: specific groups (our chats.id), when no area was chosen."""
    text: Mapped[str] = mapped_column(NFCText())
    """Telegram HTML, as the officer formatted it."""
    media_kind: Mapped[str | None] = mapped_column(String(16))
    media_file_id: Mapped[str | None] = mapped_column(String(255))
    pin: Mapped[bool] = mapped_column(Boolean, default=False)
    silent: Mapped[bool] = mapped_column(Boolean, default=False)
    recurrence: Mapped[Recurrence] = mapped_column(str_enum(Recurrence, 16))
    run_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """One-off: when to send."""
    time_of_day: Mapped[str | None] = mapped_column(String(5))
    """Recurring: "HH:MM" local time (settings.tz)."""
    weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)
    """Weekly: 0 = Monday … 6 = Sunday."""
    month_day: Mapped[int | None] = mapped_column(Integer)
    until: Mapped[str | None] = mapped_column(String(10))
    """Recurring: last local date (ISO "YYYY-MM-DD") on which it may run."""
    status: Mapped[AdvisoryStatus] = mapped_column(
        str_enum(AdvisoryStatus, 16), default=AdvisoryStatus.ACTIVE
    )
    next_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    title: Mapped[str] = mapped_column(NFCString(120), default="")
    """The first words of the text, for lists."""


class AdvisoryRun(CreatedAtMixin, Base):
    __tablename__ = "advisory_runs"
    __table_args__ = (UniqueConstraint("advisory_id", "scheduled_for"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    advisory_id: Mapped[int] = mapped_column(
        ForeignKey("advisories.id", ondelete="CASCADE"), index=True
    )
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[RunStatus] = mapped_column(str_enum(RunStatus, 16))
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class AdvisoryDelivery(TimestampMixin, Base):
    __tablename__ = "advisory_deliveries"
    __table_args__ = (
        UniqueConstraint("run_id", "chat_id"),
        Index("ix_advisory_deliveries_run_status", "run_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("advisory_runs.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"), index=True)
    telegram_chat_id: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[DeliveryState] = mapped_column(
        str_enum(DeliveryState, 16), default=DeliveryState.PENDING
    )
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    uncertain: Mapped[bool] = mapped_column(Boolean, default=False)
    """Was "sending" when the process died: re-sent, and may have arrived twice."""
    error: Mapped[str | None] = mapped_column(String(200))


class SchedulerLease(Base):
    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
