"""Frozen snapshots of tips (reports), their attachments, status history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.models import ReportKind, ReportStatus


@dataclass(frozen=True, slots=True)
class AttachmentDTO:
    kind: str
    file_id: str
    file_unique_id: str | None = None
    mime_type: str | None = None


@dataclass(frozen=True, slots=True)
class NewReport:
    """A tip as its reporter left it: the columns of the report row it becomes (the row adds
    its kind, code, status, version and times)."""

    category: str
    text: str
    area_id: int | None
    reporter_user_id: int
    anonymous: bool
    latitude: float | None = None
    longitude: float | None = None
    address: str | None = None
    fraud_details: str | None = None


@dataclass(frozen=True, slots=True)
class ReportDTO:
    id: int
    code: str
    kind: ReportKind
    category: str
    text: str
    status: ReportStatus
    area_id: int | None
    reporter_user_id: int | None
    anonymous: bool
    latitude: float | None
    longitude: float | None
    address: str | None
    fraud_details: str | None
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StatusChangeDTO:
    old_status: ReportStatus | None
    new_status: ReportStatus
    actor_user_id: int | None
    note: str | None
    created_at: datetime
