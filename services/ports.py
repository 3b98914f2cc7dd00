"""How services reach people without knowing the channel.

A service describes *what* to say (a catalogue key, arguments, buttons) and *to whom*; the
surface's :class:`Sender` (Telegram now, Zalo later) renders it in the recipient's language and
delivers it, reporting back a channel-neutral :class:`DeliveryResult`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from storage.rate_limits import RateHit


@dataclass(frozen=True, slots=True)
class L10n:
    """An argument that is itself a catalogue message (e.g. a category label)."""

    key: str
    args: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Html:
    """An argument that is already safe HTML (not escaped again)."""

    value: str


@dataclass(frozen=True, slots=True)
class InlineButton:
    label_key: str
    data: str | None = None
    url: str | None = None
    label_args: Mapping[str, Any] = field(default_factory=dict)


class MediaKind(StrEnum):
    PHOTO = "photo"
    VIDEO = "video"
    VOICE = "voice"
    DOCUMENT = "document"
    AUDIO = "audio"
    ANIMATION = "animation"


@dataclass(frozen=True, slots=True)
class MediaRef:
    """A file the channel already holds (Telegram file_id), re-sent without re-uploading."""

    kind: MediaKind
    file_id: str


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    key: str
    args: Mapping[str, Any] = field(default_factory=dict)
    buttons: tuple[tuple[InlineButton, ...], ...] = ()
    media: tuple[MediaRef, ...] = ()
    location: tuple[float, float] | None = None
    reply_to_message_id: int | None = None
    silent: bool = False
    pin: bool = False


@dataclass(frozen=True, slots=True)
class Recipient:
    chat_id: int
    locale: str = "vi"
    channel: str = "telegram"


class DeliveryStatus(StrEnum):
    SENT = "sent"
    BLOCKED = "blocked"
    """The user blocked the bot or the bot was removed from the group: stop sending there."""
    NOT_FOUND = "not_found"
    RETRY_LATER = "retry_later"
    """Flood limit, server error or timeout: safe to try again after ``retry_after``."""
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    status: DeliveryStatus
    message_id: int | None = None
    retry_after: float | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is DeliveryStatus.SENT


class Sender(Protocol):
    async def send(self, to: Recipient, message: OutgoingMessage) -> DeliveryResult: ...

    async def delete(self, chat_id: int, message_id: int, channel: str = "telegram") -> bool: ...


class RateLimiter(Protocol):
    """Counts hits per key in fixed windows, shared by every instance of the bot (the
    database, or Redis: storage/rate_limits.py). :mod:`services.rate_limits` says which
    limits exist and what a refusal says."""

    async def hit(self, key: str, amount: int, window_seconds: int) -> RateHit: ...

    async def close(self) -> None: ...
