"""How services reach people without knowing the channel.

A service describes *what* to say (a catalogue key, arguments, buttons) and *to whom*; the
surface's :class:`Sender` (Telegram now, Zalo later) renders it in the recipient's language and
delivers it, reporting back a channel-neutral :class:`DeliveryResult`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from storage.rate_limits import RateHit

if TYPE_CHECKING:
    from services.inbox_model import InboxPage, TipCard
    from services.tip_followup import ReportDetail


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

    async def edit(
        self, to: Recipient, message_id: int, message: OutgoingMessage
    ) -> DeliveryResult:
        """Redraw a message the bot sent (its text or caption, and its buttons). SENT also when
        nothing changed; NOT_FOUND when it can no longer be edited (deleted, too old, a
        channel whose messages cannot be edited)."""
        ...


class CardKind(StrEnum):
    """The messages that show a tip, each redrawn when the tip changes
    (:mod:`services.tip_cards`)."""

    POLICE = "police"
    """The card in a police work chat (routing's new-tip card, or one opened there): people
    work from it, so one that can no longer be edited is sent anew."""
    DETAIL = "detail"
    """An inbox card in an officer's private chat."""
    LISTING = "listing"
    """A /hopthu page: several tips."""
    REPORTER = "reporter"
    """The reporter's own view of their tip (/tincuatoi)."""


class TipCardRenderer(Protocol):
    """How a surface draws what shows a tip; :class:`Sender.edit` and :class:`Sender.send`
    deliver the result. Rendering stays in the surface (handlers/)."""

    def card(self, card: TipCard, locale: str) -> OutgoingMessage:
        """An officer's card: the tip, its history and the buttons its status allows."""
        ...

    def listing(self, page: InboxPage, locale: str) -> OutgoingMessage:
        """A /hopthu page: its tips' lines and its buttons (filters, open, paging)."""
        ...

    def reporter(
        self, detail: ReportDetail, place: str | None, locale: str
    ) -> OutgoingMessage: ...


class RateLimiter(Protocol):
    """Counts hits per key in fixed windows, shared by every instance of the bot (the
    database, or Redis: storage/rate_limits.py). :mod:`services.rate_limits` says which
    limits exist and what a refusal says."""

    async def hit(self, key: str, amount: int, window_seconds: int) -> RateHit: ...

    async def close(self) -> None: ...
