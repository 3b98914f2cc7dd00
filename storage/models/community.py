"""Community services: residents' advisory subscriptions, who-to-call contacts per area, the
procedures FAQ and the "helpful tip" marks behind public thanks."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, CreatedAtMixin, TimestampMixin
from storage.types import NFCString, NFCText, str_enum


class ContactRole(StrEnum):
    DUTY = "duty"
    """The ward police duty line (trực ban), usually entered on the ward."""
    OFFICER = "officer"
    """The officer in charge (cảnh sát khu vực phụ trách), usually entered per tổ dân phố."""


class AreaSubscription(CreatedAtMixin, Base):
    """A resident who wants an area's advisories by direct message (not in any group)."""

    __tablename__ = "area_subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    """Leads the unique constraint, which serves as its index."""
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)


class AreaContact(TimestampMixin, Base):
    """One phone entry per (area, role), maintained by the police covering the area."""

    __tablename__ = "area_contacts"
    __table_args__ = (UniqueConstraint("area_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    role: Mapped[ContactRole] = mapped_column(str_enum(ContactRole, 16))
    name: Mapped[str] = mapped_column(NFCString(200), default="")
    rank: Mapped[str] = mapped_column(NFCString(100), default="")
    phone: Mapped[str] = mapped_column(String(20))
    """E.164 (services.indicators.normalize_phone)."""
    updated_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class FaqEntry(TimestampMixin, Base):
    """A question residents ask again and again, answered once by the police (vi, en)."""

    __tablename__ = "faq_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=100)
    question_vi: Mapped[str] = mapped_column(NFCString(300))
    answer_vi: Mapped[str] = mapped_column(NFCText())
    question_en: Mapped[str] = mapped_column(NFCString(300), default="")
    answer_en: Mapped[str] = mapped_column(NFCText(), default="")
    keywords: Mapped[str] = mapped_column(NFCText(), default="")
    """Comma-separated phrases in either language; matched accent-insensitively."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class HelpfulReport(CreatedAtMixin, Base):
    """A tip the police marked as valuable ("tin có giá trị"). ``area_id`` is copied from the
    report when marked so monthly counts are one indexed range scan."""

    __tablename__ = "helpful_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), unique=True
    )
    area_id: Mapped[int | None] = mapped_column(
        ForeignKey("areas.id", ondelete="SET NULL"), index=True
    )
    marked_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
