"""The review queue: things a moderator or officer has to decide on, one at a time.

Generic over the item's kind. Each kind registers a :class:`ReviewKindSpec`: which role may
decide (on the item's area), how to describe an item, and its actions. Group moderation
registers ``group_message``; the tips feature registers ``report`` (approve / reject / merge)
the same way and enqueues with :meth:`ReviewService.enqueue` or, inside its own transaction,
:func:`enqueue_in`.

Every decision is checked again at press time (callback data can be forged or replayed): the
presser's rights on the item's area, that the item is still open, and the action's own check
if it has one (group moderation: the member is not protected; tips: a moderator decides only
on what they may see). Refusals are written to the audit log as ``review.denied``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from services.access import Profile, record_refusal
from services.areas import local_names
from services.errors import AnninhError, InvalidInput, NotFound, PermissionDenied
from services.ports import InlineButton
from storage.dto import AreaDTO
from storage.models import ReviewKind, ReviewStatus, Role
from storage.repositories.areas import AreaRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.moderation import ReviewItemDTO, ReviewRepository
from storage.uow import Session, Sessions, transaction

logger = logging.getLogger(__name__)

CALLBACK_PREFIX = "rv"
NEXT_ACTION = "next"

ActionRunner = Callable[[Profile, ReviewItemDTO], Awaitable[None]]
ActionCheck = Callable[[Profile, ReviewItemDTO], Awaitable[None]]
"""Raises an :class:`~services.errors.AnninhError` when the action may not be taken on this
item (beyond the role on its area): run before the item is claimed, refusals audited."""
Describer = Callable[[ReviewItemDTO, AreaDTO | None], tuple[str, Mapping[str, Any]]]


@dataclass(frozen=True, slots=True)
class ReviewAction:
    name: str
    """Short ASCII name, part of the callback data (``rv:<item id>:<name>``)."""
    label_key: str
    run: ActionRunner
    closes_as: ReviewStatus = ReviewStatus.RESOLVED
    check: ActionCheck | None = None


@dataclass(frozen=True, slots=True)
class ReviewKindSpec:
    kind: ReviewKind
    role: Role
    """Role needed on the item's area (grants cover subtrees; roles nest)."""
    describe: Describer
    actions: tuple[ReviewAction, ...]


def _generic_description(item: ReviewItemDTO, area: AreaDTO | None) -> tuple[str, dict[str, Any]]:
    return "review-card-generic", {
        "id": item.id,
        "kind": item.kind.value,
        "reason": item.reason,
        "area": area.name if area else "?",
        "text": item.text[:1500],
    }


@dataclass(frozen=True, slots=True)
class ReviewCard:
    """One item as the reviewer sees it."""

    item: ReviewItemDTO
    area: AreaDTO | None
    key: str
    args: Mapping[str, Any]
    buttons: tuple[tuple[InlineButton, ...], ...]


@dataclass(frozen=True, slots=True)
class AreaCount:
    area: AreaDTO
    count: int


@dataclass(frozen=True, slots=True)
class ReviewOverview:
    counts: list[AreaCount]
    card: ReviewCard | None


@dataclass(frozen=True, slots=True)
class ActOutcome:
    item: ReviewItemDTO
    action: str
    next_card: ReviewCard | None = field(default=None)


async def enqueue_in(
    session: Session,
    *,
    kind: ReviewKind,
    area_id: int | None,
    reason: str,
    **fields: Any,
) -> ReviewItemDTO:
    """Queue an item inside the caller's transaction (fields: chat_id, message_id, report_id,
    subject_user_id, subject_name, text, details)."""
    return await ReviewRepository(session).add(kind=kind, area_id=area_id, reason=reason, **fields)


class ReviewService:
    def __init__(self, sessions: Sessions, kinds: Sequence[ReviewKindSpec]) -> None:
        """``kinds``: what each kind of item is and what may be done with it (group
        moderation's, tip review's)."""
        self._sessions = sessions
        self._specs: dict[ReviewKind, ReviewKindSpec] = {spec.kind: spec for spec in kinds}

    def _spec(self, kind: ReviewKind) -> ReviewKindSpec | None:
        return self._specs.get(kind)

    def _role_for(self, kind: ReviewKind) -> Role:
        spec = self._spec(kind)
        return spec.role if spec else Role.MODERATOR

    async def enqueue(
        self, *, kind: ReviewKind, area_id: int | None, reason: str, **fields: Any
    ) -> ReviewItemDTO:
        async with transaction(self._sessions) as session:
            return await enqueue_in(session, kind=kind, area_id=area_id, reason=reason, **fields)

    @staticmethod
    def _paths(profile: Profile, role: Role) -> list[str] | None:
        if profile.is_superadmin:
            return None
        return [a.path for a in profile.areas_for(role)]

    def _visible_kinds(self, profile: Profile) -> list[ReviewKind] | None:
        """Kinds whose role the profile holds somewhere (None: all of them)."""
        if profile.is_superadmin:
            return None
        return [k for k in ReviewKind if profile.has_any(self._role_for(k))]

    async def overview(self, profile: Profile) -> ReviewOverview:
        """Open items per area for the caller's areas, and the first item."""
        if not profile.has_any(Role.MODERATOR):
            raise PermissionDenied("review-not-allowed")
        paths = self._paths(profile, Role.MODERATOR)
        async with transaction(self._sessions) as session:
            raw = await ReviewRepository(session).open_counts(paths)
            repo = AreaRepository(session)
            areas = await repo.get_many([a for a, _ in raw])
            names = await local_names(repo, [a for a, _ in raw])
        # Shown as residents say it: "Tổ dân phố 1, Phường Thống Nhất".
        by_id = {a.id: replace(a, name=names.get(a.id, a.name)) for a in areas}
        counts = sorted(
            (AreaCount(by_id[a], n) for a, n in raw if a in by_id), key=lambda c: c.area.path
        )
        return ReviewOverview(counts, await self.next_card(profile))

    async def next_card(self, profile: Profile, after_id: int = 0) -> ReviewCard | None:
        kinds = self._visible_kinds(profile)
        async with transaction(self._sessions) as session:
            repo = ReviewRepository(session)
            areas = AreaRepository(session)
            cursor = after_id
            # Kinds may need different roles: skip items the caller cannot decide on.
            for _ in range(50):
                item = await repo.next_open(
                    self._paths(profile, Role.MODERATOR), after_id=cursor, kinds=kinds
                )
                if item is None:
                    return None
                area = await areas.get(item.area_id) if item.area_id else None
                if area is not None and profile.can(self._role_for(item.kind), area):
                    named = (await local_names(areas, [area.id])).get(area.id, area.name)
                    return self._card(item, replace(area, name=named))
                if item.id <= cursor:
                    return None
                cursor = item.id
        return None

    def _card(self, item: ReviewItemDTO, area: AreaDTO | None) -> ReviewCard:
        spec = self._spec(item.kind)
        key, args = (spec.describe if spec else _generic_description)(item, area)
        actions = spec.actions if spec else ()
        row = tuple(
            InlineButton(a.label_key, f"{CALLBACK_PREFIX}:{item.id}:{a.name}") for a in actions
        )
        rows = [row[i : i + 3] for i in range(0, len(row), 3)]
        rows.append((InlineButton("review-button-next", f"{CALLBACK_PREFIX}:{item.id}:next"),))
        return ReviewCard(item, area, key, args, tuple(rows))

    async def act(self, profile: Profile, item_id: int, action: str) -> ActOutcome:
        """Carry out ``action`` on an item after checking rights and status again."""
        async with transaction(self._sessions) as session:
            item = await ReviewRepository(session).get(item_id)
            area = (
                await AreaRepository(session).get(item.area_id)
                if item is not None and item.area_id
                else None
            )
        denial = self._denial(profile, item, area, action)
        if denial is None:
            assert item is not None
            chosen = self._action(item.kind, action)
            if chosen.check is not None:
                try:
                    await chosen.check(profile, item)
                except AnninhError as refusal:
                    await self._record_denial(profile, item_id, item, action, refusal.message_key)
                    raise
            async with transaction(self._sessions) as session:
                repo = ReviewRepository(session)
                claimed = await repo.claim(item.id, chosen.closes_as, action, profile.user.id)
                if not claimed:
                    denial = "closed"
                else:
                    await AuditRepository(session).add(
                        f"review.{action}",
                        actor_user_id=profile.user.id,
                        target_type="review_item",
                        target_id=item.id,
                        area_id=item.area_id,
                        before={"status": ReviewStatus.OPEN.value},
                        after={"status": chosen.closes_as.value, "resolution": action},
                    )
        if denial is not None:
            await self._record_denial(profile, item_id, item, action, denial)
            if denial == "missing":
                raise NotFound("review-item-missing")
            if denial == "closed":
                raise InvalidInput("review-item-closed")
            if denial == "action":
                raise InvalidInput("review-action-unknown")
            raise PermissionDenied("review-denied")
        assert item is not None
        try:
            await chosen.run(profile, item)
        except Exception:
            async with transaction(self._sessions) as session:
                await ReviewRepository(session).reopen(item.id)
                await AuditRepository(session).add(
                    "review.failed",
                    actor_user_id=profile.user.id,
                    target_type="review_item",
                    target_id=item.id,
                    area_id=item.area_id,
                    after={"action": action},
                )
            raise
        return ActOutcome(item, action, await self.next_card(profile, after_id=item.id))

    def _action(self, kind: ReviewKind, name: str) -> ReviewAction:
        spec = self._spec(kind)
        for action in spec.actions if spec else ():
            if action.name == name:
                return action
        raise KeyError(name)

    def _denial(
        self, profile: Profile, item: ReviewItemDTO | None, area: AreaDTO | None, action: str
    ) -> str | None:
        if item is None:
            return "missing"
        allowed = profile.is_superadmin or (
            area is not None and profile.can(self._role_for(item.kind), area)
        )
        if not allowed:
            return "rights"
        try:
            self._action(item.kind, action)
        except KeyError:
            return "action"
        if item.status is not ReviewStatus.OPEN:
            return "closed"
        return None

    async def _record_denial(
        self,
        profile: Profile,
        item_id: int,
        item: ReviewItemDTO | None,
        action: str,
        why: str,
    ) -> None:
        logger.info("review action refused: item %s action %s (%s)", item_id, action[:32], why)
        area_id = item.area_id if item else None
        target = ("review_item", item_id)
        await record_refusal(
            self._sessions, profile, "review.denied", target, area_id, action=action[:32], why=why
        )
