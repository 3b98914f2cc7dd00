"""Tips ("tin báo") and fraud alerts sent by residents."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, TimestampMixin
from storage.types import NFCString, NFCText, str_enum


class ReportKind(StrEnum):
    TIP = "tip"
    FRAUD = "fraud"


class ReportStatus(StrEnum):
    RECEIVED = "received"
    VERIFYING = "verifying"
    HANDLED = "handled"
    REJECTED = "rejected"


class Report(TimestampMixin, Base):
    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_area_created", "area_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[ReportKind] = mapped_column(str_enum(ReportKind, 16))
    category: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(NFCText(), default="")
    status: Mapped[ReportStatus] = mapped_column(
        str_enum(ReportStatus, 16),
        default=ReportStatus.RECEIVED,
    )
    area_id: Mapped[int | None] = mapped_column(
        ForeignKey("areas.id", ondelete="SET NULL"), index=True
    )
    reporter_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    address: Mapped[str | None] = mapped_column(NFCString(500))
    fraud_details: Mapped[str | None] = mapped_column(NFCText())
    """Online fraud only: the scammer's phones, accounts, links as the resident wrote them
    (migration 0002)."""
    version: Mapped[int] = mapped_column(Integer, default=1)
    """Optimistic-lock counter: two officers acting at once cannot both win."""

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
