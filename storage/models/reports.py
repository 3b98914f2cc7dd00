"""Tips ("tin báo") and fraud alerts sent by residents."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, TimestampMixin
from storage.types import NFCString, NFCText, UTCDateTime, str_enum, utcnow


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
    __table_args__ = (
        # What an area's tips are read by (inbox, map, statistics). On PostgreSQL it carries
        # the columns those reads need, so a province's year is counted from the index alone
        # (migration 0022; bench/RESULTS.md).
        Index(
            "ix_reports_area_created",
            "area_id",
            "created_at",
            postgresql_include=[
                "id",
                "kind",
                "category",
                "status",
                "merged_into_id",
                "latitude",
                "longitude",
                "first_action_at",
            ],
        ),
        # The inbox opens on the tips still to do: a small index of only those.
        Index(
            "ix_reports_open",
            "area_id",
            "created_at",
            postgresql_where=text("status IN ('received', 'verifying')"),
            sqlite_where=text("status IN ('received', 'verifying')"),
        ),
    )

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
    merged_into_id: Mapped[int | None] = mapped_column(Integer, index=True)
    """The tip this one was merged into as a duplicate (migration 0015): several tips about
    one incident count as one case ("vụ") in the statistics. Not a foreign key: SQLite can
    only add one by rebuilding the table, and reports are never deleted."""
    routed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    """When the police (or, with no police for the area, the admins) were told: the outbox
    mark, migration 0012. NULL means still to be routed, and only the tip intake
    (``TipRepository.add``) writes NULL, so rows stored any other way (imports, seeded
    history) are never sent to the police as new."""
    routing_claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_action_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When an officer first moved the tip on from "received" (the statistics' time to first
    action): kept by a trigger on report_status_changes (migration 0022), so every way a
    status change is written keeps it, and a year of a province is read without visiting the
    history of each tip."""
    """Routing lease: the process telling the police holds the report until then; another
    process (or the sweep) may take it over only after that, e.g. when the holder died."""

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
