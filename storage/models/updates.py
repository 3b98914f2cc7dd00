"""Telegram updates and Zalo events the bot has finished handling (see services/updates.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import UTCDateTime


class HandledUpdate(Base):
    __tablename__ = "handled_updates"

    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    """Each bot numbers its own updates: a second bot (or a new token) on this database
    must not have its updates taken for the first one's. Zalo bots are recorded under
    negative ids (zalo/runtime.py), so they never meet a Telegram bot's."""
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    handled_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
