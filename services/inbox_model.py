"""The police inbox's plain parts: its constants, the error and result types, the buttons of
a tip card and of a new-tip notification, and the parsing of the buttons' callback data.

No storage and no sending here: :mod:`services.inbox` (the service) and
:mod:`services.inbox_actions` (its checks and actions) use them, and the chat surfaces render
a :class:`TipCard` and parse callbacks with them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from services.access import Profile
from services.categories import is_police_only
from services.errors import AnninhError
from services.ports import InlineButton
from services.text_input import whole_number
from storage.dto import AreaDTO
from storage.dto_tips import AttachmentDTO, ReportDTO
from storage.models import ReportKind, ReportStatus
from storage.repositories.inbox import OPEN_STATUSES, ReviewClosing
from storage.repositories.indicators import IndicatorDTO
from storage.repositories.relay import RelayDTO

PAGE_SIZE = 5
MAX_NOTE = 1000
ACTIONS = (
    "verify",
    "handled",
    "reject",
    "escalate",
    "reply",
    "scam",
    "review",
    "nonote",
    "helpful",
    "restore",
)
"""Callback actions ``tip:<action>:<report id>[:<version>]`` (the first five are also on the
new-tip notifications of the tips feature)."""
STATUS_CODES: dict[str, ReportStatus | None] = {
    "a": None,
    "r": ReportStatus.RECEIVED,
    "v": ReportStatus.VERIFYING,
    "h": ReportStatus.HANDLED,
    "x": ReportStatus.REJECTED,
}
"""Short status codes of the inbox filter buttons (``a`` = all)."""


class Scams(Protocol):
    async def confirm(
        self, target: int | str, actor: Profile, *, confirmed: bool = True
    ) -> Any: ...


class AlreadyHandled(AnninhError):
    """Someone acted on the tip first (or the button is older than the tip's state)."""

    message_key = "tipact-already"


@dataclass(frozen=True, slots=True)
class InboxEntry:
    report: ReportDTO
    area_name: str | None
    needs_review: bool
    closed_by_review: bool = False
    """A moderator rejected (or merged) it from the review queue; the police may restore it."""


@dataclass(frozen=True, slots=True)
class InboxPage:
    entries: tuple[InboxEntry, ...]
    page: int
    pages: int
    total: int
    status: str
    """Short status code (see :data:`STATUS_CODES`)."""
    category: str
    """Category code, or ``all``."""


@dataclass(frozen=True, slots=True)
class HistoryLine:
    status: ReportStatus
    actor_name: str | None
    note: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class TipCard:
    report: ReportDTO
    lineage: tuple[AreaDTO, ...]
    history: tuple[HistoryLine, ...]
    attachments: tuple[AttachmentDTO, ...]
    needs_review: bool
    indicators: tuple[IndicatorDTO, ...]
    relay: tuple[RelayDTO, ...]
    reporter_name: str | None
    """Only for tips that are not anonymous (officers may see a named reporter's name)."""
    review_closing: ReviewClosing | None = None
    """The moderator's decision that closed it, while the police have not undone it."""

    @property
    def can_confirm_scam(self) -> bool:
        return self.report.kind is ReportKind.FRAUD and any(
            not i.confirmed for i in self.indicators
        )


@dataclass(frozen=True, slots=True)
class ActOutcome:
    report: ReportDTO
    action: str
    detail: Any = None
    """Escalation: the new area's name; scam confirmation: how many indicators changed."""


@dataclass(frozen=True, slots=True)
class Checked:
    report: ReportDTO
    area: AreaDTO | None


def notification_buttons(report_id: int) -> tuple[tuple[InlineButton, ...], ...]:
    """The same buttons as the tips feature's new-tip notification (no version: the state
    is checked when pressed)."""
    return (
        (
            InlineButton("tip-action-verify", f"tip:verify:{report_id}"),
            InlineButton("tip-action-handled", f"tip:handled:{report_id}"),
        ),
        (
            InlineButton("tip-action-reject", f"tip:reject:{report_id}"),
            InlineButton("tip-action-escalate", f"tip:escalate:{report_id}"),
        ),
        (InlineButton("tip-action-reply", f"tip:reply:{report_id}"),),
    )


def card_buttons(card: TipCard) -> tuple[tuple[InlineButton, ...], ...]:
    """Buttons of an inbox card: each carries the version the officer is looking at."""
    r = card.report
    tail = f"{r.id}:{r.version}"
    rows: list[tuple[InlineButton, ...]] = []
    if r.status is ReportStatus.RECEIVED:
        rows.append((InlineButton("tipact-button-verify", f"tip:verify:{tail}"),))
    if r.status in OPEN_STATUSES:
        rows.append(
            (
                InlineButton("tipact-button-handled", f"tip:handled:{tail}"),
                InlineButton("tipact-button-reject", f"tip:reject:{tail}"),
            )
        )
        rows.append((InlineButton("tipact-button-escalate", f"tip:escalate:{tail}"),))
    rows.append((InlineButton("tipact-button-reply", f"tip:reply:{tail}"),))
    extra: list[InlineButton] = []
    if card.can_confirm_scam:
        extra.append(InlineButton("tipact-button-scam", f"tip:scam:{tail}"))
    if r.status in OPEN_STATUSES and not card.needs_review and not is_police_only(r.category):
        extra.append(InlineButton("tipact-button-review", f"tip:review:{tail}"))
    if r.status is ReportStatus.REJECTED and card.review_closing is not None:
        extra.append(InlineButton("tipact-button-restore", f"tip:restore:{tail}"))
    if r.status is ReportStatus.HANDLED:
        extra.append(InlineButton("tipact-button-helpful", f"tip:helpful:{tail}"))
    if extra:
        rows.append(tuple(extra))
    return tuple(rows)


def parse_callback(data: str) -> tuple[str, int, int | None] | None:
    """``tip:<action>:<id>[:<version>]`` → (action, id, version); None when malformed."""
    parts = data.split(":")
    if len(parts) not in (3, 4) or parts[0] != "tip" or parts[1] not in ACTIONS:
        return None
    if any(len(p) > 9 for p in parts[2:]):
        return None
    report_id = whole_number(parts[2])
    version = whole_number(parts[3]) if len(parts) == 4 else None
    if report_id is None or (len(parts) == 4 and version is None):
        return None
    return parts[1], report_id, version


def categories_cycle(current: str, codes: Sequence[str]) -> str:
    """The next category of the inbox filter button (``all`` first)."""
    order = ["all", *codes]
    try:
        return order[(order.index(current) + 1) % len(order)]
    except ValueError:
        return "all"
