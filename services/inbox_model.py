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
from storage.repositories.indicators import ReportLink
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
    indicators: tuple[ReportLink, ...]
    """Every phone, account and link of the tip (police see them all), and whether the
    reporter gave each as the scammer's."""
    relay: tuple[RelayDTO, ...]
    reporter_name: str | None
    """Only for tips that are not anonymous (officers may see a named reporter's name)."""
    review_closing: ReviewClosing | None = None
    """The moderator's decision that closed it, while the police have not undone it."""

    @property
    def can_confirm_scam(self) -> bool:
        """The "confirm scam" button opens the list of the tip's indicators, confirmed (or
        taken back) one by one: never every number of a tip at once."""
        return self.report.kind is ReportKind.FRAUD and bool(self.indicators)


@dataclass(frozen=True, slots=True)
class ScamChoices:
    """A fraud tip's indicators, for an officer confirming them one by one."""

    report: ReportDTO
    links: tuple[ReportLink, ...]


@dataclass(frozen=True, slots=True)
class ActOutcome:
    report: ReportDTO
    action: str
    detail: Any = None
    """Escalation: the new area's name."""


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


SCAM_CHOICE_PREFIX = "tipscam"


def scam_choice_buttons(choices: ScamChoices) -> tuple[tuple[InlineButton, ...], ...]:
    """One button per indicator: confirm it, or take a confirmation back
    (``tipscam:<report id>:<indicator id>:<1|0>``)."""
    rows = []
    for link in choices.links:
        found = link.indicator
        key, flag = (
            ("tipact-scam-unconfirm-one", 0) if found.confirmed else ("tipact-scam-confirm-one", 1)
        )
        data = f"{SCAM_CHOICE_PREFIX}:{choices.report.id}:{found.id}:{flag}"
        rows.append((InlineButton(key, data, label_args={"display": found.display}),))
    return tuple(rows)


def parse_scam_choice(data: str) -> tuple[int, int, bool] | None:
    """``tipscam:<report id>:<indicator id>:<1|0>`` → (report, indicator, confirm)."""
    parts = data.split(":")
    if len(parts) != 4 or parts[0] != SCAM_CHOICE_PREFIX or parts[3] not in ("0", "1"):
        return None
    if any(len(p) > 9 for p in parts[1:3]):
        return None
    report_id, indicator_id = whole_number(parts[1]), whole_number(parts[2])
    if report_id is None or indicator_id is None:
        return None
    return report_id, indicator_id, parts[3] == "1"


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
