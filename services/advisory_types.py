"""Advisory value types: the officer's draft and its limits, the target picker's level, and
the results the service hands back (a wake-up's advance, a run's plan and summary, a
retraction); plus how a stored advisory reads as a schedule and as the residents' message.

Part of :mod:`services.advisories`, which re-exports the names importers use.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from services.ports import Html, L10n, MediaKind, MediaRef, OutgoingMessage, Recipient
from services.schedule_text import Schedule
from storage.dto import AreaDTO
from storage.repositories.advisories import AdvisoryDTO
from storage.repositories.advisory_runs import DeliveryDTO, RunDTO

TEXT_LIMIT = 4000
"""Telegram allows 4096 UTF-16 units; keep room for the entities' markup."""
SEND_NOW_SLACK = timedelta(minutes=5)
MEDIA_KINDS = {MediaKind.PHOTO.value, MediaKind.DOCUMENT.value}
MAX_OCCURRENCES_SCANNED = 400
"""Catching up after a long outage: older occurrences than this many are not even recorded."""


class ScheduleListener(Protocol):
    async def advisory_changed(self, advisory_id: int) -> None: ...


class ScheduleChanges:
    """Where :class:`services.advisories.AdvisoryService` says an advisory was created or
    changed: built with the services and given to the service, while the advisory scheduler
    of this process listens from its start to its stop (other processes, and this one when
    not listening, catch up at their next lease tick)."""

    def __init__(self) -> None:
        self._listener: ScheduleListener | None = None

    def listen(self, listener: ScheduleListener | None) -> None:
        """Start (a listener) or stop (None) hearing of changes."""
        self._listener = listener

    async def advisory_changed(self, advisory_id: int) -> None:
        if self._listener is not None:
            await self._listener.advisory_changed(advisory_id)


TargetSource = Callable[[Any, AreaDTO], Awaitable[list[tuple[int, int]]]]


@dataclass(frozen=True, slots=True)
class AdvisoryDraft:
    text: str
    schedule: Schedule
    area_id: int | None = None
    chat_ids: tuple[int, ...] = ()
    media_kind: str | None = None
    media_file_id: str | None = None
    pin: bool = False
    silent: bool = False


@dataclass(frozen=True, slots=True)
class AreaLevel:
    parent: AreaDTO | None
    """None: the officer's own top areas."""
    areas: list[AreaDTO]
    up_allowed: bool


@dataclass(frozen=True, slots=True)
class Advance:
    """What a wake-up found: a run to deliver now, and occurrences recorded as missed."""

    run: RunDTO | None = None
    missed: tuple[datetime, ...] = ()
    author: Recipient | None = None


@dataclass(frozen=True, slots=True)
class RunPlan:
    run: RunDTO
    advisory: AdvisoryDTO
    message: OutgoingMessage
    locale: str
    pending: list[DeliveryDTO] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RunSummary:
    author: Recipient | None
    message: OutgoingMessage


@dataclass(frozen=True, slots=True)
class RetractResult:
    deleted: int
    total: int
    stopped: int = 0
    """Copies of a run still going that were not sent (or are deleted as their send returns)."""


def schedule_of(advisory: AdvisoryDTO) -> Schedule:
    return Schedule(
        recurrence=advisory.recurrence,
        run_at=advisory.run_at,
        time_of_day=advisory.time_of_day,
        weekdays=advisory.weekdays,
        month_day=advisory.month_day,
        until=date.fromisoformat(advisory.until) if advisory.until else None,
    )


TIME = "%H:%M %d/%m/%Y"
"""How an advisory's time is shown (local time, Asia/Ho_Chi_Minh)."""


def message_of(advisory: AdvisoryDTO, unit: L10n | str, time: str) -> OutgoingMessage:
    """Exactly what residents see (the preview uses it too): who warns (``unit``, the police
    unit "phường Thống Nhất") and when (``time``, local), then the officer's text."""
    media: tuple[MediaRef, ...] = ()
    if advisory.media_kind and advisory.media_file_id:
        media = (MediaRef(MediaKind(advisory.media_kind), advisory.media_file_id),)
    return OutgoingMessage(
        "adv-message",
        {"text": Html(advisory.text), "unit": unit or L10n("relay-unit-unknown"), "time": time},
        media=media,
        silent=advisory.silent,
        pin=advisory.pin,
    )


def _title(text: str) -> str:
    plain = re.sub(r"<[^>]+>", "", text)
    plain = " ".join(plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").split())
    return plain[:60] + ("…" if len(plain) > 60 else "")
