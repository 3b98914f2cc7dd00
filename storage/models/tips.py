"""Tips' attachments and status history (a tip being written is a conversation of the
engine: storage/models/compose.py). Attachments are Telegram file ids (never downloaded): the
police get them re-sent.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, CreatedAtMixin
from storage.models.reports import ReportStatus
from storage.types import NFCText, str_enum


class ReportAttachment(CreatedAtMixin, Base):
    __tablename__ = "report_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(16))
    """services.ports.MediaKind value: photo, video, voice, document, audio, animation."""
    file_id: Mapped[str] = mapped_column(String(255))
    file_unique_id: Mapped[str | None] = mapped_column(String(128))
    mime_type: Mapped[str | None] = mapped_column(String(128))


class ReportStatusChange(CreatedAtMixin, Base):
    """Every status a report went through, with the officer's public note."""

    __tablename__ = "report_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), index=True
    )
    old_status: Mapped[ReportStatus | None] = mapped_column(str_enum(ReportStatus, 16))
    new_status: Mapped[ReportStatus] = mapped_column(str_enum(ReportStatus, 16))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(NFCText())
