"""Where each message showing a tip was sent, so that it is redrawn when the tip changes
(services/tip_cards.py), as advisory copies are recorded per group (advisory_deliveries)."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, CreatedAtMixin


class TipCardMessage(CreatedAtMixin, Base):
    __tablename__ = "tip_cards"
    __table_args__ = (UniqueConstraint("report_id", "chat_id", "message_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16))
    """police (a police chat's card), detail (an inbox card), listing (a /hopthu page),
    reporter (the reporter's /tincuatoi view): services.tip_cards.CardKind."""
    locale: Mapped[str] = mapped_column(String(8))
    viewer_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    """Whose rights the card is drawn with (None: a police chat's, the chat's area)."""
    view: Mapped[str | None] = mapped_column(String(64))
    """What else the message was drawn from (a listing's filter and page)."""
