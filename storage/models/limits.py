"""Rate-limit counters (the database backend of services/rate_limits.py)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class RateLimitHit(Base):
    """Hits of one key (a limit's name and its subject: "lookup:user:12") in one fixed
    window, which starts at ``window_start`` (seconds since the epoch). UNLOGGED on PostgreSQL
    (migration 0019): disposable counters, written by every look-up."""

    __tablename__ = "rate_limit_hits"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    window_end: Mapped[int] = mapped_column(BigInteger, index=True)
    hits: Mapped[int] = mapped_column(Integer, default=0)
