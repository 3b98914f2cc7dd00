"""Scam indicators: phones, bank accounts, links and social profiles named in fraud reports.

One row per indicator (unique on ``(kind, value)``; ``value`` is the canonical key produced by
``services.indicators``), linked to every report that mentions it.  ``IndicatorKind`` and the
plain ``Indicator`` value type live here so the storage layer can take them without importing
services; ``services.indicators`` re-exports both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, CreatedAtMixin
from storage.types import NFCString, UTCDateTime, str_enum

MAX_VALUE_BYTES = 1000
"""Longest canonical value (UTF-8 bytes) that is stored; PostgreSQL b-tree keys must stay
well under 2.7 kB.  Longer values (absurd links) are not stored and so never match."""


class IndicatorKind(StrEnum):
    PHONE = "phone"
    BANK_ACCOUNT = "bank_account"
    URL = "url"
    SOCIAL = "social"


@dataclass(frozen=True, slots=True)
class Indicator:
    kind: IndicatorKind
    value: str  # canonical form, used as the DB key
    display: str  # human-friendly rendering


class ScamIndicator(CreatedAtMixin, Base):
    __tablename__ = "indicators"
    __table_args__ = (
        UniqueConstraint("kind", "value", name="uq_indicators_kind_value"),
        # Statistics count an area's indicators confirmed in a period (migration 0022).
        Index("ix_indicators_area_confirmed", "area_id", "confirmed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[IndicatorKind] = mapped_column(str_enum(IndicatorKind, 16))
    value: Mapped[str] = mapped_column(NFCString(1000))
    display: Mapped[str] = mapped_column(NFCString(1000))
    area_id: Mapped[int | None] = mapped_column(
        ForeignKey("areas.id", ondelete="SET NULL"), index=True
    )
    """Area of the most recent report that mentioned it (denormalised)."""
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    report_count: Mapped[int] = mapped_column(Integer, default=0)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """Set when an officer confirmed this indicator (one by one, never a whole tip's at once) as
    a scam: then `/kiemtra` shows it whoever reported it, and group warnings fire for it."""
    confirmed_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class ReportIndicator(CreatedAtMixin, Base):
    """Which report mentions which indicator (each pair once), and whether the reporter gave it
    as the scammer's."""

    __tablename__ = "report_indicators"
    __table_args__ = (Index("ix_report_indicators_report_id", "report_id"),)

    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True
    )
    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """The reporter gave it as the scammer's at the fraud-details step (and did not untick it
    as their own), so `/kiemtra` may count this report (migration 0018). A number found only
    in the description may be the victim's own: it stays with the police."""


__all__ = [
    "MAX_VALUE_BYTES",
    "Indicator",
    "IndicatorKind",
    "ReportIndicator",
    "ScamIndicator",
]
