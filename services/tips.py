"""The residents' tip intake: a guided draft, stored before answering, routed to the police
of the area, and followed by the reporter as its status changes.

A draft is one row per user in ``tip_drafts`` (not PTB memory), so a half-written tip survives
a restart. Each method is one short transaction; notifications go out only after the commit.
Identity rule: an anonymous tip shows nobody the reporter's name, username or id; a named tip
shows the reporter's *name* to the police only. Logs name reports by id, never people.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar, overload
from zoneinfo import ZoneInfo

from services.access import Profile
from services.categories import Category, label_key, parse_category
from services.channels import recipient_for
from services.errors import AnninhError, InvalidInput, NotFound, PermissionDenied, RateLimited
from services.indicators import extract_indicators
from services.ports import (
    DeliveryStatus,
    InlineButton,
    L10n,
    MediaKind,
    MediaRef,
    OutgoingMessage,
    Recipient,
    Sender,
)
from services.text_input import clip, has_visible
from services.users import UserService
from storage.dto import AreaDTO, UserDTO
from storage.dto_tips import AttachmentDTO, DraftRow, ReportDTO, StatusChangeDTO
from storage.hotpath import HotPath, SessionHotPath
from storage.models import AreaKind, ChatPurpose, ReportKind, ReportStatus, Role
from storage.repositories.areas import AreaRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.chats import ChatRepository
from storage.repositories.grants import GrantRepository
from storage.repositories.indicators import IndicatorRepository
from storage.repositories.tips import (
    StaleReport,
    TipDraftRepository,
    TipRepository,
    read_draft,
    write_draft_over,
)
from storage.repositories.users import UserRepository
from storage.types import utcnow
from storage.uow import Session, Sessions, StorageUnavailable, transaction

logger = logging.getLogger(__name__)

MAX_TEXT = 3500
"""Description limit: a police message with the summary must fit Telegram's 4096 characters."""
MAX_ADDRESS = 300
MAX_FRAUD_DETAILS = 1000
MAX_NOTE = 1000
MAX_ATTACHMENTS = 20
"""Per tip: enough for an album or two, not enough to flood a police chat."""
PAGE_SIZE = 5
POLICE_SUMMARY = 2500
CODE_PREFIX = {ReportKind.TIP: "TB", ReportKind.FRAUD: "LD"}
TAKEN_KEPT = 30
"""Message keys a draft remembers: more than a burst that can be delivered again at once."""
STEP_ATTEMPTS = 25
"""A step redone this often because the draft changed under it each time is given up (the
user is told to try again). Each round one of the racing steps wins, so this covers an album
of 20 photos arriving at once on several instances; only a runaway writer could exhaust it."""
R = TypeVar("R")

ALLOWED_TRANSITIONS: dict[ReportStatus, frozenset[ReportStatus]] = {
    ReportStatus.RECEIVED: frozenset(
        {ReportStatus.VERIFYING, ReportStatus.HANDLED, ReportStatus.REJECTED}
    ),
    ReportStatus.VERIFYING: frozenset(
        {ReportStatus.HANDLED, ReportStatus.REJECTED, ReportStatus.RECEIVED}
    ),
    ReportStatus.HANDLED: frozenset({ReportStatus.VERIFYING}),
    ReportStatus.REJECTED: frozenset({ReportStatus.VERIFYING}),
}
"""Closed reports can be reopened (back to verifying), never silently flipped."""

POLICE_ACTIONS = ("verify", "handled", "reject", "escalate", "reply")


class Step(StrEnum):
    OFFER = "offer"
    """Free text was offered as a tip; not started yet."""
    CATEGORY = "category"
    DESCRIPTION = "description"
    FRAUD = "fraud"
    LOCATION = "location"
    AREA = "area"
    ANONYMITY = "anonymity"
    CONFIRM = "confirm"


EDITABLE = (Step.CATEGORY, Step.DESCRIPTION, Step.FRAUD, Step.LOCATION, Step.AREA, Step.ANONYMITY)


@dataclass(frozen=True, slots=True)
class DraftAttachment:
    kind: MediaKind
    file_id: str
    file_unique_id: str | None = None
    mime_type: str | None = None
    media_group_id: str | None = None


@dataclass(frozen=True, slots=True)
class Draft:
    step: Step
    category: Category | None = None
    text: str = ""
    attachments: tuple[DraftAttachment, ...] = ()
    latitude: float | None = None
    longitude: float | None = None
    address: str | None = None
    area_id: int | None = None
    anonymous: bool | None = None
    fraud_details: str | None = None
    editing: bool = False
    taken: tuple[str, ...] = ()
    """Keys of the last messages taken into the description (TAKEN_KEPT of them): a message
    handled again (Telegram delivers it again after a crash) is not added twice."""
    updated_at: datetime | None = field(default=None, compare=False)
    version: int = field(default=0, compare=False)
    """The stored version this draft was read at (see :meth:`TipService._change`)."""

    @property
    def has_content(self) -> bool:
        return bool(self.attachments) or has_visible(self.text)

    @property
    def is_fraud(self) -> bool:
        return self.category is Category.ONLINE_FRAUD

    def to_data(self) -> dict[str, Any]:
        return {
            "category": self.category.value if self.category else None,
            "text": self.text,
            "attachments": [
                {
                    "kind": a.kind.value,
                    "file_id": a.file_id,
                    "file_unique_id": a.file_unique_id,
                    "mime_type": a.mime_type,
                    "media_group_id": a.media_group_id,
                }
                for a in self.attachments
            ],
            "latitude": self.latitude,
            "longitude": self.longitude,
            "address": self.address,
            "area_id": self.area_id,
            "anonymous": self.anonymous,
            "fraud_details": self.fraud_details,
            "editing": self.editing,
            "taken": list(self.taken),
        }

    @classmethod
    def from_row(cls, row: DraftRow) -> Draft:
        step, data = row.step, row.data
        attachments = []
        for item in data.get("attachments") or []:
            try:
                attachments.append(
                    DraftAttachment(
                        MediaKind(item["kind"]),
                        str(item["file_id"]),
                        item.get("file_unique_id"),
                        item.get("mime_type"),
                        item.get("media_group_id"),
                    )
                )
            except (KeyError, ValueError, TypeError):
                continue
        try:
            parsed_step = Step(step)
        except ValueError:
            parsed_step = Step.CATEGORY
        return cls(
            step=parsed_step,
            category=parse_category(data.get("category")),
            text=str(data.get("text") or ""),
            attachments=tuple(attachments),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            address=data.get("address"),
            area_id=data.get("area_id"),
            anonymous=data.get("anonymous"),
            fraud_details=data.get("fraud_details"),
            editing=bool(data.get("editing")),
            taken=tuple(str(k) for k in data.get("taken") or ()),
            updated_at=row.updated_at,
            version=row.version,
        )


def _taken(draft: Draft, message_key: str | None) -> tuple[str, ...]:
    if message_key is None:
        return draft.taken
    return (*draft.taken, message_key)[-TAKEN_KEPT:]


class WrongStep(InvalidInput):
    """The input belongs to another step (an old button, a photo while choosing the area...).
    The surface re-asks the question of ``draft.step``."""

    message_key = "tip-wrong-step"

    def __init__(self, draft: Draft) -> None:
        super().__init__()
        self.draft = draft


class StatusConflict(AnninhError):
    message_key = "tip-status-conflict"


@dataclass(frozen=True, slots=True)
class TextAccepted:
    draft: Draft
    truncated: bool
    limit: int


@dataclass(frozen=True, slots=True)
class AttachmentAccepted:
    draft: Draft
    acknowledge: bool
    """False for the 2nd, 3rd... item of an album: one acknowledgement per album is enough."""
    album: bool


@dataclass(frozen=True, slots=True)
class Routing:
    delivered: int
    police_found: bool
    retry: bool = False
    """Nobody was reached and a channel said to try again later (flood limit, timeout,
    server error): the report stays due and a later routing sweep tries again."""


@dataclass(frozen=True, slots=True)
class Submitted:
    report: ReportDTO
    routing: Routing


@dataclass(frozen=True, slots=True)
class ReportPage:
    items: tuple[ReportDTO, ...]
    page: int
    pages: int
    total: int


@dataclass(frozen=True, slots=True)
class ReportDetail:
    report: ReportDTO
    area: AreaDTO | None
    history: tuple[StatusChangeDTO, ...]
    attachments: int


class TipService:
    def __init__(
        self,
        sessions: Sessions,
        sender: Sender,
        users: UserService,
        *,
        tips_per_hour: int,
        admin_ids: frozenset[int],
        default_language: str,
        tz: ZoneInfo,
        hot: HotPath | None = None,
    ) -> None:
        self._sessions = sessions
        self._hot = hot or SessionHotPath(sessions)
        self._sender = sender
        self._users = users
        self._tips_per_hour = tips_per_hour
        self._admin_ids = admin_ids
        self._default_language = default_language
        self._tz = tz
        self.after_store: list[Callable[[ReportDTO], Awaitable[object]]] = []
        """Called with each newly stored tip before it is routed (the police side screens
        it for review there); a failing hook is logged, never blocks the tip."""

    # -- drafts ---------------------------------------------------------------------------
    # A step is one read (storage.hotpath) and one conditional write: the draft is written only
    # over the version that was read, so two steps racing on one draft (a double-tapped
    # button, two bot instances) never silently drop one of the answers.
    async def current(self, user_id: int) -> Draft | None:
        row = await read_draft(self._hot, user_id)
        return Draft.from_row(row) if row else None

    async def _change(
        self,
        user_id: int,
        change: Callable[[Draft], tuple[Draft, R]],
        seen: Draft | None = None,
    ) -> tuple[Draft, R]:
        """Apply one step to the draft: ``change`` gets the draft as stored and returns the
        new draft and whatever the caller reports back (it raises WrongStep or InvalidInput
        to refuse). When another step wrote in between, it is applied again to the fresh
        draft, so both answers are kept or the second one is refused for the new step.
        ``seen``: the draft the caller has just read (saves reading it again; if it is no
        longer current, the write misses and the step is redone on the fresh one)."""
        for _ in range(STEP_ATTEMPTS):
            draft, seen = seen or await self.current(user_id), None
            if draft is None or draft.step is Step.OFFER:
                raise NotFound("tip-no-draft")
            new, outcome = change(draft)
            row = await write_draft_over(
                self._hot, user_id, new.step.value, new.to_data(), version=draft.version
            )
            if row is not None:
                return replace(new, updated_at=row.updated_at, version=row.version), outcome
        raise StorageUnavailable("tip draft kept changing")

    async def _step(self, user_id: int, change: Callable[[Draft], Draft]) -> Draft:
        draft, _ = await self._change(user_id, lambda d: (change(d), None))
        return draft

    async def _load(self, session: Session, user_id: int) -> Draft:
        row = await TipDraftRepository(session).get(user_id)
        if row is None or row.step == Step.OFFER:
            raise NotFound("tip-no-draft")
        return Draft.from_row(row)

    @overload
    @staticmethod
    async def _save(session: Session, user_id: int, draft: Draft) -> Draft: ...

    @overload
    @staticmethod
    async def _save(
        session: Session, user_id: int, draft: Draft, *, over: Draft
    ) -> Draft | None: ...

    @staticmethod
    async def _save(
        session: Session, user_id: int, draft: Draft, *, over: Draft | None = None
    ) -> Draft | None:
        """Write ``draft``; with ``over``, only if the stored one is still that (else None)."""
        row = await TipDraftRepository(session).save(
            user_id,
            draft.step.value,
            draft.to_data(),
            over_version=over.version if over is not None else None,
        )
        if row is None:
            return None
        return replace(draft, updated_at=row.updated_at, version=row.version)

    async def _save_over(self, session: Session, user_id: int, new: Draft, read: Draft) -> Draft:
        """Inside a transaction that read ``read``: a concurrent step makes this one stale,
        and the surface re-asks the step the draft is now at."""
        saved = await self._save(session, user_id, new, over=read)
        if saved is None:
            fresh = await self._load(session, user_id)
            raise WrongStep(fresh)
        return saved

    @staticmethod
    def _expect(draft: Draft, *steps: Step) -> None:
        if draft.step not in steps:
            raise WrongStep(draft)

    @staticmethod
    def _after(draft: Draft, done: Step) -> Step:
        """The step that follows ``done`` (back to the summary when editing one answer)."""
        if draft.editing:
            return Step.CONFIRM
        order = [Step.CATEGORY, Step.DESCRIPTION, Step.FRAUD, Step.LOCATION, Step.AREA]
        order += [Step.ANONYMITY, Step.CONFIRM]
        for step in order[order.index(done) + 1 :]:
            if step is Step.FRAUD and not draft.is_fraud:
                continue
            return step
        return Step.CONFIRM

    async def _check_rate(self, session: Session, user_id: int) -> None:
        now = utcnow()
        since = now - timedelta(hours=1)
        repo = TipRepository(session)
        if await repo.count_by_reporter_since(user_id, since) < self._tips_per_hour:
            return
        oldest = await repo.oldest_by_reporter_since(user_id, since) or now
        minutes = max(1, int((oldest + timedelta(hours=1) - now).total_seconds() // 60) + 1)
        raise RateLimited("tip-rate-limited", limit=self._tips_per_hour, minutes=minutes)

    async def begin(
        self, user_id: int, *, category: str | None = None, text: str | None = None
    ) -> Draft:
        """Start a new tip (replacing any draft). ``category`` presets it (fraud alerts);
        ``text`` is a description already written (a free message accepted as a tip)."""
        async with transaction(self._sessions) as session:
            await self._check_rate(session, user_id)
            preset = parse_category(category) if category else None
            if text is None:
                row = await TipDraftRepository(session).get(user_id)
                if row is not None and row.step == Step.OFFER:
                    text = str(row.data.get("text") or "")
            body = clip(text or "", MAX_TEXT).text
            draft = Draft(
                step=Step.DESCRIPTION if preset else Step.CATEGORY, category=preset, text=body
            )
            return await self._save(session, user_id, draft)

    async def offer(self, user_id: int, text: str) -> tuple[Draft, bool]:
        """Keep a free message while the user decides whether it is a tip.
        Returns the offer and whether the text had to be shortened."""
        clipped = clip(text, MAX_TEXT)
        if not has_visible(clipped.text):
            raise InvalidInput("tip-empty-text")
        async with transaction(self._sessions) as session:
            draft = Draft(step=Step.OFFER, text=clipped.text)
            return await self._save(session, user_id, draft), clipped.truncated

    async def cancel(self, user_id: int) -> bool:
        """Drop the draft (or a pending offer). False when there was nothing to drop."""
        async with transaction(self._sessions) as session:
            return await TipDraftRepository(session).delete(user_id)

    async def choose_category(self, user_id: int, code: str) -> Draft:
        category = parse_category(code)
        if category is None:
            raise InvalidInput("tip-category-unknown")

        def change(draft: Draft) -> Draft:
            self._expect(draft, Step.CATEGORY)
            fraud = draft.fraud_details if category.is_fraud else None
            draft = replace(draft, category=category, fraud_details=fraud)
            draft = replace(draft, step=Step.DESCRIPTION if not draft.editing else Step.CONFIRM)
            if draft.editing and category.is_fraud and fraud is None:
                draft = replace(draft, step=Step.FRAUD)
            return draft

        return await self._step(user_id, change)

    async def add_text(
        self,
        user_id: int,
        text: str,
        *,
        seen: Draft | None = None,
        message_key: str | None = None,
    ) -> TextAccepted:
        """Append a message to the description (several messages make one description).
        ``seen``: the draft the surface just read to route the message here.
        ``message_key``: the channel's id of the message; one already taken is not added again."""
        added = clip(text, MAX_TEXT)

        def change(draft: Draft) -> tuple[Draft, bool]:
            self._expect(draft, Step.DESCRIPTION)
            if not has_visible(added.text):
                raise InvalidInput("tip-empty-text")
            if message_key is not None and message_key in draft.taken:
                return draft, False
            combined = f"{draft.text}\n{added.text}" if draft.text else added.text
            clipped = clip(combined, MAX_TEXT)
            new = replace(draft, text=clipped.text, taken=_taken(draft, message_key))
            return new, clipped.truncated or added.truncated

        draft, truncated = await self._change(user_id, change, seen)
        return TextAccepted(draft, truncated, MAX_TEXT)

    async def add_attachment(
        self,
        user_id: int,
        item: DraftAttachment,
        caption: str | None = None,
        *,
        seen: Draft | None = None,
        message_key: str | None = None,
    ) -> AttachmentAccepted:
        """Add a photo, video, voice… (with its caption) to the description; the same file
        sent again, or the same message handled again, is not added twice."""

        def change(draft: Draft) -> tuple[Draft, bool]:
            self._expect(draft, Step.DESCRIPTION)
            if (message_key is not None and message_key in draft.taken) or (
                item.file_unique_id is not None
                and any(a.file_unique_id == item.file_unique_id for a in draft.attachments)
            ):
                return draft, True  # acknowledged when it was taken
            if len(draft.attachments) >= MAX_ATTACHMENTS:
                raise InvalidInput("tip-too-many-attachments", limit=MAX_ATTACHMENTS)
            in_album = item.media_group_id is not None and any(
                a.media_group_id == item.media_group_id for a in draft.attachments
            )
            text = draft.text
            if caption and has_visible(caption):
                text = clip(f"{text}\n{caption}" if text else caption, MAX_TEXT).text
            new = replace(
                draft,
                attachments=(*draft.attachments, item),
                text=text,
                taken=_taken(draft, message_key),
            )
            return new, in_album

        draft, in_album = await self._change(user_id, change, seen)
        album = item.media_group_id is not None
        return AttachmentAccepted(draft, acknowledge=not in_album, album=album)

    async def finish_description(self, user_id: int) -> Draft:
        def change(draft: Draft) -> Draft:
            self._expect(draft, Step.DESCRIPTION)
            if not draft.has_content:
                raise InvalidInput("tip-empty")
            draft = replace(draft, step=self._after(draft, Step.DESCRIPTION))
            if draft.editing and draft.is_fraud and draft.fraud_details is None:
                draft = replace(draft, step=Step.CONFIRM)
            return draft

        return await self._step(user_id, change)

    async def set_fraud_details(self, user_id: int, text: str | None) -> TextAccepted:
        """The scammer's phones, accounts, links (free text), or None to skip."""
        clipped = clip(text or "", MAX_FRAUD_DETAILS)
        details = clipped.text if has_visible(clipped.text) else None

        def change(draft: Draft) -> Draft:
            self._expect(draft, Step.FRAUD)
            if text is not None and details is None:
                raise InvalidInput("tip-empty-text")
            draft = replace(draft, fraud_details=details)
            return replace(draft, step=self._after(draft, Step.FRAUD))

        draft = await self._step(user_id, change)
        return TextAccepted(draft, clipped.truncated, MAX_FRAUD_DETAILS)

    async def set_location(self, user_id: int, latitude: float, longitude: float) -> Draft:
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise InvalidInput("tip-location-invalid")

        def change(draft: Draft) -> Draft:
            self._expect(draft, Step.LOCATION)
            draft = replace(draft, latitude=latitude, longitude=longitude)
            return replace(draft, step=self._after(draft, Step.LOCATION))

        return await self._step(user_id, change)

    async def set_address(self, user_id: int, text: str) -> TextAccepted:
        clipped = clip(text, MAX_ADDRESS)

        def change(draft: Draft) -> Draft:
            self._expect(draft, Step.LOCATION)
            if not has_visible(clipped.text):
                raise InvalidInput("tip-empty-text")
            draft = replace(draft, address=clipped.text)
            return replace(draft, step=self._after(draft, Step.LOCATION))

        draft = await self._step(user_id, change)
        return TextAccepted(draft, clipped.truncated, MAX_ADDRESS)

    async def skip_location(self, user_id: int) -> Draft:
        def change(draft: Draft) -> Draft:
            self._expect(draft, Step.LOCATION)
            draft = replace(draft, latitude=None, longitude=None, address=None)
            return replace(draft, step=self._after(draft, Step.LOCATION))

        return await self._step(user_id, change)

    async def choose_area(self, user_id: int, area_id: int) -> Draft:
        """Choose the tổ dân phố (remembered as the user's home area for next time)."""
        async with transaction(self._sessions) as session:
            draft = await self._load(session, user_id)
            self._expect(draft, Step.AREA)
            area = await AreaRepository(session).get(area_id)
            if area is None or area.kind is not AreaKind.RESIDENTIAL_GROUP:
                raise InvalidInput("tip-area-invalid")
            await UserRepository(session).set_home_area(user_id, area.id)
            new = replace(draft, area_id=area.id)
            new = replace(new, step=self._after(new, Step.AREA))
            return await self._save_over(session, user_id, new, draft)

    async def skip_area(self, user_id: int) -> Draft:
        """Only when no area exists at all (a fresh install): the tip goes to the admins."""
        async with transaction(self._sessions) as session:
            draft = await self._load(session, user_id)
            self._expect(draft, Step.AREA)
            if await AreaRepository(session).count() > 0:
                raise WrongStep(draft)
            new = replace(draft, area_id=None, step=self._after(draft, Step.AREA))
            return await self._save_over(session, user_id, new, draft)

    async def set_anonymous(self, user_id: int, anonymous: bool) -> Draft:
        def change(draft: Draft) -> Draft:
            self._expect(draft, Step.ANONYMITY)
            return replace(draft, anonymous=anonymous, step=Step.CONFIRM)

        return await self._step(user_id, change)

    async def edit(self, user_id: int, step: str) -> Draft:
        """From the summary, go back to one answer; after it the summary is shown again."""
        try:
            target = Step(step)
        except ValueError:
            raise InvalidInput("tip-category-unknown") from None

        def change(draft: Draft) -> Draft:
            self._expect(draft, Step.CONFIRM)
            if target not in EDITABLE or (target is Step.FRAUD and not draft.is_fraud):
                raise WrongStep(draft)
            if target is Step.DESCRIPTION:
                draft = replace(draft, text="")
            return replace(draft, step=target, editing=True)

        return await self._step(user_id, change)

    async def area_name(self, area_id: int | None) -> str | None:
        if area_id is None:
            return None
        async with transaction(self._sessions) as session:
            area = await AreaRepository(session).get(area_id)
        return area.name if area else None

    # -- submitting -------------------------------------------------------------------------
    # Routing is an outbox: a report is stored due for routing (reports.routed_at NULL) and
    # marked routed once told; whoever tells the police first takes a lease on the report
    # (reports.routing_claimed_until), so the background routing, the periodic sweep
    # (route_pending) and other instances never tell them twice at the same time.
    routing_grace_seconds: float = 30.0
    """The sweep leaves a report alone this long after it was stored: the surface's own
    routing, started right after the commit, normally takes it first."""
    routing_lease_seconds: float = 600.0
    """How long a routing lease holds: longer than one delivery can take behind the police
    chat's flood limit, since another process may take the report over after that (a
    holder that died mid-delivery)."""
    routing_enabled: bool = True
    """False in a process that cannot reach the police at all (Zalo alone, no Telegram):
    its tips stay due and the Telegram process's sweep routes them."""

    async def submit(self, user_id: int, *, route: bool = True) -> Submitted:
        """Store the tip (committed before anyone is told), then route it to the police.

        ``route=False``: the caller routes it with :meth:`route` itself (the chat surface does
        it in the background, so the resident's confirmation and everybody else's updates never
        wait for the police chat's flood limit of 20 messages a minute). If the process dies
        before that, the report is still due and :meth:`route_pending` routes it."""
        async with transaction(self._sessions) as session:
            draft = await self._load(session, user_id)
            self._expect(draft, Step.CONFIRM)
            if not draft.has_content:
                raise InvalidInput("tip-empty")
            await self._check_rate(session, user_id)
            category = draft.category or Category.OTHER
            kind = ReportKind.FRAUD if category.is_fraud else ReportKind.TIP
            repo = TipRepository(session)
            report = await repo.add(
                kind=kind,
                category=category.value,
                text=draft.text,
                area_id=draft.area_id,
                reporter_user_id=user_id,
                anonymous=bool(draft.anonymous) if draft.anonymous is not None else True,
                latitude=draft.latitude,
                longitude=draft.longitude,
                address=draft.address,
                fraud_details=draft.fraud_details,
                code_prefix=CODE_PREFIX[kind],
                now=utcnow(),
            )
            await repo.add_attachments(
                report.id,
                [
                    AttachmentDTO(a.kind.value, a.file_id, a.file_unique_id, a.mime_type)
                    for a in draft.attachments
                ],
            )
            await repo.add_status_change(report.id, None, ReportStatus.RECEIVED, None, None)
            if kind is ReportKind.FRAUD:
                indicators = extract_indicators(f"{draft.text}\n{draft.fraud_details or ''}")
                await IndicatorRepository(session).link_report(
                    report.id, draft.area_id, indicators
                )
            await TipDraftRepository(session).delete(user_id)
        logger.info("report %s stored (%s)", report.id, report.code)
        for hook in self.after_store:
            try:
                await hook(report)
            except Exception:
                logger.exception("report %s: after-store hook failed", report.id)
        if not route:
            return Submitted(report, Routing(0, False))
        routing = await self._route(report)
        return Submitted(report, routing)

    async def route(self, report: ReportDTO) -> Routing:
        """Tell the police about a stored report (never raises: it is already stored).
        Nothing is sent when it is routed already or someone else is routing it."""
        return await self._route(report)

    async def route_pending(self, limit: int = 20) -> int:
        """Route reports stored more than the grace period ago and still not routed (the
        process died between storing a tip and telling the police, or nobody could be
        reached). Returns how many it took on."""
        if not self.routing_enabled:
            return 0
        taken = 0
        # One report per claim: each lease covers one delivery, not a batch queued behind
        # the police chat's flood limit.
        while taken < limit:
            now = utcnow()
            async with transaction(self._sessions) as session:
                report = await TipRepository(session).claim_next_unrouted(
                    stored_before=now - timedelta(seconds=self.routing_grace_seconds),
                    now=now,
                    until=now + timedelta(seconds=self.routing_lease_seconds),
                )
            if report is None:
                break
            logger.warning("report %s was stored but not routed; routing it now", report.id)
            await self._route_claimed(report)
            taken += 1
        return taken

    async def _route(self, report: ReportDTO) -> Routing:
        """Take the routing lease, then route. A failure to take it is logged, never raised:
        the report stays due and the sweep routes it."""
        if not self.routing_enabled:
            return Routing(0, False)
        now = utcnow()
        try:
            async with transaction(self._sessions) as session:
                claimed = await TipRepository(session).claim_for_routing(
                    report.id, now=now, until=now + timedelta(seconds=self.routing_lease_seconds)
                )
        except Exception:
            logger.exception("report %s: routing lease not taken; the sweep routes it", report.id)
            return Routing(0, False)
        if not claimed:
            logger.info("report %s: routed already or being routed elsewhere", report.id)
            return Routing(0, False)
        return await self._route_claimed(report)

    async def _route_claimed(self, report: ReportDTO) -> Routing:
        """Tell the police covering the area: the nearest area up the tree with police (a
        police chat linked to it, else each officer there); nobody → the admins. Delivery
        problems are logged, never raised: the tip is already safely stored, and stays due
        (retried once the lease runs out) when routing failed."""
        try:
            return await self._deliver(report)
        except Exception:
            logger.exception("routing report %s failed; it stays stored and due", report.id)
            return Routing(0, False)

    async def _settle(self, report: ReportDTO, routing: Routing) -> None:
        """Mark the report routed, or (nobody reached, try later) leave it due until the
        grace period has passed, so the next sweep after that retries it."""
        now = utcnow()
        try:
            async with transaction(self._sessions) as session:
                repo = TipRepository(session)
                if routing.retry:
                    retry_at = now + timedelta(seconds=self.routing_grace_seconds)
                    await repo.defer_routing(report.id, retry_at)
                else:
                    await repo.mark_routed(report.id, now)
        except Exception:
            # The at-least-once window: once the lease runs out it may be sent again.
            logger.exception("report %s: routing outcome not recorded", report.id)

    async def _deliver(self, report: ReportDTO) -> Routing:
        async with transaction(self._sessions) as session:
            areas = AreaRepository(session)
            area = await areas.get(report.area_id) if report.area_id else None
            chats: list[Recipient] = []
            officers: list[tuple[int, Recipient]] = []
            if area is not None:
                grants = await GrantRepository(session).holders_covering(area, Role.POLICE)
                police_chats = await ChatRepository(session).for_areas(
                    area.ancestor_ids, ChatPurpose.POLICE
                )
                depth = {aid: i for i, aid in enumerate(area.ancestor_ids)}
                covered = {g.area.id for g in grants} | {
                    c.area_id for c in police_chats if c.area_id is not None
                }
                if covered:
                    nearest = max(covered, key=lambda aid: depth.get(aid, -1))
                    chats = [
                        Recipient(c.telegram_chat_id, self._default_language)
                        for c in police_chats
                        if c.area_id == nearest
                    ]
                    users = UserRepository(session)
                    for grant in grants:
                        if grant.area.id != nearest:
                            continue
                        officer = await users.get(grant.user_id)
                        if officer and officer.telegram_id and not officer.blocked_bot:
                            officers.append((officer.id, self._recipient(officer)))
            reporter = (
                await UserRepository(session).get(report.reporter_user_id)
                if report.reporter_user_id and not report.anonymous
                else None
            )
            attachments = await TipRepository(session).attachments(report.id)
            lineage = await areas.get_many(area.ancestor_ids) if area else []
        # "Phường Thống Nhất › Tổ dân phố số 1": the ward and below is what officers recognise.
        area_label = " › ".join(
            a.name for a in lineage if a.kind.depth >= AreaKind.WARD.depth
        ) or (area.name if area else None)
        police_found = bool(chats or officers)
        message = self._police_message(report, area_label, reporter, attachments, police_found)
        delivered = 0
        statuses: set[DeliveryStatus] = set()
        for recipient in chats:
            result = await self._sender.send(recipient, message)
            delivered += result.ok
            statuses.add(result.status)
            if not result.ok:
                logger.warning("report %s: police chat delivery %s", report.id, result.status)
        if delivered == 0:
            for officer_id, recipient in officers:
                result = await self._sender.send(recipient, message)
                delivered += result.ok
                statuses.add(result.status)
                if result.status is DeliveryStatus.BLOCKED:
                    await self._users.mark_blocked(officer_id)
        if delivered == 0:
            unrouted = self._police_message(report, area_label, reporter, attachments, False)
            for admin_id in sorted(self._admin_ids):
                result = await self._sender.send(
                    Recipient(admin_id, self._default_language), unrouted
                )
                delivered += result.ok
                statuses.add(result.status)
            logger.warning("report %s: no police reached; admins told", report.id)
        # Finding nobody is a routing outcome (the admins were the fallback); only a
        # temporary failure with nobody told at all is worth another try.
        retry = delivered == 0 and DeliveryStatus.RETRY_LATER in statuses
        routing = Routing(delivered, police_found, retry=retry)
        await self._settle(report, routing)
        return routing

    def _recipient(self, user: UserDTO) -> Recipient:
        """Telegram for officers and linked residents, else the resident's Zalo chat."""
        to = recipient_for(replace(user, blocked_bot=False), self._default_language)
        assert to is not None
        return to

    def _police_message(
        self,
        report: ReportDTO,
        area_label: str | None,
        reporter: UserDTO | None,
        attachments: list[AttachmentDTO],
        police_found: bool,
    ) -> OutgoingMessage:
        summary = clip(report.text, POLICE_SUMMARY)
        media = []
        for item in attachments:
            try:
                media.append(MediaRef(MediaKind(item.kind), item.file_id))
            except ValueError:
                continue
        location = (
            (report.latitude, report.longitude)
            if report.latitude is not None and report.longitude is not None
            else None
        )
        args: dict[str, Any] = {
            "header": L10n("tip-police-header" if police_found else "tip-police-header-unrouted"),
            "code": report.code,
            "category": L10n(label_key(report.category)),
            "summary": summary.text + ("…" if summary.truncated else ""),
            "area": area_label or L10n("tip-area-unknown"),
            "time": self.local_time(report.created_at),
            "address": report.address or L10n("tip-none"),
            "pin": L10n("tip-pin-yes" if location else "tip-none"),
            "fraud": report.fraud_details or L10n("tip-none"),
            "is_fraud": "yes" if report.kind is ReportKind.FRAUD else "no",
            "attachments": len(media),
            "reporter": (
                reporter.display_name
                if reporter is not None and not report.anonymous
                else L10n("tip-reporter-anonymous")
            ),
        }
        buttons = (
            (
                InlineButton("tip-action-verify", f"tip:verify:{report.id}"),
                InlineButton("tip-action-handled", f"tip:handled:{report.id}"),
            ),
            (
                InlineButton("tip-action-reject", f"tip:reject:{report.id}"),
                InlineButton("tip-action-escalate", f"tip:escalate:{report.id}"),
            ),
            (InlineButton("tip-action-reply", f"tip:reply:{report.id}"),),
        )
        return OutgoingMessage(
            "tip-police-new", args, buttons=buttons, media=tuple(media), location=location
        )

    def local_time(self, moment: datetime) -> str:
        return moment.astimezone(self._tz).strftime("%H:%M %d/%m/%Y")

    # -- following up -------------------------------------------------------------------------
    async def list_mine(self, user_id: int, page: int = 0) -> ReportPage:
        page = max(0, page)
        async with transaction(self._sessions) as session:
            items, total = await TipRepository(session).for_reporter(
                user_id, offset=page * PAGE_SIZE, limit=PAGE_SIZE
            )
        pages = max(1, -(-total // PAGE_SIZE))
        if page >= pages and total:
            return await self.list_mine(user_id, pages - 1)
        return ReportPage(tuple(items), page, pages, total)

    async def detail_for_reporter(self, user_id: int, report_id: int) -> ReportDetail:
        """A report with its history, for the person who sent it (nobody else)."""
        async with transaction(self._sessions) as session:
            repo = TipRepository(session)
            report = await repo.get(report_id)
            if report is None or report.reporter_user_id != user_id:
                raise NotFound("mytips-not-found")
            area = await AreaRepository(session).get(report.area_id) if report.area_id else None
            history = await repo.history(report_id)
            attachments = await repo.attachments(report_id)
        return ReportDetail(report, area, tuple(history), len(attachments))

    async def get(self, report_id: int) -> ReportDTO | None:
        async with transaction(self._sessions) as session:
            return await TipRepository(session).get(report_id)

    async def change_status(
        self,
        report_id: int,
        new_status: ReportStatus | str,
        actor: Profile,
        note: str | None = None,
        expected_version: int | None = None,
    ) -> ReportDTO:
        """An officer moves a report on (received → verifying → handled / rejected), with a
        public note the reporter sees. Optimistic lock on ``reports.version``: pass the version
        the officer was looking at; if someone acted first, :class:`StatusConflict`. Audited,
        recorded in the history, and pushed to the reporter in their language."""
        try:
            status = ReportStatus(new_status)
        except ValueError:
            raise InvalidInput("tip-status-invalid") from None
        clean_note = clip(note or "", MAX_NOTE).text or None
        async with transaction(self._sessions) as session:
            repo = TipRepository(session)
            current = await repo.get(report_id)
            if current is None:
                raise NotFound("tip-report-not-found")
            area = await AreaRepository(session).get(current.area_id) if current.area_id else None
            allowed = actor.can(Role.POLICE, area) if area is not None else actor.is_superadmin
            if not allowed:
                raise PermissionDenied()
            if status not in ALLOWED_TRANSITIONS[current.status]:
                raise InvalidInput(
                    "tip-status-transition",
                    old=L10n(f"tip-status-{current.status.value}"),
                    new=L10n(f"tip-status-{status.value}"),
                )
            version = expected_version if expected_version is not None else current.version
            try:
                changed = await repo.set_status(report_id, status, version)
            except StaleReport:
                raise StatusConflict(code=current.code) from None
            assert changed is not None
            before, after = changed
            await repo.add_status_change(
                report_id, before.status, status, actor.user.id, clean_note
            )
            await AuditRepository(session).add(
                "report.status",
                actor_user_id=actor.user.id,
                target_type="report",
                target_id=report_id,
                area_id=after.area_id,
                before={"status": before.status.value, "version": before.version},
                after={"status": status.value, "version": after.version, "note": clean_note},
            )
            reporter = (
                await UserRepository(session).get(after.reporter_user_id)
                if after.reporter_user_id
                else None
            )
        logger.info("report %s: %s -> %s", report_id, before.status.value, status.value)
        if reporter is not None and not reporter.blocked_bot:
            await self._notify_reporter(after, reporter, clean_note)
        return after

    async def _notify_reporter(
        self, report: ReportDTO, reporter: UserDTO, note: str | None
    ) -> None:
        message = OutgoingMessage(
            "tip-status-changed",
            {
                "code": report.code,
                "status": L10n(f"tip-status-{report.status.value}"),
                "note": note or L10n("tip-none"),
            },
            buttons=((InlineButton("mytips-open", f"mytips:show:{report.id}"),),),
        )
        try:
            result = await self._sender.send(self._recipient(reporter), message)
        except Exception:
            logger.exception("report %s: telling the reporter failed", report.id)
            return
        if result.status is DeliveryStatus.BLOCKED:
            await self._users.mark_blocked(reporter.id)
        elif not result.ok:
            logger.warning("report %s: reporter not told (%s)", report.id, result.status)
