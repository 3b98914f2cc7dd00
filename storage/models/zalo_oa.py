"""The Zalo Official Account channel: its rotating OAuth tokens, the webhook events received
(stored before they are answered), its followers and the OA-created groups linked to areas."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, CreatedAtMixin, TimestampMixin
from storage.types import UTCDateTime


class ZaloOaToken(TimestampMixin, Base):
    """The OA's current access/refresh pair. Secrets: never logged, never shown. A refresh
    token works once, so the pair is replaced in one transaction before either is used."""

    __tablename__ = "zalo_oa_tokens"

    app_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    access_token: Mapped[str] = mapped_column(Text)
    refresh_token: Mapped[str] = mapped_column(Text)
    access_expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    refresh_expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    seed_fingerprint: Mapped[str] = mapped_column(String(64))
    """sha256 of the refresh token the settings gave: another one there means the operator
    authorized the app again, and the settings' pair replaces the stored one."""
    refreshing_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """One instance refreshes at a time (the others would burn the single-use token)."""
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """Set by the first failed refresh of a streak (the admins are told then, once)."""


class ZaloOaEvent(Base):
    """A webhook event, stored before Zalo gets its 200 and processed after. ``event_key``
    (the msg_id, or name+user+time for events without one) makes a retried event a no-op;
    rows are kept 7 days for that, the body only until the event is processed."""

    __tablename__ = "zalo_oa_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_key: Mapped[str] = mapped_column(String(200), unique=True)
    event_name: Mapped[str] = mapped_column(String(64))
    body: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(200))


class ZaloOaFollower(TimestampMixin, Base):
    """A Zalo user the OA knows (followed it, or wrote to it). Their person is ``users.id``,
    whose home area is their tổ dân phố; the last interaction opens the 7-day window in
    which the OA may answer them."""

    __tablename__ = "zalo_oa_followers"

    oa_user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    following: Mapped[bool] = mapped_column(Boolean, default=False)
    followed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    unfollowed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_interaction_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    area_tag: Mapped[str | None] = mapped_column(String(64))
    """The OA tag last put on them to mirror their tổ dân phố (the area's code) for the
    unit's staff; None: none yet."""


class ZaloOaGroup(CreatedAtMixin, Base):
    """A group the OA created (Group Message Framework); ``chat_id`` is its row in ``chats``
    (type ``zalo_oa_group``), linked to an area like any residents' group."""

    __tablename__ = "zalo_oa_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[str] = mapped_column(String(64), unique=True)
    chat_id: Mapped[int | None] = mapped_column(
        ForeignKey("chats.id", ondelete="SET NULL"), unique=True
    )


class ZaloOaHeld(CreatedAtMixin, Base):
    """A message the OA could not send: the follower's 7-day customer-service window had
    closed. It goes out when they next write to the OA (the window is open again then), and
    is dropped once older than the window itself (stale)."""

    __tablename__ = "zalo_oa_held"

    id: Mapped[int] = mapped_column(primary_key=True)
    oa_user_id: Mapped[str] = mapped_column(
        ForeignKey("zalo_oa_followers.oa_user_id", ondelete="CASCADE"), index=True
    )
    message: Mapped[str] = mapped_column(Text)
    """The OutgoingMessage, JSON (services.message_codec)."""
