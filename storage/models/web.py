"""Sign-in to the police console (web/): one-time links sent by the bot, and sessions.

Neither table holds a usable secret: a link token and a session cookie are stored as their
SHA-256, so a copy of the database signs nobody in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, CreatedAtMixin
from storage.types import UTCDateTime


class WebLoginToken(CreatedAtMixin, Base):
    """A link ``/login/<token>`` the bot sent to one person: valid a few minutes, once."""

    __tablename__ = "web_login_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WebSession(CreatedAtMixin, Base):
    """A signed-in browser. Ended by logout, by its time running out, or at once when the
    person loses their last police or admin grant (services.grants)."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    """Sent back with every form and POST; useless without the session cookie."""
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    via: Mapped[str] = mapped_column(String(16), default="bot")
    """How the person signed in: ``bot`` (the /web link), ``widget`` (Telegram Login Widget)
    or ``demo`` (the demo page's shortcut)."""
